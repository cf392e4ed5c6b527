"""``activations``: the activation matrix of one network at one layer equals a given matrix.

>>> from symrep.claims import loads_claim_file
>>> from symrep.claims.verdicts import verify_problem
>>> p = loads_claim_file('''
... [data]
... inputs = [[1, 1], [-1, -1]]
... [networks.f]
... layers = [{weights = [[1, 0], [0, 1]], activation = "relu"}]
... [[claims]]
... id = "c"
... kind = "activations"
... network = "f"
... layer = 1
... equals = [[1, 0], [1, 0]]
... ''')
>>> verify_problem(p)[0].holds
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import matrix
from symrep.claims.prose import lit
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import first_difference, matrix_json, s, vec_text
from symrep.exact.field import FieldOps, all_equal
from symrep.exact.numbers import Matrix, format_number


@dataclass(frozen=True)
class ActivationsParams:
    """The claimed matrix (rows = neurons, columns = data points)."""

    equals: Matrix


class Activations(ClaimKind):
    name = "activations"
    params_type = ActivationsParams
    summary = "the activation matrix of one network at a layer equals the given matrix"
    networks = 1
    fields = frozenset({"equals"})
    symbolic = True
    drawn_by_default = True

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> ActivationsParams:
        return ActivationsParams(matrix(ctx.require(obj, "equals"), f"{ctx.where}: equals"))

    def params_to_json(self, params: ActivationsParams) -> dict[str, Any]:
        return {"equals": matrix_json(params.equals)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        (A,) = acts
        E = claim.params.equals
        shape = [len(A), d]
        claimed = [len(E), len(E[0]) if E else 0]
        at = f"{claim.networks[0]} at layer {claim.layer}"
        if shape != claimed:
            return Verdict(claim, False, f"{at} is {shape[0]}x{shape[1]} (neurons x points), "
                           f"the claim gives {claimed[0]}x{claimed[1]}", {"shape": shape, "claimed_shape": claimed})
        diff = first_difference(A, E)
        if diff is None:
            return Verdict(claim, True, f"{at} equals the claimed matrix, entry by entry", {"shape": shape})
        i, j = diff
        return Verdict(
            claim, False,
            f"neuron {i} of {at} is z = {vec_text(A[i])}, not {vec_text(E[i])} (point {j}: {s(A[i][j])} != {s(E[i][j])})",
            {"shape": shape, "neuron": i, "point": j, "value": s(A[i][j]), "claimed": s(E[i][j])},
        )

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        (A,) = acts
        E = claim.params.equals
        if len(A) != len(E) or (E and len(E[0]) != d):
            return False
        return all_equal([x for r in A for x in r], [ops.const(x) for r in E for x in r], ops)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        w = result["witness"]
        if "neuron" in w:
            return [f"Entry (neuron {w['neuron']}, point {w['point']}) is {w['value']}, the claim says {w['claimed']}."]
        if "claimed_shape" in w:
            return [f"The matrix is {w['shape'][0]} x {w['shape'][1]}; "
                    f"the claim gives {w['claimed_shape'][0]} x {w['claimed_shape'][1]}."]
        return [f"Every entry equals the claimed matrix {lit(claim['equals'])}."]

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        M = [list(r) for r in ctx.acts[0]]
        if draw(st.booleans()):  # change one entry
            r, c = draw(st.integers(0, ctx.width - 1)), draw(st.integers(0, ctx.d - 1))
            M[r][c] += draw(ctx.deltas)
        return {"equals": [[format_number(x) for x in row] for row in M]}


KIND = Activations()
