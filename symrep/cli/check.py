"""``symrep check``: re-check certificates with the independent, standard-library-only checker.

Exit status: 0 when every certificate checks, 1 when one is rejected, 2 when one cannot be read.
"""

from __future__ import annotations

import argparse
from typing import Any


def cmd_check(args: argparse.Namespace) -> int:
    from symrep import checker  # only this command uses the independent checker (tests/test_independence.py)

    return checker.main(list(args.files) + (["--json"] if args.json else []) + (["--exhaustive"] if args.exhaustive else []))


def add_check_parser(sub: Any) -> None:
    """Add ``symrep check`` to the sub-command parsers of the ``symrep`` command."""
    p = sub.add_parser("check", help="re-check certificates with the independent stdlib-only checker")
    p.add_argument("files", nargs="+", metavar="CERT.json")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--exhaustive", action="store_true",
                   help="layer certificates: recompute every product exactly instead of Freivalds' randomized test")
    p.set_defaults(func=cmd_check)
