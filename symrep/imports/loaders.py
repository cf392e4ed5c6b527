"""Importers: activation matrices from NumPy files, networks from PyTorch and ONNX.

Design note
-----------
Everything imported here becomes exact rationals, with no rounding anywhere:

* A binary float (float16, float32, float64, bfloat16, x87 long double) *is* a
  dyadic rational ``M * 2**e``, so it is converted to exactly that rational:
  the float32 weight ``0.1f`` becomes ``13421773/134217728``, not ``1/10``.
  NaN and infinities are input errors.  Whoever reports results of imported
  networks should say that float weights were converted exactly, so that a
  reader does not mistake them for the decimals they print as.
* Orientation is symrep's everywhere: an activation matrix has one row per
  neuron (``data_rows=True`` reads files whose rows are data points), and a
  layer's weights are ``out x in``, which is also PyTorch's ``Linear.weight``.
  ONNX stores layers in either orientation (``Gemm`` with ``transB``,
  ``MatMul`` with the data on the left or right); the importer tracks whether
  the tensor flowing along the chain has data points as rows or as columns and
  transposes the weights accordingly.

Files may come from strangers, so nothing here runs code from a file:

* NumPy files are read with ``np.load(path, allow_pickle=False)``; before any
  data is read, the ``.npy`` header (or the header of every ``.npz`` member) is
  checked -- dtype, 2 dimensions, and at most ``max_entries`` entries -- so a
  compressed ``.npz`` cannot make symrep allocate a huge array.
* PyTorch files are read only with ``torch.load(path, weights_only=True,
  map_location="cpu")``, which refuses anything but tensors and containers; a
  whole pickled ``nn.Module`` is refused with a hint to save its
  ``state_dict()``.
* ONNX files are protocol buffers, parsed by the ``onnx`` package without
  following references to external data files (such models are refused).

NumPy, PyTorch and ONNX are optional: each is imported inside the function that
needs it, and when missing a :class:`MissingDependency` error says which extra
to install (``pip install 'symrep[torch]'``).  A state dict whose values are
NumPy arrays needs no PyTorch at all.
"""

from __future__ import annotations

import importlib
import math
import os
import pickle
import zipfile
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from symrep.errors import InputError, MissingDependency, ShapeError
from symrep.exact.numbers import Matrix, as_matrix, as_vector
from symrep.exact.linalg import IntRows
from symrep.networks.network import ACTIVATIONS, Layer, Network

__all__ = [
    "MAX_ENTRIES",
    "MissingDependency",
    "load_activation_rows",
    "load_activations",
    "load_torch",
    "network_from_onnx",
    "network_from_torch",
]

#: Most entries an activation array may have unless ``max_entries`` says otherwise
#: (2**25, about 33 million: 3,300 neurons over 10,000 data points).
MAX_ENTRIES = 2**25


