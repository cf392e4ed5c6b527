"""Simple matches (Wang et al.): v-minimal matches, enumeration, and decomposition.

Design note
-----------
A match is a pair (X, Y) of neuron sets with span z_X == span z_Y (or, with
eps > 0, each vector within relative distance eps of the other side's span).
The union of two matches is a match, so the matches contained in any match
form a lattice; a *simple* match is a non-empty match that is not the union of
the matches strictly contained in it, and every match is the union of the
simple matches it contains.

* :func:`minimal_match` follows Wang et al.'s code with exact arithmetic:
  starting from the maximum match, it tries to delete each other neuron in
  turn and keeps the deletion when ``v`` stays in the maximum match of what
  remains.  The result is a match containing ``v`` from which no single neuron
  can be dropped without losing ``v``.
* :func:`all_matches` enumerates every match of two small layers (at most
  :data:`ENUMERATION_LIMIT` neurons a side) by grouping the subsets of each side
  by their span, computed in canonical form; it is the brute-force oracle.
* :func:`simple_matches` keeps the non-empty matches that are not the union of
  the matches strictly inside them; :func:`decompose` writes a match as the
  union of the simple matches it contains.

Dead (zero) neurons are decided by reasoning, not enumerated.  A zero vector
lies in every span and within eps of every span, and adding it changes no span;
so (X, Y) is a match iff its live part (X, Y without the zero neurons) is one:
the matches are the live matches with any zero neurons added.  A match M with
two or more zero neurons p, q is the union of M - {p} and M - {q}; with one zero
neuron p and a non-empty live part L, of L and ({p}, {}) (a match, as is any
zero neuron alone): neither is simple.  ({p}, {}) and ({}, {q}) are simple (only
the empty match is strictly inside).  Hence the simple matches are those of the
live neurons plus every zero neuron alone, and 12 zero neurons a side cost
nothing.  What remains is enumerated within a bound on work
(:data:`MAX_MATCH_WORK`: pairs of neuron sets examined for eps > 0, matches
listed for eps = 0), not on width alone; beyond it an :class:`InputError` (or, from
:func:`simple_matches_within`, the reason, which the claim kind reports as undecided).

Neuron sets are represented as sorted tuples of indices.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from symrep.errors import InputError, InternalError
from symrep.exact.numbers import as_matrix, to_fraction
from symrep.measures.matching import approx_match, maximum_match_within
from symrep.networks.spaces import Subspace

__all__ = [
    "ENUMERATION_LIMIT",
    "MAX_MATCH_WORK",
    "count_matches",
    "all_matches",
    "decompose",
    "minimal_match",
    "simple_match_evidence",
    "simple_matches",
    "simple_matches_within",
]

#: Largest layer width (per side) for which all matches are enumerated.
ENUMERATION_LIMIT = 12

#: Bound on the work of one enumeration of the live neurons' matches: pairs of neuron sets tested
#: (eps > 0, each an exact eps-match test), or matches listed (eps = 0, found by grouping subsets by span).
MAX_MATCH_WORK = 1 << 12

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def minimal_match(a: Any, b: Any, side: str, v: int, eps: Any = 0) -> Pair | None:
    """A v-minimal match containing neuron *v* of *side* ("x" for A, "y" for B), or None.

    None means that *v* is not in the maximum match, so it is in no match.

    >>> minimal_match([[1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1]], "x", 2)
    ((1, 2), (0, 1))
    >>> minimal_match([[1, 0]], [[0, 1]], "x", 0) is None
    True
    """
    A, B = as_matrix(a, "A"), as_matrix(b, "B")
    if side not in ("x", "y"):
        raise InputError(f"side must be 'x' or 'y', got {side!r}")
    width = len(A) if side == "x" else len(B)
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < width:
        raise InputError(f"neuron {v!r} is not between 0 and {width - 1}")

    def best(X, Y):  # maximum match among the neurons X, Y (either may be empty)
        m = maximum_match_within(A, B, X, Y, eps)
        return m.x, m.y

    def contains(pair):
        return v in (pair[0] if side == "x" else pair[1])

    X, Y = best(list(range(len(A))), list(range(len(B))))
    if not contains((X, Y)):
        return None
    for s, u in [("x", i) for i in X] + [("y", j) for j in Y]:
        if (s, u) == (side, v):
            continue
        tx = [i for i in X if not (s == "x" and i == u)]
        ty = [j for j in Y if not (s == "y" and j == u)]
        if contains(best(tx, ty)):  # v survives without u: drop u for good
            X, Y = tuple(tx), tuple(ty)
    return X, Y


def _subsets(n: int):
    for k in range(n + 1):
        yield from combinations(range(n), k)


def _live(M) -> list[int]:
    return [i for i, row in enumerate(M) if any(row)]


def count_matches(a: Any, b: Any, eps: Any = 0) -> int:
    """The number of matches, the empty one included (live matches times every choice of zero neurons).

    >>> count_matches([[0, 0], [1, 0]], [[0, 0], [0, 0], [2, 0]])
    16
    """
    r = simple_matches_within(a, b, eps)
    if isinstance(r, str):
        raise InputError(r)
    return r[1]


def _live_matches(A, B, la: list[int], lb: list[int], eps: Any) -> list[Pair] | str:
    """The matches of the live neurons la, lb (indices of A and B), or why not (past MAX_MATCH_WORK)."""
    if eps not in (0, "0") and 2 ** (len(la) + len(lb)) > MAX_MATCH_WORK:
        return (f"{len(la)} + {len(lb)} live neurons: testing every pair of neuron sets passes "
                f"the bound of {MAX_MATCH_WORK} eps-match tests")
    sub = _enumerate([A[i] for i in la], [B[j] for j in lb], eps)
    if isinstance(sub, str):
        return sub
    return [(tuple(la[i] for i in X), tuple(lb[j] for j in Y)) for X, Y in sub]


def all_matches(a: Any, b: Any, eps: Any = 0) -> list[Pair]:
    """Every match (X, Y) of two small layers, the empty one included.

    >>> all_matches([[1, 0]], [[2, 0], [0, 1]])
    [((), ()), ((0,), (0,))]
    """
    A, B = as_matrix(a, "A"), as_matrix(b, "B")
    if max(len(A), len(B)) > ENUMERATION_LIMIT:
        raise InputError(f"enumerating matches is limited to {ENUMERATION_LIMIT} neurons a side")
    la, lb = _live(A), _live(B)
    da, db = sorted(set(range(len(A))) - set(la)), sorted(set(range(len(B))) - set(lb))
    live = _live_matches(A, B, la, lb, eps)
    if isinstance(live, str):
        raise InputError(live)
    if len(live) << (len(da) + len(db)) > MAX_MATCH_WORK:
        raise InputError(f"{len(live) << (len(da) + len(db))} matches (with {len(da) + len(db)} zero neurons) "
                          f"pass the bound of {MAX_MATCH_WORK} listed matches")
    out = [(tuple(sorted(X + P)), tuple(sorted(Y + Q))) for X, Y in live for P in _subsets_of(da) for Q in _subsets_of(db)]
    return sorted(out, key=lambda p: (len(p[0]) + len(p[1]), p))


def _subsets_of(items: list[int]):
    for k in range(len(items) + 1):
        yield from combinations(items, k)


def _enumerate(A, B, eps: Any) -> list[Pair] | str:
    d = len(A[0]) if A else len(B[0]) if B else 0
    if eps not in (0, "0"):
        out = []
        for X in _subsets(len(A)):
            for Y in _subsets(len(B)):
                if not X and not Y:
                    out.append((X, Y))
                elif X and Y and approx_match(A, B, eps, X, Y, certified=False).holds:
                    out.append((X, Y))
                elif (not X or not Y) and to_fraction(eps) >= 1:
                    # one side empty: every vector must lie within eps of {0}, |z|^2 <= eps^2 |z|^2; these
                    # are live (non-zero) vectors, so exactly when eps >= 1
                    out.append((X, Y))
        return out
    by_span: dict[Subspace, list[tuple[int, ...]]] = {}
    for X in _subsets(len(A)):
        by_span.setdefault(Subspace.span([A[i] for i in X], d), []).append(X)
    out = []
    for Y in _subsets(len(B)):
        for X in by_span.get(Subspace.span([B[j] for j in Y], d), []):
            out.append((X, Y))
            if len(out) > MAX_MATCH_WORK:
                return f"more than {MAX_MATCH_WORK} matches among {len(A)} + {len(B)} live neurons"
    return out


def _mask(pair: Pair) -> tuple[int, int]:
    return sum(1 << i for i in pair[0]), sum(1 << j for j in pair[1])


def simple_matches(a: Any, b: Any, eps: Any = 0) -> list[Pair]:
    """The simple matches of two small layers: non-empty, and not the union of smaller matches.

    >>> simple_matches([[1, 0], [0, 1]], [[1, 1], [1, -1], [1, 0]])
    [((0,), (2,)), ((0, 1), (0, 1)), ((0, 1), (0, 2)), ((0, 1), (1, 2))]
    """
    r = simple_matches_within(a, b, eps)
    if isinstance(r, str):
        raise InputError(r)
    return r[0]


def simple_matches_within(a: Any, b: Any, eps: Any = 0) -> tuple[list[Pair], int] | str:
    """``(simple matches, number of matches with the empty one)``, or why the work bound stops it.

    >>> simple_matches_within([[0, 0]] * 12, [[0, 0]] * 12)[1]  # zero neurons: by reasoning
    16777216
    """
    A, B = as_matrix(a, "A"), as_matrix(b, "B")
    if max(len(A), len(B)) > ENUMERATION_LIMIT:
        raise InputError(f"enumerating matches is limited to {ENUMERATION_LIMIT} neurons a side")
    la, lb = _live(A), _live(B)
    live = _live_matches(A, B, la, lb, eps)
    if isinstance(live, str):
        return live
    # quadratic in the live matches, which MAX_MATCH_WORK bounds (2^12: about 1.7 * 10^7 mask tests);
    # one integer per pair (X's bits, then Y's above them) keeps the inner loop to two operations
    shift = len(A)
    masks = [mx | my << shift for mx, my in map(_mask, live)]
    out = []
    for p, m in zip(live, masks):
        union = 0
        for n in masks:
            if n & ~m == 0 and n != m:
                union |= n
        if m and union != m:
            out.append(p)
    out += [((i,), ()) for i in range(len(A)) if i not in la] + [((), (j,)) for j in range(len(B)) if j not in lb]
    dead = len(A) - len(la) + len(B) - len(lb)
    return sorted(out), len(live) << dead


def decompose(a: Any, b: Any, x: Any, y: Any, eps: Any = 0) -> list[Pair]:
    """The simple matches contained in the match (x, y); their union is (x, y).

    >>> decompose([[1, 0], [0, 1]], [[1, 1], [1, -1], [1, 0]], [0, 1], [0, 2])
    [((0,), (2,)), ((0, 1), (0, 2))]
    """
    X, Y = tuple(sorted(x)), tuple(sorted(y))
    if (X, Y) not in set(all_matches(a, b, eps)):
        raise InputError(f"({list(X)}, {list(Y)}) is not a match")
    mx, my = _mask((X, Y))
    parts = [p for p in simple_matches(a, b, eps) if _mask(p)[0] & ~mx == 0 and _mask(p)[1] & ~my == 0]
    ux = uy = 0
    for p in parts:
        px, py = _mask(p)
        ux, uy = ux | px, uy | py
    if (ux, uy) != (mx, my):  # every match is the union of the simple matches inside it (a theorem)
        raise InternalError("internal error: simple matches do not cover the match")
    return parts


def simple_match_evidence(a: Any, b: Any, x: Any, y: Any, eps: Any = 0) -> dict[str, Any]:
    """Decide whether (x, y) is a simple match, with evidence (Python objects, indices of A and B).

    Returns one of

    * ``{"simple": True, "match": ExactMatch, "v": (side, i), "exclusions": [((side, e), MaximumMatch), ...]}``:
      for every other neuron e of the match, the maximum match without e does not contain v,
      so every match strictly inside misses v and their union is not the match;
    * ``{"simple": False, "match": ExactMatch}`` with ``match.holds`` False: not a match at all;
    * ``{"simple": False, "empty": True}``: the empty match is not simple by definition;
    * ``{"simple": False, "match": ExactMatch, "parts": [MaximumMatch, ...]}``: matches strictly
      inside whose union is the whole match.

    >>> ev = simple_match_evidence([[1, 0], [0, 1]], [[1, 0], [0, 1]], [0], [0])
    >>> ev["simple"], ev["v"]
    (True, ('x', 0))
    >>> simple_match_evidence([[1, 0], [0, 1]], [[1, 0], [0, 1]], [0, 1], [0, 1])["simple"]
    False
    """
    X, Y = tuple(sorted(x)), tuple(sorted(y))
    if not X and not Y:
        return {"simple": False, "empty": True}
    match = approx_match(a, b, eps, X, Y, certified=False) if X and Y else None
    if match is not None and not match.holds:
        return {"simple": False, "match": match}
    if match is None:  # one side empty: only vectors within eps of {0} match (zero ones, or all if eps >= 1)
        m = maximum_match_within(a, b, X, Y, eps)
        if (m.x, m.y) != (X, Y):
            return {"simple": False, "not_zero": m}
        from symrep.measures.matching import ExactMatch

        match = ExactMatch(True, X, Y, tuple((i, ()) for i in X), tuple((j, ()) for j in Y))
    members = [("x", i) for i in X] + [("y", j) for j in Y]
    without = {}
    for side, e in members:
        sx = tuple(i for i in X if i != e) if side == "x" else X
        sy = tuple(j for j in Y if j != e) if side == "y" else Y
        without[(side, e)] = maximum_match_within(a, b, sx, sy, eps)
    for v in members:
        if all(v[1] not in (m.x if v[0] == "x" else m.y) for u, m in without.items() if u != v):
            exclusions = [(u, m) for u, m in without.items() if u != v]
            return {"simple": True, "match": match, "v": v, "exclusions": exclusions}
    return {"simple": False, "match": match, "parts": list(without.values())}
