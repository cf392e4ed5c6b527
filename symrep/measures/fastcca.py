"""CCA, SVCCA and shape:0 brackets from certified float Grams: float64 products with proved error bounds.

Design note
-----------
The exact path of :mod:`symrep.measures.cca` forms the integer Grams of the centred layers and
multiplies rational whitenings into them exactly (Python integers: the bulk of its time at 512
neurons).  This module serves the *measure values* (``Measure.evaluate``, ``symrep compare``);
claim files keep the exact path and its witnesses, which the checker re-derives (no witness
changes here).  Here every matrix is float64 and every step carries a proved bound; a bracket that the
bounds leave too wide (ill-conditioned data) is declined and the exact path decides.  Nothing is
a tolerance: each bound below is an inequality on exactly known floats.

*Grams* (:func:`_grams`, held as two floats).  Per row, ``D = fl(A - mu)`` with its exact TwoSum error E
(``A - mu 1ᵀ = D + E``; centring Z = D + E with any mu gives the same centred layer), and with
``|D| < 2**e`` two exact slices ``H1`` (grid ``2**(e - b)``) and ``H2`` (grid ``2**(e - 2b)``), ``2d 2**(2b) <= 2**53``,
so every partial sum of ``H1 H1ᵀ``, ``H1 H2ᵀ``, ``H2 H1ᵀ`` is an integer multiple of its unit below
``2**53`` of them: BLAS computes them exactly, in any order and blocking.  ``R = fl(D - H1 - H2 + E)``
(``u |R|`` from R_e), ``F = fl(H2 + R)``.  Then, exactly,

    Z_x Z_yᵀ = H1x H1yᵀ + H1x H2yᵀ + H2x H1yᵀ + H1x R_eyᵀ + R_ex H1yᵀ + F_ex F_eyᵀ

(for one side ``Z Zᵀ = P + X + Xᵀ + Y + Yᵀ``, ``Y = H1 R_eᵀ + F_e F_eᵀ / 2``); the float products of the
small parts (about ``2**-2b`` of the whole) are within ``gamma_d`` of their row norms (Higham 3.5 and
Cauchy-Schwarz) plus the representation errors of R and F, and each float addition within u of its
result.  The centring ``- s sᵀ / d`` (row sums s of Z, within ``gamma_d sqrt(d) |d_i| + sqrt(d) |e_i|``)
is added to the float part.  So the Gram is ``P + T`` (P the exact high product) within a proved
``delta`` in Frobenius norm, about ``2**-2b gamma_d`` relative: far below one rounding of a float Gram.

*Products* (:func:`dprod`).  X (per row) and Y (per column) are cut into four slices of b bits,
``4k 2**(2b) <= 2**53``; the anti-diagonals ``S_t = sum_(i+j=t) X_i Y_j`` (t = 2..5) are exact GEMMs; the
dropped products and remainders are at most ``8k 2**(-4b) 2**(e_x + e_y)`` per entry; ``hi = fl(S2 + S3)``
with its exact TwoSum error carried into ``lo``.  ``G W`` for a held Gram is ``dprod(P, W) + fl(T W)``
(``gamma_n |T| |W|``), and ``Wᵀ (hi + lo)`` is ``dprod(Wᵀ, hi) + fl(Wᵀ lo)``: every residual below is known
to about u of *itself*.  ``||W||_2 <= sqrt(||W||_1 ||W||_inf)``; ``|Z W|_F <= ||Z||_2 |W|_F``.  Below,
``Fx = Px + Tx``, ``Fy``, ``Fm`` are the held Grams and ``dx, dy, dm`` their deltas.

*Whitening* (a side with n neurons, W an n x k float matrix, k <= n).  ``P' = G W`` (two floats) within
``e_P``; ``E' = fl(Wᵀ P' - I)`` within ``e_E``.  The true ``E = Wᵀ Gx W - I`` then satisfies
``|E - E'|_F <= eta = |e_E|_F + ||W||_2 (|e_P|_F + dx ||W||_2)``, and ``e = |E'|_F + eta >= |E|_F``.
``e < 1`` proves ``Wᵀ Gx W`` positive definite: for k = n the side has full rank n.

*CCA* (k = n both sides, W = V Lambda^(-1/2) from the float eigen-decomposition of Fx).  With
``K = (I + E)^(-1/2)``, ``X W K`` is an orthonormal basis of col X, so the canonical correlations
are the singular values of ``Kx C Ky``, ``C = Wxᵀ Gxy Wy``.  ``C' = fl(Wxᵀ fl(Fm Wy))`` is within
``dC = |e_2|_F + ||Wx||_2 |e_1|_F + ||Wx||_2 ||Wy||_2 dm`` of C.  As in
:func:`symrep.measures.cca.second_order_sum`, ``K = I - E/2 + R``, ``||R||_2 <= q = (3/8) e² (1 - e)^(-3)``,
so the sum of the correlations is ``||C2||_*`` for ``C2 = (I - Ex/2) C (I - Ey/2)`` within
``tau ||C||_*``, ``tau = qx / (1 - ey) + (1 + ex/2) qy``, ``||C||_* <= ||C2||_* / ((1 - ex/2)(1 - ey/2))``.
The float ``C2' = fl(fl(fl(C' - T1/2) - T2/2) + T3/4)``, ``T1 = fl(Ex' C')``, ``T2 = fl(C' Ey')``,
``T3 = fl(T1 Ey')``, is within

    Delta = (1 + ex/2)(1 + ey/2) dC + |C'|_F ((1 + ey/2) eta_x + (1 + ex/2) eta_y) / 2
            + | gamma_n (|Ex'||C'| + |C'||Ey'|) / 2 + gamma_n |T1||Ey'| / 4 + u (|P1| + |P2| + |C2'|) |_F
            + |gamma_n |Ex'||C'||_F |Ey'|_F / 4

of C2 (the first two lines: C and E replaced by their floats; the rest: the float evaluation), and
:func:`~symrep.measures.fastgram.nuclear_float` brackets ``||C2||_*`` from C2' and Delta.

*Eigenvalue enclosures* (for SVCCA's gap).  With the full float eigenvectors V (n x n) and values
Lambda (descending) of Fx, ``N = Vᵀ Fx V - Lambda`` and ``O = Vᵀ V - I`` are bounded in Frobenius
norm by ``r`` and ``o < 1`` as above.  Weyl: ``lambda_i(Vᵀ Fx V)`` is within r of Lambda_i; Ostrowski:
``lambda_i(Vᵀ Fx V) = theta_i lambda_i(Fx)`` with ``theta_i`` in ``[1 - o, 1 + o]``; Weyl again:
``lambda_i(Gx)`` within dx of ``lambda_i(Fx)``.  So ``lambda_i(Gx) <= max(0, (Lambda_i + r)/(1 - o)) + dx``
and, when ``Lambda_i > r``, ``lambda_i(Gx) >= (Lambda_i - r)/(1 + o) - dx``.

*SVCCA:k.*  The top-k span T of a side is well defined when ``lambda_k > lambda_(k+1)``: proved by
the enclosures (lower bound of lambda_k above b, b the upper bound of lambda_(k+1)).  The proxy
T' = col(X W), W = V_k Lambda_k^(-1/2) (n x k), is compared with T by the Davis-Kahan argument of
:mod:`symrep.measures.cca`: with D = Lambda_k (exact floats), the residual ``R = Gx W - W D`` and
``min D > b``, ``|sin Theta(T, T')|_F <= s = sqrt(sum_j b |R_j|² / (D_j - b)²) / sqrt(1 - e)`` (per column:
``lambda / (D_j - lambda)²`` increases on [0, D_j), and ``lambda_i <= b`` for i > k), with the column norms of
``R`` bounded from its float evaluation and ``dx ||W||_2 / (min D - b)`` added for ``G - (P + T)``.  The k
correlations of T'_x, T'_y are bracketed as for CCA (k x k whitened cross Gram); the cosines are the
non-zero singular values of ``P_Tx P_Ty`` (rank <= k), so by Mirsky and Cauchy-Schwarz their sum moves by
at most ``sqrt(k) |P_Tx P_Ty - P_T'x P_T'y|_F <= sqrt(k) (|P_Tx - P_T'x|_F + ...) = sqrt(2k) (s_x + s_y)``.

Exact values (all correlations 0 or 1) are never reached by a bracket: such pairs are declined
(the bracket touches 0 or m) and the exact path proves them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from symrep.measures import fastgram
from symrep.measures.fastgram import fro_up, gamma, nuclear_float, root_up

__all__ = ["SideWhitening", "cca_sum", "svcca_sum", "whiten", "eigen_enclosure"]

U = 2.0**-53
_SAFE = 1.001  # as in fastgram: inflates a float sum of fewer than 2**40 non-negative terms to an upper bound
_TINY = 2.0**-900  # below this an entry's products may underflow: decline


def _norm2_up(W: np.ndarray) -> Fraction:
    """An upper bound on ||W||_2: sqrt(||W||_1 ||W||_inf), the float sums inflated."""
    A = np.abs(W)
    n1 = float(A.sum(axis=0).max()) * _SAFE
    ninf = float(A.sum(axis=1).max()) * _SAFE
    return root_up(Fraction(n1) * Fraction(ninf))


def _fro(M: np.ndarray) -> Fraction:
    """An upper bound on |M|_F for a float matrix (absolute values taken)."""
    return fro_up(np.abs(M))


def _sane(*Ms: np.ndarray) -> bool:
    """Finite, no entry so small (but non-zero) that a product of it may underflow, none huge."""
    for M in Ms:
        if not np.isfinite(M).all():
            return False
        a = np.abs(M)
        nz = a[a != 0]
        if nz.size and (float(nz.min()) < _TINY or float(nz.max()) > 2.0**400):
            return False
    return True


@dataclass(frozen=True, eq=False)
class SideWhitening:
    """W (float, n x k) with ``|Wᵀ G W - I - E'|_F <= eta``; ``e >= |Wᵀ G W - I|_F``; ``wn >= ||W||_2``; ``P' ~ G W``."""

    W: np.ndarray
    E: np.ndarray
    eta: Fraction
    e: Fraction
    wn: Fraction
    P: np.ndarray  # G W ~ P + Plo within eP entrywise
    Plo: np.ndarray
    eP: np.ndarray


def whiten(g: DGram, W: np.ndarray) -> Optional[SideWhitening]:
    """The certified check of a proposed whitening W of the Gram behind g (design note), or None out of range."""
    if not _sane(g.P, g.T, W):
        return None
    got = _times(g, W)
    if got is None:
        return None
    hi, lo, eP = got
    got2 = _bilinear(W.T, hi, lo, np.eye(W.shape[1]))  # Wᵀ GW - I
    if got2 is None:
        return None
    E, eE = got2
    wn = _norm2_up(W)
    eta = _fro(eE) + wn * (_fro(eP) + g.delta * wn)
    return SideWhitening(W, E, eta, _fro(E) + eta, wn, hi, lo, eP)


def _cross(gm: DGram, wx: SideWhitening, wy: SideWhitening) -> Optional[tuple[np.ndarray, Fraction]]:
    """``(C', dC)``: C' float with ``|Wxᵀ Gxy Wy - C'|_F <= dC``."""
    if not _sane(gm.P, gm.T):
        return None
    got = _times(gm, wy.W)  # Gxy Wy
    if got is None:
        return None
    hi, lo, e1 = got
    got2 = _bilinear(wx.W.T, hi, lo, None)
    if got2 is None:
        return None
    C, e2 = got2
    return C, _fro(e2) + wx.wn * _fro(e1) + wx.wn * wy.wn * gm.delta


def _second_order(C: np.ndarray, dC: Fraction, wx: SideWhitening, wy: SideWhitening) -> Optional[tuple[Fraction, Fraction]]:
    """``lo <= ||Kx C Ky||_* <= hi`` (the sum of the canonical correlations of the whitened bases), design note."""
    ex, ey = wx.e, wy.e
    if max(ex, ey) >= Fraction(1, 4) or not _sane(C, wx.E, wy.E):
        return None
    Ex, Ey = wx.E, wy.E
    g = gamma(max(C.shape + Ex.shape + Ey.shape))
    T1 = Ex @ C
    T2 = C @ Ey
    T3 = T1 @ Ey
    P1 = C - T1 / 2
    P2 = P1 - T2 / 2
    C2 = P2 + T3 / 4
    aEx, aC, aEy = np.abs(Ex), np.abs(C), np.abs(Ey)
    e1 = g * (aEx @ aC) * _SAFE
    err = (e1 / 2 + g * (aC @ aEy) * _SAFE / 2 + g * (np.abs(T1) @ aEy) * _SAFE / 4
           + U * (np.abs(P1) + np.abs(P2) + np.abs(C2)) + 2.0**-1000 * len(Ex))  # the last term: underflow
    cF = _fro(C)
    delta = ((1 + ex / 2) * (1 + ey / 2) * dC + cF * ((1 + ey / 2) * wx.eta + (1 + ex / 2) * wy.eta) / 2
             + fro_up(err * _SAFE) + fro_up(e1) * _fro(Ey) / 4)
    nb = nuclear_float(C2, delta)
    if nb is None:
        return None
    q = [Fraction(3, 8) * e * e / (1 - e) ** 3 for e in (ex, ey)]
    tau = q[0] / (1 - ey) + (1 + ex / 2) * q[1]
    c_norm = nb.upper / ((1 - ex / 2) * (1 - ey / 2))
    lo, hi = max(Fraction(0), nb.lower - tau * c_norm), nb.upper + tau * c_norm
    return lo, max(lo, hi)


@dataclass(frozen=True, eq=False)
class DGram:
    """A Gram held as two floats: ``|G - (P + T)|_F <= delta`` (P its exact slice product, T the rest); M = fl(P + T)."""

    P: np.ndarray
    T: np.ndarray
    delta: Fraction
    M: np.ndarray


def _slices(M: np.ndarray, bits: int, axis: int, count: int) -> Optional[tuple[list[np.ndarray], np.ndarray]]:
    """``count`` slices of M of ``bits`` bits each (per row for axis=1, per column for axis=0), and 2**e >= |M| there."""
    top = np.abs(M).max(axis=axis) if M.size else np.zeros(M.shape[1 - axis])
    e = np.frexp(np.where(top > 0, top, 1.0))[1].astype(np.int64)
    if e.size and (e.max() > 300 or e.min() < -300):
        return None
    out, rest = [], M
    for t in range(1, count + 1):
        c = np.ldexp(1.5, e - t * bits + 52)
        c = c[:, None] if axis == 1 else c[None, :]
        h = rest + c
        h -= c
        out.append(h)
        rest = rest - h
    return out, e


def dprod(X: np.ndarray, Y: np.ndarray) -> Optional[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(hi, lo, err)`` with ``|X Y - (hi + lo)| <= err`` entrywise (double-float product), or None out of range.

    Four slices of b bits per row of X and per column of Y, ``4k 2**(2b) <= 2**53``: each anti-diagonal
    ``S_t = sum_(i+j=t) X_i Y_j`` (t = 2..5) is one exact GEMM; the dropped products and the remainders are at most
    ``8 k 2**(-4b) 2**(e_x + e_y)`` per entry; ``hi = fl(S2 + S3)`` with its exact TwoSum error, and
    ``lo = fl(fl(err + S4) + S5)`` within ``2u (|err| + |S4| + |S5|)``.
    """
    k = X.shape[1]
    bits = (53 - math.ceil(math.log2(4 * k + 1))) // 2
    gx, gy = _slices(X, bits, 1, 4), _slices(Y, bits, 0, 4)
    if gx is None or gy is None:
        return None
    (xs, ex), (ys, ey) = gx, gy
    S = [xs[0] @ ys[0]]
    for t in range(1, 4):  # anti-diagonals 3, 4, 5
        S.append(np.hstack(xs[: t + 1]) @ np.vstack(ys[t::-1]))
    hi = S[0] + S[1]
    z = hi - S[0]
    e1 = (S[0] - (hi - z)) + (S[1] - z)  # TwoSum: exact
    lo = e1 + S[2]
    lo += S[3]
    tail = 8 * k * 2.0 ** (-4 * bits) * np.outer(np.ldexp(1.0, ex), np.ldexp(1.0, ey))
    err = tail + 2 * U * (np.abs(e1) + np.abs(S[2]) + np.abs(S[3])) + 2.0**-1000 * k
    return hi, lo, err * _SAFE


def _times(g: DGram, W: np.ndarray) -> Optional[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(hi, lo, err)``: ``|(P + T) W - (hi + lo)| <= err`` entrywise (P W double-float, T W a float GEMM)."""
    got = dprod(g.P, W)
    if got is None:
        return None
    hi, lo, err = got
    Q = g.T @ W
    lo2 = lo + Q
    err = err + (gamma(W.shape[0]) * (np.abs(g.T) @ np.abs(W)) + 2.0**-1000 * W.shape[0]) * _SAFE + U * np.abs(lo2)
    return hi, lo2, err * _SAFE


def _bilinear(Wt: np.ndarray, hi: np.ndarray, lo: np.ndarray, C: Optional[np.ndarray]) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """``(R, err)``: float R with ``|Wt (hi + lo) - C - R| <= err`` entrywise (C = 0 when None)."""
    got = dprod(Wt, hi)
    if got is None:
        return None
    h, l, e = got
    Z = Wt @ lo
    eZ = (gamma(Wt.shape[1]) * (np.abs(Wt) @ np.abs(lo)) + 2.0**-1000 * Wt.shape[1]) * _SAFE
    R1 = h if C is None else h - C
    R2 = l + Z
    R = R1 + R2
    err = e + eZ + U * (np.abs(R1) + np.abs(R2) + np.abs(R))
    return R, err * _SAFE


#: Columns (data points) per block of the Gram products: small blocks are reused from the heap (a fresh
#: 40 MB array costs more in page faults than its arithmetic), and every bound below holds for any order
#: of summation, blocked included.
_BLOCK = 1024


@dataclass(frozen=True, eq=False)
class _Side:
    """Row data of a layer ``Z = A - mu 1ᵀ = H1 + F_e``, ``F_e = H2 + R_e`` (exactly; the Grams' design note).

    H1, H2 are exact slices of ``bits`` bits on the grids ``2**(e - bits)``, ``2**(e - 2 bits)`` (``|D| < 2**e``
    per row, D = fl(A - mu), Z = D + E with E the exact TwoSum error), ``R = fl(D - H1 - H2 + E)`` within
    ``u |R|`` of R_e, ``F = fl(H2 + R)`` within ``u (|F| + |R|)`` of F_e.  Upper bounds of the row norms,
    and the row sums ``s`` of Z within ``se``.
    """

    s: np.ndarray
    se: np.ndarray
    nD: np.ndarray
    nH1: np.ndarray
    nH2: np.ndarray
    nR: np.ndarray
    nF: np.ndarray


def _bits(d: int) -> int:
    """Slice width: ``2d 2**(2 bits) <= 2**53``, so every partial sum of two slice products of length d is exact."""
    return (53 - math.ceil(math.log2(2 * d + 1))) // 2


def _prepare(a: np.ndarray) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """``(mu, c)``: the float row means and the rounding constants of the two slices, or None out of range.

    ``fl(a - mu)`` is monotone in a, so ``max |D|`` per row is ``max(fl(max a - mu), fl(mu - min a))``.
    """
    mu = a.mean(axis=1, keepdims=True, dtype=np.float64)
    top = np.maximum(np.subtract(a.max(axis=1, keepdims=True), mu, dtype=np.float64),
                     np.subtract(mu, a.min(axis=1, keepdims=True), dtype=np.float64))[:, 0]
    e = np.frexp(np.where(top > 0, top, 1.0))[1].astype(np.int64)  # |D| < 2**e per row
    if e.max() > 400 or e.min() < -400:
        return None
    bits = _bits(a.shape[1])
    c = np.stack([np.ldexp(1.5, e - bits + 52), np.ldexp(1.5, e - 2 * bits + 52)])
    return mu, c


def _pieces(a: np.ndarray, mu: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, ...]:
    """``(D, E, H1, H2, R, F)`` of a block of columns (the :class:`_Side` relations, exactly)."""
    D = np.subtract(a, mu, dtype=np.float64)
    z = np.subtract(D, a, dtype=np.float64)  # TwoSum(a, -mu): a - mu = D + E exactly
    E = np.subtract(a, D - z, dtype=np.float64)
    E -= z + mu
    c1, c2 = c[0][:, None], c[1][:, None]
    H1 = D + c1
    H1 -= c1  # D rounded to the grid 2**(e - bits)
    R = D - H1  # exact
    H2 = R + c2
    H2 -= c2  # rounded to the grid 2**(e - 2 bits)
    R -= H2  # exact
    R += E  # rounded
    F = H2 + R
    return D, E, H1, H2, R, F


def _sq(M: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", M, M)


def _side(sq: list[np.ndarray], s: np.ndarray, d: int) -> _Side:
    """Row-norm bounds from the accumulated sums of squares of D, E, H1, H2, R, F (float sums of d terms)."""
    nD, nE, nH1, nH2, nR, nF = (np.sqrt(q * (1 + gamma(d)) * _SAFE) * _SAFE for q in sq)
    # |fl(sum D) - sum D| <= gamma_d sqrt(d) |d_i|; |sum E| <= sqrt(d) |e_i| (E is not summed)
    se = (gamma(d) * math.sqrt(d) * nD + math.sqrt(d) * nE + U * np.abs(s)) * _SAFE * _SAFE
    return _Side(s, se, nD, nH1, nH2, nR, nF)


def _centring(P: np.ndarray, T: np.ndarray, err: np.ndarray, x: _Side, y: _Side, d: int) -> DGram:
    """``Z_x Z_yᵀ - s_x s_yᵀ / d`` (the Gram of the centred layers) as P + fl(T - corr), Z_x Z_yᵀ within err of P + T."""
    corr = np.outer(x.s, y.s) / d
    G = T - corr
    err = err + U * (np.abs(G) + 2 * np.abs(corr)) + (np.outer(x.se, np.abs(y.s) + y.se)
                                                       + np.outer(np.abs(x.s), y.se)) / d * 1.01
    return DGram(P, G, fro_up(err * _SAFE + 2.0**-1000 * d), P + G)  # the last term: underflow in the products


def _self_gram(P: np.ndarray, X: np.ndarray, Y1: np.ndarray, FF: np.ndarray, x: _Side, d: int) -> DGram:
    """Z Zᵀ = P + (X + Xᵀ) + (Y + Yᵀ): P = H1 H1ᵀ, X = H1 H2ᵀ (exact), Y = H1 R_eᵀ + F_e F_eᵀ / 2.

    Y1 = fl(H1 Rᵀ), FF = fl(F Fᵀ).
    """
    Y2 = FF / 2
    Y = Y1 + Y2
    g = gamma(d)
    eY = ((g + U) * np.outer(x.nH1, x.nR) + (g + 2.02 * U) * np.outer(x.nF + x.nR, x.nF + x.nR) * 1.02 / 2
          + U * np.abs(Y))
    S = X + Y
    err = U * np.abs(S) + eY
    S += S.T.copy()
    err = err + err.T + U * np.abs(S)
    return _centring(P, S, err, x, x, d)


def _cross_gram(P: np.ndarray, X1: np.ndarray, X2: np.ndarray, Y1: np.ndarray, Y2: np.ndarray, Y3: np.ndarray,
                x: _Side, y: _Side, d: int) -> DGram:
    """Z_x Z_yᵀ = H1x H1yᵀ + H1x H2yᵀ + H2x H1yᵀ (P, X1, X2: exact) + H1x R_eyᵀ + R_ex H1yᵀ + F_ex F_eyᵀ (Y1, Y2, Y3)."""
    S = X1 + X2  # both exact, the sum within u of itself
    err = U * np.abs(S)
    Y = Y1 + Y2
    Y += Y3
    g = gamma(d)
    err += ((g + U) * (np.outer(x.nH1, y.nR) + np.outer(x.nR, y.nH1))
            + (g + 2.02 * U) * np.outer(x.nF + x.nR, y.nF + y.nR) * 1.02 + 2 * U * (np.abs(Y1) + np.abs(Y2) + np.abs(Y3)))
    S += Y
    err += U * np.abs(S)
    return _centring(P, S, err, x, y, d)


def _compute_grams(a: np.ndarray, b: np.ndarray) -> Optional[dict[str, DGram]]:
    px, py = _prepare(a), _prepare(b)
    if px is None or py is None:
        return None
    n, m, d = len(a), len(b), a.shape[1]
    z = np.zeros
    acc = {k: z((n, n)) for k in ("Px", "Xx", "Y1x", "FFx")}
    acc.update({k: z((m, m)) for k in ("Py", "Xy", "Y1y", "FFy")})
    acc.update({k: z((n, m)) for k in ("P", "X1", "X2", "Y1", "Y2", "Y3")})
    sqx, sqy = [z(n) for _ in range(6)], [z(m) for _ in range(6)]
    sx, sy = z(n), z(m)
    for j in range(0, d, _BLOCK):
        Dx, Ex, H1x, H2x, Rx, Fx = px_ = _pieces(a[:, j:j + _BLOCK], *px)
        Dy, Ey, H1y, H2y, Ry, Fy = py_ = _pieces(b[:, j:j + _BLOCK], *py)
        for q, M in zip(sqx, px_):
            q += _sq(M)
        for q, M in zip(sqy, py_):
            q += _sq(M)
        sx += Dx.sum(axis=1)
        sy += Dy.sum(axis=1)
        for t, (H1, H2, R, F) in (("x", (H1x, H2x, Rx, Fx)), ("y", (H1y, H2y, Ry, Fy))):
            acc["P" + t] += H1 @ H1.T
            acc["X" + t] += H1 @ H2.T
            acc["Y1" + t] += H1 @ R.T
            acc["FF" + t] += F @ F.T
        acc["P"] += H1x @ H1y.T
        acc["X1"] += H1x @ H2y.T
        acc["X2"] += H2x @ H1y.T
        acc["Y1"] += H1x @ Ry.T
        acc["Y2"] += Rx @ H1y.T
        acc["Y3"] += Fx @ Fy.T
    x, y = _side(sqx, sx, d), _side(sqy, sy, d)
    return {"xx": _self_gram(acc["Px"], acc["Xx"], acc["Y1x"], acc["FFx"], x, d),
            "yy": _self_gram(acc["Py"], acc["Xy"], acc["Y1y"], acc["FFy"], y, d),
            "xy": _cross_gram(acc["P"], acc["X1"], acc["X2"], acc["Y1"], acc["Y2"], acc["Y3"], x, y, d)}


def _grams(a: Any, b: Any) -> Optional[dict[str, DGram]]:
    """The certified Grams ``xx, yy, xy`` of two float layers of fewer neurons than points (rows = neurons), or None.

    Cached in :data:`symrep.measures.fastgram._CACHE` (dropped with it when the data change).
    """
    if not all(isinstance(v, np.ndarray) and v.ndim == 2 and v.dtype.kind == "f" and v.size for v in (a, b)):
        return None
    if a.shape[1] != b.shape[1] or max(len(a), len(b)) >= a.shape[1] or a.dtype.itemsize > 8 or b.dtype.itemsize > 8:
        return None
    old = fastgram._CACHE.get("fastcca data")
    if old is not None and old[0].shape == a.shape and old[1].shape == b.shape and old[0].dtype == a.dtype \
            and old[1].dtype == b.dtype and np.array_equal(old[0], a) and np.array_equal(old[1], b):
        return old[2]
    for k in [k for k in fastgram._CACHE if isinstance(k, tuple) and str(k[0]).startswith("fastcca")]:
        del fastgram._CACHE[k]
    out: Optional[dict[str, DGram]] = None
    if np.isfinite(a).all() and np.isfinite(b).all():
        out = _compute_grams(a, b)
    fastgram._CACHE["fastcca data"] = (a.copy(), b.copy(), out)
    return out


def _eigh(g: DGram) -> tuple[np.ndarray, np.ndarray]:
    """Float eigenvalues (descending) and eigenvectors of the float Gram (cached with the Grams)."""
    key = ("fastcca eigh", id(g))
    got = fastgram._CACHE.get(key)
    if got is None or got[0] is not g:
        lam, V = np.linalg.eigh(g.M)
        got = (g, lam[::-1].copy(), np.ascontiguousarray(V[:, ::-1]))
        fastgram._CACHE[key] = got
    return got[1], got[2]


def _full_whitening(g: DGram) -> Optional[SideWhitening]:
    key = ("fastcca white", id(g))
    got = fastgram._CACHE.get(key)
    if got is not None and got[0] is g:
        return got[1]
    lam, V = _eigh(g)
    w = None if not lam[-1] > 0 else whiten(g, V / np.sqrt(lam)[None, :])
    fastgram._CACHE[key] = (g, w)
    return w


def cca_sum(a: Any, b: Any) -> Optional[tuple[int, Fraction, Fraction]]:
    """``(m, lo, hi)`` with ``lo <= rho_1 + ... + rho_m <= hi`` (both sides proved of full rank), or None.

    Float layers (rows = neurons) with fewer neurons than points only; None when the bounds do not
    apply (then the exact path of :mod:`symrep.measures.cca` decides).
    """
    grams = _grams(a, b)
    if grams is None:
        return None
    wx, wy = _full_whitening(grams["xx"]), _full_whitening(grams["yy"])
    if wx is None or wy is None or max(wx.e, wy.e) >= Fraction(1, 4):
        return None
    got = _cross(grams["xy"], wx, wy)
    if got is None:
        return None
    s = _second_order(got[0], got[1], wx, wy)
    if s is None:
        return None
    return min(len(a), len(b)), s[0], s[1]


@dataclass(frozen=True)
class Enclosure:
    """``lower[i] <= lambda_i(G) <= upper[i]`` (descending; lower is None where not certified positive)."""

    lower: list[Optional[Fraction]]
    upper: list[Fraction]


def eigen_enclosure(g: DGram, idx: list[int]) -> Optional[Enclosure]:
    """Certified enclosures of the eigenvalues of index *idx* (0-based, descending) of the Gram behind g."""
    lam, V = _eigh(g)
    if not _sane(g.P, g.T, V):
        return None
    got = _times(g, V)
    if got is None:
        return None
    hi, lo, eP = got
    got2 = _bilinear(V.T, hi, lo, np.diag(lam))  # Vᵀ G V - Lambda
    got3 = _bilinear(V.T, V, np.zeros_like(V), np.eye(len(V)))  # Vᵀ V - I
    if got2 is None or got3 is None:
        return None
    (N, eN), (O, eO) = got2, got3
    wn = _norm2_up(V)
    r = _fro(N) + _fro(eN) + wn * _fro(eP)
    o = _fro(O) + _fro(eO)
    if o >= 1:
        return None
    lower: list[Optional[Fraction]] = []
    upper: list[Fraction] = []
    for i in idx:
        L = Fraction(float(lam[i]))
        upper.append(max(Fraction(0), (L + r) / (1 - o)) + g.delta)
        lower.append((L - r) / (1 + o) - g.delta if L > r else None)
    return Enclosure(lower, upper)


def _top_side(g: DGram, k: int) -> Optional[tuple[SideWhitening, Fraction]]:
    """The top-k whitening of one side and ``s >= ||P_T - P_T'||_2`` (design note), or None."""
    n = len(g.M)
    if not 1 <= k < n:
        return None
    enc = eigen_enclosure(g, [k - 1, k])
    if enc is None:
        return None
    lo_k, b = enc.lower[0], enc.upper[1]
    if lo_k is None or not lo_k > b:
        return None
    lam, V = _eigh(g)
    D = lam[:k]
    w = whiten(g, V[:, :k] / np.sqrt(D)[None, :])
    if w is None or w.e >= Fraction(1, 4):
        return None
    if not Fraction(float(D.min())) > b:
        return None
    WD = w.W * D[None, :]
    R1 = w.P - WD
    R = R1 + w.Plo
    Rb = np.abs(R) * (1 + U) + U * np.abs(R1) + w.eP + U * np.abs(WD)
    cols = (Rb * Rb).sum(axis=0) * _SAFE  # squared column norms, bounded above
    dn = g.delta * w.wn  # |(G - P - T) W|_F, spread over the columns as a whole
    t2 = sum((Fraction(float(c)) / (Fraction(float(x)) - b) ** 2 for c, x in zip(cols, D)), Fraction(0))
    t = root_up(t2) + dn / (Fraction(float(D.min())) - b)
    s = root_up(b) * t / (1 - w.e)  # sqrt(1 - e) >= 1 - e
    return w, s


def svcca_sum(a: Any, b: Any, k: int) -> Optional[tuple[Fraction, Fraction]]:
    """``lo <= sum of the k canonical correlations of the top-k spans <= hi``, or None (the exact path decides)."""
    grams = _grams(a, b)
    if grams is None or k >= min(len(a), len(b)):
        return None
    sx, sy = _top_side(grams["xx"], k), _top_side(grams["yy"], k)
    if sx is None or sy is None:
        return None
    (wx, tx), (wy, ty) = sx, sy
    got = _cross(grams["xy"], wx, wy)
    if got is None:
        return None
    s = _second_order(got[0], got[1], wx, wy)
    if s is None:
        return None
    shift = root_up(Fraction(2 * k)) * (tx + ty)  # Mirsky: sum |sigma_i - sigma'_i| <= sqrt(k) |M - M'|_F
    lo, hi = max(Fraction(0), s[0] - shift), min(Fraction(k), s[1] + shift)
    return lo, max(lo, hi)


# --- double-float helpers for PWCCA (symrep.measures.pwcca's fast path) ------------------------------


def cross_dd(gm: DGram, wx: SideWhitening, wy: SideWhitening) -> Optional[tuple[np.ndarray, np.ndarray, Fraction]]:
    """``(hi, lo, dC)``: ``|Wxᵀ Gxy Wy - (hi + lo)|_F <= dC``, the whitened cross Gram held as two floats.

    As :func:`_cross`, with the low part of ``Wxᵀ (P' + P'lo)`` kept: ``Wxᵀ hi`` double-float (``dprod``),
    ``fl(Wxᵀ lo)`` within ``gamma_n |Wx|ᵀ |lo|``, their low sum within u of itself; the pair renormalised by an
    exact TwoSum (so hi is the float nearest the held value).
    """
    if not _sane(gm.P, gm.T):
        return None
    got = _times(gm, wy.W)  # Gxy Wy
    if got is None:
        return None
    hi, lo, e1 = got
    Wt = wx.W.T
    got2 = dprod(Wt, hi)
    if got2 is None:
        return None
    h, l, e = got2
    Z = Wt @ lo
    eZ = (gamma(Wt.shape[1]) * (np.abs(Wt) @ np.abs(lo)) + 2.0**-1000 * Wt.shape[1]) * _SAFE
    L = l + Z
    err = (e + eZ + U * np.abs(L)) * _SAFE
    S = h + L  # TwoSum: S + t = h + L exactly, so S = fl(C) to within the bound
    z = S - h
    t = (h - (S - z)) + (L - z)
    return S, t, _fro(err) + wx.wn * _fro(e1) + wx.wn * wy.wn * gm.delta


def ddiag(X: np.ndarray, Y: np.ndarray) -> Optional[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(hi, lo, err)``: ``|sum_k X[k, j] Y[k, j] - (hi_j + lo_j)| <= err_j`` (the diagonal of ``dprod(Xᵀ, Y)``).

    The slices and the bound of :func:`dprod` (per column of X and of Y); each anti-diagonal's column sums
    are exact in any order, as there.
    """
    k = X.shape[0]
    bits = (53 - math.ceil(math.log2(4 * k + 1))) // 2
    gx, gy = _slices(X, bits, 0, 4), _slices(Y, bits, 0, 4)
    if gx is None or gy is None:
        return None
    (xs, ex), (ys, ey) = gx, gy
    S = [np.einsum("ij,ij->j", xs[0], ys[0])]
    for t in range(1, 4):
        S.append(sum((np.einsum("ij,ij->j", xs[i], ys[t - i]) for i in range(t + 1)), np.zeros(X.shape[1])))
    hi = S[0] + S[1]
    z = hi - S[0]
    e1 = (S[0] - (hi - z)) + (S[1] - z)
    lo = e1 + S[2]
    lo += S[3]
    tail = 8 * k * 2.0 ** (-4 * bits) * np.ldexp(1.0, ex) * np.ldexp(1.0, ey)
    err = tail + 2 * U * (np.abs(e1) + np.abs(S[2]) + np.abs(S[3])) + 2.0**-1000 * k
    return hi, lo, err * _SAFE
