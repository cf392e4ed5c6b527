"""Claims that relate measures (issue 14): exact square-root signs, CKA^2 and irrational bounds, the
similarity level, relation / triangle / invariance claims, their certificates and bad certificates.

Oracles: sums of square roots against 60-digit decimals (with a margin) or against ties built by
construction; arccos sums against math.acos away from ties and against Pythagorean angles for ties;
the ladder against Gram matrices computed here; CKA^2 by the textbook formula (test_cka's).
"""

from __future__ import annotations

import copy
import decimal
import json
import math
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.certificates import certify, dump_certificate
from symrep.claims import loads_claim_file
from symrep.claims.kinds._surds import Surd, arccos_sum_sign, read_surd, sign
from symrep.claims.verdicts import verify_problem
from symrep.errors import ClaimFileError
from symrep.measures import values
from symrep.measures.equivalence import equivalence, ladder
from symrep.testing.strategies import claims

from test_cka import ref_cka2

ROOT = Path(__file__).resolve().parent.parent
PROOF = ROOT / "proofs" / "relations.cert.json"
decimal.getcontext().prec = 60
D = decimal.Decimal

radicands = st.sampled_from([F(0), F(1), F(2), F(3), F(1, 2), F(9, 4), F(8), F(5, 3), F(6)])
coefs = st.fractions(min_value=-3, max_value=3, max_denominator=4)
surds = st.builds(Surd, coefs, radicands)


def dec(x: Surd) -> decimal.Decimal:
    return D(x.coef.numerator) / D(x.coef.denominator) * (D(x.radicand.numerator) / D(x.radicand.denominator)).sqrt()


# --- exact signs --------------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.lists(surds, min_size=0, max_size=4))
def test_sign_of_a_sum_of_square_roots_agrees_with_60_digits(terms):
    v = sum((dec(t) for t in terms), D(0))
    if abs(v) > D(10) ** -40:
        assert sign(terms) == (1 if v > 0 else -1)


@given(st.lists(surds, min_size=1, max_size=2))
def test_a_sum_minus_itself_rearranged_is_exactly_zero(terms):
    # (a + b) - (b + a) == 0 and 2 sqrt(2) - sqrt(8) == 0: ties by construction
    assert sign(terms + [-t for t in reversed(terms)]) == 0
    assert sign([Surd(F(2), F(2)), -Surd(F(1), F(8))]) == 0


PYTHAGOREAN = [(F(0), F(1)), (F(3, 5), F(4, 5)), (F(4, 5), F(3, 5)), (F(5, 13), F(12, 13)), (F(1), F(0)), (F(-3, 5), F(4, 5))]


@pytest.mark.parametrize("p", PYTHAGOREAN)
@pytest.mark.parametrize("r", PYTHAGOREAN)
def test_arccos_sum_ties_by_the_addition_formula(p, r):
    (ca, sa), (cb, sb) = p, r  # cos and sin of angles alpha, beta in [0, pi]
    if math.acos(ca) + math.acos(cb) > math.pi:
        return
    c = ca * cb - sa * sb  # cos(alpha + beta), exactly: arccos a + arccos b == arccos c
    assert arccos_sum_sign(Surd(ca), Surd(cb), Surd(c)) == 0
    if c + F(1, 100) <= 1:  # a larger cosine is a smaller angle
        assert arccos_sum_sign(Surd(ca), Surd(cb), Surd(c + F(1, 100))) == 1
    if c - F(1, 100) >= -1:
        assert arccos_sum_sign(Surd(ca), Surd(cb), Surd(c - F(1, 100))) == -1


unit = st.one_of(st.fractions(min_value=-1, max_value=1, max_denominator=8).map(Surd),
                 st.builds(lambda s, q: Surd(F(s), q), st.sampled_from([1, -1]),
                           st.fractions(min_value=0, max_value=1, max_denominator=8)))


@settings(max_examples=400)
@given(unit, unit, unit)
def test_arccos_sum_sign_agrees_with_floats_away_from_ties(a, b, c):
    f = [float(dec(x)) for x in (a, b, c)]
    v = math.acos(f[0]) + math.acos(f[1]) - math.acos(f[2])
    s = arccos_sum_sign(a, b, c)
    if abs(v) > 1e-6:
        assert s == (1 if v > 0 else -1)


