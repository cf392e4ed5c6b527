"""``symrep coq CERT.json -o CLAIMS.v [--check]``: export a certificate as a Coq file of theorems.

The certificate is re-checked by the independent checker first and refused (exit 2) when it is
rejected.  Each claim becomes a theorem stated with the definitions of ``coq/Symrep.v`` and proved
from its witness; claims of kinds or witness forms the Coq library does not cover are skipped,
each listed in the file's header and on standard error.  ``--check`` compiles the file with coqc
(building the library once in a cache): exit 0 if coqc accepts it, 1 if it rejects it, 2 if coqc
is missing or the certificate cannot be exported.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def cmd_coq(args: argparse.Namespace) -> int:
    from symrep.certificates.coq import compile_coq, export_file

    result = export_file(args.certificate, args.output)
    print(f"{args.output}: {len(result.proved)} claims stated and proved, {len(result.skipped)} skipped")
    for claim_id, kind, why in result.skipped:
        print(f"  skipped {claim_id} ({kind}): {why}", file=sys.stderr)
    if not args.check:
        return 0
    status, message = compile_coq(args.output)
    if status == 0:
        print(f"{args.output}: accepted by coqc")
    elif status == 1:
        print(f"{args.output}: REJECTED by coqc:\n{message}")
    else:
        print(f"symrep: {message}", file=sys.stderr)
    return status


def add_coq_parser(sub: Any) -> None:
    """Add ``symrep coq`` to the sub-command parsers of the ``symrep`` command."""
    p = sub.add_parser("coq", help="export a certificate as Coq theorems (and check them with coqc)")
    p.add_argument("certificate", metavar="CERT.json")
    p.add_argument("-o", "--output", required=True, metavar="CLAIMS.v", help="the Coq file to write")
    p.add_argument("--check", action="store_true", help="compile the file with coqc: 0 accepted, 1 rejected, 2 no coq")
    p.set_defaults(func=cmd_coq)