def _require(module: str, extra: str) -> Any:
    """Import *module*, or say which extra of symrep provides it.

    >>> _require("no_such_module_here", "torch")
    Traceback (most recent call last):
    ...
    symrep.errors.MissingDependency: this needs the optional package 'no_such_module_here': pip install 'symrep[torch]'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependency(f"this needs the optional package {module!r}: pip install 'symrep[{extra}]'") from None


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


# Python floats and ints from tensor.tolist() convert directly (Fraction(float) is exact);
# anything else, and NaN or infinity, goes through exact.as_matrix for its checks and messages.
_DIRECT = {float: Fraction, int: Fraction}


def _exact_matrix(values: Any, where: str) -> Matrix:
    """``as_matrix(values, where)``, about twice as fast for nested lists of plain floats and ints."""
    try:
        return tuple(tuple(_DIRECT[type(x)](x) for x in row) for row in values)
    except (KeyError, TypeError, ValueError, OverflowError):
        return as_matrix(values, where)


def _exact_vector(values: Any, where: str) -> tuple[Fraction, ...]:
    try:
        return tuple(_DIRECT[type(x)](x) for x in values)
    except (KeyError, TypeError, ValueError, OverflowError):
        return as_vector(values, where)


def _open_error(where: str, e: OSError) -> InputError:
    if isinstance(e, FileNotFoundError):
        return InputError(f"{where}: no such file")
    if isinstance(e, IsADirectoryError):
        return InputError(f"{where}: is a directory, not a file")
    return InputError(f"{where}: cannot read the file ({e.strerror or e})")


# --- NumPy activation files ----------------------------------------------------------------

_NPY_MAGIC = b"\x93NUMPY"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


def _read_header(np: Any, fp: Any) -> tuple[tuple[int, ...], Any] | None:
    """Shape and dtype from a ``.npy`` header (no data is read), or None if the format is newer."""
    fmt = np.lib.format
    version = fmt.read_magic(fp)
    if version == (1, 0):
        shape, _, dtype = fmt.read_array_header_1_0(fp)
    elif version == (2, 0):
        shape, _, dtype = fmt.read_array_header_2_0(fp)
    else:  # version 3.0 (utf-8 field names) has no public header reader
        reader = getattr(fmt, "_read_array_header", None)
        if reader is None:  # NumPy 2 keeps it here
            reader = getattr(importlib.import_module("numpy.lib._format_impl"), "_read_array_header", None)
        if reader is None:  # pragma: no cover - depends on the NumPy version; the array is checked after loading
            return None
        shape, _, dtype = reader(fp, version)
    return tuple(shape), dtype


def _check_dtype(dtype: Any, where: str) -> None:
    kind = dtype.kind
    if kind in "iuf":
        return
    if kind == "b":
        raise InputError(f"{where}: holds booleans, not numbers")
    if kind == "c":
        raise InputError(f"{where}: holds complex numbers; symrep works over the rationals")
    if kind == "O":
        raise InputError(
            f"{where}: holds Python objects (a pickled array); symrep reads only arrays of numbers and never unpickles"
        )
    raise InputError(f"{where}: has dtype {dtype}, not real numbers (expected integers or floats)")


def _check_shape(shape: tuple[int, ...], where: str, data_rows: bool, max_entries: int | None) -> None:
    rows = "data point" if data_rows else "neuron"
    cols = "neuron" if data_rows else "data point"
    if len(shape) != 2:
        hint = f" (one row per {rows}, one column per {cols})"
        if len(shape) == 1:
            hint += "; for a single row use arr.reshape(1, -1)"
        raise InputError(f"{where}: is {len(shape)}-D (shape {shape}); an activation matrix is 2-D{hint}")
    if shape[0] == 0 or shape[1] == 0:
        raise InputError(f"{where}: has no entries (shape {shape})")
    if max_entries is not None and shape[0] * shape[1] > max_entries:
        raise InputError(
            f"{where}: has {shape[0] * shape[1]} entries (shape {shape}), more than the bound of {max_entries}; "
            "pass a larger max_entries to read it"
        )


def _checked_rows(np: Any, arr: Any, where: str, data_rows: bool, max_entries: int | None) -> IntRows:
    """Exact integer rows of a NumPy array, after checking everything a stranger's file could get wrong."""
    if not isinstance(arr, np.ndarray):
        raise InputError(f"{where}: is not a NumPy array")
    _check_dtype(arr.dtype, where)
    _check_shape(arr.shape, where, data_rows, max_entries)
    if arr.dtype.kind == "f":
        finite = np.isfinite(arr)
        if not finite.all():
            i, j = (int(k) for k in np.argwhere(~finite)[0])
            raise InputError(
                f"{where}: entry [{i}, {j}] is {float(arr[i, j])}, not a finite number (NaN and infinities are not accepted)"
            )
    m = arr.T if data_rows else arr
    if m.dtype.kind == "f" and np.finfo(m.dtype).nmant > np.finfo(np.float64).nmant:
        # Long double: more mantissa bits than float64, so convert entry by entry (exactly).
        return IntRows.of(as_matrix(m.tolist(), where))
    try:
        return IntRows.from_array(m)
    except ValueError as e:  # pragma: no cover - the checks above leave nothing for it to refuse
        raise InputError(f"{where}: {e}") from None


