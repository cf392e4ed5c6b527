"""Wang et al.'s notions (eps-matches, simple matches) and the equivalence ladder, as exact properties."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.certificates import certify, dump_certificate
from symrep.claims import loads_claim_file
from symrep.measures.equivalence import LEVELS, cka_squared, equivalence, ladder
from symrep.measures.matching import approx_match, critical_epsilon, is_exact_match, maximum_match
from symrep.measures.simple import all_matches, decompose, minimal_match, simple_match_evidence, simple_matches

small = st.integers(-2, 2).map(Fraction)


@st.composite
def layer_pairs(draw, max_n=3, max_d=4, same_width=False):
    d = draw(st.integers(1, max_d))
    na = draw(st.integers(1, max_n))
    nb = na if same_width else draw(st.integers(1, max_n))
    A = [[draw(small) for _ in range(d)] for _ in range(na)]
    B = [[draw(small) for _ in range(d)] for _ in range(nb)]
    if draw(st.booleans()) and nb >= 1:  # share structure so matches are not always empty
        B[0] = list(A[0])
    return A, B


def mul(M, A):
    return [[sum((M[i][k] * A[k][j] for k in range(len(A))), Fraction(0)) for j in range(len(A[0]))] for i in range(len(M))]


eps_values = st.sampled_from([Fraction(0), Fraction(1, 10), Fraction(1, 4), Fraction(1, 2), Fraction(9, 10), Fraction(1)])


# --- eps-matches ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(layer_pairs(), eps_values, eps_values)
def test_eps_match_is_monotone_in_eps(pair, e1, e2):
    A, B = pair
    lo, hi = sorted((e1, e2))
    m_lo, m_hi = maximum_match(A, B, lo), maximum_match(A, B, hi)
    assert set(m_lo.x) <= set(m_hi.x) and set(m_lo.y) <= set(m_hi.y)


@settings(max_examples=60, deadline=None)
@given(layer_pairs())
def test_eps_zero_is_the_exact_match(pair):
    A, B = pair
    m = maximum_match(A, B)
    # the projection path with eps^2 = 0 must agree with the fast exact path
    c = critical_epsilon(A, B, 0)
    assert (c.match.x, c.match.y) == (m.x, m.y)
    assert approx_match(A, B, 0, m.x, m.y).holds == is_exact_match(A, B, m.x, m.y)


def _rel2(z, rows):
    """Squared relative distance of z to span(rows), by brute force through SymPy."""
    import sympy

    if not any(z):
        return Fraction(0)
    if not rows:
        return Fraction(1)
    M = sympy.Matrix([[sympy.Rational(x.numerator, x.denominator) for x in r] for r in rows]).T
    v = sympy.Matrix([sympy.Rational(x.numerator, x.denominator) for x in z])
    proj = M * (M.T * M).pinv() * M.T * v
    r = v - proj
    d2, n2 = (r.T * r)[0], (v.T * v)[0]
    q = sympy.nsimplify(d2 / n2)
    return Fraction(int(q.p), int(q.q))


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(layer_pairs(max_n=2, max_d=3), eps_values)
def test_approx_match_agrees_with_the_definition(pair, eps):
    A, B = pair
    X, Y = tuple(range(len(A))), tuple(range(len(B)))
    expected = all(_rel2(A[i], [B[j] for j in Y]) <= eps * eps for i in X) and all(
        _rel2(B[j], [A[i] for i in X]) <= eps * eps for j in Y
    )
    assert approx_match(A, B, eps).holds == expected


@settings(max_examples=40, deadline=None)
@given(layer_pairs(max_n=3, max_d=3), st.integers(0, 3))
def test_critical_epsilon_is_the_smallest(pair, size):
    A, B = pair
    assume(size <= min(len(A), len(B)))
    c = critical_epsilon(A, B, size)
    assert min(len(c.match.x), len(c.match.y)) >= size
    if c.eps_squared > 0:  # just below it, the match is too small
        from symrep.measures.matching import _pair, _run

        a, b, _ = _pair(A, B)
        below = _run(a, b, c.eps_squared * Fraction(999_999, 1_000_000))
        assert min(len(below.x), len(below.y)) < size


def test_critical_epsilon_is_a_square_root():
    c = critical_epsilon([[1, 0]], [[1, 1]], 1)
    assert c.eps_squared == Fraction(1, 2) and c.text == "sqrt(1/2)"


# --- simple matches ------------------------------------------------------------------------------


def brute_matches(A, B):
    out = []
    for kx in range(len(A) + 1):
        for X in combinations(range(len(A)), kx):
            for ky in range(len(B) + 1):
                for Y in combinations(range(len(B)), ky):
                    if not X and not Y:
                        out.append((X, Y))
                    elif not X or not Y:
                        if all(not any(A[i]) for i in X) and all(not any(B[j]) for j in Y):
                            out.append((X, Y))
                    elif is_exact_match(A, B, X, Y):
                        out.append((X, Y))
    return out


@settings(max_examples=40, deadline=None)
@given(layer_pairs())
def test_all_matches_agree_with_brute_force(pair):
    A, B = pair
    assert sorted(all_matches(A, B)) == sorted(brute_matches(A, B))


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(layer_pairs())
def test_every_match_is_the_union_of_its_simple_matches(pair):
    A, B = pair
    simple = set(simple_matches(A, B))
    for X, Y in all_matches(A, B):
        if not X and not Y:
            continue
        parts = decompose(A, B, X, Y)
        assert set(parts) <= simple
        assert set().union(*(set(p[0]) for p in parts)) == set(X)
        assert set().union(*(set(p[1]) for p in parts)) == set(Y)
        assert simple_match_evidence(A, B, X, Y)["simple"] == ((X, Y) in simple)


@settings(max_examples=40, deadline=None)
@given(layer_pairs())
def test_minimal_match_is_a_match_containing_v(pair):
    A, B = pair
    matches = set(all_matches(A, B))
    m = maximum_match(A, B)
    for v in range(len(A)):
        got = minimal_match(A, B, "x", v)
        if v not in m.x:
            assert got is None
        else:
            assert got in matches and v in got[0]


# --- the ladder ----------------------------------------------------------------------------------


IMPLIES = [("identical", "permutation"), ("permutation", "scaled_permutation"), ("permutation", "orthogonal"),
           ("scaled_permutation", "linear"), ("orthogonal", "linear"), ("linear", "isomorphic")]


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(layer_pairs(same_width=True), st.booleans())
def test_ladder_implications(pair, centered):
    A, B = pair
    got = {e.level: e.holds for e in ladder(A, B, centered=centered)}
    for strong, weak in IMPLIES:
        assert not got[strong] or got[weak], (strong, weak, A, B)


@settings(max_examples=60, deadline=None)
@given(layer_pairs(same_width=True))
def test_linear_is_the_exact_match_of_whole_layers(pair):
    A, B = pair
    assert equivalence(A, B, "linear").holds == is_exact_match(A, B)


STRICT = {  # a pair where the weaker notion holds and the stronger fails
    ("identical", "permutation"): ([[1, 0], [0, 1]], [[0, 1], [1, 0]]),
    ("permutation", "scaled_permutation"): ([[2, 0]], [[1, 0]]),
    ("permutation", "orthogonal"): ([[1, 0], [0, 1]], [[0, 1], [-1, 0]]),
    ("scaled_permutation", "linear"): ([[1, 0], [0, 1]], [[1, 1], [0, 1]]),
    ("orthogonal", "linear"): ([[1, 0]], [[2, 0]]),
    ("linear", "isomorphic"): ([[1, 0]], [[0, 1]]),
}


@pytest.mark.parametrize("strong,weak", IMPLIES)
def test_each_implication_is_strict(strong, weak):
    A, B = STRICT[(strong, weak)]
    assert equivalence(A, B, weak).holds and not equivalence(A, B, strong).holds


def test_scaled_permutation_and_orthogonal_are_incomparable():
    A, B = [[2, 0]], [[1, 0]]
    assert equivalence(A, B, "scaled_permutation").holds and not equivalence(A, B, "orthogonal").holds
    A, B = [[1, 0], [0, 1]], [[0, 1], [-1, 0]]
    assert equivalence(A, B, "orthogonal").holds and not equivalence(A, B, "scaled_permutation").holds


def _gram(M):
    """M^T M over the data points (columns), by plain Fraction arithmetic."""
    d = len(M[0])
    return [[sum((Fraction(r[i]) * r[j] for r in M), Fraction(0)) for j in range(d)] for i in range(d)]


def _norm2(M, w):
    return sum((sum((Fraction(r[j]) * x for j, x in w.items()), Fraction(0)) ** 2 for r in M), Fraction(0))


# Found by test_ladder_implications: over a basis of B's rows the Grams differ by [[0, d], [d, e]] with
# e != 0, where a witness e_0 + e_1 can give equal norms; the witness must separate them (here e_1 does).
ORTHOGONAL_REFUTATIONS = [
    ([[-1, 0], [1, 0], [1, 1]], [[-1, 0], [2, 2], [-2, -1]]),
    ([[1, 0], [0, 1]], [[1, 1], [0, 1]]),
    ([[1, 2]], [[2, 1]]),
]


@pytest.mark.parametrize("A, B", ORTHOGONAL_REFUTATIONS)
def test_orthogonal_refutation_witness_separates_the_norms(A, B):
    assert _gram(A) != _gram(B)  # the truth: A = Q B with Q orthogonal iff A^T A == B^T B
    e = equivalence(A, B, "orthogonal")
    assert e.holds is False
    w = {j: Fraction(x) for j, x in e.witness["vector"]}
    na, nb = _norm2(A, w), _norm2(B, w)
    assert na != nb and [na, nb] == [Fraction(x) for x in e.witness["norms"]]


@settings(max_examples=40, deadline=None)
@given(layer_pairs(same_width=True))
def test_linear_witness_multiplies_out(pair):
    A, B = pair
    e = equivalence(A, B, "linear")
    if e.holds:
        M = [[Fraction(x) for x in r] for r in e.witness["map"]]
        Minv = [[Fraction(x) for x in r] for r in e.witness["inverse"]]
        assert mul(M, B) == [list(r) for r in A]
        n = len(A)
        assert mul(M, Minv) == [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]


# --- CKA -----------------------------------------------------------------------------------------

ORTHOGONAL = [
    [[1, 0], [0, 1]],
    [[0, 1], [-1, 0]],
    [[Fraction(3, 5), Fraction(4, 5)], [Fraction(-4, 5), Fraction(3, 5)]],
]


@st.composite
def two_neuron_pairs(draw):
    d = draw(st.integers(2, 4))
    A = [[draw(small) for _ in range(d)] for _ in range(2)]
    B = [[draw(small) for _ in range(d)] for _ in range(2)]
    A[0][0] = A[0][1] + 1  # never constant over the data
    B[1][0] = B[1][1] + 1
    return A, B


@settings(max_examples=60, deadline=None)
@given(two_neuron_pairs(), st.sampled_from(ORTHOGONAL), st.sampled_from([Fraction(1, 3), Fraction(2), Fraction(-5)]))
def test_cka_is_invariant_under_orthogonal_maps_and_isotropic_scaling(pair, Q, s):
    A, B = pair
    Qf = [[Fraction(x) for x in r] for r in Q]
    QA = mul(Qf, A)
    sB = [[s * x for x in r] for r in B]
    assert cka_squared(QA, sB) == cka_squared(A, B)
    assert 0 <= cka_squared(A, B) <= 1


def test_cka_high_without_a_match():
    # Nearly parallel but not identical directions: CKA close to 1, the maximum match empty.
    A = [[1, 2, 3, 4]]
    B = [[1, 2, 3, 5]]
    assert cka_squared(A, B) > Fraction(9, 10)
    assert maximum_match(A, B).empty


# --- certificates for the new claim kinds --------------------------------------------------------

CLAIMS = """
[data]
inputs = [[1, 0], [0, 1], [1, 1]]
[networks.f]
layers = [{ weights = [[1, 0], [0, 1]], activation = "relu" }]
[networks.g]
layers = [{ weights = [[0, 2], [1, 0]], activation = "relu" }]
[networks.h]
layers = [{ weights = [[1, 1], [1, -1]], activation = "identity" }]
""" + "".join(
    f"""
