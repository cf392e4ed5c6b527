"""The SMT method (z3, optional: ``pip install 'symrep[smt]'``), on the data only.

The weights of layer ``i`` (and, with strategy ``joint``, of layer ``i+1``) are unknowns,
ReLU is if-then-else, agreement on the data is a set of (bilinear) equations, and each
objective is encoded by a sufficient linear condition (for example: every neuron of ``f~``
lies outside ``span(z_f)``, shown by the orthogonal complement of that span).  With
strategy ``lazy`` z3 chooses integer weights of layer ``i`` and symrep solves layer ``i+1``
exactly, turning each unsolvable system's orthogonal witness into a cut.  Every model is
converted to exact rationals and re-verified before it is reported; a model that fails the
exact check is blocked (its activation pattern) and the solver is asked again.

>>> from fractions import Fraction as F
>>> _separating_vectors(((F(1), F(0)), (F(0), F(1))), ((F(1), F(1)),), 2, limit=2)   # both entries non-zero
[(Fraction(1, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(-1, 1))]
"""

from __future__ import annotations

import time
from dataclasses import replace
from fractions import Fraction
from typing import Any, Sequence

from symrep.exact.linalg import kernel
from symrep.exact.numbers import Matrix, Vector
from symrep.networks.network import Network, forward
from symrep.search.objectives import FOUND, STOPPED, Objective, _all_hold, _Layers
from symrep.search.results import Infeasibility
from symrep.search.solve import _keep, _next_system, _solve_linear, _solve_relu_lp, _Witness
from symrep.search.task import _assemble, _Data, _dot, _grid_vectors, _neuron_vector, _Outcome, _Task

_ONE = Fraction(1)
#: Longest numerator or denominator (digits) accepted from a z3 model; longer ones are blocked, never rounded.
_Z3_DIGITS = 200
#: Memory limit of z3 (megabytes).
_Z3_MEGABYTES = 2048


def smt_available() -> bool:
    """Whether the optional z3 backend can be imported (``pip install 'symrep[smt]'``)."""
    try:
        import z3  # noqa: F401
    except (ImportError, OSError):  # not installed, or its native library cannot be loaded
        return False
    return True


def _z3_fraction(z3: Any, v: Any) -> Fraction | None:
    if z3.is_int_value(v):
        return Fraction(v.as_long())
    if z3.is_rational_value(v):
        num, den = v.numerator().as_string(), v.denominator().as_string()
        if len(num) > _Z3_DIGITS or len(den) > _Z3_DIGITS:
            return None  # a model with huge numbers: rejected (blocked), never rounded
        return Fraction(int(num), int(den))
    return None  # an algebraic (irrational) number


def _all_exact(values: Sequence[Fraction | None]) -> list[Fraction] | None:
    """The values, if every one is an exact rational."""
    out = [x for x in values if x is not None]
    return out if len(out) == len(values) else None


def _smt(task: _Task, D: _Data, evidence: list[Infeasibility], stats: dict[str, int], offset: int) -> _Outcome:
    """z3 search; strategy ``auto`` is a short joint query first, then the lazy loop for the remaining time."""
    if task.bounds.smt_strategy != "auto":
        return _smt_run(task, D, evidence, stats, offset)
    left = task.deadline - time.perf_counter()
    short = replace(task.bounds, smt_strategy="joint", smt_timeout=max(0.5, min(task.bounds.smt_timeout, left / 8)),
                    smt_rounds=min(task.bounds.smt_rounds, 4))
    first = _smt_run(replace(task, bounds=short, deadline=min(task.deadline, time.perf_counter() + short.smt_timeout * 1.5)),
                     D, evidence, stats, offset)
    if first.status == FOUND:
        return first
    second = _smt_run(replace(task, bounds=replace(task.bounds, smt_strategy="lazy")), D, evidence, stats,
                      offset + first.candidates)
    second.candidates += first.candidates
    second.space = first.space[:1] + ["Then: " + s for s in second.space]
    return second


