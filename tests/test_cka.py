"""Exact CKA squared from exact integer Grams, against a Fraction-only reference written here."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.errors import InputError
from symrep.exact.linalg import IntRows
from symrep.measures import equivalence
from symrep.measures.cka import cka_squared, hsic_terms

from conftest import matrices, small_fractions


def ref_cka2(A, B) -> Fraction:
    """Linear CKA^2 by the textbook formula, one Fraction per entry (independent of symrep)."""
    def centred(M):
        M = [[Fraction(x) for x in r] for r in M]
        return [[x - sum(r, Fraction(0)) / len(r) for x in r] for r in M]

    def gram(X, Y):
        return [[sum((a * b for a, b in zip(x, y)), Fraction(0)) for y in Y] for x in X]

    def fro2(M):
        return sum((x * x for r in M for x in r), Fraction(0))

    Ac, Bc = centred(A), centred(B)
    return fro2(gram(Ac, Bc)) ** 2 / (fro2(gram(Ac, Ac)) * fro2(gram(Bc, Bc)))


def exact_rows(a):
    return [[Fraction(*float(x).as_integer_ratio()) for x in r] for r in a]


@settings(max_examples=120)
@given(st.data())
def test_rational_inputs_agree_with_the_reference(data):
    d = data.draw(st.integers(2, 6))
    A = data.draw(matrices(data.draw(st.integers(1, 4)), d, small_fractions))
    B = data.draw(matrices(data.draw(st.integers(1, 4)), d, small_fractions))
    if not any(len(set(r)) > 1 for r in A) or not any(len(set(r)) > 1 for r in B):
        with pytest.raises(InputError, match="undefined"):
            cka_squared(A, B)
        return
    want = ref_cka2(A, B)
    assert cka_squared(A, B) == want
    assert equivalence.cka_squared(A, B) == want  # the ladder's name delegates here
    assert cka_squared(IntRows.of(A), IntRows.of(B)) == want


@pytest.mark.parametrize("seed", range(6))
def test_float32_inputs_agree_with_the_reference(seed):
    rng = np.random.default_rng(seed)
    n, m, d = rng.integers(1, 6), rng.integers(1, 6), rng.integers(2, 30)
    a = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    b = (rng.standard_normal((m, d)) * np.exp(rng.uniform(-20, 20, (m, d)))).astype(np.float32)  # wide exponents
    a[0, 0] = 1.0  # never constant
    want = ref_cka2(exact_rows(a), exact_rows(b))
    assert cka_squared(a, b) == want
    assert cka_squared(a.astype(np.float64), b.astype(np.float64)) == want  # float32 -> float64 is exact
    assert cka_squared(IntRows.from_array(a), IntRows.from_array(b)) == want  # per-row scales
    assert cka_squared(a, b) == cka_squared(b, a)


def test_float64_with_huge_exponent_range_uses_python_integers():
    a = np.array([[1e300, 1e-300, 2.0, 0.0], [5e-324, 1.0, -1.0, 3.0]])
    b = np.array([[1.0, 2.0, 4.0, 8.0]])
    assert cka_squared(a, b) == ref_cka2(exact_rows(a), exact_rows(b))


def test_integer_arrays_and_larger_sizes():
    rng = np.random.default_rng(7)
    a = rng.integers(-(2**40), 2**40, (6, 120))
    b = rng.integers(-3, 4, (4, 120))
    want = ref_cka2(a.tolist(), b.tolist())
    assert cka_squared(a, b) == want == cka_squared(a.tolist(), b.tolist())


def test_known_values():
    assert cka_squared([[1, 2, 3]], [[2, 4, 6]]) == 1
    assert cka_squared([[1, 2, 3]], [[-5, 0, 7]]) == ref_cka2([[1, 2, 3]], [[-5, 0, 7]])
    # an orthogonal change of the neurons leaves CKA unchanged (by construction)
    A = [[1, 2, 0, 5], [3, -1, 2, 0]]
    Q = [[Fraction(3, 5), Fraction(4, 5)], [Fraction(-4, 5), Fraction(3, 5)]]
    QA = [[sum(Q[i][k] * A[k][j] for k in range(2)) for j in range(4)] for i in range(2)]
    B = [[0, 1, 1, 2]]
    assert cka_squared(QA, B) == cka_squared(A, B)
    assert cka_squared(A, A) == 1


def test_hsic_terms_are_scaled_squared_norms():
    A, B = [[1, 2, 4]], [[0, 0, 3], [1, 0, 0]]
    d = 3
    s_ab, s_aa, s_bb = hsic_terms(A, B)

    def c(M):
        return [[Fraction(x) - Fraction(sum(r), d) for x in r] for r in M]

    def f2(X, Y):
        return sum((sum((a * b for a, b in zip(x, y)), Fraction(0)) ** 2 for x in X for y in Y), Fraction(0))

    assert (s_ab, s_aa, s_bb) == (d**2 * f2(c(A), c(B)), d**2 * f2(c(A), c(A)), d**2 * f2(c(B), c(B)))


def test_errors():
    with pytest.raises(InputError, match="undefined"):
        cka_squared([[1, 1, 1]], [[1, 2, 3]])
    with pytest.raises(InputError):
        cka_squared([[1, 2]], [[1, 2, 3]])
    with pytest.raises(InputError):
        cka_squared([], [[1, 2, 3]])
    with pytest.raises(InputError, match="NaN"):
        cka_squared(np.array([[1.0, np.nan]]), np.array([[1.0, 2.0]]))


@settings(max_examples=40)
@given(st.data())
def test_neuron_and_point_grams_give_the_same_terms(data):
    d = data.draw(st.integers(2, 7))
    A = data.draw(matrices(data.draw(st.integers(1, 6)), d, small_fractions))
    B = data.draw(matrices(data.draw(st.integers(1, 6)), d, small_fractions))
    n = hsic_terms(A, B, via="neurons")
    assert n == hsic_terms(A, B, via="points") == hsic_terms(A, B)
    if n[1] and n[2]:
        assert Fraction(n[0] ** 2, n[1] * n[2]) == ref_cka2(A, B)


def test_more_neurons_than_points_uses_point_grams_exactly():
    rng = np.random.default_rng(11)
    a = np.maximum(rng.standard_normal((40, 6)), 0).astype(np.float32)
    b = rng.standard_normal((30, 6)).astype(np.float32)
    a[0, 0] = 2.0
    want = ref_cka2(exact_rows(a), exact_rows(b))
    assert cka_squared(a, b) == want
    assert hsic_terms(a, b, via="points") == hsic_terms(a, b, via="neurons")
    with pytest.raises(InputError):
        hsic_terms(a, b, via="columns")
