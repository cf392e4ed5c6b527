"""``maximum_approx_match``: the maximum eps-match at a layer (Wang et al.'s algorithm) is the given pair."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import IndexPair
from symrep.claims.kinds._shared import match_explanation, pair_json, read_eps, read_pair, s
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import match_text, match_witness
from symrep.exact.numbers import Matrix
from symrep.measures.matching import maximum_match


@dataclass(frozen=True)
class MaximumApproxMatchParams:
    """The claimed maximum eps-match and eps."""

    equals: IndexPair
    eps: Fraction


class MaximumApproxMatch(ClaimKind):
    name = "maximum_approx_match"
    params_type = MaximumApproxMatchParams
    summary = "the maximum eps-match at a layer is the given pair of neuron sets"
    fields = frozenset({"equals", "eps"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> MaximumApproxMatchParams:
        pair = read_pair(obj, ctx)
        return MaximumApproxMatchParams(pair, read_eps(obj, ctx, required=True))

    def params_to_json(self, params: MaximumApproxMatchParams) -> dict[str, Any]:
        return {"equals": pair_json(params.equals), "eps": s(params.eps)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        p = claim.params
        m = maximum_match(acts[0], acts[1], p.eps)
        holds = (m.x, m.y) == tuple(p.equals)
        text = f"eps = {s(p.eps)}: " + match_text(m)
        if not holds:
            text += f", not X = {list(p.equals[0])}, Y = {list(p.equals[1])}"
        return Verdict(claim, holds, text, match_witness(m))

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        return match_explanation(claim, result["witness"], acts)

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        eps = draw(ctx.eps)
        m = maximum_match(ctx.acts[0], ctx.acts[1], Fraction(eps))
        return {"eps": eps, "equals": draw(ctx.st.one_of(ctx.st.just([list(m.x), list(m.y)]), ctx.subset_pairs))}


KIND = MaximumApproxMatch()
