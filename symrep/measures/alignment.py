"""Measures of alignment with exact values: subspace-match similarity at an eps.

Design note
-----------
``match_similarity:EPS`` is Wang et al.'s similarity ``(|X*| + |Y*|) / (|X| + |Y|)`` of the
maximum eps-match (:func:`symrep.measures.matching.maximum_match`), a rational number, so its
:class:`~symrep.measures.values.MeasureValue` is exact.  The argument is the eps, an exact
number >= 0 (``match_similarity:0`` is the exact match, ``match_similarity:1/4``).

Registering them here (and importing this module in :mod:`symrep.measures.catalog`) makes
them available to ``relation``, ``triangle`` and ``invariance`` claims with no other change.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from symrep.errors import InputError
from symrep.exact.numbers import as_matrix, to_fraction
from symrep.measures.matching import maximum_match
from symrep.measures.values import Measure, MeasureValue, register, sqrt_bracket

__all__ = ["check_arg", "knn_overlap_range", "match_eps", "mutual_knn", "rsa"]


def match_eps(arg: str | None) -> Fraction:
    """The eps of ``match_similarity:EPS`` (an exact number >= 0).

    >>> match_eps("1/4"), match_eps("0.5")
    (Fraction(1, 4), Fraction(1, 2))
    """
    eps = to_fraction(arg if arg is not None else "0", "match_similarity: eps")
    if eps < 0:
        raise InputError(f"match_similarity: eps {arg} is negative")
    return eps


def _match_similarity(a: Any, b: Any, *, width: Fraction = Fraction(1, 10**12), arg: str | None = None) -> MeasureValue:
    """Exact: the similarity of the maximum eps-match.

    >>> _match_similarity([[1, 0, 0], [0, 1, 0]], [[1, 1, 0]], arg="0").exact
    Fraction(0, 1)
    >>> _match_similarity([[1, 0, 0], [0, 1, 0]], [[1, 1, 0]], arg="1").exact
    Fraction(1, 1)
    """
    v = maximum_match(a, b, match_eps(arg)).similarity
    return MeasureValue("match_similarity", v, v, exact=v)


register(Measure("match_similarity", "Wang et al.'s subspace-match similarity (|X*| + |Y*|) / (|X| + |Y|) at an eps; exact",
                 distance=False, evaluate=_match_similarity, takes_arg=True))


# --- mutual k-nearest neighbours (Huh et al. 2024, platonic-rep) ------------------------------------


def _points(a: Any) -> list[list[Fraction]]:
    """The data points' feature vectors: the columns of the activation matrix (rows = neurons)."""
    A = as_matrix(a, "A")
    return [list(col) for col in zip(*A)] if A else []


def _cosine_keys(P: list[list[Fraction]], where: str) -> list[list[Fraction]]:
    """keys[i][j], ordered as the cosine similarity of points i and j for each fixed i: sign(u.v) (u.v)^2 / |v|^2."""
    norms = [sum((x * x for x in p), Fraction(0)) for p in P]
    if any(n == 0 for n in norms):
        raise InputError(f"{where}: a data point has the zero feature vector, whose cosine similarity is undefined")
    keys = []
    for p in P:
        dots = [sum((x * y for x, y in zip(p, q)), Fraction(0)) for q in P]
        keys.append([t * abs(t) / n for t, n in zip(dots, norms)])
    return keys


def _neighbour_classes(keys: list[Fraction], i: int, k: int) -> tuple[set[int], set[int], int]:
    """For point i: the points surely among its k nearest (S), the tie class at the k-th place (T), how many of T count."""
    others = sorted((j for j in range(len(keys)) if j != i), key=lambda j: keys[j], reverse=True)
    t = keys[others[k - 1]]
    sure = {j for j in others if keys[j] > t}
    tied = {j for j in others if keys[j] == t}
    return sure, tied, k - len(sure)


def knn_overlap_range(a_cls: tuple[set[int], set[int], int], b_cls: tuple[set[int], set[int], int]) -> tuple[int, int]:
    """The least and greatest |N_A ∩ N_B| over every tie-breaking (N = S plus m elements of T, per side).

    Greatest: each side first takes tied points already sure on the other side (+1 each), then the tied points
    common to both tie classes, shared as far as both counts allow.  Least: each side first takes tied points in
    neither of the other side's classes, then common tied points (they cost 1 only when both take one, so the
    two sides take disjoint ones as far as possible), and only then points sure on the other side.
    """
    (S, T, m), (S2, T2, m2) = a_cls, b_cls
    base, c = len(S & S2), len(T & T2)
    a1, b1 = len(T & S2), len(T2 & S)
    ra, rb = m - min(m, a1), m2 - min(m2, b1)
    hi = base + min(m, a1) + min(m2, b1) + min(ra, rb, c)
    rest_a, rest_b = len(T) - a1 - c, len(T2) - b1 - c
    p, p2 = min(max(m - rest_a, 0), c), min(max(m2 - rest_b, 0), c)
    lo = base + max(0, m - rest_a - c) + max(0, m2 - rest_b - c) + max(0, p + p2 - c)
    return lo, hi


