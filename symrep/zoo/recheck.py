"""Results read back from a store are re-checked before they are reported as certified.

A store is a file anyone with write access can change, so a stored row proves nothing by itself.
Every row reported as *certified* has passed, in this run:

1. the standalone checker (``symrep/checker.py``, standard library only, run as a separate
   process with ``-I``, so it shares nothing with this process) on the row's certificate, which
   re-derives the maximum match of each eps from the data named by SHA-256 (a similarity row's
   layer certificate), or each measure's bracket from the data points it holds (a measure row's
   report certificate, the one ``symrep compare --certificate-dir`` writes); and
2. a comparison of the certificate with the row and with this run's inputs: the data it names
   are the inputs' files (their SHA-256, the array of the row's layer, the orientation read), or,
   for data written beside or into the certificate, the exact activations of this run; for a
   similarity, its claim for the row's eps states the row's matched neurons and the row's exact
   similarity is ``(|X*| + |Y*|) / (|X| + |Y|)`` with the widths of this run's inputs; for a
   measure, its proved claims state the row's exact value, or a bracket inside the row's bracket.

Or else, in place of both, a verifying record that an earlier run did both on these very bytes
(:mod:`symrep.zoo.records`).  Anything else is reported as what it is: ``stored`` (not
re-checked), ``rejected`` (with the checker's or the comparison's reason) or ``uncertified`` (no
certificate: a measure undefined on the layer, or one no claim kind states there).
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from symrep.exact.numbers import format_number

__all__ = ["CHECKER", "run_checker", "cross_check", "recheck_rows"]

#: The standalone checker, run as its own process (never imported: it serves no decision of the library).
CHECKER = Path(__file__).resolve().parents[1] / "checker.py"
_MAX_CERT = 1 << 28  # the checker's own bound on a certificate file


def run_checker(paths: Sequence[Path], jobs: int = 1) -> dict[str, dict]:
    """The checker's JSON report of each certificate, ``jobs`` checker processes at a time."""
    paths = list(dict.fromkeys(paths))
    out: dict[str, dict] = {}
    batches = [paths[k::max(1, jobs)] for k in range(max(1, jobs))]
    procs = [(b, subprocess.Popen([sys.executable, "-I", str(CHECKER), "--json", *map(str, b)], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)) for b in batches if b]
    for batch, proc in procs:
        raw, _ = proc.communicate()
        try:
            reports = json.loads(raw.decode("utf-8"))["certificates"]
        except (ValueError, KeyError, TypeError):
            reports = [{"file": str(p), "status": "unreadable", "message": "the checker gave no report", "claims": []}
                       for p in batch]
        for p, r in zip(batch, reports):
            out[str(p)] = r
    return out


def _written_sha(rows: Any) -> str | None:
    """SHA-256 of the float64 .npy a layer certificate writes for these rows (None when it would not)."""
    import tempfile

    from symrep.certificates.layer import written_reference

    with tempfile.TemporaryDirectory() as tmp:
        ref = written_reference(rows, Path(tmp))
    return None if ref is None else ref["sha256"]


def _data_ok(doc: dict, sides: tuple[Any, Any], label: str, layout: str | None) -> str | None:
    """Why the certificate's data are not this run's inputs, or None when they are."""
    from symrep.compare import _rows

    data: dict = doc["data"] if isinstance(doc.get("data"), dict) else {}
    transpose = (layout or "points-by-neurons") == "points-by-neurons"
    for s, zin in zip("xy", sides):
        ref = data.get(s)
        if not isinstance(ref, dict):
            return f"no data reference for side {s}"
        want = zin.refs.get(label)
        if want is not None:
            if ref.get("sha256") != zin.file_sha256 or ref.get("array") != want.get("array") \
                    or bool(ref.get("transpose")) != transpose:
                return f"side {s} names other data than {zin.path} layer {label}"
        else:
            m = zin.side.layers[zin.meta[label]["name"]]
            if ref.get("sha256") != _written_sha(_rows(m)):
                return f"side {s}: the data written beside the certificate are not the activations of {zin.path}"
    return None


def _embedded_ok(doc: dict, sides: tuple[Any, Any], label: str) -> str | None:
    """For a self-contained certificate: its data points are this run's two matrices side by side."""
    from symrep.compare import _rows

    A, B = (_rows(z.side.layers[z.meta[label]["name"]]) for z in sides)
    FA, FB = A.fractions(), B.fractions()
    want = [[format_number(x) for x in ca + cb] for ca, cb in zip(zip(*FA), zip(*FB))]
    got = doc.get("problem", {}).get("data", {}).get("inputs")
    return None if got == want else "its data points are not this run's activations"


def _claims(doc: dict) -> list[dict]:
    if "problem" in doc:  # the self-contained form: claims in the problem, answers in the results
        return [dict(c, **(r or {})) for c, r in zip(doc["problem"].get("claims", []), doc.get("results", []))]
    return doc.get("claims", [])


