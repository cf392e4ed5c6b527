"""Certified values of measures, and the registry of measures that claims and ``compare`` use.

Design note
-----------
Most measures of two representations are irrational (square roots, singular values, arccos),
so a measure's value is given as a :class:`MeasureValue`: a rational bracket
``lower <= value <= upper`` that exact arithmetic has certified, plus the exact value where it
is known in closed form: ``exact`` when the value is rational, ``square`` when it is the
non-negative square root of a rational (CKA, for example).  Two values are compared exactly
when both closed forms are available (squares of non-negative numbers compare like the numbers),
and otherwise by their brackets, refined until they separate; equality of two irrational values
without closed forms is not decided by brackets, which is why a measure supplies its closed
form whenever it has one.

A :class:`Measure` is one entry of :data:`MEASURES`.  ``evaluate(A, B, width=..., arg=...)``
takes two activation matrices in the library's orientation (rows = neurons, columns = data
points, exact entries) and returns a :class:`MeasureValue` whose bracket is no wider than
*width* (relative to the larger of 1 and |value|), or exact.  ``arg`` is the text after a colon
in a measure name such as ``svcca:10`` (``None`` when absent).  A measure module registers its
measures with :func:`register` at import time, and ``symrep.measures.catalog`` imports every
such module, so ``catalog.measures()`` is the complete table and ``catalog.lookup`` reads a
measure's name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Optional

from symrep.errors import InternalError

__all__ = ["MeasureValue", "Measure", "MEASURES", "register", "sqrt_bracket", "sqrt_value"]


@dataclass(frozen=True)
class MeasureValue:
    """A certified value of a measure: ``lower <= value <= upper``, exact where known.

    >>> v = MeasureValue("cka", Fraction(7, 10), Fraction(71, 100), square=Fraction(1, 2))
    >>> v.contains(Fraction(707, 1000))
    True
    """

    name: str
    lower: Fraction
    upper: Fraction
    exact: Optional[Fraction] = None
    square: Optional[Fraction] = None

    def __post_init__(self) -> None:
        if not self.lower <= self.upper:
            raise InternalError(f"measure {self.name}: bracket [{self.lower}, {self.upper}] is empty")
        if self.exact is not None and not self.lower <= self.exact <= self.upper:
            raise InternalError(f"measure {self.name}: exact value {self.exact} outside its bracket")
        if self.square is not None:
            if self.square < 0 or self.lower * self.lower > self.square and self.lower >= 0:
                raise InternalError(f"measure {self.name}: square {self.square} disagrees with its bracket")
            if self.upper >= 0 and self.upper * self.upper < self.square:
                raise InternalError(f"measure {self.name}: square {self.square} disagrees with its bracket")

    def contains(self, x: Fraction) -> bool:
        """True when *x* lies in the certified bracket."""
        return self.lower <= x <= self.upper

    @property
    def width(self) -> Fraction:
        return self.upper - self.lower


@dataclass(frozen=True)
class Measure:
    """A registered measure: its name, whether it is a distance (0 = same) or a similarity, and how to evaluate it."""

    name: str
    summary: str
    distance: bool
    evaluate: Callable[..., MeasureValue]
    takes_arg: bool = False
    #: Whether ``relation``/``triangle``/``invariance`` claims may use it: only measures whose value the
    #: independent checker re-derives (a verdict there must be certifiable).  The spectral ones among them
    #: (``SPECTRAL`` in ``claims/kinds/_measured.py``) are certified with their own kinds' witnesses,
    #: re-derived by the checker's spectral functions; a measure added there must set this flag too.
    in_relations: bool = True


#: name -> Measure, filled by :func:`register` (see :func:`measures`).
MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    """Add *measure* to :data:`MEASURES` (its name must be new)."""
    if measure.name in MEASURES and MEASURES[measure.name] is not measure:
        raise InternalError(f"measure {measure.name!r} registered twice")
    MEASURES[measure.name] = measure
    return measure


def sqrt_bracket(q: Fraction, width: Fraction) -> tuple[Fraction, Fraction]:
    """Rationals ``lo <= sqrt(q) <= hi`` with ``hi - lo <= width`` (exact integer square roots).

    >>> lo, hi = sqrt_bracket(Fraction(1, 2), Fraction(1, 10**6))
    >>> lo * lo <= Fraction(1, 2) <= hi * hi and hi - lo <= Fraction(1, 10**6)
    True
    """
    if q < 0 or width <= 0:
        raise InternalError(f"sqrt_bracket({q}, {width})")
    k = 0
    while Fraction(1, 2**k) > width:
        k += 1
    # floor(sqrt(q) * 2^k) = isqrt(floor(q * 4^k)); the bracket is [r, r + 1] / 2^k.
    r = math.isqrt(q.numerator * 4**k // q.denominator)
    lo, hi = Fraction(r, 2**k), Fraction(r + 1, 2**k)
    if lo * lo == q:
        hi = lo
    return lo, hi


def sqrt_value(name: str, q: Fraction, width: Fraction) -> MeasureValue:
    """The :class:`MeasureValue` of ``sqrt(q)``: exact when q is a rational square, else a bracket."""
    lo, hi = sqrt_bracket(q, width)
    return MeasureValue(name, lo, hi, exact=lo if lo == hi else None, square=q)