def _npz_members(np: Any, path: str, where: str, data_rows: bool, max_entries: int | None) -> list[str]:
    """Names of the arrays in an ``.npz`` file, in file order, each header checked before any data is read."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = []
            for info in infos:
                key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
                at = f"{where}: array {key!r}"
                if key in names:
                    raise InputError(f"{at}: appears twice in the archive")
                with zf.open(info) as fp:
                    if fp.read(len(_NPY_MAGIC)) != _NPY_MAGIC:
                        raise InputError(f"{at}: is not a NumPy array (member {info.filename!r} of the archive)")
                with zf.open(info) as fp:
                    header = _read_header(np, fp)
                if header is not None:
                    _check_dtype(header[1], at)
                    _check_shape(header[0], at, data_rows, max_entries)
                names.append(key)
    except InputError:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, RuntimeError) as e:
        raise InputError(f"{where}: not a readable .npz file ({_first_line(e)})") from None
    if not names:
        raise InputError(f"{where}: the .npz file holds no arrays")
    return names


def load_activation_rows(
    path: str | os.PathLike, *, data_rows: bool = False, max_entries: int | None = MAX_ENTRIES
) -> dict[str, IntRows]:
    """Activation matrices from a ``.npy`` or ``.npz`` file as exact integer rows.

    The fast path of :func:`load_activations`: the same checks and the same exact
    values, kept as :class:`~symrep.linalg.IntRows` (``row i == ints[i] / scale[i]``),
    which is what symrep's linear algebra works on, without building one
    ``Fraction`` per entry.

    Parameters
    ----------
    path
        A ``.npy`` file (one array, named after the file's stem) or an ``.npz``
        file (every array, in the order stored).  The kind is told by the file's
        content, not its name.
    data_rows
        False (the default): rows are neurons and columns data points, as
        everywhere in symrep.  True: rows are data points (the array is transposed).
    max_entries
        Refuse arrays with more entries than this (checked from the header,
        before any data is read); None for no bound.

    Returns
    -------
    dict
        Array name -> :class:`~symrep.linalg.IntRows` with one row per neuron.

    Raises
    ------
    InputError
        Naming the file and the array: missing or unreadable file, not a NumPy
        file, an array that is not 2-D, empty, of booleans, complex numbers,
        strings or Python objects, or holding NaN or infinity.
    MissingDependency
        If NumPy is not installed.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> np.save(os.path.join(d, "hidden.npy"), np.array([[0.5, 0], [3, 0.1]], dtype=np.float32))
    >>> rows = load_activation_rows(os.path.join(d, "hidden.npy"))["hidden"]
    >>> rows.ints, rows.scale
    ([[1, 0], [402653184, 13421773]], [2, 134217728])
    """
    np = _require("numpy", "numpy")
    where = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            magic = fh.read(len(_NPY_MAGIC))
            if magic == _NPY_MAGIC:
                fh.seek(0)
                header = _read_header(np, fh)
            else:
                header = None
    except OSError as e:
        raise _open_error(where, e) from None
    except ValueError as e:
        raise InputError(f"{where}: not a readable .npy file ({_first_line(e)})") from None
    if magic == _NPY_MAGIC:
        name = Path(path).stem
        at = f"{where}: array {name!r}"
        if header is not None:
            _check_dtype(header[1], at)
            _check_shape(header[0], at, data_rows, max_entries)
        try:
            arr = np.load(path, allow_pickle=False)
        except (ValueError, EOFError, OSError) as e:
            raise InputError(f"{at}: cannot be read ({_first_line(e)})") from None
        return {name: _checked_rows(np, arr, at, data_rows, max_entries)}
    if not magic.startswith(_ZIP_MAGICS):
        raise InputError(f"{where}: not a NumPy .npy or .npz file")
    names = _npz_members(np, where, where, data_rows, max_entries)
    out = {}
    try:
        with np.load(path, allow_pickle=False) as npz:
            for key in names:
                at = f"{where}: array {key!r}"
                try:
                    arr = npz[key]
                except (ValueError, EOFError, OSError, zipfile.BadZipFile, KeyError) as e:
                    raise InputError(f"{at}: cannot be read ({_first_line(e)})") from None
                out[key] = _checked_rows(np, arr, at, data_rows, max_entries)
    except OSError as e:
        raise _open_error(where, e) from None
    return out


def load_activations(
    path: str | os.PathLike, *, data_rows: bool = False, max_entries: int | None = MAX_ENTRIES
) -> dict[str, Matrix]:
    """Activation matrices from a ``.npy`` or ``.npz`` file, converted exactly to fractions.

    Parameters
    ----------
    path
        A ``.npy`` file (one array, named after the file's stem) or an ``.npz``
        file (every array, in the order stored).
    data_rows
        False (the default): rows are neurons, columns data points.  True: rows
        are data points (the array is transposed).
    max_entries
        Refuse arrays with more entries than this (checked before reading); None for no bound.

    Returns
    -------
    dict
        Array name -> matrix (tuple of rows of ``Fraction``), one row per neuron.
        Integers are kept; a binary float becomes exactly the rational it is.

    Raises
    ------
    InputError
        See :func:`load_activation_rows`.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "acts.npz")
    >>> np.savez(f, layer1=np.array([[1, 2, 3]]), layer2=np.array([[0.5], [0.1]], dtype=np.float32))
    >>> acts = load_activations(f)
    >>> list(acts), acts["layer1"]
    (['layer1', 'layer2'], ((Fraction(1, 1), Fraction(2, 1), Fraction(3, 1)),))
    >>> acts["layer2"][1][0] == Fraction(float(np.float32(0.1))) == Fraction(13421773, 134217728)
    True
    >>> load_activations(f, data_rows=True)["layer2"]   # rows were data points: one neuron
    ((Fraction(1, 2), Fraction(13421773, 134217728)),)
    """
    return {k: v.fractions() for k, v in load_activation_rows(path, data_rows=data_rows, max_entries=max_entries).items()}


# --- PyTorch ----------------------------------------------------------------------------------


def _shape(value: Any) -> tuple[int, ...] | None:
    """The shape of a tensor or array (None for anything else, or an uninitialized lazy parameter)."""
    try:
        shape = getattr(value, "shape", None)
        if shape is None or not callable(getattr(value, "tolist", None)):
            return None
        return tuple(int(n) for n in shape)
    except Exception:
        return None


def _values(value: Any, where: str) -> Any:
    """Nested lists of Python numbers from a tensor or array (floats stay exact floats)."""
    detach = getattr(value, "detach", None)
    try:
        if callable(detach):
            value = detach().cpu()
        return value.tolist()
    except Exception as e:  # e.g. a tensor on the meta device, or an uninitialized lazy parameter
        raise InputError(f"{where}: cannot read the values ({_first_line(e)})") from None


def _check_activations(activations: Any, n: int, where: str) -> list[str]:
    if activations is None:
        return ["relu"] * (n - 1) + ["identity"]
    if isinstance(activations, str) or not isinstance(activations, Sequence):
        raise InputError(
            f"{where}: activations must be a list with one entry per layer, such as {['relu'] * (n - 1) + ['identity']}"
        )
    if len(activations) != n:
        raise InputError(f"{where}: activations has {len(activations)} entries but there are {n} Linear layers")
    for i, a in enumerate(activations):
        if a not in ACTIVATIONS:
            raise InputError(f"{where}: activations[{i}] is {a!r}, not one of {', '.join(ACTIVATIONS)}")
    return list(activations)


def _from_state_dict(sd: Mapping, activations: Any, source: str) -> Network:
    groups: dict[str, dict[str, Any]] = {}
    for key, value in sd.items():
        if not isinstance(key, str):
            raise InputError(f"{source}: key {key!r} is not a parameter name such as '0.weight'")
        prefix, _, leaf = key.rpartition(".")
        if isinstance(value, Mapping):
            raise InputError(
                f"{source}: entry {key!r} is itself a dict; for a checkpoint holding a state dict, pass that entry "
                "(for example load_torch(path, key=...))"
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
    acts = _check_activations(activations, len(groups), source)
    layers = []
    previous = None
    for (prefix, g), activation in zip(groups.items(), acts):
        name = f"{prefix}.weight" if prefix else "weight"
        if "weight" not in g:
            raise InputError(f"{source}: {prefix + '.' if prefix else ''}bias has no {name}")
        shape = _shape(g["weight"])
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
        layers.append(Layer(weights, activation, bias, where=f"{source}: {prefix or 'layer'}"))
        previous = (name, shape[0])
    return Network(layers, name=source)


def _torch_modules(module: Any, nn: Any, path: str = ""):
    for child_name, child in module.named_children():
        child_path = f"{path}.{child_name}" if path else child_name
        if isinstance(child, nn.Sequential):
            yield from _torch_modules(child, nn, child_path)
        else:
            yield child_path, child


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
        ``'relu'``/``'identity'`` per Linear layer.  **Default: 'relu' for every
        layer but the last, 'identity' for the last.**  A ``Sequential`` states
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
    >>> net = network_from_torch(sd)
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
    if not isinstance(model, nn.Sequential):
        raise InputError(
            f"{source}: a {type(model).__name__} is not an nn.Sequential; symrep reads nn.Sequential models of "
            "Linear and ReLU, or a state dict (model.state_dict()) with the activations given"
        )
    if activations is not None:
        raise InputError(f"{source}: activations= is for state dicts; an nn.Sequential states its own (ReLU modules)")
    specs: list[dict[str, Any]] = []
    for path, module in _torch_modules(model, nn):
        label = f"{source}: module '{path}' ({type(module).__name__})"
        if isinstance(module, nn.Linear):
            w = getattr(module, "weight", None)
            shape = _shape(w)
            if shape is None:
                raise InputError(f"{label}: weight is not a readable tensor (is the module uninitialized?)")
            if len(shape) != 2:
                raise InputError(f"{label}: weight has shape {shape}, expected out x in")
            if specs and shape[1] != specs[-1]["width"]:
                raise ShapeError(f"{label}: takes {shape[1]} inputs but {specs[-1]['label']} has {specs[-1]['width']} outputs")
            b = module.bias
            specs.append(
                {
                    "weights": _exact_matrix(_values(w, f"{label}: weight"), f"{label}: weight"),
                    "bias": None if b is None else _exact_vector(_values(b, f"{label}: bias"), f"{label}: bias"),
                    "activation": "identity",
                    "width": shape[0],
                    "label": f"module '{path}' (Linear)",
                    "where": label,
                }
            )
        elif isinstance(module, nn.ReLU):
            if not specs:
                raise InputError(f"{label}: comes before any Linear; symrep's layers are activation(W x + b)")
            specs[-1]["activation"] = "relu"  # ReLU after ReLU changes nothing
        elif isinstance(module, nn.Identity):
            pass
        elif isinstance(module, nn.Flatten):
            if module.start_dim != 1 or module.end_dim != -1:
                raise InputError(
                    f"{label}: start_dim={module.start_dim}, end_dim={module.end_dim}; only Flatten(1, -1), which "
                    "keeps one row per data point, is accepted"
                )
        else:
            raise InputError(
                f"{label}: is not supported; symrep reads nn.Sequential models of Linear and ReLU "
                "(Identity and Flatten are accepted as no-ops)"
            )
    if not specs:
        raise InputError(f"{source}: has no Linear layer")
    layers = [Layer(s["weights"], s["activation"], s["bias"], where=s["where"]) for s in specs]
    return Network(layers, name=source)


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
    except Exception as e:  # torch raises RuntimeError, EOFError, ValueError ... for files that are not its own
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
                f"{where}: entry {k!r} is a dict; if the state dict is inside a checkpoint, pass key={k!r}"
            )
        if not isinstance(v, torch.Tensor):
            raise InputError(f"{where}: entry {k!r} is a {type(v).__name__}, not a tensor")
    return obj


# --- ONNX -------------------------------------------------------------------------------------

_ONNX_OPS = "Gemm, MatMul, Add, Relu, Identity and Flatten"


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
    try:
        model = onnx.load_model_from_string(data)
    except Exception as e:  # protobuf's DecodeError and friends
        raise InputError(f"{where}: not an ONNX model ({_first_line(e)})") from None
    return model, name or where


def _attributes(onnx: Any, node: Any, where: str, allowed: dict[str, Any]) -> dict[str, Any]:
    out = dict(allowed)
    for attr in node.attribute:
        if attr.name not in allowed:
            raise InputError(f"{where}: attribute {attr.name!r} is not supported")
        out[attr.name] = onnx.helper.get_attribute_value(attr)
    return out


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
    g = model.graph
    initializers = {t.name: t for t in g.initializer}
    constants: dict[str, Any] = {}

    def constant(tensor_name: str, where: str) -> Any:
        if tensor_name in constants:
            return constants[tensor_name]
        t = initializers.get(tensor_name)
        if t is None:
            raise InputError(
                f"{where}: input {tensor_name!r} is neither the output of the previous node on the chain nor a "
                "constant (initializer or Constant node)"
            )
        if onnx.external_data_helper.uses_external_data(t):
            raise InputError(f"{where}: initializer {tensor_name!r} keeps its data in an external file, which symrep does not read")
        try:
            constants[tensor_name] = onnx.numpy_helper.to_array(t)
        except Exception as e:
            raise InputError(f"{where}: initializer {tensor_name!r} cannot be read ({_first_line(e)})") from None
        return constants[tensor_name]

    inputs = [i for i in g.input if i.name not in initializers]
    if len(inputs) != 1:
        raise InputError(
            f"{source}: has {len(inputs)} graph inputs ({', '.join(repr(i.name) for i in inputs) or 'none'}); "
            "symrep reads a single chain from one input"
        )
    if len(g.output) != 1:
        raise InputError(f"{source}: has {len(g.output)} graph outputs; symrep reads a single chain to one output")
    chain = _Chain(source)
    if inputs[0].type.HasField("tensor_type") and inputs[0].type.tensor_type.HasField("shape"):
        dims = inputs[0].type.tensor_type.shape.dim
        chain.rank = len(dims)
        if chain.rank < 2:
            raise InputError(f"{source}: the graph input {inputs[0].name!r} has {chain.rank} dimensions; expected (data points, features)")
        if all(d.HasField("dim_value") for d in dims[1:]):
            chain.flat_width = math.prod(d.dim_value for d in dims[1:])
    else:
        chain.rank = None
    current = inputs[0].name

    for index, node in enumerate(g.node):
        op = node.op_type
        where = f"{source}: node {node.name!r} ({op})" if node.name else f"{source}: node {index} ({op})"
        label = f"node {node.name!r} ({op})" if node.name else f"node {index} ({op})"
        if node.domain not in ("", "ai.onnx") or op not in ("Constant", "Gemm", "MatMul", "Add", "Relu", "Identity", "Flatten"):
            raise InputError(f"{where}: is not supported; symrep reads single chains of {_ONNX_OPS}")
        if op == "Constant":
            if len(node.attribute) != 1 or node.attribute[0].name not in ("value", "value_float", "value_floats", "value_int", "value_ints"):
                raise InputError(f"{where}: only constants given by 'value' or numbers are supported")
            value = onnx.helper.get_attribute_value(node.attribute[0])
            if node.attribute[0].name != "value":
                constants[node.output[0]] = np.array(value)
            elif onnx.external_data_helper.uses_external_data(value):
                raise InputError(f"{where}: keeps its data in an external file, which symrep does not read")
            else:
                try:
                    constants[node.output[0]] = onnx.numpy_helper.to_array(value)
                except Exception as e:
                    raise InputError(f"{where}: its value cannot be read ({_first_line(e)})") from None
            continue
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
        data_at = ins.index(current)
        if op == "Gemm":
            a = _attributes(onnx, node, where, {"alpha": 1.0, "beta": 1.0, "transA": 0, "transB": 0, "broadcast": 1})
            alpha = as_vector([a["alpha"]], f"{where}: alpha")[0]
            beta = as_vector([a["beta"]], f"{where}: beta")[0]
            if data_at == 0:  # Y = A' B' with A' the data, data points as rows
                if (a["transA"] != 0) == chain.rows:
                    raise InputError(f"{where}: would multiply data points with each other (check transA)")
                w = _matrix(constant(ins[1], where), f"{where}: {ins[1]!r}")
                weights = w if a["transB"] else _transpose(w)  # W = B'^T, out x in
                rows_out = True
            elif data_at == 1:  # Y = A' B' with B' the data, data points as columns
                if (a["transB"] != 0) != chain.rows:
                    raise InputError(f"{where}: would multiply data points with each other (check transB)")
                w = _matrix(constant(ins[0], where), f"{where}: {ins[0]!r}")
                weights = _transpose(w) if a["transA"] else w
                rows_out = False
            else:
                raise InputError(f"{where}: the data enters as the bias C; symrep reads it only as A or B")
            chain.add_layer([[alpha * x for x in row] for row in weights], where, label)
            chain.rows = rows_out
            if len(ins) == 3:
                _add_bias(chain, constant(ins[2], where), beta, where, f"C {ins[2]!r}")
        elif op == "MatMul":
            _attributes(onnx, node, where, {})
            if data_at == 0:
                if not chain.rows:
                    raise InputError(f"{where}: would multiply data points with each other (data on the left must have data points as rows)")
                weights = _transpose(_matrix(constant(ins[1], where), f"{where}: {ins[1]!r}"))
            else:
                if chain.rows:
                    raise InputError(f"{where}: would multiply data points with each other (data on the right must have data points as columns)")
                weights = _matrix(constant(ins[0], where), f"{where}: {ins[0]!r}")
            chain.add_layer(weights, where, label)
            chain.rows = data_at == 0
        elif op == "Add":
            _attributes(onnx, node, where, {})
            if chain.open_layer() is None:
                raise InputError(
                    f"{where}: adds a constant where there is no Gemm or MatMul right before it; "
                    "symrep's layers are activation(W x + b)"
                )
            other = ins[1 - data_at]
            _add_bias(chain, constant(other, where), Fraction(1), where, repr(other))
        elif op == "Relu":
            _attributes(onnx, node, where, {})
            if not chain.layers:
                raise InputError(f"{where}: comes before any Gemm or MatMul; symrep's layers are activation(W x + b)")
            chain.layers[-1]["activation"] = "relu"  # Relu after Relu changes nothing
        elif op == "Identity":
            _attributes(onnx, node, where, {})
        elif op == "Flatten":
            a = _attributes(onnx, node, where, {"axis": 1})
            rank = 2 if chain.rank is None else chain.rank
            axis = a["axis"] + rank if a["axis"] < 0 else a["axis"]
            if axis != 1:
                raise InputError(f"{where}: axis={a['axis']} does not keep one row per data point; only axis=1 is accepted")
            if rank != 2 and (chain.layers or not chain.rows):
                raise InputError(f"{where}: flattens a tensor of {rank} dimensions in the middle of the chain")
            chain.rank = 2
        current = node.output[0]

    if current != g.output[0].name:
        raise InputError(f"{source}: the chain ends at {current!r}, not at the graph output {g.output[0].name!r}")
    if not chain.layers:
        raise InputError(f"{source}: has no Gemm or MatMul layer")
    layers = [Layer(s["weights"], s["activation"] or "identity", s["bias"], where=s["where"]) for s in chain.layers]
    return Network(layers, name=source)


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
