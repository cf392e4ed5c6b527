"""Importers: NumPy activation files, PyTorch and ONNX networks, all converted exactly.

The exactness checks compare with an independent reference: every float is
converted with ``Fraction(float(x))`` and the forward pass is computed here with
plain fractions, not with symrep's own network code.
"""

from __future__ import annotations

import pickle
import random
import sys
import zipfile
from fractions import Fraction

import numpy as np
import pytest

import symrep
from symrep.errors import InputError, ShapeError, SymrepError
from symrep.imports import (
    MissingDependency,
    load_activation_rows,
    load_activations,
    load_torch,
    network_from_onnx,
    network_from_torch,
)

# These tests were written for arrays stored one row per neuron; files are now read one row per
# data point unless the layout says otherwise (issue 12), so they name the layout they use.
NBP = "neurons-by-points"

# --- exact references ---------------------------------------------------------------------------


def exact(x) -> Fraction:
    """The reference conversion: a NumPy/Python number to the rational it is."""
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    return Fraction(float(x))


def exact_matrix(a) -> tuple:
    return tuple(tuple(exact(x) for x in row) for row in np.asarray(a))


def ref_forward(layers, data):
    """Activation matrices (rows = neurons) of layers 0..n: *layers* is [(W rows, b, activation)]."""
    h = [list(col) for col in zip(*data)]
    out = [tuple(map(tuple, h))]
    for W, b, act in layers:
        d = len(h[0])
        h = [
            [sum((w * h[k][j] for k, w in enumerate(row)), Fraction(0)) + bi for j in range(d)]
            for row, bi in zip(W, b)
        ]
        if act == "relu":
            h = [[x if x > 0 else Fraction(0) for x in row] for row in h]
        out.append(tuple(map(tuple, h)))
    return out


def rational_data(rng, d, n):
    return [[Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(n)] for _ in range(d)]


# --- NumPy: round trips -------------------------------------------------------------------------

EXTREMES64 = [5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308,
              0.1, -0.0, 1e-300, 3.0, 2.0**-1074 * 3]
EXTREMES32 = [np.float32(1e-45), np.float32(1.1754944e-38), np.float32(3.4028235e38), np.float32(-3.4028235e38),
              np.float32(0.1), np.float32(-2.5), np.float32(1e-30), np.float32(0)]


@pytest.mark.parametrize(
    "array",
    [
        np.array([EXTREMES64[:5], EXTREMES64[5:]], dtype=np.float64),
        np.array([EXTREMES32[:4], EXTREMES32[4:]], dtype=np.float32),
        np.array([[6.1e-5, 65504.0, -0.1], [5.96e-8, 1.0, 0.0]], dtype=np.float16),
        np.array([[2**62, -(2**63)], [0, 7]], dtype=np.int64),
        np.array([[2**64 - 1, 0]], dtype=np.uint64),
        np.array([[-128, 127, 3]], dtype=np.int8),
        np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4) / 7),
        np.array([[0.1, 1e300], [-5e-324, 2.0]], dtype=">f8"),  # big-endian
    ],
    ids=["float64", "float32", "float16", "int64", "uint64", "int8", "fortran", "big-endian"],
)
def test_npy_round_trip_is_exact(tmp_path, array):
    path = tmp_path / "acts.npy"
    np.save(path, array)
    got = load_activations(path, layout=NBP)
    assert list(got) == ["acts"]
    assert got["acts"] == exact_matrix(array)
    rows = load_activation_rows(path, layout=NBP)["acts"]
    assert rows.fractions() == exact_matrix(array)
    assert all(s > 0 for s in rows.scale)


def test_npy_random_float32_and_float64_are_exact(tmp_path):
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        mant = rng.standard_normal((6, 9))
        a = (mant * 2.0 ** rng.integers(-60, 60, size=(6, 9))).astype(dtype)
        np.save(tmp_path / "a.npy", a)
        assert load_activations(tmp_path / "a.npy", layout=NBP)["a"] == exact_matrix(a)


def test_float32_values_are_the_exact_binary_values(tmp_path):
    np.save(tmp_path / "x.npy", np.array([[0.1]], dtype=np.float32))
    (value,) = load_activations(tmp_path / "x.npy", layout=NBP)["x"][0]
    assert value == Fraction(13421773, 134217728) != Fraction(1, 10)


@pytest.mark.skipif(np.finfo(np.longdouble).nmant <= 52, reason="long double is double here")
def test_long_double_is_exact(tmp_path):
    one_plus = np.longdouble(1) + np.longdouble(2) ** -60
    np.save(tmp_path / "x.npy", np.array([[one_plus, 1]], dtype=np.longdouble))
    assert load_activations(tmp_path / "x.npy", layout=NBP)["x"] == ((1 + Fraction(1, 2**60), Fraction(1)),)


