"""Activation matrices from NumPy files (``.npy``, ``.npz``), read without unpickling and size-checked first.

Files are read with ``np.load(path, allow_pickle=False)``; before any data is read, the
``.npy`` header (or the header of every ``.npz`` member) is checked -- dtype, 2 dimensions,
and at most ``max_entries`` entries -- so a compressed ``.npz`` cannot make symrep allocate
a huge array.
"""

from __future__ import annotations

import importlib
import os
import zipfile
from pathlib import Path
from typing import Any

from symrep.errors import InputError
from symrep.exact.linalg import IntRows
from symrep.exact.numbers import Matrix, as_matrix
from symrep.imports.common import _first_line, _open_error, _require

#: Most entries an activation array may have unless ``max_entries`` says otherwise
#: (2**25, about 33 million: 3,300 neurons over 10,000 data points).
MAX_ENTRIES = 2**25

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
    >>> from fractions import Fraction
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

