"""The values and the exact per-neuron test of subspace matching (shared by the exact and certified paths).

:mod:`symrep.measures.matching` (the algorithms) and :mod:`symrep.measures.certified`
(the float-proposes, exact-verifies path for eps > 0) both build these values and
fall back on :func:`_test`, the exact membership test with its witnesses; keeping
them here lets the two paths use each other's pieces without importing each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import InputError, ShapeError
from symrep.exact.linalg import IntRows, Member, span_basis
from symrep.exact.numbers import as_matrix

__all__ = ["ExactMatch", "GramBound", "LazyCoefficients", "LowerBound", "MaximumMatch", "Removal"]


def _rational_sqrt(q: Fraction) -> Fraction | None:
    p, r = math.isqrt(q.numerator), math.isqrt(q.denominator)
    return Fraction(p, r) if p * p == q.numerator and r * r == q.denominator else None


@dataclass(frozen=True)
class LowerBound:
    """Coefficients ``c`` whose residual ``r = z - sum(c_k z_k)`` bounds a distance from below.

    With ``q_k = t_k z_k . r`` over the other side's remaining non-zero vectors
    and ``mu`` the :class:`GramBound` of that side,
    ``dist(z, span)**2 >= |r|**2 - |q|**2 / mu``; the removal is proved when
    this exceeds ``eps**2 |z|**2`` (see :mod:`symrep.measures.certified`).
    """

    coefficients: Sequence[tuple[int, Fraction]]


@dataclass(frozen=True)
class GramBound:
    """A certified lower bound ``mu`` on the smallest eigenvalue of a Gram matrix.

    The vectors are ``u_k = scales[i] * z_k`` for ``k = neurons[i]`` (neurons of
    ``side``); ``factor`` (integer rows of a lower triangular ``L``, row ``i``
    with ``i + 1`` entries, divided by ``2**factor_exponent``) makes
    ``H - L L^T`` (``H = (u_k . u_l)``) diagonally dominant with margin ``mu``:
    every diagonal entry exceeds the absolute off-diagonal sum of its row by at
    least ``mu > 0``.  Then ``H = L L^T + (H - L L^T)`` is ``>= mu I``.
    """

    side: str
    neurons: tuple[int, ...]
    scales: tuple[Fraction, ...]
    mu: Fraction
    factor: tuple[tuple[int, ...], ...]
    factor_exponent: int


@dataclass(frozen=True)
class Removal:
    """Neuron ``neuron`` of ``side`` (``"x"`` or ``"y"``) dropped in ``round``.

    ``orthogonal`` (sparse ``(column, integer)`` pairs) is orthogonal to every
    activation vector of the other side that remained when it was dropped, and
    its product with this neuron's vector is ``product`` (non-zero).  A removal
    proved instead by a distance lower bound (eps > 0, the certified path) has
    ``bound`` set, ``orthogonal == ()`` and ``product == 0``.
    """

    round: int
    side: str
    neuron: int
    orthogonal: tuple[tuple[int, int], ...]
    product: Fraction
    bound: LowerBound | None = None

    def to_sympy(self, points: int | None = None) -> dict[str, Any]:
        """SymPy form (:func:`symrep.exact.symbolic.removal_to_sympy`): ``orthogonal`` a column of *points* entries."""
        from symrep.exact.symbolic import removal_to_sympy

        return removal_to_sympy(self, points)


@dataclass(frozen=True)
class MaximumMatch:
    """The maximum exact match ``(x, y)`` of two layers, with its proof.

    Attributes
    ----------
    x, y
        Sorted indices of the matched neurons (rows of A and B).
    zero_x, zero_y
        Those matched neurons whose activation vector is zero.
    removals
        Every neuron dropped, in order, each with its orthogonal witness.
    x_in_y, y_in_x
        For each matched neuron, coefficients ``(other neuron, c)`` writing its
        vector in the other side's matched vectors.
    width_x, width_y
        Number of neurons in A and B.
    eps_squared
        The square of the match's eps (0: the exact match).
    gram_bounds
        For removals proved by a distance lower bound (eps > 0, the certified path): the
        certified eigenvalue bound of each side's Gram that those bounds use.
    """

    x: tuple[int, ...]
    y: tuple[int, ...]
    zero_x: tuple[int, ...]
    zero_y: tuple[int, ...]
    removals: tuple[Removal, ...]
    x_in_y: tuple[tuple[int, tuple[tuple[int, Fraction], ...]], ...]
    y_in_x: tuple[tuple[int, tuple[tuple[int, Fraction], ...]], ...]
    width_x: int
    width_y: int
    eps_squared: Fraction = Fraction(0)
    gram_bounds: tuple[GramBound, ...] = ()

    @property
    def eps(self) -> Fraction | None:
        """The eps of the match when it is rational (always, unless found by :func:`critical_epsilon`)."""
        return _rational_sqrt(self.eps_squared)

    @property
    def empty(self) -> bool:
        """True when no neuron at all is matched."""
        return not self.x and not self.y

    @property
    def similarity(self) -> Fraction:
        """Wang et al.'s maximum match similarity ``(|X*| + |Y*|) / (|X| + |Y|)``."""
        return Fraction(len(self.x) + len(self.y), self.width_x + self.width_y)

    def to_sympy(self, points: int | None = None) -> dict[str, Any]:
        """SymPy form: ``x_in_y``/``y_in_x`` coefficient matrices, removals (:func:`symrep.exact.symbolic.match_to_sympy`)."""
        from symrep.exact.symbolic import match_to_sympy

        return match_to_sympy(self, points)

    def _repr_html_(self) -> str:
        from symrep.measures.display import match_html

        return match_html(self)


