"""The claims a result states about ``f`` and the network found, written into its claim file.

Each claim is a claim-file dict (numbers as exact strings); the search verifies every one
with :func:`symrep.claims.verdicts.verify_problem` before reporting the result.
"""

from __future__ import annotations

from typing import Any

from symrep.claims.files import problem_from_mapping
from symrep.claims.verdicts import verify_problem
from symrep.errors import SymrepError
from symrep.exact.numbers import format_number
from symrep.measures.matching import MaximumMatch
from symrep.networks.network import Network, forward
from symrep.search.objectives import FOUND_NAME, Objective, _all_hold, _Layers
from symrep.search.results import SearchResult, _mat
from symrep.search.task import _Data, _Task

_s = format_number


class _ClaimList:
    """Claims in the order written; ``once`` skips an id already used."""

    def __init__(self, f: str, layer: int):
        self.pair = [f, FOUND_NAME]
        self.layer = layer
        self.items: list[dict[str, Any]] = []
        self.ids: set[str] = set()

    def add(self, cid: str, kind: str, statement: str, expect: bool = True, **kw: Any) -> None:
        c: dict[str, Any] = {"id": cid, "kind": kind}
        if kind in ("activations", "dimension"):
            c["network"] = kw.pop("network")
        else:
            c["networks"] = self.pair
        c.update(layer=kw.pop("layer", self.layer))
        c.update(kw)
        c["expect"] = expect
        c["statement"] = statement
        self.items.append(c)
        self.ids.add(cid)

    def once(self, cid: str, kind: str, statement: str, expect: bool = True, **kw: Any) -> None:
        if cid not in self.ids:
            self.add(cid, kind, statement, expect, **kw)


def _claims(task: _Task, D: _Data, net: Network, method: str) -> list[dict[str, Any]]:
    """The claims of the claim file of *net*, found by *method* on the data of *D*."""
    f, i, k = task.name, task.layer, task.f.depth
    acts = forward(net, D.inputs)
    L = _Layers(D.A, acts[i], D.d)
    out = _ClaimList(f, i)
    nonzero = any(any(r) for r in D.Y)
    out.add("outputs-identical", "identical", f"{f} and {FOUND_NAME} have identical output activations on the data", layer=k)
    out.add("outputs", "activations",
            f"the output activations of {f} on the data" + (" (not all zero)" if nonzero else " (all zero)"),
            network=f, layer=k, equals=_mat(D.Y))
    out.add("outputs-match", "exact_match", "so the output layers match exactly"
            + ("" if nonzero else " (trivially: both are zero)"), layer=k)
    out.add(f"hidden-{f}", "activations", f"the activation vectors of {f} at layer {i}", network=f, equals=_mat(L.A))
    out.add(f"hidden-{FOUND_NAME}", "activations", f"the activation vectors of {FOUND_NAME} at layer {i}",
            network=FOUND_NAME, equals=_mat(L.B))
    ra, rb = L.ranks
    out.add(f"dimension-{f}", "dimension", f"the span of {f} at layer {i} has dimension {ra}", network=f, equals=ra)
    out.add(f"dimension-{FOUND_NAME}", "dimension", f"the span of {FOUND_NAME} at layer {i} has dimension {rb}",
            network=FOUND_NAME, equals=rb)
    if method == "orbit":  # the orbit element shown does not meet the objectives
        _orbit_claims(out, task, L)
    else:
        for o in task.objectives:
            _objective_claims(out, o, f, L)
    # informative claims whose truth is whatever it is (so a reader sees the whole picture)
    m = L.match
    out.once("hidden-isomorphic", "isomorphic", f"the spans at layer {i} are " + ("" if ra == rb else "not ") + "isomorphic",
             expect=ra == rb)
    out.once("hidden-no-match", "no_match", f"the maximum match at layer {i} is " + ("" if m.empty else "not ") + "empty",
             expect=m.empty)
    return out.items


def _objective_claims(out: _ClaimList, o: Objective, f: str, L: _Layers) -> None:
    """The claims that say objective *o* holds."""
    i, m = out.layer, L.match
    ra, rb = L.ranks
    if o.name == "no-match":
        out.once("hidden-no-match", "no_match", f"the maximum match at layer {i} is empty")
    elif o.name == "max-match-at-most":
        out.once("hidden-maximum-match", "maximum_match",
                 f"the maximum match at layer {i} is X* = {list(m.x)}, Y* = {list(m.y)}: {len(m.x) + len(m.y)} neurons, "
                 f"at most {o.k}", equals=[list(m.x), list(m.y)])
        out.once("hidden-match-similarity", "match_similarity", f"maximum match similarity {_s(m.similarity)}",
                 equals=_s(m.similarity))
    elif o.name == "isomorphic-not-equal":
        out.once("hidden-isomorphic", "isomorphic", f"the spans at layer {i} are isomorphic (both of dimension {ra})")
        out.once("hidden-spans-equal", "exact_match", f"... but not equal: the whole layers {i} do not match", expect=False)
    elif o.name == "not-isomorphic":
        out.once("hidden-isomorphic", "isomorphic", f"the spans at layer {i} are not isomorphic (dimensions {ra} and {rb})",
                 expect=False)
    elif o.name == "beyond-symmetry":
        out.once("hidden-scaled-permutation", "equivalence",
                 f"{FOUND_NAME}'s activations at layer {i} are not a positive rescaling and permutation of {f}'s, so "
                 f"{FOUND_NAME} is not in {f}'s ReLU symmetry orbit", expect=False, level="scaled_permutation")


def _orbit_claims(out: _ClaimList, task: _Task, L: _Layers) -> None:
    """The claims about an orbit element: every neuron matches, a scaled permutation of f's activations."""
    i, f = out.layer, task.name
    m: MaximumMatch = L.match
    if _all_hold(task.objectives, L)[0]:  # max-match-at-most K with K >= both widths
        out.once("hidden-match-similarity", "match_similarity", "every neuron matches (similarity 1)", equals="1")
    out.once("hidden-maximum-match", "maximum_match",
             f"the maximum match at layer {i} is every neuron (the orbit never changes spans)", equals=[list(m.x), list(m.y)])
    out.once("hidden-scaled-permutation", "equivalence",
             f"{FOUND_NAME}'s activations at layer {i} are a positive rescaling and permutation of {f}'s",
             level="scaled_permutation")


def _function_claim(task: _Task, r: SearchResult) -> dict[str, Any] | None:
    """The claim that the two networks compute the same function, if symrep verifies it as expected.

    Kind ``equal_functions`` compares whole networks (no ``layer`` field); when its decision is
    undecided within its bounds, the claim is left out and the result's own proof stands.
    """
    c = {"id": "same-function", "kind": "equal_functions", "networks": [task.name, FOUND_NAME], "expect": True,
         "statement": f"{task.name} and {FOUND_NAME} compute the same function on all inputs"}
    doc = r._document(None)
    doc["claims"] = [c]
    try:
        v = verify_problem(problem_from_mapping(doc))[0]
    except SymrepError:  # a bound of the decision refused the claim: leave it out
        return None
    return c if v.as_expected else None