def mutual_knn(a: Any, b: Any, k: int) -> tuple[Fraction, Fraction]:
    """The interval of platonic-rep's mutual k-NN alignment over every tie-breaking, exactly.

    Neighbours by cosine similarity of the points' feature vectors (platonic-rep L2-normalises the
    features before its ``mutual_knn``; a point is not its own neighbour); the score is the mean over
    points of |N_A(i) ∩ N_B(i)| / k.  Each point's overlap ranges over a whole interval of integers as
    the ties are broken (a swap changes it by at most one) and the points are independent, so the
    achievable scores are exactly the multiples of 1 / (n k) between the two ends returned.

    >>> mutual_knn([[1, 2, 3, 4]], [[1, 2, 3, 4]], 1)   # one feature: every other point is tied at cosine 1
    (Fraction(0, 1), Fraction(1, 1))
    >>> mutual_knn([[1, 0, 1], [0, 1, 1]], [[1, 0, 1], [0, 1, 1]], 1)  # (1, 1) is as near (1, 0) as (0, 1)
    (Fraction(2, 3), Fraction(1, 1))
    >>> mutual_knn([[1, 0, 2], [0, 1, 1]], [[1, 0, 2], [0, 1, 1]], 1)  # no ties: well defined
    (Fraction(1, 1), Fraction(1, 1))
    """
    P, Q = _points(a), _points(b)
    n = len(P)
    if len(Q) != n:
        raise InputError(f"mutual_knn: {n} and {len(Q)} data points: the data must be the same")
    if not 1 <= k < n:
        raise InputError(f"mutual_knn: k = {k} must be between 1 and the number of points minus one ({n - 1})")
    ka, kb = _cosine_keys(P, "mutual_knn: A"), _cosine_keys(Q, "mutual_knn: B")
    lo = hi = 0
    for i in range(n):
        l, h = knn_overlap_range(_neighbour_classes(ka[i], i, k), _neighbour_classes(kb[i], i, k))
        lo, hi = lo + l, hi + h
    return Fraction(lo, n * k), Fraction(hi, n * k)


def _k(arg: str | None) -> int:
    if arg is None or not arg.isdigit() or len(arg) > 6 or int(arg) < 1:
        raise InputError(f"mutual_knn: the argument is the number of neighbours k, a positive integer (got {arg!r})")
    return int(arg)


def _mutual_knn(a: Any, b: Any, *, width: Fraction = Fraction(1, 10**12), arg: str | None = None) -> MeasureValue:
    """Exact when tie-breaking cannot change it; otherwise the bracket is the exact range tie-breaking produces."""
    lo, hi = mutual_knn(a, b, _k(arg))
    return MeasureValue("mutual_knn", lo, hi, exact=lo if lo == hi else None)


register(Measure("mutual_knn", "mutual k-NN alignment (Huh et al. 2024; cosine neighbours); ties: the exact range",
                 distance=False, evaluate=_mutual_knn, takes_arg=True))


# --- representational similarity analysis (Kriegeskorte et al. 2008) ---------------------------------

#: RDMs and the comparisons of their upper triangles.
RDMS, COMPARISONS = ("euclidean", "correlation"), ("pearson", "spearman")


def _centred_products(u: list[Any], v: list[Any]) -> tuple[Fraction, Fraction, Fraction]:
    """n^2 cov(u, v), n^2 var(u), n^2 var(v) (the factor cancels in a correlation)."""
    n = len(u)
    su, sv = sum(u, Fraction(0)), sum(v, Fraction(0))
    cu = [n * x - su for x in u]
    cv = [n * y - sv for y in v]
    return (sum((x * y for x, y in zip(cu, cv)), Fraction(0)), sum((x * x for x in cu), Fraction(0)),
            sum((y * y for y in cv), Fraction(0)))


def _rdm(P: list[list[Fraction]], how: str, where: str) -> list[Any]:
    """The upper triangle (i < j, row by row): squared distances (Fractions) or 1 - Pearson r (as Surd-like pairs)."""
    if how == "euclidean":
        return [sum(((x - y) ** 2 for x, y in zip(P[i], P[j])), Fraction(0)) for i in range(len(P)) for j in range(i + 1, len(P))]
    out = []
    for i in range(len(P)):
        for j in range(i + 1, len(P)):
            c, vi, vj = _centred_products(P[i], P[j])
            if vi == 0 or vj == 0:
                raise InputError(f"{where}: a data point's features are constant, so its Pearson correlation is undefined")
            out.append((c, vi * vj))  # r = c / sqrt(vi vj); the RDM entry is 1 - r
    return out


def _ranks(values: list[Any], key: Callable[[Any, Any], int]) -> list[Fraction]:
    """Ranks 1..n with ties given their average rank, exactly; *key* compares two values (-1, 0, 1)."""
    import functools

    def by_value(i: int, j: int) -> int:
        return key(values[i], values[j])

    order = sorted(range(len(values)), key=functools.cmp_to_key(by_value))
    ranks = [Fraction(0)] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and key(values[order[end + 1]], values[order[start]]) == 0:
            end += 1
        for t in order[start:end + 1]:
            ranks[t] = Fraction(start + end + 2, 2)
        start = end + 1
    return ranks


