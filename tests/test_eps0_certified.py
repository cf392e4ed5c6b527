"""The certified eps = 0 maximum match (``measures/certified_eps0.py``) against exact oracles.

Truth comes from (a) the independent oracles: ``tests/_oracle.py`` (the union of all matches,
by brute force over subsets, Fraction Gram-Schmidt distances) and the removal loop with exact
distances of ``test_certified_match.py``; (b) the slow exact path of symrep (``matching._run``,
orthogonal witnesses); (c) construction: members that are combinations of several rows, hidden by
a dyadic orthogonal change of coordinates, and neurons at a distance of 2**-40 from a span.  Every
witness is re-verified here with Fractions (``verify``), and certificates with lower-bound
removals at eps = 0 are checked, and tampered, with the checker.
"""

from __future__ import annotations

import copy
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import _oracle
from symrep import checker
from symrep.certificates import certify
from symrep.claims import problem_from_mapping
from symrep.exact.linalg import IntRows
from symrep.measures import certified_eps0, matching
from symrep.measures.certified_eps0 import certified_exact_maximum_match, directions
from test_certified_match import dot, dyadic_orthogonal, frac_rows, integer_layers, oracle, relu_pair, verify

F = Fraction


def rows_of(a):
    return IntRows.from_array(np.asarray(a)) if hasattr(a, "dtype") else IntRows.of(frac_rows(a))


def check(a, b, use_oracle=True):
    """The certified result equals the slow exact path's (and the removal-loop oracle's); its witnesses verify."""
    A, B = rows_of(a), rows_of(b)
    arrays = (a, b) if hasattr(a, "dtype") else None
    got = certified_exact_maximum_match(A, B, arrays)
    slow = matching._run(A, B, None)
    assert got is not None
    assert (got.x, got.y, got.zero_x, got.zero_y) == (slow.x, slow.y, slow.zero_x, slow.zero_y)
    assert got.similarity == slow.similarity and got.eps_squared == 0
    FA, FB = A.fractions(), B.fractions()
    verify(FA, FB, got, F(0))
    if use_oracle:
        assert (got.x, got.y) == oracle(FA, FB, F(0))
    return got


