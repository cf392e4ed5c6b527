"""Real inputs read right (issue 12, "Silent misreadings" and "Friction"): the CLI on files each test writes.

Each test states what a user must see: the right analysis (checked against an independent
computation with fractions, or known by construction), or exit status 2 with a message naming the
file and the field or flag.  Nothing here asks symrep for the truth it is tested on.
"""

from __future__ import annotations

import json
import re
import shlex
import struct
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from symrep import cli

ROOT = Path(__file__).resolve().parent.parent


def run(argv, capsys):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def compare_json(argv, capsys):
    status, out, err = run(["compare", *argv, "--json"], capsys)
    assert status == 0, err
    return json.loads(out)


def rank(rows) -> int:
    """Rank of a matrix of Fractions by plain Gaussian elimination (the oracle; no symrep code)."""
    m = [list(map(Fraction, r)) for r in rows]
    r = 0
    for c in range(len(m[0]) if m else 0):
        p = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                f = m[i][c] / m[r][c]
                m[i] = [x - f * y for x, y in zip(m[i], m[r])]
        r += 1
    return r


def exact(a) -> list[list[Fraction]]:
    return [[Fraction(float(x)) for x in row] for row in np.asarray(a).tolist()]


# --- 1. orientation ---------------------------------------------------------------------------


@pytest.fixture
def dumps(tmp_path):
    """Two dumps as NumPy writes them (200 points x 5 neurons); b's hidden layer is a's, columns permuted."""
    rng = np.random.default_rng(7)
    h = rng.integers(0, 6, (200, 5)).astype(np.float32)
    h[:, 4] = h[:, 0] + h[:, 1]  # rank 4 over the points (small integers: the float32 sum is exact)
    np.savez(tmp_path / "a.npz", hidden=h, logits=rng.standard_normal((200, 3)), extra=h[:, :2])
    np.savez(tmp_path / "b.npz", hidden=h[:, [4, 3, 2, 1, 0]], logits=rng.standard_normal((200, 3)))
    return tmp_path, h


def test_files_are_points_by_neurons_by_default_and_reports_say_so(dumps, capsys):
    path, h = dumps
    doc = compare_json([path / "a.npz", path / "b.npz"], capsys)
    hidden = next(layer for layer in doc["layers"] if layer["layer"] == "hidden")
    # 5 neurons (not 200): the old default read a dump transposed, as 200 'neurons' of 5 points.
    assert hidden["widths"] == [5, 5]
    assert hidden["dimensions"] == [rank(exact(h.T)), rank(exact(h.T))] == [4, 4]
    assert hidden["matches"][0]["similarity"] == "1"  # the same neurons, permuted
    assert hidden["read_as"] == [f"{path / 'a.npz'}:hidden read as 200 points x 5 neurons",
                                 f"{path / 'b.npz'}:hidden read as 200 points x 5 neurons"]
    status, out, _ = run(["compare", path / "a.npz", path / "b.npz"], capsys)
    assert status == 0 and f"{path / 'a.npz'}:hidden read as 200 points x 5 neurons" in out


def test_other_layout_by_flag_gives_the_same_analysis(dumps, tmp_path, capsys):
    path, h = dumps
    np.savez(tmp_path / "at.npz", hidden=h.T)
    np.savez(tmp_path / "bt.npz", hidden=h[:, [4, 3, 2, 1, 0]].T)
    default = compare_json([path / "a.npz", path / "b.npz", "--layers", "hidden"], capsys)
    flipped = compare_json([tmp_path / "at.npz", tmp_path / "bt.npz", "--layout", "neurons-by-points"], capsys)
    for key in ("widths", "dimensions", "matches"):
        assert default["layers"][0][key] == flipped["layers"][0][key]
    assert flipped["layers"][0]["read_as"][0].endswith("at.npz:hidden read as 200 points x 5 neurons")
    legacy = compare_json([path / "a.npz", path / "b.npz", "--data-rows", "--layers", "hidden"], capsys)
    assert legacy["layers"][0]["matches"] == default["layers"][0]["matches"]


