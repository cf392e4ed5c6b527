"""``pwcca``: bounds on PWCCA (Morcos et al. 2018) of the centred layers, decided exactly.

Witness (see :mod:`symrep.measures.pwcca`): dimension proofs of both centred layers; ``swap``
(the x side is the second layer: its rank is smaller); then ``zero`` (A_c B_cᵀ = 0: every rho is
0) or ``union`` (one span contains the other: every rho is 1), or whitenings W_x, W_y (e_x, e_y
< 1, as for ``cca``), canonical proposals ``p`` (r x r), ``q`` (r_y x r), ``sigma`` (decreasing),
``e`` (e_i² >= |C q_i - sigma_i G_x p_i|²/(1 - e_x) + |Cᵀ p_i - sigma_i G_y q_i|²/(1 - e_y)),
``ew`` >= max |p_iᵀG_x p_i + q_iᵀG_y q_i - 1| (< 1), ``u_lo`` <= (1 + ew)^(-1/2), ``u_hi`` >=
(1 - ew)^(-1/2) and ``nu`` >= sqrt(n |A_c|_F²) (n the x side's neurons); the bracket follows by
:func:`symrep.measures.pwcca.combine`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from symrep.claims.claim import Claim
from symrep.claims.kinds._spectral import Rat, SpectralKind, constant, frob2, mm, rat, text, tr
from symrep.claims.kinds.cca import max_rank, rows, sides, whitening_rat
from symrep.claims.witnesses import dimension_witness, s
from symrep.errors import InputError, InternalError
from symrep.exact.numbers import Matrix
from symrep.measures.procrustes import centred
from symrep.measures.pwcca import combine, pwcca_bracket


@dataclass(frozen=True)
class PwccaParams:
    """Bounds on PWCCA: pairs (``equals``/``at_least``/``at_most``, value)."""

    bounds: tuple[tuple[str, Fraction], ...]


def rederive(X: Rat, Y: Rat, w: dict[str, Any]) -> tuple[Fraction, Fraction]:
    """(lower, upper) from the rational witness, by products only, as the checker derives them."""
    Wx, Wy, P, Q = w["wx"], w["wy"], w["p"], w["q"]
    ex, ey, ew, u_lo, u_hi, nu = (w[k] for k in ("ex", "ey", "ew", "u_lo", "u_hi", "nu"))
    XW = mm(mm(X, tr(X)), Wx)
    Gx, Gy, C = mm(tr(Wx), XW), mm(mm(tr(Wy), mm(Y, tr(Y))), Wy), mm(tr(Wx), mm(mm(X, tr(Y)), Wy))
    r = len(P[0])
    CQ, GP, CtP, GQ = mm(C, Q), mm(Gx, P), mm(tr(C), P), mm(Gy, Q)
    for i, (sg, ei) in enumerate(zip(w["sigma"], w["e"])):
        r1 = sum(((CQ[a][i] - sg * GP[a][i]) ** 2 for a in range(len(CQ))), Fraction(0))
        r2 = sum(((CtP[a][i] - sg * GQ[a][i]) ** 2 for a in range(len(CtP))), Fraction(0))
        g = sum((P[a][i] * GP[a][i] for a in range(len(P))), Fraction(0)) + sum((Q[a][i] * GQ[a][i] for a in range(len(Q))),
                                                                           Fraction(0))
        if ei * ei < r1 / (1 - ex) + r2 / (1 - ey) or abs(g - 1) > ew:
            raise InputError(f"pwcca witness: e or ew does not bound canonical pair {i + 1}")
    if not (0 <= ew < 1 and u_lo * u_lo * (1 + ew) <= 1 <= u_hi * u_hi * (1 - ew) and nu * nu >= len(X) * frob2(X)):
        raise InputError("pwcca witness: u_lo, u_hi or nu is not a bound")
    XP = mm(XW, P)
    at = [sum((abs(XP[a][i]) for a in range(len(XP))), Fraction(0)) for i in range(r)]
    return combine(w["sigma"], w["e"], at, u_lo, u_hi, nu)


class Pwcca(SpectralKind):
    name = "pwcca"
    params_type = PwccaParams
    summary = ("bounds on PWCCA (Morcos et al. 2018) of the centred layers: canonical correlations weighted by "
               "sum_j |<h_i, x_j>| on the side of smaller rank (certified bracket; exact for 0 and 1)")
    what = "PWCCA"

    def certify(self, claim: Claim, acts: list[Matrix], width: Fraction) -> dict[str, Any]:
        Ac, Bc, w, _ = sides(acts)
        rx, ry = int(w["rank_x"]["dimension"]), int(w["rank_y"]["dimension"])
        w["swap"] = ry < rx
        if constant(mm(Ac, tr(Bc))):
            return {**w, "zero": True, "lower": Fraction(0), "upper": Fraction(0), "exact": Fraction(0)}
        sb, wu = dimension_witness(rows(Ac + Bc), len(Ac[0]))
        if sb.rank == max_rank(w):
            return {**w, "union": wu, "lower": Fraction(1), "upper": Fraction(1), "exact": Fraction(1)}
        b = pwcca_bracket(acts[0], acts[1], width)
        if b.witness is None or b.swap != w["swap"]:  # the exact cases (0 and 1) are handled above; ranks are exact
            raise InternalError("internal error: pwcca: the bracket has no witness or another side of smaller rank")
        X, Y, ax, ay = (Bc, Ac, acts[1], acts[0]) if b.swap else (Ac, Bc, acts[0], acts[1])
        bw = b.witness
        num = {"wx": whitening_rat(bw["wx"], centred(ax).scale), "wy": whitening_rat(bw["wy"], centred(ay).scale),
               "p": rat(*bw["p"]), "q": rat(*bw["q"]), "sigma": bw["sigma"], "e": bw["e"], "ex": bw["wx"].e,
               "ey": bw["wy"].e, "ew": bw["ew"], "u_lo": bw["u_lo"], "u_hi": bw["u_hi"], "nu": bw["nu"]}
        lower, upper = rederive(X, Y, num)
        out = {k: (text(v) if k in ("wx", "wy", "p", "q") else [s(x) for x in v] if k in ("sigma", "e") else s(v))
               for k, v in num.items()}
        return {**w, **out, "lower": lower, "upper": upper}


KIND = Pwcca()
