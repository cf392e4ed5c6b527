"""``relation``: two measured quantities (or a quantity and an exact number) stand in a relation, decided exactly.

Each side is ``{measure = M, networks = [a, b], layer = k}`` (the pair and the layer default to
the claim's) or ``{value = "sqrt(1/2)"}``, an exact number; M is any registered measure,
possibly as ``"1 - M"`` or ``"arccos M"`` (:mod:`symrep.claims.kinds._measured`), and
``relation`` is one of ``<=``, ``<``, ``==``, ``>=``, ``>``.  So a bound on any measure is a
relation with a value on the right.  The verdict is exact when both sides have closed forms
(rationals or square roots of rationals: CKA, match similarity); otherwise brackets are refined
until they separate, and a tie that no bracket can break is ``undecided``.  The witness holds
both sides' values and evidence, and the sign of left - right.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim, Problem, Verdict
from symrep.claims.kinds._measured import (Quantity, Site, Value, acts_at, decide_sign, difference_sign, evaluate,
                                           layer_of, read_fields, read_pair, read_quantity, value_text)
from symrep.claims.fields import expect_type
from symrep.claims.kinds._surds import Surd, read_surd, surd_text
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.errors import ClaimFileError, InputError, InternalError, Unresolved

#: relation -> the signs of (left - right) that make it hold.
RELATIONS = {"<=": (-1, 0), "<": (-1,), "==": (0,), ">=": (0, 1), ">": (1,)}
_CONSTANT = Quantity("value", "", "")


@dataclass(frozen=True)
class Side:
    """A measured quantity on two sites (network, layer), or an exact constant."""

    quantity: Quantity | None = None
    sites: tuple[Site, ...] = ()
    value: Surd | None = None


@dataclass(frozen=True)
class RelationParams:
    left: Side
    relation: str
    right: Side


def read_sites(raw: Mapping[str, Any], ctx: ParseContext, at: str) -> tuple[Site, Site]:
    """``networks = [a, b]`` (default: the claim's) and ``layer = k`` or ``layers = [k, l]`` (default: the claim's layer)."""
    pair = read_pair(raw["networks"], ctx, f"{at}: networks") if "networks" in raw else \
        (str(ctx.nets[0].name), str(ctx.nets[1].name))
    if "layer" in raw and "layers" in raw:
        raise ClaimFileError(f"{at}: give 'layer' or 'layers', not both")
    layers = raw.get("layers", [raw.get("layer", ctx.layer)] * 2)
    expect_type(layers, list, f"{at}: layers", "a pair of layer numbers")
    if len(layers) != 2:
        raise ClaimFileError(f"{at}: layers: expected two layer numbers, got {len(layers)}")
    a, b = (Site(n, layer_of(k, n, ctx, f"{at}: layer")) for n, k in zip(pair, layers))
    return a, b


def read_side(raw: Any, ctx: ParseContext, at: str) -> Side:
    """One side of a relation (see the module docstring)."""
    if isinstance(raw, str):
        raw = {"measure": raw}
    if not isinstance(raw, dict):
        raise ClaimFileError(f"{at}: expected a table {{measure, networks, layer}} or {{value}}")
    if "value" in raw:
        read_fields(raw, {"value"}, at)
        return Side(value=read_surd(raw["value"], f"{at}: value"))
    read_fields(raw, {"measure", "networks", "layer", "layers"}, at)
    if "measure" not in raw:
        raise ClaimFileError(f"{at}: needs field 'measure' (such as 'cka') or 'value'")
    return Side(read_quantity(raw["measure"], f"{at}: measure"), read_sites(raw, ctx, at))


def _quantity(side: Side) -> Quantity:
    """The measured quantity of a side that is not a constant (read_side gives one or the other)."""
    if side.quantity is None:
        raise InternalError("internal error: a side of a relation with neither a value nor a measure")
    return side.quantity


def side_to_json(side: Side) -> dict[str, Any]:
    if side.value is not None:
        return {"value": surd_text(side.value)}
    return {"measure": _quantity(side).text, "networks": [s.network for s in side.sites],
            "layers": [s.layer for s in side.sites]}


def side_evaluator(side: Side, problem: Problem, cache: dict[str, Any]):
    """width -> the side's :class:`Value`."""
    if side.value is not None:
        x = side.value

        def constant(width: Fraction) -> Value:
            lo, hi = x.bracket(width)
            return Value(_CONSTANT, (x,), lo, hi, {"value": surd_text(x)})
        return constant
    A, B = (acts_at(problem, cache, site) for site in side.sites)
    q = _quantity(side)
    return lambda width: evaluate(q, A, B, width)


