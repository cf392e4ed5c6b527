"""``symrep compare``: compare two networks or activation sets layer by layer, exactly.

Inputs: two ``.npy``/``.npz`` activation files (one row per data point unless ``--layout
neurons-by-points``; lone ``.npy`` arrays pair by position, ``.npz`` layers by name), two
``.onnx``/``.pt``/``.safetensors`` networks (with ``--data``; a state dict needs ``--activations``
or a sidecar file), or one claim file with ``--networks F G``.  Every report says how each array
was read and which layers were paired.  Exit status 0, or 2 on bad input.  See ``docs/inputs.md``.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from symrep.certificates.writer import certify, dump_certificate
from symrep.claims.files import load_claim_file
from symrep.cli.json_errors import JSON_HELP
from symrep.cli.progress import Progress
from symrep.cli.terminal import decimal, fit, readable_numbers
from symrep.compare import LayerReport, Pairing, Side, check_points, compare_layers, layer_problem, pair_sides, read_side
from symrep.compare import ladder_claim_id, ladder_summary, measure_claim_ids, measure_json
from symrep.errors import InternalError, SymrepError
from symrep.exact.numbers import format_number
from symrep.imports import LAYOUTS, Bounds, load_activations
from symrep.imports.numpy_files import POINTS_BY_NEURONS
from symrep.imports.torch import parse_activations
from symrep.networks.network import forward


def _short(q) -> str:
    """An exact fraction for a terminal: in full when short, else its size and a decimal (--json has it all)."""
    text = format_number(q)
    if q.denominator == 1:
        return text
    if len(text) <= 40:
        return f"{text} {_approx(q)}"
    return f"{_approx(q)} (an exact fraction of {len(text)} characters; --json gives it)"


def _approx(q) -> str:
    """A decimal for display next to an exact fraction, marked as approximate (no float overflow)."""
    return decimal(q)


def split_measures(text: str) -> list[str]:
    """``--measures`` as measure specs: split at commas, except inside an argument (``rsa:euclidean,spearman``).

    >>> split_measures("cka, rsa:euclidean,spearman,svcca:3")
    ['cka', 'rsa:euclidean,spearman', 'svcca:3']
    """
    from symrep.measures.catalog import measures

    names = measures()
    out: list[str] = []
    for token in (t.strip() for t in text.split(",")):
        if not token:
            continue
        if out and ":" in out[-1] and token.partition(":")[0] not in names:
            out[-1] += "," + token  # not a measure: the rest of the previous one's argument
        else:
            out.append(token)
    return out


def _parse_layers(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        return [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise SymrepError(f"--layers {text!r}: expected layer numbers such as 1,2,3") from None


def _layer_names(text: str | None) -> list[str] | None:
    """``--layers`` for files: layer names (or numbers) separated by commas."""
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


@dataclass(frozen=True)
class CompareInputs:
    """What ``compare`` compares: a title, ``(label, A, B)`` per layer, and how the inputs were read and paired."""

    title: str
    layers: list[tuple[str, Any, Any]]
    read_as: dict[str, tuple[str, ...]]
    sides: tuple[Side, ...] = ()
    pairing: Pairing | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.sides:
            out["inputs"] = [{"file": s.path, "read_as": s.read_as, "notes": list(s.notes)} for s in self.sides]
        if self.pairing is not None:
            out["pairing"] = self.pairing.to_json()
        return out


def _network_list(problem: Any) -> str:
    return ", ".join(f"{n} (widths {'-'.join(map(str, net.widths))})" for n, net in problem.networks)


def _claim_file_inputs(args: argparse.Namespace, first: str) -> CompareInputs:
    """Two networks of a claim file, run on its data."""
    layers = _parse_layers(args.layers)
    problem = load_claim_file(first)
    names = args.networks or [n for n, _ in problem.networks]
    if len(names) != 2 or len(args.inputs) != 1:
        raise SymrepError(f"{first}: name the two networks to compare with --networks F G; "
                          f"the file defines {_network_list(problem) or 'no networks'}")
    try:
        f, g = (problem.network(n) for n in names)
    except KeyError as e:
        raise SymrepError(f"{first}: network {e.args[0]!r} is not defined; the file defines {_network_list(problem)}") from None
    if f.widths != g.widths:
        raise SymrepError(f"{first}: networks {names[0]} and {names[1]} have different widths {f.widths} and {g.widths}")
    af, ag = forward(f, problem.inputs), forward(g, problem.inputs)
    chosen = layers if layers is not None else list(range(f.depth + 1))
    for i in chosen:
        if not 0 <= i <= f.depth:
            raise SymrepError(f"--layers: layer {i} is not between 0 and {f.depth}")
    n = len(problem.inputs)
    read_as = {str(i): tuple(f"{first}: {name} layer {i}: {n} points x {w} neurons" for name, w in
                             zip(names, (f.widths[i], g.widths[i]))) for i in chosen}
    return CompareInputs(f"{names[0]} vs {names[1]} ({first})", [(str(i), af[i], ag[i]) for i in chosen], read_as)


def _bound(value: str | None, flag: str, default: int) -> int | None:
    if value is None:
        return default
    if value.strip().lower() == "none":
        return None
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise SymrepError(f"{flag} {value!r}: expected a positive whole number, or none for no bound")
    return n


def _bounds(args: argparse.Namespace) -> Bounds:
    d = Bounds()
    return Bounds(_bound(getattr(args, "max_entries", None), "--max-entries", d.max_entries or 0),
                  _bound(getattr(args, "max_total", None), "--max-total", d.max_total or 0),
                  _bound(getattr(args, "max_arrays", None), "--max-arrays", d.max_arrays or 0))


def _layout(args: argparse.Namespace) -> str | None:
    if getattr(args, "data_rows", False):
        if args.layout not in (None, "points-by-neurons"):
            raise SymrepError("--data-rows and --layout neurons-by-points disagree; give one of them")
        return "points-by-neurons"
    return args.layout


def _activation_lists(args: argparse.Namespace) -> tuple[list[str] | None, list[str] | None]:
    """``--activations`` once (both networks) or twice (first, second)."""
    given = getattr(args, "activations", None) or []
    if len(given) > 2:
        raise SymrepError("--activations: give it once (both networks) or twice (first network, second network)")
    lists = [parse_activations(t) for t in given]
    if not lists:
        return None, None
    return lists[0], lists[-1]


def _file_inputs(args: argparse.Namespace) -> CompareInputs:
    """Two activation or network files: read, paired, their numbers of points checked."""
    if len(args.inputs) != 2:
        raise SymrepError("compare takes two activation or network files (or one claim file with --networks F G)")
    bounds, layout = _bounds(args), _layout(args)
    data = None
    if args.data and all(Path(p).suffix.lower() in (".npy", ".npz") for p in args.inputs):
        raise SymrepError(f"--data {args.data}: {args.inputs[0]} and {args.inputs[1]} are activation files, which "
                          "already hold the activations on their data; --data is for network files (.onnx, .pt, ...)")
    if args.data:
        # The data file has one row per data point; read it as stored (rows kept as rows).
        arrays = load_activations(args.data, layout="neurons-by-points", max_entries=bounds.max_entries,
                                  max_total=bounds.max_total, max_arrays=bounds.max_arrays)
        data = next(iter(arrays.values()))
    acts = _activation_lists(args)
    state_dicts = [Path(p).suffix.lower() in (".pt", ".pth", ".safetensors") for p in args.inputs]
    if acts[0] is not None and not any(state_dicts):
        raise SymrepError("--activations is for state dicts (.pt, .pth, .safetensors); "
                          f"{args.inputs[0]} and {args.inputs[1]} state or need no activations")
    if acts[0] is not None and len(args.activations) == 1 and not all(state_dicts):
        acts = tuple(a if sd else None for a, sd in zip(acts, state_dicts))  # type: ignore[assignment]
    a, b = (read_side(p, data=data, data_file=args.data, layout=layout, bounds=bounds, activations=act,
                      key=getattr(args, "key", None)) for p, act in zip(args.inputs, acts))
    pairing = pair_sides(a, b, getattr(args, "pair", "auto") or "auto")
    wanted = _layer_names(args.layers)
    if wanted is not None:
        labels = [p[0] for p in pairing.pairs]
        missing = [k for k in wanted if k not in labels]
        if missing:
            raise SymrepError(f"--layers: no layer {missing[0]!r} in both inputs (they have {', '.join(labels)})")
        pairing = Pairing(pairing.by, tuple(p for k in wanted for p in pairing.pairs if p[0] == k), pairing.left_out)
    check_points(a, b, pairing, layout)
    layers = [(label, a.layers[ka], b.layers[kb]) for label, ka, kb in pairing.pairs]
    read_as: dict[str, tuple[str, ...]] = {label: (a.read_as[ka], b.read_as[kb]) for label, ka, kb in pairing.pairs}
    return CompareInputs(f"{args.inputs[0]} vs {args.inputs[1]}", layers, read_as, (a, b), pairing)


def _compare_inputs(args: argparse.Namespace) -> CompareInputs:
    first = args.inputs[0]
    if first.endswith(".toml"):
        return _claim_file_inputs(args, first)
    return _file_inputs(args)


def cmd_compare(args: argparse.Namespace) -> int:
    inputs = _compare_inputs(args)
    title, layers = inputs.title, inputs.layers
    try:
        eps = [e.strip() for e in args.eps.split(",") if e.strip()]
    except AttributeError:  # pragma: no cover
        eps = ["0"]
    bar = Progress("comparing")
    try:
        sources = (args.inputs[0], args.inputs[1]) if len(args.inputs) == 2 else None
        measures = split_measures(args.measures or "")
        reports = compare_layers(layers, eps=eps, progress=bar, ladder=args.ladder, sources=sources,
                                 measures=measures, width=args.width)
    finally:
        bar.close()
    reports = [replace(r, read_as=inputs.read_as.get(r.layer, ())) for r in reports]
    if args.plot:
        _plot(reports, args.plot, title)
    written, certified = _compare_certificates(args, reports, layers)
    if args.json:
        doc = {"title": title, **inputs.to_json(), "layers": [_with_certificates(r.to_json(), certified) for r in reports]}
        if written:
            doc["certificates"] = written
        print(json.dumps(doc, indent=2))
        return 0
    _print_report(args, inputs, reports)
    if args.plot:
        print(f"plot written: {args.plot}")
    for path in written:
        print(f"certificate written: {path}")
    for r in reports:
        claims = certified.get(r.layer, {})
        undecided = [cid for cid, c in claims.items() if c["verdict"] == "undecided"]
        bare = [spec for spec, _ in r.measures if not any(cid in claims for cid in measure_claim_ids(spec))]
        print(fit(f"layer {r.layer}: {len(claims) - len(undecided)} of {len(claims)} stated results certified"
                  + (f"; undecided in the certificate: {', '.join(undecided)}" if undecided else "")
                  + (f"; measures not certified (no claim states them here): {', '.join(bare)}" if bare else "")))
    return 0


def _print_inputs(inputs: CompareInputs) -> None:
    """How each array was read and which layers were paired (and left out)."""
    for side in inputs.sides:
        for note in side.notes:
            print(fit(note))
    print("how the arrays were read:")
    for texts in inputs.read_as.values():
        for t in dict.fromkeys(texts):
            print(f"  {t}")  # never cut: this is what the analysis is about
    p = inputs.pairing
    if p is not None:
        print(fit(f"layers paired by {p.by}: " + ", ".join(f"{a}={b}" if a != b else a for _, a, b in p.pairs)))
        for side, left in zip(inputs.sides, p.left_out):
            if left:
                print(fit(f"  left out, no partner: {', '.join(left)} (of {side.path})"))


def _print_report(args: argparse.Namespace, inputs: CompareInputs, reports: list[LayerReport]) -> None:
    print(fit(f"exact layer-by-layer comparison: {inputs.title}"))
    if any(not p.endswith(".toml") for p in args.inputs):
        print("(floats were converted exactly: each binary float is the dyadic rational it is)")
    _print_inputs(inputs)
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
            _print_ladder(r)
    _print_measures(reports)
    print("All figures exact; '~' decimals are for reading only (--json gives all in full).")


#: The levels the two-line drawing shows (the ladder of symrep.measures.equivalence).
_DRAWN = {"identical", "permutation", "scaled_permutation", "orthogonal", "similarity", "linear", "isomorphic"}


def _ladder_drawing(holds: dict[str, bool]) -> list[str]:
    """The ladder's partial order, drawn in two lines: '>' reads 'implies', '+' holds, '-' fails."""
    m = {k: ("+" if v else "-") + k for k, v in holds.items()}
    top = f"{m['identical']} > {m['permutation']} > "
    first = f"{m['scaled_permutation']} > "
    second = f"{m['orthogonal']} > {m['similarity']} "
    pad = max(len(first), len(second) + 2)
    return [f"  {top}{first.ljust(pad)}{m['linear']} > {m['isomorphic']}",
            f"  {' ' * len(top)}{(second + '-' * (pad - len(second) - 2) + '> ')}^"]


