"""The float filters with proved error bounds (symrep.measures.float_bounds, the CKA bracket) against exact oracles.

Every verdict a filter gives is re-derived here with Fractions from the integer data (the
oracle shares no code with the filter); a filter may decline, never be wrong.  Near ties
are built on purpose (the threshold at the exact value, or one part in 10**15 away).
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.measures.cka import cka_squared, cka_squared_bracket, cka_squared_sign
from symrep.measures.float_bounds import gamma_float, margin_lower_bound, residual_tests


def _gram(rows):
    return [[sum(a * b for a, b in zip(x, y)) for y in rows] for x in rows]


def _solve(G, b):
    """Exact Gaussian elimination (G symmetric positive definite)."""
    n = len(G)
    M = [[F(v) for v in r] + [F(bi)] for r, bi in zip(G, b)]
    for i in range(n):
        p = next(k for k in range(i, n) if M[k][i] != 0)
        M[i], M[p] = M[p], M[i]
        for k in range(n):
            if k != i and M[k][i] != 0:
                f = M[k][i] / M[i][i]
                M[k] = [x - f * y for x, y in zip(M[k], M[i])]
    return [M[i][n] / M[i][i] for i in range(n)]


def _dist2(z, Y):
    """The exact squared distance of z to span(Y) (Y of full row rank)."""
    G = _gram(Y)
    b = [sum(a * c for a, c in zip(y, z)) for y in Y]
    x = _solve(G, b)
    return sum(v * v for v in z) - sum(xi * bi for xi, bi in zip(x, b))


def _lambda_min_lower_ok(H, mu):
    """H - mu I is positive definite (exact Cholesky: every pivot positive)."""
    n = len(H)
    M = [[F(H[i][j]) - (mu if i == j else 0) for j in range(n)] for i in range(n)]
    for i in range(n):
        if M[i][i] <= 0:
            return False
        for k in range(i + 1, n):
            f = M[k][i] / M[i][i]
            M[k] = [x - f * y for x, y in zip(M[k], M[i])]
    return True


rows_st = st.integers(2, 5).flatmap(lambda n: st.integers(n + 1, 8).flatmap(
    lambda d: st.lists(st.lists(st.integers(-2**20, 2**20), min_size=d, max_size=d), min_size=n + 1, max_size=n + 1)))


@settings(max_examples=60, deadline=None)
@given(rows_st, st.sampled_from([F(1, 100), F(1, 16), F(1, 4), F(1, 2)]), st.integers(0, 3))
def test_residual_verdicts_agree_with_exact_distances(rows, eps2, noise):
    z, Y = rows[0], rows[1:]
    G = _gram(Y)
    if any(G[i][i] == 0 for i in range(len(Y))) or not _lambda_min_lower_ok(G, F(0)) or not any(z):
        return
    Yf = np.array(Y, dtype=np.float64)
    zf = np.array(z, dtype=np.float64)
    Fg, Fb = Yf @ Yf.T, (Yf @ zf)[None, :]
    zeta = np.array([zf @ zf])
    delta = gamma_float(len(z))
    c = np.linalg.lstsq(Yf.T, zf, rcond=None)[0] * (1 + noise * 1e-3)  # a proposal, possibly a poor one
    Cf = np.ldexp(np.rint(np.ldexp(c, 30)), -30)[None, :]
    mu = F(np.linalg.eigvalsh(Fg).min()) / 2
    if not _lambda_min_lower_ok(G, mu):
        return
    inside, outside = residual_tests(Cf, Fg, Fb, zeta, delta, eps2, np.ones(len(Y)), mu)
    cq = [F(v) for v in Cf[0]]
    r = [zi - sum(ck * y[i] for ck, y in zip(cq, Y)) for i, zi in enumerate(z)]
    R = sum(v * v for v in r)
    z2 = sum(v * v for v in z)
    if inside[0]:
        assert R <= eps2 * z2  # the residual itself proves membership
    if outside[0]:
        assert _dist2(z, Y) > eps2 * z2
    assert not (inside[0] and outside[0])


def test_residual_tie_is_declined_not_decided():
    """z = (3, 4) against y = (1, 0): distance exactly 4/5 |z|, so eps^2 = 16/25 is a tie the floats must hand over."""
    Fg, Fb, zeta = np.array([[1.0]]), np.array([[3.0]]), np.array([25.0])
    C = np.array([[3.0]])
    inside, outside = residual_tests(C, Fg, Fb, zeta, 2.0**-53, F(16, 25), np.ones(1), F(1, 2))
    assert not inside[0] and not outside[0]
    inside, _ = residual_tests(C, Fg, Fb, zeta, 2.0**-53, F(16, 25) + F(1, 10**9))
    assert inside[0]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.integers(0, 2**31))
def test_margin_lower_bound_is_below_the_exact_margin(n, seed):
    rng = np.random.default_rng(seed)
    Y = rng.integers(-50, 50, size=(n, n + 3))
    H = Y @ Y.T
    Hf = H.astype(np.float64)
    try:
        L = np.linalg.cholesky(Hf - 0.5 * np.linalg.eigvalsh(Hf).min() * np.eye(n))
    except np.linalg.LinAlgError:
        return
    L = np.ldexp(np.rint(np.ldexp(L, 20)), -20)
    lo = margin_lower_bound(Hf, L, 2.0**-53)
    Lq = [[F(v) for v in r] for r in L]
    M = [[F(int(H[i][j])) - sum(Lq[i][k] * Lq[j][k] for k in range(n)) for j in range(n)] for i in range(n)]
    exact = min(M[i][i] - sum(abs(M[i][j]) for j in range(n) if j != i) for i in range(n))
    assert F(lo) <= exact


float32_layers = st.integers(1, 4).flatmap(lambda n: st.integers(2, 30).flatmap(lambda d: st.tuples(
    st.lists(st.lists(st.floats(-8, 8, width=32), min_size=d, max_size=d), min_size=n, max_size=n),
    st.lists(st.lists(st.floats(-8, 8, width=32), min_size=d, max_size=d), min_size=n + 1, max_size=n + 1))))


@settings(max_examples=60, deadline=None)
@given(float32_layers)
def test_cka_bracket_contains_the_exact_value(layers):
    a, b = (np.array(x, dtype=np.float32) for x in layers)
    br = cka_squared_bracket(a, b)
    ref = _oracle_cka2(a, b)
    if ref is None or br is None:
        return
    assert br[0] <= ref <= br[1]


def _oracle_cka2(a, b):
    """CKA^2 with Fractions from the float values (an independent formula: centred Grams)."""
    A = [[F(float(v)) for v in r] for r in a]
    B = [[F(float(v)) for v in r] for r in b]
    d = len(A[0])
    Ac = [[v - sum(r) / d for v in r] for r in A]
    Bc = [[v - sum(r) / d for v in r] for r in B]

    def hs(X, Y):
        return sum(sum(x * y for x, y in zip(p, q)) ** 2 for p in X for q in Y)
    den = hs(Ac, Ac) * hs(Bc, Bc)
    return None if den == 0 else hs(Ac, Bc) ** 2 / den


def test_cka_sign_decides_ties_exactly():
    rng = np.random.default_rng(3)
    a = np.maximum(rng.standard_normal((6, 40)), 0).astype(np.float32)
    b = np.maximum(rng.standard_normal((5, 40)), 0).astype(np.float32)
    q = cka_squared(a, b)
    assert q == _oracle_cka2(a, b)
    br = cka_squared_bracket(a, b)
    assert br is not None
    lo, hi = br
    assert lo <= q <= hi and hi - lo < F(1, 10**8)
    tiny = F(1, 10**30)
    assert (cka_squared_sign(a, b, q), cka_squared_sign(a, b, q - tiny), cka_squared_sign(a, b, q + tiny)) == (0, 1, -1)
    assert cka_squared_sign(a, b, lo / 2) == 1 and cka_squared_sign(a, b, (1 + hi) / 2) == -1


def test_residual_filter_decides_clear_cases():
    """Away from the threshold the filter decides (so the property test above is not vacuous)."""
    Fg, Fb, zeta, C = np.array([[1.0]]), np.array([[3.0]]), np.array([25.0]), np.array([[3.0]])
    inside, outside = residual_tests(C, Fg, Fb, zeta, 2.0**-53, F(1, 4), np.ones(1), F(1, 2))  # 16 > 25/4
    assert outside[0] and not inside[0]
    inside, outside = residual_tests(C, Fg, Fb, zeta, 2.0**-53, F(9, 10))  # 16 <= 22.5
    assert inside[0] and not outside[0]
    rng = np.random.default_rng(0)
    Y = rng.integers(-9, 9, size=(4, 12)).astype(np.float64)
    Z = np.vstack([rng.integers(-2, 2, size=4) @ Y, rng.integers(-9, 9, size=(3, 12))])  # one inside, three generic
    c = np.linalg.lstsq(Y.T, Z.T, rcond=None)[0].T
    inside, outside = residual_tests(np.ldexp(np.rint(np.ldexp(c, 40)), -40), Y @ Y.T, Z @ Y.T, (Z * Z).sum(axis=1),
                                     gamma_float(12), F(1, 100), np.ones(4), F(np.linalg.eigvalsh(Y @ Y.T).min()) / 2)
    assert inside[0] and (inside | outside).all()


def test_cka_measure_returns_the_float_bracket_when_it_is_narrow_enough():
    from symrep.measures.catalog import lookup

    rng = np.random.default_rng(5)
    a = np.maximum(rng.standard_normal((7, 60)), 0).astype(np.float32)
    b = np.maximum(rng.standard_normal((4, 60)), 0).astype(np.float32)
    q = _oracle_cka2(a, b)
    m, arg = lookup("cka")
    wide = m.evaluate(a, b, width=F(1, 10**6), arg=arg)
    assert wide.square is None and wide.lower**2 <= q <= wide.upper**2 and wide.upper - wide.lower <= F(1, 10**6)
    narrow = m.evaluate(a, b, width=F(1, 10**40), arg=arg)  # beyond any float bracket: the exact square
    assert narrow.square == q
