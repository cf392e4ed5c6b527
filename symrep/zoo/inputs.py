"""The inputs of a zoo: activation files (or network files run on ``--data``), named by content hash.

Each input is read once with :func:`symrep.compare.read_side` (the same reading, bounds and
orientation as ``symrep compare``), and identified by the SHA-256 of its bytes (with ``--data``,
of the network's hash and the data's hash together), so that a store row belongs to the contents
compared, not to a file name.  Two inputs with the same contents are one input.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from symrep.compare import Side, read_side
from symrep.errors import InputError

__all__ = ["ZooInput", "input_id", "read_inputs", "common_layers", "meta_of"]


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror or e})") from None
    return h.hexdigest()


def input_id(path: str, data_id: str | None = None) -> str:
    """The identity of an input: SHA-256 of the file, or with data, of ``network hash + data hash``.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.npy"); _ = open(p, "wb").write(b"abc")
    >>> input_id(p)[:12], input_id(p, "0" * 64) != input_id(p)
    ('ba7816bf8f01', True)
    """
    digest = _sha256(path)
    return digest if data_id is None else hashlib.sha256(f"{digest}+{data_id}".encode()).hexdigest()


@dataclass(frozen=True)
class ZooInput:
    """One input: its path as given, identity, and (once read) its side and per-layer certificate references."""

    path: str
    ident: str
    file_sha256: str
    side: Side | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # label -> {"width": n, "points": d}
    refs: dict[str, dict | None] = field(default_factory=dict)  # label -> data reference of the user's file


def _label_map(side: Side) -> dict[str, str]:
    """Layer label -> name in the side: a lone .npy array is layer "0" (so that lone arrays of a zoo pair up)."""
    return {"0": next(iter(side.layers))} if side.single else {k: k for k in side.layers}


def meta_of(side: Side) -> dict[str, Any]:
    """Per label: the array's name in the file, its width (neurons) and number of points."""
    out = {}
    for label, name in _label_map(side).items():
        m = side.layers[name]
        points = m.ncols if hasattr(m, "ncols") else (len(m[0]) if len(m) else 0)
        out[label] = {"name": name, "width": len(m), "points": points}
    return out


def _reference(path: str, sha: str, name: str, single: bool, layout: str | None) -> dict | None:
    """A reference to the user's own file for a certificate, if the checker reads the array as stored."""
    try:
        import numpy as np

        from symrep.certificates.layer import supported_array
    except ImportError:
        return None
    transpose = (layout or "points-by-neurons") == "points-by-neurons"
    try:
        if single:
            arr = np.load(path, mmap_mode="r", allow_pickle=False)
            member = None
        else:
            with np.load(path, allow_pickle=False) as z:
                arr, member = z[name], name
    except (OSError, ValueError, KeyError):
        return None
    if not supported_array(np.asarray(arr)):
        return None
    ref: dict[str, Any] = {"sha256": sha}
    if member is not None:
        ref["array"] = member
    if transpose:
        ref["transpose"] = True
    return ref


def read_inputs(paths: Sequence[str], *, data: Any = None, data_file: str | None = None, layout: str | None = None,
                bounds: Any = None, activations: Sequence[str] | None = None, key: str | None = None,
                read: bool = True, known: Callable[[str], dict | None] | None = None,
                on_read: Callable[[], None] | None = None,
                on_input: Callable[[ZooInput], None] | None = None) -> list[ZooInput]:
    """Hash every input and (``read``) read it; contents given twice are kept once.

    ``known`` gives the recorded metadata of an identity (from the store), or None: with ``read=False``
    an input whose identity is known is not read, only hashed.  ``on_read`` is called before each
    input that is read in full (the zoo starts its cluster then: an input read is work to do), and
    ``on_input`` with each input once hashed (and read), in order (the zoo submits its tasks then).
    """
    data_id = _sha256(data_file) if data_file else None
    out: list[ZooInput] = []
    seen: set[str] = set()
    for p in paths:
        sha = _sha256(p)
        ident = sha if data_id is None else hashlib.sha256(f"{sha}+{data_id}".encode()).hexdigest()
        if ident in seen:
            continue
        seen.add(ident)
        meta = known(ident) if (not read and known is not None) else None
        if meta is not None:
            out.append(ZooInput(p, ident, sha, None, meta))
            if on_input is not None:
                on_input(out[-1])
            continue
        if on_read is not None:
            on_read()
        side = read_side(p, data=data, data_file=data_file, layout=layout, bounds=bounds, activations=activations, key=key)
        meta = meta_of(side)
        local = data is None and Path(p).suffix.lower() in (".npy", ".npz")
        refs = {label: _reference(p, sha, m["name"], side.single, layout) if local else None for label, m in meta.items()}
        out.append(ZooInput(p, ident, sha, side, meta, refs))
        if on_input is not None:
            on_input(out[-1])
    if len(out) < 2:
        raise InputError("a zoo needs at least two inputs with different contents (" + ", ".join(map(os.fspath, paths)) + ")")
    return out


def common_layers(a: ZooInput, b: ZooInput, wanted: Sequence[str] | None) -> list[str]:
    """The layer labels both inputs have (in the first one's order), restricted to ``wanted``."""
    labels = [k for k in a.meta if k in b.meta]
    if wanted is not None:
        labels = [k for k in wanted if k in labels]
    for k in labels:
        pa, pb = a.meta[k]["points"], b.meta[k]["points"]
        if pa != pb:
            raise InputError(f"{a.path} and {b.path}: layer {k}: {pa} and {pb} data points; both sides need the same data")
    return labels
