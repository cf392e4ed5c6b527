"""``shape:ALPHA`` (netrep's angular shape metric, alpha 0 and 1): values, claims, the checker, refusals.

The oracle is netrep's formula at 60 digits: orthonormal bases of the centred column spaces (SVD),
the nuclear norm of Qxᵀ Qy over sqrt(rank X rank Y) for alpha = 0, and arccos of it.
"""

from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.certificates import certificate
from symrep.claims import loads_claim_file
from symrep.claims.verdicts import verify_problem
from symrep.errors import ClaimFileError, InputError
from symrep.measures.catalog import lookup

F = Fraction
WIDTH = F(1, 10**12)


def oracle0(A, B):
    with mpmath.workdps(60):
        def basis(M):
            rows = [[mpmath.mpf(F(x).numerator) / F(x).denominator for x in r] for r in M]
            Z = mpmath.matrix([[x - sum(r) / len(r) for x in r] for r in rows]).T
            U, S, _ = mpmath.svd_r(Z)
            r = sum(1 for x in S if x > mpmath.mpf(10) ** -40)
            return mpmath.matrix([[U[i, j] for j in range(r)] for i in range(Z.rows)]), r

        (Qx, rx), (Qy, ry) = basis(A), basis(B)
        if rx == 0 or ry == 0:
            return None
        c = sum(mpmath.svd_r(Qx.T * Qy, compute_uv=False)) / mpmath.sqrt(rx * ry)
        return mpmath.acos(min(c, 1))


def evaluate(spec, A, B, width=WIDTH):
    m, arg = lookup(spec)
    return m.evaluate(A, B, width=width, arg=arg)


small = st.integers(-5, 5).map(F)


@settings(max_examples=50, deadline=None)
@given(st.integers(4, 8).flatmap(lambda d: st.tuples(
    st.lists(st.lists(small, min_size=d, max_size=d), min_size=1, max_size=3),
    st.lists(st.lists(small, min_size=d, max_size=d), min_size=1, max_size=3))))
def test_shape0_contains_the_definition(pair):
    A, B = pair
    ref = oracle0(A, B)
    if ref is None:
        with pytest.raises(InputError):
            evaluate("shape:0", A, B)
        return
    v = evaluate("shape:0", A, B)
    assert v.upper - v.lower <= WIDTH * max(1, v.upper)
    with mpmath.workdps(60):
        lo, hi = (mpmath.mpf(q.numerator) / q.denominator for q in (v.lower, v.upper))
        assert lo - mpmath.mpf(10) ** -25 <= ref <= hi + mpmath.mpf(10) ** -25, (float(lo), float(hi), ref)


def test_shape1_is_the_angular_procrustes_distance_and_other_alphas_are_refused():
    A = [[F(1), F(2), F(0), F(3)], [F(0), F(1), F(1), F(-2)]]
    B = [[F(2), F(-1), F(0), F(1)]]
    v, w = evaluate("shape:1", A, B), evaluate("angular_procrustes", A, B)
    assert (v.lower, v.upper) == (w.lower, w.upper)
    for bad in ("1/2", "0.3", "2", "x"):
        with pytest.raises(InputError, match="alpha"):
            evaluate(f"shape:{bad}", A, B)


def test_exact_cases():
    A = [[F(1), F(2), F(4), F(0)]]
    assert evaluate("shape:0", A, [[F(3), F(6), F(12), F(0)]]).exact == 0
    # one span inside the other with ranks 1 and 2: c = 1/sqrt 2, the angle is pi/4
    v = evaluate("shape:0", A, [[F(1), F(2), F(4), F(0)], [F(0), F(1), F(0), F(0)]])
    assert v.exact is None and v.lower <= F(7853981633974483, 10**16) <= v.upper


CLAIMS = """
[data]
inputs = [[1, 2], [3, -1], [0, 1], [2, 2], [-1, 0], [1, -3]]
[networks.f]
layers = [{weights = [[1, 0], [0, 1], [1, 1]], activation = "relu"}]
[networks.g]
layers = [{weights = [[2, 1]], activation = "relu"}]
[networks.h]
layers = [{weights = [["3/5", "4/5"], ["-4/5", "3/5"]], activation = "identity"}]
[networks.i]
layers = [{weights = [[1, 0], [0, 1]], activation = "identity"}]
[networks.x]
layers = [{weights = [[1, 0]], activation = "identity"}]
"""


def claim(cid, nets, **fields):
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in fields.items())
    return f'[[claims]]\nid = "{cid}"\nkind = "shape"\nnetworks = {json.dumps(nets)}\nlayer = 1\n{extra}'


FILE = CLAIMS + "".join([
    claim("s0", ["f", "g"], alpha=0, at_most="1"),
    claim("s0-false", ["f", "g"], alpha=0, at_least="1"),
    claim("s0-exact", ["h", "i"], alpha=0, equals=0),
    claim("s0-union", ["i", "x"], alpha=0, at_least="78/100", at_most="79/100"),
    claim("s1", ["f", "g"], alpha=1, at_most="1"),
])


@pytest.fixture(scope="module")
def cert():
    problem = loads_claim_file(FILE)
    verdicts = verify_problem(problem)
    assert {v.claim.id: v.holds for v in verdicts} == {"s0": True, "s0-false": False, "s0-exact": True,
                                                        "s0-union": True, "s1": True}, verdicts
    return json.loads(json.dumps(certificate(problem, verdicts)))


def test_the_claims_agree_with_the_oracle():
    pts = [(1, 2), (3, -1), (0, 1), (2, 2), (-1, 0), (1, -3)]
    f = [[F(max(0, a * x + b * y)) for x, y in pts] for a, b in ((1, 0), (0, 1), (1, 1))]
    g = [[F(max(0, 2 * x + y)) for x, y in pts]]
    assert oracle0(f, g) < 1
    xs = [[F(x) for x, _ in pts]]
    assert mpmath.mpf("0.78") < oracle0([[F(x) for x, _ in pts], [F(y) for _, y in pts]], xs) < mpmath.mpf("0.79")


def test_the_checker_accepts_and_rejects_tampering(cert):
    def reports(doc):
        return {c["id"]: c for c in checker.check_certificate(doc)}

    assert all(r["valid"] for r in reports(cert).values())
    edits = {
        "s0": [lambda w: w.update(norm=["1", "1"]), lambda w: w.update(lower=w["upper"]),
               lambda w: w.update(upper=w["lower"]), lambda w: w.update(ex="0")],
        "s0-union": [lambda w: w["union"].update(dimension=1)],
        "s0-exact": [lambda w: w["rank_x"].update(dimension=1), lambda w: w.pop("union")],
        "s1": [lambda w: w["nuclear"].update(rho="0")],
    }
    for cid, fs in edits.items():
        for edit in fs:
            doc = json.loads(json.dumps(cert))
            res = next(r for r in doc["results"] if r["id"] == cid)
            edit(res["witness"])
            assert not reports(doc)[cid]["valid"], cid
    doc = json.loads(json.dumps(cert))
    next(c for c in doc["problem"]["claims"] if c["id"] == "s0")["alpha"] = "1/2"
    assert not reports(doc)["s0"]["valid"]


def test_a_partial_whitening_claim_is_refused_with_the_reason():
    with pytest.raises(ClaimFileError, match="only 0 and 1 are certified"):
        loads_claim_file(CLAIMS + claim("half", ["f", "g"], alpha="1/2", at_most="1"))