@pytest.mark.parametrize("save", [np.savez, np.savez_compressed])
def test_npz_keeps_every_array_in_file_order(tmp_path, save):
    arrays = {
        "z_last_alphabetically": np.array([[1.5, -2]], dtype=np.float32),
        "a": np.arange(6).reshape(2, 3),
        "m": np.array([[5e-324], [1e308]]),
    }
    save(tmp_path / "acts.npz", **arrays)
    got = load_activations(tmp_path / "acts.npz", layout=NBP)
    assert list(got) == list(arrays)
    for k, a in arrays.items():
        assert got[k] == exact_matrix(a)


def test_data_rows_transposes(tmp_path):
    a = np.array([[1, 2, 3], [4.5, 5, 6]], dtype=np.float32)  # 2 data points, 3 neurons
    np.save(tmp_path / "h.npy", a)
    assert load_activations(tmp_path / "h.npy", data_rows=True)["h"] == exact_matrix(a.T)
    assert load_activation_rows(tmp_path / "h.npy", data_rows=True)["h"].fractions() == exact_matrix(a.T)
    np.savez(tmp_path / "h.npz", h=a)
    assert load_activations(tmp_path / "h.npz", data_rows=True)["h"] == exact_matrix(a.T)


def test_kind_is_told_by_content_not_name(tmp_path):
    np.save(tmp_path / "x.npy", np.eye(2))
    (tmp_path / "x.npy").rename(tmp_path / "x.bin")
    assert load_activations(tmp_path / "x.bin", layout=NBP)["x"] == exact_matrix(np.eye(2))


def test_activations_feed_symrep(tmp_path):
    A = np.array([[1.0, 0.0], [1.0, 0.0]], dtype=np.float32)
    B = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    np.savez(tmp_path / "ab.npz", A=A, B=B)
    acts = load_activations(tmp_path / "ab.npz", layout=NBP)
    assert symrep.maximum_match(acts["A"], acts["B"]).similarity == Fraction(3, 4)


# --- NumPy: bad files ---------------------------------------------------------------------------


def _expect(path, *words, **kw):
    with pytest.raises(InputError) as e:
        load_activations(path, **kw, layout=NBP)
    message = str(e.value)
    assert str(path) in message
    for w in words:
        assert w in message, message
    return message


@pytest.mark.parametrize(
    "array, words",
    [
        (np.array([[1.0, np.nan]]), ["entry [0, 1]", "nan", "not a finite number"]),
        (np.array([[1.0], [-np.inf]], dtype=np.float32), ["entry [1, 0]", "-inf"]),
        (np.array([1.0, 2.0]), ["1-D", "reshape(1, -1)"]),
        (np.zeros((2, 2, 2)), ["3-D", "2-D"]),
        (np.array(3.0), ["0-D"]),
        (np.zeros((0, 4)), ["no entries"]),
        (np.array([[True, False]]), ["booleans"]),
        (np.array([[1 + 1j, 0]]), ["complex"]),
        (np.array([["a", "b"]]), ["not real numbers"]),
        (np.array([[1, 2]], dtype="datetime64[s]"), ["not real numbers"]),
    ],
    ids=["nan", "inf", "1-D", "3-D", "0-D", "empty", "bool", "complex", "str", "datetime"],
)
def test_bad_arrays_are_input_errors_naming_file_and_array(tmp_path, array, words):
    np.save(tmp_path / "bad.npy", array)
    _expect(tmp_path / "bad.npy", "'bad'", *words)
    np.savez(tmp_path / "bad.npz", fine=np.eye(2), broken=array)
    _expect(tmp_path / "bad.npz", "'broken'", *words)


def test_object_arrays_are_never_unpickled(tmp_path, monkeypatch):
    class Boom:
        def __reduce__(self):
            return (pytest.fail, ("unpickled a stranger's object",))

    np.save(tmp_path / "obj.npy", np.array([[Boom(), 1]], dtype=object), allow_pickle=True)
    _expect(tmp_path / "obj.npy", "Python objects", "never unpickles")
    np.savez(tmp_path / "obj.npz", ok=np.eye(2), obj=np.array([[Boom()]], dtype=object))
    _expect(tmp_path / "obj.npz", "'obj'", "Python objects")
    with open(tmp_path / "pickled.npy", "wb") as fh:  # a plain pickle with an .npy name
        pickle.dump(np.eye(2), fh)
    _expect(tmp_path / "pickled.npy", "not a NumPy .npy or .npz file")


