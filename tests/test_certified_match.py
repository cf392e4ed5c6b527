"""The certified eps-match path (floats propose, exact integers verify) against exact oracles.

Truth comes from (a) an independent Fraction oracle written here (Gram-Schmidt distances and
Wang et al.'s removal loop), (b) the slow exact projection path of symrep (``matching._run``),
and (c) construction: ties at distance exactly eps hidden by a dyadic orthogonal change of
coordinates.  Every witness the certified path returns is re-verified here with Fractions,
and certificates carrying the new witness forms are checked, and tampered, with the checker.
"""

from __future__ import annotations

import copy
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.certificates import certify
from symrep.claims import problem_from_mapping
from symrep.exact import intmat
from symrep.exact.linalg import IntRows
from symrep.measures import matching
from symrep.measures.certified import certified_approx_match, certified_maximum_match, gram_bound

F = Fraction
EPS = [F(1, 10), F(1, 4), F(1, 3), F(1, 2), F(3, 5), F(1)]


# --- an independent oracle -------------------------------------------------------------------


def dot(u, v):
    return sum((a * b for a, b in zip(u, v)), F(0))


def dist2(z, rows):
    """Exact squared distance of z to span(rows), by Gram-Schmidt over Fractions."""
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


def oracle(A, B, eps2):
    """Wang et al.'s maximum eps-match by the removal loop, with exact distances (<= keeps)."""
    X, Y = list(range(len(A))), list(range(len(B)))
    while True:
        nx = [i for i in X if dist2(A[i], [B[j] for j in Y]) <= eps2 * dot(A[i], A[i])]
        ny = [j for j in Y if dist2(B[j], [A[i] for i in nx]) <= eps2 * dot(B[j], B[j])]
        if nx == X and ny == Y:
            return tuple(X), tuple(Y)
        X, Y = nx, ny


# --- independent verification of the witnesses -----------------------------------------------


def residual(z, coeffs, rows):
    r = [F(x) for x in z]
    for k, c in coeffs:
        r = [a - c * b for a, b in zip(r, rows[k])]
    return r


def gram_ok(gb, rows):
    """H - L L^T / 4^e diagonally dominant by mu, H the Gram of scales_k * rows_k (recomputed here)."""
    U = [[t * F(x) for x in rows[k]] for t, k in zip(gb.scales, gb.neurons)]
    n, four = len(U), 4 ** gb.factor_exponent
    for i in range(n):
        E = [dot(U[i], U[j]) - F(sum(a * b for a, b in zip(gb.factor[i], gb.factor[j])), four) for j in range(n)]
        if E[i] - sum(abs(x) for j, x in enumerate(E) if j != i) < gb.mu:
            return False
    return gb.mu > 0


def verify(A, B, m, eps2):
    """Replay the removals (each proved against what remained) and check the final memberships."""
    X, Y = set(range(len(A))), set(range(len(B)))
    grams = {g.side: g for g in m.gram_bounds}
    for g in m.gram_bounds:
        assert gram_ok(g, A if g.side == "x" else B)
    for r in m.removals:
        mine, other, keep = (A, B, Y) if r.side == "x" else (B, A, X)
        z = mine[r.neuron]
        assert r.neuron in (X if r.side == "x" else Y)
        if r.bound is None:
            w = dict(r.orthogonal)
            assert all(sum(F(x) * other[j][c] for c, x in w.items()) == 0 for j in keep)
            p = sum(F(x) * z[c] for c, x in w.items())
            assert p == r.product != 0
            assert p * p > eps2 * dot(z, z) * sum(F(x) ** 2 for x in w.values())
        else:
            assert all(k in keep for k, _ in r.bound.coefficients)
            g = grams["y" if r.side == "x" else "x"]
            t = dict(zip(g.neurons, g.scales))
            res = residual(z, r.bound.coefficients, other)
            live = [k for k in keep if any(other[k])]
            q2 = sum((t[k] * dot(other[k], res)) ** 2 for k in live)
            assert dot(res, res) - q2 / g.mu > eps2 * dot(z, z)
        (X if r.side == "x" else Y).discard(r.neuron)
    assert (m.x, m.y) == (tuple(sorted(X)), tuple(sorted(Y)))
    for mine, other, cover, keep in ((A, B, m.x_in_y, Y), (B, A, m.y_in_x, X)):
        for i, cs in cover:
            assert all(k in keep for k, _ in cs)
            res = residual(mine[i], cs, other)
            assert dot(res, res) <= eps2 * dot(mine[i], mine[i])


