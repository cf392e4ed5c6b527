"""Exact linear algebra over the rationals: the one module that talks to python-flint.

Design note
-----------
Orientation is fixed here, once: a matrix is a tuple of **rows**, and the
space a matrix stands for is the span of its rows.  Activation matrices have one
row per neuron, so the representation of a set of neurons is a row span.

Everything else in symrep asks this module questions about a row span and
receives answers that carry their own proof:

* :func:`span_basis` -- which rows form a basis (``basis``), a set of
  ``pivots`` columns on which those rows form an invertible square block, and
  coefficients writing every other row in the basis rows.  The rank is proved:
  the block is invertible and every row is a combination of the basis.
* :meth:`SpanBasis.express` -- for each vector, either coefficients writing it
  in the basis rows, or a vector orthogonal to the whole span whose product with
  it is non-zero (a proof that it lies outside).
* :func:`rref` / :func:`kernel` / :func:`matmul` -- canonical bases,
  orthogonal complements and products for small exact work.

How it is fast and still exact.  A row span does not change when a row is
multiplied by a non-zero number, so every row is scaled to integers once
(:class:`IntRows`).  Candidate pivots come from Gaussian elimination modulo a
63-bit prime ``p`` with flint's ``nmod_mat``.  Then:

* the pivot block is invertible modulo ``p``, hence over the rationals (its
  determinant is not divisible by ``p``, so it is not zero);
* every remaining row is solved for exactly (flint's ``fmpz_mat.solve``) and
  the solution is verified by one exact integer product; if a row is not
  reproduced, the prime was unlucky (the rank modulo ``p`` was too small) and
  the next prime is tried, then an exact rational elimination;
* a vector whose residual modulo ``p`` is non-zero at a column ``j`` is
  outside the span (the residual is a rational with denominator prime to
  ``p``); its witness ``w`` (``w_j = 1``, ``w_P = -B_P^{-1} B_j``) is solved
  exactly, and ``w . v`` is computed exactly.

So the modular arithmetic only ever *proposes*; every answer returned has been
checked exactly, and none depends on probability.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Sequence, Union

import flint

from symrep.errors import InputError, InternalError, ShapeError
from symrep.exact.numbers import Matrix

__all__ = [
    "IntRows",
    "Member",
    "NonMember",
    "Projection",
    "SpanBasis",
    "kernel",
    "matmul",
    "rank",
    "rref",
    "span_basis",
]

# Primes just below 2**63; flint's nmod_mat works with word-size moduli.
_PRIMES = (9223372036854775783, 9223372036854775643, 9223372036854775549, 9223372036854775507)
_STAGE = 32  # columns tried modulo p before a vector is treated as a likely member


class IntRows:
    """Rows of rationals kept as integers: ``row i == ints[i] / scale[i]`` with ``scale[i] > 0``.

    Built once per matrix (:meth:`of`), so repeated span questions about subsets
    of the same neurons do not convert fractions again.

    >>> m = IntRows.of([(Fraction(1, 2), Fraction(1, 3)), (Fraction(2), Fraction(0))])
    >>> m.ints, m.scale, m.row(0)
    ([[3, 2], [2, 0]], [6, 1], (Fraction(1, 2), Fraction(1, 3)))
    """

    __slots__ = ("ints", "scale", "ncols")

    def __init__(self, ints: list[list[int]], scale: list[int], ncols: int):
        self.ints, self.scale, self.ncols = ints, scale, ncols

    @classmethod
    def of(cls, rows: "Rows", ncols: int | None = None) -> "IntRows":
        if isinstance(rows, IntRows):
            return rows
        ints, scale = [], []
        for row in rows:
            s = math.lcm(*(q.denominator for q in row)) if row else 1
            ints.append([q.numerator * (s // q.denominator) if s != 1 else q.numerator for q in row])
            scale.append(s)
        d = len(ints[0]) if ints else (ncols or 0)
        return cls(ints, scale, d)

    @classmethod
    def from_array(cls, a) -> "IntRows":
        """Exact integer rows from a 2-D NumPy array of integers or binary floats (no rounding).

        A binary float is ``M * 2**e`` with an integer mantissa ``M``; each row is
        shifted to a common exponent, so ``row i == ints[i] / scale[i]`` exactly.
        NaN and infinities raise :class:`~symrep.errors.InputError` (a ``ValueError``).
        """
        import numpy as np  # only for arrays that are already NumPy's

        a = np.asarray(a)
        if a.ndim != 2:
            raise ShapeError(f"expected a 2-D array, got {a.ndim} dimensions")
        n, d = a.shape
        if a.dtype.kind in "iub":
            if a.dtype.kind == "b":
                raise InputError("boolean arrays are not numbers")
            return cls([[int(x) for x in row] for row in a.tolist()], [1] * n, d)
        if a.dtype.kind != "f":
            raise InputError(f"array of dtype {a.dtype} is not real numbers")
        if a.dtype.itemsize > 8:  # long double: wider than float64, so convert value by value
            if not np.isfinite(a).all():
                raise InputError("the array contains NaN or infinity")
            return cls.of([[Fraction(*x.as_integer_ratio()) for x in row] for row in a], d)
        x = a.astype(np.float64)  # exact: every float16/32 value is a float64 value
        if not np.isfinite(x).all():
            raise InputError("the array contains NaN or infinity")
        bits = np.finfo(a.dtype).nmant + 1  # mantissa bits of the input type
        mant, exp = np.frexp(x)  # x = mant * 2**exp, 0.5 <= |mant| < 1
        M = (mant * float(2**bits)).astype(np.int64)  # exact integer mantissas: x = M * 2**e
        e = exp.astype(np.int64) - bits
        nz = M != 0
        t = np.zeros_like(M)
        t[nz] = np.log2((M & -M)[nz]).astype(np.int64)  # trailing zero bits (exact: powers of two)
        M, e = M >> t, e + t  # odd mantissas
        low = np.where(nz, e, np.iinfo(np.int64).max).min(axis=1)  # each row's smallest exponent
        shift = np.where(nz, e - low[:, None], 0)
        fast = nz.any(axis=1) & (low < 0) & (shift.max(axis=1) + bits <= 62)
        rows_fast = np.where(nz, M << shift, 0)[fast].tolist()  # whole rows at once, in int64
        ints, scale, k = [], [], 0
        for i in range(n):
            if fast[i]:
                ints.append(rows_fast[k])
                scale.append(1 << int(-low[i]))
                k += 1
            elif not nz[i].any():
                ints.append([0] * d)
                scale.append(1)
            else:  # a wide exponent range: Python integers, shifted elementwise in C
                row = (M[i].astype(object) << shift[i].astype(object)).tolist()
                lo = int(low[i])
                ints.append([v << lo for v in row] if lo >= 0 else row)
                scale.append(1 if lo >= 0 else 1 << -lo)
        return cls(ints, scale, d)

    def __len__(self) -> int:
        return len(self.ints)

    def take(self, idx: Sequence[int]) -> "IntRows":
        """The rows ``idx`` (sharing storage)."""
        return IntRows([self.ints[i] for i in idx], [self.scale[i] for i in idx], self.ncols)

    def row(self, i: int) -> tuple[Fraction, ...]:
        s = self.scale[i]
        return tuple(Fraction(x, s) for x in self.ints[i])

    def fractions(self) -> Matrix:
        return tuple(self.row(i) for i in range(len(self)))

    def is_zero(self, i: int) -> bool:
        return not any(self.ints[i])

    def fmpz(self) -> flint.fmpz_mat:
        return flint.fmpz_mat(len(self), self.ncols, [x for r in self.ints for x in r])

    def nmod(self, p: int, cols: Sequence[int] | None = None) -> flint.nmod_mat:
        if cols is None:
            return flint.nmod_mat(len(self), self.ncols, [x for r in self.ints for x in r], p)  # flint reduces mod p
        return flint.nmod_mat(len(self), len(cols), [r[j] for r in self.ints for j in cols], p)


Rows = Union[IntRows, Sequence[Sequence[Fraction]]]


@dataclass(frozen=True)
class Member:
    """Proof that a vector lies in a row span: ``vector == sum(c * rows[i] for i, c in coefficients)``."""

    coefficients: tuple[tuple[int, Fraction], ...]


@dataclass(frozen=True)
class NonMember:
    """Proof that a vector lies outside a row span.

    ``orthogonal`` (sparse: ``(column, value)`` pairs with integer values) has
    product 0 with every row of the span and product ``product != 0`` with the vector.
    """

    orthogonal: tuple[tuple[int, int], ...]
    product: Fraction


@dataclass(frozen=True)
class Projection:
    """The orthogonal projection of a vector v onto a row span, exactly.

    ``coefficients`` write the projection in the rows; ``residual`` is an
    integer multiple of ``v - projection`` (sparse, orthogonal to the span) with
    ``product == residual . v``; ``distance2`` is ``|v - projection|**2`` and
    ``norm2`` is ``|v|**2``.
    """

    coefficients: tuple[tuple[int, Fraction], ...]
    residual: tuple[tuple[int, int], ...]
    product: Fraction
    distance2: Fraction
    norm2: Fraction


def _probe_key(row: list[int], cols: list[int]) -> tuple | None:
    """The row's entries on *cols* divided by the first non-zero one (None when all are zero there)."""
    first = next((row[c] for c in cols if row[c]), 0)
    if not first:
        return None
    return tuple(Fraction(row[c], first) for c in cols)