def _compare_r(x: tuple[Fraction, Fraction], y: tuple[Fraction, Fraction]) -> int:
    """Order of the RDM entries 1 - r_x and 1 - r_y with r = c / sqrt(q): the opposite of the order of r."""
    # sign(r_y - r_x) for r = c / sqrt(q): compare sign(c) c^2 / q exactly (monotone in r)
    kx, ky = x[0] * abs(x[0]) / x[1], y[0] * abs(y[0]) / y[1]
    return (ky > kx) - (ky < kx)


def rsa(a: Any, b: Any, rdm: str = "euclidean", comparison: str = "spearman") -> tuple[int, Fraction]:
    """RSA as ``(sign, square)``: the correlation of the two RDMs' upper triangles is ``sign * sqrt(square)``.

    RDM: squared Euclidean distances between the points' feature vectors, or 1 - their Pearson
    correlation; compared by Pearson correlation, or by Spearman's (Pearson of the ranks, ties given
    their average rank, exactly).  Correlations of rational vectors are ``+-sqrt(rational)``; ranks are
    rational even for the irrational ``1 - r`` entries (compared exactly), so every supported pair has
    this closed form.  ``correlation`` with ``pearson`` has none and is refused.

    >>> rsa([[0, 1, 3]], [[0, 2, 6]], "euclidean", "pearson")
    (1, Fraction(1, 1))
    >>> rsa([[0, 1, 3, 7]], [[0, 1, 2, 3]], "euclidean", "spearman")
    (1, Fraction(25, 42))
    """
    if rdm not in RDMS or comparison not in COMPARISONS:
        raise InputError(f"rsa: the argument is RDM,COMPARISON with RDM in {RDMS} and COMPARISON in {COMPARISONS}")
    if rdm == "correlation" and comparison == "pearson":
        raise InputError("rsa: the Pearson correlation of 1 - r entries has no exact closed form; use 'correlation,spearman'")
    P, Q = _points(a), _points(b)
    if len(P) != len(Q) or len(P) < 3:
        raise InputError(f"rsa: needs the same data points on both sides, at least 3 (got {len(P)} and {len(Q)})")
    u, v = _rdm(P, rdm, "rsa: A"), _rdm(Q, rdm, "rsa: B")
    if comparison == "spearman":
        key: Callable[[Any, Any], int] = _compare_r if rdm == "correlation" else (lambda x, y: (x > y) - (x < y))
        u, v = _ranks(u, key), _ranks(v, key)
    c, vu, vv = _centred_products(u, v)
    if vu == 0 or vv == 0:
        raise InputError("rsa: an RDM is constant over the pairs of points, so its correlation is undefined")
    return (c > 0) - (c < 0), c * c / (vu * vv)


def _rsa_arg(arg: str | None) -> tuple[str, str]:
    rdm, _, comparison = (arg or "").partition(",")
    return rdm, comparison


def _rsa(a: Any, b: Any, *, width: Fraction = Fraction(1, 10**12), arg: str | None = None) -> MeasureValue:
    """Exact square (or exact value); the bracket of sign * sqrt(square)."""
    sgn, sq = rsa(a, b, *_rsa_arg(arg))
    lo, hi = sqrt_bracket(sq, width)
    if sgn < 0:
        lo, hi = -hi, -lo
    exact = lo if lo == hi else None
    return MeasureValue("rsa", lo, hi, exact=exact, square=sq if sgn >= 0 else None)


register(Measure("rsa", "RSA: RDMs (euclidean: squared distances; correlation: 1 - Pearson) compared by pearson or "
                 "spearman (average ranks), as rsa:RDM,COMPARISON; exact", distance=False, evaluate=_rsa, takes_arg=True))


def check_arg(name: str, arg: str | None) -> None:
    """Refuse a malformed argument of this module's measures when a claim is read (not when it is decided).

    >>> check_arg("rsa", "euclidean,spearman"); check_arg("mutual_knn", "3")
    >>> check_arg("rsa", "correlation,pearson")
    Traceback (most recent call last):
    ...
    symrep.errors.InputError: rsa: the Pearson correlation of 1 - r entries has no exact closed form; use 'correlation,spearman'
    """
    if name == "match_similarity":
        match_eps(arg)
    elif name == "mutual_knn":
        _k(arg)
    elif name == "rsa":
        rdm, comparison = _rsa_arg(arg)
        if rdm not in RDMS or comparison not in COMPARISONS:
            raise InputError(f"rsa: the argument is RDM,COMPARISON with RDM in {RDMS} and COMPARISON in {COMPARISONS}")
        if rdm == "correlation" and comparison == "pearson":
            raise InputError("rsa: the Pearson correlation of 1 - r entries has no exact closed form; use 'correlation,spearman'")
