"""``symrep kinds``: the claim kinds symrep decides, read from the registry (``--json`` for scripts)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from symrep.claims.kinds import REGISTRY


def kinds_table() -> list[dict[str, Any]]:
    """One entry per claim kind: name, what it says, the networks and fields it takes."""
    return [{"kind": name, "summary": k.summary, "networks": k.networks, "layer": k.layered,
             "fields": sorted(k.fields), "parametric": k.symbolic} for name, k in REGISTRY.items()]


def cmd_kinds(args: argparse.Namespace) -> int:
    rows = kinds_table()
    if args.json:
        print(json.dumps({"kinds": rows}, indent=2))
        return 0
    width = max(len(r["kind"]) for r in rows)
    for r in rows:
        names = "network" if r["networks"] == 1 else "networks"
        fields = ", ".join([names] + (["layer"] if r["layer"] else []) + r["fields"])
        print(f"{r['kind']:<{width}}  {r['summary']}")
        print(f"{'':<{width}}  fields: {fields}" + ("; decided symbolically for one parameter" if r["parametric"] else ""))
    print(f"\n{len(rows)} claim kinds; the claim-file format: docs/claim-files.md")
    return 0


def add_kinds_parser(sub: Any) -> None:
    """Add ``symrep kinds`` to the sub-command parsers of the ``symrep`` command."""
    p = sub.add_parser("kinds", help="list the claim kinds and their fields")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_kinds)
