"""Linear regions: the piecewise-affine description agrees with the exact forward pass everywhere.

References are independent of symrep.relu.regions (see tests/_nets.py): outputs by a plain-fraction
forward pass, and for small networks every one of the 2^N activation patterns is checked
directly (its cell built from the pattern-forced network and decided by the LP).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.exact import lp
from symrep.errors import InputError, ShapeError
from symrep.exact.lp import Constraint, System
from symrep.networks.network import Layer, Network
from symrep.relu.regions import (
    AffineMap,
    Splitter,
    as_domain,
    domain_json,
    linear_regions,
    network_expression,
    split_order,
)

from _nets import affine_of, forced, networks, points, ref_output, ref_pre_activations

F = Fraction


def boundary_points(R, limit=12):
    """Points on the hyperplanes of the regions' neuron rows (region boundaries and their extensions)."""
    out = []
    for r in R:
        x0 = r.point
        for c in r.constraints:
            a = c.coefficients
            aa = sum(v * v for v in a)
            if not aa:
                continue
            t = (c.bound - sum(u * v for u, v in zip(a, x0))) / aa
            out.append(tuple(v + t * u for v, u in zip(x0, a)))
            if len(out) >= limit:
                return out
    return out


# --- agreement with the forward pass -----------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=40)
@given(st.data())
def test_regions_agree_with_forward_pass_including_boundaries(data):
    net = data.draw(networks())
    n = net.widths[0]
    R = linear_regions(net)
    assert R.complete and R.status == "complete" and len(R) >= 1
    pts = data.draw(points(n)) + boundary_points(R)
    for x in pts:
        want = ref_output(net, x)
        containing = [r for r in R if r.contains(x)]
        assert containing, f"{x} is in no closed region"
        for r in containing:  # every closed region through x computes the network there
            assert r.map(x) == want
        assert R.evaluate(x) == want


@settings(max_examples=40)
@given(networks())
def test_region_points_are_interior_and_patterns_are_right(net):
    R = linear_regions(net)
    relu_layers = [l for l, layer in enumerate(net.layers) if layer.activation == "relu"]
    for r in R:
        assert r.contains(r.point)
        pre = ref_pre_activations(net, r.point)
        for l, pat in enumerate(r.pattern):
            if l not in relu_layers:
                assert pat is None
                continue
            for j, s in enumerate(pat):
                v = pre[l][j]
                if (l + 1, j) in r.flat:
                    assert v == 0 and s == 0
                else:  # strictly inside: the pre-activation has the pattern's sign
                    assert (v > 0) if s else (v < 0)
        assert r.map(r.point) == ref_output(net, r.point)
    # closed regions overlap only in boundaries: no region's point lies in another region
    for i, r in enumerate(R):
        for k, s in enumerate(R):
            if i != k:
                assert not s.contains(r.point)


@settings(max_examples=25)
@given(networks(max_width=2, max_hidden=2))
def test_no_region_is_missed(net):
    """Every activation pattern whose open cell is non-empty is listed, and nothing else."""
    n = net.widths[0]
    R = linear_regions(net)
    listed = {r.pattern for r in R}
    relu = [l for l, layer in enumerate(net.layers) if layer.activation == "relu"]
    sizes = [net.layers[l].width for l in relu]
    realized = set()
    for bits in itertools.product((0, 1), repeat=sum(sizes)):
        pattern, k = [], 0
        for l, layer in enumerate(net.layers):
            if l in relu:
                pattern.append(tuple(bits[k:k + layer.width]))
                k += layer.width
            else:
                pattern.append(None)
        rows = affine_of(lambda x, pattern=pattern: [v for l in relu for v in forced(net, pattern, x)[0][l]], n)
        cons, ok = [], True
        for (w_c), s in zip(rows, bits):
            w, c = w_c[:-1], w_c[-1]
            if not any(w) and c == 0:  # identically zero: the neuron is flat, reported inactive
                ok = ok and s == 0
                continue
            cons.append(Constraint([-v for v in w], "<", c) if s else Constraint(w, "<", -c))
        if ok and (not cons or lp.feasible(System(cons, n))):
            realized.add(tuple(pattern))
    assert listed == realized


