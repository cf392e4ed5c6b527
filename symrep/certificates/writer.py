"""Proof certificates: a claim file's problem and, per claim, the verdict and its witness.

A certificate is one JSON document::

    {"format": "symrep-certificate/1",
     "generator": "symrep 0.1.0",
     "problem": {...the claim file, numbers as exact strings...},
     "results": [{"id": ..., "kind": ..., "verdict": true, "witness": {...}}, ...]}

``results`` follow the claims in order.  The witness of each kind is described
in ``docs/certificates.md``; :mod:`symrep.checker` re-checks it without
trusting anything here.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from symrep import __version__
from symrep.claims.files import Problem, problem_to_json
from symrep.errors import CertificateError, InputError
from symrep.claims.verdicts import Verdict, verify_problem

__all__ = ["FORMAT", "certificate", "certify", "dump_certificate"]

FORMAT = "symrep-certificate/1"


def certificate(problem: Problem, verdicts: Sequence[Verdict]) -> dict[str, Any]:
    """The certificate for *problem* given its verdicts (one per claim, in order)."""
    if [v.claim for v in verdicts] != list(problem.claims):
        raise InputError("verdicts must be those of the problem's claims, in order")
    big = [v.claim.id for v in verdicts if v.witness.get("too_large_to_certify")]
    if big:
        raise CertificateError(f"no certificate: claims {', '.join(map(repr, big))} are too large to certify "
                               "(simple_matches lists every pair of neuron sets)")
    # An undecided claim is marked as such ("verdict": "undecided", its witness says why) and proves
    # nothing; the decided claims of the same file are certified as usual (see docs/certificates.md).
    return {
        "format": FORMAT,
        "generator": f"symrep {__version__}",
        "problem": problem_to_json(problem),
        "results": [
            {"id": v.claim.id, "kind": v.claim.kind, "verdict": "undecided" if v.holds is None else v.holds,
             "witness": {"reason": v.explanation, **v.witness} if v.holds is None else v.witness} for v in verdicts
        ],
    }


def certify(problem: Problem) -> dict[str, Any]:
    """Decide every claim of *problem* and return the certificate.

    >>> from symrep.claims import loads_claim_file
    >>> p = loads_claim_file('''
    ... [data]
    ... inputs = [[1], [2]]
    ... [networks.f]
    ... layers = [{weights = [[1], [2]], activation = "relu"}]
    ... [[claims]]
    ... id = "line"
    ... kind = "dimension"
    ... network = "f"
    ... layer = 1
    ... equals = 1
    ... ''')
    >>> cert = certify(p)
    >>> cert["results"][0]["verdict"], cert["results"][0]["witness"]["basis"]
    (True, [0])
    """
    return certificate(problem, verify_problem(problem))


def dump_certificate(cert: dict[str, Any]) -> str:
    """Certificate JSON text: stable key order, one line per small item, newline at the end."""
    return json.dumps(cert, indent=1, separators=(",", ": ")) + "\n"