def test_unreadable_files(tmp_path):
    _expect(tmp_path / "missing.npy", "no such file")
    _expect(tmp_path, "directory")
    (tmp_path / "text.npy").write_text("1, 2, 3\n")
    _expect(tmp_path / "text.npy", "not a NumPy .npy or .npz file")
    (tmp_path / "empty.npy").write_bytes(b"")
    _expect(tmp_path / "empty.npy", "not a NumPy")
    np.save(tmp_path / "trunc.npy", np.arange(100.0).reshape(10, 10))
    data = (tmp_path / "trunc.npy").read_bytes()
    (tmp_path / "trunc.npy").write_bytes(data[:-80])
    _expect(tmp_path / "trunc.npy", "'trunc'", "cannot be read")
    (tmp_path / "badheader.npy").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': junk}\n")
    _expect(tmp_path / "badheader.npy", "not a readable .npy file")


def test_bad_archives(tmp_path):
    (tmp_path / "broken.npz").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    _expect(tmp_path / "broken.npz", "not a readable .npz file")
    with zipfile.ZipFile(tmp_path / "text.npz", "w") as zf:
        zf.writestr("notes.txt", "hello")
    _expect(tmp_path / "text.npz", "'notes.txt'", "not a NumPy array")
    with zipfile.ZipFile(tmp_path / "none.npz", "w"):
        pass
    _expect(tmp_path / "none.npz", "no arrays")


def test_size_bound_is_checked_before_reading(tmp_path, monkeypatch):
    np.savez_compressed(tmp_path / "big.npz", big=np.zeros((1000, 1000), dtype=np.float32))
    np.save(tmp_path / "big.npy", np.zeros((100, 100)))
    loads = []
    monkeypatch.setattr(np, "load", lambda *a, **k: loads.append(a) or pytest.fail("data read"))
    _expect(tmp_path / "big.npz", "'big'", "1000000 entries", "max_entries", max_entries=10**5)
    _expect(tmp_path / "big.npy", "10000 entries", max_entries=9999)
    with open(tmp_path / "v3.npy", "wb") as fh:  # format 3.0 headers are checked too
        np.lib.format.write_array(fh, np.zeros((100, 100)), version=(3, 0))
    _expect(tmp_path / "v3.npy", "10000 entries", max_entries=9999)
    assert loads == []
    monkeypatch.undo()
    assert len(load_activations(tmp_path / "big.npy", max_entries=None, layout=NBP)["big"]) == 100


def test_errors_are_symrep_errors_not_tracebacks(tmp_path):
    np.save(tmp_path / "x.npy", np.array([1.0]))
    with pytest.raises(SymrepError):
        load_activation_rows(tmp_path / "x.npy", layout=NBP)


@pytest.mark.parametrize(
    "call, module, extra",
    [
        (lambda: load_activations("x.npy"), "numpy", "numpy"),
        (lambda: load_torch("x.pt"), "torch", "torch"),
        (lambda: network_from_torch(object()), "torch", "torch"),
        (lambda: network_from_onnx("x.onnx"), "onnx", "onnx"),
    ],
)
def test_missing_optional_packages_name_the_extra(monkeypatch, call, module, extra):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(MissingDependency, match=rf"pip install 'symrep\[{extra}\]'") as e:
        call()
    assert isinstance(e.value, SymrepError) and isinstance(e.value, ImportError)


# --- state dicts without PyTorch ----------------------------------------------------------------


