"""``symrep search``: find a network that agrees with a given one but represents a hidden layer differently.

Exit status: 0 when a network was found (and verified), 1 when not, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from symrep.claims.files import load_claim_file
from symrep.errors import InputError, SymrepError
from symrep.exact.numbers import format_number
from symrep.networks.network import Network
from symrep.search.driver import pick_network, search
from symrep.search.objectives import METHODS, OBJECTIVES, Objective, parse_objectives
from symrep.search.results import SearchBounds, SearchResult
from symrep.cli.json_errors import JSON_HELP
from symrep.cli.progress import Progress

_s = format_number


def add_search_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``symrep search`` to the sub-command parsers of the ``symrep`` command."""
    p = subparsers.add_parser(
        "search",
        help="find a network that agrees with a given one but represents a hidden layer differently",
        description="Search for a network f~ with the same architecture as the network NAME of FILE that agrees "
                    "with it (identical outputs on the data, or the same function with --everywhere) while its "
                    "layer-i representation differs as --objective asks. Every result is verified exactly.",
    )
    p.add_argument("file", metavar="FILE", help="claim file (TOML) with the data and the network")
    p.add_argument("--network", metavar="NAME", help="the network f (default: the file's only network)")
    p.add_argument("--layer", type=int, required=True, metavar="I", help="a hidden layer (1 .. depth-1)")
    p.add_argument("--objective", required=True, action="append", metavar="OBJ",
                   help=f"one of {', '.join(OBJECTIVES)} ('max-match-at-most K'); repeat or separate by commas to combine")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--data", dest="mode", action="store_const", const="data",
                   help="agree on the data: identical output activations (default)")
    g.add_argument("--everywhere", dest="mode", action="store_const", const="everywhere",
                   help="agree everywhere: the same function on all inputs")
    p.add_argument("--extra-points", type=int, default=0, metavar="N", help="data points the search may add (default 0)")
    p.add_argument("--nonzero-outputs", action="store_true", help="the output activations must not be all zero")
    p.add_argument("--method", default="auto", choices=METHODS, help="search method (default auto)")
    p.add_argument("--entries", type=int, metavar="E", help="layer-wise: integer weights in [-E, E] (default 2)")
    p.add_argument("--max-candidates", type=int, metavar="N", help="layer-wise: candidate layers per data set (default 20000)")
    p.add_argument("--max-seconds", type=float, metavar="S", help="time bound for the whole search (default 60)")
    p.add_argument("--point-range", type=int, metavar="R", help="extra points: integer coordinates in [-R, R] (default 1)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random part of the candidate order (default 0)")
    p.add_argument("--out", metavar="FOUND.toml", help="write the claim file of the result")
    p.add_argument("--certificate", metavar="OUT.json", help="write the certificate of the result")
    p.add_argument("--json", action="store_true", help=JSON_HELP)
    p.set_defaults(func=cmd_search, mode=None)
    return p


def _network_text(net: Network) -> list[str]:
    lines = []
    for j, l in enumerate(net.layers, start=1):
        w = "[" + ", ".join("[" + ", ".join(map(_s, r)) + "]" for r in l.weights) + "]"
        bias = "" if not any(l.bias) else " bias [" + ", ".join(map(_s, l.bias)) + "]"
        lines.append(f"    layer {j} ({l.activation}): weights {w}{bias}")
    return lines


