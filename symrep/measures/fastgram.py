"""Certified float Grams and certified nuclear-norm brackets: float64 GEMM with proved error bounds.

Design note
-----------
The spectral measures need the cross Gram ``M = A_c B_cᵀ`` (and ``A_c A_cᵀ``, ``B_c B_cᵀ``) of the
centred layers only to about 1e-14 relative, never exactly: every bracket below is widened by a
proved bound on ``|M - M'|_F`` for the float matrix M' that is used.  All bounds are inequalities
on exactly known floats (no tolerance, nothing probabilistic); where they are too wide for the
requested width the caller falls back to the exact integer path.

*Centring.*  ``D = fl(A - mu 1ᵀ)`` with mu the float row means; TwoSum's exact error of each
subtraction is at most ``u |D_ik|`` (u = 2**-53), so ``A_c = (D + E)_c`` with ``|E|_F <= u |D|_F``, and
``D_c D'_cᵀ = D D'ᵀ - s s'ᵀ / d`` for the row sums ``s = D 1`` (centring matrix identity).
Neither D nor its split below is kept: every product recomputes its column blocks from the data by
the same float operations (:meth:`Layer.cols`, :meth:`Layer.split`), so all of them see the same D.
Two n x d arrays per layer cost more to touch for the first time (fresh pages: 0.3 s at 512 x 10,000)
than the few passes over each block that recompute them.

*Splitting* (Ozaki's error-free scheme).  Per row i, ``sigma_i = 2**e_i >= max_k |D_ik|``;
``H = 2**(e_i - b) rint(D 2**(b - e_i))`` has integers of at most b bits in units
``2**(e_i - b)``, and ``L = D - H`` is computed exactly (a representable difference).  With
``d 2**(2b) <= 2**53`` every partial sum of ``H H'ᵀ`` is an integer multiple of
``2**(e_i + e_j - 2b)`` below ``2**53`` of them, so BLAS computes ``H H'ᵀ`` exactly in any order
(and so does the sum over column blocks: its partial sums are partial sums of the same products).
The rest, ``H L'ᵀ + L D'ᵀ``, is about ``2**-b`` of the whole; its two float products are off by at
most ``gamma_d (|h_i| |l'_j| + |l_i| |d'_j|)`` (Higham 3.5, Cauchy-Schwarz), and each later float
addition by ``u`` times its result.  So M' is within a proved ``delta_F`` of M, about 1e-16 relative.

*Coarse and medium Grams* (:func:`_cross_coarse`, one product's flops): ``D D'ᵀ`` as float products of
k columns each, summed by a binary-counter tree (:func:`_tree_push`; at most ``t = K.bit_length()``
additions on any path for K chunks): off by at most ``(gamma_k + gamma_t (1 + gamma_k)) |d_i| |d'_j|``
(Higham 3.5 for each chunk whatever BLAS's order; Cauchy-Schwarz over the chunks), about ``(k + t) u``
of the whole instead of ``d u`` for one product.  *Coarse*: ``k = CHUNK`` (512), enough for the
Procrustes distance of layers that differ (its width is relative to the distance).  *Medium*:
``k = MEDIUM`` (32; 41 u at 10,000 points, about 1.5 products' time: small GEMMs and the chunks'
sums), enough for the angles and CKA to 1e-12 on well-conditioned layers; a symmetric medium Gram
computes three of its four half tiles (the fourth is the transpose of one, with the same bound).
Otherwise the fine Gram (three products; 1.5 for a symmetric one) is computed.

*Symmetric Grams* (:func:`_sym`): ``D Dᵀ = H Hᵀ + W + Wᵀ``, ``W = fl(H + L/2) Lᵀ``, since
``H Lᵀ + L Hᵀ + L Lᵀ = (H + L/2) Lᵀ + L (H + L/2)ᵀ``: one exact symmetric product (half the flops)
and one float product instead of three; the rounding of ``H + L/2`` (u of it) enters with ``|l_j|``.

*Products of n x n floats* (:func:`split_product`): both factors are split into two slices of
``b`` bits (per row of the left, per column of the right; ``k 2**(2b) <= 2**53``): ``X1 Y1`` is one
exact GEMM, ``X1 Y2 + X2 Y`` two float GEMMs and one addition (within ``gamma_(k+1) <= gamma_2k``), off by at most
``gamma_2k k sx sy 2**(1-b) (1 + 2**-b)``, about ``2**-b k u`` of ``sx sy``.
``C - X Y`` for a given C is then ``fl(fl(C - S2) - S3)``, off by u times each intermediate: the
residuals of the certificates (``ZᵀZ - I``, ``M - A B``) are known to about 1e-16 of *themselves*.

*Sums* (:func:`float_sum`): a float array's sum with a proved error, without a Python loop: the
entries rounded to a grid on which every partial sum is an integer below ``2**52`` units (exact in
any order), plus the float sum of the exact remainders (``gamma_N`` of ``N`` times their bound).

*Underflow*: every float product that may fall below the normal range adds ``2**-1074`` to its
entry's bound (``d`` of them per entry of a Gram).

*Nuclear norm* of M (``|M - M'|_F <= delta``), from the float SVD ``M' ~ U S Vᵀ``:

* lower: ``Z = fl(U Vᵀ)``, ``||M||_* >= tr(Zᵀ M) / ||Z||_2``, ``tr(Zᵀ M) >= tr(Zᵀ M') - |Z|_F delta``,
  or, with the entrywise form ``M - M' = P + Q`` (``|P| <= err``, ``|Q|_F <= extra``), ``tr(Zᵀ M) >= tr(Zᵀ M')
  - sum |Z_ij| err_ij - |Z|_F extra`` (|tr(Zᵀ P)| <= sum |Z_ij| |P_ij|; smaller by about 0.8 on dense Z),
  ``||Z||_2² <= 1 + |ZᵀZ - I|_F``; ``tr(Zᵀ M')`` by ``math.fsum`` of the rounded products, off by at
  most ``u`` times the sum of their magnitudes plus ``u`` of the result.
* upper: ``A = fl(U S^(1/2))``, ``B = fl(S^(1/2) Vᵀ)``, ``||M||_* <= (|A|_F² + |B|_F²)/2 + c (|M' - A B|_F + delta)``,
  ``c = ceil(sqrt(min(m, n)))`` (as in :mod:`symrep.measures.procrustes`).

*Frobenius norms* (:func:`frob2_bracket`, for CKA): ``|M|_F`` lies between the norms of
``max(|M'| - err, 0)`` and ``|M'| + err`` (entrywise bound err), and within ``extra`` more (the
centring term, Frobenius only); all scaled by a power of two first.

Float bounds are sums of non-negative terms; each is multiplied by 1.001 (more than
``1 + gamma_N`` for any N < 2**40 terms, which covers the roundings of the bound itself), and
square roots are taken upwards in exact arithmetic (:func:`root_up`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

import numpy as np

__all__ = ["CertGram", "cert_grams", "frob2_bracket", "float_sum", "layers", "nuclear_of", "split_product", "nuclear_float",
           "root_up", "root_down"]

U = 2.0**-53
_SAFE = 1.001  # inflation of every float bound (see the design note)
_TINY = 2.0**-1000  # below this (squared) a product may underflow: such data go to the exact path


def gamma(n: int) -> float:
    """An upper bound on n u / (1 - n u) (n u < 1/2)."""
    return 1.01 * n * U / (1 - n * U)


def root_up(q: Fraction) -> Fraction:
    """A rational >= sqrt(q), within about 1e-15 relative (q >= 0)."""
    if q <= 0:
        return Fraction(0)
    r = Fraction(math.sqrt(float(q))) * (1 + Fraction(1, 2**50))
    while r * r < q:
        r *= 1 + Fraction(1, 2**40)
    return r


def root_down(q: Fraction) -> Fraction:
    """A rational <= sqrt(q), within about 1e-15 relative (q >= 0)."""
    if q <= 0:
        return Fraction(0)
    r = Fraction(math.sqrt(float(q))) * (1 - Fraction(1, 2**50))
    while r * r > q:
        r *= 1 - Fraction(1, 2**40)
    return r


def fro_up(E: np.ndarray) -> Fraction:
    """An upper bound on the Frobenius norm of a non-negative float matrix (its entries as they are)."""
    top = float(np.max(E)) if E.size else 0.0
    if top == 0.0:
        return Fraction(0)
    if not math.isfinite(top):
        raise OverflowError("fro_up: entries out of range")
    k = -math.frexp(top)[1]  # scaled by 2**k: no overflow of the squares; + 2**-1073 where it rounds (subnormal)
    S = np.ldexp(E, k) + 2.0**-1073
    return root_up(Fraction(float(np.sum(S * S))) * Fraction(_SAFE)) / Fraction(2) ** k


def float_sum(p: np.ndarray) -> tuple[Fraction, Fraction]:
    """``(t, e)`` with ``|sum(p) - t| <= e`` for a finite float array, in two vectorised passes (no per-entry Python).

    With ``2**E > max |p|`` and ``k = ceil(log2(N + 1))`` for N entries, ``H = p`` rounded to the grid
    ``2**(E - 52 + k)`` (as :func:`_slice` rounds) has integers below ``2**(52 - k)`` in that unit, so every
    partial sum of H is an integer below ``2**52`` of them: ``sum(H)`` is exact in any order.
    ``L = p - H`` is exact, ``|L| <= 2**(E - 53 + k)``, and its float sum is off by at most
    ``gamma_N N max|L|``.  Where the grid would leave the float range, ``math.fsum`` (correctly rounded) is used.
    """
    flat = np.ravel(p)
    top = float(np.max(np.abs(flat))) if flat.size else 0.0
    if top == 0.0:
        return Fraction(0), Fraction(0)
    n = flat.size
    k = max(1, (n + 1).bit_length())
    E = math.frexp(top)[1]
    if E - 53 + k < -1020 or E + k > 1000:
        f = math.fsum(flat.tolist())  # correctly rounded: within u |f| or half a subnormal unit
        return Fraction(f), Fraction(abs(f)) * Fraction(U) + Fraction(1, 2**1074)
    c = math.ldexp(1.5, E + k)  # fl(fl(p + c) - c): p to the grid 2**(E - 52 + k)
    H = flat + c
    H -= c
    L = flat - H
    e = Fraction(gamma(n) * n * float(np.max(np.abs(L)))) * Fraction(_SAFE)
    return Fraction(float(np.sum(H))) + Fraction(float(np.sum(L))), e


def sumsq_bracket(x: np.ndarray) -> tuple[Fraction, Fraction]:
    """``lo <= sum(x**2) <= hi`` for a float array: the rounded squares, each within u of its own value
    (plus ``2**-1074`` where it underflows), summed by :func:`float_sum`."""
    t, e = float_sum(x * x)
    tiny = Fraction(x.size, 2**1074)
    return max(Fraction(0), (t - e) * (1 - Fraction(1, 2**51)) - tiny), (t + e) * (1 + Fraction(1, 2**51)) + tiny


# --- splitting -----------------------------------------------------------------------------------

def _exponents(M: np.ndarray, axis: int) -> Optional[np.ndarray]:
    """e with 2**e >= max |M| along *axis* (per row: axis=1), or None when a scale is out of range."""
    top = np.maximum(M.max(axis=axis), -M.min(axis=axis)) if M.size else np.zeros(M.shape[1 - axis])
    if not np.isfinite(top).all():  # an inf or nan entry (in a row of D it makes the whole row nan)
        return None
    e = np.frexp(np.where(top > 0, top, 1.0))[1].astype(np.int64)  # top < 2**e
    if e.size and (e.max() > 400 or e.min() < -400):
        return None
    return e


def _slice(M: np.ndarray, e: np.ndarray, bits: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(H, L): H = M rounded to units 2**(e - bits) (per row for axis=1, per column for axis=0), L = M - H exactly.

    ``fl(fl(M + c) - c)`` with ``c = 1.5 * 2**(e - bits + 52)`` rounds M to that grid (|M| < 2**e, round to nearest).
    """
    c = np.ldexp(1.5, e - bits + 52)
    c = c[:, None] if axis == 1 else c[None, :]
    H = M + c
    H -= c
    return H, M - H


