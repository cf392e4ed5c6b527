"""Subspaces as canonical values, and explicit isomorphisms that can be multiplied out."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import Subspace, isomorphism
from symrep.errors import ShapeError

from conftest import any_matrices, dot, mat_mul, matrices, positive_fractions, ref_in_span, ref_rank, ref_same_span, small_fractions, small_ints

F = Fraction


@st.composite
def spanning_sets(draw, d=None, max_rows=4):
    d = d if d is not None else draw(st.integers(1, 4))
    n = draw(st.integers(0, max_rows))
    kind = draw(st.sampled_from(["dense", "sparse"]))
    elements = small_fractions if kind == "dense" else st.sampled_from([F(0), F(0), F(1), F(-1), F(2)])
    return draw(matrices(n, d, elements)), d


@st.composite
def pairs_of_spanning_sets(draw):
    d = draw(st.integers(1, 4))
    return draw(spanning_sets(d)), draw(spanning_sets(d)), d


@pytest.mark.slow
@settings(max_examples=100)
@given(spanning_sets(), st.data())
def test_equality_is_structural_for_any_spanning_set_of_the_same_span(sd, data):
    rows, d = sd
    U = Subspace.span(rows, d)
    # Permute, rescale by non-zero numbers, and add combinations of the rows (and a zero row).
    perm = data.draw(st.permutations(rows))
    scales = data.draw(st.lists(small_fractions.filter(bool), min_size=len(rows), max_size=len(rows)))
    other = [tuple(c * x for x in r) for c, r in zip(scales, perm)]
    for _ in range(data.draw(st.integers(0, 2))):
        cs = data.draw(st.lists(small_ints, min_size=len(rows), max_size=len(rows)))
        other.append(tuple(sum((F(c) * r[j] for c, r in zip(cs, rows)), F(0)) for j in range(d)))
    other.append((F(0),) * d)
    V = Subspace.span(other, d)
    assert U == V and hash(U) == hash(V)
    assert U.dimension == V.dimension == ref_rank(rows)
    # The basis is the reduced row echelon form: leading 1s, zeros above and below them.
    for i, b in enumerate(U.basis):
        lead = next(j for j, x in enumerate(b) if x != 0)
        assert b[lead] == 1
        assert all(U.basis[k][lead] == 0 for k in range(U.dimension) if k != i)


@pytest.mark.slow
@settings(max_examples=100)
@given(pairs_of_spanning_sets())
def test_equality_agrees_with_sympy_rank_test(pair):
    (A, _), (B, _), d = pair
    assert (Subspace.span(A, d) == Subspace.span(B, d)) == ref_same_span(A, B, d)


@settings(max_examples=100)
@given(spanning_sets(), st.lists(small_fractions, min_size=4, max_size=4))
def test_membership_agrees_with_sympy(sd, v):
    rows, d = sd
    v = tuple(v[:d])
    U = Subspace.span(rows, d)
    assert (v in U) == ref_in_span(v, rows)
    assert all(r in U for r in rows)
    assert (F(0),) * d in U


@pytest.mark.slow
@settings(max_examples=100)
@given(pairs_of_spanning_sets())
def test_sum_and_intersection_dimensions(pair):
    (A, _), (B, _), d = pair
    U, V = Subspace.span(A, d), Subspace.span(B, d)
    S, I = U + V, U & V
    assert S.dimension + I.dimension == U.dimension + V.dimension
    assert S.dimension == ref_rank(list(A) + list(B))
    assert U <= S and V <= S and I <= U and I <= V
    assert S == Subspace.span(list(A) + list(B), d)
    # Every intersection basis vector lies in both spans (checked with SymPy).
    assert all(ref_in_span(b, A) and ref_in_span(b, B) for b in I.basis)
    # Commutative, idempotent, absorbing.
    assert U + V == V + U and U & V == V & U
    assert U + U == U and U & U == U
    assert U & (U + V) == U and U + (U & V) == U


@settings(max_examples=100)
@given(spanning_sets())
def test_orthogonal_complement(sd):
    rows, d = sd
    U = Subspace.span(rows, d)
    C = U.complement()
    assert U.dimension + C.dimension == d
    assert all(dot(u, c) == 0 for u in U.basis for c in C.basis)
    assert C.complement() == U
    assert (U & C).dimension == 0 and (U + C).dimension == d


def test_le_and_containment_examples():
    line = Subspace.span([[1, 1, 0]])
    plane = Subspace.span([[1, 0, 0], [0, 1, 0]])
    assert line <= plane and not plane <= line
    assert not Subspace.span([[1, 0, 1]]) <= plane
    zero = Subspace.span([], 3)
    assert zero.dimension == 0 and zero <= line and zero == line & Subspace.span([[0, 0, 1]])


def test_span_errors():
    with pytest.raises(ShapeError, match="ambient"):
        Subspace.span([])
    with pytest.raises(ShapeError, match="expected 3"):
        Subspace.span([[1, 2]], 3)
    U = Subspace.span([[1, 2]])
    with pytest.raises(ShapeError, match="dimension 2"):
        [1, 2, 3] in U  # noqa: B015
    with pytest.raises(ShapeError):
        U + Subspace.span([[1, 2, 3]])
    with pytest.raises(ShapeError):
        U & Subspace.span([[1, 2, 3]])
    with pytest.raises(TypeError):
        U + [[1, 2]]  # type: ignore[operator]


def test_subspace_reads_numbers_exactly():
    assert Subspace.span([["0.1", "0.2"]]) == Subspace.span([[1, 2]])
    assert Subspace.span([["0.1", "0.3"]]) == Subspace.span([[1, 3]])
    assert Subspace.span([[0.1, 0.3]]) != Subspace.span([[1, 3]])  # binary floats: 0.3 is not 3 * 0.1
    assert [F(1, 10), F(1, 5)] in Subspace.span([["1/2", "1"]])


# --- isomorphisms: a map and its inverse, multiplied out -----------------------------------


def _rows_at(M, idx):
    return tuple(M[i] for i in idx)


def _map(rows, sparse_rows, matrix):
    """Apply ``v -> v[sparse_rows] @ matrix`` to each row, with plain Fractions."""
    if not sparse_rows:
        return tuple(() for _ in rows)
    return mat_mul(tuple(tuple(r[i] for i in sparse_rows) for r in rows), matrix)


@pytest.mark.slow
@settings(max_examples=100)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_isomorphism_is_an_explicit_invertible_map(da, db, data):
    A, _ = data.draw(any_matrices(max_rows=4, min_rows=1, min_cols=da, max_cols=da))
    B, _ = data.draw(any_matrices(max_rows=4, min_rows=1, min_cols=db, max_cols=db))
    iso = isomorphism(A, B)
    ra, rb = ref_rank(A), ref_rank(B)
    if ra != rb:
        assert iso is None
        return
    assert iso is not None
    assert len(iso.source) == len(iso.target) == ra
    assert ref_rank(_rows_at(A, iso.source)) == ra and ref_rank(_rows_at(B, iso.target)) == rb
    if ra == 0:
        assert iso.apply(A[0]) == (0,) * da
        return
    # A[source] @ M == B[target] and B[target] @ N == A[source], multiplied out.
    assert _map(_rows_at(A, iso.source), iso.forward_rows, iso.forward) == _rows_at(B, iso.target)
    assert _map(_rows_at(B, iso.target), iso.backward_rows, iso.backward) == _rows_at(A, iso.source)
    # The map is linear on span(A), lands in span(B), and the inverse undoes it on every row.
    for row in A:
        image = iso.apply(row)
        assert ref_in_span(image, B)
        assert iso.apply_inverse(image) == row
    for row in B:
        assert iso.apply(iso.apply_inverse(row)) == row
    cs = data.draw(st.lists(small_ints, min_size=len(A), max_size=len(A)))
    v = tuple(sum((F(c) * r[j] for c, r in zip(cs, A)), F(0)) for j in range(da))
    assert iso.apply(v) == tuple(sum((F(c) * x[j] for c, x in zip(cs, map(iso.apply, A))), F(0)) for j in range(db))


def test_isomorphism_examples():
    iso = isomorphism([[1, 0], [1, 0]], [[0, 2], [0, 1]])
    assert iso.apply([3, 0]) == (0, 6)
    assert iso.apply_inverse([0, 6]) == (3, 0)
    assert isomorphism([[1, 0], [1, 0]], [[1, 0], [0, 1]]) is None  # a line and a plane
    z = isomorphism([[0, 0]], [[0, 0, 0]])
    assert z is not None and z.source == z.target == ()
    # Isomorphic but not equal: both lines, different lines.
    assert isomorphism([[1, 0]], [[0, 1]]) is not None
    assert Subspace.span([[1, 0]]) != Subspace.span([[0, 1]])


@settings(max_examples=50)
@given(spanning_sets(), st.data())
def test_isomorphism_of_a_rescaled_spanning_set_has_equal_spans(sd, data):
    rows, d = sd
    if not rows:
        return
    scales = data.draw(st.lists(positive_fractions, min_size=len(rows), max_size=len(rows)))
    other = tuple(tuple(c * x for x in r) for c, r in zip(scales, rows))
    iso = isomorphism(rows, other)
    assert iso is not None
    # Equal spans: the map sends span(A) into the same space.
    for r in rows:
        assert iso.apply(r) in Subspace.span(rows, d)
