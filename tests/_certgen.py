"""Shared helpers for the certificate tests: problem generators and an independent oracle.

* :func:`problems` -- a Hypothesis strategy for small claim files (as JSON-ready mappings with
  numbers as exact strings) with claims of every kind, whose ``equals`` values are sometimes
  right and sometimes wrong.
* :data:`BASE_TOML` -- fixed claim files whose certificates cover every claim kind with true and
  false verdicts (used by the mutation tests and the bad-certificate corpus).
* :func:`oracle_verdicts` -- the truth of every claim of a problem mapping, computed here by plain
  Gaussian elimination on ``Fraction`` rows, sharing no code with symrep or its checker.
"""

from __future__ import annotations

import json
import re
from unittest import mock
from fractions import Fraction

from hypothesis import strategies as st

from symrep.claims import witnesses
from symrep.claims import loads_claim_file, problem_from_mapping

KINDS = ("activations", "dimension", "identical", "exact_match", "maximum_match", "no_match", "isomorphic")
ONE_NETWORK = ("activations", "dimension")

# ---------------------------------------------------------------------------------------------
# an independent oracle (rank by elimination over Fraction; nothing from symrep)


def q(s) -> Fraction:
    """An exact number from a string "p/q" (or a decimal), an int or a binary float."""
    if isinstance(s, bool) or not isinstance(s, (int, float, str)):
        raise TypeError(f"not a number: {s!r}")
    if isinstance(s, str) and re.fullmatch(r"-?[0-9]+(/[0-9]+)?", s):
        p, _, d = s.partition("/")
        return Fraction(_long_int(p), _long_int(d) if d else 1)
    return Fraction(s)


def _long_int(text: str) -> int:
    """int(text) without Python's 4,300-digit conversion limit (certificates may hold more)."""
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text)
    value = 0
    for k in range(0, len(digits), 500):
        value = value * 10 ** len(digits[k:k + 500]) + int(digits[k:k + 500])
    return sign * value


