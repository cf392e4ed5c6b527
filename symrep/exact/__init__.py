"""Exact numbers and exact linear algebra: the bottom layer of symrep.

This package's own namespace is the number API (:mod:`symrep.exact.numbers`);
:mod:`symrep.exact.linalg` (the only module that talks to python-flint) and
:mod:`symrep.exact.lp` (an exact simplex with Farkas certificates) sit beside it.
"""

from symrep.exact.numbers import (
    MAX_DIGITS,
    MAX_EXPONENT,
    Matrix,
    Vector,
    as_matrix,
    as_vector,
    format_number,
    is_number_text,
    to_fraction,
)

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
