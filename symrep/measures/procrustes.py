"""Procrustes (shape) distance and angular Procrustes distance, certified by rational brackets.

Design note
-----------
Conventions (Williams et al. 2021, netrep's ``LinearMetric(alpha=1)``, zero padding when the
widths differ).  For activation matrices A (``n_a x d``) and B (``n_b x d``), rows = neurons,
columns = data points, write X = A_cᵀ and Y = B_cᵀ (points x features) for the representations
centred over the points (each neuron minus its mean), without any other scaling.  Then

    procrustes(A, B)         = min_Q |X Q - Y|_F = sqrt(|X|² + |Y|² - 2 ||XᵀY||_*),
    angular_procrustes(A, B) = arccos(||XᵀY||_* / (|X| |Y|))        (radians, in [0, pi/2]),

minimum over Q with orthonormal columns (zero padding); ``||.||_*`` is the nuclear norm.
Both are distances (0 means the same shape); the angular one is invariant under isotropic
scaling of either side, both under orthogonal maps of either side and under translation.

The nuclear norm of the exact rational matrix M = XᵀY = A_c B_cᵀ (made an integer matrix G
by one common scale) is bracketed by two certificates that need only products:

* lower: for any Z, ``tr(Zᵀ M) <= ||Z||_2 ||M||_*``.  Z is a float proposal of the polar factor
  U Vᵀ read exactly as a dyadic matrix, and ``||Z||_2² <= 1 + |ZᵀZ - I|_F`` (or ``Z Zᵀ``, the
  smaller): with rationals eta >= |ZᵀZ - I|_F and u >= sqrt(1 + eta) (checked by squaring),
  ``||M||_* >= tr(Zᵀ M) / u``.
* upper: for any factorisation M = A B + R, ``||M||_* <= (|A|_F² + |B|_F²) / 2 + ||R||_*``
  (AM-GM on the singular values, and the triangle inequality), and
  ``||R||_* <= c |R|_F`` with ``c = ceil(sqrt(min(n_a, n_b)))``.  A = U S^(1/2), B = S^(1/2) Vᵀ
  are float proposals read exactly, R = M - A B is exact, rho >= |R|_F checked by squaring.

The width is first order in the float error (about sqrt(n) 1e-16 relative); when it exceeds
the requested width the proposal is recomputed with more bits (mpmath, for small matrices).
When the value is rational the brackets cannot close, so an exact certificate is tried first
for small matrices: a rational Q (the float polar factor rounded to small denominators) with
QᵀQ = I, P = QᵀM symmetric positive semidefinite (exact LDLᵀ) and Q P = M.  Then
MᵀM = P², the singular values of M are the eigenvalues of P and ``||M||_* = tr P`` exactly (so
the distance of X to X Q0, Q0 a rational rotation, is exactly 0).

The arccos is bracketed by monotonicity: c = ||M||_*/(|X||Y|) in [c_lo, c_hi] (c_hi <= 1 by
Cauchy-Schwarz), and rationals a <= b with cos(a) >= c_hi and cos(b) <= c_lo give
a <= theta <= b; cos at a rational is bracketed by its Taylor series with the Lagrange
remainder ``t^(2K+2)/(2K+2)!`` (:func:`cos_bracket`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from symrep.errors import InputError, InternalError
from symrep.exact.intmat import product, scaled_ints
from symrep.exact.linalg import IntRows
from symrep.exact.numbers import as_matrix
from symrep.measures import fastgram
from symrep.measures.values import Measure, MeasureValue, register, sqrt_bracket

__all__ = ["Centred", "NuclearBracket", "centred", "nuclear_bracket", "procrustes", "angular_procrustes",
           "cos_bracket", "arccos_bracket", "is_psd", "DEFAULT_WIDTH"]

DEFAULT_WIDTH = Fraction(1, 10**12)
#: Bits of the proposals tried in turn: float64, then mpmath (only for matrices up to _MP_SIZE on a side).
PRECISIONS = (53, 120, 250, 500)
_MP_SIZE = 40
_EXACT_SIZE = 64  # the exact (rational polar factor) certificate is tried up to this size


# --- exact integer forms ------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Centred:
    """Centred activations kept as the raw integers: ``A == raw / L``, ``A_c == (d raw - sums 1ᵀ) / scale``.

    The centred matrix itself is never formed: ``d X_c Y_cᵀ`` expands into ``d² X Yᵀ - d a bᵀ`` (a, b the
    row sums), so the large product runs on the raw (int64 when they fit) integers.
    """

    raw: np.ndarray
    L: int
    sums: np.ndarray  # row sums, Python integers

    @property
    def shape(self) -> tuple[int, int]:
        return self.raw.shape

    @property
    def scale(self) -> int:
        return self.raw.shape[1] * self.L

    @property
    def ints(self) -> np.ndarray:
        """The centred integers ``d raw - sums 1ᵀ`` (object array; for small matrices and tests)."""
        return self.raw.astype(object) * self.raw.shape[1] - self.sums[:, None]

    def gram(self, other: "Centred") -> np.ndarray:
        """``X_c Y_cᵀ`` in integers (``A_c B_cᵀ * scale_a * scale_b``), exactly."""
        d = self.raw.shape[1]
        # X Xᵀ as one symmetric product (BLAS's symmetric kernel for each prime: half the flops)
        G = product(np.ascontiguousarray(self.raw)).astype(object) if other is self and d else mul(self.raw, other.raw.T)
        return G * (d * d) - np.outer(self.sums, other.sums) * d

    def frob2(self) -> int:
        """``|X_c|_F²`` in integers: ``d² |raw|² - d |sums|²``."""
        d = self.raw.shape[1]
        return frob2(self.raw) * d * d - d * sum(int(t) * int(t) for t in self.sums)


def _integer_scale(a: Any, name: str) -> tuple[np.ndarray, int]:
    """``(X, L)`` with ``a == X / L`` exactly: X an object array of Python integers, L > 0."""
    if isinstance(a, IntRows):
        L = math.lcm(*a.scale) if a.scale else 1
        rows = [[v * (L // s) for v in r] for r, s in zip(a.ints, a.scale)]
        return _obj(rows, a.ncols), L
    if isinstance(a, np.ndarray) and a.ndim == 2 and a.dtype.kind in "iuf":
        try:
            si = scaled_ints(a, per_row=False)
        except InputError as err:
            raise InputError(f"{name}: {err}") from None
        ex = int(si.exponents[0]) if len(si.exponents) else 0
        if ex < 0:
            return si.values, 1 << -ex  # int64 when it fits: products then run on BLAS (multi-modular)
        return si.values.astype(object) * (1 << ex), 1
    A = as_matrix(a, name)
    L = math.lcm(*(q.denominator for r in A for q in r)) if A else 1
    return _obj([[q.numerator * (L // q.denominator) for q in r] for r in A], len(A[0]) if A else 0), L


def _obj(rows: list[list[int]], ncols: int) -> np.ndarray:
    out = np.empty((len(rows), ncols), dtype=object)
    if rows:
        out[:] = rows
    return out


def centred(a: Any, name: str = "A") -> Centred:
    """The activations centred over the data points (each neuron minus its mean), as integers.

    >>> c = centred([[1, 2, 3]])
    >>> c.ints.tolist(), c.scale
    ([[-3, 0, 3]], 3)
    """
    X, L = _integer_scale(a, name)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise InputError(f"{name}: needs at least one neuron and one data point")
    if X.dtype != object and max(abs(int(X.max())), abs(int(X.min()))) * X.shape[1] < 1 << 63:
        sums = X.sum(axis=1).astype(object)  # no int64 overflow: |row sum| <= d max|X|
    else:
        sums = np.array([sum(int(t) for t in r) for r in X.tolist()] + [0], dtype=object)[:-1]
    return Centred(X, L, sums)


def pair(a: Any, b: Any) -> tuple[Centred, Centred]:
    """Both sides centred, with the same data points."""
    A, B = centred(a, "A"), centred(b, "B")
    if A.shape[1] != B.shape[1]:
        raise InputError(f"activation vectors have {A.shape[1]} and {B.shape[1]} entries: the data must be the same")
    return A, B


def mul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x @ y`` exactly for integer matrices (object arrays out)."""
    if x.shape[1] == 0:
        return _obj([[0] * y.shape[1] for _ in range(x.shape[0])], y.shape[1])
    return product(np.ascontiguousarray(x), np.ascontiguousarray(y.T)).astype(object)


