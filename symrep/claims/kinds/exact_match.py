"""``exact_match``: given neurons of two networks span the same space at a layer (a match of Wang et al.)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import IndexPair
from symrep.claims.kinds._shared import failure_explanation, pair_json, read_neurons
from symrep.claims.prose import cover_lines
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import coefficients, failure_json, failure_text
from symrep.errors import InternalError
from symrep.exact.field import FieldOps, in_span
from symrep.exact.numbers import Matrix
from symrep.measures.matching import exact_match, maximum_match


@dataclass(frozen=True)
class ExactMatchParams:
    """The neuron sets (None: every neuron of both sides)."""

    neurons: IndexPair | None = None


class ExactMatch(ClaimKind):
    name = "exact_match"
    params_type = ExactMatchParams
    summary = "the given neurons (default: all) of two networks span the same space at a layer"
    fields = frozenset({"neurons"})
    symbolic = True
    drawn_by_default = True

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> ExactMatchParams:
        return ExactMatchParams(read_neurons(obj, ctx, required=False))

    def params_to_json(self, params: ExactMatchParams) -> dict[str, Any]:
        return {} if params.neurons is None else {"neurons": pair_json(params.neurons)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        A, B = acts
        x, y = claim.params.neurons if claim.params.neurons is not None else (None, None)
        m = exact_match(A, B, x, y)
        if m.holds:
            return Verdict(claim, True, "every vector of each side is a combination of the other side's "
                           f"({len(m.x)} + {len(m.y)} neurons)",
                           {"x_in_y": coefficients(m.x_in_y), "y_in_x": coefficients(m.y_in_x)})
        f = m.failure
        if f is None:  # a match that does not hold names the neuron that fails
            raise InternalError("internal error: an exact match fails without a failing neuron")
        return Verdict(claim, False, failure_text(claim.networks, acts, f), failure_json(f))

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        A, B = acts
        x, y = claim.params.neurons if claim.params.neurons is not None else (range(len(A)), range(len(B)))
        AX, BY = [A[i] for i in x], [B[j] for j in y]
        return all(in_span(z, BY, ops) for z in AX) and all(in_span(z, AX, ops) for z in BY)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        w = result["witness"]
        if result["verdict"]:
            return cover_lines(w["x_in_y"], "x") + cover_lines(w["y_in_x"], "y") + [
                "Each side lies in the other's span, so the spans are equal."]
        return [failure_explanation(w, acts)]

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        m = maximum_match(ctx.acts[0], ctx.acts[1])
        neurons = draw(st.one_of(st.none(), st.just([list(m.x), list(m.y)]), ctx.subset_pairs))
        return {} if neurons is None else {"neurons": neurons}


KIND = ExactMatch()