def test_the_issue_instance_ties_exactly():
    h = Surd(F(1), F(1, 2))
    assert arccos_sum_sign(h, h, Surd(F(0))) == 0  # pi/4 + pi/4 = pi/2
    assert sign([Surd(F(1)), -h, Surd(F(1)), -h, -Surd(F(1))]) == -1  # (1 - h) + (1 - h) - 1 < 0


@pytest.mark.parametrize("text", ["sqrt(2", "sqrt(1/2)*2", "__import__('os')", "sqrt(sqrt(2))", "2**sqrt(2)",
                                  "sqrt(-1)", "sqrt(1e99999)", "x*sqrt(2)"])
def test_targets_are_read_never_evaluated(text):
    with pytest.raises(ClaimFileError):
        read_surd(text, "claim 'c': equals")


def test_target_forms():
    assert read_surd("sqrt(1/2)", "t") == Surd(F(1), F(1, 2))
    assert read_surd(" 3/4 * sqrt( 8 ) ", "t") == Surd(F(3, 4), F(8))
    assert read_surd("sqrt(9/4)", "t").rational == F(3, 2)
    assert read_surd(0.25, "t").rational == F(1, 4)


# --- claim files ---------------------------------------------------------------------------------

HEAD = """
[data]
inputs = [[1, 1], [1, -1], [-1, 1], [-1, -1]]
[networks.f]
layers = [{ weights = [[1, 0]], activation = "identity" }]
[networks.g]
layers = [{ weights = [[0, 1]], activation = "identity" }]
[networks.id]
layers = [{ weights = [[1, 0], [0, 1]], activation = "identity" }]
"""


def one(claim: str, head: str = HEAD):
    problem = loads_claim_file(head + "[[claims]]\nid = \"c\"\n" + claim)
    (v,) = verify_problem(problem)
    return v, problem


@pytest.mark.parametrize("bound, squared, holds", [
    ('equals = "sqrt(1/2)"', False, True), ('equals = "1/2"', True, True), ('equals = "1/2"', False, False),
    ('at_least = "sqrt(0.5)"', False, True), ('at_least = "1/2*sqrt(2.0001)"', False, False),
    ('at_most = "sqrt(2)"', True, True), ('at_most = "0.7071"', False, False), ('at_least = "0.7071"', False, True),
])
def test_cka_bounds_on_cka_and_cka_squared(bound, squared, holds):
    v, _ = one(f'kind = "cka"\nnetworks = ["id", "f"]\nlayer = 1\n{bound}\n' + ("squared = true\n" if squared else ""))
    assert ref_cka2([[1, 1, -1, -1], [1, -1, 1, -1]], [[1, 1, -1, -1]]) == F(1, 2)  # the oracle's value
    assert v.holds is holds, v.explanation


def test_cka_bounds_are_never_negative():
    with pytest.raises(ClaimFileError, match="never negative"):
        one('kind = "cka"\nnetworks = ["id", "f"]\nlayer = 1\nat_least = "-1*sqrt(2)"\n')


# --- the similarity level -------------------------------------------------------------------------

small = st.fractions(min_value=-2, max_value=2, max_denominator=2)


@st.composite
def same_width_pairs(draw):
    d, n = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    A = [[draw(small) for _ in range(d)] for _ in range(n)]
    how = draw(st.sampled_from(["random", "scaled", "signed-permutation"]))
    if how == "random":
        B = [[draw(small) for _ in range(d)] for _ in range(n)]
    else:
        s = draw(st.sampled_from([F(1), F(2), F(1, 3)]))
        perm = draw(st.permutations(range(n)))
        signs = [draw(st.sampled_from([1, -1])) if how == "signed-permutation" else 1 for _ in range(n)]
        B = [[s * signs[i] * x for x in A[perm[i]]] for i in range(n)]
    return A, B


