"""``symrep verify``: decide the claims of claim files exactly, with witnesses (and write certificates).

Exit status: 0 when every verdict is the expected one, 1 when some decided verdict is not,
2 on bad input, 3 when no verdict contradicts the claim file but some claim is undecided within
its bounds (its certificate marks it ``"undecided"`` and certifies the decided claims).
The table is fitted to the terminal (``--wide`` prints it in full; ``--json`` has every witness).
"""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from symrep.claims.files import Problem, loads_claim_file, parse_claim_toml, problem_from_mapping, read_claim_text
from symrep.claims.verdicts import Verdict, verify_problem
from symrep.cli.json_errors import JSON_HELP
from symrep.cli.progress import Progress
from symrep.cli.terminal import readable_numbers, width
from symrep.errors import SymrepError

BUNDLED = ("example-3.1.toml", "example-3.1-nonzero.toml")

#: Exit status when no decided verdict contradicts the claim file but some claim is undecided.
EXIT_UNDECIDED = 3


def bundled_claim_files() -> list[tuple[str, str]]:
    """``(name, text)`` of the claim files shipped with symrep (the seed's Example 3.1)."""
    root = resources.files("symrep") / "data"
    return [(f"symrep/data/{name}", (root / name).read_text(encoding="utf-8")) for name in BUNDLED]


def _load(paths: Sequence[str]) -> list[tuple[str, Any]]:
    """``(file, problem)`` pairs; a file that declares ``[parameters]`` gives a parametric problem."""
    if not paths:
        return [(name, loads_claim_file(text, name)) for name, text in bundled_claim_files()]
    out: list[tuple[str, Any]] = []
    for p in paths:
        doc = parse_claim_toml(read_claim_text(p), p)
        if isinstance(doc, dict) and "parameters" in doc:
            from symrep.parametric.decide import parametric_problem_from_mapping

            out.append((p, parametric_problem_from_mapping(doc, p)))
        else:
            out.append((p, problem_from_mapping(doc, p)))
    return out