def _print_ladder(r: LayerReport) -> None:
    """One layer's equivalence ladder as the partial order it is: what holds, what fails, the strongest that hold."""
    summary = ladder_summary(r.ladder)
    print(fit(f"layer {r.layer} ladder ('>' implies; + holds, - fails):"))
    holds = {e.level: e.holds for e in r.ladder}
    if set(holds) == _DRAWN:
        for line in _ladder_drawing(holds):
            print(fit(line))
    print(fit(f"  strongest that hold: {', '.join(summary['strongest']) or 'none'}"))
    if r.cka_squared is not None:
        print(fit(f"  CKA^2 = {_short(r.cka_squared)}"))
    why = {e.level: e.explanation for e in r.ladder}
    for level in summary["weakest_failing"]:
        print(fit(readable_numbers(f"  {level} fails: {why[level]}")))
    if r.centered_ladder:
        centred = ladder_summary(r.centered_ladder)
        print(fit(f"  after centring each neuron: strongest that hold: {', '.join(centred['strongest']) or 'none'}"))


def _print_measures(reports: list[LayerReport]) -> None:
    """Each layer's certified measures as decimals (every value in the bracket starts with the digits shown)."""
    for r in reports:
        if r.measures:
            print(f"layer {r.layer} measures: " + "  ".join(f"{n} {measure_json(v)['decimal']}" for n, v in r.measures))
    if any(r.measures for r in reports):
        print("(measure decimals are certified digits: every value in the certified bracket starts with them)")


