"""Mean canonical correlation (CCA) and SVCCA, certified by rational brackets.

Design note
-----------
Definition.  Let X = A_cᵀ and Y = B_cᵀ be the representations centred over the d points
(points x features; rows of A = neurons).  The canonical correlations rho_1 >= rho_2 >= ... of
X and Y are the cosines of the principal angles between the column spaces col(X) and col(Y)
in R^d; there are m = min(rank X, rank Y) of them.  When X and Y have full column rank they
are the singular values of the whitened cross-covariance Sxx^(-1/2) Sxy Syy^(-1/2), Sxx = XᵀX,
Sxy = XᵀY (the factor 1/(d - 1) of a covariance cancels, so biased and unbiased estimates give
the same correlations).  ``cca`` is the mean (rho_1 + ... + rho_m) / m, a similarity in [0, 1]
(netrep / repsim: "mean CCA", Raghu et al.'s rho-bar).  No regularisation is added: a rank
deficient side is handled by its exact rank, not by an epsilon.

``svcca:k`` (Raghu et al. 2017): each side is first replaced by its projection on its top-k
left singular directions (the span T of X v_1, ..., X v_k, v_i the eigenvectors of XᵀX of the k
largest eigenvalues); then mean CCA of the two k-dimensional spans.  T is well defined only when
lambda_k > lambda_(k+1); symrep certifies that gap, and reports the measure as ill-defined when the
floats see a tie (or k exceeds the rank).

Certificate.  Pick a rational (dyadic, from floats) W with r = rank X columns; F = X W spans col X
when W ᵀ XᵀX W = G is positive definite and rank X = r (exact rank).  With F = Q R (Q orthonormal),
RᵀR = G, so C = Wᵀ Sxy W_y = Rxᵀ (Qxᵀ Qy) Ry and the rho_i are the singular values of
Qxᵀ Qy.  If e >= |G - I|_F then the eigenvalues of G lie in [1 - e, 1 + e] and

    ||C||_* / sqrt((1 + ex)(1 + ey)) <= sum rho_i <= ||C||_* / sqrt((1 - ex)(1 - ey)),

with ||C||_* bracketed as in :mod:`symrep.measures.procrustes`: products only, no inversion.
Exact values: all rho_i = 0 when Sxy = 0; all rho_i = 1 when one span contains the other
(rank [A_c; B_c] = max(rank A_c, rank B_c)); then ``cca`` is exactly 0 or 1.

For ``svcca:k`` W = V' (top-k float eigenvectors scaled by lambda^(-1/2)); the proxy span T' = col(X V')
is compared with T by a Davis-Kahan argument: with D a rational diagonal, R = XᵀX V' - V' D,
b >= lambda_(k+1) certified by bI + Wk Wkᵀ - XᵀX being positive definite, (V'ᵀ XᵀX V' - b V'ᵀV')
positive definite (so lambda_k > b: the gap), and delta = min D - b > 0,

    ||P_T - P_T'||_2 <= sqrt(b) |R|_F / (delta sqrt(1 - e)) =: s,

and each canonical correlation moves by at most s_x + s_y (singular values are 1-Lipschitz in
the spectral norm), so the mean moves by at most s_x + s_y.  Positive definiteness is certified
by S = L Lᵀ + mu I + E with |E|_F < mu (:func:`pd_certificate`).

PWCCA (Morcos et al. 2018) weights each rho_i by the |<h_i, x_j>| of its canonical variable h_i;
those weights depend on the individual canonical vectors (irrational, and discontinuous where rho_i
tie), and symrep does not certify them: ``pwcca`` is not registered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from symrep.errors import InputError, InternalError
from symrep.exact.linalg import IntRows, rank
from symrep.measures import fastcca, fastgram
from symrep.measures.procrustes import (DEFAULT_WIDTH, Centred, NuclearBracket, dyadic, frob2, mul, nuclear_bracket,
                                        pair, tidy, to_float)
from symrep.measures.values import Measure, MeasureValue, register, sqrt_bracket

__all__ = ["CcaBracket", "cca_bracket", "svcca_bracket", "pd_certificate", "exact_rank"]


def gram_rank(G: np.ndarray) -> int:
    """The exact rank of an integer Gram matrix (the rank of the matrix whose Gram it is)."""
    rows = [[int(v) for v in r] for r in G.tolist()]
    return rank(IntRows(rows, [1] * len(rows), G.shape[1]))


def exact_rank(c: Centred) -> int:
    """The exact rank of the centred activations."""
    rows = [[int(v) for v in r] for r in c.ints.tolist()]
    return rank(IntRows(rows, [1] * len(rows), c.shape[1]))


def _root_lo(q: Fraction) -> Fraction:
    """A positive rational <= sqrt(q) (q > 0), relatively tight."""
    w = q / (1 << 256) if q < 1 else Fraction(1, 1 << 256)
    return sqrt_bracket(q, w)[0]


def _root_hi(q: Fraction) -> Fraction:
    """A rational >= sqrt(q) (q >= 0), relatively tight; exactly 0 for q = 0."""
    if q == 0:
        return Fraction(0)
    w = q / (1 << 256) if q < 1 else Fraction(1, 1 << 256) * max(Fraction(1), q)
    return sqrt_bracket(q, w)[1]


@dataclass(frozen=True)
class Whitening:
    """W = ints * scale (n x r) with G = Wᵀ (A_c A_cᵀ) W close to I: ``e >= |G - I|_F``."""

    ints: np.ndarray
    scale: Fraction
    e: Fraction


def _whiten_from(gram: np.ndarray, V: np.ndarray, lam: np.ndarray, e: int) -> Whitening:
    """The exact check of a proposed whitening: eigenvectors V, eigenvalues lam of gram / 2**e."""
    Wi, k = dyadic(V / _sqrt(lam)[None, :])
    return _checked(gram, Wi, Fraction(1, (1 << k) * (1 << (e // 2))))


def refine(gram: np.ndarray, w: Whitening) -> Whitening:
    """One Newton-Schulz step W (3I - G) / 2 in exact arithmetic (G = Wᵀ gram W = I + E becomes I + O(E²)), rounded."""
    a = w.scale.denominator.bit_length() - 1  # scale = 2**-a
    T = np.diag([3 << (2 * a)] * w.ints.shape[1]).astype(object) - mul(mul(w.ints.T, gram), w.ints)
    shift = a + 1  # W' = Wi T / 2**(3a + 1), kept at scale 2**-2a: Wi' = Wi T / 2**(a + 1), rounded
    P = mul(w.ints, T)
    Wi = (P + (1 << (shift - 1))) >> shift if shift > 0 else P
    return _checked(gram, Wi, Fraction(1, 1 << (2 * a)))


def _checked(gram: np.ndarray, Wi: np.ndarray, scale: Fraction) -> Whitening:
    """e >= |Wᵀ gram W - I|_F for W = Wi * scale (scale a power of 1/2), exactly."""
    G = mul(mul(Wi.T, gram), Wi)
    inv = scale.denominator**2  # scale = 1 / inv^(1/2): G_true = G / inv
    E = G - np.diag([inv] * len(G)).astype(object)
    e2 = Fraction(frob2(E), inv * inv)
    return Whitening(Wi, scale, _root_hi(e2) if e2 else Fraction(0))


def whitening(gram: np.ndarray, r: int) -> Whitening:
    """A whitening of the top r eigen-directions of an integer Gram matrix, checked exactly."""
    F, e = to_float(gram)
    lam, V = np.linalg.eigh(F)
    return _whiten_from(gram, V[:, ::-1][:, :r], np.maximum(lam[::-1][:r], 1e-300), e)


@dataclass(frozen=True)
class CcaBracket:
    """Certified ``lower <= sum of the m canonical correlations <= upper``, exact where known."""

    m: int
    lower: Fraction
    upper: Fraction
    exact: Optional[Fraction] = None
    witness: Optional[dict[str, Any]] = None

    def mean(self, name: str, width: Fraction = DEFAULT_WIDTH) -> MeasureValue:
        if self.exact is not None:
            v = self.exact / self.m
            return MeasureValue(name, v, v, exact=v)
        return tidy(name, self.lower / self.m, self.upper / self.m, width)


def _sum_bracket(nb: NuclearBracket, scale: Fraction, wx: Whitening, wy: Whitening, m: int) -> tuple[Fraction, Fraction]:
    if wx.e >= 1 or wy.e >= 1:
        raise InputError("cca: the floating-point whitening is too inaccurate to certify (the data are too "
                         "ill-conditioned); try svcca with a smaller k")
    u1 = _root_hi((1 + wx.e) * (1 + wy.e))
    l2 = _root_lo((1 - wx.e) * (1 - wy.e))
    lo = max(Fraction(0), nb.lower * scale / u1)
    hi = min(Fraction(m), nb.upper * scale / l2)
    return lo, max(lo, hi)


def cca_bracket(a: Any, b: Any, width: Fraction = DEFAULT_WIDTH) -> CcaBracket:
    """Certified bracket of the sum of the canonical correlations of the centred representations.

    >>> cca_bracket([[1, 2, 4, 0]], [[3, 6, 12, 0]]).exact  # the same span: rho = 1
    Fraction(1, 1)
    """
    A, B = pair(a, b)
    gx, gy, Gab = A.gram(A), B.gram(B), A.gram(B)
    rx, ry = gram_rank(gx), gram_rank(gy)
    if rx == 0 or ry == 0:
        raise InputError("cca is undefined: a representation is constant over the data")
    m = min(rx, ry)
    if not any(Gab.ravel()):
        return CcaBracket(m, Fraction(0), Fraction(0), Fraction(0))
    if gram_rank(np.block([[gx, Gab], [Gab.T, gy]])) == max(rx, ry):  # one span contains the other
        return CcaBracket(m, Fraction(m), Fraction(m), Fraction(m))
    wx, wy = whitening(gx, rx), whitening(gy, ry)
    lo = hi = Fraction(0)
    for k in (8, 64, 10**6):
        while max(wx.e, wy.e) > width / 16 and max(wx.e, wy.e) > Fraction(1, 10**200):
            old = max(wx.e, wy.e)
            wx, wy = (refine(gx, wx) if wx.e > width / 16 else wx), (refine(gy, wy) if wy.e > width / 16 else wy)
            if max(wx.e, wy.e) >= old / 4:  # no progress: the rounding floor
                break
        C = mul(mul(wx.ints.T, Gab), wy.ints)
        nb = nuclear_bracket(C, width / k, exact=False)
        lo, hi = _sum_bracket(nb, wx.scale * wy.scale, wx, wy, m)
        if hi - lo <= width * m:
            break
    return CcaBracket(m, lo, hi, None, {"wx": wx, "wy": wy, "nuclear": nb})


#: Bits of the eigen-proposals of svcca: float64, then mpmath (only up to _MP_SIZE neurons).
SV_PRECISIONS = (53, 120, 250)
_MP_SIZE = 40


def _eigh(S: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Eigenvalues (descending) and eigenvectors of S / 2**e, and e (even): float64, or mpmath numbers in object arrays."""
    F, e = to_float(S)
    if bits <= 53:
        lam, V = np.linalg.eigh(F)
        return lam[::-1], V[:, ::-1], e
    import mpmath  # type: ignore[import-untyped]

    with mpmath.workprec(bits):
        two = mpmath.mpf(2) ** e
        lam_m, V_m = mpmath.eigsy(mpmath.matrix([[mpmath.mpf(int(v)) / two for v in row] for row in S.tolist()]))
        order = sorted(range(len(S)), key=lambda i: -lam_m[i])
        lam = np.array([lam_m[i] for i in order], dtype=object)
        V = np.array([[V_m[r, i] for i in order] for r in range(len(S))], dtype=object)
    return lam, V, e