def ref_similar(A, B) -> bool:
    """A^T A == s^2 B^T B for some s^2 > 0 (Grams over the data, computed here)."""
    d = len(A[0])
    ga, gb = ([sum(r[j] * r[k] for r in M) for j in range(d) for k in range(d)] for M in (A, B))
    i = next((i for i, x in enumerate(gb) if x), None)
    if i is None:
        return not any(ga)
    return ga[i] / gb[i] > 0 and all(x == ga[i] / gb[i] * y for x, y in zip(ga, gb))


@settings(max_examples=150, deadline=None)
@given(same_width_pairs(), st.booleans())
def test_similarity_agrees_with_the_gram_reference_and_sits_in_the_ladder(pair, centered):
    A, B = pair
    got = {e.level: e.holds for e in ladder(A, B, centered=centered)}
    if not centered:
        assert got["similarity"] == ref_similar(A, B)
    for strong, weak in [("orthogonal", "similarity"), ("similarity", "linear"), ("permutation", "similarity")]:
        assert not got[strong] or got[weak], (strong, weak)
    if not centered and got["similarity"]:
        assert got["similarity"] <= equivalence(A, B, "similarity", centered=True).holds  # implies its centred form


def test_similarity_strict_examples_and_equal_scales():
    assert equivalence([[2, 0]], [[1, 0]], "similarity").holds and not equivalence([[2, 0]], [[1, 0]], "orthogonal").holds
    assert not equivalence([[1, 0], [0, 2]], [[1, 0], [0, 1]], "similarity").holds  # linear, not similar
    assert equivalence([[1, 0], [0, 2]], [[1, 0], [0, 1]], "linear").holds
    # scaled permutation with equal scales is a similarity; with unequal scales it is not
    assert equivalence([[0, 3], [3, 0]], [[1, 0], [0, 1]], "similarity").holds
    assert not equivalence([[0, 3], [2, 0]], [[1, 0], [0, 1]], "similarity").holds
    # a rotation (times 3/2) is a similarity but no scaled permutation
    Q = [[F(6, 5), F(-9, 10)], [F(9, 10), F(6, 5)]]
    e = equivalence(Q, [[1, 0], [0, 1]], "similarity")
    assert e.holds and e.witness["scale_squared"] == "9/4"
    assert not equivalence(Q, [[1, 0], [0, 1]], "scaled_permutation").holds


# --- relation, triangle, invariance ----------------------------------------------------------------


def test_the_issue_triangle_instance():
    base = 'kind = "triangle"\nnetworks = ["f", "g"]\nlayer = 1\nvia = { layer = 0 }\n'
    assert one(base + 'distance = "1 - cka"')[0].holds is False
    v, _ = one(base + 'distance = "arccos cka"')
    assert v.holds is True and v.witness["signs"][0] == 0
    assert one(base + 'distance = "arccos cka"\nequality = true')[0].holds is True
    assert one(base + 'distance = "1 - cka"\nequality = true')[0].holds is False
    with pytest.raises(ClaimFileError, match="is a similarity, not a distance"):
        one(base + 'distance = "cka"')


@pytest.mark.parametrize("left, rel, right, holds", [
    ('{ measure = "cka", networks = ["id", "f"] }', "==", '{ value = "sqrt(1/2)" }', True),
    ('{ measure = "cka", networks = ["id", "f"] }', "<", '{ value = "0.7072" }', True),
    ('{ measure = "cka", networks = ["id", "f"] }', ">", '{ measure = "match_similarity:0", networks = ["id", "f"] }', True),
    ('{ measure = "1 - cka", networks = ["id", "f"] }', "==", '{ measure = "1 - cka", networks = ["id", "g"] }', True),
    ('{ measure = "arccos cka", networks = ["id", "f"] }', "<", '{ measure = "arccos cka", networks = ["f", "g"] }', True),
    ('"match_similarity:1"', ">=", '{ value = 1 }', True),
    ('"match_similarity:1/2"', ">", '{ value = 0 }', False),
])
def test_relations_decided_exactly(left, rel, right, holds):
    v, _ = one(f'kind = "relation"\nnetworks = ["f", "g"]\nlayer = 1\nleft = {left}\nrelation = "{rel}"\nright = {right}\n')
    assert v.holds is holds, v.explanation


