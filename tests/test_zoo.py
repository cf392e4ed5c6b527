"""symrep zoo: every pair, every layer, every eps into a store; values against a construction; rerun and re-check.

The similarities are known by construction (tests/_zoo_files.py: subsets of an independent pool);
a rerun computes nothing and re-checks every stored certificate with the standalone checker; a
row or certificate changed in the store is reported as rejected, never as certified.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from _zoo_files import SUBSETS, similarity, write_zoo
from symrep.cli.app import main

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent


def _run(capsys, *argv):
    rc = main(["zoo", *argv])
    return rc, capsys.readouterr().out


@pytest.fixture(autouse=True)
def _record_key(tmp_path_factory, monkeypatch):
    """The key of check records (symrep.zoo.records): one per test module, never the user's own."""
    monkeypatch.setenv("SYMREP_ZOO_KEY", str(tmp_path_factory.getbasetemp() / "zoo-check.key"))


@pytest.fixture(scope="module")
def zoo(tmp_path_factory):
    """One computed zoo (3 files, 2 layers, eps 0 and 1/4, plus cka) and its JSON document."""
    tmp = tmp_path_factory.mktemp("zoo")
    paths = write_zoo(tmp, SUBSETS)
    store = tmp / "r.sqlite"
    argv = [*paths.values(), "--store", str(store), "--eps", "0,1/4", "--measures", "cka", "--workers", "1", "--json"]
    env = {**os.environ, "SYMREP_ZOO_KEY": str(tmp_path_factory.getbasetemp() / "zoo-check.key")}
    out = subprocess.run([sys.executable, "-m", "symrep", "zoo", *argv, "--plot", str(tmp / "plots")], capture_output=True, text=True, cwd=ROOT,
                         timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    return tmp, paths, store, argv, json.loads(out.stdout)


def test_every_pair_layer_eps_and_measure_is_stored_with_the_constructed_value(zoo):
    tmp, paths, store, _, doc = zoo
    assert doc["tasks"] == {"total": 6, "already_stored": 0, "computed": 6, "failed": 0}
    rows = doc["rows"]
    assert len(rows) == 3 * 2 * 3  # pairs x layers x (two eps + cka)
    name = {v: k for k, v in paths.items()}
    for r in rows:
        a, b = (name[p] for p in r["inputs"])
        if r["measure"] == "similarity":
            want = similarity(SUBSETS[a][r["layer"]], SUBSETS[b][r["layer"]])
            assert Fraction(r["exact"]) == want  # exact, as text
            assert r["eps"] in ("0", "1/4") and r["status"] == "computed" and r["certificate"]
            assert len(r["witness"]["x"]) + len(r["witness"]["y"]) == want * (len(SUBSETS[a][r["layer"]]) + len(SUBSETS[b][r["layer"]]))
        else:
            # measure rows carry the report certificate (as compare --certificate-dir writes it), not yet re-checked
            assert r["measure"] == "cka" and r["eps"] is None and r["status"] == "computed"
            assert r["certificate"].endswith(".report.cert.json") and r["witness"]["claims"] == ["measure-cka"]
            lo, hi, want = Fraction(r["lower"]), Fraction(r["upper"]), _cka_squared(paths[a], paths[b], r["layer"])
            assert 0 <= lo <= hi and lo * lo <= want <= hi * hi  # the bracket holds linear CKA, by an oracle
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 18
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_changed_measure_bracket_is_rejected(zoo, capsys, tmp_path):
    tmp, _, store, argv, _ = zoo
    copy = tmp_path / "r.sqlite"
    copy.write_bytes(store.read_bytes())
    (tmp_path / "r.certificates").symlink_to(store.with_name("r.certificates"))
    args = [a if a != str(store) else str(copy) for a in argv]
    with sqlite3.connect(copy) as db:  # a narrower bracket than the certificate proves: [upper, upper]
        changed = db.execute("UPDATE results SET lower=upper WHERE layer='h2' AND measure='cka' AND lower != upper").rowcount
    rc, out = _run(capsys, *args)
    rows = json.loads(out)["rows"]
    bad = [r for r in rows if r["status"].startswith("rejected")]
    assert changed >= 1  # (f and k have the same h2: their CKA is exactly 1, a bracket of width 0)
    assert rc == 1 and len(bad) == changed and all(r["layer"] == "h2" and r["measure"] == "cka" for r in bad)
    assert all(r["status"] == "certified" for r in rows if r not in bad)


def test_a_recorded_check_holds_only_for_the_same_bytes_and_key(zoo, capsys, tmp_path, monkeypatch):
    import shutil

    tmp, _, store, argv, _ = zoo
    shutil.copytree(tmp, tmp_path / "z")  # inputs, store and certificates together (the references are relative)
    args = [a.replace(str(tmp), str(tmp_path / "z")) for a in argv]
    certs = tmp_path / "z" / "r.certificates"
    monkeypatch.setenv("SYMREP_ZOO_KEY", str(tmp_path / "mine.key"))
    rc, out = _run(capsys, *args)  # checked now, and recorded
    assert rc == 0 and {r["checked"] for r in json.loads(out)["rows"]} == {"this run"}
    witness = next(certs.glob("*-h1-*/layer-h1.witness.npz"))
    raw = bytearray(witness.read_bytes())
    raw[len(raw) // 2] ^= 1  # one bit of one witness file
    witness.write_bytes(bytes(raw))
    rc, out = _run(capsys, *args)
    rows = json.loads(out)["rows"]
    hit = [r for r in rows if r["certificate"] and witness.parent.name in r["certificate"] and r["measure"] == "similarity"]
    assert rc == 1 and hit and all(r["status"].startswith("rejected") for r in hit)  # the record does not cover it
    assert all(r["checked"].startswith("recorded ") for r in rows if r not in hit)
    monkeypatch.setenv("SYMREP_ZOO_KEY", str(tmp_path / "another.key"))  # another user's key: nothing is recorded
    rc, out = _run(capsys, *args)
    assert all(r["checked"] in (None, "this run") for r in json.loads(out)["rows"])


def _cka_squared(file_a, file_b, layer):
    """Linear CKA squared of two layers (points x neurons), in Fractions: <Xc'Yc>^2 / (|Xc'Xc|^2 |Yc'Yc|^2), Frobenius."""
    import numpy as np

    def centred(path):
        with np.load(path) as z:
            X = [[Fraction(float(v)) for v in row] for row in z[layer]]
        d = len(X)
        means = [sum(col) / d for col in zip(*X)]
        return [[v - m for v, m in zip(row, means)] for row in X]

    def hsic(X, Y):  # |X'Y|_F^2
        return sum(sum(X[p][i] * Y[p][j] for p in range(len(X))) ** 2 for i in range(len(X[0])) for j in range(len(Y[0])))

    X, Y = centred(file_a), centred(file_b)
    return hsic(X, Y) ** 2 / (hsic(X, X) * hsic(Y, Y))


def test_plots_are_png_files_per_layer_and_eps_and_against_depth(zoo):
    _, _, _, _, doc = zoo
    plots = [Path(p) for p in doc["plots"]]
    heat = [p for p in plots if p.name.startswith("heatmap-")]
    depth = [p for p in plots if p.name.startswith("depth-")]
    assert len(heat) == 3 * 2 and len(depth) == 3  # (eps 0, eps 1/4, cka) x layers, and one depth plot each
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in plots)


def test_rerun_computes_nothing_and_every_stored_match_is_rechecked(zoo, capsys):
    tmp, _, store, argv, first = zoo
    rc, out = _run(capsys, *argv)
    doc = json.loads(out)
    assert rc == 0 and doc["tasks"]["computed"] == 0 and doc["tasks"]["already_stored"] == 6
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("status", "checked")} for r in rows]  # noqa: E731
    assert strip(doc["rows"]) == strip(first["rows"])
    assert {r["status"] for r in doc["rows"]} == {"certified"}  # the matches and the cka brackets
    assert {r["checked"] for r in doc["rows"]} == {"this run"}
    rc, out = _run(capsys, *argv)  # again: every row certified by the record of that check, the checker not run
    again = json.loads(out)["rows"]
    assert rc == 0 and {r["status"] for r in again} == {"certified"}
    assert all(r["checked"].startswith("recorded ") for r in again)
    rc, out = _run(capsys, *argv, "--recheck", "none")  # no re-check: stored, never called certified
    assert rc == 0 and {r["status"] for r in json.loads(out)["rows"]} == {"stored"}


