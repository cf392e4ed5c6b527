"""Gram-bound removals of the certified paths (eps > 0, and eps = 0 by certified_eps0), as traces of coq/Spectral.v's ``greplay``.

A removal proved by a distance lower bound (``bound``, checked by the checker against the
witness's ``gram_bounds``) becomes ``Bound c mu L D``: ``c`` the certificate's coefficients on V,
the other side's remaining non-zero activation vectors (in order), and ``mu > 0`` with an exact
``L diag(D) L^T = V V^T - mu I``, ``D >= 0``, which Coq checks (``gram_ldlb``) together with
``|r|^2 - |q|^2 / mu > eps^2 |z|^2`` (``bound_ok``; ``r = z - V^T c``, ``q = V r``).

The checker's certificate bounds the Gram of rows rescaled by its ``scales`` (so its ``mu`` and
factor do not carry over to the unscaled rows Coq reads); the exporter proposes ``mu`` for V itself
from a float eigenvalue (floats propose, Coq decides) and computes the factor exactly.  When the
certificate's coefficients miss the bound at that ``mu`` (the rescaling changes the bound), it
proposes the exact least-squares coefficients, for which ``q = 0`` and the bound is the distance
itself.  The factor is recomputed per removal: Coq then needs no interlacing argument.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

import numpy as np

from symrep import checker
from symrep.certificates.coq_spectral import ldl_strict
from symrep.certificates.coq_terms import qmat, qnum, qvec

__all__ = ["gram_trace", "gram_removal", "uses_gram", "MAX_SPAN"]

#: The largest span (vectors in V) a gram-bound removal is exported for: Coq checks n^2 dot products and n^3 terms.
MAX_SPAN = 40


def uses_gram(w: Any) -> bool:
    """Whether a witness (a trace or one removal) has the certified path's gram-bound form."""
    if not isinstance(w, dict):
        return False
    return bool(w.get("gram_bounds")) or "bound" in w or any(isinstance(r, dict) and "bound" in r
                                                             for r in w.get("removals", []) or [])


def _solve(G: list[list[Fraction]], b: list[Fraction]) -> list[Fraction]:
    """G x = b for a positive definite G (Gauss, exact)."""
    n = len(G)
    M = [list(r) + [b[i]] for i, r in enumerate(G)]
    for col in range(n):
        piv = next(r for r in range(col, n) if M[r][col] != 0)
        M[col], M[piv] = M[piv], M[col]
        for r in range(n):
            if r != col and M[r][col] != 0:
                f = M[r][col] / M[col][col]
                M[r] = [x - f * y for x, y in zip(M[r], M[col])]
    return [M[i][n] / M[i][i] for i in range(n)]


def _dot(u: list[Fraction], v: list[Fraction]) -> Fraction:
    return sum((a * b for a, b in zip(u, v)), Fraction(0))


def _bound_holds(z: list[Fraction], V: list[list[Fraction]], c: list[Fraction], mu: Fraction, e2: Fraction) -> bool:
    r = [zj - sum((ck * vk[j] for ck, vk in zip(c, V)), Fraction(0)) for j, zj in enumerate(z)]
    return _dot(r, r) - sum(_dot(v, r) ** 2 for v in V) / mu > e2 * _dot(z, z)


def _checker_accepts(mine: Any, v: int, other: Any, O: list[int], r: dict, gram: Any, e2: Fraction, where: str) -> bool:
    """Whether the checker accepts this removal's bound (with the witness's own gram bound)."""
    try:
        checker.check_lower_bound(mine, v, other, set(O), r["bound"], gram, where, e2)
    except (checker.Reject, KeyError, TypeError, ValueError):
        return False
    return True