def _register_bracketed(monkeypatch, value: F, width_floor: F = F(0)):
    """A measure known only by brackets around *value* (no closed form), at least *width_floor* wide."""
    def evaluate(a, b, *, width, arg=None):
        w = max(width, width_floor) / 2
        return values.MeasureValue("bracketed", value - w, value + w)
    monkeypatch.setitem(values.MEASURES, "bracketed", values.Measure("bracketed", "test", False, evaluate))


def test_bracketed_measures_refine_then_say_undecided(monkeypatch):
    _register_bracketed(monkeypatch, F(1, 3))
    base = 'kind = "relation"\nnetworks = ["f", "g"]\nlayer = 1\nleft = "bracketed"\n'
    v, problem = one(base + 'relation = "<"\nright = { value = "sqrt(1/8)" }')  # 0.333 < 0.354: brackets separate
    assert v.holds is True and v.witness["sign"] == -1
    v, _ = one(base + 'relation = "<="\nright = { value = "1/3" }')  # a tie no bracket can break
    assert v.holds is None and "undecided" in v.explanation
    # the bracket that refuses to narrow is refined as far as WIDTHS goes, then undecided too
    _register_bracketed(monkeypatch, F(1, 3), width_floor=F(1, 10))
    assert one(base + 'relation = "<"\nright = { value = "0.35" }')[0].holds is None
    # the checker cannot re-derive a measure it does not know: such a certificate is rejected
    v, problem = one(base + 'relation = "<"\nright = { value = "1/2" }')
    cert = certify(problem)
    (report,) = checker.check_certificate(json.loads(dump_certificate(cert)))
    assert not report["valid"] and "cannot re-derive measure 'bracketed'" in report["message"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([("matrix", '[["4/5", "-3/5"], ["3/5", "4/5"]]', True), ("matrix", "[[0, 1], [1, 0]]", True),
                        ("scale", '"-7/3"', True), ("translation", '[3, "1/2"]', True)]),
       st.lists(st.lists(st.integers(-2, 2), min_size=4, max_size=4), min_size=2, max_size=2))
def test_cka_invariances_by_construction(transform, weights):
    how, value, invariant = transform
    head = HEAD + f"[networks.h]\nlayers = [{{ weights = {json.dumps([[w[0], w[1]] for w in weights])}, activation = \"relu\" }}]\n"
    v, _ = one(f'kind = "invariance"\nnetworks = ["id", "h"]\nlayer = 1\nmeasure = "cka"\ntransform = {{ {how} = {value} }}\n',
               head)
    if "undefined" in v.witness:  # h constant over the data: CKA undefined, so the claim is false
        assert v.holds is False and not any(len(set(r)) > 1 for r in _forward_h(weights))
    else:  # orthogonal maps, isotropic scalings and translations leave CKA unchanged
        assert v.holds is invariant, v.explanation


def _forward_h(weights):
    pts = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    return [[max(0, w[0] * x + w[1] * y) for x, y in pts] for w in weights]


# --- certificates ---------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims(kinds=["relation", "triangle", "invariance", "cka", "equivalence"], expect="verdict", max_claims=3))
def test_drawn_claims_certify_and_check(problem):
    cert = json.loads(dump_certificate(certify(problem)))
    reports = checker.check_certificate(cert)
    assert all(r["valid"] for r in reports), [r["message"] for r in reports if not r["valid"]]
    for k in range(len(cert["results"])):  # every verdict is forced
        bad = copy.deepcopy(cert)
        bad["results"][k]["verdict"] = not bad["results"][k]["verdict"]
        assert not checker.check_certificate(bad)[k]["valid"]


def _claim(doc, cid):
    k = next(i for i, c in enumerate(doc["problem"]["claims"]) if c["id"] == cid)
    return doc["problem"]["claims"][k], doc["results"][k]


