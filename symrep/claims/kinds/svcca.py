"""``svcca``: bounds on SVCCA (mean CCA of each side's top-k singular directions, field ``k``), decided exactly.

Per side, either ``rank`` (a dimension proof that the rank is k: the top-k span is the whole row
span) or a Davis-Kahan certificate that the proxy span of A_cᵀ W is within s of the top-k span:
b I + Wk Wkᵀ - A_c A_cᵀ and Wᵀ A_c A_cᵀ W - b WᵀW positive definite (each ``pd``: scale S =
L Lᵀ + mu I + E with |E|_F < mu), so lambda_k > b >= lambda_(k+1) (the top-k span is well defined);
R = A_c A_cᵀ W - W diag(d), r >= |R|_F, delta = min d - b > 0, and
s = root_b r / (delta root_e) with root_b >= sqrt(b), root_e <= sqrt(1 - e).  Each of the k
correlations moves by at most s_x + s_y, so the sum of the proxies' bracket widens by k (s_x + s_y).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim
from symrep.claims.kinds._spectral import SpectralKind, constant, mm, rat, text, tr
from symrep.claims.kinds.cca import bracket_witness, max_rank, rows, sides
from symrep.claims.registry import DrawContext, ParseContext
from symrep.claims.witnesses import dimension_witness, s
from symrep.errors import ClaimFileError, InputError
from symrep.exact.numbers import Matrix
from symrep.measures.cca import svcca_bracket
from symrep.measures.procrustes import centred


@dataclass(frozen=True)
class SvccaParams:
    """k (directions kept per side) and bounds on SVCCA."""

    k: int
    bounds: tuple[tuple[str, Fraction], ...]


def side_witness(c: Mapping[str, Any], sA: int) -> dict[str, Any]:
    """The Davis-Kahan certificate of one side in the units of the centred layer (A_c = ints / sA)."""
    q = Fraction(1, sA * sA)

    def pd(cert: Any, scale: Fraction) -> dict[str, Any]:
        Li, lscale, mu = cert
        return {"l": text(rat(Li, lscale)), "mu": s(mu), "scale": s(scale)}

    return {"b": s(c["b"] * q), "d": [s(x * q) for x in c["d"]], "wk": text(rat(c["wk"], c["wk_scale"] / sA)),
            "pd1": pd(c["pd1"], c["pd1_scale"] * sA * sA), "pd2": pd(c["pd2"], c["pd2_scale"]),
            "r": s(c["r"] / sA), "root_b": s(c["root_b"] / sA), "root_e": s(c["root_e"]), "s": s(c["s"])}


class Svcca(SpectralKind):
    name = "svcca"
    params_type = SvccaParams
    summary = "bounds on SVCCA: mean CCA of the top-k singular directions of each centred layer (field k; certified)"
    what = "SVCCA"
    fields = frozenset({"k", "equals", "at_least", "at_most"})

    def make_params(self, obj: Mapping[str, Any], ctx: ParseContext, bounds: tuple) -> SvccaParams:
        k = ctx.require(obj, "k", " (directions kept per side)")
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 10_000:
            raise ClaimFileError(f"{ctx.where}: k: expected a whole number of directions between 1 and 10000")
        return SvccaParams(k, bounds)

    def params_to_json(self, params: SvccaParams) -> dict[str, Any]:
        return {"k": params.k, **{key: s(value) for key, value in params.bounds}}

    def certify(self, claim: Claim, acts: list[Matrix], width: Fraction) -> dict[str, Any]:
        k = claim.params.k
        Ac, Bc, w, m = sides(acts)
        rx, ry = int(w["rank_x"]["dimension"]), int(w["rank_y"]["dimension"])
        if k > min(rx, ry):
            raise InputError(f"svcca with k = {k} is ill-defined: a layer has rank {min(rx, ry)} < k")
        b = svcca_bracket(acts[0], acts[1], k, width)
        if b.witness is None or "x" not in b.witness:  # both ranks are k: svcca is cca, exact cases included
            if constant(mm(Ac, tr(Bc))):
                return {**w, "zero": True, "lower": Fraction(0), "upper": Fraction(0), "exact": Fraction(0)}
            sb, wu = dimension_witness(rows(Ac + Bc), len(Ac[0]))
            if sb.rank == max_rank(w):
                return {**w, "union": wu, "lower": Fraction(1), "upper": Fraction(1), "exact": Fraction(1)}
            return {**w, **bracket_witness(acts, Ac, Bc, b, m)}
        cx, cy = b.witness["x"], b.witness["y"]
        shift = k * ((cx["s"] if cx else 0) + (cy["s"] if cy else 0))
        extra = {"x": side_witness(cx, centred(acts[0]).scale) if cx else {"whole": True},
                 "y": side_witness(cy, centred(acts[1]).scale) if cy else {"whole": True}}
        return {**w, **bracket_witness(acts, Ac, Bc, b, k, shift, extra)}

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        return {"k": 1, **super().draw(draw, ctx)}


KIND = Svcca()
