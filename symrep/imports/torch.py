"""Networks from PyTorch: an ``nn.Sequential`` of Linear and ReLU, or a state dict (also of NumPy arrays).

PyTorch files are read only with ``torch.load(path, weights_only=True, map_location="cpu")``,
which refuses anything but tensors and containers; a whole pickled ``nn.Module`` is refused
with a hint to save its ``state_dict()``.  Weights are ``out x in``, as ``Linear.weight`` is.
"""

from __future__ import annotations

import os
import pickle
import struct
import zipfile
from collections.abc import Mapping
from typing import Any, Iterator, Sequence

from symrep.errors import InputError, ShapeError
from symrep.imports.common import _exact_matrix, _exact_vector, _first_line, _open_error, _require
from symrep.networks.network import ACTIVATIONS, Layer, Network

#: What ``torch.load`` raises for a file that is not one it wrote (UnpicklingError is handled first, on its own).
_NOT_A_TORCH_FILE = (RuntimeError, EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError,
                     AssertionError, MemoryError, struct.error, zipfile.BadZipFile)



def _shape(value: Any) -> tuple[int, ...] | None:
    """The shape of a tensor or array (None for anything else, or an uninitialized lazy parameter)."""
    try:
        shape = getattr(value, "shape", None)
        if shape is None or not callable(getattr(value, "tolist", None)):
            return None
        return tuple(int(n) for n in shape)
    except (RuntimeError, TypeError, ValueError):  # torch: RuntimeError for an uninitialized lazy parameter
        return None


def _values(value: Any, where: str) -> Any:
    """Nested lists of Python numbers from a tensor or array (floats stay exact floats)."""
    detach = getattr(value, "detach", None)
    try:
        if callable(detach):
            value = detach().cpu()
        return value.tolist()
    except (RuntimeError, TypeError, ValueError) as e:  # a tensor on the meta device (NotImplementedError), a lazy parameter
        raise InputError(f"{where}: cannot read the values ({_first_line(e)})") from None


#: Activation functions symrep knows by name but does not decide (it decides ReLU and identity layers).
UNSUPPORTED_ACTIVATIONS = ("Tanh", "Sigmoid", "GELU", "SiLU", "ELU", "SELU", "CELU", "LeakyReLU", "PReLU", "RReLU",
                           "Softplus", "Softsign", "Softmax", "LogSoftmax", "Hardtanh", "ReLU6", "Hardswish",
                           "Hardsigmoid", "Mish", "Tanhshrink", "LogSigmoid", "Threshold")


_UNSUPPORTED_LOWER = {a.lower() for a in UNSUPPORTED_ACTIVATIONS}


def parse_activations(text: str, where: str = "--activations") -> list[str]:
    """Activations from a comma-separated list such as ``relu,relu,identity`` (case and spaces ignored).

    >>> parse_activations("ReLU, relu,identity")
    ['relu', 'relu', 'identity']
    """
    names = [t.strip().lower() for t in text.split(",")]
    if not all(names):
        raise InputError(f"{where}: {text!r} has an empty entry; expected names such as relu,relu,identity")
    return names


def _check_activations(activations: Any, n: int, where: str) -> list[str]:
    example = ",".join(["relu"] * (n - 1) + ["identity"])
    if activations is None:
        raise InputError(
            f"{where}: a state dict records no activation functions; give one per Linear layer ({n} here), "
            f"for example --activations {example} or a sidecar file (activations=[...] in Python)"
        )
    if isinstance(activations, str) or not isinstance(activations, Sequence):
        raise InputError(
            f"{where}: activations must be a list with one entry per layer, such as {example.split(',')}"
        )
    if len(activations) != n:
        raise InputError(f"{where}: activations has {len(activations)} entries but there are {n} Linear layers")
    for i, a in enumerate(activations):
        if a not in ACTIVATIONS:
            raise InputError(f"{where}: activations[{i}] is {a!r}, not one of {', '.join(ACTIVATIONS)} "
                             "(symrep decides networks of ReLU and identity layers)")
    return list(activations)


