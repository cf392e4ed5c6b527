"""PWCCA (projection-weighted CCA, Morcos et al. 2018), certified by a rational bracket.

Design note
-----------
Definition and convention.  X = A_cᵀ, Y = B_cᵀ are the representations centred over the d points
(rows of A = neurons).  The *x side* is the side of smaller rank (the first on equal ranks;
Morcos et al. take the side with fewer neurons, the same for full-rank layers); r = its rank.
Its r canonical correlations rho_i, with unit canonical variates h_i in col(X) (``P_Y h_i =
rho_i g_i``, ``P_X g_i = rho_i h_i``, g_i unit in col(Y)), are weighted by how much of the layer
each explains, ``alpha_i = sum_j |<h_i, x_j>|`` over the x side's neurons x_j (rows of A_c):

    pwcca = sum_i alpha_i rho_i / sum_i alpha_i.

Where correlations tie the single h_i are not defined; symrep's convention attaches one weight to
each *canonical subspace* H of a tied group, ``alpha_H = sum_j |P_H x_j|``, which is the formula
above when the group has one member; so the value is defined for every pair of non-constant layers.
(Google's reference code adds the neuron means back into the canonical variates and weighs the
uncentred activations; symrep centres both, as its CCA does.)

Certificate.  Whitenings W_x, W_y (as :mod:`symrep.measures.cca`: e_x >= |W_xᵀ A_c A_cᵀ W_x - I|_F
< 1, ranks proved) give the bases F_x = A_cᵀ W_x, F_y; G_x = F_xᵀF_x, G_y, C = F_xᵀF_y exactly.
Proposals p_i, q_i, sigma_i (float singular vectors of the whitened C) define u_i = F_x p_i,
v_i = F_y q_i and w_i = (u_i, v_i) in col X (+) col Y, nearly unit.  The operator
J(u, v) = (P_X v, P_Y u) is symmetric with spectrum {+-rho_i} and zeros.  Because u_i, P_X v_i
lie in col X = col F_x (and lambda_min(G_x) >= 1 - e_x),

    |J w_i - sigma_i w_i|² <= |C q_i - sigma_i G_x p_i|² / (1 - e_x) + |Cᵀ p_i - sigma_i G_y q_i|² / (1 - e_y) <= e_i²

(no inverse is formed).  With |Gamma_ii - 1| <= e_w < 1 (Gamma_ii = |w_i|²) and u_lo <= (1 + e_w)^(-1/2),
u_hi >= (1 - e_w)^(-1/2), eps_i = e_i u_hi bounds the residual of the unit w_i / |w_i|, so an
eigenvalue of J lies within eps_i of sigma_i.  When the r intervals [sigma_i -+ eps_i] are
disjoint and positive, they hold r distinct positive eigenvalues; J has at most r, so each holds
exactly one, rho_(i), simple, and every rho is positive.  Its gap gamma_i = min(sigma_(i-1) -
eps_(i-1) - sigma_i, sigma_i - sigma_(i+1) - eps_(i+1)) (sigma_(r+1) = eps_(r+1) = 0: the zeros and
the negative eigenvalues are farther) gives sin(w_i, z_i) <= eps_i / gamma_i (Davis-Kahan) for the
eigenvector z_i = (h_i, g_i)/sqrt 2, so |w_i/|w_i| - z_i| <= sqrt 2 eps_i / gamma_i (sign chosen),
and with nu >= sum_j |x_j| (nu² >= n |A_c|_F²) and a~_i = |A_c A_cᵀ W_x p_i|_1 = sum_j |<u_i, x_j>|:

    alpha_i / sqrt 2  in  [a~_i u_lo - t_i, a~_i u_hi + t_i],   t_i = (3/2) nu eps_i / gamma_i,
    rho_i  in  [sigma_i - eps_i, min(1, sigma_i + eps_i)],

and pwcca lies in [sum lo_i rholo_i / sum hi_i, sum hi_i rhohi_i / sum lo_i] (a common factor
sqrt 2 cancels).  Exact values: 0 when A_c B_cᵀ = 0 (every rho is 0), 1 when one span contains the
other (every rho is 1; any weights).  Correlations that cannot be separated (a tie, or closer than
the proposals resolve) are refused: the bracket is then not certified, though the value is defined.

Refinement (exact path).  The float proposals are corrected first from *double-float* residuals
(C, G_x, G_y rounded to two floats each, the products by four-slice GEMMs: an estimate, nothing
certified), then from the exact residuals until the bracket is narrow; only the exact residuals of
the final vectors certify.  The whitening check's exact products ``Wᵀ g`` and ``Wᵀ g W`` are reused
for G_x and G_y.  :func:`combine_intervals` is :func:`combine` with per-pair normalisations and its
quotients rounded outwards to a grid ``2**-k`` far below the width (short numbers).

Fast path (:func:`fast_bracket`; measure values of float layers only, claim files keep the exact
path).  The same argument with the exact matrices replaced by the certified double-float objects of
:mod:`symrep.measures.fastcca`: W_x, W_y its float whitenings (n x n, both sides proved of full rank,
so the side with fewer neurons is the side of smaller rank), ``M_x = W_xᵀ G_x W_x = I + E_x' + D_x``
with ``|D_x|_F <= eta_x``, ``C = W_xᵀ G_xy W_y = C_h + C_l + D_C`` with ``|D_C|_F <= dC``
(:func:`~symrep.measures.fastcca.cross_dd`); p = P1 + P2, q, sigma = s1 + s2 double floats.  The
residual ``C q - sigma M_x p`` is evaluated as ``C_h Q1`` (four-slice, bound per entry) ``- s1 P1``
(Dekker's exact product) plus the small terms in float, each with its rounding bound, and
``dC |q_i| + |sigma_i| eta_x |p_i|`` added to its column norm; ``p_iᵀ M_x p_i`` likewise (``|P1|²`` from
:func:`~symrep.measures.fastcca.ddiag`), each pair normalised by its own ``|w_i|`` bounds; the weights
``|G_x W_x p_i|_1`` from ``G W`` (two floats within eP, plus ``sqrt(n) delta ||W||_2 |p_i|``) with a
correctly rounded sum.  Refined by the first-order correction from the float residuals.  Its floor is
the Grams' and the whitenings' bounds (about ``u 2**-b`` of ``|G| ||W||²``): on layers of a few hundred
neurons the Davis-Kahan quotients leave brackets of 1e-9 (128 x 2,000) to 1e-5 (512 x 10,000), so the
measure tries it only for widths of at least :data:`FAST_MIN_WIDTH` and declines (None) whenever the
bracket is wider than asked, a bound does not apply or correlations are not separated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional, Sequence

import numpy as np

from symrep.errors import InputError
from symrep.measures import fastcca, fastgram
from symrep.measures.cca import Whitening, _root_hi, _sqrt, gram_rank, refine
from symrep.measures.procrustes import DEFAULT_WIDTH, Centred, dyadic, frob2, mul, pair, tidy, to_float
from symrep.measures.values import Measure, MeasureValue, register, sqrt_bracket

__all__ = ["PwccaBracket", "pwcca_bracket", "combine", "pwcca"]

#: Exact-residual refinements of the float canonical vectors (each squares their error).
STEPS = 4
#: Relative precision of the rational square-root bounds (u_lo, u_hi, nu, e_i).
_ROOT = Fraction(1, 2**80)


def root_up(q: Fraction, rel: Fraction = _ROOT) -> Fraction:
    """A rational >= sqrt(q), about rel relative above it (0 for 0)."""
    if q <= 0:
        return Fraction(0)
    scale = q if q < 1 else Fraction(math.isqrt(q.numerator // q.denominator))
    return sqrt_bracket(q, rel * scale)[1]


def root_down(q: Fraction, rel: Fraction = _ROOT) -> Fraction:
    """A rational <= sqrt(q), about rel relative below it."""
    if q <= 0:
        return Fraction(0)
    scale = q if q < 1 else Fraction(math.isqrt(q.numerator // q.denominator))
    return sqrt_bracket(q, rel * scale)[0]


def combine(sig: Sequence[Fraction], e: Sequence[Fraction], at: Sequence[Fraction], u_lo: Fraction, u_hi: Fraction,
            nu: Fraction) -> tuple[Fraction, Fraction]:
    """The certified PWCCA bracket from the per-correlation ingredients (see the design note); InputError on a tie.

    >>> F = Fraction
    >>> combine([F(1, 2)], [F(0)], [F(3)], F(1), F(1), F(5))  # one correlation: its value
    (Fraction(1, 2), Fraction(1, 2))
    """
    r = len(sig)
    eps = [x * u_hi for x in e]
    for i in range(r):
        below = sig[i + 1] + eps[i + 1] if i + 1 < r else Fraction(0)
        if not sig[i] - eps[i] > below:
            raise InputError(f"pwcca: canonical correlations {i + 1} and {i + 2} could not be separated (a tie, or "
                             "closer than the proposals resolve): the bracket is not certified")
    lo_s = hi_s = num_lo = num_hi = Fraction(0)
    for i in range(r):
        above = sig[i - 1] - eps[i - 1] - sig[i] if i else None
        below = sig[i] - (sig[i + 1] + eps[i + 1] if i + 1 < r else Fraction(0))
        gamma = below if above is None else min(above, below)
        t = Fraction(3, 2) * nu * eps[i] / gamma
        lo, hi = max(Fraction(0), at[i] * u_lo - t), at[i] * u_hi + t
        lo_s, hi_s = lo_s + lo, hi_s + hi
        num_lo += lo * max(Fraction(0), sig[i] - eps[i])
        num_hi += hi * min(Fraction(1), sig[i] + eps[i])
    lower = num_lo / hi_s if hi_s else Fraction(0)
    upper = min(Fraction(1), num_hi / lo_s) if lo_s else Fraction(1)
    return lower, max(lower, upper)


@dataclass(frozen=True)
class PwccaBracket:
    """Certified ``lower <= pwcca <= upper`` (exact 0 or 1 where known), with the library's witness."""
    lower: Fraction
    upper: Fraction
    swap: bool
    exact: Optional[Fraction] = None
    witness: Optional[dict[str, Any]] = None


