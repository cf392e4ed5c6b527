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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional, Sequence

import numpy as np

from symrep.errors import InputError
from symrep.measures.cca import Whitening, gram_rank, refine, whitening
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
    gx, gy, c = _float_of(Gx, 2 * ax), _float_of(Gy, 2 * ay), _float_of(C, ax + ay)
    Lx, Ly = np.linalg.cholesky(gx), np.linalg.cholesky(gy)
    M = np.linalg.solve(Lx, np.linalg.solve(Ly, c.T).T)
    U, s, Vt = np.linalg.svd(M, full_matrices=True)
    r = gx.shape[0]
    p = np.linalg.solve(Lx.T, U[:, :r]) / math.sqrt(2)
    V = np.linalg.solve(Ly.T, Vt.T)
    return p, V[:, :r] / math.sqrt(2), s[:r], V[:, r:]


def _column_norms2(M: np.ndarray, exp: int) -> list[Fraction]:
    """|column j|² of M * 2**-exp, exactly."""
    return [Fraction(frob2(M[:, j:j + 1]), 1 << (2 * exp)) for j in range(M.shape[1])]


def _exact_residual(C: np.ndarray, cexp: int, Q: np.ndarray, kq: int, G: np.ndarray, gexp: int, P: np.ndarray, kp: int,
                    S: np.ndarray, ks: int) -> tuple[np.ndarray, int]:
    """C Q - G P diag(S) (all integer matrices times powers of 1/2) as (integers, exponent)."""
    t1, e1 = mul(C, Q), cexp + kq
    t2, e2 = mul(G, P) * S[None, :], gexp + kp + ks
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
    r1, r2 = _float_of(*R1), _float_of(*R2)
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


def _certify(A: Centred, gx: np.ndarray, gy: np.ndarray, gab: np.ndarray, wx: Whitening, wy: Whitening,
             width: Fraction) -> tuple[Fraction, Fraction, dict[str, Any]]:
    ax, ay = _pow2(wx), _pow2(wy)
    gxW = mul(gx, wx.ints)
    Gx, Gy = mul(wx.ints.T, gxW), mul(mul(wy.ints.T, gy), wy.ints)
    C = mul(mul(wx.ints.T, gab), wy.ints)
    pf, qf, sf, qp = _proposals(Gx, Gy, C, ax, ay)
    (P, kp), (Q, kq), (S2, ks) = (dyadic(np.ascontiguousarray(pf)), dyadic(np.ascontiguousarray(qf)),
                                  dyadic(np.ascontiguousarray(sf.reshape(1, -1))))
    S = S2[0]
    sA, rel = A.scale, min(_ROOT, width / 1024)
    nu = root_up(Fraction(A.shape[0] * A.frob2(), sA * sA), rel)
    for step in range(STEPS + 1):
        R1 = _exact_residual(C, ax + ay, Q, kq, Gx, 2 * ax, P, kp, S, ks)
        R2 = _exact_residual(C.T.copy(), ax + ay, P, kp, Gy, 2 * ay, Q, kq, S, ks)
        r1, r2 = _column_norms2(*R1), _column_norms2(*R2)
        e = [root_up(a / (1 - wx.e) + b / (1 - wy.e), rel) for a, b in zip(r1, r2)]
        gp = [Fraction(int(x), 1 << (2 * (ax + kp))) for x in (P * mul(Gx, P)).sum(axis=0)]
        gq = [Fraction(int(y), 1 << (2 * (ay + kq))) for y in (Q * mul(Gy, Q)).sum(axis=0)]
        ew = max(abs(x + y - 1) for x, y in zip(gp, gq))
        if ew >= 1:
            raise InputError("pwcca: the floating-point canonical vectors are too inaccurate to certify")
        u_lo, u_hi = root_down(1 / (1 + ew), rel), root_up(1 / (1 - ew), rel)
        GP = mul(gxW, P)  # A_c A_cᵀ W_x p in units 2**-(ax + kp) / sA
        at = [Fraction(sum(abs(int(v)) for v in GP[:, j]), (1 << (ax + kp)) * sA) for j in range(GP.shape[1])]
        sig = [Fraction(int(v), 1 << ks) for v in S]
        try:
            lo, hi = combine(sig, e, at, u_lo, u_hi, nu)
            done = hi - lo <= width * max(Fraction(1), hi) / 2
        except InputError:
            if step == STEPS:
                raise
            lo = hi = Fraction(0)
            done = False
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
    wx, wy = whitening(gx, rx), whitening(gy, ry)
    for _ in range(6):  # the proposals need a whitening good to float precision only where it is badly conditioned
        if max(wx.e, wy.e) <= Fraction(1, 2**20):
            break
        wx, wy = refine(gx, wx) if wx.e > Fraction(1, 2**20) else wx, refine(gy, wy) if wy.e > Fraction(1, 2**20) else wy
    if max(wx.e, wy.e) >= 1:
        raise InputError("pwcca: the floating-point whitening is too inaccurate to certify (ill-conditioned data)")
    lo, hi, w = _certify(A, gx, gy, gab, wx, wy, width)
    return PwccaBracket(lo, hi, swap, None, {"wx": wx, "wy": wy, **w})


def pwcca(a: Any, b: Any, *, width: Fraction = DEFAULT_WIDTH, arg: str | None = None) -> MeasureValue:
    """PWCCA (Morcos et al. 2018) of the centred representations (rows = neurons), certified.

    >>> pwcca([[1, 2, 4, 0]], [[0, 1, 0, 0]]).contains(Fraction(0))
    False
    """
    width = Fraction(width)
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
