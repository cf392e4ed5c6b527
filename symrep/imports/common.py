"""What every importer shares: the optional-dependency error, exact conversion of floats, file-error messages.

>>> _exact_matrix([[0.5, 1]], "w")
((Fraction(1, 2), Fraction(1, 1)),)
"""

from __future__ import annotations

import importlib
from fractions import Fraction
from typing import Any

from symrep.errors import InputError, MissingDependency
from symrep.exact.numbers import Matrix, as_matrix, as_vector


def _require(module: str, extra: str) -> Any:
    """Import *module*, or say which extra of symrep provides it.

    >>> _require("no_such_module_here", "torch")
    Traceback (most recent call last):
    ...
    symrep.errors.MissingDependency: this needs the optional package 'no_such_module_here': pip install 'symrep[torch]'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependency(f"this needs the optional package {module!r}: pip install 'symrep[{extra}]'") from None


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


# Python floats and ints from tensor.tolist() convert directly (Fraction(float) is exact);
# anything else, and NaN or infinity, goes through exact.as_matrix for its checks and messages.
_DIRECT = {float: Fraction, int: Fraction}


def _exact_matrix(values: Any, where: str) -> Matrix:
    """``as_matrix(values, where)``, about twice as fast for nested lists of plain floats and ints."""
    try:
        return tuple(tuple(_DIRECT[type(x)](x) for x in row) for row in values)
    except (KeyError, TypeError, ValueError, OverflowError):
        return as_matrix(values, where)


def _exact_vector(values: Any, where: str) -> tuple[Fraction, ...]:
    try:
        return tuple(_DIRECT[type(x)](x) for x in values)
    except (KeyError, TypeError, ValueError, OverflowError):
        return as_vector(values, where)


def _open_error(where: str, e: OSError) -> InputError:
    if isinstance(e, FileNotFoundError):
        return InputError(f"{where}: no such file")
    if isinstance(e, IsADirectoryError):
        return InputError(f"{where}: is a directory, not a file")
    return InputError(f"{where}: cannot read the file ({e.strerror or e})")

