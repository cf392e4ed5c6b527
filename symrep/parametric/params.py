"""Rational functions in declared parameters, parsed from text that may come from strangers.

Design note
-----------
A parametric claim file writes weights such as ``"2*t"``, ``"1/t"``, ``"t**2 - 1"`` or
``"(t+1)/(t-2)"``.  This module reads such text with a small recursive-descent parser over a
token regular expression and nothing else: it never calls ``eval``, ``exec``, ``sympify`` or
``parse_expr``, so text cannot do anything but denote a rational function.  The grammar::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom ("**" exponent)?          # "-t**2" is -(t**2), as in Python
    atom   := NUMBER | NAME | "(" expr ")"
    exponent := ["+" | "-"] INTEGER | "(" ["+" | "-"] INTEGER ")"

Numbers are read by :func:`symrep.exact.to_fraction` (integers, decimals meaning exactly the
decimal written, ``1e-3``); ``p/q`` is simply a division.  Names must be declared parameters.
Exponents are integer literals with ``|exponent| <= MAX_EXPONENT``; ``t**t`` and ``t^2`` are
errors.  Bounds: text length, parenthesis nesting depth, and the degree and the coefficient size
(in bits) of every intermediate numerator and denominator, the size checked *before* a product
or power is computed, so hostile text cannot build huge objects (``((1e400**16)**16)**16`` is
refused at once, not after building a number of a hundred million digits).  Division by a rational
function that is identically zero is an error.

Values are elements of SymPy's field of fractions ``QQ(p1, ..., pk)`` (``sympy.polys.fields``),
built only from parsed tokens (integers, fractions and the generators); they are kept reduced.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import InputError, located
from symrep.exact.numbers import to_fraction

__all__ = [
    "ASSUMPTIONS",
    "MAX_COEFFICIENT_BITS",
    "MAX_DEGREE",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_TEXT",
    "ParameterSpace",
    "as_fraction",
]

#: Sign assumptions a parameter may carry.
ASSUMPTIONS = ("positive", "negative", "nonzero", "real")
#: Longest expression text accepted.
MAX_TEXT = 1000
#: Deepest parenthesis nesting accepted.
MAX_DEPTH = 32
#: Largest absolute integer exponent accepted after ``**``.
MAX_EXPONENT = 16
#: Largest total degree of any numerator or denominator built while parsing.
MAX_DEGREE = 64
#: Largest size, in bits (numerator plus denominator), of any coefficient built while parsing.
MAX_COEFFICIENT_BITS = 1 << 16
#: Most parameters one claim file may declare.
MAX_PARAMETERS = 8

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}\Z", re.ASCII)
_TOKEN = re.compile(
    r"""(?P<space>[ \t]+)
      | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>\*\*|[-+*/()])
      | (?P<bad>.)""",
    re.VERBOSE | re.ASCII | re.DOTALL,
)


def as_fraction(x: Any) -> Fraction:
    """A SymPy ``QQ`` element (gmpy, flint or Python) as a :class:`Fraction`."""
    return Fraction(int(x.numerator), int(x.denominator))


class ParameterSpace:
    """Declared parameters (name -> assumption) and the field ``QQ(names)`` of their rational functions.

    >>> P = ParameterSpace({"t": "positive"})
    >>> str(P.parse("(t+1)/(t-2)")), str(P.parse("0.5*t**-1"))
    ('(t + 1)/(t - 2)', '1/(2*t)')
    >>> P.parse("-3/4*t") == P.parse("-(3*t)/4")
    True
    """

    def __init__(self, declared: dict[str, str], where: str | None = None):
        from sympy import QQ, Symbol
        from sympy.polys.fields import field

        if len(declared) > MAX_PARAMETERS:
            raise InputError(located(where, f"more than {MAX_PARAMETERS} parameters"))
        for name, assumption in declared.items():
            if not isinstance(name, str) or not _NAME.match(name):
                raise InputError(located(where, f"parameter name {name!r:.40} is not a name (a letter, then letters, "
                                         "digits or '_', at most 32 characters)"))
            if assumption not in ASSUMPTIONS:
                raise InputError(located(where, f"parameter {name!r}: assumption {assumption!r:.40} is not one of "
                                         f"{', '.join(ASSUMPTIONS)}"))
        self.names: tuple[str, ...] = tuple(declared)
        self.assumptions: dict[str, str] = dict(declared)
        self.symbols = tuple(Symbol(n, real=True) for n in self.names)
        if self.names:
            self.field, *gens = field(list(self.symbols), QQ)
        else:  # no parameters: the field is QQ itself, written as a field of fractions in a dummy
            self.field, *gens = field([Symbol("_unused")], QQ)
            gens = []
        self.gens = dict(zip(self.names, gens))
        self.QQ = QQ

    # -- values ---------------------------------------------------------------------------------

    def constant(self, q: Fraction) -> Any:
        return self.field(self.QQ(q.numerator, q.denominator))

    def value(self, entry: Any, where: str | None = None) -> Any:
        """An entry of a weight matrix: a number (as :func:`to_fraction` reads it) or expression text."""
        if isinstance(entry, str):
            from symrep.exact.numbers import is_number_text

            if is_number_text(entry):
                return self.constant(to_fraction(entry, where))
            return self.parse(entry, where)
        return self.constant(to_fraction(entry, where))

    def occurring(self, f: Any) -> set[str]:
        """Names of the parameters a rational function depends on."""
        out: set[str] = set()
        for poly in (f.numer, f.denom):
            for monom in poly.monoms():
                out.update(n for n, e in zip(self.names, monom) if e)
        return out

    def substitute(self, f: Any, values: dict[str, Fraction]) -> Fraction:
        """Exact value of *f* at rational parameter values (InputError at a pole)."""
        num = _eval_poly(f.numer, self, values)
        den = _eval_poly(f.denom, self, values)
        if den == 0:
            raise InputError(f"{f} has a pole at {_show_values(values)}")
        return num / den

    # -- parsing --------------------------------------------------------------------------------

    def parse(self, text: str, where: str | None = None) -> Any:
        """Parse *text* into an element of ``QQ(parameters)``; InputError names the text and position."""
        if not isinstance(text, str):
            raise InputError(located(where, f"expected expression text, got {type(text).__name__}"))
        if len(text) > MAX_TEXT:
            raise InputError(located(where, f"expression of {len(text)} characters is longer than {MAX_TEXT}"))
        return _Parser(self, text, where).run()


def _show_values(values: dict[str, Fraction]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items())


def _eval_poly(p: Any, space: ParameterSpace, values: dict[str, Fraction]) -> Fraction:
    total = Fraction(0)
    for monom, c in p.terms():
        term = as_fraction(c)
        for name, e in zip(space.names, monom):
            if e:
                term *= values[name] ** e
        total += term
    return total


def _degree(f: Any) -> int:
    return max((sum(m) for p in (f.numer, f.denom) for m in p.monoms()), default=0)


def _bits(f: Any) -> int:
    """The largest coefficient of numerator and denominator, in bits (numerator plus denominator)."""
    out = 0
    for p in (f.numer, f.denom):
        for c in p.coeffs():
            q = as_fraction(c)
            out = max(out, q.numerator.bit_length() + q.denominator.bit_length())
    return out


class _Parser:
    def __init__(self, space: ParameterSpace, text: str, where: str | None):
        self.space, self.text, self.where = space, text, where
        self.tokens: list[tuple[str, str, int]] = []
        for m in _TOKEN.finditer(text):
            kind = str(m.lastgroup)  # every alternative of _TOKEN is a named group
            if kind == "space":
                continue
            self.tokens.append((kind, m.group(), m.start()))
        self.tokens.append(("end", "", len(text)))
        self.i = 0
        self.depth = 0

    def fail(self, message: str, pos: int | None = None):
        if pos is None:
            pos = self.tokens[self.i][2] if self.i < len(self.tokens) else len(self.text)
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        raise InputError(located(self.where, f"in {shown!r} at position {pos}: {message}"))

    def peek(self) -> tuple[str, str, int]:
        kind, ch, pos = self.tokens[self.i]
        if kind == "bad":  # reported when reached, so earlier mistakes (an unknown name) are named first
            hint = " (write powers as '**')" if ch == "^" else ""
            self.fail(f"unexpected character {ch!r}{hint}", pos)
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        self.i += 1
        return tok

    def run(self) -> Any:
        if self.peek()[0] == "end":
            self.fail("empty expression")
        value = self.expr()
        kind, text, pos = self.peek()
        if kind != "end":
            self.fail(f"unexpected {text!r} (expected an operator or the end)", pos)
        return value

    def check(self, value: Any, pos: int) -> Any:
        if _degree(value) > MAX_DEGREE:
            self.fail(f"the result has degree above the bound of {MAX_DEGREE}", pos)
        if _bits(value) > MAX_COEFFICIENT_BITS:
            self.fail(f"a coefficient of the result has more than {MAX_COEFFICIENT_BITS} bits", pos)
        return value

    def before(self, predicted_bits: int, pos: int) -> None:
        """Refuse an operation whose result would be too large *before* computing it (a power of a
        100,000-digit number must not be built just to be refused)."""
        if predicted_bits > 2 * MAX_COEFFICIENT_BITS:
            self.fail(f"a coefficient of the result would have more than {MAX_COEFFICIENT_BITS} bits", pos)

    def expr(self) -> Any:
        value = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            _, op, pos = self.take()
            rhs = self.term()
            value = self.check(value + rhs if op == "+" else value - rhs, pos)
        return value

    def term(self) -> Any:
        value = self.unary()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            _, op, pos = self.take()
            rhs = self.unary()
            self.before(_bits(value) + _bits(rhs), pos)
            if op == "*":
                value = value * rhs
            else:
                if rhs == 0:
                    self.fail("division by zero (the divisor is identically 0)", pos)
                value = value / rhs
            value = self.check(value, pos)
        return value

    def unary(self) -> Any:
        kind, text, pos = self.peek()
        if kind == "op" and text in ("+", "-"):
            self.take()
            self.enter(pos)
            value = self.unary()
            self.depth -= 1
            return -value if text == "-" else value
        return self.power()

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"nesting deeper than {MAX_DEPTH}", pos)

    def power(self) -> Any:
        value = self.atom()
        kind, text, pos = self.peek()
        if kind == "op" and text == "**":
            self.take()
            e = self.exponent()
            if e < 0 and value == 0:
                self.fail("0 to a negative power divides by zero", pos)
            self.before(_bits(value) * abs(e), pos)
            value = self.check(value**e, pos)
            if self.peek()[1] == "**":
                self.fail("chained powers are ambiguous; use parentheses", self.peek()[2])
        return value

    def exponent(self) -> int:
        paren = False
        kind, text, pos = self.peek()
        if kind == "op" and text == "(":
            self.take()
            paren = True
        sign = 1
        kind, text, pos = self.peek()
        if kind == "op" and text in ("+", "-"):
            self.take()
            sign = -1 if text == "-" else 1
        kind, text, pos = self.take()
        if kind != "number" or not text.isdigit():
            self.fail(f"an exponent must be an integer literal, not {text or 'the end'!r}", pos)
        if len(text) > 3 or int(text) > MAX_EXPONENT:
            self.fail(f"exponent {text} exceeds the bound of {MAX_EXPONENT}", pos)
        if paren:
            k, t, p = self.take()
            if t != ")":
                self.fail("expected ')' after the exponent", p)
        return sign * int(text)

    def atom(self) -> Any:
        kind, text, pos = self.take()
        if kind == "number":
            return self.space.constant(to_fraction(text, located(self.where, f"in {text!r} at position {pos}")))
        if kind == "name":
            if text not in self.space.gens:
                declared = ", ".join(self.space.names) or "none"
                self.fail(f"unknown name {text!r} (declared parameters: {declared})", pos)
            return self.space.gens[text]
        if kind == "op" and text == "(":
            self.enter(pos)
            value = self.expr()
            k, t, p = self.take()
            if t != ")" or k != "op":
                self.fail(f"expected ')' to close the '(' at position {pos}", p)
            self.depth -= 1
            return value
        if kind == "end":
            self.fail("unexpected end of the expression", pos)
        self.fail(f"unexpected {text!r}", pos)


def parse_matrix(space: ParameterSpace, rows: Sequence[Sequence[Any]], where: str) -> list[list[Any]]:
    """A matrix of numbers and expression texts as field elements (errors name the entry)."""
    return [[space.value(v, f"{where}[{i}][{j}]") for j, v in enumerate(row)] for i, row in enumerate(rows)]
