"""Activation matrices from NumPy files (``.npy``, ``.npz``), read without unpickling and size-checked first.

Files are read with ``np.load(path, allow_pickle=False)``; before any data is read, the
``.npy`` header (or the header of every ``.npz`` member) is checked -- dtype, 2 dimensions,
at most ``max_entries`` entries per array, at most ``max_arrays`` arrays and ``max_total``
entries in all -- so a compressed ``.npz`` cannot make symrep allocate a huge array.

Orientation: an array in a file has one row per data point and one column per neuron
(``points-by-neurons``), as NumPy, scikit-learn, PyTorch and netrep store activations;
``layout="neurons-by-points"`` reads the transpose.  Inside symrep an activation matrix has one
row per neuron, so the default layout is transposed on reading; :class:`ArrayInfo` says how
each array was read, for reports ("a.npz:hidden1 read as 200 points x 32 neurons").
"""

from __future__ import annotations

import importlib
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from symrep.errors import InputError
from symrep.exact.linalg import IntRows
from symrep.exact.numbers import Matrix, as_matrix
from symrep.imports.common import _first_line, _open_error, _require

#: Most entries one activation array may have unless ``max_entries`` says otherwise
#: (2**26, about 67 million: a 20,000 x 2,000 float32 dump has 40 million).
MAX_ENTRIES = 2**26
#: Most entries all the arrays of one file may have together (2**27, about 134 million).
MAX_TOTAL = 2**27
#: Most arrays one ``.npz`` file may hold.
MAX_ARRAYS = 4096

#: The two layouts of an activation array in a file: rows are data points (the default), or neurons.
POINTS_BY_NEURONS = "points-by-neurons"
NEURONS_BY_POINTS = "neurons-by-points"
LAYOUTS = (POINTS_BY_NEURONS, NEURONS_BY_POINTS)


@dataclass(frozen=True)
class Bounds:
    """The sizes a file may have before symrep reads its data (None: no bound).

    >>> Bounds().max_entries == 2**26 and Bounds(max_entries=None).max_entries is None
    True
    """

    max_entries: int | None = MAX_ENTRIES
    max_total: int | None = MAX_TOTAL
    max_arrays: int | None = MAX_ARRAYS


@dataclass(frozen=True)
class ArrayInfo:
    """How one array of a file was read: its name, stored shape, layout, and so points and neurons.

    >>> ArrayInfo("a.npz", "hidden1", (200, 32), "points-by-neurons").text()
    'a.npz:hidden1 read as 200 points x 32 neurons'
    >>> ArrayInfo("h.npy", "h", (32, 200), "neurons-by-points").points
    200
    """

    file: str
    name: str
    shape: tuple[int, int]
    layout: str

    @property
    def points(self) -> int:
        return self.shape[0] if self.layout == POINTS_BY_NEURONS else self.shape[1]

    @property
    def neurons(self) -> int:
        return self.shape[1] if self.layout == POINTS_BY_NEURONS else self.shape[0]

    def text(self) -> str:
        return f"{self.file}:{self.name} read as {self.points} points x {self.neurons} neurons"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "array": self.name, "shape": list(self.shape), "layout": self.layout,
                "points": self.points, "neurons": self.neurons, "read_as": self.text()}


@dataclass(frozen=True)
class ActivationFile:
    """The arrays of one activation file (one row per neuron), how each was read, and whether it was a lone ``.npy``."""

    path: str
    arrays: dict[str, IntRows]
    info: dict[str, ArrayInfo]
    single: bool


