"""Networks and exact activation matrices (rows = neurons, columns = data points)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import Layer, Network, activations, maximum_match
from symrep.errors import InputError, ShapeError
from symrep.networks.network import forward

from conftest import mat_mul, matrices, positive_fractions, small_fractions, small_ints, sym

F = Fraction


def relu(M):
    return tuple(tuple(x if x > 0 else F(0) for x in r) for r in M)


def add_bias(M, b):
    return tuple(tuple(x + bb for x in r) for r, bb in zip(M, b))


@st.composite
def two_layer_problems(draw, activation="relu"):
    """A network n -> h -> o with the given hidden activation, and data (points x n)."""
    n = draw(st.integers(1, 3))
    h = draw(st.integers(1, 4))
    o = draw(st.integers(1, 3))
    d = draw(st.integers(1, 4))
    W1 = draw(matrices(h, n, small_ints))
    b1 = draw(matrices(1, h, small_fractions))[0]
    W2 = draw(matrices(o, h, small_fractions))
    b2 = draw(matrices(1, o, small_ints))[0]
    X = draw(matrices(d, n, small_fractions))
    return W1, b1, W2, b2, X, activation


def build(W1, b1, W2, b2, act="relu", out="identity"):
    return Network([Layer(W1, act, b1), Layer(W2, out, b2)])


# --- the activation matrix is the exact forward pass -----------------------------------------


@pytest.mark.slow
@settings(max_examples=100)
@given(two_layer_problems(), st.sampled_from(["relu", "identity"]), st.sampled_from(["relu", "identity"]))
def test_activations_are_the_exact_forward_pass(problem, act, out):
    W1, b1, W2, b2, X, _ = problem
    net = build(W1, b1, W2, b2, act, out)
    XT = tuple(zip(*X))  # rows = input coordinates, columns = data points
    H = add_bias(mat_mul(W1, XT), b1)
    if act == "relu":
        H = relu(H)
    O = add_bias(mat_mul(W2, H), b2)
    if out == "relu":
        O = relu(O)
    assert activations(net, X, 0) == XT
    assert activations(net, X, 1) == H
    assert activations(net, X, 2) == O
    assert forward(net, X) == [XT, H, O]
    # One row per neuron, one column per data point.
    assert len(H) == len(W1) and all(len(r) == len(X) for r in H)
    if act == "relu":
        assert all(x >= 0 for r in H for x in r)


@pytest.mark.slow
@settings(max_examples=50)
@given(two_layer_problems())
def test_identity_network_is_an_affine_map_checked_with_sympy(problem):
    W1, b1, W2, b2, X, _ = problem
    net = build(W1, b1, W2, b2, "identity", "identity")
    XT = sym(X).T
    ones = sym([[1] * len(X)])
    expected = sym(W2) * (sym(W1) * XT + sym([b1]).T * ones) + sym([b2]).T * ones
    got = activations(net, X, 2)
    assert got == tuple(tuple(F(int(expected[i, j].p), int(expected[i, j].q)) for j in range(len(X))) for i in range(len(W2)))


@pytest.mark.slow
@settings(max_examples=100)
@given(two_layer_problems(), st.data())
def test_permuting_and_positively_rescaling_hidden_neurons(problem, data):
    """ReLU's symmetries: same outputs, and the hidden layers match fully (X* = all, Y* = all)."""
    W1, b1, W2, b2, X, _ = problem
    h = len(W1)
    perm = data.draw(st.permutations(range(h)))  # new neuron perm[i] is old neuron i
    scale = data.draw(st.lists(positive_fractions, min_size=h, max_size=h))
    W1p, b1p = [None] * h, [None] * h
    for i in range(h):
        W1p[perm[i]] = tuple(scale[i] * w for w in W1[i])
        b1p[perm[i]] = scale[i] * b1[i]
    old = {perm[i]: i for i in range(h)}  # new neuron j was old neuron old[j]
    W2p = tuple(tuple(W2[k][old[j]] / scale[old[j]] for j in range(h)) for k in range(len(W2)))
    f, g = build(W1, b1, W2, b2), build(W1p, b1p, W2p, b2)
    Hf, Hg = activations(f, X, 1), activations(g, X, 1)
    for i in range(h):
        assert Hg[perm[i]] == tuple(scale[i] * x for x in Hf[i])
    assert activations(f, X, 2) == activations(g, X, 2)
    m = maximum_match(Hf, Hg)
    assert m.x == tuple(range(h)) and m.y == tuple(range(h))
    assert m.similarity == 1 and m.removals == ()
    m2 = maximum_match(activations(f, X, 2), activations(g, X, 2))
    assert m2.similarity == 1


