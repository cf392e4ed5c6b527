"""Exact Grams of float data (symrep.exact.floatgram) and exact CKA^2 through them, against references written here.

Truth: Python-integer Gram matrices of the exact values (``Fraction(float(x))``), and linear
CKA^2 by the textbook formula with one Fraction per entry -- neither uses symrep.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from symrep.errors import InputError
from symrep.exact.floatgram import float_rows, gram
from symrep.measures import cka as cka_module
from symrep.measures.cka import cka_squared, hsic_terms

F = Fraction


def exact(a) -> list[list[Fraction]]:
    return [[F(float(x)) for x in r] for r in np.asarray(a)]


def int_form(a, shift: int) -> list[list[int]]:
    """The integers ``a * 2**shift``, checked to be integers (the claim of float_rows)."""
    out = []
    for r in exact(a):
        row = [q * F(2) ** shift for q in r]
        assert all(q.denominator == 1 for q in row)
        out.append([int(q) for q in row])
    return out


def int_gram(Z: list[list[int]]) -> list[list[int]]:
    return [[sum(x * y for x, y in zip(u, v)) for v in Z] for u in Z]


def ref_cka2(A, B) -> Fraction:
    """Linear CKA^2, centred over the points, one Fraction per entry."""
    def centred(M):
        M = [[F(x) for x in r] for r in M]
        return [[x - sum(r, F(0)) / len(r) for x in r] for r in M]

    def fro2_of_gram(X, Y):
        return sum((sum((a * b for a, b in zip(x, y)), F(0)) ** 2 for x in X for y in Y), F(0))

    Ac, Bc = centred(A), centred(B)
    return fro2_of_gram(Ac, Bc) ** 2 / (fro2_of_gram(Ac, Ac) * fro2_of_gram(Bc, Bc))


# --- float_rows and gram -----------------------------------------------------------------------

DTYPES = [np.float16, np.float32, np.float64]


@st.composite
def float_arrays(draw, max_rows=5, max_cols=7):
    """Small float arrays with a bounded exponent range (so that float_rows applies), zeros and subnormals."""
    dt = draw(st.sampled_from(DTYPES))
    n, d = draw(st.integers(1, max_rows)), draw(st.integers(1, max_cols))
    spread = {np.float16: 8, np.float32: 20, np.float64: 0}[dt]
    bits = {np.float16: 11, np.float32: 24, np.float64: 30}[dt]  # float64: mantissas of at most 30 bits
    vals = st.tuples(st.integers(-(2**bits) + 1, 2**bits - 1), st.integers(-spread, spread))
    rows = draw(st.lists(st.lists(vals, min_size=d, max_size=d), min_size=n, max_size=n))
    a = np.array([[math.ldexp(m, e - bits) for m, e in r] for r in rows], dtype=dt)
    if draw(st.booleans()):
        a[draw(st.integers(0, n - 1))] = 0  # a dead neuron
    if draw(st.booleans()):
        a[0, 0] = np.finfo(dt).smallest_subnormal if dt != np.float64 else a[0, 0]
    return a


@settings(max_examples=150, deadline=None)
@given(float_arrays())
def test_float_rows_are_exact_integers_with_exact_row_sums(a):
    f = float_rows(a)
    if f is None:  # only when exponent range plus mantissa digits of the format reach 52 bits (the documented case)
        info = np.finfo(a.dtype)
        e = [max(math.frexp(float(x))[1], info.minexp + 1) for x in a.ravel() if x]
        assert max(e) - min(e) + info.nmant + 1 > 52
        return
    Z = int_form(a, f.shift)
    assert f.sums == [sum(r) for r in Z]
    assert all(abs(x) < 2**52 for r in Z for x in r)
    g = 0
    for r in Z:
        for x in r:
            g = math.gcd(g, x)
    assert g == 0 or g % 2 == 1  # the common power of two was taken out


@settings(max_examples=120, deadline=None)
@given(float_arrays(), float_arrays())
def test_gram_of_stacked_blocks_is_the_integer_gram(a, b):
    fa, fb = float_rows(a), float_rows(b)
    if fa is None or fb is None or a.shape[1] != b.shape[1]:
        return
    Z = int_form(a, fa.shift) + int_form(b, fb.shift)
    assert gram([fa, fb]).exact().tolist() == int_gram(Z)


def relu32(n, d, seed, low=-20):
    rng = np.random.default_rng(seed)
    a = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    a[:, ::97] = np.float32(2.0**low)  # a tiny value in every row: wide integers, large Gram entries
    return a


@pytest.mark.parametrize("d", [2047, 2048, 4500])
def test_several_chunks_and_a_nonzero_quotient(d):
    a = relu32(4, d, d)
    f = float_rows(a)
    G = gram([f])
    want = int_gram(int_form(a, f.shift))
    assert G.exact().tolist() == want
    assert max(abs(x) for r in want for x in r) > math.prod(G.primes[:-2])  # the float part carries leading bits
    assert np.any(G.digits[-2] != 0) or np.any(G.digits[-1] != 0)


def test_cancellation_exact_zeros_and_negative_entries():
    """x . y == 0 exactly while |x| |y| is large: the float product is off, the exact Gram is not."""
    u = relu32(1, 3000, 1)[0]
    v = relu32(1, 3000, 2)[0]
    rows = np.array([np.concatenate([u, u]), np.concatenate([u, -u]), np.concatenate([v, -u]),
                     np.concatenate([-v, u])], dtype=np.float32)
    f = float_rows(rows)
    got = gram([f]).exact().tolist()
    assert got == int_gram(int_form(rows, f.shift))
    assert got[0][1] == 0 and got[2][3] == -got[2][2]


def test_transposed_blocks_and_wide_ranges():
    a = relu32(3, 50, 4)
    f = float_rows(a)
    from symrep.exact.floatgram import FloatRows

    Zt = [list(c) for c in zip(*int_form(a, f.shift))]
    assert gram([FloatRows(a.T, f.shift, [])]).exact().tolist() == int_gram(Zt)
    assert float_rows(np.array([[1e-30, 1.0]], dtype=np.float64)) is None  # beyond 2**52: the caller's general path
    assert float_rows(np.array([[2.0**-20, 1.0]], dtype=np.float32)).shift == 20
    assert float_rows(np.array([[2.0**-30, 1.0]], dtype=np.float32)) is None  # 30 + 24 bits
    z = float_rows(np.zeros((2, 3), dtype=np.float32))
    assert z.shift == 0 and z.sums == [0, 0] and gram([z]).exact().tolist() == [[0, 0], [0, 0]]


# --- exact CKA^2 through the float path --------------------------------------------------------


@st.composite
def cka_pairs(draw):
    """Two representations over the same points: float32 (narrow range), rank-deficient, integer mixes."""
    d = draw(st.integers(2, 7))
    small = st.integers(-6, 6)
    n, m = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    A = draw(st.lists(st.lists(small, min_size=d, max_size=d), min_size=n, max_size=n))
    B = draw(st.lists(st.lists(small, min_size=d, max_size=d), min_size=m, max_size=m))
    shape = draw(st.sampled_from(["random", "rank-one", "shared", "scaled"]))
    if shape == "rank-one":  # every row a multiple of one row
        B = [[c * x for x in B[0]] for c in draw(st.lists(st.integers(-3, 3), min_size=m, max_size=m))]
    elif shape == "shared":  # B repeats A's rows (and their sums): rank-deficient stack
        B = (A + [[x + y for x, y in zip(A[0], A[-1])]])[:m]
    elif shape == "scaled":
        B = [[x * 2**k for x in r] for r, k in zip(B, draw(st.lists(st.integers(-8, 8), min_size=m, max_size=m)))]
    a = np.array(A, dtype=np.float32) * np.float32(draw(st.sampled_from([1.0, 0.375, 2.0**-12])))
    b_kind = draw(st.sampled_from(["float32", "float16", "int64", "list"]))
    b = {"float32": lambda: np.array(B, dtype=np.float32), "float16": lambda: np.array(B, dtype=np.float16),
         "int64": lambda: np.array([[int(x) if float(x).is_integer() else int(x * 256) for x in r] for r in B]),
         "list": lambda: [[F(x) for x in r] for r in B]}[b_kind]()
    return a, b


@settings(max_examples=200, deadline=None)
@given(cka_pairs())
def test_cka_squared_against_the_fraction_formula(pair):
    a, b = pair
    A, B = exact(a), [[F(x) for x in r] for r in (b.tolist() if isinstance(b, np.ndarray) else b)]
    if isinstance(b, np.ndarray) and b.dtype.kind == "f":
        B = exact(b)
    constant = not any(len(set(r)) > 1 for r in A) or not any(len(set(r)) > 1 for r in B)
    if constant:
        with pytest.raises(InputError, match="undefined"):
            cka_squared(a, b)
        return
    want = ref_cka2(A, B)
    assert cka_squared(a, b) == want
    assert hsic_terms(a, b, via="points") == hsic_terms(a, b, via="neurons")


def ref_cka2_ints(A, B) -> Fraction:
    """The same formula with Python integers (Fractions of 2**44-denominators are too slow at d = 3000):
    rows scaled to integers by a common denominator, centred as ``d x - sum(x)`` (CKA^2 is scale-free)."""
    def centred(M):
        L = math.lcm(*(q.denominator for r in M for q in r))
        Z = [[int(q * L) for q in r] for r in M]
        return [[len(r) * x - sum(r) for x in r] for r in Z]

    def fro2_of_gram(X, Y):
        return sum(sum(a * b for a, b in zip(x, y)) ** 2 for x in X for y in Y)

    Ac, Bc = centred(A), centred(B)
    return F(fro2_of_gram(Ac, Bc) ** 2, fro2_of_gram(Ac, Ac) * fro2_of_gram(Bc, Bc))


def test_integer_reference_is_the_fraction_formula():
    a, b = relu32(3, 9, 8), relu32(2, 9, 9)
    assert ref_cka2_ints(exact(a), exact(b)) == ref_cka2(exact(a), exact(b))


@pytest.mark.parametrize("n,m,d", [(3, 2, 3000), (40, 30, 12)])
def test_cka_float_path_at_several_chunks_and_on_the_points_side(n, m, d):
    a, b = relu32(n, d, 5), relu32(m, d, 6, low=-14)
    b[0] = a[0]  # shared neuron
    assert cka_module._float_terms(a, b, "auto") is not None  # this is the float path
    assert cka_squared(a, b) == ref_cka2_ints(exact(a), exact(b))
    assert hsic_terms(a, b) == hsic_terms(a.astype(object), b)  # the general path (Python integers)
    if d < n + m:
        assert hsic_terms(a, b, via="points") == hsic_terms(a, b, via="neurons")


def test_float_path_errors_name_the_side():
    a = np.ones((2, 3), dtype=np.float32)
    a[0, 1] = 2
    bad = a.copy()
    bad[1, 2] = np.inf
    with pytest.raises(InputError, match="B: entry"):
        cka_squared(a, bad)
    with pytest.raises(InputError, match="undefined"):
        cka_squared(a, np.ones((2, 3), dtype=np.float32))


# --- intmat.modular_product led by a float product ---------------------------------------------


@pytest.mark.parametrize("bits,d", [(40, 3000), (51, 700), (30, 2)])
def test_modular_product_led_by_a_float_product(bits, d):
    from symrep.exact import intmat

    rng = np.random.default_rng(bits)
    x = rng.integers(-(2**bits), 2**bits, (5, d))
    y = rng.integers(-(2**bits), 2**bits, (4, d))
    x[1] = -x[0]  # x_0 . x_1 = -|x_0|**2: large; y_0 . x_2 = 0 exactly, against large norms
    half = d // 2
    y[0, :half], y[0, half:2 * half] = x[2, half:2 * half], -x[2, :half]
    if d % 2:
        y[0, -1] = 0
        x[2, -1] = 0
    X, Y = x.astype(object), y.astype(object)
    sym, cross = intmat.modular_product(x), intmat.modular_product(x, y)
    assert sym.exact().tolist() == (X @ X.T).tolist()
    assert cross.exact().tolist() == (X @ Y.T).tolist()
    assert cross.exact()[2, 0] == 0
    if bits >= 40:  # wide products: the float product gives the leading bits (two quotient limbs of base 2**21)
        assert sym.primes[-2:] == (2**21, 2**21) and cross.primes[-2:] == (2**21, 2**21)


# --- the quotient margin M >= 11 E / 5: any float matrix within the declared error gives the exact Gram -------------

@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.integers(2, 40), st.sampled_from([0.0, 0.45, 0.99, 1.0]))
def test_gram_is_exact_for_any_approximation_within_the_declared_bound(seed, d, share):
    """An adversarial F: the exact Gram moved by up to ``share * E`` (signs random), E declared; the primes obey 5M >= 11E."""
    rng = np.random.default_rng(seed)
    a = (rng.integers(-2**20, 2**20, (4, d)) * np.exp2(rng.integers(-9, 9, (4, d)))).astype(np.float32)
    f = float_rows(a)
    # A tiny entry (|k| * 2**-9 with small k) next to one near 2**29 spans more than 52 bits by exponent fields:
    # float_rows then declines (its callers take the exact path), which is its documented contract, not this property.
    assume(f is not None)
    want = int_gram(int_form(a, f.shift))
    N = F(max(max(abs(x) for x in r) for r in want) + 1)
    E = F(int(rng.integers(1, 2**40)))  # far larger than any float error, so the margin is what is tested
    move = np.floor(float(E) * share * rng.choice([-1.0, 1.0], (4, 4)))
    Fm = np.array([[float(x) for x in r] for r in want]) + move  # |Fm - G| <= E (both roundings are below E / 2**12)
    G = gram([f], Fm, (N + E, E + F(N) / 2**50 + 1))
    assert G.exact().tolist() == want
    M = math.prod(G.primes[:-2])
    assert 5 * M >= 11 * E  # the margin the design note proves enough


def test_row_sums_at_the_unreduced_scale():
    from symrep.exact.floatgram import row_sums

    a = np.array([[0.5, 1.5, -0.25], [0.0, 0.0, 0.0], [3.0, 2.0**-10, 1.0]], dtype=np.float32)
    for sums in (True, False):
        f = float_rows(a, sums=sums)
        assert row_sums(f) == [sum(r) for r in int_form(a, f.shift)]