def resolve_layout(layout: str | None, data_rows: bool | None = None) -> str:
    """The layout to read, from ``layout`` or the older ``data_rows`` flag (True: rows are data points).

    >>> resolve_layout(None), resolve_layout(None, data_rows=False)
    ('points-by-neurons', 'neurons-by-points')
    """
    if data_rows is not None:
        wanted = POINTS_BY_NEURONS if data_rows else NEURONS_BY_POINTS
        if layout is not None and layout != wanted:
            raise InputError(f"layout {layout!r} and data_rows={data_rows} disagree; give one of them")
        return wanted
    if layout is None:
        return POINTS_BY_NEURONS
    if layout not in LAYOUTS:
        raise InputError(f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    return layout


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


def _check_shape(shape: tuple[int, ...], where: str, layout: str, bounds: "Bounds") -> None:
    rows, cols = ("data point", "neuron") if layout == POINTS_BY_NEURONS else ("neuron", "data point")
    if len(shape) != 2:
        hint = f" (one row per {rows}, one column per {cols}: --layout {layout})"
        if len(shape) == 1:
            hint += "; for a single row use arr.reshape(1, -1)"
        raise InputError(f"{where}: is {len(shape)}-D (shape {shape}); an activation matrix is 2-D{hint}")
    if shape[0] == 0 or shape[1] == 0:
        raise InputError(f"{where}: has no entries (shape {shape})")
    if bounds.max_entries is not None and shape[0] * shape[1] > bounds.max_entries:
        raise InputError(
            f"{where}: has {shape[0] * shape[1]} entries (shape {shape}), more than the bound of {bounds.max_entries}; "
            "raise it with --max-entries N (max_entries= in Python) to read it"
        )


def _checked_rows(np: Any, arr: Any, where: str, layout: str, bounds: "Bounds") -> IntRows:
    """Exact integer rows (one per neuron) of a NumPy array, after checking everything a stranger's file could get wrong."""
    if not isinstance(arr, np.ndarray):
        raise InputError(f"{where}: is not a NumPy array")
    _check_dtype(arr.dtype, where)
    _check_shape(arr.shape, where, layout, bounds)
    if arr.dtype.kind == "f":
        finite = np.isfinite(arr)
        if not finite.all():
            i, j = (int(k) for k in np.argwhere(~finite)[0])
            raise InputError(
                f"{where}: entry [{i}, {j}] is {float(arr[i, j])}, not a finite number (NaN and infinities are not accepted)"
            )
    m = arr.T if layout == POINTS_BY_NEURONS else arr
    if m.dtype.kind == "f" and np.finfo(m.dtype).nmant > np.finfo(np.float64).nmant:
        # Long double: more mantissa bits than float64, so convert entry by entry (exactly).
        return IntRows.of(as_matrix(m.tolist(), where))
    try:
        return IntRows.from_array(m)
    except ValueError as e:  # pragma: no cover - the checks above leave nothing for it to refuse
        raise InputError(f"{where}: {e}") from None


class _Total:
    """The entries of one file counted so far, against ``bounds.max_total``."""

    def __init__(self, where: str, bounds: "Bounds"):
        self.where, self.bounds, self.entries = where, bounds, 0

    def add(self, shape: tuple[int, ...], at: str) -> None:
        self.entries += math.prod(shape)
        if self.bounds.max_total is not None and self.entries > self.bounds.max_total:
            raise InputError(
                f"{at}: brings the arrays of {self.where} to {self.entries} entries in all, more than the bound of "
                f"{self.bounds.max_total}; raise it with --max-total N (max_total= in Python) to read the file"
            )


def _npz_members(np: Any, path: str, where: str, layout: str, bounds: "Bounds") -> tuple[list[str], dict[str, tuple]]:
    """Names and shapes of the arrays in an ``.npz`` file, in file order, each header checked before any data is read."""
    total = _Total(where, bounds)
    shapes: dict[str, tuple] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if bounds.max_arrays is not None and len(infos) > bounds.max_arrays:
                raise InputError(
                    f"{where}: holds {len(infos)} arrays, more than the bound of {bounds.max_arrays}; "
                    "raise it with --max-arrays N (max_arrays= in Python) to read it"
                )
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
                    _check_shape(header[0], at, layout, bounds)
                    total.add(header[0], at)
                    shapes[key] = header[0]
                names.append(key)
    except InputError:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, RuntimeError) as e:
        raise InputError(f"{where}: not a readable .npz file ({_first_line(e)})") from None
    if not names:
        raise InputError(f"{where}: the .npz file holds no arrays")
    return names, shapes


def _read_npy(np: Any, path: str | os.PathLike, where: str, header: Any, layout: str, bounds: Bounds) -> ActivationFile:
    name = Path(path).stem
    at = f"{where}: array {name!r}"
    if header is not None:
        _check_dtype(header[1], at)
        _check_shape(header[0], at, layout, bounds)
        _Total(where, bounds).add(header[0], at)
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, EOFError, OSError) as e:
        raise InputError(f"{at}: cannot be read ({_first_line(e)})") from None
    rows = _checked_rows(np, arr, at, layout, bounds)
    shape = (int(arr.shape[0]), int(arr.shape[1]))
    return ActivationFile(where, {name: rows}, {name: ArrayInfo(where, name, shape, layout)}, True)


def _read_npz(np: Any, path: str | os.PathLike, where: str, layout: str, bounds: Bounds) -> ActivationFile:
    names, _ = _npz_members(np, where, where, layout, bounds)
    out, info = {}, {}
    try:
        with np.load(path, allow_pickle=False) as npz:
            for key in names:
                at = f"{where}: array {key!r}"
                try:
                    arr = npz[key]
                except (ValueError, EOFError, OSError, zipfile.BadZipFile, KeyError) as e:
                    raise InputError(f"{at}: cannot be read ({_first_line(e)})") from None
                out[key] = _checked_rows(np, arr, at, layout, bounds)
                info[key] = ArrayInfo(where, key, (int(arr.shape[0]), int(arr.shape[1])), layout)
    except OSError as e:
        raise _open_error(where, e) from None
    return ActivationFile(where, out, info, False)