def _arguments(args: argparse.Namespace) -> tuple[Any, str, tuple[Objective, ...], SearchBounds]:
    """The problem, the network's name, the objectives and the bounds, each checked with a message naming the option."""
    problem = load_claim_file(args.file)
    try:
        name = pick_network(problem, args.network)
    except InputError as e:
        raise SymrepError(f"{args.file}: --network: {e}") from None
    depth = problem.network(name).depth
    if not 1 <= args.layer <= depth - 1:
        raise SymrepError(f"{args.file}: --layer: layer {args.layer} is not a hidden layer of {name!r} "
                          f"(between 1 and {depth - 1})")
    try:
        objectives = parse_objectives(",".join(args.objective), "--objective")
    except InputError as e:
        raise SymrepError(f"{args.file}: {e}") from None
    overrides = {k: v for k, v in (("entries", args.entries), ("max_candidates", args.max_candidates),
                                   ("max_seconds", args.max_seconds), ("point_range", args.point_range)) if v is not None}
    try:
        bounds = SearchBounds.of({**SearchBounds().to_json(), **overrides})
    except InputError as e:
        raise SymrepError(f"--{str(e).split()[1].replace('_', '-')}: {e}") from None
    if not 0 <= args.extra_points <= 8:
        raise SymrepError(f"--extra-points: {args.extra_points} is not between 0 and 8")
    return problem, name, objectives, bounds


def _write(args: argparse.Namespace, result: SearchResult) -> list[tuple[str, str]]:
    """Write the claim file and certificate asked for; what was written (or why nothing was)."""
    written = []
    if result.network is not None:
        if args.out:
            written.append(("claim file", str(result.write_claim_file(args.out))))
        if args.certificate:
            written.append(("certificate", str(result.write_certificate(args.certificate))))
    elif args.out or args.certificate:
        written.append(("nothing written", f"the search result is {result.status!r}"))
    return written


def _print_network(result: SearchResult, net: Network) -> None:
    label = "found" if result.found else "orbit element (shown)"
    print(f"  {label}:")
    for line in _network_text(net):
        print(line)
    if result.added:
        print("  data points added: " + ", ".join("(" + ", ".join(map(_s, p)) + ")" for p in result.added))
    if result.everywhere is not None:
        print(f"  everywhere: {result.everywhere['summary']}")
        cc = result.everywhere.get("cross_check", {})
        if cc.get("by"):
            verdict = "equal" if cc.get("equal") else str(cc.get("note") or cc.get("error") or cc.get("equal"))
            print(f"  cross-check by {cc['by']}: " + verdict)
    print("  claims (verified exactly, each as expected):")
    for cid, holds, expect in result.verdicts:
        print(f"    {cid}: {'true' if holds else 'false'} (expect {'true' if expect else 'false'})")


def _print(args: argparse.Namespace, name: str, result: SearchResult, written: list[tuple[str, str]]) -> None:
    obj = ", ".join(map(str, result.objectives))
    print(f"search: {name} at layer {result.layer} of {args.file}; objective {obj}; {result.mode} mode")
    print(f"  status: {result.status} ({result.method} method, {result.candidates} candidates, {result.seconds:.2f} s)")
    if result.message:
        print(f"  {result.message}")
    for s in result.search_space:
        print(f"  bounds: {s}")
    for a in result.attempts:
        print(f"  tried: {a['method']}: {a['status']} after {a.get('candidates', 0)} candidates"
              + (f" with {a['points_added']} added point(s)" if a.get("points_added") else ""))
    if result.infeasible:
        print(f"  {result.infeasible} candidates met the objective but no layer {result.layer + 1} reproduces "
              f"{name}'s: each with an orthogonal (left-kernel) witness; {len(result.evidence)} kept in --json")
    if result.network is not None:
        _print_network(result, result.network)
    for what, path in written:
        print(f"  {what}: {path}")


def cmd_search(args: argparse.Namespace) -> int:
    """``symrep search``: exit 0 when a network was found (and verified), 1 when not, 2 on bad input."""
    problem, name, objectives, bounds = _arguments(args)
    bar = Progress("searching")
    try:
        result = search(problem, network=name, layer=args.layer, objective=objectives, mode=args.mode or "data",
                        extra_points=args.extra_points, nonzero_outputs=args.nonzero_outputs, method=args.method,
                        bounds=bounds, seed=args.seed, progress=bar)
    finally:
        bar.close()
    written = _write(args, result)
    if args.json:
        doc = result.to_json()
        doc["file"] = args.file
        doc["written"] = {k: v for k, v in written}
        print(json.dumps(doc, indent=2))
    else:
        _print(args, name, result, written)
    return 0 if result.found else 1
