"""One task of a zoo: the exact comparison of one layer of one pair of inputs, run on a Dask worker.

:func:`run_task` is what the client sends to the workers (by reference: the worker imports
``symrep.zoo.tasks``, so the workers need the same symrep installed).  It calls the comparison of
:mod:`symrep.compare` on two activation matrices that were scattered to the cluster once, writes
the layer certificate (:mod:`symrep.certificates.layer`) and, with ``--measures``, the report
certificate of the measures (the self-contained claim-file certificate that ``symrep compare
--certificate-dir`` writes as ``layer-NAME.report.cert.json``) into a temporary directory and
returns the certificates' files as bytes, so that the client, not the worker, writes them beside
the store: a worker on another machine needs no access to the client's disk, and a worker killed
halfway leaves nothing half-written in the store.

The layer certificate names the user's data files by SHA-256 and by a path relative to the
certificate; every task's certificate directory is a direct child of the store's certificate
directory, so the client computes those paths once (:attr:`TaskSpec.data_files`) and the worker
writes them in: the client stores the bytes as they come, without parsing or re-encoding them.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from symrep import __version__
from symrep.compare import _rows, certified_decimal, compare_layers, layer_problem, measure_claim_ids, measure_json
from symrep.errors import SymrepError
from symrep.exact.numbers import format_number

__all__ = ["SIMILARITY", "TaskSpec", "TaskResult", "Row", "run_task", "row_key"]

#: The name under which Wang et al.'s similarity of the maximum (eps-)match is stored, one row per eps.
SIMILARITY = "similarity"
#: The eps column of a measure that does not depend on eps (cka, cca, ...).
NO_EPS = "-"
#: The data files' paths when the client gives none (a certificate then names its data by hash only, until placed).
PLACEHOLDERS = ("@x", "@y")


@dataclass(frozen=True)
class TaskSpec:
    """What one task computes: layer ``label`` of the pair (a, b), identified by content hashes.

    ``refs`` says, per side, whether the certificate may reference the user's file (the array as
    stored is one the checker reads): ``{"sha256", "array", "transpose"}`` or None (the worker then
    writes the data beside the certificate).  ``data_files``: the two files' paths relative to a
    task's certificate directory (set by the engine when it submits the task).
    """

    ids: tuple[str, str]
    names: tuple[str, str]
    label: str
    eps: tuple[str, ...]
    measures: tuple[str, ...] = ()
    width: str = "1e-12"
    refs: tuple[dict | None, dict | None] = (None, None)
    certificates: bool = True
    version: str = __version__
    data_files: tuple[str, str] = PLACEHOLDERS

    def row_keys(self) -> list[tuple[str, ...]]:
        """The store keys of every row this task writes."""
        out = [row_key(self.ids, self.label, e, SIMILARITY) for e in self.eps]
        return out + [row_key(self.ids, self.label, NO_EPS, m) for m in self.measures]


def row_key(ids: tuple[str, str], layer: str, eps: str, measure: str, version: str = __version__) -> tuple[str, ...]:
    """The primary key of a row: both inputs' hashes, layer, eps (canonical text), measure, symrep version."""
    return (ids[0], ids[1], layer, eps, measure, version)


@dataclass(frozen=True)
class Row:
    """One result: an exact value (or a certified bracket), its decimal, a witness summary as JSON."""

    eps: str
    measure: str
    exact: str | None
    decimal: str
    lower: str
    upper: str
    witness: dict[str, Any]


@dataclass(frozen=True)
class TaskResult:
    """What a worker sends back: the rows, the certificate's files (name -> bytes) and the time taken."""

    spec: TaskSpec
    rows: tuple[Row, ...]
    files: dict[str, bytes] = field(default_factory=dict)
    certificate: str | None = None  # the name of the layer certificate's JSON among files (the similarity rows)
    seconds: float = 0.0
    version: str = __version__
    cpu: float = 0.0  # CPU seconds of the thread that ran the task (its own work, whatever else the machine runs)
    report: str | None = None  # the name of the report certificate's JSON among files (the measure rows)


def _similarity_rows(report: Any) -> list[Row]:
    rows = []
    for e, m in report.matches:
        q = m.similarity
        witness = {"x": list(m.x), "y": list(m.y), "zero_x": list(m.zero_x), "zero_y": list(m.zero_y),
                   "widths": list(report.widths), "dimensions": list(report.dimensions)}
        text = format_number(q)
        rows.append(Row(format_number(e), SIMILARITY, text, certified_decimal(q, q, 12), text, text, witness))
    return rows


