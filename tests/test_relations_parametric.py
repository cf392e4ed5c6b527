"""Parametric CKA and eps-match similarity over one parameter: holds_when checked against independent Fractions."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.parametric import decide_parametric, load_parametric_claim_file, loads_parametric_claim_file

ROOT = Path(__file__).resolve().parent.parent
OUTLIER = ROOT / "examples" / "parametric-cka-outlier.toml"
POINTS = [(Fraction(0), Fraction(0)), (Fraction(1), Fraction(0)), (Fraction(0), Fraction(1)), (Fraction(1), Fraction(1)),
          (Fraction(1, 2), Fraction(1, 2))]


def cka2_outlier(s: Fraction, centre_x: Fraction = Fraction(1, 2)) -> Fraction:
    """CKA^2 of the square-and-centre points (the centre at (centre_x, 1/2)) and the square and centre
    (1/2, 1/2) with the centre moved by 1000 + s (Kornblith's trace form)."""
    X = [list(p) for p in POINTS]
    X[4][0] = centre_x
    Y = [list(p) for p in POINTS]
    Y[4][0] += 1000 + s
    n = len(X)

    def centred_gram(P):
        mean = [sum(c) / n for c in zip(*P)]
        Q = [[x - m for x, m in zip(p, mean)] for p in P]
        return [[sum(a * b for a, b in zip(p, q)) for q in Q] for p in Q]

    K, L = centred_gram(X), centred_gram(Y)

    def inner(M, N):
        return sum(M[i][j] * N[i][j] for i in range(n) for j in range(n))
    return inner(K, L) ** 2 / (inner(K, K) * inner(L, L))


def truth(claim_id: str, s: Fraction) -> bool:
    r = cka2_outlier(s)
    if claim_id == "outlier-in-both":  # f2 maps the centre to (3/2, 1/2)
        return cka2_outlier(s, Fraction(3, 2)) >= Fraction(1, 4)
    return {"half": r >= Fraction(1, 4), "small": r <= Fraction(1, 10**4), "sq": r * r >= Fraction(1, 2),
            "at-most-one": r <= 1}[claim_id]


@pytest.fixture(scope="module")
def outlier():
    pp = load_parametric_claim_file(OUTLIER)
    return {c.id: decide_parametric(pp, c) for c in pp.claims}


def _endpoints(v):
    """Rationals just inside and just outside every finite endpoint of holds_when (isolating intervals refined)."""
    out = []
    for piece, _ in v.pieces:
        for p in ([piece] if not isinstance(piece, tuple) else [x for x in piece if x is not None]):
            if p.rational:
                out += [p.q - Fraction(1, 10**9), p.q + Fraction(1, 10**9)]
                continue
            while p.hi - p.lo > Fraction(1, 10**30):
                p.refine()
            out += [p.lo, p.hi]
    return out


@pytest.mark.parametrize("cid", ["half", "small", "sq", "at-most-one", "outlier-in-both"])
def test_outlier_holds_when_at_boundaries(outlier, cid):
    v = outlier[cid]
    assert v.holds_when is not None
    pts = _endpoints(v)
    assert cid == "at-most-one" or len(pts) >= 4  # two algebraic endpoints at least
    for q in pts:
        assert v.holds_at(q) == truth(cid, q), (cid, q)
    assert v.verdict == all(truth(cid, q) for q in pts + [Fraction(-1000), Fraction(0)])


@settings(max_examples=60, deadline=None)
@given(st.fractions(min_value=-1100, max_value=-900, max_denominator=1000) | st.fractions(max_denominator=50))
def test_outlier_holds_when_at_random_points(outlier, s):
    for cid, v in outlier.items():
        assert v.holds_at(s) == truth(cid, s), (cid, s)


def test_outlier_shape(outlier):
    """CKA >= 1/2 exactly on one closed interval around s = -1000 (no shift); CKA <= 1/100 on two rays."""
    half, small = outlier["half"].holds_when, outlier["small"].holds_when
    assert len(half) == 1 and half[0]["low_closed"] and half[0]["high_closed"] and "CRootOf" in half[0]["low"]
    assert len(small) == 2 and small[0]["low"] == "-oo" and small[1]["high"] == "oo"
    assert outlier["at-most-one"].verdict is True
    assert outlier["half"].counterexample is not None and not truth("half", outlier["half"].counterexample["s"])


UNDEFINED = """
[parameters]
s = "real"
[data]
inputs = [[0, 1], [1, 0], [2, 2]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "identity" } ]
[networks.g]
layers = [ { weights = [["s", 0], [0, "s*s - 2*s"]], activation = "identity" } ]
[[claims]]
id = "c"
kind = "cka"
networks = ["f", "g"]
layer = 1
at_least = 0
"""


def test_cka_undefined_points_are_excluded():
    """g is constant over the data only at s = 0 (the norm of g vanishes): CKA >= 0 fails exactly there."""
    v = decide_parametric(loads_parametric_claim_file(UNDEFINED), "c")
    assert v.verdict is False and v.counterexample == {"s": Fraction(0)}
    assert v.holds_at(Fraction(0)) is False
    assert all(v.holds_at(Fraction(k, 3)) for k in range(-9, 10) if k)


EPS = """
[parameters]
t = "real"
[data]
inputs = [[1, 0], [0, 1]]
[networks.f]
layers = [ { weights = [[1, 0]], activation = "identity" } ]
[networks.g]
layers = [ { weights = [[1, "t"]], activation = "relu" } ]
[[claims]]
id = "one"
kind = "match_similarity"
networks = ["f", "g"]
layer = 1
eps = "%s"
equals = 1
"""


def eps_truth(t: Fraction, eps: Fraction) -> bool:
    """(1, 0) against relu(1, t): both relative squared distances are t^2 / (1 + t^2) (0 for t <= 0)."""
    t = max(t, Fraction(0))
    return t * t / (1 + t * t) <= eps * eps


@pytest.mark.parametrize("eps", ["1/2", "3/5", "1/10"])
def test_eps_match_similarity_holds_when(eps):
    v = decide_parametric(loads_parametric_claim_file(EPS % eps), "one")
    e = Fraction(eps)
    assert v.holds_when is not None
    pts = _endpoints(v) + [Fraction(k, 7) for k in range(-20, 21)]
    for q in pts:
        assert v.holds_at(q) == eps_truth(q, e), (eps, q)
    assert v.verdict is False


RELU = """
[parameters]
t = "real"
[data]
inputs = [[0], [1], [2], [3]]
[networks.f]
layers = [ { weights = [[1], [-1]], bias = [0, 2], activation = "relu" } ]
[networks.g]
layers = [ { weights = [["t"], [1]], bias = ["-1", "-t"], activation = "relu" } ]
[[claims]]
id = "c"
kind = "cka"
networks = ["f", "g"]
layer = 1
at_least = "sqrt(4/5)"
"""


def relu_truth(t: Fraction) -> bool | None:
    """CKA^2 >= 4/5 for f = relu(x), relu(2 - x) and g = relu(t x - 1), relu(x - t) on x = 0..3 (None: undefined)."""
    xs = [Fraction(x) for x in range(4)]
    A = [[max(x, 0) for x in xs], [max(2 - x, 0) for x in xs]]
    B = [[max(t * x - 1, 0) for x in xs], [max(x - t, 0) for x in xs]]

    def centred(M):
        return [[x - sum(r) / 4 for x in r] for r in M]

    def f2(P, Q):
        return sum(sum(a * b for a, b in zip(p, q)) ** 2 for p in P for q in Q)
    Ac, Bc = centred(A), centred(B)
    if f2(Bc, Bc) == 0:
        return False  # CKA undefined: the claim is false
    return f2(Ac, Bc) ** 2 / (f2(Ac, Ac) * f2(Bc, Bc)) >= Fraction(4, 5)


def test_cka_through_relu_pieces():
    """The t-line is cut at ReLU kinks (t x - 1 = 0, x - t = 0) and where CKA^2 - 1/2 changes sign."""
    v = decide_parametric(loads_parametric_claim_file(RELU), "c")
    assert v.holds_when is not None and v.verdict is False and len(v.holds_when) == 2  # fails on a window around t = 1
    pts = _endpoints(v) + [Fraction(k, 5) for k in range(-25, 26)]
    for q in pts:
        assert v.holds_at(q) == relu_truth(q), q
