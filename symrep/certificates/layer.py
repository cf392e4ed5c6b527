"""Layer certificates: the data referenced by content hash, the witness in a ``.npz`` beside the certificate.

``symrep compare --certificate-dir`` writes, per layer, ``layer-NAME.cert.json`` in the format
``symrep-layer-certificate/1`` and ``layer-NAME.witness.npz``.  The certificate names the two
activation arrays by file, SHA-256 and array name (the user's own ``.npy``/``.npz`` files when
they hold the arrays, else a ``.npy`` written beside the certificate); nothing of the data is
embedded.  The witness arrays are integers in the canonical integer frame of the data (row
``i`` is ``ints_i / scale_i``, ``scale_i`` the least common denominator of the row):

* ``gxx``, ``gyy``, ``gxy``: the exact Grams ``X X^T``, ``Y Y^T`` and ``X Y^T`` (int64 limbs,
  ``value = sum_l limb_l 2**(62 l)``), which the checker tests by Freivalds' method;
* per side with non-zero rows, a gram bound: ``neurons``, ``shifts`` g, a lower triangular
  int64 ``factor`` L and integers ``a``, ``b``, ``margin`` with ``2**a G' - 2**b L L^T``
  diagonally dominant by ``margin`` (``G'_kl = G_kl 2**(g_k + g_l)``): it bounds the smallest
  eigenvalue of every principal submatrix, and proves the side's dimension;
* per eps, coefficient tables per side (dense int64 rows over the other side with a power-of-two
  denominator ``2**shift``, and exact sparse rows as JSON for anything else); removals
  ``[side, neuron, row]`` in order and kept neurons ``[neuron, row]`` refer to rows by index, so a
  row used by many tests is written once.

The checker's design note (``symrep/checker.py``, section "layer certificates") says why these
prove the verdicts.  :func:`layer_certificate` returns None when a layer does not admit this form
(a side's Gram not certified positive definite, a removal not proved by a lower bound); the caller
then writes the self-contained form of :mod:`symrep.certificates.writer`.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from symrep import __version__
from symrep.exact.linalg import IntRows
from symrep.exact.numbers import format_number

__all__ = ["LAYER_FORMAT", "array_reference", "file_sha256", "layer_certificate", "supported_array"]

LAYER_FORMAT = "symrep-layer-certificate/1"
_DTYPES = {"<f4", "<f8", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8"}  # what the checker reads
_LIMB = 62


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, read in blocks.

    >>> import tempfile; p = tempfile.mktemp(); _ = open(p, "wb").write(b"abc")
    >>> file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def supported_array(a: Any) -> bool:
    """Whether the checker reads this array as stored: 2-D, C order, little-endian float32/float64 or integers."""
    return isinstance(a, np.ndarray) and a.ndim == 2 and a.dtype.str in _DTYPES and a.flags.c_contiguous and a.size > 0


def array_reference(path: str | os.PathLike, out_dir: str | os.PathLike, array: str | None = None,
                    transpose: bool = False) -> dict[str, Any]:
    """A data reference to an existing ``.npy`` (array None) or a member of an ``.npz``, relative to out_dir."""
    ref: dict[str, Any] = {"file": os.path.relpath(os.path.abspath(path), os.path.abspath(out_dir)),
                           "sha256": file_sha256(path)}
    if array is not None:
        ref["array"] = array
    if transpose:
        ref["transpose"] = True
    return ref


def _dyadic_scales(rows: IntRows) -> bool:
    """Whether ``ints / scale`` is exact in float64 for integers below 2^53: every scale a power of two up to 2^1000.

    Then the quotient only shifts the exponent and stays a normal float (>= 2^-1000 in size), so the
    float64 array holds the rows exactly; a scale such as 3 (rational input) would round, and the
    certificate would then reference data other than the input's.
    """
    return all(s > 0 and not s & (s - 1) and s.bit_length() <= 1001 for s in rows.scale)


def written_reference(rows: IntRows, out_dir: Path) -> dict[str, Any] | None:
    """Write the rows as a float64 ``.npy`` named by its SHA-256 in out_dir; None when float64 cannot hold them exactly."""
    ints = rows.array if rows.array is not None else np.array(rows.ints, dtype=object)
    if not len(rows) or not ints.size or max(abs(int(ints.max())), abs(int(ints.min()))) >= 2**53 \
            or not _dyadic_scales(rows):
        return None
    a = np.ascontiguousarray(ints.astype(np.float64) / np.array([float(s) for s in rows.scale])[:, None])
    if not np.isfinite(a).all():
        return None
    buf = io.BytesIO()
    np.save(buf, a)
    raw = buf.getvalue()
    digest = hashlib.sha256(raw).hexdigest()
    path = out_dir / f"data-{digest[:24]}.npy"
    if not path.exists():
        path.write_bytes(raw)
    return {"file": path.name, "sha256": digest}


def _limbs(G: Any) -> np.ndarray:
    """An integer matrix (Python integers) as int64 limbs, shape (n, m, k): ``sum_l limbs[..., l] << 62 l``."""
    O = np.array(G, dtype=object)
    if O.ndim != 2:
        O = O.reshape(len(G), -1)
    top = max((abs(int(x)).bit_length() for x in (O.max(), O.min())), default=0) if O.size else 0
    k = max(1, -(-(top + 2) // _LIMB))
    out = np.zeros(O.shape + (k,), dtype=np.int64)
    for limb in range(k - 1):
        out[..., limb] = (O & ((1 << _LIMB) - 1)).astype(np.int64)
        O = O >> _LIMB
    out[..., k - 1] = O.astype(np.int64)
    return out


class _Table:
    """Coefficient rows for the tests of one side: dense int64 rows (shared when equal) and exact sparse rows."""

    def __init__(self, n: int, mine: list[int], other: list[int]):
        self.n, self.mine, self.other = n, mine, other
        self.dense: list[np.ndarray] = []
        self.shifts: list[int] = []
        self.index: dict[tuple[int, bytes], int] = {}
        self.sparse: list[list[Any]] = []

    def add_form(self, form: tuple) -> Any:
        basis, ints, m = form
        row = np.zeros(self.n, dtype=np.int64)
        row[list(basis)] = ints
        key = (m, row.tobytes())
        if key not in self.index:
            self.index[key] = len(self.dense)
            self.dense.append(row)
            self.shifts.append(m)
        return self.index[key]

    def add_exact(self, v: int, coeffs: Any) -> Any:
        """Coefficients (k, c) of the actual vectors, as integers over one denominator in the integer frame."""
        form = getattr(coeffs, "integer_form", None)
        if form is not None:
            return self.add_form(form)
        frame = [(k, Fraction(c) * self.mine[v] / self.other[k]) for k, c in coeffs if c]
        D = math.lcm(*(c.denominator for _, c in frame)) if frame else 1
        row = [str(D), [[k, str(c.numerator * (D // c.denominator))] for k, c in frame]]
        key = (-1, json.dumps(row).encode())  # equal rows (a zero vector's empty row, a repeated pairing) once
        if key not in self.index:
            self.index[key] = len(self.sparse)
            self.sparse.append(row)
        return ("sparse", self.index[key])

    def resolve(self, ref: Any) -> int:
        return len(self.dense) + ref[1] if isinstance(ref, tuple) else ref

    def to_json(self, prefix: str, arrays: dict[str, np.ndarray], gram: Any = None) -> dict[str, Any]:
        """The table's JSON (arrays added to ``arrays``); with ``gram`` (exact product by ``C``) also ``P = C G``."""
        out: dict[str, Any] = {}
        if self.dense:
            C = arrays[prefix] = np.array(self.dense, dtype=np.int64)
            arrays[prefix + "_shift"] = np.array(self.shifts, dtype=np.int64)
            out.update(dense=prefix, shifts=prefix + "_shift")
            if gram is not None:
                arrays[prefix + "_products"] = _limbs(gram(C))
                out["products"] = prefix + "_products"
        if self.sparse:
            out["sparse"] = self.sparse
        return out