def _pivots_of_rref(R: flint.nmod_mat, rk: int) -> list[int]:
    pivots, col = [], 0
    for i in range(rk):
        while int(R[i, col]) == 0:
            col += 1
        pivots.append(col)
        col += 1
    return pivots


@dataclass(frozen=True, eq=False)
class SpanBasis:
    """A proved basis of the row span of ``rows``.

    Attributes
    ----------
    rows
        The matrix (as :class:`IntRows`) whose row span this is.
    basis
        Indices of rows that are linearly independent and span all rows.
    pivots
        Columns on which the basis rows form an invertible square block.
    dependent
        For every row outside ``basis``: ``(row, coefficients)`` writing it
        exactly in the basis rows (zero rows have no coefficients).
    prime
        A prime modulo which the pivot block is invertible (so it is invertible
        over the rationals).
    """

    rows: IntRows
    basis: tuple[int, ...]
    pivots: tuple[int, ...]
    dependent: tuple[tuple[int, tuple[tuple[int, Fraction], ...]], ...] = ()
    prime: int = _PRIMES[0]
    _reduced: flint.nmod_mat | None = field(default=None, repr=False)
    _reduced_cols: tuple[int, ...] | None = field(default=None, repr=False)

    @property
    def ncols(self) -> int:
        return self.rows.ncols

    @property
    def rank(self) -> int:
        return len(self.basis)

    @cached_property
    def _basis_rows(self) -> IntRows:
        return self.rows.take(self.basis)

    @cached_property
    def _B(self) -> flint.fmpz_mat:
        return self._basis_rows.fmpz()

    @cached_property
    def _block(self) -> flint.fmpz_mat:
        """The scaled pivot block ``B_P`` (r x r integers)."""
        r = self.rank
        return flint.fmpz_mat(r, r, [row[j] for row in self._basis_rows.ints for j in self.pivots])

    @cached_property
    def _R(self) -> flint.nmod_mat:
        """``B_P^{-1} B`` modulo the prime (the basis in reduced row echelon form there) in its first rank rows."""
        if self._reduced is not None:
            return self._reduced
        R, rk = self._basis_rows.nmod(self.prime).rref()
        if rk != self.rank or tuple(_pivots_of_rref(R, rk)) != self.pivots:  # pragma: no cover
            raise InternalError("internal error: pivots differ modulo the prime")
        return R

    @cached_property
    def inverse(self) -> Matrix:
        """The exact inverse of the pivot block of the (unscaled) basis rows."""
        if not self.rank:
            return ()
        kz = flint.fmpq_mat(self._block).inv()  # inverse of the scaled block
        scales = self._basis_rows.scale
        r = self.rank
        return tuple(tuple(_to_fraction(kz[a, b]) * scales[b] for b in range(r)) for a in range(r))

    def inverse_mod(self) -> tuple[int, list[list[int]]] | None:
        """``(p, K)`` with ``K`` the inverse of the (unscaled, rational) pivot block modulo the prime ``p``.

        A cheap proof that the basis rows are independent: ``K @ block == I (mod p)``
        forces ``det(block) != 0``.  None when ``p`` divides a denominator of the block.
        """
        p, r = self.prime, self.rank
        scales = self._basis_rows.scale
        if any(s % p == 0 for s in scales):
            return None
        inv = [pow(s, -1, p) for s in scales]
        bz = self._basis_rows.ints
        block = flint.nmod_mat(r, r, [bz[t][j] * inv[t] % p for t in range(r) for j in self.pivots], p)
        K = block.inv()
        return p, [[int(K[a, b]) for b in range(r)] for a in range(r)]

    @cached_property
    def _row_coefficients(self) -> list[tuple[tuple[int, Fraction], ...]]:
        return self.row_coefficients()

    def row_coefficients(self) -> list[tuple[tuple[int, Fraction], ...]]:
        """For every row, coefficients writing it in the basis rows (already proved)."""
        out: list[tuple[tuple[int, Fraction], ...]] = [()] * len(self.rows)
        for i in self.basis:
            out[i] = ((i, Fraction(1)),)
        for i, c in self.dependent:
            out[i] = c
        return out

    # --- membership ------------------------------------------------------------------------

    def express(self, vectors: Rows) -> list[Member | NonMember]:
        """For each vector, coefficients over ``rows`` or an orthogonal witness.

        >>> sb = span_basis(((Fraction(1), Fraction(0)), (Fraction(2), Fraction(0))))
        >>> [type(a).__name__ for a in sb.express([(Fraction(3), Fraction(0)), (Fraction(0), Fraction(1))])]
        ['Member', 'NonMember']
        """
        V = IntRows.of(vectors, self.ncols)
        if len(V) and V.ncols != self.ncols:
            raise ShapeError(f"vectors of length {V.ncols} in a space of dimension {self.ncols}")
        out: list[Member | NonMember | None] = [None] * len(V)
        if self.rank == 0:
            for k, v in enumerate(V.ints):
                j = next((c for c, x in enumerate(v) if x), None)
                out[k] = Member(()) if j is None else self._non_member(j, V, k)
            return out  # type: ignore[return-value]
        likely = []
        for k, j in enumerate(self._outside_columns(V)):
            if j is not None:
                out[k] = self._non_member(j, V, k)
            else:
                out[k] = self._multiple_of_row(V, k)
                if out[k] is None:
                    likely.append(k)
        if likely:
            self._solve(likely, V, out)
        return out  # type: ignore[return-value]

    def _outside_columns(self, V: IntRows) -> list[int | None]:
        """Per vector, a column where its residual modulo the prime is non-zero (among a sample), else None."""
        p, r = self.prime, self.rank
        R = self._R
        cols_all = self._reduced_cols if self._reduced_cols is not None else range(self.ncols)
        pset = set(self.pivots)
        free = [t for t, c in enumerate(cols_all) if c not in pset]
        if not free or not len(V):
            return [None] * len(V)
        step = max(1, len(free) // _STAGE)
        pos = free[::step][:_STAGE]  # spread out: data often has structured blocks of zeros
        cols = [cols_all[t] for t in pos]
        RS = flint.nmod_mat(r, len(pos), [int(R[i, t]) for i in range(r) for t in pos], p)
        resid = (V.nmod(p, cols) - V.nmod(p, self.pivots) * RS).tolist()
        return [next((cols[t] for t, x in enumerate(row) if int(x)), None) for row in resid]

    @cached_property
    def _probe(self) -> list[int]:
        """A few columns on which directions are compared first (a full comparison confirms)."""
        return _spread(self.ncols, 16)

    @cached_property
    def _by_direction(self) -> dict[tuple, list[int]]:
        """Rows with proved coefficients, grouped by their direction on the probe columns."""
        out: dict[tuple, list[int]] = {}
        known = list(self.basis) + [i for i, _ in self.dependent]
        for i in known:
            key = _probe_key(self.rows.ints[i], self._probe)
            if key is not None:
                out.setdefault(key, []).append(i)
        return out

    def _multiple_of_row(self, V: IntRows, k: int) -> Member | None:
        """Coefficients when vector k is a multiple of one row of the span (checked on every column)."""
        v = V.ints[k]
        key = _probe_key(v, self._probe)
        for i in self._by_direction.get(key, ()) if key is not None else ():
            r = self.rows.ints[i]
            j = next(c for c in self._probe if r[c])
            a, b = v[j], r[j]  # v == (a / b) * r as integer rows, if proportional at all
            if v == r or [x * b for x in v] == [y * a for y in r]:
                lam = Fraction(a * self.rows.scale[i], b * V.scale[k])  # vector = lam * rows[i]
                return Member(tuple((c, lam * q) for c, q in self._row_coefficients[i]))
        return None

    def _solve(self, ks: list[int], V: IntRows, out: list) -> None:
        """Exact solve for the vectors ``ks``; verified members get coefficients, the rest witnesses."""
        r = self.rank
        rhs = flint.fmpz_mat(r, len(ks), [V.ints[k][j] for j in self.pivots for k in ks])
        num, den = self._block.transpose().solve(rhs).numer_denom()  # type: ignore[attr-defined]  # B_P^T X = V_P^T
        N = num.transpose()
        residual = N * self._B - V.take(ks).fmpz() * den
        bscale = self._basis_rows.scale
        clean = residual.is_zero()
        for t, k in enumerate(ks):
            j = None if clean else next((c for c in range(self.ncols) if residual[t, c] != 0), None)
            if j is None:
                coeffs = tuple(
                    (self.basis[i], Fraction(int(N[t, i]) * bscale[i], int(den) * V.scale[k]))
                    for i in range(r)
                    if N[t, i] != 0
                )
                out[k] = Member(coeffs)
            else:  # a member modulo the prime only
                out[k] = self._non_member(j, V, k)

    def _non_member(self, j: int, V: IntRows, k: int) -> NonMember:
        w = self._orthogonal_at(j)
        v = V.ints[k]
        product = Fraction(sum(v[c] * x for c, x in w), V.scale[k])
        if product == 0:  # pragma: no cover - would contradict the invertible pivot block
            raise InternalError("internal error: orthogonal witness has zero product")
        return NonMember(w, product)

    def project(self, vectors: Rows) -> list["Projection"]:
        """Exact orthogonal projection of each vector onto the span (for approximate matching).

        >>> sb = span_basis([(Fraction(1), Fraction(0), Fraction(0))])
        >>> p = sb.project([(Fraction(3), Fraction(4), Fraction(0))])[0]
        >>> p.coefficients, p.distance2, p.norm2, p.residual
        (((0, Fraction(3, 1)),), Fraction(16, 1), Fraction(25, 1), ((1, 1),))
        """
        V = IntRows.of(vectors, self.ncols)
        m, r, d = len(V), self.rank, self.ncols
        if not m:
            return []
        Vz = V.fmpz()
        if r == 0:
            N, den = flint.fmpz_mat(0, m, []), flint.fmpz(1)
            R = Vz
        else:
            B = self._B
            G = B * B.transpose()
            N, den = G.solve(B * Vz.transpose()).numer_denom()  # type: ignore[attr-defined]  # G C = B V^T
            R = Vz * den - N.transpose() * B  # den * (V - C^T B), integer rows
        bscale = self._basis_rows.scale
        out = []
        for k in range(m):
            res = [int(R[k, j]) for j in range(d)]
            s = V.scale[k]
            g = math.gcd(*res)
            w = tuple((j, x // g) for j, x in enumerate(res) if x) if g else ()
            norm2 = Fraction(sum(x * x for x in V.ints[k]), s * s)
            dist2 = Fraction(sum(x * x for x in res), int(den) ** 2 * s * s)
            product = Fraction(sum(x * V.ints[k][j] for j, x in w), s)
            coeffs = tuple(
                (self.basis[i], Fraction(int(N[i, k]) * bscale[i], int(den) * s)) for i in range(r) if N[i, k] != 0
            )
            out.append(Projection(coeffs, w, product, dist2, norm2))
        return out

    @cached_property
    def _orthogonals(self) -> dict[int, tuple[tuple[int, int], ...]]:
        return {}

    def _orthogonal_at(self, j: int) -> tuple[tuple[int, int], ...]:
        """Integer w with w_j != 0, support in pivots + {j}, and B @ w == 0."""
        if j not in self._orthogonals:
            r = self.rank
            if r == 0:
                w: tuple[tuple[int, int], ...] = ((j, 1),)
            else:
                col = flint.fmpz_mat(r, 1, [row[j] for row in self._basis_rows.ints])
                num, den = self._block.solve(col).numer_denom()  # type: ignore[attr-defined]  # an fmpq_mat
                entries = sorted([(self.pivots[a], -int(num[a, 0])) for a in range(r)] + [(j, int(den))])
                g = math.gcd(*(x for _, x in entries))
                w = tuple((c, x // g) for c, x in entries if x)
            self._orthogonals[j] = w
        return self._orthogonals[j]


def span_basis(rows: Rows, ncols: int | None = None) -> SpanBasis:
    """A proved basis of the row span of *rows* (see the module's design note).

    Parameters
    ----------
    rows
        Rows of fractions, or :class:`IntRows`.
    ncols
        The number of columns; needed only when *rows* is empty.

    Examples
    --------
    >>> F = Fraction
    >>> sb = span_basis([(F(1), F(2)), (F(2), F(4)), (F(0), F(1))])
    >>> sb.basis, sb.pivots, sb.rank, sb.dependent
    ((0, 2), (0, 1), 2, ((1, ((0, Fraction(2, 1)),)),))
    """
    Z = IntRows.of(rows, ncols)
    nonzero = [i for i in range(len(Z)) if not Z.is_zero(i)]
    if not nonzero:
        return SpanBasis(Z, (), (), tuple((i, ()) for i in range(len(Z))))
    Znz = Z.take(nonzero)
    n, d = len(nonzero), Z.ncols
    zero_rows = tuple((i, ()) for i in range(len(Z)) if Z.is_zero(i))
    for p in _PRIMES:
        if d > n + 2 * _STAGE:
            # Wide matrices are usually of full row rank: show it on a sample of columns first.
            S = _spread(d, n + 2 * _STAGE)
            R, rk = Znz.nmod(p, S).rref()
            if rk == n:
                return SpanBasis(Z, tuple(nonzero), tuple(S[t] for t in _pivots_of_rref(R, rk)), zero_rows, p, R, tuple(S))
        R, rk = Znz.nmod(p).rref()
        pivots = _pivots_of_rref(R, rk)
        # independent rows: pivots of the transposed pivot columns
        T, rt = Znz.nmod(p, pivots).transpose().rref()
        basis = [nonzero[i] for i in _pivots_of_rref(T, rt)]
        got = _verified(Z, basis, pivots, p, R)
        if got is not None:
            return got
    return _exact_basis(Z)


def _spread(d: int, k: int) -> list[int]:
    """k column indices spread evenly over range(d) (all of them when k >= d)."""
    if k >= d:
        return list(range(d))
    return sorted({(t * d) // k for t in range(k)})


def _verified(Z: IntRows, basis, pivots, p, R=None) -> SpanBasis | None:
    """The candidate basis if every other row is exactly in its span; None if the prime was unlucky."""
    if len(basis) != len(pivots) or not basis:
        return None
    reduced = R  # its first rank rows are the basis reduced modulo p
    sb = SpanBasis(Z, tuple(basis), tuple(pivots), (), p, reduced)
    chosen = set(basis)
    others = [i for i in range(len(Z)) if i not in chosen and not Z.is_zero(i)]
    answers = sb.express(Z.take(others)) if others else []
    if any(isinstance(a, NonMember) for a in answers):
        return None  # a row outside the span: the rank modulo p was too small
    dependent: dict[int, tuple[tuple[int, Fraction], ...]] = {i: () for i in range(len(Z)) if i not in chosen}
    dependent.update((i, a.coefficients) for i, a in zip(others, answers))  # type: ignore[union-attr]
    return SpanBasis(Z, tuple(basis), tuple(pivots), tuple(sorted(dependent.items())), p, reduced)


def _exact_basis(Z: IntRows) -> SpanBasis:
    """Fallback when every prime was unlucky: exact rref, then a prime that keeps the block invertible."""
    rows = Z.fractions()
    _, pivots = rref(rows)
    _, basis = rref(list(zip(*[[r[j] for j in pivots] for r in rows])))  # independent rows
    r = len(pivots)
    det = int(flint.fmpz_mat(r, r, [Z.ints[i][j] for i in basis for j in pivots]).det())
    p = next((q for q in _PRIMES if det % q), None) or _prime_not_dividing(det)
    got = _verified(Z, list(basis), list(pivots), p)
    if got is None:  # pragma: no cover - would be a bug in flint's exact rref
        raise InternalError(f"internal error: exact basis of a {len(Z)}x{Z.ncols} matrix failed to verify")
    return got


def _prime_not_dividing(n: int) -> int:  # pragma: no cover - |n| would exceed 2**250
    q = _PRIMES[-1] - 2
    while True:
        if n % q and all(q % f for f in range(3, 1 << 16, 2)) and pow(2, q - 1, q) == 1:
            if all(pow(a, q - 1, q) == 1 for a in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)):
                return q
        q -= 2


def _to_fraction(x) -> Fraction:
    if isinstance(x, flint.fmpq):
        return Fraction(int(x.p), int(x.q))
    return Fraction(int(x))


def _fmpq(rows: Sequence[Sequence[Fraction]], ncols: int) -> flint.fmpq_mat:
    return flint.fmpq_mat(len(rows), ncols, [flint.fmpq(q.numerator, q.denominator) for r in rows for q in r])


def rank(rows: Rows, ncols: int | None = None) -> int:
    """Exact rank of a matrix given by rows."""
    return span_basis(rows, ncols).rank


def rref(rows: Sequence[Sequence[Fraction]], ncols: int | None = None) -> tuple[Matrix, tuple[int, ...]]:
    """Reduced row echelon form (non-zero rows only) and its pivot columns, exactly.

    >>> F = Fraction
    >>> rref([(F(2), F(4)), (F(1), F(3))])
    (((Fraction(1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1))), (0, 1))
    """
    rows = tuple(tuple(r) for r in rows)
    d = len(rows[0]) if rows else (ncols or 0)
    if not rows or d == 0:
        return (), ()
    R, rk = _fmpq(rows, d).rref()
    out, pivots = [], []
    for i in range(rk):
        row = tuple(_to_fraction(R[i, j]) for j in range(d))
        pivots.append(next(j for j, x in enumerate(row) if x != 0))
        out.append(row)
    return tuple(out), tuple(pivots)


def kernel(rows: Sequence[Sequence[Fraction]], ncols: int | None = None) -> Matrix:
    """A basis (as rows) of ``{w : rows @ w == 0}``, the orthogonal complement of the row span."""
    rows = tuple(tuple(r) for r in rows)
    d = len(rows[0]) if rows else (ncols or 0)
    R, pivots = rref(rows, d)
    pset = set(pivots)
    out = []
    for f in (j for j in range(d) if j not in pset):
        w = [Fraction(0)] * d
        w[f] = Fraction(1)
        for i, p in enumerate(pivots):
            w[p] = -R[i][f]
        out.append(tuple(w))
    return tuple(out)


def matmul(a: Sequence[Sequence[Fraction]], b: Sequence[Sequence[Fraction]]) -> Matrix:
    """Exact product of two matrices given by rows."""
    if not a:
        return ()
    inner = len(a[0])
    if len(b) != inner:
        raise ShapeError(f"cannot multiply {len(a)}x{inner} by {len(b)}x{len(b[0]) if b else 0}")
    m = len(b[0]) if b else 0
    if inner == 0:
        return tuple((Fraction(0),) * m for _ in a)
    P = _fmpq(a, inner) * _fmpq(b, m)
    return tuple(tuple(_to_fraction(P[i, j]) for j in range(m)) for i in range(len(a)))
