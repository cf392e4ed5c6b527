"""``invariance`` under named transform families: true only with a proof, false with a member that is checked here.

Oracles: CKA^2 by the textbook formula (test_cka's ref_cka2) and the maximum eps-match by brute force over neuron
sets (_oracle.maximum_match), both independent of symrep; family membership (Q^T Q = I, 0/1 entries, T T^-1 = I)
is checked here with Fractions.  A true verdict is confronted with random members drawn here (Cayley transforms
of random skew matrices, random permutations, scalings, translations).
"""

from __future__ import annotations

import copy
import json
import random
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.certificates import certify, dump_certificate
from symrep.claims import loads_claim_file
from symrep.claims.kinds.invariance import FAMILIES, members
from symrep.claims.verdicts import verify_problem

import _oracle
from test_cka import ref_cka2

POINTS = [[1, 0], [0, 1], [2, 1], [1, 3], [-1, 2]]


def problem_text(wf, wg, measures) -> str:
    out = f"[data]\ninputs = {POINTS}\n"
    out += f'[networks.f]\nlayers = [ {{ weights = {wf}, activation = "identity" }} ]\n'
    out += f'[networks.g]\nlayers = [ {{ weights = {wg}, activation = "identity" }} ]\n'
    for m in measures:
        for fam in FAMILIES:
            out += (f'[[claims]]\nid = "{m} {fam}"\nkind = "invariance"\nnetworks = ["f", "g"]\nlayer = 1\n'
                    f'measure = "{m}"\ntransform = {{ family = "{fam}" }}\n')
    return out


def acts(W):
    """Rows = neurons: neuron i over the points is sum_j W[i][j] x_j."""
    return [[sum(F(w) * x for w, x in zip(row, p)) for p in POINTS] for row in W]


def apply(A, how, value):
    """The first representation transformed (X T: new neuron j = sum_i T[i][j] neuron i; X + t; c X), here."""
    if how == "scale":
        return [[F(value) * x for x in r] for r in A]
    if how == "translation":
        return [[x + F(t) for x in r] for r, t in zip(A, value)]
    T = [[F(x) for x in r] for r in value]
    return [[sum(T[i][j] * A[i][p] for i in range(len(A))) for p in range(len(A[0]))] for j in range(len(T[0]))]


def mm(X, Y):
    return [[sum(a * b for a, b in zip(r, c)) for c in zip(*Y)] for r in X]


def identity(n):
    return [[F(int(i == j)) for j in range(n)] for i in range(n)]


def in_family(fam, how, value, inverse, n) -> bool:
    if fam == "isotropic_scaling":
        return how == "scale" and F(value) != 0
    if fam == "translation":
        return how == "translation" and len(value) == n
    T = [[F(x) for x in r] for r in value]
    if how != "matrix" or len(T) != n or any(len(r) != n for r in T):
        return False
    if fam == "invertible_linear":
        return mm(T, [[F(x) for x in r] for r in inverse]) == identity(n)
    orthogonal = mm([list(c) for c in zip(*T)], T) == identity(n)
    return orthogonal and (fam == "orthogonal" or all(x in (0, 1) for r in T for x in r))