def frac_rows(a):
    return [[F(x) for x in r] for r in a]


def check_against_exact(a, b, eps):
    """The certified result equals the slow exact path's (and the oracle's), and its witnesses verify."""
    A, B = IntRows.from_array(np.asarray(a)) if hasattr(a, "dtype") else IntRows.of(frac_rows(a)), None
    B = IntRows.from_array(np.asarray(b)) if hasattr(b, "dtype") else IntRows.of(frac_rows(b))
    eps2 = eps * eps
    got = certified_maximum_match(A, B, eps2)
    slow = matching._run(A, B, eps2)
    assert got is not None
    assert (got.x, got.y, got.zero_x, got.zero_y) == (slow.x, slow.y, slow.zero_x, slow.zero_y)
    assert got.similarity == slow.similarity and got.eps_squared == slow.eps_squared
    assert {r.neuron for r in got.removals if r.side == "x"} == set(range(len(A))) - set(got.x)
    verify(A.fractions(), B.fractions(), got, eps2)
    return got


# --- generators ------------------------------------------------------------------------------


def relu_pair(n, d, seed, noise=0.1):
    rng = np.random.default_rng(seed)
    a = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    b = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    k = n // 3
    b[:k] = a[:k]
    b[k:2 * k] = np.maximum(a[k:2 * k] + noise * rng.standard_normal((k, d)), 0)
    return a, b


def dyadic_orthogonal(d, rng):
    """A random dyadic orthogonal d x d matrix (d a power of 4): signed, permuted Hadamard / sqrt(d)."""
    H = np.array([[1]])
    while len(H) < d:
        H = np.kron(H, np.array([[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]]))
    s = int(round(len(H) ** 0.5))
    Q = [[F(int(x), s) for x in row] for row in H]
    perm = list(range(d))
    rng.shuffle(perm)
    signs = [rng.choice((-1, 1)) for _ in range(d)]
    return [[signs[i] * Q[perm[i]][j] for j in range(d)] for i in range(d)]


#: (coordinate inside the span, coordinates outside) with outside^2 / total^2 == eps^2 exactly
TIES = {F(1, 10): (33, (3, 1, 1)), F(1, 4): (15, (3, 2, 1, 1)), F(1, 2): (3, (1, 1, 1)),
        F(3, 5): (4, (3,)), F(1, 3): (4, (1, 1)), F(1): (0, (1, 2))}


def tie_instance(eps, seed, d=16, k=5):
    """A: a neuron at relative distance exactly eps from span(B), neurons inside, one far; all rotated."""
    rng = random.Random(seed)
    a_in, outside = TIES[eps]
    assert F(sum(x * x for x in outside), a_in ** 2 + sum(x * x for x in outside)) == eps * eps
    e = [[F(int(i == j)) for j in range(d)] for i in range(d)]

    def comb(idx):
        return [sum((F(rng.randint(-3, 3)) * e[i][j] for i in idx), F(0)) for j in range(d)]

    # B and the inside neurons of A both span e_0 .. e_{k-1} for every seed: unit triangular combinations
    # (random small-integer combinations can be singular, and then the "tie" is no tie at all).
    def triangular(i):
        return [e[i][j] + sum((F(rng.randint(-3, 3)) * e[t][j] for t in range(i)), F(0)) for j in range(d)]

    B = [triangular(i) for i in range(k)] + [comb(range(k))]
    tie = [F(a_in) * e[0][j] + sum((F(x) * e[k + t][j] for t, x in enumerate(outside)), F(0)) for j in range(d)]
    far = [F(1) * e[0][j] + F(7) * e[d - 1][j] for j in range(d)]  # relative distance 7/sqrt(50) > every eps < 1
    A = [triangular(i) for i in range(k)] + [tie, far]
    Q = dyadic_orthogonal(d, rng)
    rot = [[dot(r, [Q[t][j] for t in range(d)]) for j in range(d)] for r in A + B]
    return rot[:len(A)], rot[len(A):], len(A) - 2


