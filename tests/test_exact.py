"""Exact numbers: conversion without rounding, and refusal of everything that is not a rational."""

from __future__ import annotations

import decimal
import math
import time
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.errors import InputError, ShapeError
from symrep.exact import MAX_DIGITS, MAX_EXPONENT, as_matrix, as_vector, format_number, is_number_text, to_fraction

# --- floats are dyadic rationals, converted exactly ------------------------------------------


@settings(max_examples=200)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_python_float_is_converted_exactly(x):
    q = to_fraction(x)
    assert type(q) is Fraction
    assert q == Fraction(x)
    assert float(q) == x  # the round trip is exact (float() of a dyadic rational is exact)
    assert q.denominator & (q.denominator - 1) == 0  # a power of two: dyadic


def test_float_point_one_is_the_dyadic_value_not_one_tenth():
    assert to_fraction(0.1) == Fraction(3602879701896397, 36028797018963968)
    assert to_fraction(0.1) != Fraction(1, 10)
    assert to_fraction(-0.0) == 0
    assert to_fraction(5e-324) == Fraction(1, 2**1074)  # the smallest subnormal
    assert to_fraction(1.7976931348623157e308) == Fraction(2**1024 - 2**971)


@settings(max_examples=100)
@given(st.integers(-(2**70), 2**70))
def test_integers_of_every_kind(n):
    assert to_fraction(n) == n
    assert to_fraction(sympy.Integer(n)) == n
    assert to_fraction(str(n)) == n


@settings(max_examples=100)
@given(st.fractions())
def test_fractions_and_sympy_rationals(q):
    assert to_fraction(q) == q and type(to_fraction(q)) is Fraction
    assert to_fraction(sympy.Rational(q.numerator, q.denominator)) == q
    assert to_fraction(decimal.Decimal(q.numerator)) == q.numerator


@settings(max_examples=100)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**30), max_value=10**30, places=8))
def test_decimal_objects_and_their_text_are_exact(x):
    assert to_fraction(x) == Fraction(x)
    assert to_fraction(str(x)) == Fraction(x)  # str(Decimal) may use exponent notation, e.g. 1E+2


# --- decimal text means the decimal -------------------------------------------------------------


def test_decimal_strings_mean_the_decimal():
    assert to_fraction("0.1") == Fraction(1, 10)
    assert to_fraction("-0.25") == Fraction(-1, 4)
    assert to_fraction(".5") == Fraction(1, 2)
    assert to_fraction("5.") == 5
    assert to_fraction("1e-3") == Fraction(1, 1000)
    assert to_fraction("1E3") == 1000
    assert to_fraction("+2.5e+1") == 25
    assert to_fraction("1_000.000_5") == Fraction(10000005, 10000)
    assert to_fraction("  -6/8 ") == Fraction(-3, 4)
    assert to_fraction("3 / 4") == Fraction(3, 4)
    assert to_fraction("-0") == 0
    assert to_fraction("0.1") + to_fraction("0.2") == to_fraction("0.3")  # exact, unlike floats


@settings(max_examples=200)
@given(
    sign=st.sampled_from(["", "+", "-"]),
    whole=st.text("0123456789", max_size=6),
    frac=st.text("0123456789", max_size=6),
    exp=st.one_of(st.none(), st.integers(-30, 30)),
    dot=st.booleans(),
)
def test_decimal_text_against_independent_arithmetic(sign, whole, frac, exp, dot):
    if not whole and not (dot and frac):
        return  # not a number: covered by the rejection tests
    text = sign + whole + ("." + frac if dot else "") + ("" if exp is None else f"e{exp}")
    digits = whole + (frac if dot else "")
    value = Fraction(int(digits), 10 ** len(frac if dot else "")) * Fraction(10) ** (exp or 0)
    if sign == "-":
        value = -value
    assert is_number_text(text)
    assert to_fraction(text) == value


@settings(max_examples=200)
@given(st.integers(-(10**12), 10**12), st.integers(1, 10**12))
def test_ratio_text(p, q):
    assert to_fraction(f"{p}/{q}") == Fraction(p, q)
    assert to_fraction(format_number(Fraction(p, q))) == Fraction(p, q)


@settings(max_examples=200)
@given(st.fractions())
def test_format_number_round_trips(q):
    text = format_number(q)
    assert to_fraction(text) == q
    assert ("/" in text) == (q.denominator != 1)
    if "/" in text:
        num, den = text.split("/")
        assert math.gcd(int(num), int(den)) == 1 and int(den) > 1


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        decimal.Decimal("NaN"),
        decimal.Decimal("sNaN"),
        decimal.Decimal("Infinity"),
        "nan",
        "NaN",
        "-nan",
        "inf",
        "+inf",
        "-Infinity",
    ],
)
def test_nan_and_infinities_are_rejected(value):
    with pytest.raises(InputError, match="finite|not a"):
        to_fraction(value)


