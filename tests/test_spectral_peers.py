"""The peers' formulas, in float64, land inside symrep's certified brackets on random pairs.

netrep and repsim are not installable here, so their computations are re-written from their
published formulas (written for this test, not copied): netrep's ``LinearMetric`` (partial
whitening ``whiten(X, alpha)``, the SVD alignment, the angular and Euclidean scores) and its Bures
form on the Gram matrices of the points (``sq_bures_metric``: repsim's kernel route to the same
shape distance, which never forms XᵀY); Kornblith et al.'s linear CKA; Raghu et al.'s SVCCA and the
mean of Google's ``cca_core`` coefficients; Morcos et al.'s PWCCA.  Each float value must lie in the
bracket up to the float computation's own error (a few hundred ulps of the values involved here).
"""

from __future__ import annotations

import numpy as np
import pytest

from symrep.measures.catalog import lookup

TOL = 1e-9  # float64 error of these small computations (condition numbers below ~1e4) is far below


def centre(M):
    return M - M.mean(axis=0, keepdims=True)  # points x neurons


def netrep_whiten(X, alpha, tol=1e-7):
    if alpha > 1 - tol:
        return X
    lam, V = np.linalg.eigh(X.T @ X)
    lam = np.maximum(lam, tol)
    d = alpha + (1 - alpha) * lam ** -0.5
    new_var = np.sum(alpha**2 * lam + 2 * alpha * (1 - alpha) * lam**0.5 + (1 - alpha) ** 2)
    d *= np.sqrt(np.sum(lam) / new_var)
    return X @ ((V * d[None, :]) @ V.T)


def netrep_linear_metric(X, Y, alpha, score):
    """netrep LinearMetric(alpha, center_columns=True, zero_pad=True, score_method=score).fit_score(X, Y)."""
    n = max(X.shape[1], Y.shape[1])
    X = np.pad(X, ((0, 0), (0, n - X.shape[1])))
    Y = np.pad(Y, ((0, 0), (0, n - Y.shape[1])))
    Xw, Yw = netrep_whiten(centre(X), alpha), netrep_whiten(centre(Y), alpha)
    U, _, Vt = np.linalg.svd(Xw.T @ Yw)
    tX, tY = Xw @ U, Yw @ Vt.T
    if score == "angular":
        return float(np.arccos(np.clip(np.sum(tX * tY) / (np.linalg.norm(tX) * np.linalg.norm(tY)), -1, 1)))
    return float(np.linalg.norm(tX - tY))


def bures_distance(X, Y):
    """sqrt of the Bures metric of the centred Gram matrices of the points (d x d), and its own float error.

    The Grams have rank <= the widths, and the eigenvalues that should be 0 come out about
    eps * lambda_max, whose square roots enter the nuclear norm: an error of about
    d sqrt(eps lambda_max) in d², which this route cannot avoid.
    """
    Kx, Ky = centre(X) @ centre(X).T, centre(Y) @ centre(Y).T
    va, ua = np.linalg.eigh(Kx)
    vb, ub = np.linalg.eigh(Ky)
    sva, svb = np.sqrt(np.maximum(va, 0)), np.sqrt(np.maximum(vb, 0))
    nuc = np.linalg.svd((sva[:, None] * ua.T) @ (ub * svb[None, :]), compute_uv=False).sum()
    d2 = max(va.sum() + vb.sum() - 2 * nuc, 0)
    err = 4 * len(Kx) * np.sqrt(np.finfo(float).eps * max(va.max(), vb.max()))
    return float(np.sqrt(d2)), float(err / max(np.sqrt(d2), 1e-300))


def linear_cka(X, Y):
    X, Y = centre(X), centre(Y)
    return float(np.linalg.norm(X.T @ Y) ** 2 / (np.linalg.norm(X.T @ X) * np.linalg.norm(Y.T @ Y)))


