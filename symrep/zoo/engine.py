"""The zoo engine: every unordered pair of inputs, every common layer, on a Dask cluster.

Each task is one (pair, layer) comparison (:func:`symrep.zoo.tasks.run_task`).  The activation
matrices are scattered to the cluster once per (input, layer) and the tasks receive them by
reference, so a matrix is shipped to a worker at most once however many pairs use it.  Results
come back as tasks finish (``distributed.as_completed``) and are written to the store at once:
the certificate's files first, into a directory of their own, then the rows in one transaction,
so a kill at any moment loses at most the tasks then running, and never leaves a row without its
certificate.

Security: a Dask scheduler runs whatever its clients send (pickled functions), and a worker
runs whatever its scheduler sends.  The embedded cluster (the default) therefore listens on
127.0.0.1 only (its HTTP server too); a remote scheduler is contacted only when named
(``scheduler=``), and TLS is Dask's own (``distributed.security.Security``, or Dask's
configuration).  See docs/zoo.md for who must be trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from symrep.errors import InputError, SymrepError
from symrep.zoo.inputs import ZooInput, common_layers
from symrep.zoo.store import Store
from symrep.zoo.tasks import SIMILARITY, TaskResult, TaskSpec, relative

__all__ = ["RunCounts", "Starter", "Submitter", "plan", "place_certificate", "run_tasks", "store_result", "connect"]


def plan(inputs: Sequence[ZooInput], *, eps: Sequence[str], measures: Sequence[str] = (), layers: Sequence[str] | None = None,
         width: str = "1e-12", certificates: bool = True) -> list[TaskSpec]:
    """One task per unordered pair of inputs and common layer; each pair in the order of its hashes.

    >>> from symrep.zoo.inputs import ZooInput
    >>> meta = {"h": {"name": "h", "width": 2, "points": 3}}
    >>> ins = [ZooInput(n, c * 64, c * 64, None, meta) for n, c in (("f", "b"), ("g", "a"), ("k", "c"))]
    >>> [(t.names, t.label) for t in plan(ins, eps=["0"])]
    [(('g', 'f'), 'h'), (('f', 'k'), 'h'), (('g', 'k'), 'h')]
    """
    tasks = []
    for i, a in enumerate(inputs):
        for b in inputs[i + 1:]:
            x, y = (a, b) if a.ident < b.ident else (b, a)
            for label in common_layers(x, y, layers):
                tasks.append(TaskSpec((x.ident, y.ident), (x.path, y.path), label, tuple(eps), tuple(measures), width,
                                      (x.refs.get(label), y.refs.get(label)), certificates))
    return tasks


@dataclass
class RunCounts:
    """What a run did: tasks computed here, rows written, tasks already stored, tasks that failed (with why)."""

    total: int = 0
    done: int = 0
    stored: int = 0
    computed: int = 0
    rows_written: int = 0
    fresh: set = field(default_factory=set)  # the row keys this run wrote
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0  # the sum of the tasks' own times (what single comparisons would take)
    cpu: float = 0.0  # the sum of the tasks' own CPU times on the workers


def connect(scheduler: str | None = None, workers: int | None = None, security: Any = None, tls: bool = False) -> tuple[Any, Any]:
    """A Dask client and the cluster it owns (None for a named scheduler).

    Without ``scheduler``: a LocalCluster of ``workers`` processes (one thread each) listening on
    127.0.0.1 only (its HTTP server too); ``tls`` gives it temporary TLS credentials.  With
    ``scheduler``: that address only, with ``security`` (a ``distributed.security.Security``, or
    None for Dask's configuration).
    """
    # The fork server of the workers starts first (before this process imports Dask): its imports overlap ours.
    method = _forkserver() if scheduler is None else "spawn"
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SymrepError("symrep zoo needs Dask: pip install 'symrep[zoo]'") from None
    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://")):
            raise InputError(f"--scheduler {scheduler!r}: expected tcp://HOST:PORT or tls://HOST:PORT")
        try:
            return Client(scheduler, security=security, timeout="30s"), None
        except (OSError, TimeoutError) as e:
            raise SymrepError(f"--scheduler {scheduler}: cannot connect ({e})") from None
    import dask

    n = workers or max(1, min(os.cpu_count() or 1, 4))
    if method == "forkserver":
        import distributed.utils

        if hasattr(distributed.utils, "_forkserver_preload_set"):  # Dask's own list would replace ours: slower, not wrong
            distributed.utils._forkserver_preload_set = True
    # The scheduler's HTTP server (health, metrics; the dashboard when bokeh is installed) starts even without a
    # dashboard, on every interface by default: bound here to the loopback, on a free port.
    with dask.config.set({**WORKER_CONFIG, "distributed.worker.multiprocessing-method": method}):  # read by each nanny
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0", worker_dashboard_address=None,
                               security=True if tls else None, protocol="tls://" if tls else "tcp://")
    return Client(cluster), cluster


def start_forkserver() -> None:
    """Start the embedded cluster's fork server now, if there is one (:func:`connect` would otherwise start it).

    Reading an input holds this process's GIL for long stretches (NumPy's loading and conversion): started
    from :class:`Starter`'s thread, the server waited for the first input to be read (0.2 s, measured in
    docs/zoo.md); started from the reading thread before it reads, its imports overlap that reading.
    """
    _forkserver()


def _forkserver() -> str:
    """Start the fork server of the embedded cluster's workers; ``"forkserver"``, or ``"spawn"`` where there is none.

    With ``spawn`` (Dask's default) each worker process is a fresh interpreter that imports Dask, NumPy,
    symrep and, for the ``symrep`` script (multiprocessing re-runs the main script in each child), the
    whole command line (``symrep.cli.app``), each on its own, while the client reads its inputs on the
    same cores.  With
    ``forkserver`` one server process imports them once and each worker is a fork of it (measured in
    docs/zoo.md).  The server is a fresh interpreter (nothing of the client, its threads or its arrays,
    reaches the workers, as with ``spawn``), started here, before the client imports Dask and starts the
    scheduler, so that its imports overlap them.  Dask's own preload list for the server
    (``distributed.utils.get_mp_context``) imports every optional package it knows (pandas, lz4) and not
    symrep: :func:`connect` sets ours and tells Dask it is set.
    """
    import importlib.util
    import multiprocessing
    import sys

    if "forkserver" not in multiprocessing.get_all_start_methods() or importlib.util.find_spec("distributed") is None:
        return "spawn"
    preload = ["distributed", "numpy", "symrep.zoo.tasks"]
    main = getattr(getattr(sys.modules.get("__main__"), "__spec__", None), "name", None) or ""
    if "symrep.cli.app" in sys.modules and not main.endswith("__main__"):
        # the `symrep` script: each worker re-runs the main script (multiprocessing does so for a script, not for
        # `python -m symrep`), and the script imports the command line
        preload.append("symrep.cli.app")
    multiprocessing.get_context("forkserver").set_forkserver_preload(preload)
    # The server inherits this process's environment now, not when the first nanny starts a worker: the
    # variables each nanny sets here before it starts its worker (pre-spawn-environ: one BLAS thread; Dask's
    # rule: an existing value wins, PYTHONHASHSEED 6640 unless the config sets it) are set first, to the same values.
    env = {k: os.environ.get(k, str(v)) for k, v in PRE_SPAWN_ENVIRON.items() if v is not None}
    if env.get("PYTHONHASHSEED") in (None, "0"):
        env["PYTHONHASHSEED"] = "6640"
    os.environ.update(env)
    import multiprocessing.forkserver

    multiprocessing.forkserver.ensure_running()
    return "forkserver"


class Starter:
    """:func:`connect` in a background thread: the cluster starts while the client reads its inputs.

    Starting the embedded cluster takes about a second (a fork server importing Dask, NumPy and
    symrep, the scheduler, two workers forked), and reading four inputs of 3 x 256 x 4,000 takes most
    of a second: in a zoo of 12 s of work on two workers that was a quarter of the overhead when done one
    after the other.  :meth:`start` may be called any number of times (the first call starts);
    :meth:`get` waits for the thread and returns what :func:`connect` returned, or raises what it
    raised; :meth:`close` closes what was started, also when :meth:`get` was never called.  ``first``,
    if given, is called by the first :meth:`start` in the caller's thread before the background thread
    starts (the embedded cluster's fork server: :func:`start_forkserver`).

    >>> s = Starter(lambda: ("client", None))
    >>> s.started
    False
    >>> s.start(); s.get()
    ('client', None)
    """

    def __init__(self, open_cluster: Callable[[], tuple[Any, Any]], first: Callable[[], Any] | None = None):
        import threading

        self._open, self._first = open_cluster, first
        self._future: Any = None  # a concurrent.futures.Future once started: result() re-raises what connect raised
        self._closed = False
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self._future is not None

    @property
    def ready(self) -> bool:
        """Started and up (False while starting, and when the start failed: :meth:`get` raises that)."""
        return self._future is not None and self._future.done() and self._future.exception() is None

    def start(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        with self._lock:
            if self._future is None:
                if self._first is not None:
                    # in the caller's thread: the thread below would wait for the GIL while the caller reads an input
                    self._first()
                pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="symrep-zoo-cluster")
                self._future = pool.submit(self._open)
                pool.shutdown(wait=False)  # the one thread ends with its one call

    def get(self) -> tuple[Any, Any]:
        self.start()
        return self._future.result()

    def close(self) -> None:
        """Close the client and the cluster it owns, if they were started (waits for the start to end)."""
        if self._future is None or self._closed or self._future.exception() is not None:
            return
        self._closed = True
        client, cluster = self._future.result()
        client.close()
        if cluster is not None:
            cluster.close()


#: Dask settings of the embedded cluster's workers.  A task is one long, single-threaded, pure-Python
#: computation, so: one BLAS/OpenMP thread per worker process (a worker per core; more threads would
#: oversubscribe the cores), no statistical profiler (it samples the task's stack every 10 ms, and
#: each sample takes the GIL from the task), and the periodic checks (event-loop tick every 20 ms,
#: memory every 100 ms, system monitor every 500 ms) once a second or less: their CPU grows with the
#: wall time, not with the work, and on a loaded machine it was a third of the cluster's overhead.
#:
#: And NOT Dask's default ``MALLOC_TRIM_THRESHOLD_=65536`` (None unsets it: glibc's defaults).  Setting
#: it turns off glibc's dynamic mmap threshold, so every allocation over 128 KiB (each NumPy temporary
#: of a 256 x 4,000 layer, each large Python integer buffer) is a fresh mmap, zero-filled page by page
#: by the kernel, and unmapped on free: 7x the page faults and 1.3x the CPU of the same tasks run in
#: one plain process (measured with and without it, docs/zoo.md).  A task holds its few large
#: arrays for its whole run and the worker lives for one zoo, so trimming gains nothing here.
#: Measured in benchmarks/bench_zoo.py (see docs/zoo.md).  These are read in this process too (the
#: scheduler and the nannies run here).
PRE_SPAWN_ENVIRON: dict[str, Any] = {"OMP_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1, "MKL_NUM_THREADS": 1,
                                     "MALLOC_TRIM_THRESHOLD_": None}
WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ": PRE_SPAWN_ENVIRON,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    # Each worker imports the task's module when it starts, not inside its first task: with the cluster
    # started in the background (Starter), that import overlaps the client's reading of the inputs.
    "distributed.worker.preload": ["symrep.zoo.tasks"],
}


def _certificate_dir(store: Store, spec: TaskSpec) -> Path:
    """A directory of its own for one task's certificate (a run token makes two runs never share one)."""
    safe = "".join(ch if ch.isalnum() else "_" for ch in spec.label)[:40]
    return store.certificate_dir / f"{spec.ids[0][:12]}-{spec.ids[1][:12]}-{safe}-{uuid.uuid4().hex[:12]}"


def data_files(store: Store, inputs: Sequence[ZooInput]) -> dict[str, str]:
    """Each input's path relative to a task's certificate directory (every one is a child of the store's)."""
    child = store.certificate_dir / "task"
    return {z.ident: relative(z.path, str(child)) for z in inputs}


def _task_id(t: TaskSpec) -> tuple[tuple[str, str], str]:
    return t.ids, t.label


class Submitter:
    """Tasks submitted while the inputs are still being read: each as soon as its two inputs are read.

    :meth:`offer` is called with each input as it is read (``read_inputs(on_input=...)``); the tasks
    between it and the inputs read before it (``tasks_of``: the planned tasks of a pair, those not in
    the store) are queued, and the queue is scattered and submitted as soon as there is one: the first
    time, this waits for the cluster (:class:`Starter`), which then starts without the reading of the
    other inputs competing with it for this process, and those are read while the first tasks run.
    :func:`run_tasks` takes the futures over (``submitted=``) and cancels any it was not asked for.
    """

    def __init__(self, store: Store, cluster: Starter, tasks_of: Callable[[list[ZooInput]], list[TaskSpec]]):
        self.store, self.cluster, self._tasks_of = store, cluster, tasks_of
        self.read: list[ZooInput] = []
        self.by_id: dict[str, ZooInput] = {}
        self.arrays: dict[tuple[str, str], Any] = {}
        self.futures: dict[tuple[tuple[str, str], str], tuple[TaskSpec, Any]] = {}
        self._files: dict[str, str] = {}

    def offer(self, z: ZooInput) -> None:
        if z.side is None:  # known to the store, not read: its tasks (if missing) are submitted by run_tasks
            return
        earlier, self.read = self.read, [*self.read, z]
        self.by_id[z.ident] = z
        self._files.update(data_files(self.store, [z]))
        queue = []
        for y in earlier:
            for t in self._tasks_of([y, z]):
                stored = self.store.stored_keys(t.row_keys())
                if len(stored) < len(t.row_keys()) and _task_id(t) not in self.futures:
                    queue.append(t)
        if not queue:
            return
        client, _ = self.cluster.get()
        for t in sorted(queue, key=lambda t: -_cost(t, self.by_id)):
            _scatter(client, [t], self.by_id, self.arrays)
            self.futures[_task_id(t)] = (t, _submit(client, t, self.arrays, self._files, _cost(t, self.by_id)))

    def cancel(self) -> None:
        """Cancel what no :func:`run_tasks` took over (e.g. when a later input could not be read)."""
        for _, f in self.futures.values():
            f.cancel()
        self.futures.clear()


def place_certificate(store: Store, result: TaskResult, inputs: dict[str, ZooInput]) -> dict[str, tuple[str, str]]:
    """Write a task's certificate files beside the store, as the worker made them.

    Returns, for the layer certificate (key ``"layer"``) and the report certificate of the
    measures (``"report"``), its path relative to the store's directory and its SHA-256.
    """
    if not result.files:
        return {}
    out = _certificate_dir(store, result.spec)
    named = {result.certificate: "layer", result.report: "report"}
    placed = {}
    try:
        out.mkdir(parents=True, exist_ok=False)
        for name, raw in result.files.items():
            with open(out / name, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())  # on disk before the row that names it is committed
            if name in named:
                placed[named[name]] = (relative(str(out / name), str(store.path.parent)), hashlib.sha256(raw).hexdigest())
    except OSError as e:
        raise SymrepError(f"{out}: cannot write the certificate ({e.strerror or e})") from None
    return placed


def store_result(store: Store, result: TaskResult, inputs: dict[str, ZooInput]) -> int:
    """Write one finished task: certificate, then its rows in one transaction; the number of rows inserted."""
    spec = result.spec
    stored = store.stored_keys(spec.row_keys())
    if len(stored) == len(spec.row_keys()):  # another run wrote them meanwhile: nothing to add
        return 0
    placed = place_certificate(store, result, inputs)
    rows = []
    for r in result.rows:
        # a similarity row is stated by the layer certificate; a measure row by the report certificate, when it has a claim
        which = "layer" if r.measure == SIMILARITY else "report" if r.witness.get("claims") else None
        path, digest = placed.get(which, (None, None)) if which else (None, None)
        rows.append((spec.ids[0], spec.ids[1], spec.label, r.eps, r.measure, spec.version, r.exact, r.decimal, r.lower,
                     r.upper, json.dumps(r.witness, sort_keys=True), path, digest, result.seconds))
    written = store.insert_rows(rows)
    if written == 0 and placed:  # lost a race with another run: its certificates are the ones named
        _remove_tree(store.path.parent / next(iter(placed.values()))[0])
    return written


def _remove_tree(cert_path: Path) -> None:
    d = cert_path.parent
    try:
        for p in d.iterdir():
            p.unlink()
        d.rmdir()
    except OSError:
        pass  # an orphan directory is harmless: no row names it


def _scatter(client: Any, tasks: Sequence[TaskSpec], inputs: dict[str, ZooInput],
             futures: dict[tuple[str, str], Any] | None = None) -> dict[tuple[str, str], Any]:
    """Each (input, layer) matrix that some task needs and ``futures`` lacks, scattered to the cluster once."""
    futures = {} if futures is None else futures
    for t in tasks:
        for ident in t.ids:
            key = (ident, t.label)
            if key not in futures:
                side = inputs[ident].side
                if side is None:
                    raise SymrepError(f"{inputs[ident].path}: not read (internal: a task needs its arrays)")
                name = inputs[ident].meta[t.label]["name"]
                futures[key] = client.scatter(side.layers[name], hash=False)
    return futures


def _cost(t: TaskSpec, inputs: dict[str, ZooInput]) -> int:
    """A task's size, for Dask's priority: the largest first, so that no worker is left with a long one at the end.

    The comparison's work grows as the product of the two widths and the number of points.

    >>> from symrep.zoo.inputs import ZooInput
    >>> wide, narrow = ({"h": {"name": "h", "width": w, "points": 10}} for w in (4, 2))
    >>> ins = {i: ZooInput(i, i, i, None, m) for i, m in (("a", narrow), ("b", wide), ("c", wide))}
    >>> [(t.ids, _cost(t, ins)) for t in plan(list(ins.values()), eps=["0"])]
    [(('a', 'b'), 80), (('a', 'c'), 80), (('b', 'c'), 160)]
    """
    a, b = (inputs[i].meta.get(t.label, {}) for i in t.ids)
    return int(a.get("width", 0)) * int(b.get("width", 0)) * int(a.get("points", 0))


def _submit(client: Any, t: TaskSpec, arrays: dict, files: dict[str, str], priority: int = 0) -> Any:
    from dataclasses import replace

    from symrep.zoo.tasks import run_task

    t = replace(t, data_files=(files[t.ids[0]], files[t.ids[1]]))
    return client.submit(run_task, t, arrays[(t.ids[0], t.label)], arrays[(t.ids[1], t.label)], pure=False,
                         priority=priority,
                         key=f"symrep-zoo-{t.label}-{t.ids[0][:12]}-{t.ids[1][:12]}-{uuid.uuid4().hex[:8]}")


#: Attempts per task when the cluster fails it (a worker killed, its scattered arrays lost with it).
ATTEMPTS = 3


def run_tasks(client: Any, tasks: Sequence[TaskSpec], inputs: dict[str, ZooInput], store: Store,
              counts: RunCounts, on_change: Callable[[RunCounts], None] | None = None,
              submitted: Submitter | None = None) -> RunCounts:
    """Submit every task, write each result as it finishes; failures are counted with their message.

    ``submitted``: tasks already submitted while the inputs were read (:class:`Submitter`); those of
    ``tasks`` are taken over, the others cancelled.  When the cluster loses a task (a worker killed:
    Dask reruns its tasks elsewhere, but arrays scattered only to that worker are gone), the task's
    two arrays are scattered again and the task resubmitted, up to :data:`ATTEMPTS` times.
    """
    from concurrent.futures import CancelledError

    from distributed import KilledWorker, as_completed

    files = data_files(store, list(inputs.values()))
    early = {} if submitted is None else submitted.futures
    arrays: dict[tuple[str, str], Any] = {} if submitted is None else submitted.arrays
    futures = []
    order = sorted(tasks, key=lambda t: -_cost(t, inputs))  # the largest first (stable: else in the plan's order)
    for t in order:  # each task submitted once its two matrices are out: the first starts before the last is scattered
        if _task_id(t) in early:
            futures.append(early.pop(_task_id(t))[1])
            continue
        _scatter(client, [t], inputs, arrays)
        futures.append(_submit(client, t, arrays, files, _cost(t, inputs)))
    if submitted is not None:
        submitted.cancel()  # submitted early, not asked for now (another run stored them meanwhile)
    by_key = {f.key: (t, 1) for f, t in zip(futures, order)}
    pending = as_completed(futures)
    for fut in pending:
        t, attempt = by_key.pop(fut.key)
        where = f"{t.names[0]} vs {t.names[1]} layer {t.label}"
        try:
            result = fut.result()
        except SymrepError as e:
            counts.failed.append((where, str(e)))
        except (KilledWorker, CancelledError, MemoryError, OSError) as e:  # the cluster's failures
            if attempt < ATTEMPTS:
                for ident in t.ids:
                    arrays.pop((ident, t.label), None)
                arrays.update(_scatter(client, [t], inputs))
                again = _submit(client, t, arrays, files, _cost(t, inputs))
                by_key[again.key] = (t, attempt + 1)
                pending.add(again)
                continue
            counts.failed.append((where, f"{type(e).__name__}: {e}"))
        else:
            written = store_result(store, result, inputs)
            if written:
                counts.fresh.update(t.row_keys())
            counts.rows_written += written
            counts.computed += 1
            counts.seconds += result.seconds
            counts.cpu += result.cpu
        counts.done += 1
        fut.release()
        if on_change:
            on_change(counts)
    return counts


def elapsed_eta(start: float, counts: RunCounts, todo: int) -> str:
    """The time left, from the average time of a finished task so far ('?' before the first).

    >>> elapsed_eta(0.0, RunCounts(total=4, done=0), 4)
    'ETA ?'
    """
    finished = counts.done - counts.stored
    if finished <= 0:
        return "ETA ?"
    per = (time.monotonic() - start) / finished
    left = max(0, todo - finished) * per
    return f"ETA {int(left // 60)}:{int(left % 60):02d}"
