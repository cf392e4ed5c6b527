"""The certified float path of the Procrustes measures (symrep.measures.fastgram): every bound against exact truth.

Truth is computed independently: the Grams as exact Fractions of the float data, the nuclear
norm by mpmath's SVD at 50 digits (far below any bracket width used).
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd
from operator import mul

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.measures import fastgram
from symrep.measures.catalog import lookup

F = Fraction


def exact_centred(M: np.ndarray) -> list[list[Fraction]]:
    rows = [[F(float(x)) for x in r] for r in np.asarray(M, dtype=np.float64)]
    out = []
    for r in rows:
        mean = sum(r, F(0)) / len(r)  # once per row (the same exact value)
        out.append([x - mean for x in r])
    return out


def _integer_row(p: list[Fraction]) -> tuple[list[int], int]:
    """``(n, D)`` with ``p == [k / D for k in n]`` exactly (D the lcm of the denominators)."""
    D = 1
    for x in p:
        D = D * x.denominator // gcd(D, x.denominator)
    return [x.numerator * (D // x.denominator) for x in p], D


def exact_gram(P: list[list[Fraction]], Q: list[list[Fraction]]) -> list[list[Fraction]]:
    """The exact Gram (the same Fractions as summing the products), in Python integers: about 20x faster."""
    Pi, Qi = [_integer_row(p) for p in P], [_integer_row(q) for q in Q]
    return [[F(sum(map(mul, p, q)), dp * dq) for q, dq in Qi] for p, dp in Pi]


def mp_nuclear(M: list[list[Fraction]]) -> mpmath.mpf:
    with mpmath.workdps(50):
        return sum(mpmath.svd_r(mpmath.matrix([[mpmath.mpf(x.numerator) / x.denominator for x in r] for r in M]),
                                compute_uv=False))


def as_mp(q: Fraction) -> mpmath.mpf:
    with mpmath.workdps(50):
        return mpmath.mpf(q.numerator) / q.denominator


def layers_pair(seed: int, n: int, d: int, mean: float, dtype) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, d)) + mean
    B = rng.standard_normal((n, n)) @ A + 0.5 * rng.standard_normal((n, d))
    return A.astype(dtype), B.astype(dtype)


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 9), st.integers(2, 40), st.sampled_from([0.0, 3.0, -1e3]),
       st.sampled_from([np.float32, np.float64]))
def test_certified_grams_and_norms_contain_the_exact_values(seed, n, d, mean, dtype):
    A, B = layers_pair(seed, n, d, mean, dtype)
    fastgram._CACHE.clear()
    grams = fastgram.cert_grams(A, B, "xy,xx,yy")
    x, y = fastgram.layers(A, B)
    Ac, Bc = exact_centred(A), exact_centred(B)
    for key, (P, Q) in {"xy": (Ac, Bc), "xx": (Ac, Ac), "yy": (Bc, Bc)}.items():
        M = exact_gram(P, Q)
        err2 = sum(((F(float(v)) - t) ** 2 for row, trow in zip(grams[key].M, M) for v, t in zip(row, trow)), F(0))
        assert err2 <= grams[key].delta ** 2
    for layer, C in ((x, Ac), (y, Bc)):
        sq = sum((v * v for r in C for v in r), F(0))
        assert layer.sq[0] <= sq <= layer.sq[1]


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 12), st.integers(1, 12), st.sampled_from([1.0, 1e-30, 1e40]))
def test_split_product_bounds_the_exact_residual(seed, m, k, scale):
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((m, k)) * scale, rng.standard_normal((k, m + 1)) * scale
    X[0, 0] = 0.0  # zeros and tiny entries take the remainder paths
    Y[-1, -1] *= 1e-12
    C = rng.standard_normal((m, m + 1)) * scale * scale
    R, err = fastgram.split_product(X, Y, C)
    for i in range(m):
        for j in range(m + 1):
            true = F(float(C[i, j])) - sum((F(float(X[i, t])) * F(float(Y[t, j])) for t in range(k)), F(0))
            assert abs(F(float(R[i, j])) - true) <= F(float(err[i, j]))


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 8), st.integers(1, 8), st.sampled_from([0, 1, 2]))
def test_nuclear_float_brackets_any_matrix_within_delta(seed, m, n, rank_cut):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((m, n))
    if rank_cut and min(m, n) > rank_cut:  # rank-deficient: zero singular values
        M = M[:, :rank_cut] @ rng.standard_normal((rank_cut, n)) if m >= n else rng.standard_normal((m, rank_cut)) @ M[:rank_cut]
    delta = F(1, 10**9)
    nb = fastgram.nuclear_float(M, delta)
    exact = [[F(float(v)) for v in r] for r in M]
    true = mp_nuclear(exact)
    assert as_mp(nb.lower) <= true <= as_mp(nb.upper)
    # a matrix within delta of M (one entry moved by delta) is bracketed too
    moved = [r[:] for r in exact]
    moved[0][0] += delta
    assert as_mp(nb.lower) <= mp_nuclear(moved) <= as_mp(nb.upper)


def test_zero_matrix():
    nb = fastgram.nuclear_float(np.zeros((3, 2)), F(1, 100))
    assert nb.lower == 0 and nb.upper >= F(1, 100)


@pytest.mark.parametrize("dtype", [np.float32, pytest.param(np.float64, marks=pytest.mark.slow)])  # 8 s each: one fast
def test_the_measures_take_the_float_path_above_the_exact_size_and_bracket_the_truth(dtype):
    n, d = 70, 90
    A, B = layers_pair(7, n, d, 0.5, dtype)
    fastgram._CACHE.clear()
    Ac, Bc = exact_centred(A), exact_centred(B)
    with mpmath.workdps(50):
        N = mp_nuclear(exact_gram(Ac, Bc))
        xx, yy = (as_mp(sum((v * v for r in C for v in r), F(0))) for C in (Ac, Bc))
        truth = {"procrustes": mpmath.sqrt(xx + yy - 2 * N), "angular_procrustes": mpmath.acos(N / mpmath.sqrt(xx * yy))}
    for name, value in truth.items():
        m, arg = lookup(name)
        v = m.evaluate(A, B, width=F(1, 10**12), arg=arg)
        assert any(k.startswith("nuclear") for k in fastgram._CACHE)  # the float path answered
        assert as_mp(v.lower) <= value <= as_mp(v.upper)
        assert v.upper - v.lower <= F(1, 10**12) * max(1, v.upper)
    m, arg = lookup("shape:1")
    v = m.evaluate(A, B, width=F(1, 10**12), arg=arg)
    assert as_mp(v.lower) <= truth["angular_procrustes"] <= as_mp(v.upper)


def test_angles_and_cka_from_medium_grams_of_many_chunks_bracket_the_truth():
    # MEDIUM lowered to 3 points a chunk (17 chunks): the medium path answers, and its brackets hold the
    # values computed independently (mpmath's SVD of the exact Gram; CKA² from the exact integer path)
    n, d = 66, 50
    A, B = layers_pair(13, n, d, 0.5, np.float32)
    Ac, Bc = exact_centred(A), exact_centred(B)
    with mpmath.workdps(50):
        N = mp_nuclear(exact_gram(Ac, Bc))
        xx, yy = (as_mp(sum((v * v for r in C for v in r), F(0))) for C in (Ac, Bc))
        angle = mpmath.acos(N / mpmath.sqrt(xx * yy))
    cka2 = _cka_truth(A, B)
    old, fastgram.MEDIUM = fastgram.MEDIUM, 3
    old_min, fastgram.MEDIUM_MIN = fastgram.MEDIUM_MIN, 1
    try:
        for name, key in (("angular_procrustes", "nuclear medium"), ("shape:1", "nuclear medium"), ("cka", "gram xy medium")):
            fastgram._CACHE.clear()
            m, arg = lookup(name)
            v = m.evaluate(A, B, width=F(1, 10**12), arg=arg)
            assert fastgram._CACHE.get(key) is not None and "nuclear" not in fastgram._CACHE  # medium, not fine
            assert "gram xy" not in fastgram._CACHE
            if name == "cka":
                assert v.lower ** 2 <= cka2 <= v.upper ** 2
            else:
                assert as_mp(v.lower) <= angle <= as_mp(v.upper)
            assert v.upper - v.lower <= F(1, 10**12) * max(1, v.upper)
    finally:
        fastgram.MEDIUM, fastgram.MEDIUM_MIN = old, old_min
        fastgram._CACHE.clear()


def test_the_shared_layers_are_recomputed_when_an_array_changes_in_place():
    A, B = layers_pair(3, 70, 80, 0.0, np.float64)
    fastgram._CACHE.clear()
    first = fastgram.layers(A, B)
    assert fastgram.layers(A, B) is first  # the same data: shared
    A[5, 5] += 1.0
    again = fastgram.layers(A, B)
    assert again is not first and again[0].D[5, 5] != first[0].D[5, 5]


def test_not_float_data_or_small_layers_use_the_exact_path():
    assert fastgram.layers([[1, 2, 3]], [[1, 2, 4]]) is None
    assert fastgram.layers(np.array([[1, 2, 3]]), np.array([[1, 2, 4]])) is None  # integers: exact path
    assert fastgram.layers(np.array([[1.0, np.nan]]), np.array([[1.0, 2.0]])) is None
    A = np.array([[1.0, 2.0, 4.0], [0.0, 1.0, 0.0]])
    assert lookup("procrustes")[0].evaluate(A, A).exact == 0  # small: the exact certificate


def mp_cca_sum(Ac: list[list[Fraction]], Bc: list[list[Fraction]]) -> mpmath.mpf:
    """Sum of the canonical correlations at 40 digits: singular values of Lx^-1 Gxy Ly^-T (Cholesky of the exact Grams)."""
    with mpmath.workdps(40):
        def mp(M):
            return mpmath.matrix([[mpmath.mpf(x.numerator) / x.denominator for x in r] for r in M])

        Lx, Ly = mpmath.cholesky(mp(exact_gram(Ac, Ac))), mpmath.cholesky(mp(exact_gram(Bc, Bc)))
        K = mpmath.inverse(Lx) * mp(exact_gram(Ac, Bc)) * mpmath.inverse(Ly).T
        return sum(mpmath.svd_r(K, compute_uv=False))


def test_second_order_cca_sum_brackets_the_truth():
    from symrep.measures.cca import second_order_sum

    A, B = layers_pair(11, 66, 90, 1.0, np.float32)
    m, lo, hi = second_order_sum(A, B)
    truth = mp_cca_sum(exact_centred(A), exact_centred(B))
    assert m == 66 and as_mp(lo) <= truth <= as_mp(hi) and hi - lo < F(1, 10**12)
    v = lookup("cca")[0].evaluate(A, B)
    assert as_mp(v.lower) <= truth / m <= as_mp(v.upper)
    assert second_order_sum(A[:10], B[:10]) is None  # small layers: the exact path (exact 0 and 1 found there)


@pytest.mark.slow  # 20 s of mpmath oracle; the second-order sum itself is tested in the fast set just above
def test_shape0_from_the_second_order_sum_brackets_the_truth():
    A, B = layers_pair(12, 66, 90, 0.0, np.float64)
    truth = mp_cca_sum(exact_centred(A), exact_centred(B))
    m, arg = lookup("shape:0")
    v = m.evaluate(A, B, arg=arg)
    with mpmath.workdps(40):
        assert as_mp(v.lower) <= mpmath.acos(truth / 66) <= as_mp(v.upper)


# --- exact-ish float sums, coarse Grams, Frobenius brackets, the CKA float path ---------------------

@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 300), st.sampled_from([1.0, 2.0**-1000, 2.0**-1060, 2.0**900, 1e-300]),
       st.booleans())
def test_float_sum_brackets_the_exact_sum(seed, n, scale, ties):
    rng = np.random.default_rng(seed)
    p = rng.standard_normal(n) * scale * np.exp2(rng.integers(-60, 60, n))
    if ties:  # cancellation: the exact sum is tiny or zero
        p = np.concatenate([p, -p[::-1]])
    t, e = fastgram.float_sum(p)
    true = sum((F(float(v)) for v in p), F(0))
    assert abs(t - true) <= e
    assert e <= F(1, 2**40) * sum((abs(F(float(v))) for v in p), F(0)) + F(1, 2**1000)  # far inside


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 60))
def test_sumsq_bracket_contains_the_exact_sum_of_squares_with_subnormal_squares(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * np.exp2(rng.integers(-560, 10, n))  # squares down to the subnormals and below
    lo, hi = fastgram.sumsq_bracket(x)
    true = sum((F(float(v)) ** 2 for v in x), F(0))
    assert lo <= true <= hi


def _rank_deficient(A: np.ndarray) -> np.ndarray:
    B = A.copy()
    B[1::2] = B[0::2][: len(B[1::2])] * 2.0  # repeated rows (exact doubling): rank about n/2
    return B


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 6), st.integers(2, 24), st.sampled_from([0.0, 3.0, -1e3]),
       st.sampled_from([1.0, 2.0**-300, 2.0**300]), st.sampled_from(["random", "rank", "illcond"]))
def test_coarse_and_fine_grams_and_their_frobenius_brackets_contain_the_exact_values(seed, n, d, mean, scale, kind):
    A, B = layers_pair(seed, n, d, mean, np.float64)
    if kind == "rank":
        B = _rank_deficient(B)
    elif kind == "illcond":  # singular values spread over 12 orders
        A = A * np.logspace(0, -12, n)[:, None] + mean
    A, B = A * scale, B * scale  # exact: a power of two
    Ac, Bc = exact_centred(A), exact_centred(B)
    for coarse in (True, False):
        fastgram._CACHE.clear()
        grams = fastgram.cert_grams(A, B, "xy,xx,yy", coarse)
        for key, (P, Q) in {"xy": (Ac, Bc), "xx": (Ac, Ac), "yy": (Bc, Bc)}.items():
            M = exact_gram(P, Q)
            g = grams[key]
            err2 = sum(((F(float(v)) - t) ** 2 for row, trow in zip(g.M, M) for v, t in zip(row, trow)), F(0))
            assert err2 <= g.delta ** 2
            lo, hi = fastgram.frob2_bracket(g)
            assert lo <= sum((t * t for r in M for t in r), F(0)) <= hi


class _Depth:
    """A stand-in for a chunk product that counts the additions on its worst path (``+=`` as the tree does)."""

    def __init__(self) -> None:
        self.depth = 0

    def __iadd__(self, other: "_Depth") -> "_Depth":
        self.depth = max(self.depth, other.depth) + 1
        return self


@pytest.mark.parametrize("count", list(range(1, 70)) + [127, 128, 129, 313, 1000, 1023, 1024, 1025])
def test_the_chunk_tree_adds_at_most_bit_length_times_on_any_path(count):
    # the bound gamma_t of the chunked Grams takes t = K.bit_length() (fastgram._tree_sum's note): any deeper
    # path would leave the proved bound, so count the additions themselves
    parts: list = []
    for _ in range(count):
        fastgram._tree_push(parts, _Depth())
    assert fastgram._tree_sum(parts).depth <= count.bit_length()
    assert not parts


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 6), st.integers(2, 40), st.sampled_from([0.0, 3.0, -1e3]),
       st.sampled_from([1.0, 2.0**-300, 2.0**300]), st.integers(1, 5), st.sampled_from(["random", "rank", "illcond"]))
def test_medium_grams_with_many_chunks_contain_the_exact_values(seed, n, d, mean, scale, chunk, kind):
    # MEDIUM lowered so that small instances have many chunks (odd counts, a ragged last chunk) in the tree
    A, B = layers_pair(seed, n, d, mean, np.float64)
    if kind == "rank":
        B = _rank_deficient(B)
    elif kind == "illcond":
        A = A * np.logspace(0, -12, n)[:, None] + mean
    A, B = A * scale, B * scale
    Ac, Bc = exact_centred(A), exact_centred(B)
    old, fastgram.MEDIUM = fastgram.MEDIUM, chunk
    tiles, fastgram._TILES_MIN = fastgram._TILES_MIN, 2  # the symmetric ones by half tiles from 2 neurons on
    try:
        fastgram._CACHE.clear()
        grams = fastgram.cert_grams(A, B, "xy,xx,yy", "medium")
    finally:
        fastgram.MEDIUM, fastgram._TILES_MIN = old, tiles
        fastgram._CACHE.clear()
    for key, (P, Q) in {"xy": (Ac, Bc), "xx": (Ac, Ac), "yy": (Bc, Bc)}.items():
        M = exact_gram(P, Q)
        g = grams[key]
        diffs = [F(float(v)) - t for row, trow in zip(g.M, M) for v, t in zip(row, trow)]
        assert sum((e * e for e in diffs), F(0)) <= g.delta ** 2
        lo, hi = fastgram.frob2_bracket(g)
        assert lo <= sum((t * t for r in M for t in r), F(0)) <= hi


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 8), st.integers(3, 30), st.booleans(), st.integers(1, 4))
def test_medium_nuclear_bracket_with_the_entrywise_loss_contains_the_mpmath_value(seed, n, d, rank, chunk):
    # the lower end from sum |Z_ij| err_ij (not |Z|_F delta): still below the true nuclear norm
    A, B = layers_pair(seed, n, d, 1.0, np.float32)
    if rank:
        B = _rank_deficient(B)
    old, fastgram.MEDIUM = fastgram.MEDIUM, chunk
    try:
        fastgram._CACHE.clear()
        got = fastgram.nuclear_of(A, B, "medium")
    finally:
        fastgram.MEDIUM = old
        fastgram._CACHE.clear()
    assert got is not None
    N = mp_nuclear(exact_gram(exact_centred(A), exact_centred(B)))
    assert as_mp(got[2].lower) <= N <= as_mp(got[2].upper)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 7), st.integers(2, 7))
def test_nuclear_float_with_an_entrywise_bound_brackets_every_matrix_within_it(seed, m, n):
    # M_true = M' + P with |P| <= err entrywise: P at the corners of the box (the worst signs for Z) and random
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((m, n))
    err = np.abs(rng.standard_normal((m, n))) * 1e-9
    delta = F(float(np.sqrt(np.sum(err * err)))) * F(1001, 1000)
    nb = fastgram.nuclear_float(M, delta, err, F(0))
    assert nb is not None
    Uf, _, Vt = np.linalg.svd(M)
    Z = Uf[:, : min(m, n)] @ Vt[: min(m, n)]
    for signs in (-np.sign(Z), np.sign(rng.standard_normal((m, n))), np.sign(Z)):
        moved = [[F(float(v)) + F(float(s)) * F(float(e)) for v, s, e in zip(r, sr, er)] for r, sr, er in zip(M, signs, err)]
        assert as_mp(nb.lower) <= mp_nuclear(moved) <= as_mp(nb.upper)


def test_a_coarse_gram_bound_is_proved_not_measured():
    # the coarse bound is (CHUNK + levels) u |d_i||d'_j|: on many points it is wider than the fine one
    A, B = layers_pair(5, 8, 3000, 0.0, np.float64)
    fastgram._CACHE.clear()
    coarse, fine = fastgram.cert_grams(A, B, "xy", True)["xy"], fastgram.cert_grams(A, B, "xy")["xy"]
    assert fine.delta < coarse.delta


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 8), st.integers(3, 30), st.booleans())
def test_coarse_nuclear_bracket_contains_the_mpmath_value(seed, n, d, rank):
    A, B = layers_pair(seed, n, d, 1.0, np.float32)
    if rank:
        B = _rank_deficient(B)
    fastgram._CACHE.clear()
    got = fastgram.nuclear_of(A, B, coarse=True)
    assert got is not None
    N = mp_nuclear(exact_gram(exact_centred(A), exact_centred(B)))
    assert as_mp(got[2].lower) <= N <= as_mp(got[2].upper)


def _cka_truth(A: np.ndarray, B: np.ndarray) -> Fraction:
    from symrep.measures.cka import cka_squared
    return cka_squared(A, B)


@pytest.mark.parametrize("case", ["random", "rank", "scaled", "orthogonal", "tiny", "huge", "mean"])
def test_cka_float_path_brackets_the_exact_value(case):
    n, d = 70, 90
    A, B = layers_pair(11, n, d, 0.0, np.float32)
    A, B = A.astype(np.float64), B.astype(np.float64)
    if case == "rank":
        B = _rank_deficient(B)
    elif case == "scaled":  # CKA(A, s A) = 1 exactly
        B = A * 3.0
    elif case == "orthogonal":  # CKA(A, Q A) = 1 for orthogonal Q: a signed permutation (exact in floats)
        B = -A[::-1].copy()
    elif case == "tiny":
        A, B = A * 2.0**-300, B * 2.0**-250
    elif case == "huge":
        A, B = A * 2.0**300, B * 2.0**280
    elif case == "mean":
        A, B = A + 1e4, B - 3e3
    fastgram._CACHE.clear()
    m, arg = lookup("cka")
    v = m.evaluate(A, B, width=F(1, 10**12), arg=arg)
    assert any(all(fastgram._CACHE.get(f"gram {w}{g}") is not None for w in ("xy", "yy")) for g in ("", " medium"))
    q = _cka_truth(A, B)
    assert v.lower ** 2 <= q <= v.upper ** 2
    assert v.upper - v.lower <= F(1, 10**12)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["procrustes", "angular_procrustes", "cka"])
def test_float_path_at_a_larger_size_meets_the_exact_path(name):
    # the certified float bracket and the exact path's bracket (exact integer Grams, independent code)
    # both hold the true value, so they intersect; the float path must have answered, within the width
    n, d = 100, 1500
    A, B = layers_pair(2, n, d, 0.25, np.float32)
    m, arg = lookup(name)
    fastgram._CACHE.clear()
    v = m.evaluate(A, B, width=F(1, 10**12), arg=arg)
    assert fastgram._CACHE.get("gram xy coarse" if name == "procrustes" else "gram xy") is not None  # medium: no pay
    assert v.upper - v.lower <= F(1, 10**12) * max(1, v.upper)
    rows = [[F(float(x)) for x in r] for r in (A, B)[0]], [[F(float(x)) for x in r] for r in (A, B)[1]]
    w = m.evaluate(*rows, width=F(1, 10**12), arg=arg)
    assert max(v.lower, w.lower) <= min(v.upper, w.upper)
