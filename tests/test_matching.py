"""Exact subspace match: the maximum match, its removal trace, and exact matches of subsets."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import Subspace, exact_match, is_exact_match, match_similarity, maximum_match
from symrep.errors import InputError, ShapeError
from symrep.exact import as_matrix

from conftest import combine, dense, dot, layer_pairs, ref_same_span, small_fractions, subsets

F = Fraction


def replay_removals(A, B, m):
    """Replay the removal trace: each witness is orthogonal to everything the other side still had."""
    d = len(A[0])
    X, Y = set(range(len(A))), set(range(len(B)))
    last_round, last_side = 0, "x"
    for r in m.removals:
        assert (r.round, r.side) >= (last_round, last_side), "removals are recorded in order"
        last_round, last_side = r.round, r.side
        assert r.side in ("x", "y")
        mine, other, keep = (A, B, Y) if r.side == "x" else (B, A, X)
        assert r.neuron in (X if r.side == "x" else Y), "a neuron is removed once, while still present"
        w = dense(r.orthogonal, d)
        assert all(isinstance(c, int) for _, c in r.orthogonal)
        assert all(dot(w, other[j]) == 0 for j in keep)
        assert r.product != 0 and dot(w, mine[r.neuron]) == r.product
        (X if r.side == "x" else Y).discard(r.neuron)
    return X, Y


def check_maximum_match(A, B):
    m = maximum_match(A, B)
    A, B = as_matrix(A), as_matrix(B)
    d = len(A[0])
    X, Y = replay_removals(A, B, m)
    assert (m.x, m.y) == (tuple(sorted(X)), tuple(sorted(Y)))
    assert (m.width_x, m.width_y) == (len(A), len(B))
    # The result is a match, with coefficients that reproduce each vector from the other side.
    assert is_exact_match(A, B, m.x, m.y)
    assert [i for i, _ in m.x_in_y] == list(m.x) and [j for j, _ in m.y_in_x] == list(m.y)
    for i, cs in m.x_in_y:
        assert all(j in m.y for j, _ in cs)
        assert combine(cs, B, d) == A[i]
    for j, cs in m.y_in_x:
        assert all(i in m.x for i, _ in cs)
        assert combine(cs, A, d) == B[j]
    # Zero neurons are in every span: always matched, and listed.
    assert m.zero_x == tuple(i for i in range(len(A)) if not any(A[i]))
    assert m.zero_y == tuple(j for j in range(len(B)) if not any(B[j]))
    assert m.similarity == F(len(m.x) + len(m.y), len(A) + len(B)) == match_similarity(A, B)
    assert m.empty == (not m.x and not m.y)
    return m


@settings(max_examples=150)
@given(layer_pairs())
def test_maximum_match_is_a_match_and_its_trace_is_a_proof(pair):
    check_maximum_match(*pair)


@settings(max_examples=60)
@given(layer_pairs(max_neurons=4, max_points=3))
def test_maximum_match_contains_every_match_found_by_brute_force(pair):
    A, B = pair
    m = maximum_match(A, B)
    d = len(A[0])
    found = 0
    span_a = {x: Subspace.span([A[i] for i in x], d) for x in subsets(len(A))}
    span_b = {y: Subspace.span([B[j] for j in y], d) for y in subsets(len(B))}
    for x, U in span_a.items():
        for y, V in span_b.items():
            if U == V:
                found += 1
                assert set(x) <= set(m.x) and set(y) <= set(m.y)
    assert found >= 1  # (empty, empty) at least
    # ... and the maximum match is itself among them: the union of all matches.
    assert span_a[m.x] == span_b[m.y]


@settings(max_examples=40)
@given(layer_pairs(max_neurons=3, max_points=3))
def test_is_exact_match_agrees_with_sympy_on_every_subset_pair(pair):
    A, B = pair
    for x in subsets(len(A)):
        for y in subsets(len(B)):
            expected = ref_same_span([A[i] for i in x], [B[j] for j in y], len(A[0]))
            assert is_exact_match(A, B, x, y) == expected


@settings(max_examples=100)
@given(layer_pairs())
def test_maximum_match_is_symmetric(pair):
    A, B = pair
    m, s = maximum_match(A, B), maximum_match(B, A)
    assert (s.x, s.y) == (m.y, m.x)
    assert (s.zero_x, s.zero_y) == (m.zero_y, m.zero_x)
    assert s.similarity == m.similarity


@settings(max_examples=100)
@given(layer_pairs(), st.data())
def test_maximum_match_is_invariant_under_permuting_and_rescaling_neurons(pair, data):
    A, B = pair
    perm = data.draw(st.permutations(range(len(A))))
    scales = data.draw(st.lists(small_fractions.filter(bool), min_size=len(A), max_size=len(A)))
    A2 = tuple(tuple(scales[k] * x for x in A[perm[k]]) for k in range(len(A)))  # neuron k of A2 is perm[k] of A
    m, m2 = maximum_match(A, B), maximum_match(A2, B)
    assert m2.y == m.y
    assert m2.x == tuple(sorted(k for k in range(len(A)) if perm[k] in m.x))


@settings(max_examples=100)
@given(layer_pairs())
def test_a_layer_matches_itself_and_any_spanning_copy_fully(pair):
    A, _ = pair
    m = maximum_match(A, A)
    assert m.x == m.y == tuple(range(len(A))) and m.similarity == 1 and not m.removals
    doubled = tuple(tuple(2 * x for x in r) for r in A) + A
    assert maximum_match(A, doubled).similarity == 1


@settings(max_examples=100)
@given(layer_pairs(), st.data())
def test_exact_match_failure_witness(pair, data):
    A, B = pair
    x = data.draw(st.sets(st.integers(0, len(A) - 1)))
    y = data.draw(st.sets(st.integers(0, len(B) - 1)))
    e = exact_match(A, B, x, y)
    d = len(A[0])
    assert (e.x, e.y) == (tuple(sorted(x)), tuple(sorted(y)))
    assert e.holds == ref_same_span([A[i] for i in x], [B[j] for j in y], d)
    if e.holds:
        assert e.failure is None
        for i, cs in e.x_in_y:
            assert all(j in y for j, _ in cs) and combine(cs, B, d) == A[i]
        for j, cs in e.y_in_x:
            assert all(i in x for i, _ in cs) and combine(cs, A, d) == B[j]
    else:
        f = e.failure
        mine, other, keep = (A, B, y) if f.side == "x" else (B, A, x)
        assert f.neuron in (x if f.side == "x" else y)
        w = dense(f.orthogonal, d)
        assert all(dot(w, other[j]) == 0 for j in keep)
        assert f.product != 0 and dot(w, mine[f.neuron]) == f.product


# --- examples, zero neurons, accepted input forms, errors ------------------------------------


def test_example_3_1_hidden_layer():
    A = [[1, 0], [1, 0]]  # f: both hidden neurons give [1, 0]
    B = [[1, 0], [0, 1]]  # f~
    m = check_maximum_match(A, B)
    assert (m.x, m.y, m.similarity) == ((0, 1), (0,), F(3, 4))
    assert [(r.side, r.neuron) for r in m.removals] == [("y", 1)]
    m = check_maximum_match([[1, 0], [1, 0]], [[0, 1], [0, 1]])  # the one-sign correction
    assert m.empty and m.similarity == 0 and len(m.removals) == 4


def test_zero_neurons_always_match_and_are_reported():
    A = [[0, 0, 0], [1, 2, 3]]
    B = [[0, 0, 0], [0, 0, 0], [3, 2, 1]]
    m = check_maximum_match(A, B)
    assert (m.x, m.y) == ((0,), (0, 1))
    assert (m.zero_x, m.zero_y) == ((0,), (0, 1))
    assert not m.empty
    assert is_exact_match(A, B, [0], [])  # span{0} = span{} = {0}


def test_removals_can_cascade_over_several_rounds():
    # Dropping y2 removes x1's support, which removes y1's support.
    A = [[1, 0, 0], [0, 1, 0]]
    B = [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    m = check_maximum_match(A, B)
    assert (m.x, m.y) == ((0,), (0,))
    assert max(r.round for r in m.removals) >= 2


def test_accepts_sympy_matrices_and_text():
    A = [[1, 0], [2, 0]]
    B = [[F(1, 3), 0], [0, 1]]
    ref = maximum_match(A, B)
    for a, b in [
        (sympy.Matrix(A), sympy.Matrix([[sympy.Rational(1, 3), 0], [0, 1]])),
        ([["1", "0"], ["2.0", "0"]], [["1/3", "0"], ["0", "1"]]),
        ([[1.0, 0.0], [2.0, -0.0]], B),
    ]:
        m = maximum_match(a, b)
        assert (m.x, m.y) == (ref.x, ref.y)
    assert (ref.x, ref.y) == ((0, 1), (0,))


def test_floats_are_exact_so_rounding_does_not_create_a_match():
    # 0.1 + 0.2 != 0.3 in binary: the vector [0.3] is not the float sum of [0.1] and [0.2] here.
    A = [[0.1, 0.2], [0.2, 0.1]]
    B = [[0.1 + 0.2, 0.3]]
    assert not is_exact_match(A, B, [0, 1], [0])
    assert maximum_match(A, B).y == ()
    assert is_exact_match([["0.1", "0.2"], ["0.2", "0.1"]], [["0.3", "0.3"]], [], []) is True


def test_errors():
    with pytest.raises(ShapeError, match="same data"):
        maximum_match([[1, 2]], [[1, 2, 3]])
    with pytest.raises(ShapeError, match="at least one neuron"):
        maximum_match([], [[1]])
    with pytest.raises(InputError, match="not between 0 and 1"):
        exact_match([[1], [2]], [[1]], x=[2])
    with pytest.raises(InputError, match="not between"):
        exact_match([[1], [2]], [[1]], x=[-1])
    with pytest.raises(InputError, match="not between"):
        exact_match([[1], [2]], [[1]], y=[True])
    with pytest.raises(InputError, match="twice"):
        exact_match([[1], [2]], [[1]], x=[0, 0])
    with pytest.raises(InputError, match="not a finite"):
        maximum_match([[float("nan")]], [[1]])

