"""coq/Spectral.v's gram-bound removals (the certified eps > 0 path): exported traces compile, tampered ones fail.

The instance is built so that the certified path (``matching.CERTIFIED_FROM`` set to 0) removes
neurons by a distance lower bound with ``gram_bounds``: identity networks on points in R^4, the
second network's rows near combinations of the first's (kept) or far from them (removed).
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from fractions import Fraction as F
from pathlib import Path

import pytest

from _certgen import fmt
from test_certified_via_matching import oracle
from symrep.certificates import certify, dump_certificate
from symrep.certificates.coq import compile_coq, export_coq
from symrep.claims import problem_from_mapping
from symrep.measures import matching

needs_coq = pytest.mark.skipif(shutil.which("coqc") is None, reason="coqc is not installed (apt-get install coq): Coq tests skipped")


def problem(seed: int = 3, d: int = 24, exact: bool = False) -> dict:
    """Two identity networks on d points of R^8, f with 4 neurons, g with 6: rows 4, 5 far from f's span.

    eps = 1/10: g's rows 0-3 are f's plus changes of 1/50 (close).  exact (eps = 0): they are f0 + f1, f1,
    f2, 2 f3 (the same span)."""
    rng = random.Random(seed)
    data = [[fmt(F(rng.randint(-4, 4))) for _ in range(8)] for _ in range(d)]
    f = [[F(rng.randint(-3, 3)) for _ in range(8)] for _ in range(4)]
    if exact:
        near = [[a + b for a, b in zip(f[0], f[1])], f[1], f[2], [2 * x for x in f[3]]]
    else:
        near = [[x + F(rng.randint(-1, 1), 50) for x in r] for r in f]
    far = [[F(rng.randint(-5, 5)) for _ in range(8)] for _ in range(2)]

    def net(rows: list) -> dict:
        return {"layers": [{"weights": [[fmt(x) for x in r] for r in rows], "activation": "identity",
                            "bias": ["0"] * len(rows)}]}

    pair = {"networks": ["f", "g"], "layer": 1}
    four, five = [0, 1, 2, 3], [0, 1, 2, 3, 4]
    if exact:
        claims = [{"id": "max", "kind": "maximum_match", **pair, "equals": [four, four]},
                  {"id": "maxno", "kind": "maximum_match", **pair, "equals": [four, five]},
                  {"id": "none", "kind": "no_match", **pair}]
    else:
        claims = [{"id": "max", "kind": "maximum_approx_match", **pair, "eps": "1/10", "equals": [four, four]},
                  {"id": "sim", "kind": "match_similarity", **pair, "eps": "1/10", "equals": "4/5"},
                  {"id": "not", "kind": "approx_match", **pair, "eps": "1/10", "neurons": [four, five]}]
    return {"data": {"inputs": data}, "networks": {"f": net(f), "g": net(near + far)}, "claims": claims}


@pytest.fixture(params=["eps", "exact"])
def case(request, monkeypatch) -> tuple[bool, dict]:
    """(exact, certificate): every eps > 0 problem on the certified path, and every eps = 0 one on certified_eps0's."""
    monkeypatch.setattr(matching, "CERTIFIED_FROM", 0)
    monkeypatch.setattr(matching, "CERTIFIED_EXACT_FROM", 0)
    exact = request.param == "exact"
    return exact, json.loads(dump_certificate(certify(problem_from_mapping(problem(exact=exact)))))


@pytest.fixture
def cert(case) -> dict:
    return case[1]


def bounds(cert: dict) -> int:
    """How many removals of the certificate are gram-bound removals."""
    n = 0
    for r in cert["results"]:
        w = r.get("witness") or {}
        n += sum("bound" in x for x in w.get("removals", [])) + ("bound" in w)
    return n