def test_state_dict_of_arrays_needs_no_torch(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    W1 = np.array([[0.1, -1], [2, 0.5]], dtype=np.float32)
    sd = {"fc1.weight": W1, "fc1.bias": np.array([0.25, -0.75]), "fc2.weight": np.array([[1.0, 1.0]])}
    net = network_from_torch(sd, activations=["relu", "identity"])  # a state dict records none: they are required
    assert net.layers[0].weights == exact_matrix(W1)
    assert [l.activation for l in net.layers] == ["relu", "identity"]
    assert net.layers[1].bias == (0,)


@pytest.mark.parametrize(
    "sd, activations, words",
    [
        ({"0.weight": np.eye(2), "bn.running_mean": np.zeros(2)}, None, ["'bn.running_mean'", "Linear"]),
        ({"conv.weight": np.zeros((2, 1, 3, 3))}, None, ["'conv.weight'", "shape (2, 1, 3, 3)"]),
        ({"0.bias": np.zeros(2)}, None, ["0.bias has no 0.weight"]),
        ({"0.weight": np.eye(2), "0.bias": np.zeros(3)}, None, ["'0.bias'", "(3,)", "expected (2,)"]),
        ({"0.weight": np.eye(2), "1.weight": np.eye(3)}, None, ["'1.weight' takes 3 inputs", "'0.weight' has 2"]),
        ({"0.weight": np.array([[np.nan, 1.0]])}, None, ["0.weight[0][0]", "nan"]),
        ({"0.weight": [[1, 2]]}, None, ["'0.weight' is a list"]),
        ({"0.weight": np.eye(2)}, "relu", ["one entry per layer"]),
        ({"0.weight": np.eye(2)}, ["relu", "relu"], ["2 entries but there are 1"]),
        ({"0.weight": np.eye(2)}, ["sigmoid"], ["activations[0] is 'sigmoid'"]),
        ({}, None, ["empty"]),
        ({"model": {"0.weight": np.eye(2)}}, None, ["'model' is itself a dict"]),
    ],
)
def test_bad_state_dicts(sd, activations, words):
    with pytest.raises(InputError) as e:
        network_from_torch(sd, activations=activations, name="mlp.pt")
    assert str(e.value).startswith("mlp.pt: ")
    for w in words:
        assert w in str(e.value), str(e.value)


# --- PyTorch ------------------------------------------------------------------------------------


def _torch_reference(torch_layers):
    """[(W, b, activation)] with every float converted by Fraction(float(x))."""
    return [
        (exact_matrix(W.detach().numpy()), tuple(exact(x) for x in b.detach().numpy()) if b is not None else (0,) * W.shape[0], a)
        for W, b, a in torch_layers
    ]


def test_torch_sequential_is_imported_exactly():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))
    assert model[0].weight.dtype == torch.float32
    net = network_from_torch(model)
    assert net.widths == (4, 6, 3) and [l.activation for l in net.layers] == ["relu", "identity"]
    ref_layers = _torch_reference([(model[0].weight, model[0].bias, "relu"), (model[2].weight, model[2].bias, "identity")])
    data = rational_data(random.Random(1), 7, 4)
    ref = ref_forward(ref_layers, data)
    for layer in (0, 1, 2):
        assert symrep.activations(net, data, layer) == ref[layer]
    # torch's own float64 forward pass agrees within float error, and in sign pattern.
    x = torch.tensor([[float(v) for v in row] for row in data], dtype=torch.float64)
    m64 = model.double()
    hidden = m64[1](m64[0](x)).detach().numpy().T
    output = m64(x).detach().numpy().T
    for got, want in ((hidden, ref[1]), (output, ref[2])):
        for i, row in enumerate(want):
            for j, q in enumerate(row):
                assert abs(got[i, j] - float(q)) <= 1e-9 * (1 + abs(float(q)))
    assert ((hidden > 0) == np.array([[q > 0 for q in row] for row in ref[1]])).all()


def test_torch_state_dict_and_file_round_trip(tmp_path):
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 5), nn.ReLU(), nn.Linear(5, 2))
    net = network_from_torch(model)
    relu = ["relu", "relu", "identity"]  # a state dict records no activations: they are required (issue 12)
    assert network_from_torch(model.state_dict(), activations=relu) == net
    torch.save(model.state_dict(), tmp_path / "mlp.pt")
    sd = load_torch(tmp_path / "mlp.pt")
    assert list(sd) == list(model.state_dict())
    assert network_from_torch(sd, activations=relu) == net
    other = network_from_torch(sd, activations=["identity", "relu", "relu"])
    assert [l.activation for l in other.layers] == ["identity", "relu", "relu"]
    torch.save({"model": model.state_dict(), "epoch": 3}, tmp_path / "ckpt.pt")
    assert network_from_torch(load_torch(tmp_path / "ckpt.pt", key="model"), activations=relu) == net
    with pytest.raises(InputError, match="entry 'model' is a dict; .* --key model .*key='model'"):
        load_torch(tmp_path / "ckpt.pt")
    with pytest.raises(InputError, match="has no entry 'weights'"):
        load_torch(tmp_path / "ckpt.pt", key="weights")


def test_torch_no_ops_nesting_and_dtypes():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(2)
    inner = nn.Sequential(nn.Linear(4, 3, bias=False), nn.ReLU(inplace=True), nn.ReLU())
    model = nn.Sequential(nn.Flatten(), nn.Identity(), inner, nn.Linear(3, 2).double(), nn.Identity())
    net = network_from_torch(model)
    assert net.widths == (4, 3, 2)
    assert [l.activation for l in net.layers] == ["relu", "identity"]
    assert net.layers[0].bias == (0, 0, 0)
    assert net.layers[1].weights == exact_matrix(model[3].weight.detach().numpy())
    for dtype in (torch.float16, torch.bfloat16, torch.float64):
        lin = nn.Linear(2, 2).to(dtype)
        got = network_from_torch(nn.Sequential(lin)).layers[0].weights
        assert got == tuple(tuple(Fraction(float(x)) for x in row) for row in lin.weight.detach().float().tolist())