def _pow2(w: Whitening) -> int:
    """a with w.scale = 2**-a."""
    return w.scale.denominator.bit_length() - 1


def _float_of(M: np.ndarray, exp: int) -> np.ndarray:
    """The float64 value of M * 2**-exp (M integers)."""
    F, e = to_float(M)
    return np.ldexp(F, e - exp)


def _proposals(Gx: np.ndarray, Gy: np.ndarray, C: np.ndarray, ax: int, ay: int) -> tuple[Any, Any, Any, Any]:
    """Float p, q (scaled by 1/sqrt 2), sigma and the rest q_perp (G_y-orthonormal): C q = sigma G_x p, Cᵀ p = sigma G_y q."""
    return _proposals_f(_float_of(Gx, 2 * ax), _float_of(Gy, 2 * ay), _float_of(C, ax + ay))


def _proposals_f(gx: np.ndarray, gy: np.ndarray, c: np.ndarray) -> tuple[Any, Any, Any, Any]:
    """:func:`_proposals` from float matrices."""
    Lx, Ly = np.linalg.cholesky(gx), np.linalg.cholesky(gy)
    M = np.linalg.solve(Lx, np.linalg.solve(Ly, c.T).T)
    U, s, Vt = np.linalg.svd(M, full_matrices=True)
    r = gx.shape[0]
    p = np.linalg.solve(Lx.T, U[:, :r]) / math.sqrt(2)
    V = np.linalg.solve(Ly.T, Vt.T)
    return p, V[:, :r] / math.sqrt(2), s[:r], V[:, r:]