@pytest.mark.parametrize(
    "value",
    [True, False],
)
def test_booleans_are_not_numbers(value):
    with pytest.raises(InputError, match="boolean"):
        to_fraction(value)


@pytest.mark.parametrize(
    "value",
    [1j, complex(1, 0), sympy.I, sympy.sqrt(2), sympy.pi, sympy.nan, sympy.oo, sympy.zoo,
     sympy.Symbol("t"), None, b"1", [1], (1,), {"a": 1}, object()],
)
def test_non_rationals_are_rejected(value):
    with pytest.raises(InputError):
        to_fraction(value)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "__import__('os').system('true')",
        "1+1",
        "2**10",
        "1e5e5",
        "0x10",
        "0b1",
        "1/2/3",
        "-1/-2",
        "1/-2",
        "--1",
        "+-1",
        "1 2",
        "",
        " ",
        ".",
        "e5",
        "1e",
        "_1",
        "1_",
        "1__0",
        "1.2.3",
        "abc",
        "one",
        "Fraction(1, 2)",
        "1j",
        "\x00",
        "1\n2",
    ],
)
def test_text_that_is_not_a_number_is_rejected_not_evaluated(text):
    assert not is_number_text(text)
    with pytest.raises(InputError, match="not a number|not a finite"):
        to_fraction(text, "f.toml: network 'g': weights[0][0]")


def test_division_by_zero_text_is_an_input_error():
    with pytest.raises(InputError, match="divides by zero"):
        to_fraction("1/0")
    with pytest.raises(InputError, match="divides by zero"):
        to_fraction("0/000")


def test_errors_name_where_the_value_came_from():
    with pytest.raises(InputError) as e:
        to_fraction("x", "f.toml: network 'g': layer 1: weights[0][1]")
    assert str(e.value).startswith("f.toml: network 'g': layer 1: weights[0][1]: ")


def _fraction_or_input_error(text):
    """to_fraction(text) either gives a Fraction (and the text has the form of a number) or
    raises InputError; text that is not of that form is always rejected.  Nothing else escapes."""
    try:
        q = to_fraction(text)
    except InputError:
        return None
    assert type(q) is Fraction
    assert is_number_text(text)
    return q


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_arbitrary_text_is_a_fraction_or_an_input_error(text):
    _fraction_or_input_error(text)


@settings(max_examples=300)
@given(st.text(alphabet="0123456789+-./eE_ ", max_size=20))
def test_number_like_text_is_a_fraction_or_an_input_error(text):
    q = _fraction_or_input_error(text)
    if q is not None and "/" not in text and "e" not in text.lower() and "_" not in text:
        assert q == Fraction(decimal.Decimal(text.strip()))  # plain decimals agree with decimal's reading


# --- size bounds: a hostile text cannot make a gigantic number ----------------------------------


def test_digit_bound():
    assert to_fraction("9" * MAX_DIGITS) == 10**MAX_DIGITS - 1
    assert to_fraction("1/" + "9" * MAX_DIGITS) == Fraction(1, 10**MAX_DIGITS - 1)
    for text in ["9" * (MAX_DIGITS + 1), "1/" + "9" * (MAX_DIGITS + 1), "0." + "1" * (MAX_DIGITS + 1), "7" * 5000]:
        with pytest.raises(InputError, match="digits|too long"):
            to_fraction(text)


def test_exponent_bound():
    assert to_fraction(f"1e{MAX_EXPONENT}") == 10**MAX_EXPONENT
    assert to_fraction(f"1e-{MAX_EXPONENT}") == Fraction(1, 10**MAX_EXPONENT)
    for text in [f"1e{MAX_EXPONENT + 1}", f"1e-{MAX_EXPONENT + 1}", "1e999999", "1e-999999", "1e99999999999999999999", "0e999999"]:
        with pytest.raises(InputError, match="exponent"):
            to_fraction(text)


def test_very_long_text_is_rejected_quickly():
    start = time.perf_counter()
    for text in ["1" * 10**6, " " * 10**6, "1" * 8000 + "x", "1_" * 4000 + "x"]:
        with pytest.raises(InputError):
            to_fraction(text)
    assert time.perf_counter() - start < 2


def test_whitespace_padding_does_not_cause_quadratic_backtracking():
    # The longest text accepted for parsing is about 8000 characters; parsing each value must be
    # linear, or a 32 MB claim file full of such strings takes many minutes to reject.
    hostile = [" " * 8000 + "x", " " * 4000 + "1" + " " * 3999 + "x", "\t" * 8000 + "?"]
    start = time.perf_counter()
    for _ in range(20):
        for text in hostile:
            with pytest.raises(InputError):
                to_fraction(text)
    assert time.perf_counter() - start < 1.5


