"""Explicit maps for the ladder's orthogonal and linear levels, computed exactly for the Coq export.

A certificate of ``A = Q B`` (Q orthogonal) or ``A = M B`` (M invertible) carries the map only up to
64 neurons and, for ``orthogonal``, only when B's rows are independent.  Otherwise the exporter,
which is not trusted, computes one here with exact rationals from what the checker has verified
(``A^T A == B^T B``; equal spans), and Coq checks it (``orthogonal_true``, ``linear_true``):

* orthogonal: reflections.  With ``Q b_i = a_i`` for the earlier columns, the column ``x = Q b_j``
  and ``y = a_j`` have equal norms and ``a_i . (x - y) = b_i . b_j - a_i . a_j = 0``, so the
  reflection in ``v = x - y`` (rational) sends ``x`` to ``y`` and keeps the earlier columns;
* linear: ``A = CA R``, ``B = CB R`` over independent rows ``R`` of B; completing ``CA`` and
  ``CB`` with unit columns to invertible ``[CA | E]`` and ``[CB | F]`` gives
  ``M = [CA | E] [CB | F]^-1`` with ``M B = A``, and its inverse.

>>> from fractions import Fraction as F
>>> orthogonal_map([[F(0), F(1)], [F(1), F(0)]], [[F(1), F(0)], [F(0), F(1)]])
[[Fraction(0, 1), Fraction(1, 1)], [Fraction(1, 1), Fraction(0, 1)]]
>>> linear_map([[F(1), F(1)], [F(1), F(1)]], [[F(1), F(1)], [F(2), F(2)]])[0]
[[Fraction(1, 1), Fraction(0, 1)], [Fraction(-1, 1), Fraction(1, 1)]]
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["orthogonal_map", "linear_map", "inverse"]

Mat = list[list[Fraction]]


def _eye(n: int) -> Mat:
    return [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]


def _mul(X: Mat, Y: Mat) -> Mat:
    cols = list(zip(*Y))
    return [[sum((a * b for a, b in zip(r, c)), Fraction(0)) for c in cols] for r in X]


def inverse(M: Mat) -> Mat | None:
    """The inverse of a square matrix by Gauss-Jordan, or None when it is singular."""
    n = len(M)
    W = [list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(M)]
    for col in range(n):
        piv = next((r for r in range(col, n) if W[r][col] != 0), None)
        if piv is None:
            return None
        W[col], W[piv] = W[piv], W[col]
        inv = 1 / W[col][col]
        W[col] = [x * inv for x in W[col]]
        for r in range(n):
            if r != col and W[r][col] != 0:
                f = W[r][col]
                W[r] = [x - f * y for x, y in zip(W[r], W[col])]
    return [r[n:] for r in W]


def orthogonal_map(A: Mat, B: Mat) -> Mat:
    """An orthogonal Q (rational) with A = Q B, when A^T A == B^T B (rows are neurons, columns points)."""
    n = len(A)
    Q = _eye(n)
    for j in range(len(A[0]) if A else 0):
        x = [sum((Q[i][k] * B[k][j] for k in range(n)), Fraction(0)) for i in range(n)]
        v = [xi - A[i][j] for i, xi in enumerate(x)]
        vv = sum((t * t for t in v), Fraction(0))
        if vv == 0:
            continue
        # Q <- (I - 2 v v^T / vv) Q
        vQ = [sum((v[i] * Q[i][k] for i in range(n)), Fraction(0)) for k in range(n)]
        Q = [[Q[i][k] - 2 * v[i] * vQ[k] / vv for k in range(n)] for i in range(n)]
    return Q


def _basis(R: Mat) -> list[int]:
    """Indices of rows of R forming a basis of their span (greedy, by elimination)."""
    kept: list[tuple[list[Fraction], int]] = []  # reduced row, its pivot column
    out = []
    for i, r in enumerate(R):
        v = list(r)
        for u, p in kept:
            if v[p] != 0:
                f = v[p] / u[p]
                v = [a - f * b for a, b in zip(v, u)]
        lead = next((j for j, a in enumerate(v) if a != 0), None)
        if lead is not None:
            kept.append((v, lead))
            out.append(i)
    return out


def _coordinates(rows: Mat, basis: Mat) -> Mat:
    """Coefficients c with row = c . basis for each row (the basis rows independent, every row in their span)."""
    r = len(basis)
    piv = _basis([list(c) for c in zip(*basis)])[:r]  # r columns where the basis block is invertible
    K = inverse([[b[p] for p in piv] for b in basis])
    if K is None:
        raise ValueError("the basis rows are dependent")
    return [[sum((row[piv[t]] * K[t][k] for t in range(r)), Fraction(0)) for k in range(r)] for row in rows]


def _completed(C: Mat) -> Mat:
    """C (n x r, rank r) with n - r unit columns added, so that the square matrix is invertible."""
    n = len(C)
    rows = _basis(C)  # r rows of C that are independent
    units = [k for k in range(n) if k not in rows]
    return [list(C[i]) + [Fraction(int(i == k)) for k in units] for i in range(n)]


def linear_map(A: Mat, B: Mat) -> tuple[Mat, Mat]:
    """(M, M^-1) with A = M B, when A and B have as many rows and the same span."""
    idx = _basis(B)
    R = [B[i] for i in idx]
    GA, GB = _completed(_coordinates(A, R)), _completed(_coordinates(B, R))
    GBi, GAi = inverse(GB), inverse(GA)
    if GBi is None or GAi is None:
        raise ValueError("the spans differ")
    return _mul(GA, GBi), _mul(GB, GAi)