def _compare_certificates(args, reports, layers) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Write each layer's certificates; the paths, and per layer which file certifies which claim with what verdict.

    The dimensions and maximum matches go in the referenced layer certificate where possible; what
    else the report states (every ladder level, CKA, ``--measures``) in a self-contained claim-file
    certificate: ``layer-NAME.cert.json`` itself in the embedded form, else ``layer-NAME.report.cert.json``.
    """
    if not args.certificate_dir:
        return [], {}
    out_dir = Path(args.certificate_dir)
    written: list[str] = []
    certified: dict[str, dict[str, Any]] = {}
    form = getattr(args, "certificate_form", "auto")
    for report, (name, a, b) in zip(reports, layers):
        safe = "".join(ch if ch.isalnum() else "_" for ch in name)
        path = out_dir / f"layer-{safe}.cert.json"
        claims = certified.setdefault(report.layer, {})
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            got = _referenced_certificate(args, out_dir, report, name, a, b) if form != "embedded" else None
            if got is None and form == "referenced":
                raise SymrepError(f"layer {name}: no certificate of the referenced form (a Gram not certified "
                                  "positive definite, or a removal without a lower bound); use --certificate-form embedded")
            parts: tuple[str, ...] = ("matches", "report")
            if got is not None:
                written.append(str(got))
                for c in json.loads(got.read_text(encoding="utf-8"))["claims"]:
                    claims[c["id"]] = {"file": str(got), "verdict": c["verdict"]}
                parts = ("report",)
                path = out_dir / f"layer-{safe}.report.cert.json"
            problem = layer_problem(report, a, b, parts=parts)
            if not problem.claims:
                continue
            cert = certify(problem)
            _agrees(problem, cert, name)
            path.write_text(dump_certificate(cert), encoding="utf-8")
        except OSError as e:
            raise SymrepError(f"{path}: cannot write the certificate ({e.strerror or e})") from None
        written.append(str(path))
        for r in cert["results"]:
            claims[r["id"]] = {"file": str(path), "verdict": r["verdict"]}
    return written, certified


def _agrees(problem: Any, cert: dict[str, Any], layer: str) -> None:
    """Each decided verdict of the certificate is the one the report states (else a bug: never print both)."""
    for claim, r in zip(problem.claims, cert["results"]):
        if r["verdict"] != "undecided" and r["verdict"] != claim.expect:
            raise InternalError(f"internal error: layer {layer}: the report states {claim.id} is {claim.expect}, "
                                f"its certificate decides {r['verdict']}")


def _with_certificates(doc: dict[str, Any], certified: dict[str, Any]) -> dict[str, Any]:
    """A layer's JSON with, for each ladder level, CKA and measure, the certificate file and claim that prove it."""
    claims = certified.get(doc["layer"])
    if not claims:
        return doc
    doc["certified"] = claims
    for key, centered in (("ladder", False), ("centered_ladder", True)):
        for e in doc.get(key, ()):
            cid = ladder_claim_id(e["level"], centered)
            if cid in claims:
                e["certificate"] = {"claim": cid, **claims[cid]}
    if "cka_squared" in doc and "cka-squared" in claims:
        doc["cka_certificate"] = {"claim": "cka-squared", **claims["cka-squared"]}
    for spec, value in doc.get("measures", {}).items():
        value["certificates"] = [{"claim": cid, **claims[cid]} for cid in measure_claim_ids(spec) if cid in claims]
        if not value["certificates"]:
            value["not_certified"] = ("no claim kind states this value here (undefined, or a spectral measure "
                                      "of a representation constant over the data)")
    return doc