@dataclass(frozen=True)
class ExactMatch:
    """Whether ``span(A[x]) == span(B[y])``, with the proof either way.

    When it holds, ``x_in_y`` and ``y_in_x`` write every vector in the other
    side's vectors.  When it fails, ``failure`` is the :class:`Removal`-shaped
    witness (round 0): a neuron outside the other span and an orthogonal vector.
    """

    holds: bool
    x: tuple[int, ...]
    y: tuple[int, ...]
    x_in_y: tuple[tuple[int, tuple[tuple[int, Fraction], ...]], ...] = ()
    y_in_x: tuple[tuple[int, tuple[tuple[int, Fraction], ...]], ...] = ()
    failure: Removal | None = None
    eps: Fraction = Fraction(0)
    gram_bounds: tuple[GramBound, ...] = ()

    def to_sympy(self, points: int | None = None) -> dict[str, Any]:
        """SymPy form: ``holds``, and the coefficients ``{neuron: {other: Rational}}`` or the ``failure``."""
        from symrep.exact.symbolic import removal_to_sympy, sparse_to_sympy

        out: dict[str, Any] = {"holds": self.holds, "x": self.x, "y": self.y}
        out["x_in_y"] = {i: sparse_to_sympy(c) for i, c in self.x_in_y}
        out["y_in_x"] = {i: sparse_to_sympy(c) for i, c in self.y_in_x}
        if self.failure is not None:
            out["failure"] = removal_to_sympy(self.failure, points)
        return out


class LazyCoefficients(Sequence):
    """Coefficients ``(neuron, c)`` made on first read: a verdict needs only a proof, a certificate the numbers.

    A subclass sets ``_pending`` (whatever :meth:`_solve` needs, or None once solved) and
    defines :meth:`_solve`, which returns the items; the sequence, comparison, hash and
    repr are shared.  ``repr`` does not solve: it says the coefficients are not yet made.

    >>> class Two(LazyCoefficients):
    ...     __slots__ = ()
    ...     def _solve(self):
    ...         return ((0, Fraction(self._pending)),)
    >>> c = Two(2); repr(c), list(c), repr(c)
    ('<coefficients not yet solved for>', [(0, Fraction(2, 1))], '((0, Fraction(2, 1)),)')
    """

    __slots__ = ("_pending", "_items")

    def __init__(self, pending: Any):
        self._pending: Any = pending
        self._items: tuple[tuple[int, Fraction], ...] | None = None

    def _solve(self) -> tuple[tuple[int, Fraction], ...]:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @property
    def items(self) -> tuple[tuple[int, Fraction], ...]:
        if self._items is None:
            self._items = self._solve()
            self._pending = None  # what the solution was made from is no longer needed
        return self._items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __iter__(self):
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self.items == tuple(other)

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return "<coefficients not yet solved for>" if self._items is None else repr(self._items)


