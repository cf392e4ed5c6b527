"""``identical``: two networks have the same activation matrix at a layer, entry by entry."""

from __future__ import annotations

from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.registry import ClaimKind
from symrep.claims.witnesses import first_difference, s, vec_text
from symrep.exact.field import FieldOps, all_equal
from symrep.exact.numbers import Matrix


class Identical(ClaimKind):
    name = "identical"
    summary = "two networks have identical activations at a layer"
    symbolic = True
    drawn_by_default = True

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        A, B = acts
        f, g = claim.networks
        widths = {"widths": [len(A), len(B)]}
        if len(A) != len(B):
            return Verdict(claim, False, f"layer {claim.layer} has {len(A)} neurons in {f} and {len(B)} in {g}", widths)
        diff = first_difference(A, B)
        if diff is None:
            return Verdict(claim, True, f"all {len(A)} activation vectors at layer {claim.layer} agree entry by entry", widths)
        i, j = diff
        return Verdict(
            claim, False,
            f"neuron {i}: {f} gives {vec_text(A[i])}, {g} gives {vec_text(B[i])} (point {j}: {s(A[i][j])} != {s(B[i][j])})",
            {**widths, "neuron": i, "point": j, "values": [s(A[i][j]), s(B[i][j])]},
        )

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        A, B = acts
        return len(A) == len(B) and all_equal([x for r in A for x in r], [x for r in B for x in r], ops)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        w, names = result["witness"], claim["networks"]
        if "neuron" in w:
            a, b = w["values"]
            return [f"Neuron {w['neuron']} at point {w['point']}: `{names[0]}` gives {a}, `{names[1]}` gives {b}."]
        if w["widths"][0] != w["widths"][1]:
            return [f"The layers have {w['widths'][0]} and {w['widths'][1]} neurons."]
        return ["The two matrices agree entry by entry."]


KIND = Identical()
