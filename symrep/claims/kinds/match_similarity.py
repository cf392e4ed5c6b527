"""``match_similarity``: Wang et al.'s similarity (|X*| + |Y*|) / (|X| + |Y|) of the maximum eps-match is the given number."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import number
from symrep.claims.kinds._shared import match_explanation, read_eps, s
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import match_text, match_witness
from symrep.exact.field import FieldOps
from symrep.exact.field import maximum_match as maximum_match_over
from symrep.exact.numbers import Matrix, format_number
from symrep.measures.matching import maximum_match


@dataclass(frozen=True)
class MatchSimilarityParams:
    """The claimed similarity and eps (0: exact match)."""

    equals: Fraction
    eps: Fraction = Fraction(0)


class MatchSimilarity(ClaimKind):
    name = "match_similarity"
    params_type = MatchSimilarityParams
    summary = "the similarity of the maximum eps-match (default eps = 0) is the given number"
    fields = frozenset({"equals", "eps"})
    symbolic = True

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> MatchSimilarityParams:
        value = number(ctx.require(obj, "equals"), f"{ctx.where}: equals")
        return MatchSimilarityParams(value, read_eps(obj, ctx, required=False))

    def params_to_json(self, params: MatchSimilarityParams) -> dict[str, Any]:
        return {"equals": s(params.equals), "eps": s(params.eps)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        p = claim.params
        m = maximum_match(acts[0], acts[1], p.eps)
        holds = m.similarity == p.equals
        text = f"eps = {s(p.eps)}: similarity {s(m.similarity)}" + ("" if holds else f", not {s(p.equals)}")
        return Verdict(claim, holds, text + f" ({match_text(m)})", match_witness(m))

    def supports_symbolic(self, claim: Claim) -> bool:
        return claim.params.eps == 0  # the eps > 0 removal test is not a field computation

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        X, Y = maximum_match_over(acts[0], acts[1], ops)
        return Fraction(len(X) + len(Y), len(acts[0]) + len(acts[1])) == claim.params.equals

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        return match_explanation(claim, result["witness"], acts)

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        eps = draw(ctx.eps)
        m = maximum_match(ctx.acts[0], ctx.acts[1], Fraction(eps))
        value = draw(ctx.st.sampled_from([m.similarity, Fraction(1), Fraction(0)]))
        return {"eps": eps, "equals": format_number(value)}


KIND = MatchSimilarity()
