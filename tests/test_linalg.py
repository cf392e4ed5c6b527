"""Exact linear algebra: proved bases, membership proofs, rank and rref against SymPy.

The modular fast path is attacked on purpose: entries and minors divisible by the
primes in ``linalg._PRIMES`` make the candidate rank modulo those primes too small,
and the exact verification must notice and recover.
"""

from __future__ import annotations

from fractions import Fraction
from math import prod

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.exact import linalg
from symrep.exact.linalg import Member, NonMember, kernel, matmul, rank, rref, span_basis

from conftest import any_matrices, combine, dense, dot, low_rank_matrices, mat_mul, matrices, ref_in_span, ref_rank, small_fractions, sym

F = Fraction
P0, P1, P2, P3 = linalg._PRIMES
P_ALL = prod(linalg._PRIMES)


def check_span_basis(rows, d):
    """Every promise of SpanBasis, multiplied out with plain Fractions."""
    sb = span_basis(rows, d)
    r = sb.rank
    assert sb.ncols == d
    assert len(sb.basis) == len(sb.pivots) == len(sb.inverse) == r
    assert list(sb.basis) == sorted(set(sb.basis)) and all(0 <= i < len(rows) for i in sb.basis)
    assert list(sb.pivots) == sorted(set(sb.pivots)) and all(0 <= j < d for j in sb.pivots)
    # The pivot block of the basis rows is invertible: inverse @ block == block @ inverse == I.
    block = tuple(tuple(F(rows[i][j]) for j in sb.pivots) for i in sb.basis)
    eye = tuple(tuple(F(int(a == b)) for b in range(r)) for a in range(r))
    assert mat_mul(sb.inverse, block) == eye
    assert mat_mul(block, sb.inverse) == eye
    # Every row is reproduced exactly by its Member coefficients over the basis rows.
    answers = sb.express(rows) if rows else []
    for row, ans in zip(rows, answers):
        assert isinstance(ans, Member)
        assert all(i in sb.basis and c != 0 for i, c in ans.coefficients)
        assert combine(ans.coefficients, rows, d) == tuple(F(x) for x in row)
    return sb


# --- span_basis: a basis with its own proof ---------------------------------------------------


@settings(max_examples=150)
@given(any_matrices())
def test_span_basis_is_a_proved_basis_and_rank_agrees_with_sympy(md):
    rows, d = md
    sb = check_span_basis(rows, d)
    assert sb.rank == ref_rank(rows) == rank(rows, d)


@settings(max_examples=100)
@given(any_matrices(max_rows=4, max_cols=4), st.lists(st.lists(small_fractions, min_size=4, max_size=4), max_size=4))
def test_express_members_and_non_members(md, raw_vectors):
    rows, d = md
    # Vectors to test: random ones, the rows themselves, and combinations of rows (members).
    vectors = [tuple(v[:d]) for v in raw_vectors] + list(rows)
    if rows:
        vectors.append(tuple(F(2) * a - F(1, 3) * b for a, b in zip(rows[0], rows[-1])))
    sb = span_basis(rows, d)
    for v, ans in zip(vectors, sb.express(vectors), strict=True):
        if isinstance(ans, Member):
            assert combine(ans.coefficients, rows, d) == v
            assert ref_in_span(v, rows)
        else:
            assert isinstance(ans, NonMember)
            w = dense(ans.orthogonal, d)
            assert all(isinstance(x, int) and x != 0 for _, x in ans.orthogonal)
            assert all(dot(w, row) == 0 for row in rows)  # orthogonal to every row, so to the span
            assert ans.product != 0 and dot(w, v) == ans.product
            assert not ref_in_span(v, rows)


def test_express_rejects_vectors_of_the_wrong_length():
    sb = span_basis([(F(1), F(0))])
    with pytest.raises(ValueError, match="length 3"):
        sb.express([(F(1), F(0), F(0))])
    assert sb.express([]) == []


def test_empty_and_zero_spans():
    sb = span_basis([], 3)
    assert (sb.rank, sb.ncols, sb.basis, sb.pivots) == (0, 3, (), ())
    ans = sb.express([(F(0), F(0), F(0)), (F(0), F(5), F(1))])
    assert ans[0] == Member(())
    assert isinstance(ans[1], NonMember) and ans[1].product != 0
    assert dot(dense(ans[1].orthogonal, 3), (0, 5, 1)) == ans[1].product
    zeros = ((F(0), F(0)), (F(0), F(0)))
    assert span_basis(zeros).rank == 0
    assert span_basis(zeros).express(zeros) == [Member(()), Member(())]
    assert rank([], 4) == 0
    assert span_basis([(), ()]).rank == 0  # zero columns


def test_doctest_example_values():
    sb = span_basis([(F(1), F(2)), (F(2), F(4)), (F(0), F(1))])
    assert (sb.basis, sb.pivots, sb.rank) == ((0, 2), (0, 1), 2)


# --- adversarial input for the modular path ---------------------------------------------------


def _spy_on_fallback(monkeypatch):
    """Record calls of the prime-free exact fallback, when the module has one (an internal detail)."""
    calls = []
    real = getattr(linalg, "_exact_basis", None)
    if real is not None:

        def spy(*args, **kwargs):
            calls.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(linalg, "_exact_basis", spy)
    return calls if real is not None else None


def test_linalg_computes_with_python_flint():
    import flint

    assert linalg.flint is flint  # the one module that talks to flint really does
    rows = ((F(1), F(2), F(3)), (F(4), F(5), F(6)), (F(7), F(8), F(9)))
    assert check_span_basis(rows, 3).rank == 2 == ref_rank(rows)


