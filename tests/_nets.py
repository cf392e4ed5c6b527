"""Hypothesis strategies and independent exact references for the region and function tests.

The references do not use symrep's region code: a network's output at a point is
computed here with plain fractions, and the affine map of a fixed activation
pattern is read off by evaluating the pattern-forced network at 0 and the unit vectors.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from symrep.networks.network import Layer, Network

weights = st.one_of(
    st.just(Fraction(0)),
    st.builds(Fraction, st.integers(-4, 4), st.integers(1, 3)),
    st.builds(Fraction, st.integers(-4, 4), st.integers(1, 3)),
)
nonzero_weights = st.builds(Fraction, st.integers(1, 4), st.integers(1, 3)).flatmap(
    lambda q: st.sampled_from([q, -q]))
points_coord = st.builds(Fraction, st.integers(-8, 8), st.integers(1, 4))


@st.composite
def networks(draw, inputs=None, outputs=None, max_width=3, max_hidden=2, elements=weights, allow_identity=True):
    """Small networks: 1-2 hidden layers (mostly relu), identity or relu output."""
    n = inputs if inputs is not None else draw(st.integers(1, 3))
    hidden = draw(st.lists(st.integers(1, max_width), min_size=1, max_size=max_hidden))
    out = outputs if outputs is not None else draw(st.integers(1, 2))
    widths = [n] + hidden + [out]
    layers = []
    for i in range(1, len(widths)):
        W = [[draw(elements) for _ in range(widths[i - 1])] for _ in range(widths[i])]
        b = [draw(elements) for _ in range(widths[i])]
        if i == len(widths) - 1:
            act = draw(st.sampled_from(["identity", "identity", "relu"]))
        elif allow_identity:
            act = draw(st.sampled_from(["relu", "relu", "relu", "identity"]))
        else:
            act = "relu"
        layers.append(Layer(W, act, b))
    return Network(layers)


def points(n, count=6):
    return st.lists(st.tuples(*[points_coord] * n), min_size=1, max_size=count)


def ref_output(net: Network, x) -> tuple:
    """The network's output at x, with plain fractions."""
    h = [Fraction(v) for v in x]
    for layer in net.layers:
        h = [sum((w * v for w, v in zip(row, h)), b) for row, b in zip(layer.weights, layer.bias)]
        if layer.activation == "relu":
            h = [v if v > 0 else Fraction(0) for v in h]
    return tuple(h)


def ref_pre_activations(net: Network, x) -> list[list[Fraction]]:
    """Pre-activations of every layer at x."""
    out, h = [], [Fraction(v) for v in x]
    for layer in net.layers:
        pre = [sum((w * v for w, v in zip(row, h)), b) for row, b in zip(layer.weights, layer.bias)]
        out.append(pre)
        h = [v if v > 0 else Fraction(0) for v in pre] if layer.activation == "relu" else pre
    return out


def forced(net: Network, pattern, x):
    """Pre-activations and output at x with every relu neuron forced to its state in *pattern*."""
    pres, h = [], [Fraction(v) for v in x]
    for layer, pat in zip(net.layers, pattern):
        pre = [sum((w * v for w, v in zip(row, h)), b) for row, b in zip(layer.weights, layer.bias)]
        pres.append(pre)
        h = pre if pat is None else [v if s else Fraction(0) for v, s in zip(pre, pat)]
    return pres, tuple(h)


def affine_of(fun, n):
    """Coefficients (w..., c) of an affine function R^n -> R^m, by evaluating at 0 and e_i."""
    zero = (Fraction(0),) * n
    f0 = fun(zero)
    cols = []
    for i in range(n):
        e = tuple(Fraction(int(i == j)) for j in range(n))
        cols.append([a - b for a, b in zip(fun(e), f0)])
    return [tuple(cols[i][k] for i in range(n)) + (f0[k],) for k in range(len(f0))]


def permuted_and_rescaled(net: Network, perms, scales) -> Network:
    """Permute and positively rescale the neurons of every hidden layer (same function).

    ``perms[l]``, ``scales[l]`` act on hidden layer l: new neuron i is old neuron perms[l][i]
    scaled by scales[l][i] > 0 (for a relu or identity layer), and the next layer's
    columns are permuted and divided accordingly.
    """
    layers = [(list(map(list, L.weights)), list(L.bias), L.activation) for L in net.layers]
    for l in range(len(layers) - 1):
        W, b, act = layers[l]
        p, s = perms[l], scales[l]
        W = [[s[i] * w for w in W[p[i]]] for i in range(len(p))]
        b = [s[i] * b[p[i]] for i in range(len(p))]
        layers[l] = (W, b, act)
        W2, b2, act2 = layers[l + 1]
        W2 = [[row[p[i]] / s[i] for i in range(len(p))] for row in W2]
        layers[l + 1] = (W2, b2, act2)
    return Network([Layer(W, act, b) for W, b, act in layers])


@st.composite
def symmetries(draw, net: Network):
    """Random permutations and positive scales for the hidden layers of *net*."""
    perms, scales = [], []
    for layer in net.layers[:-1]:
        perms.append(draw(st.permutations(range(layer.width))))
        scales.append([draw(st.sampled_from([Fraction(1), Fraction(2), Fraction(1, 3), Fraction(5, 2)]))
                       for _ in range(layer.width)])
    return perms, scales