class _Remapped(LazyCoefficients):
    """The coefficients of a :class:`Member` of a whole-space span, renumbered by ``oidx``, solved for only when read.

    A verdict needs only the proof that the span is the whole space (:attr:`Member.whole_space`);
    a certificate reads the coefficients, and then they are solved for (all at once).

    >>> c = _Remapped(Member(((0, Fraction(2)),)), [5])
    >>> list(c), c == ((5, Fraction(2)),)
    ([(5, Fraction(2, 1))], True)
    """

    __slots__ = ()

    def __init__(self, member: Member, oidx: Sequence[int]):
        super().__init__((member, oidx))

    def _solve(self) -> tuple[tuple[int, Fraction], ...]:
        member, oidx = self._pending
        return tuple((oidx[k], c) for k, c in member.coefficients)


def _rows(x: Any, name: str) -> IntRows:
    if isinstance(x, IntRows):
        return x
    if hasattr(x, "dtype") and getattr(x, "ndim", 0) == 2:  # NumPy: exact conversion without Fractions
        try:
            return IntRows.from_array(x)
        except ValueError as e:
            raise InputError(f"{name}: {e}") from None
    return IntRows.of(as_matrix(x, name))


def _pair(a: Any, b: Any) -> tuple[IntRows, IntRows, int]:
    A, B = _rows(a, "A"), _rows(b, "B")
    if not len(A) or not len(B):
        raise ShapeError("both activation matrices need at least one neuron (row)")
    if A.ncols != B.ncols:
        raise ShapeError(
            f"activation vectors have {A.ncols} and {B.ncols} entries: both layers must be evaluated on the same data"
        )
    return A, B, A.ncols


def _test(side: str, rnd: int, mine: IntRows, idx: Sequence[int], other: IntRows, oidx: Sequence[int], d: int,
          cache: dict | None = None, eps2: Fraction | None = None, ratios: list | None = None):
    """Test each ``mine[i]`` (i in idx) against ``span(other[oidx])``: kept with coefficients, or dropped.

    With ``eps2`` None a kept vector lies in the span (the fast exact test).
    Otherwise a kept vector lies within relative squared distance ``eps2`` of
    the span (coefficients of its projection), a dropped vector's witness is its
    exact residual, orthogonal to the span, and its relative squared distance is
    appended to ``ratios``.
    """
    key = (id(other), tuple(oidx))
    sb = cache.get(key) if cache is not None else None
    if sb is None:
        sb = span_basis(other.take(oidx), d)
        if cache is not None:
            cache[key] = sb
    kept, dropped = [], []
    if eps2 is None:
        for i, ans in zip(idx, sb.express(mine.take(idx))):
            if isinstance(ans, Member):
                # a span that is the whole space proves membership; its coefficients are solved for when read
                kept.append((i, _Remapped(ans, oidx) if ans.whole_space else tuple((oidx[k], c) for k, c in ans.coefficients)))
            else:
                dropped.append(Removal(rnd, side, i, ans.orthogonal, ans.product))
        return kept, dropped
    for i, pr in zip(idx, sb.project(mine.take(idx))):
        if pr.distance2 <= eps2 * pr.norm2:
            kept.append((i, tuple((oidx[k], c) for k, c in pr.coefficients)))
        else:
            dropped.append(Removal(rnd, side, i, pr.residual, pr.product))
            if ratios is not None:
                ratios.append(pr.distance2 / pr.norm2)
    return kept, dropped
