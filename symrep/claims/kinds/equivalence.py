"""``equivalence``: two representations are equivalent at a level of the ladder (identical ... isomorphic).

The levels (:data:`symrep.measures.equivalence.LEVELS`): identical, permutation,
scaled_permutation (the symmetries of ReLU), orthogonal, similarity (orthogonal times a
positive scalar: witness s^2 and the Gram identity A^T A = s^2 B^T B), linear, isomorphic;
``centered = true`` subtracts each neuron's mean over the data first (then the Grams are
the centred ones).  The implications between levels are in the design note of
:mod:`symrep.measures.equivalence`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import expect_type
from symrep.claims.kinds.isomorphic import isomorphic_verdict
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.errors import ClaimFileError
from symrep.exact.numbers import Matrix
from symrep.measures.equivalence import LEVELS, center, equivalence


@dataclass(frozen=True)
class EquivalenceParams:
    """The ladder level and whether activations are centred first."""

    level: str
    centered: bool = False


class Equivalence(ClaimKind):
    name = "equivalence"
    params_type = EquivalenceParams
    summary = "two representations are equivalent at a ladder level (identical ... isomorphic), optionally centred"
    fields = frozenset({"level", "centered"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> EquivalenceParams:
        level = ctx.require(obj, "level", f" (one of {', '.join(LEVELS)})")
        if not isinstance(level, str) or level not in LEVELS:
            raise ClaimFileError(f"{ctx.where}: level {level!r:.60} is not one of {', '.join(LEVELS)}")
        centered = expect_type(obj.get("centered", False), bool, f"{ctx.where}: centered", "true or false")
        return EquivalenceParams(level, centered)

    def params_to_json(self, params: EquivalenceParams) -> dict[str, Any]:
        return {"level": params.level, "centered": params.centered}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        A, B = acts
        p = claim.params
        if p.centered:
            A, B = center(A), center(B)
        label = f"{p.level}{' (centered)' if p.centered else ''}"
        if p.level == "isomorphic":
            v = isomorphic_verdict(claim, [A, B], d)
            return Verdict(claim, v.holds, f"{label}: {v.explanation}", v.witness)
        e = equivalence(A, B, p.level)
        return Verdict(claim, e.holds, f"{label}: {e.explanation}", e.witness)

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        return {"level": draw(ctx.st.sampled_from(list(LEVELS))), "centered": draw(ctx.st.booleans())}


KIND = Equivalence()
