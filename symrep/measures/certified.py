"""Certified eps-match (eps > 0): floating point proposes, exact integer arithmetic verifies.

Design note
-----------
Wang et al.'s removal loop needs, for a neuron z and the other side's remaining
vectors Y, whether ``dist(z, span Y) <= eps |z|``.  The exact path
(:func:`symrep.measures.match_core._test`) projects exactly, with numbers of
thousands of digits.  Here every row is an integer row (the span and the
relative distance do not change when a row is scaled), and the only exact work
is on integers of about a hundred bits:

* float Grams ``F ~ Y Y^T``, ``Y z``, ``|z|^2`` by one float64 GEMM each, whose error
  is bounded (``|F_ij - G_ij| <= gamma_d sqrt(G_ii G_jj)``, Higham); the exact Grams
  (:func:`_gram`, :func:`_cross`) are made only when a test below is declined by the
  float filter, or for a certificate (:class:`_Exact`);
* for a neuron, float least squares (normal equations on the float Grams)
  proposes coefficients ``c``, rounded to dyadic rationals; then
  ``|r|^2 = |z - Y c|^2 = |z|^2 - 2 c.b + c^T G c`` is evaluated in float64 with a
  proved error bound (:func:`symrep.measures.float_bounds.residual_tests`), which
  decides the tests below whenever the bound excludes the threshold; the rest are
  evaluated exactly (one integer product ``C G`` for the declined neurons, :func:`_mul`).

Every exact product is :mod:`symrep.exact.intmat`'s (multi-modular float64 GEMM,
whose design note has the exactness argument; flint for rows beyond int64).  ``G``
is an :class:`~symrep.exact.intmat.Operand`: its residues, taken once per prime
from the digits of its modular product, serve every principal submatrix
``G[basis, basis]`` of every round.

**Inside.**  ``|r|^2 <= eps^2 |z|^2`` proves ``z`` eps-close: the distance to
the span is at most the distance to one of its points.

**Outside.**  With ``q = U r`` (``u_k = t_k y_k``, rows rescaled by powers of
two, which spans the same space) and ``H = U U^T``:
``dist^2 = |r|^2 - q^T H^{-1} q >= |r|^2 - |q|^2 / mu`` for any
``0 < mu <= lambda_min(H)`` (``r - P r`` is the residual of ``z``, and
``|P r|^2 = q^T H^{-1} q``).  ``|r|^2 - |q|^2 / mu > eps^2 |z|^2`` proves the
removal.  ``mu`` is certified once per side (:class:`GramBound`): a float
Cholesky factor of ``H - mu0 I`` rounded to a dyadic ``L`` makes
``E = H - L L^T`` diagonally dominant with margin ``mu`` (a lower bound proved from the
float Gram by :func:`symrep.measures.float_bounds.margin_lower_bound`; the exact margin
is computed only for a certificate, :attr:`_Layer.form`), so
``H = L L^T + E >= mu I`` (Gershgorin; ``L L^T`` is positive semidefinite
whatever ``L`` is).  Removing neurons takes a principal submatrix, whose
smallest eigenvalue is no smaller (interlacing): the one certificate serves
every round.

**Undecided.**  When neither test succeeds (a tie at exactly eps, an
ill-conditioned or singular Gram, inaccurate float coefficients), the neuron is
handed to the exact projection.  Floats therefore only choose *which* exact
test to run and with which coefficients; every verdict is an exact inequality.

The loop keeps a neuron the floats call close without proving it until the
loop has converged: a kept neuron needs a proof only against the final sets,
and a removal is sound against any superset of the final sets.  When the loop
stops, every kept neuron is proved against the other side's final span; a
neuron that fails is removed (with its proof) and the loop resumes.  Each
neuron is thus tested exactly about once.
"""

from __future__ import annotations

import math
from fractions import Fraction
from collections.abc import Sequence
from typing import Any

import numpy as np

from symrep.errors import InternalError
from symrep.exact.intmat import FloatInts, ModularProduct, Operand, modular_product, product
from symrep.exact.linalg import IntRows
from symrep.measures.float_bounds import U, gamma_float, margin_lower_bound, residual_tests
from symrep.measures.match_core import ExactMatch, GramBound, LazyCoefficients, LowerBound, MaximumMatch, Removal, _test

__all__ = ["certified_approx_match", "certified_maximum_match", "certifier", "gram_bound", "prove_removals", "release"]

_COEFF_BITS = 50  # significant bits kept of each proposed coefficient row
_FACTOR_BITS = 50  # of the Cholesky factor
_MAX_FLOAT_BITS = 1000  # Gram entries beyond this do not fit a float64: use the exact path


# --- exact integer products: symrep.exact.intmat (multi-modular float64 GEMM; flint for Python integers) ---


