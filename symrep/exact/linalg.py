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

*The whole space.*  With at least as many rows as columns, :func:`span_basis` first
looks for ``d`` rows with a ``d x d`` block invertible modulo ``p``.  Then the span is
all of ``Q^d`` (:attr:`SpanBasis.whole_space`), proved by the invertible pivot block
with a pivot in every column -- the dimension witness certificates already carry --
and every vector is a member with no solve: :class:`Member` answers carry
``whole_space=True`` and their coefficients (tens of thousands of digits when ``d``
is in the thousands) are solved for, all at once, only when read.

Rows read from NumPy keep their integers as one ``int64`` array, from which flint
matrices are built through ``fmpz_mat`` (its reduction to ``nmod_mat`` is cheap).
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
# From this many columns on, a span proved to be the whole space answers membership without solving
# (coefficients on demand); below it the solves are cheap and are done at once, as for any span.
_LAZY_FROM = 48


class IntRows:
    """Rows of rationals kept as integers: ``row i == ints[i] / scale[i]`` with ``scale[i] > 0``.

    Built once per matrix (:meth:`of`), so repeated span questions about subsets
    of the same neurons do not convert fractions again.  Rows read from NumPy
    (:meth:`from_array`) also keep the integers as an ``int64`` array (``array``),
    from which flint matrices are built without a Python integer per entry; the
    lists ``ints`` are then made only when first asked for.

    >>> m = IntRows.of([(Fraction(1, 2), Fraction(1, 3)), (Fraction(2), Fraction(0))])
    >>> m.ints, m.scale, m.row(0)
    ([[3, 2], [2, 0]], [6, 1], (Fraction(1, 2), Fraction(1, 3)))
    """

    __slots__ = ("_ints", "scale", "ncols", "_root", "_rows", "_cache")

    def __init__(self, ints: list[list[int]] | None, scale: list[int], ncols: int, array=None):
        if ints is None and array is None:
            raise InputError("IntRows needs its integers as lists or as an int64 array")
        self._ints, self.scale, self.ncols = ints, scale, ncols
        # Rows taken from an array-backed matrix keep the whole array (_root) and their row numbers in it.
        self._root: tuple | None = None if array is None else (array, self)
        self._rows: list[int] | None = None
        self._cache: dict[int, list[int]] = {}  # rows of the array already made Python integers (at the root)

    @property
    def array(self):
        """The integers as an int64 NumPy array, when the rows came from one (else None)."""
        if self._root is None:
            return None
        return self._root[0] if self._rows is None else self._root[0][self._rows]

    @property
    def ints(self) -> list[list[int]]:
        if self._ints is None:
            if self._rows is None:
                self._ints = self._root[0].tolist()  # type: ignore[index]
            else:  # share the row lists of the matrix the rows were taken from
                lists = self._root[1].ints  # type: ignore[index]
                self._ints = [lists[i] for i in self._rows]
        return self._ints

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
        shifted to a common exponent, so ``row i == ints[i] / scale[i]`` exactly
        (read bit by bit by :func:`symrep.exact.intmat.scaled_ints`).  NaN and
        infinities raise ``InputError`` (a ``ValueError``).
        """
        from symrep.exact.intmat import integer_rows  # NumPy only for arrays that are already NumPy's

        ints, scale, d, array = integer_rows(a)
        return cls(ints, scale, d, array)

    def __len__(self) -> int:
        return len(self.scale)

    def take(self, idx: Sequence[int]) -> "IntRows":
        """The rows ``idx`` (sharing storage)."""
        idx = list(idx)
        scale = [self.scale[i] for i in idx]
        if self._root is None:
            return IntRows([self.ints[i] for i in idx], scale, self.ncols)
        out = IntRows([self._ints[i] for i in idx] if self._ints is not None else None, scale, self.ncols, self._root[0])
        out._root = self._root
        out._rows = [self._rows[i] for i in idx] if self._rows is not None else idx
        return out

    def row(self, i: int) -> tuple[Fraction, ...]:
        s = self.scale[i]
        return tuple(Fraction(x, s) for x in self.ints[i])

    def fractions(self) -> Matrix:
        return tuple(self.row(i) for i in range(len(self)))

    def int_row(self, i: int) -> list[int]:
        """Row i as Python integers, without making the lists of every row."""
        if self._ints is None and self._root is not None:
            array, root = self._root
            ri = i if self._rows is None else self._rows[i]
            row = root._cache.get(ri)
            if row is None:
                row = root._cache[ri] = root._ints[ri] if root._ints is not None else array[ri].tolist()
            return row
        return self.ints[i]

    def _sub(self, cols: Sequence[int] | None):
        """The int64 array of these rows (on the columns *cols*); only for array-backed rows."""
        import numpy as np

        A = self._root[0]  # type: ignore[index]
        rows = np.arange(A.shape[0]) if self._rows is None else np.asarray(self._rows, dtype=np.intp)
        return A[rows] if cols is None else A[np.ix_(rows, np.asarray(cols, dtype=np.intp))]

    def int_entries(self, cols: Sequence[int]) -> list[list[int]]:
        """The entries of every row on the columns *cols*, as Python integers."""
        if self._ints is None and self._root is not None:
            return self._sub(cols).tolist()
        return [[r[c] for c in cols] for r in self.ints]

    def is_zero(self, i: int) -> bool:
        if self._ints is None and self._root is not None:
            return not self._root[0][i if self._rows is None else self._rows[i]].any()
        return not any(self.ints[i])

    def fmpz(self, cols: Sequence[int] | None = None) -> flint.fmpz_mat:
        """The integers (of the columns *cols*) as an ``fmpz_mat``."""
        m = len(self)
        if self._root is not None:
            sub = self._sub(cols)
            return flint.fmpz_mat(m, sub.shape[1], sub.ravel().tolist())
        if cols is None:
            return flint.fmpz_mat(m, self.ncols, [x for r in self.ints for x in r])
        return flint.fmpz_mat(m, len(cols), [r[j] for r in self.ints for j in cols])

    def nmod(self, p: int, cols: Sequence[int] | None = None) -> flint.nmod_mat:
        # Through fmpz_mat: building it from Python integers is about twice as fast as building an
        # nmod_mat, and the reduction of a whole fmpz_mat modulo p is almost free.
        return flint.nmod_mat(self.fmpz(cols), p)


Rows = Union[IntRows, Sequence[Sequence[Fraction]]]


@dataclass(frozen=True, init=False, eq=False)
class Member:
    """Proof that a vector lies in a row span: ``vector == sum(c * rows[i] for i, c in coefficients)``.

    ``whole_space`` True: the span is all of ``Q^d`` (see :attr:`SpanBasis.whole_space`),
    which proves membership; the coefficients are then solved for when first read,
    together for every vector of the same :meth:`SpanBasis.express` call.

    >>> Member(((0, Fraction(2)),)).coefficients, Member(()) == Member(())
    (((0, Fraction(2, 1)),), True)
    """

    whole_space: bool

    def __init__(self, coefficients: tuple[tuple[int, Fraction], ...] | None = (), whole_space: bool = False,
                 pending: "_Pending | None" = None, index: int = -1):
        if coefficients is None and pending is None:
            raise InternalError("internal error: a Member needs its coefficients or a pending solve")
        object.__setattr__(self, "whole_space", whole_space)
        object.__setattr__(self, "_coefficients", coefficients)
        object.__setattr__(self, "_pending", pending)
        object.__setattr__(self, "_index", index)

    @property
    def coefficients(self) -> tuple[tuple[int, Fraction], ...]:
        if self._coefficients is None:  # type: ignore[attr-defined]
            object.__setattr__(self, "_coefficients", self._pending.coefficients(self._index))  # type: ignore[attr-defined]
        return self._coefficients  # type: ignore[attr-defined]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Member) and self.coefficients == other.coefficients

    def __hash__(self) -> int:
        return hash(self.coefficients)

    def __repr__(self) -> str:
        if self._coefficients is None:  # type: ignore[attr-defined]
            return "Member(<coefficients not yet computed>, whole_space=True)"
        return f"Member({self._coefficients!r})"  # type: ignore[attr-defined]


class _Pending:
    """Vectors of a span that is the whole space, whose coefficients are solved for together on first use."""

    def __init__(self, sb: "SpanBasis", V: "IntRows", ks: list[int]):
        self.sb, self.V, self.ks = sb, V, ks
        self.done: dict[int, tuple[tuple[int, Fraction], ...]] | None = None

    def coefficients(self, k: int) -> tuple[tuple[int, Fraction], ...]:
        if self.done is None:
            out: list = [None] * len(self.V)
            self.sb._solve(self.ks, self.V, out)
            if any(not isinstance(out[t], Member) for t in self.ks):  # pragma: no cover - the block is invertible
                raise InternalError("internal error: a vector is not in a span that is the whole space")
            self.done = {t: out[t].coefficients for t in self.ks}
            self.V = None  # type: ignore[assignment]
        return self.done[k]


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


def _probe_key(row: list[int], cols: list[int] | None) -> tuple | None:
    """The row's entries on *cols* (all of them if None) divided by the first non-zero one (None when all are zero)."""
    vals = row if cols is None else [row[c] for c in cols]
    first = next((x for x in vals if x), 0)
    if not first:
        return None
    return tuple(Fraction(x, first) for x in vals)


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
    implied
        Rows outside ``basis`` and ``dependent`` that lie in the span because it
        is the whole space (:attr:`whole_space`); their coefficients are solved
        for only when :meth:`row_coefficients` is called.
    """

    rows: IntRows
    basis: tuple[int, ...]
    pivots: tuple[int, ...]
    dependent: tuple[tuple[int, tuple[tuple[int, Fraction], ...]], ...] = ()
    prime: int = _PRIMES[0]
    _reduced: flint.nmod_mat | None = field(default=None, repr=False)
    _reduced_cols: tuple[int, ...] | None = field(default=None, repr=False)
    implied: tuple[int, ...] = ()

    @property
    def ncols(self) -> int:
        return self.rows.ncols

    @property
    def whole_space(self) -> bool:
        """True when the span is all of ``Q^d``: the invertible pivot block uses every column.

        That alone proves every vector of length ``d`` a member, so :meth:`express`
        answers without solving (see :class:`Member`).
        """
        return self.rank == self.ncols > 0

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
        return self._basis_rows.fmpz(self.pivots)

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
        if self.implied:
            for i, m in zip(self.implied, self.express(self.rows.take(self.implied))):
                out[i] = m.coefficients  # type: ignore[union-attr]
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
        if self.whole_space and self.ncols >= _LAZY_FROM:
            return self._whole_space_members(V)
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

    def _whole_space_members(self, V: IntRows) -> list[Member | NonMember]:
        """Every vector is a member: the span is the whole space.  Coefficients are solved for on demand."""
        zero = [V.is_zero(k) for k in range(len(V))]
        pending = _Pending(self, V, [k for k in range(len(V)) if not zero[k]])
        return [Member(()) if zero[k] else Member(None, True, pending, k) for k in range(len(V))]

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
        for i, entries in zip(known, self.rows.take(known).int_entries(self._probe)):
            key = _probe_key(entries, None)
            if key is not None:
                out.setdefault(key, []).append(i)
        return out

    def _multiple_of_row(self, V: IntRows, k: int) -> Member | None:
        """Coefficients when vector k is a multiple of one row of the span (checked on every column)."""
        v = V.int_row(k)
        key = _probe_key(v, self._probe)
        for i in self._by_direction.get(key, ()) if key is not None else ():
            r = self.rows.int_row(i)
            j = next(c for c in self._probe if r[c])
            a, b = v[j], r[j]  # v == (a / b) * r as integer rows, if proportional at all
            if v == r or [x * b for x in v] == [y * a for y in r]:
                lam = Fraction(a * self.rows.scale[i], b * V.scale[k])  # vector = lam * rows[i]
                return Member(tuple((c, lam * q) for c, q in self._row_coefficients[i]))
        return None

    def _solve(self, ks: list[int], V: IntRows, out: list) -> None:
        """Exact solve for the vectors ``ks``; verified members get coefficients, the rest witnesses."""
        r = self.rank
        rhs = V.take(ks).fmpz(self.pivots).transpose()
        num, den = self._block.transpose().solve(rhs).numer_denom()  # type: ignore[attr-defined]  # B_P^T X = V_P^T
        N = num.transpose()
        bscale = self._basis_rows.scale
        if self.whole_space:  # the pivot block is the whole basis: the exact solve reproduces every vector
            clean = True
        else:
            residual = N * self._B - V.take(ks).fmpz() * den
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
        v = V.int_row(k)
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
                col = flint.fmpz_mat(r, 1, [r[0] for r in self._basis_rows.int_entries([j])])
                num, den = self._block.solve(col).numer_denom()  # type: ignore[attr-defined]
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
                pivots = tuple(S[t] for t in _pivots_of_rref(R, rk))
                return SpanBasis(Z, tuple(nonzero), pivots, zero_rows, p, R, tuple(S))
        if n >= d >= _LAZY_FROM:
            whole = _whole_space(Z, nonzero, Znz, zero_rows, p)
            if whole is not None:
                return whole
        M = Znz.nmod(p)
        R, rk = M.rref()
        pivots = tuple(_pivots_of_rref(R, rk))
        # independent rows: pivots of the transposed pivot columns
        T, rt = Znz.nmod(p, pivots).transpose().rref()
        basis = [nonzero[i] for i in _pivots_of_rref(T, rt)]
        got = _verified(Z, basis, pivots, p, R)
        if got is not None:
            return got
    return _exact_basis(Z)


def _whole_space(Z: IntRows, nonzero: list[int], Znz: IntRows, zero_rows, p: int) -> SpanBasis | None:
    """The span as the whole space when ``d`` of its rows are independent modulo ``p`` (None otherwise).

    ``d`` rows whose ``d x d`` block (every column a pivot) is invertible modulo
    ``p`` have a non-zero determinant, so they are independent over the rationals;
    then the span is all of ``Q^d`` and contains every other row, with no solve
    needed to prove it (their coefficients are ``implied``, computed on demand).
    The first ``d`` rows are tried first (one ``d x d`` determinant), then an
    elimination of the transpose picks ``d`` independent rows if there are any.
    """
    d = Z.ncols
    if Znz.take(range(d)).nmod(p).det() != 0:
        found = list(range(d))
    else:
        T, rt = Znz.nmod(p).transpose().rref()
        if rt != d:
            return None
        found = _pivots_of_rref(T, rt)
    basis = [nonzero[i] for i in found]
    chosen = set(basis)
    implied = tuple(i for i in nonzero if i not in chosen)
    return SpanBasis(Z, tuple(basis), tuple(range(d)), zero_rows, p, None, None, implied)


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