def _smt_space(task: _Task) -> str:
    """The search space of one SMT run, in words."""
    i, f, E = task.layer, task.f, task.bounds.smt_entries
    if task.bounds.smt_strategy == "joint":
        next_layer = f"layer {i + 1}: real weights chosen jointly (bilinear agreement on the data); "
    else:
        next_layer = (f"layer {i + 1}: solved exactly by symrep, each unsolvable system's orthogonal witness w added to z3 "
                      f"as the cut 'some neuron's activation vector h has h.w != 0'"
                      + ("" if task.act_next == "identity"
                         else " (for the ReLU layer: pre-activations equal, a sufficient condition)")
                      + "; ")
    return ((f"Layers 1..{i - 1} copied from {task.name}; " if i > 1 else "")
            + f"layer {i}: real weights and biases in [-{E}, {E}] chosen by z3 (ReLU as if-then-else); "
            + next_layer
            + f"objectives encoded by sufficient linear conditions; each model re-verified exactly; at most "
            f"{task.bounds.smt_rounds} solver calls of {task.bounds.smt_timeout:g} s per data set"
            + (f"; layers {i + 2}..{f.depth} copied from {task.name}." if i + 1 < f.depth else "."))


class _Query:
    """The z3 encoding of one SMT run on one data set: unknowns, constraints, and the variants tried in turn.

    z3's answers, and so the network found, depend on the order in which terms are created and freed
    (it reuses the ids of freed terms).  So the constraints are built in a fixed order, every term lives
    as long as the query (the last model, solver, block and cut until the next ones), and :meth:`close`
    frees them in a fixed order: the order of symrep 0.1, whose answers are kept.
    """

    def __init__(self, z3: Any, task: _Task, D: _Data):
        self.z3, self.task, self.D = z3, task, D
        i = task.layer
        self.n_in, self.n, self.n_out = task.f.widths[i - 1], task.f.widths[i], task.f.widths[i + 1]
        self.joint = task.bounds.smt_strategy == "joint"
        self.constraints: list[Any] = []
        self.variants: list[list[Any]] = [[]]
        self.last_block: Any = None
        self.last_cut: Any = None
        self.last_q: Any = None
        self.terms: list[Any] = []
        self.learned: list[Any] = []  # cuts and blocks: valid for every variant
        self.solver: Any = None
        self.model: Any = None
        self._unknowns()
        if self.joint:
            self._agreement()
        self._objectives()

    def Q(self, q: Fraction) -> Any:
        """An exact z3 rational."""
        return self.z3.RealVal(f"{q.numerator}/{q.denominator}")

    def _unknowns(self) -> None:
        z3, D, d, n, E = self.z3, self.D, self.D.d, self.n, self.task.bounds.smt_entries
        var = z3.Real if self.joint else z3.Int  # lazy: integer weights, so that cuts and blocks exhaust a finite space
        self.W = [[var(f"W_{j}_{l}") for l in range(self.n_in)] for j in range(n)]
        self.bb = [var(f"b_{j}") for j in range(n)]
        for x in [x for row in self.W for x in row] + self.bb:
            self.constraints.extend((x >= -E, x <= E))
        R = (lambda x: x) if self.joint else z3.ToReal
        self.z = [[z3.Sum([R(self.W[j][l]) * self.Q(D.U[l][p]) for l in range(self.n_in) if D.U[l][p]] + [R(self.bb[j])])
                   for p in range(d)] for j in range(n)]
        relu = self.task.act_i == "relu"
        self.h = [[z3.If(self.z[j][p] > 0, self.z[j][p], z3.RealVal(0)) if relu else self.z[j][p] for p in range(d)]
                  for j in range(n)]
        self.V = [[z3.Real(f"V_{r}_{j}") for j in range(n)] for r in range(self.n_out)]
        self.cc = [z3.Real(f"c_{r}") for r in range(self.n_out)]

    def _agreement(self) -> None:
        """Joint: layer i+1 reproduces f's on the data (equal, or <= 0 where f's ReLU output is zero)."""
        z3, D = self.z3, self.D
        for r in range(self.n_out):
            for p in range(D.d):
                q = z3.Sum([self.V[r][j] * self.h[j][p] for j in range(self.n)] + [self.cc[r]])
                if self.task.act_next == "relu" and D.T[r][p] == 0:
                    self.constraints.append(q <= 0)
                else:
                    self.constraints.append(q == self.Q(D.P[r][p]))
                self.last_q = q

    def _objectives(self) -> None:
        """The objectives, as sufficient conditions in the activation vectors h_j (A, f's, is fixed)."""
        z3, A, d, h = self.z3, self.D.A, self.D.d, self.h
        K = kernel(A, d) if A else ()
        self.outside = [z3.Or([z3.Sum([self.Q(k[p]) * h[j][p] for p in range(d) if k[p]]) != 0 for k in K]) if K
                        else z3.BoolVal(False) for j in range(self.n)]
        self.nonzero = [z3.Or([h[j][p] != 0 for p in range(d)]) for j in range(self.n)]
        for o in self.task.objectives:
            self._objective(o, bool(K), self.outside, self.nonzero)

    def _objective(self, o: Objective, has_kernel: bool, outside: list[Any], nonzero: list[Any]) -> None:
        z3, n = self.z3, self.n
        if o.name == "no-match":
            if has_kernel:  # every neuron of f~ outside span(A) and none zero: Y* is empty, then X* is (A has no zero rows)
                self.constraints.append(z3.And(outside))
                self.constraints.append(z3.And(nonzero))
            else:  # span(A) is everything: every row of A outside span(B), shown by one vector w with B w = 0
                self.constraints.append(z3.And(nonzero))  # and a . w != 0 for every row a of A; w from a small grid
                d, h = self.D.d, self.h
                self.variants = [[z3.Sum([self.Q(w[p]) * h[j][p] for p in range(d) if w[p]]) == 0 for j in range(n)]
                                 for w in _separating_vectors(self.D.A, self.D.P, d)]
        elif o.name in ("isomorphic-not-equal", "not-isomorphic"):
            if has_kernel:
                self.constraints.append(z3.Or(outside))
        elif o.name == "max-match-at-most":
            if has_kernel and o.k is not None:
                self.constraints.append(z3.Sum([z3.If(c, 1, 0) for c in outside]) >= n - o.k // 2)
        elif o.name == "beyond-symmetry":
            self.constraints.append(self._beyond_symmetry(nonzero))

    def _beyond_symmetry(self, nonzero: list[Any]) -> Any:
        """Some neuron of f~ is no positive multiple of any neuron of f."""
        z3, d, h, Q = self.z3, self.D.d, self.h, self.Q
        alts: list[Any] = []
        not_mult: list[Any] = []
        cross: list[Any] = []
        dotp: Any = None
        for j in range(self.n):
            not_mult = []
            for a in self.D.A:
                if any(a):
                    cross = [Q(a[p]) * h[j][q] - Q(a[q]) * h[j][p] != 0
                             for p in range(d) for q in range(p + 1, d) if a[p] or a[q]]
                    dotp = z3.Sum([Q(a[p]) * h[j][p] for p in range(d) if a[p]])
                    not_mult.append(z3.Or(cross + [dotp <= 0]))
                else:
                    not_mult.append(nonzero[j])
            alts.append(z3.And(not_mult))
        self.terms.append((alts, not_mult, cross, dotp))  # alive as long as the query (see the class docstring)
        return z3.Or(alts)

    def check(self, s: Any, variant: list[Any], learned: list[Any]) -> Any:
        """One call of the fresh solver *s* (so that z3's non-incremental, nonlinear tactics stay available)."""
        z3, task = self.z3, self.task
        s.set("timeout", int(1000 * max(0.1, min(task.bounds.smt_timeout, task.deadline - time.perf_counter()))))
        s.set("random_seed", task.seed)
        s.add(*self.constraints, *variant, *learned)
        try:
            res = s.check()
        except z3.Z3Exception as e:  # e.g. the memory limit: treated as "unknown"
            res = f"unknown ({str(e)[:80]})"
        return res

    def network(self, m: Any, index: int, evidence: list[Infeasibility], stats: dict[str, int]) -> Network | Any:
        """The network of model *m* if it passes the exact check, else the constraint that rules the model out."""
        z3, task, D, d, n = self.z3, self.task, self.D, self.D.d, self.n

        def val(x: Any) -> Fraction | None:
            return _z3_fraction(z3, m.evaluate(x, model_completion=True))

        # z3's answers depend on the order in which terms are created: keep this order (weights, biases, block).
        Wq = [_all_exact([val(x) for x in row]) for row in self.W]
        bq = _all_exact([val(x) for x in self.bb])
        pattern = [[z3.is_true(m.evaluate(self.z[j][p] > 0, model_completion=True)) for p in range(d)] for j in range(n)]
        block = z3.Or([(self.z[j][p] > 0) != z3.BoolVal(pattern[j][p]) for j in range(n) for p in range(d)])
        self.last_block = block
        if bq is None or any(row is None for row in Wq):
            stats["smt_rejected"] += 1
            return block
        W = [row for row in Wq if row is not None]
        B = tuple(_neuron_vector(w, c, D.U_cols, task.act_i) for w, c in zip(W, bq))
        if not _all_hold(task.objectives, _Layers(D.A, B, d))[0]:
            stats["smt_rejected"] += 1
            return block
        thetas = self._joint_next(val) if self.joint else self._lazy_next(B, index, evidence, stats)
        if thetas is None:
            stats["smt_rejected"] += 1
            return block
        if not isinstance(thetas, list):
            return thetas  # a cut: no layer i+1 completes this layer i
        net = _assemble(task.f, task.layer, tuple(map(tuple, W)), tuple(bq), tuple(t[:-1] for t in thetas),
                        tuple(t[-1] for t in thetas))
        acts = forward(net, D.inputs)
        if acts[-1] == D.Y and _all_hold(task.objectives, _Layers(D.A, acts[task.layer], d))[0]:
            return net
        stats["smt_rejected"] += 1  # pragma: no cover - joint models satisfy the equations exactly
        return block

    def _joint_next(self, val: Any) -> list[Vector] | None:
        """Joint: layer i+1 from the model (rows ``(v, c)``), or None if it is not exact."""
        V = [_all_exact([val(x) for x in row]) for row in self.V]
        c = _all_exact([val(x) for x in self.cc])
        if c is None or any(row is None for row in V):
            return None
        return [tuple(row) + (ci,) for row, ci in zip(V, c) if row is not None]

    def _lazy_next(self, B: Matrix, index: int, evidence: list[Infeasibility], stats: dict[str, int]) -> list[Vector] | Any:
        """Lazy: layer i+1 solved exactly by symrep (rows ``(v, c)``), or the cut that its witness gives."""
        z3, task, D, d, h = self.z3, self.task, self.D, self.D.d, self.h
        system, base = _next_system(task, D, B)
        sol = _solve_linear(system, D.P, base, d)
        if isinstance(sol, _Witness) and task.act_next == "relu":
            lp_sol = _solve_relu_lp(task, D, B, system, base, index, [], {"infeasible": 0})
            if lp_sol is not None:
                return [tuple(v) + (c,) for v, c in zip(lp_sol.V, lp_sol.c)]
        if not isinstance(sol, _Witness):
            return sol
        w = sol.vector
        _keep(task, evidence, stats, Infeasibility(index, sol.neuron, "orthogonal", system, D.P[sol.neuron], w, sol.product, B))
        self.last_cut = z3.Or([z3.Sum([self.Q(w[p]) * h[j][p] for p in range(d) if w[p]]) != 0 for j in range(self.n)])
        return self.last_cut

    def close(self) -> None:
        """Free the terms, the solver and the model in a fixed order (see the class docstring)."""
        for name in ("constraints", "cc", "last_q", "variants", "outside", "nonzero", "terms", "learned", "solver",
                     "last_block", "last_cut", "V", "W", "bb", "h", "model", "z"):
            setattr(self, name, None)


def _smt_run(task: _Task, D: _Data, evidence: list[Infeasibility], stats: dict[str, int], offset: int) -> _Outcome:
    """z3 search on the data with one strategy (``lazy`` or ``joint``); every model is verified exactly."""
    import z3

    z3.set_param("memory_max_size", _Z3_MEGABYTES)  # nonlinear queries can otherwise exhaust the machine's memory
    space = [_smt_space(task)]
    query = _Query(z3, task, D)
    if not query.variants:
        outcome = _Outcome(STOPPED, None, 0, False, "no separating vector w in the grid", space)
    else:
        if len(query.variants) > 1 or query.variants[0]:
            space.append(f"No-match with span(z_f) = Q^{D.d}: each z3 query fixes one integer vector w (entries in "
                         f"[-2, 2], a . w != 0 for every neuron a of {task.name}, {len(query.variants)} of them) and "
                         "asks B w = 0.")
        outcome = _rounds(task, query, space, evidence, stats, offset)
    query.close()
    return outcome


def _rounds(task: _Task, query: _Query, space: list[str], evidence: list[Infeasibility], stats: dict[str, int],
            offset: int) -> _Outcome:
    """Ask z3 again and again: each model is verified exactly, or ruled out by a block or a cut learned from it."""
    z3 = query.z3
    calls = 0
    v_index = 0
    while calls < task.bounds.smt_rounds:
        if task.out_of_time():
            return _Outcome(STOPPED, None, calls, False, f"time bound of {task.bounds.max_seconds} s reached", space)
        calls += 1
        if task.progress:
            task.progress(calls, task.bounds.smt_rounds)
        query.solver = z3.Solver()  # frees the previous call's solver only now, before this one is used (see _Query)
        res = query.check(query.solver, query.variants[v_index], query.learned)
        if res != z3.sat:
            last = ("z3 found no model of the (sufficient) encoding within the weight bounds" if res == z3.unsat
                    else f"z3 answered {res} (timeout {task.bounds.smt_timeout:g} s)")
            v_index += 1
            if v_index >= len(query.variants):
                return _Outcome(STOPPED, None, calls, False, last + "; the encoding is not exhaustive for the objective",
                                space)
            continue
        query.model = query.solver.model()
        found = query.network(query.model, offset + calls, evidence, stats)
        if isinstance(found, Network):
            return _Outcome(FOUND, found, calls, False, f"z3 model {calls}, verified exactly", space,
                            "z3 model, verified exactly")
        query.learned.append(found)
    return _Outcome(STOPPED, None, calls, False, f"{calls} solver calls without a verified model", space)


def _separating_vectors(A: Matrix, P: Matrix, d: int, limit: int = 64) -> list[Vector]:
    """Small integer w with a . w != 0 for every row a of A (so no such row lies in a span orthogonal to w),
    and compatible with the targets (P_r . w == 0 for every r, or 1 . w != 0 so that a bias can absorb it)."""
    out = []
    for v in _grid_vectors(d, 2, 5 ** min(d, 8)):
        w = tuple(Fraction(x) for x in v)
        if not any(w) or any(_dot(a, w) == 0 for a in A):
            continue
        if sum(w) == 0 and any(_dot(p, w) for p in P):
            continue
        out.append(w)
        if len(out) >= limit:
            break
    return out
