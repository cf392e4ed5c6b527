#!/usr/bin/env python3
"""Where a zoo's time goes: CPU per process and a timeline of the tasks, relative to the command's start.

Runs ``symrep zoo FILES --workers W --recheck none --json`` on a fresh store in a child process
(the CLI itself, called in-process there, with Dask's task stream recorded around
:func:`symrep.zoo.engine.run_tasks` and the client's phases timed), polls every process of the
tree with psutil (CPU user+sys; the workers are grandchildren, forked by the fork server), and prints:

* wall time, the CPU of every process (client, fork server, workers) and their sum, against the
  tasks' own CPU time on the workers (``task_cpu_seconds``);
* when the client finished reading, when the cluster was up, each worker's first task start and
  last task end, and when the command ended (the start-up and the tail).

Needs psutil.  Inputs as in ``bench_zoo.py`` (``--size``), written to a temporary directory.

    python3 benchmarks/trace_zoo.py --workers 2            # 256 x 4000
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(t0: float, out: str, args: list[str]) -> int:
    """In the traced process: the CLI, with its phases and the task stream written to ``out``."""
    import symrep.cli.zoo as cli_zoo
    import symrep.zoo.engine as engine
    from symrep.cli.app import main

    marks: list[tuple[float, str]] = []
    stream: list[dict] = []

    def mark(what: str) -> None:
        marks.append((time.time() - t0, f"{what} (client CPU {time.process_time():.2f} s)"))

    def timed(mod: object, name: str) -> None:
        f = getattr(mod, name)

        def g(*a: object, **k: object) -> object:
            mark(f"{name} start")
            try:
                return f(*a, **k)
            finally:
                mark(f"{name} end")
        setattr(mod, name, g)

    run_tasks, connect = engine.run_tasks, engine.connect
    streams: list = []

    def connected(*a: object, **k: object) -> object:
        # the task stream is recorded from the moment the cluster is up: tasks are submitted while the inputs are read
        from distributed import get_task_stream

        client, cluster = connect(*a, **k)
        ts = get_task_stream(client)
        ts.__enter__()
        streams.append(ts)
        return client, cluster

    def traced(client: object, *a: object, **k: object) -> object:
        result = run_tasks(client, *a, **k)
        for ts in streams:
            ts.__exit__(None, None, None)
            stream.extend({"worker": d["worker"], "startstops": [(s["action"], s["start"], s["stop"])
                                                                 for s in d["startstops"]]} for d in ts.data)
        return result

    engine.run_tasks, engine.connect = traced, connected
    timed(engine, "connect")
    timed(engine, "_forkserver")
    timed(cli_zoo, "_read")
    import symrep.zoo.inputs as zoo_inputs

    timed(zoo_inputs, "read_side")
    timed(engine.Starter, "close")
    timed(cli_zoo, "_statuses")
    timed(cli_zoo, "_document")
    import symrep.cli.app as app

    def dump() -> None:
        with open(out, "w") as fh:
            json.dump({"marks": marks, "stream": stream, "t0": t0}, fh)

    exit_now = app._exit_now

    def exiting(rc: int) -> None:  # the command line's own exit (symrep.cli.app._exit_now), the trace written first
        mark("main returned")
        dump()
        exit_now(rc)

    app._exit_now = exiting
    mark("imports done")
    sys.argv = ["symrep", "zoo", *args]
    rc = main()  # as from the command line (argv None)
    mark("main returned")
    dump()
    return rc


def main() -> None:
    import argparse

    import psutil

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_zoo import write_inputs

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="256x4000")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    n, d = (int(x) for x in args.size.lower().split("x"))
    print("load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores at the start")
    with tempfile.TemporaryDirectory(prefix="trace-zoo-") as tmp:
        paths = write_inputs(Path(tmp), n, d)
        out, doc_file = Path(tmp) / "trace.json", Path(tmp) / "doc.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SYMREP_ZOO_KEY": str(Path(tmp) / "check.key")}
        t0 = time.time()
        with open(doc_file, "w") as fh:  # a file, not a pipe: the document is large and is read at the end
            proc = subprocess.Popen([sys.executable, __file__, "--child", str(t0), str(out), *paths, "--store",
                                     str(Path(tmp) / "r.sqlite"), "--eps", "0,1/4", "--json", "--workers", str(args.workers),
                                     "--recheck", "none"], stdout=fh, env=env)
            root = psutil.Process(proc.pid)
            seen: dict[int, dict] = {}
            while proc.poll() is None:
                try:
                    procs = [root, *root.children(recursive=True)]
                except psutil.Error:
                    break
                for p in procs:
                    try:
                        c = p.cpu_times()
                        s = seen.setdefault(p.pid, {"cmd": " ".join(p.cmdline())[-50:], "first": time.time() - t0})
                        s["cpu"], s["last"] = c.user + c.system, time.time() - t0
                    except psutil.Error:
                        pass
                time.sleep(0.05)
        wall = time.time() - t0
        if proc.returncode != 0:
            sys.exit(f"symrep zoo failed ({proc.returncode})")
        doc = json.loads(doc_file.read_text())
        trace = json.loads(out.read_text())
    total = sum(s["cpu"] for s in seen.values())
    print(f"wall {wall:.2f} s; CPU of all processes {total:.2f} s (polled every 50 ms); the tasks' own CPU "
          f"{doc['task_cpu_seconds']:.2f} s, beyond them {total - doc['task_cpu_seconds']:.2f} s")
    for pid, s in seen.items():
        print(f"  pid {pid}: {s['cpu']:.2f} s CPU, seen {s['first']:.2f}-{s['last']:.2f} s: ...{s['cmd']}")
    for t, what in trace["marks"]:
        print(f"  {t:6.2f} s  {what}")
    by: dict[str, list[tuple[float, float]]] = {}
    for task in trace["stream"]:
        for action, a, b in task["startstops"]:
            if action == "compute":
                by.setdefault(task["worker"], []).append((a - t0, b - t0))
    for w, spans in sorted(by.items()):
        spans.sort()
        busy = sum(b - a for a, b in spans)
        print(f"  worker {w}: {len(spans)} tasks, first start {spans[0][0]:.2f} s, last end {spans[-1][1]:.2f} s, "
              f"busy {busy:.2f} s, tasks {min(b - a for a, b in spans):.2f}-{max(b - a for a, b in spans):.2f} s")
    print(f"  command ended {wall:.2f} s")
    print("load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + " at the end")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child(float(sys.argv[2]), sys.argv[3], sys.argv[4:]))
    main()