# --- certified Grams of the centred layers -----------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Layer:
    """A layer centred in floats: ``A_c = (D + E)_c``, ``|E|_F <= e``, its split, norms and exact-ish |A_c|².

    ``D = fl(a - mu 1ᵀ)`` and its split ``H + L`` are not kept (two n x d arrays each, whose first touch of
    fresh memory cost more than recomputing them): :meth:`cols` and :meth:`split` recompute any column block
    from the data by the same float operations, so every product sees the same D.
    """

    a: np.ndarray  # the data (a private copy: the cache's)
    mu: np.ndarray  # float row means: D = fl(a - mu) entrywise
    ex: np.ndarray  # 2**ex > max |D_i| per row (H on the grid 2**(ex - bits))
    bits: int
    s: np.ndarray  # float row sums of D
    s_err: np.ndarray  # |s_true - s| per row
    nD: np.ndarray  # upper bounds of the row norms |d_i|, |h_i|, |l_i|
    nH: np.ndarray
    nL: np.ndarray
    e: float
    sq: tuple[Fraction, Fraction]  # bracket of |A_c|_F²
    memo: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    def cols(self, c: slice) -> np.ndarray:
        """``D[:, c]``, recomputed (``fl(a - mu)``: the same float operation as in :func:`_layer`; ``H + L`` when kept)."""
        got = self.memo.get("all")
        if got is not None:
            return got[0][:, c] + got[1][:, c]
        out = self.a[:, c].astype(np.float64)
        out -= self.mu[:, None]
        return out

    def split(self, c: slice) -> tuple[np.ndarray, np.ndarray]:
        """``(H, L)`` of ``D[:, c]`` (as :func:`_slice`: H on the grid ``2**(ex - bits)``, ``L = D - H`` exactly).

        Read-only; small layers (at most ``_MEMO_MAX`` entries) keep the whole split from :func:`_layer` (there
        recomputing it would cost more than the memory, which the allocator reuses).
        """
        got = self.memo.get("all")
        if got is not None:
            return got[0][:, c], got[1][:, c]
        D = self.cols(c)
        k = np.ldexp(1.5, self.ex - self.bits + 52)[:, None]
        H = D + k
        H -= k
        D -= H
        H.flags.writeable = D.flags.writeable = False
        return H, D

    @property
    def D(self) -> np.ndarray:
        """The float-centred layer (recomputed)."""
        return self.cols(slice(None))


