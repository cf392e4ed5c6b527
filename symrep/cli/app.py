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

from symrep import __version__
from symrep.claims.files import Problem, load_claim_file, loads_claim_file, parse_claim_toml, problem_from_mapping, read_claim_text
from symrep.errors import SymrepError
from symrep.exact.numbers import format_number
from symrep.claims.verdicts import Verdict, verify_problem

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
        self.line = f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        sys.stderr.write("\r" + self.line.ljust(79)[:79])
        sys.stderr.flush()
        self.shown = True

    def detail(self, text: str) -> None:
        """Show what a long step is doing, after the bar."""
        if self.enabled:
            sys.stderr.write("\r" + f"{getattr(self, 'line', self.label)}: {text}".ljust(79)[:79])
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()


def _load(paths: Sequence[str]) -> list[tuple[str, Any]]:
    """``(file, problem)`` pairs; a file that declares ``[parameters]`` gives a parametric problem."""
    if not paths:
        return [(name, loads_claim_file(text, name)) for name, text in bundled_claim_files()]
    out = []
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


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[k]) for r in rows + [header]) for k in range(len(header) - 1)]
    lines = []
    for r in [header] + rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
    return "\n".join("  " + line.rstrip() for line in lines)


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
    problems = _load(args.files)
    if args.certificate and len(problems) > 1:
        raise SymrepError("--certificate writes one file for one claim file; with several, use --certificate-dir DIR")
    all_results: list[tuple[str, Any, list[Any]]] = []
    for file, problem in problems:
        if not isinstance(problem, Problem):  # parametric: decided for all parameter values
            from symrep.parametric.decide import verify_parametric

            if args.certificate or args.certificate_dir:
                raise SymrepError(f"{file}: certificates do not cover parametric claims yet")
            all_results.append((file, problem.skeleton, verify_parametric(problem)))
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
        doc = {"ok": ok, "results": [_result_json(f, v) for f, _, vs in all_results for v in vs]}
        if written:
            doc["certificates"] = written
        print(json.dumps(doc, indent=2))
    else:
        for file, problem, verdicts in all_results:
            print(f"{_one_line(problem.title) or 'claim file'}\n  ({file}: {len(verdicts)} claims)")
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
    from symrep.certificates.writer import certificate, dump_certificate

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
    from symrep import checker

    return checker.main(list(args.files) + (["--json"] if args.json else []))


def cmd_explain(args: argparse.Namespace) -> int:
    from symrep.certificates.explain import explain_file

    text = explain_file(args.certificate)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def _short(q) -> str:
    """An exact fraction for a terminal: in full when short, else its size and a decimal (--json has it all)."""
    text = format_number(q)
    if len(text) <= 40:
        return f"{text} {_approx(q)}"
    return f"{_approx(q)} (an exact fraction of {len(text)} characters; --json gives it)"


def _approx(q) -> str:
    """A decimal for display next to an exact fraction, marked as approximate."""
    return f"~{q.numerator / q.denominator:.3f}"


