"""Exact linear CKA squared, from exact integer Gram matrices.

Design note
-----------
Linear CKA squared of representations A (``n_a x d``) and B (``n_b x d``), rows =
neurons, columns = data points, each centred over the points first, is

    CKA^2 = ||A_c B_c^T||_F^4 / (||A_c A_c^T||_F^2 ||B_c B_c^T||_F^2).

It is unchanged when A or B is multiplied by a non-zero number, so each matrix is
first made an integer matrix ``X`` with one common scale (a power of two for binary
floats, read exactly by :func:`symrep.exact.intmat.scaled_ints`; the least common
denominator for rationals).  Centring then needs no fractions either: with
``a = X 1`` (row sums) and ``b = Y 1``,

    d * X_c Y_c^T = d * X Y^T - a b^T =: C,

an integer matrix, and the HSIC term ``S = ||C||_F^2`` expands into

    S = d^2 ||G||_F^2 - 2 d a^T G b + |a|^2 |b|^2,     G = X Y^T.

With fewer points than neurons the dual form is cheaper: ``S`` equals
``d^2 <M_X, M_Y> - 2 d c_X . c_Y + s_X s_Y`` with the ``d x d`` Grams ``M = X^T X``,
``c = X^T a`` and ``s = |a|^2`` (see :func:`_points_terms`).

``G`` (or ``M``) is computed exactly by multi-modular float64 GEMM
(:func:`symrep.exact.intmat.modular_product`), and ``||G||_F^2`` and ``a^T G b``
are taken exactly from its mixed-radix digits, so no Python integer or Fraction is
made per entry.  Then ``CKA^2 = S_XY^2 / (S_XX S_YY)`` (the factors ``d^4`` and the
scales cancel), one Fraction at the end.

*Bracket first* (:func:`cka_squared_bracket`, :func:`cka_squared_sign`).  A claim
``CKA^2 >= c`` needs only the side of ``c``.  The float Gram ``F`` of the integer rows
(:func:`symrep.exact.floatgram.float_gram`, one float64 GEMM) satisfies
``|F_ij - G_ij| <= g sqrt(n_i n_j)``, ``g = gamma_d``, ``n_i = |x_i|^2 <= F_ii / (1 - g)``.
With ``C = d G - a b^T`` (so ``S = ||C||_F^2``), the row sums ``a = X 1`` are taken
from the same float product, with a row of ones stacked under the data:
``|a'_i - a_i| <= g sqrt(d n_i)``, and ``|a_i| <= sqrt(d n_i)`` (Cauchy-Schwarz).  The
float ``C' = fl(fl(d F) - fl(a' b'^T))`` is then off by at most

    e_ij = 1.02 (d sqrt(n_i n_j) (3g + 5u) + 2u |C'_ij|)

(``d g sqrt(n_i n_j)`` from ``F``, ``u d |F_ij|`` from the scaling,
``g (2 + g) d sqrt(n_i n_j)`` from the float sums, ``u |a'_i b'_j|`` from their product,
``1.01 u |C'_ij|`` from the subtraction, ``u = 2**-53``; the factor covers the products
of small terms).  So ``S`` lies between ``sum max(|C'| - e, 0)^2`` and
``sum (|C'| + e)^2``, sums of non-negative terms whose float values are pushed outward
by ``2 gamma_N + 4u`` (``N`` terms; ``e`` itself is inflated by ``1.01`` for its own
roundings, which :func:`_hsic_bracket` keeps with margins ``1.03`` and ``1 +- 8u`` on its few
in-place operations), and ``CKA^2`` between the corresponding quotients (and in ``[0, 1]``).
The bracket decides whenever ``c`` lies outside it; otherwise the exact value does.
Floats therefore decide nothing: the bracket is an inequality proved for the exact
``S`` from exactly known floats.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np

from symrep.errors import InputError
from symrep.exact.floatgram import FloatRows, float_gram, float_rows, gram, row_sums
from symrep.exact.intmat import ModularProduct, _check_finite, modular_product, scaled_ints
from symrep.exact.linalg import IntRows
from symrep.exact.numbers import as_matrix
from symrep.measures import fastgram
from symrep.measures.values import Measure, MeasureValue, register, sqrt_bracket, sqrt_value

__all__ = ["cka_squared", "cka_squared_bracket", "cka_squared_refined", "cka_squared_sign", "hsic_terms", "int_rows_bracket",
           "integer_form"]


def integer_form(x: Any, name: str = "A") -> np.ndarray:
    """An integer matrix that is a positive multiple of *x* (rows = neurons): int64 or Python-int entries.

    >>> integer_form([[0.5, 1], ["1/3", 0]]).tolist()
    [[3, 6], [2, 0]]
    """
    if isinstance(x, IntRows):
        L = math.lcm(*x.scale) if x.scale else 1
        rows = [[v * (L // s) for v in r] if s != L else r for r, s in zip(x.ints, x.scale)]
        return _array(rows, x.ncols)
    if isinstance(x, np.ndarray) and x.ndim == 2 and x.dtype.kind in "iuf":
        try:
            return scaled_ints(x, per_row=False).values
        except InputError as e:
            raise InputError(f"{name}: {e}") from None
    A = as_matrix(x, name)
    L = math.lcm(*(q.denominator for r in A for q in r)) if A else 1
    return _array([[q.numerator * (L // q.denominator) for q in r] for r in A], len(A[0]) if A else 0)


def _array(rows: list[list[int]], ncols: int) -> np.ndarray:
    if not rows:
        return np.zeros((0, ncols), dtype=np.int64)
    big = max((abs(v) for r in rows for v in r), default=0) >= 1 << 62
    out = np.empty((len(rows), ncols), dtype=object if big else np.int64)
    out[:] = rows
    return out


def _row_sums(x: np.ndarray) -> list[int]:
    if x.dtype != object and x.size and x.shape[1] * max(abs(int(x.max())), abs(int(x.min()))) < 1 << 63:
        return [int(t) for t in x.sum(axis=1)]
    return [sum(int(t) for t in r) for r in x.tolist()]


def _hsic(G: ModularProduct, d: int, a: list[int], b: list[int]) -> int:
    """``||d G - a b^T||_F^2`` exactly."""
    return d * d * G.frobenius2() - 2 * d * G.bilinear(a, b) + sum(t * t for t in a) * sum(t * t for t in b)


def _points_terms(X: np.ndarray, Y: np.ndarray, sa: list[int], sb: list[int]) -> tuple[int, int, int]:
    """The same three terms from the ``d x d`` Grams ``M = X^T X`` (cheaper when there are fewer points than neurons).

    ``||X_c Y_c^T||_F^2 = <X_c^T X_c, Y_c^T Y_c>`` and ``(dI - 11^T) M (dI - 11^T) = d^2 X_c^T X_c``;
    expanding the rank-one terms with ``c = M 1 = X^T a`` and ``s = 1^T M 1 = |a|^2`` gives
    ``S_XY = d^2 <M_X, M_Y> - 2 d c_X . c_Y + s_X s_Y``.
    """
    d = X.shape[1]
    terms = []
    for Z, sums in ((X, sa), (Y, sb)):
        Zt = np.ascontiguousarray(Z.T)
        col = np.array([sums], dtype=object)  # the row sums as a 1 x n matrix of Python integers
        terms.append((modular_product(Zt), [int(t) for t in modular_product(Zt, col).exact()[:, 0]],
                      sum(t * t for t in sums)))

    def S(u, v):
        return d * d * u[0].inner(v[0]) - 2 * d * sum(x * y for x, y in zip(u[1], v[1])) + u[2] * v[2]

    tx, ty = terms
    return S(tx, ty), S(tx, tx), S(ty, ty)


def _float_terms(a: Any, b: Any, via: str) -> tuple[int, int, int] | None:
    """The terms for two float arrays whose integer forms stay below ``2**52``, by :func:`symrep.exact.floatgram.gram`.

    One float64 product and a few primes instead of primes alone, column chunks instead
    of whole residue matrices (see :mod:`symrep.exact.floatgram`); None when it does not apply.
    """
    got = _float_inputs(a, b)
    if got is None:
        return None
    fa, fb = got
    n, d = len(a), a.shape[1]
    if via == "points" or (via == "auto" and 0 < d < n + len(b)):
        return _float_points_terms(fa, fb)
    G = gram([fa, fb])  # one symmetric product holds X X^T, X Y^T and Y Y^T
    top, bottom = slice(0, n), slice(n, None)
    sa, sb = fa.sums, fb.sums
    return (_hsic(G.block(top, bottom), d, sa, sb), _hsic(G.block(top, top), d, sa, sa),
            _hsic(G.block(bottom, bottom), d, sb, sb))


def _float_inputs(a: Any, b: Any, sums: bool = True) -> tuple[FloatRows, FloatRows] | None:
    """Both float arrays as :class:`FloatRows`, or None when the float paths do not apply (the general path decides)."""
    if not all(isinstance(v, np.ndarray) and v.ndim == 2 and v.dtype.kind == "f" for v in (a, b)):
        return None
    if not len(a) or not len(b) or a.shape[1] != b.shape[1]:
        return None  # the general path raises the errors
    for name, v in (("A", a), ("B", b)):
        try:
            _check_finite(v)
        except InputError as e:
            raise InputError(f"{name}: {e}") from None
    fa, fb = float_rows(a, sums), float_rows(b, sums)
    return None if fa is None or fb is None else (fa, fb)


def _float_points_terms(fa: FloatRows, fb: FloatRows) -> tuple[int, int, int]:
    """:func:`_points_terms` from :func:`symrep.exact.floatgram.gram`: ``c = X^T a = M 1`` from the digits of ``M``."""
    d = fa.shape[1]
    terms = []
    for f in (fa, fb):
        M = gram([FloatRows(f.array.T, f.shift, [])])
        terms.append((M, _digit_row_sums(M), sum(t * t for t in f.sums)))

    def S(u, v):
        return d * d * u[0].inner(v[0]) - 2 * d * sum(x * y for x, y in zip(u[1], v[1])) + u[2] * v[2]

    tx, ty = terms
    return S(tx, ty), S(tx, tx), S(ty, ty)


def _digit_row_sums(M: ModularProduct) -> list[int]:
    """Exact row sums of ``M`` from its digits (each digit below ``2**21 + 2``; sums of at most ``2**31`` entries are exact)."""
    out = [0] * M.shape[0]
    for R, D in zip(M.radices(), M.digits):
        for c0 in range(0, D.shape[1], 1 << 31):
            out = [x + R * int(t) for x, t in zip(out, D[:, c0:c0 + (1 << 31)].sum(axis=1))]
    return out


def hsic_terms(a: Any, b: Any, via: str = "auto") -> tuple[int, int, int]:
    """``(S_AB, S_AA, S_BB)`` with ``S_XY = d**2 ||X_c Y_c^T||_F^2`` for the integer forms X, Y of A, B.

    ``via``: ``"neurons"`` (Grams of the neurons, ``n x n``), ``"points"`` (Grams of
    the data points, ``d x d``), or ``"auto"``, the smaller.

    >>> hsic_terms([[1, 2, 3]], [[2, 4, 6]])
    (144, 36, 576)
    >>> hsic_terms([[1, 2, 3]], [[2, 4, 6]], via="points")
    (144, 36, 576)
    """
    if via not in ("auto", "neurons", "points"):
        raise InputError(f"via={via!r} is not auto, neurons or points")
    fast = _float_terms(a, b, via)
    if fast is not None:
        return fast
    X, Y = integer_form(a, "A"), integer_form(b, "B")
    if not len(X) or not len(Y):
        raise InputError("both activation matrices need at least one neuron (row)")
    if X.shape[1] != Y.shape[1]:
        raise InputError(f"activation vectors have {X.shape[1]} and {Y.shape[1]} entries: the data must be the same")
    sa, sb = _row_sums(X), _row_sums(Y)
    n, d = len(X), X.shape[1]
    if via == "points" or (via == "auto" and 0 < d < n + len(Y)):
        return _points_terms(X, Y, sa, sb)
    Z = np.vstack([X, Y]) if X.dtype == Y.dtype else np.vstack([X.astype(object), Y.astype(object)])
    G = modular_product(Z)  # one symmetric product holds X X^T, X Y^T and Y Y^T
    top, bottom = slice(0, n), slice(n, None)
    return (_hsic(G.block(top, bottom), d, sa, sb), _hsic(G.block(top, top), d, sa, sa),
            _hsic(G.block(bottom, bottom), d, sb, sb))


def cka_squared(a: Any, b: Any) -> Fraction:
    """Linear CKA squared of two representations (rows = neurons), exactly; both are centred first.

    Parameters
    ----------
    a, b
        Activation matrices over the same data points: NumPy arrays (integers or
        binary floats, read exactly), :class:`~symrep.exact.linalg.IntRows`, or
        anything :func:`~symrep.exact.numbers.as_matrix` reads.

    Raises
    ------
    InputError
        When a representation is constant over the data (CKA is undefined), the
        shapes differ, or an entry is not a finite number.

    Examples
    --------
    >>> cka_squared([[1, 2, 3]], [[2, 4, 6]])
    Fraction(1, 1)
    >>> cka_squared([[1, 0, 0], [0, 1, 0]], [[1, 0, 0]])
    Fraction(5, 8)
    """
    return _ratio(*hsic_terms(a, b))


def _ratio(s_ab: int, s_aa: int, s_bb: int) -> Fraction:
    den = s_aa * s_bb
    if den == 0:
        raise InputError("CKA is undefined: a representation is constant over the data (zero after centering)")
    return Fraction(s_ab * s_ab, den)


_U = 2.0**-53


def _gamma(n: int) -> float:
    """An upper bound on ``n u / (1 - n u)`` as a float (``n u < 1/2``)."""
    return n * _U / (1 - n * _U) * (1 + 4 * _U) + 2.0**-1074


def _hsic_bracket(F: np.ndarray, d: int, a: np.ndarray, b: np.ndarray, ra: np.ndarray, rb: np.ndarray, g: float
                  ) -> tuple[Fraction, Fraction] | None:
    """``lo <= S <= hi`` for ``S = ||d G - a b^T||_F^2`` from the float block ``F`` (design note, bracket first).

    ``a``, ``b``: float row sums from the same product; ``ra``, ``rb``: upper bounds on the row
    norms ``sqrt(n_i)``; ``g``: the float Gram's ``gamma_d``.  With ``A = |C'|`` and
    ``R = fl(fl(ra k) rb)``, ``k = fl(1.03 d (3g + 5u))`` (so ``R (1 - u) >= 1.02 d sqrt(n_i n_j) (3g + 5u)``),
    ``hi = fl(fl(A (1 + 8u)) + R) >= A + e`` and ``fl(fl(A (1 - 8u)) - R) <= A - e``: the roundings of
    these few operations (relative ``u`` each) stay inside the margins, and each pass is in place.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        A = np.multiply(F, float(d))
        A -= np.outer(a, b)
        np.abs(A, out=A)
        R = np.outer(ra * (1.03 * d * (3 * g + 5 * _U)), rb)
        hi = np.multiply(A, 1 + 8 * _U)
        hi += R
        s_hi = float(np.einsum("ij,ij->i", hi, hi).sum())  # rows of m terms, then n row sums
        del hi
        A *= 1 - 8 * _U
        A -= R
        np.maximum(A, 0.0, out=A)
        s_lo = float(np.einsum("ij,ij->i", A, A).sum())
    if not (np.isfinite(s_lo) and np.isfinite(s_hi)):
        return None
    grow = 2 * _gamma(F.shape[0] + F.shape[1] + 4) + 4 * _U  # the squares and the two-level sum
    return Fraction(s_lo) * (1 - Fraction(grow)), Fraction(s_hi) * (1 + Fraction(grow))