def _stated_bounds(claims: list[dict], measure: str) -> tuple[Fraction | None, Fraction | None, Fraction | None] | str:
    """What proved claims state of a measure's value v: (lower, upper, S) with v = sqrt(S) when S is given; or why not."""
    lo = hi = square = None
    for c in claims:
        if c.get("verdict") is not True:
            return f"the certificate does not prove {c.get('id')}"
        if c.get("kind") == "relation":
            if (c.get("left") or {}).get("measure") != measure:
                return f"{c.get('id')} is about {(c.get('left') or {}).get('measure')}, not {measure}"
            value = Fraction((c.get("right") or {})["value"])
            rel = c.get("relation")
            if rel not in (">=", "<="):
                return f"{c.get('id')}: relation {rel!r} bounds nothing"
            lo, hi = (value, hi) if rel == ">=" else (lo, value)
            continue
        if c.get("kind") != measure.partition(":")[0]:
            return f"{c.get('id')} is a {c.get('kind')} claim, not {measure}"
        eq = c.get("equals")
        if isinstance(eq, str) and eq.startswith("sqrt(") and eq.endswith(")"):
            square = Fraction(eq[5:-1])
        elif eq is not None:
            lo = hi = Fraction(eq)
        else:
            lo = Fraction(c["at_least"]) if "at_least" in c else lo
            hi = Fraction(c["at_most"]) if "at_most" in c else hi
    return lo, hi, square


def _measure_ok(row: dict, doc: dict, witness: dict) -> str | None:
    """For a measure row: the certificate's proved claims state the row's value (or a bracket inside the row's)."""
    ids = witness.get("claims") or []
    by_id = {c.get("id"): c for c in _claims(doc) if isinstance(c, dict)}
    if not ids or any(i not in by_id for i in ids):
        return f"the certificate has no claim stating {row['measure']}"
    got = _stated_bounds([by_id[i] for i in ids], row["measure"])
    if isinstance(got, str):
        return got
    lo, hi, square = got
    lower, upper = Fraction(row["lower"]), Fraction(row["upper"])
    if row["exact"] is not None:
        if square is not None or lo is None or lo != hi or lo != Fraction(row["exact"]) or not lower == lo == upper:
            return f"the certificate does not state the row's exact value {row['exact']}"
        return None
    if square is not None:  # v = sqrt(S): lower <= v <= upper, squared (v >= 0)
        if upper < 0 or square > upper * upper or (lower > 0 and lower * lower > square):
            return "the certificate's value is not inside the row's bracket"
        return None
    if lo is None or hi is None or lo < lower or hi > upper:
        return "the certificate's bracket is not inside the row's bracket"
    return None


def cross_check(row: dict, doc: dict, report: dict, sides: tuple[Any, Any], layout: str | None) -> str | None:
    """Why a row with its checker-accepted certificate is not certified, or None when it is."""
    if report.get("status") != "valid":
        return f"the checker says {report.get('status')}: {report.get('message')}"
    witness = json.loads(row["witness"])
    label = row["layer"]
    why = _embedded_ok(doc, sides, label) if "problem" in doc else _data_ok(doc, sides, label, layout)
    if why:
        return why
    if row["measure"] != "similarity":
        return _measure_ok(row, doc, witness)
    ids = {c.get("id"): c for c in _claims(doc) if isinstance(c, dict)}
    claim = ids.get(f"maximum-match-eps-{row['eps']}")
    if claim is None or claim.get("verdict") is not True:
        return f"the certificate has no proved claim for eps {row['eps']}"
    if claim.get("equals") != [witness.get("x"), witness.get("y")]:
        return "the certificate's maximum match is not the row's"
    wa, wb = (z.meta[label]["width"] for z in sides)
    if Fraction(len(witness["x"]) + len(witness["y"]), wa + wb) != Fraction(row["exact"]):
        return "the row's similarity is not (|X*| + |Y*|) / (|X| + |Y|) of its match"
    if any(c.get("verdict") is not True for c in _claims(doc)):
        return "a claim of the certificate is not proved"
    return None


def recheck_rows(rows: list[dict], base: Path, inputs: dict[str, Any], layout: str | None, jobs: int = 1) -> dict[int, str]:
    """Re-check rows with certificates: row index -> "certified" or "rejected: why"."""
    import hashlib

    paths = {i: base / r["certificate"] for i, r in enumerate(rows) if r.get("certificate")}
    reports = run_checker(list(paths.values()), jobs)
    docs: dict[str, Any] = {}
    out: dict[int, str] = {}
    for i, p in paths.items():
        row = rows[i]
        try:
            with open(p, "rb") as fh:
                raw = fh.read(_MAX_CERT + 1)
            if hashlib.sha256(raw).hexdigest() != row["certificate_sha256"]:
                out[i] = "rejected: the certificate is not the one stored with the row"
                continue
            doc = docs.setdefault(str(p), json.loads(raw.decode("utf-8")))
            why = cross_check(row, doc, reports.get(str(p), {}), (inputs[row["id_a"]], inputs[row["id_b"]]), layout)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            why = f"unreadable ({type(e).__name__}: {e})"
        out[i] = "certified" if why is None else f"rejected: {why}"
    return out