@pytest.mark.parametrize(
    "build, words",
    [
        (lambda nn: nn.Sequential(nn.Linear(2, 2), nn.Sigmoid()), ["module '1' (Sigmoid)", "not supported"]),
        (lambda nn: nn.Sequential(nn.Conv2d(1, 1, 3)), ["module '0' (Conv2d)", "not supported"]),
        (lambda nn: nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout())), ["module '1.0' (Dropout)"]),
        (lambda nn: nn.Sequential(nn.ReLU(), nn.Linear(2, 2)), ["module '0' (ReLU)", "before any Linear"]),
        (lambda nn: nn.Sequential(nn.Flatten(0), nn.Linear(2, 2)), ["module '0' (Flatten)", "start_dim=0"]),
        (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.Linear(2, 2)), ["module '1' (Linear)", "takes 2 inputs", "3 outputs"]),
        (lambda nn: nn.Sequential(), ["no Linear layer"]),
        (lambda nn: nn.Sequential(nn.LazyLinear(2)), ["module '0' (LazyLinear)", "uninitialized"]),
        (lambda nn: nn.Linear(2, 2), ["not an nn.Sequential"]),
        (lambda nn: nn.ModuleList([nn.Linear(2, 2)]), ["not an nn.Sequential"]),
    ],
)
def test_torch_unsupported_models(build, words):
    torch = pytest.importorskip("torch")
    with pytest.raises(InputError) as e:
        network_from_torch(build(torch.nn))
    for w in words:
        assert w in str(e.value), str(e.value)


def test_torch_bad_weights_and_arguments():
    torch = pytest.importorskip("torch")
    nn = torch.nn
    lin = nn.Linear(2, 2)
    with torch.no_grad():
        lin.weight[1, 0] = float("inf")
    with pytest.raises(InputError, match=r"module '0' \(Linear\): weight\[1\]\[0\]: inf is not a finite number"):
        network_from_torch(nn.Sequential(lin))
    with pytest.raises(InputError, match="activations= is for state dicts"):
        network_from_torch(nn.Sequential(nn.Linear(2, 2)), activations=["relu"])


def test_load_torch_refuses_pickled_models_and_foreign_files(tmp_path):
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.save(nn.Sequential(nn.Linear(2, 2)), tmp_path / "whole.pt")
    with pytest.raises(InputError, match=r"whole\.pt: holds more than tensors .* save model\.state_dict\(\)"):
        load_torch(tmp_path / "whole.pt")
    with pytest.raises(InputError, match="no such file"):
        load_torch(tmp_path / "missing.pt")
    (tmp_path / "text.pt").write_text("not a tensor file")
    with pytest.raises(InputError, match=r"text\.pt: "):
        load_torch(tmp_path / "text.pt")
    torch.save([torch.zeros(2)], tmp_path / "list.pt")
    with pytest.raises(InputError, match="holds a list, not a state dict"):
        load_torch(tmp_path / "list.pt")
    torch.save({"0.weight": torch.eye(2), "steps": 3}, tmp_path / "mixed.pt")
    with pytest.raises(InputError, match="entry 'steps' is a int, not a tensor"):
        load_torch(tmp_path / "mixed.pt")


# --- ONNX ---------------------------------------------------------------------------------------


