"""``equal_functions``: two ReLU networks compute the same function on R^n, a box or a polyhedron.

Decided by splitting the domain by the sign of every ReLU pre-activation of
both networks (:mod:`symrep.relu.functions`): true comes with the splitting
tree (affine maps that agree on each region, Farkas certificates for empty
branches), false with a rational point where the outputs differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from symrep.claims.claim import Claim, Problem, Verdict
from symrep.claims.fields import expect_type, numbers_as_text
from symrep.claims.prose import lit, vec
from symrep.claims.registry import ClaimKind, ParseContext
from symrep.claims.witnesses import vec_text
from symrep.errors import ClaimFileError, InternalError, SymrepError
from symrep.exact.numbers import Matrix, format_number, to_fraction
from symrep.relu.functions import equal_functions
from symrep.relu.regions import as_domain

#: Bound on the linear regions explored for an ``equal_functions`` claim (and, separately, on its empty
#: branches); beyond it the verdict is undecided.
MAX_REGIONS = 100_000


@dataclass
class _Timeout:
    """Seconds allowed to each ``equal_functions`` claim (None: no bound); ``symrep verify --timeout`` sets it."""

    seconds: float | None = None


TIMEOUT = _Timeout()
_RELATIONS = ("<=", ">=", "==")


@dataclass(frozen=True)
class EqualFunctionsParams:
    """The domain as exact text (None: all of R^n) and the region bound (None: :data:`MAX_REGIONS`).

    A box is ``((lo, hi), ...)``; a polyhedron ``((coefficients, relation, bound), ...)``.
    """

    domain: Any = None
    max_regions: int | None = None


def read_domain(raw: Any, n: int, at: str) -> Any:
    """A claim's domain, validated, as exact text: a box ((lo, hi), ...) or constraints ((a, rel, b), ...)."""
    if raw is None:
        return None
    raw = numbers_as_text(raw)
    if not isinstance(raw, list) or not raw:
        raise ClaimFileError(f"{at}: domain: expected a box [[lo, hi], ...] or a list of constraints")
    for k, con in enumerate(raw):
        if isinstance(con, dict):
            if set(con) != {"coefficients", "relation", "bound"} or con["relation"] not in _RELATIONS:
                raise ClaimFileError(f"{at}: domain[{k}]: expected {{coefficients = [...], relation = "
                                     f"\"<=\" | \">=\" | \"==\", bound = b}}")
            if not isinstance(con["coefficients"], list):
                raise ClaimFileError(f"{at}: domain[{k}]: coefficients must be a list of numbers")
        elif not (isinstance(con, list) and len(con) == 2):
            raise ClaimFileError(f"{at}: domain[{k}]: expected [lo, hi] or a constraint table")
    try:
        as_domain(raw, n)  # the same reading as the decision procedure's
    except SymrepError as e:
        raise ClaimFileError(f"{at}: {e}") from None
    if all(isinstance(p, list) and len(p) == 2 for p in raw):
        return tuple((format_number(to_fraction(lo)), format_number(to_fraction(hi))) for lo, hi in raw)
    out = []
    for k, con in enumerate(raw):
        if not isinstance(con, dict):
            raise ClaimFileError(f"{at}: domain[{k}]: expected {{coefficients = [...], relation = \"<=\", bound = b}}")
        out.append((tuple(format_number(to_fraction(a)) for a in con["coefficients"]), con["relation"],
                    format_number(to_fraction(con["bound"]))))
    return tuple(out)


def domain_to_json(domain: Any) -> Any:
    """The JSON form of a claim's domain (as in certificates)."""
    if domain is None:
        return None
    if all(len(p) == 2 for p in domain):
        return [list(p) for p in domain]
    return [{"coefficients": list(a), "relation": rel, "bound": b} for a, rel, b in domain]


