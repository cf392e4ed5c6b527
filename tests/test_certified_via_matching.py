"""The certified eps > 0 path, used through symrep.measures.matching, agrees exactly with the slow exact path.

``matching.CERTIFIED_FROM`` is set to 0 (every eps > 0 problem goes through
symrep.measures.certified, which is spied on to be sure) and to 10**12 (the slow exact
projections).  Truth comes from an independent Fraction oracle written here (Gram-Schmidt
distances, Wang et al.'s removal loop with <=), and, for ties, from construction: a neuron
at relative distance exactly eps, hidden by an orthogonal change of coordinates made of
rotations by Pythagorean angles (3/5, 4/5) and Hadamard blocks H4 / 2 (dyadic), the rows
then scaled to integers, so that neither the tie nor the span is visible coordinate-wise.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrep.measures import certified, matching

F = Fraction
GRID = [F(1, 10), F(1, 4), F(1, 2)]


# --- the oracle ----------------------------------------------------------------------------------


def dot(u, v):
    return sum((F(a) * F(b) for a, b in zip(u, v)), F(0))


def dist2(z, rows):
    basis = []
    for r in rows:
        v = [F(x) for x in r]
        for b, bb in basis:
            c = dot(v, b) / bb
            v = [x - c * y for x, y in zip(v, b)]
        if any(v):
            basis.append((v, dot(v, v)))
    res = [F(x) for x in z]
    for b, bb in basis:
        c = dot(res, b) / bb
        res = [x - c * y for x, y in zip(res, b)]
    return dot(res, res)


def oracle(A, B, eps):
    e2 = F(eps) ** 2
    X, Y = list(range(len(A))), list(range(len(B)))
    while True:
        nx = [i for i in X if dist2(A[i], [B[j] for j in Y]) <= e2 * dot(A[i], A[i])]
        ny = [j for j in Y if dist2(B[j], [A[i] for i in nx]) <= e2 * dot(B[j], B[j])]
        if nx == X and ny == Y:
            return tuple(X), tuple(Y)
        X, Y = nx, ny


def rows_of(a):
    if isinstance(a, np.ndarray):
        return [[F(int(x)) if a.dtype.kind in "iu" else F(float(x)) for x in r] for r in a]
    return [[F(x) for x in r] for r in a]


# --- running both paths --------------------------------------------------------------------------


@pytest.fixture
def both(monkeypatch):
    """``run(a, b, eps) -> (certified result, slow result)``, checked equal and checked against the oracle."""
    calls = []
    real = certified.certified_maximum_match

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(certified, "certified_maximum_match", spy)

    def run(a, b, eps):
        monkeypatch.setattr(matching, "CERTIFIED_FROM", 0)
        before = len(calls)
        fast = matching.maximum_match(a, b, eps)
        assert len(calls) == before + 1, "the certified path was used"
        monkeypatch.setattr(matching, "CERTIFIED_FROM", 10**12)
        slow = matching.maximum_match(a, b, eps)
        assert len(calls) == before + 1 and not slow.gram_bounds
        assert (fast.x, fast.y, fast.zero_x, fast.zero_y) == (slow.x, slow.y, slow.zero_x, slow.zero_y)
        A, B = rows_of(a), rows_of(b)
        assert (fast.x, fast.y) == oracle(A, B, eps)
        e2 = F(eps) ** 2
        for mine, other, cover in ((A, B, fast.x_in_y), (B, A, fast.y_in_x)):  # every kept neuron's witness
            for i, cs in cover:
                r = [F(x) for x in mine[i]]
                for k, c in cs:
                    r = [u - c * v for u, v in zip(r, other[k])]
                assert dot(r, r) <= e2 * dot(mine[i], mine[i])
        for e in (eps, F(1, 1)):  # the approx_match test of the result agrees too (eps-match at any larger eps)
            monkeypatch.setattr(matching, "CERTIFIED_FROM", 0)
            assert matching.approx_match(a, b, e, fast.x, fast.y).holds
        return fast, slow

    return run


# --- ties hidden by an orthogonal change of coordinates ------------------------------------------

#: eps: (the tie's coordinate inside the span, its coordinates outside); outside^2 / all^2 == eps^2
TIES = {F(1, 10): (33, (3, 1, 1)), F(1, 4): (15, (3, 2, 1, 1)), F(1, 2): (3, (1, 1, 1)),
        F(7, 25): (24, (7,)), F(5, 13): (12, (5,))}


def orthogonal(d, rng):
    """A rational orthogonal d x d matrix (d a multiple of 4): H4/2 blocks, rotations by (3/5, 4/5), permutations."""
    Q = [[F(int(i == j)) for j in range(d)] for i in range(d)]

    def apply(M, Q):
        return [[sum((M[i][k] * Q[k][j] for k in range(d) if M[i][k]), F(0)) for j in range(d)] for i in range(d)]

    H = [[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]]
    for _ in range(2):
        perm = list(range(d))
        rng.shuffle(perm)
        M = [[F(0)] * d for _ in range(d)]
        for b in range(0, d, 4):  # a Hadamard block on each group of four (permuted) coordinates
            idx = perm[b:b + 4]
            for s, i in enumerate(idx):
                for t, j in enumerate(idx):
                    M[i][j] = F(H[s][t], 2)
        Q = apply(Q, M)
        for _ in range(3):  # Givens rotations by the angle with cos 3/5, sin 4/5
            i, j = rng.sample(range(d), 2)
            R = [[F(int(p == q)) for q in range(d)] for p in range(d)]
            R[i][i], R[i][j], R[j][i], R[j][j] = F(3, 5), F(-4, 5), F(4, 5), F(3, 5)
            Q = apply(Q, R)
    assert all(dot(Q[i], Q[j]) == (i == j) for i in range(d) for j in range(d))  # orthogonal, checked exactly
    return Q


def integer_rows(rows):
    """Each row times the lcm of its denominators: integers, the same spans and relative distances."""
    out = []
    for r in rows:
        L = math.lcm(*(q.denominator for q in r))
        out.append([int(q * L) for q in r])
    return out


def tie_instance(eps, seed, d=8, k=3):
    rng = random.Random(seed)
    a_in, outside = TIES[eps]
    e = [[F(int(i == j)) for j in range(d)] for i in range(d)]

    def triangular(i):  # unit triangular combinations: e_0 .. e_{k-1} are spanned for every seed
        return [e[i][j] + sum((F(rng.randint(-3, 3)) * e[t][j] for t in range(i)), F(0)) for j in range(d)]

    tie = [F(a_in) * e[0][j] + sum((F(x) * e[k + t][j] for t, x in enumerate(outside)), F(0)) for j in range(d)]
    far = [e[1][j] + 7 * e[d - 1][j] for j in range(d)]  # relative distance 7 / sqrt(50), above every eps tested
    A = [triangular(i) for i in range(k)] + [tie, far]
    B = [triangular(i) for i in range(k)] + [[sum(r) for r in zip(*[triangular(i) for i in range(k)])]]
    assert dist2(tie, B) == eps * eps * dot(tie, tie)  # the construction, checked
    Q = orthogonal(d, rng)
    rot = [[dot(r, [Q[t][j] for t in range(d)]) for j in range(d)] for r in A + B]
    ints = integer_rows(rot)
    return np.array(ints[:len(A)], dtype=np.int64), np.array(ints[len(A):], dtype=np.int64), k


@pytest.mark.parametrize("tie_eps", sorted(TIES))
def test_a_tie_at_exactly_eps_at_every_eps(both, tie_eps):
    a, b, tie = tie_instance(tie_eps, seed=int(tie_eps * 1000))
    assert sum(1 for x in a[tie] if x) >= 5 and not (a[tie] == 0).sum() > 3  # spread over the coordinates
    for eps in sorted(set(GRID) | {tie_eps}):
        fast, _ = both(a, b, eps)
        assert (tie in fast.x) == (eps >= tie_eps), "distance exactly eps is inside (<=), farther is out"
        assert tie + 1 not in fast.x


# --- random, rank-deficient and ill-conditioned instances ---------------------------------------

small = st.integers(-3, 3)


@st.composite
def layers(draw):
    d = draw(st.integers(1, 6))
    na, nb = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    row = st.lists(small, min_size=d, max_size=d)
    A = draw(st.lists(row, min_size=na, max_size=na))
    B = draw(st.lists(row, min_size=nb, max_size=nb))
    kind = draw(st.sampled_from(["random", "shared", "rank-deficient", "numpy"]))
    if kind == "shared":  # a shared row and a scaled one: matches are likely
        B[0] = list(A[0])
        B[-1] = [2 * x for x in A[-1]]
    elif kind == "rank-deficient":  # B in the span of two rows of A (plus a zero row)
        c = draw(st.lists(st.tuples(small, small), min_size=nb, max_size=nb))
        B = [[p * x + q * y for x, y in zip(A[0], A[-1])] for p, q in c]
        B[0] = [0] * d
    if kind == "numpy":
        return np.array(A, dtype=np.int64), np.array(B, dtype=np.int64)
    return A, B


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layers(), st.sampled_from(GRID))  # the fixture sets every patch it relies on at each call
def test_property_random_and_rank_deficient_layers(both, pair, eps):
    both(*pair, eps)


@pytest.mark.parametrize("eps", GRID)
def test_nearly_parallel_neurons_and_tiny_singular_values(both, eps):
    rng = np.random.default_rng(17)
    for scale in (2.0**-24, 2.0**-48):
        b = rng.standard_normal((6, 12))
        b[1] = b[0] + scale * rng.standard_normal(12)  # nearly parallel
        b[2] = b[3] * (1 + scale)
        b[4] = b[0] + b[3] + scale * b[5]  # nearly dependent: a tiny singular value
        a = np.vstack([b[:3] + scale * rng.standard_normal((3, 12)), rng.standard_normal((2, 12)),
                       b[0] + 0.3 * rng.standard_normal(12)])
        both(a, b, eps)


def test_float32_relu_layers_at_every_eps(both):
    rng = np.random.default_rng(4)
    a = np.maximum(rng.standard_normal((9, 20)), 0).astype(np.float32)
    b = np.maximum(rng.standard_normal((9, 20)), 0).astype(np.float32)
    b[:3] = a[:3]
    b[3:6] = np.maximum(a[3:6] + np.float32(0.2) * rng.standard_normal((3, 20)).astype(np.float32), 0)
    got = [both(a, b, eps)[0] for eps in GRID]
    sizes = [len(m.x) for m in got]
    assert sizes == sorted(sizes) and sizes[0] >= 3  # larger eps, larger match; the shared rows always match
    assert any(r.bound is not None for m in got for r in m.removals), "floats proposed, lower bounds proved"
