"""The gallery of published claims (``proofs/README.md``) is complete and says what the certificates say.

``proofs/README.md`` indexes claim files of published statements. Each index row names a claim file and
some of its claims, each with a verdict. These tests check four things. Every link resolves. Every
claim file in ``proofs/`` is linked, together with its certificate, its Markdown proof and its Coq file.
Every claim of the gallery's own files is indexed. Every stated verdict is the verdict in the committed
certificate, and the standalone checker accepts that certificate with every verdict as expected.

Regeneration is checked elsewhere: ``tests/test_proofs.py`` tests every ``proofs/*.toml`` (its
``CLAIM_FILES``), and ``test_every_indexed_file_is_regenerated_by_test_proofs`` pins that. There,
the regenerated certificate and Markdown proof must equal the committed ones, and in
``tests/test_coq.py`` the regenerated Coq file must as well.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from symrep import checker

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
INDEX = PROOFS / "README.md"
COMPANIONS = (".toml", ".cert.json", ".md", ".v")

#: The claim files written for the gallery: each needs a ``source``, and every one of its claims is indexed.
GALLERY = ("wang2018", "kornblith2019", "williams2021", "davari2022", "ding2021", "huh2024", "resi",
           "phuong2020", "grigsby2023")

LINK = re.compile(r"\[[^\]]*\]\(([^)\s#]+)\)")
ROW = re.compile(r"^\| *([A-Z][a-z]?\d+) *\|(.*)\|$")
CLAIM_REF = re.compile(r"`([\w.-]+)` \*\*(true|false)\*\*")
FILE_REF = re.compile(r"\[([\w.-]+)\.toml\]\(\1\.toml\)")


def index_text() -> str:
    return INDEX.read_text(encoding="utf-8")


def indexed_verdicts() -> list[tuple[str, str, str, bool]]:
    """(row, claim file stem, claim id, verdict) for every claim reference in a statement row."""
    refs = []
    for line in index_text().splitlines():
        m = ROW.match(line)
        if not m:
            continue
        row, cells = m.group(1), m.group(2)
        # a row may cite several claim files: each claim belongs to the file linked last before it
        pieces = FILE_REF.split(cells)
        assert len(pieces) >= 3, f"row {row} cites no claim file"
        for stem, text in zip(pieces[1::2], pieces[2::2]):
            claims = CLAIM_REF.findall(text.split("|")[0])
            assert claims, f"row {row}: no claim of {stem}.toml with a verdict"
            refs += [(row, stem, cid, verdict == "true") for cid, verdict in claims]
    return refs


def certificate(stem: str) -> dict:
    return json.loads((PROOFS / f"{stem}.cert.json").read_text(encoding="utf-8"))


def test_every_link_in_the_index_resolves():
    targets = LINK.findall(index_text())
    assert targets
    missing = [t for t in targets if not (PROOFS / t).is_file()]
    assert not missing, f"proofs/README.md links files that do not exist: {missing}"


def test_the_index_links_every_claim_file_and_its_companions():
    linked = set(LINK.findall(index_text()))
    for toml in sorted(PROOFS.glob("*.toml")):
        for suffix in COMPANIONS:
            name = toml.stem + suffix
            assert (PROOFS / name).is_file(), f"{name} is missing: run proofs/regenerate"
            assert name in linked, f"proofs/README.md does not link {name}"


def test_the_gallery_is_large_enough():
    refs = indexed_verdicts()
    rows = {row for row, *_ in refs}
    sources = {tomllib.loads((PROOFS / f"{stem}.toml").read_text(encoding="utf-8")).get("source", stem)
               for _, stem, _, _ in refs}
    assert len(rows) >= 12, f"only {len(rows)} statements indexed"
    assert len(sources) >= 8, f"only {len(sources)} sources indexed"


@pytest.mark.parametrize("stem", GALLERY)
def test_every_gallery_claim_is_indexed_and_its_file_names_a_source(stem):
    problem = tomllib.loads((PROOFS / f"{stem}.toml").read_text(encoding="utf-8"))
    assert problem.get("source"), f"{stem}.toml names no source"
    ids = [c["id"] for c in problem["claims"]]
    indexed = {cid for _, s, cid, _ in indexed_verdicts() if s == stem}
    assert set(ids) <= indexed, f"{stem}.toml claims not in proofs/README.md: {sorted(set(ids) - indexed)}"


def disagreements(refs: list[tuple[str, str, str, bool]]) -> list[str]:
    """Every index reference whose claim is missing from its certificate or has another verdict there."""
    out = []
    for row, stem, cid, verdict in refs:
        results = {r["id"]: r["verdict"] for r in certificate(stem)["results"]}
        if cid not in results:
            out.append(f"row {row}: {stem}.toml has no claim {cid!r}")
        elif results[cid] is not verdict:
            out.append(f"row {row}: {stem}.toml {cid} is {results[cid]}, the index says {verdict}")
    return out


def test_every_indexed_verdict_is_the_certificates():
    refs = indexed_verdicts()
    assert refs
    assert not disagreements(refs)


@pytest.mark.parametrize("stem", sorted({stem for _, stem, _, _ in indexed_verdicts()}))
def test_indexed_certificates_pass_the_standalone_checker(stem):
    report = checker.check_file(str(PROOFS / f"{stem}.cert.json"))
    assert report["status"] == "valid", report
    assert report["claims"] and all(c["valid"] and c["as_expected"] for c in report["claims"]), report["claims"]


def test_every_indexed_file_is_regenerated_by_test_proofs():
    from test_proofs import CLAIM_FILES  # the files whose certificates and proofs must be current

    regenerated = {p.stem for p in CLAIM_FILES}
    assert {stem for _, stem, _, _ in indexed_verdicts()} <= regenerated


def test_a_wrong_or_unknown_reference_in_the_index_is_caught():
    """The verdict check can fail: a flipped verdict and a misspelt claim id are each reported."""
    refs = indexed_verdicts()
    for k in (0, len(refs) // 2, len(refs) - 1):
        row, stem, cid, verdict = refs[k]
        assert len(disagreements([(row, stem, cid, not verdict)])) == 1
        assert len(disagreements([(row, stem, cid + "-misspelt", verdict)])) == 1
