"""``simple_match``: given neurons form a simple match (Wang et al.): a match not the union of matches inside it."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import IndexPair
from symrep.claims.kinds._shared import pair_json, read_eps, read_neurons, s
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import coefficients, failure_json, failure_text, removal_json
from symrep.errors import InternalError
from symrep.exact.numbers import Matrix
from symrep.measures.matching import maximum_match
from symrep.measures.simple import simple_match_evidence


@dataclass(frozen=True)
class SimpleMatchParams:
    """The neuron sets and eps (0: exact matches)."""

    neurons: IndexPair
    eps: Fraction = Fraction(0)


class SimpleMatch(ClaimKind):
    name = "simple_match"
    params_type = SimpleMatchParams
    summary = "the given neurons form a simple (eps-)match: not the union of the matches strictly inside it"
    fields = frozenset({"neurons", "eps"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> SimpleMatchParams:
        neurons = read_neurons(obj, ctx, required=True)
        if neurons is None:  # required: read_neurons refuses a claim without them
            raise InternalError(f"internal error: {ctx.where}: no neurons read")
        return SimpleMatchParams(neurons, read_eps(obj, ctx, required=False))

    def params_to_json(self, params: SimpleMatchParams) -> dict[str, Any]:
        return {"neurons": pair_json(params.neurons), "eps": s(params.eps)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        A, B = acts
        p = claim.params
        x, y = p.neurons
        ev = simple_match_evidence(A, B, x, y, p.eps)
        if ev.get("empty"):
            return Verdict(claim, False, "the empty match is not simple (simple matches are non-empty)", {"empty": True})
        if "not_zero" in ev:
            f = ev["not_zero"].removals[0]  # a non-zero vector against an empty side
            return Verdict(claim, False, "one side is empty and the other has a non-zero vector: not a match", failure_json(f))
        match = ev["match"]
        if not match.holds:
            f = match.failure
            text = ("not a match: " + failure_text(claim.networks, acts, f) if p.eps == 0 else
                    "not an eps-match: a neuron is farther than eps from the other span (exact residual in the witness)")
            return Verdict(claim, False, text, failure_json(f))
        cover = {"x_in_y": coefficients(match.x_in_y), "y_in_x": coefficients(match.y_in_x)}
        if ev["simple"]:
            side, v = ev["v"]
            excl = [{"drop": [sd, e], "removals": [removal_json(r) for r in m.removals]} for (sd, e), m in ev["exclusions"]]
            return Verdict(claim, True, f"a match; without any other neuron, neuron {v} ({side}) is in no match, so the "
                           "matches strictly inside do not cover it", {**cover, "v": [side, v], "exclusions": excl})
        parts = [{"x": list(m.x), "y": list(m.y), "x_in_y": coefficients(m.x_in_y), "y_in_x": coefficients(m.y_in_x)}
                 for m in ev["parts"]]
        return Verdict(claim, False, f"a match, but the union of {len(parts)} matches strictly inside it",
                       {**cover, "parts": parts})

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        eps = draw(ctx.eps)
        m = maximum_match(ctx.acts[0], ctx.acts[1], Fraction(eps))
        return {"eps": eps, "neurons": draw(ctx.st.one_of(ctx.st.just([list(m.x), list(m.y)]), ctx.subset_pairs))}


KIND = SimpleMatch()
