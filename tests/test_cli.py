"""`symrep verify` end to end: output, --json, exit codes, and bad files (exit 2, one line, no traceback)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction

import pytest

from symrep.cli import main

from conftest import dense, dot

GOOD = """title = "a small file"
[data]
inputs = [[1, 1], [-1, -1], [1, 0]]

[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "relu" },
           { weights = [[1, -1], [1, -1]], activation = "identity", bias = [0, 0] } ]

[networks.g]
layers = [ { weights = [[1, -2], [0, -1]], activation = "relu" },
           { weights = [[1, -1], [1, -1]], activation = "identity" } ]

[[claims]]
id = "out-identical"
kind = "identical"
networks = ["f", "g"]
layer = 2

[[claims]]
id = "hidden-no-match"
kind = "no_match"
networks = ["f", "g"]
layer = 1

[[claims]]
id = "hidden-isomorphic"
kind = "isomorphic"
networks = ["f", "g"]
layer = 1

[[claims]]
id = "hidden-dim"
kind = "dimension"
network = "f"
layer = 1
equals = 2
"""


def write(tmp_path, text, name="claims.toml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(["verify", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


# --- good files -------------------------------------------------------------------------------


def test_verify_without_arguments_checks_the_bundled_claims(capsys):
    code, out, err = run(capsys)
    assert code == 0, out + err
    assert "Example 3.1" in out
    for claim_id in ("printed-no-hidden-match", "printed-hidden-isomorphic", "corrected-no-hidden-match", "hidden-isomorphic"):
        assert claim_id in out
    assert " NO " not in out
    last = out.strip().splitlines()[-1]
    n = int(last.split()[0])
    assert last == f"{n} of {n} verdicts as expected"


def test_verify_json_of_the_bundled_claims(capsys):
    code, out, err = run(capsys, "--json")
    assert code == 0 and not err
    doc = json.loads(out)
    assert doc["ok"] is True and doc["results"]
    keys = {"file", "id", "kind", "verdict", "expect", "as_expected", "explanation", "witness"}
    for r in doc["results"]:
        assert keys <= set(r)
        assert isinstance(r["verdict"], bool) and isinstance(r["expect"], bool)
        assert r["as_expected"] is (r["verdict"] == r["expect"]) is True
        assert isinstance(r["explanation"], str) and r["explanation"]
        assert isinstance(r["witness"], dict)
    files = {r["file"] for r in doc["results"]}
    assert any("example-3.1.toml" in f for f in files) and any("nonzero" in f for f in files)


def _matrix(rows):
    return [[Fraction(x) for x in r] for r in rows]


def test_json_witnesses_are_exact_and_can_be_multiplied_out(tmp_path, capsys):
    code, out, _ = run(capsys, write(tmp_path, GOOD), "--json")
    assert code == 0
    results = {r["id"]: r for r in json.loads(out)["results"]}
    assert all(r["verdict"] for r in results.values())
    # Hidden activations: f gives [1,0,1], [1,0,0]; g gives [0,1,1], [0,1,0] (see GOOD).
    A = _matrix([[1, 0, 1], [1, 0, 0]])
    B = _matrix([[0, 1, 1], [0, 1, 0]])
    w = results["hidden-no-match"]["witness"]
    assert w["x"] == [] and w["y"] == []
    X, Y = {0, 1}, {0, 1}
    for r in w["removals"]:  # every removal: orthogonal to what the other side still had
        mine, other, keep = (A, B, Y) if r["side"] == "x" else (B, A, X)
        vec = dense([(j, Fraction(c)) for j, c in r["orthogonal"]], 3)
        assert all(dot(vec, other[j]) == 0 for j in keep)
        assert dot(vec, mine[r["neuron"]]) == Fraction(r["product"]) != 0
        (X if r["side"] == "x" else Y).discard(r["neuron"])
    assert X == Y == set()
    iso = results["hidden-isomorphic"]["witness"]
    assert iso["dimensions"] == [2, 2]
    M = _matrix(iso["map"]["matrix"])
    N = _matrix(iso["inverse"]["matrix"])
    src, tgt = iso["first"]["basis"], iso["second"]["basis"]
    for i, j in zip(src, tgt):
        image = [sum((A[i][r] * M[k][c] for k, r in enumerate(iso["map"]["rows"])), Fraction(0)) for c in range(3)]
        assert image == B[j]
        back = [sum((B[j][r] * N[k][c] for k, r in enumerate(iso["inverse"]["rows"])), Fraction(0)) for c in range(3)]
        assert back == A[i]


def test_human_output_is_a_table_with_witnesses(tmp_path, capsys):
    code, out, _ = run(capsys, write(tmp_path, GOOD))
    assert code == 0
    assert "a small file" in out and "claims.toml" in out
    header = next(line for line in out.splitlines() if "verdict" in line)
    assert header.split()[:4] == ["claim", "verdict", "expect", "ok"]
    assert "4 of 4 verdicts as expected" in out


def test_a_claim_whose_expect_is_wrong_gives_exit_1(tmp_path, capsys):
    text = GOOD.replace('id = "hidden-dim"', 'id = "hidden-dim"\nexpect = false')
    code, out, err = run(capsys, write(tmp_path, text))
    assert code == 1 and not err
    assert "NOT as expected" in out and "hidden-dim" in out
    code, out, _ = run(capsys, write(tmp_path, text), "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["ok"] is False
    bad = [r for r in doc["results"] if not r["as_expected"]]
    assert [r["id"] for r in bad] == ["hidden-dim"]
    assert bad[0]["verdict"] is True and bad[0]["expect"] is False


def test_a_false_claim_expected_false_is_exit_0(tmp_path, capsys):
    text = GOOD.replace("equals = 2", "equals = 1\nexpect = false")
    code, out, _ = run(capsys, write(tmp_path, text), "--json")
    assert code == 0
    r = [r for r in json.loads(out)["results"] if r["id"] == "hidden-dim"][0]
    assert r["verdict"] is False and r["as_expected"] is True


def test_several_files_and_one_bad_file_fails_before_any_output(tmp_path, capsys):
    good = write(tmp_path, GOOD, "good.toml")
    code, out, _ = run(capsys, good, good, "--json")
    assert code == 0 and len(json.loads(out)["results"]) == 8
    bad = write(tmp_path, GOOD.replace("equals = 2", "equals = nan"), "bad.toml")
    code, out, err = run(capsys, good, bad)
    assert code == 2 and out == "" and "bad.toml" in err


# --- bad files: exit 2, one line naming the file and the field, no traceback --------------------

BASE = GOOD.split("[[claims]]")[0]
CLAIM = '[[claims]]\nid = "c"\nkind = "identical"\nnetworks = ["f", "g"]\nlayer = 1\n'


def sub(old, new, text=GOOD):
    assert old in text, old
    return text.replace(old, new, 1)


BAD_FILES = {
    # missing fields
    "no-data": (sub("[data]\ninputs = [[1, 1], [-1, -1], [1, 0]]", ""), ["data"]),
    "no-inputs": (sub("inputs = [[1, 1], [-1, -1], [1, 0]]", "x_inputs = 1"), ["data", "x_inputs"]),
    "no-inputs-field": (sub("inputs = [[1, 1], [-1, -1], [1, 0]]", ""), ["data", "inputs"]),
    "no-networks": ("[data]\ninputs = [[1]]\n", ["networks"]),
    "no-layers": (sub("layers = [ { weights = [[1, 0], [0, 1]], activation = \"relu\" },\n           { weights = [[1, -1], [1, -1]], activation = \"identity\", bias = [0, 0] } ]", "description = 'x'"), ["network 'f'", "layers"]),
    "no-weights": (sub('{ weights = [[1, 0], [0, 1]], activation = "relu" }', '{ activation = "relu" }'), ["network 'f'", "layer 1", "weights"]),
    "no-activation": (sub('{ weights = [[1, 0], [0, 1]], activation = "relu" }', "{ weights = [[1, 0], [0, 1]] }"), ["network 'f'", "activation"]),
    "no-id": (sub('id = "hidden-dim"\n', ""), ["claim #4", "id"]),
    "no-kind": (sub('kind = "dimension"\n', ""), ["hidden-dim", "kind"]),
    "no-layer": (sub('network = "f"\nlayer = 1\n', 'network = "f"\n'), ["hidden-dim", "layer"]),
    "no-equals": (sub("equals = 2\n", ""), ["hidden-dim", "equals"]),
    "no-network": (sub('network = "f"\n', ""), ["hidden-dim", "network"]),
    # wrong shapes
    "weights-do-not-chain": (sub("[[1, -1], [1, -1]], activation = \"identity\", bias", "[[1, -1, 0], [1, -1, 0]], activation = \"identity\", bias"), ["network 'f'", "layer 2", "3 inputs"]),
    "bias-length": (sub("bias = [0, 0]", "bias = [0, 0, 0]"), ["network 'f'", "layer 2", "bias"]),
    "ragged-weights": (sub("[[1, 0], [0, 1]]", "[[1, 0], [0]]"), ["network 'f'", "weights", "row 1"]),
    "ragged-inputs": (sub("[[1, 1], [-1, -1], [1, 0]]", "[[1, 1], [-1], [1, 0]]"), ["inputs", "row 1"]),
    "data-width": (sub("[[1, 1], [-1, -1], [1, 0]]", "[[1, 1, 1], [-1, -1, 1]]"), ["network 'f'", "3 coordinates"]),
    "empty-inputs": (sub("[[1, 1], [-1, -1], [1, 0]]", "[]"), ["inputs"]),
    "weights-not-a-matrix": (sub("[[1, 0], [0, 1]]", "5"), ["network 'f'", "weights"]),
    "nested-too-deep": (sub("[[1, 0], [0, 1]]", "[[[1], 0], [0, 1]]"), ["network 'f'", "weights[0][0]"]),
    "activations-equals-ragged": (BASE + CLAIM.replace('kind = "identical"\nnetworks = ["f", "g"]', 'kind = "activations"\nnetwork = "f"') + "equals = [[1, 2], [3]]\n", ["claim 'c'", "equals"]),
    # numbers that are not finite rationals
    "nan-float": (sub("[[1, 0], [0, 1]]", "[[1, 0], [0, nan]]"), ["network 'f'", "weights[1][1]", "finite"]),
    "nan-string": (sub("[[1, 0], [0, 1]]", '[[1, 0], [0, "nan"]]'), ["network 'f'", "weights[1][1]", "finite"]),
    "inf-float": (sub("bias = [0, 0]", "bias = [0, -inf]"), ["network 'f'", "bias[1]", "finite"]),
    "inf-string": (sub("[[1, 1], [-1, -1], [1, 0]]", '[[1, 1], ["Infinity", -1], [1, 0]]'), ["inputs[1][0]", "finite"]),
    "not-a-number": (sub("[[1, 0], [0, 1]]", '[[1, 0], [0, "one"]]'), ["network 'f'", "weights[1][1]", "not a number"]),
    "eval-attempt": (sub("[[1, 0], [0, 1]]", "[[1, 0], [0, \"__import__('os')\"]]"), ["weights[1][1]", "not a number"]),
    "huge-exponent-float": (sub("[[1, 0], [0, 1]]", "[[1, 0], [0, 1e999999]]"), ["network 'f'", "weights[1][1]", "exponent"]),
    "huge-exponent-string": (sub("[[1, 1], [-1, -1], [1, 0]]", '[[1, 1], [-1, -1], [1, "1e999999"]]'), ["inputs[2][1]", "exponent"]),
    "5000-digit-integer": (sub("[[1, 0], [0, 1]]", "[[1, 0], [0, %s]]" % ("7" * 5000)), ["line 6", "digits"]),
    "5000-digit-string": (sub("[[1, 0], [0, 1]]", '[[1, 0], [0, "%s"]]' % ("7" * 5000)), ["weights[1][1]", "digits"]),
    "division-by-zero": (sub("bias = [0, 0]", 'bias = [0, "1/0"]'), ["bias[1]", "divides by zero"]),
    "boolean-weight": (sub("[[1, 0], [0, 1]]", "[[1, 0], [0, true]]"), ["network 'f'", "weights[1][1]", "boolean"]),
    "boolean-input": (sub("[[1, 1], [-1, -1], [1, 0]]", "[[1, 1], [-1, false], [1, 0]]"), ["inputs[1][1]", "boolean"]),
    "boolean-layer": (sub('network = "f"\nlayer = 1', 'network = "f"\nlayer = true'), ["hidden-dim", "layer", "boolean"]),
    "boolean-equals": (sub("equals = 2", "equals = true"), ["hidden-dim", "equals", "boolean"]),
    "float-layer": (sub('network = "f"\nlayer = 1', 'network = "f"\nlayer = 1.0'), ["hidden-dim", "layer", "float 1.0"]),
    # claims that do not make sense
    "unknown-kind": (sub('kind = "dimension"', 'kind = "similar"'), ["hidden-dim", "kind", "similar"]),
    "kind-not-a-string": (sub('kind = "dimension"', 'kind = ["dimension"]'), ["hidden-dim", "kind"]),
    "unknown-claim-field": (sub("equals = 2", "equals = 2\nexpext = false"), ["hidden-dim", "expext"]),
    "unknown-layer-field": (sub('activation = "relu" }', 'activation = "relu", biass = [0, 0] }'), ["network 'f'", "biass"]),
    "unknown-top-field": ("titel = 'x'\n" + GOOD, ["titel"]),
    "unknown-activation": (sub('activation = "relu"', 'activation = "tanh"'), ["network 'f'", "activation", "tanh"]),
    "undefined-network": (sub('networks = ["f", "g"]\nlayer = 1', 'networks = ["f", "h"]\nlayer = 1'), ["hidden-no-match", "'h'", "not defined"]),
    "three-networks": (sub('networks = ["f", "g"]\nlayer = 1', 'networks = ["f", "g", "f"]\nlayer = 1'), ["hidden-no-match", "networks"]),
    "layer-out-of-range": (sub('network = "f"\nlayer = 1', 'network = "f"\nlayer = 3'), ["hidden-dim", "layer 3"]),
    "negative-layer": (sub('network = "f"\nlayer = 1', 'network = "f"\nlayer = -1'), ["hidden-dim", "layer -1"]),
    "id-forging-a-table-row": (sub('id = "hidden-dim"', 'id = "x\\n  forged  true  true  yes  all is well"'), ["claim id", "control character"]),
    "network-name-with-escape": (sub("[networks.g]", '[networks."g\\u001b[2K"]'), ["network name", "control character"]),
    "duplicate-ids": (GOOD + CLAIM.replace('"c"', '"hidden-dim"'), ["hidden-dim", "twice"]),
    "expect-not-bool": (sub("equals = 2", 'equals = 2\nexpect = "yes"'), ["hidden-dim", "expect"]),
    "neurons-out-of-range": (BASE + CLAIM.replace('kind = "identical"', 'kind = "exact_match"') + "neurons = [[0], [5]]\n", ["claim 'c'", "neurons", "5"]),
    "neurons-wrong-kind": (BASE + CLAIM + "neurons = [[0], [0]]\n", ["claim 'c'", "neurons"]),
    "equals-wrong-kind": (BASE + CLAIM + "equals = 1\n", ["claim 'c'", "equals"]),
    "maximum-match-equals-shape": (BASE + CLAIM.replace('kind = "identical"', 'kind = "maximum_match"') + "equals = [[0]]\n", ["claim 'c'", "equals"]),
    "negative-dimension": (sub("equals = 2", "equals = -1"), ["hidden-dim", "equals", "negative"]),
    # not a claim file at all
    "invalid-toml": ("[data\ninputs = 1\n", ["not valid TOML"]),
    "invalid-toml-value": (sub("equals = 2", "equals = [1, 2"), ["not valid TOML"]),
    "not-utf8": (b'title = "caf\xe9"\n' + BASE.encode(), ["not UTF-8"]),
    "empty-file": ("", ["data"]),
    "deeply-nested": ("[data]\ninputs = " + "[" * 5000 + "]" * 5000 + "\n", ["cannot be read"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_exit_2_with_one_located_line(tmp_path, capsys, case):
    text, fragments = BAD_FILES[case]
    path = write(tmp_path, text, f"{case}.toml")
    code, out, err = run(capsys, path)
    assert code == 2, (out, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    (line,) = lines
    assert line.startswith("symrep: error: ") and str(path) in line, line
    assert len(line) < 400, line
    for fragment in fragments:
        assert fragment in line, (fragment, line)


def test_missing_file_and_directory(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path / "nope.toml")
    assert code == 2 and out == "" and "nope.toml" in err and "cannot be read" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, out, err = run(capsys, tmp_path)
    assert code == 2 and out == "" and str(tmp_path) in err and "Traceback" not in err


def test_json_flag_does_not_change_bad_file_handling(tmp_path, capsys):
    path = write(tmp_path, BAD_FILES["nan-float"][0])
    code, out, err = run(capsys, path, "--json")
    assert code == 2 and "weights[1][1]" in err
    # issue 12: with --json, stdout holds one JSON error object (it was empty before)
    assert json.loads(out) == {"ok": False, "error": {"message": err.removeprefix("symrep: error: ").strip(), "exit_status": 2}}


# --- the installed command ------------------------------------------------------------------


def _env():
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def test_module_entry_point_in_a_subprocess(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "symrep.cli", "verify", "--json"], capture_output=True, text=True, timeout=120, env=_env(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["ok"] is True and len(doc["results"]) >= 20


@pytest.mark.skipif(shutil.which("symrep") is None, reason="console script not on PATH")
def test_console_script_in_a_subprocess(tmp_path):
    bad = write(tmp_path, BAD_FILES["huge-exponent-float"][0], "bad.toml")
    proc = subprocess.run(["symrep", "verify", str(bad)], capture_output=True, text=True, timeout=120, env=_env(), cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "bad.toml" in proc.stderr and "exponent" in proc.stderr
    wrong = write(tmp_path, GOOD.replace("equals = 2", "equals = 2\nexpect = false"), "wrong.toml")
    proc = subprocess.run(["symrep", "verify", str(wrong)], capture_output=True, text=True, timeout=120, env=_env(), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr


@pytest.mark.parametrize("command", [["kinds"], ["verify"], ["kinds", "--json"]])
def test_a_reader_that_goes_away_is_not_an_error(command):
    """``symrep verify | head -2``: the pipe breaks; no traceback, exit 0 (as cat and grep do not complain)."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "symrep", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_kinds_lists_the_registry(capsys):
    from symrep.claims.kinds import REGISTRY

    assert main(["kinds", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["kinds"]
    assert [k["kind"] for k in listed] == list(REGISTRY)
    assert {k["kind"]: set(k["fields"]) for k in listed} == {n: set(k.fields) for n, k in REGISTRY.items()}
