"""``shape``: bounds on netrep's angular shape metric with partial whitening ``alpha`` (0 or 1), decided exactly.

``alpha = 1`` is the angular Procrustes distance (the witness of ``angular_procrustes``).
``alpha = 0`` is arccos(sum rho / sqrt(rank A_c rank B_c)) (see :mod:`symrep.measures.shape`): the
witness is the ``cca`` witness of the sum of the canonical correlations (dimension proofs; ``zero``,
``union`` or whitenings and a nuclear bracket), ``norm`` (rationals with norm[0]² <= rank_x rank_y
<= norm[1]²), and the angle's ``lower``/``upper``, certified by cos(lower) >= c_hi and cos(upper)
<= c_lo; exactly 0 when the sum is exact and its square is rank_x rank_y.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim
from symrep.claims.fields import number
from symrep.claims.kinds._spectral import SpectralKind, constant, fmt, mm, tr
from symrep.claims.kinds.angular_procrustes import KIND as ANGULAR
from symrep.claims.kinds.cca import bracket_witness, max_rank, rows, sides
from symrep.claims.registry import DrawContext, ParseContext
from symrep.claims.witnesses import dimension_witness, s
from symrep.errors import ClaimFileError
from symrep.exact.numbers import Matrix
from symrep.measures.cca import cca_bracket
from symrep.measures.procrustes import arccos_bracket
from symrep.measures.values import sqrt_bracket


@dataclass(frozen=True)
class ShapeParams:
    """alpha (0 or 1) and bounds on the angle in radians."""

    alpha: Fraction
    bounds: tuple[tuple[str, Fraction], ...]


class Shape(SpectralKind):
    name = "shape"
    params_type = ShapeParams
    summary = ("bounds on netrep's angular shape metric (Williams et al. 2021) with partial whitening alpha = 0 "
               "(arccos of the CCA sum over sqrt(rank rank)) or 1 (angular Procrustes), radians (certified bracket)")
    what = "the shape metric"
    fields = frozenset({"alpha", "equals", "at_least", "at_most"})

    def make_params(self, obj: Mapping[str, Any], ctx: ParseContext, bounds: tuple) -> ShapeParams:
        alpha = number(ctx.require(obj, "alpha", " (netrep's partial whitening: 0 or 1)"), f"{ctx.where}: alpha")
        if alpha not in (0, 1):
            raise ClaimFileError(f"{ctx.where}: alpha: only 0 and 1 are certified (partial whitening needs the exact "
                                 "inverse square root of the covariance; see docs/measures.md)")
        return ShapeParams(alpha, bounds)

    def params_to_json(self, params: ShapeParams) -> dict[str, Any]:
        return {"alpha": s(params.alpha), **{key: s(value) for key, value in params.bounds}}

    def certify(self, claim: Claim, acts: list[Matrix], width: Fraction) -> dict[str, Any]:
        if claim.params.alpha == 1:
            return ANGULAR.certify(claim, acts, width)
        Ac, Bc, w, m = sides(acts)
        p = Fraction(int(w["rank_x"]["dimension"]) * int(w["rank_y"]["dimension"]))
        sb, wu = dimension_witness(rows(Ac + Bc), len(Ac[0]))
        if constant(mm(Ac, tr(Bc))):
            out: dict[str, Any] = {**w, "zero": True}
            s_lo = s_hi = Fraction(0)
        elif sb.rank == max_rank(w):
            out, s_lo = {**w, "union": wu}, Fraction(m)
            s_hi = s_lo
            if s_lo * s_lo == p:
                return {**out, "lower": Fraction(0), "upper": Fraction(0), "exact": Fraction(0)}
        else:
            out = {**w, **bracket_witness(acts, Ac, Bc, cca_bracket(acts[0], acts[1], width / 64), m)}
            s_lo, s_hi = out["lower"] * m, out["upper"] * m
        r_lo, r_hi = sqrt_bracket(p, width / (1 << 20))
        c_lo, c_hi = min(Fraction(1), s_lo / r_hi), min(Fraction(1), s_hi / r_lo)
        lo, hi = arccos_bracket(c_lo, c_hi, width / 4)
        return {**out, "norm": [fmt(r_lo), fmt(r_hi)], "lower": lo, "upper": hi}

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        return {"alpha": draw(ctx.st.sampled_from(["0", "1"])), **super().draw(draw, ctx)}


KIND = Shape()