@pytest.mark.parametrize("p", linalg._PRIMES)
def test_minor_divisible_by_one_prime(p):
    # det [[1, 1], [1, 1 + p]] = p: modulo p the rank is 1, over Q it is 2.
    rows = ((F(1), F(1)), (F(1), F(1 + p)))
    sb = check_span_basis(rows, 2)
    assert sb.rank == 2
    rows = ((F(p), F(0), F(0)), (F(0), F(1), F(1)), (F(p), F(1), F(1)))  # a column that vanishes mod p
    assert check_span_basis(rows, 3).rank == 2


def test_minor_divisible_by_every_prime_forces_the_exact_fallback(monkeypatch):
    fallback = _spy_on_fallback(monkeypatch)
    rows = ((F(1), F(1), F(0)), (F(1), F(1 + P_ALL), F(0)), (F(2), F(2 + P_ALL), F(0)))
    sb = check_span_basis(rows, 3)
    assert sb.rank == 2 == ref_rank(rows)
    if fallback is not None:
        assert fallback, "every prime divides the minor: the exact fallback must have decided"
    (v,) = [(F(0), F(1), F(0))]
    assert isinstance(sb.express([v])[0], Member)
    out = sb.express([(F(0), F(0), F(1))])[0]
    assert isinstance(out, NonMember) and all(dot(dense(out.orthogonal, 3), r) == 0 for r in rows)


def test_fallback_also_verifies_rows_scaled_by_fractions(monkeypatch):
    fallback = _spy_on_fallback(monkeypatch)
    rows = ((F(1, 3), F(1, 3)), (F(1, 7), F(1 + P_ALL, 7)))
    assert check_span_basis(rows, 2).rank == 2
    assert fallback is None or fallback


prime_multiples = st.builds(lambda k, p: F(k * p), st.integers(-2, 2), st.sampled_from(linalg._PRIMES + (P0 * P1, P_ALL)))
adversarial_entries = st.one_of(small_fractions, prime_multiples, st.builds(lambda p, k: F(1 + k * p), st.sampled_from(linalg._PRIMES), st.integers(-1, 1)))


@pytest.mark.slow
@settings(max_examples=150)
@given(st.integers(1, 4), st.integers(0, 4), st.data())
def test_rank_with_prime_multiples_agrees_with_sympy(d, n, data):
    rows = data.draw(matrices(n, d, adversarial_entries))
    assert check_span_basis(rows, d).rank == ref_rank(rows)


@pytest.mark.slow
@settings(max_examples=100)
@given(st.sampled_from(linalg._PRIMES + (P_ALL,)), st.integers(-3, 3), st.integers(-3, 3), st.integers(1, 3), matrices(2, 2, st.integers(-2, 2)))
def test_embedded_singular_mod_p_minor(p, b, c, k, extra):
    # [[1, b], [c, b c + k p]] has determinant k p; extra rows are combinations of it.
    top = ((F(1), F(b)), (F(c), F(b * c + k * p)))
    rows = top + tuple(tuple(x * top[0][j] + y * top[1][j] for j in range(2)) for x, y in extra)
    rows = tuple(r + (r[0] + r[1],) for r in rows)  # a third, dependent column
    sb = check_span_basis(rows, 3)
    assert sb.rank == 2 == ref_rank(rows)


@settings(max_examples=100)
@given(any_matrices(max_rows=4, max_cols=4), st.integers(30, 80), st.integers(1, 10**6))
def test_huge_denominators_and_numerators(md, e, k):
    rows, d = md
    big = tuple(tuple(x * F(10**e + k, 10**e + 2 * k + 1) + (F(1, 10**e + k) if x else 0) for x in r) for r in rows)
    sb = check_span_basis(big, d)
    assert sb.rank == ref_rank(big)


# --- rank, rref, kernel, matmul against SymPy ----------------------------------------------


@pytest.mark.slow
@settings(max_examples=100)
@given(any_matrices())
def test_rref_agrees_with_sympy(md):
    rows, d = md
    R, pivots = rref(rows, d)
    if not rows:
        assert (R, pivots) == ((), ())
        return
    S, spivots = sym(rows).rref()
    assert pivots == tuple(spivots)
    expected = tuple(tuple(F(int(S[i, j].p), int(S[i, j].q)) for j in range(d)) for i in range(len(spivots)))
    assert R == expected


@pytest.mark.slow
@settings(max_examples=100)
@given(low_rank_matrices(max_rows=5, max_cols=5, min_rows=1))
def test_rank_of_products_is_at_most_the_inner_dimension_and_agrees_with_sympy(rows):
    assert rank(rows) == ref_rank(rows)


@pytest.mark.slow
@settings(max_examples=100)
@given(any_matrices())
def test_kernel_is_the_orthogonal_complement(md):
    rows, d = md
    K = kernel(rows, d)
    assert len(K) == d - ref_rank(rows)
    assert all(dot(w, r) == 0 for w in K for r in rows)
    assert ref_rank(K) == len(K)  # independent


@pytest.mark.slow
@settings(max_examples=100)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 4), st.data())
def test_matmul_agrees_with_sympy(n, k, m, data):
    a = data.draw(matrices(n, k))
    b = data.draw(matrices(k, m))
    got = matmul(a, b)
    assert got == mat_mul(a, b)
    if m:
        S = sym(a) * sym(b)
        assert got == tuple(tuple(F(int(S[i, j].p), int(S[i, j].q)) for j in range(m)) for i in range(n))


def test_matmul_shape_errors():
    with pytest.raises(ValueError, match="cannot multiply"):
        matmul(((F(1), F(2)),), ((F(1),),))
    assert matmul((), ((F(1),),)) == ()