def test_instance_uses_gram_bounds(case):
    exact, cert = case
    assert bounds(cert) >= 2
    p = problem(exact=exact)
    xs = [[F(x) for x in pt] for pt in p["data"]["inputs"]]
    acts = {k: [[sum((F(w) * x for w, x in zip(row, pt)), F(0)) for pt in xs] for row in p["networks"][k]["layers"][0]["weights"]]
            for k in "fg"}
    # Wang et al.'s loop over Fractions
    assert oracle(acts["f"], acts["g"], 0 if exact else F(1, 10)) == ((0, 1, 2, 3), (0, 1, 2, 3))
    assert [r["verdict"] for r in cert["results"]] == ([True, False, False] if exact else [True, True, False])
    ex = export_coq(cert)
    assert ex.skipped == [] and len(ex.proved) == 3
    assert "Bound [" in ex.text and "Require Import Symrep Spectral." in ex.text
    assert ("gmax_match_true" in ex.text and "gmax_match_false" in ex.text) if exact else "gsimilarity_true" in ex.text


@needs_coq
def test_gram_bound_trace_compiles(cert, tmp_path: Path):
    v = tmp_path / "g.v"
    v.write_text(export_coq(cert).text)
    rc, msg = compile_coq(v)
    assert rc == 0, msg


@needs_coq
def test_least_squares_proposal_compiles(cert, tmp_path: Path, monkeypatch):
    """The exporter's fallback (the exact least-squares coefficients, q = 0) for removals the checker accepts, forced here."""
    from symrep.certificates import coq_grambound

    monkeypatch.setattr(coq_grambound, "_bound_holds", lambda *a: False)
    text = export_coq(cert).text
    monkeypatch.undo()
    assert text != export_coq(cert).text  # other coefficients than the certificate's
    v = tmp_path / "ls.v"
    v.write_text(text)
    rc, msg = compile_coq(v)
    assert rc == 0, msg


def _fail_compiles(cert: dict, tmp_path: Path) -> None:
    ex = export_coq(cert, gate=False, fail=True)
    assert len(ex.proved) == 3 and "Require Import Symrep Spectral." in ex.text
    v = tmp_path / "t.v"
    v.write_text(ex.text)
    rc, msg = compile_coq(v)
    assert rc == 0, msg  # every Fail command failed: no proof of the tampered claims


@needs_coq
def test_untampered_fail_file_is_rejected(cert, tmp_path: Path):
    """The control: the honest certificate's Fail file is rejected (its proofs go through), so the tests below can fail."""
    v = tmp_path / "t.v"
    v.write_text(export_coq(cert, gate=False, fail=True).text)
    rc, msg = compile_coq(v)
    assert rc == 1 and "has not failed" in msg, msg


@needs_coq
def test_tampered_coefficients_fail(cert, tmp_path: Path):
    bad = copy.deepcopy(cert)
    for r in bad["results"]:
        w = r["witness"]
        for x in w.get("removals", []) + [w]:
            if "bound" in x:  # a far-off point of the span: the bound |r|^2 - |q|^2/mu is then negative
                x["bound"]["coefficients"] = [[k, fmt(F(c) * 1000 + 7)] for k, c in x["bound"]["coefficients"]]
    _fail_compiles(bad, tmp_path)


@needs_coq
def test_moved_statements_fail(cert, tmp_path: Path):
    bad = copy.deepcopy(cert)
    four, five = [0, 1, 2, 3], [0, 1, 2, 3, 4]
    moved = {"max": [four, five], "maxno": [four, four], "sim": "9/10"}  # maxno: onto the true maximum match
    for c in bad["problem"]["claims"]:
        if c["id"] in moved:
            c["equals"] = moved[c["id"]]
        elif c["id"] == "none":  # "no match" as "not this maximum match", the true one
            c["kind"], c["equals"] = "maximum_match", [four, four]
        else:
            c["neurons"] = [four, [0, 1, 2, 3, 5]]  # the removal's neuron 4 is not in it
    _fail_compiles(bad, tmp_path)


@needs_coq
@pytest.mark.slow
def test_default_threshold_takes_the_certified_path(tmp_path: Path):
    """At symrep's own threshold ((4 + 6) neurons x 200 points = CERTIFIED_FROM) the certificate has gram bounds, and compiles."""
    assert (4 + 6) * 200 >= matching.CERTIFIED_FROM
    cert = json.loads(dump_certificate(certify(problem_from_mapping(problem(d=200)))))
    assert bounds(cert) >= 2
    ex = export_coq(cert)
    assert ex.skipped == [] and len(ex.proved) == 3
    v = tmp_path / "g.v"
    v.write_text(ex.text)
    rc, msg = compile_coq(v)
    assert rc == 0, msg