def _from_state_dict(sd: Mapping, activations: Any, source: str) -> Network:
    groups: dict[str, dict[str, Any]] = {}
    for key, value in sd.items():
        if not isinstance(key, str):
            raise InputError(f"{source}: key {key!r} is not a parameter name such as '0.weight'")
        prefix, _, leaf = key.rpartition(".")
        if isinstance(value, Mapping):
            raise InputError(
                f"{source}: entry {key!r} is itself a dict; for a checkpoint holding a state dict, choose that entry "
                f"with --key {key} (load_torch(path, key={key!r}) in Python)"
            )
        if leaf not in ("weight", "bias"):
            raise InputError(
                f"{source}: entry {key!r} is not the weight or bias of a Linear layer; symrep reads state dicts of "
                "consecutive Linear layers (N.weight, N.bias)"
            )
        if _shape(value) is None:
            raise InputError(f"{source}: entry {key!r} is a {type(value).__name__}, not a tensor or array")
        groups.setdefault(prefix, {})[leaf] = value
    if not groups:
        raise InputError(f"{source}: the state dict is empty")
    specs = []
    previous: tuple[str, int] | None = None
    for prefix, g in groups.items():
        name = f"{prefix}.weight" if prefix else "weight"
        if "weight" not in g:
            raise InputError(f"{source}: {prefix + '.' if prefix else ''}bias has no {name}")
        shape = _shape(g["weight"]) or ()  # every entry was checked to have a shape
        if len(shape) != 2:
            raise InputError(f"{source}: entry {name!r} has shape {shape}, not that of a Linear weight (out x in)")
        if previous is not None and shape[1] != previous[1]:
            raise ShapeError(
                f"{source}: {name!r} takes {shape[1]} inputs but {previous[0]!r} has {previous[1]} outputs"
            )
        bias = None
        if "bias" in g:
            bname = f"{prefix}.bias" if prefix else "bias"
            bshape = _shape(g["bias"])
            if bshape != (shape[0],):
                raise ShapeError(f"{source}: entry {bname!r} has shape {bshape}, expected ({shape[0]},) for {name!r}")
            bias = _exact_vector(_values(g["bias"], f"{source}: {bname}"), f"{source}: {bname}")
        weights = _exact_matrix(_values(g["weight"], f"{source}: {name}"), f"{source}: {name}")
        specs.append((weights, bias, f"{source}: {prefix or 'layer'}"))
        previous = (name, shape[0])
    acts = _check_activations(activations, len(specs), source)  # after the entries: their errors come first
    return Network([Layer(w, a, b, where=at) for (w, b, at), a in zip(specs, acts)], name=source)


