"""Deciding claims: every verdict computed exactly, with a witness.

Each claim kind has one decision function returning a :class:`Verdict`: whether
the claim holds, a one-line explanation for people, and a witness as JSON-ready
data (exact numbers as strings).  The witness is exactly what a certificate
carries for that claim; its format per kind is documented in
``docs/certificates.md`` and re-checked by :mod:`symrep.checker`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

from symrep.claims.files import Claim, Problem
from symrep.exact.numbers import Matrix, format_number
from symrep.exact.linalg import SpanBasis, matmul, span_basis
from symrep.measures.equivalence import center, equivalence
from symrep.measures.matching import ExactMatch, GramBound, MaximumMatch, Removal, approx_match, exact_match, maximum_match, maximum_match_within
from symrep.measures.simple import all_matches, simple_match_evidence, simple_matches
from symrep.networks.network import forward
from symrep.networks.spaces import isomorphism

__all__ = ["EXACT_INVERSE_UP_TO", "Verdict", "decide", "verify_problem"]

#: Dimension witnesses carry the exact inverse of the pivot block up to this rank, and
#: beyond it the inverse modulo a prime (cheaper to produce and to check, equally conclusive).
EXACT_INVERSE_UP_TO = 8


@dataclass(frozen=True)
class Verdict:
    """The exact verdict on one claim, with its evidence."""

    claim: Claim
    holds: bool | None  # None: undecided within a stated bound (equal_functions only)
    explanation: str
    witness: dict[str, Any]

    @property
    def as_expected(self) -> bool:
        """Whether the verdict is the one the claim file expects (an undecided verdict never is)."""
        return self.holds is not None and self.holds == self.claim.expect


# --- small formatting helpers ---------------------------------------------------------------

_s = format_number


def _vec(v: Sequence[Fraction], limit: int = 8) -> str:
    items = [_s(x) for x in v[:limit]]
    return "[" + ", ".join(items) + (", ..." if len(v) > limit else "") + "]"


def _mat(m: Matrix) -> list[list[str]]:
    return [[_s(x) for x in row] for row in m]


def _sparse(pairs) -> list[list[Any]]:
    return [[int(i), _s(Fraction(c))] for i, c in pairs]


def _coeffs(items) -> list[list[Any]]:
    return [[int(i), _sparse(c)] for i, c in items]


def _removal(r: Removal) -> dict[str, Any]:
    if r.bound is not None:  # proved by a distance lower bound (certified eps > 0 path)
        return {"round": r.round, "side": r.side, "neuron": r.neuron, "bound": {"coefficients": _sparse(r.bound.coefficients)}}
    return {"round": r.round, "side": r.side, "neuron": r.neuron, "orthogonal": _sparse(r.orthogonal), "product": _s(r.product)}


def _gram_bounds(bounds: Sequence[GramBound]) -> dict[str, Any]:
    if not bounds:
        return {}
    return {"gram_bounds": [{"side": g.side, "neurons": list(g.neurons), "scales": [_s(t) for t in g.scales], "mu": _s(g.mu),
                             "factor_exponent": g.factor_exponent, "factor": [list(r) for r in g.factor]} for g in bounds]}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- the evidence shared by several kinds ------------------------------------------------------


def dimension_witness(rows: Matrix, ncols: int) -> tuple[SpanBasis, dict[str, Any]]:
    """A proved basis of a row span as witness data: dimension, basis, pivots, inverse, coefficients."""
    sb = span_basis(rows, ncols)
    w: dict[str, Any] = {"dimension": sb.rank, "basis": list(sb.basis), "pivots": list(sb.pivots)}
    modular = sb.inverse_mod() if sb.rank > EXACT_INVERSE_UP_TO else None
    if modular is None:
        w["inverse"] = _mat(sb.inverse)  # small: a reader can multiply it out by hand
    else:
        w["inverse_mod"] = {"prime": modular[0], "matrix": modular[1]}
    w["coefficients"] = [_sparse(c) for c in sb.row_coefficients()]
    return sb, w


def match_witness(m: MaximumMatch) -> dict[str, Any]:
    return {
        "x": list(m.x),
        "y": list(m.y),
        "zero_x": list(m.zero_x),
        "zero_y": list(m.zero_y),
        "removals": [_removal(r) for r in m.removals],
        "x_in_y": _coeffs(m.x_in_y),
        "y_in_x": _coeffs(m.y_in_x),
        **_gram_bounds(m.gram_bounds),
    }


def _first_difference(a: Matrix, b: Matrix) -> tuple[int, int] | None:
    for i, (ra, rb) in enumerate(zip(a, b)):
        for j, (p, q) in enumerate(zip(ra, rb)):
            if p != q:
                return i, j
    return None


# --- one decision function per kind ----------------------------------------------------------


def _activations(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    (A,) = acts
    shape = [len(A), d]
    claimed = [len(c.equals), len(c.equals[0]) if c.equals else 0]
    where = f"{c.networks[0]} at layer {c.layer}"
    if shape != claimed:
        return Verdict(c, False, f"{where} is {shape[0]}x{shape[1]} (neurons x points), the claim gives {claimed[0]}x{claimed[1]}",
                       {"shape": shape, "claimed_shape": claimed})
    diff = _first_difference(A, c.equals)
    if diff is None:
        return Verdict(c, True, f"{where} equals the claimed matrix, entry by entry", {"shape": shape})
    i, j = diff
    return Verdict(
        c, False,
        f"neuron {i} of {where} is z = {_vec(A[i])}, not {_vec(c.equals[i])} (point {j}: {_s(A[i][j])} != {_s(c.equals[i][j])})",
        {"shape": shape, "neuron": i, "point": j, "value": _s(A[i][j]), "claimed": _s(c.equals[i][j])},
    )


def _identical(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    A, B = acts
    if len(A) != len(B):
        return Verdict(c, False, f"layer {c.layer} has {len(A)} neurons in {c.networks[0]} and {len(B)} in {c.networks[1]}",
                       {"widths": [len(A), len(B)]})
    diff = _first_difference(A, B)
    if diff is None:
        return Verdict(c, True, f"all {len(A)} activation vectors at layer {c.layer} agree entry by entry", {"widths": [len(A), len(B)]})
    i, j = diff
    return Verdict(
        c, False,
        f"neuron {i}: {c.networks[0]} gives {_vec(A[i])}, {c.networks[1]} gives {_vec(B[i])} (point {j}: {_s(A[i][j])} != {_s(B[i][j])})",
        {"widths": [len(A), len(B)], "neuron": i, "point": j, "values": [_s(A[i][j]), _s(B[i][j])]},
    )


def _dimension(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    (A,) = acts
    sb, w = dimension_witness(A, d)
    basis = ", ".join(f"z{i}" for i in sb.basis) or "none"
    text = f"span at layer {c.layer} of {c.networks[0]} has dimension {sb.rank} (basis {basis})"
    if sb.rank != c.equals:
        text += f", not {c.equals}"
    return Verdict(c, sb.rank == c.equals, text, w)


def _failure_text(c: Claim, acts: list[Matrix], f: Removal) -> str:
    mine, other = (0, 1) if f.side == "x" else (1, 0)
    z = acts[mine][f.neuron]
    w = dict(f.orthogonal)
    wv = [Fraction(w.get(j, 0)) for j in range(len(z))]
    return (
        f"z{f.neuron} = {_vec(z)} of {c.networks[mine]} is outside the span of {c.networks[other]}'s vectors: "
        f"w = {_vec(wv)} is orthogonal to that span but w.z = {_s(f.product)}"
    )


def _exact_match(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    A, B = acts
    x, y = c.neurons if c.neurons is not None else (None, None)
    m: ExactMatch = exact_match(A, B, x, y)
    if m.holds:
        return Verdict(c, True, f"every vector of each side is a combination of the other side's ({len(m.x)} + {len(m.y)} neurons)",
                       {"x_in_y": _coeffs(m.x_in_y), "y_in_x": _coeffs(m.y_in_x)})
    f = m.failure
    assert f is not None
    return Verdict(c, False, _failure_text(c, acts, f),
                   {"side": f.side, "neuron": f.neuron, "orthogonal": _sparse(f.orthogonal), "product": _s(f.product)})


def _match_text(m: MaximumMatch) -> str:
    zeros = ""
    if m.zero_x or m.zero_y:
        zeros = f"; zero (dead) neurons among them: X {list(m.zero_x)}, Y {list(m.zero_y)}"
    return f"maximum match X* = {list(m.x)}, Y* = {list(m.y)} (similarity {_s(m.similarity)}; {_plural(len(m.removals), 'removal')} with orthogonal witnesses{zeros})"


def _maximum_match(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    m = maximum_match(*acts)
    holds = (m.x, m.y) == tuple(c.equals)
    text = _match_text(m)
    if not holds:
        text += f", not X = {list(c.equals[0])}, Y = {list(c.equals[1])}"
    return Verdict(c, holds, text, match_witness(m))


def _no_match(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    m = maximum_match(*acts)
    if m.empty:
        return Verdict(c, True, f"the maximum match is empty: all {_plural(len(m.removals), 'neuron')} removed, each with an orthogonal witness", match_witness(m))
    text = "there is a match: " + _match_text(m)
    if set(m.x) == set(m.zero_x) and set(m.y) == set(m.zero_y):
        text += " -- only zero neurons match"
    return Verdict(c, False, text, match_witness(m))


def _isomorphic(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    A, B = acts
    sa, wa = dimension_witness(A, d)
    sb, wb = dimension_witness(B, d)
    w: dict[str, Any] = {"dimensions": [sa.rank, sb.rank], "first": wa, "second": wb}
    if sa.rank != sb.rank:
        return Verdict(c, False, f"the spans have dimensions {sa.rank} ({c.networks[0]}) and {sb.rank} ({c.networks[1]})", w)
    pairs = ", ".join(f"z{i} -> z~{j}" for i, j in zip(sa.basis, sb.basis)) or "0 -> 0"
    if sa.rank > EXACT_INVERSE_UP_TO:
        # The map v -> (v restricted to the first pivots) K_first B[second basis] is explicit from the two
        # dimension witnesses; writing out its r x d matrix would dominate the certificate.
        w["map"] = w["inverse"] = "through the pivot blocks"
        return Verdict(c, True, f"both spans have dimension {sa.rank}; the linear map sending {pairs} (through the "
                       "inverse pivot blocks of the dimension witnesses) is an isomorphism", w)
    iso = isomorphism(A, B)
    assert iso is not None and iso.source == sa.basis and iso.target == sb.basis
    w["map"] = {"rows": list(iso.forward_rows), "matrix": _mat(iso.forward)}
    w["inverse"] = {"rows": list(iso.backward_rows), "matrix": _mat(iso.backward)}
    return Verdict(c, True, f"both spans have dimension {sa.rank}; the linear map sending {pairs} is an isomorphism (map and inverse in the witness)", w)


def _eps_text(e) -> str:
    return f"eps = {_s(e)}"


def _approx_match(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    A, B = acts
    x, y = c.neurons if c.neurons is not None else (None, None)
    m = approx_match(A, B, c.eps, x, y)
    if m.holds:
        return Verdict(c, True, f"every vector is within relative distance {_s(c.eps)} of the other side's span "
                       f"({len(m.x)} + {len(m.y)} neurons; projection coefficients in the witness)",
                       {"x_in_y": _coeffs(m.x_in_y), "y_in_x": _coeffs(m.y_in_x)})
    f = m.failure
    side = c.networks[0] if f.side == "x" else c.networks[1]
    if f.bound is not None:
        return Verdict(c, False, f"neuron {f.neuron} of {side} is farther than {_s(c.eps)} times its length from the "
                       "other span: a certified lower bound on its distance (coefficients and a Gram eigenvalue bound)",
                       {"side": f.side, "neuron": f.neuron, "bound": {"coefficients": _sparse(f.bound.coefficients)},
                        **_gram_bounds(m.gram_bounds)})
    return Verdict(c, False, f"neuron {f.neuron} of {side} is farther than {_s(c.eps)} times its length from the "
                   "other span: its exact residual w is orthogonal to that span and (w.z)^2 > eps^2 |z|^2 |w|^2",
                   {"side": f.side, "neuron": f.neuron, "orthogonal": _sparse(f.orthogonal), "product": _s(f.product)})


def _maximum_approx_match(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    m = maximum_match(*acts, c.eps)
    holds = (m.x, m.y) == tuple(c.equals)
    text = f"{_eps_text(c.eps)}: " + _match_text(m)
    if not holds:
        text += f", not X = {list(c.equals[0])}, Y = {list(c.equals[1])}"
    return Verdict(c, holds, text, match_witness(m))


def _match_similarity(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    m = maximum_match(*acts, c.eps)
    holds = m.similarity == c.equals
    text = f"{_eps_text(c.eps)}: similarity {_s(m.similarity)}" + ("" if holds else f", not {_s(c.equals)}")
    return Verdict(c, holds, text + f" ({_match_text(m)})", match_witness(m))


def _simple_match(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    A, B = acts
    x, y = c.neurons
    ev = simple_match_evidence(A, B, x, y, c.eps)
    if ev.get("empty"):
        return Verdict(c, False, "the empty match is not simple (simple matches are non-empty)", {"empty": True})
    if "not_zero" in ev:
        f = ev["not_zero"].removals[0]  # a non-zero vector against an empty side
        return Verdict(c, False, "one side is empty and the other has a non-zero vector: not a match",
                       {"side": f.side, "neuron": f.neuron, "orthogonal": _sparse(f.orthogonal), "product": _s(f.product)})
    match = ev["match"]
    if not match.holds:
        f = match.failure
        return Verdict(c, False, "not a match: " + _failure_text(c, acts, f) if c.eps == 0 else "not an eps-match: a "
                       "neuron is farther than eps from the other span (exact residual in the witness)",
                       {"side": f.side, "neuron": f.neuron, "orthogonal": _sparse(f.orthogonal), "product": _s(f.product)})
    cover = {"x_in_y": _coeffs(match.x_in_y), "y_in_x": _coeffs(match.y_in_x)}
    if ev["simple"]:
        side, v = ev["v"]
        excl = [{"drop": [s, e], "removals": [_removal(r) for r in m.removals]} for (s, e), m in ev["exclusions"]]
        return Verdict(c, True, f"a match; without any other neuron, neuron {v} ({side}) is in no match, so the matches "
                       "strictly inside do not cover it", {**cover, "v": [side, v], "exclusions": excl})
    parts = [{"x": list(m.x), "y": list(m.y), "x_in_y": _coeffs(m.x_in_y), "y_in_x": _coeffs(m.y_in_x)}
             for m in ev["parts"]]
    return Verdict(c, False, f"a match, but the union of {len(parts)} matches strictly inside it", {**cover, "parts": parts})


#: ``simple_matches`` certificates list every pair of neuron sets: at most this many neurons in all.
SIMPLE_MATCHES_CERTIFIED_UP_TO = 12


def _simple_matches(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    A, B = acts
    matches = [m for m in all_matches(A, B, c.eps) if m[0] or m[1]]
    simple = tuple(sorted(simple_matches(A, B, c.eps)))
    holds = simple == c.equals
    text = f"{len(simple)} simple matches among {len(matches)} non-empty matches: " + ", ".join(
        f"({list(x)}, {list(y)})" for x, y in simple[:6]) + (" ..." if len(simple) > 6 else "")
    if not holds:
        text += f"; the claim lists {len(c.equals)}"
    if len(A) + len(B) > SIMPLE_MATCHES_CERTIFIED_UP_TO:
        return Verdict(c, holds, text, {"too_large_to_certify": True})
    listed, proofs = set(matches), []
    for x, y in matches:
        m = approx_match(A, B, c.eps, x, y) if x and y else None
        proofs.append({"x": list(x), "y": list(y), "x_in_y": _coeffs(m.x_in_y) if m else [[i, []] for i in x],
                       "y_in_x": _coeffs(m.y_in_x) if m else [[j, []] for j in y]})
    refuted = []
    for x in _subsets(len(A)):
        for y in _subsets(len(B)):
            if (x or y) and (x, y) not in listed:
                f = approx_match(A, B, c.eps, x, y).failure if x and y else maximum_match_within(A, B, x, y, c.eps).removals[0]
                refuted.append({"x": list(x), "y": list(y), "side": f.side, "neuron": f.neuron,
                                "orthogonal": _sparse(f.orthogonal), "product": _s(f.product)})
    return Verdict(c, holds, text, {"matches": proofs, "non_matches": refuted})


def _subsets(n: int):
    from itertools import combinations

    return [s for k in range(n + 1) for s in combinations(range(n), k)]


def _equivalence(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    A, B = acts
    if c.centered:
        A, B = center(A), center(B)
    label = f"{c.level}{' (centered)' if c.centered else ''}"
    if c.level == "isomorphic":
        v = _isomorphic(c, [A, B], d)
        return Verdict(c, v.holds, f"{label}: {v.explanation}", v.witness)
    e = equivalence(A, B, c.level)
    return Verdict(c, e.holds, f"{label}: {e.explanation}", e.witness)


def _cka(c: Claim, acts: list[Matrix], d: int) -> Verdict:
    A, B = center(acts[0]), center(acts[1])
    h = [_fro2(matmul(A, _transpose(B))), _fro2(matmul(A, _transpose(A))), _fro2(matmul(B, _transpose(B)))]
    w = {"hsic": [_s(x) for x in h]}
    if h[1] == 0 or h[2] == 0:
        return Verdict(c, False, "CKA is undefined: a representation is constant over the data", w)
    cka2 = h[0] * h[0] / (h[1] * h[2])
    w["cka_squared"] = _s(cka2)
    tests = {"equals": lambda t: cka2 == t * t, "at_least": lambda t: cka2 >= t * t, "at_most": lambda t: cka2 <= t * t}
    failed = [(k, t) for k, t in c.bounds if not tests[k](t)]
    text = f"CKA^2 = {_s(cka2)} (CKA = sqrt of it)"
    if failed:
        k, t = failed[0]
        text += f", so CKA {dict(equals='=', at_least='>=', at_most='<=')[k]} {_s(t)} fails (compare with {_s(t * t)})"
    return Verdict(c, not failed, text, w)


def _transpose(M: Matrix) -> Matrix:
    return tuple(zip(*M))


def _fro2(M: Matrix) -> Fraction:
    return sum((x * x for row in M for x in row), Fraction(0))


_DECIDERS: dict[str, Callable[[Claim, list[Matrix], int], Verdict]] = {
    "cka": _cka,
    "approx_match": _approx_match,
    "maximum_approx_match": _maximum_approx_match,
    "match_similarity": _match_similarity,
    "simple_match": _simple_match,
    "simple_matches": _simple_matches,
    "equivalence": _equivalence,
    "activations": _activations,
    "dimension": _dimension,
    "identical": _identical,
    "exact_match": _exact_match,
    "maximum_match": _maximum_match,
    "no_match": _no_match,
    "isomorphic": _isomorphic,
}


#: Bound on the linear regions explored for an ``equal_functions`` claim; beyond it the verdict is undecided.
MAX_REGIONS = 100_000


def _equal_functions(problem: Problem, c: Claim, detail: Callable[[str], None] | None = None) -> Verdict:
    from symrep.relu.functions import equal_functions

    f, g = (problem.network(n) for n in c.networks)
    domain = None if c.domain is None else [list(p) for p in c.domain]
    bound = c.max_regions or MAX_REGIONS
    report = None if detail is None else (lambda p: detail(f"{p.regions} regions, {p.empty} empty branches"))
    r = equal_functions(f, g, domain, max_regions=bound, progress=report)
    where = "on all of R^n" if c.domain is None else "on the domain"
    if r.verdict is None:
        return Verdict(c, None, f"undecided within the bound of {bound} regions ({r.reason})", {})
    w = r.witness()
    if r.verdict:
        leaves = w["leaves"]
        empty = sum("empty" in leaf for leaf in leaves)
        return Verdict(c, True, f"equal {where}: {len(leaves) - empty} linear regions where the affine maps agree, "
                       f"{empty} empty branches with Farkas certificates", w)
    return Verdict(c, False, f"not equal {where}: at x = {_vec(r.point)} {c.networks[0]} gives {_vec(r.values[0])}, "
                   f"{c.networks[1]} gives {_vec(r.values[1])}", w)


def decide(problem: Problem, claim: Claim, _cache: dict | None = None,
           detail: Callable[[str], None] | None = None) -> Verdict:
    """Decide one claim of *problem* exactly (*detail* receives progress text on long claims)."""
    if claim.kind == "equal_functions":
        return _equal_functions(problem, claim, detail)
    cache = {} if _cache is None else _cache
    acts = []
    for name in claim.networks:
        if name not in cache:
            cache[name] = forward(problem.network(name), problem.inputs)
        acts.append(cache[name][claim.layer])
    return _DECIDERS[claim.kind](claim, acts, len(problem.inputs))


def verify_problem(problem: Problem, progress: Callable[[int, int], None] | None = None,
                   detail: Callable[[str], None] | None = None) -> list[Verdict]:
    """Decide every claim of *problem*, in order (activations are computed once per network)."""
    cache: dict = {}
    out = []
    for k, claim in enumerate(problem.claims):
        out.append(decide(problem, claim, cache, detail))
        if progress:
            progress(k + 1, len(problem.claims))
    return out