# --- tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("eps", [F(1, 10), F(1, 4), F(1, 2)])
@pytest.mark.parametrize("n,d", [(12, 40), pytest.param(30, 120, marks=pytest.mark.slow)])
def test_random_relu_layers_agree_with_the_exact_path(n, d, eps):
    for seed in range(2):
        a, b = relu_pair(n, d, seed)
        got = check_against_exact(a, b, eps)
        assert any(r.bound is not None for r in got.removals), "the lower-bound path is exercised"
        assert got.gram_bounds


@pytest.mark.parametrize("eps", sorted(TIES))
def test_ties_at_exactly_eps_are_kept(eps):
    for seed in range(3):
        A, B, tie = tie_instance(eps, seed)
        assert dist2(A[tie], B) == eps * eps * dot(A[tie], A[tie])  # the construction, checked exactly
        m = check_against_exact(A, B, eps)
        assert tie in m.x, "distance exactly eps is inside (Wang et al. use <=)"
        assert (tie + 1 in m.x) == (eps >= 1)
        assert (m.x, m.y) == oracle(A, B, eps * eps)


def test_ties_are_not_visible_coordinatewise():
    A, B, tie = tie_instance(F(1, 4), 0)
    assert sum(1 for x in A[tie] if x) > 8  # the rotation spreads the tie over many coordinates


@pytest.mark.parametrize("eps", [F(1, 10), F(1, 2), F(1)])
def test_rank_deficient_and_more_neurons_than_points(eps):
    rng = np.random.default_rng(3)
    base = rng.integers(-3, 4, size=(4, 9))
    a = np.vstack([base, base[:2] * 2, rng.integers(-3, 4, size=(3, 9)), np.zeros((1, 9), dtype=np.int64)])
    b = np.vstack([base[::-1], base[1:3] - base[0], np.zeros((2, 9), dtype=np.int64)])
    check_against_exact(a, b, eps)
    wide_a, wide_b = rng.integers(-2, 3, size=(14, 6)), rng.integers(-2, 3, size=(11, 6))
    m = check_against_exact(wide_a, wide_b, eps)
    assert len(m.x) + len(m.y) == 25 or eps < 1  # spans are all of Q^6 (when of full rank)


@pytest.mark.parametrize("eps", [F(1, 10), F(1, 4), F(1, 2)])
def test_ill_conditioned_nearly_parallel_neurons(eps):
    rng = np.random.default_rng(5)
    for scale in (2.0 ** -20, 2.0 ** -40, 2.0 ** -60):
        b = rng.standard_normal((8, 30))
        b[1] = b[0] + scale * rng.standard_normal(30)  # nearly parallel: a tiny singular value
        b[2] = b[3] * (1 + scale)
        a = np.vstack([b[:4] + scale * rng.standard_normal((4, 30)), rng.standard_normal((4, 30)),
                       b[0] + 0.2 * rng.standard_normal(30)])
        check_against_exact(a, b, eps)


@pytest.mark.parametrize("eps", [F(1, 4), F(1, 2)])
def test_rows_of_very_different_norms(eps):
    a, b = relu_pair(12, 40, 7)
    a = a * np.float32(2.0 ** -30)
    b[::3] *= np.float32(2.0 ** 40)
    check_against_exact(a, b, eps)


small = st.integers(-3, 3)