def _neuron_state(a: Any, b: Any) -> "_State | None":
    """The float Gram of the two float arrays' integer rows with a row of ones stacked under them, or None."""
    got = _float_inputs(a, b, sums=False)
    if got is None:
        return None
    return _State.of(*got)


class _State:
    """One float64 Gram ``F`` of ``[X; Y; 1]`` (integer rows): the bracket from it, and the exact terms reusing it."""

    __slots__ = ("fa", "fb", "F")

    def __init__(self, fa: FloatRows, fb: FloatRows, F: np.ndarray):
        self.fa, self.fb, self.F = fa, fb, F

    @classmethod
    def of(cls, fa: FloatRows, fb: FloatRows) -> "_State":
        ones = FloatRows(np.ones((1, fa.shape[1])), 0, [fa.shape[1]])  # its products with the rows are the row sums
        return cls(fa, fb, float_gram([fa, fb, ones]))

    def bracket(self) -> tuple[Fraction, Fraction] | None:
        """``lo <= CKA^2 <= hi`` (design note), or None when the bounds do not prove both sides non-constant."""
        F, n, m, d = self.F, self.fa.shape[0], self.fb.shape[0], self.fa.shape[1]
        g = _gamma(max(d, 1))
        with np.errstate(over="ignore", invalid="ignore"):
            r = np.sqrt(np.diagonal(F)[:-1] / (1 - g)) * (1 + 4 * _U)  # upper bounds on the row norms
        s = F[:-1, -1]  # float row sums, |s_i - a_i| <= g sqrt(d n_i)
        ra, rb, sa, sb = r[:n], r[n:], s[:n], s[n:]
        top, bottom = slice(0, n), slice(n, n + m)
        parts = [_hsic_bracket(F[top, bottom], d, sa, sb, ra, rb, g),
                 _hsic_bracket(F[top, top], d, sa, sa, ra, ra, g),
                 _hsic_bracket(F[bottom, bottom], d, sb, sb, rb, rb, g)]
        if any(p is None for p in parts):
            return None
        (xy_lo, xy_hi), (xx_lo, xx_hi), (yy_lo, yy_hi) = parts  # type: ignore[misc]
        if xx_lo <= 0 or yy_lo <= 0:  # a side may be constant (CKA undefined): the exact value decides
            return None
        lo = max(xy_lo, Fraction(0)) ** 2 / (xx_hi * yy_hi)
        hi = xy_hi * xy_hi / (xx_lo * yy_lo)
        return lo, min(hi, Fraction(1))  # CKA^2 lies in [0, 1] (Cauchy-Schwarz)

    def exact(self) -> Fraction:
        """CKA^2 exactly from the same ``F`` (no second float product); ``F`` is overwritten."""
        fa, fb = self.fa, self.fb
        n, m, d = fa.shape[0], fb.shape[0], fa.shape[1]
        if 0 < d < n + m:  # the points' Grams are cheaper (see hsic_terms)
            return cka_squared(fa.array, fb.array)
        sa, sb = row_sums(fa), row_sums(fb)
        G = gram([fa, fb], self.F[:n + m, :n + m])
        top, bottom = slice(0, n), slice(n, None)
        terms = (_hsic(G.block(top, bottom), d, sa, sb), _hsic(G.block(top, top), d, sa, sa),
                 _hsic(G.block(bottom, bottom), d, sb, sb))
        return _ratio(*terms)


