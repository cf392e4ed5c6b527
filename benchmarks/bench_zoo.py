#!/usr/bin/env python3
"""The zoo against single comparisons, and a rerun on the stored results.

Four activation files of 3 layers x n neurons x d points (float32 ReLU layers of one random
data set; two thirds of each layer's neurons are shared with the other files' weights, a third
their own), eps {0, 1/4}.  Prints:

* the sum of the single comparisons' times: each (pair, layer) task (comparison and layer
  certificate, :func:`symrep.zoo.tasks.run_task`) timed in this process, one after another,
  one BLAS thread;
* the full zoo (``symrep zoo --workers W``, a fresh store, in a subprocess: cluster start,
  reading, scattering and writing included) against that sum divided by W (target <= 1.3x);
* a breakdown: the tasks' own CPU time on the workers against the same tasks' CPU time here
  (like with like: both run :func:`~symrep.zoo.tasks.run_task`, comparison and certificates), and
  the CPU of the zoo's processes beyond the tasks (cluster, transfers, the client's writing);
* a rerun on the stored results with ``--recheck none``, then with the default re-check (the
  first runs the standalone checker on every stored certificate and records the verdicts; the
  second finds the records and checks that the bytes are unchanged: target < 2 s).

Wall-clock ratios on a loaded machine measure the load; the CPU figures do not.  ``uptime`` is
printed before and after.

    python3 benchmarks/bench_zoo.py                    # 256 x 4000, the issue's size
    python3 benchmarks/bench_zoo.py --size 64x1000 --workers 2
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy is imported: one thread, as on each worker
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import resource  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def write_inputs(out: Path, n: int, d: int, files: int = 4, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((d, 32)).astype(np.float32)
    base = [rng.standard_normal((32, n)).astype(np.float32) for _ in range(3)]
    paths = []
    for f in range(files):
        layers = {}
        for layer in range(3):
            W = base[layer].copy()
            W[:, 2 * n // 3:] = rng.standard_normal((32, n - 2 * n // 3)).astype(np.float32)
            layers[f"l{layer}"] = np.maximum(X @ W, 0).astype(np.float32)
        p = out / f"net{f}.npz"
        np.savez(p, **layers)
        paths.append(str(p))
    return paths


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def single_comparisons(paths: list[str], eps: list[str]) -> tuple[float, int, float]:
    """Every (pair, layer) task run here one after another: the sum of their times, their number, their CPU seconds."""
    from symrep.zoo.engine import plan
    from symrep.zoo.inputs import read_inputs
    from symrep.zoo.tasks import run_task

    inputs = read_inputs(paths)
    by_id = {z.ident: z for z in inputs}
    total, count, cpu = 0.0, 0, 0.0
    for t in plan(inputs, eps=eps):
        a, b = (by_id[i].side.layers[by_id[i].meta[t.label]["name"]] for i in t.ids)
        start, c = time.perf_counter(), time.thread_time()
        run_task(t, a, b)
        total += time.perf_counter() - start
        cpu += time.thread_time() - c
        count += 1
    return total, count, cpu


def _subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux), so that their CPU is counted.

    The zoo's workers are forked by multiprocessing's fork server, a child of the zoo process that
    outlives it by a moment: without this, the server and the workers it reaped would be adopted by
    init and their CPU time lost to ``RUSAGE_CHILDREN``.
    """
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _reap(seconds: float = 10.0) -> None:
    """Wait for adopted descendants (the fork server exits once the zoo process has gone)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def zoo(paths: list[str], store: Path, eps: list[str], *extra: str) -> tuple[float, dict, float]:
    """Wall seconds, the JSON document, and CPU seconds of the command and all its descendants."""
    env = {"SYMREP_ZOO_KEY": str(store.with_name("check.key")), **os.environ, "PYTHONPATH": str(ROOT)}
    cpu = _children_cpu()
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "symrep", "zoo", *paths, "--store", str(store), "--eps", ",".join(eps),
                          "--json", *extra], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    _reap()
    if out.returncode != 0:
        sys.exit(f"symrep zoo failed ({out.returncode}): {out.stderr[-2000:]}")
    return seconds, json.loads(out.stdout), _children_cpu() - cpu


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="256x4000", help="neurons x points per layer (default 256x4000)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-recheck-rerun", action="store_true", help="skip the reruns that re-check (and record) certificates")
    args = ap.parse_args()
    n, d = (int(x) for x in args.size.lower().split("x"))
    eps = ["0", "1/4"]
    print(f"({_load()} at the start)")
    if not _subreaper():
        print("(not Linux: the CPU of the workers forked by the fork server is not counted)")
    trim = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    print(f"this process: MALLOC_TRIM_THRESHOLD_={trim} (the workers: unset, see WORKER_CONFIG in symrep/zoo/engine.py)")
    with tempfile.TemporaryDirectory(prefix="bench-zoo-") as tmp:
        paths = write_inputs(Path(tmp), n, d)
        single, count, single_cpu = single_comparisons(paths, eps)
        print(f"inputs: 4 files x 3 layers x {n} neurons x {d} points, eps {{0, 1/4}}: {count} tasks (pair, layer)")
        print(f"sum of the single comparisons (with certificates), one process: {single:.1f} s wall, {single_cpu:.1f} s CPU")
        store = Path(tmp) / "results.sqlite"
        full, doc, full_cpu = zoo(paths, store, eps, "--workers", str(args.workers), "--recheck", "none")
        ideal = single / args.workers
        print(f"full zoo, {args.workers} workers (fresh store): {full:.1f} s = {full / ideal:.2f}x the sum / {args.workers} "
              f"({ideal:.1f} s); target <= 1.3x; tasks computed {doc['tasks']['computed']}, rows {len(doc['rows'])}")
        task_cpu = doc["task_cpu_seconds"]
        print(f"  breakdown: the tasks' own CPU on the workers {task_cpu:.1f} s = {task_cpu / single_cpu:.2f}x the same tasks "
              f"here ({single_cpu:.1f} s); their wall time there {doc['task_seconds']:.1f} s")
        print(f"  CPU of all the zoo's processes {full_cpu:.1f} s: {full_cpu - task_cpu:.1f} s beyond the tasks (cluster start, "
              f"imports, reading, scattering, results, store); CPU-bound estimate (zoo CPU / {args.workers}) / (sum / "
              f"{args.workers}) = {full_cpu / single_cpu:.2f}x")
        again, doc, again_cpu = zoo(paths, store, eps, "--recheck", "none")
        print(f"rerun on the stored results, --recheck none: {again:.2f} s, {again_cpu:.2f} s CPU; "
              f"computed {doc['tasks']['computed']}")
        if not args.no_recheck_rerun:
            checked, doc, _ = zoo(paths, store, eps, "--workers", str(args.workers))
            ok = sum(r["status"] == "certified" for r in doc["rows"])
            print(f"rerun, default re-check, first time ({args.workers} checker processes run, verdicts recorded): "
                  f"{checked:.1f} s; {ok} of {len(doc['rows'])} rows certified")
            fast, doc, fast_cpu = zoo(paths, store, eps)
            ok = sum(r["status"] == "certified" and (r["checked"] or "").startswith("recorded") for r in doc["rows"])
            print(f"rerun, default re-check, records found (bytes re-hashed): {fast:.2f} s, {fast_cpu:.2f} s CPU "
                  f"(target < 2 s); {ok} of {len(doc['rows'])} rows certified by their records")
    print(f"({_load()} at the end)")


if __name__ == "__main__":
    main()