@st.composite
def integer_layers(draw):
    d = draw(st.integers(1, 7))
    na, nb = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    rows = st.lists(small, min_size=d, max_size=d)
    A = draw(st.lists(rows, min_size=na, max_size=na))
    B = draw(st.lists(rows, min_size=nb, max_size=nb))
    if draw(st.booleans()) and A and B:  # shared and scaled rows make matches likely
        B[0] = [2 * x for x in A[0]]
    return [[F(x) for x in r] for r in A], [[F(x) for x in r] for r in B]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(integer_layers(), st.sampled_from(EPS))
def test_property_certified_equals_oracle(layers, eps):
    A, B = layers
    m = check_against_exact(A, B, eps)
    assert (m.x, m.y) == oracle(A, B, eps * eps)


@settings(max_examples=60, deadline=None)
@given(integer_layers(), st.sampled_from(EPS))
def test_property_certified_approx_match(layers, eps):
    A, B = layers
    IA, IB = IntRows.of(A), IntRows.of(B)
    X, Y = range(len(A)), range(len(B))
    got = certified_approx_match(IA, IB, eps, X, Y)
    e2 = eps * eps
    truth = all(dist2(A[i], B) <= e2 * dot(A[i], A[i]) for i in X) and all(dist2(B[j], A) <= e2 * dot(B[j], B[j]) for j in Y)
    assert got.holds == truth
    if truth:
        for mine, other, cover in ((A, B, got.x_in_y), (B, A, got.y_in_x)):
            for i, cs in cover:
                res = residual(mine[i], cs, other)
                assert dot(res, res) <= e2 * dot(mine[i], mine[i])


def test_gram_bound_is_a_lower_bound_on_the_smallest_eigenvalue():
    rows = [[F(2), F(0), F(1)], [F(1), F(1), F(0)], [F(0), F(1), F(3)]]
    gb = gram_bound(IntRows.of(rows))
    assert gb is not None and gram_ok(gb, rows)
    # H - mu I is positive definite: its leading principal minors are positive (Sylvester), exactly
    U = [[t * x for x in rows[k]] for t, k in zip(gb.scales, gb.neurons)]
    H = [[dot(u, v) - (gb.mu if i == j else 0) for j, v in enumerate(U)] for i, u in enumerate(U)]
    assert H[0][0] > 0 and H[0][0] * H[1][1] - H[0][1] ** 2 > 0
    det = sum(H[0][j] * (H[1][(j + 1) % 3] * H[2][(j + 2) % 3] - H[1][(j + 2) % 3] * H[2][(j + 1) % 3]) for j in range(3))
    assert det > 0
    assert gram_bound(IntRows.of([[F(1), F(2)], [F(2), F(4)]])) is None  # singular: no bound


def test_maximum_match_uses_the_certified_path_above_the_threshold(monkeypatch):
    a, b = relu_pair(30, 120, 1)
    assert (60 * 120) >= matching.CERTIFIED_FROM
    m = matching.maximum_match(a, b, "1/4")
    assert m.gram_bounds and any(r.bound is not None for r in m.removals)
    monkeypatch.setattr(matching, "CERTIFIED_FROM", 10**12)
    slow = matching.maximum_match(a, b, "1/4")
    assert not slow.gram_bounds
    assert (m.x, m.y, m.zero_x, m.zero_y, m.similarity) == (slow.x, slow.y, slow.zero_x, slow.zero_y, slow.similarity)
    assert matching.match_similarity(a, b, "1/4") == slow.similarity
    for eps in ("1/4", "1/2"):  # the maximum 1/4-match is an eps-match for every eps >= 1/4
        assert matching.approx_match(a, b, eps, m.x, m.y).holds
        assert not matching.approx_match(a, b, eps).holds


# --- certificates with the new witness forms -------------------------------------------------