def _onnx_model(nodes, initializers, n_in, n_out, *, input_shape=None, extra_inputs=(), outputs=None):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, input_shape or ["N", n_in])]
    inputs += [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["N", n_in]) for n in extra_inputs]
    outs = outputs or [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["d0", "d1"])]
    graph = helper.make_graph(
        nodes, "g", inputs, outs, [numpy_helper.from_array(np.asarray(v), name=k) for k, v in initializers.items()]
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    return model


def _run_onnx(model, x):
    from onnx.reference import ReferenceEvaluator

    return ReferenceEvaluator(model).run(None, {"x": x.astype(np.float32)})[0]


def _check_against_reference(model, net, ref_layers, n_in, data_points_as_rows=True):
    """symrep's activations equal the exact reference; ONNX's float32 run agrees within float error."""
    data = rational_data(random.Random(3), 6, n_in)
    ref = ref_forward(ref_layers, data)
    for layer in range(len(ref)):
        assert symrep.activations(net, data, layer) == ref[layer]
    out = _run_onnx(model, np.array([[float(v) for v in row] for row in data]))
    out = out.T if data_points_as_rows else out
    want = np.array([[float(q) for q in row] for row in ref[-1]])
    assert np.allclose(out, want, rtol=1e-4, atol=1e-4)


def _f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def test_onnx_gemm_relu_gemm_is_exact(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import helper

    rng = np.random.default_rng(0)
    W1, b1, W2, b2 = _f32(rng, 5, 4), _f32(rng, 5), _f32(rng, 5, 2), _f32(rng, 1, 2)
    alpha, beta = np.float32(0.1), np.float32(-1.5)
    nodes = [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["h"], name="fc1", transB=1),
        helper.make_node("Relu", ["h"], ["r"], name="relu1"),
        helper.make_node("Gemm", ["r", "W2", "b2"], ["y"], name="fc2", alpha=float(alpha), beta=float(beta)),
    ]
    model = _onnx_model(nodes, {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, 4, 2)
    net = network_from_onnx(model)
    assert net.widths == (4, 5, 2) and [l.activation for l in net.layers] == ["relu", "identity"]
    a, b = exact(alpha), exact(beta)
    assert a == Fraction(13421773, 134217728)
    ref_layers = [
        (exact_matrix(W1), tuple(exact(x) for x in b1), "relu"),
        (tuple(tuple(a * x for x in row) for row in exact_matrix(W2.T)), tuple(b * exact(x) for x in b2[0]), "identity"),
    ]
    _check_against_reference(model, net, ref_layers, 4)
    onnx.save(model, tmp_path / "m.onnx")
    assert network_from_onnx(tmp_path / "m.onnx") == net
    assert network_from_onnx(str(tmp_path / "m.onnx")).name == str(tmp_path / "m.onnx")


def test_onnx_matmul_add_relu_is_exact():
    pytest.importorskip("onnx")
    from onnx import helper

    rng = np.random.default_rng(1)
    W1, b1, W2, b2 = _f32(rng, 3, 6), _f32(rng, 6), _f32(rng, 6, 2), _f32(rng, 2)
    nodes = [
        helper.make_node("MatMul", ["x", "W1"], ["m1"]),
        helper.make_node("Add", ["b1", "m1"], ["a1"]),  # bias on the left
        helper.make_node("Relu", ["a1"], ["r1"]),
        helper.make_node("Identity", ["r1"], ["i1"]),
        helper.make_node("Flatten", ["i1"], ["f1"], axis=1),
        helper.make_node("MatMul", ["f1", "W2"], ["m2"]),
        helper.make_node("Add", ["m2", "b2"], ["y"]),
    ]
    model = _onnx_model(nodes, {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, 3, 2)
    net = network_from_onnx(model)
    assert net.widths == (3, 6, 2) and [l.activation for l in net.layers] == ["relu", "identity"]
    ref_layers = [
        (exact_matrix(W1.T), tuple(exact(x) for x in b1), "relu"),
        (exact_matrix(W2.T), tuple(exact(x) for x in b2), "identity"),
    ]
    _check_against_reference(model, net, ref_layers, 3)


def test_onnx_data_as_columns_and_constant_nodes():
    """Gemm(W, x, transB=1) puts data points in columns; MatMul(W2, h) and an (out, 1) bias follow it."""
    pytest.importorskip("onnx")
    from onnx import helper, numpy_helper

    rng = np.random.default_rng(2)
    W1, b1, W2, b2 = _f32(rng, 4, 3), _f32(rng, 4, 1), _f32(rng, 2, 4), _f32(rng, 2, 1)
    nodes = [
        helper.make_node("Constant", [], ["W1"], value=numpy_helper.from_array(W1)),
        helper.make_node("Gemm", ["W1", "x", "b1"], ["h"], transB=1),
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("MatMul", ["W2", "r"], ["m"]),
        helper.make_node("Add", ["m", "b2"], ["a"]),
        helper.make_node("Add", ["a", "s"], ["y"]),  # a scalar added to every neuron
    ]
    model = _onnx_model(nodes, {"b1": b1, "W2": W2, "b2": b2, "s": np.float32(0.5)}, 3, 2)
    net = network_from_onnx(model)
    ref_layers = [
        (exact_matrix(W1), tuple(exact(x) for x in b1[:, 0]), "relu"),
        (exact_matrix(W2), tuple(exact(x) + Fraction(1, 2) for x in b2[:, 0]), "identity"),
    ]
    _check_against_reference(model, net, ref_layers, 3, data_points_as_rows=False)


def test_onnx_gemm_transposes_on_both_sides():
    """transA on a weight (data as columns after it) and transA on the data (back to rows)."""
    pytest.importorskip("onnx")
    from onnx import helper

    rng = np.random.default_rng(4)
    WT, V, c = _f32(rng, 3, 4), _f32(rng, 4, 2), _f32(rng, 2)
    nodes = [
        helper.make_node("Gemm", ["WT", "x"], ["h"], transA=1, transB=1),  # (4 x 3) @ x^T: 4 x N
        helper.make_node("Relu", ["h"], ["r"]),
        helper.make_node("Gemm", ["r", "V", "c"], ["y"], transA=1, alpha=2.0),  # r^T @ V: N x 2
    ]
    model = _onnx_model(nodes, {"WT": WT, "V": V, "c": c}, 3, 2)
    net = network_from_onnx(model)
    ref_layers = [
        (exact_matrix(WT.T), (0,) * 4, "relu"),
        (tuple(tuple(2 * x for x in row) for row in exact_matrix(V.T)), tuple(exact(x) for x in c), "identity"),
    ]
    _check_against_reference(model, net, ref_layers, 3)


def test_onnx_flatten_of_image_input():
    pytest.importorskip("onnx")
    from onnx import helper

    W = np.arange(8, dtype=np.float32).reshape(2, 4) / 8
    nodes = [helper.make_node("Flatten", ["x"], ["f"]), helper.make_node("Gemm", ["f", "W"], ["y"], transB=1)]
    model = _onnx_model(nodes, {"W": W}, 4, 2, input_shape=["N", 1, 2, 2])
    net = network_from_onnx(model)
    assert net.widths == (4, 2) and net.layers[0].weights == exact_matrix(W)


def _gemm(**attrs):
    from onnx import helper

    return helper.make_node("Gemm", ["x", "W"], ["y"], name="fc", **attrs)


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda h: ([h.make_node("Sigmoid", ["x"], ["y"], name="act")], {}), ["node 'act' (Sigmoid)", "not supported"]),
        (lambda h: ([_gemm(transB=1), ], {"W": np.full((2, 3), np.nan, np.float32)}), ["node 'fc' (Gemm)", "'W'", "nan"]),
        (lambda h: ([_gemm(transA=1)], {"W": np.eye(3, dtype=np.float32)}), ["'fc' (Gemm)", "data points with each other", "transA"]),
        (lambda h: ([h.make_node("MatMul", ["W", "x"], ["y"])], {"W": np.eye(3, dtype=np.float32)}), ["node 0 (MatMul)", "data points with each other"]),
        (lambda h: ([h.make_node("Relu", ["x"], ["y"])], {}), ["node 0 (Relu)", "before any Gemm"]),
        (lambda h: ([h.make_node("Add", ["x", "W"], ["y"])], {"W": np.ones(3, np.float32)}), ["node 0 (Add)", "no Gemm or MatMul"]),
        (
            lambda h: ([_gemm(transB=1), h.make_node("Relu", ["y"], ["r"]), h.make_node("Add", ["r", "b"], ["z"])], {"W": np.eye(3, dtype=np.float32), "b": np.ones(3, np.float32)}),
            ["node 2 (Add)", "no Gemm or MatMul right before"],
        ),
        (
            lambda h: ([h.make_node("MatMul", ["x", "W"], ["m"]), h.make_node("Add", ["m", "b"], ["y"])], {"W": np.eye(3, dtype=np.float32), "b": np.ones((4, 1), np.float32)}),
            ["node 1 (Add)", "shape (4, 1)", "one number per neuron"],
        ),
        (lambda h: ([h.make_node("MatMul", ["x", "x"], ["y"])], {}), ["node 0 (MatMul)", "exactly once"]),
        (lambda h: ([h.make_node("MatMul", ["x", "V"], ["y"])], {}), ["'V' is neither the output of the previous node"]),
        (lambda h: ([h.make_node("Flatten", ["x"], ["y"], axis=0)], {}), ["node 0 (Flatten)", "axis=0"]),
        (lambda h: ([h.make_node("Identity", ["x"], ["y"])], {}), ["no Gemm or MatMul layer"]),
        (lambda h: ([_gemm(transB=1), h.make_node("Relu", ["x"], ["z"])], {"W": np.eye(3, dtype=np.float32)}), ["node 1 (Relu)", "does not take the output of the previous node"]),
    ],
)
def test_onnx_unsupported_graphs(make, words):
    pytest.importorskip("onnx")
    from onnx import helper, numpy_helper

    nodes, inits = make(helper)
    outputs = None
    if nodes[-1].output[0] != "y":
        outputs = [helper.make_tensor_value_info(nodes[-1].output[0], 1, None)]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", 1, ["N", 3])], outputs or [helper.make_tensor_value_info("y", 1, None)],
        [numpy_helper.from_array(v, name=k) for k, v in inits.items()],
    )
    with pytest.raises(InputError) as e:
        network_from_onnx(helper.make_model(graph), name="net.onnx")
    assert str(e.value).startswith("net.onnx: ")
    for w in words:
        assert w in str(e.value), str(e.value)


