"""The float-certified CCA / SVCCA brackets of symrep.measures.fastcca against independent oracles.

Oracles: exact rational arithmetic (Fractions) for the Grams and products, mpmath at 60 digits for the
canonical correlations (QR bases and singular values), and the exact path for rank-deficient and tie cases.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest

from symrep.measures import fastcca, fastgram
from symrep.measures.cca import cca, svcca
from symrep.measures.shape import shape


def _exact_gram(a: np.ndarray, b: np.ndarray) -> list[list[Fraction]]:
    A = [[Fraction(float(v)) for v in r] for r in a.tolist()]
    B = [[Fraction(float(v)) for v in r] for r in b.tolist()]
    d = len(A[0])
    Ac = [[v - sum(r) / d for v in r] for r in A]
    Bc = [[v - sum(r) / d for v in r] for r in B]
    return [[sum((x * y for x, y in zip(r, s)), Fraction(0)) for s in Bc] for r in Ac]


def _mp_correlations(a: np.ndarray, b: np.ndarray, k: int | None = None) -> list[mpmath.mpf]:
    """Canonical correlations at 60 digits (svcca: of the top-k singular directions first)."""
    with mpmath.workdps(60):
        def basis(m: np.ndarray) -> mpmath.matrix:
            X = mpmath.matrix([[mpmath.mpf(float(v)) for v in r] for r in m.tolist()]).T  # points x neurons
            mean = [sum(X[i, j] for i in range(X.rows)) / X.rows for j in range(X.cols)]
            for i in range(X.rows):
                for j in range(X.cols):
                    X[i, j] -= mean[j]
            if k is not None:
                U, S, V = mpmath.svd_r(X)
                X = U[:, :k]
            Q, _ = mpmath.qr(X)
            return Q[:, : (k or X.cols)]
        Qx, Qy = basis(a), basis(b)
        return sorted(mpmath.svd_r(Qx.T * Qy, compute_uv=False), reverse=True)


def _pair(seed: int, n: int = 6, m: int = 5, d: int = 24) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, d))
    b = rng.standard_normal((m, n)) @ a + 0.7 * rng.standard_normal((m, d))
    return a.astype(np.float32), b.astype(np.float32)


def setup_function() -> None:
    fastgram._CACHE.clear()


@pytest.mark.parametrize("seed", [0, 1])
def test_double_float_grams_are_within_their_bound_of_the_exact_centred_grams(seed: int) -> None:
    a, b = _pair(seed)
    g = fastcca._grams(a, b)
    assert g is not None
    for key, (x, y) in {"xx": (a, a), "yy": (b, b), "xy": (a, b)}.items():
        G = _exact_gram(x, y)
        err2 = sum(((G[i][j] - Fraction(float(g[key].P[i, j])) - Fraction(float(g[key].T[i, j]))) ** 2
                    for i in range(len(G)) for j in range(len(G[0]))), Fraction(0))
        assert err2 <= g[key].delta ** 2
        assert g[key].delta < Fraction(1, 10**12)  # double-float: far below one float rounding of the Gram


def test_dprod_bound_holds_exactly() -> None:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((7, 9)) * np.logspace(-3, 3, 9)[None, :]
    Y = rng.standard_normal((9, 5))
    got = fastcca.dprod(X, Y)
    assert got is not None
    hi, lo, err = got
    for i in range(7):
        for j in range(5):
            exact = sum((Fraction(float(X[i, t])) * Fraction(float(Y[t, j])) for t in range(9)), Fraction(0))
            assert abs(exact - Fraction(float(hi[i, j])) - Fraction(float(lo[i, j]))) <= Fraction(float(err[i, j]))
    assert float(err.max()) < 1e-25 * float(np.abs(X).max() * np.abs(Y).max())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cca_sum_brackets_the_mpmath_value_tightly(seed: int) -> None:
    a, b = _pair(seed)
    got = fastcca.cca_sum(a, b)
    assert got is not None
    m, lo, hi = got
    rho = _mp_correlations(a, b)
    with mpmath.workdps(60):
        total = sum(rho[:m])
        assert mpmath.mpf(lo.numerator) / lo.denominator <= total <= mpmath.mpf(hi.numerator) / hi.denominator
    assert hi - lo < Fraction(1, 10**13)
    v = cca(a, b)  # the measure uses this path
    assert v.upper - v.lower <= Fraction(1, 10**12)
    assert float(v.lower) - 1e-15 <= float(total / m) <= float(v.upper) + 1e-15


def test_ill_conditioned_side_is_still_bracketed_or_declined() -> None:
    a, b = _pair(4)
    a = a * np.array([1, 1, 1, 1, 1, 1e-5], dtype=np.float32)[:, None]  # one neuron 10^5 smaller
    got = fastcca.cca_sum(a, b)
    rho = _mp_correlations(a, b)
    if got is not None:
        _, lo, hi = got
        assert float(lo) - 1e-14 <= float(sum(rho)) <= float(hi) + 1e-14
        assert float(lo) <= float(sum(rho)) * (1 + 1e-15) and float(sum(rho)) <= float(hi) * (1 + 1e-15)


def test_rank_deficient_side_is_declined_and_the_exact_path_decides() -> None:
    a, b = _pair(5)
    a = np.vstack([a, a[:1]])  # a repeated neuron: rank 6 of 7
    assert fastcca.cca_sum(a, b) is None  # full rank cannot be proved: it is not there
    rho = _mp_correlations(a[:6], b)  # the span is that of the first six
    v = cca(a, b)
    assert v.lower - Fraction(1, 10**14) <= Fraction(float(sum(rho) / 5)) <= v.upper + Fraction(1, 10**14)


def test_same_span_is_exactly_one_not_a_bracket() -> None:
    a, _ = _pair(6)
    b = (4 * a[::-1]).astype(np.float32)  # the same span, exactly (a permutation and a power of two): rho = 1
    got = fastcca.cca_sum(a, b)
    if got is not None:
        assert got[1] <= got[0] <= got[2] + Fraction(1, 10**9)
    assert cca(a, b).exact == 1
    assert shape(a, b, arg="0").exact == 0


@pytest.mark.parametrize("seed", [0, 7])
def test_svcca_sum_brackets_the_mpmath_value(seed: int) -> None:
    a, b = _pair(seed, n=7, m=6, d=30)
    got = fastcca.svcca_sum(a, b, 3)
    assert got is not None
    lo, hi = got
    rho = _mp_correlations(a, b, 3)
    assert float(lo) - 1e-15 <= float(sum(rho)) <= float(hi) + 1e-15
    assert hi - lo < Fraction(1, 10**11)
    v = svcca(a, b, arg="3")
    assert v.upper - v.lower <= Fraction(1, 10**12)
    assert float(v.lower) - 1e-15 <= float(sum(rho) / 3) <= float(v.upper) + 1e-15


def test_eigen_enclosure_contains_the_exact_eigenvalues() -> None:
    a, b = _pair(8)
    g = fastcca._grams(a, b)
    assert g is not None
    G = _exact_gram(a, a)
    with mpmath.workdps(60):
        ev = sorted(mpmath.eigsy(mpmath.matrix([[mpmath.mpf(x.numerator) / x.denominator for x in r] for r in G]),
                                 eigvals_only=True), reverse=True)
    enc = fastcca.eigen_enclosure(g["xx"], list(range(6)))
    assert enc is not None
    for i in range(6):
        lo = enc.lower[i]
        assert lo is not None and float(lo) <= float(ev[i]) <= float(enc.upper[i])
        assert enc.upper[i] - lo < Fraction(1, 10**9) * max(Fraction(1), enc.upper[i])


def test_many_random_pairs_inside_their_brackets() -> None:
    for seed in range(10, 22):
        rng = np.random.default_rng(seed)
        n, m, d = int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(12, 30))
        a = rng.standard_normal((n, d)) * float(2.0 ** rng.integers(-20, 20))
        b = rng.standard_normal((m, d)) + rng.standard_normal((m, n)) @ a / max(1e-300, float(np.abs(a).max()))
        fastgram._CACHE.clear()
        got = fastcca.cca_sum(a, b)
        assert got is not None
        rho = _mp_correlations(a, b)
        with mpmath.workdps(60):
            total = sum(rho[: got[0]])
            assert mpmath.mpf(got[1].numerator) / got[1].denominator <= total
            assert total <= mpmath.mpf(got[2].numerator) / got[2].denominator
        assert got[2] - got[1] < Fraction(1, 10**12)


def test_wider_float64_layers_agree_with_numpy_far_inside_float_error() -> None:
    rng = np.random.default_rng(9)
    a = rng.standard_normal((70, 400))
    b = rng.standard_normal((66, 70)) @ a + rng.standard_normal((66, 400))
    got = fastcca.cca_sum(a, b)
    assert got is not None
    X, Y = (a - a.mean(1, keepdims=True)).T, (b - b.mean(1, keepdims=True)).T
    ref = float(np.linalg.svd(np.linalg.qr(X)[0].T @ np.linalg.qr(Y)[0], compute_uv=False).sum())
    assert float(got[1]) - 1e-9 <= ref <= float(got[2]) + 1e-9  # numpy's error is about 1e-13 here
    assert got[2] - got[1] < Fraction(1, 10**11)


def test_svcca_declines_a_tie_of_singular_values() -> None:
    a = np.zeros((3, 12))
    a[0, :4] = [1, -1, 1, -1]
    a[1, 4:8] = [1, -1, 1, -1]  # rows 0 and 1: orthogonal, equal norms: lambda_1 = lambda_2
    a[2, 8:] = [0.5, -0.5, 0.5, -0.5]
    b = np.random.default_rng(1).standard_normal((3, 12))
    assert fastcca.svcca_sum(a, b, 1) is None  # the top-1 span is not defined: no gap to prove
    assert fastcca.svcca_sum(a, b, 2) is not None  # lambda_2 = 4 > lambda_3 = 1
    with pytest.raises(Exception, match="ill-defined|tie"):
        svcca(a, b, arg="1")


@pytest.mark.slow
def test_benchmark_shaped_pair_reaches_the_width_on_the_fast_path() -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((256, 4000)).astype(np.float32)
    b = (rng.standard_normal((256, 256)) @ a + 0.5 * rng.standard_normal((256, 4000))).astype(np.float32)
    got, sv = fastcca.cca_sum(a, b), fastcca.svcca_sum(a, b, 10)
    assert got is not None and sv is not None
    assert got[2] - got[1] <= Fraction(256, 10**12) / 2 and sv[1] - sv[0] <= Fraction(10, 10**12)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)  # centred in float64 (float32 centring errs by 1e-8)
    X, Y = (a64 - a64.mean(1, keepdims=True)).T, (b64 - b64.mean(1, keepdims=True)).T
    ref = float(np.linalg.svd(np.linalg.qr(X)[0].T @ np.linalg.qr(Y)[0], compute_uv=False).sum())
    assert float(got[1]) - 1e-9 <= ref <= float(got[2]) + 1e-9  # numpy's error: about 1e-12 here


def test_orthogonal_layers_are_exactly_zero_not_a_bracket() -> None:
    a, b = np.zeros((2, 16)), np.zeros((2, 16))
    a[0, :8] = [1, -1, 2, -2, 0, 0, 3, -3]
    a[1, :8] = [0, 1, -1, 0, 2, -2, 1, -1]
    b[0, 8:] = [2, -2, 1, -1, 0, 0, 1, -1]
    b[1, 8:] = [1, 0, -1, 0, 1, 0, -1, 0]  # every row sums to 0, the supports are disjoint: A_c B_cᵀ = 0
    got = fastcca.cca_sum(a, b)
    assert got is None or got[1] == 0  # the bracket touches 0: the fast path cannot (and does not) decide
    assert cca(a, b).exact == 0
