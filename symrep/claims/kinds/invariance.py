"""``invariance``: a measure is unchanged when a transform is applied to one representation, on this instance.

``measure`` is any quantity of :mod:`symrep.claims.kinds._measured` (a registered measure, or
``1 - M`` / ``arccos M``); ``transform`` is one of, applied to the first network's
representation X (points x features, as a user writes it):

* ``{matrix = [[...]]}``: X -> X T, T of shape (neurons of X) x k;
* ``{translation = [...]}``: X -> X + 1 t^T, one entry per neuron;
* ``{scale = "3/2"}``: X -> c X.

The claim holds when M(T(X), Y) = M(X, Y) exactly: both values have closed forms for CKA and
match similarity, so equality is decided by the sign of their difference; for a measure known
only by brackets, a difference is shown by separated brackets and equality is ``undecided``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim, Problem, Verdict
from symrep.claims.fields import matrix, number
from symrep.claims.kinds._measured import (Quantity, Site, acts_at, decide_sign, difference_sign, evaluate, read_fields,
                                           read_quantity, value_text)
from symrep.claims.kinds._measured import Unresolved
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import s
from symrep.errors import ClaimFileError, InputError
from symrep.exact.numbers import Matrix

#: Largest number of columns of a transform matrix.
MAX_COLUMNS = 10_000


@dataclass(frozen=True)
class InvarianceParams:
    measure: Quantity
    #: ("matrix", rows of Fractions), ("translation", a vector) or ("scale", a Fraction)
    transform: tuple[str, Any]


def transformed(A: Matrix, how: str, data: Any) -> Matrix:
    """The activation matrix (rows = neurons) of the transformed representation.

    >>> [[str(x) for x in r] for r in transformed(((1, 2), (3, 4)), "matrix", ((0, 1), (1, 0)))]
    [['3', '4'], ['1', '2']]
    """
    if how == "scale":
        return tuple(tuple(data * x for x in row) for row in A)
    if how == "translation":
        return tuple(tuple(x + t for x in row) for row, t in zip(A, data))
    d = len(A[0]) if A else 0
    cols = len(data[0]) if data else 0  # X T: new neuron j = sum_i T[i][j] * neuron i
    return tuple(tuple(sum((data[i][j] * A[i][p] for i in range(len(A)) if data[i][j]), Fraction(0)) for p in range(d))
                 for j in range(cols))


def read_transform(raw: Any, ctx: ParseContext) -> tuple[str, Any]:
    at = f"{ctx.where}: transform"
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ClaimFileError(f"{at}: expected one of {{matrix = [[...]]}}, {{translation = [...]}}, {{scale = c}}")
    read_fields(raw, {"matrix", "translation", "scale"}, at)
    (how, value), = raw.items()
    width = ctx.widths[0]
    if how == "scale":
        c = number(value, f"{at}: scale")
        if c == 0:
            raise ClaimFileError(f"{at}: scale 0 is not a transform to compare under")
        return how, c
    if how == "translation":
        t = matrix([value], f"{at}: translation")[0]
        if len(t) != width:
            raise ClaimFileError(f"{at}: translation has {len(t)} entries; the layer has {width} neurons")
        return how, t
    T = matrix(value, f"{at}: matrix")
    if len(T) != width or not T or not 1 <= len(T[0]) <= MAX_COLUMNS:
        raise ClaimFileError(f"{at}: matrix must have {width} rows (one per neuron) and 1 to {MAX_COLUMNS} columns")
    return how, T


class Invariance(ClaimKind):
    name = "invariance"
    params_type = InvarianceParams
    summary = "a measure is unchanged by a transform (matrix, translation or scale) of the first representation"
    fields = frozenset({"measure", "transform"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> InvarianceParams:
        q = read_quantity(ctx.require(obj, "measure", " (such as 'cka')"), f"{ctx.where}: measure")
        how, data = read_transform(ctx.require(obj, "transform"), ctx)
        return InvarianceParams(q, (how, data))

    def params_to_json(self, params: InvarianceParams) -> dict[str, Any]:
        how, d = params.transform
        value = s(d) if how == "scale" else [s(x) for x in d] if how == "translation" else [[s(x) for x in row] for row in d]
        return {"measure": params.measure.text, "transform": {how: value}}

    def decide_problem(self, problem: Problem, claim: Claim, cache: dict[str, Any], detail: Any = None) -> Verdict:
        p = claim.params
        A, B = (acts_at(problem, cache, Site(n, claim.layer or 0)) for n in claim.networks)
        how, data = p.transform
        TA = transformed(A, how, data)
        evaluators = [lambda width, M=M: evaluate(p.measure, M, B, width) for M in (A, TA)]
        try:
            sgn, (before, after) = decide_sign(evaluators, lambda vs: difference_sign(vs[1], vs[0]))
        except Unresolved as e:  # an ill-defined spectral measure, or a bracket too wide: no verdict
            return Verdict(claim, None, f"undecided: {e}", {"undecided": str(e)[:200]})
        except InputError as e:
            return Verdict(claim, False, f"a value is undefined: {e}", {"undefined": str(e)[:200]})
        w: dict[str, Any] = {"before": before.evidence, "after": after.evidence}
        text = f"{p.measure.text} = {value_text(before)} before the {how}, {value_text(after)} after"
        if sgn is None:
            return Verdict(claim, None, text + ": brackets cannot show equality: undecided", w)
        w["sign"] = sgn
        return Verdict(claim, sgn == 0, text + (": unchanged" if sgn == 0 else ": changed"), w)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list) -> list[str]:
        w = result["witness"]
        (how, _), = claim["transform"].items()
        return [f"`{claim['measure']}` before the {how}: {w.get('before', {}).get('value', 'undefined or bracketed')}; "
                f"after: {w.get('after', {}).get('value', 'undefined or bracketed')} (values of the measure, exact)."]

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        n = ctx.width
        kinds = ["scale", "translation", "matrix"]
        how = draw(st.sampled_from(kinds))
        if how == "scale":
            value: Any = draw(st.sampled_from(["2", "-1", "1/3"]))
        elif how == "translation":
            value = [draw(st.sampled_from(["0", "1", "-1/2"])) for _ in range(n)]
        else:
            value = [[draw(st.sampled_from(["0", "1", "-1"])) for _ in range(n)] for _ in range(n)]
        return {"measure": draw(st.sampled_from(["cka", "match_similarity:0", "1 - cka"])), "transform": {how: value}}


KIND = Invariance()
