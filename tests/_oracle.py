"""An independent oracle for the claim kinds the rank oracle of ``_certgen`` leaves out.

eps-matches, simple matches, match similarity, the equivalence ladder, CKA and equal_functions (by exhaustive
region enumeration, at the end of this module), decided from their
definitions by brute force over Fractions.  It imports nothing from symrep or its checker (and
nothing from ``_certgen``): distances come from Gram-Schmidt, matches from trying every pair of
neuron sets, the maximum eps-match as the union of all of them (not by the removal algorithm
symrep and the checker use), orthogonal equivalence from Gram matrices, linear equivalence from
ranks.  Sizes are tiny (a few neurons), so brute force is exact and fast.
"""

from __future__ import annotations

import re
from fractions import Fraction
from itertools import combinations

NEW_KINDS = ("approx_match", "maximum_approx_match", "match_similarity", "simple_match", "simple_matches",
             "equivalence", "cka")
LEVELS = ("identical", "permutation", "scaled_permutation", "orthogonal", "linear", "isomorphic")


def q(s) -> Fraction:
    """An exact number from "p/q" text, an int or a decimal string."""
    if isinstance(s, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(s, str) and re.fullmatch(r"-?[0-9]+/[0-9]+", s):
        p, d = s.split("/")
        return Fraction(int(p), int(d))
    return Fraction(s)


def forward(doc: dict, name: str) -> list[list[list[Fraction]]]:
    """Activation matrices (rows = neurons, columns = points) of every layer of network *name*."""
    inputs = [[q(x) for x in row] for row in doc["data"]["inputs"]]
    h = [list(col) for col in zip(*inputs)]
    out = [h]
    for layer in doc["networks"][name]["layers"]:
        W = [[q(x) for x in row] for row in layer["weights"]]
        b = [q(x) for x in layer.get("bias", [0] * len(W))]
        h = [[bi + sum(w * h[k][t] for k, w in enumerate(row)) for t in range(len(inputs))] for row, bi in zip(W, b)]
        if layer["activation"] == "relu":
            h = [[max(x, Fraction(0)) for x in row] for row in h]
        out.append(h)
    return out


def dot(u, v) -> Fraction:
    return sum((a * b for a, b in zip(u, v)), Fraction(0))


def rank(rows) -> int:
    return len(_orthogonal_basis(rows))


def _orthogonal_basis(rows):
    basis = []
    for v in rows:
        r = list(v)
        for u in basis:
            c = dot(r, u) / dot(u, u)
            r = [a - c * b for a, b in zip(r, u)]
        if any(r):
            basis.append(r)
    return basis


def dist2(v, rows) -> Fraction:
    """The squared distance from v to the span of rows."""
    r = list(v)
    for u in _orthogonal_basis(rows):
        c = dot(r, u) / dot(u, u)
        r = [a - c * b for a, b in zip(r, u)]
    return dot(r, r)


def is_match(A, B, X, Y, eps2) -> bool:
    """(X, Y) is an eps-match: every vector within relative distance eps of the other side's span."""
    ok = lambda v, rows: dist2(v, rows) <= eps2 * dot(v, v)  # noqa: E731
    return all(ok(A[x], [B[y] for y in Y]) for x in X) and all(ok(B[y], [A[x] for x in X]) for y in Y)


def subsets(n):
    return [c for k in range(n + 1) for c in combinations(range(n), k)]


def all_matches(A, B, eps2):
    return [(X, Y) for X in subsets(len(A)) for Y in subsets(len(B)) if is_match(A, B, X, Y, eps2)]


def maximum_match(A, B, eps2):
    """The union of all eps-matches (itself one: spans only grow, distances only shrink)."""
    ms = all_matches(A, B, eps2)
    return sorted(set().union(*(set(m[0]) for m in ms))), sorted(set().union(*(set(m[1]) for m in ms)))


def is_simple(A, B, X, Y, eps2, matches=None) -> bool:
    if not (X or Y) or not is_match(A, B, X, Y, eps2):
        return False
    inside = [m for m in (matches or all_matches(A, B, eps2))
              if set(m[0]) <= set(X) and set(m[1]) <= set(Y) and (set(m[0]), set(m[1])) != (set(X), set(Y))]
    return (set().union(*(set(m[0]) for m in inside)), set().union(*(set(m[1]) for m in inside))) != (set(X), set(Y))


def simple_matches(A, B, eps2):
    ms = all_matches(A, B, eps2)
    return sorted([list(X), list(Y)] for X, Y in ms if is_simple(A, B, X, Y, eps2, ms))


def centered(A):
    return [[x - sum(row) / len(row) for x in row] for row in A]


def _direction(v):
    lead = next((x for x in v if x), None)
    return tuple(v) if lead is None else tuple(x / abs(lead) for x in v)


def equivalent(A, B, level) -> bool:
    if level == "isomorphic":
        return rank(A) == rank(B)
    if len(A) != len(B):
        return False
    if level == "identical":
        return A == B
    if level == "permutation":
        return sorted(map(tuple, A)) == sorted(map(tuple, B))
    if level == "scaled_permutation":
        return sorted(map(_direction, A)) == sorted(map(_direction, B))
    if level == "orthogonal":  # A = Q B with Q orthogonal iff A^T A == B^T B
        gram = lambda M: [[sum(r[s] * r[t] for r in M) for t in range(len(M[0]))] for s in range(len(M[0]))]  # noqa: E731
        return gram(A) == gram(B)
    assert level == "linear"
    return rank(A) == rank(B) == rank(A + B)


def cka2(A, B) -> Fraction | None:
    """Linear CKA squared of the centered layers; None when a centered layer is zero (undefined)."""
    A, B = centered(A), centered(B)
    f2 = lambda M, N: sum(dot(m, n) ** 2 for m in M for n in N)  # noqa: E731  |M N^T|_F^2
    aa, bb = f2(A, A), f2(B, B)
    if not aa or not bb:
        return None
    return f2(A, B) ** 2 / (aa * bb)


def _pair(claim):
    return [sorted(claim["neurons"][0]), sorted(claim["neurons"][1])] if "neurons" in claim else None


def verdict(doc: dict, claim: dict, acts: dict | None = None) -> bool | None:
    """The truth of one claim of a NEW_KINDS kind (None for other kinds, or an undefined CKA)."""
    kind = claim["kind"]
    if kind not in NEW_KINDS:
        return None
    acts = {} if acts is None else acts
    for name in claim["networks"]:
        if name not in acts:
            acts[name] = forward(doc, name)
    A, B = (acts[name][claim["layer"]] for name in claim["networks"])
    eps2 = q(claim.get("eps", 0)) ** 2
    if kind == "approx_match":
        X, Y = _pair(claim) or [range(len(A)), range(len(B))]
        return is_match(A, B, list(X), list(Y), eps2)
    if kind == "maximum_approx_match":
        return list(maximum_match(A, B, eps2)) == [sorted(claim["equals"][0]), sorted(claim["equals"][1])]
    if kind == "match_similarity":
        X, Y = maximum_match(A, B, eps2)
        return Fraction(len(X) + len(Y), len(A) + len(B)) == q(claim["equals"])
    if kind == "simple_match":
        X, Y = _pair(claim)
        return is_simple(A, B, X, Y, eps2)
    if kind == "simple_matches":
        return simple_matches(A, B, eps2) == sorted([sorted(x), sorted(y)] for x, y in claim["equals"])
    if kind == "equivalence":
        if claim.get("centered"):
            A, B = centered(A), centered(B)
        return equivalent(A, B, claim["level"])
    c2 = cka2(A, B)
    if c2 is None:
        return None
    ok = True
    if "equals" in claim:
        v = q(claim["equals"])
        ok &= v >= 0 and c2 == v * v
    if "at_least" in claim:
        v = q(claim["at_least"])
        ok &= v <= 0 or c2 >= v * v
    if "at_most" in claim:
        v = q(claim["at_most"])
        ok &= v >= 0 and c2 <= v * v
    return ok


# --- equal_functions: exhaustive region enumeration -------------------------------------------------
#
# Written apart from symrep.relu (no LP, no splitter, no Farkas certificates).  Both networks' ReLU
# neurons are given every on/off state in turn, depth first; along a branch each pre-activation is an
# affine function of x (composed by hand), and a branch is kept only when the *open* set where every
# chosen state holds strictly (pre > 0 on, pre < 0 off, and the domain's inequalities strictly) is
# non-empty, decided by Fourier-Motzkin elimination with strictness.  A pre-activation identically
# zero on the branch needs no branch (relu(0) = 0 either way).  The closures of these open cells
# cover the (full-dimensional) domain, and on each the networks are affine maps; continuous
# functions equal on a dense set are equal, so f = g on the domain iff the two affine maps agree on
# every cell (maps equal on an open set are identical).


def _fm_feasible(rows, n: int) -> bool:
    """Whether {x in Q^n : a.x + c > 0 (strict) or >= 0} is non-empty, rows (a, c, strict); Fourier-Motzkin."""
    for j in range(n):
        keep, pos, neg = [], [], []
        for a, c, strict in rows:
            (pos if a[j] > 0 else neg if a[j] < 0 else keep).append((a, c, strict))
        for ap, cp, sp in pos:  # a_j x_j >= -(rest): combine each lower bound with each upper bound
            for an, cn, sn in neg:
                lp, ln = -an[j], ap[j]
                keep.append(([lp * x + ln * y for x, y in zip(ap, an)], lp * cp + ln * cn, sp or sn))
        rows = keep
    return all(c > 0 or (c == 0 and not strict) for _, c, strict in rows)


def _affine_layers(net: dict):
    return [([[q(x) for x in row] for row in L["weights"]], [q(x) for x in L.get("bias", [0] * len(L["weights"]))],
             L["activation"]) for L in net["layers"]]


def _domain_rows(domain, n: int):
    """The domain as strict rows (a, c): a.x + c > 0; None for a domain with an equality or an empty box side."""
    if domain is None:
        return []
    rows = []
    if all(isinstance(p, list) and len(p) == 2 for p in domain):
        for k, (lo, hi) in enumerate(domain):
            lo, hi = q(lo), q(hi)
            if not lo < hi:
                return None
            e = [Fraction(int(t == k)) for t in range(n)]
            rows += [(e, -lo, True), ([-x for x in e], hi, True)]
        return rows
    for con in domain:
        a, b = [q(x) for x in con["coefficients"]], q(con["bound"])
        if con["relation"] == "==":
            return None
        sign = 1 if con["relation"] == ">=" else -1  # a.x >= b: a.x - b > 0 (interior); a.x <= b: b - a.x > 0
        rows.append(([sign * x for x in a], -sign * b, True))
    return rows


def _cells(layers_f, layers_g, n: int, base_rows):
    """Yield (F, G): per open cell, both networks' affine maps (rows [w..., c] per output)."""
    ident = [[Fraction(int(i == j)) for j in range(n)] + [Fraction(0)] for i in range(n)]
    nets = [layers_f, layers_g]

    def walk(which, li, i, h, pre_done, rows, maps):
        if which == 2:
            yield maps[0], maps[1]
            return
        layers = nets[which]
        if li == len(layers):
            yield from walk(which + 1, 0, 0, ident, [], rows, maps + [h])
            return
        W, b, act = layers[li]
        if i == 0:  # the pre-activations of this layer, affine in x
            pre = [[sum((w * hk[t] for w, hk in zip(row, h)), Fraction(0)) + (bi if t == n else 0) for t in range(n + 1)]
                   for row, bi in zip(W, b)]
        else:
            pre = pre_done
        if act != "relu":
            yield from walk(which, li + 1, 0, pre, [], rows, maps)
            return
        if i == len(pre):
            yield from walk(which, li + 1, 0, pre, [], rows, maps)
            return
        p = pre[i]
        if not any(p):  # zero on the whole branch: off and on agree
            yield from walk(which, li, i + 1, h, [r if k != i else [Fraction(0)] * (n + 1) for k, r in enumerate(pre)],
                            rows, maps)
            return
        for on in (True, False):
            row = (p[:n], p[n], True) if on else ([-x for x in p[:n]], -p[n], True)
            if _fm_feasible(rows + [row], n):
                nxt = pre if on else [r if k != i else [Fraction(0)] * (n + 1) for k, r in enumerate(pre)]
                yield from walk(which, li, i + 1, h, nxt, rows + [row], maps)

    yield from walk(0, 0, 0, ident, [], base_rows, [])


def equal_functions(doc: dict, claim: dict) -> bool | None:
    """The truth of an ``equal_functions`` claim by exhaustive region enumeration (None: lower-dimensional domain)."""
    f, g = (doc["networks"][name] for name in claim["networks"])
    n = len(f["layers"][0]["weights"][0])
    base = _domain_rows(claim.get("domain"), n)
    if base is None or not _fm_feasible(base, n):
        return None
    return all(F == G for F, G in _cells(_affine_layers(f), _affine_layers(g), n, base))
