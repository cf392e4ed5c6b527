"""Certified exact match (eps = 0): floating point proposes, exact arithmetic proves every verdict.

Design note
-----------
Wang et al.'s removal loop at eps = 0 asks, for a neuron ``z`` and the other side's
remaining vectors ``Y``, whether ``z`` lies in ``span Y``.  The exact path
(:func:`symrep.measures.match_core._test`) answers every question by modular
elimination and proves each *removal* by an exact vector orthogonal to the span,
whose entries have tens of thousands of bits at 512 neurons x 10,000 points.  Here
the two verdicts get the cheapest proof each has:

* **Outside.**  A certified strictly positive lower bound on the distance, the form
  of :mod:`symrep.measures.certified` with eps = 0: float least squares proposes
  coefficients ``c`` (rounded to dyadic rationals), and
  ``dist(z, span Y)**2 >= |r|**2 - |U r|**2 / mu > 0`` (``r = z - Y c``, ``u_k = t_k y_k``,
  ``mu`` a certified lower bound on the smallest eigenvalue of ``U U^T``,
  :class:`~symrep.measures.match_core.GramBound`; a principal submatrix keeps it by
  interlacing).  It is decided by the float filter with proved error bounds
  (:func:`symrep.measures.float_bounds.residual_tests`): a removal is recorded only when
  the bound is proved positive.  The checker re-derives it exactly (``check_lower_bound``
  with eps = 0: the bound must exceed ``0 * |z|**2``).
* **Inside.**  Exact coefficients.  A neuron equal up to a rational factor to one of
  the other side's remaining rows is found by comparing *primitive* integer rows (each
  integer row divided by the gcd of its entries, signed by its first non-zero entry):
  two rows have the same direction exactly when their primitive rows are equal, which
  is checked on every column (a fingerprint only proposes the candidate).  Any other
  neuron goes to the exact path (``_test``: modular elimination, an exact solve on the
  pivot block, verified), which also answers, with an orthogonal witness, a neuron the
  float filter could not place outside (ties of nearly parallel neurons, an
  ill-conditioned or singular Gram).

As in :mod:`symrep.measures.certified`, the loop keeps a neuron it has not proved
outside until the loop has converged; then every kept neuron is proved a member of
the other side's final span (or removed with its proof, and the loop resumes).  A
removal proved against the current sets is sound against any later (smaller) sets,
so the removal trace and the final coefficients prove the maximum match exactly as
the exact path's do (:mod:`symrep.measures.matching`'s design note).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from symrep.errors import InternalError
from symrep.exact.linalg import IntRows
from symrep.measures.certified import _propose, certifier
from symrep.measures.match_core import MaximumMatch, Removal, _test

__all__ = ["FAR", "certified_exact_maximum_match", "directions"]

#: Float relative squared distances above this are tested by the certified lower bound (a choice of
#: work only: a neuron not proved outside is decided exactly).  Members come out near 1e-15.
FAR = 1e-9


class Directions:
    """Primitive integer rows of an int64 matrix: ``M[i] == mult[i] * P[i]`` exactly, ``P[i]`` primitive.

    ``P[i]`` is ``M[i]`` divided by the gcd of its entries, with a positive first non-zero
    entry; zero rows have ``mult == 0``.  ``key`` is a fingerprint (a wrapping ``uint64``
    combination of the entries) that proposes equal rows; equality is checked entry by entry.

    >>> D = directions(np.array([[2, 4, 0], [-1, -2, 0], [0, 0, 0], [1, 3, 0]]))
    >>> D.P.tolist(), D.mult.tolist()
    ([[1, 2, 0], [1, 2, 0], [0, 0, 0], [1, 3, 0]], [2, -1, 0, 1])
    """

    def __init__(self, P: np.ndarray, mult: np.ndarray, key: np.ndarray):
        self.P, self.mult, self.key = P, mult, key


def directions(M: np.ndarray) -> Directions:
    """The :class:`Directions` of the rows of an int64 array."""
    n, d = M.shape
    g = np.gcd.reduce(M, axis=1) if d else np.zeros(n, dtype=np.int64)
    first = M[np.arange(n), (M != 0).argmax(axis=1)] if d else np.zeros(n, dtype=np.int64)
    mult = g * np.sign(first)
    P = M // np.where(mult == 0, 1, mult)[:, None]  # exact: the gcd divides every entry of its row
    r = np.random.default_rng(20181203).integers(1, 2**63, size=d, dtype=np.uint64) | np.uint64(1)
    key = P.view(np.uint64) @ r if d else np.zeros(n, dtype=np.uint64)  # wraps modulo 2**64: only proposes
    return Directions(P, mult, key)


class _Rows:
    """The directions of one side's rows, made for the rows asked about (none when the rows have no int64 array)."""

    def __init__(self, R: IntRows):
        self.rows = R
        a = R.array
        self._array = a if a is not None and a.dtype == np.int64 and a.ndim == 2 else None
        self._made: dict[int, tuple[np.ndarray, int, int]] = {}  # row -> (primitive row, multiplier, fingerprint)

    def of(self, idx: Sequence[int]) -> dict[int, tuple[np.ndarray, int, int]] | None:
        if self._array is None:
            return None
        missing = [i for i in idx if i not in self._made]
        if missing:
            D = directions(self._array[missing])
            self._made.update((i, (D.P[r], int(D.mult[r]), int(D.key[r]))) for r, i in enumerate(missing))
        return self._made


