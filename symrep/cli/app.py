"""The ``symrep`` command: parse arguments, call the library, print, return an exit code.

One module per command (:mod:`symrep.cli.verify`, ``compare``, ``search``, ``check``,
``explain``, ``kinds``), each adding its own sub-parser; this module holds the parser and :func:`main`.

Exit status: 0 when every verdict is the expected one (or every certificate
checks), 1 when some is not, 2 on bad input, 3 (``verify``) when no verdict
contradicts the claim file but some claim is undecided.  A user's mistake is reported as
one message naming the file and field, never as a traceback; with ``--json`` it
is also printed on stdout as ``{"ok": false, "error": {"message": ..., "exit_status": 2}}``
(``check --json`` reports an unreadable certificate in its own document, status "unreadable").
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from symrep import __version__
from symrep.cli.check import add_check_parser
from symrep.cli.compare import _plot as _plot  # re-exported: examples/digits_mlp.py plots with it
from symrep.cli.compare import add_compare_parser
from symrep.cli.coq import add_coq_parser
from symrep.cli.explain import add_explain_parser
from symrep.cli.json_errors import error_json
from symrep.cli.kinds import add_kinds_parser
from symrep.cli.search import add_search_parser
from symrep.cli.verify import add_verify_parser
from symrep.cli.zoo import add_zoo_parser
from symrep.errors import SymrepError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symrep",
        description="Exact verification of claims about neural-network representations.",
    )
    parser.add_argument("--version", action="version", version=f"symrep {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    add_verify_parser(sub)
    add_compare_parser(sub)
    add_search_parser(sub)
    add_check_parser(sub)
    add_explain_parser(sub)
    add_kinds_parser(sub)
    add_coq_parser(sub)
    add_zoo_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    rc = _run(args)
    if argv is None and args.command == "zoo":
        _exit_now(rc)
    return rc


def _exit_now(rc: int) -> None:
    """End the ``symrep zoo`` process at once: its cluster, client and store are closed, its output written.

    What a normal exit would still do is tear down the interpreter's heap (Dask, Tornado, NumPy and
    the inputs: 0.1-0.2 s measured, docs/zoo.md) and run atexit handlers that have nothing left to close
    (the cluster's processes have exited; the fork server ends when this process does).  Only from the
    command line (``argv`` None): a caller of :func:`main` keeps its interpreter.
    """
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken stream: nothing more can be written to it anyway
            pass
    os._exit(rc)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.func(args)
    except SymrepError as e:
        print(f"symrep: error: {e}", file=sys.stderr)
        if getattr(args, "json", False):  # a script reading stdout gets a document for bad input too
            print(json.dumps(error_json(str(e)), indent=2))
        return 2
    except KeyboardInterrupt:
        print("symrep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `symrep verify | head -2`: the reader has gone, which is not an error
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so that Python's exit flush does not fail again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (captured output): nothing to flush
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
