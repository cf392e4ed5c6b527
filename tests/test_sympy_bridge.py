"""SymPy in and out (issue 18): the one input rule, exact round trips, witnesses that SymPy re-checks.

Truth comes from SymPy's own arithmetic (products, ranks, row spaces) or from construction,
never from the conversion under test.
"""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import symrep
from symrep.errors import InputError, ShapeError
from symrep.exact.numbers import as_matrix, as_vector
from symrep.exact.symbolic import from_sympy, matrix_to_sympy, to_sympy, witness_to_sympy
from symrep.measures.equivalence import equivalence
from symrep.networks.network import Layer, Network, activations
from symrep.networks.spaces import Subspace, isomorphism
from symrep.parametric.params import ParameterSpace
from symrep.parametric.symbolic import entry_from_sympy, parametric_from_sympy, parametric_to_sympy

rationals = st.fractions(min_value=-20, max_value=20, max_denominator=12)

PROOFS = Path(__file__).resolve().parent.parent / "proofs"


SIZES = st.integers(1, 4)


def sympy_matrices(rows=SIZES, cols=SIZES):
    @st.composite
    def build(draw):
        r, c = draw(rows), draw(cols)
        return sympy.ImmutableMatrix(r, c, [sympy.Rational(q.numerator, q.denominator) for q in draw(
            st.lists(rationals, min_size=r * c, max_size=r * c))])
    return build()


# --- SymPy -> symrep -> SymPy ---------------------------------------------------------------------------


@given(sympy_matrices())
def test_matrix_round_trip_is_exact(M):
    back = to_sympy(as_matrix(M))
    assert back == M and isinstance(back, sympy.ImmutableMatrix)
    assert all(isinstance(x, sympy.Rational) for x in back)
    assert from_sympy(back) == as_matrix(M) or M.shape[1] == 1


@given(st.lists(rationals, min_size=1, max_size=6))
def test_vector_round_trip_and_every_shape_of_vector_is_the_same(v):
    col = sympy.Matrix([sympy.Rational(q.numerator, q.denominator) for q in v])
    forms = [col, col.T, sympy.ImmutableMatrix(col), [[q] for q in v], [list(v)], list(v),
             [f"{q.numerator}/{q.denominator}" for q in v], np.array([[float(q)] for q in v], dtype=object)]
    expected = tuple(v)
    for form in forms[:-1]:
        assert as_vector(form) == expected
    assert to_sympy(expected) == col  # a vector comes back as a column
    assert from_sympy(col) == expected


def test_a_vector_must_be_one_row_or_one_column():
    with pytest.raises(ShapeError, match="one row or one column"):
        as_vector(sympy.Matrix([[1, 2], [3, 4]]), "bias")
    with pytest.raises(InputError, match=r"\[1\] \(list\) is not a number"):
        as_matrix([[[1], [2]]])  # a matrix of matrices is not a matrix


def test_sympy_bias_of_any_sensible_shape():
    """The reported failure: a SymPy column vector as a bias ('bias[0]: [1] (list) is not a number')."""
    W = sympy.Matrix([[1, 0], [0, -1]])
    layers = [Layer(W, "relu", b) for b in (sympy.Matrix([1, sympy.Rational(1, 2)]), sympy.Matrix([[1, "1/2"]]),
                                            np.array([[1.0], [0.5]]), [[1], ["1/2"]], [1, Fraction(1, 2)], ["1", "0.5"])]
    assert all(layer == layers[0] for layer in layers)
    assert layers[0].bias == (Fraction(1), Fraction(1, 2))


def test_text_is_never_sympified():
    with pytest.raises(InputError):
        Layer([["x"]], "relu")
    with pytest.raises(InputError, match=r"weights\[0\]\[0\]: x \(Symbol\) is not a number"):
        Layer(sympy.Matrix([[sympy.Symbol("x")]]), "relu")
    with pytest.raises(InputError, match="not a rational number"):
        as_vector(sympy.Matrix([sympy.sqrt(2)]))
    with pytest.raises(InputError):
        to_sympy(as_matrix([["__import__('os')"]]))


