"""``symrep compare``: compare two networks or activation sets layer by layer, exactly.

Inputs: two ``.npy``/``.npz`` activation files, two ``.onnx``/``.pt`` networks (with
``--data``), or one claim file with ``--networks F G``.  Exit status 0, or 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from symrep.certificates.writer import certify, dump_certificate
from symrep.claims.files import load_claim_file
from symrep.cli.json_errors import JSON_HELP
from symrep.cli.progress import Progress
from symrep.compare import compare_layers, layer_problem, load_side
from symrep.errors import SymrepError
from symrep.exact.numbers import format_number
from symrep.imports import load_activations
from symrep.networks.network import forward


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
        arrays = load_activations(args.data, data_rows=False)
        data = next(iter(arrays.values()))  # one row per data point, as in the file
    a, b = (load_side(p, data=data, data_rows=args.data_rows, data_file=args.data) for p in args.inputs)
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
    title, layers = _compare_inputs(args)
    try:
        eps = [e.strip() for e in args.eps.split(",") if e.strip()]
    except AttributeError:  # pragma: no cover
        eps = ["0"]
    bar = Progress("comparing")
    try:
        sources = (args.inputs[0], args.inputs[1]) if len(args.inputs) == 2 else None
        reports = compare_layers(layers, eps=eps, progress=bar, ladder=args.ladder, sources=sources)
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
        if r.centered_ladder:
            marks = "  ".join(f"{e.level} {'yes' if e.holds else 'no'}" for e in r.centered_ladder)
            print(f"layer {r.layer} centred ladder: {marks}")
    print("All figures exact; '~' decimals are for reading only.")
    if args.plot:
        print(f"plot written: {args.plot}")
    for path in written:
        print(f"certificate written: {path}")
    return 0


def _compare_certificates(args, reports, layers) -> list[str]:
    if not args.certificate_dir:
        return []
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


def add_compare_parser(sub: Any) -> None:
    """Add ``symrep compare`` to the sub-command parsers of the ``symrep`` command."""
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
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_compare)
