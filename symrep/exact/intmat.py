"""Exact integer matrix products at BLAS speed, and exact float-to-integer conversion.

Design note
-----------
*Conversion.*  A binary float is ``(-1)**s * m * 2**e`` with an integer mantissa
``m`` of at most 11/24/53 bits (float16/32/64), subnormals included.
:func:`scaled_ints` reads ``s``, ``m`` and ``e`` from the bits of the whole array
(a view as unsigned integers: no rounding anywhere), shifts the entries of a row
(or of the whole matrix) to the smallest exponent that occurs there, and takes out
the power of two common to the row.  The result is an integer matrix ``V`` and
exponents ``E`` with ``row i == V[i] * 2**E[i]`` exactly; ``V`` is ``int64`` when
every entry is below ``2**62`` (float32 activations: 24 bits plus the exponent range
of the row, about 45-50 bits), else Python integers.  NaN and infinities (the
all-ones exponent field) are refused with the position of the first one.

*Products.*  :func:`modular_product` computes ``G = X @ Y.T`` for integer matrices
with float64 GEMM, modulo primes ``p < 2**22`` chosen for the inner length ``d``:

1. Residues.  An integer ``|v| <= 2**53 - 2**31`` is exact in float64, and
   ``r = v - p * rint(v * (1/p))`` is computed exactly with ``|r| <= p // 2 + 2``
   (the computed quotient is within ``2/p`` of ``v / p``; see :func:`_residues`).
   Larger integers are reduced with integer arithmetic.
2. GEMM.  Every product of two residues is at most ``h**2``, ``h = p // 2 + 2``, and
   every partial sum of a dot product, in any order or grouping (blocking, FMA,
   threads), is a sum of at most ``d`` such products: at most ``d * h**2``.  The
   primes satisfy ``d * h**2 <= 2**53 - 2**31`` (:func:`primes_for`), so every intermediate
   is an integer float64 represents exactly, each rounding is exact, and BLAS
   returns the true dot product of the residues whatever its summation order (and
   that result is again small enough to be reduced as in 1).
3. Bound.  ``|G[i, j]| <= B``, the smaller of ``d * max|X| * max|Y|`` and the
   Cauchy-Schwarz bound ``sqrt(max |x_i|**2 * max |y_j|**2)`` (squared norms bounded
   above from their float64 sums with the factor ``1.001 > 1 / (1 - gamma_d)``).
4. Recombination.  Balanced mixed-radix digits ``|v_k| <= p_k // 2 + 2`` are computed
   from the residues (Garner's algorithm, each step a product of two numbers below
   ``2**22 + 4``, reduced as in 1).  Any digit vector with the right residues spells
   an integer congruent to ``G`` modulo ``P = prod(p_k)`` of absolute value at most
   ``W = sum((p_k // 2 + 2) * prod(p_j, j < k))``; primes are added until
   ``B + W < P`` (:func:`_count`), which makes that integer ``G`` itself.

So no tolerance and no probability is involved.  With ``d = 10**4`` the primes are
near ``2**20.9``; 47-bit float32 ReLU activations over 10,000 points need 5 or 6.
:class:`ModularProduct` keeps the digits, and returns ``G`` as Python integers
(:meth:`~ModularProduct.exact`), or directly the exact ``sum(G**2)`` and
``a @ G @ b`` that CKA needs (:meth:`~ModularProduct.frobenius2`,
:meth:`~ModularProduct.bilinear`: blocked float64 products of digits, again with
every partial sum below ``2**53``) without a Python integer per entry.

*Repeated products.*  :class:`Operand` keeps an integer matrix ``Y`` for many
products ``x @ Y[rows][:, cols].T`` (the certified eps-match multiplies proposed
coefficients by ever smaller principal submatrices of one Gram).  Its primes are
chosen for the inner length of the whole ``Y`` (a prime that keeps every partial
sum below ``2**53`` for ``d`` does so for any shorter ``d``), so the residues of
``Y`` modulo each prime are computed once and indexed for every sub-matrix.  When
``Y`` is itself a :class:`ModularProduct`, they come from its digits
(:meth:`ModularProduct.residues`: Horner in float64, every step below ``2**43``)
without one Python integer per entry.  :class:`FloatInts` passes integers that
are float64 already (checked integral and at most ``2**53 - 2**31``) without the
two conversions ``float -> int64 -> float64``.

*Measured* (``X @ X.T``, Python integers out, 47-bit float32 ReLU activations, load 5):
128 x 2,000: float64 multi-modular 0.63 s, ``fmpz_mat`` 0.78 s, per-prime ``nmod_mat``
3.0 s; 512 x 2,000: 2.2 s, 3.4 s, 16 s (one float64 Gram: 0.15 s).  Building flint
matrices costs 0.6-1.2 microseconds per entry, more than the whole multi-modular product,
so ``"auto"`` uses float64 GEMM for ``int64`` input and ``fmpz_mat`` for Python integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Iterator

import numpy as np

from symrep.errors import InputError, ShapeError
from symrep.exact.floatbits import frexp_ints

__all__ = ["FloatInts", "ModularProduct", "Operand", "ScaledInts", "bound", "integer_rows", "modular_product", "primes_for",
           "product", "scaled_ints", "to_python"]

_FITS = 1 << 62  # |entries| below this are kept as int64 (room for the sign and one addition)
_EXACT = 1 << 53  # float64 represents every integer of absolute value <= 2**53
_MAX_INNER = 1 << 40  # inner lengths beyond this would leave primes too small to be useful
_P_CAP = 1 << 22  # residues and digits stay below 2**21 + 2, so products of two stay below 2**42.01
_FLOAT_OK = _EXACT - (1 << 31)  # integer inputs up to this size are reduced in float64 (see _residues)


@dataclass(frozen=True, eq=False)
class ScaledInts:
    """An exact integer form of a real matrix: ``row i == values[i] * 2**exponents[i]``.

    >>> s = scaled_ints(np.array([[0.5, 0.25], [3.0, 0.0]]))
    >>> s.values.tolist(), s.exponents.tolist()
    ([[2, 1], [3, 0]], [-2, 0])
    """

    values: np.ndarray  # int64, or object (Python int) when an entry needs 62 bits or more
    exponents: np.ndarray  # int64, one per row

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape


@dataclass(frozen=True, eq=False)
class FloatInts:
    """A 2-D float64 array of integers of absolute value at most ``2**53 - 2**31``, multiplied as it is (no copy).

    Checked when made.  Plain float arrays are refused by the products (a float is not
    an integer until :func:`scaled_ints` says which one); this is the way to pass
    integers that are float64 already.

    >>> product(FloatInts(np.array([[3.0, -2.0]]))).tolist()
    [[13]]
    """

    values: np.ndarray

    def __post_init__(self) -> None:
        v = self.values
        if not isinstance(v, np.ndarray) or v.ndim != 2 or v.dtype != np.float64:
            raise ShapeError("FloatInts: expected a 2-D float64 array")
        top = float(max(v.max(), -v.min())) if v.size else 0.0
        if not top <= _FLOAT_OK or not np.array_equal(np.rint(v), v):  # NaN fails the first test
            raise InputError("FloatInts: the entries must be integers of absolute value at most 2**53 - 2**31")


def _check_finite(x: np.ndarray) -> None:
    if not np.isfinite(x).all():
        bad = np.argwhere(~np.isfinite(x))[0]
        raise InputError(f"entry {tuple(int(t) for t in bad)} is {x[tuple(bad)]}: NaN and infinity are not numbers")


def scaled_ints(a: Any, per_row: bool = True) -> ScaledInts:
    """Exact integers and power-of-two exponents for a 2-D NumPy array (no rounding).

    Parameters
    ----------
    a
        A 2-D array of integers or of binary floats (float16, float32, float64).
    per_row
        One exponent per row (True) or one shared by the whole matrix (False).

    Raises
    ------
    InputError
        For NaN, infinities, booleans, complex or object arrays, or long doubles.

    >>> scaled_ints(np.array([[1.5, -0.0], [2.0**-149, 0]], dtype=np.float32)).exponents.tolist()
    [-1, -149]
    >>> scaled_ints(np.array([[1.5, 4.0]]), per_row=False).values.tolist()
    [[3, 8]]
    """
    a = np.asarray(a)
    if a.ndim != 2:
        raise ShapeError(f"expected a 2-D array, got {a.ndim} dimensions")
    n, d = a.shape
    if a.dtype.kind in "iu":
        if a.dtype.kind == "u" and a.dtype.itemsize == 8 and a.size and int(a.max()) >= _FITS:
            values = a.astype(object)
        else:
            values = a.astype(np.int64)
            if values.size and (int(values.max()) >= _FITS or int(values.min()) <= -_FITS):
                values = a.astype(object)
        return ScaledInts(values, np.zeros(n, dtype=np.int64))
    if a.dtype.kind == "b":
        raise InputError("boolean arrays are not numbers")
    if a.dtype.kind != "f" or a.dtype.itemsize > 8:
        raise InputError(f"array of dtype {a.dtype} is not an array of binary floats or integers")
    return _from_bits(a, per_row)


# (unsigned view, mantissa bits, exponent bits) of the binary formats read bit by bit
_FORMATS = {2: (np.uint16, 10, 5), 4: (np.uint32, 23, 8), 8: (np.uint64, 52, 11)}


def _fields(b: np.ndarray, mbits: int, ebits: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer mantissas (hidden bit included, no sign) and exponents of the floats whose bits are ``b``."""
    E = ((b >> mbits) & ((1 << ebits) - 1)).astype(np.int32)
    m = (b & ((1 << mbits) - 1)).astype(np.int64)
    m |= (E > 0).astype(np.int64) << mbits  # the hidden bit of normal numbers
    ex = np.maximum(E, 1) - (((1 << (ebits - 1)) - 1) + mbits)  # subnormals share the smallest exponent
    return m, ex


