"""Readers for the fields of claim files, shared by the file reader and every claim kind.

Each reader takes the raw value (from TOML or certificate JSON), validates it
and returns it normalised, or raises :class:`~symrep.errors.ClaimFileError`
with a message that names the file, the claim and the field (``where``).
Nothing is evaluated: numbers are read by :func:`symrep.exact.to_fraction`.

>>> index_pair([[1, 0], []], "claim 'c': neurons", (2, 3))
((0, 1), ())
>>> index_pair([[0], [5]], "claim 'c': neurons", (2, 3))
Traceback (most recent call last):
...
symrep.errors.ClaimFileError: claim 'c': neurons: neuron 5 on side y is not between 0 and 2
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from symrep.errors import ClaimFileError, SymrepError
from symrep.exact.numbers import as_matrix, to_fraction

__all__ = [
    "TomlFloat",
    "expect_type",
    "index_list",
    "index_pair",
    "matrix",
    "number",
    "numbers_as_text",
    "printable",
    "unknown_fields",
    "where",
]

#: A pair of sorted neuron-index tuples, one per side.
IndexPair = tuple[tuple[int, ...], tuple[int, ...]]


def where(file: str | None, *parts: str) -> str:
    """A location for messages: file, then the parts, joined by ': '."""
    return ": ".join(p for p in (file, *parts) if p)


class TomlFloat:
    """A TOML float kept as the text the user wrote, so ``0.1`` means exactly 1/10."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def expect_type(value: Any, typ: type | tuple[type, ...], at: str, what: str) -> Any:
    """*value* if it is of type *typ* (booleans are not integers here), else a located error."""
    if isinstance(value, bool) and typ is not bool:
        raise ClaimFileError(f"{at}: expected {what}, got a boolean")
    if not isinstance(value, typ):
        name = "float" if isinstance(value, TomlFloat) else type(value).__name__
        raise ClaimFileError(f"{at}: expected {what}, got {name} {value!r:.60}")
    return value


def printable(name: str, at: str, what: str) -> str:
    """Ids and network names appear in one-line verdicts and tables: no control characters or line breaks."""
    if not name.isprintable():
        raise ClaimFileError(f"{at}: {what} {name!r:.60} contains a control character or line break")
    return name


def unknown_fields(obj: Mapping[str, Any], allowed: set[str] | frozenset[str], at: str) -> None:
    """Reject the first field not in *allowed*: a misspelt ``expext`` must not be silently ignored."""
    extra = sorted(set(obj) - set(allowed))
    if extra:
        raise ClaimFileError(f"{at}: unknown field {extra[0]!r} (allowed: {', '.join(sorted(allowed))})")


def numbers_as_text(value: Any) -> Any:
    """Turn TOML float markers into their decimal text (read exactly later)."""
    if isinstance(value, TomlFloat):
        return value.text
    if isinstance(value, list):
        return [numbers_as_text(v) for v in value]
    return value


def number(raw: Any, at: str) -> Fraction:
    """An exact number (integer, ``"p/q"``, a decimal as written)."""
    try:
        return to_fraction(numbers_as_text(raw), at)
    except SymrepError as e:
        raise ClaimFileError(str(e)) from None


def matrix(raw: Any, at: str) -> tuple[tuple[Fraction, ...], ...]:
    """A rectangular matrix of exact numbers."""
    try:
        return as_matrix(numbers_as_text(raw), at)
    except SymrepError as e:
        raise ClaimFileError(str(e)) from None


def index_list(value: Any, at: str) -> tuple[int, ...]:
    """A list of distinct neuron indices, sorted."""
    expect_type(value, list, at, "a list of neuron indices")
    out = []
    for k, i in enumerate(value):
        expect_type(i, int, f"{at}[{k}]", "a neuron index (integer)")
        out.append(i)
    if len(set(out)) != len(out):
        raise ClaimFileError(f"{at}: lists a neuron twice")
    return tuple(sorted(out))


def index_pair(value: Any, at: str, widths: tuple[int, ...]) -> IndexPair:
    """A pair of neuron lists ``[[x...], [y...]]``, each index within its side's width."""
    expect_type(value, list, at, "a pair of neuron lists [[x...], [y...]]")
    if len(value) != 2:
        raise ClaimFileError(f"{at}: expected a pair of neuron lists [[x...], [y...]], got {len(value)} lists")
    pair = (index_list(value[0], f"{at}[0]"), index_list(value[1], f"{at}[1]"))
    for side, idx, w in zip("xy", pair, widths):
        bad = [i for i in idx if not 0 <= i < w]
        if bad:
            raise ClaimFileError(f"{at}: neuron {bad[0]} on side {side} is not between 0 and {w - 1}")
    return pair
