"""Exact linear algebra over the rationals: the one module that talks to python-flint.

Design note
-----------
Orientation is fixed here, once: a matrix is a tuple of **rows**, and the
space a matrix stands for is the span of its rows.  Activation matrices have one
row per neuron, so the representation of a set of neurons is a row span.

Everything else in symrep asks this module three questions about a row span
and receives answers that carry their own proof:

* :func:`span_basis` -- which rows form a basis (indices ``basis``), and a set
  of ``pivots`` columns on which those rows form an invertible square block,
  with that block's exact inverse.  The rank is therefore proved: the block is
  invertible (its inverse is exhibited) and every row is written in the basis.
* :meth:`SpanBasis.express` -- for each vector, either coefficients writing it
  in the basis rows, or a vector orthogonal to the whole span whose product with
  it is non-zero (a proof that it lies outside).
* :func:`rref` / :func:`kernel` -- canonical bases and orthogonal complements.

How it is fast and still exact: rows are scaled to integers (a row span does not
change when a row is multiplied by a non-zero number), candidate pivots are found
by Gaussian elimination modulo a 63-bit prime with flint's ``nmod_mat``, and the
candidate is then *verified* over the rationals: the pivot block must be
invertible and every row must be reproduced exactly by ``C @ B``.  An unlucky
prime (one that divides a minor) can only make the candidate rank too small,
which the verification detects; the next prime is then tried, and after a few
failures the plain exact ``fmpq_mat.rref`` decides.  No answer depends on
probability: a wrong candidate is never returned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import flint

from .exact import Matrix, Vector

__all__ = [
    "Member",
    "NonMember",
    "SpanBasis",
    "kernel",
    "matmul",
    "rank",
    "rref",
    "span_basis",
]

# Primes just below 2**63; flint's nmod_mat works with word-size moduli.
_PRIMES = (9223372036854775783, 9223372036854775643, 9223372036854775549, 9223372036854775507)


def _scaled_rows(rows: Sequence[Sequence[Fraction]]) -> tuple[list[list[int]], list[int]]:
    """Integer rows ``Z[i] = scale[i] * rows[i]`` with ``scale[i]`` the lcm of row i's denominators."""
    out, scales = [], []
    for row in rows:
        s = math.lcm(*(q.denominator for q in row)) if row else 1
        out.append([q.numerator * (s // q.denominator) for q in row])
        scales.append(s)
    return out, scales


def _fmpz(rows: list[list[int]], ncols: int) -> flint.fmpz_mat:
    return flint.fmpz_mat(len(rows), ncols, [x for r in rows for x in r])


def _fmpq(rows: Sequence[Sequence[Fraction]], ncols: int) -> flint.fmpq_mat:
    return flint.fmpq_mat(len(rows), ncols, [flint.fmpq(q.numerator, q.denominator) for r in rows for q in r])


def _to_fraction(x) -> Fraction:
    if isinstance(x, flint.fmpq):
        return Fraction(int(x.p), int(x.q))
    return Fraction(int(x))


def _mod_pivots(rows: list[list[int]], ncols: int, p: int) -> list[int]:
    """Pivot columns of the reduced row echelon form of *rows* modulo *p*."""
    if not rows or ncols == 0:
        return []
    m = flint.nmod_mat(len(rows), ncols, [x % p for r in rows for x in r], p)
    r, rk = m.rref()
    pivots, col = [], 0
    for i in range(rk):
        while int(r[i, col]) == 0:
            col += 1
        pivots.append(col)
        col += 1
    return pivots


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
class SpanBasis:
    """A proved basis of the row span of ``rows``.

    Attributes
    ----------
    rows
        The matrix whose row span this is.
    ncols
        The ambient dimension (number of columns).
    basis
        Indices of rows that are linearly independent and span all rows.
    pivots
        Columns on which the basis rows form an invertible square block.
    inverse
        The exact inverse of that block (``len(basis)`` square).
    """

    rows: Matrix
    ncols: int
    basis: tuple[int, ...]
    pivots: tuple[int, ...]
    inverse: Matrix

    @property
    def rank(self) -> int:
        return len(self.basis)

    def express(self, vectors: Sequence[Sequence[Fraction]]) -> list[Member | NonMember]:
        """For each vector, coefficients over ``rows`` or an orthogonal witness.

        >>> sb = span_basis(((Fraction(1), Fraction(0)), (Fraction(2), Fraction(0))))
        >>> [type(a).__name__ for a in sb.express([(Fraction(3), Fraction(0)), (Fraction(0), Fraction(1))])]
        ['Member', 'NonMember']
        """
        if not vectors:
            return []
        d, r = self.ncols, self.rank
        for v in vectors:
            if len(v) != d:
                raise ValueError(f"vector of length {len(v)} in a space of dimension {d}")
        if r == 0:
            out: list[Member | NonMember] = []
            for v in vectors:
                j = next((k for k, x in enumerate(v) if x != 0), None)
                out.append(Member(()) if j is None else NonMember(((j, 1),), v[j]))
            return out
        K = _fmpq(self.inverse, r)  # inverse of the unscaled block
        # Coefficients over the unscaled basis rows: c = v_P K.
        VP = _fmpq([[Fraction(x) for x in (row[j] for j in self.pivots)] for row in vectors], r)
        C = VP * K
        Bq = _fmpq([self.rows[i] for i in self.basis], d)
        R = C * Bq - _fmpq(vectors, d)
        out = []
        for k in range(len(vectors)):
            j = next((jj for jj in range(d) if R[k, jj] != 0), None)
            if j is None:
                coeffs = tuple(
                    (self.basis[i], _to_fraction(C[k, i])) for i in range(r) if C[k, i] != 0
                )
                out.append(Member(coeffs))
            else:
                out.append(self._orthogonal(j, vectors[k]))
        return out

    def _orthogonal(self, j: int, v: Sequence[Fraction]) -> NonMember:
        # w_j = 1, w_P = -(B_P)^{-1} B[:, j], then cleared of denominators: B @ w == 0.
        r = self.rank
        col = [self.rows[i][j] for i in self.basis]
        wp = [-sum((self.inverse[a][b] * col[b] for b in range(r)), Fraction(0)) for a in range(r)]
        entries = sorted([(self.pivots[a], wp[a]) for a in range(r)] + [(j, Fraction(1))])
        den = math.lcm(*(q.denominator for _, q in entries))
        w = tuple((c, int(q * den)) for c, q in entries if q != 0)
        product = sum((v[c] * x for c, x in w), Fraction(0))
        assert product != 0, "internal error: orthogonal witness has zero product"
        return NonMember(w, product)


def span_basis(rows: Sequence[Sequence[Fraction]], ncols: int | None = None) -> SpanBasis:
    """A proved basis of the row span of *rows* (see the module's design note).

    Parameters
    ----------
    rows
        Rows of fractions.
    ncols
        The number of columns; needed only when *rows* is empty.

    Examples
    --------
    >>> F = Fraction
    >>> sb = span_basis([(F(1), F(2)), (F(2), F(4)), (F(0), F(1))])
    >>> sb.basis, sb.pivots, sb.rank
    ((0, 2), (0, 1), 2)
    """
    rows = tuple(tuple(r) for r in rows)
    d = len(rows[0]) if rows else (ncols or 0)
    zrows, _ = _scaled_rows(rows)
    if not any(any(r) for r in zrows):
        return SpanBasis(rows, d, (), (), ())
    Z = _fmpz(zrows, d)
    for p in _PRIMES:
        pivots = _mod_pivots(zrows, d, p)
        sub = [[r[j] for j in pivots] for r in zrows]  # rows restricted to the pivot columns
        basis = _mod_pivots([list(c) for c in zip(*sub)], len(zrows), p)  # independent rows
        got = _verify(rows, zrows, Z, d, tuple(basis), tuple(pivots))
        if got is not None:
            return got
    return _exact_basis(rows, d)


def _verify(rows, zrows, Z, d, basis, pivots) -> SpanBasis | None:
    if len(basis) != len(pivots) or not basis:
        return None
    r = len(basis)
    block = flint.fmpz_mat(r, r, [zrows[i][j] for i in basis for j in pivots])
    try:
        kz = flint.fmpq_mat(block).inv()  # inverse of the scaled block
    except ZeroDivisionError:
        return None
    Bz = flint.fmpz_mat(r, d, [x for i in basis for x in zrows[i]])
    ZP = flint.fmpz_mat(len(zrows), r, [row[j] for row in zrows for j in pivots])
    if flint.fmpq_mat(ZP) * kz * flint.fmpq_mat(Bz) != flint.fmpq_mat(Z):
        return None  # some row is not reproduced: the candidate rank was too small
    # Inverse of the unscaled block: scaled block = S * block with S = diag(scale of basis rows).
    _, scales = _scaled_rows([rows[i] for i in basis])
    inv = tuple(
        tuple(_to_fraction(kz[a, b]) * scales[b] for b in range(r)) for a in range(r)
    )
    return SpanBasis(rows, d, basis, pivots, inv)


def _exact_basis(rows: Matrix, d: int) -> SpanBasis:
    """Fallback without primes: exact rref of the transpose picks rows, of the rows picks columns."""
    n = len(rows)
    _, pivots = rref(rows)
    sub = [[r[j] for j in pivots] for r in rows]
    _, basis = rref([tuple(c) for c in zip(*sub)]) if sub else ((), ())
    zrows, _ = _scaled_rows(rows)
    got = _verify(rows, zrows, _fmpz(zrows, d), d, tuple(basis), tuple(pivots))
    if got is None:  # pragma: no cover - would be a bug in flint's exact rref
        raise ArithmeticError(f"exact basis of a {n}x{d} matrix failed to verify")
    return got


def rank(rows: Sequence[Sequence[Fraction]], ncols: int | None = None) -> int:
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
    free = [j for j in range(d) if j not in set(pivots)]
    out = []
    for f in free:
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
        raise ValueError(f"cannot multiply {len(a)}x{inner} by {len(b)}x{len(b[0]) if b else 0}")
    m = len(b[0]) if b else 0
    if inner == 0:
        return tuple((Fraction(0),) * m for _ in a)
    P = _fmpq(a, inner) * _fmpq(b, m)
    return tuple(tuple(_to_fraction(P[i, j]) for j in range(m)) for i in range(len(a)))