def _ints(X: Any) -> np.ndarray:
    """Integer rows (lists, or a float64 array holding integers) as float64 or int64 when they fit, else Python integers."""
    if isinstance(X, np.ndarray) and X.dtype == np.float64:
        top = float(max(X.max(), -X.min())) if X.size else 0.0
        if top <= 2.0**53 - 2.0**31:
            return X  # intmat multiplies float64 integers of this size as they are (see _for_intmat): no copy
        return X.astype(np.int64) if top < 2.0**62 else np.array(_int_rows(X), dtype=object)  # exact: integers
    try:
        return np.array(X, dtype=np.int64)
    except OverflowError:
        return np.array(_int_rows(X), dtype=object)


def _for_intmat(X: np.ndarray) -> Any:
    return FloatInts(X) if X.dtype == np.float64 else X  # FloatInts checks that the floats are integers


def _gram(rows: Any, kept: list | None = None) -> list[list[int]]:
    """Exact ``R R^T`` of integer rows; ``kept``, if a list, receives its ModularProduct (None from flint)."""
    X = _ints(rows)
    g = modular_product(_for_intmat(X)) if len(X) and X.dtype != object else None
    if kept is not None:
        kept.append(g)
    if not len(X):
        return []
    return (product(_for_intmat(X)) if g is None else g.exact()).tolist()


def _cross(X: Any, Y: Any) -> list[list[int]]:
    """Exact ``X Y^T`` of integer rows."""
    Xi, Yi = _ints(X), _ints(Y)
    if not len(Xi) or not len(Yi):
        return [[] for _ in range(len(Xi))]
    return product(_for_intmat(Xi), _for_intmat(Yi)).tolist()


def _int_rows(X: Any) -> list[list[int]]:
    return [[int(v) for v in r] for r in (X.tolist() if isinstance(X, np.ndarray) else X)]


def _mul(C: np.ndarray, G: Operand | None) -> np.ndarray:
    """Exact ``C G^T`` (``C C^T`` when G is None) as an array of Python integers.

    For ``G`` a principal submatrix of a Gram (symmetric) this is ``C G``; its residues
    are kept by the :class:`~symrep.exact.intmat.Operand` across calls.
    """
    if G is None:
        return product(C)
    if not len(C):
        return np.zeros((0, G.shape[0]), dtype=object)
    return modular_product(C, G).exact()


