"""The equivalence ladder between two representations, decided exactly, and exact linear CKA.

Design note
-----------
Two activation matrices A and B (rows = neurons, columns = the same data points)
can agree in ways of decreasing strength.  Strongest first:

1. ``identical``: A == B;
2. ``permutation``: A = P B for a permutation matrix P;
3. ``scaled_permutation``: A = D P B with D diagonal and positive, the symmetry
   group of a ReLU layer; and, incomparable with it,
   ``orthogonal``: A = Q B with Q orthogonal, which holds exactly when the Gram
   matrices over the data agree, A^T A == B^T B;
   ``similarity``: A = c Q B with Q orthogonal and a scalar c > 0 (a similarity
   transform: CKA's and centred Procrustes' invariance class), which holds exactly
   when A^T A == c^2 B^T B;
4. ``linear``: A = M B with M invertible; for layers of equal width this is
   equality of the row spans (Wang et al.'s exact match of the whole layers),
   and it is decided by the same procedure;
5. ``isomorphic``: the spans have equal dimension.

The partial order (each arrow an implication, for layers of equal width; no other
arrow holds in general): identical -> permutation -> scaled_permutation -> linear;
permutation -> orthogonal -> similarity -> linear -> isomorphic.  A permutation matrix is
orthogonal; orthogonal is similarity with c = 1; c Q is invertible.  scaled_permutation
with *equal* scales s is similarity (A = s P B, and P is orthogonal); with unequal scales
it is not in general (``[[2, 0], [0, 1]]`` against the identity), and similarity does not
imply scaled_permutation (a rotation), so the two are incomparable.  Every level but
``isomorphic`` is a map applied on the neurons' side, which commutes with centring
(``(M B) C = M (B C)`` for the centring matrix C), so each of them implies its centred form.

Each decision returns a witness a reader can check by multiplication and
addition: the permutation (and scales), the Gram matrices or a differing Gram
entry, the map M with its inverse, the dimensions with an explicit isomorphism,
or for a failure a row that has no partner, a neuron outside the other span with
an orthogonal vector, or the two dimensions.  The ``centered`` variants subtract
from every neuron its mean over the data first, as CCA and CKA do.

``cka_squared`` is linear CKA squared: for centered A and B,
``||A B^T||_F^4 / (||A A^T||_F^2 ||B B^T||_F^2)``, a rational number.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

from symrep.errors import InputError, InternalError
from symrep.exact.numbers import Matrix, as_matrix, format_number
from symrep.exact.linalg import matmul, span_basis
import symrep.measures.cka
from symrep.measures.matching import exact_match
from symrep.networks.spaces import isomorphism

__all__ = ["LEVELS", "Equivalence", "center", "cka_squared", "equivalence", "ladder"]

LEVELS = ("identical", "permutation", "scaled_permutation", "orthogonal", "similarity", "linear", "isomorphic")

_s = format_number


@dataclass(frozen=True)
class Equivalence:
    """Whether A and B are equivalent at ``level`` (after centering if ``centered``), with the witness."""

    level: str
    holds: bool
    centered: bool
    explanation: str
    witness: dict[str, Any]

    def to_sympy(self) -> dict[str, Any]:
        """The witness as SymPy: the level's map (``Q``), ``scales``, coordinates as ``ImmutableMatrix``/``Rational``."""
        from symrep.exact.symbolic import witness_to_sympy

        return witness_to_sympy(self.witness)

    def _repr_html_(self) -> str:
        from symrep.measures.display import equivalence_html

        return equivalence_html(self)


def center(a: Any) -> Matrix:
    """Subtract from every row (neuron) its mean over the columns (data points).

    >>> [[str(x) for x in r] for r in center([[1, 2, 3], [0, 0, 3]])]
    [['-1', '0', '1'], ['-1', '-1', '2']]
    """
    A = as_matrix(a, "A")
    out = []
    for row in A:
        mean = sum(row, Fraction(0)) / len(row) if row else Fraction(0)
        out.append(tuple(x - mean for x in row))
    return tuple(out)