def test_counts_of_standard_arrangements():
    # |x| has two regions; n lines in general position in the plane make 1 + n + C(n, 2)
    absx = Network([Layer([[1], [-1]], "relu"), Layer([[1, 1]], "identity")])
    assert len(linear_regions(absx)) == 2
    lines = Network([Layer([[1, 0], [0, 1], [1, 1], [1, -2]], "relu", [0, 0, -1, 3]), Layer([[1, 1, 1, 1]], "identity")])
    assert len(linear_regions(lines)) == 1 + 4 + 6
    # the same line twice (same or opposite orientation) does not add regions
    twice = Network([Layer([[1, 2], [-2, -4], [3, 6]], "relu", [1, -2, 3]), Layer([[1, 1, 1]], "identity")])
    assert len(linear_regions(twice)) == 2


def test_example_regions_and_display():
    f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
    R = linear_regions(f)
    assert [r.pattern for r in R] == [((1, 1), None), ((1, 0), None), ((0, 1), None), ((0, 0), None)]
    assert [str(r.map).split("\n")[0] for r in R] == ["y0 = x0 - x1", "y0 = x0", "y0 = -x1", "y0 = 0"]
    assert str(R[1].constraints[0]) == "-x0 <= 0" and str(R[1].constraints[1]) == "x1 <= 0"
    assert R[1].neurons == ((1, 0), (1, 1))
    assert "pattern 10" in str(R[1])


# --- domains -----------------------------------------------------------------------------------


@settings(max_examples=25)
@given(st.data())
def test_box_domain(data):
    net = data.draw(networks())
    n = net.widths[0]
    box = [[F(-2), F(1)], [F(0), F(3)], [F(-1, 2), F(1, 2)]][:n]
    R = linear_regions(net, box)
    full = linear_regions(net)
    assert 1 <= len(R) <= len(full)
    for r in R:
        assert r.constraints[: 2 * n] == System.box(box).constraints
        assert all(lo < x < hi for x, (lo, hi) in zip(r.point, box))  # interior points
    inside = [x for x in data.draw(points(n, 8)) if all(lo <= v <= hi for v, (lo, hi) in zip(x, box))]
    corners = list(itertools.product(*box))
    for x in inside + corners:
        assert R.evaluate(x) == ref_output(net, x)
    outside = tuple(hi + 1 for _, hi in box)
    assert R.region_of(outside) is None
    with pytest.raises(InputError):
        R.evaluate(outside)


def test_lower_dimensional_domain_and_flat_neurons():
    # the domain is the line x0 == x1; neuron 0 is x0 - x1, identically zero there: flat
    f = Network([Layer([[1, -1], [1, 0]], "relu"), Layer([[5, 1]], "identity")])
    R = linear_regions(f, [([1, -1], "==", 0)])
    assert len(R) == 2
    assert all(r.flat == ((1, 0),) for r in R)
    assert {r.pattern for r in R} == {((0, 1), None), ((0, 0), None)}
    for x in [(F(3), F(3)), (F(-1, 2), F(-1, 2)), (F(0), F(0))]:
        assert R.evaluate(x) == ref_output(f, x)
    # a neuron with zero weights and bias is flat everywhere and splits nothing
    g = Network([Layer([[0, 0], [1, 1]], "relu"), Layer([[1, 1]], "identity")])
    R = linear_regions(g)
    assert len(R) == 2 and all(r.flat == ((1, 0),) for r in R)
    # an empty domain has no regions
    assert len(linear_regions(g, [([1, 0], "<=", -1), ([1, 0], ">=", 1)])) == 0


def test_domain_conversions_and_errors():
    assert as_domain(None, 2).constraints == ()
    assert as_domain([{"coefficients": [1, 0], "relation": ">=", "bound": "1/2"}], 2).constraints == (
        Constraint([-1, 0], "<=", F(-1, 2)),)
    assert domain_json(as_domain([[0, 1]], 1)) == [
        {"coefficients": ["-1"], "relation": "<=", "bound": "0"},
        {"coefficients": ["1"], "relation": "<=", "bound": "1"}]
    with pytest.raises(ShapeError):
        as_domain([[0, 1]], 2)
    with pytest.raises(InputError, match="strict"):
        as_domain([([1, 0], "<", 1)], 2)
    with pytest.raises(InputError):
        as_domain("x0 <= 1", 2)
    with pytest.raises(InputError, match="not a number"):
        as_domain([["a", 1]], 1)
    f = Network([Layer([[1]], "relu")])
    for bad in (-1, 1.5, True):
        with pytest.raises(InputError):
            linear_regions(f, max_regions=bad)
    with pytest.raises(InputError):
        linear_regions(f, max_seconds=float("nan"))
    with pytest.raises(InputError):
        linear_regions("not a network")
    g = Network([Layer([[1, 1]], "relu")])
    with pytest.raises(ShapeError):
        Splitter([f, g])
    with pytest.raises(InputError):
        Splitter([f], order=[(0, 1, 0), (0, 1, 0)])