def test_error_message_of_a_huge_value_is_short():
    value = [list(range(100_000))]
    with pytest.raises(InputError) as e:
        to_fraction(value, "where")
    assert len(str(e.value)) < 300
    assert "\n" not in str(e.value)


# --- vectors and matrices -------------------------------------------------------------------


@settings(max_examples=50)
@given(st.lists(st.lists(st.fractions(max_denominator=50), min_size=2, max_size=2), min_size=1, max_size=3))
def test_sympy_matrices_convert_exactly(rows):
    S = sympy.Matrix([[sympy.Rational(q.numerator, q.denominator) for q in r] for r in rows])
    assert as_matrix(S) == tuple(tuple(r) for r in rows)


def test_as_matrix_mixed_input_and_errors():
    assert as_matrix([[1, "1/2"], [0.5, "0.25"]]) == ((1, Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 4)))
    assert as_matrix([]) == ()
    assert as_vector((1, "2")) == (1, 2)
    with pytest.raises(ShapeError, match="row 1 has 1 entries, expected 2"):
        as_matrix([[1, 2], [3]], "W")
    with pytest.raises(ShapeError, match="expected 3"):
        as_matrix([[1, 2]], columns=3)
    with pytest.raises(ShapeError):
        as_matrix("12")
    with pytest.raises(ShapeError):
        as_matrix(5)
    with pytest.raises(ShapeError):
        as_vector("12")
    with pytest.raises(InputError, match=r"W\[1\]\[0\]"):
        as_matrix([[1], ["x"]], "W")
    with pytest.raises(InputError, match="boolean"):
        as_matrix([[1, True]])


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_sympy_floats_convert_exactly_like_python_floats(x):
    assert to_fraction(sympy.Float(x)) == Fraction(x)


def test_sympy_float_infinities_are_rejected():
    for bad in (sympy.Float("inf"), sympy.Float("-inf"), sympy.Float("nan")):
        with pytest.raises(InputError):
            to_fraction(bad)


# --- one error hierarchy -----------------------------------------------------------------------

#: Exceptions used for control flow inside one module, never reaching a user (caught where raised),
#: and the checker's own, which shares no code with the library.
INTERNAL_EXCEPTIONS = {
    ("symrep.checker", "Reject"),
    ("symrep.checker", "Unreadable"),
    ("symrep.parametric.line", "Undecided"),
    ("symrep.parametric.line", "_Split"),
    ("symrep.cli.verify", "_OverTime"),  # raised by verify --timeout's timer inside a decision, caught around it
}


def test_every_error_class_is_in_errors_under_symrep_error():
    import importlib
    import inspect
    import pkgutil

    import symrep
    from symrep import errors

    elsewhere = []
    for info in pkgutil.walk_packages(symrep.__path__, "symrep."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name and info.name != "symrep.errors":
                if (info.name, name) not in INTERNAL_EXCEPTIONS:
                    elsewhere.append(f"{info.name}.{name}")
    assert not elsewhere, f"error classes outside symrep/errors.py: {elsewhere}"
    defined = [cls for _, cls in inspect.getmembers(errors, inspect.isclass) if cls.__module__ == "symrep.errors"]
    assert len(defined) >= 10 and all(issubclass(cls, errors.SymrepError) for cls in defined)
    assert sorted(errors.__all__) == sorted(cls.__name__ for cls in defined)


def test_moved_errors_keep_their_old_import_paths_and_bases():
    from symrep import errors
    from symrep.exact.lp import LPError
    from symrep.imports import MissingDependency
    from symrep.relu.functions import CertificateRejected
    from symrep.testing import NotVerified

    assert (LPError, MissingDependency, CertificateRejected, NotVerified) == (
        errors.LPError, errors.MissingDependency, errors.CertificateRejected, errors.NotVerified)
    # symrep 0.1 code catching the built-in base classes still catches them
    assert issubclass(CertificateRejected, ValueError) and issubclass(MissingDependency, ImportError)
    assert issubclass(NotVerified, AssertionError) and issubclass(errors.InputError, ValueError)


def test_linalg_refuses_bad_input_with_symrep_errors():
    np = pytest.importorskip("numpy")
    from symrep.exact.linalg import IntRows, matmul, span_basis

    for bad, error in ((np.zeros(3), ShapeError), (np.array([[True]]), InputError), (np.array([["a"]]), InputError),
                       (np.array([[np.nan]]), InputError), (np.array([[np.inf]], dtype=np.float32), InputError),
                       (np.array([[np.nan]], dtype=np.longdouble), InputError)):
        with pytest.raises(error):
            IntRows.from_array(bad)
    with pytest.raises(ShapeError, match="cannot multiply"):
        matmul([[Fraction(1), Fraction(2)]], [[Fraction(1)]])
    with pytest.raises(ShapeError, match="vectors of length 1"):
        span_basis([[Fraction(1), Fraction(0)]]).express([[Fraction(1)]])