[[claims]]
id = "{level}-{centered}-{pair}"
kind = "equivalence"
networks = {json.dumps(pair)}
layer = 1
level = "{level}"
centered = {centered}
expect = {expect}
"""
    for level in LEVELS
    for centered in ("false", "true")
    for pair, expect in ((["f", "g"], "true"), (["f", "h"], "true"))
) + """
[[claims]]
id = "approx"
kind = "approx_match"
networks = ["f", "h"]
layer = 1
neurons = [[0], [0]]
eps = 0.5
[[claims]]
id = "approx-tight"
kind = "approx_match"
networks = ["f", "h"]
layer = 1
neurons = [[0], [0]]
eps = 0.49
[[claims]]
id = "max-approx"
kind = "maximum_approx_match"
networks = ["f", "h"]
layer = 1
eps = "1/4"
equals = [[], []]
[[claims]]
id = "similarity"
kind = "match_similarity"
networks = ["f", "h"]
layer = 1
eps = "1/2"
equals = 1
[[claims]]
id = "simple"
kind = "simple_match"
networks = ["f", "g"]
layer = 1
neurons = [[0], [1]]
[[claims]]
id = "not-simple"
kind = "simple_match"
networks = ["f", "g"]
layer = 1
neurons = [[0, 1], [0, 1]]
[[claims]]
id = "all-simple"
kind = "simple_matches"
networks = ["f", "h"]
layer = 1
equals = [[[0, 1], [0, 1]]]
[[claims]]
id = "not-a-match"
kind = "simple_match"
networks = ["f", "h"]
layer = 1
neurons = [[0], [0]]
"""


def test_new_kinds_certify_and_check_and_tampering_is_caught():
    problem = loads_claim_file(CLAIMS)
    cert = json.loads(dump_certificate(certify(problem)))
    reports = checker.check_certificate(cert)
    assert all(r["valid"] for r in reports), [r for r in reports if not r["valid"]]
    verdicts = {r["id"]: r["verdict"] for r in cert["results"]}
    assert verdicts["approx"] and not verdicts["approx-tight"]
    assert verdicts["simple"] and not verdicts["not-simple"] and not verdicts["not-a-match"]
    # flipping any verdict must be rejected
    for k in range(len(cert["results"])):
        bad = json.loads(json.dumps(cert))
        bad["results"][k]["verdict"] = not bad["results"][k]["verdict"]
        assert not checker.check_certificate(bad)[k]["valid"], cert["results"][k]["id"]
    # loosening eps in the problem of a tight refutation must be rejected
    bad = json.loads(json.dumps(cert))
    k = next(i for i, c in enumerate(bad["problem"]["claims"]) if c["id"] == "approx-tight")
    bad["problem"]["claims"][k]["eps"] = "1/2"
    assert not checker.check_certificate(bad)[k]["valid"]