def _problem(seed=0, n=6, d=10):
    """Two linear layers (identity activation) over d points of dimension d: generic, full-rank spans."""
    rng = random.Random(seed)
    pts = [[rng.randint(-4, 4) for _ in range(d)] for _ in range(d)]
    W = [[rng.randint(-3, 3) for _ in range(d)] for _ in range(n)]
    V = W[: n // 2] + [[rng.randint(-3, 3) for _ in range(d)] for _ in range(n - n // 2)]
    V[n // 2] = [x + (1 if j == 0 else 0) for j, x in enumerate(W[n // 2])]  # perturbed: close at large eps
    net = lambda M: {"layers": [{"weights": [[str(x) for x in r] for r in M], "activation": "identity"}]}  # noqa: E731
    claims = [
        {"id": "max", "kind": "maximum_approx_match", "networks": ["f", "g"], "layer": 1, "eps": "1/4",
         "equals": [list(range(n // 2)), list(range(n // 2))]},
        {"id": "sim", "kind": "match_similarity", "networks": ["f", "g"], "layer": 1, "eps": "1/2", "equals": "1/2"},
        {"id": "approx-false", "kind": "approx_match", "networks": ["f", "g"], "layer": 1, "eps": "1/4", "expect": False},
    ]
    return {"data": {"inputs": [[str(x) for x in p] for p in pts]}, "networks": {"f": net(W), "g": net(V)}, "claims": claims}


def _certificate(monkeypatch, seed=0):
    monkeypatch.setattr(matching, "CERTIFIED_FROM", 0)
    return certify(problem_from_mapping(_problem(seed)))


def _valid(doc):
    return [r["valid"] for r in checker.check_certificate(doc)]


def test_certificates_with_lower_bound_witnesses_check(monkeypatch):
    for seed in range(3):
        doc = _certificate(monkeypatch, seed)
        results = doc["results"]
        assert any("bound" in r for r in results[0]["witness"]["removals"])
        assert "gram_bounds" in results[0]["witness"] and "bound" in results[2]["witness"]
        assert _valid(doc) == [True, True, True]


def _tamper(doc, claim, edit):
    bad = copy.deepcopy(doc)
    edit(bad["results"][claim]["witness"])
    return [r["message"] for r in checker.check_certificate(bad)][claim]


def _first_bound(w):
    return next(r for r in w["removals"] if "bound" in r)


def test_tampered_lower_bound_witnesses_are_rejected(monkeypatch):
    doc = _certificate(monkeypatch)
    w0 = doc["results"][0]["witness"]
    kept = w0["x"][0]

    def kept_neuron(w):  # a neuron of the maximum match is within eps of every superset's span
        _first_bound(w)["neuron"] = kept
        _first_bound(w)["side"] = "x"

    def set_mu(value):
        return lambda w: w["gram_bounds"][0].__setitem__("mu", value)

    def big_factor(w):
        g = w["gram_bounds"][0]
        g["factor"][0][0] += 10 * 2 ** g["factor_exponent"]

    def uncover(w):  # drop the last neuron of the other side from the bound the first removal relies on
        g = next(g for g in w["gram_bounds"] if g["side"] == "y")
        for key in ("neurons", "scales", "factor"):
            g[key].pop()

    first = w0["removals"][0]
    assert "bound" in first and first["side"] == "x" and first["round"] == 1  # removed against all of Y

    cases = {
        "no gram bound": lambda w: w.pop("gram_bounds"),
        "mu and the scales must be positive": set_mu("0"),
        "not diagonally dominant by mu": set_mu("100"),
        "not diagonally dominant": big_factor,
        "expected 1 entries": lambda w: w["gram_bounds"][0]["factor"][0].append(0),
        "the lower bound does not show": kept_neuron,
        "uses a neuron outside the other side": lambda w: _first_bound(w)["bound"]["coefficients"].append([10**6, "1"]),
        "no gram bound covers": uncover,
    }
    for phrase, edit in cases.items():
        msg = _tamper(doc, 0, edit)
        assert msg != "checked", phrase
        if phrase != "uses a neuron outside the other side":
            assert phrase in msg, (phrase, msg)
    msg = _tamper(doc, 2, lambda w: w.pop("gram_bounds"))
    assert "no gram bound" in msg
    msg = _tamper(doc, 2, lambda w: w["gram_bounds"][0].__setitem__("mu", "100"))
    assert "diagonally dominant" in msg


# --- the exact products ----------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.sampled_from([1, 7, 300, 5000]), st.sampled_from([2, 30, 47, 52]), st.randoms())
def test_modular_products_equal_python_integer_products(n, m, d, bits, rnd):
    from symrep.measures import certified

    lim = 2**bits - 1
    X = [[rnd.choice((-lim, lim, rnd.randint(-lim, lim))) for _ in range(d)] for _ in range(n)]
    Y = [[rnd.randint(-lim, lim) for _ in range(d)] for _ in range(m)]
    ref = [[sum(a * b for a, b in zip(x, y)) for y in Y] for x in X]  # plain Python integers
    assert certified._cross(X, Y) == ref == intmat.modular_product(certified._ints(X), certified._ints(Y)).exact().tolist()
    assert certified._gram(X) == [[sum(a * b for a, b in zip(x, z)) for z in X] for x in X]


def test_products_beyond_float_range_fall_back_to_flint():
    from symrep.measures import certified

    X = [[2**60 + 1, -3], [5, 2**70]]
    assert certified._ints(X).dtype == object  # beyond int64: Python integers, multiplied by flint
    assert certified._gram(X) == [[(2**60 + 1) ** 2 + 9, 5 * (2**60 + 1) - 3 * 2**70], [5 * (2**60 + 1) - 3 * 2**70, 25 + 2**140]]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(1, 7), st.sampled_from([3, 50, 52]), st.sampled_from([5, 107, 300]), st.randoms())
def test_modular_square_products_equal_python_integer_products(k, n, cbits, gbits, rnd):
    from symrep.measures import certified

    C = [[rnd.randint(-2**cbits + 1, 2**cbits - 1) for _ in range(n)] for _ in range(k)]
    G = [[rnd.choice((0, -2**gbits, rnd.randint(-2**gbits, 2**gbits))) for _ in range(n)] for _ in range(n)]
    ref = [[sum(C[i][t] * G[t][j] for t in range(n)) for j in range(n)] for i in range(k)]
    Gt = intmat.Operand.of(np.array([list(col) for col in zip(*G)], dtype=object))  # _mul(C, H) is C H^T
    assert certified._mul(C, Gt).tolist() == ref
    assert certified._mul(C, Gt.sub(range(n), range(n))).tolist() == ref


def test_explain_renders_lower_bound_removals(monkeypatch):
    from symrep.certificates.explain import explain

    text = explain(_certificate(monkeypatch))
    assert "certified lower bound on the smallest eigenvalue" in text


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(TIES)), st.integers(0, 10**6))
def test_property_hidden_ties_stay_inside(eps, seed):
    A, B, tie = tie_instance(eps, seed)
    m = check_against_exact(A, B, eps)
    assert tie in m.x and (m.x, m.y) == oracle(A, B, eps * eps)


@settings(max_examples=20, deadline=None)
@given(st.integers(3, 14), st.integers(10, 40), st.sampled_from([F(1, 10), F(1, 4), F(1, 2)]), st.integers(0, 10**6),
       st.sampled_from([0.0, 1e-3, 0.1, 0.3]))
def test_property_relu_layers_agree_with_the_exact_path(n, d, eps, seed, noise):
    a, b = relu_pair(n, d, seed, noise)
    check_against_exact(a, b, eps)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["float16", "float32", "float64", "int32", "int64"]), st.integers(1, 4), st.integers(1, 6), st.randoms())
def test_scaled_arrays_are_the_integer_rows(dtype, n, d, rnd):
    from symrep.measures import certified

    pool = [0.0, 1.0, -2.5, 3e-8, 2.0 ** -20, 1e-40, 7.0, 65504.0] if dtype.startswith("float") else [0, 1, -5, 2**20]
    a = np.array([[rnd.choice(pool) for _ in range(d)] for _ in range(n)]).astype(dtype)
    R = IntRows.from_array(a)
    F_ = certified._scaled(a, R)
    assert F_ is not None
    assert [[int(x) for x in row] for row in F_.tolist()] == R.ints  # exactly the integer rows
