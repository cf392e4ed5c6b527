"""Rigorous float64 filters for the certified eps-match: a float evaluation with a proved error bound decides, or declines.

Design note
-----------
:mod:`symrep.measures.certified` tests a neuron ``z`` against the other side's rows
``y_i`` (integer rows) with dyadic coefficients ``c`` (exact floats) by the sign of
exact integer expressions in the Grams.  This module evaluates those expressions in
float64 from *float* Grams and bounds the error rigorously; a test is decided only
when the bound excludes the threshold, and otherwise handed back (the caller then
evaluates it exactly).  So floats still decide nothing on their own: every verdict
is an inequality between exactly known numbers, proved by the bounds below.

*Inputs.*  ``G`` is the exact Gram of the integer rows, ``n_i = G_ii``; the caller
supplies a float Gram ``F`` with ``|F_ij - G_ij| <= delta sqrt(n_i n_j)`` for every
``i, j`` (cross products ``b_i = y_i . z`` likewise, with ``zeta = |z|^2``).  A float
product of exactly represented integer rows of length ``d`` gives this with
``delta = gamma_d = d u / (1 - d u)``, ``u = 2**-53`` (Higham, *Accuracy and Stability
of Numerical Algorithms*, 3.1, any summation order; then Cauchy-Schwarz); a
correctly rounded exact Gram gives ``delta = u``.  In particular
``n_i <= F_ii / (1 - delta)``.  ``gamma_n`` below is for the inner length ``n`` of
the float products made here, ``n`` the number of basis rows.

*Residual* (:func:`residual_tests`).  ``R = zeta - 2 c.b + c^T G c = |z - sum c_i y_i|^2``.
With ``s = sum |c_i| sqrt(n_i)``: replacing ``zeta, b, G`` by their floats moves ``R``
by at most ``delta zeta + 2 delta sqrt(zeta) s + delta s^2 = delta (sqrt(zeta) + s)^2``
(each ``|c_i c_j| sqrt(n_i n_j)`` sums to ``s^2``).  Evaluating ``P = C F`` by GEMM and
``c.P``, ``c.b`` by dot products costs at most ``gamma_n (1 + delta)`` times
``s^2`` twice and ``sqrt(zeta) s`` once (``|F_ij| <= (1 + delta) sqrt(n_i n_j)``), and
the two final additions ``2u (1 + delta)(1 + gamma_n)^2 (sqrt(zeta) + s)^2``.  In all

    |R_float - R| <= D = (delta + 2 gamma_n + 2u) * 1.01 * (sqrt(zeta) + s)^2

(``1.01`` covers the products of small terms for ``delta, gamma_n < 10**-3``; it is
applied to upper bounds of ``sqrt(zeta)`` and ``s`` computed with their own rounding
inflated away).  *Inside* is proved when ``R_float + D < eps^2 zeta`` with every
rounding of the comparison pushed the safe way.

*Outside.*  With ``e = b - G c`` and weights ``w_k = 4**f_k`` of a certified
``mu <= lambda_min(H)``, ``H = (2**(f_k + f_l) G_kl)`` (:class:`GramBound`), the removal
is proved when ``R - sum w_k e_k^2 / mu > eps^2 zeta`` (:mod:`certified`'s design note).
The float ``e'_k = b'_k - P_k`` is off by at most
``eta_k = sqrt(n_k) (delta + gamma_n + 2u) * 1.02 * (sqrt(zeta) + s) + 3u |e'_k|``
(the same three sources, and the rounding of the subtraction), so
``sum w_k e_k^2 <= sum w_k (|e'_k| + eta_k)^2``, a sum of non-negative terms whose
float value is inflated by ``1 + 2 (n + 4) u``.

*Gram margin* (:func:`margin_lower_bound`).  For a dyadic lower-triangular ``L`` (exact
floats) and ``H' = (2**(f_k + f_l) F_kl)`` (exact scaling, so ``|H'_kl - H_kl| <=
delta sqrt(h_k h_l)`` with ``h_k = H_kk``), ``M' = fl(H' - fl(L L^T))`` is off from
``M = H - L L^T`` by at most ``delta sqrt(h_k h_l) + gamma_n l_k l_l + 2u |M'_kl|``
(``l_k = |L_k|``, Cauchy-Schwarz on the rows of ``L``).  Summing over ``l``,
``M_kk - sum_{l != k} |M_kl| >= M'_kk - sum_{l != k} |M'_kl| - err_k``; the smallest
right side, computed with its roundings inflated away, is a lower bound on the
margin of diagonal dominance, hence on ``lambda_min(H)`` (Gershgorin, as in
:mod:`certified`).

*Slack.*  Every comparison ``a > b`` of float values is made as
``a - b > 8u (|a| + |b|)``: each of the few operations forming ``a`` and ``b`` errs
by at most ``u`` times a magnitude bounded by ``|a| + |b|``.  A non-finite value
decides nothing.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["float_down", "float_up", "gamma_float", "margin_lower_bound", "residual_tests"]

U = 2.0**-53


def gamma_float(n: int) -> float:
    """An upper bound on ``n u / (1 - n u)`` (``n u < 1/2``), as a float.

    >>> gamma_float(10_000) > 10_000 * 2.0**-53
    True
    """
    return n * U / (1 - n * U) * (1 + 4 * U) + 2.0**-1074


def float_down(q: Fraction) -> float:
    """A float ``<= q`` (``float`` rounds to nearest, one step down is below)."""
    return float(np.nextafter(float(q), -np.inf))


def float_up(q: Fraction) -> float:
    """A float ``>= q``."""
    return float(np.nextafter(float(q), np.inf))


def _safely_greater(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a > b`` proved despite the roundings that formed them (the design note's slack); False where not finite."""
    with np.errstate(invalid="ignore", over="ignore"):
        ok = (a - b) > 8 * U * (np.abs(a) + np.abs(b))
    return ok & np.isfinite(a) & np.isfinite(b)