def frob2(x: np.ndarray) -> int:
    """``sum(x**2)`` exactly (one multi-modular product of the flattened matrix when it is large)."""
    if x.size > 4096:
        flat = np.ascontiguousarray(x.reshape(1, -1))
        return int(product(flat)[0, 0])
    return int(sum(int(v) * int(v) for v in x.ravel()))


def to_float(G: np.ndarray) -> tuple[np.ndarray, int]:
    """``(F, e)`` with G ~ F * 2**e, F float64 of magnitude at most about 2**60, e even."""
    # the largest |entry|'s bits: the same as the largest bit length, by two comparison passes in C (no Python
    # loop over the entries: 512 x 512 exact Grams of 100-bit integers, 80 ms a call before)
    top = max(abs(int(G.max())), abs(int(G.min()))).bit_length() if G.size else 0
    sh = max(0, top - 60)
    sh += sh % 2
    return (G >> sh if G.dtype == object else G.astype(object) >> sh).astype(float) if sh else G.astype(float), sh


def dyadic(F: Any) -> tuple[np.ndarray, int]:
    """``(V, k)`` with ``F == V / 2**k`` exactly (V Python integers); F float64 or mpmath numbers."""
    if isinstance(F, np.ndarray) and F.dtype == np.float64:
        si = scaled_ints(np.ascontiguousarray(F), per_row=False)
        e = int(si.exponents[0]) if len(si.exponents) else 0
        V = si.values.astype(object)
        return (V * (1 << e), 0) if e >= 0 else (V, -e)
    # mpmath numbers: mantissa and exponent, brought to the smallest exponent
    pairs = [[_man_exp(v) for v in row] for row in F]
    k = max([-e for row in pairs for m, e in row if m] + [0])
    return _obj([[m << (e + k) if m else 0 for m, e in row] for row in pairs], len(pairs[0]) if pairs else 0), k