def _layer(a: np.ndarray) -> Optional[Layer]:
    n, d = a.shape
    bits = (53 - math.ceil(math.log2(d + 1))) // 2
    hh, hl, ll, s, mu = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    ex = np.empty(n, dtype=np.int64)
    step = max(1, (1 << 18) // d)  # blocks of rows (about 2 MB an array): each pass runs in cache
    keep = a.size <= _MEMO_MAX  # small: keep the whole split (Layer.split)
    Hall, Lall = (np.empty((n, d)), np.empty((n, d))) if keep else (None, None)
    buf, Hbuf = np.empty((min(step, n), d)), np.empty((min(step, n), d))
    for r in range(0, n, step):
        b = slice(r, r + step)
        Db = buf[:len(mu[b])] if Lall is None else Lall[b]
        Hb = Hbuf[:len(mu[b])] if Hall is None else Hall[b]
        Db[...] = a[b]
        mu[b] = Db.mean(axis=1)
        Db -= mu[b][:, None]
        e = _exponents(Db, 1)
        if e is None:
            return None
        ex[b] = e
        c = np.ldexp(1.5, e - bits + 52)[:, None]  # as _slice: Db rounded to units 2**(e - bits)
        s[b] = Db.sum(axis=1)
        np.add(Db, c, out=Hb)
        Hb -= c
        Lb = Db
        Lb -= Hb  # exact; D is not needed any more in this block
        # |D|² per row: H·H exactly (every partial sum an integer in units 2**(2e - 2 bits) below 2**53), the rest in floats
        hh[b], hl[b], ll[b] = (np.einsum("ij,ij->i", X, Y) for X, Y in ((Hb, Hb), (Hb, Lb), (Lb, Lb)))
    nH, nL = np.sqrt(hh * _SAFE) * _SAFE, np.sqrt(ll * (1 + gamma(d)) * _SAFE) * _SAFE
    nD = nH + nL  # |d_i| <= |h_i| + |l_i|
    rows = [nD, nH, nL]
    s_err = gamma(d) * math.sqrt(d) * nD * _SAFE  # sum |d_ik| <= sqrt(d) |d_i|
    rest = hl * 2 + ll
    rest_err = (gamma(d + 2) * (2 * nH * nL + nL**2) + U * np.abs(rest)) * _SAFE
    (t1, e1), (t2, e2) = float_sum(hh), float_sum(rest)  # sums with proved errors, no Fraction per row
    tot = t1 + t2
    terr = Fraction(float(np.sum(rest_err)) * _SAFE) + e1 + e2
    # centring: |D_c|² = |D|² - |s|²/d, with |s_true| within s_err of s
    s_hi = np.abs(s) + s_err
    s2_hi = Fraction(float(np.sum(s_hi * s_hi)) * _SAFE)
    s2_lo = Fraction(float(np.sum(np.maximum(np.abs(s) - s_err, 0) ** 2)) / _SAFE)
    eF = (U * float(np.sqrt(np.sum(nD * nD))) + math.sqrt(n * d) * 2.0**-1074) * _SAFE  # with subnormal results
    # |A_c|_F = |D_c + E_c|_F within |E|_F of |D_c|_F
    lo_c, hi_c = max(Fraction(0), tot - terr - s2_hi / d), tot + terr - s2_lo / d
    r_lo, r_hi = max(Fraction(0), root_down(lo_c) - Fraction(eF)), root_up(hi_c) + Fraction(eF)
    out = Layer(a, mu, ex, bits, s, s_err, rows[0], rows[1], rows[2], eF, (r_lo * r_lo, r_hi * r_hi))
    if Hall is not None and Lall is not None:
        Hall.flags.writeable = Lall.flags.writeable = False
        out.memo["all"] = (Hall, Lall)
    return out


@dataclass(frozen=True, eq=False)
class CertGram:
    """``M'`` (float) with ``|A_c B_cᵀ - M'|_F <= delta`` (a Fraction).

    Finer: ``A_c B_cᵀ - M' = P + Q`` with ``|P| <= err`` entrywise (a float matrix) and ``|Q|_F <= extra``,
    and ``delta = fro_up(err) + extra``.
    """

    M: np.ndarray
    delta: Fraction
    err: Optional[np.ndarray] = None
    extra: Fraction = Fraction(0)


def _cross(x: Layer, y: Layer, d: int) -> CertGram:
    """``D D'ᵀ = H H'ᵀ + (H L'ᵀ + L D'ᵀ)`` by column blocks of ``_COLS`` points (design note).

    ``P1 = sum_b H_b H_bᵀ`` is exact: every partial sum over any blocks is an integer multiple of
    ``2**(e_i + e_j - 2 bits)`` below ``2**53`` of them.  ``P2`` adds the 2m block products (m blocks, each
    within ``gamma_k`` of its terms, k <= d columns) one by one: each addition u of at most the sum of
    the terms' magnitudes, so ``|P2 - (H L'ᵀ + L D'ᵀ)| <= (gamma_d + 2 m u) (|h_i| |l'_j| + |l_i| |d'_j|)``
    (Cauchy-Schwarz over the blocks), plus ``2**-1074`` per float product for underflow.
    """
    P1 = np.zeros((len(x.mu), len(y.mu)))
    P2 = np.zeros_like(P1)
    for c in range(0, d, _COLS):
        b = slice(c, c + _COLS)
        Hx, Lx = x.split(b)
        Hy, Ly = y.split(b)
        P1 += Hx @ Hy.T  # exact (above)
        P2 += Hx @ Ly.T
        P2 += Lx @ (Hy + Ly).T  # D'_b (exact: H' + L')
    m = -(-d // _COLS)
    err = (gamma(d) + 2 * m * U) * (np.outer(x.nH, y.nL) + np.outer(x.nL, y.nD)) * 1.01 + U * np.abs(P2)
    err += d * 2.0**-1072  # underflow: 2**-1074 for each of the 2d float products (P1's are exact multiples)
    T = P1 + P2
    err += U * np.abs(T)
    return _centre_terms(T, err, x, y, d)


def _sym(x: Layer, d: int) -> CertGram:
    """``D Dᵀ`` as ``H Hᵀ + W + Wᵀ``, ``W = K Lᵀ``, ``K = fl(H + L/2)``: one symmetric exact product and one float one.

    ``H Lᵀ + L Hᵀ + L Lᵀ = (H + L/2) Lᵀ + L (H + L/2)ᵀ``; ``H Hᵀ`` is exact (as in :func:`_cross`, block by
    block); ``|K - (H + L/2)| <= u |H + L/2|`` entrywise, so ``|fl(K Lᵀ) - (H + L/2) Lᵀ| <= (gamma_d (1 + u) + u)
    (|h_i| + |l_i|) |l_j|``; the block sums and the two additions add u of their results, underflow
    ``2**-1074`` per product.
    """
    n = len(x.mu)
    P1, W = np.zeros((n, n)), np.zeros((n, n))
    for c in range(0, d, _COLS):  # by column blocks (one float sum of the d products)
        H, L = x.split(slice(c, c + _COLS))
        P1 += H @ H.T  # exact: a symmetric product of the same integers, and exact sums (as in _cross)
        K = L * 0.5
        K += H
        W += K @ L.T
    nK = x.nH + x.nL
    m = -(-d // _COLS)  # additions of the column blocks into W: u of at most the terms' magnitudes each
    err = np.outer(nK, x.nL) * ((gamma(d) * (1 + U) + U + m * U) * 1.01)
    err += err.T
    err += d * 2.0**-1073
    T = P1 + W
    err += U * np.abs(T)
    T += W.T
    err += U * np.abs(T)
    return _centre_terms(T, err, x, x, d)


_COLS = 2048  # column blocks of the fine Grams' float products (temporaries of n x 2048, not n x d)

#: Columns per float product of the coarse cross Gram (:func:`_cross_coarse`).
CHUNK = 512


def _centre_terms(T: np.ndarray, err: np.ndarray, x: Layer, y: Layer, d: int) -> CertGram:
    """``D D'ᵀ ~ T`` (entrywise within err, err overwritten) to the centred cross Gram (as :func:`_cross`)."""
    corr = np.outer(x.s, y.s) / d
    M = T - corr
    err += U * np.abs(M) + U * np.abs(corr) * 2
    err += (np.outer(x.s_err, np.abs(y.s) + y.s_err) + np.outer(np.abs(x.s), y.s_err)) / d * 1.01
    err *= _SAFE
    dx, dy = float(np.sqrt(np.sum(x.nD**2))), float(np.sqrt(np.sum(y.nD**2)))
    extra = Fraction((x.e * dy + dx * y.e + x.e * y.e) * _SAFE)
    return CertGram(M, fro_up(err) + extra, err, extra)


def _cross_coarse(x: Layer, y: Layer, d: int, k: int = 0) -> CertGram:
    """``D D'ᵀ`` as float products of k columns each (``CHUNK`` by default), summed by a tree: one product's flops.

    Chunk c is off by at most ``gamma_k |d_i^c| |d'_j^c|`` (k columns; Higham 3.5, any order inside BLAS),
    the tree of the K chunk sums adds ``gamma_t`` (t = ``K.bit_length()`` additions at most on any path:
    :func:`_tree_sum`) of the sum of their magnitudes, each at most ``(1 + gamma_k) |d_i^c| |d'_j^c|``, and
    ``sum_c |d_i^c| |d'_j^c| <= |d_i| |d'_j|`` (Cauchy-Schwarz): in all ``(gamma_k + gamma_t (1 + gamma_k))
    |d_i| |d'_j|``, about (k + t) u of the whole, plus ``2**-1074`` per product for underflow.  With
    ``k = CHUNK`` (512) coarser than :func:`_cross` (3 products), enough where the width allows (the
    Procrustes distance of layers that differ); with ``k = MEDIUM`` (32: about 41 u at 10,000 points) for
    about 1.6 products' time, enough for angles and CKA to 1e-12 on well-conditioned layers.
    """
    k = min(k or CHUNK, d)
    blk = max(k, 512 // k * k)  # column blocks of D (contiguous copies, in cache), a whole number of chunks each
    n = len(x.mu)
    h = n // 2 if x is y and n >= _TILES_MIN else 0  # symmetric: the tiles (top, top), (top, bottom), (bottom, bottom)
    tiles = [(slice(0, h), slice(0, h)), (slice(0, h), slice(h, n)), (slice(h, n), slice(h, n))] if h else \
        [(slice(0, n), slice(0, len(y.mu)))]
    stacks: list[list[tuple[int, np.ndarray]]] = [[] for _ in tiles]
    pools: list[list[np.ndarray]] = [[] for _ in tiles]
    count = 0
    for c in range(0, d, blk):
        px = x.cols(slice(c, c + blk))
        pyT = np.ascontiguousarray(px.T) if x is y else y.cols(slice(c, c + blk)).T
        for j in range(0, px.shape[1], k):
            # each tile entry is the same chunked dot product of a row of D and a row of D' (so is its bound);
            # the symmetric tiles as plain GEMMs (NumPy's syrk path mirrors each small result entry by entry)
            for (r, q), parts, pool in zip(tiles, stacks, pools):
                P = np.matmul(px[r, j:j + k], pyT[j:j + k, q], out=pool.pop() if pool else None)
                _tree_push(parts, P, pool)
            count += 1
    if h:
        T = np.empty((n, n))
        T[:h, :h], T[:h, h:], T[h:, h:] = (_tree_sum(parts) for parts in stacks)
        T[h:, :h] = T[:h, h:].T
    else:
        T = _tree_sum(stacks[0])
    t = count.bit_length()
    g = gamma(k) + gamma(t) * (1 + gamma(k))
    err = np.outer(x.nD, y.nD) * (g * 1.01)
    err += d * 2.0**-1073
    return _centre_terms(T, err, x, y, d)


def _tree_push(parts: list[tuple[int, np.ndarray]], P: Any, pool: Optional[list[Any]] = None) -> None:
    """Push a chunk product onto a binary-counter stack of partial sums (``(level, sum of 2**level chunks)``).

    The partial sums merged into P go to *pool* (buffers for the next chunks' products: fresh pages of
    2 MB each cost more than the additions).
    """
    level = 0
    while parts and parts[-1][0] == level:
        Q = parts.pop()[1]
        P += Q
        if pool is not None:
            pool.append(Q)
        level += 1
    parts.append((level, P))


def _tree_sum(parts: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """The sum of the stack of :func:`_tree_push`, smallest first.

    A chunk in a block of level j has gone through j additions; the final pass adds the blocks of levels
    ``j_1 > ... > j_m`` from the smallest, so a chunk of block i meets i more (the smallest, m - 1): at most
    ``j_i + i <= j_1 + 1 <= K.bit_length()`` additions for K chunks (the levels are distinct).
    """
    acc = parts.pop()[1]
    while parts:
        acc += parts.pop()[1]
    return acc


#: Columns per float product of the medium cross Gram (:func:`_cross_coarse` with ``k = MEDIUM``).
MEDIUM = 32
#: The medium Grams pay only for at least this many Gram entries (n_x n_y): below, their small GEMMs and
#: Python's per-chunk work take longer than the fine Grams' three products (128 x 2,000: 2x slower).
MEDIUM_MIN = 1 << 16


#: Layers of at most this many entries keep their split (:meth:`Layer.split`).
_MEMO_MAX = 1 << 20
#: Symmetric chunked Grams of at least this many neurons compute three of their four half tiles.
_TILES_MIN = 256


def medium_pays(a: Any, b: Any) -> bool:
    """Whether the measures should try the medium Grams of two layers (a choice of speed only)."""
    return len(a) * len(b) >= MEDIUM_MIN


_CACHE: dict[Any, Any] = {}


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b))


def layers(a: Any, b: Any) -> Optional[tuple[Layer, Layer]]:
    """Both layers prepared, or None when they are not finite float data of one shape.

    The last pair is kept (with copies of its data, compared in full on every call, so an array
    changed in place is never mistaken for the old one): the measures of one comparison share it.
    """
    for v in (a, b):
        if not (isinstance(v, np.ndarray) and v.ndim == 2 and v.dtype.kind == "f" and v.size and v.shape[1] >= 2):
            return None
    if a.shape[1] != b.shape[1]:
        return None
    old = _CACHE.get("data")
    if old is not None and _same(a, old[0]) and _same(b, old[1]):
        return _CACHE["layers"]
    for k in [k for k in _CACHE if isinstance(k, str) and (k in ("data", "layers") or k.startswith(("gram ", "nuclear")))]:
        del _CACHE[k]  # this module's entries only (other modules keep theirs here, keyed by their own data)
    data = (a.copy(), b.copy())  # private: the layers recompute their columns from these
    got = _layer(data[0]), _layer(data[1])  # None for non-finite data (_exponents)
    _CACHE["data"] = data
    _CACHE["layers"] = None if got[0] is None or got[1] is None else got
    return _CACHE["layers"]


def _grade(coarse: bool | str) -> str:
    """``"coarse"``, ``"medium"`` or ``""`` (fine) from the ``coarse`` argument (True: coarse, False: fine)."""
    g = "coarse" if coarse is True else "" if coarse is False else coarse
    if g not in ("coarse", "medium", ""):
        raise ValueError(f"fastgram: unknown grade {coarse!r}")
    return g


def cert_grams(a: Any, b: Any, which: str = "xy", coarse: bool | str = False) -> Optional[dict[str, CertGram]]:
    """Certified float Grams ``"xy"`` (A_c B_cᵀ), ``"xx"``, ``"yy"`` of two float layers, cached; None if not applicable.

    ``coarse``: True (or ``"coarse"``) for one chunked float product each (:func:`_cross_coarse`, about ``CHUNK``
    u relative), ``"medium"`` for chunks of ``MEDIUM`` columns (about ``MEDIUM + log2(d / MEDIUM)`` u, one
    product's flops and the chunks' sums), False for the fine Grams (:func:`_cross`: three products, about
    ``2**-b d u``; :func:`_sym`: one and a half).
    """
    return _grams(a, b, which, coarse, layers(a, b))


def _grams(a: Any, b: Any, which: str, coarse: bool | str, got: Optional[tuple[Layer, Layer]]) -> Optional[dict[str, CertGram]]:
    """:func:`cert_grams` for the layers *got* of a and b (just prepared or checked by :func:`layers`)."""
    grade = _grade(coarse)
    if got is None:
        return None
    x, y = got
    d = a.shape[1]
    out = {}
    for w in which.split(","):
        key = "gram " + w + (" " + grade if grade else "")
        if key not in _CACHE:
            p, q = {"xy": (x, y), "xx": (x, x), "yy": (y, y)}[w]
            try:
                if grade:
                    _CACHE[key] = _cross_coarse(p, q, d, CHUNK if grade == "coarse" else MEDIUM)
                else:
                    _CACHE[key] = _sym(p, d) if w != "xy" else _cross(p, q, d)
            except OverflowError:  # a bound out of the float range: the exact path decides
                _CACHE[key] = None
        if _CACHE[key] is None:
            return None
        out[w] = _CACHE[key]
    return out


def frob2_bracket(g: CertGram) -> tuple[Fraction, Fraction]:
    """``lo <= |A_c B_cᵀ|_F² <= hi`` from a certified Gram with its entrywise bound.

    ``|M' + P|_F`` lies between the norms of ``max(|M'| - err, 0)`` and ``|M'| + err`` (entrywise; each
    float difference or sum within u of itself, so the squares within ``(1 +- u)²``), and ``Q`` moves the
    norm by at most ``extra`` (triangle inequality).  All is scaled by a power of two first (exact, unless
    an entry falls below the normal range: then ``err`` too is below 2**-1022 of the largest, and
    :func:`sumsq_bracket` counts ``2**-1074`` per square).
    """
    err = g.err if g.err is not None else np.full(g.M.shape, float(g.delta) * _SAFE)
    extra = g.extra if g.err is not None else Fraction(0)
    top = float(np.max(np.abs(g.M) + err)) if g.M.size else 0.0
    if not math.isfinite(top):
        raise OverflowError("frob2_bracket: entries out of range")
    k = -math.frexp(top)[1] if top > 0 else 0  # scale by 2**k (exact): entries below 1, squares in range
    A, E = np.ldexp(np.abs(g.M), k), np.ldexp(err, k) + 2.0**-1073  # either may round below 2**-1022
    lo2 = sumsq_bracket(np.maximum(A - E, 0.0))[0] * (1 - Fraction(1, 2**50))
    hi2 = sumsq_bracket(A + E)[1] * (1 + Fraction(1, 2**50))
    f = Fraction(2) ** -k
    lo = max(Fraction(0), root_down(lo2) * f - extra)
    hi = root_up(hi2) * f + extra
    return lo * lo, hi * hi


# --- certified n x n products ---------------------------------------------------------------------

def split_product(X: np.ndarray, Y: np.ndarray, C: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(R, err)``: R = fl(C - X Y) (C = 0 when None) with ``|R - (C - X Y)| <= err`` entrywise (design note).

    Two slices: ``X = X1 + X2`` (per row, X1 on the grid ``2**(ex - b)``), ``Y = Y1 + Y2`` (per column),
    ``k 2**(2b) <= 2**53``; ``X1 Y1`` is one exact product and ``X1 Y2 + X2 Y`` two float products and
    their sum, off by at most ``gamma_2k (|X1| |Y2| + |X2| |Y|) <= gamma_2k k sx sy 2**(1 - b) (1 + 2**-b)``
    (``|X1| <= sx = 2**ex``, ``|X2| <= sx 2**-b``), plus ``2**-1074`` per product for underflow.
    """
    k = X.shape[1]
    bits = (53 - math.ceil(math.log2(k + 1))) // 2
    ex, ey = _exponents(X, 1), _exponents(Y, 0)
    if ex is None or ey is None:
        raise OverflowError("split_product: entries out of range")
    x1, x2 = _slice(X, ex, bits, 1)
    y1, y2 = _slice(Y, ey, bits, 0)
    S2 = x1 @ y1  # exact
    S3 = x1 @ y2  # with the next product and the addition: within gamma_(k+1) <= gamma_2k of the terms
    S3 += x2 @ Y
    sx, sy = np.ldexp(1.0, ex), np.ldexp(1.0, ey)
    tail = np.outer(sx, sy) * (gamma(2 * k) * k * 2.0 ** (1 - bits) * (1 + 2.0**-bits)) + 2 * k * 2.0**-1074
    R = -S2 if C is None else C - S2
    err = U * np.abs(R)
    R = R - S3
    err += U * np.abs(R) + tail
    return R, err * _SAFE


@dataclass(frozen=True)
class FloatNuclear:
    """Certified ``lower <= ||M||_* <= upper`` for any M with ``|M - M'|_F <= delta``."""

    lower: Fraction
    upper: Fraction


def nuclear_of(a: Any, b: Any, coarse: bool | str = False) -> Optional[tuple[Layer, Layer, FloatNuclear]]:
    """Both layers and the bracket of ``||A_c B_cᵀ||_*`` (cached with the layers), or None.

    ``coarse``: the grade of the cross Gram (:func:`cert_grams`): a wider bracket for fewer products.
    """
    grade = _grade(coarse)
    got = layers(a, b)
    grams = _grams(a, b, "xy", grade, got)  # the data compared once, by layers
    if got is None or grams is None:
        return None
    key = "nuclear " + grade if grade else "nuclear"
    if key not in _CACHE:
        g = grams["xy"]
        _CACHE[key] = nuclear_float(g.M, g.delta, g.err, g.extra)
    nb = _CACHE[key]
    return None if nb is None else (got[0], got[1], nb)


def _weighted_err(Z: np.ndarray, err: np.ndarray) -> Optional[Fraction]:
    """An upper bound on ``sum |Z_ij| err_ij`` (non-negative floats): the float sum, each product within u and the
    sum within ``gamma_N`` (both in ``_SAFE``), plus ``2**-1074`` per product for underflow; None if it overflows."""
    s = float(np.sum(np.abs(Z) * err))
    if not math.isfinite(s):
        return None
    return Fraction(s) * Fraction(_SAFE) * Fraction(_SAFE) + Fraction(err.size, 2**1074)


def nuclear_float(M: np.ndarray, delta: Fraction, err: Optional[np.ndarray] = None,
                  extra: Fraction = Fraction(0)) -> Optional[FloatNuclear]:
    """The nuclear-norm bracket of the design note; None when the data are out of the float range.

    With the entrywise form of the bound (``M_true - M = P + Q``, ``|P| <= err``, ``|Q|_F <= extra``), the
    lower end loses ``sum |Z_ij| err_ij + |Z|_F extra`` instead of ``|Z|_F delta`` where that is smaller.
    """
    m, n = M.shape
    if not np.isfinite(M).all():
        return None
    top = float(np.max(np.abs(M))) if M.size else 0.0
    if top == 0.0:
        return FloatNuclear(Fraction(0), Fraction(math.isqrt(max(min(m, n) - 1, 0)) + 1) * delta)
    scale = math.ldexp(1.0, -math.frexp(top)[1])  # a power of two: M scale has entries below 1, exactly
    F = M * scale
    if float(np.min(np.abs(F[F != 0]))) < _TINY:
        return None
    r = min(m, n)
    Uf, sv, Vt = np.linalg.svd(F, full_matrices=False)
    Z = Uf @ Vt
    prods = Z * F
    t, t_sum = float_sum(prods)
    p_abs = Fraction(float(np.sum(np.abs(prods))) * _SAFE)
    t_err = (Fraction(U) * p_abs + t_sum + Fraction(prods.size, 2**1073)) * Fraction(_SAFE)  # 2**-1074 each: underflow
    try:
        E, e_err = split_product(Z.T, Z, np.eye(n)) if m >= n else split_product(Z, Z.T, np.eye(m))
        root = np.sqrt(np.maximum(sv, 0))
        Af, Bf = Uf * root[None, :], root[:, None] * Vt
        R, r_err = split_product(Af, Bf, F)
    except OverflowError:
        return None
    eta = fro_up(np.abs(E) + e_err)
    u = root_up(1 + eta)
    z_f = root_up(Fraction(r) + Fraction(math.isqrt(r) + 1) * eta)
    d = delta * Fraction(scale)
    loss = z_f * d  # |tr(Zᵀ (M_true - M))| <= |Z|_F delta
    if err is not None:
        w = _weighted_err(Z, err)  # unscaled units: |Z| err neither overflows nor loses the scale's exactness
        if w is not None:
            loss = min(loss, (w + z_f * extra) * Fraction(scale))
    lower = max(Fraction(0), (t - t_err - loss) / u)
    rho = fro_up(np.abs(R) + r_err)
    half = (sumsq_bracket(Af)[1] + sumsq_bracket(Bf)[1]) / 2
    upper = half + (math.isqrt(r - 1) + 1) * (rho + d)
    return FloatNuclear(lower / Fraction(scale), max(upper, lower) / Fraction(scale))