def _column_norms2(M: np.ndarray, exp: int) -> list[Fraction]:
    """|column j|² of M * 2**-exp, exactly (Python integers: no overflow)."""
    Mo = M if M.dtype == object else M.astype(object)
    sq = (Mo * Mo).sum(axis=0) if M.shape[0] else [0] * M.shape[1]
    return [Fraction(int(v), 1 << (2 * exp)) for v in sq]


def _exact_residual(C: np.ndarray, cexp: int, Q: np.ndarray, kq: int, G: np.ndarray, gexp: int, P: np.ndarray, kp: int,
                    S: np.ndarray, ks: int, GP: Optional[np.ndarray] = None) -> tuple[np.ndarray, int]:
    """C Q - G P diag(S) (all integer matrices times powers of 1/2) as (integers, exponent); GP = G P if known."""
    t1, e1 = mul(C, Q), cexp + kq
    t2, e2 = (mul(G, P) if GP is None else GP) * S[None, :], gexp + kp + ks
    E = max(e1, e2)
    return t1 * (1 << (E - e1)) - t2 * (1 << (E - e2)), E


def _add(X: np.ndarray, k: int, dF: np.ndarray) -> tuple[np.ndarray, int]:
    """The dyadic X / 2**k plus the float64 array dF, exactly."""
    D, kd = dyadic(np.ascontiguousarray(dF))
    t = max(k, kd)
    return X * (1 << (t - k)) + D * (1 << (t - kd)), t


def _correct(pf: Any, qf: Any, qp: Any, sf: Any, R1: tuple[np.ndarray, int], R2: tuple[np.ndarray, int],
             gp: Any, gq: Any) -> tuple[Any, Any, Any]:
    """First-order corrections (float) of p, q, sigma from the exact residuals (see the design note's refinement)."""
    return _correct_f(pf, qf, qp, sf, _float_of(*R1), _float_of(*R2), gp, gq)


def _correct_f(pf: Any, qf: Any, qp: Any, sf: Any, r1: np.ndarray, r2: np.ndarray, gp: Any, gq: Any) -> tuple[Any, Any, Any]:
    """:func:`_correct` from the float residuals."""
    c1, c2 = 2 * pf.T @ r1, 2 * qf.T @ r2  # <u_l, rho1_i>, <v_l, rho2_i> for the unit u = sqrt 2 F_x p
    si, sl = sf[None, :], sf[:, None]
    den = si * si - sl * sl
    np.fill_diagonal(den, 1.0)
    den[den == 0] = np.inf  # a float tie: no correction inside it (the certificate then refuses the tie)
    a, b = (si * c1 + sl * c2) / den, (sl * c1 + si * c2) / den
    np.fill_diagonal(a, gp / 2)  # gp = 1 - |u_i|², exactly then rounded
    np.fill_diagonal(b, gq / 2)
    dq = qf @ b
    if qp.shape[1]:
        dq += qp @ ((qp.T @ r2) / np.where(sf > 0, sf, np.inf)[None, :])
    return pf @ a, dq, (np.diag(c1) + np.diag(c2)) / 2


def _two_floats(M: np.ndarray, exp: int) -> tuple[np.ndarray, np.ndarray]:
    """Floats hi, lo with M * 2**-exp ~ hi + lo to about twice float precision (an estimate: M integers)."""
    hi = _float_of(M, exp)
    D, kd = dyadic(np.ascontiguousarray(hi))
    t = max(exp, kd)
    return hi, _float_of(M * (1 << (t - exp)) - D * (1 << (t - kd)), t)


def _df_times(Mh: np.ndarray, Ml: np.ndarray, X: np.ndarray) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """``(Mh + Ml) X`` as two floats (an estimate), or None out of range."""
    got = fastcca.dprod(Mh, X)
    if got is None:
        return None
    return got[0], got[1] + Ml @ X


