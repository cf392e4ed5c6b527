"""State dicts from safetensors files, read by symrep's own bounded reader (no dependency, nothing executed).

A safetensors file is an 8-byte little-endian header length ``N``, ``N`` bytes of JSON
(``{name: {"dtype": "F32", "shape": [out, in], "data_offsets": [begin, end]}, "__metadata__": {...}}``),
then the raw little-endian numbers of every tensor, at its offsets from the end of the header.
Everything the file controls is bounded before it is read: the header's size, the number of
tensors, the entries of each and of all, and every tensor's byte range is checked against its
dtype, its shape and the file's size.  Floats (F64, F32, F16, BF16) are the binary numbers
they are, so the importer converts them exactly, as it does PyTorch's and ONNX's.

The JSON header records no order of its tensors that a reader may trust (writers sort it), so
the tensors are returned in the natural order of their names (``0.weight`` < ``2.weight`` <
``10.weight``, ``fc1`` < ``fc2``), which is the order of an ``nn.Sequential``'s layers.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
import sys
from array import array
from dataclasses import dataclass
from typing import Any

from symrep.errors import InputError
from symrep.imports.common import _open_error
from symrep.imports.numpy_files import MAX_ARRAYS, MAX_ENTRIES, MAX_TOTAL

__all__ = ["MAX_HEADER_BYTES", "load_safetensors"]

#: Largest JSON header read (the format's own limit is 100 MB).
MAX_HEADER_BYTES = 100_000_000

#: dtype -> (bytes per number, how to read them: an ``array`` typecode, or "e" half / "bf16").
_DTYPES = {"F64": (8, "d"), "F32": (4, "f"), "F16": (2, "e"), "BF16": (2, "bf16"),
           "I64": (8, "q"), "U64": (8, "Q"), "I32": (4, "i"), "U32": (4, "I"),
           "I16": (2, "h"), "U16": (2, "H"), "I8": (1, "b"), "U8": (1, "B")}


@dataclass(frozen=True)
class Tensor:
    """A tensor read from a safetensors file: its shape and its numbers (Python floats or ints), row-major.

    >>> Tensor((2, 2), (1.0, 2.0, 3.0, 4.0)).tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """

    shape: tuple[int, ...]
    values: tuple[Any, ...]

    def tolist(self) -> Any:
        if len(self.shape) == 0:
            return self.values[0]
        if len(self.shape) == 1:
            return list(self.values)
        step = len(self.values) // self.shape[0] if self.shape[0] else 0
        return [Tensor(self.shape[1:], self.values[i * step:(i + 1) * step]).tolist() for i in range(self.shape[0])]


def _numbers(raw: bytes, code: str) -> tuple[Any, ...]:
    """The little-endian numbers in *raw*, exactly (floats as the binary values they are)."""
    if code == "e":
        return tuple(x for (x,) in struct.iter_unpack("<e", raw))
    if code == "bf16":  # bfloat16 is the high half of a float32
        halves = array("H", raw)
        if sys.byteorder == "big":
            halves.byteswap()
        return tuple(x for (x,) in struct.iter_unpack("<f", b"".join(struct.pack("<I", h << 16) for h in halves)))
    out = array(code)
    size = struct.calcsize("<" + code)
    if out.itemsize != size:  # pragma: no cover - a platform whose C int is not 4 bytes
        return tuple(x for (x,) in struct.iter_unpack("<" + code, raw))
    out.frombytes(raw)
    if sys.byteorder == "big":
        out.byteswap()
    return tuple(out)


def _natural(name: str) -> list[Any]:
    """Sort key: digit runs compare as numbers ('2.weight' before '10.weight')."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", name) if t]


def _entry(name: Any, spec: Any, where: str) -> tuple[str, int, tuple[int, ...], int, int]:
    """``(dtype, itemsize, shape, begin, end)`` of one header entry, each field checked."""
    at = f"{where}: tensor {name!r}"
    if not isinstance(spec, dict) or set(spec) != {"dtype", "shape", "data_offsets"}:
        raise InputError(f"{at}: expected an object with dtype, shape and data_offsets")
    dtype, shape, offsets = spec["dtype"], spec["shape"], spec["data_offsets"]
    if dtype not in _DTYPES:
        raise InputError(f"{at}: dtype {dtype!r} is not read by symrep (expected one of {', '.join(_DTYPES)})")
    if not isinstance(shape, list) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise InputError(f"{at}: shape {shape!r} is not a list of sizes")
    if (not isinstance(offsets, list) or len(offsets) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in offsets)):
        raise InputError(f"{at}: data_offsets {offsets!r} is not [begin, end]")
    return dtype, _DTYPES[dtype][0], tuple(shape), offsets[0], offsets[1]


