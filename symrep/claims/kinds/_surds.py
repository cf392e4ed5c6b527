"""Exact targets such as ``"sqrt(1/2)"`` and exact signs of short sums of square roots.

Design note
-----------
Measures such as CKA are square roots of rationals, so a bound or a comparison is a question
about the sign of a sum ``c_1 sqrt(q_1) + ... + c_n sqrt(q_n)`` with rational ``c_i`` and
``q_i >= 0``.  :func:`sign` decides it exactly by squaring with signs: split the terms into
halves ``P`` and ``N``; if their signs agree (or one is 0) that is the sign; otherwise
``sign(P + N) = sign(P) * sign(P^2 - N^2)``, and ``P^2 - N^2`` is again such a sum with fewer
irrational terms.  For ``n <= 4`` every step lowers the number of terms (4 -> 3 -> 2 -> 1:
the rational parts of ``P^2`` and ``N^2`` merge), so the recursion ends; longer sums are
refused (no claim needs them).

:func:`arccos_sum_sign` decides ``sign(arccos a + arccos b - arccos c)`` for ``a, b, c`` in
``[-1, 1]`` from squares and products only.  With ``alpha, beta, gamma`` the three angles in
``[0, pi]``:

* ``a + b < 0`` iff ``alpha + beta > pi >= gamma``: the sign is +1;
* ``a + b = 0`` iff ``alpha + beta = pi``: 0 when ``c = -1``, else +1;
* ``a + b > 0``: ``alpha + beta < pi`` and cos is decreasing on ``[0, pi]``, so the sign is
  that of ``c - cos(alpha + beta) = (c - ab) + sqrt((1 - a^2)(1 - b^2))``.  When ``c >= ab``
  it is +1 (0 exactly when ``c = ab`` and ``a^2 = 1`` or ``b^2 = 1``); when ``c < ab`` it is
  the sign of the square difference ``(1 - a^2)(1 - b^2) - (c - ab)^2``, which expands to
  ``D = 1 - a^2 - b^2 - c^2 + 2abc``, the Gram determinant of three unit vectors with these
  cosines.

So ``arccos a + arccos b >= arccos c`` iff ``a + b <= 0`` or ``c >= ab`` or ``D >= 0``, with
equality exactly in the cases named above; ``D = 0`` with ``c < ab`` is the tie of the issue's
instance (``a = b = sqrt(1/2)``, ``c = 0``: pi/4 + pi/4 = pi/2).

Targets are read by :func:`read_surd`: a number as :func:`symrep.claims.fields.number` reads
it, ``"sqrt(R)"`` or ``"R*sqrt(R)"`` with ``R`` such a number (text, at most 200 characters
around the numbers' own bounds).  Nothing is evaluated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Sequence

from symrep.claims.fields import number
from symrep.errors import ClaimFileError, InternalError
from symrep.exact.numbers import MAX_DIGITS, format_number

__all__ = ["Surd", "arccos_sum_sign", "read_surd", "sign", "surd_text"]

_SQRT = re.compile(r"\s*(?:([^*()\s]+)\s*\*\s*)?sqrt\(\s*([^()\s]+)\s*\)\s*")


def _rational_sqrt(q: Fraction) -> Fraction | None:
    """sqrt(q) when it is rational, else None (q >= 0)."""
    n, d = math.isqrt(q.numerator), math.isqrt(q.denominator)
    return Fraction(n, d) if n * n == q.numerator and d * d == q.denominator else None


@dataclass(frozen=True)
class Surd:
    """``coef * sqrt(radicand)`` with ``radicand >= 0``, normalised: a rational square root is folded in.

    >>> Surd(Fraction(3), Fraction(4)), Surd(Fraction(1), Fraction(1, 2)).square
    (Surd(coef=Fraction(6, 1), radicand=Fraction(1, 1)), Fraction(1, 2))
    """

    coef: Fraction
    radicand: Fraction = Fraction(1)

    def __post_init__(self) -> None:
        if self.radicand < 0:
            raise InternalError(f"Surd with negative radicand {self.radicand}")
        r = _rational_sqrt(self.radicand)
        if r is not None or self.coef == 0:
            object.__setattr__(self, "coef", self.coef * (r if r is not None else 0))
            object.__setattr__(self, "radicand", Fraction(1))

    @property
    def rational(self) -> Fraction | None:
        """The value when it is rational."""
        return self.coef if self.radicand == 1 else None

    @property
    def square(self) -> Fraction:
        """The value squared (rational)."""
        return self.coef * self.coef * self.radicand

    def __neg__(self) -> "Surd":
        return Surd(-self.coef, self.radicand)

    def __mul__(self, other: "Surd") -> "Surd":
        return Surd(self.coef * other.coef, self.radicand * other.radicand)

    def bracket(self, width: Fraction) -> tuple[Fraction, Fraction]:
        """Rationals ``lo <= value <= hi`` with ``hi - lo <= width``."""
        if self.radicand == 1:
            return self.coef, self.coef
        k = abs(self.coef)
        n = 0
        while Fraction(k, 2**n) > width:  # sqrt(q) to within width / |k|, in steps of 2^-n
            n += 1
        r = math.isqrt(self.radicand.numerator * 4**n // self.radicand.denominator)
        lo, hi = k * Fraction(r, 2**n), k * Fraction(r + 1, 2**n)
        return (lo, hi) if self.coef > 0 else (-hi, -lo)


def surd_text(x: Surd) -> str:
    """Exact text of *x*: ``"1/2"``, ``"sqrt(1/2)"``, ``"-3*sqrt(2)"``.

    >>> surd_text(Surd(Fraction(1), Fraction(1, 2))), surd_text(Surd(Fraction(-3), Fraction(2)))
    ('sqrt(1/2)', '-3*sqrt(2)')
    """
    if x.radicand == 1:
        return format_number(x.coef)
    root = f"sqrt({format_number(x.radicand)})"
    return root if x.coef == 1 else f"{format_number(x.coef)}*{root}"


def read_surd(raw: Any, at: str) -> Surd:
    """An exact number, or ``"sqrt(R)"`` / ``"R*sqrt(R)"`` text with rational R >= 0 (never evaluated).

    >>> read_surd("sqrt(1/2)", "t"), read_surd("2*sqrt(0.5)", "t").square, read_surd("3/4", "t").rational
    (Surd(coef=Fraction(1, 1), radicand=Fraction(1, 2)), Fraction(2, 1), Fraction(3, 4))
    >>> read_surd("sqrt(-1)", "claim 'c': equals")
    Traceback (most recent call last):
    ...
    symrep.errors.ClaimFileError: claim 'c': equals: sqrt of a negative number (-1)
    """
    if isinstance(raw, str) and "sqrt" in raw:
        if len(raw) > 2 * MAX_DIGITS + 200:
            raise ClaimFileError(f"{at}: {len(raw)} characters is beyond the bound for a number")
        m = _SQRT.fullmatch(raw)
        if m is None:
            raise ClaimFileError(f"{at}: {raw[:60]!r} is not a number, 'sqrt(R)' or 'R*sqrt(R)' with R rational")
        coef = number(m.group(1), at) if m.group(1) else Fraction(1)
        q = number(m.group(2), at)
        if q < 0:
            raise ClaimFileError(f"{at}: sqrt of a negative number ({format_number(q)})")
        return Surd(coef, q)
    return Surd(number(raw, at))


def _merge(terms: Iterable[Surd]) -> list[Surd]:
    acc: dict[Fraction, Fraction] = {}
    for t in terms:
        if t.coef:
            acc[t.radicand] = acc.get(t.radicand, Fraction(0)) + t.coef
    return [Surd(c, r) for r, c in acc.items() if c]


def _square(terms: Sequence[Surd]) -> list[Surd]:
    out = [Surd(t.square) for t in terms]
    out += [Surd(2 * a.coef * b.coef, a.radicand * b.radicand) for i, a in enumerate(terms) for b in terms[i + 1:]]
    return _merge(out)


def sign(terms: Iterable[Surd]) -> int:
    """The exact sign (-1, 0, 1) of a sum of at most four surds (after merging equal radicands).

    >>> h = Surd(Fraction(1), Fraction(1, 2))
    >>> sign([h, h, Surd(Fraction(-1))]), sign([h, h, -Surd(Fraction(1), Fraction(2))])  # sqrt(2) - 1, sqrt(2) - sqrt(2)
    (1, 0)
    """
    ts = _merge(terms)
    if not ts:
        return 0
    if len(ts) == 1:
        return 1 if ts[0].coef > 0 else -1
    if len(ts) > 4:
        raise InternalError(f"sign of a sum of {len(ts)} square roots: at most 4 are supported")
    h = len(ts) // 2
    sp, sn = sign(ts[:h]), sign(ts[h:])
    if sp == 0 or sn == 0 or sp == sn:
        return sp or sn
    return sp * sign(_square(ts[:h]) + [-t for t in _square(ts[h:])])


def arccos_sum_sign(a: Surd, b: Surd, c: Surd) -> int:
    """``sign(arccos a + arccos b - arccos c)`` exactly, for a, b, c in [-1, 1] (see the design note).

    >>> h = Surd(Fraction(1), Fraction(1, 2))
    >>> arccos_sum_sign(h, h, Surd(Fraction(0))), arccos_sum_sign(h, h, Surd(Fraction(1, 10)))
    (0, 1)
    """
    s_ab = sign([a, b])
    if s_ab < 0:
        return 1
    if s_ab == 0:
        return 0 if c.rational == -1 else 1
    u = sign([c, -(a * b)])
    if u > 0:
        return 1
    if u == 0:
        return 0 if a.square == 1 or b.square == 1 else 1
    return sign([Surd(1 - a.square - b.square - c.square), Surd(Fraction(2)) * a * b * c])
