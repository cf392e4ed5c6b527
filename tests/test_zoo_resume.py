"""The zoo's store loses nothing: kill -9 a run partway and rerun; run twice at once on one store;
and the separate-processes path (a `dask scheduler` and two `dask worker` processes on localhost),
where one worker is then killed with SIGKILL partway through a run.

Each test asserts the row count and every row's values against a clean run on a fresh store (the
values themselves are checked against a construction in tests/test_zoo.py).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import tempfile
import sys
import time
from pathlib import Path

import pytest

from _zoo_files import write_zoo

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
# records of checks are keyed by a file of the user's: the tests keep theirs apart (never in the home directory)
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SYMREP_ZOO_KEY": os.path.join(tempfile.mkdtemp(prefix="zoo-key-"), "key")}
#: Six inputs (15 pairs) of two layers: 30 tasks, enough that a run is still going after its first row.
SUBSETS = {f"m{i}": {"h1": sorted({0, 1, i + 2, (i + 3) % 8}), "h2": sorted({8, 9 + i % 3, 12 + i % 2})} for i in range(6)}
VALUES = "id_a, id_b, layer, eps, measure, version, exact, decimal, lower, upper, witness"


def _zoo(paths, store, *extra):
    return [sys.executable, "-m", "symrep", "zoo", *paths, "--store", str(store), "--eps", "0,1/4", "--json", *extra]


def _rows(store):
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute(f"SELECT {VALUES} FROM results ORDER BY id_a, id_b, layer, eps, measure").fetchall()


def _count(store) -> int:
    try:
        with sqlite3.connect(store, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not made yet
        return 0


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clean")
    paths = list(write_zoo(tmp, SUBSETS).values())
    out = subprocess.run(_zoo(paths, tmp / "clean.sqlite", "--workers", "2"), capture_output=True, text=True, env=ENV,
                         cwd=tmp, timeout=600)
    assert out.returncode == 0, out.stderr
    rows = _rows(tmp / "clean.sqlite")
    assert len(rows) == 15 * 2 * 2
    return tmp, paths, rows


@pytest.mark.slow
def test_kill_9_of_the_client_partway_then_rerun_loses_and_duplicates_nothing(clean, tmp_path):
    tmp, paths, want = clean
    store = tmp_path / "killed.sqlite"
    proc = subprocess.Popen(_zoo(paths, store, "--workers", "1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=ENV, cwd=tmp_path, start_new_session=True)  # its own group: the cluster dies with it
    try:
        deadline = time.monotonic() + 300
        while _count(store) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        _kill_group(proc)  # kill -9 of the client and its LocalCluster's processes
    at_kill = _count(store)
    assert 0 < at_kill < len(want), at_kill  # killed partway
    out = subprocess.run(_zoo(paths, store, "--workers", "2"), capture_output=True, text=True, env=ENV, cwd=tmp_path,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["tasks"]["already_stored"] * 2 == at_kill  # whole tasks were stored, and only those
    assert _rows(store) == want
    statuses = [r["status"] for r in doc["rows"]]
    assert statuses.count("certified") == at_kill and statuses.count("computed") == len(want) - at_kill


@pytest.mark.slow
def test_two_runs_at_once_on_one_store_agree_with_a_clean_run(clean, tmp_path):
    tmp, paths, want = clean
    store = tmp_path / "shared.sqlite"
    procs = [subprocess.Popen(_zoo(paths, store, "--workers", "1", "--recheck", "none"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=ENV, cwd=tmp_path, start_new_session=True)
             for _ in range(2)]
    try:
        outs = [p.communicate(timeout=600) for p in procs]
    finally:
        for p in procs:
            _kill_group(p)
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    docs = [json.loads(o) for o, _ in outs]
    assert sum(d["rows_written"] for d in docs) == len(want)  # every row written once, by one of the two
    assert _rows(store) == want
    named = {r["certificate"] for d in docs for r in d["rows"]}
    assert len(named) == 15 * 2 and all((store.parent / c).is_file() for c in named)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_scheduler_and_two_workers_started_by_hand(clean, tmp_path):
    tmp, paths, want = clean
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = []
    try:
        procs.append(subprocess.Popen(["dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                       "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      env=ENV, start_new_session=True))
        for _ in range(2):
            procs.append(subprocess.Popen(["dask", "worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                                           "--nthreads", "1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, env=ENV, start_new_session=True))
        from distributed import Client

        with Client(address, timeout="120s") as c:
            c.wait_for_workers(2, timeout=180)
        store = tmp_path / "remote.sqlite"
        out = subprocess.run(_zoo(paths, store, "--scheduler", address), capture_output=True, text=True, env=ENV,
                             cwd=tmp_path, timeout=600)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["tasks"]["computed"] == 30
        assert _rows(store) == want
        # kill -9 of one worker partway: its tasks (and arrays) go to the other; nothing lost, nothing twice
        store = tmp_path / "worker-killed.sqlite"
        run = subprocess.Popen(_zoo(paths, store, "--scheduler", address), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=ENV, cwd=tmp_path, start_new_session=True)
        procs.append(run)
        deadline = time.monotonic() + 300
        while _count(store) == 0 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        _kill_group(procs[1])
        assert 0 < _count(store) < len(want)
        stdout, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
        assert json.loads(stdout)["tasks"]["failed"] == 0
        assert _rows(store) == want
    finally:
        for p in procs:
            _kill_group(p)