def _df_correction(Gx: np.ndarray, Gy: np.ndarray, C: np.ndarray, ax: int, ay: int, pf: Any, qf: Any, qp: Any,
                   sf: Any) -> Optional[tuple[Any, Any, Any]]:
    """The first correction of the float proposals from double-float residuals instead of exact ones.

    Only a proposal (the exact residuals of the corrected vectors certify): it replaces the first exact
    refinement step, whose residuals of float-accurate vectors need about twice float precision, no more.
    """
    Ch, Cl = _two_floats(C, ax + ay)
    Gxh, Gxl = _two_floats(Gx, 2 * ax)
    Gyh, Gyl = _two_floats(Gy, 2 * ay)
    out = []
    for M1, M2, G1, G2, v, u in ((Ch, Cl, Gxh, Gxl, qf, pf), (np.ascontiguousarray(Ch.T), np.ascontiguousarray(Cl.T),
                                                               Gyh, Gyl, pf, qf)):
        a, g = _df_times(M1, M2, v), _df_times(G1, G2, u)
        dd = None if g is None else fastcca.ddiag(u, g[0])
        if a is None or g is None or dd is None:
            return None
        x, y = _two_prod(g[0], sf[None, :])
        out.append((a[0] - x) + ((a[1] - y) - g[1] * sf[None, :]))
        out.append((1 - 2 * dd[0]) - 2 * (dd[1] + np.einsum("ij,ij->j", u, g[1])))  # 1 - 2 uᵀ G u
    r1, f1, r2, f2 = out
    if not all(np.isfinite(z).all() for z in out):
        return None
    return _correct_f(pf, qf, qp, sf, r1, r2, f1, f2)