def gram_removal(D: Any, mine: Any, other: Any, O: list[int], r: dict, e2: Fraction, where: str,
                 skip: Callable[[str], Exception], gram: Any = None) -> str:
    """The Coq reason ``Bound c mu L D`` of one gram-bound removal (neuron r['neuron'] against O).

    ``gram`` is the checker's parse of the other side's gram bound: only a removal the checker
    accepts gets new coefficients proposed, so a tampered witness reaches Coq as it is (and fails there).
    """
    v = checker.integer(checker.need(r, "neuron", where), where)
    live = [k for k in O if not other.is_zero(k)]
    if len(live) > MAX_SPAN:
        raise skip(f"a gram-bound removal against {len(live)} vectors (the exporter writes at most {MAX_SPAN})")
    V = [other.frac[k] for k in live]
    z = mine.frac[v]
    given = checker.sparse(checker.need(checker.need(r, "bound", where), "coefficients", where), where, len(other))
    c = [given.get(k, Fraction(0)) for k in live]
    if not V:  # an empty span: the bound is |z|^2 > eps^2 |z|^2, any mu > 0
        return "Bound [] (1#1) [] []"
    G = [[_dot(a, b) for b in V] for a in V]
    lam = float(np.linalg.eigvalsh(np.array([[float(x) for x in row] for row in G])).min())
    for f in (0.999, 0.99, 0.9, 0.5, 0.1, 0.01):
        mu = Fraction(lam * f).limit_denominator(10**6)
        if mu <= 0:
            continue
        fac = ldl_strict([[g - (mu if i == j else 0) for j, g in enumerate(row)] for i, row in enumerate(G)])
        if fac is None:
            continue
        if not _bound_holds(z, V, c, mu, e2) and _checker_accepts(mine, v, other, O, r, gram, e2, where):
            c = _solve(G, [_dot(a, z) for a in V])  # q = 0: the bound is the distance itself
        L, Dg = fac
        return f"Bound {qvec(c)} {qnum(mu)} {qmat([row[:i + 1] for i, row in enumerate(L)])} {qvec(Dg)}"
    raise skip("a gram-bound removal: no exact factor of V V^T - mu I found for the unscaled rows")


def gram_trace(D: Any, claim: dict, w: dict, skip: Callable[[str], Exception], e2: Fraction) -> str:
    """The removal trace of a (maximum) eps-match witness as a list of coq/Spectral.v's ``gremoval``."""
    a, b = claim["networks"]
    A, B = D.rows(a, claim["layer"]), D.rows(b, claim["layer"])
    X, Y = list(range(len(A))), list(range(len(B)))
    out = []
    grams = _grams(A, B, w)
    for k, r in enumerate(checker.lst(w["removals"], "removals")):
        out.append(one(D, A, B, X, Y, r, e2, f"removals[{k}]", skip, grams))
        v = r["neuron"]
        (X if r["side"] == "x" else Y).remove(v)
    return "[" + "; ".join(out) + "]"


def _grams(A: Any, B: Any, w: dict) -> dict:
    """The checker's parse of a witness's gram bounds, {} when it rejects them."""
    try:
        return checker.gram_bounds(A, B, w, "witness")
    except (checker.Reject, KeyError, TypeError, ValueError):
        return {}


def one(D: Any, A: Any, B: Any, X: list[int], Y: list[int], r: dict, e2: Fraction, where: str,
        skip: Callable[[str], Exception], grams: dict | None = None) -> str:
    """One removal as ``(side, v, reason)`` against the current sets X, Y (``grams``: by default, r's own)."""
    if grams is None:
        grams = _grams(A, B, r)
    side = checker.need(r, "side", where)
    v = checker.integer(checker.need(r, "neuron", where), where)
    s = {"x": "SX", "y": "SY"}[side]
    if "bound" in r:
        mine, other, O = (A, B, Y) if side == "x" else (B, A, X)
        gram = grams.get("y" if side == "x" else "x")
        return f"({s}, {v}%nat, {gram_removal(D, mine, other, O, r, e2, where, skip, gram)})"
    wv = D.dense(checker.need(r, "orthogonal", where), D.d, where)
    return f"({s}, {v}%nat, Orth {qvec(wv)})"
