"""``procrustes``: bounds on the Procrustes (shape) distance min_Q |X Q - Y|_F of the centred layers, decided exactly.

The witness is a nuclear-norm bracket of M = A_c B_cᵀ (see :mod:`symrep.measures.procrustes`):
d² = |A_c|² + |B_c|² - 2 ||M||_*, so rationals ``lower <= d <= upper`` are certified by
``lower² <= |A_c|² + |B_c|² - 2 (upper bound of ||M||_*)`` and the converse; with an exact
nuclear norm d² is exact (``square``) and bounds are compared squared.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from symrep.claims.claim import Claim
from symrep.claims.kinds._spectral import (SpectralKind, centre, frob2, mm, nuclear_bounds,
                                           nuclear_json, nuclear_witness, root_hi, root_lo, tr)
from symrep.exact.numbers import Matrix
from symrep.measures.procrustes import procrustes_parts


@dataclass(frozen=True)
class ProcrustesParams:
    """Bounds on the distance: pairs (``equals``/``at_least``/``at_most``, value)."""

    bounds: tuple[tuple[str, Fraction], ...]


def nuclear_of_layer(acts: list[Matrix], width: Fraction) -> tuple[Any, Any, dict[str, Any], tuple]:
    """Centred A_c, B_c, the rational nuclear witness of A_c B_cᵀ and its (lower, upper, exact)."""
    Ac, Bc = centre(acts[0]), centre(acts[1])
    parts = procrustes_parts(acts[0], acts[1], width)
    w = nuclear_witness(parts.nuclear, parts.scale)
    return Ac, Bc, w, nuclear_bounds(mm(Ac, tr(Bc)), w)


class Procrustes(SpectralKind):
    name = "procrustes"
    params_type = ProcrustesParams
    summary = "bounds on the Procrustes distance min_Q |XQ - Y|_F of the centred layers (certified bracket)"
    what = "the Procrustes distance"
    defined_on_constant = True  # min_Q |X Q - Y|_F = |Y|_F when X_c = 0: a zero cross product, nuclear norm 0

    def certify(self, claim: Claim, acts: list[Matrix], width: Fraction) -> dict[str, Any]:
        Ac, Bc, w, (nl, nu, exact) = nuclear_of_layer(acts, width / 16)
        total = frob2(Ac) + frob2(Bc)
        out: dict[str, Any] = {"nuclear": nuclear_json(w)}
        if exact is not None:
            sq = total - 2 * exact
            out.update(lower=root_lo(sq, width / 64), upper=root_hi(sq, width / 64), square=sq)
            lo = out["lower"]
            if lo * lo == sq:
                out.update(upper=lo, exact=lo)
            return out
        out.update(lower=root_lo(max(Fraction(0), total - 2 * nu), width / 64), upper=root_hi(total - 2 * nl, width / 64))
        return out


KIND = Procrustes()