def _gram_product(cf: Any, certified: Any, side: str) -> Any:
    """``C -> C G`` for the Gram of the other side than ``side`` (exact, multi-modular)."""
    G = cf.layers["y" if side == "x" else "x"].exact
    return lambda C: certified._mul(C, G)


def _match_witness(cf: Any, certified: Any, m: Any, A: IntRows, B: IntRows, prefix: str,
                   arrays: dict[str, np.ndarray], products: bool = True) -> dict[str, Any] | None:
    """The witness of one maximum eps-match: the removal trace and the kept neurons, by coefficient rows."""
    tables = {"x": _Table(len(B), A.scale, B.scale), "y": _Table(len(A), B.scale, A.scale)}
    cur = {"x": list(range(len(A))), "y": list(range(len(B)))}
    trace: list[list[Any]] = []
    pending: list[int] = []  # trace entries of one side still to prove, the other side unchanged since the first

    def flush() -> bool:
        if not pending:
            return True
        side = trace[pending[0]][0]
        forms = certified.prove_removals(cf, side, [trace[i][1] for i in pending], cur["y" if side == "x" else "x"])
        for i, form in zip(pending, forms):
            if form is not None:
                trace[i][2] = tables[side].add_form(form)
            elif orthogonal[i].orthogonal:  # the exact path's residual, orthogonal to the span (rare: near a tie)
                r = orthogonal[i]
                trace[i][2] = {"orthogonal": [[j, format_number(Fraction(x))] for j, x in r.orthogonal],
                               "product": format_number(r.product)}
            else:
                return False
        pending.clear()
        return True

    orthogonal: dict[int, Any] = {}
    for r in m.removals:
        if pending and trace[pending[0]][0] != r.side and not flush():
            return None
        form = getattr(r.bound.coefficients, "integer_form", None) if r.bound is not None else None
        trace.append([r.side, r.neuron, tables[r.side].add_form(form) if form is not None else None])
        if form is None:
            pending.append(len(trace) - 1)
            orthogonal[len(trace) - 1] = r  # its exact residual is written only if no lower bound proves it
        cur[r.side].remove(r.neuron)
    if not flush():
        return None
    kept = {s: [[v, tables[s].add_exact(v, c)] for v, c in (m.x_in_y if s == "x" else m.y_in_x)] for s in "xy"}
    return {
        "x": list(m.x), "y": list(m.y), "zero_x": list(m.zero_x), "zero_y": list(m.zero_y),
        "tables": {s: tables[s].to_json(f"{prefix}{s}", arrays, products and _gram_product(cf, certified, s)) for s in "xy"},
        "removals": [[s, v, ref if isinstance(ref, dict) else tables[s].resolve(ref)] for s, v, ref in trace],
        "x_in_y": [[v, tables["x"].resolve(ref)] for v, ref in kept["x"]],
        "y_in_x": [[v, tables["y"].resolve(ref)] for v, ref in kept["y"]],
    }


