"""Exact numbers: every value symrep computes with is a :class:`fractions.Fraction`.

Design note
-----------
Input arrives in many forms (ints, fractions, SymPy rationals, ``"p/q"`` and
decimal strings, binary floats from NumPy or PyTorch).  Each is converted here,
once, to a ``Fraction`` *without rounding*:

* a binary float is a dyadic rational and is converted exactly, so ``0.1``
  (the float) becomes ``3602879701896397/36028797018963968``;
* a decimal string means the decimal as written, so ``"0.1"`` is ``1/10``;
* NaN, infinities, booleans, complex numbers and text that is not a number are
  input errors, never silently mapped to something else.

Text may come from strangers, so it is parsed by a regular expression, never
evaluated, and its size is bounded (digits and decimal exponent) so that a
hostile file cannot make symrep build a gigantic integer.

Matrices and vectors: the one rule
----------------------------------
Every matrix-valued input of the library (weights, data, activations) and every
vector-valued one (biases, a data point) is read by the same rule:

* a **matrix** is a SymPy matrix (``Matrix``, ``ImmutableMatrix``, any shape),
  a NumPy array, or a list or tuple of rows; all rows have the same length and
  every entry is a number as :func:`to_fraction` reads it (int, ``Fraction``,
  SymPy ``Rational``, ``"p/q"`` or decimal text, float converted exactly);
* a **vector** is a flat sequence (or 1-d array) of such numbers, *or* a matrix
  by the rule above with one row or one column: a SymPy column vector
  ``Matrix([1, 2])``, a row ``Matrix([[1, 2]])``, ``[[1], [2]]`` and
  ``[1, 2]`` are the same vector.

SymPy objects are read as objects (``.tolist()`` and the entries' ``p``/``q``);
text is never given to SymPy to parse (no ``sympify``).

>>> import sympy
>>> as_vector(sympy.Matrix([1, "1/2"])) == as_vector([[1], ["1/2"]]) == as_vector(sympy.Matrix([[1, sympy.Rational(1, 2)]]))
True
"""

from __future__ import annotations

import decimal
import math
import operator
import re
from fractions import Fraction
from typing import Any, Iterable, Sequence

from symrep.errors import InputError, ShapeError, located

__all__ = [
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "Matrix",
    "Vector",
    "as_matrix",
    "as_vector",
    "format_number",
    "is_number_text",
    "to_fraction",
]

#: Most digits accepted in the numerator or denominator of a number written as text.
MAX_DIGITS = 4000
#: Largest absolute decimal exponent accepted in a number written as text (``1e400``).
MAX_EXPONENT = 400

Vector = tuple[Fraction, ...]
Matrix = tuple[Vector, ...]

_NUMBER = re.compile(
    r"""\s*
    (?P<sign>[-+])?
    (?:
        (?P<num>\d+(?:_\d+)*)\s*/\s*(?P<den>\d+(?:_\d+)*)          # p/q
      |
        (?P<int>\d+(?:_\d+)*)?(?:\.(?P<frac>\d*(?:_\d+)*))?           # 12.5 or .5 or 12.
        (?:[eE](?P<exp>[-+]?\d+))?
    )
    \s*\Z""",
    re.VERBOSE | re.ASCII,  # ASCII digits and spaces only: '١٢' is not 12
)


def is_number_text(text: str) -> bool:
    """Whether *text* has the form of a number symrep reads (bounds not checked).

    >>> is_number_text("-3/4"), is_number_text("1e-3"), is_number_text("2*t")
    (True, True, False)
    """
    # Strip first: a leading run of whitespace makes the regular expression backtrack quadratically.
    m = _NUMBER.match(text.strip())
    return m is not None and (m["num"] is not None or m["int"] is not None or bool(m["frac"]))


