"""equal_functions: exact decisions, counterexamples that really differ, and covering certificates
that both verifications accept -- the library's own (``check_equal_functions_witness``) and the
stdlib-only checker's (``checker.check_function_witness``) -- and both reject once tampered with."""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.exact import lp
from symrep.errors import InputError, ShapeError
from symrep.relu.functions import (
    CertificateRejected,
    check_equal_functions_witness,
    check_motzkin,
    equal_functions,
    network_layers,
    parse_domain,
)
from symrep.exact.lp import System
from symrep.networks.network import Layer, Network
from symrep.relu.regions import as_domain, domain_json

from _nets import networks, permuted_and_rescaled, ref_output, symmetries

F = Fraction


def json_domain(domain):
    """The domain as it appears in a certificate (numbers as strings), for the checker."""
    return json.loads(json.dumps(domain, default=str))


def check(f, g, domain, result):
    """Round-trip the witness through JSON and re-check it with the library and with the pure checker."""
    w = json.loads(json.dumps(result.witness()))
    check_equal_functions_witness(network_layers(f), network_layers(g), domain, result.verdict, w)
    checker.check_function_witness([network_layers(f), network_layers(g)], json_domain(domain), result.verdict, w)
    return w


def rejected(f, g, domain, verdict, witness, match=None):
    with pytest.raises(CertificateRejected, match=match):
        check_equal_functions_witness(network_layers(f), network_layers(g), domain, verdict, witness)
    if verdict in (True, False):
        with pytest.raises(checker.Reject, match=match):
            checker.check_function_witness([network_layers(f), network_layers(g)], json_domain(domain), verdict, witness)


def independent_motzkin(rows, y):
    """Farkas/Motzkin check written out again: y >= 0 on inequalities, y^T A = 0, y^T b < 0 (or = 0 with strict weight)."""
    n = len(rows[0][0])
    assert all(m >= 0 for (a, b, rel), m in zip(rows, y) if rel != "==")
    assert all(sum((m * a[j] for (a, b, rel), m in zip(rows, y)), F(0)) == 0 for j in range(n))
    rhs = sum((m * b for (a, b, rel), m in zip(rows, y)), F(0))
    assert rhs < 0 or (rhs == 0 and any(m > 0 for (a, b, rel), m in zip(rows, y) if rel == "<"))


# --- the seed's Example 3.1 --------------------------------------------------------------------

W2 = Layer([[1, -1], [1, -1]], "identity")
f = Network([Layer([[1, 0], [0, 1]], "relu"), W2])
f_tilde = Network([Layer([[1, 0], [0, -1]], "relu"), W2])
f_tilde_corrected = Network([Layer([[-1, 0], [0, -1]], "relu"), W2])
DIAGONAL = [{"coefficients": ["1", "-1"], "relation": "==", "bound": "0"}]


def test_example_3_1_networks_are_not_equal_functions():
    r = equal_functions(f, f_tilde)
    assert r.verdict is False and r.status == "false"
    assert r.point == (F(0), F(1))
    assert ref_output(f, r.point) == (F(-1), F(-1)) and ref_output(f_tilde, r.point) == (F(0), F(0))
    assert r.values == (ref_output(f, r.point), ref_output(f_tilde, r.point))
    check(f, f_tilde, None, r)
    # without the cheap probes, the enumeration finds a counterexample of its own
    r = equal_functions(f, f_tilde, probes=0)
    assert r.verdict is False and ref_output(f, r.point) != ref_output(f_tilde, r.point)
    check(f, f_tilde, None, r)
    # they differ even on the line through the data points (1, 1), (-1, -1)
    r = equal_functions(f, f_tilde, DIAGONAL)
    assert r.verdict is False and r.point[0] == r.point[1]
    check(f, f_tilde, DIAGONAL, r)


