"""The committed proofs in proofs/ are current and valid.

``proofs/regenerate`` writes, for each claim file ``proofs/X.toml``, the certificate
``X.cert.json`` (``symrep verify X.toml --certificate``) and the Markdown proof ``X.md``
(``symrep explain``).  Regenerating here must give the committed bytes, and the standalone
checker must find every certificate valid with every verdict as the claim file expects.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symrep import checker
from symrep.certificates import certify, dump_certificate
from symrep.claims import load_claim_file
from symrep.certificates.explain import explain

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
CLAIM_FILES = sorted(PROOFS.glob("*.toml"))


def _certify(toml):
    """The certificate ``symrep verify --certificate`` writes (a file with [parameters] is a family)."""
    if "\n[parameters]" in toml.read_text(encoding="utf-8"):
        from symrep.parametric import load_parametric_claim_file
        from symrep.parametric.certify import certify_parametric

        return certify_parametric(load_parametric_claim_file(toml))
    return certify(load_claim_file(toml))


def test_there_are_proofs():
    assert CLAIM_FILES
    assert sorted(p.name for p in PROOFS.glob("*.cert.json")) == sorted(p.stem + ".cert.json" for p in CLAIM_FILES)
    proofs_md = (p.name for p in PROOFS.glob("*.md") if p.name != "README.md")  # README.md: the gallery's index
    assert sorted(proofs_md) == sorted(p.stem + ".md" for p in CLAIM_FILES)


@pytest.mark.parametrize("toml", CLAIM_FILES, ids=lambda p: p.stem)
def test_committed_certificate_is_current(toml):
    committed = (toml.with_suffix(".cert.json")).read_text(encoding="utf-8")
    fresh = dump_certificate(_certify(toml))
    assert fresh == committed, f"{toml.stem}.cert.json is stale: run proofs/regenerate"


@pytest.mark.parametrize("toml", CLAIM_FILES, ids=lambda p: p.stem)
def test_committed_markdown_proof_is_current(toml):
    cert = json.loads(toml.with_suffix(".cert.json").read_text(encoding="utf-8"))
    committed = toml.with_suffix(".md").read_text(encoding="utf-8")
    assert explain(cert) == committed, f"{toml.stem}.md is stale: run proofs/regenerate"


@pytest.mark.parametrize("toml", CLAIM_FILES, ids=lambda p: p.stem)
def test_committed_certificate_is_valid_and_as_expected(toml):
    report = checker.check_file(str(toml.with_suffix(".cert.json")))
    assert report["status"] == "valid", report
    assert report["claims"] and all(c["valid"] and c["as_expected"] for c in report["claims"]), report["claims"]


def test_bundled_claim_files_are_the_proofs_claim_files():
    """``symrep/data/*.toml`` (shipped in the wheel, read by ``symrep verify`` with no file) are byte copies
    of ``proofs/*.toml``."""
    data = Path(__file__).resolve().parent.parent / "symrep" / "data"
    bundled = sorted(p.name for p in data.glob("*.toml"))
    assert bundled
    for name in bundled:
        assert (PROOFS / name).exists(), f"symrep/data/{name} has no counterpart in proofs/"
        assert (data / name).read_bytes() == (PROOFS / name).read_bytes(), \
            f"symrep/data/{name} differs from proofs/{name}: copy proofs/{name} over it"
