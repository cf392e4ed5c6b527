"""``symrep explain``: render a certificate as a Markdown proof to follow by hand."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from symrep.certificates.explain import explain_file


def cmd_explain(args: argparse.Namespace) -> int:
    text = explain_file(args.certificate)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def add_explain_parser(sub: Any) -> None:
    """Add ``symrep explain`` to the sub-command parsers of the ``symrep`` command."""
    p = sub.add_parser("explain", help="render a certificate as a Markdown proof to follow by hand")
    p.add_argument("certificate", metavar="CERT.json")
    p.add_argument("-o", "--output", metavar="FILE.md", help="write to a file instead of standard output")
    p.set_defaults(func=cmd_explain)