def test_example_3_1_corrected_agrees_exactly_on_the_data_line():
    # f - f_tilde_corrected = x0 - x1: equal on the line x0 == x1 (which holds the data), nowhere else
    r = equal_functions(f, f_tilde_corrected)
    assert r.verdict is False and r.point[0] != r.point[1]
    assert ref_output(f, r.point) != ref_output(f_tilde_corrected, r.point)
    check(f, f_tilde_corrected, None, r)
    for domain in (DIAGONAL, DIAGONAL + [{"coefficients": ["1", "0"], "relation": "<=", "bound": "1"},
                                         {"coefficients": ["1", "0"], "relation": ">=", "bound": "-1"}]):
        r = equal_functions(f, f_tilde_corrected, domain)
        assert r.verdict is True and r.covering.regions == 2
        w = check(f, f_tilde_corrected, domain, r)
        # the maps differ off the line, so each region carries the two certificates per output
        pointed = [leaf for leaf in w["leaves"] if "point" in leaf]
        assert all(len(leaf["zero_on_leaf"]) == 2 for leaf in pointed)
        broken = copy.deepcopy(w)
        del next(leaf for leaf in broken["leaves"] if "point" in leaf)["zero_on_leaf"]
        rejected(f, f_tilde_corrected, domain, True, broken, "differ at outputs")
        # the same certificate does not prove equality on all of R^2 (its rows would be others)
        rejected(f, f_tilde_corrected, None, True, w)
    # on a box around the data the networks differ
    r = equal_functions(f, f_tilde_corrected, [[-1, 1], [-1, 1]])
    assert r.verdict is False and all(-1 <= v <= 1 for v in r.point)


def test_example_3_1_nonzero_correction_is_not_an_equal_function():
    # the README's second correction agrees on its three data points but not everywhere
    g = Network([Layer([[1, -2], [0, -1]], "relu"), W2])
    r = equal_functions(f, g)
    assert r.verdict is False
    assert ref_output(f, r.point) != ref_output(g, r.point)
    for x in [(1, 1), (-1, -1), (1, 0)]:
        assert ref_output(f, x) == ref_output(g, x)


# --- symmetries: the same function -------------------------------------------------------------


@settings(max_examples=30)
@given(st.data())
def test_permuted_and_rescaled_network_is_the_same_function(data):
    net = data.draw(networks(max_width=3, max_hidden=2, allow_identity=True))
    perms, scales = data.draw(symmetries(net))
    g = permuted_and_rescaled(net, perms, scales)
    r = equal_functions(net, g, probes=data.draw(st.sampled_from([0, 8])))
    assert r.verdict is True and r.covering.regions >= 1
    w = check(net, g, None, r)
    assert "zero_on_leaf" not in json.dumps(w)  # a full-dimensional domain never needs them


@settings(max_examples=30)
@given(st.data())
def test_neuron_with_zero_outgoing_weights_changes_nothing(data):
    net = data.draw(networks(max_width=2, max_hidden=2))
    l = data.draw(st.integers(0, net.depth - 2))  # a hidden layer
    layers = list(net.layers)
    h = layers[l]
    w_in = [data.draw(st.builds(F, st.integers(-3, 3), st.integers(1, 2))) for _ in range(h.inputs)]
    b_in = data.draw(st.builds(F, st.integers(-3, 3), st.integers(1, 2)))
    layers[l] = Layer([list(r) for r in h.weights] + [w_in], h.activation, list(h.bias) + [b_in])
    nxt = layers[l + 1]
    layers[l + 1] = Layer([list(r) + [0] for r in nxt.weights], nxt.activation, list(nxt.bias))
    g = Network(layers)
    box = data.draw(st.sampled_from([None, [[-1, 2]] * net.widths[0]]))
    r = equal_functions(net, g, box)
    assert r.verdict is True
    check(net, g, box, r)


def perturb(net: Network, layer: int, i: int, j: int | None, delta: Fraction) -> Network:
    layers = list(net.layers)
    L = layers[layer]
    W, b = [list(r) for r in L.weights], list(L.bias)
    if j is None:
        b[i] += delta
    else:
        W[i][j] += delta
    layers[layer] = Layer(W, L.activation, b)
    return Network(layers)


@settings(max_examples=40)
@given(st.data())
def test_perturbed_weight_is_caught_with_a_point_that_really_differs(data):
    net = data.draw(networks(max_width=3, max_hidden=2))
    layer = data.draw(st.integers(0, net.depth - 1))
    L = net.layers[layer]
    i = data.draw(st.integers(0, L.width - 1))
    j = data.draw(st.one_of(st.none(), st.integers(0, L.inputs - 1)))
    delta = data.draw(st.sampled_from([F(1), F(-1, 2), F(3)]))
    g = perturb(net, layer, i, j, delta)
    r = equal_functions(net, g, probes=data.draw(st.sampled_from([0, 16])))
    if r.verdict is False:
        assert ref_output(net, r.point) != ref_output(g, r.point)  # really differs
        assert r.values == (ref_output(net, r.point), ref_output(g, r.point))
    else:  # the weight did not matter (a dead neuron, say): then the covering must prove it
        assert r.verdict is True
    check(net, g, None, r)