def test_a_changed_row_or_certificate_is_rejected(zoo, capsys, tmp_path):
    tmp, _, store, argv, _ = zoo
    copy = tmp_path / "r.sqlite"
    copy.write_bytes(store.read_bytes())  # the WAL was checkpointed when the run closed its connection
    (tmp_path / "r.certificates").symlink_to(store.with_name("r.certificates"))
    args = [a if a != str(store) else str(copy) for a in argv]
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE results SET exact='1', decimal='1' WHERE layer='h1' AND eps='0' AND measure='similarity'")
    rc, out = _run(capsys, *args)
    doc = json.loads(out)
    bad = [r for r in doc["rows"] if r["status"].startswith("rejected")]
    assert rc == 1 and len(bad) == 3 and all(r["layer"] == "h1" and r["eps"] == "0" for r in bad)
    assert all("similarity" in r["status"] for r in bad)
    with sqlite3.connect(copy) as db:  # a row naming another pair's certificate
        db.execute("UPDATE results SET exact=(SELECT exact FROM results WHERE layer='h1' AND eps='1/4' LIMIT 1)"
                   " WHERE layer='h1' AND eps='0'")
        other = db.execute("SELECT certificate, certificate_sha256 FROM results WHERE layer='h2' LIMIT 1").fetchone()
        db.execute("UPDATE results SET certificate=?, certificate_sha256=? WHERE layer='h1'", other)
    rc, out = _run(capsys, *args)
    assert rc == 1
    assert all(r["status"].startswith("rejected") for r in json.loads(out)["rows"]
               if r["layer"] == "h1" and r["measure"] == "similarity")