def _show(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut short so that an error message stays one short line."""
    r = repr(value)
    return r if len(r) <= limit else r[: limit - 3] + "..."


def _parse_text(text: str, where: str | None) -> Fraction:
    if len(text) > 2 * MAX_DIGITS + 64:
        raise InputError(located(where, f"number text of {len(text)} characters is too long"))
    m = _NUMBER.match(text.strip())
    if not m or not is_number_text(text):
        low = text.strip().lower().lstrip("+-")
        if low in {"nan", "inf", "infinity"}:
            raise InputError(located(where, f"{_show(text)} is not a finite number (NaN and infinities are not accepted)"))
        raise InputError(located(where, f"{_show(text)} is not a number "
                                        "(expected an integer, 'p/q' or a decimal such as '-0.25' or '1e-3')"))
    sign = -1 if m["sign"] == "-" else 1
    if m["num"] is not None:
        num, den = m["num"].replace("_", ""), m["den"].replace("_", "")
        if len(num) > MAX_DIGITS or len(den) > MAX_DIGITS:
            raise InputError(located(where, f"number with more than {MAX_DIGITS} digits is too large"))
        if int(den) == 0:
            raise InputError(located(where, f"{_show(text.strip())} divides by zero"))
        return sign * Fraction(int(num), int(den))
    whole = (m["int"] or "").replace("_", "")
    frac = (m["frac"] or "").replace("_", "")
    exp_text = m["exp"] or "0"
    if len(exp_text.lstrip("+-")) > 6 or abs(int(exp_text)) > MAX_EXPONENT:
        raise InputError(located(where, f"decimal exponent in {_show(text.strip())} exceeds the bound of {MAX_EXPONENT}"))
    if len(whole) + len(frac) > MAX_DIGITS:
        raise InputError(located(where, f"number with more than {MAX_DIGITS} digits is too large"))
    digits = int(whole + frac or "0")
    exp = int(exp_text) - len(frac)
    value = Fraction(digits * 10**exp) if exp >= 0 else Fraction(digits, 10**-exp)
    return sign * value


def _from_sympy(value: Any, where: str | None) -> Fraction:
    """A SymPy Integer or Rational exactly, a SymPy Float by its exact binary value; any other SymPy number is refused."""
    if getattr(value, "is_Rational", False) is True:
        return Fraction(int(value.p), int(value.q))
    if getattr(value, "is_Float", False) is True:  # a SymPy Float is a binary float: exact, like Python's
        from sympy import Rational

        if not value.is_finite:
            raise InputError(located(where, f"{value} is not a finite number (NaN and infinities are not accepted)"))
        q = Rational(value)
        return Fraction(int(q.p), int(q.q))
    raise InputError(located(where, f"{value} is not a rational number; give it as a Rational or 'p/q'"))


def to_fraction(value: Any, where: str | None = None) -> Fraction:
    """Convert *value* to an exact :class:`~fractions.Fraction`, never rounding.

    Parameters
    ----------
    value
        An ``int``, ``Fraction``, SymPy ``Rational``, ``decimal.Decimal``,
        binary float (Python or NumPy; converted exactly), or a string holding an
        integer, ``"p/q"`` or a decimal (meaning exactly the decimal written).
    where
        Where the value came from, for error messages (``"f.toml: claim 'c': equals"``).

    Raises
    ------
    InputError
        For NaN, infinities, booleans, complex numbers, other SymPy expressions,
        text that is not a number, and text beyond the size bounds.

    Examples
    --------
    >>> to_fraction("0.1"), to_fraction(0.1) == Fraction(3602879701896397, 36028797018963968)
    (Fraction(1, 10), True)
    >>> to_fraction("-6/8")
    Fraction(-3, 4)
    >>> to_fraction(float("nan"))
    Traceback (most recent call last):
    ...
    symrep.errors.InputError: nan is not a finite number (NaN and infinities are not accepted)
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):
        raise InputError(located(where, f"{value!r} is a boolean, not a number"))
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):
        return _parse_text(value, where)
    if isinstance(value, complex) or type(value).__name__.startswith("complex"):
        raise InputError(located(where, f"{_show(value)} is complex; symrep works over the rationals"))
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise InputError(located(where, f"{value} is not a finite number (NaN and infinities are not accepted)"))
        return Fraction(value)
    if getattr(value, "is_number", False) is True:  # a SymPy number
        return _from_sympy(value, where)
    ratio = getattr(value, "as_integer_ratio", None)
    if ratio is not None and not hasattr(value, "__index__"):
        # Python and NumPy floats: as_integer_ratio is the exact dyadic value.
        if not math.isfinite(value):
            raise InputError(located(where, f"{value!r} is not a finite number (NaN and infinities are not accepted)"))
        p, q = ratio()
        return Fraction(int(p), int(q))
    if hasattr(value, "__index__"):  # NumPy and other integer types
        try:
            return Fraction(operator.index(value))
        except TypeError:  # e.g. a 0-d NumPy float array: __index__ exists but refuses
            pass
    raise InputError(located(where, f"{_show(value)} ({type(value).__name__}) is not a number"))