@settings(max_examples=20)
@given(networks(outputs=1, max_width=3), st.sampled_from([F(1), F(-1, 3)]))
def test_output_bias_change_is_always_caught(net, delta):
    if net.layers[-1].activation == "relu":  # a relu output can absorb a bias change where it is 0
        return
    g = perturb(net, net.depth - 1, 0, None, delta)
    r = equal_functions(net, g, probes=0)
    assert r.verdict is False
    assert ref_output(g, r.point)[0] - ref_output(net, r.point)[0] == delta
    check(net, g, None, r)


@settings(max_examples=15)
@given(st.data())
def test_networks_agreeing_only_on_a_hyperplane(data):
    """g = f + h where h(x) = relu(a.x + c) - relu(-(a.x + c)) = a.x + c: equal exactly on a.x + c == 0."""
    net = data.draw(networks(inputs=2, outputs=1, max_width=2, max_hidden=1, allow_identity=False))
    if net.layers[-1].activation == "relu":
        return
    a = [data.draw(st.integers(-2, 2)) for _ in range(2)]
    if not any(a):
        a[0] = 1
    c = data.draw(st.integers(-2, 2))
    hid, out = net.layers
    g = Network([
        Layer([list(r) for r in hid.weights] + [a, [-v for v in a]], "relu", list(hid.bias) + [c, -c]),
        Layer([list(out.weights[0]) + [1, -1]], "identity", list(out.bias)),
    ])
    r = equal_functions(net, g)
    assert r.verdict is False and sum(v * x for v, x in zip(a, r.point)) + c != 0
    plane = [{"coefficients": [str(v) for v in a], "relation": "==", "bound": str(-c)}]
    r = equal_functions(net, g, plane)
    assert r.verdict is True
    check(net, g, plane, r)


# --- the certificate ---------------------------------------------------------------------------


def certified_pair():
    g = Network([Layer([[2, 0], [0, 3]], "relu", [0, 0]), Layer([["1/2", "-1/3"], ["1/2", "-1/3"]], "identity")])
    r = equal_functions(f, g, [[-2, 2], [-1, 3]])
    assert r.verdict is True
    return g, [[-2, 2], [-1, 3]], r


def test_farkas_certificates_really_certify():
    g, box, r = certified_pair()
    w = check(f, g, box, r)
    dom = parse_domain(box, 2)
    assert len(dom) == 4 and as_domain(box, 2).constraints == System.box(box).constraints
    # recompute each empty leaf's rows independently of the checker: pre-activations of f then g
    pre = [((1, 0), 0), ((0, 1), 0), ((2, 0), 0), ((0, 3), 0)]  # order: f layer 1, g layer 1
    assert w["order"] == [[0, 1, 0], [0, 1, 1], [1, 1, 0], [1, 1, 1]]
    empties = 0
    for leaf in w["leaves"]:
        rows = list(dom)
        for (wv, c), ch in zip(pre, leaf["path"]):
            wv = [F(v) for v in wv]
            rows.append(([-v for v in wv], F(c), "<") if ch == "+" else (wv, F(-c), "<"))
        if "empty" in leaf:
            empties += 1
            y = [F(0)] * len(rows)
            for i, v in leaf["empty"]:  # sparse [[row, "value"], ...]
                y[i] = F(v)
            independent_motzkin(rows, y)
            assert check_motzkin(rows, y)
            bad = list(y)
            k = next(i for i, v in enumerate(y) if v)
            bad[k] = -bad[k] if bad[k] else F(1)
            assert not check_motzkin(rows, bad)
            assert checker.motzkin(rows, dict(enumerate(y))) and not checker.motzkin(rows, dict(enumerate(bad)))
        else:
            x = [F(v) for v in leaf["point"]]
            assert all((sum(p * q for p, q in zip(a, x)) < b) if rel == "<" else
                       (sum(p * q for p, q in zip(a, x)) <= b) for a, b, rel in rows)
    assert empties == 8 and r.covering.regions == 4


