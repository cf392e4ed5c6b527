"""NumPy input (an optional dependency): floats of every width and arrays are read exactly.

Skipped as a whole when NumPy is not installed (it is not among symrep's required dependencies).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import Layer, Network, activations, is_exact_match, maximum_match
from symrep.errors import InputError
from symrep.exact import as_matrix, to_fraction

from conftest import combine
from test_matching import check_maximum_match, replay_removals

np = pytest.importorskip("numpy")

F = Fraction
#: Whether long double has more precision than float64 (x86: 64-bit mantissa; elsewhere often not).
EXTENDED = np.finfo(np.longdouble).nmant > 52

# --- scalars ----------------------------------------------------------------------------------


@settings(max_examples=200)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numpy_float64_is_converted_exactly(x):
    v = np.float64(x)
    q = to_fraction(v)
    assert q == Fraction(x)
    assert np.float64(float(q)) == v


@settings(max_examples=200)
@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_numpy_float32_is_converted_exactly(x):
    v = np.float32(x)
    q = to_fraction(v)
    # float32 -> float64 is exact, so the float64 value is the reference.
    assert q == Fraction(float(v))
    assert q == Fraction(*v.as_integer_ratio())
    assert np.float32(float(q)) == v


@settings(max_examples=100)
@given(st.floats(width=16, allow_nan=False, allow_infinity=False))
def test_numpy_float16_is_converted_exactly(x):
    v = np.float16(x)
    assert to_fraction(v) == Fraction(float(v))


def test_numpy_scalars():
    assert to_fraction(np.float32(0.1)) == Fraction(13421773, 134217728)
    assert to_fraction(np.int64(-(2**63))) == -(2**63)
    assert to_fraction(np.uint64(2**64 - 1)) == 2**64 - 1
    for bad in (np.float64("nan"), np.float32("inf"), np.float16("-inf"), np.longdouble("nan")):
        with pytest.raises(InputError, match="finite"):
            to_fraction(bad)
    for bad in (np.bool_(True), np.bool_(False)):
        with pytest.raises(InputError, match="boolean"):
            to_fraction(bad)
    with pytest.raises(InputError, match="complex"):
        to_fraction(np.complex128(1))
    x = np.longdouble(1) / np.longdouble(3)
    assert to_fraction(x) == Fraction(*x.as_integer_ratio())
    if EXTENDED:
        assert to_fraction(x) != Fraction(float(x))  # not rounded through float64


def test_zero_dimensional_numpy_arrays():
    assert to_fraction(np.array(3)) == 3
    with pytest.raises(InputError):
        to_fraction(np.array([1, 2]))
    try:  # a 0-d float array may be read exactly or refused, but never with a TypeError
        assert to_fraction(np.array(2.5)) == Fraction(5, 2)
    except InputError:
        pass



# --- arrays -----------------------------------------------------------------------------------


@settings(max_examples=100)
@given(st.lists(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=3, max_size=3), min_size=1, max_size=4))
def test_numpy_arrays_convert_entry_by_entry_exactly(rows):
    for dtype in (np.float32, np.float64):
        arr = np.array(rows, dtype=dtype)
        M = as_matrix(arr)
        assert len(M) == len(rows) and all(len(r) == 3 for r in M)
        assert all(M[i][j] == Fraction(float(arr[i, j])) for i in range(len(rows)) for j in range(3))


def test_network_reads_numpy_weights_and_data_exactly():
    net = Network([Layer([["1/2", 0.5], [np.float32(0.25), "0.1"]], "identity", bias=["1e-3", 0])])
    A = activations(net, np.array([[1.0, 2.0]]), 1)
    assert A == ((F(1, 2) + 1 + F(1, 1000),), (F(1, 4) + F(2, 10),))


def test_maximum_match_accepts_numpy_arrays():
    ref = maximum_match([[1, 0], [2, 0]], [[F(1, 3), 0], [0, 1]])
    for a in (np.array([[1, 0], [2, 0]], dtype=np.int64), np.array([[1, 0], [2, 0]], dtype=float)):
        m = maximum_match(a, [["1/3", "0"], ["0", "1"]])
        assert (m.x, m.y) == (ref.x, ref.y) == ((0, 1), (0,))


# --- NumPy arrays are read exactly, whatever the float width ----------------------------------

finite = {
    np.float64: st.floats(allow_nan=False, allow_infinity=False),
    np.float32: st.floats(width=32, allow_nan=False, allow_infinity=False),
    np.float16: st.floats(width=16, allow_nan=False, allow_infinity=False),
}


@settings(max_examples=100)
@given(st.sampled_from(sorted(finite, key=str)), st.integers(1, 3), st.integers(1, 3), st.data())
def test_numpy_float_arrays_give_the_exact_answer(dtype, n, d, data):
    shared = data.draw(finite[dtype])  # a value that appears on both sides, so matches happen
    entries_a = st.one_of(finite[dtype], st.sampled_from([0.0, shared]))
    entries_b = st.sampled_from([0.0, 1.0, -2.0, 0.5, shared])
    A = np.array(data.draw(st.lists(st.lists(entries_a, min_size=d, max_size=d), min_size=n, max_size=n)), dtype=dtype)
    B = np.array(data.draw(st.lists(st.lists(entries_b, min_size=d, max_size=d), min_size=1, max_size=3)), dtype=dtype)
    exact_A, exact_B = as_matrix(A), as_matrix(B)
    assert all(exact_A[i][j] == Fraction(float(A[i, j])) for i in range(n) for j in range(d))
    m = maximum_match(A, B)
    ref = check_maximum_match(exact_A, exact_B)  # coefficients reproduce the exact values
    assert (m.x, m.y, m.zero_x, m.zero_y) == (ref.x, ref.y, ref.zero_x, ref.zero_y)
    replay_removals(exact_A, exact_B, m)
    for i, cs in m.x_in_y:
        assert combine(cs, exact_B, d) == exact_A[i]
    for j, cs in m.y_in_x:
        assert combine(cs, exact_A, d) == exact_B[j]


def test_numpy_extreme_floats_are_exact():
    tiny, huge = 5e-324, 1.7976931348623157e308
    A = np.array([[tiny, huge], [2 * tiny, 2 ** -1074 * 3]])
    B = np.array([[1.0, 0.0]])
    assert maximum_match(A, B).x == maximum_match(as_matrix(A), as_matrix(B)).x
    # [tiny, 2 tiny] and [2 tiny, 4 tiny] are proportional, exactly.
    assert is_exact_match(np.array([[tiny, 2 * tiny]]), np.array([[2 * tiny, 4 * tiny]]))
    assert not is_exact_match(np.array([[tiny, 2 * tiny]]), np.array([[2 * tiny, 4 * tiny + tiny]]))


@pytest.mark.skipif(not EXTENDED, reason="long double is float64 on this platform")
def test_numpy_long_double_is_exact_or_refused():
    one_plus = np.longdouble(1) + np.longdouble(2) ** -60  # representable in x87 extended precision
    A = np.array([[one_plus, 1]], dtype=np.longdouble)
    B = np.array([[1, 1]], dtype=np.longdouble)
    exact = as_matrix(A)
    try:
        got = maximum_match(A, B)
    except InputError:
        return
    assert (got.x, got.y) == (maximum_match(exact, as_matrix(B)).x, maximum_match(exact, as_matrix(B)).y)


@pytest.mark.parametrize(
    "array",
    [
        np.array([[np.nan, 1.0]]),
        np.array([[np.inf, 1.0]]),
        np.array([[1.0, -np.inf]], dtype=np.float32),
        np.array([[True, False]]),
        np.array([[1 + 1j, 0]]),
    ],
)
def test_numpy_arrays_that_are_not_finite_rationals_are_input_errors(array):
    with pytest.raises(InputError):
        maximum_match(array, [[1, 0]])
    with pytest.raises(InputError):
        is_exact_match([[1, 0]], array)
