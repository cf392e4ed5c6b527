"""Spectral measures (Procrustes, angular Procrustes, CCA, SVCCA) inside relation, triangle and invariance claims.

Truth: by construction (a permuted layer has Procrustes distance 0 and CCA 1; an invertible map keeps CCA at 1) or
from float singular values (NumPy) where the float value is far from the claimed one.  Every certificate must be
accepted by the independent checker, and tampered spectral evidence must be rejected.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.certificates import certify, dump_certificate
from symrep.claims import loads_claim_file
from symrep.claims.verdicts import verify_problem

HEAD = """
[data]
inputs = [[1, 0], [0, 1], [2, 1], [1, 3]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "relu" } ]
[networks.g]
layers = [ { weights = [[2, 1], [1, -1]], activation = "relu" } ]
[networks.h]
layers = [ { weights = [[0, 1], [1, 0]], activation = "identity" } ]
[networks.k]
layers = [ { weights = [[3, 1], [1, 2]], activation = "identity" } ]
"""


def claim(cid: str, body: str, expect: bool = True, nets: str = '["f", "g"]') -> str:
    return f'[[claims]]\nid = "{cid}"\nnetworks = {nets}\nlayer = 1\nexpect = {str(expect).lower()}\n{body}\n'


def points(net: str) -> np.ndarray:
    X = np.array([[1, 0], [0, 1], [2, 1], [1, 3]], dtype=float)
    W = {"f": [[1, 0], [0, 1]], "g": [[2, 1], [1, -1]], "h": [[0, 1], [1, 0]], "k": [[3, 1], [1, 2]]}[net]
    Y = X @ np.array(W, dtype=float).T
    return np.maximum(Y, 0) if net in ("f", "g") else Y


def procrustes_float(a: str, b: str) -> float:
    A, B = (points(n) - points(n).mean(axis=0) for n in (a, b))
    nuc = np.linalg.svd(A.T @ B, compute_uv=False).sum()
    return float(np.sqrt(max(0.0, (A * A).sum() + (B * B).sum() - 2 * nuc)))


def cca_float(a: str, b: str) -> float:
    A, B = (points(n) - points(n).mean(axis=0) for n in (a, b))
    qa, qb = np.linalg.qr(A)[0], np.linalg.qr(B)[0]
    return float(np.linalg.svd(qa.T @ qb, compute_uv=False).mean())


def cka_float(a: str, b: str) -> float:
    A, B = (points(n) - points(n).mean(axis=0) for n in (a, b))
    return float(np.linalg.norm(A.T @ B) ** 2 / (np.linalg.norm(A.T @ A) * np.linalg.norm(B.T @ B)))


def svcca1_float(a: str, b: str) -> float:
    """The correlation of each side's top singular direction (over the points)."""
    us = [np.linalg.svd(points(n) - points(n).mean(axis=0))[0][:, 0] for n in (a, b)]
    return float(abs(us[0] @ us[1]))


CLAIMS = [
    claim("p-below", 'kind = "relation"\nleft = "procrustes"\nrelation = "<"\nright = { value = "%s" }'
          % (round(procrustes_float("f", "g"), 3) + 0.01)),
    claim("p-above", 'kind = "relation"\nleft = "procrustes"\nrelation = ">"\nright = { value = "%s" }'
          % (round(procrustes_float("f", "g"), 3) + 0.01), expect=False),
    claim("p-zero", 'kind = "relation"\nleft = "procrustes"\nrelation = "=="\nright = { value = 0 }', nets='["f", "h"]'),
    claim("cca-one", 'kind = "relation"\nleft = "cca"\nrelation = "=="\nright = { value = 1 }', nets='["h", "k"]'),
    claim("cca-vs-cka", 'kind = "relation"\nleft = "cca"\nrelation = ">="\nright = "cka"'),
    claim("angular-vs-arccos", 'kind = "relation"\nleft = "arccos svcca:1"\nrelation = ">"\nright = "arccos cca"'),
    claim("tri-procrustes", 'kind = "triangle"\ndistance = "procrustes"\nvia = { network = "k", layer = 1 }'),
    claim("tri-angular", 'kind = "triangle"\ndistance = "angular_procrustes"\nvia = { network = "k", layer = 1 }'),
    claim("tri-arccos-cca", 'kind = "triangle"\ndistance = "arccos cca"\nvia = { network = "k", layer = 1 }'),
    claim("inv-procrustes-scale", 'kind = "invariance"\nmeasure = "procrustes"\ntransform = { scale = 2 }', expect=False),
    claim("inv-angular-scale", 'kind = "invariance"\nmeasure = "angular_procrustes"\ntransform = { scale = 2 }'),
]


@pytest.fixture(scope="module")
def cert():
    problem = loads_claim_file(HEAD + "".join(CLAIMS))
    verdicts = {v.claim.id: v for v in verify_problem(problem)}
    return problem, verdicts, json.loads(dump_certificate(certify(problem)))