def test_different_numbers_of_points_are_refused_naming_both_files_and_layers(dumps, tmp_path, capsys):
    path, h = dumps
    np.savez(tmp_path / "c.npz", hidden=h[:150])
    status, out, err = run(["compare", path / "a.npz", tmp_path / "c.npz"], capsys)
    assert status == 2 and out == "" and "Traceback" not in err
    assert f"{path / 'a.npz'} and {tmp_path / 'c.npz'}: layer hidden: 200 and 150 data points" in err
    assert "a.npz:hidden read as 200 points x 5 neurons" in err and "c.npz:hidden read as 150 points x 5 neurons" in err
    assert "--layout neurons-by-points" in err


# --- 2. pairing -------------------------------------------------------------------------------


def test_lone_npy_files_pair_by_position(tmp_path, capsys):
    a = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float64)  # 3 points x 2 neurons
    np.save(tmp_path / "first.npy", a)
    np.save(tmp_path / "second.npy", a[:, ::-1] * 3)
    doc = compare_json([tmp_path / "first.npy", tmp_path / "second.npy", "--ladder"], capsys)
    assert doc["pairing"] == {"by": "position", "paired": [["first", "second"]], "left_out": {"first": [], "second": []}}
    (layer,) = doc["layers"]
    assert layer["matches"][0]["similarity"] == "1"
    # A[i] = 1/3 B[perm[i]]: a scaled permutation, which the JSON witness shows; check it by hand.
    level = next(e for e in layer["ladder"] if e["level"] == "scaled_permutation")
    perm, scales = level["witness"]["permutation"], [Fraction(s) for s in level["witness"]["scales"]]
    A, B = exact(a.T), exact((a[:, ::-1] * 3).T)
    assert level["holds"] and all(A[i] == [scales[i] * x for x in B[perm[i]]] for i in range(2))
    # equal scales: also a similarity (A = (1/3) P B, P orthogonal), incomparable with scaled_permutation
    assert layer["ladder_order"]["strongest"] == ["scaled_permutation", "similarity"]


def test_npz_pair_by_name_and_list_what_is_left_out(dumps, capsys):
    path, _ = dumps
    doc = compare_json([path / "a.npz", path / "b.npz"], capsys)
    assert doc["pairing"]["by"] == "name"
    assert doc["pairing"]["paired"] == [["hidden", "hidden"], ["logits", "logits"]]
    assert doc["pairing"]["left_out"] == {"first": ["extra"], "second": []}
    status, out, _ = run(["compare", path / "a.npz", path / "b.npz"], capsys)
    assert status == 0 and "left out, no partner: extra" in out


def test_no_names_in_common_names_both_files_and_suggests_position(tmp_path, capsys):
    np.savez(tmp_path / "a.npz", fc1=np.eye(3))
    np.savez(tmp_path / "b.npz", layer1=np.eye(3) * 2)
    status, _, err = run(["compare", tmp_path / "a.npz", tmp_path / "b.npz"], capsys)
    assert status == 2 and "no layer names in common" in err and "fc1" in err and "layer1" in err
    assert "--pair position" in err
    doc = compare_json([tmp_path / "a.npz", tmp_path / "b.npz", "--pair", "position"], capsys)
    assert doc["pairing"]["paired"] == [["fc1", "layer1"]] and doc["layers"][0]["matches"][0]["similarity"] == "1"


# --- 3. activations of imported networks ------------------------------------------------------

W1 = [[1.0, -2.0], [0.5, 1.0], [-1.0, 0.25]]
B1 = [0.0, 0.0, 0.0]  # no bias: read as identity, layer 1 has rank 2 (linear in 2 inputs); as ReLU, rank 3
W2 = [[1.0, 1.0, -1.0]]


def _layer1(points, relu: bool) -> list[list[Fraction]]:
    """Layer 1 of the network, one row per neuron, by hand."""
    out = []
    for w, b in zip(W1, B1):
        row = [sum(Fraction(wi) * Fraction(xi) for wi, xi in zip(w, x)) + Fraction(b) for x in points]
        out.append([max(v, Fraction(0)) if relu else v for v in row])
    return out


@pytest.fixture
def state_dict(tmp_path):
    torch = pytest.importorskip("torch")
    sd = {"0.weight": torch.tensor(W1), "0.bias": torch.tensor(B1), "2.weight": torch.tensor(W2)}
    torch.save(sd, tmp_path / "mlp.pt")
    points = np.array([[1, 0], [0, 1], [2, 1], [-1, 3], [0.5, -2]], dtype=np.float32)
    np.save(tmp_path / "points.npy", points)
    return tmp_path, points