@st.composite
def networks(draw):
    widths = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    layers = []
    for i in range(1, len(widths)):
        W = draw(st.lists(st.lists(rationals, min_size=widths[i - 1], max_size=widths[i - 1]),
                          min_size=widths[i], max_size=widths[i]))
        b = draw(st.lists(rationals, min_size=widths[i], max_size=widths[i]))
        layers.append(Layer(W, draw(st.sampled_from(["relu", "identity"])), b))
    return Network(layers)


@settings(max_examples=60, deadline=None)
@given(networks())
def test_network_round_trips_both_ways(net):
    sym = net.to_sympy()
    assert Network.from_sympy(sym) == net
    again = Network.from_sympy(sym).to_sympy()
    assert again == sym
    for (W, b, act), layer in zip(sym, net.layers):
        assert W.shape == (layer.width, layer.inputs) and b.shape == (layer.width, 1) and act == layer.activation


def _relu_oracle(net, x):
    """An independent forward pass in Fractions."""
    h = [Fraction(v) for v in x]
    for layer in net.layers:
        h = [sum((w * v for w, v in zip(row, h)), Fraction(0)) + c for row, c in zip(layer.weights, layer.bias)]
        if layer.activation == "relu":
            h = [max(v, Fraction(0)) for v in h]
    return h


@settings(max_examples=60, deadline=None)
@given(networks(), st.data())
def test_symbolic_forward_pass_is_the_forward_pass(net, data):
    from symrep.relu.regions import network_expression

    x = data.draw(st.lists(rationals, min_size=net.widths[0], max_size=net.widths[0]))
    symbols = sympy.symbols(f"x0:{net.widths[0]}", real=True)
    expr = net.forward_sympy()
    assert tuple(expr) == network_expression(net)  # one object family
    at_point = expr.subs({s: sympy.Rational(q.numerator, q.denominator) for s, q in zip(symbols, x)})
    oracle = [sympy.Rational(q.numerator, q.denominator) for q in _relu_oracle(net, x)]
    assert list(at_point) == oracle
    assert list(net.forward_sympy(x)) == oracle
    assert to_sympy(activations(net, [x], net.depth)) == sympy.Matrix(oracle)


# --- witnesses back in SymPy: SymPy re-checks what they prove --------------------------------------------


@settings(max_examples=40, deadline=None)
@given(sympy_matrices(st.integers(1, 4), st.integers(1, 4)), sympy_matrices(st.integers(1, 4), st.integers(1, 1)))
def test_isomorphism_maps_are_exact_in_sympy(A, mix):
    # B is spanned by A's rows by construction (B = T A with T invertible), so the spans have equal dimension.
    n = A.shape[0]
    T = sympy.eye(n) + sympy.Matrix(n, n, lambda i, j: mix[0] if j == 0 and i > 0 else 0)
    B = T * A
    iso = isomorphism(A, B)
    M, N = iso.to_sympy()
    if A.rank() == 0:  # the zero map: its ambient dimension is not part of the isomorphism
        assert M.shape == N.shape == (0, 0)
        return
    src, tgt = list(iso.source), list(iso.target)
    assert A.extract(src, list(range(A.shape[1]))) * M == B.extract(tgt, list(range(B.shape[1])))
    assert B.extract(tgt, list(range(B.shape[1]))) * N == A.extract(src, list(range(A.shape[1])))
    assert Subspace.span(A).to_sympy().rank() == A.rank()
    assert Subspace.span(A).to_sympy() == A.rref()[0][: A.rank(), :]