def read_activation_file(
    path: str | os.PathLike, *, layout: str | None = None, data_rows: bool | None = None, bounds: Bounds | None = None
) -> ActivationFile:
    """The arrays of a ``.npy`` or ``.npz`` file as exact integer rows (one per neuron), with how each was read.

    Parameters
    ----------
    path
        A ``.npy`` file (one array, named after the file's stem) or an ``.npz``
        file (every array, in the order stored).  The kind is told by the file's
        content, not its name.
    layout
        ``"points-by-neurons"`` (the default: one row per data point, as NumPy,
        scikit-learn and PyTorch store activations) or ``"neurons-by-points"``.
    data_rows
        The older flag: True is ``"points-by-neurons"``, False ``"neurons-by-points"``.
    bounds
        The sizes checked from the headers before any data is read (:class:`Bounds`).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "acts.npz")
    >>> np.savez(f, hidden=np.zeros((5, 3)))          # 5 data points, 3 neurons
    >>> got = read_activation_file(f)
    >>> len(got.arrays["hidden"]), got.info["hidden"].text().endswith("hidden read as 5 points x 3 neurons")
    (3, True)
    """
    np = _require("numpy", "numpy")
    where = os.fspath(path)
    layout = resolve_layout(layout, data_rows)
    bounds = Bounds() if bounds is None else bounds
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
        return _read_npy(np, path, where, header, layout, bounds)
    if not magic.startswith(_ZIP_MAGICS):
        raise InputError(f"{where}: not a NumPy .npy or .npz file")
    return _read_npz(np, path, where, layout, bounds)


def _bounds(max_entries: int | None, max_total: int | None, max_arrays: int | None) -> Bounds:
    return Bounds(max_entries, max_total, max_arrays)


def load_activation_rows(
    path: str | os.PathLike, *, layout: str | None = None, data_rows: bool | None = None,
    max_entries: int | None = MAX_ENTRIES, max_total: int | None = MAX_TOTAL, max_arrays: int | None = MAX_ARRAYS,
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
    layout
        ``"points-by-neurons"`` (the default): rows of the stored array are data
        points and columns neurons, as NumPy, scikit-learn and PyTorch store
        activations (the array is transposed on reading).  ``"neurons-by-points"``:
        rows are neurons.
    data_rows
        The older flag for the same choice: True is ``"points-by-neurons"``, False
        ``"neurons-by-points"``.
    max_entries, max_total, max_arrays
        Refuse arrays with more entries than *max_entries*, files whose arrays have
        more than *max_total* entries in all or more than *max_arrays* arrays
        (checked from the headers, before any data is read); None for no bound.

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
    >>> rows = load_activation_rows(os.path.join(d, "hidden.npy"), layout="neurons-by-points")["hidden"]
    >>> rows.ints, rows.scale
    ([[1, 0], [402653184, 13421773]], [2, 134217728])
    """
    bounds = _bounds(max_entries, max_total, max_arrays)
    return read_activation_file(path, layout=layout, data_rows=data_rows, bounds=bounds).arrays


def load_activations(
    path: str | os.PathLike, *, layout: str | None = None, data_rows: bool | None = None,
    max_entries: int | None = MAX_ENTRIES, max_total: int | None = MAX_TOTAL, max_arrays: int | None = MAX_ARRAYS,
) -> dict[str, Matrix]:
    """Activation matrices from a ``.npy`` or ``.npz`` file, converted exactly to fractions.

    Parameters
    ----------
    path
        A ``.npy`` file (one array, named after the file's stem) or an ``.npz``
        file (every array, in the order stored).
    layout
        ``"points-by-neurons"`` (the default): rows of the stored array are data
        points.  ``"neurons-by-points"``: rows are neurons.
    data_rows
        The older flag: True is ``"points-by-neurons"``, False ``"neurons-by-points"``.
    max_entries, max_total, max_arrays
        The bounds of :func:`load_activation_rows`; None for no bound.

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
    >>> acts = load_activations(f)        # rows are data points: layer1 is 1 point x 3 neurons
    >>> list(acts), acts["layer1"]
    (['layer1', 'layer2'], ((Fraction(1, 1),), (Fraction(2, 1),), (Fraction(3, 1),)))
    >>> acts["layer2"][0][1] == Fraction(float(np.float32(0.1))) == Fraction(13421773, 134217728)
    True
    >>> load_activations(f, layout="neurons-by-points")["layer2"]   # rows are neurons: 2 neurons, 1 point
    ((Fraction(1, 2),), (Fraction(13421773, 134217728),))
    """
    rows = load_activation_rows(path, layout=layout, data_rows=data_rows, max_entries=max_entries,
                                max_total=max_total, max_arrays=max_arrays)
    return {k: v.fractions() for k, v in rows.items()}