def cka_squared_bracket(a: Any, b: Any) -> tuple[Fraction, Fraction] | None:
    """Rationals ``lo <= CKA^2 <= hi`` from one float64 Gram with a proved error bound, or None (use the exact value).

    For float arrays (rows = neurons) whose integer forms stay below ``2**52``; the
    neuron Gram is used whatever the number of points.  None also when the bounds do not
    prove that neither side is constant over the data (where CKA is undefined).

    >>> rng = np.random.default_rng(0); x = rng.standard_normal((3, 50)).astype(np.float32)
    >>> lo, hi = cka_squared_bracket(x, x[::-1])
    >>> lo <= cka_squared(x, x[::-1]) <= hi and hi - lo < Fraction(1, 10**6)
    True
    """
    st = _neuron_state(a, b)
    return None if st is None else st.bracket()


def int_rows_bracket(X: Sequence[Sequence[int]], Y: Sequence[Sequence[int]]) -> tuple[Fraction, Fraction] | None:
    """The bracket of :func:`cka_squared_bracket` for integer matrices (rows = neurons), or None.

    None when an entry reaches ``2**52`` (the float64 Gram needs exact entries), a side
    is empty or the bounds do not prove both sides non-constant.

    >>> lo, hi = int_rows_bracket([[1, 2, 4], [0, 1, 0]], [[2, 4, 8]])
    >>> lo <= Fraction(38809, 39592) <= hi and hi - lo < Fraction(1, 10**9)
    True
    """
    blocks = []
    for M in (X, Y):
        if not len(M) or not len(M[0]) or any(abs(v) >= _INT_CAP for r in M for v in r):
            return None
        blocks.append(FloatRows(np.array(M, dtype=np.float64), 0, []))  # exact: integers below 2**52
    if blocks[0].shape[1] != blocks[1].shape[1]:
        return None
    return _State.of(*blocks).bracket()