def fixed(F: np.ndarray, bits: int = 52) -> tuple[np.ndarray, int]:
    """``(V, k)``: F rounded to the grid 2**-k with |V| < 2**bits (int64), k from the largest entry.

    A float proposal may be rounded freely (the certificate is checked exactly): int64 integers
    multiply on BLAS (multi-modular) instead of as Python integers.

    >>> V, k = fixed(np.array([[0.75, 1e-30]]))
    >>> V.tolist(), k
    ([[1688849860263936, 0]], 51)
    """
    top = float(np.abs(F).max()) if F.size else 0.0
    if top == 0.0:
        return np.zeros(F.shape, dtype=np.int64), 0
    k = bits - 1 - math.frexp(top)[1]  # |F| < 2**(bits - 1 - k): |V| < 2**(bits - 1) after rounding
    if k < 0:  # entries beyond 2**51: keep them exactly (Python integers)
        return dyadic(F)
    return np.rint(np.ldexp(F, k)).astype(np.int64), k


def _man_exp(v: Any) -> tuple[int, int]:
    sign, man, exp, _ = v._mpf_  # mpmath's raw (sign, mantissa, exponent, bits)
    return (-int(man) if sign else int(man)), int(exp)


# --- the nuclear norm -----------------------------------------------------------------------------

@dataclass(frozen=True)
class NuclearBracket:
    """Certified ``lower <= ||G||_* <= upper`` for an integer matrix G, with its witness.

    ``z``, ``a``, ``b`` are rational matrices (Z for the lower bound, M = A B + R for the upper),
    ``eta >= |ZᵀZ - I|_F``, ``u >= sqrt(1 + eta)``, ``rho >= |G - A B|_F``.  ``exact`` is the
    value when the exact certificate ``q`` (QᵀQ = I, QᵀG symmetric PSD, Q QᵀG = G) was found.
    """

    lower: Fraction
    upper: Fraction
    witness: dict[str, Any]
    exact: Optional[Fraction] = None