def _scaled(a: Any, R: IntRows) -> Any:
    """``R.ints`` as float64 from the array ``a`` it was made from (``row i == ints[i] / scale[i]``), or None.

    For binary floats and integers of at most 64 bits with power-of-two scales, ``a[i] * scale[i]``
    is exactly ``ints[i]`` in float64 (a change of exponent); a few rows are compared to be sure.
    """
    if not isinstance(a, np.ndarray) or a.ndim != 2 or a.dtype.kind not in "fiu" or a.dtype.itemsize > 8:
        return None
    if a.shape != (len(R), R.ncols) or any(s & (s - 1) for s in R.scale):
        return None
    F = a.astype(np.float64) * np.array([float(s) for s in R.scale])[:, None]
    if not np.isfinite(F).all():  # a row whose integers exceed float64's range: not representable, use the lists
        return None
    for i in {0, len(R) // 2, len(R) - 1}:
        if len(R) and F[i].tolist() != [float(x) for x in R.int_row(i)]:  # int_row: not every row as lists
            return None
    return F


def _row_ints(R: IntRows, array: Any) -> np.ndarray:
    """The integer rows of ``R`` as an array (see :func:`_ints`): its own int64 array, else from ``array``, else its lists."""
    own = R.array
    if own is not None and own.dtype == np.int64:
        return own  # the integers themselves, no conversion
    f = _scaled(array, R) if array is not None else None
    return _ints(R.ints if f is None else f)


# --- the per-layer data ----------------------------------------------------------------------


class _Exact:
    """The exact Grams and cross products of two integer-row matrices, made on first use (the float filter decides most tests)."""

    def __init__(self, a: np.ndarray, b: np.ndarray):
        self._rows: tuple[np.ndarray, np.ndarray] | None = (a, b)
        self._parts: tuple | None = None

    def parts(self) -> tuple[list[list[int]], list[list[int]], list[list[int]], list]:
        """``(G_a, G_b, a b^T, [ModularProduct or None, ModularProduct or None])``."""
        if self._parts is None:
            a, b = self._rows  # type: ignore[misc]
            known: list = []
            ga, gb = _gram(a, known), _gram(b, known)
            self._parts = (ga, gb, _cross(a, b), known)
            self._rows = None
        return self._parts


class _Layer:
    """One side: its integer rows, float Gram ``F`` (``|F - G| <= delta sqrt(G_ii G_jj)``), lazily its exact Gram and bound."""

    def __init__(self, side: str, rows: IntRows, F: np.ndarray, delta: float, exact: _Exact, k: int):
        self.side, self.rows, self.F, self.delta = side, rows, F, delta
        self._source, self._k = exact, k  # the exact Gram is parts()[k]
        diag = np.diagonal(F)
        self.live = diag > 0  # a float sum of squares of integers is 0 exactly when they all are
        self.nonzero = [int(i) for i in np.flatnonzero(self.live)]
        self.norm = np.sqrt(np.where(self.live, diag, 1.0))
        self.gn = F / np.outer(self.norm, self.norm)
        self._exact: Any = None
        self._bound: tuple[GramBound, list[int], int] | None | bool = False  # False: not tried yet
        self._form: Any = None  # (N, g, La, S): the data of the bound, for its exact form (see form)

    @property
    def gram(self) -> list[list[int]]:
        return self._source.parts()[self._k]

    @property
    def known(self) -> ModularProduct | None:
        return self._source.parts()[3][self._k]

    def norm2(self, i: int) -> int:
        """``|row i|^2`` exactly."""
        return self.gram[i][i]

    @property
    def exact(self) -> Any:
        if self._exact is None:
            n = len(self.gram)
            self._exact = Operand.of(np.array(self.gram, dtype=object).reshape(n, n), self.known)
        return self._exact

    def bound(self) -> tuple[GramBound, list[int], int] | None:
        """``(GramBound, g, f_min)`` with ``t_k = 2**(f_min + g_k) * scale_k``, or None when not certified."""
        if self._bound is False:
            self._bound = _certify_gram(self)
        return self._bound  # type: ignore[return-value]

    @property
    def form(self) -> tuple | None:
        """The bound in integers (for layer certificates): ``(neurons, shifts, factor, a, b, margin, L L^T)``.

        ``2**a G' - 2**b L L^T`` is diagonally dominant by ``margin`` (exact, at least the
        float-proved margin the GramBound's ``mu`` was taken from), ``G'_kl = G_kl << (shift_k + shift_l)``.
        """
        if self._form is None or len(self._form) == 7:
            return self._form
        N, g, La, S = self._form
        W = np.array([1 << x for x in g], dtype=object)
        Hi = np.array([[self.gram[k][m] for m in N] for k in N], dtype=object).reshape(len(N), len(N)) * np.multiply.outer(W, W)
        LL = _mul(La, None)
        M = Hi * (1 << S) - LL if S >= 0 else Hi - LL * (1 << -S)  # 4**ell (2**-S if S < 0) (H - L L^T)
        margin = int(min(2 * np.diagonal(M) - np.abs(M).sum(axis=1)))
        if margin <= 0:  # pragma: no cover - the float bound proved it positive
            raise InternalError("internal error: a certified Gram margin is not positive")
        self._form = (N, g, La, max(S, 0), max(-S, 0), margin, LL)
        return self._form


def _certify_gram(L: _Layer) -> tuple[GramBound, list[int], int] | None:
    """A certified ``mu <= lambda_min`` of the Gram of the non-zero rows, each scaled to norm in about [1, 8).

    The margin is proved from the float Gram (:func:`symrep.measures.float_bounds.margin_lower_bound`);
    the exact margin, for certificates, is computed only when :attr:`_Layer.form` is read.
    """
    N = L.nonzero
    if not N:
        return None
    f = [-((int(L.F[k, k]).bit_length() - 1) // 2) for k in N]  # any powers of two serve: the bound is for this scaling
    f_min = min(f)
    g = [x - f_min for x in f]
    fa = np.array(f, dtype=np.int64)
    Hf = np.ldexp(L.F[np.ix_(N, N)], fa[:, None] + fa[None, :])  # exact: powers of two
    Lf = _shifted_cholesky(Hf)
    if Lf is None:
        return None  # (nearly) singular: no useful bound; the exact path decides
    ell = _FACTOR_BITS - int(np.frexp(np.abs(Lf).max())[1])
    La = np.tril(np.rint(np.ldexp(Lf, ell))).astype(np.int64)
    lo = margin_lower_bound(Hf, np.ldexp(La.astype(np.float64), -ell), L.delta)
    if not lo > 0:
        return None
    mu = _floor_dyadic(Fraction(lo), 30)
    if mu <= 0:  # pragma: no cover - lo > 0 keeps some bits
        return None
    L._form = (N, g, La, 2 * ell + 2 * f_min)  # 4**ell * H == 2**S * H' with H' = (G_kl << g_k + g_l) integer
    Lrows = [row[: i + 1] for i, row in enumerate(La.tolist())]
    scales = tuple(Fraction(L.rows.scale[k]) * Fraction(2) ** (f_min + g[i]) for i, k in enumerate(N))
    gb = GramBound(L.side, tuple(N), scales, mu, tuple(tuple(r) for r in Lrows), ell)
    return gb, _gmap(N, g, len(L.rows)), f_min


def _shifted_cholesky(Hf: Any) -> Any:
    """A float Cholesky factor of ``Hf - s I`` for some ``s`` near half the smallest eigenvalue, or None.

    The smallest eigenvalue is estimated by power iteration on the inverse (cheaper than an
    eigendecomposition); a factor that fails is retried with a smaller shift.  Nothing here
    needs to be right: the exact check in :func:`_certify_gram` decides.
    """
    n = len(Hf)
    try:
        inv = np.linalg.inv(Hf)
    except np.linalg.LinAlgError:
        return None
    v = np.ones(n) / math.sqrt(n) + np.linspace(0, 1e-3, n)
    grow = 0.0
    for _ in range(40):
        w = inv @ v
        grow = float(np.linalg.norm(w))
        if not grow > 0 or not math.isfinite(grow):
            return None
        v = w / grow
    lam = 1.0 / grow  # >= the smallest eigenvalue (a Rayleigh-type estimate from above)
    if not lam > 1e-10 * n:
        return None
    shift = lam / 2
    for _ in range(4):
        try:
            return np.linalg.cholesky(Hf - shift * np.eye(n))
        except np.linalg.LinAlgError:
            shift /= 8
    return None


def _gmap(N: list[int], g: list[int], n: int) -> list[int]:
    out = [0] * n
    for k, x in zip(N, g):
        out[k] = x
    return out


def _pow2(e: int) -> Fraction:
    return Fraction(1 << e) if e >= 0 else Fraction(1, 1 << -e)


def _floor_dyadic(q: Fraction, bits: int) -> Fraction:
    """The largest dyadic ``<= q`` with about ``bits`` significant bits (q > 0)."""
    e = bits - (q.numerator.bit_length() - q.denominator.bit_length())
    return Fraction(math.floor(q * Fraction(2) ** e)) / Fraction(2) ** e


class Coefficients(LazyCoefficients):
    """Sparse coefficients ``(k, c_k)``, ``k = basis[i]``, ``c_k = ints[i] * scales[k] / (2**m * scale)``, made on first use.

    Each is a coefficient of the actual (rational) vector ``z_k`` writing the tested vector;
    the Fractions are built only when read (a certificate needs them, a verdict does not).

    >>> c = Coefficients([0, 2], [3, 4], 1, [1, 1, 2], 1)
    >>> list(c), c == ((0, Fraction(3, 2)), (2, Fraction(4)))
    ([(0, Fraction(3, 2)), (2, Fraction(4, 1))], True)
    """

    __slots__ = ("integer_form",)

    def __init__(self, basis: list[int], ints: list[int], m: int, scales: list[int], scale: int):
        super().__init__((basis, ints, m, scales, scale))
        #: ``(basis, ints, m)``: integer-row coefficients ``ints[i] / 2**m`` of row ``basis[i]`` (for certificates)
        self.integer_form = (basis, ints, m)

    def _solve(self) -> tuple[tuple[int, Fraction], ...]:
        basis, c, m, so, sz = self._pending
        den = _pow2(m) * sz
        return tuple((k, Fraction(ci * so[k]) / den) for k, ci in zip(basis, c) if ci)

    def __repr__(self) -> str:  # the items are cheap to make: show them
        return repr(self.items)


# --- float proposals and exact tests ---------------------------------------------------------


def _propose(mine: _Layer, other: _Layer, cross_n: Any, targets: list[int], basis: list[int]) -> tuple[Any, Any]:
    """Float coefficients (normalised space, |basis| x |targets|) and float relative squared distances."""
    Gs = other.gn[np.ix_(basis, basis)]
    Bs = cross_n[np.ix_(targets, basis)].T
    try:
        gamma = np.linalg.solve(Gs, Bs)
    except np.linalg.LinAlgError:
        gamma = np.linalg.lstsq(Gs, Bs, rcond=None)[0]
    dist2 = 1.0 - np.einsum("ij,ij->j", gamma, Bs)
    return gamma, dist2


def _float_exact(x: np.ndarray) -> np.ndarray | None:
    """Integer rows as float64 when every entry is exactly representable (and the products stay far from overflow)."""
    if x.dtype == np.float64:
        return x  # _ints returns float64 only for integers of absolute value at most 2**53 - 2**31
    if x.dtype == np.int64 and (not x.size or max(int(x.max()), -int(x.min())) <= 1 << 53):
        return x.astype(np.float64)
    return None


def _float_grams(a: np.ndarray, b: np.ndarray, exact: _Exact) -> tuple[np.ndarray, np.ndarray, np.ndarray, float] | None:
    """Float Grams ``A A^T``, ``B B^T``, ``A B^T`` and ``delta`` with ``|F_ij - G_ij| <= delta sqrt(G_ii G_jj)``.

    From float64 GEMM on the exact integer rows when they are floats (``delta = gamma_d``,
    :mod:`symrep.measures.float_bounds`), else by rounding the exact Grams (``delta = 2u``,
    more than one correct rounding).  None when a squared norm is beyond float range.
    """
    fa, fb = _float_exact(a), _float_exact(b)
    if fa is not None and fb is not None:
        FA, FB, FX = fa @ fa.T, fb @ fb.T, fa @ fb.T
        delta = gamma_float(max(a.shape[1], 1))
    else:
        ga, gb, cross, _ = exact.parts()
        if any(G[i][i].bit_length() > _MAX_FLOAT_BITS for G in (ga, gb) for i in range(len(G))):
            return None
        FA, FB = (np.array(G, dtype=np.float64).reshape(len(G), len(G)) for G in (ga, gb))
        FX = np.array(cross, dtype=np.float64).reshape(len(ga), len(gb))
        delta = 2 * U
    top = max((float(np.diagonal(F).max()) for F in (FA, FB) if F.size), default=0.0)
    if not top < 2.0**_MAX_FLOAT_BITS:
        return None
    return FA, FB, FX, delta


class _Certifier:
    """Both layers' float Grams (exact ones on demand), and the tests of :mod:`certified`'s design note."""

    def __init__(self, A: IntRows, B: IntRows, eps2: Fraction, floats: tuple[np.ndarray, np.ndarray, np.ndarray, float],
                 exact: _Exact):
        FA, FB, FX, delta = floats
        self.eps2, self._exact_parts = eps2, exact
        self.layers = {"x": _Layer("x", A, FA, delta, exact, 0), "y": _Layer("y", B, FB, delta, exact, 1)}
        na, nb = self.layers["x"].norm, self.layers["y"].norm
        self.cross_f = {"x": FX, "y": FX.T}
        cn = FX / np.outer(na, nb)
        self.cross_n = {"x": cn, "y": cn.T}
        self._cross: dict | None = None
        self.spans: dict = {}
        self.used: dict[str, GramBound] = {}

    @property
    def cross(self) -> dict[str, Any]:
        """The exact cross products ``A B^T`` (``"x"``) and their transpose (``"y"``)."""
        if self._cross is None:
            cross = self._exact_parts.parts()[2]
            nb = len(self.layers["y"].rows)
            co = np.array(cross, dtype=object).reshape(len(self.layers["x"].rows), nb)
            self._cross = {"x": cross, "y": [list(r) for r in zip(*cross)] if cross else [[] for _ in range(nb)],
                           "obj": co}
        return self._cross

    def cross_obj(self, side: str) -> np.ndarray:
        co: np.ndarray = self.cross["obj"]
        return co if side == "x" else co.T

    @classmethod
    def of(cls, A: IntRows, B: IntRows, eps2: Fraction, arrays: tuple[Any, Any] | None = None) -> "_Certifier | None":
        """None when a squared norm is beyond float range (floats cannot propose there).

        ``arrays``: the NumPy arrays A and B were made from, if any (their integer rows in
        float64 are then one scaling away, instead of a conversion of Python integers).
        """
        a, b = _row_ints(A, arrays[0] if arrays else None), _row_ints(B, arrays[1] if arrays else None)
        exact = _Exact(a, b)
        floats = _float_grams(a, b, exact)
        return None if floats is None else cls(A, B, eps2, floats, exact)

    def other(self, side: str) -> str:
        return "y" if side == "x" else "x"

    def float_far(self, side: str, targets: list[int], basis: list[int]) -> tuple[list[int], Any]:
        """The targets the floats place farther than eps, and the proposed coefficients (by target)."""
        mine, other = self.layers[side], self.layers[self.other(side)]
        gamma, dist2 = _propose(mine, other, self.cross_n[side], targets, basis)
        far = [t for t, dd in zip(targets, dist2) if dd > float(self.eps2)]
        return far, dict(zip(targets, gamma.T))

    def _coefficients(self, side: str, targets: list[int], basis: list[int], gamma: dict) -> tuple[np.ndarray, list[int]]:
        """Integer coefficient rows ``C`` (over ``2**m``, one ``m`` per row) rounded from the float proposal."""
        mine, other = self.layers[side], self.layers[self.other(side)]
        C = np.zeros((len(targets), len(basis)), dtype=np.int64)  # columns: the basis neurons
        shifts = []
        for r, t in enumerate(targets):
            c = gamma[t] * (mine.norm[t] / other.norm[basis])  # integer-row coefficients
            top = float(np.abs(c).max()) if len(c) else 0.0
            ok = 0 < top < 2.0**60  # NaN, infinite or absurd proposals become c = 0 (still a valid test)
            m = max(0, _COEFF_BITS - int(np.frexp(top)[1])) if ok else 0
            C[r] = np.rint(np.ldexp(c, m)) if ok else 0
            shifts.append(m)
        return C, shifts

    def certify(self, side: str, targets: list[int], basis: list[int], gamma: dict, exact: bool = True
                ) -> list[tuple[str, Any]]:
        """Per target: ``("in", coefficients)``, ``("out", LowerBound)`` or ``("?", None)``, each proved.

        First by the float filter of :mod:`symrep.measures.float_bounds` (a proved error bound
        decides or declines); the rows it declines by exact integer arithmetic (:meth:`_exact_tests`),
        unless ``exact`` is False (eps = 0: the caller decides them by exact membership instead).
        """
        mine, other = self.layers[side], self.layers[self.other(side)]
        C, shifts = self._coefficients(side, targets, basis, gamma)
        m = np.array(shifts, dtype=np.int64)[:, None]
        Cf = np.ldexp(C.astype(np.float64), -m)  # |C| < 2**51: exact unless it underflows (checked next)
        exact_rows = (np.ldexp(Cf, m) == C).all(axis=1)  # rows whose floats are not their witness are not filtered
        Fg = other.F[np.ix_(basis, basis)]
        Fb = self.cross_f[side][np.ix_(targets, basis)]
        zeta = np.diagonal(mine.F)[targets]
        inside, _ = residual_tests(Cf, Fg, Fb, zeta, other.delta, self.eps2)
        inside &= exact_rows
        outside = np.zeros(len(targets), dtype=bool)
        rest = np.flatnonzero(~inside)
        got = other.bound() if len(rest) else None
        if got is not None:
            gb, g, f_min = got
            w = np.ldexp(1.0, 2 * (f_min + np.array([g[k] for k in basis], dtype=np.int64)))  # 4**f_k, exact
            _, out_rest = residual_tests(Cf[rest], Fg, Fb[rest], zeta[rest], other.delta, self.eps2, w, gb.mu)
            outside[rest[out_rest & exact_rows[rest]]] = True
            if outside.any():
                self.used[other.side] = gb
        out: list[tuple[str, Any]] = []
        for r, t in enumerate(targets):
            coeffs = self._actual(side, t, basis, C[r], shifts[r])  # C[r][i] is the coefficient of basis[i]
            out.append(("in", coeffs) if inside[r] else ("out", LowerBound(coeffs)) if outside[r] else ("?", None))
        undecided = [r for r in range(len(targets)) if not inside[r] and not outside[r]]
        if undecided and exact:
            exact_out = self._exact_tests(side, [targets[r] for r in undecided], basis, C[undecided],
                                          [shifts[r] for r in undecided])
            for r, v in zip(undecided, exact_out):
                out[r] = v
        return out

    def _exact_tests(self, side: str, targets: list[int], basis: list[int], C: np.ndarray, shifts: list[int]
                     ) -> list[tuple[str, Any]]:
        """The tests of :meth:`certify` in exact integers.

        With ``b = Y z`` and ``P = C G`` (exact), ``4**m |z - Y c / 2**m|^2 = 4**m |z|^2 - 2**(m+1) c.b + c.P``
        and ``2**m (b - G c / 2**m) = 2**m b - P``.
        """
        mine, other = self.layers[side], self.layers[self.other(side)]
        P = _mul(C, other.exact.sub(basis, basis))
        Cb = C.astype(object)
        Bb = self.cross_obj(side)[np.ix_(targets, basis)]
        s1, s2 = (Cb * Bb).sum(axis=1), (Cb * P).sum(axis=1)
        num, den = self.eps2.numerator, self.eps2.denominator
        out: list[tuple[str, Any]] = []
        outside = []
        for r, t in enumerate(targets):
            m, z2 = shifts[r], mine.norm2(t)
            rr = (z2 << 2 * m) - (int(s1[r]) << m + 1) + int(s2[r])  # 4**m |r|^2
            coeffs = self._actual(side, t, basis, C[r], m)
            if rr * den <= num * (z2 << 2 * m):
                out.append(("in", coeffs))
            else:
                out.append(("?", None))
                outside.append((r, rr, coeffs))
        got = other.bound() if outside else None
        if got is None:
            return out
        gb, g, f_min = got
        rows = [r for r, _, _ in outside]
        e = Bb[rows] * np.array([1 << shifts[r] for r in rows], dtype=object)[:, None] - P[rows]
        w4 = np.array([1 << 2 * g[k] for k in basis], dtype=object)
        qq = (e * e * w4).sum(axis=1)
        for (r, rr, coeffs), q in zip(outside, qq):
            goal = self.eps2 * (mine.norm2(targets[r]) << 2 * shifts[r])
            if rr - Fraction(int(q)) * _pow2(2 * f_min) / gb.mu > goal:  # |q|^2 / mu, q = U r
                self.used[other.side] = gb
                out[r] = ("out", LowerBound(coeffs))
        return out

    def _actual(self, side: str, t: int, basis: list[int], c: Any, m: int) -> "Coefficients":
        """Integer-row coefficients ``c / 2**m`` as coefficients of the actual (rational) vectors."""
        return Coefficients(basis, c.tolist(), m, self.layers[self.other(side)].rows.scale, self.layers[side].rows.scale[t])

    def exact(self, side: str, rnd: int, idx: list[int], O: list[int]) -> tuple[list, list[Removal]]:
        """The exact projection path for the neurons ``idx``."""
        mine, other = self.layers[side].rows, self.layers[self.other(side)].rows
        return _test(side, rnd, mine, idx, other, O, mine.ncols, self.spans, self.eps2)


_LAST: list = []  # one (A, B, certifier): the eps values of one comparison (and its certificate) share the Grams


def certifier(A: IntRows, B: IntRows, eps2: Fraction, arrays: tuple[Any, Any] | None = None) -> "_Certifier | None":
    """The :class:`_Certifier` of ``A``, ``B`` (the last one made is reused for the same two row objects).

    Its Grams, cross products, gram bounds and exact span bases do not depend on eps; ``eps2`` is set.
    """
    if _LAST and _LAST[0][0] is A and _LAST[0][1] is B:
        cf = _LAST[0][2]
    else:
        _LAST.clear()  # drop the previous layer's products before making the next
        cf = _Certifier.of(A, B, eps2, arrays)
        _LAST.append((A, B, cf))
    if cf is not None:
        cf.eps2, cf.used = eps2, {}
    return cf


def release() -> None:
    """Forget the kept certifier (its Grams and span bases)."""
    _LAST.clear()


def prove_removals(cf: "_Certifier", side: str, targets: list[int], O: list[int]) -> list:
    """Lower-bound proofs that each target is farther than eps from ``span(other[O])``.

    One ``(basis, ints, m)`` per target (see :attr:`Coefficients.integer_form`), or None for a
    target not proved this way (the caller then uses another witness form).
    """
    mine, other = cf.layers[side], cf.layers[cf.other(side)]
    basis = _nonzero(other, O)
    live = [t for t in targets if mine.live[t]]
    if not basis:
        return [([], [], 0) if mine.live[t] else None for t in targets]
    got: dict[int, Any] = {}
    if live:
        _, gamma = cf.float_far(side, live, basis)
        for t, (what, ev) in zip(live, cf.certify(side, live, basis, gamma)):
            got[t] = ev.coefficients.integer_form if what == "out" else None
    return [got.get(t) for t in targets]


# --- the removal loop ------------------------------------------------------------------------


def _nonzero(L: _Layer, idx: Sequence[int]) -> list[int]:
    return [i for i in idx if L.live[i]]


def _resolve(cf: _Certifier, side: str, rnd: int, targets: list[int], O: list[int], prove: bool
             ) -> tuple[dict[int, tuple], list[Removal]]:
    """Exact verdicts on ``targets`` against ``span(other[O])``: proved memberships and proved removals.

    Without ``prove`` only the targets the floats place outside are tested (the others are kept
    unproved, as the loop allows).
    """
    mine, other = cf.layers[side], cf.layers[cf.other(side)]
    basis = _nonzero(other, O)
    targets = _nonzero(mine, targets)
    if not targets:
        return {}, []
    if not basis:  # only zero vectors on the other side: the exact path is immediate
        k0, d0 = cf.exact(side, rnd, targets, O)
        return dict(k0), d0
    far, gamma = cf.float_far(side, targets, basis)
    test = targets if prove else far
    kept: dict[int, tuple] = {}
    dropped: list[Removal] = []
    undecided = []
    for t, (what, ev) in zip(test, cf.certify(side, test, basis, gamma) if test else []):
        if what == "in":
            kept[t] = ev
        elif what == "out":
            dropped.append(Removal(rnd, side, t, (), Fraction(0), ev))
        else:
            undecided.append(t)
    if undecided:
        k2, d2 = cf.exact(side, rnd, undecided, O)
        kept.update(k2)
        dropped += d2
    return kept, dropped


def certified_maximum_match(A: IntRows, B: IntRows, eps2: Fraction, start: tuple[Sequence[int], Sequence[int]] | None = None,
                            arrays: tuple[Any, Any] | None = None) -> MaximumMatch | None:
    """Wang et al.'s maximum eps-match (eps2 = eps**2 > 0), decided as in the module's design note.

    Returns None when the floats cannot represent the Grams (entries beyond float range); the
    caller then runs the exact path.  The sets are those of the exact path; the witnesses are
    coefficients (kept neurons) and removals proved by an orthogonal residual or a lower bound.

    >>> A = IntRows.of([(Fraction(4), Fraction(3)), (Fraction(0), Fraction(1))])
    >>> B = IntRows.of([(Fraction(1), Fraction(0))])
    >>> m = certified_maximum_match(A, B, Fraction(9, 25))   # eps = 3/5: x0 exactly at eps, x1 far
    >>> m.x, m.y, [r.neuron for r in m.removals]
    ((0,), (0,), [1])
    """
    if eps2 <= 0:
        raise InternalError("internal error: the certified path is for eps > 0")
    cf = certifier(A, B, eps2, arrays)
    if cf is None:
        return None
    X, Y = (list(range(len(A))), list(range(len(B)))) if start is None else (list(start[0]), list(start[1]))
    removals: list[Removal] = []
    rnd = 0
    while True:
        rnd += 1
        changed = False
        for side in ("x", "y"):
            mine, other = (X, Y) if side == "x" else (Y, X)
            _, dropped = _resolve(cf, side, rnd, mine, other, prove=False)
            removals += dropped
            gone = {r.neuron for r in dropped}
            mine[:] = [i for i in mine if i not in gone]
            changed = changed or bool(dropped)
        if changed:
            continue
        proofs = {}
        for side in ("x", "y"):
            mine, other = (X, Y) if side == "x" else (Y, X)
            kept, dropped = _resolve(cf, side, rnd, mine, other, prove=True)
            if dropped:
                removals += dropped
                gone = {r.neuron for r in dropped}
                mine[:] = [i for i in mine if i not in gone]
                break
            proofs[side] = kept
        else:
            break
    LA, LB = cf.layers["x"], cf.layers["y"]
    return MaximumMatch(
        x=tuple(X),
        y=tuple(Y),
        zero_x=tuple(i for i in X if not LA.live[i]),
        zero_y=tuple(j for j in Y if not LB.live[j]),
        removals=tuple(removals),
        x_in_y=tuple((i, proofs["x"].get(i, ())) for i in X),
        y_in_x=tuple((j, proofs["y"].get(j, ())) for j in Y),
        width_x=len(A),
        width_y=len(B),
        eps_squared=eps2,
        gram_bounds=tuple(cf.used[s] for s in ("x", "y") if s in cf.used),
    )


def certified_approx_match(A: IntRows, B: IntRows, eps: Fraction, X: Sequence[int], Y: Sequence[int],
                           arrays: tuple[Any, Any] | None = None) -> ExactMatch | None:
    """Wang et al.'s eps-match test of neurons X of A and Y of B (eps > 0), certified; None: use the exact path.

    >>> A = IntRows.of([(Fraction(4), Fraction(3))]); B = IntRows.of([(Fraction(1), Fraction(0))])
    >>> certified_approx_match(A, B, Fraction(3, 5), [0], [0]).holds, certified_approx_match(A, B, Fraction(1, 2), [0], [0]).holds
    (True, False)
    """
    if eps <= 0:
        raise InternalError("internal error: the certified path is for eps > 0")
    cf = certifier(A, B, eps * eps, arrays)
    if cf is None:
        return None
    e = eps
    proofs = {}
    for side, mine, other in (("x", list(X), list(Y)), ("y", list(Y), list(X))):
        kept, dropped = _resolve(cf, side, 0, mine, other, prove=True)
        if dropped:
            f = dropped[0]
            gb = (cf.used[cf.other(side)],) if f.bound is not None else ()
            return ExactMatch(False, tuple(X), tuple(Y), failure=f, eps=e, gram_bounds=gb)
        proofs[side] = kept
    return ExactMatch(True, tuple(X), tuple(Y), tuple((i, proofs["x"].get(i, ())) for i in X),
                      tuple((j, proofs["y"].get(j, ())) for j in Y), eps=e)


def gram_bound(rows: IntRows, side: str = "y") -> GramBound | None:
    """A certified lower bound on the smallest eigenvalue of the (rescaled) Gram of the non-zero rows, or None.

    >>> gb = gram_bound(IntRows.of([(Fraction(1), Fraction(0)), (Fraction(1), Fraction(1))]))
    >>> 0 < gb.mu < 1
    True
    """
    a = _ints(rows.ints)
    exact = _Exact(a, a)
    floats = _float_grams(a, a, exact)
    if floats is None:
        return None
    got = _Layer(side, rows, floats[0], floats[3], exact, 0).bound()
    return None if got is None else got[0]


