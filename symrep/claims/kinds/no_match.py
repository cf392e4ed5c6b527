"""``no_match``: two networks have no nonempty match at a layer (the maximum match is empty)."""

from __future__ import annotations

from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.kinds._shared import match_explanation
from symrep.claims.registry import ClaimKind
from symrep.claims.witnesses import match_text, match_witness, plural
from symrep.exact.field import FieldOps
from symrep.exact.field import maximum_match as maximum_match_over
from symrep.exact.numbers import Matrix
from symrep.measures.matching import maximum_match


class NoMatch(ClaimKind):
    name = "no_match"
    summary = "the maximum match at a layer is empty"
    symbolic = True
    drawn_by_default = True

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        m = maximum_match(acts[0], acts[1])
        if m.empty:
            return Verdict(claim, True, f"the maximum match is empty: all {plural(len(m.removals), 'neuron')} removed, "
                           "each with an orthogonal witness", match_witness(m))
        text = "there is a match: " + match_text(m)
        if set(m.x) == set(m.zero_x) and set(m.y) == set(m.zero_y):
            text += " -- only zero neurons match"
        return Verdict(claim, False, text, match_witness(m))

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        X, Y = maximum_match_over(acts[0], acts[1], ops)
        return not X and not Y

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        return match_explanation(claim, result["witness"], acts)


KIND = NoMatch()
