"""``symrep verify --timeout`` bounds every claim kind, not only equal_functions (issue 12).

A procrustes claim on 12 neurons x 60 points of 30-digit rationals takes minutes exactly; under
``--timeout 0.5`` it must come back undecided, saying why, beside the decided claim of the same
file, with exit status 3, and the certificate must pass the standalone checker.  The run is a
subprocess so that the timer (SIGALRM) belongs to its main thread; nothing is timed.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _claim_file(kind: str, extra: str, n: int = 12, points: int = 60) -> str:
    rng = random.Random(5)
    q = lambda: f'"{rng.randint(-10**30, 10**30)}/{rng.randint(1, 10**30)}"'  # noqa: E731
    inputs = "[" + ",".join("[" + ",".join(q() for _ in range(n)) + "]" for _ in range(points)) + "]"
    W = "[" + ",".join("[" + ",".join(str(rng.randint(-9, 9)) for _ in range(n)) + "]" for _ in range(n)) + "]"
    eye = "[" + ",".join("[" + ",".join(str(int(i == j)) for j in range(n)) + "]" for i in range(n)) + "]"
    return (f"[data]\ninputs = {inputs}\n[networks.f]\nlayers = [{{weights = {W}, activation = \"identity\"}}]\n"
            f"[networks.g]\nlayers = [{{weights = {eye}, activation = \"identity\"}}]\n"
            f'[[claims]]\nid = "slow"\nkind = "{kind}"\nnetworks = ["f", "g"]\nlayer = 1\n{extra}\n'
            f'[[claims]]\nid = "quick"\nkind = "dimension"\nnetwork = "g"\nlayer = 0\nequals = {n}\n')


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "symrep", *argv], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)


@pytest.mark.parametrize("kind, extra", [("procrustes", "at_least = 0"), ("angular_procrustes", "at_most = 2")])
def test_timeout_makes_any_slow_claim_undecided(tmp_path, kind, extra):
    (tmp_path / "slow.toml").write_text(_claim_file(kind, extra))
    r = _run("verify", "slow.toml", "--timeout", "0.5", "--json", "--certificate", "slow.cert.json", cwd=tmp_path)
    assert r.returncode == 3 and "Traceback" not in r.stderr, r.stderr
    doc = json.loads(r.stdout)
    slow, quick = doc["results"]
    assert slow["verdict"] == "undecided" and "time bound of 0.5 s (--timeout)" in slow["explanation"]
    assert quick["verdict"] is True and doc["undecided"] == 1 and doc["exit_status"] == 3
    cert = json.loads((tmp_path / "slow.cert.json").read_text())
    assert [x["verdict"] for x in cert["results"]] == ["undecided", True]
    check = subprocess.run([sys.executable, str(ROOT / "symrep" / "checker.py"), "slow.cert.json"], capture_output=True,
                           text=True, cwd=tmp_path, timeout=300)
    assert check.returncode == 0 and "1 undecided" in check.stdout, check.stdout + check.stderr


def test_timeout_leaves_quick_claims_decided(tmp_path):
    (tmp_path / "quick.toml").write_text(_claim_file("dimension", "", n=3, points=4).replace(
        'kind = "dimension"\nnetworks = ["f", "g"]', 'kind = "dimension"\nnetwork = "g"\nequals = 3', 1))
    r = _run("verify", "quick.toml", "--timeout", "60", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert [x["verdict"] for x in json.loads(r.stdout)["results"]] == [True, True]


def test_timeout_must_be_positive(tmp_path):
    (tmp_path / "quick.toml").write_text("[data]\ninputs = [[1]]\n")
    r = _run("verify", "quick.toml", "--timeout", "-1", cwd=tmp_path)
    assert r.returncode == 2 and "--timeout" in r.stderr and "Traceback" not in r.stderr


def test_timeout_applies_to_parametric_claims(tmp_path):
    """Each parametric claim is either decided as without the bound or undecided with the reason (never a crash)."""
    example = ROOT / "examples" / "parametric-rescaling.toml"
    free = _run("verify", str(example), "--json", cwd=tmp_path)
    bounded = _run("verify", str(example), "--json", "--timeout", "0.001", cwd=tmp_path)
    assert free.returncode == 0 and bounded.returncode in (0, 3), bounded.stderr
    for a, b in zip(json.loads(free.stdout)["results"], json.loads(bounded.stdout)["results"]):
        assert b["verdict"] == a["verdict"] or (b["verdict"] == "undecided" and "(--timeout)" in b["explanation"])
    assert bounded.returncode == 0 or "(--timeout)" in bounded.stdout
