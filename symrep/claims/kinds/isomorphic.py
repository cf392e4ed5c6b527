"""``isomorphic``: the spans of two networks' activation vectors at a layer are isomorphic (equal dimensions)."""

from __future__ import annotations

from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.prose import dimension_lines, lit
from symrep.claims.registry import ClaimKind
from symrep.claims import witnesses
from symrep.claims.witnesses import dimension_witness, matrix_json
from symrep.errors import InternalError
from symrep.exact.field import FieldOps, rank
from symrep.exact.numbers import Matrix
from symrep.networks.spaces import isomorphism


def isomorphic_verdict(claim: Claim, acts: list[Matrix], d: int) -> Verdict:
    """Two proved dimensions, and for equal ones an explicit isomorphism (also used by ``equivalence``)."""
    A, B = acts
    sa, wa = dimension_witness(A, d)
    sb, wb = dimension_witness(B, d)
    w: dict[str, Any] = {"dimensions": [sa.rank, sb.rank], "first": wa, "second": wb}
    if sa.rank != sb.rank:
        return Verdict(claim, False, f"the spans have dimensions {sa.rank} ({claim.networks[0]}) and {sb.rank} "
                       f"({claim.networks[1]})", w)
    pairs = ", ".join(f"z{i} -> z~{j}" for i, j in zip(sa.basis, sb.basis)) or "0 -> 0"
    if sa.rank > witnesses.EXACT_INVERSE_UP_TO:  # read at call time: tests lower it
        # The map v -> (v restricted to the first pivots) K_first B[second basis] is explicit from the two
        # dimension witnesses; writing out its r x d matrix would dominate the certificate.
        w["map"] = w["inverse"] = "through the pivot blocks"
        return Verdict(claim, True, f"both spans have dimension {sa.rank}; the linear map sending {pairs} (through the "
                       "inverse pivot blocks of the dimension witnesses) is an isomorphism", w)
    iso = isomorphism(A, B)
    if iso is None or iso.source != sa.basis or iso.target != sb.basis:
        raise InternalError("internal error: the isomorphism does not use the proved bases")  # pragma: no cover
    w["map"] = {"rows": list(iso.forward_rows), "matrix": matrix_json(iso.forward)}
    w["inverse"] = {"rows": list(iso.backward_rows), "matrix": matrix_json(iso.backward)}
    return Verdict(claim, True, f"both spans have dimension {sa.rank}; the linear map sending {pairs} is an "
                   "isomorphism (map and inverse in the witness)", w)


def isomorphic_explanation(result: Mapping[str, Any], names: list[str]) -> list[str]:
    """The proof of an isomorphism claim: two dimensions, and the map and its inverse."""
    w = result["witness"]
    out = dimension_lines(w["first"], names[0], "x") + [""] + dimension_lines(w["second"], names[1], "y")
    if result["verdict"] and isinstance(w.get("map"), str):
        out += ["", f"The map v -> (v on the pivot columns {w['first']['pivots']}) K B[{w['second']['basis']}], with K "
                "the inverse of the first pivot block (it exists: the block was shown invertible), sends the "
                "first basis onto the second; the inverse map is built the same way the other way round."]
    elif result["verdict"]:
        out += [
            "",
            f"The map v -> v M with M zero except rows {w['map']['rows']} = {lit(w['map']['matrix'])} sends basis "
            f"{w['first']['basis']} of `{names[0]}` (rows x{w['first']['basis']}) to basis {w['second']['basis']} "
            f"of `{names[1]}` (rows y{w['second']['basis']}); "
            f"N with rows {w['inverse']['rows']} = {lit(w['inverse']['matrix'])} sends it back.",
        ]
    else:
        out.append(f"The dimensions differ ({w['dimensions'][0]} and {w['dimensions'][1]}): no isomorphism exists.")
    return out


class Isomorphic(ClaimKind):
    name = "isomorphic"
    summary = "the spans of two networks' activations at a layer are isomorphic (same dimension)"
    symbolic = True
    drawn_by_default = True

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        return isomorphic_verdict(claim, acts, d)

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        return rank(acts[0], ops) == rank(acts[1], ops)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        return isomorphic_explanation(result, list(claim["networks"]))


KIND = Isomorphic()
