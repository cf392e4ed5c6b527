"""Deciding claims: every verdict computed exactly, with a witness.

Each claim kind decides its claims (:mod:`symrep.claims.kinds`): whether the
claim holds, a one-line explanation for people, and a witness as JSON-ready
data (exact numbers as strings).  The witness is exactly what a certificate
carries for that claim; its format per kind is documented in
``docs/certificates.md`` and re-checked by :mod:`symrep.checker`.
"""

from __future__ import annotations

from typing import Any, Callable

from symrep.claims.claim import Claim, Problem, Verdict
from symrep.claims.kinds import REGISTRY
from symrep.claims.kinds.equal_functions import MAX_REGIONS
from symrep.claims.witnesses import EXACT_INVERSE_UP_TO, dimension_witness, match_witness

__all__ = ["EXACT_INVERSE_UP_TO", "MAX_REGIONS", "Verdict", "decide", "dimension_witness", "match_witness", "verify_problem"]


def decide(problem: Problem, claim: Claim, _cache: dict[str, Any] | None = None,
           detail: Callable[[str], None] | None = None) -> Verdict:
    """Decide one claim of *problem* exactly (*detail* receives progress text on long claims)."""
    cache: dict[str, Any] = {} if _cache is None else _cache
    return REGISTRY[claim.kind].decide_problem(problem, claim, cache, detail)


def verify_problem(problem: Problem, progress: Callable[[int, int], None] | None = None,
                   detail: Callable[[str], None] | None = None) -> list[Verdict]:
    """Decide every claim of *problem*, in order (activations are computed once per network)."""
    cache: dict[str, Any] = {}
    out = []
    for k, claim in enumerate(problem.claims):
        out.append(decide(problem, claim, cache, detail))
        if progress:
            progress(k + 1, len(problem.claims))
    return out
