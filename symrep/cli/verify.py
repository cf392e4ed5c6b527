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

            if args.timeout is None:
                all_results.append((file, problem, verify_parametric(problem)))
            else:
                all_results.append((file, problem, _parametric_with_timeout(problem, args.timeout)))
            continue
        bar = Progress(f"verifying {Path(file).name}")
        try:
            if args.timeout is None:
                verdicts = verify_problem(problem, progress=bar, detail=bar.detail)
            else:
                verdicts = verify_with_timeout(problem, args.timeout, progress=bar, detail=bar.detail)
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


class _OverTime(BaseException):
    """Raised by the timer inside a claim's decision (a BaseException: no handler of errors catches it)."""


def _raise_over_time(signum: int, frame: Any) -> None:
    raise _OverTime


#: Extra time an equal_functions claim gets past --timeout before the timer stops it: its own deadline
#: (checked between regions) stops it cleanly first, with the regions counted.
_GRACE = 1.0


def _over_time(seconds: float) -> str:
    return f"undecided: the time bound of {seconds:g} s (--timeout) was reached"


def _parametric_with_timeout(pp: Any, seconds: float) -> list[Any]:
    """The claims of a parametric problem, each within *seconds* (as :func:`verify_with_timeout`)."""
    from symrep.parametric.decide import ParametricVerdict, decide_parametric

    out = []
    for claim in pp.claims:
        v = _timed(lambda c=claim: decide_parametric(pp, c), seconds)
        out.append(v if v is not None else ParametricVerdict(claim, "undecided", _over_time(seconds),
                                                             parameters=tuple(pp.parameters_of(claim.networks))))
    return out


def _timed(run: Any, seconds: float) -> Any:
    """``run()``, or None when it is still running after *seconds* (stopped by SIGALRM); without a timer, run()."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return run()
    previous = signal.signal(signal.SIGALRM, _raise_over_time)
    result = None
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        result = run()
    except _OverTime:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return result  # a verdict reached just as the timer fired is kept


def verify_with_timeout(problem: Problem, seconds: float, progress: Any = None, detail: Any = None) -> list[Verdict]:
    """Decide every claim of *problem*, each within *seconds*: a claim over time is ``undecided``, saying so.

    The time bound applies to every kind.  ``equal_functions`` claims stop at their own deadline
    (between regions); every other claim is stopped by a real-time timer (``SIGALRM``), which takes
    effect between two Python operations, so a single long exact operation (one GMP product)
    finishes first.  Where no such timer exists (not POSIX, or not the main thread) only
    ``equal_functions`` claims are bounded.
    """
    from symrep.claims.verdicts import decide

    cache: dict[str, Any] = {}
    out: list[Verdict] = []
    for k, claim in enumerate(problem.claims):
        allowed = seconds + _GRACE if claim.kind == "equal_functions" else seconds
        result = _timed(lambda c=claim, m=cache: decide(problem, c, m, detail), allowed)
        if result is None:  # over time
            cache = {}  # a forward pass may have been cut short: recompute for the next claims
            result = Verdict(claim, None, _over_time(seconds), {})
        out.append(result)
        if progress:
            progress(k + 1, len(problem.claims))
    return out


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
                   help="stop deciding any claim after SECONDS (its verdict is then undecided, exit status 3)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--certificate", metavar="OUT.json", help="write a certificate for the claim file")
    g.add_argument("--certificate-dir", metavar="DIR", help="write one certificate per claim file into DIR")
    p.set_defaults(func=cmd_verify)