def cca_core(X, Y):
    """Canonical correlations (descending) as Google's cca_core computes them, without its epsilon."""
    X, Y = centre(X).T, centre(Y).T  # neurons x points
    sxx, syy, sxy = X @ X.T, Y @ Y.T, X @ Y.T
    ix = np.linalg.inv(np.linalg.cholesky(sxx))
    iy = np.linalg.inv(np.linalg.cholesky(syy))
    return np.linalg.svd(ix @ sxy @ iy.T, compute_uv=False)


def svcca(X, Y, k):
    def top(M):
        U, s, _ = np.linalg.svd(centre(M), full_matrices=False)
        return U[:, :k] * s[:k]
    return float(cca_core(top(X), top(Y)).mean())


def pwcca(X, Y):
    Xc, Yc = centre(X).T, centre(Y).T
    if len(Yc) < len(Xc):
        Xc, Yc = Yc, Xc
    ix = np.linalg.inv(np.linalg.cholesky(Xc @ Xc.T))
    iy = np.linalg.inv(np.linalg.cholesky(Yc @ Yc.T))
    u, rho, _ = np.linalg.svd(ix @ (Xc @ Yc.T) @ iy.T)
    P, _ = np.linalg.qr(((ix.T @ u).T @ Xc).T)
    w = np.abs(P.T @ Xc.T).sum(axis=1)
    return float((w / w.sum()) @ rho[: len(Xc)])


def references(X, Y):
    """Every peer value for points x neurons float64 arrays X, Y."""
    rho = cca_core(X, Y)
    return {
        "procrustes": [netrep_linear_metric(X, Y, 1.0, "euclidean"), bures_distance(X, Y)],  # (value, own error)
        "angular_procrustes": [netrep_linear_metric(X, Y, 1.0, "angular")],
        "shape:1": [netrep_linear_metric(X, Y, 1.0, "angular")],
        "shape:0": [netrep_linear_metric(X, Y, 0.0, "angular"),
                    float(np.arccos(min(1.0, rho.sum() / np.sqrt(X.shape[1] * Y.shape[1]))))],
        "cka": [linear_cka(X, Y)],
        "cca": [float(rho.mean())],
        "svcca:2": [svcca(X, Y, 2)],
        "pwcca": [pwcca(X, Y)],
    }


def random_pair(seed):
    """Float32 activations (as networks give them), points x neurons; every third pair strongly related."""
    rng = np.random.default_rng(seed)
    d, na, nb = int(rng.integers(10, 25)), int(rng.integers(2, 6)), int(rng.integers(2, 6))
    X = rng.standard_normal((d, na))
    Y = rng.standard_normal((d, nb))
    if seed % 3 == 0:
        Y = np.tanh(X @ rng.standard_normal((na, nb))) + 0.1 * Y
    return X.astype(np.float32), Y.astype(np.float32)


def check_pair(seed):
    X, Y = random_pair(seed)
    refs = references(X.astype(float), Y.astype(float))
    for name, values in refs.items():
        m, arg = lookup(name)
        v = m.evaluate(X.T, Y.T, arg=arg)  # the library's rows are neurons
        for x in values:
            x, tol = x if isinstance(x, tuple) else (x, TOL)
            assert float(v.lower) - tol <= x <= float(v.upper) + tol, (seed, name, x, float(v.lower), float(v.upper))


@pytest.mark.parametrize("seed", range(24))
def test_peers_agree_on_random_pairs(seed):
    check_pair(seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(24, 300))
def test_peers_agree_on_300_random_pairs(seed):
    check_pair(seed)


def test_the_peer_formulas_are_consistent_with_each_other():
    """The two routes to the same quantity agree (a check of the references themselves)."""
    X, Y = random_pair(1)
    X, Y = X.astype(float), Y.astype(float)
    refs = references(X, Y)
    value, err = refs["procrustes"][1]
    assert abs(refs["procrustes"][0] - value) < err
    assert abs(refs["shape:0"][0] - refs["shape:0"][1]) < 1e-6  # netrep's 1e-7 eigenvalue clip is the difference
