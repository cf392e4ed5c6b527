"""Records of earlier checks: a stored row the standalone checker accepted once is not checked again.

Re-checking a stored result costs what checking costs (seconds per layer), so a rerun of a zoo
would be bounded by the checker.  When the checker accepts a row's certificate (and the row is
cross-checked against it and this run's inputs, :mod:`symrep.zoo.recheck`), the run records that
verdict as an HMAC-SHA256, under a key kept outside the store, of everything the verdict depends on:

* the row itself (every column but its time: key, value, bracket, witness, certificate path and
  the certificate's SHA-256), so the row cannot be changed afterwards;
* the layout the inputs were read with (the row's key already holds the inputs' content hashes);
* the SHA-256 of the checker file that accepted it and the symrep version.

A later run reports a stored row as certified without running the checker again only when the
record verifies *and*, in that run, the certificate file still has the row's SHA-256 and every file
it names (witness, data written beside it, the user's arrays) still has the SHA-256 it names --
that is, the bytes are the very ones the checker accepted.  Anything else is checked again.

Why that is honest: the store and the certificate directory are files anyone who can write them
can change; the record cannot be made without the key, which is a file of this user's
(``~/.config/symrep/zoo-check.key``, mode 600, or ``$SYMREP_ZOO_KEY``), never in the store.  A
store moved to another machine or user has records that do not verify there, and is checked
again.  Someone who can write this user's files can forge a record, but could equally change
symrep or the checker.  ``--recheck all`` ignores the records and runs the checker on every row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any, Sequence

__all__ = ["key", "message", "mac", "files_unchanged", "CHECKER_SHA256"]

_KEY_BYTES = 32


def _key_path() -> Path:
    env = os.environ.get("SYMREP_ZOO_KEY")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "symrep" / "zoo-check.key"


def key() -> bytes | None:
    """This user's record key (made on first use, readable by the user only), or None where none can be kept."""
    path = _key_path()
    try:
        raw = path.read_bytes()
        if len(raw) == _KEY_BYTES:
            return raw
        return None  # a key file of another shape: not ours to replace; records are then off
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another run made it meanwhile
        return key()
    except OSError:
        return None
    raw = os.urandom(_KEY_BYTES)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    return raw


def _sha256_file(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


#: The SHA-256 of the standalone checker's file (a record holds for the checker that accepted it).
CHECKER_SHA256 = _sha256_file(Path(__file__).resolve().parents[1] / "checker.py") or ""

_ROW_FIELDS = ("id_a", "id_b", "layer", "eps", "measure", "version", "exact", "decimal", "lower", "upper", "witness",
               "certificate", "certificate_sha256")


def message(row: dict, layout: str | None) -> bytes:
    """What a record of a check of ``row`` binds: the row (but its time), the layout, the checker, the version.

    >>> m = message({f: "x" for f in _ROW_FIELDS}, None)
    >>> m.startswith(b'["symrep-zoo-check-1"') and m == message({f: "x" for f in _ROW_FIELDS}, None)
    True
    """
    from symrep import __version__

    return json.dumps(["symrep-zoo-check-1", __version__, CHECKER_SHA256, layout or "points-by-neurons",
                       [row.get(f) for f in _ROW_FIELDS]], separators=(",", ":")).encode("utf-8")


def mac(secret: bytes, row: dict, layout: str | None) -> str:
    """The record of a check of ``row``: HMAC-SHA256 of :func:`message` under this user's key."""
    return hmac.new(secret, message(row, layout), hashlib.sha256).hexdigest()


def files_unchanged(row: dict, base: Path, seen: dict[str, str | None]) -> bool:
    """Whether the row's certificate, and every file it names, still has the SHA-256 recorded for it.

    ``seen`` caches file hashes within one run (certificates of one task share files).
    """
    path = base / row["certificate"]

    def sha(p: Path) -> str | None:
        k = str(p.resolve())
        if k not in seen:
            seen[k] = _sha256_file(p)
        return seen[k]

    if sha(path) != row["certificate_sha256"]:
        return False
    try:
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    if not isinstance(doc, dict):
        return False
    named: list[Any] = list((doc.get("data") or {}).values()) if isinstance(doc.get("data"), dict) else []
    if doc.get("witness_file") is not None:
        named.append(doc["witness_file"])
    for ref in named:
        if not isinstance(ref, dict) or not isinstance(ref.get("file"), str):
            return False
        if sha(path.parent / ref["file"]) != ref.get("sha256"):
            return False
    return True


def recorded(rows: Sequence[dict], store: Any, base: Path, layout: str | None) -> dict[int, float]:
    """Indices of rows with a verifying record of an earlier check (and unchanged files): index -> when checked."""
    secret = key()
    if secret is None:
        return {}
    seen: dict[str, str | None] = {}
    out = {}
    for i, r in enumerate(rows):
        when = store.check_recorded(mac(secret, r, layout))
        if when is not None and r.get("certificate") and files_unchanged(r, base, seen):
            out[i] = when
    return out


def record(rows: Sequence[dict], store: Any, layout: str | None) -> None:
    """Record that these rows were checked (the checker accepted each, and its cross-check passed) in this run."""
    secret = key()
    if secret is not None and rows:
        store.record_checks([mac(secret, r, layout) for r in rows])
