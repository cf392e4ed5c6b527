"""The problem a search works on: the network f, its data, the objectives and bounds, and shared small steps.

Every method (orbit, layer-wise, SMT) reads a :class:`_Task` (what is asked) and a
:class:`_Data` (f's activations on one data set, extra points included) and returns an
:class:`_Outcome`.

>>> list(_grid_vectors(2, 1, 5))
[(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0)]
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence

from symrep.exact.linalg import span_basis
from symrep.exact.numbers import Matrix, Vector
from symrep.networks.network import Layer, Network, forward
from symrep.search.objectives import FOUND_NAME, Objective
from symrep.search.results import SearchBounds

_ZERO = Fraction(0)

#: ``progress(done, total)``: how a search reports progress (the CLI draws a bar with it).
ProgressCallback = Callable[[int, int], None]



def _dot(u: Sequence[Fraction], v: Sequence[Fraction]) -> Fraction:
    return sum((a * b for a, b in zip(u, v) if a and b), _ZERO)


def _act(z: Fraction, activation: str) -> Fraction:
    return z if activation == "identity" or z > 0 else _ZERO


def _pre(layer: Layer, H: Matrix, d: int) -> Matrix:
    """Pre-activations of *layer* on inputs *H* (rows = neurons of the previous layer, d columns)."""
    cols = list(zip(*H)) if H else [()] * d
    return tuple(tuple(_dot(w, col) + b for col in cols) for w, b in zip(layer.weights, layer.bias))


def _columns(X: Matrix) -> Matrix:
    """Data points (rows) as a neuron-by-point matrix."""
    return tuple(zip(*X))


def _neuron_vector(w: Sequence[Fraction], b: Fraction, U_cols: Sequence[Sequence[Fraction]], activation: str) -> Vector:
    return tuple(_act(_dot(w, u) + b, activation) for u in U_cols)



@dataclass
class _Task:
    f: Network
    name: str
    layer: int
    objectives: tuple[Objective, ...]
    mode: str
    nonzero: bool
    bounds: SearchBounds
    seed: int
    deadline: float
    progress: ProgressCallback | None
    source: str | None = None

    @property
    def act_i(self) -> str:
        return self.f.layers[self.layer - 1].activation

    @property
    def act_next(self) -> str:
        return self.f.layers[self.layer].activation

    def out_of_time(self) -> bool:
        return time.perf_counter() > self.deadline


@dataclass
class _Data:
    """Everything about f on one data set."""

    inputs: Matrix
    added: Matrix
    acts: list[Matrix]  # f's activations per layer
    U: Matrix  # f's layer i-1 (inputs of layer i)
    U_cols: Matrix
    A: Matrix  # f's layer i
    P: Matrix  # f's pre-activations at layer i+1
    T: Matrix  # f's activations at layer i+1
    Y: Matrix  # f's outputs

    @property
    def d(self) -> int:
        return len(self.inputs)


def _data(task: _Task, inputs: Matrix, added: Matrix) -> _Data:
    acts = forward(task.f, inputs)
    i = task.layer
    U = acts[i - 1]
    P = _pre(task.f.layers[i], acts[i], len(inputs))
    return _Data(inputs, added, acts, U, _columns(U) if U else tuple(() for _ in inputs), acts[i], P, acts[i + 1], acts[-1])


def _impossible(task: _Task, D: _Data) -> str | None:
    """A reason no network of the architecture meets the objectives on this data, or None."""
    A, d = D.A, D.d
    zero = [v for v, row in enumerate(A) if not any(row)]
    rank = span_basis(A, d).rank
    n = len(A)
    for o in task.objectives:
        if o.name == "no-match" and zero:
            return (f"neuron {zero[0]} of {task.name} at layer {task.layer} is zero on the data; a zero vector lies in "
                    "every span, so it belongs to every maximum match: no-match is impossible")
        if o.name == "max-match-at-most" and len(zero) > (o.k or 0):
            return (f"{len(zero)} neurons of {task.name} at layer {task.layer} are zero on the data and belong to every "
                    f"maximum match, more than K = {o.k}")
        if o.name == "isomorphic-not-equal":
            if rank == d:
                return (f"the span of {task.name} at layer {task.layer} is all of Q^{d} (dimension {d} = number of data "
                        "points): a span of the same dimension is equal to it")
            if rank == 0:
                return f"{task.name} at layer {task.layer} is zero on the data: the only span of dimension 0 is {{0}}"
        if o.name == "not-isomorphic" and n == 0:
            return "the layer has no neurons"
    if task.nonzero and not any(any(r) for r in D.Y):
        return (f"{task.name}'s outputs on the data are all zero and any network agreeing with it has the same outputs; "
                "add data points (--extra-points N) for non-zero outputs")
    return None


# =============================================================================================
# data points the search may add


def _grid_points(n: int, R: int, existing: set) -> list[Vector]:
    pts = [tuple(Fraction(x) for x in p) for p in itertools.product(range(-R, R + 1), repeat=n)]
    pts = [p for p in pts if p not in existing]
    pts.sort(key=lambda p: (max((abs(x) for x in p), default=0), sum(abs(x) for x in p), tuple(-x for x in p)))
    return pts


def _point_sets(task: _Task, inputs: Matrix, N: int) -> Iterator[tuple[Matrix, bool]]:
    """Sets of N new points in graded order; yields (points, last)."""
    if N == 0:
        yield (), True
        return
    pts = _grid_points(task.f.widths[0], task.bounds.point_range, set(inputs))
    total = math.comb(len(pts), N)
    k = 0
    for m in range(N - 1, len(pts)):
        for rest in itertools.combinations(range(m), N - 1):
            k += 1
            yield tuple(pts[j] for j in rest + (m,)), k == total


def _compositions(left: int, slots: int, E: int) -> Iterator[tuple[int, ...]]:
    """Tuples of *slots* integers in [0, E] summing to *left*, lexicographically."""
    if slots == 0:
        if left == 0:
            yield ()
        return
    for a in range(0, min(E, left) + 1):
        for rest in _compositions(left - a, slots - 1, E):
            yield (a,) + rest


def _grid_vectors(m: int, E: int, limit: int) -> Iterator[tuple[int, ...]]:
    """Integer vectors of length m with entries in [-E, E], by L1 norm then max entry then lexicographically."""
    count = 0
    for s in range(0, m * E + 1):
        signed = []
        for absv in _compositions(s, m, E):
            nz = [t for t, a in enumerate(absv) if a]
            for signs in itertools.product((1, -1), repeat=len(nz)):
                v = list(absv)
                for t, sg in zip(nz, signs):
                    v[t] *= sg
                signed.append(tuple(v))
        signed.sort(key=lambda v: (max((abs(x) for x in v), default=0), tuple((abs(x), -x) for x in v)))
        for vec in signed:
            yield vec
            count += 1
            if count >= limit:
                return


@dataclass
class _Neuron:
    w: Vector
    b: Fraction
    h: Vector  # activation vector on the data
    key: Any


@dataclass
class _Outcome:
    status: str
    network: Network | None = None
    candidates: int = 0
    exhaustive: bool = False
    message: str = ""
    space: list[str] = field(default_factory=list)
    how: str = ""


def _assemble(f: Network, layer: int, W: Matrix, b: Vector, V: Matrix, c: Vector) -> Network:
    layers = list(f.layers)
    layers[layer - 1] = Layer(W, f.layers[layer - 1].activation, b)
    layers[layer] = Layer(V, f.layers[layer].activation, c)
    return Network(layers, name=FOUND_NAME)
