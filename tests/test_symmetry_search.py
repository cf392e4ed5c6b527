"""The symmetry search of symrep.relu.symmetry is complete: built by construction, every symmetry is found.

Random ReLU networks with duplicated and proportional neurons (and dead ones) are permuted and
positively rescaled layer by layer by this test's own code; the search must find a symmetry (the
greedy pairing it replaced missed about a third of these), and whatever it returns must pass the
exact re-check.  A changed weight must not be reported as a symmetry.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

from hypothesis import given, settings, strategies as st

from symrep.networks.network import Layer, Network
from symrep.relu.symmetry import check_symmetry, find_symmetry, symmetry_json


def _network(rng: random.Random, widths: list[int]) -> Network:
    """Small integer weights; about half the neurons copy an earlier one times 1, 2 or 1/3."""
    layers = []
    for i in range(1, len(widths)):
        W = [[F(rng.randint(-2, 2)) for _ in range(widths[i - 1])] for _ in range(widths[i])]
        b = [F(rng.choice((0, 0, 1, -1))) for _ in range(widths[i])]
        for r in range(1, len(W)):
            if rng.random() < 0.5:
                src = rng.randrange(r)
                k = rng.choice((F(1), F(2), F(1, 3)))
                W[r], b[r] = [x * k for x in W[src]], b[src] * k
        layers.append(Layer(W, "relu" if i < len(widths) - 1 else "identity", b))
    return Network(layers)


def _image(rng: random.Random, f: Network) -> Network:
    """f with each hidden layer permuted and each hidden neuron scaled by c > 0 (outgoing weights / c)."""
    perm, sc = list(range(f.widths[0])), [F(1)] * f.widths[0]
    layers = []
    for li, layer in enumerate(f.layers):
        w, last = layer.width, li == f.depth - 1
        p = list(range(w)) if last else rng.sample(range(w), w)
        c = [F(1)] * w if last else [F(rng.randint(1, 5), rng.randint(1, 5)) for _ in range(w)]
        W = [[F(0)] * len(perm) for _ in range(w)]
        B = [F(0)] * w
        for i in range(w):
            for k in range(len(perm)):
                W[p[i]][perm[k]] = c[i] * layer.weights[i][k] / sc[k]
            B[p[i]] = c[i] * layer.bias[i]
        layers.append(Layer(W, layer.activation, B))
        perm, sc = p, c
    return Network(layers)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), widths=st.lists(st.integers(1, 6), min_size=2, max_size=4))
def test_every_constructed_symmetry_is_found(seed, widths):
    rng = random.Random(seed)
    f = _network(rng, [rng.randint(1, 3)] + widths + [rng.randint(1, 2)])
    g = _image(rng, f)
    sym = find_symmetry(f, g)
    assert sym is not None
    check_symmetry(f, g, symmetry_json(sym))


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_changed_weight_is_no_symmetry(seed):
    rng = random.Random(seed)
    f = _network(rng, [2, 4, 4, 1])
    g = _image(rng, f)
    li = rng.randrange(g.depth)
    layer = g.layers[li]
    i, k = rng.randrange(layer.width), rng.randrange(layer.inputs)
    W = [list(r) for r in layer.weights]
    W[i][k] += 1  # a weight no symmetry of f gives: g is no longer f's image
    h = Network([*g.layers[:li], Layer(W, layer.activation, layer.bias), *g.layers[li + 1:]])
    sym = find_symmetry(f, h)
    if sym is not None:  # only if the change happens to give another symmetric network: then it checks exactly
        check_symmetry(f, h, symmetry_json(sym))


def test_twins_that_greedy_pairing_missed_are_found():
    """Duplicated neurons whose pairing matters only in the next layer (the former greedy search missed it)."""
    f = Network([Layer([[1], [1]], "relu"), Layer([[1, 0], [0, 1]], "relu"), Layer([[1, 2]], "identity")])
    g = Network([Layer([[1], [3]], "relu"), Layer([[0, "1/3"], [1, 0]], "relu"), Layer([[1, 2]], "identity")])
    sym = find_symmetry(f, g)
    assert sym is not None
    check_symmetry(f, g, symmetry_json(sym))


def test_dead_neurons_get_their_scale_from_their_weights():
    """A neuron 0 at every input, rescaled: found through its outgoing (or, with none, incoming) weights."""
    f = Network([Layer([[0], [1]], "relu"), Layer([[1, 1], [2, 0]], "relu"), Layer([[1, 0]], "identity")])
    g = Network([Layer([[0], [1]], "relu"), Layer([[5, 1], [30, 0]], "relu"), Layer([[1, 0]], "identity")])
    sym = find_symmetry(f, g)  # neuron 0 of layer 1 scaled by 1/5; neuron 1 of layer 2 (no output weight) by 3
    assert sym is not None
    check_symmetry(f, g, symmetry_json(sym))


def test_the_search_stops_at_its_limit():
    rng = random.Random(7)
    f = _network(rng, [2, 6, 6, 1])
    g = _image(rng, f)
    assert find_symmetry(f, g) is not None
    assert find_symmetry(f, g, limit=1) is None  # one refinement cannot settle two hidden layers
