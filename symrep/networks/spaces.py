"""Subspaces of Q^d as canonical values, and explicit isomorphisms between spans.

A :class:`Subspace` stores its reduced row echelon basis, which is unique, so
two subspaces are equal exactly when their dataclass fields are equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import ShapeError
from symrep.exact.numbers import Matrix, as_matrix, as_vector
from symrep.exact.linalg import NonMember, SpanBasis, kernel, matmul, rref, span_basis

__all__ = ["Isomorphism", "Subspace", "isomorphism"]


@dataclass(frozen=True)
class Subspace:
    """The row span of a set of vectors in ``Q^ambient``, in canonical form.

    Build one with :meth:`span`.  ``basis`` is the reduced row echelon form of
    any spanning set, so equality is structural.

    >>> a = Subspace.span([[1, 1, 0], [2, 2, 0]])
    >>> b = Subspace.span([[3, 3, 0]])
    >>> a == b, a.dimension, [1, 1, 0] in a, [1, 0, 0] in a
    (True, 1, True, False)
    >>> (a + Subspace.span([[0, 0, 1]])).dimension
    2
    >>> (Subspace.span([[1, 0, 0], [0, 1, 0]]) & Subspace.span([[0, 1, 0], [0, 0, 1]])).basis
    ((Fraction(0, 1), Fraction(1, 1), Fraction(0, 1)),)
    """

    ambient: int
    basis: Matrix

    @classmethod
    def span(cls, vectors: Any, ambient: int | None = None) -> "Subspace":
        """The span of *vectors* (rows); give *ambient* when *vectors* is empty."""
        rows = as_matrix(vectors, "vectors")
        if rows:
            if ambient is not None and len(rows[0]) != ambient:
                raise ShapeError(f"vectors have {len(rows[0])} entries, expected {ambient}")
            ambient = len(rows[0])
        elif ambient is None:
            raise ShapeError("the span of no vectors needs its ambient dimension")
        basis, _ = rref(rows, ambient)
        return cls(ambient, basis)

    @property
    def dimension(self) -> int:
        return len(self.basis)

    def to_sympy(self) -> Any:
        """The canonical basis (rows) as an ``ImmutableMatrix``, ``dimension x ambient``."""
        from symrep.exact.symbolic import matrix_to_sympy

        return matrix_to_sympy(self.basis, columns=self.ambient)

    def __contains__(self, vector: Any) -> bool:
        v = as_vector(vector, "vector")
        if len(v) != self.ambient:
            raise ShapeError(f"vector has {len(v)} entries, the space lives in dimension {self.ambient}")
        return not isinstance(span_basis(self.basis, self.ambient).express([v])[0], NonMember)

    def _check(self, other: "Subspace") -> None:
        if not isinstance(other, Subspace):
            raise TypeError(f"expected a Subspace, got {type(other).__name__}")
        if other.ambient != self.ambient:
            raise ShapeError(f"subspaces of Q^{self.ambient} and Q^{other.ambient} cannot be combined")

    def __add__(self, other: "Subspace") -> "Subspace":
        self._check(other)
        return Subspace.span(self.basis + other.basis, self.ambient)

    def __and__(self, other: "Subspace") -> "Subspace":
        self._check(other)
        # U & V is the complement of (U-perp + V-perp).
        perp = kernel(self.basis, self.ambient) + kernel(other.basis, self.ambient)
        return Subspace.span(kernel(perp, self.ambient), self.ambient)

    def complement(self) -> "Subspace":
        """The orthogonal complement in ``Q^ambient``."""
        return Subspace.span(kernel(self.basis, self.ambient), self.ambient)

    def __le__(self, other: "Subspace") -> bool:
        self._check(other)
        return (self + other) == other


@dataclass(frozen=True)
class Isomorphism:
    """A linear isomorphism between ``span(A)`` and ``span(B)`` (rows of A, B).

    ``source`` and ``target`` are indices of rows of A and B forming bases.
    The map acts on row vectors, ``v -> v @ M``, where ``M`` is zero except on
    the rows ``forward_rows`` which hold ``forward``; it sends ``A[source[k]]``
    to ``B[target[k]]``.  ``backward_rows``/``backward`` describe the inverse map
    in the same way.  Multiplying out ``A[source] @ M == B[target]`` and
    ``B[target] @ N == A[source]`` checks the witness.
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    forward_rows: tuple[int, ...]
    forward: Matrix
    backward_rows: tuple[int, ...]
    backward: Matrix

    def apply(self, vector: Sequence[Fraction]) -> tuple[Fraction, ...]:
        """Image of a row vector of ``span(A)`` under the map."""
        return _sparse_apply(vector, self.forward_rows, self.forward)

    def apply_inverse(self, vector: Sequence[Fraction]) -> tuple[Fraction, ...]:
        """Image of a row vector of ``span(B)`` under the inverse map."""
        return _sparse_apply(vector, self.backward_rows, self.backward)

    def to_sympy(self) -> tuple[Any, Any]:
        """The map and its inverse as square matrices ``(M, N)``: ``A[source] * M == B[target]`` and back."""
        from symrep.exact.symbolic import isomorphism_to_sympy

        return isomorphism_to_sympy(self)


def _sparse_apply(v, rows, matrix):
    if not rows:
        return tuple(Fraction(0) for _ in v)
    return matmul((tuple(Fraction(v[i]) for i in rows),), matrix)[0]


def _carry(a: SpanBasis, b: SpanBasis) -> Matrix:
    """Rows ``K_a @ B_b``: with ``v_P`` the pivot entries of ``v``, ``v_P @ K_a`` are its coordinates."""
    return matmul(a.inverse, tuple(b.rows.row(i) for i in b.basis))


def isomorphism(a: Any, b: Any) -> Isomorphism | None:
    """An explicit isomorphism ``span(rows of a) -> span(rows of b)``, or None when dimensions differ.

    >>> iso = isomorphism([[1, 0], [1, 0]], [[0, 2], [0, 1]])
    >>> [str(x) for x in iso.apply([3, 0])]
    ['0', '6']
    """
    A, B = as_matrix(a, "a"), as_matrix(b, "b")
    sa, sb = span_basis(A, len(A[0]) if A else 0), span_basis(B, len(B[0]) if B else 0)
    if sa.rank != sb.rank:
        return None
    if sa.rank == 0:
        return Isomorphism((), (), (), (), (), ())
    return Isomorphism(sa.basis, sb.basis, sa.pivots, _carry(sa, sb), sb.pivots, _carry(sb, sa))
