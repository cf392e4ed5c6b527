"""Networks from ONNX: a single chain of dense layers (Gemm, MatMul, Add, Relu, Identity, Flatten).

ONNX files are protocol buffers, parsed by the ``onnx`` package without following
references to external data files (such models are refused).  ONNX stores layers in either
orientation (``Gemm`` with ``transB``, ``MatMul`` with the data on the left or right); the
importer tracks whether the tensor flowing along the chain has data points as rows or as
columns and transposes the weights accordingly.  Each operator has its own small reader
(``_gemm``, ``_matmul``, ...), called by :func:`network_from_onnx` as it walks the graph.
"""

from __future__ import annotations

import math
import os
from fractions import Fraction
from typing import Any, Callable

from symrep.errors import InputError, ShapeError
from symrep.exact.numbers import as_vector
from symrep.imports.common import _exact_matrix, _exact_vector, _first_line, _open_error, _require
from symrep.networks.network import Layer, Network

# --- ONNX -------------------------------------------------------------------------------------

_ONNX_OPS = "Gemm, MatMul, Add, Relu, Identity and Flatten"
#: ONNX activation operators refused by name (symrep decides Relu and identity layers only).
_ONNX_ACTIVATIONS = ("Tanh", "Sigmoid", "Elu", "Selu", "Celu", "LeakyRelu", "PRelu", "ThresholdedRelu", "HardSigmoid",
                     "HardSwish", "Softplus", "Softsign", "Softmax", "LogSoftmax", "Gelu", "Mish", "Clip")


class _Chain:
    """The state of the single chain while reading an ONNX graph node by node."""

    def __init__(self, source: str):
        self.source = source
        self.layers: list[dict[str, Any]] = []
        self.rows = True  # the tensor on the chain has data points as rows (else as columns)
        self.rank: int | None = 2
        self.flat_width: int | None = None  # input width from the graph input's static shape

    def open_layer(self) -> dict[str, Any] | None:
        """The last layer if no activation has been applied to it yet (so a bias may still be added)."""
        if self.layers and self.layers[-1]["activation"] is None:
            return self.layers[-1]
        return None

    def add_layer(self, weights: list[list[Fraction]], where: str, label: str) -> None:
        if self.rank not in (None, 2):
            raise InputError(f"{where}: its input has {self.rank} dimensions; flatten it first (Flatten, axis=1)")
        inputs = len(weights[0])
        if self.layers:
            before = self.layers[-1]
            if len(before["weights"]) != inputs:
                raise ShapeError(f"{where}: takes {inputs} inputs but {before['label']} has {len(before['weights'])} outputs")
        elif self.flat_width is not None and self.flat_width != inputs:
            raise ShapeError(f"{where}: takes {inputs} inputs but the graph input has {self.flat_width} features")
        self.layers.append(
            {"weights": weights, "bias": [Fraction(0)] * len(weights), "activation": None, "where": where, "label": label}
        )


