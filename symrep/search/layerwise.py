"""Layer-wise exact solving: enumerate candidate layers ``i``, solve layer ``i+1`` exactly for each.

Layers ``1 .. i-1`` are copied from ``f``, so layer ``i`` of ``f~`` sees ``f``'s inputs ``U``.
Candidates come in a deterministic, bounded order: sign flips of ``f``'s own neurons,
then multisets of grid neurons (integer weights and biases in ``[-E, E]``), one per class
(activation direction on the data, or the neuron's function up to a positive factor);
graded candidates alternate with seeded random ones when the space exceeds the budget.
Finishing the enumeration is an exhaustive search of the grid.

>>> list(_graded(3, 2))
[(0, 0), (0, 1), (1, 1), (0, 2), (1, 2), (2, 2)]
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction
from typing import Any, Iterator, Sequence

from symrep.exact.numbers import Vector
from symrep.search.objectives import FOUND, NONE_WITHIN, STOPPED, _all_hold, _direction, _Layers
from symrep.search.results import Infeasibility
from symrep.search.solve import _solve_everywhere, _solve_next, _Solved
from symrep.search.task import _assemble, _Data, _grid_vectors, _Neuron, _neuron_vector, _Outcome, _Task

_ZERO = Fraction(0)



class _Pool:
    """Candidate neurons for layer i, one per class (data: activation direction; everywhere: function up to scale)."""

    def __init__(self, task: _Task, D: _Data):
        self.task, self.D = task, D
        self.items: list[_Neuron] = []
        self.index: dict[Any, int] = {}
        self.complete = True  # every grid neuron considered

    def key(self, w: Vector, b: Fraction, h: Vector) -> Any:
        if self.task.mode == "data":
            return _direction(h)
        return _direction(tuple(w) + (b,))  # the function up to a positive factor

    def add(self, weights: Sequence[Fraction | int], bias: Fraction | int) -> int:
        w = tuple(Fraction(x) for x in weights)
        b = Fraction(bias)
        h = _neuron_vector(w, b, self.D.U_cols, self.task.act_i)
        k = self.key(w, b, h)
        if k not in self.index:
            self.index[k] = len(self.items)
            self.items.append(_Neuron(w, b, h, k))
        return self.index[k]

    def fill(self) -> None:
        """Grid neurons: those without bias first (by size), then those with a bias."""
        E, m = self.task.bounds.entries, self.task.f.widths[self.task.layer - 1] + 1
        limit = self.task.bounds.max_pool
        total = (2 * E + 1) ** m
        n = 0
        for v in _grid_vectors(m - 1, E, limit):
            self.add(v, _ZERO)
            n += 1
        for v in _grid_vectors(m, E, max(0, limit - n)):
            if v[-1]:
                self.add(v[:-1], v[-1])
                n += 1
        self.complete = n >= total


def _structured(task: _Task, pool: _Pool) -> list[tuple[_Neuron, ...]]:
    """Sign flips of f's own neurons at layer i (all flipped first, then fewer), with f's own weights."""
    layer = task.f.layers[task.layer - 1]

    def neuron(w, b):
        k = pool.add(w, b)  # the class joins the pool; the candidate keeps these very weights
        return _Neuron(tuple(w), b, _neuron_vector(w, b, pool.D.U_cols, task.act_i), pool.items[k].key)

    own = [neuron(w, b) for w, b in zip(layer.weights, layer.bias)]
    flip = [neuron(tuple(-x for x in w), -b) for w, b in zip(layer.weights, layer.bias)]
    n = len(own)
    subsets = itertools.chain.from_iterable(itertools.combinations(range(n), r) for r in range(n, 0, -1))
    limit = max(1, task.bounds.max_candidates // 4)
    return [tuple(flip[j] if j in S else own[j] for j in range(n)) for S in itertools.islice(subsets, limit)]


def _replacements(task: _Task, pool: _Pool, own: Sequence[_Neuron]) -> Iterator[tuple[_Neuron, ...]]:
    """f's own layer with one neuron replaced by a grid neuron (useless when a match must be small: the
    neurons kept match themselves)."""
    if any(o.name in ("no-match", "max-match-at-most") for o in task.objectives):
        return
    for g in pool.items:
        for j in range(len(own)):
            yield tuple(g if k == j else own[k] for k in range(len(own)))


def _graded(p: int, n: int) -> Iterator[tuple[int, ...]]:
    """Multisets of size n from range(p), by largest element, then lexicographically."""
    if n == 0:
        yield ()
        return
    for m in range(p):
        for rest in itertools.combinations_with_replacement(range(m + 1), n - 1):
            yield rest + (m,)


def _candidates(task: _Task, pool: _Pool, structured: list[tuple[_Neuron, ...]],
                replacements: Iterator[tuple[_Neuron, ...]]) -> tuple[Iterator[tuple[_Neuron, ...]], int, bool]:
    """Candidate layers: structured first, then pool multisets in graded order (alternating with seeded
    random ones when the space exceeds the budget).  Returns (iterator, budget, whole space fits in the budget)."""
    n = task.f.widths[task.layer]
    p = len(pool.items)
    total = math.comb(p + n - 1, n)
    budget = task.bounds.max_candidates
    fits = total <= budget  # every candidate (structured ones too) is a multiset of pool classes
    items = pool.items

    def gen():
        seen = set()
        for c in itertools.chain(structured, itertools.islice(replacements, max(1, budget // 4))):
            key = tuple(sorted(pool.index[nr.key] for nr in c))
            if key not in seen:
                seen.add(key)
                yield c
        graded = _graded(p, n)
        if fits:
            for key in graded:
                if key not in seen:
                    seen.add(key)
                    yield tuple(items[k] for k in key)
            return
        rng = random.Random(task.seed)
        exhausted = False
        while True:
            for _ in range(2):
                step = next(graded, None)
                if step is None:
                    exhausted = True
                elif step not in seen:
                    seen.add(step)
                    yield tuple(items[k] for k in step)
            if exhausted:
                return
            key = tuple(sorted(rng.randrange(p) for _ in range(n)))
            if key not in seen:
                seen.add(key)
                yield tuple(items[k] for k in key)

    return gen(), budget, fits


def _next_layer_text(task: _Task) -> str:
    """How layer i+1 is solved, for the search-space description."""
    i = task.layer
    if task.mode == "everywhere":
        exact = i == 1 and i + 1 == task.f.depth and task.act_next == "identity"
        how = (f" (pre-activations equal as functions of layer {i - 1}, on all of its space"
               + ("" if exact else ": a sufficient condition for equal functions") + ")")
    else:
        how = " (identity: a linear system)" if task.act_next == "identity" else " (ReLU: exact LP)"
    return (f"layer {i + 1}: solved exactly over the rationals" + how
            + (f"; layers {i + 2}..{task.f.depth} copied from {task.name}." if i + 1 < task.f.depth else "."))


def _layerwise_space(task: _Task, pool: _Pool) -> list[str]:
    """The search space of the layer-wise method, in words (every result states it)."""
    E, i = task.bounds.entries, task.layer
    classes = ("up to a positive factor of the activation vector on the data" if task.mode == "data"
               else "of neuron functions up to a positive factor")
    space = [
        f"Layers 1..{i - 1} copied from {task.name}; " if i > 1 else "",
        f"layer {i}: structured candidates (sign flips of {task.name}'s neurons) then multisets of {task.f.widths[i]} "
        f"neurons with integer weights and biases in [-{E}, {E}] ({len(pool.items)} classes " + classes
        + ("" if pool.complete else f", grid cut at {task.bounds.max_pool} neurons") + ");",
        _next_layer_text(task),
    ]
    return [s for s in space if s]


def _complete(task: _Task, D: _Data, neurons: tuple[_Neuron, ...], idx: int, evidence: list[Infeasibility],
              stats: dict[str, int]) -> _Solved | None:
    """Layer i+1 for a candidate layer i that meets the objectives, or None (its witness kept)."""
    if task.mode == "data":
        return _solve_next(task, D, tuple(nr.h for nr in neurons), idx, evidence, stats)
    return _solve_everywhere(task, neurons, idx, evidence, stats)


def _layerwise(task: _Task, D: _Data, evidence: list[Infeasibility], stats: dict[str, int], offset: int) -> _Outcome:
    """The layer-wise method on one data set; candidate numbers in the evidence start after *offset*."""
    i = task.layer
    pool = _Pool(task, D)
    structured = _structured(task, pool)
    pool.fill()
    layer_i = task.f.layers[i - 1]
    own = tuple(_Neuron(tuple(w), b, _neuron_vector(w, b, D.U_cols, task.act_i), pool.items[pool.add(w, b)].key)
                for w, b in zip(layer_i.weights, layer_i.bias))
    gen, budget, fits = _candidates(task, pool, structured, _replacements(task, pool, own))
    space = _layerwise_space(task, pool)
    examined = 0
    need_zero_free = any(o.name == "no-match" for o in task.objectives)
    for neurons in gen:
        if examined >= budget:
            return _Outcome(STOPPED, None, examined, False, f"candidate budget of {budget} reached", space)
        if task.out_of_time():
            return _Outcome(STOPPED, None, examined, False, f"time bound of {task.bounds.max_seconds} s reached", space)
        examined += 1
        if task.progress and examined % 64 == 0:
            task.progress(min(examined, budget), budget)
        B = tuple(nr.h for nr in neurons)
        if need_zero_free and any(not any(r) for r in B):
            continue
        if not _all_hold(task.objectives, _Layers(D.A, B, D.d))[0]:
            continue
        sol = _complete(task, D, neurons, offset + examined, evidence, stats)
        if sol is None:
            continue
        net = _assemble(task.f, i, tuple(nr.w for nr in neurons), tuple(nr.b for nr in neurons), sol.V, sol.c)
        return _Outcome(FOUND, net, examined, False, f"candidate {examined}", space, sol.how)
    exhaustive = fits and pool.complete
    return _Outcome(NONE_WITHIN if exhaustive else STOPPED, None, examined, exhaustive,
                    "every candidate examined" if exhaustive else "the grid was cut (max_pool)", space)