@settings(max_examples=40, deadline=None)
@given(sympy_matrices(st.integers(1, 4), st.integers(1, 5)), sympy_matrices(st.integers(1, 4), st.integers(1, 5)))
def test_maximum_match_witnesses_in_sympy(A, B0):
    B = sympy.Matrix.vstack(A[:1, :], B0[:, : A.shape[1]]) if B0.shape[1] >= A.shape[1] else A[:1, :]
    m = symrep.maximum_match(A, B)
    s = m.to_sympy(points=A.shape[1])
    x, y = list(s["x"]), list(s["y"])
    # coefficients: the matched rows of A are combinations of the rows of B (zero outside Y*), and back
    assert s["x_in_y"] * B == A.extract(x, list(range(A.shape[1]))) if x else True
    assert s["y_in_x"] * A == B.extract(y, list(range(B.shape[1]))) if y else True
    assert s["similarity"] == sympy.Rational(len(x) + len(y), A.shape[0] + B.shape[0])
    for r in s["removals"]:
        z = (A if r["side"] == "x" else B)[r["neuron"], :]
        assert (z * r["orthogonal"])[0, 0] == r["product"] != 0


def test_ladder_scales_and_maps_in_sympy():
    A = sympy.Matrix([[1, 0, 2], [0, 1, 1]])
    B = sympy.Matrix([[0, 3, 3], [sympy.Rational(1, 2), 0, 1]])  # rows of A permuted and scaled
    w = equivalence(A, B, "scaled_permutation").to_sympy()
    P = sympy.zeros(2, 2)
    for i, j in enumerate(w["permutation"]):
        P[i, j] = 1
    assert A == sympy.diag(*w["scales"]) * P * B
    lin = equivalence(A, B, "linear").to_sympy()
    assert A == lin["map"] * B and B == lin["inverse"] * A


def test_verdict_to_sympy_inverse_is_the_inverse():
    problem = symrep.load_claim_file(PROOFS / "example-3.1.toml")
    verdicts = symrep.verify_problem(problem)
    dims = [v for v in verdicts if v.claim.kind == "dimension" or v.claim.kind == "isomorphic"]
    checked = maps = 0
    for v in dims:
        w = v.to_sympy()
        acts = [to_sympy(activations(problem.networks[n], problem.inputs, v.claim.layer)) for n in v.claim.networks]
        parts = [(w, acts[0])] if v.claim.kind == "dimension" else [(w["first"], acts[0]), (w["second"], acts[1])]
        for part, Z in parts:
            block = Z.extract(list(part["basis"]), list(part["pivots"]))
            assert block * part["inverse"] == sympy.eye(part["dimension"])  # the pivot block is invertible
            checked += 1
        if v.holds and v.claim.kind == "isomorphic":
            first, second = acts[0].extract(w["first"]["basis"], [0, 1]), acts[1].extract(w["second"]["basis"], [0, 1])
            assert first * w["map"] == second and second * w["inverse"] == first
            maps += 1
    assert checked == 6 and maps == 1


def test_witness_to_sympy_keeps_structure_and_exactness():
    w = witness_to_sympy({"x_in_y": [[0, [[1, "-3/4"]]]], "map": {"rows": [1], "matrix": [["1/2", "0"]]},
                          "scales": ["2", "1/3"], "holds": True, "basis": [0, 2]})
    assert w["x_in_y"] == {0: {1: sympy.Rational(-3, 4)}}
    assert w["map"] == sympy.Matrix([[0, 0], [sympy.Rational(1, 2), 0]])
    assert w["scales"] == sympy.Matrix([2, sympy.Rational(1, 3)])
    assert w["holds"] is True and w["basis"] == [0, 2]
    assert matrix_to_sympy((), columns=3).shape == (0, 3)


# --- parametric networks with SymPy symbols ---------------------------------------------------------------

t, u = sympy.symbols("t u", real=True)


@st.composite
def rational_functions(draw):
    def poly():
        cs = draw(st.lists(st.integers(-5, 5), min_size=1, max_size=3))
        return sum(c * t**i * (u if draw(st.booleans()) else 1) for i, c in enumerate(cs))
    num, den = poly(), poly()
    if den == 0:
        den = sympy.Integer(1)
    return num / den


