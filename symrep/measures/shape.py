"""Generalized shape metrics (Williams et al. 2021, netrep's ``LinearMetric(alpha)``, angular score), certified.

Design note
-----------
netrep partially whitens each centred side, X_alpha = X Z with Z = V diag(alpha + (1 - alpha)
lambda^(-1/2)) Vᵀ (XᵀX = V diag(lambda) Vᵀ; a constant rescaling of Z "preserves the variance"
and cancels in the angle), aligns the two by the best orthogonal map and scores the angle

    shape:alpha(A, B) = arccos(||X_alphaᵀ Y_alpha||_* / (|X_alpha| |Y_alpha|)).

* ``shape:1``: Z = I, the angular Procrustes distance (:mod:`symrep.measures.procrustes`).
* ``shape:0``: X Z = X (XᵀX)^(-1/2) is an orthonormal basis of col X (on the range of XᵀX: netrep
  clips the zero eigenvalues to 1e-7, whose directions X v = 0 contribute nothing), so
  ||X_0ᵀ Y_0||_* = rho_1 + ... + rho_m (the canonical correlations, m = min(rank X, rank Y)) and
  |X_0|² = rank X: shape:0 = arccos(sum rho / sqrt(rank X rank Y)), bracketed from the certified
  CCA sum (:func:`symrep.measures.cca.cca_bracket`) and :func:`~symrep.measures.procrustes.arccos_bracket`.
  With equal ranks and one span inside the other it is exactly 0.
* 0 < alpha < 1 is **not** certified: X_alpha = alpha X + (1 - alpha) X (XᵀX)^(-1/2) needs the
  symmetric inverse square root itself (not a whitening up to a rotation, which is all the CCA
  certificate uses), and a rational approximation R of it whose error is bounded exactly needs
  perturbation bounds for the matrix square root (R S R = I + E alone does not bound |R - S^(-1/2)|
  unless R commutes with S, which rounding destroys).  ``shape:ALPHA`` refuses such alpha.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from symrep.errors import InputError
from symrep.measures import fastcca
from symrep.measures.cca import cca_bracket, gram_rank, second_order_sum
from symrep.measures.procrustes import DEFAULT_WIDTH, angular_procrustes, arccos_bracket, pair, tidy
from symrep.measures.values import Measure, MeasureValue, register, sqrt_bracket

__all__ = ["shape"]


def _alpha(arg: str | None) -> Fraction:
    try:
        alpha = Fraction(arg or "")
    except (ValueError, ZeroDivisionError):
        raise InputError(f"shape:{arg}: alpha must be a number in [0, 1], as in shape:0 or shape:1") from None
    if alpha not in (0, 1):
        raise InputError(f"shape:{arg}: only alpha = 0 (full whitening) and alpha = 1 (no whitening) are certified; "
                         "partial whitening needs the exact inverse square root of XᵀX (see docs/measures.md)")
    return alpha


def shape(a: Any, b: Any, *, width: Fraction = DEFAULT_WIDTH, arg: str | None = None) -> MeasureValue:
    """netrep's angular shape metric with alpha = 0 or 1 (``arg``), radians, certified.

    >>> shape([[1, 2, 4, 0]], [[3, 6, 12, 0]], arg="0").exact  # the same span
    Fraction(0, 1)
    >>> v = shape([[1, 0, 0, 0], [0, 1, 0, 0]], [[1, 0, 0, 0]], arg="0")  # cos = 1/sqrt(2): pi/4
    >>> v.lower <= Fraction(7853981633974483, 10**16) <= v.upper
    True
    """
    width = Fraction(width)
    if _alpha(arg) == 1:
        v = angular_procrustes(a, b, width=width)
        return MeasureValue(f"shape:{arg}", v.lower, v.upper, exact=v.exact)
    name = f"shape:{arg}"
    fast = _fast_shape0(a, b, width, name)
    if fast is not None:
        return fast
    cb = cca_bracket(a, b, width / 64)
    rx, ry = _ranks(a, b)
    p = Fraction(rx * ry)
    if cb.exact is not None and cb.exact * cb.exact == p:
        return MeasureValue(name, Fraction(0), Fraction(0), exact=Fraction(0))
    lo_s, hi_s = (cb.exact, cb.exact) if cb.exact is not None else (cb.lower, cb.upper)
    r_lo, r_hi = sqrt_bracket(p, width / (1 << 20))
    c_lo, c_hi = min(Fraction(1), lo_s / r_hi), min(Fraction(1), hi_s / (r_lo or r_hi))
    sin = math.sqrt(max(0.0, 1.0 - float(c_hi) ** 2))
    if c_hi - c_lo > width * Fraction(max(sin, 2.0**-60)) / 4 and cb.exact is None:
        cb = cca_bracket(a, b, width * Fraction(max(sin, 2.0**-60)) / 256)
        c_lo, c_hi = min(Fraction(1), cb.lower / r_hi), min(Fraction(1), cb.upper / (r_lo or r_hi))
    lo, hi = arccos_bracket(c_lo, c_hi, width / 4)
    if hi - lo > width * max(Fraction(1), hi):
        raise InputError(f"{name}: the certified bracket [{float(lo)!r}, {float(hi)!r}] is wider than {float(width)!r}")
    return tidy(name, lo, hi, width)


def _fast_shape0(a: Any, b: Any, width: Fraction, name: str) -> MeasureValue | None:
    """shape:0 from the second-order CCA sum (full ranks proved there), or None: the exact path decides."""
    got = fastcca.cca_sum(a, b)
    if got is not None:
        v = _shape0_from_sum(got[1], got[2], len(a), len(b), width, name)
        if v is not None:
            return v
    got = second_order_sum(a, b)
    if got is None:
        return None
    return _shape0_from_sum(got[1], got[2], len(a), len(b), width, name)


def _shape0_from_sum(lo_s: Fraction, hi_s: Fraction, nx: int, ny: int, width: Fraction, name: str) -> MeasureValue | None:
    """arccos(sum / sqrt(nx ny)) bracketed from a certified bracket of the sum (full ranks proved), or None if too wide."""
    p = Fraction(nx * ny)
    r_lo, r_hi = sqrt_bracket(p, width / (1 << 20))
    c_lo, c_hi = min(Fraction(1), lo_s / r_hi), min(Fraction(1), hi_s / r_lo)
    if c_hi >= 1:
        return None
    lo, hi = arccos_bracket(c_lo, c_hi, width / 32)
    return tidy(name, lo, hi, width) if hi - lo <= width * 7 / 8 * max(Fraction(1), hi) else None


def _ranks(a: Any, b: Any) -> tuple[int, int]:
    """Both exact ranks of the centred sides."""
    A, B = pair(a, b)
    return gram_rank(A.gram(A)), gram_rank(B.gram(B))


register(Measure("shape", "netrep's angular shape metric (Williams et al. 2021) with partial whitening alpha, shape:ALPHA; "
                 "certified for alpha = 0 (arccos(sum rho / sqrt(rank X rank Y))) and alpha = 1 (angular Procrustes)",
                 distance=True, evaluate=shape, takes_arg=True, in_relations=False))