_INT_CAP = 1 << 52


def cka_squared_refined(a: Any, b: Any, enough: Callable[[Fraction, Fraction], bool]
                        ) -> tuple[Fraction, Fraction, Fraction | None]:
    """``(lo, hi, exact)``: the float bracket when ``enough(lo, hi)`` (``exact`` None), else the exact value three times.

    The exact value reuses the bracket's float Gram (one float product in all).

    >>> x = np.array([[1.0, 2.0, 4.0], [0.0, 1.0, 0.0]]); y = np.array([[2.0, 4.0, 8.0]])
    >>> cka_squared_refined(x, y, lambda lo, hi: False)[2]
    Fraction(38809, 39592)
    """
    st = _neuron_state(a, b)
    br = None if st is None else st.bracket()
    if br is not None and enough(*br):
        return br[0], br[1], None
    q = cka_squared(a, b) if st is None else st.exact()
    return q, q, q


def cka_squared_sign(a: Any, b: Any, c: Any) -> int:
    """The sign of ``CKA^2 - c``, exactly: the float bracket decides when ``c`` lies outside it, else the exact value.

    >>> x = np.array([[1.0, 2.0, 4.0], [0.0, 1.0, 0.0]]); y = np.array([[2.0, 4.0, 8.0]])
    >>> cka_squared_sign(x, y, Fraction(1, 2)), cka_squared_sign(x, x, 1)
    (1, 0)
    """
    c = Fraction(c)
    lo, hi, _ = cka_squared_refined(a, b, lambda lo, hi: c < lo or c > hi)
    return 1 if c < lo else -1 if c > hi else 0  # lo == hi == CKA^2 when the bracket did not decide