def test_spectral_relations_decide_by_construction_and_floats(cert):
    _, v, _ = cert
    # floats: procrustes(f, g) is about 0.005 below the value, so '<' holds and '>' fails
    assert v["p-below"].holds is True and v["p-above"].holds is False
    assert v["p-zero"].holds is True  # h permutes f's neurons (identity layer on non-negative f) : distance 0
    assert v["cca-one"].holds is True  # k = h composed with an invertible map: the same span
    assert abs(cca_float("f", "g") - cka_float("f", "g")) > 1e-3 and v["cca-vs-cka"].holds is (cca_float("f", "g") >= cka_float("f", "g"))
    # arccos decreases: arccos svcca:1 > arccos cca iff svcca:1 < cca
    assert abs(svcca1_float("f", "g") - cca_float("f", "g")) > 1e-3
    assert v["angular-vs-arccos"].holds is (svcca1_float("f", "g") < cca_float("f", "g"))
    assert v["inv-angular-scale"].holds is None  # brackets cannot show equality of irrational values
    assert v["inv-procrustes-scale"].holds is False


def test_spectral_relation_certificates_are_accepted(cert):
    _, v, doc = cert
    reports = {r["id"]: r for r in checker.check_certificate(doc)}
    decided = [cid for cid, x in v.items() if x.holds is not None]
    assert len(decided) >= 7
    for cid in decided:
        assert reports[cid]["valid"], (cid, reports[cid]["message"])


def _tamper(doc, cid, edit):
    doc = copy.deepcopy(doc)
    k = next(i for i, c in enumerate(doc["problem"]["claims"]) if c["id"] == cid)
    edit(doc["problem"]["claims"][k], doc["results"][k])
    return next(r for r in checker.check_certificate(doc) if r["id"] == cid)


def _narrow(r):
    sp = r["witness"]["left"]["spectral"]
    sp["lower"] = sp["upper"]


BAD = {
    "spectral-evidence-dropped": ("p-below", lambda c, r: r["witness"]["left"].pop("spectral"), "missing field 'spectral'"),
    "spectral-bracket-narrowed": ("p-below", lambda c, r: _narrow(r), "does not contain the Procrustes distance"),
    "spectral-nuclear-forged": ("p-below", lambda c, r: r["witness"]["left"]["spectral"]["nuclear"].update(rho="0"),
                                "rho < |M - A B|_F"),
    "spectral-other-pair": ("p-below", lambda c, r: c["left"].update(networks=["f", "h"]), "left: spectral: nuclear"),
    "spectral-sign-forged": ("p-below", lambda c, r: r["witness"].update(sign=1), "the witness or the verdict"),
    "cca-exact-forged": ("cca-one", lambda c, r: c["left"].update(networks=["f", "g"]), "left: spectral: rank_x"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_tampered_spectral_evidence_is_rejected(cert, name):
    cid, edit, phrase = BAD[name]
    _, v, doc = cert
    report = _tamper(doc, cid, edit)
    assert not report["valid"] and phrase in report["message"], report["message"]


def test_no_spectral_evidence_for_an_ill_defined_svcca_is_undecided():
    problem = loads_claim_file(HEAD + claim("sv3", 'kind = "relation"\nleft = "svcca:3"\nrelation = "<="\nright = "cka"'))
    (v,) = verify_problem(problem)
    assert v.holds is None and "ill-defined" in v.explanation


small = st.lists(st.lists(st.integers(-3, 3), min_size=2, max_size=2), min_size=4, max_size=4)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small, small, st.fractions(min_value=0, max_value=6, max_denominator=8))
def test_procrustes_relation_against_float_svd(wa, wb, t):
    """procrustes(f, g) <= t on random identity layers: decided like NumPy's SVD away from ties, checker-accepted."""
    text = ("[data]\ninputs = [[1, 0], [0, 1], [2, 1], [1, 3]]\n"
            f"[networks.f]\nlayers = [ {{ weights = {wa[:2]}, activation = \"identity\" }} ]\n"
            f"[networks.g]\nlayers = [ {{ weights = {wb[:2]}, activation = \"identity\" }} ]\n"
            + claim("r", f'kind = "relation"\nleft = "procrustes"\nrelation = "<="\nright = {{ value = "{t}" }}'))
    problem = loads_claim_file(text)
    (v,) = verify_problem(problem)
    X = np.array([[1, 0], [0, 1], [2, 1], [1, 3]], dtype=float)
    A, B = X @ np.array(wa[:2], dtype=float).T, X @ np.array(wb[:2], dtype=float).T
    A, B = A - A.mean(axis=0), B - B.mean(axis=0)
    # defined on a constant layer too: min_Q |A Q - B|_F is then the other layer's norm (the SVD of 0 is 0)
    d = float(np.sqrt(max(0.0, (A * A).sum() + (B * B).sum() - 2 * np.linalg.svd(A.T @ B, compute_uv=False).sum())))
    if abs(d - float(t)) > 1e-6:
        assert v.holds is (d <= float(t))
    doc = json.loads(dump_certificate(certify(problem)))
    (report,) = checker.check_certificate(doc)
    assert report["valid"] or v.holds is None, report["message"]