@pytest.mark.slow
@settings(max_examples=50)
@given(two_layer_problems())
def test_negative_scaling_is_not_a_relu_symmetry_but_is_one_for_identity(problem):
    W1, b1, W2, b2, X, _ = problem
    neg = lambda M: tuple(tuple(-x for x in r) for r in M)  # noqa: E731
    f = build(W1, b1, W2, b2, "identity")
    g = build(neg(W1), tuple(-x for x in b1), neg(W2), b2, "identity")
    assert activations(f, X, 2) == activations(g, X, 2)
    assert maximum_match(activations(f, X, 1), activations(g, X, 1)).similarity == 1


def test_relu_negation_changes_the_output():
    f = build([[1]], [0], [[1]], [0])
    g = build([[-1]], [0], [[-1]], [0])
    X = [[1], [-1]]
    assert activations(f, X, 2) == ((1, 0),)
    assert activations(g, X, 2) == ((0, -1),)


def test_example_3_1_hidden_and_output_activations():
    f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
    ft = Network([Layer([[1, 0], [0, -1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
    X = [[1, 1], [-1, -1]]
    assert activations(f, X, 1) == ((1, 0), (1, 0))
    assert activations(ft, X, 1) == ((1, 0), (0, 1))
    assert activations(f, X, 2) == ((0, 0), (0, 0))
    assert activations(ft, X, 2) == ((1, -1), (1, -1))


def test_inputs_are_read_exactly_from_many_forms():
    net = Network([Layer([["1/2", 0.5], [F(1, 4), "0.1"]], "identity", bias=["1e-3", 0])])
    A = activations(net, [[1.0, "2"]], 1)
    assert A == ((F(1, 2) + 1 + F(1, 1000),), (F(1, 4) + F(2, 10),))


# --- validation -------------------------------------------------------------------------


def test_layer_shape_and_activation_validation():
    assert Layer([[1, 2, 3]], "relu").inputs == 3
    assert Layer([[1], [2]], "identity").width == 2
    assert Layer([[1], [2]], "identity").bias == (0, 0)
    with pytest.raises(ShapeError, match="non-empty"):
        Layer([], "relu")
    with pytest.raises(ShapeError, match="non-empty"):
        Layer([[]], "relu")
    with pytest.raises(ShapeError, match="row 1 has 1 entries"):
        Layer([[1, 2], [3]], "relu")
    with pytest.raises(ShapeError, match="bias has 3 entries but weights have 2 rows"):
        Layer([[1], [2]], "relu", [0, 0, 0])
    with pytest.raises(InputError, match="activation 'sigmoid'"):
        Layer([[1]], "sigmoid")
    with pytest.raises(InputError, match="activation 'ReLU'"):
        Layer([[1]], "ReLU")
    with pytest.raises(InputError, match="not a finite"):
        Layer([[float("nan")]], "relu")
    with pytest.raises(InputError, match="boolean"):
        Layer([[1]], "relu", [True])


def test_network_shapes_must_chain():
    Network([Layer([[1, 0]], "relu"), Layer([[2]], "identity")])
    with pytest.raises(ShapeError, match="layer 2 takes 2 inputs but layer 1 has 1 neurons"):
        Network([Layer([[1, 0]], "relu"), Layer([[2, 3]], "identity")], name="f")
    with pytest.raises(ShapeError, match="at least one layer"):
        Network([])


def test_layers_and_networks_are_immutable_values():
    layer = Layer([[1, 2]], "relu", where="somewhere")
    with pytest.raises(dataclasses.FrozenInstanceError):
        layer.activation = "identity"  # type: ignore[misc]
    net = Network([layer], name="f")
    with pytest.raises(dataclasses.FrozenInstanceError):
        net.layers = ()  # type: ignore[misc]
    assert isinstance(net.layers, tuple) and isinstance(layer.weights, tuple)
    # Equality is mathematical: names and source locations do not take part.
    assert Network([Layer([[1, 2]], "relu")], name="g") == net
    assert Layer([["2/2", 2.0]], "relu") == layer
    assert Layer([[1, 2]], "identity") != layer
    assert hash(net) == hash(Network([Layer([[1, 2]], "relu")]))


def test_widths_and_depth():
    net = Network([Layer([[1, 0, 0], [0, 1, 0]], "relu"), Layer([[1, 1]], "identity")])
    assert net.widths == (3, 2, 1) and net.depth == 2


def test_activations_validates_layer_and_data():
    net = Network([Layer([[1, 0], [0, 1]], "relu")])
    for bad in (-1, 2, True, 1.0, "1"):
        with pytest.raises(InputError, match="not between 0"):
            activations(net, [[1, 2]], bad)
    with pytest.raises(ShapeError, match="3 coordinates but the network takes 2"):
        activations(net, [[1, 2, 3]], 1)
    with pytest.raises(ShapeError):
        activations(net, [[1, 2], [3]], 1)
    assert activations(net, [], 1) == ((), ())  # no data: one empty vector per neuron
