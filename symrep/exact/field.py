"""Linear algebra over any exact field given by its operations.

The parametric decisions (:mod:`symrep.parametric`) work over fields whose
elements are not Fractions: rational functions of a parameter, or numbers of
an algebraic extension.  Such a field is described by a :class:`FieldOps`
(how to test an element for zero, how to embed a rational, and a recorder
that sees every pivot and difference the decision depended on, so that the
parametric layer can tell where in parameter space the decision changes).
Elements must support ``+``, ``-``, ``*`` and ``/``.

>>> from fractions import Fraction
>>> ops = FieldOps(lambda x: x == 0, Fraction)
>>> rank([[1, 2], [2, 4]], ops), in_span([3, 6], [[1, 2]], ops)
(1, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

__all__ = ["FieldOps", "all_equal", "in_span", "maximum_match", "rank"]


def _ignore(x: Any) -> None:
    """The default recorder: nothing is recorded."""


@dataclass(frozen=True)
class FieldOps:
    """Field operations for the generic decisions: zero test, constants, and a recorder of pivots."""

    is_zero: Callable[[Any], bool]
    const: Callable[[Fraction], Any]
    note: Callable[[Any], None] = _ignore
    #: The exact sign (-1, 0, 1) of an element, for kinds that compare values (the parametric layer may split there).
    sign: Callable[[Any], int] | None = None


def rank(rows: Sequence[Sequence[Any]], ops: FieldOps) -> int:
    """Rank of a matrix over the field, by Gaussian elimination (every pivot is recorded)."""
    m = [list(r) for r in rows]
    r, ncols = 0, len(m[0]) if m else 0
    for col in range(ncols):
        piv = next((i for i in range(r, len(m)) if not ops.is_zero(m[i][col])), None)
        if piv is None:
            continue
        m[r], m[piv] = m[piv], m[r]
        p = m[r][col]
        ops.note(p)
        for i in range(r + 1, len(m)):
            if not ops.is_zero(m[i][col]):
                f = m[i][col] / p
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        r += 1
    return r


def in_span(z: Sequence[Any], rows: Sequence[Sequence[Any]], ops: FieldOps) -> bool:
    """Whether *z* is a combination of *rows* (the span of no rows is {0})."""
    if not rows:
        return rank([z], ops) == 0
    return rank([*rows, z], ops) == rank(rows, ops)


def maximum_match(A: Sequence[Sequence[Any]], B: Sequence[Sequence[Any]], ops: FieldOps,
                  ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Wang et al.'s maximum (exact) match over the field: remove what is outside the other span until stable."""
    X, Y = list(range(len(A))), list(range(len(B)))
    while True:
        X2 = [i for i in X if in_span(A[i], [B[j] for j in Y], ops)]
        Y2 = [j for j in Y if in_span(B[j], [A[i] for i in X2], ops)]
        if X2 == X and Y2 == Y:
            return tuple(X), tuple(Y)
        X, Y = X2, Y2


def all_equal(a: Sequence[Any], b: Sequence[Any], ops: FieldOps) -> bool:
    """Whether two sequences agree entry by entry (the first nonzero difference is recorded)."""
    for x, y in zip(a, b):
        d = x - y
        if not ops.is_zero(d):
            ops.note(d)
            return False
    return True
