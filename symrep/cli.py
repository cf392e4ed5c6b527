"""The ``symrep`` command: parse arguments, call the library, print, return an exit code.

Exit status: 0 when every verdict is the expected one (or every certificate
checks), 1 when some is not, 2 on bad input.  A user's mistake is reported as
one message naming the file and field, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from . import __version__
from .claims import Problem, load_claim_file, loads_claim_file
from .errors import SymrepError
from .verdicts import Verdict, verify_problem

BUNDLED = ("example-3.1.toml", "example-3.1-nonzero.toml")


def bundled_claim_files() -> list[tuple[str, str]]:
    """``(name, text)`` of the claim files shipped with symrep (the seed's Example 3.1)."""
    root = resources.files("symrep") / "data"
    return [(f"symrep/data/{name}", (root / name).read_text(encoding="utf-8")) for name in BUNDLED]


class Progress:
    """A one-line progress bar on standard error, shown only on a terminal."""

    def __init__(self, label: str, enabled: bool | None = None):
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()


def _load(paths: Sequence[str]) -> list[tuple[str, Problem]]:
    if not paths:
        return [(name, loads_claim_file(text, name)) for name, text in bundled_claim_files()]
    return [(p, load_claim_file(p)) for p in paths]


def _word(b: bool) -> str:
    return "true" if b else "false"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[k]) for r in rows + [header]) for k in range(len(header) - 1)]
    lines = []
    for r in [header] + rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
    return "\n".join("  " + line.rstrip() for line in lines)


def _result_json(file: str, v: Verdict) -> dict[str, Any]:
    return {
        "file": file,
        "id": v.claim.id,
        "kind": v.claim.kind,
        "verdict": v.holds,
        "expect": v.claim.expect,
        "as_expected": v.as_expected,
        "explanation": v.explanation,
        "witness": v.witness,
    }


def cmd_verify(args: argparse.Namespace) -> int:
    problems = _load(args.files)
    if args.certificate and len(problems) > 1:
        raise SymrepError("--certificate writes one file for one claim file; with several, use --certificate-dir DIR")
    all_results: list[tuple[str, Problem, list[Verdict]]] = []
    for file, problem in problems:
        bar = Progress(f"verifying {Path(file).name}")
        try:
            verdicts = verify_problem(problem, progress=bar)
        finally:
            bar.close()
        all_results.append((file, problem, verdicts))
    ok = all(v.as_expected for _, _, vs in all_results for v in vs)
    written = _write_certificates(args, all_results)
    if args.json:
        doc = {"ok": ok, "results": [_result_json(f, v) for f, _, vs in all_results for v in vs]}
        if written:
            doc["certificates"] = written
        print(json.dumps(doc, indent=2))
    else:
        for file, problem, verdicts in all_results:
            print(f"{problem.title or 'claim file'}\n  ({file}: {len(verdicts)} claims)")
            rows = [
                [v.claim.id, _word(v.holds), _word(v.claim.expect), "yes" if v.as_expected else "NO", v.explanation]
                for v in verdicts
            ]
            if rows:
                print(_table(rows, ["claim", "verdict", "expect", "ok", "witness"]))
            print()
        n = sum(len(vs) for _, _, vs in all_results)
        bad = sum(not v.as_expected for _, _, vs in all_results for v in vs)
        print(f"{n - bad} of {n} verdicts as expected" + ("" if ok else f"; {bad} NOT as expected"))
        for path in written:
            print(f"certificate written: {path}")
    return 0 if ok else 1


def _write_certificates(args: argparse.Namespace, results) -> list[str]:
    if not (getattr(args, "certificate", None) or getattr(args, "certificate_dir", None)):
        return []
    from .certificates import certificate, dump_certificate

    out = []
    for file, problem, verdicts in results:
        if args.certificate:
            path = Path(args.certificate)
        else:
            path = Path(args.certificate_dir) / (Path(file).stem + ".cert.json")
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.write_text(dump_certificate(certificate(problem, verdicts)), encoding="utf-8")
        except OSError as e:
            raise SymrepError(f"{path}: cannot write the certificate ({e.strerror or e})") from None
        out.append(str(path))
    return out


def cmd_check(args: argparse.Namespace) -> int:
    from . import checker

    return checker.main(list(args.files) + (["--json"] if args.json else []))


def cmd_explain(args: argparse.Namespace) -> int:
    from .explain import explain_file

    text = explain_file(args.certificate)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symrep",
        description="Exact verification of claims about neural-network representations.",
    )
    parser.add_argument("--version", action="version", version=f"symrep {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("verify", help="decide the claims of claim files exactly, with witnesses")
    p.add_argument("files", nargs="*", metavar="FILE", help="claim files (TOML); none: the bundled Example 3.1 files")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--certificate", metavar="OUT.json", help="write a certificate for the claim file")
    g.add_argument("--certificate-dir", metavar="DIR", help="write one certificate per claim file into DIR")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("check", help="re-check certificates with the independent stdlib-only checker")
    p.add_argument("files", nargs="+", metavar="CERT.json")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("explain", help="render a certificate as a Markdown proof to follow by hand")
    p.add_argument("certificate", metavar="CERT.json")
    p.add_argument("-o", "--output", metavar="FILE.md", help="write to a file instead of standard output")
    p.set_defaults(func=cmd_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SymrepError as e:
        print(f"symrep: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symrep: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