# --- bounds and progress -----------------------------------------------------------------------


def test_bounds_end_undecided_and_progress_is_reported():
    net = Network([Layer([[1, 0], [0, 1], [1, 1], [1, -1]], "relu", [0, 0, -1, 2]), Layer([[1, 1, 1, 1]], "identity")])
    seen = []
    full = linear_regions(net, progress=seen.append)
    assert full.complete and len(full) == 11
    assert seen[-1].done and seen[-1].regions == 11 and seen[-1].lp_calls >= 1 and seen[-1].nodes >= 11
    assert [p.regions for p in seen[:-1]] == list(range(1, 12))
    part = linear_regions(net, max_regions=5)
    assert not part.complete and part.status == "undecided within the bound" and "5 regions" in part.reason
    assert [r.pattern for r in part] == [r.pattern for r in full][:5]
    assert linear_regions(net, max_regions=11).complete
    timed = linear_regions(net, max_seconds=0)
    assert not timed.complete and "time bound" in timed.reason


# --- order and identity layers -----------------------------------------------------------------


def test_identity_layers_and_custom_order():
    lin = Network([Layer([[1, 2], [3, 4]], "identity", [1, 1]), Layer([[1, -1]], "identity")])
    R = linear_regions(lin)
    assert len(R) == 1 and R[0].pattern == (None, None) and R[0].map == AffineMap(((F(-2), F(-2)),), (F(0),))
    f = Network([Layer([[1], [-1]], "relu"), Layer([[1, 1]], "relu")])
    assert split_order([f]) == ((0, 1, 0), (0, 1, 1), (0, 2, 0))
    a = [(leaf.path, leaf.empty) for leaf in Splitter([f]).leaves()]
    b = [(leaf.path, leaf.empty) for leaf in Splitter([f], order=[(0, 1, 1), (0, 1, 0), (0, 2, 0)]).leaves()]
    assert len([p for p, e in a if not e]) == len([p for p, e in b if not e]) == 2


def test_empty_leaves_carry_certificates():
    f = Network([Layer([[1, 1], [1, -1], [2, 2]], "relu", [0, 1, 1]), Layer([[1, 1, 1]], "identity")])
    empties = 0
    for leaf in Splitter([f], [[-1, 1], [-1, 1]]).leaves():
        if leaf.empty:
            empties += 1
            assert lp.is_farkas_certificate(System(leaf.constraints, 2), leaf.multipliers)
        else:
            assert System(leaf.constraints, 2).holds(leaf.point)
    assert empties >= 1


# --- SymPy expressions -------------------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=20)
@given(st.data())
def test_sympy_expressions_evaluate_to_the_network(data):
    net = data.draw(networks(max_width=2))
    n = net.widths[0]
    xs = sympy.symbols(f"x0:{n}", real=True)
    exprs = network_expression(net, xs)
    pw = network_expression(net, xs, form="piecewise")
    assert len(exprs) == len(pw) == net.widths[-1]
    for x in data.draw(points(n, 4)) + [tuple(F(0) for _ in range(n))]:
        subs = {s: sympy.Rational(v.numerator, v.denominator) for s, v in zip(xs, x)}
        want = [sympy.Rational(v.numerator, v.denominator) for v in ref_output(net, x)]
        assert [e.subs(subs) for e in exprs] == want
        assert [e.subs(subs) for e in pw] == want


def test_expression_examples_and_errors():
    f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1]], "identity")])
    (e,) = network_expression(f)
    x0, x1 = sympy.Symbol("x0", real=True), sympy.Symbol("x1", real=True)
    assert sympy.simplify(e - (sympy.Max(0, x0) - sympy.Max(0, x1))) == 0
    a, b = sympy.symbols("a b")
    assert network_expression(f, [a, b])[0].subs({a: 3, b: 5}) == -2
    with pytest.raises(ShapeError):
        network_expression(f, [a])
    with pytest.raises(InputError):
        network_expression(f, form="table")
