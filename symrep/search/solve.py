"""Solving layer ``i+1`` exactly once a candidate layer ``i`` is chosen.

Given the candidate's activations ``H~``, layer ``i+1`` must reproduce ``f``'s, and that is
linear in its weights: ``[V~ c~] [H~; 1] = P`` for an identity layer ``i+1``; for a ReLU
layer equality where ``f``'s activation is positive and ``<= 0`` where it is zero (an exact
LP, :mod:`symrep.exact.lp`).  In everywhere mode the rows are function coordinates
(:mod:`symrep.search.everywhere`) instead of activation vectors.  An unsolvable system is
proved so by a witness (:class:`~symrep.search.results.Infeasibility`), kept as evidence.

>>> from fractions import Fraction as F
>>> _solve_linear(((F(1), F(1)),), [(F(2), F(2))], [(F(0),)], 2)
[(Fraction(2, 1),)]
>>> _solve_linear(((F(1), F(1)),), [(F(1), F(2))], [(F(0),)], 2)
_Witness(neuron=0, vector=(Fraction(-1, 1), Fraction(1, 1)), product=Fraction(1, 1))
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple, Sequence

from symrep.exact import lp
from symrep.exact.linalg import NonMember, span_basis
from symrep.exact.numbers import Matrix, Vector
from symrep.search.everywhere import _combined_features, _feature_order, _features
from symrep.search.results import Infeasibility
from symrep.search.task import _Data, _dot, _Neuron, _Task

_ZERO = Fraction(0)
_ONE = Fraction(1)


@dataclass
class _Solved:
    V: Matrix
    c: Vector
    how: str

    @classmethod
    def of(cls, thetas: Sequence[Vector], how: str) -> "_Solved":
        """From one row ``(v_1 .. v_n, c)`` per neuron of layer i+1."""
        return cls(tuple(t[:-1] for t in thetas), tuple(t[-1] for t in thetas), how)


class _Witness(NamedTuple):
    """``system @ vector == 0`` but ``targets[neuron] . vector == product != 0``: no theta reaches that target."""

    neuron: int
    vector: Vector
    product: Fraction


def _solve_linear(system: Matrix, targets: Sequence[Vector], base: Sequence[Vector], ncols: int) -> list[Vector] | _Witness:
    """theta_r with theta_r . system == targets[r] (theta over the rows of *system*), closest to base[r].

    Returns the thetas, or a :class:`_Witness` that some target is out of reach.
    """
    sb = span_basis(system, ncols)
    cols = list(zip(*system)) if system else [()] * ncols
    thetas: list[Vector] = []
    for r, (t, th) in enumerate(zip(targets, base)):
        produced = [_dot(th, col) for col in cols]
        resid = tuple(a - b for a, b in zip(t, produced))
        if not any(resid):
            thetas.append(tuple(th))
            continue
        ans = sb.express([resid])[0]
        if isinstance(ans, NonMember):
            w = [_ZERO] * ncols
            for j, x in ans.orthogonal:
                w[j] = Fraction(x)
            return _Witness(r, tuple(w), _dot(t, w))
        new = list(th)
        for row, coef in ans.coefficients:
            new[row] += coef
        thetas.append(tuple(new))
    return thetas


def _keep(task: _Task, evidence: list[Infeasibility], stats: dict[str, int], witness: Infeasibility) -> None:
    """Count an infeasible candidate; keep its witness while there is room."""
    stats["infeasible"] += 1
    if len(evidence) < task.bounds.max_evidence:
        evidence.append(witness)


def _next_system(task: _Task, D: _Data, B: Matrix) -> tuple[Matrix, list[Vector]]:
    """The rows ``[H~; 1]`` and f's own layer i+1 as rows ``(v, c)`` (the starting point of the solution)."""
    nxt = task.f.layers[task.layer]
    system = tuple(B) + ((_ONE,) * D.d,)
    base = [tuple(v) + (c,) for v, c in zip(nxt.weights, nxt.bias)]
    return system, base


def _solve_next(task: _Task, D: _Data, B: Matrix, index: int, evidence: list[Infeasibility], stats: dict[str, int]
                ) -> _Solved | None:
    """Weights of layer i+1 making f~ agree with f at layer i+1 on the data, or None (witness recorded)."""
    system, base = _next_system(task, D, B)
    sol = _solve_linear(system, D.P, base, D.d)
    if not isinstance(sol, _Witness):
        return _Solved.of(sol, "linear system (pre-activations equal)")
    if task.act_next == "relu":
        return _solve_relu_lp(task, D, B, system, base, index, evidence, stats)
    _keep(task, evidence, stats, Infeasibility(index, sol.neuron, "orthogonal", system, D.P[sol.neuron], sol.vector,
                                               sol.product, B))
    return None


def _solve_relu_lp(task: _Task, D: _Data, B: Matrix, system: Matrix, base: Sequence[Vector], index: int,
                   evidence: list[Infeasibility], stats: dict[str, int]) -> _Solved | None:
    """ReLU layer i+1: equal pre-activation where f's activation is positive, <= 0 where it is zero."""
    cols = list(zip(*system))
    thetas = []
    for r in range(len(D.P)):
        rows: list[tuple[Any, str, Fraction]] = []
        for p, col in enumerate(cols):
            if D.T[r][p] > 0:
                rows.append((col, "==", D.P[r][p]))
            else:
                rows.append((col, "<=", _ZERO))
        S = lp.System(rows, len(system))
        res = lp.feasible(S, hint=base[r])
        if isinstance(res, lp.Infeasible):
            cs = S.constraints
            _keep(task, evidence, stats,
                  Infeasibility(index, r, "farkas", tuple(tuple(c.coefficients) for c in cs), D.P[r], tuple(res.multipliers),
                                _ZERO, B, tuple(c.relation for c in cs), tuple(c.bound for c in cs)))
            return None
        thetas.append(tuple(res.point))
    return _Solved.of(thetas, "exact LP (equal where f's ReLU output is positive, pre-activation <= 0 where it is zero)")


def _solve_everywhere(task: _Task, neurons: Sequence[_Neuron], index: int, evidence: list[Infeasibility],
                      stats: dict[str, int]) -> _Solved | None:
    """Weights of layer i+1 making its pre-activations equal to f's as functions of layer i-1 (linear in them)."""
    f_i, nxt = task.f.layers[task.layer - 1], task.f.layers[task.layer]
    mine = [_features(n.w, n.b, task.act_i) for n in neurons] + [{"const": _ONE}]
    target = _combined_features(f_i, nxt)
    keys: set[Any] = set().union(*mine, *target)
    order = _feature_order(keys)
    system = tuple(tuple(m.get(k, _ZERO) for k in order) for m in mine)
    targets = [tuple(t.get(k, _ZERO) for k in order) for t in target]
    base = [tuple(v) + (c,) for v, c in zip(nxt.weights, nxt.bias)]
    sol = _solve_linear(system, targets, base, len(order))
    if isinstance(sol, _Witness):
        _keep(task, evidence, stats, Infeasibility(index, sol.neuron, "orthogonal", system, targets[sol.neuron], sol.vector,
                                                   sol.product, tuple(n.h for n in neurons)))
        return None
    return _Solved.of(sol, "linear system in function coordinates (kinks, linear part, constant)")
