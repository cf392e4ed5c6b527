"""certify() then the independent checker: every certificate symrep writes must check.

For random small networks, data and claims of every kind (with ``equals`` values sometimes right
and sometimes wrong) the checker reports every claim valid, its verdicts are symrep's verdicts,
and both agree with a third, independent oracle (``_certgen.oracle_verdicts``: rank by plain
elimination, sharing no code with symrep or the checker).
"""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _certgen import KINDS, agree, base_problems, build, modular_inverses, oracle_verdicts, problems
from symrep import checker
from symrep.certificates import FORMAT, certify, dump_certificate
from symrep.claims import problem_from_json
from symrep.claims.verdicts import verify_problem


def check_roundtrip(problem):
    """Certify, dump, reload, check; return (certificate, checker reports, symrep verdicts)."""
    cert = certify(problem)
    text = dump_certificate(cert)
    doc = json.loads(text)
    assert doc == cert, "a certificate must survive a JSON round trip unchanged"
    assert dump_certificate(doc) == text
    assert doc["format"] == FORMAT == checker.FORMAT
    reports = checker.check_certificate(doc)
    bad = [r["message"] for r in reports if not r["valid"]]
    assert not bad, bad
    verdicts = [v.holds for v in verify_problem(problem)]
    assert [r["verdict"] for r in reports] == verdicts == [r["verdict"] for r in doc["results"]]
    assert [r["id"] for r in reports] == [c.id for c in problem.claims]
    # the problem embedded in the certificate is the problem
    assert problem_from_json(doc["problem"]) == problem
    return doc, reports, verdicts


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.booleans())
def test_certify_then_check(generated, modular):
    doc, how = generated
    problem = build(doc, how)
    if how == "toml":  # the TOML route and the mapping route read the same problem
        assert problem == build(doc, "mapping")
    with modular_inverses() if modular else contextlib.nullcontext():
        cert, reports, verdicts = check_roundtrip(problem)
    assert verdicts == oracle_verdicts(doc) == oracle_verdicts(cert["problem"])
    for r, c in zip(reports, problem.claims):
        assert r["as_expected"] == (r["verdict"] == c.expect)


def test_base_problems_cover_every_kind_and_verdict():
    seen = set()
    for problem in base_problems():
        cert, _, verdicts = check_roundtrip(problem)
        assert agree(verdicts, oracle_verdicts(cert["problem"]))
        for c, v in zip(problem.claims, verdicts):
            seen.add((c.kind, v))
            if c.kind == "exact_match":
                seen.add((c.kind, v, c.neurons is not None))
    assert {(k, v) for k in KINDS for v in (True, False)} <= seen
    assert {("exact_match", v, n) for v in (True, False) for n in (True, False)} <= seen


def test_dimension_witnesses_modulo_a_prime_check():
    """Above EXACT_INVERSE_UP_TO (and always under modular_inverses) independence is proved mod a prime."""
    cert, _, _ = check_roundtrip(base_problems()[3])  # ten points: dimensions 9 and 10
    assert '"inverse_mod"' in dump_certificate(cert)
    for problem in base_problems():
        with modular_inverses():
            cert, _, verdicts = check_roundtrip(problem)
        assert agree(verdicts, oracle_verdicts(cert["problem"]))


def test_certificate_json_roundtrip_is_stable():
    for problem in base_problems():
        text = dump_certificate(certify(problem))
        assert text.endswith("\n")
        assert dump_certificate(json.loads(text)) == text
        # generating twice gives the same bytes (no dict-order or set-order dependence)
        assert dump_certificate(certify(problem)) == text