def _one_line(text: str) -> str:
    """Text from a claim file, printable on one line (no line breaks or terminal control codes)."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _word(b: bool | None) -> str:
    return "undecided" if b is None else "true" if b else "false"


def _table(rows: list[list[str]], header: list[str], columns: int | None = None) -> str:
    """The verdict table; with *columns*, the last (witness) column is cut so that every line fits."""
    widths = [max(len(r[k]) for r in rows + [header]) for k in range(len(header) - 1)]
    lead = 2 + sum(w + 2 for w in widths)
    below = columns is not None and columns - lead < 30  # too narrow beside the table: the witness goes below its row
    lines = []
    for r in [header] + rows:
        line = "  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  "
        last = r[-1] if columns is None else readable_numbers(r[-1])
        if below and columns is not None:
            lines.append(line.rstrip())
            if r is not header:
                lines.append(_cut("      " + last, columns))
            continue
        if columns is not None:
            last = _cut(last, columns - len(line))
        lines.append((line + last).rstrip())
    return "\n".join(lines)


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: max(10, room - 3)] + "..."


def exit_status(verdicts: Sequence[Any]) -> int:
    """0 when every verdict is as expected, 1 when a decided one is not, 3 when the others are undecided."""
    if any(v.holds is not None and not v.as_expected for v in verdicts):
        return 1
    return EXIT_UNDECIDED if any(v.holds is None for v in verdicts) else 0


def _result_json(file: str, v: Any) -> dict[str, Any]:
    if not isinstance(v, Verdict):  # a parametric verdict: true, false or "undecided", with holds_when
        doc = {"file": file, **v.to_json(), "expect": v.claim.expect, "as_expected": v.as_expected}
        doc["witness"] = {"holds_when": doc.get("holds_when"), "counterexample": doc.get("counterexample")}
        return doc
    return {
        "file": file,
        "id": v.claim.id,
        "kind": v.claim.kind,
        "verdict": "undecided" if v.holds is None else v.holds,
        "expect": v.claim.expect,
        "as_expected": v.as_expected,
        "explanation": v.explanation,
        "witness": v.witness,
    }


def cmd_verify(args: argparse.Namespace) -> int:
    from symrep.claims.kinds.equal_functions import TIMEOUT

    if args.timeout is not None and not args.timeout > 0:  # `not >` also refuses NaN
        raise SymrepError(f"--timeout: expected a positive number of seconds, got {args.timeout}")
    TIMEOUT.seconds = args.timeout
    problems = _load(args.files)
    if args.certificate and len(problems) > 1:
        raise SymrepError("--certificate writes one file for one claim file; with several, use --certificate-dir DIR")
    all_results: list[tuple[str, Any, list[Any]]] = []
    for file, problem in problems:
        if not isinstance(problem, Problem):  # parametric: decided for all parameter values
            from symrep.parametric.decide import verify_parametric

            all_results.append((file, problem, verify_parametric(problem)))
            continue
        bar = Progress(f"verifying {Path(file).name}")
        try:
            verdicts = verify_problem(problem, progress=bar, detail=bar.detail)
        finally:
            bar.close()
        all_results.append((file, problem, verdicts))
    ok = all(v.as_expected for _, _, vs in all_results for v in vs)
    written = _write_certificates(args, all_results)
    if args.json:
        flat = [v for _, _, vs in all_results for v in vs]
        doc = {"ok": ok, "exit_status": exit_status(flat), "undecided": sum(v.holds is None for v in flat),
               "results": [_result_json(f, v) for f, _, vs in all_results for v in vs]}
        if written:
            doc["certificates"] = written
        print(json.dumps(doc, indent=2))
    else:
        for file, problem, verdicts in all_results:
            title = getattr(problem, "skeleton", problem).title  # a parametric problem keeps it in its skeleton
            print(f"{_one_line(title) or 'claim file'}\n  ({file}: {len(verdicts)} claims)")
            rows = [
                [v.claim.id, _word(v.holds), _word(v.claim.expect), "yes" if v.as_expected else "NO", v.explanation]
                for v in verdicts
            ]
            if rows:
                print(_table(rows, ["claim", "verdict", "expect", "ok", "witness"], None if args.wide else width()))
            print()
        if not args.wide and any(len(v.explanation) > 60 for _, _, vs in all_results for v in vs):
            print("(witnesses cut to the terminal: --wide prints them in full, --json exactly)")
        n = sum(len(vs) for _, _, vs in all_results)
        undecided = sum(v.holds is None for _, _, vs in all_results for v in vs)
        bad = sum(v.holds is not None and not v.as_expected for _, _, vs in all_results for v in vs)
        print(f"{n - bad - undecided} of {n} verdicts as expected" + (f"; {bad} NOT as expected" if bad else "")
              + (f"; {undecided} undecided within their bounds (exit status {EXIT_UNDECIDED})" if undecided else ""))
        for path in written:
            print(f"certificate written: {path}")
    return exit_status([v for _, _, vs in all_results for v in vs])


def _write_certificates(args: argparse.Namespace, results) -> list[str]:
    if not (getattr(args, "certificate", None) or getattr(args, "certificate_dir", None)):
        return []
    from symrep.certificates.writer import certificate, dump_certificate

    out = []
    for file, problem, verdicts in results:
        if args.certificate:
            path = Path(args.certificate)
        else:
            path = Path(args.certificate_dir) / (Path(file).stem + ".cert.json")
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if isinstance(problem, Problem):
                cert = certificate(problem, verdicts)
            else:  # a parametric claim file (symrep.parametric.certify)
                from symrep.parametric.certify import parametric_certificate

                cert = parametric_certificate(problem, verdicts)
            path.write_text(dump_certificate(cert), encoding="utf-8")
        except OSError as e:
            raise SymrepError(f"{path}: cannot write the certificate ({e.strerror or e})") from None
        out.append(str(path))
    return out



def add_verify_parser(sub: Any) -> None:
    """Add ``symrep verify`` to the sub-command parsers of the ``symrep`` command."""
    p = sub.add_parser("verify", help="decide the claims of claim files exactly, with witnesses")
    p.add_argument("files", nargs="*", metavar="FILE", help="claim files (TOML); none: the bundled Example 3.1 files")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.add_argument("--wide", action="store_true", help="print witnesses in full instead of fitting the terminal")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="stop deciding an equal_functions claim after SECONDS (its verdict is then undecided)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--certificate", metavar="OUT.json", help="write a certificate for the claim file")
    g.add_argument("--certificate-dir", metavar="DIR", help="write one certificate per claim file into DIR")
    p.set_defaults(func=cmd_verify)