def _torch_modules(module: Any, nn: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    for child_name, child in module.named_children():
        child_path = f"{path}.{child_name}" if path else child_name
        if isinstance(child, nn.Sequential):
            yield from _torch_modules(child, nn, child_path)
        else:
            yield child_path, child


def _linear_spec(module: Any, path: str, label: str, before: dict[str, Any] | None) -> dict[str, Any]:
    """The layer of an ``nn.Linear`` (identity until a ReLU follows), its shape checked against the layer *before*."""
    w = getattr(module, "weight", None)
    shape = _shape(w)
    if shape is None:
        raise InputError(f"{label}: weight is not a readable tensor (is the module uninitialized?)")
    if len(shape) != 2:
        raise InputError(f"{label}: weight has shape {shape}, expected out x in")
    if before is not None and shape[1] != before["width"]:
        raise ShapeError(f"{label}: takes {shape[1]} inputs but {before['label']} has {before['width']} outputs")
    b = module.bias
    return {
        "weights": _exact_matrix(_values(w, f"{label}: weight"), f"{label}: weight"),
        "bias": None if b is None else _exact_vector(_values(b, f"{label}: bias"), f"{label}: bias"),
        "activation": "identity",
        "width": shape[0],
        "label": f"module '{path}' (Linear)",
        "where": label,
    }


def network_from_torch(model: Any, *, activations: Sequence[str] | None = None, name: str | None = None) -> Network:
    """A :class:`~symrep.network.Network` from a PyTorch ``nn.Sequential`` or a state dict.

    Parameters
    ----------
    model
        Either a ``torch.nn.Sequential`` of ``Linear`` and ``ReLU`` modules
        (``Identity`` and ``Flatten`` are accepted as no-ops; nested
        ``Sequential`` modules are read in order), or a state dict: a mapping
        of ``N.weight`` / ``N.bias`` tensors (or NumPy arrays) for consecutive
        Linear layers, in order, as ``model.state_dict()`` returns them.
    activations
        For a state dict only, which records no activations: one of
        ``'relu'``/``'identity'`` per Linear layer.  **Required**: a state dict of
        a Tanh network would otherwise be read as ReLU.  A ``Sequential`` states
        its own activations, so giving them is an error.
    name
        The network's name (default: ``'Sequential'`` or ``'state dict'``), used in messages.

    Returns
    -------
    Network
        One layer per ``Linear``; ``weight`` is ``out x in``, as in symrep.
        Float weights are converted exactly (a float32 weight becomes the
        dyadic rational it is).  A ``Flatten`` in front of the first ``Linear``
        means the network takes the flattened (row-major) input.

    Raises
    ------
    InputError
        Naming the module or state-dict entry: unsupported modules (Conv2d,
        Sigmoid, ...), a ReLU before any Linear, unknown state-dict entries,
        NaN or infinite weights, shapes that do not chain.
    MissingDependency
        If ``model`` is not a mapping and PyTorch is not installed.

    Examples
    --------
    A state dict needs no PyTorch; its values may be NumPy arrays:

    >>> import numpy as np
    >>> sd = {"0.weight": np.array([[1.0, -1.0], [0.5, 0.0]], dtype=np.float32), "0.bias": np.zeros(2),
    ...       "2.weight": np.array([[1, 1]])}
    >>> net = network_from_torch(sd, activations=["relu", "identity"])
    >>> net.widths, [layer.activation for layer in net.layers]
    ((2, 2, 1), ['relu', 'identity'])
    >>> network_from_torch(sd, activations=["identity", "identity"]).layers[0].activation
    'identity'
    """
    if isinstance(model, Mapping):
        return _from_state_dict(model, activations, name or "state dict")
    torch = _require("torch", "torch")
    nn = torch.nn
    source = name or type(model).__name__
    own_module = isinstance(model, nn.Module) and not type(model).__module__.startswith("torch.")
    if not isinstance(model, nn.Sequential) and not own_module:
        raise InputError(
            f"{source}: a {type(model).__name__} is not an nn.Sequential; symrep reads nn.Sequential models of "
            "Linear and ReLU, nn.Module subclasses whose traced graph is such a chain, or a state dict "
            "(model.state_dict()) with the activations given"
        )
    if activations is not None:
        raise InputError(f"{source}: activations= is for state dicts; an nn.Module states its own (ReLU modules)")
    specs: list[dict[str, Any]] = []
    if isinstance(model, nn.Sequential):
        for path, module in _torch_modules(model, nn):
            _apply_module(module, nn, path, f"{source}: module '{path}' ({type(module).__name__})", specs)
    else:
        _apply_traced(model, torch, source, specs)
    if not specs:
        raise InputError(f"{source}: has no Linear layer")
    layers = [Layer(s["weights"], s["activation"], s["bias"], where=s["where"]) for s in specs]
    return Network(layers, name=source)


def _relu_after(specs: list[dict[str, Any]], label: str) -> None:
    if not specs:
        raise InputError(f"{label}: comes before any Linear; symrep's layers are activation(W x + b)")
    specs[-1]["activation"] = "relu"  # ReLU after ReLU changes nothing


def _apply_module(module: Any, nn: Any, path: str, label: str, specs: list[dict[str, Any]]) -> None:
    """Read one module of the chain into *specs* (a Linear opens a layer, a ReLU sets its activation)."""
    if isinstance(module, nn.Linear):
        specs.append(_linear_spec(module, path, label, specs[-1] if specs else None))
    elif isinstance(module, nn.ReLU):
        _relu_after(specs, label)
    elif isinstance(module, nn.Identity):
        pass
    elif isinstance(module, nn.Flatten):
        if module.start_dim != 1 or module.end_dim != -1:
            raise InputError(
                f"{label}: start_dim={module.start_dim}, end_dim={module.end_dim}; only Flatten(1, -1), which "
                "keeps one row per data point, is accepted"
            )
    elif type(module).__name__ in UNSUPPORTED_ACTIVATIONS:
        raise InputError(
            f"{label}: the activation {type(module).__name__} is not supported; symrep decides networks of "
            "ReLU and identity layers"
        )
    else:
        raise InputError(
            f"{label}: is not supported; symrep reads nn.Sequential models of Linear and ReLU "
            "(Identity and Flatten are accepted as no-ops)"
        )


def _apply_traced(model: Any, torch: Any, source: str, specs: list[dict[str, Any]]) -> None:
    """Read an ``nn.Module`` subclass from its ``torch.fx`` graph, which must be one chain from input to output."""
    try:
        graph = torch.fx.symbolic_trace(model).graph
    except (torch.fx.proxy.TraceError, TypeError, RuntimeError, AttributeError, NotImplementedError, ValueError) as e:
        raise InputError(f"{source}: its forward cannot be traced by torch.fx ({_first_line(e)}); "
                         "save an nn.Sequential or a state dict with --activations") from None
    relu_functions = {torch.relu, torch.nn.functional.relu, torch.relu_}
    current = None
    for node in graph.nodes:
        label = f"{source}: graph node {node.name!r} ({node.op} {getattr(node.target, '__name__', node.target)})"
        if node.op == "placeholder":
            if current is not None:
                raise InputError(f"{label}: a second input; symrep reads a single chain from one input")
            current = node
            continue
        tensors = [a for a in list(node.args) + list(node.kwargs.values()) if isinstance(a, torch.fx.Node)]
        if node.op == "get_attr" or tensors != [current]:
            raise InputError(f"{label}: does not take just the previous node's output; symrep reads a single chain")
        if node.op == "output":
            return
        if node.op == "call_module":
            module = model.get_submodule(node.target)
            _apply_module(module, torch.nn, str(node.target), f"{source}: module '{node.target}' ({type(module).__name__})",
                          specs)
        elif (node.op == "call_function" and node.target in relu_functions) or (
                node.op == "call_method" and node.target in ("relu", "relu_")):
            _relu_after(specs, label)
        elif node.op == "call_function" and node.target is torch.flatten and list(node.args[1:2]) in ([1], []):
            pass
        elif str(getattr(node.target, "__name__", node.target)).replace("_", "").lower() in _UNSUPPORTED_LOWER:
            raise InputError(f"{label}: the activation {getattr(node.target, '__name__', node.target)} is not supported; "
                             "symrep decides networks of ReLU and identity layers")
        else:
            raise InputError(f"{label}: is not supported; symrep reads chains of Linear and ReLU (activations other "
                             "than ReLU, such as tanh or sigmoid, are not decided)")
        current = node
    raise InputError(f"{source}: its traced graph has no output")  # pragma: no cover - torch.fx always ends in one


def load_torch(path: str | os.PathLike, *, key: str | None = None) -> Mapping:
    """Load a PyTorch state dict from a file, safely (``weights_only=True``, on the CPU).

    Turn it into a network with :func:`network_from_torch` (which takes the
    activations, since a state dict does not record them)::

        net = network_from_torch(load_torch("mlp.pt"), activations=["relu", "relu", "identity"])

    Parameters
    ----------
    path
        A file written by ``torch.save(model.state_dict(), path)``.
    key
        For a checkpoint that is a dict holding the state dict among other
        things (``{"model": state_dict, "epoch": 3}``): the entry to take.

    Returns
    -------
    Mapping
        The state dict (parameter name -> tensor), in file order.

    Raises
    ------
    InputError
        Naming the file: missing, not a PyTorch file, or holding more than
        tensors (a whole pickled model is refused: unpickling it could run any
        code; save ``model.state_dict()`` instead), or not a dict of tensors.
    MissingDependency
        If PyTorch is not installed.
    """
    torch = _require("torch", "torch")
    where = os.fspath(path)
    try:
        obj = torch.load(path, weights_only=True, map_location="cpu")
    except OSError as e:
        raise _open_error(where, e) from None
    except pickle.UnpicklingError:
        raise InputError(
            f"{where}: holds more than tensors (for example a whole pickled model), which symrep does not load "
            "because unpickling can run code; save model.state_dict() instead"
        ) from None
    except _NOT_A_TORCH_FILE as e:
        # torch.load documents no exception set: a file that is not its own gives (at least) RuntimeError from
        # the zip reader, EOFError when empty, KeyError or ValueError from the legacy format's magic number,
        # AssertionError for a legacy file whose storage keys do not match, MemoryError for absurd sizes.
        raise InputError(f"{where}: not a file written by torch.save ({type(e).__name__}: {_first_line(e)})") from None
    if key is not None:
        if not isinstance(obj, Mapping) or key not in obj:
            keys = list(obj) if isinstance(obj, Mapping) else []
            raise InputError(f"{where}: has no entry {key!r} (entries: {', '.join(map(repr, keys)) or 'none'})")
        obj = obj[key]
        where = f"{where}: {key!r}"
    if not isinstance(obj, Mapping):
        raise InputError(f"{where}: holds a {type(obj).__name__}, not a state dict (save model.state_dict())")
    for k, v in obj.items():
        if isinstance(v, Mapping):
            raise InputError(
                f"{where}: entry {k!r} is a dict; if the state dict is inside a checkpoint, choose it with "
                f"--key {k} (pass key={k!r} in Python)"
            )
        if not isinstance(v, torch.Tensor):
            raise InputError(f"{where}: entry {k!r} is a {type(v).__name__}, not a tensor")
    return obj