def test_the_terminal_table_lists_every_pair(zoo, capsys):
    tmp, paths, store, argv, _ = zoo
    rc, out = _run(capsys, *[a for a in argv if a != "--json"])
    assert rc == 0
    assert "6 already stored" in out
    for layer_cells in ("h1", "h2"):
        assert layer_cells in out
    for a, b in (("f", "g"), ("f", "k"), ("g", "k")):
        assert f"{a}.npz / {b}.npz" in out or f"{b}.npz / {a}.npz" in out
    # two eps tables and the cka table x three pairs x two layers: the cka brackets are re-checked too
    assert out.count(" c  ") + out.count(" c\n") == 3 * 3 * 2


def test_a_scheduler_is_only_a_named_tcp_or_tls_address(tmp_path, capsys):
    paths = write_zoo(tmp_path, SUBSETS)
    rc = main(["zoo", *paths.values(), "--store", str(tmp_path / "s.sqlite"), "--scheduler", "evil.example:8786"])
    assert rc == 2 and "tcp://" in capsys.readouterr().err


def test_the_local_cluster_listens_on_the_loopback_only():
    from symrep.zoo.engine import connect

    client, cluster = connect(workers=1)
    try:
        info = client.scheduler_info()
        addresses = [info["address"], *info["workers"]]
        assert all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses
        http = cluster.scheduler.http_server  # health, metrics, the dashboard: also on the loopback only
        bound = {sock.getsockname()[0] for sock in http._sockets.values()}
        assert bound == {"127.0.0.1"}, bound
        workers = client.run(lambda dask_worker: sorted({s.getsockname()[0] for s in dask_worker.http_server._sockets.values()}))
        assert list(workers.values()) == [["127.0.0.1"]], workers
        # the task's module was imported when the worker started (WORKER_CONFIG's preload), before any task
        assert list(client.run(lambda: "symrep.zoo.tasks" in sys.modules).values()) == [True]
    finally:
        client.close()
        cluster.close()


class _Closable:
    def __init__(self, log, name):
        self.log, self.name = log, name

    def close(self):
        self.log.append(self.name)


def test_the_background_start_closes_what_it_started_and_reraises_what_failed():
    from symrep.errors import SymrepError
    from symrep.zoo.engine import Starter

    log: list[str] = []
    never = Starter(lambda: pytest.fail("started without being asked"))
    never.close()  # nothing started: nothing to close, nothing called
    started = Starter(lambda: (log.append("open") or _Closable(log, "client"), _Closable(log, "cluster")))
    started.start()
    started.start()  # a second start is the same start
    started.close()  # started but never used (no task was missing after all): closed all the same
    assert log == ["open", "client", "cluster"]
    started.close()
    assert log == ["open", "client", "cluster"]  # closed once

    def refuse():
        raise SymrepError("--scheduler tcp://nowhere:1: cannot connect")

    failed = Starter(refuse)
    failed.start()
    with pytest.raises(SymrepError, match="cannot connect"):
        failed.get()  # raised in the caller's thread, as connect() itself would
    failed.close()


