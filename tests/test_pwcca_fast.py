"""PWCCA's fast path (certified double-float Grams, symrep.measures.pwcca.fast_bracket) against mpmath and Morcos et al.

Truth: the definition at 60 digits (QR bases, SVD, the weights) on small float layers; on a benchmark-shaped
pair, Morcos et al.'s float formula with a margin.  The fast path declines (None) where its bounds do not reach
the width, ties and exact values included; the exact path then decides.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from symrep.measures import fastgram
from symrep.measures.catalog import lookup
from symrep.measures.pwcca import fast_bracket

F = Fraction


def oracle(A: np.ndarray, B: np.ndarray):
    """PWCCA at 60 digits (rows = neurons), the side of fewer neurons weighted (both full rank here)."""
    with mpmath.workdps(60):
        def centred(M):
            rows = [[mpmath.mpf(float(x)) for x in r] for r in M]
            return mpmath.matrix([[x - sum(r) / len(r) for x in r] for r in rows]).T

        X, Y = centred(A), centred(B)
        if Y.cols < X.cols:
            X, Y = Y, X
        Qx, Qy = mpmath.qr(X)[0], mpmath.qr(Y)[0]
        Qx = mpmath.matrix([[Qx[i, j] for j in range(X.cols)] for i in range(X.rows)])
        Qy = mpmath.matrix([[Qy[i, j] for j in range(Y.cols)] for i in range(Y.rows)])
        U, S, _ = mpmath.svd_r(Qx.T * Qy)
        H = Qx * U
        alpha = [sum(abs(sum(H[k, i] * X[k, j] for k in range(X.rows))) for j in range(X.cols)) for i in range(X.cols)]
        return sum(a * S[i] for i, a in enumerate(alpha)) / sum(alpha)


def fresh(a, b, width):
    fastgram._CACHE.clear()
    return fast_bracket(a, b, width)


def inside(v, x) -> bool:
    with mpmath.workdps(60):
        return mpmath.mpf(v[0].numerator) / v[0].denominator <= x <= mpmath.mpf(v[1].numerator) / v[1].denominator


@pytest.mark.parametrize("seed,na,nb,dtype", [(0, 3, 3, np.float64), (1, 2, 4, np.float64), (2, 4, 2, np.float64),
                                              (3, 3, 3, np.float32), (4, 3, 5, np.float32)])
def test_the_fast_bracket_contains_the_definition(seed, na, nb, dtype):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((na, 16))
    B = rng.standard_normal((nb, na)) @ A + 0.7 * rng.standard_normal((nb, 16))
    A, B = A.astype(dtype), B.astype(dtype)
    width = F(1, 10**7)
    v = fresh(A, B, width)
    assert v is not None
    assert v[1] - v[0] <= width * max(1, v[1])
    assert inside(v, oracle(A, B))
    m, arg = lookup("pwcca")
    got = m.evaluate(A, B, width=width, arg=arg)  # the measure takes the fast path: its bracket holds the value too
    assert inside((got.lower, got.upper), oracle(A, B))


def test_ties_and_exact_values_are_declined():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((3, 12))
    assert fresh(A, rng.standard_normal((3, 3)) @ A, F(1, 10**6)) is None  # every rho is 1 (a tie)
    m, arg = lookup("pwcca")
    assert m.evaluate(A, 2 * A, width=F(1, 10**6), arg=arg).exact == 1  # the exact path proves it
    assert fresh(np.vstack([A, np.ones((1, 12))]), A, F(1, 10**6)) is None  # a constant row: not full rank, declined


def test_a_width_beyond_the_bounds_is_declined():
    rng = np.random.default_rng(6)
    A = rng.standard_normal((3, 16))
    B = rng.standard_normal((3, 3)) @ A + 0.5 * rng.standard_normal((3, 16))
    assert fresh(A, B, F(1, 10**30)) is None


@pytest.mark.slow
def test_a_benchmark_shaped_pair_against_the_float_formula():
    rng = np.random.default_rng(0)
    n, d = 64, 1000
    A = rng.standard_normal((n, d)).astype(np.float32)
    B = (rng.standard_normal((n, n)) @ A + 0.5 * rng.standard_normal((n, d))).astype(np.float32)
    v = fresh(A, B, F(1, 10**7))
    assert v is not None and v[1] - v[0] <= F(1, 10**7)
    X, Y = (A - A.mean(1, keepdims=True)).T.astype(np.float64), (B - B.mean(1, keepdims=True)).T.astype(np.float64)
    qx, qy = np.linalg.qr(X)[0], np.linalg.qr(Y)[0]
    u, rho, _ = np.linalg.svd(qx.T @ qy)
    w = np.abs((qx @ u).T @ X).sum(axis=1)
    f = float((w / w.sum()) @ rho)
    assert float(v[0]) - 1e-9 <= f <= float(v[1]) + 1e-9