def _whitening_kept(gram: np.ndarray, r: int) -> tuple[Whitening, Optional[tuple[np.ndarray, np.ndarray]]]:
    """:func:`symrep.measures.cca.whitening` keeping its exact products ``Wiᵀ gram`` and ``Wiᵀ gram Wi`` (reused)."""
    F, e = to_float(gram)
    lam, V = np.linalg.eigh(F)
    Wi, k = dyadic(V[:, ::-1][:, :r] / _sqrt(np.maximum(lam[::-1][:r], 1e-300))[None, :])
    scale = Fraction(1, (1 << k) * (1 << (e // 2)))
    WtG = mul(Wi.T, gram)
    G = mul(WtG, Wi)
    inv = scale.denominator**2  # as cca._checked: G_true = G / inv
    E = G - np.diag([inv] * len(G)).astype(object)
    e2 = Fraction(frob2(E), inv * inv)
    return Whitening(Wi, scale, _root_hi(e2) if e2 else Fraction(0)), (WtG, G)


def _certify(A: Centred, gx: np.ndarray, gy: np.ndarray, gab: np.ndarray, wx: Whitening, wy: Whitening,
             width: Fraction, kx: Optional[tuple[np.ndarray, np.ndarray]] = None,
             ky: Optional[tuple[np.ndarray, np.ndarray]] = None) -> tuple[Fraction, Fraction, dict[str, Any]]:
    ax, ay = _pow2(wx), _pow2(wy)
    gxW = mul(gx, wx.ints) if kx is None else kx[0].T.copy()  # gx symmetric: gx W = (Wᵀ gx)ᵀ
    Gx = mul(wx.ints.T, gxW) if kx is None else kx[1]
    Gy = mul(mul(wy.ints.T, gy), wy.ints) if ky is None else ky[1]
    C = mul(mul(wx.ints.T, gab), wy.ints)
    pf, qf, sf, qp = _proposals(Gx, Gy, C, ax, ay)
    (P, kp), (Q, kq), (S2, ks) = (dyadic(np.ascontiguousarray(pf)), dyadic(np.ascontiguousarray(qf)),
                                  dyadic(np.ascontiguousarray(sf.reshape(1, -1))))
    S = S2[0]
    first = _df_correction(Gx, Gy, C, ax, ay, pf, qf, qp, sf)
    if first is not None:  # the first refinement from double floats (the exact steps below certify)
        dp, dq, ds = first
        (P, kp), (Q, kq) = _add(P, kp, dp), _add(Q, kq, dq)
        S, ks = (lambda t: (t[0][0], t[1]))(_add(S.reshape(1, -1), ks, ds.reshape(1, -1)))
    sA, rel = A.scale, min(_ROOT, width / 1024)
    nu = root_up(Fraction(A.shape[0] * A.frob2(), sA * sA), rel)
    for step in range(STEPS + 1):
        GxP, GyQ = mul(Gx, P), mul(Gy, Q)
        R1 = _exact_residual(C, ax + ay, Q, kq, Gx, 2 * ax, P, kp, S, ks, GxP)
        R2 = _exact_residual(C.T.copy(), ax + ay, P, kp, Gy, 2 * ay, Q, kq, S, ks, GyQ)
        r1, r2 = _column_norms2(*R1), _column_norms2(*R2)
        e = [fastgram.root_up(a / (1 - wx.e) + b / (1 - wy.e)) for a, b in zip(r1, r2)]
        gp = [Fraction(int(x), 1 << (2 * (ax + kp))) for x in (P * GxP).sum(axis=0)]
        gq = [Fraction(int(y), 1 << (2 * (ay + kq))) for y in (Q * GyQ).sum(axis=0)]
        ew = max(abs(x + y - 1) for x, y in zip(gp, gq))
        if ew >= 1:
            raise InputError("pwcca: the floating-point canonical vectors are too inaccurate to certify")
        u_lo, u_hi = root_down(1 / (1 + ew), rel), root_up(1 / (1 - ew), rel)
        GP = mul(gxW, P)  # A_c A_cᵀ W_x p in units 2**-(ax + kp) / sA
        at = [Fraction(sum(abs(int(v)) for v in GP[:, j]), (1 << (ax + kp)) * sA) for j in range(GP.shape[1])]
        sig = [Fraction(int(v), 1 << ks) for v in S]
        got = combine_intervals(sig, [x * u_hi for x in e], [x * u_lo for x in at], [x * u_hi for x in at], nu, width)
        if got is None and step == STEPS:
            raise InputError("pwcca: canonical correlations could not be separated (a tie, or closer than the "
                             "proposals resolve): the bracket is not certified")
        lo, hi = got if got is not None else (Fraction(0), Fraction(0))
        done = got is not None and hi - lo <= width * max(Fraction(1), hi) / 2
        if done or step == STEPS:
            break
        dp, dq, ds = _correct(pf, qf, qp, sf, R1, R2, np.array([float(1 - 2 * x) for x in gp]),
                              np.array([float(1 - 2 * x) for x in gq]))
        (P, kp), (Q, kq) = _add(P, kp, dp), _add(Q, kq, dq)
        S, ks = (lambda t: (t[0][0], t[1]))(_add(S.reshape(1, -1), ks, ds.reshape(1, -1)))
    w = {"p": (P, Fraction(1, 1 << kp)), "q": (Q, Fraction(1, 1 << kq)), "sigma": sig, "e": e, "ew": ew,
         "u_lo": u_lo, "u_hi": u_hi, "nu": nu}
    return lo, hi, w


def pwcca_bracket(a: Any, b: Any, width: Fraction = DEFAULT_WIDTH) -> PwccaBracket:
    """Certified bracket of PWCCA of the centred representations (rows = neurons).

    >>> pwcca_bracket([[1, 2, 4, 0]], [[3, 6, 12, 0]]).exact  # the same span: every rho is 1
    Fraction(1, 1)
    >>> v = pwcca_bracket([[1, 2, 4, 0, 1], [0, 1, 0, 3, 1]], [[1, 0, 2, 1, 0], [2, 1, 0, 0, 1]])
    >>> v.upper - v.lower < Fraction(1, 10**12)
    True
    """
    A, B = pair(a, b)
    gx, gy, gab = A.gram(A), B.gram(B), A.gram(B)
    rx, ry = gram_rank(gx), gram_rank(gy)
    if rx == 0 or ry == 0:
        raise InputError("pwcca is undefined: a representation is constant over the data")
    swap = ry < rx
    if not any(gab.ravel()):
        return PwccaBracket(Fraction(0), Fraction(0), swap, Fraction(0))
    if gram_rank(np.block([[gx, gab], [gab.T, gy]])) == max(rx, ry):
        return PwccaBracket(Fraction(1), Fraction(1), swap, Fraction(1))
    if swap:
        A, B, gx, gy, gab, rx, ry = B, A, gy, gx, gab.T.copy(), ry, rx
    (wx, kx), (wy, ky) = _whitening_kept(gx, rx), _whitening_kept(gy, ry)
    for _ in range(6):  # the proposals need a whitening good to float precision only where it is badly conditioned
        if max(wx.e, wy.e) <= Fraction(1, 2**20):
            break
        if wx.e > Fraction(1, 2**20):
            wx, kx = refine(gx, wx), None
        if wy.e > Fraction(1, 2**20):
            wy, ky = refine(gy, wy), None
    if max(wx.e, wy.e) >= 1:
        raise InputError("pwcca: the floating-point whitening is too inaccurate to certify (ill-conditioned data)")
    lo, hi, w = _certify(A, gx, gy, gab, wx, wy, width, kx, ky)
    return PwccaBracket(lo, hi, swap, None, {"wx": wx, "wy": wy, **w})


def pwcca(a: Any, b: Any, *, width: Fraction = DEFAULT_WIDTH, arg: str | None = None) -> MeasureValue:
    """PWCCA (Morcos et al. 2018) of the centred representations (rows = neurons), certified.

    >>> pwcca([[1, 2, 4, 0]], [[0, 1, 0, 0]]).contains(Fraction(0))
    False
    """
    width = Fraction(width)
    # float layers: certified double-float Grams (None: the exact path decides).  Their bounds stop near 1e-9 on
    # small layers and 1e-5 at 512 neurons (close correlations), so narrower widths skip the attempt.
    fast = fast_bracket(a, b, width) if width >= FAST_MIN_WIDTH else None
    if fast is not None:
        return tidy("pwcca", fast[0], fast[1], width)
    v = pwcca_bracket(a, b, width)
    if v.exact is not None:
        return MeasureValue("pwcca", v.exact, v.exact, exact=v.exact)
    if v.upper - v.lower > width * max(Fraction(1), v.upper):
        raise InputError(f"pwcca: the certified bracket [{float(v.lower)!r}, {float(v.upper)!r}] is wider than "
                         f"{float(width)!r}: float64 canonical vectors do not resolve it (close correlations)")
    return tidy("pwcca", v.lower, v.upper, width)


register(Measure("pwcca", "PWCCA (Morcos et al. 2018): canonical correlations of the centred layers weighted by "
                 "sum_j |<h_i, x_j>| on the side of smaller rank; tied correlations share one weight per canonical "
                 "subspace", distance=False, evaluate=pwcca, in_relations=False))


# --- the fast path: certified double-float Grams (symrep.measures.fastcca) ------------------------------

_U = 2.0**-53
_SAFE = 1.001


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = 134217729.0 * a  # Veltkamp: a = h + l exactly, h and l of 26 bits
    h = c - (c - a)
    return h, a - h


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a b = x + y`` exactly (Dekker) where nothing overflows or underflows."""
    x = a * b
    a1, a2 = _split(a)
    b1, b2 = _split(b)
    return x, a2 * b2 - (((x - a1 * b1) - a2 * b1) - a1 * b2)


def _cols_up(*Ms: np.ndarray) -> np.ndarray:
    """Upper bounds (float) on the column norms of the sum of non-negative float matrices' columns: sum of |M_i|_col."""
    out = np.zeros(Ms[0].shape[1])
    for M in Ms:
        out = out + np.sqrt(np.einsum("ij,ij->j", M, M) * (1 + 4 * len(M) * _U) * _SAFE) * _SAFE
    return out * _SAFE


def _residual(Ch: np.ndarray, Cl: np.ndarray, dC: Fraction, Q1: np.ndarray, Q2: np.ndarray, Ex: np.ndarray,
              eta: Fraction, P1: np.ndarray, P2: np.ndarray, s1: np.ndarray, s2: np.ndarray
              ) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """``(r, b)``: float r ~ ``C q - sigma M p`` (C = Ch + Cl within dC, M = I + Ex within eta; p = P1 + P2, q, sigma
    likewise double floats) and ``b_i >=`` the column norms of the true residual (the fast path's design note)."""
    got = fastcca.dprod(Ch, Q1)
    if got is None:
        return None
    h, l, e = got
    g = fastcca.gamma(max(Ch.shape + Ex.shape))
    x, y = _two_prod(P1, s1[None, :])  # s1 P1 exactly
    aP1, aP2, aQ1, aQ2 = np.abs(P1), np.abs(P2), np.abs(Q1), np.abs(Q2)
    A1 = Ch @ Q2
    A2 = Cl @ Q1
    Ep = Ex @ P1
    aS1, aS2 = np.abs(s1)[None, :], np.abs(s2)[None, :]
    err = (e + g * (np.abs(Ch) @ aQ2 + np.abs(Cl) @ aQ1) + np.abs(Cl) @ aQ2 + aS2 * aP2
           + (aS1 + aS2) * (g * (np.abs(Ex) @ aP1) + np.abs(Ex) @ aP2) + aS2 * np.abs(Ep)) * _SAFE
    B1 = P2 * s1[None, :]
    B2 = P1 * s2[None, :]
    B3 = Ep * s1[None, :]
    err += _U * (np.abs(B1) + np.abs(B2) + np.abs(B3))
    r = h - x
    err += _U * np.abs(r)
    for t in (l, -y, A1, A2, -B1, -B2, -B3):
        r = r + t
        err += _U * np.abs(r)
    err = err * _SAFE + 2.0**-1000 * len(Ch)  # underflow in the products
    if not np.isfinite(r).all() or not np.isfinite(err).all():
        return None
    nq = _cols_up(aQ1, aQ2)
    npn = _cols_up(aP1, aP2)
    b = _cols_up(np.abs(r), err) + (float(dC) * nq + (np.abs(s1) + np.abs(s2)) * float(eta) * npn) * (1 + 8 * _U)
    return r, b * _SAFE


def _quad(P1: np.ndarray, P2: np.ndarray, Ex: np.ndarray, eta: Fraction) -> Optional[list[tuple[Fraction, Fraction]]]:
    """Intervals of ``pᵀ M p`` per column (p = P1 + P2, M = I + Ex within eta in Frobenius norm)."""

    got = fastcca.ddiag(P1, P1)
    if got is None:
        return None
    h, l, e = got
    n = len(P1)
    g = fastcca.gamma(n)
    aP1, aP2 = np.abs(P1), np.abs(P2)
    c = np.einsum("ij,ij->j", P1, P2)  # P1·P2
    c2 = np.einsum("ij,ij->j", P2, P2)  # |P2|²
    Ep = Ex @ P1
    d = np.einsum("ij,ij->j", P1, Ep)
    fE = float(fastcca._fro(Ex))
    n1, n2 = np.sqrt((aP1 * aP1).sum(axis=0)) * (1 + 2 * g), np.sqrt((aP2 * aP2).sum(axis=0)) * (1 + 2 * g)
    err = (e + 2 * g * np.einsum("ij,ij->j", aP1, aP2) + g * c2 + g * np.einsum("ij,ij->j", aP1, np.abs(Ep))
           + g * np.einsum("ij,ij->j", aP1, np.abs(Ex) @ aP1) + fE * (2 * n1 + n2) * n2
           + (n1 + n2) ** 2 * float(eta) * (1 + 4 * _U)) * _SAFE * _SAFE + 2.0**-1000 * n
    out = []
    for j in range(P1.shape[1]):
        v = (Fraction(float(h[j])) + Fraction(float(l[j])) + 2 * Fraction(float(c[j])) + Fraction(float(c2[j]))
             + Fraction(float(d[j])))
        r = Fraction(float(err[j]))
        out.append((v - r, v + r))
    return out


def _weights(wx: Any, g: Any, P1: np.ndarray, P2: np.ndarray) -> Optional[list[tuple[Fraction, Fraction]]]:
    """Intervals of ``a~_i = |G W p_i|_1`` (G W = P' + P'lo within eP; G - P - T within delta in Frobenius norm)."""
    n = len(P1)
    gm = fastcca.gamma(n)
    aP1, aP2 = np.abs(P1), np.abs(P2)
    got = fastcca.dprod(wx.P, P1)
    if got is None:
        return None
    V1, V0, e0 = got
    V2 = wx.Plo @ P1
    V3 = wx.P @ P2
    L = (V0 + V2) + V3
    V = V1 + L
    err = (e0 + gm * (np.abs(wx.P) @ aP2 + np.abs(wx.Plo) @ aP1) + _U * (np.abs(V0 + V2) + np.abs(L) + np.abs(V))
           + np.abs(wx.Plo) @ aP2 + wx.eP @ (aP1 + aP2)) * _SAFE
    # |(G - P - T) W p_i|_1 <= sqrt(n) delta ||W||_2 |p_i|
    npn = _cols_up(aP1, aP2)
    extra = math.sqrt(n) * (1 + _U) * float(g.delta * wx.wn) * (1 + 8 * _U) * npn
    es = err.sum(axis=0) * (1 + 2 * gm) * _SAFE + extra * _SAFE + 2.0**-1000 * n
    out = []
    for j, col in enumerate(np.abs(V).T.tolist()):
        a, r = Fraction(math.fsum(col)), Fraction(float(es[j]))  # fsum: correctly rounded
        out.append((max(Fraction(0), a * (1 - Fraction(1, 2**52)) - r), a * (1 + Fraction(1, 2**52)) + r))
    return out


def _up(q: Fraction, k: int) -> Fraction:
    """The multiple of 2**-k just above q (a short number)."""
    return Fraction(-((-q.numerator << k) // q.denominator), 1 << k)


def _down(q: Fraction, k: int) -> Fraction:
    return Fraction((q.numerator << k) // q.denominator, 1 << k)


def combine_intervals(sig: Sequence[Fraction], eps: Sequence[Fraction], alo: Sequence[Fraction], ahi: Sequence[Fraction],
                      nu: Fraction, width: Fraction) -> Optional[tuple[Fraction, Fraction]]:
    """:func:`combine` with per-correlation normalisations (``alo_i <= a~_i / |w_i| <= ahi_i``, eps_i bounding the
    residual of the unit w_i), the quotients rounded outwards to a grid 2**-k far below *width*; None where
    correlations are not separated (sig descending).

    >>> F = Fraction
    >>> combine_intervals([F(1, 2)], [F(0)], [F(3)], [F(3)], F(5), F(1, 10**12))  # one correlation: its value
    (Fraction(1, 2), Fraction(1, 2))
    """
    k = 64 + max(0, -math.floor(math.log2(width)))
    r = len(sig)
    for i in range(r):
        below = sig[i + 1] + eps[i + 1] if i + 1 < r else Fraction(0)
        if not sig[i] - eps[i] > below:
            return None
    lo_s = hi_s = num_lo = num_hi = Fraction(0)
    for i in range(r):
        below = sig[i] - (sig[i + 1] + eps[i + 1] if i + 1 < r else Fraction(0))
        gamma = below if i == 0 else min(sig[i - 1] - eps[i - 1] - sig[i], below)
        t = _up(Fraction(3, 2) * nu * eps[i] / gamma, k)
        lo, hi = max(Fraction(0), alo[i] - t), ahi[i] + t
        lo_s, hi_s = lo_s + lo, hi_s + hi
        num_lo += lo * max(Fraction(0), sig[i] - eps[i])
        num_hi += hi * min(Fraction(1), sig[i] + eps[i])
    lower = _down(num_lo / hi_s, k) if hi_s else Fraction(0)
    upper = min(Fraction(1), _up(num_hi / lo_s, k)) if lo_s else Fraction(1)
    return lower, max(lower, upper)


#: Narrowest width the fast path is tried for (its floor: the Grams' and whitenings' bounds; see fast_bracket).
FAST_MIN_WIDTH = Fraction(1, 10**10)
#: Double-float refinements on the fast path before it declines.
FAST_STEPS = 3


def _fast_setup(a: Any, b: Any) -> Optional[tuple[Any, Any, Any, np.ndarray, np.ndarray, Fraction]]:
    """The x side's Gram and whitening, the y side's whitening and the whitened cross Gram (two floats, within dC)."""
    grams = fastcca._grams(a, b)
    if grams is None:
        return None
    gx, gy, gm = grams["xx"], grams["yy"], grams["xy"]
    if len(b) < len(a):  # the side of smaller rank first (both are proved of full rank below)
        gx, gy = gy, gx
        gm = fastcca.DGram(gm.P.T.copy(), gm.T.T.copy(), gm.delta, gm.M.T.copy())
    wx, wy = fastcca._full_whitening(gx), fastcca._full_whitening(gy)
    if wx is None or wy is None or max(wx.e, wy.e) >= Fraction(1, 4):
        return None
    got = fastcca.cross_dd(gm, wx, wy)
    if got is None:
        return None
    Ch, Cl, dC = got
    if not fastcca._sane(Ch, Cl, wx.E, wy.E):
        return None
    return gx, wx, wy, Ch, Cl, dC


def fast_bracket(a: Any, b: Any, width: Fraction) -> Optional[tuple[Fraction, Fraction]]:
    """A certified PWCCA bracket at most *width* (relative) wide from the certified float Grams, or None.

    None whenever a bound does not apply or is too wide (then :func:`pwcca_bracket` decides); the
    argument is the module's design note with the exact matrices replaced by double floats (see
    ``_residual``, ``_quad``, ``_weights``).
    """
    got = _fast_setup(a, b)
    if got is None:
        return None
    gx, wx, wy, Ch, Cl, dC = got
    n, m = Ch.shape
    Ex, Ey = wx.E, wy.E
    P1, Q1, s1, qp = _proposals_f(np.eye(n) + Ex, np.eye(m) + Ey, Ch)
    P2, Q2, s2 = np.zeros_like(P1), np.zeros_like(Q1), np.zeros_like(s1)
    ChT, ClT = np.ascontiguousarray(Ch.T), np.ascontiguousarray(Cl.T)
    tr = float(np.abs(np.diag(gx.M)).sum()) * (1 + 2 * fastcca.gamma(n)) * _SAFE + math.sqrt(n) * float(gx.delta) * _SAFE
    nu = fastcca.root_up(n * Fraction(tr))  # nu² >= n |A_c|_F² = n tr(Gx)
    def bracket(b1: np.ndarray, b2: np.ndarray, gp: Any, gq: Any) -> Optional[tuple[Fraction, Fraction]]:
        """The combined bracket from column bounds b1, b2 of the two residuals and the quadratic forms."""
        w = _weights(wx, gx, P1, P2)
        if w is None:
            return None
        sig, eps, alo, ahi = [], [], [], []
        for i in range(n):
            glo, ghi = gp[i][0] + gq[i][0], gp[i][1] + gq[i][1]
            if not glo > 0:
                return None
            u_lo, u_hi = fastgram.root_down(1 / ghi), fastgram.root_up(1 / glo)
            e2 = Fraction(float(b1[i])) ** 2 / (1 - wx.e) + Fraction(float(b2[i])) ** 2 / (1 - wy.e)
            sig.append(Fraction(float(s1[i])) + Fraction(float(s2[i])))
            eps.append(fastgram.root_up(e2) * u_hi)
            alo.append(w[i][0] * u_lo)
            ahi.append(w[i][1] * u_hi)
        return combine_intervals(sig, eps, alo, ahi, nu, width)

    def narrow(v: Optional[tuple[Fraction, Fraction]]) -> bool:
        return v is not None and v[1] - v[0] <= width * max(Fraction(1), v[1]) / 2

    gp, gq = _quad(P1, P2, Ex, wx.eta), _quad(Q1, Q2, Ey, wy.eta)
    if gp is None or gq is None:
        return None
    # The floor that no refinement lowers (the Grams' and the whitenings' bounds): decline early if it is too wide.
    sa = np.abs(s1)
    floor1 = (float(dC) * _cols_up(np.abs(Q1)) + sa * float(wx.eta) * _cols_up(np.abs(P1))) / 2
    floor2 = (float(dC) * _cols_up(np.abs(P1)) + sa * float(wy.eta) * _cols_up(np.abs(Q1))) / 2
    if not narrow(bracket(floor1, floor2, gp, gq)):
        return None
    for step in range(FAST_STEPS + 1):
        R1 = _residual(Ch, Cl, dC, Q1, Q2, Ex, wx.eta, P1, P2, s1, s2)
        R2 = _residual(ChT, ClT, dC, P1, P2, Ey, wy.eta, Q1, Q2, s1, s2)
        if step:
            gp, gq = _quad(P1, P2, Ex, wx.eta), _quad(Q1, Q2, Ey, wy.eta)
        if R1 is None or R2 is None or gp is None or gq is None:
            return None
        if step:
            got2 = bracket(R1[1], R2[1], gp, gq)
            if narrow(got2):
                return got2
            if step == FAST_STEPS:
                return None
        fx = np.array([float(1 - (lo + hi)) for lo, hi in gp])
        fy = np.array([float(1 - (lo + hi)) for lo, hi in gq])
        dp, dq, ds = _correct_f(P1, Q1, qp, s1, R1[0], R2[0], fx, fy)
        P2, Q2, s2 = P2 + dp, Q2 + dq, s2 + ds
    return None
