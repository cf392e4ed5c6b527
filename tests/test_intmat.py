"""Exact integer products (multi-modular float64 GEMM) and exact float -> integer conversion.

References are plain Python integers and ``fractions.Fraction`` (from the floats'
own ``as_integer_ratio``), never symrep code.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from symrep.errors import InputError, ShapeError
from symrep.exact import intmat
from symrep.exact.intmat import modular_product, primes_for, product, scaled_ints
from symrep.exact.linalg import IntRows


def ref_product(x, y=None):
    """x @ y.T with Python integers, entry by entry."""
    X = [[int(v) for v in r] for r in np.asarray(x).tolist()]
    Y = X if y is None else [[int(v) for v in r] for r in np.asarray(y).tolist()]
    return [[sum(a * b for a, b in zip(r, s)) for s in Y] for r in X]


def is_prime(q: int) -> bool:
    return q > 1 and all(q % f for f in range(2, math.isqrt(q) + 1))


# --- products ---------------------------------------------------------------------------------


EXTREMES = [0, 1, -1, 2**50, -(2**50), 2**53 - 1, -(2**53) + 1, 2**53 + 1, 2**61, -(2**62) + 1, 2**62 - 1]


@pytest.mark.parametrize("bits", [1, 20, 45, 50, 53, 58, 62])
@pytest.mark.parametrize("d", [1, 7, 300, 5000])
def test_products_are_exact_near_the_bounds(bits, d):
    rng = np.random.default_rng(bits * 1000 + d)
    hi = 2**bits - 1
    x = rng.integers(-hi, hi, (5, d), endpoint=True, dtype=np.int64)
    y = rng.integers(-hi, hi, (3, d), endpoint=True, dtype=np.int64)
    x[0] = hi  # the largest entries, all of one sign: the bound is attained
    y[0] = -hi
    x[1] = 0  # a zero row
    y[2, : d // 2] = hi
    ref = ref_product(x, y)
    for method in ("float", "nmod", "flint"):
        assert product(x, y, method).tolist() == ref, method
    assert product(x, method="float").tolist() == ref_product(x)
    g = modular_product(x, y)
    assert g.frobenius2() == sum(v * v for r in ref for v in r)
    a = [int(t) * 2**70 + 1 for t in rng.integers(-(2**40), 2**40, 5)]
    b = [int(t) - 2**80 for t in rng.integers(-(2**40), 2**40, 3)]
    assert g.bilinear(a, b) == sum(a[i] * ref[i][j] * b[j] for i in range(5) for j in range(3))


def test_several_primes_are_needed_and_used():
    d = 20_000
    x = np.full((2, d), 2**50, dtype=np.int64)
    x[1] = -(2**50)
    g = modular_product(x)
    assert len(g.primes) >= 5  # |entries| = d * 2**100 needs more than 100 bits
    assert g.exact().tolist() == [[d * 2**100, -d * 2**100], [-d * 2**100, d * 2**100]]


def test_python_integer_entries_beyond_int64():
    x = np.array([[2**100 + 3, -(2**70), 0], [5, 2**64, -1]], dtype=object)
    y = np.array([[-(2**90), 7, 2**62]], dtype=object)
    assert product(x, y, "float").tolist() == ref_product(x, y) == product(x, y).tolist()
    assert modular_product(x).frobenius2() == sum(v * v for r in ref_product(x) for v in r)


def test_empty_inner_dimension_and_shapes():
    assert product(np.zeros((2, 0), dtype=np.int64)).tolist() == [[0, 0], [0, 0]]
    with pytest.raises(InputError):
        product(np.zeros((2, 3), dtype=np.int64), np.zeros((2, 4), dtype=np.int64))
    with pytest.raises(InputError):
        product(np.zeros((2, 3)))  # floats are not integers: convert with scaled_ints first


@settings(max_examples=60)
@given(st.data())
def test_products_property(data):
    n = data.draw(st.integers(1, 4))
    m = data.draw(st.integers(1, 4))
    d = data.draw(st.integers(1, 12))
    entries = st.one_of(st.integers(-(2**62) + 1, 2**62 - 1), st.sampled_from(EXTREMES))
    x = np.array(data.draw(st.lists(st.lists(entries, min_size=d, max_size=d), min_size=n, max_size=n)), dtype=np.int64)
    y = np.array(data.draw(st.lists(st.lists(entries, min_size=d, max_size=d), min_size=m, max_size=m)), dtype=np.int64)
    ref = ref_product(x, y)
    assert product(x, y, "float").tolist() == ref
    g = modular_product(x, y)
    assert g.frobenius2() == sum(v * v for r in ref for v in r)
    assert g.block(slice(0, 1), slice(None)).exact().tolist() == ref[:1]


@pytest.mark.parametrize("d", [1, 2, 1000, 10_000, 2**20, 2**40])
def test_primes_keep_every_partial_sum_below_2_53(d):
    ps = primes_for(d, 3)
    assert len(set(ps)) == 3 and all(is_prime(p) for p in ps)
    for p in ps:
        h = p // 2 + 2  # the largest residue the float reduction can produce (see _residues)
        assert d * h * h <= 2**53 - 2**31  # and so GEMM results can be reduced in float64 too


def test_balanced_digits_identify_the_value():
    # B + W < P, with W the largest value balanced digits can spell: recomputed here independently.
    for d, B in [(1, 1), (10_000, 2**110), (1000, 2**200)]:
        ps = intmat._count(d, B)
        P = math.prod(ps)
        W = sum((p // 2 + 2) * math.prod(ps[:k]) for k, p in enumerate(ps))
        assert B + W < P


@settings(max_examples=200)
@given(st.integers(-(2**53) + 2**31, 2**53 - 2**31), st.sampled_from(primes_for(10_000, 3) + primes_for(3, 2)))
def test_float_residues_are_exact_and_small(v, p):
    r = intmat._residues(np.array([float(v)]), p)[0]
    assert r == int(r) and (v - int(r)) % p == 0 and abs(int(r)) <= p // 2 + 2


# --- conversion -------------------------------------------------------------------------------


def exact(x) -> Fraction:
    return Fraction(*float(x).as_integer_ratio()) if np.asarray(x).dtype.kind == "f" else Fraction(int(x))


def check_conversion(a, per_row):
    s = scaled_ints(a, per_row)
    assert s.values.shape == a.shape and s.exponents.shape == (a.shape[0],)
    for i in range(a.shape[0]):
        scale = Fraction(2) ** int(s.exponents[i])
        for j in range(a.shape[1]):
            assert Fraction(int(s.values[i, j])) * scale == exact(a[i, j]), (i, j)
    if not per_row:
        assert len(set(s.exponents.tolist())) <= 1
    return s


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_special_values_convert_exactly(dtype):
    fi = np.finfo(dtype)
    a = np.array(
        [
            [fi.smallest_subnormal, -fi.smallest_subnormal, fi.smallest_normal, 0.0],
            [-0.0, 0.0, 0.0, 0.0],  # a zero row, with a negative zero
            [fi.max, -fi.max, 1.0, fi.eps],
            [1.5, 3.0, 6.0, -12.0],  # a common power of two is taken out: exponents are as large as possible
        ],
        dtype=dtype,
    )
    for per_row in (True, False):
        s = check_conversion(a, per_row)
    s = scaled_ints(a)
    assert s.values[1].tolist() == [0, 0, 0, 0] and s.exponents[1] == 0
    assert s.values[3].tolist() == [3, 6, 12, -24] and s.exponents[3] == -1
    # float32/64: max and eps in one row need more than 62 bits (Python integers); float16 stays int64
    assert s.values.dtype == (np.int64 if dtype == np.float16 else object)


@settings(max_examples=100)
@given(st.sampled_from([np.float16, np.float32, np.float64]).flatmap(
    lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=2, max_dims=2, max_side=5),
                          elements=st.floats(width=8 * np.dtype(dt).itemsize, allow_nan=False, allow_infinity=False))),
    st.booleans())
def test_conversion_property(a, per_row):
    check_conversion(a, per_row)


@pytest.mark.parametrize("dtype", [">f2", ">f4", ">f8", "<f4", ">i8"])
def test_byte_orders(dtype):
    a = np.array([[0.1, -2.5, 0.0], [3.0, 5e-3, -0.0]]).astype(dtype)
    check_conversion(a, True)
    check_conversion(np.asfortranarray(a), False)


def test_relu_like_float32_stays_int64():
    rng = np.random.default_rng(0)
    a = np.maximum(rng.standard_normal((20, 500)), 0).astype(np.float32)
    s = check_conversion(a, True)
    assert s.values.dtype == np.int64


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_nan_and_infinity_are_refused_with_the_entry(bad, dtype):
    a = np.ones((2, 3), dtype=dtype)
    a[1, 2] = bad
    with pytest.raises(InputError, match=r"\(1, 2\)"):
        scaled_ints(a)
    with pytest.raises(InputError):
        IntRows.from_array(a)


def test_other_dtypes():
    with pytest.raises(InputError, match="boolean"):
        scaled_ints(np.array([[True, False]]))
    with pytest.raises(InputError):
        scaled_ints(np.array([[1 + 2j]]))
    with pytest.raises(InputError):
        scaled_ints(np.ones(3))
    big = np.array([[2**64 - 1, 0]], dtype=np.uint64)
    assert scaled_ints(big).values.tolist() == [[2**64 - 1, 0]]
    assert scaled_ints(np.array([[-(2**63), 5]], dtype=np.int64)).values.tolist() == [[-(2**63), 5]]


@settings(max_examples=60)
@given(hnp.arrays(np.float32, hnp.array_shapes(min_dims=2, max_dims=2, max_side=5),
                  elements=st.floats(width=32, allow_nan=False, allow_infinity=False)))
def test_introws_from_array_is_exact(a):
    m = IntRows.from_array(a)
    assert len(m) == a.shape[0] and m.ncols == a.shape[1]
    for i in range(a.shape[0]):
        assert m.row(i) == tuple(exact(x) for x in a[i])
        assert m.int_row(i) == m.ints[i]
        assert m.is_zero(i) == (not a[i].any())
    sub = m.take([i for i in range(a.shape[0])][::-1])
    assert sub.ints == m.ints[::-1]


# --- kept residues for repeated products (Operand), residues from digits, float64 integers --------


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 7), st.sampled_from([3, 50, 53]), st.sampled_from([5, 62, 107, 300]),
       st.booleans(), st.randoms())
def test_operand_products_and_sub_matrices(k, n, cbits, gbits, from_digits, rnd):
    C = [[rnd.randint(-(2**cbits) + 1, 2**cbits - 1) for _ in range(n)] for _ in range(k)]
    if from_digits:  # Y a Gram, known by its digits: residues without Python integers
        R = [[rnd.choice((0, -(2**(gbits // 2)), rnd.randint(-(2**(gbits // 2)), 2**(gbits // 2)))) for _ in range(9)]
             for _ in range(n)]
        Y = ref_product(np.array(R, dtype=object))
        Yarr = np.array(Y, dtype=object).reshape(n, n)
        op = intmat.Operand.of(Yarr, modular_product(np.array(R, dtype=object)))
    else:
        Y = [[rnd.choice((0, -(2**gbits), rnd.randint(-(2**gbits), 2**gbits))) for _ in range(n)] for _ in range(n)]
        op = intmat.Operand.of(np.array(Y, dtype=object).reshape(n, n))
    Ca = np.array(C, dtype=object).reshape(k, n)
    assert modular_product(Ca, op).exact().tolist() == ref_product(Ca, np.array(Y, dtype=object))
    rows = sorted(rnd.sample(range(n), rnd.randint(1, n)))
    cols = sorted(rnd.sample(range(n), rnd.randint(1, n)))
    sub = op.sub(rows, cols)  # the residues computed above are reused, indexed
    Ys = [[Y[i][j] for j in cols] for i in rows]
    Cs = np.array([[r[j] for j in cols] for r in C], dtype=object).reshape(k, len(cols))
    assert sub.shape == (len(rows), len(cols))
    assert modular_product(Cs, sub).exact().tolist() == ref_product(Cs, np.array(Ys, dtype=object))
    inner = sub.sub([0], list(range(len(cols)))[::-1])  # a sub-matrix of a sub-matrix
    assert modular_product(Cs[:, ::-1].copy(), inner).exact().tolist() == ref_product(Cs, np.array(Ys[:1], dtype=object))


def test_operand_refuses_other_shapes_and_methods():
    op = intmat.Operand.of(np.array([[1, 2, 3]]))
    with pytest.raises(ShapeError):
        modular_product(np.array([[1, 2]]), op)
    with pytest.raises(InputError):
        modular_product(np.array([[1, 2, 3]]), op, method="nmod")
    with pytest.raises(ShapeError):
        intmat.Operand.of(np.array([[1, 2]]), modular_product(np.array([[1], [2], [3]])))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.sampled_from([3, 40, 62, 200]), st.randoms())
def test_residues_from_digits_are_the_residues(n, d, bits, rnd):
    X = np.array([[rnd.randint(-(2**bits), 2**bits) for _ in range(d)] for _ in range(n)], dtype=object)
    g = modular_product(X)
    ref = ref_product(X)
    for p in primes_for(3, 2) + primes_for(10_000, 1) + [3, 101]:
        got = g.residues(p)
        assert got.dtype == np.float64 and float(np.abs(got).max()) <= p // 2 + 2
        assert [[int(v) % p for v in r] for r in got.tolist()] == [[v % p for v in r] for r in ref]


def test_float_ints_are_checked_and_multiplied_exactly():
    top = 2**53 - 2**31
    a = np.array([[float(top), -1.0, 3.0], [0.0, -float(top), 2.0**40]])
    ref = ref_product(a.astype(np.int64))
    assert product(intmat.FloatInts(a)).tolist() == ref
    assert product(intmat.FloatInts(a), intmat.FloatInts(a), method="nmod").tolist() == ref
    assert modular_product(intmat.FloatInts(a)).exact().tolist() == ref
    for bad in ([[0.5]], [[float(top) + 2**31]], [[np.nan]], [[np.inf]]):
        with pytest.raises(InputError):
            intmat.FloatInts(np.array(bad))
    with pytest.raises(ShapeError):
        intmat.FloatInts(np.array([[1, 2]]))  # int64: not a float64 array