@pytest.mark.parametrize("n,d,seeds", [(12, 40, 1), pytest.param(24, 64, 3, marks=pytest.mark.slow)])
def test_random_relu_layers_agree_with_the_exact_path(n, d, seeds):
    for seed in range(seeds):
        a, b = relu_pair(n, d, seed, noise=2.0 ** -30)  # shared, perturbed by a tiny amount, and independent rows
        got = check(a, b, use_oracle=seed == 0 and n <= 12)  # the Fraction oracle is slow on float32 data
        assert any(r.bound is not None for r in got.removals), "the lower-bound path is exercised"
        assert got.gram_bounds
        assert set(range(n // 3)) <= set(got.x) and set(range(n // 3)) <= set(got.y)  # shared rows


def hidden_members(seed, d=16, k=6):
    """B: k integer rows; A: combinations of several of them, multiples, one far row and one at distance 2**-40.

    All rotated by one dyadic orthogonal matrix, so no coordinate shows which is which.
    """
    rng = random.Random(seed)
    B = [[F(rng.randint(-3, 3)) for _ in range(d)] for _ in range(k)]
    B[0][0] = F(5)  # not zero
    combos = []
    for _ in range(3):
        cs = {i: F(rng.randint(1, 4), rng.randint(1, 3)) for i in rng.sample(range(k), 3)}
        combos.append([sum((c * B[i][j] for i, c in cs.items()), F(0)) for j in range(d)])
    multiple = [F(-3, 7) * x for x in B[0]]
    far = [F(rng.randint(-3, 3)) for _ in range(d)]
    near = [x + (F(1, 2**40) if j == d - 1 else 0) for j, x in enumerate(B[1])]
    A = combos + [multiple, far, near, [F(0)] * d] + [[2 * x for x in r] for r in B[1:]]  # A spans all of B's span
    Q = dyadic_orthogonal(d, rng)
    rot = [[dot(r, [Q[t][j] for t in range(d)]) for j in range(d)] for r in A + B]
    return rot[:len(A)], rot[len(A):]


def test_members_hidden_by_a_rotation_and_a_neuron_at_distance_two_to_the_minus_forty():
    for seed in range(4):
        A, B = hidden_members(seed)
        assert sum(1 for x in A[0] if x) > 8  # the rotation spreads every vector over many coordinates
        m = check(A, B)
        assert {0, 1, 2, 3, 6} <= set(m.x), "the combinations, the multiple and the zero row are members"
        assert 4 not in m.x and 5 not in m.x, "2**-40 away is outside at eps = 0"
        assert m.y == tuple(range(6))
        assert m.zero_x == (6,)


def test_rank_deficient_layers_fall_back_to_the_exact_path():
    rng = np.random.default_rng(3)
    base = rng.integers(-3, 4, size=(4, 30))
    a = np.vstack([base, base[:2] * 2, rng.integers(-3, 4, size=(3, 30)), np.zeros((1, 30), dtype=np.int64)])
    b = np.vstack([base[::-1], base[1:3] - base[0], rng.integers(-3, 4, size=(2, 30)), np.zeros((2, 30), dtype=np.int64)])
    m = check(a, b)
    assert set(range(4)) <= set(m.x)
    wide_a, wide_b = rng.integers(-2, 3, size=(14, 6)), rng.integers(-2, 3, size=(11, 6))
    m = check(wide_a, wide_b)
    assert len(m.x) + len(m.y) == 25  # spans are all of Q^6
    narrow = rng.integers(-2, 3, size=(3, 6))  # one side wide, the other narrow
    check(wide_a, narrow)
    check(narrow, wide_b)


def test_ill_conditioned_nearly_parallel_neurons():
    rng = np.random.default_rng(5)
    for scale in (2.0 ** -20, 2.0 ** -40, 2.0 ** -60):
        b = rng.standard_normal((8, 30))
        b[1] = b[0] + scale * rng.standard_normal(30)  # nearly parallel: a tiny singular value
        b[2] = b[3] * (1 + scale)
        a = np.vstack([b[:4] + scale * rng.standard_normal((4, 30)), b[4:] * 2, b[0] + 0.2 * rng.standard_normal(30),
                       b[5] * 0.25, -b[6]])  # float products by powers of two are exact: multiples
        m = check(a, b, use_oracle=False)
        assert {4, 5, 6, 7, 9, 10} <= set(m.x) and {4, 5, 6, 7} <= set(m.y)


def test_rows_of_very_different_norms():
    a, b = relu_pair(12, 40, 7)
    a = a * np.float32(2.0 ** -30)
    b[::3] *= np.float32(2.0 ** 40)
    check(a, b, use_oracle=False)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(integer_layers())
def test_property_certified_eps0_equals_the_oracles(layers):
    A, B = layers
    m = check(A, B)  # the removal-loop oracle
    if len(A) + len(B) <= 8:  # the brute-force union of all matches: 2**(|A| + |B|) candidate pairs
        x, y = _oracle.maximum_match(A, B, F(0))
        assert (list(m.x), list(m.y)) == (x, y)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_property_directions_are_exact(n, d, seed):
    rng = np.random.default_rng(seed)
    M = rng.integers(-4, 5, size=(n, d)) * rng.integers(-3, 4, size=(n, 1))
    D = directions(M)
    for i in range(n):
        assert [int(D.mult[i]) * int(x) for x in D.P[i]] == [int(x) for x in M[i]]
        nz = [int(x) for x in D.P[i] if x]
        assert not nz or (nz[0] > 0 and np.gcd.reduce(np.abs(D.P[i])) == 1)
        for j in range(n):  # equal primitive rows exactly when the rows are parallel (zero rows aside)
            if D.mult[i] and D.mult[j]:
                parallel = all(int(M[i][s]) * int(M[j][t]) == int(M[i][t]) * int(M[j][s]) for s in range(d) for t in range(d))
                assert np.array_equal(D.P[i], D.P[j]) == parallel


def test_maximum_match_uses_the_certified_eps0_path_above_the_threshold(monkeypatch):
    a, b = relu_pair(30, 120, 1)
    monkeypatch.setattr(matching, "CERTIFIED_EXACT_FROM", 0)
    m = matching.maximum_match(a, b)
    assert m.gram_bounds and any(r.bound is not None for r in m.removals)
    monkeypatch.setattr(matching, "CERTIFIED_EXACT_FROM", 10**12)
    slow = matching.maximum_match(a, b)
    assert not slow.gram_bounds and all(r.bound is None for r in slow.removals)
    assert (m.x, m.y, m.zero_x, m.zero_y, m.similarity) == (slow.x, slow.y, slow.zero_x, slow.zero_y, slow.similarity)
    assert matching.is_exact_match(a, b, m.x, m.y)
    monkeypatch.setattr(matching, "CERTIFIED_EXACT_FROM", 0)
    wide = matching.maximum_match(a[:, :20], b[:, :20])  # both sides wider than the points: the exact path
    assert not wide.gram_bounds and len(wide.x) == len(wide.y) == 30


def test_a_kept_neuron_is_removed_when_the_final_span_loses_it(monkeypatch):
    """A neuron the floats cannot place outside is decided exactly, and the loop resumes after it."""
    monkeypatch.setattr(certified_eps0, "FAR", 2.0)  # no float test at all: every verdict by the exact path
    a, b = relu_pair(12, 40, 2)
    m = check(a, b, use_oracle=False)
    assert m.removals and all(r.bound is None for r in m.removals) and not m.gram_bounds


# --- certificates ----------------------------------------------------------------------------


def _problem(seed=0, n=6, d=10):
    """Two linear layers over d points in R^d sharing n/2 rows (the rest generic): the maximum match is the shared rows."""
    rng = random.Random(seed)
    pts = [[rng.randint(-4, 4) for _ in range(d)] for _ in range(d)]
    W = [[rng.randint(-3, 3) for _ in range(d)] for _ in range(n)]
    V = [[2 * x for x in r] for r in W[: n // 2]] + [[rng.randint(-3, 3) for _ in range(d)] for _ in range(n - n // 2)]
    net = lambda M: {"layers": [{"weights": [[str(x) for x in r] for r in M], "activation": "identity"}]}  # noqa: E731
    half = list(range(n // 2))
    claims = [
        {"id": "max", "kind": "maximum_match", "networks": ["f", "g"], "layer": 1, "equals": [half, half]},
        {"id": "none", "kind": "no_match", "networks": ["f", "g"], "layer": 1, "expect": False},
    ]
    return {"data": {"inputs": [[str(x) for x in p] for p in pts]}, "networks": {"f": net(W), "g": net(V)}, "claims": claims}


def _certificate(monkeypatch, seed=0):
    monkeypatch.setattr(matching, "CERTIFIED_EXACT_FROM", 0)
    return certify(problem_from_mapping(_problem(seed)))


def test_certificates_with_eps0_lower_bound_removals_check(monkeypatch):
    for seed in range(3):
        doc = _certificate(monkeypatch, seed)
        w = doc["results"][0]["witness"]
        assert w["removals"] and all("bound" in r for r in w["removals"]) and "gram_bounds" in w
        assert [r["valid"] for r in checker.check_certificate(doc)] == [True, True]


def test_tampered_eps0_certificates_are_rejected(monkeypatch):
    doc = _certificate(monkeypatch)
    w0 = doc["results"][0]["witness"]
    kept = w0["x"][0]

    def first(w):
        return w["removals"][0]

    def kept_neuron(w):  # a matched neuron lies in every superset's span: no positive bound exists
        first(w).update(neuron=kept, side="x")

    def zero_coefficients(w):  # r = z: the bound |z|^2 - |Y z|^2 / mu is not positive for a generic z
        first(w)["bound"]["coefficients"] = []

    def scale_member(w):
        i, cs = w["x_in_y"][0]
        cs[0][1] = str(2 * Fraction(cs[0][1]))

    def set_mu(value):
        return lambda w: w["gram_bounds"][0].__setitem__("mu", value)

    def orthogonal_instead(w):  # the exact path's form with a vector that is not orthogonal
        r = first(w)
        r.pop("bound")
        r.update(orthogonal=[[0, "1"]], product="1")

    cases = {
        "no gram bound": lambda w: w.pop("gram_bounds"),
        "not diagonally dominant by mu": set_mu("10000000000"),
        "mu and the scales must be positive": set_mu("-1"),
        "the lower bound does not show": kept_neuron,
        "does not show neuron": zero_coefficients,
        "do not reproduce": scale_member,
        "not orthogonal": orthogonal_instead,
    }
    for phrase, edit in cases.items():
        bad = copy.deepcopy(doc)
        edit(bad["results"][0]["witness"])
        msg = [r["message"] for r in checker.check_certificate(bad)][0]
        assert phrase in msg, (phrase, msg)
