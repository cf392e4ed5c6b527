"""``triangle``: a distance satisfies the triangle inequality on three representations, exactly, ties included.

The three representations are X = ``networks[0]`` and Z = ``networks[1]`` at ``layer`` and Y =
``via`` (``{network, layer}``, defaults: ``networks[0]`` and the claim's layer).  ``distance``
is a registered distance measure, or ``"1 - M"`` / ``"arccos M"`` of a similarity M
(:mod:`symrep.claims.kinds._measured`), evaluated on the pairs (X, Y), (Y, Z), (X, Z).  The
claim holds when each side is at most the sum of the other two; with ``equality = true``, when
d(X, Z) = d(X, Y) + d(Y, Z) exactly (Y lies "between" X and Z).

Ties are decided exactly: for ``1 - M`` (and distances with closed forms) the slack
``d(X, Y) + d(Y, Z) - d(X, Z)`` is a sum of at most four square roots of rationals, whose sign
:func:`~symrep.claims.kinds._surds.sign` finds; for ``arccos M`` the sign of
``arccos a + arccos b - arccos c`` is :func:`~symrep.claims.kinds._surds.arccos_sum_sign`, which
uses only squares and products of a, b, c (its design note derives it).  The instance of the
issue (x = (1, 1, -1, -1), z = (1, -1, 1, -1), X = [x], Z = [z], Y = [x | z]) has CKA^2(X, Y) =
CKA^2(Y, Z) = 1/2 and CKA(X, Z) = 0: ``1 - CKA`` breaks the inequality (2 - sqrt 2 < 1) and
``arccos CKA`` holds with equality (pi/4 + pi/4 = pi/2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from symrep.claims.claim import Claim, Problem, Verdict
from symrep.claims.fields import expect_type
from symrep.claims.kinds._measured import (Quantity, Site, Value, acts_at, decide_sign, evaluate, read_quantity, read_site,
                                           triangle_sign, value_text)
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.errors import ClaimFileError, InputError, Unresolved

#: The pairs measured, in the witness's order, and the inequalities as (pair, pair, pair) with slack
#: ``d(first) + d(second) - d(third)``.
PAIRS = ("xy", "yz", "xz")
INEQUALITIES = ((0, 1, 2), (0, 2, 1), (1, 2, 0))


@dataclass(frozen=True)
class TriangleParams:
    distance: Quantity
    via: Site
    equality: bool = False


def read_distance(raw: Any, at: str) -> Quantity:
    q = read_quantity(raw, at)
    if not q.form and not q.measure.distance:
        raise ClaimFileError(f"{at}: {q.text!r} is a similarity, not a distance: use '1 - {q.text}' or 'arccos {q.text}'")
    return q


def _slack_text(values: list[Value], k: int) -> str:
    a, b, c = (PAIRS[i] for i in INEQUALITIES[k])
    return f"d({c[0].upper()},{c[1].upper()}) <= d({a[0].upper()},{a[1].upper()}) + d({b[0].upper()},{b[1].upper()})"


class Triangle(ClaimKind):
    name = "triangle"
    params_type = TriangleParams
    summary = "a distance (1 - M, arccos M, or a distance measure) satisfies the triangle inequality on three layers"
    fields = frozenset({"distance", "via", "equality"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> TriangleParams:
        q = read_distance(ctx.require(obj, "distance", " (such as '1 - cka' or 'arccos cka')"), f"{ctx.where}: distance")
        default = Site(str(ctx.nets[0].name), ctx.layer or 0)
        via = read_site(ctx.require(obj, "via", " = {network, layer}: the third representation"), ctx,
                        f"{ctx.where}: via", default)
        equality = expect_type(obj.get("equality", False), bool, f"{ctx.where}: equality", "true or false")
        return TriangleParams(q, via, equality)

    def params_to_json(self, params: TriangleParams) -> dict[str, Any]:
        out: dict[str, Any] = {"distance": params.distance.text,
                               "via": {"network": params.via.network, "layer": params.via.layer}}
        if params.equality:
            out["equality"] = True
        return out

    def decide_problem(self, problem: Problem, claim: Claim, cache: dict[str, Any], detail: Any = None) -> Verdict:
        p = claim.params
        X, Z = (acts_at(problem, cache, Site(n, claim.layer or 0)) for n in claim.networks)
        Y = acts_at(problem, cache, p.via)
        pairs = [(X, Y), (Y, Z), (X, Z)]
        evaluators = [lambda width, A=A, B=B: evaluate(p.distance, A, B, width) for A, B in pairs]
        wanted = INEQUALITIES[:1] if p.equality else INEQUALITIES

        def combine(vs: list[Value]) -> Any:
            signs = [triangle_sign(vs[i], vs[j], vs[k]) for i, j, k in wanted]
            return None if None in signs else signs

        try:
            signs, values = decide_sign(evaluators, combine)
        except Unresolved as e:  # an ill-defined spectral measure, or a bracket too wide: no verdict
            return Verdict(claim, None, f"undecided: {e}", {"undecided": str(e)[:200]})
        except InputError as e:
            return Verdict(claim, False, f"a distance is undefined: {e}", {"undefined": str(e)[:200]})
        w: dict[str, Any] = {key: v.evidence for key, v in zip(PAIRS, values)}
        text = ", ".join(f"d({k[0].upper()},{k[1].upper()}) = {value_text(v)}" for k, v in zip(PAIRS, values))
        if signs is None:
            return Verdict(claim, None, f"{p.distance.text}: {text}; brackets cannot decide a tie: undecided", w)
        w["signs"] = signs
        if p.equality:
            holds = signs[0] == 0
            return Verdict(claim, holds, f"{p.distance.text}: {text}; d(X,Z) {'=' if holds else '!='} d(X,Y) + d(Y,Z) "
                           f"({'equality' if holds else 'slack sign ' + str(signs[0])})", w)
        bad = [k for k, s in enumerate(signs) if s < 0]
        ties = [k for k, s in enumerate(signs) if s == 0]
        if bad:
            return Verdict(claim, False, f"{p.distance.text}: {text}; {_slack_text(values, bad[0])} fails", w)
        tie = f" ({_slack_text(values, ties[0]).replace('<=', '=')} holds with equality)" if ties else ""
        return Verdict(claim, True, f"{p.distance.text}: {text}; all three inequalities hold{tie}", w)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list) -> list[str]:
        w = result["witness"]
        v = claim["via"]
        out = [f"X = `{claim['networks'][0]}` and Z = `{claim['networks'][1]}` at layer {claim['layer']}, "
               f"Y = `{v['network']}` at layer {v['layer']}; distance `{claim['distance']}`, applied to the measure's value:"]
        out += [f"- {k[0].upper()}, {k[1].upper()}: {w[k].get('value', 'bracketed')}" for k in PAIRS if k in w]
        if "signs" in w:
            out.append(f"Signs of the slacks (exact; for arccos by the squares-and-products criterion): {w['signs']}.")
        return out

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        forms = ["1 - cka", "arccos cka", "1 - match_similarity:0", "arccos match_similarity:1/2"]
        return {"distance": draw(st.sampled_from(forms)), "via": {"layer": 0}, "equality": draw(st.booleans())}


KIND = Triangle()