def _header(fh: Any, where: str, size: int) -> dict[str, Any]:
    head = fh.read(8)
    if len(head) < 8:
        raise InputError(f"{where}: not a safetensors file (shorter than its 8-byte header length)")
    (n,) = struct.unpack("<Q", head)
    if n > MAX_HEADER_BYTES or n > size - 8:
        raise InputError(f"{where}: header length {n} is larger than the file or than {MAX_HEADER_BYTES} bytes; "
                         "not a safetensors file")
    try:
        doc = json.loads(fh.read(n).decode("utf-8"), parse_constant=lambda c: None)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InputError(f"{where}: the header is not JSON; not a safetensors file") from None
    if not isinstance(doc, dict):
        raise InputError(f"{where}: the header is not a JSON object; not a safetensors file")
    doc.pop("__metadata__", None)
    return doc


def _checked_layout(doc: dict[str, Any], where: str, data: int, max_entries: int | None,
                    max_total: int | None, max_arrays: int | None) -> dict[str, tuple[str, tuple[int, ...], int, int]]:
    if max_arrays is not None and len(doc) > max_arrays:
        raise InputError(f"{where}: holds {len(doc)} tensors, more than the bound of {max_arrays}; "
                         "raise it with --max-arrays N (max_arrays= in Python)")
    out, total, spans = {}, 0, []
    for name, spec in doc.items():
        dtype, itemsize, shape, begin, end = _entry(name, spec, where)
        at = f"{where}: tensor {name!r}"
        entries = math.prod(shape)
        if max_entries is not None and entries > max_entries:
            raise InputError(f"{at}: has {entries} entries (shape {shape}), more than the bound of {max_entries}; "
                             "raise it with --max-entries N (max_entries= in Python)")
        total += entries
        if max_total is not None and total > max_total:
            raise InputError(f"{at}: brings the tensors to {total} entries in all, more than the bound of {max_total}; "
                             "raise it with --max-total N (max_total= in Python)")
        if end - begin != entries * itemsize or end > data:
            raise InputError(f"{at}: data_offsets [{begin}, {end}] do not hold {entries} numbers of {dtype} "
                             f"inside the file's {data} bytes of data")
        spans.append((begin, end, name))
        out[name] = (dtype, shape, begin, end)
    spans.sort()
    for (_, e1, n1), (b2, _, n2) in zip(spans, spans[1:]):
        if b2 < e1:
            raise InputError(f"{where}: tensors {n1!r} and {n2!r} overlap in the file")
    return out


def load_safetensors(path: str | os.PathLike, *, max_entries: int | None = MAX_ENTRIES, max_total: int | None = MAX_TOTAL,
                     max_arrays: int | None = MAX_ARRAYS) -> dict[str, Tensor]:
    """The tensors of a safetensors file, by name in natural order, for :func:`~symrep.imports.network_from_torch`.

    Parameters
    ----------
    path
        A ``.safetensors`` file (``safetensors.torch.save_file(model.state_dict(), path)``).
    max_entries, max_total, max_arrays
        Refuse a tensor of more entries, tensors of more entries in all, or more
        tensors (checked from the header, before any number is read); None for no bound.

    Returns
    -------
    dict
        Tensor name -> :class:`Tensor` (``shape`` and ``tolist()``), in natural name order.

    Raises
    ------
    InputError
        Naming the file and the tensor: not a safetensors file, a header entry
        that is malformed, of an unsupported dtype (BOOL, F8 ...), or whose bytes
        do not fit its shape or the file; a size over a bound.

    Examples
    --------
    >>> import json, struct, tempfile, os
    >>> head = json.dumps({"0.weight": {"dtype": "F32", "shape": [1, 2], "data_offsets": [0, 8]}}).encode()
    >>> f = os.path.join(tempfile.mkdtemp(), "m.safetensors")
    >>> _ = open(f, "wb").write(struct.pack("<Q", len(head)) + head + struct.pack("<2f", 0.5, -3))
    >>> load_safetensors(f)["0.weight"].tolist()
    [[0.5, -3.0]]
    """
    where = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            doc = _header(fh, where, size)
            start = fh.tell()
            layout = _checked_layout(doc, where, size - start, max_entries, max_total, max_arrays)
            out = {}
            for name in sorted(layout, key=_natural):
                dtype, shape, begin, end = layout[name]
                fh.seek(start + begin)
                out[name] = Tensor(shape, _numbers(fh.read(end - begin), _DTYPES[dtype][1]))
    except OSError as e:
        raise _open_error(where, e) from None
    return out