def _parse_layers(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        return [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise SymrepError(f"--layers {text!r}: expected layer numbers such as 1,2,3") from None


def _compare_inputs(args: argparse.Namespace) -> tuple[str, list[tuple[str, Any, Any]]]:
    from symrep.compare import load_side
    from symrep.networks.network import forward

    first = args.inputs[0]
    layers = _parse_layers(args.layers)
    if first.endswith(".toml"):
        problem = load_claim_file(first)
        names = args.networks or [n for n, _ in problem.networks]
        if len(names) != 2 or len(args.inputs) != 1:
            raise SymrepError(f"{first}: name the two networks to compare with --networks F G")
        try:
            f, g = (problem.network(n) for n in names)
        except KeyError as e:
            raise SymrepError(f"{first}: network {e.args[0]!r} is not defined") from None
        if f.widths != g.widths:
            raise SymrepError(f"{first}: networks {names[0]} and {names[1]} have different widths {f.widths} and {g.widths}")
        af, ag = forward(f, problem.inputs), forward(g, problem.inputs)
        chosen = layers if layers is not None else list(range(f.depth + 1))
        for i in chosen:
            if not 0 <= i <= f.depth:
                raise SymrepError(f"--layers: layer {i} is not between 0 and {f.depth}")
        return f"{names[0]} vs {names[1]} ({first})", [(str(i), af[i], ag[i]) for i in chosen]
    if len(args.inputs) != 2:
        raise SymrepError("compare takes two activation or network files (or one claim file with --networks F G)")
    data = None
    if args.data:
        from symrep.imports.loaders import load_activations

        arrays = load_activations(args.data, data_rows=False)
        data = next(iter(arrays.values()))  # one row per data point, as in the file
    a, b = (load_side(p, data=data, data_rows=args.data_rows) for p in args.inputs)
    common = [k for k in a if k in b]
    if not common:
        raise SymrepError(f"{args.inputs[0]} and {args.inputs[1]} have no layer names in common")
    if layers is not None:
        keys = [str(i) for i in layers]
        missing = [k for k in keys if k not in common]
        if missing:
            raise SymrepError(f"--layers: no layer {missing[0]!r} in both inputs (they have {', '.join(common)})")
        common = keys
    return f"{args.inputs[0]} vs {args.inputs[1]}", [(k, a[k], b[k]) for k in common]


def cmd_compare(args: argparse.Namespace) -> int:
    from symrep.compare import compare_layers

    title, layers = _compare_inputs(args)
    try:
        eps = [e.strip() for e in args.eps.split(",") if e.strip()]
    except AttributeError:  # pragma: no cover
        eps = ["0"]
    bar = Progress("comparing")
    try:
        reports = compare_layers(layers, eps=eps, progress=bar, ladder=args.ladder)
    finally:
        bar.close()
    if args.plot:
        _plot(reports, args.plot, title)
    written = _compare_certificates(args, reports, layers)
    if args.json:
        doc = {"title": title, "layers": [r.to_json() for r in reports]}
        if written:
            doc["certificates"] = written
        print(json.dumps(doc, indent=2))
        return 0
    print(f"exact layer-by-layer comparison: {title}")
    if any(not p.endswith(".toml") for p in args.inputs):
        print("(floating-point weights and activations were converted exactly: each binary float is a dyadic rational)")
    header = ["layer", "widths", "dimensions"] + [f"eps={format_number(e)}: X*+Y*, similarity" for e, _ in reports[0].matches]
    rows = []
    for r in reports:
        cells = [r.layer, f"{r.widths[0]}/{r.widths[1]}", f"{r.dimensions[0]}/{r.dimensions[1]}"]
        for _, m in r.matches:
            zeros = f" ({len(m.zero_x)}+{len(m.zero_y)} zero)" if m.zero_x or m.zero_y else ""
            cells.append(f"{len(m.x)}+{len(m.y)}{zeros}, {_short(m.similarity)}")
        rows.append(cells)
    widths = [max(len(c[k]) for c in rows + [header]) for k in range(len(header))]
    for c in [header] + rows:
        print("  " + "  ".join(x.ljust(w) for x, w in zip(c, widths)).rstrip())
    for r in reports:
        if r.ladder:
            marks = "  ".join(f"{e.level} {'yes' if e.holds else 'no'}" for e in r.ladder)
            cka = f"; CKA^2 = {_short(r.cka_squared)}" if r.cka_squared is not None else ""
            print(f"layer {r.layer} ladder: {marks}{cka}")
            held = next((e for e in r.ladder if e.holds), None)
            failed = next((e for e in reversed(r.ladder) if not e.holds), None)  # weakest that fails
            print(f"  strongest that holds: {held.level if held else 'none'}"
                  + (f"; weakest that fails: {failed.level}, because {failed.explanation}" if failed else ""))
    print("All figures exact; '~' decimals are for reading only.")
    if args.plot:
        print(f"plot written: {args.plot}")
    for path in written:
        print(f"certificate written: {path}")
    return 0


def _compare_certificates(args, reports, layers) -> list[str]:
    if not args.certificate_dir:
        return []
    from symrep.certificates.writer import certify, dump_certificate
    from symrep.compare import layer_problem

    out_dir = Path(args.certificate_dir)
    written = []
    for report, (name, a, b) in zip(reports, layers):
        path = out_dir / f"layer-{''.join(ch if ch.isalnum() else '_' for ch in name)}.cert.json"
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(dump_certificate(certify(layer_problem(report, a, b))), encoding="utf-8")
        except OSError as e:
            raise SymrepError(f"{path}: cannot write the certificate ({e.strerror or e})") from None
        written.append(str(path))
    return written


def _plot(reports, path: str, title: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SymrepError("--plot needs matplotlib: pip install 'symrep[plot]'") from None
    fig, ax = plt.subplots(figsize=(6, 3.5))
    xs = list(range(len(reports)))
    for k, (e, _) in enumerate(reports[0].matches):
        ys = [float(r.matches[k][1].similarity) for r in reports]  # plotting only; the report is exact
        ax.plot(xs, ys, marker="o", label=f"eps = {format_number(e)}")
    ax.set_xticks(xs, [r.layer for r in reports])
    ax.set_xlabel("layer")
    ax.set_ylabel("maximum match similarity")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title, fontsize=9)
    ax.legend()
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=120)
    except OSError as e:
        raise SymrepError(f"{path}: cannot write the plot ({e.strerror or e})") from None
    plt.close(fig)


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

    p = sub.add_parser("compare", help="compare two networks or activation sets layer by layer, exactly")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="two .npy/.npz activation files or .onnx/.pt networks, or one claim file .toml")
    p.add_argument("--networks", nargs=2, metavar=("F", "G"), help="the two networks of a claim file")
    p.add_argument("--data", metavar="POINTS.npy", help="data points (one row each) for network files")
    p.add_argument("--data-rows", action="store_true", help="activation arrays have one row per data point")
    p.add_argument("--layers", metavar="I,J,...", help="layers to compare (default: all)")
    p.add_argument("--eps", default="0", metavar="E1,E2,...", help="eps values, exact decimals or p/q (default 0)")
    p.add_argument("--ladder", action="store_true", help="also decide the equivalence ladder and exact linear CKA")
    p.add_argument("--plot", metavar="OUT.png", help="plot similarity against layer (needs matplotlib)")
    p.add_argument("--certificate-dir", metavar="DIR", help="write one certificate per layer into DIR")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_compare)

    from symrep.search.engine import add_search_parser

    add_search_parser(sub)

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
