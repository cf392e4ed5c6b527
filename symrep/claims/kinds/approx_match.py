"""``approx_match``: given neurons of two networks form an eps-approximate match at a layer (Wang et al.)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import IndexPair
from symrep.claims.kinds._shared import pair_json, read_eps, read_neurons, s
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import coefficients, failure_json, gram_bounds_json
from symrep.errors import InternalError
from symrep.exact.numbers import Matrix
from symrep.measures.matching import approx_match, maximum_match


@dataclass(frozen=True)
class ApproxMatchParams:
    """eps and the neuron sets (None: every neuron)."""

    eps: Fraction
    neurons: IndexPair | None = None


class ApproxMatch(ClaimKind):
    name = "approx_match"
    params_type = ApproxMatchParams
    summary = "the given neurons (default: all) form an eps-approximate match at a layer"
    fields = frozenset({"neurons", "eps"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> ApproxMatchParams:
        neurons = read_neurons(obj, ctx, required=False)
        return ApproxMatchParams(read_eps(obj, ctx, required=True), neurons)

    def params_to_json(self, params: ApproxMatchParams) -> dict[str, Any]:
        out: dict[str, Any] = {} if params.neurons is None else {"neurons": pair_json(params.neurons)}
        return {**out, "eps": s(params.eps)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        A, B = acts
        p = claim.params
        x, y = p.neurons if p.neurons is not None else (None, None)
        m = approx_match(A, B, p.eps, x, y)
        if m.holds:
            return Verdict(claim, True, f"every vector is within relative distance {s(p.eps)} of the other side's span "
                           f"({len(m.x)} + {len(m.y)} neurons; projection coefficients in the witness)",
                           {"x_in_y": coefficients(m.x_in_y), "y_in_x": coefficients(m.y_in_x)})
        f = m.failure
        if f is None:  # an eps-match that does not hold names the neuron that fails
            raise InternalError("internal error: an eps-match fails without a failing neuron")
        side = claim.networks[0] if f.side == "x" else claim.networks[1]
        if f.bound is not None:
            return Verdict(claim, False, f"neuron {f.neuron} of {side} is farther than {s(p.eps)} times its length from "
                           "the other span: a certified lower bound on its distance (coefficients and a Gram "
                           "eigenvalue bound)", {**failure_json(f), **gram_bounds_json(m.gram_bounds)})
        return Verdict(claim, False, f"neuron {f.neuron} of {side} is farther than {s(p.eps)} times its length from the "
                       "other span: its exact residual w is orthogonal to that span and (w.z)^2 > eps^2 |z|^2 |w|^2",
                       failure_json(f))

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        eps = draw(ctx.eps)
        m = maximum_match(ctx.acts[0], ctx.acts[1], Fraction(eps))
        pair = draw(st.one_of(st.just([list(m.x), list(m.y)]), ctx.subset_pairs))
        return {"eps": eps, "neurons": pair} if draw(st.booleans()) else {"eps": eps}


KIND = ApproxMatch()