def test_tampered_certificates_are_rejected():
    g, box, r = certified_pair()
    w = check(f, g, box, r)
    first_empty = next(i for i, leaf in enumerate(w["leaves"]) if "empty" in leaf)
    first_point = next(i for i, leaf in enumerate(w["leaves"]) if "point" in leaf)
    cases = []

    def case(fn, match=None):
        t = copy.deepcopy(w)
        fn(t)
        cases.append((t, match))

    case(lambda t: t["leaves"][first_empty]["empty"][0].__setitem__(1, "-1"), "do not prove")
    case(lambda t: t["leaves"][first_empty]["empty"][0].__setitem__(1, "7"), "do not prove")
    case(lambda t: t["leaves"][first_empty].__setitem__("empty", []), "do not prove")
    case(lambda t: t["leaves"][first_empty]["empty"].append([99, "1"]), "out of range")
    case(lambda t: t["leaves"][first_empty]["empty"].append(list(t["leaves"][first_empty]["empty"][0])), "repeats index")
    case(lambda t: t["leaves"][first_empty]["empty"].append(["1", "1"]), "integer")
    case(lambda t: t["leaves"].pop(first_empty), "lacks")
    case(lambda t: t["leaves"].pop(first_point), "lacks|no '0' branch")
    case(lambda t: t["leaves"].append(copy.deepcopy(t["leaves"][first_point])), "repeats")
    case(lambda t: t["leaves"][first_point].__setitem__("point", ["5", "5"]), "not in the cell")
    case(lambda t: t["leaves"][first_point]["map"]["bias"].__setitem__(0, "1"), "map")
    case(lambda t: t["order"].reverse(), None)
    case(lambda t: t["order"].pop(), "every relu neuron")
    case(lambda t: t["leaves"][first_point].__setitem__("path", t["leaves"][first_point]["path"][:-1]), None)
    case(lambda t: t["leaves"][first_empty].__setitem__("path", t["leaves"][first_empty]["path"] + "+"), None)
    case(lambda t: t["leaves"][first_point].__setitem__("colour", "red"), "unknown field")
    case(lambda t: t["leaves"][first_point].__setitem__("zero_on_leaf", [{"output": 0, "positive": [], "negative": []}]), None)
    case(lambda t: t["leaves"][first_empty]["empty"][0].__setitem__(1, "1/0"), "divides by zero")
    case(lambda t: t["leaves"][first_empty]["empty"][0].__setitem__(1, 0.5), "number")
    case(lambda t: t.__setitem__("leaves", []), "non-empty")
    for t, match in cases:
        rejected(f, g, box, True, t, match)
    # the same witness for a box without its points, different networks, or the opposite verdict
    rejected(f, g, [[3, 4], [3, 4]], True, w)
    rejected(f, f_tilde, box, True, w)
    rejected(f, g, box, False, w)
    # a false witness: tampered values, or a point where the networks agree
    r = equal_functions(f, f_tilde)
    wf = check(f, f_tilde, None, r)
    t = copy.deepcopy(wf)
    t["values"][1][0] = "7"
    rejected(f, f_tilde, None, False, t, "not the networks' outputs")
    t = {"point": ["1", "1"], "values": [["0", "0"], ["0", "0"]]}
    rejected(f, f_tilde_corrected, None, False, t, "agree")
    rejected(f, f_tilde, [[1, 2], [1, 2]], False, wf, "not in the domain")
    rejected(f, f_tilde, None, "maybe", wf)


def test_the_zero_branch_is_needed_where_a_hyperplane_holds_the_domain():
    # on the line x0 == 0 the neuron relu(x0) is flat: both strict sides are empty, the '0' child continues
    g = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[0, -1], [0, -1]], "identity")])
    dom = [{"coefficients": ["1", "0"], "relation": "==", "bound": "0"}]
    r = equal_functions(f, g, dom)
    assert r.verdict is True
    w = check(f, g, dom, r)
    assert any("0" in leaf["path"] for leaf in w["leaves"])
    # dropping the '0' subtree leaves the hyperplane uncovered: rejected
    t = copy.deepcopy(w)
    t["leaves"] = [leaf for leaf in t["leaves"] if not leaf["path"].startswith("0")]
    rejected(f, g, dom, True, t, "no '0' branch")
    # on all of R^2 the two differ (by relu(x0))
    r = equal_functions(f, g)
    assert r.verdict is False and r.point[0] > 0


