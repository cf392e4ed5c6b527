"""Exact subspace match (Wang et al., NeurIPS 2018, Definition 2.3 and their algorithm).

Design note
-----------
``maximum_match`` runs Wang et al.'s algorithm with exact arithmetic: start
with every neuron on both sides; in each round drop every ``x`` whose
activation vector is outside ``span(z_Y)``, then every ``y`` outside the span
of the remaining ``X``; stop when a round drops nothing.

Each removal is recorded with a vector ``w`` orthogonal to the span it was
tested against, with ``w . z != 0``.  That makes the result a proof of
maximality: by induction every match ``(X', Y')`` stays inside the current
``(X, Y)``, because if ``x`` were in ``X'`` then ``z_x`` would lie in
``span(z_X') = span(z_Y')``, a subspace of ``span(z_Y)``, and so ``w . z_x``
would be 0.  The final pair is itself a match (the last round writes every
vector of each side in the other side's vectors), hence it is the maximum.

Zero (dead) neurons lie in every span, so they always belong to the maximum
match; the result lists them separately rather than hiding them.

At eps = 0 and inputs of at least :data:`CERTIFIED_EXACT_FROM`, :func:`maximum_match` runs
:mod:`symrep.measures.certified_eps0`: removals proved by a certified positive distance lower
bound, members by exact coefficients (rows equal up to scale, else the exact path).

For eps > 0 and inputs of at least :data:`CERTIFIED_FROM` (neurons x points),
:func:`maximum_match` and :func:`approx_match` run the certified path of
:mod:`symrep.measures.certified` (floats propose coefficients, exact integer
Grams verify them, exact projections decide what they cannot): the same sets,
with removals proved by an orthogonal residual or by a distance lower bound
(:class:`LowerBound` with a :class:`GramBound`).  The soundness argument above
holds unchanged: a removal proved against the other side's current set proves
the neuron is in no match.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Sequence

from symrep.errors import InputError
from symrep.exact.numbers import to_fraction
from symrep.exact.linalg import IntRows

__all__ = [
    "ExactMatch",
    "GramBound",
    "LowerBound",
    "MaximumMatch",
    "Removal",
    "CriticalEpsilon",
    "approx_match",
    "critical_epsilon",
    "exact_match",
    "is_exact_match",
    "maximum_match_within",
    "match_similarity",
    "maximum_match",
]


from symrep.measures.match_core import (  # noqa: F401 - re-exported: the public values of matching
    ExactMatch,
    GramBound,
    LowerBound,
    MaximumMatch,
    Removal,
    _pair,
    _rational_sqrt,
    _rows,
    _test,
)


def _epsilon(eps: Any) -> Fraction:
    e = to_fraction(eps, "eps")
    if e < 0:
        raise InputError(f"eps = {e} is negative; the relative distance bound must be >= 0")
    return e


#: eps > 0 problems with at least this many (neurons of A + neurons of B) x points are decided by
#: the certified path of :mod:`symrep.measures.certified`.  Measured on float32 ReLU layers: the
#: two paths take the same time near 1,000 (about 0.03 s); below 2,000 the exact path is kept for
#: its simpler witnesses (orthogonal residuals), above it the certified path is faster (0.07 s
#: against 0.54 s at 24 + 24 neurons x 200 points, 3.1 s for the exact path at 64 x 2,000).
CERTIFIED_FROM = 2_000


def _certified(A: IntRows, B: IntRows, eps2: Fraction | None) -> Any:
    """The certified module when it applies (eps > 0, NumPy present, inputs large enough), else None."""
    if eps2 is None or (len(A) + len(B)) * A.ncols < CERTIFIED_FROM:
        return None
    try:
        from symrep.measures import certified
    except ImportError:  # NumPy is optional: the exact path needs none
        return None
    return certified


def _run(A: IntRows, B: IntRows, eps2: Fraction | None, ratios: list | None = None,
         start: tuple[Sequence[int], Sequence[int]] | None = None) -> MaximumMatch:
    d = A.ncols
    X, Y = (list(range(len(A))), list(range(len(B)))) if start is None else (list(start[0]), list(start[1]))
    removals: list[Removal] = []
    spans: dict = {}  # the same subset is often tested against twice
    rnd = 0
    while True:
        rnd += 1
        kept_x, dropped = _test("x", rnd, A, X, B, Y, d, spans, eps2, ratios)
        removals += dropped
        X = [i for i, _ in kept_x]
        kept_y, dropped_y = _test("y", rnd, B, Y, A, X, d, spans, eps2, ratios)
        removals += dropped_y
        Y = [j for j, _ in kept_y]
        if not dropped and not dropped_y:
            break
    return MaximumMatch(
        x=tuple(X),
        y=tuple(Y),
        zero_x=tuple(i for i in X if A.is_zero(i)),
        zero_y=tuple(j for j in Y if B.is_zero(j)),
        removals=tuple(removals),
        x_in_y=tuple(kept_x),
        y_in_x=tuple(kept_y),
        width_x=len(A),
        width_y=len(B),
        eps_squared=eps2 or Fraction(0),
    )


def maximum_match(a: Any, b: Any, eps: Any = 0) -> MaximumMatch:
    """The maximum exact (or eps-approximate) match between two activation matrices (rows = neurons).

    Parameters
    ----------
    a, b
        Activation matrices over the same data: sequences of rows, NumPy
        arrays or SymPy matrices.  Entries are converted exactly.
    eps
        Relative distance bound of Wang et al.'s eps-approximate match, an exact
        rational (``"1/4"``, ``0.25`` read as the float's exact value, ...); 0,
        the default, is the exact match.

    Examples
    --------
    >>> m = maximum_match([[1, 0], [1, 0]], [[1, 0], [0, 1]])
    >>> m.x, m.y, m.similarity
    ((0, 1), (0,), Fraction(3, 4))
    >>> maximum_match([[1, 0], [1, 0]], [[0, 1], [0, 1]]).empty
    True
    >>> maximum_match([[4, 3]], [[1, 0]], eps="3/5").x   # relative distance exactly 3/5
    (0,)
    >>> maximum_match([[4, 3]], [[1, 0]], eps="1/2").x
    ()
    """
    e = _epsilon(eps)
    A, B, _ = _pair(a, b)
    eps2 = None if e == 0 else e * e
    fast = _certified(A, B, eps2)
    m = fast.certified_maximum_match(A, B, eps2, arrays=(a, b)) if fast is not None else None
    if eps2 is None:
        m = _certified_exact(A, B, (a, b))
    return m if m is not None else _run(A, B, eps2)


#: eps = 0 problems with at least this many (neurons of A + neurons of B) x points, and fewer neurons than
#: points on some side, are decided by :mod:`symrep.measures.certified_eps0` (removals proved by distance
#: lower bounds instead of exact orthogonal vectors).  Measured on float32 ReLU layers sharing half their rows
#: (one BLAS thread, a loaded machine): 16 + 16 x 1,000 takes 0.35 s certified against 0.21 s exact, 64 + 64 x 1,000
#: 0.27 s against 0.93 s; the paths cross between; below this bound the exact path also keeps its orthogonal
#: witnesses, which the Coq export covers.  With both sides wider than the points the exact path proves the spans
#: the whole space without a solve, so it is kept there too.
CERTIFIED_EXACT_FROM = 200_000


def _certified_exact(A: IntRows, B: IntRows, arrays: tuple[Any, Any]) -> MaximumMatch | None:
    """The certified eps = 0 maximum match when it applies (see :data:`CERTIFIED_EXACT_FROM`), else None."""
    d = A.ncols
    if (len(A) + len(B)) * d < CERTIFIED_EXACT_FROM or (len(A) >= d and len(B) >= d):
        return None  # small: the exact path; both sides wider than the points: their spans are (likely) everything
    try:
        from symrep.measures import certified_eps0
    except ImportError:  # NumPy is optional: the exact path needs none
        return None
    return certified_eps0.certified_exact_maximum_match(A, B, arrays)


def maximum_match_within(a: Any, b: Any, x: Iterable[int], y: Iterable[int], eps: Any = 0) -> MaximumMatch:
    """The maximum (eps-)match among neurons ``x`` of A and ``y`` of B (indices stay those of A and B).

    Either side may be empty: against an empty side only zero vectors match.

    >>> maximum_match_within([[1, 0], [0, 1]], [[1, 0]], [1], [0]).x
    ()
    """
    e = _epsilon(eps)
    A, B, _ = _pair(a, b)
    X, Y = _subset("x", x, len(A)), _subset("y", y, len(B))
    return _run(A, B, None if e == 0 else e * e, start=(X, Y))


@dataclass(frozen=True)
class CriticalEpsilon:
    """The smallest eps at which the maximum eps-match has at least ``size`` neurons on each side.

    ``eps_squared`` is exact; eps itself is its square root, a rational exactly
    when ``eps_squared`` is the square of one (see :attr:`text`).
    """

    size: int
    eps_squared: Fraction
    match: MaximumMatch

    @property
    def text(self) -> str:
        e = _rational_sqrt(self.eps_squared)
        return str(e) if e is not None else f"sqrt({self.eps_squared})"


def critical_epsilon(a: Any, b: Any, size: int) -> CriticalEpsilon:
    """The smallest eps whose maximum eps-match has ``min(|X*|, |Y*|) >= size``, exactly.

    The maximum eps-match only changes where eps equals the relative distance
    of a removed neuron to a span, a square root of a rational; starting from
    eps = 0, eps is raised to the smallest such distance in the current removal
    trace (below it the same trace stays valid) until the match is large enough.

    >>> c = critical_epsilon([[1, 0]], [[1, 1]], 1)
    >>> c.text, c.match.x, c.match.y
    ('sqrt(1/2)', (0,), (0,))
    >>> critical_epsilon([[3, 4]], [[1, 0]], 1).text
    '4/5'
    """
    A, B, _ = _pair(a, b)
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= min(len(A), len(B)):
        raise InputError(f"size {size!r} is not between 0 and {min(len(A), len(B))}")
    eps2 = Fraction(0)
    while True:
        ratios: list[Fraction] = []
        m = _run(A, B, eps2, ratios)
        if min(len(m.x), len(m.y)) >= size:
            return CriticalEpsilon(size, eps2, m)
        eps2 = min(ratios)  # every removal had ratio > the old eps2, so this strictly increases


def _subset(name: str, s: Iterable[int], n: int) -> tuple[int, ...]:
    out = []
    for i in s:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
            raise InputError(f"neuron index {i!r} in {name} is not between 0 and {n - 1}")
        out.append(i)
    if len(set(out)) != len(out):
        raise InputError(f"{name} lists a neuron twice: {out}")
    return tuple(sorted(out))


def exact_match(a: Any, b: Any, x: Iterable[int] | None = None, y: Iterable[int] | None = None) -> ExactMatch:
    """Decide whether ``span(z_x : x in X) == span(z_y : y in Y)``, with its proof.

    ``x`` and ``y`` default to every neuron.

    >>> exact_match([[1, 0], [0, 1]], [[1, 1], [1, -1]]).holds
    True
    >>> exact_match([[1, 0], [0, 1]], [[1, 1], [1, -1]], x=[0], y=[0]).failure.neuron
    0
    """
    return approx_match(a, b, 0, x, y)


def approx_match(a: Any, b: Any, eps: Any, x: Iterable[int] | None = None, y: Iterable[int] | None = None, *,
                 certified: bool = True) -> ExactMatch:
    """Decide Wang et al.'s eps-approximate match of neurons ``x`` of A and ``y`` of B, with its proof.

    Every ``z_x`` must be within distance ``eps * |z_x|`` of ``span(z_Y)`` and
    every ``z_y`` within ``eps * |z_y|`` of ``span(z_X)``; the comparison is of
    exact squared distances with ``eps**2 * |z|**2``.  With ``certified=False``
    the exact path is used whatever the size, so a failure is always proved by an
    orthogonal residual (the form the simple-match witnesses use).

    >>> approx_match([[4, 3]], [[1, 0]], "3/5").holds, approx_match([[4, 3]], [[1, 0]], "1/2").holds
    (True, False)
    """
    e = _epsilon(eps)
    A, B, d = _pair(a, b)
    X = _subset("x", range(len(A)) if x is None else x, len(A))
    Y = _subset("y", range(len(B)) if y is None else y, len(B))
    eps2 = None if e == 0 else e * e
    fast = _certified(A, B, eps2) if certified else None
    m = fast.certified_approx_match(A, B, e, X, Y, arrays=(a, b)) if fast is not None else None
    if m is not None:
        return m
    kept_x, dropped = _test("x", 0, A, X, B, Y, d, None, eps2)
    if dropped:
        return ExactMatch(False, X, Y, failure=dropped[0], eps=e)
    kept_y, dropped = _test("y", 0, B, Y, A, X, d, None, eps2)
    if dropped:
        return ExactMatch(False, X, Y, failure=dropped[0], eps=e)
    return ExactMatch(True, X, Y, tuple(kept_x), tuple(kept_y), eps=e)


def is_exact_match(a: Any, b: Any, x: Iterable[int] | None = None, y: Iterable[int] | None = None) -> bool:
    """Whether neurons ``x`` of A and ``y`` of B form an exact match (equal spans).

    >>> is_exact_match([[1, 0], [2, 0]], [[3, 0]])
    True
    """
    return exact_match(a, b, x, y).holds


def match_similarity(a: Any, b: Any, eps: Any = 0) -> Fraction:
    """Maximum (eps-)match similarity ``(|X*| + |Y*|) / (|X| + |Y|)`` as an exact fraction.

    >>> match_similarity([[1, 0], [0, 1]], [[1, 1], [0, 1]])
    Fraction(1, 1)
    """
    return maximum_match(a, b, eps).similarity
