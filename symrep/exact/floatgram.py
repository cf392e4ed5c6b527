"""Exact Gram matrices of binary-float data: one float64 product gives the leading bits, a few primes the rest.

Design note
-----------
*Integers.*  A float array ``a`` whose non-zero entries have binary exponents
(``numpy.frexp``) ``e >= e_min`` is ``2**-s`` times an integer array for
``s = t - e_min``, where ``t`` is the number of mantissa digits of its format (24 for
float32): each ``x * 2**(t - e(x))`` is an integer and ``e(x) >= e_min``.  The power
of two common to every entry is then taken out (:func:`float_rows`).  When the
integers reach ``2**52`` (a wide exponent range, or float64 data) this module does
not apply and the caller uses :func:`symrep.exact.intmat.modular_product`.

*The Gram* ``G = Z Z^T`` of ``Z`` (its rows: the scaled rows of the blocks), an
integer matrix with entries ``|z| < 2**52``, inner length ``d``:

1. Float.  ``F = fl(Z Z^T)`` by float64 GEMM.  Whatever the order of summation
   (blocking, FMA, threads), every entry is a computed inner product of ``d``
   terms, so ``|F_ij - G_ij| <= gamma_d sum_k |z_ik z_jk| <= gamma_d sqrt(n_i n_j)``
   with ``gamma_d = d u / (1 - d u)``, ``u = 2**-53`` and ``n_i = |z_i|**2`` (Higham,
   *Accuracy and Stability of Numerical Algorithms*, section 3.1).  The diagonal, a
   sum of non-negative terms, gives ``n_i <= F_ii / (1 - gamma_d)``; with ``N`` the
   largest such bound, ``|G_ij| <= N`` and ``|F_ij - G_ij| <= E = gamma_d N``.
2. Residues.  ``G mod p`` for a few primes ``p < 2**22`` by float64 GEMM on balanced
   residues, over column chunks of ``c`` columns with ``(c + 1) h**2 <= 2**53 - 2**31``
   (``h = p // 2 + 2``): every partial sum, and the running total plus a chunk's
   product, is an exactly represented integer (as in :mod:`symrep.exact.intmat`).
   Garner's algorithm gives balanced digits of an integer ``g0 == G (mod M)``,
   ``M = prod(p)``, ``|g0| <= W < M``.
3. Quotient.  ``G = g0 + M q`` with ``q`` an integer matrix, and
   ``F / M - g0 / M = q + (F - G) / M``.  Primes are added until ``M >= 11 E / 5`` and
   ``(N + E) / M <= 2**40``.  Then ``|(F - G) / M| <= 5/11``, and the float evaluation
   of the left side (``F * fl(1/M)``, then ``digit_k * fl(P_k / M)`` subtracted in
   turn) is off by at most ``(m + 2) 2**-13`` (``m`` primes: every intermediate is
   below ``2**40 + 1``, so each rounding is below ``2**-13``); with ``m <= 40`` (the
   quotient bound and ``E >= 0`` keep ``m`` far below that for inner lengths up to
   ``2**31``) the two add to less than ``5/11 + 42 * 2**-13 < 1/2``, so rounding it to
   the nearest integer gives ``q`` exactly.  (``11/5`` rather than ``4``: one bit, which
   at times is one prime fewer.)  ``|q| <= 2**40 + 2`` is split into two balanced
   limbs of base ``2**21``.

The result is a :class:`~symrep.exact.intmat.ModularProduct` whose radices are the
primes, then ``2**21`` twice (the limbs of ``q``); its digits spell ``G`` itself.
Compared with primes alone, the float product replaces the primes for the leading
``40`` bits (``-log2 gamma_d``): float32 ReLU activations over 10,000 points
(entries of 47 bits, Gram entries of about 107 bits) need one float product and 3-4
primes instead of 6 primes.  Nothing here is probabilistic or a tolerance: every
step is an inequality on exactly known quantities.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from symrep.errors import InputError, InternalError
from symrep.exact.intmat import _FORMATS, ModularProduct, _garner, gamma, primes_for, with_quotient

__all__ = ["FloatRows", "float_gram", "float_rows", "gram", "row_sums"]

_LIMIT = 52  # scaled integers stay below 2**52 (float64 exact, residues computed in float64)
_SUM_COLS = 1 << 9  # int64 row sums over at most 2**9 columns of entries below 2**52: below 2**61
_CHUNK = 2047  # columns per modular GEMM: (2047 + 1) * (2**21 + 2)**2 <= 2**53 - 2**31


class FloatRows:
    """A float array ``a`` read as the integer matrix ``a * 2**shift`` (exact), with its exact row sums.

    >>> r = float_rows(np.array([[0.5, 1.5], [0.25, 0.0]], dtype=np.float32))
    >>> r.shift, r.sums
    (2, [8, 1])
    """

    __slots__ = ("array", "shift", "sums")

    def __init__(self, array: np.ndarray, shift: int, sums: list[int]):
        self.array, self.shift, self.sums = array, shift, sums

    @property
    def shape(self) -> tuple[int, int]:
        return self.array.shape

    def scaled(self, rows: slice, cols: slice, out: np.ndarray) -> np.ndarray:
        """``a[rows, cols] * 2**shift`` into ``out`` (float64, exact: a power of two, no overflow below 2**52)."""
        np.multiply(self.array[rows, cols], math.ldexp(1.0, self.shift), out=out, dtype=np.float64)
        return out


def float_rows(a: np.ndarray, sums: bool = True) -> FloatRows | None:
    """The exact integer form of a 2-D binary-float array for :func:`gram`, or None when its integers reach ``2**52``.

    ``sums=False`` skips the exact row sums (``sums`` is then empty) and the removal of the
    power of two common to every entry (the integers stay exact, only larger).

    The array must be finite (checked by the caller).  The exponent fields are read
    from the bits: a non-zero entry with field ``E`` is a multiple of
    ``2**(max(E, 1) - bias - mbits)`` (subnormals included) and below ``2**(E - bias + 1)``.

    >>> float_rows(np.array([[1e-30, 1.0]])) is None
    True
    """
    if a.ndim != 2 or a.dtype.kind != "f" or a.dtype.itemsize not in _FORMATS:
        return None
    n, d = a.shape
    utype, mbits, ebits = _FORMATS[a.dtype.itemsize]
    bias = (1 << (ebits - 1)) - 1
    b = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("=")).view(utype)
    cap = (1 << (mbits + ebits)) - 1
    mag_mask: Any = utype(cap)
    least, most = cap, 0  # the smallest non-zero and the largest magnitude, as bits (monotone in the value)
    step = max(1, (1 << 19) // max(d, 1))
    for r in range(0, n, step):
        mag = b[r:r + step] & mag_mask
        if mag.size:
            most = max(most, int(mag.max()))
            mag -= 1  # unsigned: zeros wrap to the top, so the minimum is that of the non-zero magnitudes, less one
            least = min(least, int(mag.min()) + 1)
    if not most:  # the zero matrix
        return FloatRows(a, 0, [0] * n)
    lo, hi = max(1, least >> mbits), most >> mbits  # exponent fields
    shift = bias + mbits - lo  # every entry times 2**shift is an integer
    if hi - bias + 1 + shift > _LIMIT:
        return None
    if not sums:
        return FloatRows(a, shift, [])
    row_sums, g = _sums(a, shift)
    tz = (g & -g).bit_length() - 1 if g else 0  # the power of two common to every entry
    return FloatRows(a, shift - tz, [s >> tz for s in row_sums])


def row_sums(r: FloatRows) -> list[int]:
    """The exact row sums of ``r``'s integer rows (those made by :func:`float_rows` or computed now).

    >>> r = float_rows(np.array([[0.5, 1.5], [0.25, 0.0]], dtype=np.float32), sums=False)
    >>> r.shift, row_sums(r)    # sums=False keeps the powers of two common to every entry
    (25, [67108864, 8388608])
    """
    if len(r.sums) == r.shape[0]:
        return list(r.sums)
    return _sums(r.array, r.shift)[0]


def _sums(a: np.ndarray, shift: int) -> tuple[list[int], int]:
    """Exact row sums of ``a * 2**shift`` and the bitwise or of its entries' absolute values."""
    n, d = a.shape
    sums = [0] * n
    g = 0
    scale = math.ldexp(1.0, shift)
    for c in range(0, d, _SUM_COLS):
        v = (a[:, c:c + _SUM_COLS].astype(np.float64) * scale).astype(np.int64)  # exact: integers below 2**52
        g |= int(np.bitwise_or.reduce(v, axis=None)) if v.size else 0  # -v has the lowest set bit of v
        sums = [s + int(t) for s, t in zip(sums, v.sum(axis=1))]
    return sums, g