def cayley(n, rng):
    """(I - S)(I + S)^-1 for a random rational skew S, by Gauss-Jordan over Fractions."""
    S = [[F(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            S[i][j] = F(rng.randint(-3, 3), rng.randint(1, 3))
            S[j][i] = -S[i][j]
    M = [[F(int(i == j)) + S[i][j] for j in range(n)] + identity(n)[i] for i in range(n)]
    for c in range(n):
        p = next(r for r in range(c, n) if M[r][c] != 0)
        M[c], M[p] = M[p], M[c]
        M[c] = [x / M[c][c] for x in M[c]]
        for r in range(n):
            if r != c and M[r][c] != 0:
                M[r] = [a - M[r][c] * b for a, b in zip(M[r], M[c])]
    inv = [row[n:] for row in M]
    return mm([[F(int(i == j)) - S[i][j] for j in range(n)] for i in range(n)], inv)


def random_member(fam, n, rng):
    if fam == "isotropic_scaling":
        return "scale", F(rng.choice([-3, -1, 2, 5]), rng.randint(1, 4))
    if fam == "translation":
        return "translation", [F(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(n)]
    if fam == "permutation":
        perm = rng.sample(range(n), n)
        return "matrix", [[F(int(perm[j] == i)) for j in range(n)] for i in range(n)]
    return "matrix", cayley(n, rng)


weights = st.integers(1, 3).flatmap(lambda n: st.lists(st.lists(st.integers(-2, 2), min_size=2, max_size=2),
                                                       min_size=n, max_size=n))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weights, weights, st.randoms(use_true_random=False))
def test_cka_families_against_the_textbook_formula(wf, wg, rng):
    problem = loads_claim_file(problem_text(wf, wg, ["cka"]))
    A, B = acts(wf), acts(wg)
    before = ref_cka2(A, B) if any(any(x != r[0] for x in r) for r in A) and any(any(x != r[0] for x in r) for r in B) \
        else None
    for v in verify_problem(problem):
        fam = v.claim.params.transform[1]
        w = v.witness
        if before is None:
            assert v.holds is False and "undefined" in w
        elif v.holds is True:
            assert fam != "invertible_linear"  # CKA has no such proof
            for _ in range(3):
                how, value = random_member(fam, len(A), rng)
                assert ref_cka2(apply(A, how, value), B) == before, (fam, how, value)
        elif v.holds is False:
            (how, value), = w["member"].items()
            assert in_family(fam, how, value, w.get("inverse"), len(A))
            assert ref_cka2(apply(A, how, value), B) != before
        else:  # no proof for the family, and no member tried changes the value (e.g. a layer of rank 1)
            assert fam == "invertible_linear"
            assert all(ref_cka2(apply(A, how, value), B) == before for how, value, _ in members(fam, len(A)))
    doc = json.loads(dump_certificate(certify(problem)))
    assert all(r["valid"] for r in checker.check_certificate(doc)), checker.check_certificate(doc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weights, weights, st.sampled_from(["0", "1/2"]), st.randoms(use_true_random=False))
def test_match_similarity_families_against_brute_force(wf, wg, eps, rng):
    problem = loads_claim_file(problem_text(wf, wg, [f"match_similarity:{eps}"]))
    A, B, e2 = acts(wf), acts(wg), F(eps) ** 2

    def similarity(M):
        X, Y = _oracle.maximum_match(M, B, e2)
        return F(len(X) + len(Y), len(M) + len(B))

    before = similarity(A)
    for v in verify_problem(problem):
        fam = v.claim.params.transform[1]
        w = v.witness
        if v.holds is True:
            assert fam in ("permutation", "isotropic_scaling")
            for _ in range(3):
                assert similarity(apply(A, *random_member(fam, len(A), rng))) == before
        elif v.holds is False:
            (how, value), = w["member"].items()
            assert in_family(fam, how, value, w.get("inverse"), len(A))
            assert similarity(apply(A, how, value)) != before
        else:  # no proof, and no member tried changes it: every member tried keeps the value
            assert fam not in ("permutation", "isotropic_scaling")
            assert all(similarity(apply(A, how, value)) == before for how, value, _ in members(fam, len(A)))
    doc = json.loads(dump_certificate(certify(problem)))
    assert all(r["valid"] for r in checker.check_certificate(doc)), checker.check_certificate(doc)


def test_members_belong_to_their_families():
    for n in (1, 2, 3, 5):
        for fam in FAMILIES:
            for how, value, inverse in members(fam, n):
                assert in_family(fam, how, value, inverse, n), (fam, n, how, value)


FIXED = problem_text([[1, 0], [0, 1]], [[2, 1], [1, -1]], ["cka", "procrustes", "match_similarity:0", "mutual_knn:1"])


@pytest.fixture(scope="module")
def fixed():
    problem = loads_claim_file(FIXED)
    return {v.claim.id: v for v in verify_problem(problem)}, json.loads(dump_certificate(certify(problem)))


def test_fixed_instance_verdicts_and_certificates(fixed):
    v, doc = fixed
    assert v["cka orthogonal"].holds is True and v["cka invertible_linear"].holds is False
    assert v["procrustes isotropic_scaling"].holds is False and v["procrustes translation"].holds is True
    assert v["match_similarity:0 permutation"].holds is True
    reports = {r["id"]: r for r in checker.check_certificate(doc)}
    for cid, x in v.items():
        if x.holds is not None:
            assert reports[cid]["valid"], (cid, reports[cid]["message"])


def _tampered(doc, cid, edit):
    doc = copy.deepcopy(doc)
    k = next(i for i, c in enumerate(doc["problem"]["claims"]) if c["id"] == cid)
    edit(doc["problem"]["claims"][k], doc["results"][k])
    return next(r for r in checker.check_certificate(doc) if r["id"] == cid)


BAD = {
    "true-without-proof": ("procrustes isotropic_scaling", lambda c, r: r.update(verdict=True), "no proof that procrustes"),
    "true-for-invertible-cka": ("cka invertible_linear", lambda c, r: r.update(verdict=True), "no proof that cka"),
    "member-not-orthogonal": ("cka invertible_linear",
                              lambda c, r: (c["transform"].update(family="orthogonal"), r["witness"].pop("inverse")),
                              "not in the family orthogonal"),
    "member-wrong-inverse": ("cka invertible_linear", lambda c, r: r["witness"].update(inverse=[["1", "0"], ["0", "1"]]),
                             "not in the family invertible_linear"),
    "member-scale-for-translation": ("procrustes isotropic_scaling",
                                     lambda c, r: c["transform"].update(family="translation"), "not in the family"),
    "member-sign-forged": ("cka invertible_linear", lambda c, r: r["witness"].update(sign=0), "the witness or the verdict"),
    "unknown-family": ("cka orthogonal", lambda c, r: c["transform"].update(family="affine"), "no proof that cka"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_tampered_family_certificates_are_rejected(fixed, name):
    cid, edit, phrase = BAD[name]
    report = _tampered(fixed[1], cid, edit)
    assert not report["valid"] and phrase in report["message"], report["message"]


def test_a_permutation_member_must_be_zero_one(fixed):
    """A rotation is orthogonal but not a permutation: the checker refuses it as a permutation member."""
    _, doc = fixed
    rot = [["3/5", "-4/5"], ["4/5", "3/5"]]

    def edit(c, r):
        c["transform"].update(family="permutation")
        r["witness"].pop("inverse")
        r["witness"]["member"] = {"matrix": rot}
    report = _tampered(doc, "cka invertible_linear", edit)
    assert not report["valid"] and "not in the family permutation" in report["message"]


def test_no_true_verdict_from_samples():
    """Match similarity under orthogonal maps on an instance where no member tried changes it: undecided, not true."""
    rng = random.Random(5)
    text = problem_text([[1, 0], [0, 1]], [[1, 0], [0, 1]], ["match_similarity:0"])
    v = {x.claim.id: x for x in verify_problem(loads_claim_file(text))}
    A = acts([[1, 0], [0, 1]])
    # the spans are equal, so every invertible map keeps similarity 1 here; still no proof exists for the family
    for fam in ("orthogonal", "invertible_linear"):
        assert v[f"match_similarity:0 {fam}"].holds is None
        for _ in range(3):
            X, Y = _oracle.maximum_match(apply(A, *random_member("orthogonal", 2, rng)), A, F(0))
            assert len(X) + len(Y) == 4