def _precision(bits: int) -> Any:
    """mpmath's working precision for proposals beyond float64 (a no-op context for float64)."""
    import contextlib

    if bits <= 53:
        return contextlib.nullcontext()
    import mpmath

    return mpmath.workprec(bits)


def _sqrt(x: np.ndarray) -> np.ndarray:
    """Elementwise square root of max(x, 0) for float64 or mpmath object arrays."""
    if x.dtype == object:
        import mpmath

        return np.array([mpmath.sqrt(max(v, 0)) for v in x], dtype=object)
    return np.sqrt(np.maximum(x, 0))


def _exact(x: Any) -> Fraction:
    """A float64 or mpmath number as the exact rational it is."""
    if isinstance(x, (float, np.floating)):
        return Fraction(float(x))
    sign, man, exp, _ = x._mpf_
    q = Fraction(-int(man) if sign else int(man)) * Fraction(2) ** int(exp)
    return q


def pd_certificate(S: np.ndarray, bits: int = 53) -> Optional[tuple[np.ndarray, Fraction, Fraction]]:
    """``(Li, scale, mu)`` with ``S = L Lᵀ + mu I + E``, ``L = Li * scale``, ``|E|_F < mu``: S is positive definite.

    S is an integer symmetric matrix; None when the float proposal does not certify it.

    >>> pd_certificate(np.array([[2, 1], [1, 2]], dtype=object)) is not None
    True
    >>> pd_certificate(np.array([[1, 2], [2, 1]], dtype=object)) is None
    True
    """
    lam, V, e = _eigh(S, bits)
    lam, V = lam[::-1], V[:, ::-1]  # ascending: lam[0] is the smallest
    if lam[0] <= 0:
        return None
    mu = _exact(lam[0]) / 2 * (1 << e)
    Li, k = dyadic(V * _sqrt(lam - lam[0] / 2)[None, :])
    # E * 4**k = S * 4**k - Li Liᵀ 2**e - mu 4**k I
    E4 = S * (1 << (2 * k)) - mul(Li, Li.T) * (1 << e)
    mu4 = mu * (1 << (2 * k))
    diag = [E4[i, i] for i in range(len(S))]
    e2 = Fraction(frob2(E4)) - sum((Fraction(int(x)) ** 2 for x in diag), Fraction(0))
    e2 += sum(((int(x) - mu4) ** 2 for x in diag), Fraction(0))
    if e2 >= mu4 * mu4:
        return None
    return Li, Fraction(1 << (e // 2), 1 << k), mu


def _refine_eigen(gram: np.ndarray, Wi: np.ndarray, a: int, D: list[Fraction], lam: Any, V: Any,
                  e: int) -> tuple[np.ndarray, int, list[Fraction]]:
    """One mixed-precision refinement of the top eigenvectors W = Wi / 2**a (eigenvalues D) of gram.

    The residual R = gram W - W D is exact; its correction -sum_l v_l (v_lᵀ r_i) / (lambda_l - D_i)
    (l != i, the float eigenbasis) is computed in float64 and added exactly, then each column is
    rescaled by 1 - (w_iᵀ gram w_i - 1) / 2 and D_i set to its Rayleigh quotient: the residual goes
    from about eps to about eps² (the certificate is checked afterwards, whatever the floats did).
    """
    k = Wi.shape[1]
    dd = math.lcm(*(q.denominator for q in D))
    Rint = mul(gram, Wi) * dd - mul(Wi, np.diag([int(q * dd) for q in D]).astype(object))
    Rf, er = to_float(Rint)  # R = Rf 2**er / (2**a dd)
    lamf = np.asarray(lam, dtype=float)
    Df = np.array([float(q / (1 << e)) for q in D])
    den = lamf[:, None] - Df[None, :]
    den[np.arange(k), np.arange(k)] = np.inf  # no correction along the column itself
    coef = (np.asarray(V, dtype=float).T @ Rf) / den
    c = math.ldexp(1.0, er - e) / ((1 << a) * dd) if er - e - a < 1000 else 0.0
    dWi, kd = dyadic(np.ascontiguousarray(-(np.asarray(V, dtype=float) @ coef) * c))
    a2 = max(a, kd)
    W2 = Wi * (1 << (a2 - a)) + dWi * (1 << (a2 - kd))
    G = mul(mul(W2.T, gram), W2)
    t = a2 + 60
    cols = []
    for i in range(k):
        g = Fraction(int(G[i, i]), 1 << (2 * a2))
        cols.append([round(Fraction(int(x)) * (3 - g) / 2 * (1 << (t - a2))) for x in W2[:, i]])
    W3 = np.array(cols, dtype=object).T.copy()
    G3, WW = mul(mul(W3.T, gram), W3), mul(W3.T, W3)
    D3 = []
    for i in range(k):
        q = Fraction(int(G3[i, i]), int(WW[i, i]))
        sh = max(0, 140 - (q.numerator.bit_length() - q.denominator.bit_length()))
        D3.append(Fraction(round(q * (1 << sh)), 1 << sh))
    return W3, t, D3


def _top_side(gram: np.ndarray, k: int, rk: int, bits: int = 53,
              steps: int = 0) -> tuple[Whitening, Fraction, dict[str, Any]]:
    """The top-k whitening of one side and s >= ||P_T - P_T'||_2 (Davis-Kahan), with its certificate."""
    n = len(gram)
    if k > rk:
        raise InputError(f"svcca:{k} is ill-defined: a side has rank {rk} < {k} (its top-{k} directions are not unique)")
    lam, V, e = _eigh(gram, bits)
    if k == rk:  # the whole column space: no perturbation
        return whitening(gram, k), Fraction(0), {}
    if not lam[k - 1] - lam[k] > 1e-9 * max(lam[0], 1e-300):
        raise InputError(f"svcca:{k} is ill-defined or too close to call: singular values {k} and {k + 1} of a side "
                         "tie (to float precision)")
    w = _whiten_from(gram, V[:, :k], lam[:k], e)
    b = (_exact(lam[k - 1]) + _exact(lam[k])) / 2 * (1 << e)
    D = [_exact(x) * (1 << e) for x in lam[:k]]
    Wi, a = w.ints, w.scale.denominator.bit_length() - 1
    for _ in range(steps):
        Wi, a, D = _refine_eigen(gram, Wi, a, D, lam, V, e)
    if steps:
        w = _checked(gram, Wi, Fraction(1, 1 << a))
    delta = min(D) - b
    # R = gram V' - V' D with V' = Wi * scale: R / scale = gram Wi - Wi D (D has dyadic entries)
    dd = math.lcm(*(q.denominator for q in D))
    Di = np.diag([int(q * dd) for q in D]).astype(object)
    R = mul(gram, w.ints) * dd - mul(w.ints, Di)
    r2 = Fraction(frob2(R), dd * dd) * w.scale**2
    # (i) b I + Wk Wkᵀ - gram positive definite, Wk = V_k diag(sqrt(lam_i - b + mu)), mu = (b - lam_(k+1)) in float units
    mid = (lam[k - 1] + lam[k]) / 2  # b / 2**e, as the proposal's numbers
    Wk, kk = dyadic(V[:, :k] * _sqrt(lam[:k] - mid + (lam[k - 1] - lam[k]) / 2)[None, :])
    bd = b.denominator
    S1 = (mul(Wk, Wk.T) * (1 << e) * bd + np.diag([b.numerator << (2 * kk)] * n).astype(object)
          - gram * (bd << (2 * kk)))
    # (ii) V'ᵀ gram V' - b V'ᵀ V' positive definite (in units of scale**-2)
    S2 = mul(mul(w.ints.T, gram), w.ints) * bd - mul(w.ints.T, w.ints) * b.numerator
    c1, c2 = pd_certificate(S1, bits), pd_certificate(S2, bits)
    if c1 is None or c2 is None or delta <= 0:
        raise InputError(f"svcca:{k} is ill-defined or too close to call: the gap between singular values {k} and "
                         f"{k + 1} of a side could not be certified")
    root_b, r, root_e = _root_hi(b), _root_hi(r2), _root_lo(1 - w.e)
    s = root_b * r / (delta * root_e)
    # the certificates in the units of gram (callers rescale to theirs): S1 * pd1_scale = L Lᵀ + mu I + E, etc.
    return w, s, {"b": b, "d": D, "s": s, "root_b": root_b, "r": r, "root_e": root_e,
                  "wk": Wk, "wk_scale": Fraction(1 << (e // 2), 1 << kk), "pd1": c1, "pd1_scale": Fraction(bd << (2 * kk)),
                  "pd2": c2, "pd2_scale": bd / w.scale**2}


def svcca_bracket(a: Any, b: Any, k: int, width: Fraction = DEFAULT_WIDTH) -> CcaBracket:
    """Certified bracket of the sum of the k canonical correlations of the top-k SVD spans of both sides.

    >>> v = svcca_bracket([[1, 0, 0, 0], [0, 2, 0, 0]], [[1, 0, 0, 0], [0, 0, 3, 0]], 1)
    >>> round(float(v.lower), 10), round(float(v.upper), 10)  # as NumPy's SVD and QR give it
    (0.265291195, 0.265291195)
    """
    A, B = pair(a, b)
    if k < 1:
        raise InputError(f"svcca:{k}: k must be at least 1")
    gx, gy, gab = A.gram(A), B.gram(B), A.gram(B)
    rx, ry = gram_rank(gx), gram_rank(gy)
    out = None
    for bits, steps in [(53, 0), (53, 1), (53, 2)] + [(b, 0) for b in SV_PRECISIONS[1:]]:
        if bits > 53 and max(len(gx), len(gy)) > _MP_SIZE:
            break
        with _precision(bits):  # every mpmath operation on the proposals at this precision
            wx, sx, cx = _top_side(gx, k, rx, bits, steps)
            wy, sy, cy = _top_side(gy, k, ry, bits, steps)
        if not cx and not cy:
            return cca_bracket(a, b, width)
        C = mul(mul(wx.ints.T, gab), wy.ints)
        nb = nuclear_bracket(C, width / 8, exact=False)
        lo, hi = _sum_bracket(nb, wx.scale * wy.scale, wx, wy, k)
        lo, hi = max(Fraction(0), lo - k * (sx + sy)), min(Fraction(k), hi + k * (sx + sy))
        out = CcaBracket(k, lo, max(lo, hi), None, {"wx": wx, "wy": wy, "nuclear": nb, "x": cx, "y": cy})
        if hi - lo <= width * k:
            break
    if out is None:  # the first precision, float64, always proposes
        raise InternalError(f"internal error: svcca:{k}: no proposal at any precision")
    return out


# --- second-order sum of the correlations (measure values only) -----------------------------------

def _exact_whitening(gram: np.ndarray) -> Optional[tuple[np.ndarray, Fraction, np.ndarray]]:
    """``(Wi, scale, E)``: W = Wi * scale from the float eigenvectors and ``E = Wᵀ gram W - I`` as exact floats' source.

    E is returned as float64, correctly rounded from the exact integers (each entry within u of itself).
    """
    F, e = to_float(gram)
    lam, V = np.linalg.eigh(F)
    if not lam[0] > 0:
        return None
    Wi, k = dyadic(V / np.sqrt(lam)[None, :])
    scale = Fraction(1, (1 << k) * (1 << (e // 2)))
    inv = scale.denominator**2
    E = mul(mul(Wi.T, gram), Wi) - np.diag([inv] * len(gram)).astype(object)
    return Wi, scale, np.ldexp(E.astype(float), -(inv.bit_length() - 1))  # float(int) rounds to nearest


def _fro(M: np.ndarray) -> float:
    """An upper bound (inflated for its own rounding) on the Frobenius norm of a float matrix."""
    return float(np.sqrt(np.sum(M * M))) * 1.001


def second_order_sum(a: Any, b: Any) -> Optional[tuple[int, Fraction, Fraction]]:
    """``(m, lo, hi)`` with ``lo <= rho_1 + ... + rho_m <= hi`` for full-rank float layers wider than 64 neurons, or None.

    With W from the float eigenvectors (no exact refinement), E = WᵀGW - I exact, K = (I + E)^(-1/2)
    and ``|E|_F <= e``: the correlations are the singular values of ``Kx C Ky`` (``C = Wxᵀ A_c B_cᵀ Wy``,
    exact), ``K = I - E/2 + R`` with ``||R||_2 <= q = (3/8) e² (1 - e)^(-5/2)``, so the sum is
    ``||(I - Ex/2) C (I - Ey/2)||_*`` within ``||C||_* (qx (1 - ey)^(-1/2) + (1 + ex/2) qy)``: second order
    in e, where the bracket of :func:`cca_bracket` is first order (and needs exact Newton-Schulz steps).
    The nuclear norm is bracketed by :func:`symrep.measures.fastgram.nuclear_float` with a proved bound
    on the float evaluation.  Ranks are full because e < 1 for a square W.
    """
    if not all(isinstance(v, np.ndarray) and v.ndim == 2 and v.dtype.kind == "f" for v in (a, b)):
        return None
    if max(len(a), len(b)) <= 64 or max(len(a), len(b)) >= a.shape[1]:
        return None
    A, B = pair(a, b)
    wx, wy = _exact_whitening(A.gram(A)), _exact_whitening(B.gram(B))
    if wx is None or wy is None:
        return None
    (Wx, sx, Ex), (Wy, sy, Ey) = wx, wy
    ex, ey = (Fraction(_fro(np.abs(E) * (1 + 2.0**-52))) for E in (Ex, Ey))
    if max(ex, ey) >= Fraction(1, 4):
        return None
    Ci = mul(mul(Wx.T, A.gram(B)), Wy)
    s = sx * sy  # a power of 1/2
    Cf = np.ldexp(Ci.astype(float), -(s.denominator.bit_length() - 1))  # each entry within u of C
    T1 = Ex @ Cf
    T2 = Cf @ Ey
    T3 = T1 @ Ey
    P1 = Cf - T1 / 2
    P2 = P1 - T2 / 2
    C2 = P2 + T3 / 4
    u, g = 2.0**-53, 1.01 * Cf.shape[0] * 2.0**-53 + 1.01 * Cf.shape[1] * 2.0**-53
    nC, nEx, nEy = _fro(Cf), _fro(Ex), _fro(Ey)
    delta = ((1 + float(ex)) * (1 + float(ey)) * u * nC * 1.01 + u * (nEx + nEy) * nC * 1.01 * (1 + float(ey))
             + g * (nEx * nC + nC * nEy + _fro(T1) * nEy + nEx * nC * nEy) + u * (_fro(P1) + _fro(P2) + _fro(C2)))
    nb = fastgram.nuclear_float(C2, Fraction(delta * 1.01))
    if nb is None:
        return None
    q = [Fraction(3, 8) * e * e / (1 - e) ** 3 for e in (ex, ey)]  # (1 - e)^(-5/2) <= (1 - e)^(-3)
    tau = q[0] / (1 - ey) + (1 + ex / 2) * q[1]  # (1 - e)^(-1/2) <= (1 - e)^(-1)
    c_norm = nb.upper / ((1 - ex / 2) * (1 - ey / 2))
    m = min(len(a), len(b))
    lo, hi = max(Fraction(0), nb.lower - tau * c_norm), min(Fraction(m), nb.upper + tau * c_norm)
    return m, lo, max(lo, hi)


def _fast_cca(a: Any, b: Any, width: Fraction) -> Optional[MeasureValue]:
    got = fastcca.cca_sum(a, b)
    if got is None or got[2] - got[1] > width * got[0] / 2:
        got = second_order_sum(a, b)
    if got is None:
        return None
    m, lo, hi = got
    if hi - lo > width * m / 2 or hi >= m * (1 - width) or lo <= 0:  # too wide, or near exact 1 or 0: exact path
        return None
    return tidy("cca", lo / m, hi / m, width)


def _need(v: MeasureValue, width: Fraction) -> MeasureValue:
    if v.upper - v.lower > width * max(Fraction(1), abs(v.upper)):
        raise InputError(f"{v.name}: the certified bracket [{float(v.lower)!r}, {float(v.upper)!r}] is wider than "
                         f"{float(width)!r}: the data are too ill-conditioned for float64 proposals")
    return v


def cca(a: Any, b: Any, *, width: Fraction = DEFAULT_WIDTH, arg: str | None = None) -> MeasureValue:
    """Mean canonical correlation of the centred representations (rows = neurons), certified.

    >>> cca([[1, 2, 4, 0]], [[0, 1, 0, 0]]).contains(Fraction(0))
    False
    """
    width = Fraction(width)
    fast = _fast_cca(a, b, width)
    if fast is not None:
        return fast
    return _need(cca_bracket(a, b, width).mean("cca", width), width)


def svcca(a: Any, b: Any, *, width: Fraction = DEFAULT_WIDTH, arg: str | None = None) -> MeasureValue:
    """SVCCA: mean CCA of the top-k singular directions of each side (``arg`` = k), certified."""
    width = Fraction(width)
    try:
        k = int(arg or "")
    except ValueError:
        raise InputError(f"svcca:{arg}: k must be a whole number, as in svcca:10") from None
    if not 1 <= k <= 100_000:
        raise InputError(f"svcca:{arg}: k must be between 1 and 100000")
    fast = fastcca.svcca_sum(a, b, k)
    if fast is not None and fast[1] - fast[0] <= width * k * 15 / 16 and 0 < fast[0] and fast[1] < k * (1 - width):
        return tidy(f"svcca:{k}", fast[0] / k, fast[1] / k, width)
    return _need(svcca_bracket(a, b, k, width).mean(f"svcca:{k}", width), width)


register(Measure("cca", "mean canonical correlation of the centred representations (cosines of the principal angles "
                 "of the column spaces; no regularisation)", distance=False, evaluate=cca))
register(Measure("svcca", "SVCCA (Raghu et al. 2017): mean CCA of the top-k singular directions of each side, "
                 "svcca:K", distance=False, evaluate=svcca, takes_arg=True))
