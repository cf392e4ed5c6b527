"""Hand-made bad certificates: each is rejected with a clear message, never a traceback.

The corpus is ``tests/bad_certificates/*.json`` (written by ``make_bad_certificates.py`` there);
the very large hostile inputs are generated here at run time.  Every file is checked through the
Python API (``checker.check_file``) and through the standalone script in a subprocess
(``python3 symrep/checker.py FILE``: exit 1 when rejected, 2 when unreadable).  Also here: the
``symrep check`` command's exit codes and ``--json`` output, and the checker running on a bare
Python (``python3 -S -I``) from a copy in a directory where symrep cannot be imported.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from symrep import checker, cli

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT / "symrep" / "checker.py"
CORPUS = Path(__file__).resolve().parent / "bad_certificates"
PROOFS = sorted(str(p) for p in (ROOT / "proofs").glob("*.cert.json"))

R, U = "rejected", "unreadable"
#: file stem -> (status, a phrase the message must contain)
EXPECTED = {
    "wrong-verdict-exact-match-plausible-witness": (R, "coefficients do not reproduce neuron 0"),
    "wrong-verdict-dimension-plausible-witness": (R, "inverse times the pivot block is not the identity"),
    "wrong-verdict-no-match-with-true-trace": (R, "the verdict does not follow"),
    "wrong-verdict-isomorphic-dimensions-forged": (R, "witness.dimensions is not [2, 3]"),
    "witness-for-a-different-claim": (R, "claim 'dim-false': witness: inverse times the pivot block"),
    "orthogonal-vector-not-orthogonal": (R, "not orthogonal to neuron 0 of the other side"),
    "removal-of-already-removed-neuron": (R, "neuron 0 is not among the claimed neurons (or was already removed)"),
    "removal-with-zero-product": (R, "not the stated non-zero value"),
    "coefficients-do-not-reproduce": (R, "the coefficients do not reproduce neuron 0"),
    "dimension-wrong-inverse": (R, "inverse times the pivot block is not the identity at (0, 0)"),
    "maximum-match-result-not-a-match": (R, "x_in_y: does not cover neurons"),
    "cka-negative-bound-verdict-false": (R, "at_least: CKA is never negative"),
    "cka-squared-wrong": (R, "witness.cka_squared is not the recomputed"),
    "cka-without-bounds": (R, "needs at least one of 'equals', 'at_least', 'at_most'"),
    "approx-match-without-eps": (R, "missing field 'eps'"),
    "equivalence-permutation-of-floats": (R, "permutation[0]: expected an integer, got float"),
    "simple-match-neuron-named-by-a-list": (R, "v: side must be 'x' or 'y'"),
    "approx-match-eps-too-small-for-the-witness": (R, "the coefficients do not reproduce neuron 1 within eps"),
    "inverse-mod-prime-is-not-a-prime": (R, "2305843009213693953 is not a prime"),
    "inverse-mod-wrong-matrix": (R, "inverse_mod times the pivot block is not the identity mod"),
    "wrong-verdict-dimension-inverse-mod": (R, "inverse_mod times the pivot block is not the identity mod"),
    "missing-witness": (R, "missing field 'witness'"),
    "activations-witness-wrong-claimed-value": (R, "not a differing entry with the stated values"),
    "identical-witness-wrong-widths": (R, "witness.widths is not [2, 2]"),
    "verdict-is-a-string": (R, "verdict must be true or false"),
    "duplicate-claim-ids": (R, "claim ids are not distinct"),
    "unknown-claim-kind": (R, "unknown claim kind 'approximate_match'"),
    "claim-kind-not-a-string": (R, "unknown claim kind ['no_match']"),
    "misspelt-claim-field": (R, "unknown field 'nuerons'"),
    "misspelt-bias-field": (R, "unknown field 'bais'"),
    "results-in-wrong-order": (R, "result #1 is for 'outputs-match'"),
    "missing-result": (R, "results: expected 6 entries, got 5"),
    "claim-layer-out-of-range": (R, "7 is out of range"),
    "claim-names-unknown-network": (R, "network 'f_prime' is not in the problem"),
    "wrong-format-version": (R, "format is 'symrep-certificate/2'"),
    "missing-format": (U, "not a symrep certificate (missing field 'format')"),
    "missing-problem": (R, "missing field 'problem'"),
    "top-level-array": (U, "not a symrep certificate (a JSON list, not an object)"),
    "weights-wrong-width": (R, "expected 2 entries, got 3"),
    "number-divides-by-zero": (R, "divides by zero"),
    "number-as-decimal": (R, "is not an exact number"),
    "number-as-json-float": (R, "expected a number as a string"),
    "number-of-5000-digits": (R, "the recomputed activations are not identical"),
    "number-of-20001-digits": (R, f"more than {checker.MAX_DIGITS} digits exceeds the bound"),
    "truncated": (U, "not a JSON certificate"),
    "empty-file": (U, "not a JSON certificate"),
    "nan-in-json": (U, "NaN is not an exact number"),
    "infinity-in-json": (U, "Infinity is not an exact number"),
    "huge-json-integer": (U, "not a JSON certificate"),
    "deeply-nested-20000-lists": (U, "nested too deeply"),
    "duplicate-json-key": (U, "key 'verdict' appears twice"),
    "non-utf8-bytes": (U, "not UTF-8"),
    # parametric cka / match_similarity pieces (issue 14)
    "parametric-cka-squared-tampered": (R, "cka_squared is not the recomputed |A B^T|^4"),
    "parametric-cka-end-moved": (R, "a polynomial the verdict depends on has a root inside the interval"),
    "parametric-cka-holds-flipped": (R, "the proof does not give holds = True on the piece"),
    "parametric-eps-match-projection-not-orthogonal": (R, "a projection's residual is not orthogonal to the other side"),
}
EXIT = {R: 1, U: 2}


def all_messages(report: dict) -> str:
    return "\n".join([report["message"]] + [c["message"] for c in report["claims"] if not c["valid"]])


def assert_clear(report: dict, status: str, phrase: str) -> None:
    assert report["status"] == status, report
    text = all_messages(report)
    assert phrase in text, text
    assert "Traceback" not in text
    assert all(len(m) < 400 for m in text.splitlines()), "messages stay short"


def run_script(*args, cwd=None, flags=(), env=None):
    return subprocess.run([sys.executable, *flags, str(CHECKER), *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_corpus_and_expectations_agree():
    assert sorted(p.stem for p in CORPUS.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_certificate_is_rejected_with_a_clear_message(name):
    status, phrase = EXPECTED[name]
    path = CORPUS / f"{name}.json"
    assert_clear(checker.check_file(str(path)), status, phrase)
    proc = run_script(path)
    assert proc.returncode == EXIT[status], proc
    assert "Traceback" not in proc.stderr and not proc.stderr, proc.stderr
    assert f"{status.upper()}" in proc.stdout and phrase in proc.stdout.replace("\\'", "'")


def test_corpus_is_one_change_away_from_valid():
    """The corpus bases are valid: each bad file is bad because of its one change."""
    doc = json.loads((CORPUS / "wrong-format-version.json").read_text(encoding="utf-8"))
    doc["format"] = checker.FORMAT
    assert all(r["valid"] for r in checker.check_certificate(doc))
    doc = json.loads((CORPUS / "identical-witness-wrong-widths.json").read_text(encoding="utf-8"))
    doc["results"][5]["witness"]["widths"] = [2, 2]
    assert all(r["valid"] for r in checker.check_certificate(doc))


# --- hostile inputs generated at run time ----------------------------------------------------


def small_valid_doc() -> dict:
    doc = json.loads((CORPUS / "wrong-format-version.json").read_text(encoding="utf-8"))
    doc["format"] = checker.FORMAT
    return doc


def hostile(tmp_path, name) -> Path:
    path = tmp_path / f"{name}.json"
    doc = small_valid_doc()
    if name == "number-of-ten-million-digits":
        doc["problem"]["data"]["inputs"][0][0] = "7" * 10**7
        path.write_text(json.dumps(doc), encoding="utf-8")
    elif name == "fraction-with-a-20001-digit-denominator":
        doc["problem"]["data"]["inputs"][0][0] = "1/" + "7" * 20001
        path.write_text(json.dumps(doc), encoding="utf-8")
    elif name == "json-integer-of-100000-digits":
        path.write_text(json.dumps(doc).replace('"layer": 1', '"layer": 1' + "0" * 100_000, 1), encoding="utf-8")
    elif name == "100000-nested-lists":
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    elif name == "100000-nested-objects-in-a-witness":
        text = json.dumps(doc)
        path.write_text(text.replace('"witness": {', '"witness": {"deep": ' + '{"a": ' * 100_000 + "0" + "}" * 100_000 + ", ", 1), encoding="utf-8")
    elif name == "a-million-claims":
        one = '{"id":"c","kind":"dimension","network":"f","layer":1,"equals":1}'
        doc["problem"]["claims"], doc["results"] = ["@claims@"], []
        path.write_text(json.dumps(doc).replace('"@claims@"', ",".join([one] * 1_000_000)), encoding="utf-8")
    else:
        raise AssertionError(name)
    return path


HOSTILE = {
    "number-of-ten-million-digits": (R, "exceeds the bound"),
    "fraction-with-a-20001-digit-denominator": (R, "more than 20000 digits"),
    "json-integer-of-100000-digits": (U, "not a JSON certificate"),
    "100000-nested-lists": (U, "nested too deeply"),
    "100000-nested-objects-in-a-witness": (U, "nested too deeply"),
    "a-million-claims": (R, f"more than {checker.MAX_CLAIMS} claims"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_certificate_is_rejected_fast(tmp_path, name):
    status, phrase = HOSTILE[name]
    path = hostile(tmp_path, name)
    start = time.perf_counter()
    report = checker.check_file(str(path))
    elapsed = time.perf_counter() - start
    assert_clear(report, status, phrase)
    assert elapsed < 15, f"{name}: {elapsed:.1f} s"  # generous: parsing dominates (65 MB for a million claims)
    proc = run_script(path)
    assert proc.returncode == EXIT[status] and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert phrase in proc.stdout


def test_long_numbers_within_the_bound_are_read_exactly():
    """Numbers beyond Python's 4,300-digit conversion limit but within MAX_DIGITS are fine."""
    doc = small_valid_doc()
    big = "-" + "9" * 12_000 + "/" + "7" * 9_000
    doc["problem"]["networks"]["unused"] = {"layers": [{"weights": [[big, "1"]], "bias": [big], "activation": "relu"}]}
    assert all(r["valid"] for r in checker.check_certificate(doc))
    value = checker.num(big, "x")
    assert value * (10**9_000 - 1) * 7 == -(10**12_000 - 1) * 9  # 99..9 / 77..7 = 9 (10^12000-1) / 7 (10^9000-1)


