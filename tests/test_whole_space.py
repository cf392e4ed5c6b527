"""Spans of full column rank (more neurons than points): membership without solving.

``linalg._LAZY_FROM`` is lowered so that small matrices take the shortcut, and
raised so that the same matrices take the general path; both must agree with
each other and with SymPy (``conftest.ref_rank`` / ``ref_in_span``).
"""

from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.exact import linalg
from symrep.exact.linalg import IntRows, Member, NonMember, span_basis
from symrep.measures.matching import maximum_match

from conftest import combine, low_rank_matrices, matrices, ref_in_span, ref_rank, small_ints, sym

F = Fraction


@pytest.fixture
def shortcut(monkeypatch):
    monkeypatch.setattr(linalg, "_LAZY_FROM", 1)


@contextmanager
def lazy_from(k):
    old = linalg._LAZY_FROM
    linalg._LAZY_FROM = k
    try:
        yield
    finally:
        linalg._LAZY_FROM = old


def check_whole(rows, d):
    sb = span_basis(rows, d)
    assert sb.whole_space and sb.rank == d == ref_rank(rows)
    assert sb.pivots == tuple(range(d))
    block = [[rows[i][j] for j in sb.pivots] for i in sb.basis]
    assert sym(block).det() != 0  # the proof: an invertible pivot block with a column for every coordinate
    coeffs = sb.row_coefficients()  # implied rows are solved for on demand, and must reproduce the rows
    for i, row in enumerate(rows):
        assert combine(coeffs[i], rows, d) == tuple(F(x) for x in row)
        assert all(k in sb.basis for k, _ in coeffs[i])
    return sb


@settings(max_examples=80)
@given(data=st.data())
def test_tall_matrices_of_full_column_rank(data):
    with lazy_from(1):
        tall_matrix_case(data)


def tall_matrix_case(data):
    d = data.draw(st.integers(1, 4))
    n = data.draw(st.integers(d, d + 4))
    rows = list(data.draw(matrices(n, d, small_ints)))
    if ref_rank(rows) < d:
        sb = span_basis(rows, d)
        assert not sb.whole_space and sb.rank == ref_rank(rows)
        return
    sb = check_whole(rows, d)
    vecs = data.draw(matrices(3, d, small_ints)) + ((F(0),) * d,)
    answers = sb.express(vecs)
    for v, ans in zip(vecs, answers):
        assert isinstance(ans, Member)
        assert ans.whole_space == any(v)  # zero vectors have no coefficients to solve for
        assert combine(ans.coefficients, rows, d) == tuple(F(x) for x in v)


@settings(max_examples=60)
@given(rows=low_rank_matrices(max_rows=7, max_cols=4, min_rows=4), data=st.data())
def test_shortcut_and_general_path_agree(rows, data):
    d = len(rows[0])
    vecs = data.draw(matrices(3, d, small_ints))
    got = {}
    for lazy in (1, 10**9):
        with lazy_from(lazy):
            sb = span_basis(rows, d)
            answers = sb.express(vecs)
            got[lazy] = (sb.rank, sb.whole_space, [isinstance(a, Member) for a in answers])
            for v, a in zip(vecs, answers):
                if isinstance(a, Member):
                    assert combine(a.coefficients, rows, d) == tuple(F(x) for x in v)
                else:
                    assert isinstance(a, NonMember)
    assert got[1] == got[10**9]
    assert got[1][0] == ref_rank(rows)
    assert got[1][2] == [ref_in_span(v, rows) for v in vecs]


def test_first_rows_dependent_forces_the_elimination(shortcut):
    # The first d rows are dependent (the determinant test fails); the span is still everything.
    rows = [(F(1), F(2), F(0)), (F(2), F(4), F(0)), (F(0), F(0), F(1)), (F(3), F(6), F(5)), (F(0), F(1), F(0))]
    sb = check_whole(rows, 3)
    assert 1 not in sb.basis or 0 not in sb.basis


def test_lazy_member_equality_and_repr(shortcut):
    rows = [(F(1), F(0)), (F(0), F(1)), (F(1), F(1))]
    ans = span_basis(rows, 2).express([(F(2), F(3))])[0]
    assert isinstance(ans, Member) and ans.whole_space
    assert "not yet computed" in repr(ans)
    assert ans == Member(((0, F(2)), (1, F(3)))) or combine(ans.coefficients, rows, 2) == (F(2), F(3))
    assert hash(ans) == hash(Member(ans.coefficients))


def test_more_neurons_than_points_at_scale():
    """200 float32 neurons over 64 points: every neuron is in the other span, with no solve."""
    rng = np.random.default_rng(3)
    a = rng.standard_normal((200, 64)).astype(np.float32)
    b = rng.standard_normal((100, 64)).astype(np.float32)
    assert 64 >= linalg._LAZY_FROM
    sb = span_basis(IntRows.from_array(b))
    assert sb.whole_space and sb.rank == 64 and len(sb.implied) == 36
    answers = sb.express(IntRows.from_array(a))
    assert all(isinstance(x, Member) and x.whole_space for x in answers)
    # the proof, re-checked independently modulo the prime: the pivot block is invertible there
    p = sb.prime
    B = IntRows.from_array(b)
    assert rank_mod([[x % p for x in B.ints[i]] for i in sb.basis], p) == 64


def rank_mod(rows, p):
    """Rank modulo a prime by plain Gaussian elimination (independent of flint)."""
    rows = [list(r) for r in rows]
    rank, ncols = 0, len(rows[0]) if rows else 0
    for c in range(ncols):
        piv = next((i for i in range(rank, len(rows)) if rows[i][c] % p), None)
        if piv is None:
            continue
        rows[rank], rows[piv] = rows[piv], rows[rank]
        inv = pow(rows[rank][c], -1, p)
        top = [x * inv % p for x in rows[rank]]
        rows[rank] = top
        for i in range(len(rows)):
            if i != rank and rows[i][c] % p:
                f = rows[i][c]
                rows[i] = [(x - f * y) % p for x, y in zip(rows[i], top)]
        rank += 1
    return rank


def test_maximum_match_agrees_with_the_general_path():
    rng = np.random.default_rng(5)
    a = rng.integers(-3, 4, (9, 5))
    b = rng.integers(-3, 4, (7, 5))
    b[0] = 0
    out = []
    for lazy in (1, 10**9):
        with lazy_from(lazy):
            m = maximum_match(a, b)
            out.append((m.x, m.y, m.x_in_y, m.y_in_x))
    assert out[0][:2] == out[1][:2]
    assert out[0][:2] == (tuple(range(9)), tuple(range(7))) or ref_rank(a.tolist()) < 5 or ref_rank(b.tolist()) < 5
    for x, coeffs in out[0][2]:  # coefficients from the shortcut reproduce each neuron
        assert combine(coeffs, [tuple(F(int(t)) for t in r) for r in b], 5) == tuple(F(int(t)) for t in a[x])
