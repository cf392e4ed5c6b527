"""``cca``: bounds on the mean canonical correlation of the centred layers, decided exactly.

Witness (see :mod:`symrep.measures.cca`): dimension proofs of both centred layers (m = the smaller
rank); then ``zero`` (A_c B_cᵀ = 0: every correlation is 0), or ``union`` (a dimension proof that
[A_c; B_c] has rank max(rank A_c, rank B_c): one span contains the other, every correlation is 1),
or whitenings W_x, W_y with e_x >= |W_xᵀ A_c A_cᵀ W_x - I|_F < 1 (so the columns of A_cᵀ W_x are a
basis of the row span, nearly orthonormal), a nuclear-norm bracket of C = W_xᵀ A_c B_cᵀ W_y, and
rationals u1 >= sqrt((1 + e_x)(1 + e_y)), l2 <= sqrt((1 - e_x)(1 - e_y)):
sum rho in [||C||_*-lower / u1, ||C||_*-upper / l2].
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from symrep.claims.claim import Claim
from symrep.claims.kinds._spectral import (Rat, SpectralKind, centre, constant, mm, nuclear_bounds,
                                           nuclear_json, nuclear_witness, rat, root_hi, root_lo, text, tr)
from symrep.claims.witnesses import dimension_witness, s
from symrep.errors import InternalError
from symrep.exact.numbers import Matrix
from symrep.measures.cca import CcaBracket, Whitening, cca_bracket
from symrep.measures.procrustes import centred


@dataclass(frozen=True)
class CcaParams:
    """Bounds on the mean canonical correlation: pairs (``equals``/``at_least``/``at_most``, value)."""

    bounds: tuple[tuple[str, Fraction], ...]


def sides(acts: list[Matrix]) -> tuple[Rat, Rat, dict[str, Any], int]:
    """Centred layers, their dimension proofs and m = the smaller rank."""
    Ac, Bc = centre(acts[0]), centre(acts[1])
    d = len(Ac[0])
    (sx, wx), (sy, wy) = dimension_witness(rows(Ac), d), dimension_witness(rows(Bc), d)
    return Ac, Bc, {"rank_x": wx, "rank_y": wy}, min(sx.rank, sy.rank)


def rows(M: Rat) -> Matrix:
    return tuple(tuple(r) for r in M)


def whitening_rat(w: Whitening, side_scale: int) -> Rat:
    return rat(w.ints, w.scale * side_scale)


def bracket_witness(acts: list[Matrix], Ac: Rat, Bc: Rat, b: CcaBracket, m: int, shift: Fraction = Fraction(0),
                    extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whitened bracket's witness and (lower, upper) re-derived from it; shift = k (s_x + s_y) for svcca."""
    if b.witness is None:  # only the exact cases (0 and 1), handled before, come without a witness
        raise InternalError("internal error: a whitened CCA bracket without its witness")
    wx, wy, nb = b.witness["wx"], b.witness["wy"], b.witness["nuclear"]
    Wx, Wy = whitening_rat(wx, centred(acts[0]).scale), whitening_rat(wy, centred(acts[1]).scale)
    nw = nuclear_witness(nb, wx.scale * wy.scale)
    C = mm(mm(tr(Wx), mm(Ac, tr(Bc))), Wy)
    nl, nu, _ = nuclear_bounds(C, nw)
    u1, l2 = root_hi((1 + wx.e) * (1 + wy.e)), root_lo((1 - wx.e) * (1 - wy.e))
    lower = max(Fraction(0), nl / u1 - shift) / m
    upper = min(Fraction(m), nu / l2 + shift) / m
    out: dict[str, Any] = {"wx": text(Wx), "wy": text(Wy), "ex": s(wx.e), "ey": s(wy.e), "u1": s(u1), "l2": s(l2),
           "nuclear": nuclear_json(nw)}
    out.update(extra or {})
    out.update(lower=lower, upper=max(lower, upper))
    return out


class Cca(SpectralKind):
    name = "cca"
    params_type = CcaParams
    summary = "bounds on the mean canonical correlation of the centred layers (certified bracket; exact for 0 and 1)"
    what = "mean CCA"

    def certify(self, claim: Claim, acts: list[Matrix], width: Fraction) -> dict[str, Any]:
        Ac, Bc, w, m = sides(acts)
        if constant(mm(Ac, tr(Bc))):
            return {**w, "zero": True, "lower": Fraction(0), "upper": Fraction(0), "exact": Fraction(0)}
        sb, wu = dimension_witness(rows(Ac + Bc), len(Ac[0]))
        if sb.rank == max_rank(w):
            return {**w, "union": wu, "lower": Fraction(1), "upper": Fraction(1), "exact": Fraction(1)}
        return {**w, **bracket_witness(acts, Ac, Bc, cca_bracket(acts[0], acts[1], width), m)}


def max_rank(w: dict[str, Any]) -> int:
    return max(int(w["rank_x"]["dimension"]), int(w["rank_y"]["dimension"]))


KIND = Cca()
