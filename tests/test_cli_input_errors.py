"""Bad input from the user's side (issue 12, "Friction"): the CLI on files each test writes.

Each test states what the user must see: a JSON error object with ``--json``, a message naming
the file, exit status 2 for input that cannot be read, and the documented number bounds on both
sides of each bound.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from symrep import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "symrep" / "data" / "example-3.1.toml"

# One 2-2 network; W is replaced by a number. Its one claim holds for every non-zero W:
# the data (1, 2), (1, 0) give layer-0 activations of rank 2, so the dimension is 2.
CLAIM_FILE = """\
[data]
inputs = [[1, 2], [1, 0]]
[networks.f]
layers = [ { weights = [[W, 0], [0, 1]], activation = "identity" } ]
[[claims]]
id = "c"
kind = "dimension"
network = "f"
layer = 0
equals = 2
"""


def _run(argv, capsys):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _json_error(out: str) -> str:
    """The message of the one JSON error object on stdout (fails unless stdout is exactly that)."""
    doc = json.loads(out)
    assert doc["ok"] is False and set(doc) == {"ok", "error"}
    assert set(doc["error"]) == {"message", "exit_status"} and doc["error"]["exit_status"] == 2
    return doc["error"]["message"]


# --- 1. --json prints a JSON error object for input a command cannot read ---------------------


def test_verify_json_bad_toml_prints_a_json_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[data\n", encoding="utf-8")
    status, out, err = _run(["verify", "--json", bad], capsys)
    assert status == 2
    message = _json_error(out)
    assert str(bad) in message and "not valid TOML" in message
    assert message in err  # the same message for a human on stderr


def test_compare_json_missing_file_prints_a_json_error(tmp_path, capsys):
    a = tmp_path / "a.npy"
    np.save(a, np.eye(3))
    missing = tmp_path / "missing.npy"
    status, out, _ = _run(["compare", "--json", a, missing], capsys)
    assert status == 2 and str(missing) in _json_error(out)


def test_search_json_bad_file_prints_a_json_error(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("title = 1\n", encoding="utf-8")
    status, out, _ = _run(["search", "--json", bad, "--layer", "1", "--objective", "max-match-at-most 0"], capsys)
    assert status == 2 and str(bad) in _json_error(out)


def test_without_json_stdout_stays_empty_on_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[data\n", encoding="utf-8")
    status, out, err = _run(["verify", bad], capsys)
    assert status == 2 and out == "" and str(bad) in err


def test_check_json_unreadable_keeps_its_own_document(tmp_path, capsys):
    missing = tmp_path / "missing.json"
    status, out, _ = _run(["check", "--json", missing], capsys)
    doc = json.loads(out)
    assert status == 2 and doc["ok"] is False
    assert doc["certificates"][0]["file"] == str(missing) and doc["certificates"][0]["status"] == "unreadable"


def test_json_help_documents_the_error_object(capsys):
    for command in ("verify", "compare", "search"):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        assert '"exit_status": 2' in capsys.readouterr().out


# --- 2. `check` on JSON that is no certificate: unreadable, exit 2 ----------------------------


@pytest.mark.parametrize("text, what", [("{}", "missing field 'format'"), ('{"problem": {}}', "missing field 'format'"),
                                        ("[1, 2]", "a JSON list, not an object")])
def test_check_on_json_without_format_is_unreadable(tmp_path, capsys, text, what):
    f = tmp_path / "empty.json"
    f.write_text(text, encoding="utf-8")
    status, out, _ = _run(["check", f], capsys)
    assert status == 2
    assert out.strip() == f"{f}: UNREADABLE: not a symrep certificate ({what})"
    status, out, _ = _run(["check", "--json", f], capsys)
    report = json.loads(out)["certificates"][0]
    assert status == 2 and report["status"] == "unreadable" and what in report["message"]


def test_check_wrong_format_version_is_still_rejected(tmp_path, capsys):
    f = tmp_path / "v2.json"
    f.write_text('{"format": "symrep-certificate/2"}', encoding="utf-8")
    status, out, _ = _run(["check", f], capsys)
    assert status == 1 and "REJECTED" in out


# --- 3. `verify` on a certificate suggests `symrep check` ------------------------------------


def test_verify_on_a_certificate_suggests_check(tmp_path, capsys):
    cert = tmp_path / "example.cert.json"
    assert _run(["verify", EXAMPLE, "--certificate", cert], capsys)[0] == 0
    status, out, err = _run(["verify", cert], capsys)
    assert status == 2 and out == ""
    assert f"{cert}: this is a symrep certificate" in err and f"symrep check {cert}" in err
    assert "not valid TOML" not in err


def test_verify_on_json_without_format_still_says_not_toml(tmp_path, capsys):
    f = tmp_path / "data.json"
    f.write_text('{"inputs": [[1, 2]]}', encoding="utf-8")
    status, _, err = _run(["verify", f], capsys)
    assert status == 2 and "not valid TOML" in err and "symrep check" not in err


# --- 4. messages name the files ---------------------------------------------------------------


def test_compare_different_numbers_of_points_names_both_files(tmp_path, capsys):
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    np.savez(a, hidden=np.ones((3, 50)))  # rows are neurons (this layout is named since issue 12): 50 data points
    np.savez(b, hidden=np.ones((3, 40)))
    status, _, err = _run(["compare", a, b, "--layout", "neurons-by-points"], capsys)
    assert status == 2
    assert f"{a} and {b}: layer hidden: 50 and 40 data points" in err


def test_compare_network_on_data_of_wrong_width_names_both_files(tmp_path, capsys):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    w = numpy_helper.from_array(np.ones((2, 3), dtype=np.float32), name="W")
    graph = helper.make_graph([helper.make_node("Gemm", ["x", "W"], ["y"], transB=1)], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    net = tmp_path / "net.onnx"
    onnx.save(model, str(net))
    data = tmp_path / "points.npy"
    np.save(data, np.ones((5, 4)))  # 5 points with 4 coordinates; the network takes 3 inputs
    status, _, err = _run(["compare", net, net, "--data", data], capsys)
    assert status == 2
    assert f"{net} on {data}: data points have 4 coordinates but the network takes 3 inputs" in err


# --- 5. number bounds: the code accepts exactly what docs/claim-files.md states ---------------


def _verify_number(tmp_path, capsys, text):
    f = tmp_path / "n.toml"
    f.write_text(CLAIM_FILE.replace("W", text), encoding="utf-8")
    return _run(["verify", f], capsys)


def test_documented_bounds_are_stated():
    doc = (ROOT / "docs" / "claim-files.md").read_text(encoding="utf-8")
    assert "|exponent| <= 400" in doc and "at most 4000 digits" in doc


@pytest.mark.parametrize("text", ["9" * 4000, "-" + "9" * 4000, '"' + "9" * 4000 + '"', '"1/' + "7" * 4000 + '"',
                                  "1e400", "1e-400", '"1e-400"', "1." + "1" * 3999])
def test_numbers_within_the_bounds_are_accepted(tmp_path, capsys, text):
    status, out, _ = _verify_number(tmp_path, capsys, text)
    assert status == 0 and "1 of 1 verdicts as expected" in out


@pytest.mark.parametrize("text, words", [
    ("9" * 4001, "networks: f: layers[0]: weights[0][0]: integer with more than 4000 digits"),
    ("1" + "0" * 4000, "integer with more than 4000 digits"),  # 10**4000 has 4001 digits
    ("-" + "9" * 4001, "integer with more than 4000 digits"),
    ("9" * 4100, "integer with more than 4000 digits"),
    ('"' + "9" * 4001 + '"', "number with more than 4000 digits"),
    ('"1/' + "7" * 4001 + '"', "number with more than 4000 digits"),
    ("1." + "1" * 4000, "number with more than 4000 digits"),
    ("1e401", "decimal exponent in '1e401' exceeds the bound of 400"),
    ("1e-401", "decimal exponent in '1e-401' exceeds the bound of 400"),
    ('"1e-401"', "decimal exponent in '1e-401' exceeds the bound of 400"),
])
def test_numbers_beyond_the_bounds_are_refused_naming_file_and_field(tmp_path, capsys, text, words):
    status, out, err = _verify_number(tmp_path, capsys, text)
    assert status == 2 and out == ""
    assert str(tmp_path / "n.toml") in err and words in err and "weights[0][0]" in err
