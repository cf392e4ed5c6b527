"""``maximum_match``: the maximum match of two networks at a layer (Wang et al.'s algorithm) is the given pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import IndexPair
from symrep.claims.kinds._shared import match_explanation, pair_json, read_pair
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import match_text, match_witness
from symrep.exact.field import FieldOps
from symrep.exact.field import maximum_match as maximum_match_over
from symrep.exact.numbers import Matrix
from symrep.measures.matching import maximum_match


@dataclass(frozen=True)
class MaximumMatchParams:
    """The claimed maximum match (X*, Y*)."""

    equals: IndexPair


class MaximumMatch(ClaimKind):
    name = "maximum_match"
    params_type = MaximumMatchParams
    summary = "the maximum (exact) match at a layer is the given pair of neuron sets"
    fields = frozenset({"equals"})
    symbolic = True
    drawn_by_default = True

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> MaximumMatchParams:
        return MaximumMatchParams(read_pair(obj, ctx))

    def params_to_json(self, params: MaximumMatchParams) -> dict[str, Any]:
        return {"equals": pair_json(params.equals)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        m = maximum_match(acts[0], acts[1])
        want = claim.params.equals
        holds = (m.x, m.y) == tuple(want)
        text = match_text(m) + ("" if holds else f", not X = {list(want[0])}, Y = {list(want[1])}")
        return Verdict(claim, holds, text, match_witness(m))

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        return maximum_match_over(acts[0], acts[1], ops) == tuple(claim.params.equals)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        return match_explanation(claim, result["witness"], acts)

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        m = maximum_match(ctx.acts[0], ctx.acts[1])
        return {"equals": draw(ctx.st.one_of(ctx.st.just([list(m.x), list(m.y)]), ctx.subset_pairs))}


KIND = MaximumMatch()
