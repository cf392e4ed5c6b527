"""Pieces that several kinds share: the eps and neurons fields, the explanation of a maximum match."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.fields import IndexPair, index_pair, number
from symrep.claims.prose import cover_lines, dense, dot_text, removal_lines
from symrep.claims.registry import ParseContext
from symrep.claims.witnesses import s
from symrep.errors import ClaimFileError
from symrep.exact.numbers import Matrix, format_number


def read_eps(obj: Mapping[str, Any], ctx: ParseContext, required: bool) -> Fraction:
    """The relative distance bound eps >= 0 (0 when optional and absent)."""
    if "eps" not in obj:
        if required:
            raise ClaimFileError(f"{ctx.where}: kind {ctx.kind!r} needs field 'eps' (for example eps = \"1/4\")")
        return Fraction(0)
    eps = number(obj["eps"], f"{ctx.where}: eps")
    if eps < 0:
        raise ClaimFileError(f"{ctx.where}: eps: {format_number(eps)} is negative")
    return eps


def read_neurons(obj: Mapping[str, Any], ctx: ParseContext, required: bool) -> IndexPair | None:
    """The neuron sets ``[[x...], [y...]]`` a claim is about (None: all neurons, when optional)."""
    if "neurons" not in obj:
        if required:
            raise ClaimFileError(f"{ctx.where}: kind {ctx.kind!r} needs field 'neurons' = [[x...], [y...]]")
        return None
    return index_pair(obj["neurons"], f"{ctx.where}: neurons", ctx.widths)


def read_pair(obj: Mapping[str, Any], ctx: ParseContext) -> IndexPair:
    """The required ``equals`` pair of neuron lists (a claimed match)."""
    return index_pair(ctx.require(obj, "equals"), f"{ctx.where}: equals", ctx.widths)


def pair_json(pair: IndexPair) -> list[list[int]]:
    """A pair of index tuples as JSON lists."""
    return [list(pair[0]), list(pair[1])]


def match_explanation(claim: Mapping[str, Any], w: Mapping[str, Any], A: list[Matrix]) -> list[str]:
    """The proof of a maximum match: each removal forced, what remains covered by coefficients."""
    out = []
    if claim.get("eps", "0") != "0":
        out.append(f"With eps = {claim['eps']}: a removal's w is the exact residual, orthogonal to the other side, "
                   "with (w . z)^2 > eps^2 |z|^2 |w|^2; kept vectors are within eps by their coefficients.")
    out.append("Removals (Wang et al.'s algorithm); each is forced, so no removed neuron is in any match:")
    out.append("")
    remaining = {"x": set(range(len(A[0]))), "y": set(range(len(A[1])))}
    for r in w["removals"]:
        out += removal_lines(r, A, remaining)
    zeros = f" (zero neurons: {w['zero_x']}, {w['zero_y']})" if w["zero_x"] or w["zero_y"] else ""
    out += ["", f"What remains: X* = {w['x']}, Y* = {w['y']}{zeros}."]
    out += cover_lines(w["x_in_y"], "x") + cover_lines(w["y_in_x"], "y")
    out.append("So (X*, Y*) is a match containing every match: the maximum match.")
    return out


def failure_explanation(w: Mapping[str, Any], A: list[Matrix]) -> str:
    """Why one neuron is outside the other side's span: an orthogonal vector with a nonzero product."""
    side = w["side"]
    mine, other = (0, "y") if side == "x" else (1, "x")
    wv = dense(w["orthogonal"], len(A[0][0]))
    z = A[mine][w["neuron"]]
    return (f"w = ({', '.join(wv)}) has w . {other}j = 0 for every {other}j of the claim, but w . {side}{w['neuron']} = "
            f"{dot_text(wv, z)} = {w['product']} != 0, so {side}{w['neuron']} is outside the span of the {other}j.")


__all__ = ["failure_explanation", "match_explanation", "pair_json", "read_eps", "read_neurons", "read_pair", "s"]
