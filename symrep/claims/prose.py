"""Markdown helpers for explanations: matrices, vectors, combinations and removals as text.

The kinds (:mod:`symrep.claims.kinds`) build the body of each claim's section
of ``symrep explain`` from their certificate witness with these helpers.
Numbers arrive as exact strings (from a certificate) or Fractions.

>>> vec(["1/2", 0])
'(1/2, 0)'
>>> cover_lines([[0, [[1, "2"], [3, "-1"]]]], "x")
['- x0 = (2) y1 + (-1) y3']
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping, Sequence

from symrep.exact.numbers import Matrix, format_number

__all__ = ["cover_lines", "dense", "dimension_lines", "dot_text", "lit", "matrix_table", "q", "removal_lines", "vec"]

MAX_SHOWN = 12  # larger matrices are summarised, not printed


def q(x: Any) -> str:
    """An exact number as text (strings from certificates are already exact text)."""
    return format_number(Fraction(x)) if not isinstance(x, str) else x


def vec(v: Sequence[Any]) -> str:
    """A vector as ``(a, b, ...)``."""
    return "(" + ", ".join(q(x) for x in v) + ")"


def dense(sparse: Sequence[Sequence[Any]], n: int) -> list[str]:
    """A sparse vector ``[[index, value], ...]`` written out with zeros."""
    out = ["0"] * n
    for i, x in sparse:
        out[i] = x
    return out


def matrix_table(m: Matrix, row_names: str = "z") -> str:
    """A Markdown table of an activation matrix (rows neurons, columns points), summarised when large."""
    if not m:
        return "(no rows)\n"
    if len(m) > MAX_SHOWN or len(m[0]) > MAX_SHOWN:
        return f"({len(m)} x {len(m[0])} matrix, not printed)\n"
    head = "| neuron | " + " | ".join(f"p{j}" for j in range(len(m[0]))) + " |"
    sep = "|---|" + "---|" * len(m[0])
    rows = [f"| {row_names}{i} | " + " | ".join(q(x) for x in row) + " |" for i, row in enumerate(m)]
    return "\n".join([head, sep, *rows]) + "\n"


def lit(m: Sequence[Sequence[Any]]) -> str:
    """A matrix of exact-number strings as [[1, 0], [0, 1]] (summarised when large)."""
    if sum(len(row) for row in m) > 64:
        return f"(a {len(m)} x {len(m[0]) if m else 0} matrix, in the certificate)"
    return "[" + ", ".join("[" + ", ".join(str(x) for x in row) + "]" for row in m) + "]"


def dot_text(w: Sequence[str], z: Sequence[Any]) -> str:
    """The dot product w . z written out term by term (zero terms left out)."""
    terms = [f"({a})({q(b)})" for a, b in zip(w, z) if a != "0"]
    return " + ".join(terms) or "0"


def removal_lines(r: Mapping[str, Any], acts: Sequence[Matrix], remaining: dict[str, set[int]]) -> list[str]:
    """One removal of Wang et al.'s algorithm, with its orthogonal witness (updates *remaining*)."""
    side, other = r["side"], "y" if r["side"] == "x" else "x"
    mine = 0 if side == "x" else 1
    d = len(acts[0][0]) if acts[0] else 0
    z = acts[mine][r["neuron"]]
    rest = ", ".join(f"{other}{j}" for j in sorted(remaining[other])) or "none"
    remaining[side].discard(r["neuron"])
    if "bound" in r:  # certified eps > 0 path: a distance lower bound instead of an orthogonal vector
        return [f"- round {r['round']}: remove {side}{r['neuron']} = {vec(z)}: with c = {r['bound']['coefficients']}, "
                f"|z - sum c_j {other}j|^2 - |q|^2 / mu > eps^2 |z|^2 over the remaining {other}j ({rest}), "
                "mu a certified lower bound on the smallest eigenvalue of their Gram (gram_bounds)."]
    w = dense(r["orthogonal"], d)
    return [
        f"- round {r['round']}: remove {side}{r['neuron']} = {vec(z)}. w = ({', '.join(w)}) has w . {other}j = 0 "
        f"for every remaining {other}j ({rest}), but w . {side}{r['neuron']} = {dot_text(w, z)} = {r['product']} != 0."
    ]


def cover_lines(cover: Sequence[Sequence[Any]], side: str) -> list[str]:
    """Each vector of one side as a combination of the other side's (``x_in_y``/``y_in_x`` witnesses)."""
    other = "y" if side == "x" else "x"
    out = []
    for i, coeffs in cover:
        combo = " + ".join(f"({c}) {other}{j}" for j, c in coeffs) or "0"
        out.append(f"- {side}{i} = {combo}")
    return out


def dimension_lines(w: Mapping[str, Any], name: str, z: str = "z") -> list[str]:
    """The proof of a span's dimension: an invertible pivot block and every row as a combination of the basis."""
    r = w["dimension"]
    out = [f"`{name}`: dimension {r}."]
    if r and "inverse" in w:
        out.append(
            f"Rows {w['basis']} restricted to columns (data points) {w['pivots']} form an "
            f"invertible {r} x {r} block; its inverse K = {lit(w['inverse'])} satisfies K times the block = I, "
            "so these rows are independent."
        )
    elif r:
        p = w["inverse_mod"]["prime"]
        out.append(
            f"Rows {w['basis']} restricted to columns (data points) {w['pivots']} form a {r} x {r} block "
            f"whose inverse modulo the prime {p} is in the certificate: K times the block = I (mod {p}), so the "
            "block's determinant is not divisible by the prime, hence not zero, and these rows are independent."
        )
    for i, c in enumerate(w["coefficients"]):
        combo = " + ".join(f"({x}) {z}{j}" for j, x in c) or "0"
        out.append(f"- {z}{i} = {combo}")
    return out