#: name -> (claim id, edit of (claim, result), a phrase of the rejection)
BAD = {
    "cka-bound-sqrt-malformed": ("cka-irrational", lambda c, r: c.update(equals="sqrt(1/2"), "is not an exact number"),
    "cka-bound-sqrt-changed": ("cka-irrational", lambda c, r: c.update(equals="sqrt(1/3)"), "the verdict does not follow"),
    "cka-squared-not-boolean": ("cka-squared", lambda c, r: c.update(squared="yes"), "squared must be true or false"),
    "similarity-scale-forged": ("similarity-centred", lambda c, r: r["witness"].update(scale_squared="2"),
                                "is not scale_squared (> 0) times"),
    "similarity-scale-negative": ("similarity-centred", lambda c, r: r["witness"].update(scale_squared="-9/4"),
                                  "is not scale_squared (> 0) times"),
    "similarity-refutation-proportional": ("similarity-uncentred-fails",
                                           lambda c, r: r["witness"].update(vectors=[[[0, "1"]], [[0, "2"]]]),
                                           "out of proportion"),
    "relation-sign-forged": ("cka-above-match", lambda c, r: r["witness"].update(sign=0), "the witness or the verdict"),
    "relation-value-forged": ("cka-one-under-similarity", lambda c, r: r["witness"]["left"].update(value="sqrt(1/2)"),
                              "not the recomputed value"),
    "relation-unknown-measure": ("cka-above-match", lambda c, r: c["right"].update(measure="nosuch"),
                                 "cannot re-derive measure 'nosuch'"),
    "relation-match-trace-dropped": ("cka-above-match", lambda c, r: r["witness"]["right"].update(removals=[]),
                                     "are not what remains after the removals"),
    "relation-bad-operator": ("cka-above-match", lambda c, r: c.update(relation="=>"), "relation must be one of"),
    "relation-undefined-forged": ("cka-above-match", lambda c, r: r.update(verdict=False, witness={"undefined": "x"}),
                                  "says a value is undefined, but none is"),
    "triangle-signs-forged": ("triangle-arccos-tight", lambda c, r: r["witness"].update(signs=[1]), "the slacks have signs"),
    "triangle-distance-similarity": ("triangle-1-cka-fails", lambda c, r: c.update(distance="cka"),
                                     "distance '1 - M' or 'arccos M'"),
    "triangle-via-other-layer": ("triangle-arccos-tight", lambda c, r: c["via"].update(layer=1), "not the recomputed value"),
    "invariance-transform-changed": ("cka-rotation-invariant",
                                     lambda c, r: c.update(transform={"matrix": [["2", "0"], ["0", "1"]]}),
                                     "not the recomputed value"),
    "invariance-two-transforms": ("cka-translation-invariant", lambda c, r: c["transform"].update(scale="2"),
                                  "transform must be one of"),
    "family-true-without-proof": ("procrustes-not-scale-invariant", lambda c, r: r.update(verdict=True),
                                  "no proof that procrustes is unchanged by every isotropic_scaling map"),
    "family-member-not-in-family": ("cka-not-invariant-every-invertible",
                                    lambda c, r: r["witness"].update(inverse=[["1", "0"], ["0", "1"]]),
                                    "the member is not in the family invertible_linear"),
    "family-member-changes-nothing": ("procrustes-not-scale-invariant", lambda c, r: r["witness"]["member"].update(scale="2"),
                                      "after: spectral: witness.square is not the exact d^2 = 2"),
    "spectral-evidence-dropped": ("procrustes-similarity-positive", lambda c, r: r["witness"]["left"].pop("spectral"),
                                  "missing field 'spectral'"),
    "spectral-triangle-signs-forged": ("procrustes-triangle", lambda c, r: r["witness"].update(signs=[1, 1, 0]),
                                       "the slacks have signs"),
}


def _bad(name):
    cid, edit, _ = BAD[name]
    doc = json.loads(PROOF.read_text(encoding="utf-8"))
    edit(*_claim(doc, cid))
    return doc