def _referenced_certificate(args, out_dir: Path, report, name: str, a, b) -> Path | None:
    """The layer certificate that references the data (symrep.certificates.layer), or None when not possible."""
    try:
        import numpy as np

        from symrep.certificates.layer import array_reference, layer_certificate, supported_array
    except ImportError:  # NumPy missing: the self-contained form
        return None
    from symrep.compare import _rows

    refs: list = [None, None]
    if len(args.inputs) == 2 and not args.data:
        for i, src in enumerate(args.inputs):
            suffix = Path(src).suffix.lower()
            if suffix == ".npy":
                arr, member = np.load(src, mmap_mode="r", allow_pickle=False), None
            elif suffix == ".npz":
                with np.load(src, allow_pickle=False) as z:
                    arr, member = (z[name], name) if name in z.files else (None, None)
            else:
                continue
            if arr is not None and supported_array(np.asarray(arr)):
                rows_are_points = (_layout(args) or POINTS_BY_NEURONS) == POINTS_BY_NEURONS
                refs[i] = array_reference(src, out_dir, member, transpose=rows_are_points)
    return layer_certificate(out_dir, name, _rows(a), _rows(b), report, (refs[0], refs[1]))


def _plot(reports, path: str, title: str) -> None:
    try:
        import matplotlib.pyplot as plt

        from symrep.certificates.display import similarity_figure

        fig = similarity_figure(reports, title)
    except ImportError:
        raise SymrepError("--plot needs matplotlib: pip install 'symrep[plot]'") from None
    try:
        fig.savefig(path, dpi=120)
    except OSError as e:
        raise SymrepError(f"{path}: cannot write the plot ({e.strerror or e})") from None
    plt.close(fig)


