"""The checker's work per certificate, counted, against a budget that is a function of the file size (issue 12).

Work is counted as Python call events (``sys.setprofile``: every function the checker runs, the
Fraction arithmetic included), not timed.  The checker states its cost as O(S^2) bounded operations
for a file of S bytes; on every certificate of ``proofs/``, of the bad-certificate corpus and on
certificates symrep writes here (a compare report with the ladder, CKA and measures; a region split
of equal_functions), it stays under ``200 S + 10^6`` events, about 40 times what is measured (at most
about 5 events a byte), so a check that grew faster than the file would fail here.  For a layer
certificate S counts the files it references.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from symrep import checker, cli

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted([*ROOT.glob("proofs/*.cert.json"), *ROOT.glob("tests/bad_certificates/*.json")])


def budget(size: int) -> int:
    return 200 * size + 10**6


def _size(path: Path) -> int:
    """The certificate's bytes, and for a layer certificate those of the files it references."""
    total = os.path.getsize(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):  # unreadable: the file alone
        return total
    if isinstance(doc, dict) and doc.get("format") == checker.LAYER_FORMAT:
        refs = [*doc.get("data", {}).values(), doc.get("witness_file", {})]
        total += sum(os.path.getsize(path.parent / r["file"]) for r in refs if isinstance(r, dict) and "file" in r)
    return total


def _events(path: Path) -> tuple[int, str]:
    n = 0

    def count(frame, event, arg):
        nonlocal n
        n += 1

    sys.setprofile(count)
    try:
        report = checker.check_file(str(path))
    finally:
        sys.setprofile(None)
    return n, report["status"]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_the_checker_stays_within_its_budget_on_the_corpus(path):
    events, _ = _events(path)
    assert events <= budget(_size(path)), (events, _size(path))


def test_the_checker_stays_within_its_budget_on_what_symrep_writes(tmp_path, capsys, monkeypatch):
    rng = np.random.default_rng(2)
    np.save(tmp_path / "a.npy", rng.standard_normal((16, 4)).astype(np.float32))
    np.save(tmp_path / "b.npy", rng.standard_normal((16, 4)))
    (tmp_path / "f.toml").write_text(
        '[data]\ninputs = [[0, 0]]\n'
        '[networks.f]\nlayers = [{weights = [[1, 2], [2, -1], [1, 1]], bias = [0, 1, -1], activation = "relu"},'
        ' {weights = [[1, -1, 2]], activation = "identity"}]\n'
        '[networks.g]\nlayers = [{weights = [[1, 2], [1, 2], [2, -1], [1, 1]], bias = [0, 0, 1, -1], activation = "relu"},'
        ' {weights = [["1/2", "1/2", -1, 2]], activation = "identity"}]\n'
        '[[claims]]\nid = "same"\nkind = "equal_functions"\nnetworks = ["f", "g"]\n')
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compare", "a.npy", "b.npy", "--ladder", "--measures", "cka,cca,procrustes", "--eps", "0,1/2",
                     "--certificate-dir", "c"]) == 0
    assert cli.main(["verify", "f.toml", "--certificate", "c/f.cert.json"]) == 0
    capsys.readouterr()
    paths = sorted((tmp_path / "c").glob("*.cert.json"))
    assert len(paths) == 3
    for path in paths:
        events, status = _events(path)
        assert status == "valid" and events <= budget(_size(path)), (path.name, events, _size(path))