def _label(side: Side) -> str:
    if side.value is not None:
        return surd_text(side.value)
    a, b = side.sites
    return f"{_quantity(side).text}({a.network}@{a.layer}, {b.network}@{b.layer})"


class Relation(ClaimKind):
    name = "relation"
    params_type = RelationParams
    summary = "two measured quantities (any measures, 1 - M, arccos M) or a quantity and a number: <=, <, ==, >=, >"
    fields = frozenset({"left", "relation", "right"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> RelationParams:
        rel = ctx.require(obj, "relation", f" (one of {', '.join(RELATIONS)})")
        if not isinstance(rel, str) or rel not in RELATIONS:
            raise ClaimFileError(f"{ctx.where}: relation {rel!r:.40} is not one of {', '.join(RELATIONS)}")
        left = read_side(ctx.require(obj, "left"), ctx, f"{ctx.where}: left")
        right = read_side(ctx.require(obj, "right"), ctx, f"{ctx.where}: right")
        arccos = [s.quantity is not None and s.quantity.form == "arccos " for s in (left, right)]
        if arccos[0] != arccos[1]:
            raise ClaimFileError(f"{ctx.where}: an arccos quantity is compared only with another arccos quantity")
        if left.value is not None and right.value is not None:
            raise ClaimFileError(f"{ctx.where}: at least one side must be a measure")
        return RelationParams(left, rel, right)

    def params_to_json(self, params: RelationParams) -> dict[str, Any]:
        return {"left": side_to_json(params.left), "relation": params.relation, "right": side_to_json(params.right)}

    def decide_problem(self, problem: Problem, claim: Claim, cache: dict[str, Any], detail: Any = None) -> Verdict:
        p = claim.params
        evaluators = [side_evaluator(p.left, problem, cache), side_evaluator(p.right, problem, cache)]
        try:
            sgn, (lv, rv) = decide_sign(evaluators, lambda vs: difference_sign(vs[0], vs[1]))
        except Unresolved as e:  # an ill-defined spectral measure, or a bracket too wide: no verdict
            return Verdict(claim, None, f"undecided: {e}", {"undecided": str(e)[:200]})
        except InputError as e:  # CKA of a representation constant over the data: the relation is false
            return Verdict(claim, False, f"a value is undefined: {e}", {"undefined": str(e)[:200]})
        w: dict[str, Any] = {"left": lv.evidence, "right": rv.evidence}
        text = f"{_label(p.left)} = {value_text(lv)}, {_label(p.right)} = {value_text(rv)}"
        if sgn is None:
            return Verdict(claim, None, text + ": the brackets do not separate, and neither value has a closed form "
                           "to decide equality: undecided", w)
        w["sign"] = sgn
        holds = sgn in RELATIONS[p.relation]
        rel = {-1: "<", 0: "==", 1: ">"}[sgn]
        return Verdict(claim, holds, f"{text}: left {rel} right, so left {p.relation} right "
                       f"{'holds' if holds else 'fails'}", w)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list) -> list[str]:
        w = result["witness"]
        if "undefined" in w:
            return [f"A value is undefined ({w['undefined']}), so the relation is false."]
        out = []
        for name in ("left", "right"):
            side = claim[name]
            what = side.get("measure", "the number")
            where = (f" of `{side['networks'][0]}` at layer {side['layers'][0]} and `{side['networks'][1]}` at layer "
                     f"{side['layers'][1]}" if "measure" in side else "")
            out.append(f"- {name}: {what}{where} = {w[name].get('value', 'bracketed')} "
                       f"(the form `1 - M` / `arccos M` applied to this value of M)")
        sgn = {-1: "<", 0: "=", 1: ">"}[w["sign"]]
        out.append(f"Exactly, left {sgn} right, so `left {claim['relation']} right` is {str(result['verdict']).lower()}.")
        return out

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        plain = ["cka", "1 - cka", "match_similarity:0", "match_similarity:1/2", "1 - match_similarity:1/4"]
        arccos = draw(st.sampled_from([False, False, True]))
        pick = st.sampled_from(["arccos cka", "arccos match_similarity:0"] if arccos else plain)
        right = {"measure": draw(pick)} if arccos or draw(st.booleans()) else \
            {"value": draw(st.sampled_from(["0", "1/2", "sqrt(1/2)", "1"]))}
        return {"left": {"measure": draw(pick)}, "relation": draw(st.sampled_from(list(RELATIONS))), "right": right}


KIND = Relation()
