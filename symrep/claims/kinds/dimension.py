"""``dimension``: the span of one network's activation vectors at a layer has the given dimension."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import expect_type
from symrep.claims.prose import dimension_lines
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import dimension_witness
from symrep.errors import ClaimFileError
from symrep.exact.field import FieldOps, rank
from symrep.exact.numbers import Matrix
from symrep.networks.spaces import Subspace


@dataclass(frozen=True)
class DimensionParams:
    """The claimed dimension."""

    equals: int


class Dimension(ClaimKind):
    name = "dimension"
    params_type = DimensionParams
    summary = "the span of one network's activation vectors at a layer has the given dimension"
    networks = 1
    fields = frozenset({"equals"})
    symbolic = True
    drawn_by_default = True

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> DimensionParams:
        value = expect_type(ctx.require(obj, "equals"), int, f"{ctx.where}: equals", "a dimension (integer)")
        if value < 0:
            raise ClaimFileError(f"{ctx.where}: equals: a dimension cannot be negative")
        return DimensionParams(value)

    def params_to_json(self, params: DimensionParams) -> dict[str, Any]:
        return {"equals": params.equals}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        (A,) = acts
        sb, w = dimension_witness(A, d)
        basis = ", ".join(f"z{i}" for i in sb.basis) or "none"
        text = f"span at layer {claim.layer} of {claim.networks[0]} has dimension {sb.rank} (basis {basis})"
        if sb.rank != claim.params.equals:
            text += f", not {claim.params.equals}"
        return Verdict(claim, sb.rank == claim.params.equals, text, w)

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        return rank(acts[0], ops) == claim.params.equals

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        w = result["witness"]
        name = claim["network"]
        return dimension_lines(w, name) + [f"So the span has dimension {w['dimension']}; the claim says {claim['equals']}."]

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        true_dim = Subspace.span(ctx.acts[0], ambient=ctx.d).dimension
        return {"equals": draw(st.one_of(st.just(true_dim), st.integers(0, min(ctx.width, ctx.d))))}


KIND = Dimension()