_FAST_SIZE = 64  # float layers with more neurons than this take the certified float Grams first


def _fast_cka(a: Any, b: Any, width: Fraction) -> MeasureValue | None:
    """CKA bracketed from certified float Grams (:mod:`symrep.measures.fastgram`), or None (the exact path decides).

    With ``S_xy = |A_c B_cᵀ|_F²`` bracketed by :func:`~symrep.measures.fastgram.frob2_bracket` (likewise
    ``S_xx``, ``S_yy``), ``CKA² = S_xy² / (S_xx S_yy)`` lies between the quotients of the end points
    (and in [0, 1]); all three first from the medium Grams (chunks of 32 points: one product's flops for
    ``S_xy``, three quarters for the symmetric ones, and the chunks' sums; about 41 u at 10,000 points),
    then the fine ones (three products for ``S_xy``, one and a half each for the symmetric ones) where that
    bracket is too wide.  None where the bounds do not prove both sides non-constant or
    the bracket is wider than 7/8 of *width* (each square root adds at most width/64).
    """
    if not all(isinstance(v, np.ndarray) and v.ndim == 2 for v in (a, b)) or max(len(a), len(b)) <= _FAST_SIZE:
        return None
    # the fine Grams alone where they exist for these data (cert_grams checks them) or the medium ones do not pay
    fine_first = "gram xy" in fastgram._CACHE or not fastgram.medium_pays(a, b)
    for grade in ((False,) if fine_first else ("medium", False)):
        g = fastgram.cert_grams(a, b, "xy,xx,yy", grade)
        if g is None:
            return None
        try:
            (s_lo, s_hi), (xx_lo, xx_hi), (yy_lo, yy_hi) = (fastgram.frob2_bracket(g[w]) for w in ("xy", "xx", "yy"))
        except OverflowError:
            return None
        if xx_lo <= 0 or yy_lo <= 0:
            return None
        lo2, hi2 = s_lo * s_lo / (xx_hi * yy_hi), min(Fraction(1), s_hi * s_hi / (xx_lo * yy_lo))
        lo, hi = sqrt_bracket(lo2, width / 64)[0], sqrt_bracket(hi2, width / 64)[1]
        if hi - lo <= width * 7 / 8 * max(Fraction(1), hi):
            return MeasureValue("cka", lo, hi)
    return None


def _evaluate(a: Any, b: Any, *, width: Fraction = Fraction(1, 10**12), arg: str | None = None) -> MeasureValue:
    """CKA (not squared) as a certified value: exact square, bracket of the root no wider than *width*.

    The float bracket of CKA^2 is refined only as far as *width* asks: when its square
    roots already lie within *width* that bracket is returned (one float product), else
    the exact square from the same float product and a few primes.
    """
    def enough(lo: Fraction, hi: Fraction) -> bool:
        r_lo, r_hi = sqrt_bracket(lo, width / 4)[0], sqrt_bracket(hi, width / 4)[1]
        return lo > 0 and r_hi - r_lo <= width * max(Fraction(1), r_hi)

    fast = _fast_cka(a, b, Fraction(width))
    if fast is not None:
        return fast
    lo, hi, q = cka_squared_refined(a, b, enough)
    if q is None:
        return MeasureValue("cka", sqrt_bracket(lo, width / 4)[0], sqrt_bracket(hi, width / 4)[1])
    return sqrt_value("cka", q, width)


register(Measure("cka", "linear CKA (Kornblith et al. 2019), centred, biased HSIC; the square is exact",
                 distance=False, evaluate=_evaluate))