def _residues_into(v: np.ndarray, p: int, out: np.ndarray) -> np.ndarray:
    """Balanced residues of float64 integers ``|v| <= 2**53 - 2**31`` (see intmat._residues), into ``out``."""
    np.multiply(v, 1.0 / p, out=out)
    np.rint(out, out=out)
    out *= p
    np.subtract(v, out, out=out)
    return out


def _stack(blocks: Sequence[FloatRows]) -> tuple[list[int], int, int]:
    rows = [0]
    for b in blocks:
        rows.append(rows[-1] + b.shape[0])
    d = blocks[0].shape[1]
    if any(b.shape[1] != d for b in blocks):
        raise InputError("blocks of a Gram matrix need the same number of columns")
    c = max(1, -(-d // -(-d // _CHUNK))) if d else 1  # chunks of equal width, at most _CHUNK
    return rows, d, c


def _chunks(blocks: Sequence[FloatRows], rows: list[int], d: int, c: int, buf: np.ndarray, R: np.ndarray):
    """The integer rows of the stacked blocks, ``c`` columns at a time (float64, exact), with a buffer for residues."""
    for c0 in range(0, d, c):
        w = min(c, d - c0)
        Z = buf[:, :w]
        for b, r0, r1 in zip(blocks, rows, rows[1:]):
            b.scaled(slice(None), slice(c0, c0 + w), Z[r0:r1])
        yield Z, R[:, :w]


def float_gram(blocks: Sequence[FloatRows]) -> np.ndarray:
    """``fl(Z Z^T)`` by float64 GEMM over column chunks: ``|F_ij - G_ij| <= gamma_d sqrt(G_ii G_jj)`` (design note, 1).

    >>> x = float_rows(np.array([[0.5, -3.0], [1.0, 2.0]], dtype=np.float32))
    >>> float_gram([x]).tolist()
    [[37.0, -22.0], [-22.0, 20.0]]
    """
    rows, d, c = _stack(blocks)  # chunks of at most 2047 columns: measured as fast as one long product, less memory
    n = rows[-1]
    buf = np.empty((n, c))
    F: np.ndarray | None = None
    T = None
    for Z, _ in _chunks(blocks, rows, d, c, buf, buf):  # one computed inner product of d terms per entry, in some order
        if F is None:
            F = Z @ Z.T
        else:
            T = np.matmul(Z, Z.T, out=T)
            F += T
    return np.zeros((n, n)) if F is None else F



def gram(blocks: Sequence[FloatRows], F: np.ndarray | None = None, bounds: tuple[Fraction, Fraction] | None = None
         ) -> ModularProduct:
    """``Z Z^T`` exactly, ``Z`` the integer rows of the blocks stacked (see the design note).

    ``F``: :func:`float_gram` of the same blocks if already made (it is overwritten), or
    any float matrix with ``|F - G| <= E`` entrywise for ``bounds = (N, E)``, ``|G| <= N``
    (by default ``N`` and ``E = gamma_d N`` from the diagonal of a float Gram).

    >>> x = float_rows(np.array([[0.5, -3.0], [1.0, 2.0]], dtype=np.float32))
    >>> gram([x]).exact().tolist()    # x.shift == 1: rows [1, -6] and [2, 4]
    [[37, -22], [-22, 20]]
    """
    rows, d, c = _stack(blocks)
    n = rows[-1]
    if F is None:
        F = float_gram(blocks)
    buf, R = np.empty((n, c)), np.empty((n, c))
    ps = _choose(*(bounds or _bounds(F, d)), c)
    acc = [np.zeros((n, n)) for _ in ps]
    T = np.empty((n, n))
    for Z, Rw in _chunks(blocks, rows, d, c, buf, R):
        for p, a in zip(ps, acc):
            _residues_into(Z, p, Rw)
            np.matmul(Rw, Rw.T, out=T)
            T += a  # |a| + c h**2 <= (c + 1) h**2 <= 2**53 - 2**31: exact
            _residues_into(T, p, a)
    del T
    digits = _garner((acc.pop(0) for _ in ps), ps)  # each residue matrix is released as its digit is made
    return with_quotient(F, digits, overwrite=True)


def _bounds(F: np.ndarray, d: int) -> tuple[Fraction, Fraction]:
    """``(N, E)``: ``|G_ij| <= N`` and ``|F_ij - G_ij| <= E`` for the float Gram ``F`` of inner length ``d`` (note, 1)."""
    g = gamma(max(d, 1))
    top = float(np.max(np.diagonal(F))) if F.size else 0.0
    N = Fraction(top) / (1 - g)  # every |z_i|**2 is at most this
    return N, g * N


def _choose(N: Fraction, E: Fraction, c: int) -> list[int]:
    """The fewest primes for chunks of ``c`` columns with ``M >= 11 E / 5`` and ``(N + E) / M <= 2**40`` (design note, 3)."""
    count = 1
    while True:  # (c + 1) h**2 <= 2**53 - 2**31: a chunk's product plus the running total stays exact
        ps = primes_for(c + 1, count)
        M = math.prod(ps)
        if 5 * M >= 11 * E and (N + E) / M <= 1 << 40:
            return ps
        count += 1
        if count > 40:  # pragma: no cover - N <= 2**144 needs at most 8 primes; the design note assumes m <= 40
            raise InternalError(f"{count} primes for a Gram of inner length {c}")

