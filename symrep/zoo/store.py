"""The results store of a zoo: one SQLite file (standard library ``sqlite3``, WAL mode).

One row per (hash of the first input, hash of the second, layer, eps, measure, symrep version),
the primary key, holding the exact result (or the certified bracket of a measure), its decimal,
the witness summary as JSON and the path of the layer certificate relative to the store.  Rows
are written in one transaction per finished task (``INSERT OR IGNORE``): a process killed at any
moment leaves whole tasks or nothing (SQLite's atomic commit), a rerun skips every stored key,
and two runs on one store never write a key twice (the second insert of a key is ignored; each
connection waits up to ``timeout`` seconds for the other's write lock).  ``synchronous=FULL``
makes a commit durable before the run goes on.

A table ``checks`` holds records of earlier checks by the standalone checker (keyed MACs, see
:mod:`symrep.zoo.records`; they mean nothing without the user's key).  A table ``inputs`` records,
per input hash, the layers and widths read from it, so that a rerun
whose every row is stored need not read the inputs again (``--recheck none``, or rows with recorded checks).

>>> import tempfile, os
>>> s = Store(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
>>> row = ("a", "b", "h", "0", "similarity", "0.1", "1/2", "0.5", "1/2", "1/2", "{}", None, None, 0.1)
>>> s.insert_rows([row]), s.insert_rows([row]), s.count()
(1, 0, 1)
>>> s.close()
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

from symrep.errors import InputError

__all__ = ["COLUMNS", "Store", "StoredRow"]

COLUMNS = ("id_a", "id_b", "layer", "eps", "measure", "version", "exact", "decimal", "lower", "upper", "witness",
           "certificate", "certificate_sha256", "seconds")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    id_a TEXT NOT NULL, id_b TEXT NOT NULL, layer TEXT NOT NULL, eps TEXT NOT NULL, measure TEXT NOT NULL,
    version TEXT NOT NULL,
    exact TEXT, decimal TEXT NOT NULL, lower TEXT NOT NULL, upper TEXT NOT NULL, witness TEXT NOT NULL,
    certificate TEXT, certificate_sha256 TEXT, seconds REAL, written REAL NOT NULL,
    PRIMARY KEY (id_a, id_b, layer, eps, measure, version)
);
CREATE TABLE IF NOT EXISTS inputs (
    id TEXT PRIMARY KEY, meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checks (
    mac TEXT PRIMARY KEY, checked REAL NOT NULL
);
"""
StoredRow = dict  # a row read back: column name -> value


class Store:
    """A results store; open it once per process (a connection is not shared between threads)."""

    def __init__(self, path: str | os.PathLike, timeout: float = 120.0):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:  # not a database, a read-only place, a locked file past the timeout
            raise InputError(f"{self.path}: cannot open the results store ({e})") from None

    @property
    def certificate_dir(self) -> Path:
        """Where the certificates of this store go: ``results.sqlite`` -> ``results.certificates/``."""
        return self.path.with_name(self.path.stem + ".certificates")

    def close(self) -> None:
        self.db.close()

    def _write(self, sql: str, rows: Sequence[tuple]) -> int:
        """Run an insert for all rows in one transaction; the number of rows actually inserted."""
        try:
            self.db.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock with another run
            before = self.db.total_changes
            self.db.executemany(sql, rows)
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as e:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise InputError(f"{self.path}: cannot write the results store ({e})") from None
        return self.db.total_changes - before

    def insert_rows(self, rows: Iterable[Sequence[Any]]) -> int:
        """Insert rows (values in :data:`COLUMNS` order); keys already stored are left as they are."""
        now = time.time()
        values = [tuple(r) + (now,) for r in rows]
        cols = ", ".join(COLUMNS + ("written",))
        return self._write(f"INSERT OR IGNORE INTO results ({cols}) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})", values)

    def stored_keys(self, keys: Iterable[tuple]) -> set[tuple]:
        """Which of the given keys (id_a, id_b, layer, eps, measure, version) have a row."""
        found = set()
        for k in keys:
            if self.db.execute("SELECT 1 FROM results WHERE id_a=? AND id_b=? AND layer=? AND eps=? AND measure=? "
                               "AND version=?", tuple(k)).fetchone():
                found.add(tuple(k))
        return found

    def rows(self, keys: Iterable[tuple] | None = None) -> list[StoredRow]:
        """The stored rows of the given keys (all rows when None), as dicts, in key order."""
        cur = self.db.execute(f"SELECT {', '.join(COLUMNS)}, written FROM results ORDER BY id_a, id_b, layer, measure, eps")
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, r)) for r in cur.fetchall()]
        if keys is None:
            return out
        wanted = {tuple(k) for k in keys}
        return [r for r in out if (r["id_a"], r["id_b"], r["layer"], r["eps"], r["measure"], r["version"]) in wanted]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def input_meta(self, ident: str) -> dict[str, Any] | None:
        """What was recorded about an input (its layers, widths, points) when it was last read, or None."""
        got = self.db.execute("SELECT meta FROM inputs WHERE id=?", (ident,)).fetchone()
        if got is None:
            return None
        try:
            meta = json.loads(got[0])
        except ValueError:
            return None  # an unreadable record: the input is read again
        return meta if isinstance(meta, dict) else None

    def check_recorded(self, mac: str) -> float | None:
        """When a check with this record was made (seconds since the epoch), or None."""
        got = self.db.execute("SELECT checked FROM checks WHERE mac=?", (mac,)).fetchone()
        return None if got is None else float(got[0])

    def record_checks(self, macs: Sequence[str]) -> None:
        now = time.time()
        self._write("INSERT OR IGNORE INTO checks (mac, checked) VALUES (?, ?)", [(m, now) for m in macs])

    def record_input(self, ident: str, meta: dict[str, Any]) -> None:
        self._write("INSERT OR REPLACE INTO inputs (id, meta) VALUES (?, ?)", [(ident, json.dumps(meta, sort_keys=True))])