def rank(rows) -> int:
    m = [list(r) for r in rows]
    r = 0
    ncols = len(m[0]) if m else 0
    for c in range(ncols):
        piv = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if piv is None:
            continue
        m[r], m[piv] = m[piv], m[r]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                f = m[i][c] / m[r][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        r += 1
    return r


def oracle_forward(problem: dict, name: str) -> list[list[list[Fraction]]]:
    """Activation matrices (rows = neurons) of layers 0..k of network *name*."""
    inputs = [[q(x) for x in row] for row in problem["data"]["inputs"]]
    h = [list(col) for col in zip(*inputs)]
    out = [h]
    for layer in problem["networks"][name]["layers"]:
        W = [[q(x) for x in row] for row in layer["weights"]]
        b = [q(x) for x in layer.get("bias", ["0"] * len(W))]
        new = []
        for wrow, bi in zip(W, b):
            pre = [bi + sum(w * h[k][j] for k, w in enumerate(wrow)) for j in range(len(inputs))]
            new.append([max(p, Fraction(0)) for p in pre] if layer["activation"] == "relu" else pre)
        h = new
        out.append(h)
    return out


def in_span(v, rows) -> bool:
    return rank(rows + [v]) == rank(rows)


def oracle_max_match(A, B):
    X, Y = set(range(len(A))), set(range(len(B)))
    while True:
        X2 = {i for i in X if in_span(A[i], [B[j] for j in sorted(Y)])}
        Y2 = {j for j in Y if in_span(B[j], [A[i] for i in sorted(X2)])}
        if (X2, Y2) == (X, Y):
            return sorted(X), sorted(Y)
        X, Y = X2, Y2


def oracle_verdict(problem: dict, claim: dict, acts: dict) -> bool | None:
    """The truth of one claim of the seven original kinds; None for the newer kinds."""
    kind = claim["kind"]
    if kind not in KINDS:
        return None
    layer = claim["layer"]

    def act(name):
        if name not in acts:
            acts[name] = oracle_forward(problem, name)
        return acts[name][layer]

    if kind in ONE_NETWORK:
        A = act(claim["network"])
        if kind == "activations":
            return A == [[q(x) for x in row] for row in claim["equals"]]
        return rank(A) == claim["equals"]
    A, B = act(claim["networks"][0]), act(claim["networks"][1])
    if kind == "identical":
        return A == B
    if kind == "isomorphic":
        return rank(A) == rank(B)
    if kind == "exact_match":
        nx, ny = claim.get("neurons", [range(len(A)), range(len(B))])
        XA, YB = [A[i] for i in sorted(nx)], [B[j] for j in sorted(ny)]
        return rank(XA) == rank(YB) == rank(XA + YB)
    x, y = oracle_max_match(A, B)
    if kind == "no_match":
        return not x and not y
    assert kind == "maximum_match"
    return [x, y] == [sorted(claim["equals"][0]), sorted(claim["equals"][1])]


def oracle_verdicts(problem: dict) -> list[bool | None]:
    """The truth of every claim of a problem mapping (certificate JSON or generator output);
    None for a claim of a newer kind, which the oracle does not decide."""
    acts: dict = {}
    return [oracle_verdict(problem, c, acts) for c in problem["claims"]]


# ---------------------------------------------------------------------------------------------
# TOML text for a problem mapping (numbers as quoted exact strings, which claim files accept)


def to_toml(doc: dict) -> str:
    def val(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, str)):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(val(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {val(x)}" for k, x in v.items()) + " }"
        raise TypeError(type(v))

    lines = [f"title = {val(doc.get('title', ''))}", "", "[data]", f"inputs = {val(doc['data']['inputs'])}"]
    for name, net in doc["networks"].items():
        lines += ["", f"[networks.{name}]", "layers = ["] + [f"  {val(l)}," for l in net["layers"]] + ["]"]
    for c in doc["claims"]:
        lines += ["", "[[claims]]"] + [f"{k} = {val(v)}" for k, v in c.items()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Hypothesis: small networks, data and claims

SMALL = st.sampled_from(["0", "0", "1", "1", "-1", "-1", "2", "-2", "1/2", "-1/2", "1/3", "3"])


def fmt(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


@st.composite
def layers(draw, n_in: int):
    out, width = [], n_in
    for _ in range(draw(st.integers(1, 2))):  # 2-3 layers counting the input layer
        n = draw(st.integers(1, 4))
        layer = {"weights": [[draw(SMALL) for _ in range(width)] for _ in range(n)],
                 "activation": draw(st.sampled_from(["relu", "relu", "identity"]))}
        if draw(st.booleans()):
            layer["bias"] = [draw(SMALL) for _ in range(n)]
        out.append(layer)
        width = n
    return out


@st.composite
def derived(draw, base: list):
    """A network related to *base*: a copy, or one changed by a ReLU symmetry or a small edit."""
    ls = json.loads(json.dumps(base))
    first = ls[0]
    n = len(first["weights"])
    how = draw(st.sampled_from(["copy", "permute", "scale", "negate", "tweak"]))
    if how == "permute":
        perm = draw(st.permutations(range(n)))
        first["weights"] = [first["weights"][i] for i in perm]
        if "bias" in first:
            first["bias"] = [first["bias"][i] for i in perm]
        if len(ls) > 1:
            ls[1]["weights"] = [[row[i] for i in perm] for row in ls[1]["weights"]]
    elif how == "scale":
        i, c = draw(st.integers(0, n - 1)), draw(st.sampled_from([Fraction(2), Fraction(1, 2), Fraction(3)]))
        first["weights"][i] = [fmt(q(x) * c) for x in first["weights"][i]]
        if "bias" in first:
            first["bias"][i] = fmt(q(first["bias"][i]) * c)
        if len(ls) > 1:
            for row in ls[1]["weights"]:
                row[i] = fmt(q(row[i]) / c)
    elif how == "negate":
        first["weights"] = [[fmt(-q(x)) for x in row] for row in first["weights"]]
    elif how == "tweak":
        i = draw(st.integers(0, n - 1))
        j = draw(st.integers(0, len(first["weights"][i]) - 1))
        first["weights"][i][j] = draw(SMALL)
    return ls


@st.composite
def problems(draw):
    """(problem mapping, how to build it: 'mapping' or 'toml')."""
    d, n_in = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    inputs = [[draw(SMALL) for _ in range(n_in)] for _ in range(d)]
    f = draw(layers(n_in))
    g = draw(st.one_of(layers(n_in), derived(f)))
    doc = {"title": "generated", "data": {"inputs": inputs},
           "networks": {"f": {"layers": f}, "g": {"layers": g}}, "claims": []}
    depth = {"f": len(f), "g": len(g)}
    acts = {n: oracle_forward(doc, n) for n in depth}
    claims = []
    for k in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(KINDS))
        c: dict = {"id": f"c{k}", "kind": kind}
        if kind in ONE_NETWORK:
            name = draw(st.sampled_from(["f", "g"]))
            layer = draw(st.integers(0, depth[name]))
            c.update(network=name, layer=layer)
            A = acts[name][layer]
            if kind == "activations":
                eq = [[fmt(x) for x in row] for row in A]
                how = draw(st.sampled_from(["right", "right", "entry", "rows", "columns"]))
                if how == "entry":
                    i, j = draw(st.integers(0, len(eq) - 1)), draw(st.integers(0, d - 1))
                    eq[i][j] = draw(SMALL)
                elif how == "rows":
                    eq = eq[:-1] if len(eq) > 1 else eq + eq
                elif how == "columns":
                    eq = [row + ["0"] for row in eq]
                c["equals"] = eq
            else:
                c["equals"] = draw(st.one_of(st.just(rank(A)), st.integers(0, 4)))
        else:
            pair = draw(st.sampled_from([["f", "g"], ["g", "f"], ["f", "f"]]))
            layer = draw(st.integers(0, min(depth[n] for n in pair)))
            c.update(networks=pair, layer=layer)
            A, B = acts[pair[0]][layer], acts[pair[1]][layer]
            if kind == "maximum_match":
                truth = oracle_max_match(A, B)
                c["equals"] = draw(st.one_of(
                    st.just(truth),
                    st.tuples(st.sets(st.integers(0, len(A) - 1)), st.sets(st.integers(0, len(B) - 1))).map(
                        lambda p: [sorted(p[0]), sorted(p[1])])))
                c["equals"] = [list(c["equals"][0]), list(c["equals"][1])]
            elif kind == "exact_match" and draw(st.booleans()):
                truth = oracle_max_match(A, B)
                c["neurons"] = draw(st.one_of(
                    st.just([list(truth[0]), list(truth[1])]),
                    st.tuples(st.sets(st.integers(0, len(A) - 1)), st.sets(st.integers(0, len(B) - 1))).map(
                        lambda p: [sorted(p[0]), sorted(p[1])])))
        if draw(st.integers(0, 3)) == 0:
            c["expect"] = False
        claims.append(c)
    doc["claims"] = claims
    return doc, draw(st.sampled_from(["mapping", "toml"]))


def modular_inverses():
    """While active, symrep proves every dimension >= 1 with a pivot-block inverse modulo a prime
    (``inverse_mod``), as it does by default only above ``EXACT_INVERSE_UP_TO``."""
    return mock.patch.object(witnesses, "EXACT_INVERSE_UP_TO", 0)


def build(doc: dict, how: str = "mapping"):
    """The symrep Problem for a generated mapping, via the mapping API or via TOML text."""
    return loads_claim_file(to_toml(doc)) if how == "toml" else problem_from_mapping(doc)


# ---------------------------------------------------------------------------------------------
# fixed claim files covering every kind, true and false

BASE_TOML = [
    # Johnson-style 2-2-2 nets plus a third point and a dead neuron; every kind true and false.
    '''
title = "every kind, true and false"
[data]
inputs = [[1, 1], [-1, -1], [1, 0], ["1/2", -2]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1], [0, 0]], activation = "relu" },
           { weights = [[1, -1, 0], [1, -1, 1]], activation = "identity" } ]
[networks.g]
layers = [ { weights = [[1, -2], [0, -1], ["1/2", "1/2"]], activation = "relu", bias = [0, 0, "-1/3"] },
           { weights = [[1, -1, 0], [1, -1, 0]], activation = "identity" } ]
[networks.h]
layers = [ { weights = [[2, 0], [0, "1/3"], [1, 1]], activation = "relu" },
           { weights = [["1/2", -3, 0], [1, -1, 2]], activation = "relu", bias = [1, 0] } ]

[[claims]]
id = "act-true"
kind = "activations"
network = "f"
layer = 1
equals = [[1, 0, 1, "1/2"], [1, 0, 0, 0], [0, 0, 0, 0]]
[[claims]]
id = "act-false-entry"
kind = "activations"
network = "g"
layer = 1
equals = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
[[claims]]
id = "act-false-shape"
kind = "activations"
network = "f"
layer = 2
equals = [[0, 0, 1, 1]]
expect = false
[[claims]]
id = "dim-true"
kind = "dimension"
network = "h"
layer = 1
equals = 3
[[claims]]
id = "dim-false"
kind = "dimension"
network = "f"
layer = 1
equals = 3
expect = false
[[claims]]
id = "ident-true"
kind = "identical"
networks = ["f", "f"]
layer = 2
[[claims]]
id = "ident-false"
kind = "identical"
networks = ["f", "g"]
layer = 1
[[claims]]
id = "exact-true"
kind = "exact_match"
networks = ["h", "h"]
layer = 1
[[claims]]
id = "exact-false"
kind = "exact_match"
networks = ["f", "g"]
layer = 1
[[claims]]
id = "exact-neurons-true"
kind = "exact_match"
networks = ["f", "h"]
layer = 1
neurons = [[0, 2], [0]]
[[claims]]
id = "exact-neurons-false"
kind = "exact_match"
networks = ["f", "g"]
layer = 1
neurons = [[0, 1], [1, 2]]
[[claims]]
id = "maxmatch-true"
kind = "maximum_match"
networks = ["f", "h"]
layer = 1
equals = [[0, 1, 2], [0, 1]]
[[claims]]
id = "maxmatch-false"
kind = "maximum_match"
networks = ["f", "g"]
layer = 1
equals = [[0, 1, 2], [0, 1, 2]]
[[claims]]
id = "nomatch-true"
kind = "no_match"
networks = ["f", "g"]
layer = 2
[[claims]]
id = "nomatch-false"
kind = "no_match"
networks = ["f", "h"]
layer = 1
[[claims]]
id = "iso-true"
kind = "isomorphic"
networks = ["g", "h"]
layer = 1
[[claims]]
id = "iso-false"
kind = "isomorphic"
networks = ["f", "h"]
layer = 1
''',
    # The seed's Example 3.1 as printed: 2 points, zero outputs, printed statements false.
    '''
title = "example 3.1, small"
[data]
inputs = [[1, 1], [-1, -1]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "relu" },
           { weights = [[1, -1], [1, -1]], activation = "identity" } ]
[networks.t]
layers = [ { weights = [[-1, 0], [0, -1]], activation = "relu" },
           { weights = [[1, -1], [1, -1]], activation = "identity" } ]
[[claims]]
id = "no-hidden-match"
kind = "no_match"
networks = ["f", "t"]
layer = 1
[[claims]]
id = "outputs-match"
kind = "maximum_match"
networks = ["f", "t"]
layer = 2
equals = [[0, 1], [0, 1]]
[[claims]]
id = "hidden-iso"
kind = "isomorphic"
networks = ["f", "t"]
layer = 1
[[claims]]
id = "input-dim"
kind = "dimension"
network = "f"
layer = 0
equals = 1
[[claims]]
id = "outputs-identical"
kind = "identical"
networks = ["f", "t"]
layer = 2
[[claims]]
id = "hidden-exact"
kind = "exact_match"
networks = ["f", "t"]
layer = 1
''',
    # One data point, width-1 layers with fractions and bias: a line in R^1, zero neurons.
    '''
title = "one point"
[data]
inputs = [["-3/4"]]
[networks.a]
layers = [ { weights = [[2], [-1], [0]], activation = "relu", bias = ["1/2", 0, 0] },
           { weights = [[1, 1, 1]], activation = "identity", bias = ["-1/4"] } ]
[networks.b]
layers = [ { weights = [["-2/3"]], activation = "identity" },
           { weights = [[0]], activation = "relu" } ]
[[claims]]
id = "dim-a"
kind = "dimension"
network = "a"
layer = 1
equals = 1
[[claims]]
id = "max-a-b"
kind = "maximum_match"
networks = ["a", "b"]
layer = 1
equals = [[0, 1, 2], [0]]
[[claims]]
id = "iso-a-b-out"
kind = "isomorphic"
networks = ["a", "b"]
layer = 2
[[claims]]
id = "exact-a-b-out"
kind = "exact_match"
networks = ["a", "b"]
layer = 2
neurons = [[0], [0]]
[[claims]]
id = "act-b"
kind = "activations"
network = "b"
layer = 1
equals = [["1/2"]]
''',
]


def _ten_points() -> str:
    """Ten points in R^10 and 10-neuron layers: dimensions above 8, where symrep proves
    independence with a pivot-block inverse modulo a prime (``inverse_mod``)."""
    n = 10
    inputs = [[("1" if j < i else f"{i + 1}/{j + 2}" if j == i else "0") for j in range(n)] for i in range(n)]
    ident = [["1" if j == i else "0" for j in range(n)] for i in range(n)]
    scaled = [["0"] * n for _ in range(n)]
    for i in range(n):
        scaled[i][(i + 3) % n] = "1/2" if i % 2 else "3"  # a positive rescaling and a permutation
    folded = [row[:] for row in ident]
    folded[9] = ["1"] * 9 + ["0"]  # neuron 9 = sum of neurons 0..8 on non-negative data: rank 9
    doc = {
        "title": "ten points",
        "data": {"inputs": inputs},
        "networks": {"f": {"layers": [{"weights": ident, "activation": "relu"}]},
                     "g": {"layers": [{"weights": scaled, "activation": "relu"}]},
                     "h": {"layers": [{"weights": folded, "activation": "relu"}]}},
        "claims": [
            {"id": "dim-input", "kind": "dimension", "network": "f", "layer": 0, "equals": 10},
            {"id": "dim-h-false", "kind": "dimension", "network": "h", "layer": 1, "equals": 10},
            {"id": "iso-f-g", "kind": "isomorphic", "networks": ["f", "g"], "layer": 1},
            {"id": "iso-f-h", "kind": "isomorphic", "networks": ["f", "h"], "layer": 1},
            {"id": "exact-f-g", "kind": "exact_match", "networks": ["f", "g"], "layer": 1},
            {"id": "max-f-h", "kind": "maximum_match", "networks": ["f", "h"], "layer": 1,
             "equals": [list(range(10)), list(range(10))]},
        ],
    }
    return to_toml(doc)


BASE_TOML.append(_ten_points())

# The newer kinds (eps-matches, similarity, simple matches, the equivalence ladder, CKA), true and false.
BASE_TOML.append('''
title = "newer kinds"
[data]
inputs = [[1, 0], [0, 1], [1, 1], [2, "-1/2"]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1], [1, 1]], activation = "relu" } ]
[networks.g]
layers = [ { weights = [[0, 2], [1, 1], ["1/2", 0]], activation = "relu" } ]
[networks.h]
layers = [ { weights = [[1, "1/10"], [0, 1], [1, 2]], activation = "relu", bias = [0, "1/5", 0] } ]
[networks.r]
layers = [ { weights = [[0, 1], [1, 0], [1, 1]], activation = "identity" } ]
[[claims]]
id = "approx-true"
kind = "approx_match"
networks = ["f", "h"]
layer = 1
eps = "1/2"
[[claims]]
id = "approx-false"
kind = "approx_match"
networks = ["f", "h"]
layer = 1
eps = "1/100"
neurons = [[0], [0]]
[[claims]]
id = "max-approx"
kind = "maximum_approx_match"
networks = ["f", "h"]
layer = 1
eps = "1/5"
equals = [[0, 1, 2], [0, 1, 2]]
[[claims]]
id = "similarity-true"
kind = "match_similarity"
networks = ["f", "g"]
layer = 1
equals = 1
[[claims]]
id = "similarity-false"
kind = "match_similarity"
networks = ["f", "h"]
layer = 1
equals = "1/2"
eps = "1/10"
[[claims]]
id = "simple-true"
kind = "simple_match"
networks = ["f", "g"]
layer = 1
neurons = [[0], [2]]
[[claims]]
id = "simple-false-union"
kind = "simple_match"
networks = ["f", "g"]
layer = 1
neurons = [[0, 1], [0, 2]]
[[claims]]
id = "simple-false-no-match"
kind = "simple_match"
networks = ["f", "h"]
layer = 1
neurons = [[0], [1]]
[[claims]]
id = "ladder-scaled-permutation"
kind = "equivalence"
networks = ["f", "g"]
layer = 1
level = "scaled_permutation"
[[claims]]
id = "ladder-permutation-false"
kind = "equivalence"
networks = ["f", "g"]
layer = 1
level = "permutation"
[[claims]]
id = "ladder-identical-centered"
kind = "equivalence"
networks = ["f", "f"]
layer = 1
level = "identical"
centered = true
[[claims]]
id = "ladder-orthogonal-true"
kind = "equivalence"
networks = ["f", "r"]
layer = 0
level = "orthogonal"
[[claims]]
id = "ladder-orthogonal-false"
kind = "equivalence"
networks = ["f", "g"]
layer = 1
level = "orthogonal"
[[claims]]
id = "ladder-linear"
kind = "equivalence"
networks = ["f", "g"]
layer = 1
level = "linear"
[[claims]]
id = "ladder-linear-false"
kind = "equivalence"
networks = ["f", "h"]
layer = 1
level = "linear"
[[claims]]
id = "ladder-isomorphic-centered"
kind = "equivalence"
networks = ["f", "h"]
layer = 1
level = "isomorphic"
centered = true
[[claims]]
id = "cka-at-least"
kind = "cka"
networks = ["f", "h"]
layer = 1
at_least = "1/2"
[[claims]]
id = "cka-equals-false"
kind = "cka"
networks = ["f", "h"]
layer = 1
equals = "1/2"
at_most = 1
''')


# equal_functions: splitting-tree certificates (true on R^2 and on a line), differing points (false).
BASE_TOML.append('''
title = "equal functions"
[data]
inputs = [[1, 1], [-1, -1]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "relu" },
           { weights = [[1, -1], [1, -1]], activation = "identity" } ]
[networks.p]
layers = [ { weights = [[0, 1], [2, 0]], activation = "relu" },
           { weights = [[-1, "1/2"], [-1, "1/2"]], activation = "identity" } ]
[networks.t]
layers = [ { weights = [[-1, 0], [0, -1]], activation = "relu" },
           { weights = [[1, -1], [1, -1]], activation = "identity" } ]
[networks.l]
layers = [ { weights = [[1, -1]], activation = "relu" }, { weights = [[1], [1]], activation = "identity", bias = [0, 0] } ]
[[claims]]
id = "permuted-scaled-equal"
kind = "equal_functions"
networks = ["f", "p"]
[[claims]]
id = "line-agree"
kind = "equal_functions"
networks = ["f", "t"]
domain = [{ coefficients = [1, -1], relation = "==", bound = 0 }]
[[claims]]
id = "plane-differ"
kind = "equal_functions"
networks = ["f", "t"]
[[claims]]
id = "box-differ"
kind = "equal_functions"
networks = ["f", "l"]
domain = [[0, 1], [-1, 0]]
[[claims]]
id = "halfplane"
kind = "equal_functions"
networks = ["f", "l"]
domain = [{ coefficients = [0, 1], relation = "<=", bound = 0 }, { coefficients = [1, 0], relation = ">=", bound = 0 }]
''')


def base_problems():
    return [loads_claim_file(t, f"base-{i}") for i, t in enumerate(BASE_TOML)]


def agree(verdicts, oracle) -> bool:
    """symrep's verdicts equal the oracle's wherever the oracle decides."""
    return len(verdicts) == len(oracle) and all(o is None or o == v for v, o in zip(verdicts, oracle))