@pytest.fixture(scope="module")
def script_on_bad(tmp_path_factory):
    """One run of the standalone checker script over every BAD certificate (one process, not one each): its exit
    status, standard error, and each file's lines of standard output ("FILE: STATUS: ...", then a line per claim)."""
    base = tmp_path_factory.mktemp("bad-relations")
    paths = {name: base / f"{name}.json" for name in BAD}
    for name, path in paths.items():
        path.write_text(json.dumps(_bad(name)), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "symrep" / "checker.py"), *map(str, paths.values())],
                          capture_output=True, text=True, timeout=300)
    heads, out, current = {f"{path}: ": name for name, path in paths.items()}, {}, None
    for line in proc.stdout.splitlines():
        if not line.startswith("  "):  # a file's line; its claims' lines are indented
            current = next((name for head, name in heads.items() if line.startswith(head)), None)
        out[current] = out.get(current, "") + line + "\n"
    return proc, out


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_relation_certificates_are_rejected_clearly(name, script_on_bad):
    cid, _, phrase = BAD[name]
    report = next(x for x in checker.check_certificate(_bad(name)) if x["id"] == cid)
    assert not report["valid"] and phrase in report["message"], report["message"]
    proc, out = script_on_bad  # every file is rejected: exit 1, and this file's lines name the reason
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and phrase in out[name].replace("\\'", "'")
    assert ": REJECTED: " in out[name].splitlines()[0]


# --- mutual kNN and RSA -----------------------------------------------------------------------------

from symrep.measures.alignment import mutual_knn, rsa  # noqa: E402

point_sets = st.integers(3, 6).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.integers(-2, 3), min_size=n, max_size=n), min_size=1, max_size=3),
    st.lists(st.lists(st.integers(-2, 3), min_size=n, max_size=n), min_size=1, max_size=3)))


def _cos_key(u, v):
    d = sum(x * y for x, y in zip(u, v))
    return F(d * abs(d), sum(x * x for x in v))  # ordered as the cosine for a fixed u


def _all_scores(A, B, k):
    """Every value of the mean overlap over every choice of k nearest neighbours consistent with the order (brute force)."""
    import itertools
    n = len(A[0])
    per_point = []
    for i in range(n):
        choices = []
        for M in (A, B):
            pts = [[row[p] for row in M] for p in range(n)]
            keys = {j: _cos_key(pts[i], pts[j]) for j in range(n) if j != i}
            valid = [set(c) for c in itertools.combinations(keys, k)
                     if min(keys[j] for j in c) >= max((keys[j] for j in keys if j not in c), default=-10**9)]
            choices.append(valid)
        per_point.append({len(a & b) for a in choices[0] for b in choices[1]})
    totals = {0}
    for s in per_point:
        totals = {t + x for t in totals for x in s}
    return {F(t, n * k) for t in totals}


@settings(max_examples=80, deadline=None)
@given(point_sets, st.integers(1, 2))
def test_mutual_knn_range_is_every_tie_breaking(sets, k):
    A, B = sets
    n = len(A[0])
    if any(not any(row[p] for row in M) for M in (A, B) for p in range(n)) or k >= n:
        return  # a zero feature vector (cosine undefined) or too few points
    lo, hi = mutual_knn(A, B, k)
    scores = _all_scores(A, B, k)
    assert (lo, hi) == (min(scores), max(scores))
    assert scores == {lo + F(t, n * k) for t in range(int((hi - lo) * n * k) + 1)}


@settings(max_examples=60, deadline=None)
@given(point_sets, st.sampled_from([("euclidean", "pearson"), ("euclidean", "spearman"), ("correlation", "spearman")]))
def test_rsa_against_scipy(sets, how):
    import numpy as np
    from scipy import stats

    A, B = sets
    if how[0] == "correlation" and (len(A) < 2 or len(B) < 2):
        return
    Pa, Pb = np.array(A, dtype=float).T, np.array(B, dtype=float).T
    try:
        sgn, sq = rsa(A, B, *how)
    except Exception as e:  # noqa: BLE001 - an undefined RSA must be an InputError, and really undefined
        from symrep.errors import InputError
        assert isinstance(e, InputError)
        return
    iu = np.triu_indices(len(Pa), 1)
    if how[0] == "euclidean":
        ua, ub = (((P[:, None, :] - P[None, :, :]) ** 2).sum(-1)[iu] for P in (Pa, Pb))
    else:
        ua, ub = (1 - np.corrcoef(P)[iu] for P in (Pa, Pb))
    if how[0] == "correlation" and (np.ptp(ua) < 1e-9 or np.ptp(ub) < 1e-9):
        return  # floats cannot tell a near-constant RDM
    ref = (stats.pearsonr if how[1] == "pearson" else stats.spearmanr)(ua, ub)[0]
    exact = sgn * math.sqrt(sq)
    if how[0] == "correlation":  # float ranks of 1 - r may split exact ties; only check clear cases
        ranks_a = stats.rankdata(np.round(ua, 9))
        ranks_b = stats.rankdata(np.round(ub, 9))
        ref = stats.pearsonr(ranks_a, ranks_b)[0]
    assert abs(exact - ref) < 1e-7, (exact, ref)