def _upper_root(q: Fraction, rel: Fraction) -> Fraction:
    """A rational r >= sqrt(q) with r - sqrt(q) <= rel * max(sqrt(q), tiny)."""
    if q == 0:
        return Fraction(0)
    w = rel * Fraction(math.isqrt(q.numerator // q.denominator) or 1) if q >= 1 else rel * Fraction(1, 2**64)
    if q < 1:  # relative to sqrt(q) itself for small q
        w = rel * Fraction(1, 1 << (max(0, (q.denominator.bit_length() - q.numerator.bit_length()) // 2 + 1)))
    return sqrt_bracket(q, w)[1]


def _proposal(G: np.ndarray, bits: int) -> Optional[tuple[Any, Any, Any, int]]:
    """Float (or mpmath) proposals Z ~ U Vᵀ, A ~ U S^(1/2), B ~ S^(1/2) Vᵀ of G / 2**e, and e.

    None when that precision is not available (mpmath is used only for small matrices).
    """
    F, e = to_float(G)
    m, n = G.shape
    r = min(m, n)
    if bits <= 53:
        U, s, Vt = np.linalg.svd(F, full_matrices=False)
        root = np.sqrt(np.maximum(s[:r], 0))
        return U[:, :r] @ Vt[:r], U[:, :r] * root, root[:, None] * Vt[:r], e
    if max(G.shape) > _MP_SIZE:
        return None
    import mpmath  # type: ignore[import-untyped]

    with mpmath.workprec(bits):
        Mm = mpmath.matrix([[mpmath.mpf(int(v)) / mpmath.mpf(2) ** e for v in row] for row in G.tolist()])
        U, s, V = mpmath.svd_r(Mm)
        Z = U[:, :r] * V[:r, :] if r < max(m, n) else U * V
        Zl = [[Z[i, j] for j in range(n)] for i in range(m)]
        root = [mpmath.sqrt(max(s[j], 0)) for j in range(r)]
        Al = [[U[i, j] * root[j] for j in range(r)] for i in range(m)]
        Bl = [[root[i] * V[i, j] for j in range(n)] for i in range(r)]
    return Zl, Al, Bl, e


def _bracket_from(G: np.ndarray, prop: tuple[Any, Any, Any, int], rel: Fraction) -> NuclearBracket:
    """The certified bracket from one proposal (see :func:`_proposal`; e even and >= 0)."""
    Zf, Af, Bf, e = prop
    m, n = G.shape
    r = min(m, n)
    (Zi, kz), (Ai, ka), (Bi, kb) = (x if isinstance(x, tuple) else fixed(x) if isinstance(x, np.ndarray)
                                    and x.dtype == np.float64 else dyadic(x) for x in (Zf, Af, Bf))
    # true factors: A = Ai 2**(e/2 - ka), B = Bi 2**(e/2 - kb); Z = Zi 2**-kz
    t = Fraction(int(sum(int(z) * int(g) for z, g in zip(Zi.ravel(), G.ravel()))), 1 << kz)
    gram = mul(Zi.T, Zi) if m >= n else mul(Zi, Zi.T)
    E = gram - np.diag([1 << (2 * kz)] * len(gram)).astype(object)
    eta = _upper_root(Fraction(frob2(E), 1 << (4 * kz)), Fraction(1, 4))
    u = _upper_root(1 + eta, rel / 4)
    den = 1 << (ka + kb)
    R = G * den - mul(Ai, Bi) * (1 << e)
    rho = _upper_root(Fraction(frob2(R), den * den), rel / 4)
    half = (Fraction(frob2(Ai) << e, 1 << (2 * ka)) + Fraction(frob2(Bi) << e, 1 << (2 * kb))) / 2
    c = math.isqrt(r - 1) + 1
    lower, upper = max(t / u, Fraction(0)), half + c * rho
    w = {"z": (Zi, Fraction(1, 1 << kz)), "a": (Ai, Fraction(1 << (e // 2), 1 << ka)),
         "b": (Bi, Fraction(1 << (e // 2), 1 << kb)), "eta": eta, "u": u, "rho": rho}
    return NuclearBracket(lower, max(upper, lower), w)


#: Exact-residual refinements of the float SVD standing in for the mpmath precisions (large matrices).
_STEPS = {120: 1, 250: 2, 500: 3}


def _exp_sum(X: np.ndarray, kx: int, Y: np.ndarray, ky: int) -> tuple[np.ndarray, int]:
    """X 2**-kx - Y 2**-ky as (integers, exponent)."""
    k = max(kx, ky)
    return X * (1 << (k - kx)) - Y * (1 << (k - ky)), k


def _refined_proposal(G: np.ndarray, steps: int) -> tuple[Any, Any, Any, int]:
    """Proposals as :func:`_proposal` gives them, from the float SVD of H = G / 2**e refined *steps* times.

    Each step computes R1 = H V - U S and R2 = Hᵀ U - V S exactly and corrects U, V, S to first
    order in float64 (the error goes from about eps to about eps²): for l != i,
    ``a_li = (s_i c1_li + s_l c2_li) / (s_i² - s_l²)``, ``b_li = (s_l c1_li + s_i c2_li) / (s_i² - s_l²)``
    with ``c1 = Uᵀ R1``, ``c2 = Vᵀ R2``; ``a_ii = (1 - |u_i|²) / 2``; the part of R1 outside span U
    divided by s_i; ``s_i += (c1_ii + c2_ii) / 2``.  Floats only propose: the bracket is checked exactly.
    """
    F, e = to_float(G)
    U, s, Vt = np.linalg.svd(F, full_matrices=False)
    (Ui, ku), (Vi, kv), (Si, ks) = dyadic(U), dyadic(np.ascontiguousarray(Vt.T)), dyadic(s.reshape(1, -1))
    Si = Si[0]
    for _ in range(steps):
        R1 = _exp_sum(mul(G, Vi), e + kv, Ui * Si[None, :], ku + ks)
        R2 = _exp_sum(mul(G.T.copy(), Ui), e + ku, Vi * Si[None, :], kv + ks)
        r1, r2 = (np.ldexp(*((lambda f: (f[0], f[1] - k))(to_float(R)))) for R, k in (R1, R2))
        nu = np.array([float(Fraction(frob2(Ui[:, j:j + 1]), 1 << (2 * ku)) - 1) for j in range(Ui.shape[1])])
        nv = np.array([float(Fraction(frob2(Vi[:, j:j + 1]), 1 << (2 * kv)) - 1) for j in range(Vi.shape[1])])
        c1, c2 = U.T @ r1, Vt @ r2
        si, sl = s[None, :], s[:, None]
        den = si * si - sl * sl
        np.fill_diagonal(den, 1.0)
        den[den == 0] = np.inf  # a float tie: no correction inside it
        a, b = (si * c1 + sl * c2) / den, (sl * c1 + si * c2) / den
        np.fill_diagonal(a, -nu / 2)
        np.fill_diagonal(b, -nv / 2)
        dU = U @ a + (r1 - U @ c1) / np.where(s > 0, s, np.inf)[None, :]
        (Ui, ku), (Vi, kv) = _add_dyadic(Ui, ku, dU), _add_dyadic(Vi, kv, Vt.T @ b)
        Sn, ks = _add_dyadic(Si.reshape(1, -1), ks, ((np.diag(c1) + np.diag(c2)) / 2).reshape(1, -1))
        Si = Sn[0]
    # Z = U Vᵀ; A = U D, B = D Vᵀ with D ~ S^(1/2) to t bits (an imbalance of 2**-t costs only its square)
    t = 60 * (1 << steps)
    D = np.array([math.isqrt(max(0, int(x)) << (2 * t - ks)) if 2 * t >= ks else math.isqrt(max(0, int(x)) >> (ks - 2 * t))
                  for x in Si], dtype=object)
    Z = (mul(Ui, Vi.T.copy()), ku + kv)
    return Z, (Ui * D[None, :], ku + t), (Vi.T * D[:, None], kv + t), e


def _add_dyadic(X: np.ndarray, k: int, dF: np.ndarray) -> tuple[np.ndarray, int]:
    """The dyadic X / 2**k plus the float64 array dF, exactly."""
    D, kd = dyadic(np.ascontiguousarray(dF))
    t = max(k, kd)
    return X * (1 << (t - k)) + D * (1 << (t - kd)), t


def is_psd(P: list[list[Fraction]]) -> bool:
    """Whether a symmetric rational matrix is positive semidefinite (exact symmetric elimination).

    >>> F = Fraction
    >>> is_psd([[F(1), F(1)], [F(1), F(1)]]), is_psd([[F(0), F(1)], [F(1), F(0)]])
    (True, False)
    """
    M = [list(r) for r in P]
    active = list(range(len(M)))
    while active:
        if any(M[i][i] < 0 for i in active):
            return False
        piv = next((i for i in active if M[i][i] > 0), None)
        if piv is None:
            return all(M[i][j] == 0 for i in active for j in active)
        active.remove(piv)
        p = M[piv][piv]
        for j in active:
            f = M[j][piv] / p
            if f:
                for k in active:
                    M[j][k] -= f * M[piv][k]
    return True


def _exact_certificate(G: np.ndarray, U: np.ndarray, Vt: np.ndarray) -> Optional[tuple[Fraction, list[list[Fraction]]]]:
    """``(tr P, Q)`` when the rounded polar factor Q proves ``||G||_* = tr(QᵀG)`` exactly (m >= n)."""
    m, n = G.shape
    Qf = U[:, :n] @ Vt[:n]
    Q = [[Fraction(float(x)).limit_denominator(4096) for x in row] for row in Qf]
    if any(sum(Q[i][a] * Q[i][b] for i in range(m)) != (a == b) for a in range(n) for b in range(n)):
        return None
    Gl = G.tolist()
    P = [[sum(Q[i][a] * Gl[i][b] for i in range(m)) for b in range(n)] for a in range(n)]
    if any(P[a][b] != P[b][a] for a in range(n) for b in range(a)) or not is_psd(P):
        return None
    if any(sum(Q[i][a] * P[a][b] for a in range(n)) != Gl[i][b] for i in range(m) for b in range(n)):
        return None
    return sum((P[a][a] for a in range(n)), Fraction(0)), Q


def nuclear_bracket(G: np.ndarray, width: Fraction = DEFAULT_WIDTH, exact: bool = True) -> NuclearBracket:
    """Certified bracket of the nuclear norm of an integer matrix, no wider than ``width * max(1, value)``.

    >>> b = nuclear_bracket(np.array([[3, 0], [0, 4]], dtype=object))
    >>> b.exact
    Fraction(7, 1)
    >>> b = nuclear_bracket(np.array([[1, 2], [3, 5]], dtype=object), exact=False)
    >>> round(float(b.lower), 10), b.upper - b.lower < Fraction(1, 10**12)  # sqrt(41)
    (6.4031242374, True)
    """
    G = np.asarray(G, dtype=object)
    if G.size == 0 or not any(G.ravel()):
        return NuclearBracket(Fraction(0), Fraction(0), {"zero": True}, Fraction(0))
    transposed = G.shape[0] < G.shape[1]
    H = G.T.copy() if transposed else G
    if exact and max(H.shape) <= _EXACT_SIZE:
        F, e = to_float(H)
        U, _, Vt = np.linalg.svd(F, full_matrices=False)
        found = _exact_certificate(H, U, Vt)
        if found is not None:
            v, Q = found
            return NuclearBracket(v, v, {"q": Q, "transposed": transposed}, v)
    best = None
    for bits in PRECISIONS:
        prop = _proposal(H, bits)
        if prop is None and bits in _STEPS:  # too large for mpmath: refine the float SVD by exact residuals
            prop = _refined_proposal(H, _STEPS[bits])
        if prop is None:
            break
        nb = _bracket_from(H, prop, width / 8)
        if best is None or nb.upper - nb.lower < best.upper - best.lower:
            best = nb
        if nb.upper - nb.lower <= width * max(Fraction(1), nb.upper):
            break
    if best is None:  # the first precision, float64, always proposes
        raise InternalError("internal error: nuclear norm: no proposal at any precision")
    best.witness["transposed"] = transposed
    return best


# --- the measures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProcrustesParts:
    """|X|², |Y|² (exact) and the bracket of ||XᵀY||_* (all in the measure's units)."""

    xx: Fraction
    yy: Fraction
    nuclear: NuclearBracket
    scale: Fraction  # ||XᵀY||_* = ||G||_* * scale


def procrustes_parts(a: Any, b: Any, width: Fraction = DEFAULT_WIDTH) -> ProcrustesParts:
    """The exact pieces of both Procrustes distances: |X|², |Y|² and a bracket of ||XᵀY||_* (relative width)."""
    A, B = pair(a, b)
    G = A.gram(B)
    xx, yy = Fraction(A.frob2(), A.scale**2), Fraction(B.frob2(), B.scale**2)
    return ProcrustesParts(xx, yy, nuclear_bracket(G, width), Fraction(1, A.scale * B.scale))


def _refined(a: Any, b: Any, width: Fraction, final: Any) -> Any:
    """``final(parts)`` for nuclear brackets ever narrower until its bracket meets *width* (or the last try)."""
    out = None
    for f in (16, 1 << 20, 1 << 60):
        out = final(procrustes_parts(a, b, width / f))
        if out[1] - out[0] <= width * max(Fraction(1), abs(out[1])):
            break
    return out


def _root_scale(q: Fraction, width: Fraction) -> Fraction:
    """An absolute width for sqrt(q) that is *width* relative to max(1, sqrt(q)) (from below)."""
    return width * Fraction(max(1, math.isqrt(q.numerator // q.denominator)))


def relative_root_width(q: Fraction, width: Fraction) -> Fraction:
    """An absolute width for sqrt(q) that is at most *width* relative to sqrt(q) itself (q > 0)."""
    return width * (Fraction(math.isqrt(q.numerator // q.denominator)) if q >= 1 else q)


def tidy(name: str, lo: Fraction, hi: Fraction, width: Fraction) -> MeasureValue:
    """The bracket [lo, hi] widened outwards to dyadic end points (short numbers), by at most width/32 relative."""
    bits = max(0, -math.floor(math.log2(width / 32 * max(Fraction(1), abs(hi)))))
    q = 1 << bits
    return MeasureValue(name, Fraction(math.floor(lo * q), q), Fraction(math.ceil(hi * q), q))


def _need(width: Fraction, lo: Fraction, hi: Fraction, name: str) -> None:
    if hi - lo > width * max(Fraction(1), abs(hi)):
        raise InputError(f"{name}: the certified bracket [{float(lo)!r}, {float(hi)!r}] is wider than the requested "
                         f"width {float(width)!r} at every precision symrep tries; ask for a wider width")


@dataclass(frozen=True)
class FastParts:
    """Brackets of |X|², |Y|² and ||XᵀY||_* from certified float Grams (:mod:`symrep.measures.fastgram`)."""

    xx: tuple[Fraction, Fraction]
    yy: tuple[Fraction, Fraction]
    nuclear: tuple[Fraction, Fraction]


def fast_parts(a: Any, b: Any, coarse: bool | str = False) -> Optional[FastParts]:
    """The pieces of both Procrustes distances from certified float Grams, or None where that path does not apply.

    Only for float layers wider than ``_EXACT_SIZE`` neurons: below that the exact certificate is tried
    (it finds rational values, such as distance 0 to a rational rotation, which a float bracket cannot state).
    ``coarse``: the grade of the cross Gram (:func:`~symrep.measures.fastgram.cert_grams`): True for the
    coarse one (one float product instead of three, a wider bracket), ``"medium"`` (chunks of 32 points).
    """
    if not all(isinstance(v, np.ndarray) and v.ndim == 2 for v in (a, b)) or max(len(a), len(b)) <= _EXACT_SIZE:
        return None
    got = fastgram.nuclear_of(a, b, coarse)
    if got is None:
        return None
    x, y, nb = got
    return FastParts(x.sq, y.sq, (nb.lower, nb.upper))


def _fast_procrustes(a: Any, b: Any, width: Fraction) -> Optional[MeasureValue]:
    """The certified float path (None when it does not reach *width*: the exact path decides).

    The coarse cross Gram first (it suffices unless the distance is small against |X| |Y|), then the medium
    and the fine ones; none coarser than one already computed for these data (nuclear_of checks them).
    """
    grades: tuple[bool | str, ...] = (True, "medium", False) if fastgram.medium_pays(a, b) else (True, False)
    if "nuclear" in fastgram._CACHE:
        grades = (False,)
    elif "nuclear medium" in fastgram._CACHE:
        grades = ("medium", False)
    for grade in grades:
        v = _fast_procrustes_from(fast_parts(a, b, grade), width)
        if v is not None:
            return v
    return None


def _fast_procrustes_from(fp: Optional[FastParts], width: Fraction) -> Optional[MeasureValue]:
    if fp is None:
        return None
    sq_lo = max(Fraction(0), fp.xx[0] + fp.yy[0] - 2 * fp.nuclear[1])
    sq_hi = max(Fraction(0), fp.xx[1] + fp.yy[1] - 2 * fp.nuclear[0])
    lo = sqrt_bracket(sq_lo, _root_scale(sq_lo, width / 4))[0] if sq_lo else Fraction(0)
    hi = sqrt_bracket(sq_hi, _root_scale(sq_hi, width / 4))[1] if sq_hi else Fraction(0)
    if hi - lo > width / 2 * max(Fraction(1), hi):
        return None
    return tidy("procrustes", lo, hi, width)


def _fast_angular(a: Any, b: Any, width: Fraction) -> Optional[MeasureValue]:
    """arccos of the certified cosine bracket from :func:`fast_parts` (None when too wide or a side is constant).

    The medium cross Gram first (chunks of 32 points: about 1.6 products' time, a bound about 41 u at 10,000
    points), then the fine one (three products) where the bracket is too wide; the fine one alone when it is
    already computed.  The bracket is accepted at 7/8 of the width: :func:`arccos_bracket` at width/64 adds at
    most width/64 to each end, :func:`tidy` at most width/32 of max(1, hi).
    """
    # the fine one alone if computed for these data (nuclear_of checks them) or where the medium one does not pay
    fine_first = "nuclear" in fastgram._CACHE or not fastgram.medium_pays(a, b)
    for grade in (("",) if fine_first else ("medium", "")):
        fp = fast_parts(a, b, grade or False)
        if fp is None or fp.xx[0] <= 0 or fp.yy[0] <= 0:
            return None
        c_lo = min(Fraction(1), fp.nuclear[0] / fastgram.root_up(fp.xx[1] * fp.yy[1]))
        c_hi = min(Fraction(1), fp.nuclear[1] / fastgram.root_down(fp.xx[0] * fp.yy[0]))
        if c_hi >= 1:  # near cos = 1 the slope of arccos is unbounded: the exact path decides
            return None
        lo, hi = arccos_bracket(c_lo, c_hi, width / 64)
        if hi - lo <= width * 7 / 8 * max(Fraction(1), hi):
            return tidy("angular_procrustes", lo, hi, width)
    return None


def procrustes(a: Any, b: Any, *, width: Fraction = DEFAULT_WIDTH, arg: str | None = None) -> MeasureValue:
    """Procrustes distance ``min_Q |X Q - Y|_F`` of the centred representations (rows = neurons), certified.

    >>> v = procrustes([[1, 2, 4]], [[1, 2, 4]])
    >>> v.exact
    Fraction(0, 1)
    >>> v = procrustes([[1, 0, 0]], [[0, 1, 0]])  # |x|^2 = |y|^2 = 2/3, |x . y| = 1/3: d^2 = 2/3
    >>> v.square
    Fraction(2, 3)
    """
    width = Fraction(width)
    fast = _fast_procrustes(a, b, width)
    if fast is not None:
        return fast

    def final(parts: ProcrustesParts) -> tuple[Fraction, Fraction, Optional[Fraction]]:
        nb, s, total = parts.nuclear, parts.scale, parts.xx + parts.yy
        if nb.exact is not None:
            sq = total - 2 * nb.exact * s
            lo, hi = sqrt_bracket(sq, _root_scale(sq, width))
            return lo, hi, sq
        sq_lo, sq_hi = max(total - 2 * nb.upper * s, Fraction(0)), total - 2 * nb.lower * s
        lo = sqrt_bracket(sq_lo, _root_scale(sq_lo, width / 4))[0] if sq_lo else Fraction(0)
        hi = sqrt_bracket(sq_hi, _root_scale(sq_hi, width / 4))[1] if sq_hi else Fraction(0)
        return lo, hi, None

    lo, hi, sq = _refined(a, b, width, final)
    if sq is not None:
        return MeasureValue("procrustes", lo, hi, exact=lo if lo == hi else None, square=sq)
    _need(width, lo, hi, "procrustes")
    return tidy("procrustes", lo, hi, width)


def cos_bracket(t: Fraction, terms: int = 0) -> tuple[Fraction, Fraction]:
    """Rationals ``lo <= cos(t) <= hi`` from the Taylor series with the Lagrange remainder.

    >>> lo, hi = cos_bracket(Fraction(1))
    >>> float(lo), float(hi), hi - lo < Fraction(1, 10**30)
    (0.5403023058681398, 0.5403023058681398, True)
    """
    K = terms or max(12, int(abs(float(t)) * 3) + 30)
    s, term = Fraction(0), Fraction(1)
    for k in range(K + 1):
        s += term
        term = -term * t * t / ((2 * k + 1) * (2 * k + 2))
    rem = abs(term)  # t^(2K+2) / (2K+2)!, the Lagrange bound of the rest
    return s - rem, s + rem


def _solve_cos(c: Fraction, width: Fraction) -> Fraction:
    """A rational x near arccos(c) (float start, then Newton steps in exact arithmetic, rounded to dyadics)."""
    x = Fraction(math.acos(float(c)))
    bits = max(60, -math.floor(math.log2(width)) + 20)
    for _ in range(8):
        lo, hi = cos_bracket(x)
        sn = _sin_mid(x)
        if sn <= 0:
            break
        step = ((lo + hi) / 2 - c) / sn
        x = Fraction(round((x + step) * 2**bits), 2**bits)
        if abs(step) < width / 64:
            break
    return x


def _sin_mid(t: Fraction) -> Fraction:
    s, term = Fraction(0), t
    for k in range(40):
        s += term
        term = -term * t * t / ((2 * k + 2) * (2 * k + 3))
    return s


def arccos_bracket(c_lo: Fraction, c_hi: Fraction, width: Fraction) -> tuple[Fraction, Fraction]:
    """Rationals ``a <= arccos(c) <= b`` for every c in ``[c_lo, c_hi]`` (a subset of [0, 1]).

    ``a`` is certified by ``cos(a) >= c_hi`` and ``b`` by ``cos(b) <= c_lo`` (arccos decreases);
    each is within about *width* of the true end point.

    >>> a, b = arccos_bracket(Fraction(1, 2), Fraction(1, 2), Fraction(1, 10**40))
    >>> b - a < Fraction(1, 10**40) and Fraction(10471975511965977461, 10**19) < a <= b < Fraction(10471975511965977462, 10**19)
    True
    """
    if not 0 <= c_lo <= c_hi <= 1:
        raise InputError(f"arccos bracket of [{c_lo}, {c_hi}] outside [0, 1]")
    a = Fraction(0)
    if c_hi < 1:
        a, step = _solve_cos(c_hi, width) - width / 8, width / 8
        while a > 0 and cos_bracket(a)[0] < c_hi:
            a -= step
            step *= 2
        a = max(a, Fraction(0))
    b, step = _solve_cos(c_lo, width) + width / 8, width / 8
    while cos_bracket(b)[1] > c_lo:
        b += step
        step *= 2
    return a, b


def angular_procrustes(a: Any, b: Any, *, width: Fraction = DEFAULT_WIDTH, arg: str | None = None) -> MeasureValue:
    """Angular Procrustes distance ``arccos(||XᵀY||_* / (|X||Y|))`` in radians, certified.

    >>> angular_procrustes([[1, 2, 4]], [[2, 4, 8]]).exact
    Fraction(0, 1)
    >>> v = angular_procrustes([[1, 0, 0]], [[0, 1, 0]])  # cos = 1/2: pi/3
    >>> v.lower <= Fraction(10471975511965977, 10**16) <= v.upper
    True
    """
    width = Fraction(width)
    fast = _fast_angular(a, b, width)
    if fast is not None:
        return fast

    def final(parts: ProcrustesParts) -> tuple[Fraction, Fraction, bool]:
        nb, s = parts.nuclear, parts.scale
        if parts.xx == 0 or parts.yy == 0:
            raise InputError("angular_procrustes is undefined: a representation is constant over the data")
        p = parts.xx * parts.yy
        if nb.exact is not None and (nb.exact * s) ** 2 == p:
            return Fraction(0), Fraction(0), True
        # arccos has slope 1/sin: near cos = 1 the cosine must be bracketed more narrowly (floats only
        # choose how narrowly; the bracket itself is exact either way)
        sin = math.sqrt(max(0.0, 1.0 - float(min(Fraction(1), (nb.upper * s) ** 2 / p))))
        c_lo, c_hi = cosine_bracket(parts, width / 16 * Fraction(max(sin, 2.0**-60)) / 2)
        lo, hi = arccos_bracket(c_lo, c_hi, width / 4)
        return lo, hi, False

    lo, hi, zero = _refined(a, b, width, final)
    if zero:
        return MeasureValue("angular_procrustes", lo, hi, exact=Fraction(0))
    _need(width, lo, hi, "angular_procrustes")
    return tidy("angular_procrustes", lo, hi, width)


def cosine_bracket(parts: ProcrustesParts, width: Fraction) -> tuple[Fraction, Fraction]:
    """``c_lo <= ||XᵀY||_* / (|X||Y|) <= c_hi``, both in [0, 1]."""
    nb, s, p = parts.nuclear, parts.scale, parts.xx * parts.yy
    r_lo, r_hi = sqrt_bracket(p, relative_root_width(p, width))
    r_lo = r_lo or r_hi
    return min(Fraction(1), nb.lower * s / r_hi), min(Fraction(1), nb.upper * s / r_lo)


register(Measure("procrustes", "Procrustes (shape) distance min_Q |XQ - Y|_F of the centred, unscaled representations "
                 "(Williams et al. 2021, alpha = 1)", distance=True, evaluate=procrustes))
register(Measure("angular_procrustes", "angular Procrustes distance arccos(||X^T Y||_* / (|X||Y|)), radians, centred "
                 "(Williams et al. 2021)", distance=True, evaluate=angular_procrustes))