def _multiples(mine: _Rows, targets: list[int], other: _Rows, O: Sequence[int]) -> dict[int, tuple]:
    """Targets equal to a rational multiple of one row of ``O``: ``{t: ((k, lam),)}``, ``z_t = lam z_k``, exact."""
    if not targets or not len(O):
        return {}
    Dm, Do = mine.of(targets), other.of(O)
    if Dm is None or Do is None:
        return {}
    by_key: dict[int, list[int]] = {}
    for k in O:
        if Do[k][1]:
            by_key.setdefault(Do[k][2], []).append(k)
    out: dict[int, tuple] = {}
    sm, so = mine.rows.scale, other.rows.scale
    for t in targets:
        Pt, mt, kt = Dm[t]
        for k in by_key.get(kt, ()) if mt else ():
            if np.array_equal(Pt, Do[k][0]):  # the same primitive row on every column: the same direction
                # z_t = mult_t P / scale_t and z_k = mult_k P / scale_k
                out[t] = ((k, Fraction(mt * so[k], Do[k][1] * sm[t])),)
                break
    return out


def _float_removals(cf: Any, side: str, rnd: int, mine: list[int], O: list[int], d: int) -> list[Removal]:
    """Removals of ``mine`` proved by a certified positive distance lower bound to ``span(other[O])``."""
    L, Lo = cf.layers[side], cf.layers[cf.other(side)]
    basis = [k for k in O if Lo.live[k]]
    targets = [t for t in mine if L.live[t]]
    if not targets or not basis or len(basis) >= d:  # a Gram of more vectors than points is singular: no bound
        return []
    G, dist2 = _propose(L, Lo, cf.cross_n[side], targets, basis)
    far = [t for t, dd in zip(targets, dist2) if dd > FAR]
    if not far:
        return []
    gamma = dict(zip(targets, G.T))
    out = []
    for t, (what, ev) in zip(far, cf.certify(side, far, basis, gamma, exact=False)):
        if what == "out":
            out.append(Removal(rnd, side, t, (), Fraction(0), ev))
    return out


def _prove(cf: Any, rows: dict[str, _Rows], side: str, rnd: int, mine: list[int], O: list[int], spans: dict
           ) -> tuple[dict[int, Any], list[Removal]]:
    """Exact verdicts on every neuron of ``mine`` against ``span(other[O])``: coefficients or removals."""
    L = cf.layers[side]
    o = cf.other(side)
    kept: dict[int, Any] = {t: () for t in mine if not L.live[t]}  # zero vectors lie in every span
    live = [t for t in mine if L.live[t]]
    basis = [k for k in O if cf.layers[o].live[k]]
    found = _multiples(rows[side], live, rows[o], basis)
    kept.update(found)
    rest = [t for t in live if t not in found]
    dropped: list[Removal] = []
    if rest:
        k2, dropped = _test(side, rnd, rows[side].rows, rest, rows[o].rows, O, rows[side].rows.ncols, spans)
        kept.update(k2)
    return kept, dropped


def certified_exact_maximum_match(A: IntRows, B: IntRows, arrays: tuple[Any, Any] | None = None) -> MaximumMatch | None:
    """Wang et al.'s maximum exact match (eps = 0), decided as in the module's design note; None: use the exact path.

    The sets are those of the exact path (:func:`symrep.measures.matching.maximum_match`); removals
    are proved by a distance lower bound (with the match's ``gram_bounds``) or an orthogonal vector.

    >>> A = IntRows.of([(Fraction(1), Fraction(0), Fraction(0)), (Fraction(0), Fraction(1), Fraction(0))])
    >>> B = IntRows.of([(Fraction(2), Fraction(0), Fraction(0)), (Fraction(0), Fraction(1), Fraction(1))])
    >>> m = certified_exact_maximum_match(A, B)
    >>> m.x, m.y, m.x_in_y, [(r.side, r.neuron, r.bound is not None) for r in m.removals]
    ((0,), (0,), ((0, ((0, Fraction(1, 2)),)),), [('x', 1, True), ('y', 1, True)])
    """
    cf = certifier(A, B, Fraction(0), arrays)
    if cf is None:
        return None
    d = A.ncols
    rows = {"x": _Rows(A), "y": _Rows(B)}
    X, Y = list(range(len(A))), list(range(len(B)))
    removals: list[Removal] = []
    spans: dict = {}
    rnd = 0
    proofs: dict[str, dict[int, Any]] = {}
    while True:
        rnd += 1
        changed = False
        for side in ("x", "y"):
            mine, other = (X, Y) if side == "x" else (Y, X)
            dropped = _float_removals(cf, side, rnd, mine, other, d)
            removals += dropped
            gone = {r.neuron for r in dropped}
            mine[:] = [i for i in mine if i not in gone]
            changed = changed or bool(dropped)
        if changed:
            continue
        for side in ("x", "y"):
            mine, other = (X, Y) if side == "x" else (Y, X)
            kept, dropped = _prove(cf, rows, side, rnd, mine, other, spans)
            if dropped:
                removals += dropped
                gone = {r.neuron for r in dropped}
                mine[:] = [i for i in mine if i not in gone]
                break
            proofs[side] = kept
        else:
            break
    used = dict(cf.used)
    if any(r.bound is not None and r.side == s and ("y" if s == "x" else "x") not in used for r in removals for s in "xy"):
        raise InternalError("internal error: a lower-bound removal without its gram bound")  # pragma: no cover
    return MaximumMatch(
        x=tuple(X),
        y=tuple(Y),
        zero_x=tuple(i for i in X if not cf.layers["x"].live[i]),
        zero_y=tuple(j for j in Y if not cf.layers["y"].live[j]),
        removals=tuple(removals),
        x_in_y=tuple((i, proofs["x"][i]) for i in X),
        y_in_x=tuple((j, proofs["y"][j]) for j in Y),
        width_x=len(A),
        width_y=len(B),
        gram_bounds=tuple(used[s] for s in ("x", "y") if s in used),
    )