# --- any registered measure; refused input ------------------------------------------------------------


def _register_distance(monkeypatch, exact: bool):
    """A distance measure: |mean of A's first row - mean of B's first row| (exact), or a bracket around it."""
    def evaluate(a, b, *, width, arg=None):
        v = abs(sum(map(F, a[0])) / len(a[0]) - sum(map(F, b[0])) / len(b[0]))
        return values.MeasureValue("gap", v, v, exact=v) if exact else values.MeasureValue("gap", v - width, v + width)
    monkeypatch.setitem(values.MEASURES, "gap", values.Measure("gap", "test", True, evaluate))


HEAD3 = HEAD + """[networks.h]
layers = [{ weights = [[1, 1]], bias = [3], activation = "identity" }]
"""


def test_triangle_with_any_registered_distance(monkeypatch):
    # means of the first rows: f -> 0, g -> 0, h -> 3 (x + z + 3); the gap is a metric on the line
    base = 'kind = "triangle"\nnetworks = ["f", "g"]\nlayer = 1\ndistance = "gap"\nvia = { network = "h", layer = 1 }\n'
    _register_distance(monkeypatch, exact=True)
    v, _ = one(base, HEAD3)
    assert v.holds is True and v.witness["signs"] == [1, 0, 0]  # d(X,Z) = 0 < 6; d(X,Y) = 3 = 0 + 3, tied exactly
    _register_distance(monkeypatch, exact=False)
    v, _ = one(base, HEAD3)
    assert v.holds is None  # the ties cannot be shown by brackets: undecided, never a guess
    v, _ = one(base + "equality = true", HEAD3)
    assert v.holds is False  # d(X,Z) = 0 < d(X,Y) + d(Y,Z) = 6: brackets separate


@pytest.mark.parametrize("claim, phrase", [
    ('kind = "relation"\nnetworks = ["f", "g"]\nlayer = 1\nleft = "nonesuch"\nrelation = "<"\nright = { value = 1 }',
     "unknown measure 'nonesuch'"),
    ('kind = "relation"\nnetworks = ["f", "g"]\nlayer = 1\nleft = "arccos cka"\nrelation = "<"\nright = "cka"',
     "arccos quantity is compared only with another arccos quantity"),
    ('kind = "relation"\nnetworks = ["f", "g"]\nlayer = 1\nleft = "cka"\nrelation = "=>"\nright = { value = 1 }',
     "relation '=>' is not one of"),
    ('kind = "relation"\nnetworks = ["f", "g"]\nlayer = 1\nleft = { measure = "cka", networks = ["f", "q"] }\n'
     'relation = "<"\nright = { value = 1 }', "network 'q' is not defined"),
    ('kind = "relation"\nnetworks = ["f", "g"]\nlayer = 1\nleft = { measure = "cka", layers = [0, 9] }\n'
     'relation = "<"\nright = { value = 1 }', "layer 9 is not between 0 and 1"),
    ('kind = "relation"\nnetworks = ["f", "g"]\nlayer = 1\nleft = "' + "c" * 300 + '"\nrelation = "<"\nright = { value = 1 }',
     "too long"),
    ('kind = "invariance"\nnetworks = ["f", "g"]\nlayer = 1\nmeasure = "cka"\ntransform = { matrix = [[1, 0], [0, 1]] }',
     "matrix must have 1 rows"),
    ('kind = "invariance"\nnetworks = ["f", "g"]\nlayer = 1\nmeasure = "cka"\ntransform = { rotate = 1 }', "unknown field 'rotate'"),
    ('kind = "triangle"\nnetworks = ["f", "g"]\nlayer = 1\ndistance = "1 - cka"\nvia = { layer = 0, net = "f" }',
     "unknown field 'net'"),
    ('kind = "cka"\nnetworks = ["f", "g"]\nlayer = 1\nequals = "sqrt(1/2)"\nsquared = "yes"', "squared: expected true or false"),
])
def test_refused_input_names_the_field(claim, phrase):
    with pytest.raises(ClaimFileError, match=phrase.replace("(", r"\(").replace("[", r"\[")):
        one(claim)