def _float_view(R: IntRows) -> Any:
    """The rows as float64 values (``ints / scale``) when exact, for the certifier's fast conversion; else None."""
    a = R.array
    if a is None or not a.size or max(abs(int(a.max())), abs(int(a.min()))) >= 2**53 or not _dyadic_scales(R):
        return None
    return a.astype(np.float64) / np.array([float(s) for s in R.scale])[:, None]


def layer_certificate(out_dir: str | os.PathLike, name: str, A: IntRows, B: IntRows, report: Any,
                      refs: tuple[dict | None, dict | None] = (None, None), products: bool = True) -> Path | None:
    """Write the layer certificate of a compare report (and its witness .npz) into out_dir; None if not possible.

    ``refs`` are data references (:func:`array_reference`) to the arrays A and B were read from;
    a missing one is written beside the certificate (:func:`written_reference`).  ``products``:
    include ``P = C G`` for each coefficient table (the checker then tests it by Freivalds' method
    instead of computing it: a larger witness, checked faster).
    """
    from symrep.measures import certified

    out = Path(out_dir)
    views = (_float_view(A), _float_view(B))
    cf = certified.certifier(A, B, Fraction(0), views if views[0] is not None and views[1] is not None else None)
    if cf is None or len(A) == 0 or len(B) == 0:
        return None
    arrays: dict[str, np.ndarray] = {}
    bounds = {}
    for s in "xy":
        lay = cf.layers[s]
        if lay.nonzero:
            if lay.bound() is None or lay.form is None:
                return None
            N, g, La, a, b, margin, LL = lay.form
            arrays.update({f"gb{s}_neurons": np.array(N, dtype=np.int64), f"gb{s}_shifts": np.array(g, dtype=np.int64),
                           f"gb{s}_factor": np.asarray(La, dtype=np.int64)})
            bounds[s] = {"neurons": f"gb{s}_neurons", "shifts": f"gb{s}_shifts", "factor": f"gb{s}_factor",
                         "a": int(a), "b": int(b), "margin": str(int(margin))}
            if products:
                arrays[f"gb{s}_factor_product"] = _limbs(LL)
                bounds[s]["factor_product"] = f"gb{s}_factor_product"
    claims: list[dict[str, Any]] = [
        {"id": f"dimension-{t}", "kind": "dimension", "side": s, "equals": report.dimensions[i], "verdict": True}
        for i, (s, t) in enumerate((("x", "A"), ("y", "B")))]
    for k, (e, m) in enumerate(report.matches):
        certified.certifier(A, B, e * e)  # the same certifier, set to this eps
        w = _match_witness(cf, certified, m, A, B, f"c{k}", arrays, products)
        if w is None:
            return None
        claims.append({"id": f"maximum-match-eps-{format_number(e)}", "kind": "maximum_approx_match",
                       "eps": format_number(e), "equals": [list(m.x), list(m.y)], "verdict": True, "witness": w})
    arrays.update(gxx=_limbs(cf.layers["x"].gram), gyy=_limbs(cf.layers["y"].gram), gxy=_limbs(cf.cross["x"]))
    safe = "".join(ch if ch.isalnum() else "_" for ch in name)
    data = {}
    for s, R, ref in (("x", A, refs[0]), ("y", B, refs[1])):
        data[s] = ref if ref is not None else written_reference(R, out)
        if data[s] is None:
            return None
    wpath = out / f"layer-{safe}.witness.npz"
    np.savez_compressed(wpath, **arrays)  # type: ignore[arg-type]
    doc = {"format": LAYER_FORMAT, "generator": f"symrep {__version__}", "layer": name, "data": data,
           "witness_file": {"file": wpath.name, "sha256": file_sha256(wpath)},
           "grams": {"xx": "gxx", "yy": "gyy", "xy": "gxy"}, "gram_bounds": bounds, "claims": claims}
    path = out / f"layer-{safe}.cert.json"
    path.write_text(json.dumps(doc, indent=1, separators=(",", ": ")) + "\n", encoding="utf-8")
    certified.release()  # the layer's Grams and span bases are no longer needed
    return path