class _Future:
    def __init__(self, log, what):
        self.log, self.what, self.key = log, what, what

    def cancel(self):
        self.log.append(("cancel", self.what))


class _Client:
    """Records scatters and submits (the order in which the Submitter makes them)."""

    def __init__(self, log):
        self.log = log

    def scatter(self, data, hash=True):
        self.log.append(("scatter", id(data)))
        return ("future of", id(data))

    def submit(self, fn, spec, a, b, **kw):
        assert a[0] == b[0] == "future of" and kw["pure"] is False  # the scattered matrices, by reference
        self.log.append(("submit", spec.ids, spec.label))
        return _Future(self.log, (spec.ids, spec.label))


def test_tasks_are_submitted_as_soon_as_their_two_inputs_are_read_and_once_each(tmp_path):
    """Each pair's tasks go out before the next input is read; a stored task and an input pair never read do not."""
    from symrep.zoo.engine import Starter, Submitter, plan
    from symrep.zoo.inputs import read_inputs
    from symrep.zoo.store import Store

    paths = write_zoo(tmp_path, SUBSETS)
    log: list = []
    cluster = Starter(lambda: (log.append(("cluster up",)) or _Client(log), None))
    store = Store(tmp_path / "r.sqlite")
    try:
        ids = {n: z.ident for n, z in zip(SUBSETS, read_inputs(list(paths.values())))}
        first = plan(read_inputs([paths["f"], paths["k"]]), eps=["0"])[0]  # (f, k) layer h1: already stored
        store.insert_rows([(*first.ids, first.label, "0", "similarity", first.version, "1", "1", "1", "1", "{}", None, None,
                            0.0)])
        early = Submitter(store, cluster, lambda pair: plan(pair, eps=["0"]))
        read_inputs(list(paths.values()), on_read=lambda: log.append(("read",)), on_input=early.offer)
    finally:
        store.close()
    pair = {frozenset((ids[a], ids[b])): a + b for a in SUBSETS for b in SUBSETS if a < b}
    events = [e[0] if e[0] != "submit" else (pair[frozenset(e[1])], e[2]) for e in log if e[0] != "scatter"]
    # nothing starts before there is a task: the cluster is asked for once the second input is read; each batch
    # goes out largest first (h1: 4 x 5 neurons, h2: 3 x 3)
    assert events == ["read", "read", "cluster up", ("fg", "h1"), ("fg", "h2"), "read", ("gk", "h1"), ("fk", "h2"),
                      ("gk", "h2")]
    assert sum(e[0] == "scatter" for e in log) == 3 * 2  # each (input, layer) once, however many pairs use it
    assert sorted(early.futures) == sorted(((a, b), lay) for a, b, lay in
                                           [(t.ids[0], t.ids[1], t.label) for t in plan(read_inputs(list(paths.values())),
                                                                                        eps=["0"])] if (a, b, lay) !=
                                           (*first.ids, first.label))
    early.cancel()
    assert sum(e[0] == "cancel" for e in log) == 5 and not early.futures


def _session_members(sid: int) -> list[int]:
    """The live (not zombie) processes of session ``sid``, from /proc (Linux)."""
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(d.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc (Linux)")
def test_the_command_leaves_no_process_behind_and_its_document_whole(tmp_path):
    """From the command line the zoo ends with os._exit once closed: every row printed, no cluster process left over."""
    import time

    paths = write_zoo(tmp_path, SUBSETS)
    env = {**os.environ, "SYMREP_ZOO_KEY": str(tmp_path / "k")}
    proc = subprocess.Popen([sys.executable, "-m", "symrep", "zoo", *paths.values(), "--store", str(tmp_path / "r.sqlite"),
                             "--workers", "2", "--recheck", "none", "--json"], stdout=subprocess.PIPE, cwd=ROOT, env=env,
                            start_new_session=True)  # its own session: every process it starts is found by the session id
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0
    doc = json.loads(out)  # the whole document was flushed before the process ended
    assert doc["tasks"]["computed"] == 6 and len(doc["rows"]) == 6
    deadline = time.monotonic() + 30  # the fork server ends when it sees its parent gone: wait for that, not a duration
    while _session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_members(proc.pid) == []
