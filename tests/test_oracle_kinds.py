"""symrep and its checker against an independent oracle for the eps, simple, equivalence and CKA kinds.

Truth comes from ``_oracle`` (brute force over Fractions from the definitions, sharing no code with
symrep or the checker).  For random small problems with claims of those kinds (values sometimes
right, sometimes wrong), symrep's verdict equals the oracle's and the checker accepts the
certificate.  Then coordinated mutations of valid certificates -- a witness transplanted from a
slightly changed problem, the witnesses of two claims of one kind swapped, a layer grown by a
neuron -- are checked: whatever the checker still accepts, the oracle must confirm.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import _oracle as oracle
from symrep import checker
from symrep.certificates import certify
from symrep.claims import problem_from_mapping
from symrep.claims.verdicts import verify_problem

SMALL = st.sampled_from(["0", "1", "1", "-1", "2", "-2", "1/2", "-1/2", "3"])
EPS = st.sampled_from(["0", "0", "1/4", "1/2", "3/4", "1", "2"])
# rational orthogonal maps of width 2 (rotations by 3-4-5 angles, a reflection) and 3 (a signed permutation)
ORTHOGONAL = {2: [[["3/5", "-4/5"], ["4/5", "3/5"]], [["0", "1"], ["1", "0"]], [["-3/5", "4/5"], ["4/5", "3/5"]]],
              3: [[["0", "-1", "0"], ["0", "0", "1"], ["1", "0", "0"]]]}


def fmt(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


@st.composite
def networks(draw):
    """(inputs, f, g): one dense layer each; g random or related to f (copy, permuted, rescaled, rotated)."""
    d, n_in = draw(st.integers(2, 4)), draw(st.integers(1, 3))
    inputs = [[draw(SMALL) for _ in range(n_in)] for _ in range(d)]
    width = draw(st.integers(1, 3))
    act = draw(st.sampled_from(["relu", "identity"]))
    f = {"weights": [[draw(SMALL) for _ in range(n_in)] for _ in range(width)], "bias": [draw(SMALL) for _ in range(width)],
         "activation": act}
    how = draw(st.sampled_from(["random", "copy", "permute", "scale", "rotate"]))
    g = copy.deepcopy(f)
    if how == "random":
        w2 = draw(st.integers(1, 3))
        g = {"weights": [[draw(SMALL) for _ in range(n_in)] for _ in range(w2)], "bias": [draw(SMALL) for _ in range(w2)],
             "activation": draw(st.sampled_from(["relu", "identity"]))}
    elif how == "permute":
        perm = draw(st.permutations(range(width)))
        g["weights"], g["bias"] = [f["weights"][i] for i in perm], [f["bias"][i] for i in perm]
    elif how == "scale":
        c = [draw(st.sampled_from([Fraction(1, 2), Fraction(2), Fraction(3)])) for _ in range(width)]
        g["weights"] = [[fmt(oracle.q(x) * ci) for x in row] for row, ci in zip(f["weights"], c)]
        g["bias"] = [fmt(oracle.q(x) * ci) for x, ci in zip(f["bias"], c)]
    elif how == "rotate" and width in ORTHOGONAL:  # identity activation: g's layer is Q times f's
        Q = [[oracle.q(x) for x in row] for row in draw(st.sampled_from(ORTHOGONAL[width]))]
        rows = [[oracle.q(x) for x in row] + [oracle.q(b)] for row, b in zip(f["weights"], f["bias"])]
        new = [[fmt(sum(Q[i][k] * rows[k][t] for k in range(width))) for t in range(n_in + 1)] for i in range(width)]
        g = {"weights": [r[:-1] for r in new], "bias": [r[-1] for r in new], "activation": "identity"}
        f = {**f, "activation": "identity"}
    return inputs, f, g


@st.composite
def claim_for(draw, kind, c, A, B):
    """Claim *c* (id, networks, layer) of *kind* about layers A, B, with a right or a wrong value."""
    pairs = st.tuples(st.sets(st.integers(0, len(A) - 1)), st.sets(st.integers(0, len(B) - 1))).map(
        lambda p: [sorted(p[0]), sorted(p[1])])
    c["kind"] = kind
    if kind == "equivalence":
        c["level"] = draw(st.sampled_from(oracle.LEVELS))
        if draw(st.booleans()):
            c["centered"] = True
        return c
    if kind == "cka":
        for key in draw(st.sets(st.sampled_from(["equals", "at_least", "at_most"]), min_size=1)):
            c[key] = draw(st.sampled_from(["0", "1/4", "1/2", "3/4", "1", "3/5", "4/5"]))
        return c
    c["eps"] = draw(EPS)
    if kind in ("approx_match", "simple_match") and (kind == "simple_match" or draw(st.booleans())):
        c["neurons"] = draw(pairs)
    elif kind == "maximum_approx_match":
        c["equals"] = draw(pairs)
    elif kind == "match_similarity":
        c["equals"] = fmt(Fraction(draw(st.integers(0, 6)), draw(st.integers(2, 6))))
    elif kind == "simple_matches":
        c["equals"] = draw(st.lists(pairs.filter(lambda p: p[0] or p[1]), max_size=3, unique_by=str))
    return c


@st.composite
def problems(draw):
    inputs, f, g = draw(networks())
    doc = {"title": "oracle", "data": {"inputs": inputs}, "networks": {"f": {"layers": [f]}, "g": {"layers": [g]}},
           "claims": []}
    acts = {n: oracle.forward(doc, n) for n in ("f", "g")}
    claims = []
    for k in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(oracle.NEW_KINDS))
        c = {"id": f"c{k}", "networks": draw(st.sampled_from([["f", "g"], ["g", "f"], ["f", "f"]])),
             "layer": draw(st.integers(0, 1))}
        A, B = (acts[n][c["layer"]] for n in c["networks"])
        c = draw(claim_for(kind, c, A, B))
        if kind in ("maximum_approx_match", "match_similarity", "simple_matches") and draw(st.booleans()):
            eps2 = oracle.q(c["eps"]) ** 2  # half the time the true value, so that true verdicts are common
            if kind == "maximum_approx_match":
                c["equals"] = list(oracle.maximum_match(A, B, eps2))
            elif kind == "match_similarity":
                X, Y = oracle.maximum_match(A, B, eps2)
                c["equals"] = fmt(Fraction(len(X) + len(Y), len(A) + len(B)))
            else:
                c["equals"] = oracle.simple_matches(A, B, eps2)
        claims.append(c)
    doc["claims"] = claims
    return doc


def _decided(doc):
    """symrep's verdicts and its certificate (problems whose CKA is undefined are left out by the caller)."""
    problem = problem_from_mapping(doc)
    verdicts = [v.holds for v in verify_problem(problem)]
    return verdicts, json.loads(json.dumps(certify(problem)))