@settings(max_examples=60, deadline=None)
@given(st.lists(rational_functions(), min_size=4, max_size=4))
def test_parametric_networks_round_trip_with_symbols(entries):
    space = ParameterSpace({"t": "positive", "u": "real"})
    W = sympy.Matrix([[entries[0], entries[1]], [entries[2], 1]])
    b = sympy.Matrix([[entries[3], 0]])  # a row is a bias too
    pn = parametric_from_sympy("f", [(W, b, "relu"), (sympy.Matrix([[1, -1]]), None, "identity")], space)
    (W2, b2, act), (W3, b3, _) = parametric_to_sympy(pn)
    assert act == "relu" and b3 == sympy.Matrix([0])
    assert all(sympy.cancel(p - q) == 0 for p, q in zip(W2, W))  # the same rational functions, exactly
    assert sympy.cancel(b2[0] - entries[3]) == 0
    assert parametric_from_sympy("f", parametric_to_sympy(pn), space) == pn


def test_parametric_entries_are_bounded_and_rational():
    space = ParameterSpace({"t": "positive"})
    T = sympy.Symbol("t")  # matched by name, whatever its assumptions
    assert entry_from_sympy(T / 2, space) == space.parse("t/2")
    for bad, message in [(sympy.sqrt(T), "not a rational function"), (sympy.Symbol("s"), "not a declared parameter"),
                         (T ** 17, "exponent 17 exceeds the bound of 16"), (T ** sympy.Rational(1, 3), "not a rational function"), ((T**16 + 1) ** 16, "too large"),
                         (sympy.sin(T), "not a rational function")]:
        with pytest.raises(InputError, match=message):
            entry_from_sympy(bad, space)
    with pytest.raises(InputError):
        entry_from_sympy("t + __import__('os')", space)  # text goes to the bounded parser, never to SymPy


def test_problem_networks_is_a_mapping():
    problem = symrep.load_claim_file(PROOFS / "example-3.1.toml")
    f = problem.networks["f"]
    assert f is problem.network("f") is problem["f"] and "f" in problem and "nope" not in problem.networks
    assert problem.networks.keys()[:2] == ["f", "f_tilde"]
    assert dict(problem.networks.items())["f_tilde"] == problem.networks["f_tilde"]
    assert [n for n, _ in problem.networks] == problem.networks.keys()  # iteration keeps the pairs
    with pytest.raises(KeyError):
        problem.networks["nope"]


def test_witness_numbers_beyond_the_file_bound_convert_exactly():
    # an orthogonal vector at scale has entries of thousands of digits: symrep's own output, read without the file bound
    big = 3**12000 + 1
    text = symrep.format_number(Fraction(-big, 7))
    w = witness_to_sympy({"product": text, "orthogonal": [[0, text]]})
    assert w["product"] == sympy.Rational(-big, 7) == w["orthogonal"][0]
    with pytest.raises(InputError):
        symrep.to_fraction(text)  # from a file, the same text is refused by the size bound


@settings(max_examples=30, deadline=None)
@given(st.integers(-6, 6), st.integers(-6, 6), sympy_matrices(st.just(2), st.integers(2, 4)))
def test_ladder_orthogonal_q_is_orthogonal_in_sympy(p, q, A):
    # B = R A with R a rational rotation (p^2 - q^2, 2pq)/(p^2 + q^2): orthogonally equivalent by construction
    if p == q == 0:
        p = 1
    assume(A.rank() == 2)  # the witness carries Q when the rows of B are a basis
    n = p * p + q * q
    R = sympy.Matrix([[p * p - q * q, -2 * p * q], [2 * p * q, p * p - q * q]]) / n
    B = R * A
    e = equivalence(A, B, "orthogonal")
    assert e.holds
    Q = e.to_sympy()["map"]
    assert Q.T * Q == sympy.eye(2) and A == Q * B


@settings(max_examples=25, deadline=None)
@given(networks())
def test_region_maps_in_sympy_are_the_network_on_each_region(net):
    from symrep.relu.regions import linear_regions

    for region in list(linear_regions(net))[:20]:
        s = region.to_sympy()
        W, c = s["map"]
        assert W.shape == (net.widths[-1], net.widths[0]) and c.shape == (net.widths[-1], 1)
        assert W * s["point"] + c == sympy.Matrix(_relu_oracle(net, list(region.point)))
