"""Exact LP: feasibility with Motzkin certificates, optimisation with proofs; SymPy's simplex as reference."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.solvers.simplex import InfeasibleLPError, UnboundedLPError, lpmax

from symrep.exact import lp
from symrep.errors import InputError, ShapeError
from symrep.exact.lp import Constraint, System, feasible, is_farkas_certificate, maximize, minimize

F = Fraction
coef = st.one_of(st.just(F(0)), st.builds(F, st.integers(-4, 4), st.integers(1, 3)))


@st.composite
def systems(draw, max_n=3, max_m=6, relations=("<=", "<", "==", ">=", ">")):
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(0, max_m))
    rows = [Constraint([draw(coef) for _ in range(n)], draw(st.sampled_from(relations)), draw(coef)) for _ in range(m)]
    return System(rows, n)


def check_result(S, r):
    if r:
        assert S.holds(r.point)
    else:
        # written out: y >= 0 on inequalities, y^T A = 0, and y^T b < 0 or (= 0 with weight on a strict row)
        y = r.multipliers
        assert all(v >= 0 for v, c in zip(y, S) if not c.equality)
        assert all(sum((v * c.coefficients[j] for v, c in zip(y, S)), F(0)) == 0 for j in range(S.dimension))
        rhs = sum((v * c.bound for v, c in zip(y, S)), F(0))
        assert rhs < 0 or (rhs == 0 and any(v > 0 for v, c in zip(y, S) if c.strict))
        assert is_farkas_certificate(S, y)


@settings(max_examples=200)
@given(systems())
def test_feasible_returns_a_point_or_a_certificate(S):
    check_result(S, feasible(S))


@pytest.mark.slow
@settings(max_examples=15)
@given(systems(max_n=2, max_m=4))
def test_feasibility_agrees_with_sympy(S):
    """SymPy reference: maximise a slack t <= 1 added to the strict rows; feasible iff the optimum is > 0
    (or, with no strict row, iff the LP is feasible)."""
    xs = sympy.symbols(f"x0:{S.dimension}")
    t = sympy.Symbol("t")
    cons = [t <= 1]
    for c in S:
        lhs = sum(sympy.Rational(a.numerator, a.denominator) * x for a, x in zip(c.coefficients, xs))
        b = sympy.Rational(c.bound.numerator, c.bound.denominator)
        cons.append(sympy.Eq(lhs, b) if c.equality else (lhs + t <= b if c.strict else lhs <= b))
    try:
        value, _ = lpmax(t, cons)
        want = value > 0 if not S.closed else True
    except InfeasibleLPError:
        want = False
    r = feasible(S)
    assert bool(r) == bool(want)
    check_result(S, r)


@settings(max_examples=100)
@given(systems(relations=("<=", "==", ">=")), st.lists(coef, min_size=3, max_size=3))
def test_maximize_results_carry_proofs(S, c):
    c = c[: S.dimension]
    r = maximize(c, S)
    if isinstance(r, lp.Infeasible):
        check_result(S, r)
        assert not feasible(S)
    elif isinstance(r, lp.Unbounded):
        assert S.holds(r.point)
        d = r.direction
        assert sum((a * b for a, b in zip(c, d)), F(0)) > 0
        for k in (1, 10, 1000):  # the ray stays feasible
            assert S.holds([p + k * v for p, v in zip(r.point, d)])
    else:
        assert S.holds(r.point)
        assert r.value == sum((a * b for a, b in zip(c, r.point)), F(0))
        y = r.multipliers
        assert all(v >= 0 for v, k in zip(y, S) if not k.equality)
        assert [sum((v * k.coefficients[j] for v, k in zip(y, S)), F(0)) for j in range(S.dimension)] == list(c)
        assert sum((v * k.bound for v, k in zip(y, S)), F(0)) == r.value


def test_maximize_agrees_with_sympy_on_a_bounded_problem():
    x, y = sympy.symbols("x y")
    value, _ = lpmax(3 * x + 2 * y, [x + y <= 4, x + 3 * y <= 6, x <= 3, x >= 0, y >= 0])
    S = System([([1, 1], "<=", 4), ([1, 3], "<=", 6), ([1, 0], "<=", 3), ([1, 0], ">=", 0), ([0, 1], ">=", 0)])
    r = maximize([3, 2], S)
    assert r.value == F(int(value.p), int(value.q)) == 11 and r.point == (F(3), F(1))
    r = minimize([3, 2], S)
    assert r.value == 0 and r.point == (F(0), F(0))
    with pytest.raises(UnboundedLPError):
        lpmax(x, [y <= 1])
    assert isinstance(maximize([1, 0], System([([0, 1], "<=", 1)])), lp.Unbounded)


def test_bland_rule_terminates_on_a_cycling_example():
    # Beale's example (cycles under Dantzig's rule without anti-cycling)
    S = System([
        ([F(1, 4), -8, -1, 9], "<=", 0),
        ([F(1, 2), -12, F(-1, 2), 3], "<=", 0),
        ([0, 0, 1, 0], "<=", 1),
        ([-1, 0, 0, 0], "<=", 0), ([0, -1, 0, 0], "<=", 0), ([0, 0, -1, 0], "<=", 0), ([0, 0, 0, -1], "<=", 0),
    ])
    r = maximize([F(3, 4), -20, F(1, 2), -6], S)
    assert isinstance(r, lp.Optimal) and r.value == F(5, 4)


def test_integer_pivots_divide_exactly(monkeypatch):
    original = lp._Tableau.pivot

    def checked(self, r, c):
        a, D, prow = self.T[r][c], self.D, self.T[r]
        for i, row in enumerate(self.T + [self.obj]):
            if i != r:
                assert all((v * a - row[c] * p) % D == 0 for v, p in zip(row, prow))
        original(self, r, c)

    monkeypatch.setattr(lp._Tableau, "pivot", checked)
    rng = __import__("random").Random(3)
    for _ in range(150):
        n, m = rng.randint(1, 4), rng.randint(1, 7)
        S = System([Constraint([F(rng.randint(-5, 5), rng.randint(1, 4)) for _ in range(n)],
                               rng.choice(["<=", "<", "==", ">="]), F(rng.randint(-5, 5), rng.randint(1, 3)))
                    for _ in range(m)], n)
        check_result(S, feasible(S))
        closed = System([Constraint(c.coefficients, "<=" if c.strict else c.relation, c.bound) for c in S], n)
        maximize([F(rng.randint(-2, 2)) for _ in range(n)], closed)


def test_hint_and_edge_cases():
    S = System([([1, 1], "<", 1)])
    assert feasible(S, hint=[0, 0]).point == (F(0), F(0))
    assert feasible(System((), 3)).point == (F(0),) * 3
    assert not feasible(System([([0, 0], "<", 0)]))
    assert is_farkas_certificate(System([([0], "<=", -1)]), [F(1)])
    assert not is_farkas_certificate(System([([0], "<=", -1)]), [F(1), F(0)])
    assert not is_farkas_certificate(System([([1], "<=", 1)]), [F(-1)])
    r = maximize([0, 0], System([([1, 1], "<=", 1), ([1, 0], ">=", 0)]), 7)
    assert isinstance(r, lp.Optimal) and r.value == 7


def test_input_errors():
    with pytest.raises(InputError):
        Constraint([1, 2], "=<", 3)
    with pytest.raises(InputError):
        Constraint([1, "x"], "<=", 3)
    with pytest.raises(ShapeError):
        System([([1, 2], "<=", 3), ([1], "<=", 3)])
    with pytest.raises(ShapeError):
        System([])
    with pytest.raises(InputError):
        System([([1, 2], "<=")])
    with pytest.raises(InputError, match="closed"):
        maximize([1], System([([1], "<", 1)]))
    with pytest.raises(ShapeError):
        maximize([1, 2], System([([1], "<=", 1)]))
    with pytest.raises(InputError):
        feasible([([1], "<=", 1)])
    with pytest.raises(ShapeError):
        Constraint([1, 2], "<=", 0).holds([1])