def _measure_rows(report: Any, stated: set[str] | None = None) -> list[Row]:
    """One row per measure; ``stated``: the claim ids of the report certificate (None: no certificate)."""
    rows = []
    for name, v in report.measures:
        j = measure_json(v)
        if "undefined" in j:  # e.g. CCA of a layer constant over the data: said so, no bracket, never certified
            why = {"undefined": j["undefined"], "widths": list(report.widths)}
            rows.append(Row(NO_EPS, name, None, "undefined", "", "", why))
            continue
        witness: dict[str, Any] = {"bracket": [j["lower"], j["upper"]], "widths": list(report.widths)}
        if stated is not None:  # the claims of the report certificate that state this value (none: not certified)
            witness["claims"] = [c for c in measure_claim_ids(name) if c in stated]
        rows.append(Row(NO_EPS, name, j["value"], j["decimal"], j["lower"], j["upper"], witness))
    return rows


def _certificate_files(spec: TaskSpec, A: Any, B: Any, report: Any) -> tuple[dict[str, bytes], str]:
    """The certificate of the layer (referenced form where possible, else self-contained), as file bytes."""
    from symrep.certificates.layer import layer_certificate
    from symrep.certificates.writer import certify, dump_certificate

    refs = tuple(None if r is None else {"file": f, **r} for r, f in zip(spec.refs, spec.data_files))
    with tempfile.TemporaryDirectory(prefix="symrep-zoo-") as tmp:
        try:
            path = layer_certificate(tmp, spec.label, A, B, report, (refs[0], refs[1]))
        except ImportError:  # NumPy missing on the worker: the self-contained form
            path = None
        if path is None:
            path = Path(tmp) / "layer.cert.json"
            # the matches only: the measures go in the report certificate, as for the referenced form
            path.write_text(dump_certificate(certify(layer_problem(report, A, B, parts=("matches",)))), encoding="utf-8")
        files = {p.name: p.read_bytes() for p in Path(tmp).iterdir() if p.is_file()}
    return files, path.name


def _report_files(spec: TaskSpec, A: Any, B: Any, report: Any) -> tuple[dict[str, bytes], set[str]]:
    """The report certificate of the measures (as ``compare --certificate-dir`` writes it), or nothing to certify.

    It is self-contained (the data points are in it), so the checker re-derives each measure's
    bracket from the data; a measure no claim kind can state here (undefined, or a spectral
    measure of a layer constant over the data) has no claim, and its row is never certified.
    """
    from symrep.certificates.writer import certify, dump_certificate
    from symrep.errors import InternalError

    problem = layer_problem(report, A, B, parts=("report",))
    if not problem.claims:
        return {}, set()
    cert = certify(problem)
    for claim, r in zip(problem.claims, cert["results"]):  # as compare does: never store a row its certificate denies
        if r["verdict"] != "undecided" and r["verdict"] != claim.expect:
            raise InternalError(f"internal error: layer {spec.label}: {claim.id} is stated {claim.expect}, "
                                f"its certificate decides {r['verdict']}")
    return {_report_name(spec.label): dump_certificate(cert).encode("utf-8")}, {c.id for c in problem.claims}


def _report_name(label: str) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in label)
    return f"layer-{safe}.report.cert.json"


def run_task(spec: TaskSpec, a: Any, b: Any) -> TaskResult:
    """Compare layer ``spec.label`` of the two scattered matrices (rows = neurons) and certify the matches.

    >>> from symrep.exact.linalg import IntRows
    >>> spec = TaskSpec(("a" * 64, "b" * 64), ("f.npz", "g.npz"), "h", ("0",), certificates=False)
    >>> r = run_task(spec, IntRows.of([[1, 0], [1, 0]]), IntRows.of([[1, 0], [0, 1]]))
    >>> [(row.measure, row.eps, row.exact) for row in r.rows]
    [('similarity', '0', '3/4')]
    """
    if spec.version != __version__:  # a worker with another symrep would store rows under the wrong version
        raise SymrepError(f"the worker runs symrep {__version__}, the client {spec.version}: install the same on both")
    start, cpu = time.perf_counter(), time.thread_time()
    A, B = _rows(a), _rows(b)
    report = compare_layers([(spec.label, A, B)], eps=[Fraction(e) for e in spec.eps], measures=spec.measures,
                            width=spec.width, sources=spec.names)[0]
    files: dict[str, bytes] = {}
    cert = extra = None
    stated: set[str] | None = None
    if spec.certificates and report.matches:
        files, cert = _certificate_files(spec, A, B, report)
    if spec.certificates and report.measures:
        more, stated = _report_files(spec, A, B, report)
        files.update(more)
        extra = next(iter(more), None)
    rows = _similarity_rows(report) + _measure_rows(report, stated if extra else None)
    return TaskResult(spec, tuple(rows), files, cert, time.perf_counter() - start, cpu=time.thread_time() - cpu, report=extra)


def relative(target: str, start: str) -> str:
    """``target`` relative to directory ``start`` (both made absolute first)."""
    return os.path.relpath(os.path.abspath(target), os.path.abspath(start))