def test_state_dict_without_activations_is_refused(state_dict, capsys):
    path, _ = state_dict
    status, out, err = run(["compare", path / "mlp.pt", path / "mlp.pt", "--data", path / "points.npy"], capsys)
    assert status == 2 and "Traceback" not in err
    assert f"{path / 'mlp.pt'}: a state dict records no activation functions" in err
    assert "--activations" in err and "mlp.activations.toml" in err


@pytest.mark.parametrize("acts, relu", [("relu,identity", True), ("identity,identity", False)])
def test_state_dict_activations_by_flag_and_sidecar(state_dict, capsys, acts, relu):
    path, points = state_dict
    doc = compare_json([path / "mlp.pt", path / "mlp.pt", "--data", path / "points.npy", "--activations", acts], capsys)
    layer1 = next(e for e in doc["layers"] if e["layer"] == "1")
    assert layer1["dimensions"][0] == rank(_layer1(exact(points), relu))
    (path / "mlp.activations.toml").write_text(f"activations = {json.dumps(acts.split(','))}\n")
    again = compare_json([path / "mlp.pt", path / "mlp.pt", "--data", path / "points.npy"], capsys)
    assert again["layers"] == doc["layers"]
    assert any("mlp.activations.toml" in n for n in again["inputs"][0]["notes"])


def test_relu_and_identity_readings_differ_here(state_dict):
    _, points = state_dict  # the fixture's data tell the two readings apart, so the test above can fail
    assert rank(_layer1(exact(points), True)) == 3 and rank(_layer1(exact(points), False)) == 2


def test_bad_sidecar_and_unknown_activation_name_the_file_and_field(state_dict, capsys):
    path, _ = state_dict
    (path / "mlp.activations.toml").write_text('activations = "relu"\n')
    status, _, err = run(["compare", path / "mlp.pt", path / "mlp.pt", "--data", path / "points.npy"], capsys)
    assert status == 2 and "mlp.activations.toml" in err and "'activations'" in err
    status, _, err = run(["compare", path / "mlp.pt", path / "mlp.pt", "--data", path / "points.npy",
                          "--activations", "tanh,identity"], capsys)
    assert status == 2 and "activations[0] is 'tanh'" in err and str(path / "mlp.pt") in err


def test_checkpoint_key_flag(state_dict, capsys):
    torch = pytest.importorskip("torch")
    path, _ = state_dict
    torch.save({"model": torch.load(path / "mlp.pt", weights_only=True), "epoch": 3}, path / "ckpt.pt")
    status, _, err = run(["compare", path / "ckpt.pt", path / "ckpt.pt", "--data", path / "points.npy",
                          "--activations", "relu,identity"], capsys)
    assert status == 2 and "--key model" in err and "key=" not in err.split("--key model")[0]
    doc = compare_json([path / "ckpt.pt", path / "ckpt.pt", "--data", path / "points.npy", "--activations",
                        "relu,identity", "--key", "model"], capsys)
    assert [e["layer"] for e in doc["layers"]] == ["0", "1", "2"]