def _truths(doc):
    acts: dict = {}
    return [oracle.verdict(doc, c, acts) for c in doc["claims"]]


def _cka_defined(doc):
    return all(c["kind"] != "cka" or t is not None for c, t in zip(doc["claims"], _truths(doc)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems().filter(_cka_defined))
def test_symrep_and_checker_agree_with_the_oracle(doc):
    truths = _truths(doc)
    verdicts, cert = _decided(doc)
    assert verdicts == truths
    reports = checker.check_certificate(cert)
    assert [r["valid"] for r in reports] == [True] * len(truths), [r["message"] for r in reports]
    assert [r["verdict"] for r in reports] == truths


def _accepted_are_true(cert):
    """Every claim the checker accepts has the verdict the oracle gives on the certificate's own problem."""
    try:
        reports = checker.check_certificate(cert)
    except checker.Reject:
        return
    truths = _truths(cert["problem"])
    for r, t in zip(reports, truths):
        if r["valid"] and t is not None:
            assert r["verdict"] == t, f"the checker accepted a wrong verdict: {r}"


def _tweak(doc, draw):
    """The problem with one weight, bias or data entry changed by a small amount."""
    new = copy.deepcopy(doc)
    where = draw(st.sampled_from(["data", "f", "g"]))
    if where == "data":
        rows = new["data"]["inputs"]
    else:
        layer = new["networks"][where]["layers"][0]
        rows = layer["weights"] if draw(st.booleans()) else [layer["bias"]]
    i = draw(st.integers(0, len(rows) - 1))
    j = draw(st.integers(0, len(rows[i]) - 1))
    rows[i][j] = fmt(oracle.q(rows[i][j]) + draw(st.sampled_from([Fraction(1), Fraction(-1), Fraction(1, 2)])))
    return new


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems().filter(_cka_defined), st.data())
def test_coordinated_mutations_never_make_the_checker_accept_a_wrong_verdict(doc, data):
    _, cert = _decided(doc)
    how = data.draw(st.sampled_from(["transplant", "swap", "grow", "flip"]))
    bad = copy.deepcopy(cert)
    if how == "transplant":  # the witnesses of this problem, with a slightly changed problem
        bad["problem"] = _tweak(cert["problem"], data.draw)
        if not _cka_defined(bad["problem"]):
            return
    elif how == "swap":  # two claims of one kind exchange their witnesses (and verdicts)
        kinds = [c["kind"] for c in doc["claims"]]
        same = [(a, b) for a in range(len(kinds)) for b in range(a + 1, len(kinds)) if kinds[a] == kinds[b]]
        if not same:
            return
        a, b = data.draw(st.sampled_from(same))
        for key in ("witness", "verdict"):
            bad["results"][a][key], bad["results"][b][key] = cert["results"][b][key], cert["results"][a][key]
    elif how == "grow":  # a neuron more in f (a copy of its first, scaled): every count and rank may change
        layer = bad["problem"]["networks"]["f"]["layers"][0]
        layer["weights"].append([fmt(2 * oracle.q(x)) for x in layer["weights"][0]])
        layer["bias"].append(fmt(2 * oracle.q(layer["bias"][0])))
    else:  # the verdicts flipped, witnesses kept
        for r in bad["results"]:
            r["verdict"] = not r["verdict"]
    _accepted_are_true(bad)