def _mat(m: Sequence[Sequence[Fraction]]) -> list[list[str]]:
    return [[_s(x) for x in r] for r in m]


def _positive_direction(row: tuple[Fraction, ...]) -> tuple[tuple[int, ...], Fraction]:
    """The primitive integer multiple of *row* with a positive factor, and that factor."""
    den = math.lcm(*(x.denominator for x in row)) if row else 1
    ints = [int(x * den) for x in row]
    g = math.gcd(*ints)
    if g == 0:
        return tuple(ints), Fraction(0)
    return tuple(x // g for x in ints), Fraction(g, den)


def _first_unpaired(keys_a: list, keys_b: list) -> int | None:
    ca, cb = Counter(keys_a), Counter(keys_b)
    return next((i for i, k in enumerate(keys_a) if ca[k] > cb[k]), None)


def _pairing(keys_a: list, keys_b: list) -> list[int]:
    free: dict[Any, list[int]] = {}
    for j, k in enumerate(keys_b):
        free.setdefault(k, []).append(j)
    return [free[k].pop(0) for k in keys_a]


def _widths(A: Matrix, B: Matrix, level: str, centered: bool) -> Equivalence | None:
    if len(A) != len(B):
        return Equivalence(level, False, centered, f"the layers have {len(A)} and {len(B)} neurons",
                           {"widths": [len(A), len(B)]})
    return None


def _identical(A, B, c):
    for i, (ra, rb) in enumerate(zip(A, B)):
        for j, (x, y) in enumerate(zip(ra, rb)):
            if x != y:
                return Equivalence("identical", False, c, f"neuron {i}, point {j}: {_s(x)} != {_s(y)}",
                                   {"neuron": i, "point": j, "values": [_s(x), _s(y)]})
    return Equivalence("identical", True, c, "every activation vector agrees", {})


def _permutation(A, B, c):
    bad = _first_unpaired(list(A), list(B))
    if bad is not None:
        return Equivalence("permutation", False, c,
                           f"neuron {bad} of A occurs {list(A).count(A[bad])} times in A but {list(B).count(A[bad])} times in B",
                           {"neuron": bad})
    perm = _pairing(list(A), list(B))
    return Equivalence("permutation", True, c, f"A[i] = B[perm[i]] with perm = {perm}", {"permutation": perm})


def _scaled(A, B, c):
    da, db = [_positive_direction(r) for r in A], [_positive_direction(r) for r in B]
    ka, kb = [k for k, _ in da], [k for k, _ in db]
    bad = _first_unpaired(ka, kb)
    if bad is not None:
        return Equivalence("scaled_permutation", False, c,
                           f"no neuron of B is a positive multiple of neuron {bad} of A (counting repeats)",
                           {"neuron": bad})
    perm = _pairing(ka, kb)
    scales = [da[i][1] / db[j][1] if db[j][1] else Fraction(1) for i, j in enumerate(perm)]
    return Equivalence("scaled_permutation", True, c,
                       f"A[i] = s_i B[perm[i]] with perm = {perm} and positive scales s",
                       {"permutation": perm, "scales": [_s(x) for x in scales]})


def _coordinates(rows: Matrix, sb) -> list[list[Fraction]]:
    """Coordinates of *rows* over the basis rows of *sb* (they must lie in its span)."""
    out = []
    for ans in sb.express(rows):
        c = dict(ans.coefficients)  # a Member: the spans were shown equal
        out.append([c.get(b, Fraction(0)) for b in sb.basis])
    return out


def _orthogonal(A, B, c):
    # A = Q B with Q orthogonal  <=>  A^T A == B^T B.  Both Grams are d x d, so compare them through
    # coordinates over a basis of B's rows: A = CA Bb, B = CB Bb, and A^T A == B^T B iff CA^T CA == CB^T CB.
    m = exact_match(A, B)
    if m.failure is not None:  # different row spans, so different kernels: |A w| != |B w| for the orthogonal w
        return _quadratic_failure(A, B, c, {j: Fraction(x) for j, x in m.failure.orthogonal}, "the row spans differ")
    sb = span_basis(B)
    CA, CB = _coordinates(A, sb), _coordinates(B, sb)
    GA = matmul(tuple(zip(*CA)), CA) if sb.rank else ()
    GB = matmul(tuple(zip(*CB)), CB) if sb.rank else ()
    if GA != GB:
        # A vector u with u^T GA u != u^T GB u: e_k where a diagonal entry differs; when every diagonal
        # entry agrees, e_k + e_l for a differing (k, l), where the forms differ by 2 (GA - GB)[k][l].
        # (Taking e_k + e_l while a diagonal entry differs can cancel: GA - GB = [[0, 1], [1, -2]].)
        r = sb.rank
        diagonal = [k for k in range(r) if GA[k][k] != GB[k][k]]
        k, l = (diagonal[0],) * 2 if diagonal else next((k, l) for k in range(r) for l in range(r) if GA[k][l] != GB[k][l])
        u = [Fraction(int(t in (k, l))) for t in range(r)]
        # w on the pivot columns with Bb w = u: coordinates u of the data-space functional
        K = sb.inverse
        wp = [sum((K[a][b] * u[b] for b in range(sb.rank)), Fraction(0)) for a in range(sb.rank)]
        w = {sb.pivots[a]: wp[a] for a in range(sb.rank) if wp[a]}
        return _quadratic_failure(A, B, c, w, "the Gram matrices differ")
    witness: dict[str, Any] = {"basis": list(sb.basis), "a_coordinates": _mat(CA), "b_coordinates": _mat(CB)}
    text = "A^T A == B^T B (shown through coordinates over a basis of B's rows), so A = Q B for an orthogonal Q"
    if sb.rank == len(B) and len(B) <= 64:  # Q = CA CB^{-1} is unique, hence rational
        witness["map"] = _mat(matmul(CA, _inverse(CB)))
        text += "; Q is in the witness"
    elif sb.rank < len(B):
        text += " (over the reals, by the polar decomposition; Q is not unique)"
    return Equivalence("orthogonal", True, c, text, witness)


def _functional(sb, u: Sequence[Fraction]) -> dict[int, Fraction]:
    """A data-space vector w (on the pivot columns of the basis *sb*) with Bb w = u, Bb the basis rows."""
    K = sb.inverse
    wp = [sum((K[a][b] * u[b] for b in range(sb.rank)), Fraction(0)) for a in range(sb.rank)]
    return {sb.pivots[a]: wp[a] for a in range(sb.rank) if wp[a]}


def _norms2(M: Matrix, w: Mapping[int, Fraction]) -> Fraction:
    """|M w|^2 for a sparse data-space vector w."""
    return sum((sum((row[j] * x for j, x in w.items()), Fraction(0)) ** 2 for row in M), Fraction(0))


def _similarity(A, B, c):
    # A = s Q B (Q orthogonal, s > 0)  <=>  A^T A == s^2 B^T B, shown, as for ``orthogonal``, through coordinates
    # CA, CB over a basis of B's rows: CA^T CA == s^2 CB^T CB.  Refuted by one vector w with exactly one of
    # |A w|, |B w| zero, or by two vectors u, v with |A u|^2 |B v|^2 != |A v|^2 |B u|^2 (both would be s^2-proportional).
    m = exact_match(A, B)
    vectors: list[dict[int, Fraction]]
    if m.failure is not None:  # the orthogonal w annihilates one side's rows but not a row of the other
        vectors, why = [{j: Fraction(x) for j, x in m.failure.orthogonal}], "the row spans differ"
    else:
        sb = span_basis(B)
        CA, CB = _coordinates(A, sb), _coordinates(B, sb)
        r = sb.rank
        GA = matmul(tuple(zip(*CA)), CA) if r else ()
        GB = matmul(tuple(zip(*CB)), CB) if r else ()
        s2 = GA[0][0] / GB[0][0] if r else Fraction(1)  # GB is positive definite: CB has rank r
        bad = next(((k, l) for k in range(r) for l in range(r) if GA[k][l] != s2 * GB[k][l]), None)
        if bad is None:
            return Equivalence("similarity", True, c,
                               f"A^T A == {_s(s2)} B^T B (through coordinates over a basis of B's rows), so A = s Q B "
                               f"with s^2 = {_s(s2)} and Q orthogonal",
                               {"scale_squared": _s(s2), "basis": list(sb.basis), "a_coordinates": _mat(CA),
                                "b_coordinates": _mat(CB)})
        # u = e_0 (where s^2 was read off) and v = e_k at a differing diagonal entry, else v = e_k + e_l at a
        # differing (k, l): then v^T GA v - s^2 v^T GB v = 2 (GA - s^2 GB)[k][l] != 0.
        diagonal = [t for t in range(r) if GA[t][t] != s2 * GB[t][t]]
        k, l = (diagonal[0],) * 2 if diagonal else bad
        unit = [Fraction(int(t == 0)) for t in range(r)]
        other = [Fraction(int(t in (k, l))) for t in range(r)]
        vectors, why = [_functional(sb, unit), _functional(sb, other)], "the Gram matrices are not proportional"
    norms = [[_norms2(A, w), _norms2(B, w)] for w in vectors]
    if len(vectors) == 1 and (norms[0][0] == 0) == (norms[0][1] == 0) or \
            len(vectors) == 2 and norms[0][0] * norms[1][1] == norms[1][0] * norms[0][1]:
        raise InternalError("internal error: the similarity witness does not separate the Grams")
    return Equivalence("similarity", False, c, f"{why}: for the vectors w in the witness, |A w|^2 and |B w|^2 are "
                       f"{'; '.join(f'{_s(a)}, {_s(b)}' for a, b in norms)}: no s > 0 has |A w| = s |B w| for each",
                       {"vectors": [[[j, _s(x)] for j, x in sorted(w.items())] for w in vectors],
                        "norms": [[_s(a), _s(b)] for a, b in norms]})


def _quadratic_failure(A, B, c, w: Mapping[int, Fraction], why: str) -> Equivalence:
    def norm2(M):
        return sum((sum((row[j] * x for j, x in w.items()), Fraction(0)) ** 2 for row in M), Fraction(0))

    na, nb = norm2(A), norm2(B)
    if na == nb:  # w was chosen where the Gram forms differ (or in one kernel only), so this cannot happen
        raise InternalError("internal error: quadratic witness does not separate the Grams")
    return Equivalence("orthogonal", False, c,
                       f"{why}: for the vector w in the witness, |A w|^2 = {_s(na)} but |B w|^2 = {_s(nb)}",
                       {"vector": [[j, _s(x)] for j, x in sorted(w.items())], "norms": [_s(na), _s(nb)]})


def _inverse(M: Sequence[Sequence[Fraction]]) -> Matrix:
    n = len(M)
    aug = tuple(tuple(row) + tuple(Fraction(int(i == j)) for j in range(n)) for i, row in enumerate(M))
    from symrep.exact.linalg import rref

    R, _ = rref(aug)
    return tuple(tuple(r[n:]) for r in R)


def _cover(items) -> list[list[Any]]:
    return [[i, [[j, _s(x)] for j, x in c]] for i, c in items]


def _linear(A, B, c):
    m = exact_match(A, B)
    f = m.failure
    if f is not None:  # exactly when the match does not hold
        side = "A" if f.side == "x" else "B"
        return Equivalence("linear", False, c,
                           f"neuron {f.neuron} of {side} is outside the other span (orthogonal witness, product {_s(f.product)})",
                           {"side": f.side, "neuron": f.neuron,
                            "orthogonal": [[j, str(x)] for j, x in f.orthogonal], "product": _s(f.product)})
    w: dict[str, Any] = {"x_in_y": _cover(m.x_in_y), "y_in_x": _cover(m.y_in_x)}
    text = "equal row spans of equal-width layers, so A = M B with M invertible"
    if len(A) <= 64:
        M, Minv = _invertible_map(A, B)
        w["map"], w["inverse"] = _mat(M), _mat(Minv)
        text += " (M and its inverse in the witness)"
    return Equivalence("linear", True, c, text, w)


def _invertible_map(A: Matrix, B: Matrix) -> tuple[Matrix, Matrix]:
    """Invertible M with A = M B, for row spans that are equal and the same number of rows."""
    n = len(B)
    sb = span_basis(B)
    CA, CB = _coordinates(A, sb), _coordinates(B, sb)

    def extend(C):  # [C | unit columns e_j for the rows j outside an invertible r x r block of C]
        rows = set(span_basis(C, sb.rank).basis) if sb.rank else set()
        units = [[Fraction(int(i == j)) for i in range(n)] for j in range(n) if j not in rows]
        cols = [list(col) for col in zip(*C)] + units if sb.rank else units
        return tuple(zip(*cols))

    FA, FB = extend(CA), extend(CB)
    M = matmul(FA, _inverse(FB))
    return M, _inverse(M)


def _isomorphic(A, B, c):
    d = len(A[0]) if A else 0
    ra, rb = span_basis(A, d).rank, span_basis(B, d).rank
    if ra != rb:
        return Equivalence("isomorphic", False, c, f"the spans have dimensions {ra} and {rb}", {"dimensions": [ra, rb]})
    iso = isomorphism(A, B)
    if iso is None:  # isomorphism() is None only for spans of different dimensions, refused above
        raise InternalError("internal error: no isomorphism between spans of equal dimension")
    return Equivalence("isomorphic", True, c, f"both spans have dimension {ra}",
                       {"dimensions": [ra, rb],
                        "map": {"rows": list(iso.forward_rows), "matrix": _mat(iso.forward)},
                        "inverse": {"rows": list(iso.backward_rows), "matrix": _mat(iso.backward)},
                        "source": list(iso.source), "target": list(iso.target)})


_DECIDE = {
    "identical": _identical,
    "permutation": _permutation,
    "scaled_permutation": _scaled,
    "orthogonal": _orthogonal,
    "similarity": _similarity,
    "linear": _linear,
    "isomorphic": _isomorphic,
}


def _prepare(a: Any, b: Any, centered: bool) -> tuple[Matrix, Matrix]:
    A, B = as_matrix(a, "A"), as_matrix(b, "B")
    if not A or not B:
        raise InputError("both activation matrices need at least one neuron (row)")
    if len(A[0]) != len(B[0]):
        raise InputError(f"activation vectors have {len(A[0])} and {len(B[0])} entries: the data must be the same")
    return (center(A), center(B)) if centered else (A, B)


def equivalence(a: Any, b: Any, level: str, *, centered: bool = False) -> Equivalence:
    """Decide whether A and B are equivalent at *level* (one of :data:`LEVELS`), with a witness.

    >>> equivalence([[2, 0], [0, 1]], [[0, 1], [1, 0]], "scaled_permutation").witness
    {'permutation': [1, 0], 'scales': ['2', '1']}
    >>> equivalence([[2, 0], [0, 1]], [[0, 1], [1, 0]], "permutation").holds
    False
    """
    if level not in _DECIDE:
        raise InputError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    A, B = _prepare(a, b, centered)
    if level != "isomorphic":
        bad = _widths(A, B, level, centered)
        if bad is not None:
            return bad
    return _DECIDE[level](A, B, centered)


def ladder(a: Any, b: Any, *, centered: bool = False) -> list[Equivalence]:
    """Every level of the ladder, strongest first.

    >>> [e.holds for e in ladder([[1, 0], [0, 1]], [[0, 3], [1, 0]])]
    [False, False, True, False, False, True, True]
    >>> [e.holds for e in ladder([[3, 0], [0, 3]], [[0, 1], [1, 0]])]
    [False, False, True, False, True, True, True]
    """
    return [equivalence(a, b, level, centered=centered) for level in LEVELS]


def cka_squared(a: Any, b: Any) -> Fraction:
    """Linear CKA squared of two representations (rows = neurons), exactly; both are centered first.

    >>> cka_squared([[1, 2, 3]], [[2, 4, 6]])
    Fraction(1, 1)
    """
    return symrep.measures.cka.cka_squared(a, b)  # exact, from exact integer Grams (see that module)
