"""``symrep zoo``: every pair of networks (activation files), every layer, every eps, on Dask, into a store.

Reads every input once, plans one task per (pair, layer), skips what the store already holds,
computes the rest on a Dask cluster (a LocalCluster on 127.0.0.1 by default, or ``--scheduler``),
writes each result as it finishes, re-checks results read back with the standalone checker, and
prints a table (``--json``: one document, every number exact) and, with ``--plot DIR``, pictures.
Exit status 0; 1 when a task failed or a stored result was rejected; 2 on bad input.  See docs/zoo.md.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from symrep import __version__
from symrep.cli.json_errors import JSON_HELP
from symrep.cli.progress import Progress
from symrep.cli.terminal import fit
from symrep.errors import SymrepError
from symrep.exact.numbers import format_number, to_fraction

_MARK = {"certified": "c", "computed": "n", "stored": "s", "uncertified": "u"}


def _eps(text: str) -> list[str]:
    out = []
    for t in (x.strip() for x in text.split(",")):
        if t:
            e = to_fraction(t, "--eps")
            if e < 0:
                raise SymrepError(f"--eps {t}: eps values must be >= 0")
            out.append(format_number(e))
    if not out:
        raise SymrepError("--eps: give at least one value, e.g. 0,1/4")
    return list(dict.fromkeys(out))


def _security(args: argparse.Namespace) -> Any:
    files = (args.tls_ca_file, args.tls_cert, args.tls_key)
    if not any(files):
        return None
    if not all(files):
        raise SymrepError("--tls-ca-file, --tls-cert and --tls-key go together")
    from distributed.security import Security

    return Security(tls_ca_file=args.tls_ca_file, tls_client_cert=args.tls_cert, tls_client_key=args.tls_key,
                    require_encryption=True)


def _read(args: argparse.Namespace, store: Any, read: bool, on_read: Any = None, on_input: Any = None) -> list:
    from symrep.cli.compare import _bounds
    from symrep.imports import load_activations
    from symrep.imports.torch import parse_activations
    from symrep.zoo.inputs import read_inputs

    bounds = _bounds(args)
    data = None
    if args.data and read:
        arrays = load_activations(args.data, layout="neurons-by-points", max_entries=bounds.max_entries,
                                  max_total=bounds.max_total, max_arrays=bounds.max_arrays)
        data = next(iter(arrays.values()))
    acts = parse_activations(args.activations) if args.activations else None
    return read_inputs(args.files, data=data, data_file=args.data, layout=args.layout, bounds=bounds, activations=acts,
                       read=read, known=store.input_meta, on_read=on_read, on_input=on_input)


def _statuses(args: argparse.Namespace, rows: list[dict], counts: Any, store: Any, read: Any) -> tuple[list[str], list[Any]]:
    """Each row's status, and when it was checked (None: not checked; "run": by the checker in this run; else a time).

    Rows read back from the store (``--recheck stored``, the default) are certified by a verifying record of an
    earlier check of the very same bytes (:mod:`symrep.zoo.records`) or else by the checker now; ``--recheck all``
    runs the checker on every row, ignoring records; ``read()`` gives the inputs, read (only when the checker runs).
    """
    from symrep.zoo import records
    from symrep.zoo.recheck import recheck_rows

    out: list[str] = []
    when: list[Any] = [None] * len(rows)
    for r in rows:
        key = (r["id_a"], r["id_b"], r["layer"], r["eps"], r["measure"], r["version"])
        out.append("uncertified" if not r["certificate"] else "computed" if key in counts.fresh else "stored")
    wanted = [i for i, s in enumerate(out) if (s == "stored" and args.recheck != "none") or
              (s == "computed" and args.recheck == "all")]
    if args.recheck == "stored" and wanted:
        got = records.recorded([rows[i] for i in wanted], store, store.path.parent, args.layout)
        for k, t in got.items():
            out[wanted[k]], when[wanted[k]] = "certified", t
        wanted = [i for k, i in enumerate(wanted) if k not in got]
    if wanted:
        inputs = read()
        got2 = recheck_rows([rows[i] for i in wanted], store.path.parent, inputs, args.layout, jobs=args.workers or 2)
        for k, i in enumerate(wanted):
            out[i] = got2[k]
            when[i] = "run" if got2[k] == "certified" else None
        records.record([rows[i] for i in wanted if out[i] == "certified"], store, args.layout)
    return out, when


def cmd_zoo(args: argparse.Namespace) -> int:
    from symrep.zoo.engine import RunCounts, Starter, Submitter, connect, plan, start_forkserver
    from symrep.zoo.store import Store

    eps = _eps(args.eps)
    measures = [m.strip() for m in (args.measures or "").split(",") if m.strip()]
    layers = None if args.layers is None else [t.strip() for t in args.layers.split(",") if t.strip()]
    start = time.monotonic()
    security = _security(args)  # bad TLS flags are refused before anything is read or started
    # The cluster starts in the background as soon as there is work: at the first input the store does not
    # know (it has to be read, and its pairs computed), or when stored inputs have tasks missing; it starts
    # while the inputs are read (measured in docs/zoo.md).
    cluster = Starter(lambda: connect(args.scheduler, args.workers, security, tls=args.tls),
                      first=start_forkserver if args.scheduler is None else None)
    store = Store(args.store)
    kw = dict(eps=eps, measures=measures, layers=layers, width=args.width, certificates=not args.no_certificates)
    # Each task is submitted as soon as its two inputs are read: the other inputs are read while it runs.
    early = Submitter(store, cluster, lambda pair: plan(pair, **kw))
    try:
        # Inputs whose layers the store knows are only hashed; they are read when there is work, or a row to check.
        inputs = _remember(store, _read(args, store, read=False, on_read=cluster.start, on_input=early.offer))
        tasks = plan(inputs, **kw)
        missing = _missing(store, tasks)
        state: dict[str, Any] = {"inputs": inputs}

        def read() -> dict:
            if any(z.side is None for z in state["inputs"]):
                state["inputs"] = _remember(store, _read(args, store, read=True))
            return {z.ident: z for z in state["inputs"]}

        if missing:
            cluster.start()
            by_id = read()
            tasks = plan(state["inputs"], **kw)
            missing = _missing(store, tasks)
        counts = RunCounts(total=len(tasks), done=len(tasks) - len(missing), stored=len(tasks) - len(missing))
        if missing:
            _compute(args, missing, by_id, store, counts, cluster, early)
        early.cancel()
        cluster.close()  # before the re-checks below, which run checker processes on the same cores
        keys = [k for t in tasks for k in t.row_keys()]
        rows = store.rows(keys)
        statuses, checked = _statuses(args, rows, counts, store, read)
        inputs = state["inputs"]
    finally:
        early.cancel()
        cluster.close()
        store.close()
    plots = _plots(args, rows, inputs, tasks)
    doc = _document(args, inputs, tasks, rows, statuses, counts, plots, time.monotonic() - start, checked)
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        _print_summary(doc, inputs, tasks)
    bad = counts.failed or any(s.startswith("rejected") for s in statuses) or len(rows) < len(keys)
    return 1 if bad else 0


def _remember(store: Any, inputs: list) -> list:
    """Record the layers of every input read (so that a rerun need not read it to plan its tasks)."""
    for z in inputs:
        if z.side is not None:
            store.record_input(z.ident, z.meta)
    return inputs


def _missing(store: Any, tasks: list) -> list:
    stored = store.stored_keys(k for t in tasks for k in t.row_keys())
    return [t for t in tasks if not all(k in stored for k in t.row_keys())]


def _compute(args: argparse.Namespace, missing: list, by_id: dict, store: Any, counts: Any, cluster: Any,
             early: Any = None) -> None:
    from symrep.zoo.engine import elapsed_eta, run_tasks

    bar = Progress("zoo", enabled=None if not args.json else False)
    t0 = time.monotonic()

    def show(c: Any) -> None:
        bar(c.done, c.total)
        bar.detail(f"stored {c.stored} failed {len(c.failed)} {elapsed_eta(t0, c, len(missing))}")

    show(counts)
    try:
        client, _ = cluster.get()
        run_tasks(client, missing, by_id, store, counts, show, submitted=early)
    finally:
        bar.close()


def _plots(args: argparse.Namespace, rows: list, inputs: list, tasks: list) -> list[str]:
    if not args.plot:
        return []
    from symrep.zoo.plots import write_plots

    order = list(dict.fromkeys(t.label for t in tasks))
    return write_plots(args.plot, rows, {z.ident: z.path for z in inputs}, [z.ident for z in inputs], order)


def _checked(when: Any) -> str | None:
    """How a certified row was checked: by the checker in this run, or by a recorded check of the same bytes (UTC)."""
    if when is None:
        return None
    if when == "run":
        return "this run"
    return "recorded " + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))


def _document(args, inputs, tasks, rows, statuses, counts, plots, seconds, checked) -> dict[str, Any]:
    names = {z.ident: z.path for z in inputs}
    out_rows = []
    for r, s, when in zip(rows, statuses, checked):
        out_rows.append({"inputs": [names[r["id_a"]], names[r["id_b"]]], "ids": [r["id_a"], r["id_b"]], "layer": r["layer"],
                         "eps": None if r["eps"] == "-" else r["eps"], "measure": r["measure"], "exact": r["exact"],
                         "lower": r["lower"], "upper": r["upper"], "decimal": r["decimal"],
                         "witness": json.loads(r["witness"]), "certificate": r["certificate"], "status": s,
                         "checked": _checked(when)})
    return {"store": args.store, "symrep": __version__,
            "inputs": [{"file": z.path, "id": z.ident, "sha256": z.file_sha256} for z in inputs],
            "tasks": {"total": counts.total, "already_stored": counts.stored, "computed": counts.computed,
                      "failed": len(counts.failed)},
            "rows_written": counts.rows_written, "task_seconds": round(counts.seconds, 3),
            "task_cpu_seconds": round(counts.cpu, 3),
            "failures": [{"task": t, "message": m} for t, m in counts.failed],
            "rows": out_rows, "plots": plots, "seconds": round(seconds, 3)}


def _short_names(paths: list[str]) -> dict[str, str]:
    """Each path by its file name when those are distinct, else as given."""
    from pathlib import Path

    base = {p: Path(p).name for p in paths}
    return base if len(set(base.values())) == len(paths) else {p: p for p in paths}


def _print_summary(doc: dict, inputs: list, tasks: list) -> None:
    t = doc["tasks"]
    print(f"zoo of {len(inputs)} inputs, {t['total']} tasks (pair, layer): {t['already_stored']} already stored, "
          f"{t['computed']} computed, {t['failed']} failed")
    print(f"store: {doc['store']}")
    short = _short_names([z.path for z in inputs])
    layers = list(dict.fromkeys(x.label for x in tasks))
    groups: dict[tuple[str, Any], dict] = {}
    for r in sorted(doc["rows"], key=lambda r: (r["measure"] != "similarity", r["measure"])):
        groups.setdefault((r["measure"], r["eps"]), {})[(tuple(r["inputs"]), r["layer"])] = r
    for (measure, eps), cells in groups.items():
        print(f"{measure}" + ("" if eps is None else f", eps={eps}") + ":")
        pairs = list(dict.fromkeys(p for p, _ in cells))
        header = ["pair"] + layers
        table = [header]
        for p in pairs:
            line = [f"{short[p[0]]} / {short[p[1]]}"]
            for lay in layers:
                r = cells.get((p, lay))
                line.append("" if r is None else f"{r['decimal'][:8]} {_MARK.get(r['status'], '!')}")
            table.append(line)
        widths = [max(len(row[k]) for row in table) for k in range(len(header))]
        for row in table:
            print(fit("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()))
    print("(c certified: accepted by the standalone checker, in this run or by a recorded check of these same bytes; "
          "n new: computed now, certificate written; s stored, not re-checked; u no certificate; ! rejected)")
    for f in doc["failures"]:
        print(fit(f"FAILED {f['task']}: {f['message']}"))
    for r in doc["rows"]:
        if r["status"].startswith("rejected"):
            print(fit(f"REJECTED {r['inputs'][0]} / {r['inputs'][1]} layer {r['layer']} {r['measure']} eps {r['eps']}: "
                      f"{r['status'][len('rejected: '):]}"))
    for p in doc["plots"]:
        print(f"plot written: {p}")
    print("Decimals are truncated exact values (or certified digits of a bracket); --json gives every number exact.")


def add_zoo_parser(sub: Any) -> None:
    """Add ``symrep zoo`` to the sub-command parsers of the ``symrep`` command."""
    p = sub.add_parser("zoo", help="compare every pair of many networks (activation files), on Dask, into a results store",
                       description="Every unordered pair of the inputs, every common layer, every eps and measure, "
                                   "computed on Dask and kept in a resumable SQLite store. See docs/zoo.md.")
    p.add_argument("files", nargs="+", metavar="FILE", help=".npy/.npz activation files, or networks with --data")
    p.add_argument("--store", required=True, metavar="RESULTS.sqlite", help="the results store (made if missing)")
    p.add_argument("--layers", metavar="L1,L2,...", help="layers to compare, by name (default: all common ones)")
    p.add_argument("--eps", default="0", metavar="E1,E2,...", help="eps values, exact decimals or p/q (default 0)")
    p.add_argument("--measures", metavar="M1,M2,...", help="also these certified measures: cka, cca, svcca:K, procrustes ...")
    p.add_argument("--width", default="1e-12", metavar="W", help="bracket width of --measures, relative (default 1e-12)")
    p.add_argument("--data", metavar="POINTS.npy", help="data points (one row each) for network files")
    p.add_argument("--activations", metavar="A1,A2,...", help="activations of state dicts (.pt, .safetensors)")
    p.add_argument("--layout", choices=("points-by-neurons", "neurons-by-points"), default=None,
                   help="how activation arrays are stored (default points-by-neurons)")
    for flag in ("--max-entries", "--max-total", "--max-arrays"):
        p.add_argument(flag, metavar="N", help="as for symrep compare")
    p.add_argument("--scheduler", metavar="ADDRESS", help="an existing Dask scheduler, tcp://HOST:PORT or tls://HOST:PORT "
                                                          "(default: a cluster on this machine, on 127.0.0.1 only)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes of the local cluster (default: cores, at most 4)")
    p.add_argument("--tls", action="store_true", help="the local cluster talks TLS, with temporary credentials")
    p.add_argument("--tls-ca-file", metavar="CA.pem", help="TLS to --scheduler: the CA that signed the cluster's certificates")
    p.add_argument("--tls-cert", metavar="CERT.pem", help="TLS to --scheduler: this client's certificate")
    p.add_argument("--tls-key", metavar="KEY.pem", help="TLS to --scheduler: this client's private key")
    p.add_argument("--recheck", choices=("stored", "all", "none"), default="stored",
                   help="re-check certificates with the standalone checker before calling a result certified: results "
                        "read back from the store (default; a result whose very bytes the checker accepted in an earlier run "
                        "is certified by that run's keyed record), all (the checker on every result, records ignored), "
                        "or none (stored results are then reported as unchecked)")
    p.add_argument("--no-certificates", action="store_true", help="write no certificates (results are then never certified)")
    p.add_argument("--plot", metavar="DIR", help="write heatmaps per layer and eps and similarity-against-depth plots into DIR")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_zoo)