def format_number(q: Fraction) -> str:
    """Exact text of a rational: ``"3"`` or ``"-3/4"``.

    >>> format_number(Fraction(-3, 4)), format_number(Fraction(6, 2))
    ('-3/4', '3')
    """
    p, d = _int_text(q.numerator), _int_text(q.denominator)
    return p if d == "1" else f"{p}/{d}"


def _int_text(n: int) -> str:
    """Decimal text of any integer: Python's str() refuses more than 4,300 digits, so split big ones."""
    if n.bit_length() < 12_000:
        return str(n)
    if n < 0:
        return "-" + _int_text(-n)
    k = int(n.bit_length() * 0.30103) // 2  # about half the digits
    high, low = divmod(n, 10**k)
    return _int_text(high) + _int_text(low).rjust(k, "0")


def _rows_of(value: Any) -> Iterable[Any]:
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and not isinstance(value, (list, tuple)):
        return tolist()  # NumPy arrays (tolist keeps float values exact) and SymPy matrices
    return value


def _is_rows(value: Any) -> bool:
    return not isinstance(value, (str, bytes)) and (isinstance(value, Sequence) or callable(getattr(value, "tolist", None)))


def _one_line(items: Sequence[Any], where: str | None) -> Sequence[Any]:
    """The entries of a matrix with one row or one column (the rule of the module docstring)."""
    rows: list[Any] = [_rows_of(r) for r in items]
    if any(not isinstance(r, Sequence) or isinstance(r, (str, bytes)) for r in rows):
        raise ShapeError(located(where, "expected a list of numbers or a matrix with one row or one column"))
    if len(rows) == 1:
        return rows[0]
    if all(len(r) == 1 for r in rows):
        return [r[0] for r in rows]
    raise ShapeError(located(where, f"a vector must be one row or one column; got {len(rows)} rows of "
                                    f"{', '.join(sorted({str(len(r)) for r in rows}))} entries"))


def as_vector(value: Any, where: str | None = None) -> Vector:
    """Convert a vector to a tuple of fractions: a flat sequence, or a matrix with one row or one column.

    >>> import sympy
    >>> as_vector(sympy.Matrix(["1/2", 3])), as_vector([[2, "0.5"]])
    ((Fraction(1, 2), Fraction(3, 1)), (Fraction(2, 1), Fraction(1, 2)))
    """
    items = _rows_of(value)
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise ShapeError(located(where, f"expected a list of numbers, got {type(value).__name__}"))
    if items and _is_rows(items[0]):
        items = _one_line(items, where)
    return _numbers(items, where)


def _numbers(items: Sequence[Any], where: str | None) -> Vector:
    return tuple(to_fraction(v, f"{where}[{i}]" if where else f"[{i}]") for i, v in enumerate(items))


def as_matrix(value: Any, where: str | None = None, *, columns: int | None = None) -> Matrix:
    """Convert a sequence of rows (or a NumPy array or SymPy matrix) to a rectangular matrix.

    >>> as_matrix([[1, "1/2"], [0, 0.5]])
    ((Fraction(1, 1), Fraction(1, 2)), (Fraction(0, 1), Fraction(1, 2)))
    """
    rows = _rows_of(value)
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        raise ShapeError(located(where, f"expected a list of rows, got {type(value).__name__}"))
    out = []
    for i, row in enumerate(rows):
        at = f"{where}[{i}]" if where else f"row {i}"
        items = _rows_of(row)  # a row is flat: a matrix of matrices is not a matrix
        if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
            raise ShapeError(located(at, f"expected a list of numbers, got {type(row).__name__}"))
        r = _numbers(items, at)
        if columns is None:
            columns = len(r)
        elif len(r) != columns:
            raise ShapeError(located(where, f"row {i} has {len(r)} entries, expected {columns}"))
        out.append(r)
    return tuple(out)