def add_compare_parser(sub: Any) -> None:
    """Add ``symrep compare`` to the sub-command parsers of the ``symrep`` command."""
    p = sub.add_parser("compare", help="compare two networks or activation sets layer by layer, exactly",
                       description="Compare two networks or activation sets layer by layer, exactly. "
                                   "See docs/inputs.md for the file layouts and how layers are paired.")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="two .npy/.npz activation files or .onnx/.pt/.safetensors networks, or one claim file .toml")
    p.add_argument("--networks", nargs=2, metavar=("F", "G"), help="the two networks of a claim file")
    p.add_argument("--data", metavar="POINTS.npy", help="data points (one row each) for network files")
    p.add_argument("--layout", choices=LAYOUTS, default=None,
                   help="how activation arrays are stored: points-by-neurons (one row per data point, the default, "
                        "as NumPy, scikit-learn and PyTorch) or neurons-by-points")
    p.add_argument("--data-rows", action="store_true", help="the same as --layout points-by-neurons (now the default)")
    p.add_argument("--pair", choices=("auto", "name", "position"), default="auto",
                   help="pair layers by name or by position in the files (auto: lone .npy arrays by position, "
                        "others by name)")
    p.add_argument("--activations", action="append", metavar="A1,A2,...",
                   help="activations of a state dict (.pt, .safetensors), one per Linear layer, e.g. relu,relu,identity; "
                        "once for both networks or twice (first, second); default: a sidecar NAME.activations.toml")
    p.add_argument("--key", metavar="KEY", help="the entry of a .pt checkpoint that holds the state dict")
    p.add_argument("--max-entries", metavar="N", help="most entries of one array (default 2^26; none: no bound)")
    p.add_argument("--max-total", metavar="N", help="most entries of all arrays of one file (default 2^27)")
    p.add_argument("--max-arrays", metavar="N", help="most arrays in one .npz or tensors in one file (default 4096)")
    p.add_argument("--layers", metavar="I,J,...", help="layers to compare, by number or name (default: all paired)")
    p.add_argument("--eps", default="0", metavar="E1,E2,...", help="eps values, exact decimals or p/q (default 0)")
    p.add_argument("--ladder", action="store_true", help="also decide the equivalence ladder and exact linear CKA")
    p.add_argument("--measures", metavar="M1,M2,...",
                   help="certified measures per layer: cka, cca, svcca:K, procrustes, angular_procrustes")
    p.add_argument("--width", default="1e-12", metavar="W", help="bracket width of --measures, relative (default 1e-12)")
    p.add_argument("--plot", metavar="OUT.png", help="plot similarity against layer (needs matplotlib)")
    p.add_argument("--certificate-dir", metavar="DIR", help="write one certificate per layer into DIR")
    p.add_argument("--certificate-form", choices=("auto", "referenced", "embedded"), default="auto",
                   help="referenced: the data by SHA-256 and a witness .npz (fast to check at scale); embedded: "
                        "self-contained JSON; auto (default): referenced where possible")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_compare)