def test_arccos_triangles_of_bracketed_similarities(monkeypatch):
    """Brackets decide an arccos triangle through its corners (arccos falls), and leave a tie undecided."""
    h = Surd(F(1), F(1, 2))

    def evaluate(a, b, *, width, arg=None):  # cosines 0 between f and g, sqrt(1/2) otherwise: the tie of the issue
        v = (Surd(F(int(a == b))) if len(a) == len(b) == 1 and h.radicand == F(1, 2) else h)  # X, Z: one neuron; Y: two
        lo, hi = v.bracket(width)
        return values.MeasureValue("cos", lo, hi)
    monkeypatch.setitem(values.MEASURES, "cos", values.Measure("cos", "test", False, evaluate))
    base = 'kind = "triangle"\nnetworks = ["f", "g"]\nlayer = 1\ndistance = "arccos cos"\nvia = { layer = 0 }\n'
    v, _ = one(base)
    assert v.holds is None  # pi/2 = pi/4 + pi/4 exactly: no bracket shows it
    h = Surd(F(1), F(3, 4))  # now every cosine is sqrt(3)/2: three angles pi/6, each slack pi/6 > 0
    assert one(base)[0].holds is True


def test_measures_the_checker_cannot_rederive_are_refused_in_relations(tmp_path, monkeypatch):
    """A relation over a measure the checker does not re-derive would give a verdict whose certificate the checker
    rejects: refused (the spectral measures are re-derived since this round: tests/test_relations_spectral.py)."""
    from symrep.claims.files import load_claim_file
    from symrep.errors import ClaimFileError
    from symrep.measures import values

    monkeypatch.setitem(values.MEASURES, "opaque", values.Measure("opaque", "test", False, lambda *a, **k: None,
                                                                  in_relations=False))
    for spec in ("opaque", "arccos opaque"):
        path = tmp_path / "r.toml"
        path.write_text(f"""
[data]
inputs = [[1, 2], [3, -1], [0, 1]]
[networks.f]
layers = [ {{ weights = [[1, 0], [0, 1]], activation = "relu" }} ]
[[claims]]
id = "r"
kind = "relation"
networks = ["f", "f"]
layer = 1
left = {{ measure = "{spec}" }}
relation = ">="
right = {{ value = "0" }}
""")
        with pytest.raises(ClaimFileError, match="cannot be used in relation"):
            load_claim_file(path)


def test_in_relations_is_true_of_exactly_the_measures_the_checker_re_derives():
    """The flag agrees with the oracle, the independent checker: a measure admitted in relations is one whose value
    checker.measure_value re-derives (a certificate of the verdict can be checked), and only such a measure."""
    from symrep.claims.kinds._measured import SPECTRAL, read_quantity
    from symrep.measures import catalog  # noqa: F401 - registers every measure

    A = checker.Rows.of([[F(1), F(2), F(0), F(1)], [F(0), F(1), F(3), F(-1)]])
    B = checker.Rows.of([[F(2), F(0), F(1), F(1)], [F(1), F(1), F(0), F(2)]])
    args = {"svcca": ":1", "mutual_knn": ":1", "rsa": ":euclidean,pearson", "match_similarity": ":0", "shape": ":0"}
    for name, m in values.MEASURES.items():
        spec = name + args.get(name, "")
        try:
            checker.measure_value(spec, A, B, None, 4, "q")
            rederived = True
        except checker.Reject:
            rederived = False
        assert m.in_relations == rederived, name
        if rederived:
            assert read_quantity(spec, "q").spec == spec
        else:
            with pytest.raises(ClaimFileError, match="cannot be used in relation"):
                read_quantity(spec, "q")
    assert all(values.MEASURES[n].in_relations for n in SPECTRAL)