def _write_safetensors(path, tensors):
    """The format by hand (independent of symrep's reader): u64 header length, JSON header, little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, (dtype, shape, values) in tensors.items():
        code = {"F32": "f", "F64": "d", "F16": "e"}[dtype]
        raw = struct.pack("<" + code * len(values), *values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def test_safetensors_gives_the_same_network_as_the_state_dict(state_dict, capsys):
    path, _ = state_dict
    flat = lambda m: [x for row in m for x in row]  # noqa: E731
    # Written in a scrambled order: layers are taken in the natural order of their names.
    _write_safetensors(path / "mlp.safetensors", {"2.weight": ("F64", [1, 3], flat(W2)),
                                                   "0.bias": ("F16", [3], B1), "0.weight": ("F32", [3, 2], flat(W1))})
    common = ["--data", path / "points.npy", "--activations", "relu,identity"]
    st = compare_json([path / "mlp.safetensors", path / "mlp.pt", *common], capsys)
    assert all(layer["matches"][0]["similarity"] == "1" for layer in st["layers"])
    pt = compare_json([path / "mlp.pt", path / "mlp.pt", *common], capsys)
    assert [e["dimensions"] for e in st["layers"]] == [e["dimensions"] for e in pt["layers"]]


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\x01\x00", ["not a safetensors file"]),
        (struct.pack("<Q", 10**12) + b"{}", ["header length"]),
        (struct.pack("<Q", 2) + b"[]", ["not a JSON object"]),
        (lambda: _header_only({"w": {"dtype": "BOOL", "shape": [1, 1], "data_offsets": [0, 1]}}), ["'w'", "BOOL"]),
        (lambda: _header_only({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 8]}}), ["'w'", "data_offsets"]),
        (lambda: _header_only({"w": {"dtype": "F32", "shape": [100000, 100000], "data_offsets": [0, 4]}}),
         ["'w'", "--max-entries"]),
    ],
)
def test_bad_safetensors_are_refused_naming_file_and_tensor(state_dict, capsys, content, words):
    path, _ = state_dict
    (path / "bad.safetensors").write_bytes(content() if callable(content) else content)
    status, _, err = run(["compare", path / "bad.safetensors", path / "mlp.pt", "--data", path / "points.npy",
                          "--activations", "relu,identity"], capsys)
    assert status == 2 and "Traceback" not in err and str(path / "bad.safetensors") in err
    for w in words:
        assert w in err, err


def _header_only(header) -> bytes:
    head = json.dumps(header).encode()
    return struct.pack("<Q", len(head)) + head + b"\0" * 8


def test_onnx_activations_come_from_the_graph_and_unsupported_ones_are_named(tmp_path, capsys):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    def save(act, name):
        w = numpy_helper.from_array(np.array(W1, dtype=np.float32).T.copy(), name="W")
        nodes = [helper.make_node("MatMul", ["x", "W"], ["h"], name="mm"), helper.make_node(act, ["h"], ["y"], name="act")]
        graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])], [w])
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(tmp_path / name))

    save("Relu", "relu.onnx")
    save("Tanh", "tanh.onnx")
    points = np.array([[1, 0], [0, 1], [2, 1], [-1, 3]], dtype=np.float32)
    np.save(tmp_path / "p.npy", points)
    doc = compare_json([tmp_path / "relu.onnx", tmp_path / "relu.onnx", "--data", tmp_path / "p.npy"], capsys)
    no_bias = [[max(sum(Fraction(w) * Fraction(float(x)) for w, x in zip(row, pt)), Fraction(0)) for pt in points]
               for row in W1]
    assert doc["layers"][1]["dimensions"][0] == rank(no_bias)
    status, _, err = run(["compare", tmp_path / "tanh.onnx", tmp_path / "relu.onnx", "--data", tmp_path / "p.npy"], capsys)
    assert status == 2 and "tanh.onnx" in err and "the activation Tanh is not supported" in err


def test_torch_modules_read_activations_from_the_graph():
    torch = pytest.importorskip("torch")
    from symrep.errors import InputError
    from symrep.imports import network_from_torch

    class Net(torch.nn.Module):
        def __init__(self, act):
            super().__init__()
            self.fc1, self.fc2, self.act = torch.nn.Linear(2, 3), torch.nn.Linear(3, 1), act

        def forward(self, x):
            return self.fc2(self.act(self.fc1(x)))

    assert [layer.activation for layer in network_from_torch(Net(torch.nn.ReLU())).layers] == ["relu", "identity"]
    with pytest.raises(InputError, match=r"module 'act' \(Tanh\): the activation Tanh is not supported"):
        network_from_torch(Net(torch.nn.Tanh()))
    class Functional(Net):
        def forward(self, x):
            return self.fc2(torch.sigmoid(self.fc1(x)))

    with pytest.raises(InputError, match=r"\(call_function sigmoid\): the activation sigmoid is not supported"):
        network_from_torch(Functional(torch.nn.ReLU()))
    with pytest.raises(InputError, match=r"module '1' \(Tanh\): the activation Tanh"):
        network_from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh()))


# --- 4. bounds as flags -------------------------------------------------------------------------


def test_a_20000_by_2000_float32_dump_passes_the_bounds(tmp_path, capsys):
    # Only the header is written (the data are cut short): the bounds accept the shape, so symrep
    # goes on to read the data, and reports the short file -- it did not refuse the size.
    with open(tmp_path / "big.npy", "wb") as fh:
        np.lib.format.write_array_header_1_0(fh, {"descr": "<f4", "fortran_order": False, "shape": (20000, 2000)})
        fh.write(b"\0" * 64)
    status, _, err = run(["compare", tmp_path / "big.npy", tmp_path / "big.npy"], capsys)
    assert status == 2 and "cannot be read" in err and "bound" not in err
    status, _, err = run(["compare", tmp_path / "big.npy", tmp_path / "big.npy", "--max-entries", "1000"], capsys)
    assert status == 2 and "40000000 entries" in err and "--max-entries" in err and "max_entries=" not in err.split("(")[0]


def test_npz_bounds_on_the_total_and_the_number_of_arrays(tmp_path, capsys):
    np.savez_compressed(tmp_path / "many.npz", **{f"l{i}": np.ones((10, 10)) for i in range(3)})
    np.savez_compressed(tmp_path / "other.npz", l0=np.ones((10, 10)))
    base = ["compare", tmp_path / "many.npz", tmp_path / "other.npz"]
    assert run(base, capsys)[0] == 0
    status, _, err = run(base + ["--max-entries", "100", "--max-total", "250"], capsys)
    assert status == 2 and "'l2'" in err and "300 entries in all" in err and "--max-total" in err
    status, _, err = run(base + ["--max-arrays", "2"], capsys)
    assert status == 2 and "holds 3 arrays" in err and "--max-arrays" in err
    status, _, err = run(base + ["--max-entries", "-5"], capsys)
    assert status == 2 and "--max-entries" in err


# --- 5. undecided claims --------------------------------------------------------------------------

UNDECIDED = """\
[data]
inputs = [[1, 2], [1, 0]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1], [1, -1]], activation = "relu" }, { weights = [[1, 1, 1]], activation = "identity" } ]
[networks.g]
# f with its third hidden neuron split into two halves: the same function, but not a permutation or
# rescaling of f's neurons, so only a region split (beyond max_regions = 1) could show it
layers = [ { weights = [[1, 0], [0, 1], [1, -1], [1, -1]], activation = "relu" }, { weights = [["1", "1", "1/2", "1/2"]], activation = "identity" } ]
[[claims]]
id = "dim"
kind = "dimension"
network = "f"
layer = 0
equals = 2
[[claims]]
id = "same"
kind = "equal_functions"
networks = ["f", "g"]
max_regions = 1
"""


def test_undecided_claims_are_marked_certified_and_have_their_own_exit_status(tmp_path, capsys):
    from symrep import checker

    (tmp_path / "u.toml").write_text(UNDECIDED)
    cert = tmp_path / "u.cert.json"
    status, out, _ = run(["verify", tmp_path / "u.toml", "--certificate", cert], capsys)
    assert status == 3 and "1 undecided" in out
    doc = json.loads(cert.read_text())
    assert [r["verdict"] for r in doc["results"]] == [True, "undecided"]
    report = checker.check_file(str(cert))
    assert report["status"] == "valid"
    assert [(c["verdict"], c["valid"]) for c in report["claims"]] == [(True, True), ("undecided", True)]
    status, out, _ = run(["check", cert], capsys)
    assert status == 0 and "undecided" in out
    doc["results"][0]["verdict"] = False  # the decided claim is still checked: a wrong verdict is rejected
    cert.write_text(json.dumps(doc))
    assert checker.check_file(str(cert))["status"] == "rejected"
    status, out, _ = run(["verify", tmp_path / "u.toml", "--json"], capsys)
    assert status == 3 and json.loads(out)["exit_status"] == 3


def test_a_false_verdict_beats_undecided_in_the_exit_status(tmp_path, capsys):
    (tmp_path / "u.toml").write_text(UNDECIDED.replace("equals = 2", "equals = 1"))
    assert run(["verify", tmp_path / "u.toml"], capsys)[0] == 1


# --- 6. the ladder and claim files ----------------------------------------------------------------


def test_compare_on_a_claim_file_without_networks_lists_them(tmp_path, capsys):
    text = UNDECIDED.replace("[networks.g]", "[networks.h]\nlayers = [ { weights = [[2, 0]], activation = \"relu\" } ]\n"
                             "[networks.g]")
    (tmp_path / "three.toml").write_text(text)
    status, _, err = run(["compare", tmp_path / "three.toml"], capsys)
    assert status == 2 and "--networks F G" in err
    assert "f (widths 2-3-1)" in err and "h (widths 2-1)" in err and "g (widths 2-4-1)" in err


def test_ladder_is_printed_as_a_partial_order(tmp_path, capsys):
    # B = 2 A: scaled permutation holds, orthogonal does not (norms differ): incomparable levels.
    a = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float64)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", 2 * a)
    status, out, _ = run(["compare", tmp_path / "a.npy", tmp_path / "b.npy", "--ladder"], capsys)
    assert status == 0
    assert "strongest that hold: scaled_permutation" in out
    assert "orthogonal fails" in out and "weakest that fails" not in out
    assert re.search(r"\+scaled_permutation", out) and re.search(r"-orthogonal", out)


# --- 7. terminal output -------------------------------------------------------------------------


def test_terminal_lines_fit_80_columns_and_long_values_get_a_decimal(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    status, out, _ = run(["verify"], capsys)
    assert status == 0 and max(len(line) for line in out.splitlines()) <= 80
    rng = np.random.default_rng(1)
    monkeypatch.chdir(tmp_path)  # short file names, as a user types them
    np.savez("a.npz", h=rng.standard_normal((40, 6)))
    np.savez("b.npz", h=rng.standard_normal((40, 6)))
    status, out, _ = run(["compare", "a.npz", "b.npz", "--ladder"], capsys)
    assert status == 0 and max(len(line) for line in out.splitlines()) <= 80
    cka_line = next(line for line in out.splitlines() if "CKA^2" in line)
    assert "~" in cka_line
    doc = compare_json(["a.npz", "b.npz", "--ladder"], capsys)
    exact_cka = Fraction(doc["layers"][0]["cka_squared"])
    assert len(doc["layers"][0]["cka_squared"]) > 100 and 0 < exact_cka < 1  # in full in --json


# --- 8. the documented examples run -------------------------------------------------------------


def test_docs_inputs_examples_run(tmp_path, capsys, monkeypatch):
    pytest.importorskip("torch")
    text = (ROOT / "docs" / "inputs.md").read_text(encoding="utf-8")
    python = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    shell = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(python, "docs/inputs.md", "exec"), {})  # the documentation's own setup code, not input
    for line in shell.strip().splitlines():
        command, _, comment = line.partition("#")
        argv = shlex.split(command)
        assert argv[0] == "symrep"
        status, _, err = run(argv[1:], capsys)
        want = 2 if "exit 2" in comment else 0
        assert status == want, (line, err)


# --- properties ---------------------------------------------------------------------------------

@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.integers(1, 9), neurons=st.integers(1, 6), transposed=st.booleans(), seed=st.integers(0, 99))
def test_any_shape_is_read_as_its_layout_says(tmp_path_factory, capsys, points, neurons, transposed, seed):
    d = tmp_path_factory.mktemp("shape")
    a = np.random.default_rng(seed).integers(-3, 4, (points, neurons)).astype(np.float64)
    stored = a.T if transposed else a
    np.savez(d / "a.npz", h=stored)
    np.savez(d / "b.npz", h=stored)
    layout = ["--layout", "neurons-by-points"] if transposed else []
    doc = compare_json([d / "a.npz", d / "b.npz", *layout], capsys)
    (layer,) = doc["layers"]
    assert layer["widths"] == [neurons, neurons]
    assert layer["dimensions"][0] == rank(exact(a.T))  # the oracle: rank over the points of the neurons
    assert layer["read_as"][0].endswith(f"a.npz:h read as {points} points x {neurons} neurons")


def test_activations_flag_without_a_state_dict_and_verify_wide(dumps, capsys, monkeypatch):
    path, _ = dumps
    status, _, err = run(["compare", path / "a.npz", path / "b.npz", "--activations", "relu"], capsys)
    assert status == 2 and "--activations is for state dicts" in err
    monkeypatch.setenv("COLUMNS", "80")
    _, cut, _ = run(["verify"], capsys)
    _, wide, _ = run(["verify", "--wide"], capsys)
    assert max(map(len, wide.splitlines())) > 80 >= max(map(len, cut.splitlines()))
    assert "..." in cut and sum(len(x) for x in wide.splitlines()) > sum(len(x) for x in cut.splitlines())


def test_data_with_activation_files_is_refused_not_ignored(tmp_path, capsys):
    np.save(tmp_path / "a.npy", np.eye(3))
    np.save(tmp_path / "b.npy", np.eye(3))
    np.save(tmp_path / "x.npy", np.ones((3, 2)))
    status, _, err = run(["compare", tmp_path / "a.npy", tmp_path / "b.npy", "--data", tmp_path / "x.npy"], capsys)
    assert status == 2 and "--data" in err and "activation files" in err and "Traceback" not in err