def test_identity_networks_empty_domain_and_flat_neurons():
    lin = Network([Layer([[1, 2]], "identity", [1])])
    lin2 = Network([Layer([[2, 4], [0, 0]], "identity", [1, 5]), Layer([["1/2", 0]], "identity", ["1/2"])])
    r = equal_functions(lin, lin2)
    assert r.verdict is True and r.witness()["leaves"] == [
        {"path": "", "point": ["0", "0"], "map": {"weights": [["1", "2"]], "bias": ["1"]}}]
    check(lin, lin2, None, r)
    empty = [{"coefficients": ["1", "0"], "relation": "<=", "bound": "-1"},
             {"coefficients": ["1", "0"], "relation": ">=", "bound": "1"}]
    r = equal_functions(f, f_tilde, empty)
    assert r.verdict is True and [leaf["path"] for leaf in r.witness()["leaves"]] == [""]
    check(f, f_tilde, empty, r)
    dead = Network([Layer([[0, 0], [1, 0]], "relu"), Layer([[5, 1]], "identity")])
    alive = Network([Layer([[1, 0]], "relu"), Layer([[1]], "identity")])
    r = equal_functions(dead, alive)
    assert r.verdict is True
    w = check(dead, alive, None, r)
    assert all(leaf["path"][0] == "0" for leaf in w["leaves"] if "point" in leaf)


def test_bounds_give_undecided_never_a_wrong_verdict():
    g = permuted_and_rescaled(f, [[1, 0]], [[F(2), F(1, 2)]])
    seen = []
    r = equal_functions(f, g, max_regions=0, progress=seen.append)
    assert r.verdict is None and r.status == "undecided within the bound" and r.witness() is None
    assert "regions" in r.reason and seen[-1].done
    r = equal_functions(f, g, max_seconds=0, probes=0)
    assert r.verdict is None and "time" in r.reason
    r = equal_functions(f, g, progress=seen.append)
    assert r.verdict is True and seen[-1].regions == r.covering.regions == 4
    # a difference is still found under a bound when a probe sees it
    assert equal_functions(f, f_tilde, max_regions=0).verdict is False


def test_input_errors():
    with pytest.raises(ShapeError, match="inputs"):
        equal_functions(f, Network([Layer([[1]], "relu")]))
    with pytest.raises(ShapeError, match="outputs"):
        equal_functions(f, Network([Layer([[1, 1]], "relu")]))
    with pytest.raises(InputError):
        equal_functions(f, "g")
    with pytest.raises(InputError):
        equal_functions(f, f, max_regions=-1)
    with pytest.raises(InputError):
        equal_functions(f, f, [[1, 0], [0, 1]])
    with pytest.raises(CertificateRejected):
        parse_domain([{"coefficients": ["1"], "relation": "<", "bound": "0"}], 1)
    with pytest.raises(CertificateRejected):
        parse_domain("R^n", 1)


def test_domain_shapes_agree_between_solver_and_checker():
    for dom in ([[-1, 2], ["1/2", 3]], [{"coefficients": ["1", "-2"], "relation": ">=", "bound": "1/3"},
                                         {"coefficients": ["0", "1"], "relation": "==", "bound": "2"}]):
        text = json.loads(json.dumps(dom, default=str))
        assert parse_domain(dom, 2) == checker.domain_rows(text, 2, "domain")  # the library's rows are the checker's
        assert parse_domain(json.loads(json.dumps(domain_json(as_domain(dom, 2)))), 2) == checker.domain_rows(text, 2, "domain")
    for dom in ([[-1, 2], ["1/2", 3]], [{"coefficients": ["1", "-2"], "relation": ">=", "bound": "1/3"},
                                         {"coefficients": ["0", "1"], "relation": "==", "bound": "2"}]):
        rows = parse_domain(json.loads(json.dumps(domain_json(as_domain(dom, 2)))), 2)
        assert rows == parse_domain(dom, 2) if isinstance(dom[0], dict) else True
        assert [(list(c.coefficients), c.bound, c.relation) for c in as_domain(dom, 2).constraints] == parse_domain(
            [[str(v) for v in p] for p in dom] if not isinstance(dom[0], dict) else dom, 2)


def test_lp_certificate_roundtrip_through_checker_rows():
    S = System([([1, 1], "<", 1), ([-1, 0], "<=", 0), ([0, -1], "<=", 0), ([1, 1], ">=", 1)])
    r = lp.feasible(S)
    assert not r
    rows = [(list(c.coefficients), c.bound, c.relation) for c in S]
    independent_motzkin(rows, r.multipliers)
    assert check_motzkin(rows, r.multipliers) and lp.is_farkas_certificate(S, r.multipliers)
    assert checker.motzkin(rows, dict(enumerate(r.multipliers)))
