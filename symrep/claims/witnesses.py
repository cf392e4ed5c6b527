"""Witnesses shared by several claim kinds, as JSON-ready data, and the text helpers of explanations.

A witness is exactly what a certificate carries for a claim (numbers as exact
strings); its format per kind is in ``docs/certificates.md`` and the
independent checker re-derives the verdict from it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Iterable, Sequence

from symrep.exact.linalg import SpanBasis, span_basis
from symrep.exact.numbers import Matrix, format_number
from symrep.measures.matching import GramBound, MaximumMatch, Removal

__all__ = [
    "EXACT_INVERSE_UP_TO",
    "coefficients",
    "dimension_witness",
    "failure_json",
    "failure_text",
    "first_difference",
    "gram_bounds_json",
    "match_text",
    "match_witness",
    "matrix_json",
    "plural",
    "removal_json",
    "sparse",
    "vec_text",
]

#: Dimension witnesses carry the exact inverse of the pivot block up to this rank, and
#: beyond it the inverse modulo a prime (cheaper to produce and to check, equally conclusive).
EXACT_INVERSE_UP_TO = 8

s = format_number


def vec_text(v: Sequence[Fraction], limit: int = 8) -> str:
    """A vector for a one-line explanation: ``[a, b, ...]`` (at most *limit* entries shown)."""
    items = [s(x) for x in v[:limit]]
    return "[" + ", ".join(items) + (", ..." if len(v) > limit else "") + "]"


def matrix_json(m: Matrix) -> list[list[str]]:
    """A matrix as lists of exact strings."""
    return [[s(x) for x in row] for row in m]


def sparse(pairs: Iterable[tuple[int, Any]]) -> list[list[Any]]:
    """A sparse vector ``[[index, "value"], ...]``."""
    return [[int(i), s(Fraction(c))] for i, c in pairs]


def coefficients(items: Iterable[tuple[int, Any]]) -> list[list[Any]]:
    """Coefficient witnesses ``[[neuron, sparse combination], ...]``."""
    return [[int(i), sparse(c)] for i, c in items]


def _proof(r: Removal) -> dict[str, Any]:
    if r.bound is not None:  # proved by a distance lower bound (certified eps > 0 path; see gram_bounds)
        return {"bound": {"coefficients": sparse(r.bound.coefficients)}}
    return {"orthogonal": sparse(r.orthogonal), "product": s(r.product)}


def removal_json(r: Removal) -> dict[str, Any]:
    """One removal of Wang et al.'s algorithm with its witness (an orthogonal vector, or a distance lower bound)."""
    return {"round": r.round, "side": r.side, "neuron": r.neuron, **_proof(r)}


def failure_json(f: Removal) -> dict[str, Any]:
    """A neuron outside the other span: side, neuron, and an orthogonal vector with its product, or a lower bound."""
    return {"side": f.side, "neuron": f.neuron, **_proof(f)}


def gram_bounds_json(bounds: Sequence[GramBound]) -> dict[str, Any]:
    """The certified eigenvalue bounds that lower-bound removals use (nothing when there are none)."""
    if not bounds:
        return {}
    return {"gram_bounds": [{"side": g.side, "neurons": list(g.neurons), "scales": [s(t) for t in g.scales], "mu": s(g.mu),
                             "factor_exponent": g.factor_exponent, "factor": [list(r) for r in g.factor]} for g in bounds]}


def plural(n: int, word: str) -> str:
    """``1 removal``, ``2 removals``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def dimension_witness(rows: Matrix, ncols: int) -> tuple[SpanBasis, dict[str, Any]]:
    """A proved basis of a row span as witness data: dimension, basis, pivots, inverse, coefficients."""
    sb = span_basis(rows, ncols)
    w: dict[str, Any] = {"dimension": sb.rank, "basis": list(sb.basis), "pivots": list(sb.pivots)}
    modular = sb.inverse_mod() if sb.rank > EXACT_INVERSE_UP_TO else None
    if modular is None:
        w["inverse"] = matrix_json(sb.inverse)  # small: a reader can multiply it out by hand
    else:
        w["inverse_mod"] = {"prime": modular[0], "matrix": modular[1]}
    w["coefficients"] = [sparse(c) for c in sb.row_coefficients()]
    return sb, w


def match_witness(m: MaximumMatch) -> dict[str, Any]:
    """A maximum match with its proof: the removals (each forced) and the coefficients of what remains."""
    return {
        "x": list(m.x),
        "y": list(m.y),
        "zero_x": list(m.zero_x),
        "zero_y": list(m.zero_y),
        "removals": [removal_json(r) for r in m.removals],
        "x_in_y": coefficients(m.x_in_y),
        "y_in_x": coefficients(m.y_in_x),
        **gram_bounds_json(m.gram_bounds),
    }


def match_text(m: MaximumMatch) -> str:
    """One line describing a maximum match and its proof."""
    zeros = ""
    if m.zero_x or m.zero_y:
        zeros = f"; zero (dead) neurons among them: X {list(m.zero_x)}, Y {list(m.zero_y)}"
    forms = "orthogonal or lower-bound" if any(r.bound is not None for r in m.removals) else "orthogonal"
    return (f"maximum match X* = {list(m.x)}, Y* = {list(m.y)} (similarity {s(m.similarity)}; "
            f"{plural(len(m.removals), 'removal')} with {forms} witnesses{zeros})")


def failure_text(names: Sequence[str], acts: Sequence[Matrix], f: Removal) -> str:
    """Why neuron f.neuron of one side is outside the other side's span (an orthogonal vector)."""
    mine, other = (0, 1) if f.side == "x" else (1, 0)
    z = acts[mine][f.neuron]
    w = dict(f.orthogonal)
    wv = [Fraction(w.get(j, 0)) for j in range(len(z))]
    return (
        f"z{f.neuron} = {vec_text(z)} of {names[mine]} is outside the span of {names[other]}'s vectors: "
        f"w = {vec_text(wv)} is orthogonal to that span but w.z = {s(f.product)}"
    )


def first_difference(a: Matrix, b: Matrix) -> tuple[int, int] | None:
    """The first (row, column) where two matrices differ, or None."""
    for i, (ra, rb) in enumerate(zip(a, b)):
        for j, (p, q) in enumerate(zip(ra, rb)):
            if p != q:
                return i, j
    return None
