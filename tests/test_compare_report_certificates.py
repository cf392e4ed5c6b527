"""``compare --ladder --measures --certificate-dir`` certifies everything the report states (issue 12).

The test writes two activation files related by construction (B = A times a scaled permutation,
so scaled_permutation, linear and isomorphic hold and identical, permutation, orthogonal and
similarity fail), runs ``symrep compare`` from the user's side, runs the standalone checker on
every certificate it wrote, and asserts that every ladder level, CKA and each measure of the
``--json`` report names the certificate claim that proves it, with the report's own verdict.
"""

from __future__ import annotations

import json
from fractions import Fraction
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from symrep import cli

ROOT = Path(__file__).resolve().parents[1]
LEVELS = {"identical": False, "permutation": False, "scaled_permutation": True, "orthogonal": False,
          "similarity": False, "linear": True, "isomorphic": True}


def _files(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(-3, 4, (9, 3)).astype(np.float64)  # 9 points x 3 neurons
    b = a[:, [2, 0, 1]] * np.array([2.0, 0.5, 1.0])  # permuted neurons, unequal positive scales
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)


def _check(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "symrep" / "checker.py"), str(path)], capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.mark.parametrize("form", ["auto", "embedded"])
def test_every_stated_result_is_certified_and_checked(tmp_path, capsys, monkeypatch, form):
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    measures = "cka,cca,procrustes,svcca:2,match_similarity:0,rsa:euclidean,spearman"
    status = cli.main(["compare", "a.npy", "b.npy", "--ladder", "--measures", measures, "--certificate-dir", "certs",
                       "--certificate-form", form, "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    doc = json.loads(out)
    layer = doc["layers"][0]
    files = {Path(p).name for p in doc["certificates"]}
    assert files == ({"layer-a_b.cert.json", "layer-a_b.report.cert.json"} if form == "auto" else {"layer-a_b.cert.json"})
    for p in doc["certificates"]:
        r = _check(tmp_path / p)
        assert r.returncode == 0 and "VALID" in r.stdout, r.stdout + r.stderr
    for key in ("ladder", "centered_ladder"):
        for e in layer[key]:
            assert e["holds"] == LEVELS[e["level"]]  # the truth by construction (centring keeps each level here)
            c = e["certificate"]
            assert c["verdict"] == e["holds"] and Path(c["file"]).name in files
            claim = _claim(tmp_path / c["file"], c["claim"])
            assert claim["kind"] == "equivalence" and claim["level"] == e["level"] and claim["centered"] == (key != "ladder")
    assert layer["cka_certificate"]["verdict"] is True
    assert _claim(tmp_path / layer["cka_certificate"]["file"], "cka-squared")["equals"] == layer["cka_squared"]
    for spec, value in layer["measures"].items():
        assert value["certificates"] and all(c["verdict"] is True for c in value["certificates"]), spec
    # every claim of every certificate is in the report's map, with its verdict
    assert all(c["verdict"] in (True, False) for c in layer["certified"].values())


def _claim(path: Path, cid: str) -> dict:
    doc = json.loads(path.read_text())
    return next(c for c in doc["problem"]["claims"] if c["id"] == cid)


def test_the_terminal_report_counts_what_is_certified(tmp_path, capsys, monkeypatch):
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compare", "a.npy", "b.npy", "--ladder", "--certificate-dir", "certs"]) == 0
    out = capsys.readouterr().out
    # 3 (dimensions, match) + 7 levels + 7 centred levels + CKA^2
    assert "layer a|b: 18 of 18 stated results certified" in out


def test_a_tampered_report_certificate_is_rejected(tmp_path, capsys, monkeypatch):
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compare", "a.npy", "b.npy", "--ladder", "--certificate-dir", "certs"]) == 0
    capsys.readouterr()
    path = tmp_path / "certs" / "layer-a_b.report.cert.json"
    doc = json.loads(path.read_text())
    i = next(k for k, r in enumerate(doc["results"]) if r["id"] == "ladder-orthogonal")
    doc["results"][i]["verdict"] = True  # orthogonal fails by construction: claim the opposite
    path.write_text(json.dumps(doc))
    assert _check(path).returncode != 0


def test_a_constant_layer_reports_undefined_measures_and_certifies_the_rest(tmp_path, capsys, monkeypatch):
    rng = np.random.default_rng(1)
    a = rng.integers(-3, 4, (8, 3))
    np.save(tmp_path / "a.npy", a.astype(np.float64))
    np.save(tmp_path / "b.npy", np.zeros((8, 3)))  # constant over the data: CKA undefined, Procrustes |A_c|_F
    monkeypatch.chdir(tmp_path)
    status = cli.main(["compare", "a.npy", "b.npy", "--ladder", "--measures", "cka,procrustes", "--certificate-dir", "c",
                       "--json"])
    out, err = capsys.readouterr()
    assert status == 0 and "Traceback" not in err, err
    layer = json.loads(out)["layers"][0]
    assert "undefined" in layer["measures"]["cka"] and "cka_squared" not in layer
    # min_Q |A_c Q - 0|_F = |A_c|_F: defined, and certified by the procrustes kind (its square is exact)
    p = layer["measures"]["procrustes"]
    assert p["certificates"] and "not_certified" not in p, p
    norm2 = sum(Fraction(int(x)) ** 2 for x in a.ravel()) - sum(Fraction(int(c)) ** 2 for c in a.sum(axis=0)) / 8
    assert Fraction(p["lower"]) ** 2 <= norm2 <= Fraction(p["upper"]) ** 2
    for p in json.loads(out)["certificates"]:
        assert _check(tmp_path / p).returncode == 0
    assert all(e["certificate"]["verdict"] == e["holds"] for e in layer["ladder"])


def test_the_standalone_checker_into_head_ends_cleanly(tmp_path, capsys, monkeypatch):
    """``python checker.py CERT ... | head -1``: no BrokenPipeError traceback, and the exit status of the check."""
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compare", "a.npy", "b.npy", "--ladder", "--certificate-dir", "certs"]) == 0
    capsys.readouterr()
    cert = str(tmp_path / "certs" / "layer-a_b.report.cert.json")
    # 160 copies print about 160 KB (18 lines of about 55 bytes each), well over a 64 KiB pipe and the 8 KiB
    # buffer of standard output, so the writer meets the closed pipe
    proc = subprocess.Popen([sys.executable, str(ROOT / "symrep" / "checker.py"), *[cert] * 160],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and "VALID" in proc.stdout.readline()
    proc.stdout.close()  # the reader leaves, as head does, long before 160 x 18 lines are written
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=300) == 0 and "Traceback" not in err, err