def test_onnx_graph_shape_errors(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import helper

    W = np.eye(3, dtype=np.float32)
    two_inputs = _onnx_model([helper.make_node("Add", ["x", "x2"], ["y"])], {}, 3, 3, extra_inputs=["x2"])
    with pytest.raises(InputError, match="has 2 graph inputs"):
        network_from_onnx(two_inputs)
    wrong_width = _onnx_model([_gemm(transB=1)], {"W": W}, 5, 3)
    with pytest.raises(ShapeError, match="takes 3 inputs but the graph input has 5 features"):
        network_from_onnx(wrong_width)
    chain = _onnx_model(
        [helper.make_node("Gemm", ["x", "W"], ["h"], name="fc", transB=1), helper.make_node("MatMul", ["h", "V"], ["y"], name="fc2")],
        {"W": W, "V": np.ones((2, 2), np.float32)}, 3, 2,
    )
    with pytest.raises(ShapeError, match=r"node 'fc2' \(MatMul\): takes 2 inputs but node 'fc' \(Gemm\) has 3 outputs"):
        network_from_onnx(chain)
    ext = _onnx_model([_gemm(transB=1)], {"W": W}, 3, 3)
    ext.graph.initializer[0].data_location = onnx.TensorProto.EXTERNAL
    ext.graph.initializer[0].external_data.add(key="location", value="../../etc/passwd")
    with pytest.raises(InputError, match="'W' keeps its data in an external file"):
        network_from_onnx(ext)
    with pytest.raises(InputError, match="no such file"):
        network_from_onnx(tmp_path / "missing.onnx")
    (tmp_path / "junk.onnx").write_bytes(b"\xff\xfe junk \x00\x01")
    with pytest.raises(InputError, match=r"junk\.onnx: "):
        network_from_onnx(tmp_path / "junk.onnx")
    with pytest.raises(InputError, match="not an ONNX model or the path of one"):
        network_from_onnx(42)


def test_onnx_malformed_nodes_are_input_errors_not_tracebacks():
    """Graphs a corrupted file can hold (found by fuzzing): each refused naming the node, never an IndexError."""
    pytest.importorskip("onnx")
    from onnx import AttributeProto, helper, numpy_helper

    W = np.eye(3, dtype=np.float32)

    def refused(nodes, *words, inputs=("x",)):
        graph = helper.make_graph(
            nodes, "g", [helper.make_tensor_value_info(n, 1, ["N", 3]) for n in inputs], [helper.make_tensor_value_info("y", 1, None)],
            [numpy_helper.from_array(W, name="W")],
        )
        with pytest.raises(InputError) as e:
            network_from_onnx(helper.make_model(graph), name="net.onnx")
        for w in ("net.onnx: node", *words):
            assert w in str(e.value), str(e.value)

    refused([helper.make_node("MatMul", ["x"], ["y"])], "(MatMul)", "has 1 inputs; MatMul takes at least 2")
    refused([helper.make_node("Gemm", ["x"], ["y"])], "(Gemm)", "takes at least 2")
    refused([helper.make_node("MatMul", ["x", "W"], ["h"]), helper.make_node("Add", ["h"], ["y"])], "(Add)", "takes at least 2")
    no_output = helper.make_node("Constant", [], [], value=numpy_helper.from_array(np.ones(3, np.float32)))
    refused([no_output, helper.make_node("MatMul", ["x", "W"], ["y"])], "(Constant)", "has 0 outputs")
    untyped_value = helper.make_node("Constant", [], ["c"])
    untyped_value.attribute.add(name="value", type=AttributeProto.UNDEFINED)
    refused([untyped_value, helper.make_node("MatMul", ["x", "W"], ["y"])], "(Constant)", "not a tensor")
    flatten = helper.make_node("Flatten", ["x"], ["f"])
    flatten.attribute.add(name="axis", type=AttributeProto.UNDEFINED)
    refused([flatten, helper.make_node("MatMul", ["f", "W"], ["y"])], "(Flatten)", "attribute 'axis'", "not an integer")