def _onnx_model(onnx: Any, path_or_model: Any, name: str | None) -> tuple[Any, str]:
    if isinstance(path_or_model, onnx.ModelProto):
        return path_or_model, name or path_or_model.graph.name or "ONNX model"
    if not isinstance(path_or_model, (str, os.PathLike)):
        raise InputError(f"{type(path_or_model).__name__} is not an ONNX model or the path of one")
    where = os.fspath(path_or_model)
    try:
        with open(path_or_model, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise _open_error(where, e) from None
    decode_error = _require("google.protobuf.message", "onnx").DecodeError  # protobuf comes with onnx
    try:
        model = onnx.load_model_from_string(data)
    except decode_error as e:
        raise InputError(f"{where}: not an ONNX model ({_first_line(e)})") from None
    return model, name or where


def _attributes(onnx: Any, node: Any, where: str, allowed: dict[str, Any]) -> dict[str, Any]:
    """The node's attributes, each one of *allowed* (defaults filled in)."""
    out = dict(allowed)
    for attr in node.attribute:
        if attr.name not in allowed:
            raise InputError(f"{where}: attribute {attr.name!r} is not supported")
        out[attr.name] = onnx.helper.get_attribute_value(attr)
    return out


class _Graph:
    """An ONNX graph being read: its initializers and the constants read so far."""

    def __init__(self, onnx: Any, np: Any, graph: Any, source: str):
        self.onnx, self.np, self.graph, self.source = onnx, np, graph, source
        self.initializers = {t.name: t for t in graph.initializer}
        self.constants: dict[str, Any] = {}

    def to_array(self, tensor: Any, where: str, what: str) -> Any:
        """The tensor as a NumPy array, refusing external data and malformed tensors."""
        try:
            return self.onnx.numpy_helper.to_array(tensor)
        # to_array raises ValueError (data of the wrong size), TypeError or KeyError (an unknown element type),
        # and onnx's ValidationError (a malformed external-data entry): all mean "not a readable tensor".
        except (ValueError, TypeError, KeyError, IndexError, self.onnx.checker.ValidationError) as e:
            raise InputError(f"{where}: {what} cannot be read ({_first_line(e)})") from None

    def constant(self, tensor_name: str, where: str) -> Any:
        """The value of an initializer or a Constant node's output."""
        if tensor_name in self.constants:
            return self.constants[tensor_name]
        t = self.initializers.get(tensor_name)
        if t is None:
            raise InputError(
                f"{where}: input {tensor_name!r} is neither the output of the previous node on the chain nor a "
                "constant (initializer or Constant node)"
            )
        if self.onnx.external_data_helper.uses_external_data(t):
            raise InputError(
                f"{where}: initializer {tensor_name!r} keeps its data in an external file, which symrep does not read"
            )
        self.constants[tensor_name] = self.to_array(t, where, f"initializer {tensor_name!r}")
        return self.constants[tensor_name]

    def read_constant_node(self, node: Any, where: str) -> None:
        """A ``Constant`` node: its value, given by ``value`` (a tensor) or numbers."""
        numbers = ("value_float", "value_floats", "value_int", "value_ints")
        if len(node.attribute) != 1 or node.attribute[0].name not in ("value",) + numbers:
            raise InputError(f"{where}: only constants given by 'value' or numbers are supported")
        value = self.onnx.helper.get_attribute_value(node.attribute[0])
        if node.attribute[0].name == "value" and not isinstance(value, self.onnx.TensorProto):
            raise InputError(f"{where}: its 'value' is a {type(value).__name__}, not a tensor")
        if node.attribute[0].name != "value":
            array = self.np.array(value)
        elif self.onnx.external_data_helper.uses_external_data(value):
            raise InputError(f"{where}: keeps its data in an external file, which symrep does not read")
        else:
            array = self.to_array(value, where, "its value")
        if len(node.output) != 1:
            raise InputError(f"{where}: has {len(node.output)} outputs; expected 1")
        self.constants[node.output[0]] = array


def _graph_input(graph: _Graph) -> tuple[str, _Chain]:
    """The one graph input (data points as rows) and the chain starting there, its shape read when static."""
    g, source = graph.graph, graph.source
    inputs = [i for i in g.input if i.name not in graph.initializers]
    if len(inputs) != 1:
        raise InputError(
            f"{source}: has {len(inputs)} graph inputs ({', '.join(repr(i.name) for i in inputs) or 'none'}); "
            "symrep reads a single chain from one input"
        )
    if len(g.output) != 1:
        raise InputError(f"{source}: has {len(g.output)} graph outputs; symrep reads a single chain to one output")
    chain = _Chain(source)
    first = inputs[0]
    if first.type.HasField("tensor_type") and first.type.tensor_type.HasField("shape"):
        dims = first.type.tensor_type.shape.dim
        chain.rank = len(dims)
        if chain.rank < 2:
            raise InputError(
                f"{source}: the graph input {first.name!r} has {chain.rank} dimensions; expected (data points, features)"
            )
        if all(d.HasField("dim_value") for d in dims[1:]):
            chain.flat_width = math.prod(d.dim_value for d in dims[1:])
    else:
        chain.rank = None
    return first.name, chain


#: The fewest inputs each operator on the chain takes (the chain's tensor and its constants).
_FEWEST_INPUTS = {"Gemm": 2, "MatMul": 2, "Add": 2, "Relu": 1, "Identity": 1, "Flatten": 1}


def _chain_inputs(node: Any, current: str, where: str) -> tuple[list[str], int]:
    """The node's inputs (omitted optional ones dropped) and where the chain's tensor enters among them."""
    ins = list(node.input)
    while ins and ins[-1] == "":  # omitted optional inputs
        ins.pop()
    if ins.count(current) != 1:
        raise InputError(
            f"{where}: does not take the output of the previous node on the chain ({current!r}) exactly once; "
            "symrep reads a single chain"
        )
    if len(node.output) != 1:
        raise InputError(f"{where}: has {len(node.output)} outputs; expected 1")
    if len(ins) < _FEWEST_INPUTS[node.op_type]:
        raise InputError(f"{where}: has {len(ins)} inputs; {node.op_type} takes at least {_FEWEST_INPUTS[node.op_type]}")
    return ins, ins.index(current)


def _gemm(graph: _Graph, chain: _Chain, node: Any, ins: list[str], data_at: int, where: str, label: str) -> None:
    """``Y = alpha A' B' + beta C`` with the data as A' or B' (``transA``, ``transB`` honoured); C is the bias."""
    a = _attributes(graph.onnx, node, where, {"alpha": 1.0, "beta": 1.0, "transA": 0, "transB": 0, "broadcast": 1})
    alpha = as_vector([a["alpha"]], f"{where}: alpha")[0]
    beta = as_vector([a["beta"]], f"{where}: beta")[0]
    if data_at == 0:  # Y = A' B' with A' the data, data points as rows
        if (a["transA"] != 0) == chain.rows:
            raise InputError(f"{where}: would multiply data points with each other (check transA)")
        w = _matrix(graph.constant(ins[1], where), f"{where}: {ins[1]!r}")
        weights = w if a["transB"] else _transpose(w)  # W = B'^T, out x in
        rows_out = True
    elif data_at == 1:  # Y = A' B' with B' the data, data points as columns
        if (a["transB"] != 0) != chain.rows:
            raise InputError(f"{where}: would multiply data points with each other (check transB)")
        w = _matrix(graph.constant(ins[0], where), f"{where}: {ins[0]!r}")
        weights = _transpose(w) if a["transA"] else w
        rows_out = False
    else:
        raise InputError(f"{where}: the data enters as the bias C; symrep reads it only as A or B")
    chain.add_layer([[alpha * x for x in row] for row in weights], where, label)
    chain.rows = rows_out
    if len(ins) == 3:
        _add_bias(chain, graph.constant(ins[2], where), beta, where, f"C {ins[2]!r}")


def _matmul(graph: _Graph, chain: _Chain, node: Any, ins: list[str], data_at: int, where: str, label: str) -> None:
    """A product with the data on the left (data points as rows) or on the right (as columns)."""
    _attributes(graph.onnx, node, where, {})
    if data_at == 0:
        if not chain.rows:
            raise InputError(
                f"{where}: would multiply data points with each other (data on the left must have data points as rows)"
            )
        weights = _transpose(_matrix(graph.constant(ins[1], where), f"{where}: {ins[1]!r}"))
    else:
        if chain.rows:
            raise InputError(
                f"{where}: would multiply data points with each other (data on the right must have data points as columns)"
            )
        weights = _matrix(graph.constant(ins[0], where), f"{where}: {ins[0]!r}")
    chain.add_layer(weights, where, label)
    chain.rows = data_at == 0


def _add(graph: _Graph, chain: _Chain, node: Any, ins: list[str], data_at: int, where: str, label: str) -> None:
    """A constant added right after a Gemm or MatMul: its bias."""
    _attributes(graph.onnx, node, where, {})
    if chain.open_layer() is None:
        raise InputError(
            f"{where}: adds a constant where there is no Gemm or MatMul right before it; "
            "symrep's layers are activation(W x + b)"
        )
    other = ins[1 - data_at]
    _add_bias(chain, graph.constant(other, where), Fraction(1), where, repr(other))


def _relu(graph: _Graph, chain: _Chain, node: Any, ins: list[str], data_at: int, where: str, label: str) -> None:
    _attributes(graph.onnx, node, where, {})
    if not chain.layers:
        raise InputError(f"{where}: comes before any Gemm or MatMul; symrep's layers are activation(W x + b)")
    chain.layers[-1]["activation"] = "relu"  # Relu after Relu changes nothing


def _identity(graph: _Graph, chain: _Chain, node: Any, ins: list[str], data_at: int, where: str, label: str) -> None:
    _attributes(graph.onnx, node, where, {})


def _flatten(graph: _Graph, chain: _Chain, node: Any, ins: list[str], data_at: int, where: str, label: str) -> None:
    """``Flatten(axis=1)``: a no-op on 2-D tensors; in front of the first layer, the input is flattened row-major."""
    a = _attributes(graph.onnx, node, where, {"axis": 1})
    if isinstance(a["axis"], bool) or not isinstance(a["axis"], int):  # a malformed attribute reads as None
        raise InputError(f"{where}: attribute 'axis' is {type(a['axis']).__name__}, not an integer")
    rank = 2 if chain.rank is None else chain.rank
    axis = a["axis"] + rank if a["axis"] < 0 else a["axis"]
    if axis != 1:
        raise InputError(f"{where}: axis={a['axis']} does not keep one row per data point; only axis=1 is accepted")
    if rank != 2 and (chain.layers or not chain.rows):
        raise InputError(f"{where}: flattens a tensor of {rank} dimensions in the middle of the chain")
    chain.rank = 2


#: The reader of each operator on the chain (``Constant`` nodes are read apart: they are off the chain).
_OPS: dict[str, Callable[[_Graph, _Chain, Any, list[str], int, str, str], None]] = {
    "Gemm": _gemm,
    "MatMul": _matmul,
    "Add": _add,
    "Relu": _relu,
    "Identity": _identity,
    "Flatten": _flatten,
}


def network_from_onnx(path_or_model: Any, *, name: str | None = None) -> Network:
    """A :class:`~symrep.network.Network` from an ONNX model: a single chain of dense layers.

    Parameters
    ----------
    path_or_model
        The path of an ``.onnx`` file, or an ``onnx.ModelProto``.
    name
        The network's name (default: the path or the graph's name), used in messages.

    Returns
    -------
    Network
        One layer per ``Gemm`` or ``MatMul``; an ``Add`` of a constant right
        after one is its bias; a ``Relu`` after it makes its activation ReLU
        (otherwise identity).

    Notes
    -----
    The graph must have one input (data points as rows, as ONNX exporters
    write it: ``(batch, features)``) and one output, joined by a single chain
    of ``Gemm`` (``alpha``, ``beta``, ``transA``, ``transB`` honoured), ``MatMul``,
    ``Add``, ``Relu``, ``Identity`` and ``Flatten`` (``axis=1``: a no-op on
    2-D tensors; in front of the first layer it means the network takes the
    flattened, row-major input).  The data may enter a ``Gemm`` or ``MatMul`` on
    either side; the importer follows the orientation.  Weights and biases
    come from initializers or ``Constant`` nodes, and are converted exactly:
    float32 weights and the float32 ``alpha``/``beta`` become the dyadic
    rationals they are.  Initializers stored in external files are refused.

    Raises
    ------
    InputError
        Naming the file and the node (name and op type): unsupported operators,
        a node off the chain, a product that would multiply data points with
        each other, a bias that is not per neuron, NaN or infinite weights.
    MissingDependency
        If the ``onnx`` package is not installed.
    """
    onnx = _require("onnx", "onnx")
    np = _require("numpy", "onnx")
    model, source = _onnx_model(onnx, path_or_model, name)
    graph = _Graph(onnx, np, model.graph, source)
    current, chain = _graph_input(graph)
    for index, node in enumerate(model.graph.node):
        op = node.op_type
        label = f"node {node.name!r} ({op})" if node.name else f"node {index} ({op})"
        where = f"{source}: {label}"
        if node.domain in ("", "ai.onnx") and op in _ONNX_ACTIVATIONS:
            raise InputError(f"{where}: the activation {op} is not supported; symrep decides networks of Relu and "
                             "identity layers")
        if node.domain not in ("", "ai.onnx") or (op != "Constant" and op not in _OPS):
            raise InputError(f"{where}: is not supported; symrep reads single chains of {_ONNX_OPS}")
        if op == "Constant":
            graph.read_constant_node(node, where)
            continue
        ins, data_at = _chain_inputs(node, current, where)
        _OPS[op](graph, chain, node, ins, data_at, where, label)
        current = node.output[0]
    return _network(chain, current, model.graph.output[0].name)


def _network(chain: _Chain, current: str, output: str) -> Network:
    """The network of a chain read to its end, which must be the graph output."""
    if current != output:
        raise InputError(f"{chain.source}: the chain ends at {current!r}, not at the graph output {output!r}")
    if not chain.layers:
        raise InputError(f"{chain.source}: has no Gemm or MatMul layer")
    layers = [Layer(s["weights"], s["activation"] or "identity", s["bias"], where=s["where"]) for s in chain.layers]
    return Network(layers, name=chain.source)

def _matrix(value: Any, where: str) -> list[list[Fraction]]:
    shape = tuple(getattr(value, "shape", ()))
    if len(shape) != 2 or 0 in shape:
        raise InputError(f"{where}: has shape {shape}; a weight matrix must be 2-D and non-empty")
    return [list(r) for r in _exact_matrix(value.tolist(), where)]


def _transpose(m: list[list[Fraction]]) -> list[list[Fraction]]:
    return [list(col) for col in zip(*m)]


def _add_bias(chain: _Chain, value: Any, scale: Fraction, where: str, what: str) -> None:
    """Add ``scale * value`` (broadcast as ONNX does) to the bias of the open layer, if it is per neuron."""
    layer = chain.open_layer()
    if layer is None:  # pragma: no cover - Gemm has just opened a layer; Add checks before reading the constant
        raise InputError(f"{where}: adds a bias where there is no Gemm or MatMul right before it")
    out = len(layer["weights"])
    shape = tuple(getattr(value, "shape", ()))
    per_neuron = (out,) if chain.rows else (out, 1)
    if chain.rows:
        ok = shape in ((out,), (1, out))
    else:
        ok = shape == (out, 1)
    ok = ok or all(n == 1 for n in shape)  # one number for every neuron
    if not ok or len(shape) > 2:
        raise InputError(
            f"{where}: bias {what} has shape {shape}; expected one number per neuron, such as shape {per_neuron}"
        )
    flat = _exact_vector(value.reshape(-1).tolist(), f"{where}: bias {what}")
    if len(flat) == 1:
        flat = flat * out
    layer["bias"] = [b + scale * x for b, x in zip(layer["bias"], flat)]