def residual_tests(Cf: np.ndarray, Fg: np.ndarray, Fb: np.ndarray, zeta: np.ndarray, delta: float, eps2: Fraction,
                   weights: np.ndarray | None = None, mu: Fraction | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which rows are proved inside (``R <= eps^2 zeta``) and which outside, by the design note's bounds.

    ``Cf``: coefficients (targets x basis, exact floats); ``Fg``: float Gram of the basis rows;
    ``Fb``: float cross products (targets x basis); ``zeta``: float squared norms of the targets;
    ``weights`` (``4**f_k``) and ``mu``: a certified eigenvalue bound, or None (no outside test).

    >>> Fg = np.array([[1.0]]); Fb = np.array([[1.0], [0.0]]); z = np.array([1.0, 1.0]); C = np.array([[1.0], [0.0]])
    >>> inside, outside = residual_tests(C, Fg, Fb, z, 2.0**-53, Fraction(1, 4), np.ones(1), Fraction(1, 2))
    >>> inside.tolist(), outside.tolist()
    ([True, False], [False, True])
    """
    t, n = Cf.shape
    g = gamma_float(max(n, 1))
    grow = 1 + 2 * (n + 4) * U  # inflates a float sum of n non-negative terms (and a few products) to an upper bound
    with np.errstate(over="ignore", invalid="ignore"):
        sqrt_n = np.sqrt(np.diagonal(Fg) / (1 - delta)) * (1 + 4 * U)
        s = (np.abs(Cf) @ sqrt_n) * grow
        sz = np.sqrt(zeta / (1 - delta)) * (1 + 4 * U)
        P = Cf @ Fg
        R = zeta - 2 * np.einsum("ij,ij->i", Cf, Fb) + np.einsum("ij,ij->i", Cf, P)
        D = (delta + 2 * g + 2 * U) * 1.02 * (sz + s) ** 2
        z_lo = zeta / (1 + delta) * (1 - 4 * U)
        inside = _safely_greater(float_down(eps2) * z_lo, R + D)
        if weights is None or mu is None or not mu > 0:
            return inside, np.zeros(t, dtype=bool)
        E = Fb - P
        eta = sqrt_n[None, :] * ((delta + g + 2 * U) * 1.02 * (sz + s))[:, None] + 3 * U * np.abs(E)
        Q = (((np.abs(E) + eta) ** 2) @ weights) * grow
        mu_lo = float_down(mu)
        if not mu_lo > 0:
            return inside, np.zeros(t, dtype=bool)
        bound = Q / mu_lo * (1 + 4 * U)
        z_hi = zeta / (1 - delta) * (1 + 4 * U)
        outside = _safely_greater(R - D - bound, float_up(eps2) * z_hi)
    return inside, outside & ~inside


def margin_lower_bound(Hf: np.ndarray, Lf: np.ndarray, delta: float) -> float:
    """A lower bound on ``min_k (M_kk - sum_{l != k} |M_kl|)``, ``M = H - L L^T`` (design note); may be <= 0.

    ``Hf``: the float scaled Gram ``H'`` (``|H'_kl - H_kl| <= delta sqrt(H_kk H_ll)``), ``Lf``: exact floats.

    >>> H = np.array([[4.0, 1.0], [1.0, 4.0]]); L = np.zeros((2, 2))
    >>> 2.9 < margin_lower_bound(H, L, 2.0**-53) <= 3.0
    True
    """
    n = len(Hf)
    if not n:
        return 0.0
    g = gamma_float(n)
    grow = 1 + 2 * (n + 4) * U
    with np.errstate(over="ignore", invalid="ignore"):
        M = Hf - Lf @ Lf.T
        A = np.abs(M)
        diag = np.diagonal(M).copy()
        np.fill_diagonal(A, 0.0)
        rowabs = A.sum(axis=1) * grow
        sh = np.sqrt(np.diagonal(Hf) / (1 - delta)) * (1 + 4 * U)
        ell = np.sqrt(np.einsum("ij,ij->i", Lf, Lf) * grow) * (1 + 4 * U)
        err = (delta + g + 2 * U) * 1.02 * (sh * (sh.sum() * grow) + ell * (ell.sum() * grow)) \
            + 2 * U * (rowabs + np.abs(diag)) * 1.02
        lo = diag - rowabs - err
        lo = lo - 4 * U * (np.abs(diag) + rowabs + err)
        m = float(lo.min())
    return m if np.isfinite(m) else 0.0
