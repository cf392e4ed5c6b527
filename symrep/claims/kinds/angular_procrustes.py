"""``angular_procrustes``: bounds on arccos(||XᵀY||_* / (|X||Y|)) (radians) of the centred layers, decided exactly.

c = ||M||_* / (|A_c||B_c|) is bracketed from the nuclear witness and ``norm`` (rationals with
``norm[0]² <= |A_c|²|B_c|² <= norm[1]²``); ``lower`` is certified by cos(lower) >= c_hi and
``upper`` by cos(upper) <= c_lo (Taylor series with the Lagrange remainder), since arccos
decreases.  The distance is exactly 0 when the nuclear norm is exact and equals |A_c||B_c|.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from symrep.claims.claim import Claim
from symrep.claims.kinds._spectral import SpectralKind, fmt, frob2, nuclear_json
from symrep.claims.kinds.procrustes import nuclear_of_layer
from symrep.exact.numbers import Matrix
from symrep.measures.procrustes import arccos_bracket, relative_root_width
from symrep.measures.values import sqrt_bracket


@dataclass(frozen=True)
class AngularParams:
    """Bounds on the angle in radians: pairs (``equals``/``at_least``/``at_most``, value)."""

    bounds: tuple[tuple[str, Fraction], ...]


class AngularProcrustes(SpectralKind):
    name = "angular_procrustes"
    params_type = AngularParams
    summary = "bounds on the angular Procrustes distance arccos(||X^T Y||_* / (|X||Y|)) in radians (certified bracket)"
    what = "the angular Procrustes distance"

    def certify(self, claim: Claim, acts: list[Matrix], width: Fraction) -> dict[str, Any]:
        Ac, Bc, w, (nl, nu, exact) = nuclear_of_layer(acts, width / 16)
        p = frob2(Ac) * frob2(Bc)
        out: dict[str, Any] = {"nuclear": nuclear_json(w)}
        if exact is not None and exact * exact == p:
            out.update(lower=Fraction(0), upper=Fraction(0), exact=Fraction(0))
            return out
        r_lo, r_hi = sqrt_bracket(p, relative_root_width(p, width / 64))
        c_lo, c_hi = min(Fraction(1), nl / r_hi), min(Fraction(1), nu / r_lo)
        lo, hi = arccos_bracket(c_lo, c_hi, width / 4)
        out.update(norm=[fmt(r_lo), fmt(r_hi)], lower=lo, upper=hi)
        return out


KIND = AngularProcrustes()