class EqualFunctions(ClaimKind):
    name = "equal_functions"
    params_type = EqualFunctionsParams
    summary = "two networks compute the same function on R^n, a box or a polyhedron"
    layered = False
    fields = frozenset({"domain", "max_regions"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> EqualFunctionsParams:
        f, g = ctx.nets
        if f.widths[0] != g.widths[0] or f.widths[-1] != g.widths[-1]:
            raise ClaimFileError(f"{ctx.where}: the networks need the same numbers of inputs and outputs, "
                                 f"not {f.widths[0]}->{f.widths[-1]} and {g.widths[0]}->{g.widths[-1]}")
        domain = read_domain(obj.get("domain"), f.widths[0], ctx.where)
        max_regions = obj.get("max_regions")
        if max_regions is not None:
            expect_type(max_regions, int, f"{ctx.where}: max_regions", "a positive integer")
            if not 0 < max_regions <= 10_000_000:
                raise ClaimFileError(f"{ctx.where}: max_regions must be between 1 and 10000000")
        return EqualFunctionsParams(domain, max_regions)

    def params_to_json(self, params: EqualFunctionsParams) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if params.domain is not None:
            out["domain"] = domain_to_json(params.domain)
        if params.max_regions is not None:
            out["max_regions"] = params.max_regions
        return out

    def decide_problem(self, problem: Problem, claim: Claim, cache: dict[str, Any], detail: Any = None) -> Verdict:
        f, g = (problem.network(n) for n in claim.networks)
        p = claim.params
        domain = None if p.domain is None else [list(c) for c in p.domain]
        bound = p.max_regions or MAX_REGIONS
        report = None if detail is None else (lambda pr: detail(f"{pr.regions} regions, {pr.empty} empty branches"))
        r = equal_functions(f, g, domain, max_regions=bound, max_seconds=TIMEOUT.seconds, progress=report, symmetries=True)
        where = "on all of R^n" if p.domain is None else "on the domain"
        if r.verdict is None:
            return Verdict(claim, None, f"undecided within the bound of {bound} regions ({r.reason})", {})
        w = r.witness()
        if w is None:  # a decided comparison always has its witness
            raise InternalError("internal error: a decided function comparison without a witness")  # pragma: no cover
        if r.verdict and "symmetry" in w:
            return Verdict(claim, True, f"equal at every input{'' if p.domain is None else ', so on the domain'}: "
                           f"{claim.networks[1]} is {claim.networks[0]} with the neurons of each hidden layer permuted "
                           "and positively rescaled (the witness)", w)
        if r.verdict:
            leaves = w["leaves"]
            empty = sum("empty" in leaf for leaf in leaves)
            return Verdict(claim, True, f"equal {where}: {len(leaves) - empty} linear regions where the affine maps agree, "
                           f"{empty} empty branches with Farkas certificates", w)
        if r.point is None or r.values is None:
            raise InternalError("internal error: a refuted function comparison without its point")  # pragma: no cover
        return Verdict(claim, False, f"not equal {where}: at x = {vec_text(r.point)} {claim.networks[0]} gives "
                       f"{vec_text(r.values[0])}, {claim.networks[1]} gives {vec_text(r.values[1])}", w)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        w, (f, g) = result["witness"], claim["networks"]
        dom = "all of R^n" if claim.get("domain") is None else f"the domain {json.dumps(claim['domain'])}"
        if result["verdict"] and "symmetry" in w:
            return [f"`{g}` is `{f}` with the neurons of each hidden layer permuted and multiplied by positive scales "
                    f"(per hidden layer, neuron i of `{f}` is neuron permutation[i] of `{g}` times scales[i]: "
                    f"{json.dumps(w['symmetry'])[:400]}); relu(c t) = c relu(t) for c > 0, so layer by layer "
                    "the outputs are equal at every input, hence on " + dom + "."]
        if not result["verdict"]:
            return [f"At the point x = {vec(w['point'])} of {dom}, `{f}` outputs {vec(w['values'][0])} and "
                    f"`{g}` outputs {vec(w['values'][1])}."]
        leaves = w["leaves"]
        full = [leaf for leaf in leaves if "point" in leaf]
        out = [f"On {dom}, split by the sign of every ReLU pre-activation of both networks (order "
               f"{w['order']}: [network, layer, neuron]); {len(leaves) - len(full)} branches are empty (Farkas "
               f"multipliers in the certificate), and on each of the {len(full)} remaining cells both networks are "
               "affine maps that agree on the cell (identical maps, or, for a lower-dimensional domain, maps whose "
               "difference is shown to vanish on the cell by two infeasibility certificates). The closures of the "
               "cells cover the domain, so the functions are equal there.", "",
               f"| path | a point of the cell | affine map of `{f}` there |", "|---|---|---|"]
        for leaf in full[:20]:
            m = leaf.get("map")
            out.append(f"| `{leaf['path']}` | {vec(leaf['point'])} | "
                       + (f"W = {lit(m['weights'])}, b = {vec(m['bias'])}" if m else "(recomputed by the checker)") + " |")
        if len(full) > 20:
            out.append(f"| ... | {len(full) - 20} more cells in the certificate | |")
        return out


KIND = EqualFunctions()