_TOP = 1 << 20  # above every exponent of the binary formats read here
_CHUNK = 1 << 19  # entries converted at a time: keeps the temporaries small


def _row_lows(b: np.ndarray, mbits: int, ebits: int, step: int) -> np.ndarray:
    lows = []
    for r in range(0, b.shape[0], step):
        m, ex = _fields(b[r:r + step], mbits, ebits)
        ex[m == 0] = _TOP
        lows.append(ex.min(axis=1, initial=_TOP))
    return np.concatenate(lows) if lows else np.zeros(0, dtype=np.int32)


def _from_bits(a: np.ndarray, per_row: bool) -> ScaledInts:
    """Read sign, exponent and mantissa fields of every float: the value is ``(-1)**s * m * 2**ex``."""
    n, d = a.shape
    utype, mbits, ebits = _FORMATS[a.dtype.itemsize]
    b = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("=")).view(utype)  # native byte order, then the bits
    if (((b >> mbits) & ((1 << ebits) - 1)) == (1 << ebits) - 1).any():  # the all-ones exponent: NaN or infinity
        _check_finite(a)
    fast = frexp_ints(a, per_row)  # the same integers by frexp/ldexp (fewer passes), when they fit in int64
    if fast is not None:
        return _stripped(*fast, per_row)
    step = max(1, _CHUNK // max(d, 1))
    lows = _row_lows(b, mbits, ebits, step).astype(np.int64)
    if not per_row:
        lows = np.full(n, lows.min(initial=_TOP))
    lows[lows == _TOP] = 0  # zero rows (or matrix): exponent 0
    out = np.zeros((n, d), dtype=np.int64)
    sign_bit = 8 * a.dtype.itemsize - 1
    for r in range(0, n, step):
        m, ex = _fields(b[r:r + step], mbits, ebits)
        ex -= lows[r:r + step, None].astype(np.int32)
        np.maximum(ex, 0, out=ex)  # only zeros can lie below the smallest exponent
        if ex.size and int(ex.max()) + mbits + 1 >= 62:
            return _wide(b, mbits, ebits, per_row)
        m <<= ex
        np.negative(m, out=m, where=(b[r:r + step] >> sign_bit).astype(bool))
        out[r:r + step] = m
    return _stripped(out, lows, per_row)


def _stripped(out: np.ndarray, lows: np.ndarray, per_row: bool) -> ScaledInts:
    """Strip the power of two common to each row (or to the matrix): the integers as small as possible, unique."""
    g = np.bitwise_or.reduce(out, axis=1) if per_row else np.full(len(out), np.bitwise_or.reduce(out, axis=None))
    tz = np.where(g == 0, 0, np.frexp((g & -g).astype(np.float64))[1] - 1).astype(np.int64)  # exact: powers of two
    if tz.any():
        out >>= tz[:, None]  # exact: every entry of the row is a multiple of 2**tz
    return ScaledInts(out, lows + tz)


def _wide(b: np.ndarray, mbits: int, ebits: int, per_row: bool) -> ScaledInts:
    """A wide exponent range: Python integers.  Odd mantissas first, so the smallest exponent is the true one."""
    n = b.shape[0]
    m, ex = _fields(b, mbits, ebits)
    ex = ex.astype(np.int64)
    nz = m != 0
    tzm = np.where(nz, np.frexp((m & -m).astype(np.float64))[1] - 1, 0).astype(np.int64)
    m, ex = m >> tzm, ex + tzm
    low = np.where(nz, ex, _TOP).min(axis=1, initial=_TOP)
    if not per_row:
        low = np.full(n, low.min(initial=_TOP))
    low = np.where(low == _TOP, 0, low)
    shift = np.maximum(ex - low[:, None], 0)
    v = m.astype(object) * (np.ones(m.shape, dtype=object) << shift.astype(object))
    negative = (b >> (8 * b.dtype.itemsize - 1)).astype(bool)
    return ScaledInts(_narrow(np.where(negative, -v, v)), low)


def integer_rows(a: Any) -> tuple[list[list[int]] | None, list[int], int, np.ndarray | None]:
    """``(ints, scale, ncols, array)`` with ``row i == ints[i] / scale[i]`` (``ints`` None: read ``array``).

    For :meth:`symrep.exact.linalg.IntRows.from_array`: the rows of a 2-D array of
    integers or binary floats, exactly; long doubles are read value by value.

    >>> integer_rows(np.array([[0.5, 1.5], [4.0, 0.0]]))[1:3]
    ([2, 1], 2)
    """
    a = np.asarray(a)
    if a.ndim != 2:
        raise ShapeError(f"expected a 2-D array, got {a.ndim} dimensions")
    d = a.shape[1]
    if a.dtype.kind == "f" and a.dtype.itemsize > 8:  # long double: wider than float64, so value by value
        _check_finite(a)
        rows = [[Fraction(*x.as_integer_ratio()) for x in row] for row in a]
        scale = [math.lcm(*(q.denominator for q in r)) if r else 1 for r in rows]
        return [[q.numerator * (s // q.denominator) for q in r] for r, s in zip(rows, scale)], scale, d, None
    v = scaled_ints(a)
    e = v.exponents.tolist()
    if v.values.dtype == object or max(e, default=0) > 0:  # huge integers: Python integers, row by row
        ints = [[int(x) << k for x in r] if k > 0 else [int(x) for x in r] for r, k in zip(v.values.tolist(), e)]
        return ints, [1 << -k if k < 0 else 1 for k in e], d, None
    return None, [1 << -k for k in e], d, v.values


def _narrow(values: np.ndarray) -> np.ndarray:
    """``values`` as int64 when every entry fits, else unchanged (an object array)."""
    if values.dtype == object and values.size:
        hi, lo = max(values.flat), min(values.flat)
        if hi < _FITS and lo > -_FITS:
            return values.astype(np.int64)
    return values


def _is_prime(q: int) -> bool:
    return q >= 2 and all(q % f for f in range(2, math.isqrt(q) + 1))


_PRIME_CACHE: dict[int, list[int]] = {}


def primes_for(d: int, count: int) -> list[int]:
    """The ``count`` largest primes ``p`` with ``d * (p // 2 + 2)**2 <= 2**53 - 2**31`` (and ``p < 2**22``).

    >>> primes_for(10_000, 2)
    [1898107, 1898087]
    """
    if not 1 <= d <= _MAX_INNER:
        raise ShapeError(f"inner dimension {d} is not between 1 and {_MAX_INNER}")
    h = math.isqrt(_FLOAT_OK // d)  # d * h**2 <= 2**53 - 2**31: GEMM results can be reduced as in _residues
    top = min(2 * (h - 2), _P_CAP - 1)  # then _halfwidth(p) = p // 2 + 2 <= h for p <= top
    got = _PRIME_CACHE.setdefault(top, [])
    q = top if not got else got[-1] - 1
    while len(got) < count:
        if q < 3:  # pragma: no cover - d is bounded so that there are plenty
            raise InputError(f"not enough primes below 2**22 for exact products of inner dimension {d}")
        if _is_prime(q):
            got.append(q)
        q -= 1
    return got[:count]


def _max_abs(v: np.ndarray) -> int:
    if not v.size:
        return 0
    return max(abs(int(v.max())), abs(int(v.min())))


def _norm2_bound(x: np.ndarray) -> int | None:
    """An upper bound on every squared row norm of ``x`` (None for Python-integer entries).

    The float64 sum of squares of ``d`` exactly represented numbers, in any order,
    is within a factor ``1 +- gamma_d`` of the true sum (``gamma_d = d u / (1 - d u)``,
    ``u = 2**-53``, all terms non-negative); with ``d <= 2**40`` the true sum is below
    ``1.001`` times the computed one.
    """
    if x.dtype == object or not x.size or _max_abs(x) > _EXACT:
        return None
    xf = np.asarray(x, dtype=np.float64)  # no copy for float64 input
    top = float(np.einsum("ij,ij->i", xf, xf).max())
    return math.ceil(top * 1.001) + 1


def bound(x: np.ndarray, y: np.ndarray) -> int:
    """A bound on every entry of ``x @ y.T`` (exact): ``d * max|x| * max|y|``, or by Cauchy-Schwarz.

    >>> bound(np.array([[3, 4]]), np.array([[1, 0], [0, 1]]))
    8
    """
    simple = x.shape[1] * _max_abs(x) * _max_abs(y)
    nx, ny = _norm2_bound(x), _norm2_bound(y)
    if nx is None or ny is None:
        return simple
    return min(simple, math.isqrt(nx * ny) + 1)  # |<x_i, y_j>| <= |x_i| |y_j| <= sqrt(nx * ny)


def _halfwidth(p: int) -> int:
    """The largest absolute value of a residue modulo ``p`` as :func:`_residues` computes it."""
    return p // 2 + 2


def _prepared(v: np.ndarray) -> np.ndarray:
    """``v`` as float64 when that is exact and :func:`_residues` may use float arithmetic, else ``v`` itself."""
    if v.dtype != object and _max_abs(v) <= _FLOAT_OK:
        return np.asarray(v, dtype=np.float64)  # float64 input is used as it is (_residues does not write to it)
    return v


def _residues(v: np.ndarray, p: int) -> np.ndarray:
    """Residues ``r == v (mod p)`` with ``|r| <= p // 2 + 2``, as float64.

    For float64 input (exact integers of absolute value at most ``2**53 - 2**31``)
    ``r = v - p * rint(v * (1/p))``: the computed quotient is within ``2/p`` of
    ``v / p``, so ``|v / p - rint(...)| <= 1/2 + 2/p``; ``p * rint(...)`` is an
    integer below ``2**53`` (exact) and the difference, an integer of absolute value
    at most ``p/2 + 2``, is exact too.
    """
    if v.dtype == np.float64:
        t = v * (1.0 / p)
        np.rint(t, out=t)
        t *= p
        np.subtract(v, t, out=t)
        return t
    r = (v % p).astype(np.int64) if v.dtype == object else np.remainder(v, p)
    r = r - np.where(r > p // 2, p, 0)
    return r.astype(np.float64)


@dataclass(frozen=True, eq=False)
class ModularProduct:
    """An integer matrix ``G`` known by balanced mixed-radix digits: ``G == sum(digits[k] * prod(primes[:k]))``.

    Every digit is a float64 array of integers with ``|digits[k]| <= primes[k] // 2 + 2``
    (exact: below ``2**22``).  The primes are chosen so that this representation is the
    value itself (see :func:`modular_product`); a product led by a float product ends with two radices ``2**21``.
    """

    primes: tuple[int, ...]
    digits: tuple[np.ndarray, ...]

    @property
    def shape(self) -> tuple[int, int]:
        return self.digits[0].shape

    def block(self, rows: slice, cols: slice) -> "ModularProduct":
        """The sub-matrix ``G[rows, cols]`` (its digits are views).

        >>> g = modular_product(np.array([[1, 2], [3, 4]]))
        >>> g.block(slice(0, 1), slice(1, 2)).exact().tolist()
        [[11]]
        """
        return ModularProduct(self.primes, tuple(v[rows, cols] for v in self.digits))

    def radices(self) -> list[int]:
        return [math.prod(self.primes[:k]) for k in range(len(self.primes))]

    def residues(self, p: int) -> np.ndarray:
        """``G mod p`` as balanced float64 residues (``|r| <= p // 2 + 2``), from the digits: no Python integers.

        Horner on the digits: every step adds a residue (at most ``2**21 + 2``) to a
        digit times a residue (at most ``(2**21 + 2)**2``), below ``2**53 - 2**31``, and
        reduces it as :func:`_residues` does, so every intermediate is exact.

        >>> g = modular_product(np.array([[2**40, 3], [-7, 5]]))
        >>> g.residues(101).tolist() == [[float((v + 50) % 101 - 50) for v in r] for r in g.exact().tolist()]
        True
        """
        m = len(self.primes)
        acc = _residues(self.digits[m - 1], p)
        for k in range(m - 2, -1, -1):
            radix = float(_balanced(self.primes[k] % p, p))
            acc = _residues(acc * radix + _residues(self.digits[k], p), p)
        return acc

    def exact(self) -> np.ndarray:
        """``G`` as an array of Python integers."""
        m = len(self.primes)
        acc = self.digits[m - 1].astype(np.int64)
        top = _halfwidth(self.primes[m - 1])  # |acc| <= top
        k = m - 2
        while k >= 0 and top * self.primes[k] + _halfwidth(self.primes[k]) < _FITS:  # leading digits fit in int64
            acc = acc * self.primes[k] + self.digits[k].astype(np.int64)
            top = top * self.primes[k] + _halfwidth(self.primes[k])
            k -= 1
        out = acc.astype(object)
        for j in range(k, -1, -1):
            out = out * self.primes[j] + self.digits[j].astype(np.int64)
        return out

    def frobenius2(self) -> int:
        """``sum(G[i, j]**2)`` exactly, from the digits (no Python integer per entry)."""
        return self.inner(self)

    def inner(self, other: "ModularProduct") -> int:
        """``sum(G[i, j] * H[i, j])`` exactly for ``H = other`` of the same shape.

        ``sum(G * H) == sum_{k,l} P_k Q_l <g_k, h_l>`` over the digits; each inner
        product is taken over blocks of ``_BLOCK`` entries, whose partial sums stay
        below ``2**53`` (each product of two digits is below ``2**42.01``), then the
        block sums are added as integers.
        """
        if self.shape != other.shape:
            raise ShapeError(f"inner product of a {self.shape} and a {other.shape} matrix")
        N = self.digits[0].size
        if not N:
            return 0
        S = _blocked(self.digits, N)
        T = S if other is self else _blocked(other.digits, N)
        ints = np.matmul(S, T.transpose(0, 2, 1)).astype(np.int64)  # (blocks, digits, digits), exact
        m, n = S.shape[1], T.shape[1]
        M = [[0] * n for _ in range(m)]
        for g in range(0, ints.shape[0], 1 << 9):  # at most 2**9 values below 2**53 per int64 sum
            block = ints[g:g + (1 << 9)].sum(axis=0)
            for k in range(m):
                for j in range(n):
                    M[k][j] += int(block[k, j])
        R, Q = self.radices(), other.radices()
        return sum(R[k] * Q[j] * M[k][j] for k in range(m) for j in range(n))

    def bilinear(self, a: Any, b: Any) -> int:
        """``a @ G @ b`` exactly for integer vectors ``a`` (length rows) and ``b`` (length columns)."""
        a_ints, b_ints = [int(t) for t in a], [int(t) for t in b]
        n, k_cols = self.shape
        if len(a_ints) != n or len(b_ints) != k_cols:
            raise ShapeError(f"vectors of lengths {len(a_ints)}, {len(b_ints)} for a {n}x{k_cols} matrix")
        Gb = [0] * n
        sign = np.array([-1.0 if t < 0 else 1.0 for t in b_ints])
        limbs = _limbs([abs(t) for t in b_ints])  # |b| == sum(limbs[l] * 2**(_LIMB * l))
        R = self.radices()
        for k, v in enumerate(self.digits):
            vs = v * sign  # exact: a change of sign
            for l, limb in enumerate(limbs):
                part = np.zeros(n, dtype=object)
                for c0 in range(0, k_cols, _COLS):  # partial sums below 2**(22 + _LIMB) * _COLS <= 2**53
                    part += (vs[:, c0:c0 + _COLS] @ limb[c0:c0 + _COLS]).astype(np.int64).astype(object)
                w = R[k] << (_LIMB * l)
                Gb = [x + w * int(y) for x, y in zip(Gb, part)]
        return sum(x * y for x, y in zip(a_ints, Gb))


def _balanced(r: int, p: int) -> int:
    """The residue of ``r`` modulo ``p`` in ``(-p/2, p/2]``."""
    r %= p
    return r - p if r > p // 2 else r


@dataclass(frozen=True, eq=False)
class Operand:
    """An integer matrix ``Y`` kept for repeated exact products ``x @ Y.T``: its residues are computed once per prime.

    Pass it as ``y`` to :func:`modular_product`.  The primes are chosen for the inner
    length ``inner`` of the matrix it was made from, which serves every sub-matrix
    (a prime valid for ``d`` is valid for any shorter inner length), so the residues
    of :meth:`sub` matrices are those of the whole one, indexed.  ``top`` bounds every
    ``|Y[i, j]|``.  Residues come from the integers, or from the digits of a
    :class:`ModularProduct` (``source``) without a Python integer per entry.

    >>> g = modular_product(np.array([[1, 2], [3, 4]]))
    >>> y = Operand.of(g.exact(), g).sub([1], [0, 1])            # the row [11, 25]
    >>> modular_product(np.array([[1, -1], [0, 2]]), y).exact().tolist()
    [[-14], [50]]
    """

    values: np.ndarray  # int64 or object: the whole matrix
    top: int
    inner: int
    source: "ModularProduct | None" = None
    rows: np.ndarray | None = None  # the sub-matrix values[rows][:, cols] (None: all of it)
    cols: np.ndarray | None = None
    _cache: dict = field(default_factory=dict)  # prime -> float64 residues of the whole matrix (shared by subs)

    @classmethod
    def of(cls, y: Any, source: "ModularProduct | None" = None) -> "Operand":
        """``y`` (2-D integers) for repeated products; ``source``, if given, is a ModularProduct equal to ``y``."""
        v = _as_ints(y, "y")
        if source is not None and source.shape != v.shape:
            raise ShapeError(f"a {source.shape} product given for a {v.shape} matrix")
        return cls(v, _max_abs(v), max(v.shape[1], 1), source)

    @property
    def shape(self) -> tuple[int, int]:
        n, d = self.values.shape
        return (n if self.rows is None else len(self.rows), d if self.cols is None else len(self.cols))

    def sub(self, rows: Any, cols: Any) -> "Operand":
        """The sub-matrix on ``rows`` and ``cols`` (index sequences), sharing the residues."""
        r, c = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        if self.rows is not None:
            r, c = self.rows[r], self.cols[c]  # type: ignore[index]
        return Operand(self.values, self.top, self.inner, self.source, r, c, self._cache)

    def residues(self, p: int) -> np.ndarray:
        """Balanced float64 residues of the (sub-)matrix modulo ``p``."""
        whole = self._cache.get(p)
        if whole is None:
            whole = self.source.residues(p) if self.source is not None else _residues(_prepared(self.values), p)
            self._cache[p] = whole
        if self.rows is None or self.cols is None:  # both None or neither (sub sets both)
            return whole
        return whole[np.ix_(self.rows, self.cols)]


def _operand_product(x: np.ndarray, y: Operand, primes: list[int]) -> Iterator[np.ndarray]:
    """The balanced residues of ``x @ y.T`` modulo each prime in turn (as :func:`_float_product`)."""
    xf = _prepared(x)
    for p in primes:
        yield _residues(_residues(xf, p) @ y.residues(p).T, p)


def _blocked(digits: tuple[np.ndarray, ...], N: int) -> np.ndarray:
    """The digits as an array (blocks, digits, _BLOCK), zero-padded."""
    c = -(-N // _BLOCK)
    D = np.zeros((len(digits), c * _BLOCK))
    for k, v in enumerate(digits):
        D[k, :N] = v.ravel()
    return D.reshape(len(digits), c, _BLOCK).transpose(1, 0, 2)


_BLOCK = 1 << 10  # entries per exact inner product of two digit arrays (2**10 * 2**42.01 < 2**53)
_LIMB = 20  # bits per limb of a big integer vector multiplied by digits (below 2**22)
_COLS = 1 << 10  # columns per exact matrix-vector product: 2**10 * 2**22 * 2**20 < 2**53


def _limbs(xs: list[int]) -> list[np.ndarray]:
    """Non-negative integers split into float64 limbs of ``_LIMB`` bits, least significant first."""
    top = max(xs, default=0).bit_length()
    out, mask = [], (1 << _LIMB) - 1
    for l in range(max(1, -(-top // _LIMB))):
        out.append(np.array([(x >> (_LIMB * l)) & mask for x in xs], dtype=np.float64))
    return out


def _symmetric(r: np.ndarray, p: int) -> np.ndarray:
    """Residues in ``[0, p)`` as balanced float64 residues."""
    return (r - np.where(r > p // 2, p, 0)).astype(np.float64)


def _garner(residues: Iterable[np.ndarray], primes: list[int]) -> ModularProduct:
    """Balanced mixed-radix digits from balanced residues (float64, ``|r| <= p // 2 + 2``).

    Every step multiplies two numbers below ``2**22 + 4`` and reduces with
    :func:`_residues`, so each intermediate is an exact float64 integer.
    """
    digits: list[np.ndarray] = []
    for k, (p, r) in enumerate(zip(primes, residues)):  # residues may be a generator: one alive at a time
        if k:
            acc = digits[k - 1]  # Horner: sum_{j<k} digits[j] * prod(primes[:j]) mod p
            for j in range(k - 2, -1, -1):
                acc = _residues(acc * primes[j] + digits[j], p)
            inv = pow(math.prod(primes[:k]) % p, -1, p)
            r = _residues(_residues(r - acc, p) * inv, p)
        digits.append(r)
    return ModularProduct(tuple(primes), tuple(digits))


def _count(d: int, B: int) -> list[int]:
    """Enough primes that the balanced digits of any integer of absolute value at most ``B`` are unique.

    Two digit vectors with the same residues differ by a multiple of ``P = prod(primes)``;
    both sums have absolute value at most ``B`` and ``W = sum((p_k // 2 + 2) * P_k)``
    respectively, so ``B + W < P`` forces them equal.
    """
    count = 1
    while True:
        ps = primes_for(d, count)
        P = math.prod(ps)
        W = sum(_halfwidth(p) * math.prod(ps[:k]) for k, p in enumerate(ps))
        if B + W < P:
            return ps
        count += 1


def _float_product(x: np.ndarray, y: np.ndarray | None, primes: list[int]) -> Iterator[np.ndarray]:
    """The balanced residues of ``x @ y.T`` modulo each prime in turn."""
    xf = _prepared(x)
    yf = None if y is None else _prepared(y)
    for p in primes:
        xr = _residues(xf, p)
        g = xr @ xr.T if yf is None else xr @ _residues(yf, p).T  # x @ x.T lets BLAS use the symmetric kernel
        del xr
        r = _residues(g, p)  # g holds exact integers of absolute value at most 2**53 - 2**31
        del g
        yield r


def _nmod_product(x: np.ndarray, y: np.ndarray | None, primes: list[int]) -> list[np.ndarray]:
    import flint

    out = []
    for p in primes:
        xr = np.remainder(x, p) if x.dtype != object else (x % p).astype(np.int64)
        X = flint.nmod_mat(x.shape[0], x.shape[1], xr.ravel().tolist(), p)
        if y is None:
            Y = X
        else:
            yr = np.remainder(y, p) if y.dtype != object else (y % p).astype(np.int64)
            Y = flint.nmod_mat(y.shape[0], y.shape[1], yr.ravel().tolist(), p)
        g = X * Y.transpose()
        out.append(_symmetric(np.array([int(t) for t in g.entries()], dtype=np.int64).reshape(x.shape[0], -1), p))
    return out


def _flint_product(x: np.ndarray, y: np.ndarray | None) -> np.ndarray:
    import flint

    X = flint.fmpz_mat(x.shape[0], x.shape[1], [int(t) for t in x.ravel().tolist()])
    Y = X if y is None else flint.fmpz_mat(y.shape[0], y.shape[1], [int(t) for t in y.ravel().tolist()])
    g = X * Y.transpose()
    return np.array([int(t) for t in g.entries()], dtype=object).reshape(x.shape[0], -1)


def _as_ints(x: Any, name: str) -> np.ndarray:
    if isinstance(x, (ScaledInts, FloatInts)):
        return x.values
    v = np.asarray(x)
    if v.ndim != 2 or (v.dtype.kind not in "iu" and v.dtype != object):
        raise ShapeError(f"{name}: expected a 2-D integer array, got dtype {v.dtype} with {v.ndim} dimensions")
    return v.astype(np.int64) if v.dtype.kind in "iu" else v


def _int64(v: np.ndarray) -> np.ndarray:
    return v.astype(np.int64) if v.dtype == np.float64 else v  # exact: float64 input holds integers below 2**53


def modular_product(x: Any, y: Any = None, method: str = "float") -> ModularProduct:
    """``x @ y.T`` (``x @ x.T`` when ``y`` is None) exactly, as a :class:`ModularProduct`.

    ``method`` is ``"float"`` (float64 GEMM) or ``"nmod"`` (flint's ``nmod_mat``, same primes).

    >>> modular_product(np.array([[2**40, -3], [0, 5]])).exact().tolist()
    [[1208925819614629174706185, -15], [-15, 25]]
    """
    X = _as_ints(x, "x")
    if isinstance(y, Operand):
        return _kept_product(X, y, method)
    Y = None if y is None else _as_ints(y, "y")
    if Y is not None and Y.shape[1] != X.shape[1]:
        raise ShapeError(f"cannot multiply {X.shape} by the transpose of {Y.shape}")
    primes = _count(max(X.shape[1], 1), bound(X, X if Y is None else Y))
    if X.shape[1] == 0:
        zero = np.zeros((X.shape[0], X.shape[0] if Y is None else Y.shape[0]))
        return ModularProduct(tuple(primes), tuple(zero for _ in primes))
    if method == "float":
        fast = _float_led(X, Y, primes)
        return fast if fast is not None else _garner(_float_product(X, Y, primes), primes)
    if method == "nmod":
        return _garner(_nmod_product(_int64(X), None if Y is None else _int64(Y), primes), primes)
    raise InputError(f"method {method!r} is not float or nmod")


def _float_led(X: np.ndarray, Y: np.ndarray | None, primes: list[int]) -> ModularProduct | None:
    """``X @ Y.T`` from one float64 product (its leading bits) and fewer primes; None where that saves no prime.

    The argument is :mod:`symrep.exact.floatgram`'s design note, with ``N`` from the squared
    row norms bounded as in :func:`bound`: ``|G| <= N`` and ``|fl(X Y^T) - G| <= gamma_d N``.
    """
    if len(primes) < 3 or X.dtype == object or (Y is not None and Y.dtype == object):
        return None
    xf, yf = _prepared(X), None if Y is None else _prepared(Y)
    nx = _norm2_bound(X)
    ny = nx if Y is None else _norm2_bound(Y)
    if nx is None or ny is None or xf.dtype != np.float64 or (yf is not None and yf.dtype != np.float64):
        return None
    d = X.shape[1]
    N = Fraction(math.isqrt(nx * ny) + 1)
    ps = quotient_primes(d, N, gamma(d) * N)
    if len(ps) >= len(primes):
        return None
    return with_quotient(xf @ xf.T if yf is None else xf @ yf.T, _garner(_float_product(X, Y, ps), ps))


def gamma(d: int) -> Fraction:
    """``d u / (1 - d u)``, ``u = 2**-53``: a float64 inner product of ``d`` terms is off by at most ``gamma(d) sum |x_k y_k|``"""
    u = Fraction(1, 1 << 53)
    return d * u / (1 - d * u)


def quotient_primes(d: int, N: Fraction, E: Fraction) -> list[int]:
    """The fewest primes for inner length ``d`` with ``M >= 4 E`` and ``(N + E) / M <= 2**40`` (``M`` their product)."""
    count = 1
    while True:
        ps = primes_for(d, count)
        M = math.prod(ps)
        if M >= 4 * E and (N + E) / M <= 1 << 40:
            return ps
        count += 1


def with_quotient(F: np.ndarray, g: ModularProduct, overwrite: bool = False) -> ModularProduct:
    """``G = g0 + M q`` from ``g0`` (the digits ``g``) and ``F`` with ``|F - G| <= M / 4``, ``|G| + M / 4 <= 2**40 M``.

    ``q`` is ``F / M - g0 / M`` rounded (evaluated in float64 within ``2**-6``, see
    :mod:`symrep.exact.floatgram`), appended as two balanced limbs of base ``2**21``.
    """
    ps = g.primes
    M = math.prod(ps)
    t = np.multiply(F, float(Fraction(1, M)), out=F if overwrite else None)
    for k, D in enumerate(g.digits):
        t -= D * float(Fraction(math.prod(ps[:k]), M))
    np.rint(t, out=t)
    high = np.rint(t * (1.0 / _QLIMB))  # exact: a power of two
    return ModularProduct(ps + (_QLIMB, _QLIMB), g.digits + (t - high * _QLIMB, high))


_QLIMB = 1 << 21  # limbs of the quotient: balanced digits below 2**20 + 2, like those of the primes


def _kept_product(X: np.ndarray, y: Operand, method: str) -> ModularProduct:
    """``X @ y.T`` for an :class:`Operand`: primes for its whole inner length, its kept residues."""
    if y.shape[1] != X.shape[1]:
        raise ShapeError(f"cannot multiply {X.shape} by the transpose of {y.shape}")
    if method != "float":
        raise InputError(f"method {method!r}: an Operand is multiplied by float64 GEMM only")
    # primes valid for the longer inner length are valid for the shorter (d * h**2 grows with d); a sub-matrix
    # with repeated columns can be longer than the matrix it was taken from
    primes = _count(max(y.inner, X.shape[1]), X.shape[1] * _max_abs(X) * y.top)
    if X.shape[1] == 0:
        zero = np.zeros((X.shape[0], y.shape[0]))
        return ModularProduct(tuple(primes), tuple(zero for _ in primes))
    return _garner(_operand_product(X, y, primes), primes)


def product(x: Any, y: Any = None, method: str = "auto") -> np.ndarray:
    """``x @ y.T`` exactly as an array of Python integers (``x @ x.T`` when ``y`` is None).

    ``method``: ``"float"`` (multi-modular float64 GEMM), ``"nmod"`` (the same
    primes with flint's ``nmod_mat``), ``"flint"`` (``fmpz_mat``), or ``"auto"``.

    >>> a = np.array([[3, -1, 0], [2**45, 7, 1]])
    >>> product(a, method="float").tolist() == product(a, method="flint").tolist() == (a.astype(object) @ a.T).tolist()
    True
    """
    X = _as_ints(x, "x")
    Y = None if y is None else _as_ints(y, "y")
    if method == "auto":
        method = "flint" if X.dtype == object or (Y is not None and Y.dtype == object) else "float"
    if method == "flint":
        return _flint_product(X, Y)
    return modular_product(x, y, method).exact()  # x, y: a FloatInts stays one


def to_python(a: np.ndarray) -> list[list[int]]:
    """An integer array as nested lists of Python ints."""
    return [[int(t) for t in row] for row in a.tolist()]