# --- output that must not crash --------------------------------------------------------------


def test_names_the_terminal_cannot_encode_are_escaped(tmp_path):
    """A lone surrogate in a claim id (legal JSON) once crashed the report with UnicodeEncodeError."""
    doc = small_valid_doc()
    doc["problem"]["claims"][0]["id"] = doc["results"][0]["id"] = "\ud800"
    path = tmp_path / "odd-id.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ensure_ascii: the file itself is ASCII
    assert checker.check_file(str(path))["status"] == "valid"
    proc = run_script(path)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    assert "\\ud800" in proc.stdout
    # a non-ASCII network name in a whole-file rejection, printed to an ASCII-only terminal
    doc["problem"]["networks"]["f\u0303"] = {"layers": [{"weights": [["1", "0"]], "activation": "tanh"}]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    proc = run_script(path, env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 1 and not proc.stderr, proc.stderr
    assert "problem.networks.f\\u0303.layers[0].activation: 'tanh' is not" in proc.stdout


# --- symrep check ----------------------------------------------------------------------------


def test_symrep_check_exit_codes(capsys):
    bad = str(CORPUS / "dimension-wrong-inverse.json")
    unreadable = str(CORPUS / "truncated.json")
    assert cli.main(["check", *PROOFS]) == 0
    out = capsys.readouterr().out
    assert out.count(": VALID:") == len(PROOFS) and "REJECTED" not in out
    assert cli.main(["check", *PROOFS, bad]) == 1
    out = capsys.readouterr().out
    assert "dimension-wrong-inverse.json: REJECTED: 1 of 6 claims rejected" in out
    assert "REJECTED input-dim (dimension, verdict true): claim 'input-dim': witness: inverse" in out
    assert cli.main(["check", bad, unreadable]) == 2
    assert cli.main(["check", unreadable]) == 2
    assert cli.main(["check", str(CORPUS / "no-such-file.json")]) == 2
    assert "cannot be read" in capsys.readouterr().out


def test_symrep_check_json_output(capsys):
    bad = str(CORPUS / "dimension-wrong-inverse.json")
    unreadable = str(CORPUS / "truncated.json")
    assert cli.main(["check", "--json", PROOFS[0], bad, unreadable]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"ok", "certificates"} and doc["ok"] is False
    assert [c["file"] for c in doc["certificates"]] == [PROOFS[0], bad, unreadable]
    assert [c["status"] for c in doc["certificates"]] == ["valid", "rejected", "unreadable"]
    for c in doc["certificates"]:
        assert set(c) == {"file", "status", "message", "claims"} and isinstance(c["message"], str)
    valid, rejected, unread = doc["certificates"]
    assert unread["claims"] == []
    for claim in valid["claims"]:
        assert set(claim) == {"id", "kind", "verdict", "valid", "as_expected", "message"}
        assert claim["valid"] is True and isinstance(claim["verdict"], bool)
    failing = [c for c in rejected["claims"] if not c["valid"]]
    assert [c["id"] for c in failing] == ["input-dim"]
    assert set(failing[0]) == {"id", "kind", "verdict", "valid", "message"}
    assert cli.main(["check", "--json", *PROOFS]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_symrep_check_command_in_a_subprocess():
    bad = CORPUS / "removal-of-already-removed-neuron.json"
    proc = subprocess.run([sys.executable, "-m", "symrep.cli", "check", *PROOFS, str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "neuron 0 is not among the claimed neurons (or was already removed)" in proc.stdout


# --- the checker stands alone ----------------------------------------------------------------


def test_checker_imports_only_the_standard_library():
    tree = ast.parse(CHECKER.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            names.add(node.module.split(".")[0])
    assert names <= set(sys.stdlib_module_names) | {"__future__"}, names
    # The goal was 1,000 lines; equal_functions trees and simple_matches take about 250, the design note's
    # whole argument for every witness about 150, the eps > 0 lower-bound witnesses about 50.  The third
    # round's spectral measures, relation claims and certificates at scale (Freivalds, .npz data by hash)
    # were budgeted at about 1,000 lines more; they took about 1,300 (spectral 280, relations 340, layer
    # certificates 520, cost bounds and symmetry witnesses the rest).  Shrinking it is open work.
    # Third round: parametric certificates (Sturm sequences, polynomial identities, parametric region
    # trees; issue 15) are budgeted at 300 lines, PWCCA and spectral measures inside relations at 160,
    # the rest of the round at 60.  Fourth round: parametric cka / match_similarity pieces (issue 14) 65,
    # two-parameter cells (issue 15) 120, less 55 of shared guards (reject_if).
    assert len(CHECKER.read_text(encoding="utf-8").splitlines()) < 3400


def test_checker_runs_from_a_copy_on_a_bare_python(tmp_path):
    shutil.copy(CHECKER, tmp_path / "checker.py")
    for p in PROOFS:
        shutil.copy(p, tmp_path)
    shutil.copy(CORPUS / "coefficients-do-not-reproduce.json", tmp_path)
    bare = ("-S", "-I")
    nosymrep = subprocess.run([sys.executable, *bare, "-c", "import symrep"], capture_output=True, text=True, cwd=tmp_path)
    assert nosymrep.returncode != 0 and "ModuleNotFoundError" in nosymrep.stderr
    certs = sorted(p.name for p in tmp_path.glob("*.cert.json"))
    proc = subprocess.run([sys.executable, *bare, "checker.py", *certs], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(": VALID:") == len(PROOFS)
    proc = subprocess.run([sys.executable, *bare, "checker.py", "--json", "coefficients-do-not-reproduce.json"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1 and json.loads(proc.stdout)["certificates"][0]["status"] == "rejected"