def test_the_oracle_decides_the_textbook_cases():
    # a sanity check of the oracle itself, by hand: e1 vs 2 e1 match; e1 vs e1 + e2/2 is a 1/2-match only
    A, B = [[Fraction(1), Fraction(0)]], [[Fraction(2), Fraction(0)]]
    assert oracle.is_match(A, B, [0], [0], Fraction(0))
    C = [[Fraction(1), Fraction(1, 2)]]
    assert not oracle.is_match(A, C, [0], [0], Fraction(1, 16)) and oracle.is_match(A, C, [0], [0], Fraction(1, 4))
    assert oracle.simple_matches(A, B, Fraction(0)) == [[[0], [0]]]
    rot = [[Fraction(3, 5), Fraction(-4, 5)], [Fraction(4, 5), Fraction(3, 5)]]
    M = [[Fraction(1), Fraction(2)], [Fraction(0), Fraction(1)]]
    QM = [[sum(rot[i][k] * M[k][t] for k in range(2)) for t in range(2)] for i in range(2)]
    assert oracle.equivalent(M, QM, "orthogonal") and not oracle.equivalent(M, QM, "scaled_permutation")
    assert oracle.cka2(M, M) == 1


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems().filter(_cka_defined), st.data())
def test_many_more_problems_and_mutations(doc, data):
    test_symrep_and_checker_agree_with_the_oracle.hypothesis.inner_test(doc)
    test_coordinated_mutations_never_make_the_checker_accept_a_wrong_verdict.hypothesis.inner_test(doc, data)
