"""Activation files for the zoo tests whose similarities are known by construction.

A pool of integer vectors over the data points, linearly independent (checked exactly with
SymPy's rank over the rationals); each file's layer holds a subset of the pool as its neurons
(one column per neuron: points x neurons, the default layout).  Two subsets S and T of an
independent pool have maximum match S & T on both sides at eps 0, so Wang et al.'s similarity is
2 |S & T| / (|S| + |T|).
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import sympy


def pool(size: int, points: int, seed: int = 0) -> np.ndarray:
    assert size <= points, "an independent pool needs at least as many points as vectors"
    rng = random.Random(seed)
    while True:
        P = [[rng.randint(-4, 4) for _ in range(points)] for _ in range(size)]
        if sympy.Matrix(P).rank() == size:
            return np.array(P, dtype=np.float64)


def write_zoo(tmp, subsets: dict[str, dict[str, list[int]]], points: int = 20, seed: int = 0) -> dict:
    """Write one .npz per name with layers {layer: pool rows}; return {name: path}."""
    size = 1 + max(i for layers in subsets.values() for s in layers.values() for i in s)
    P = pool(size, points, seed)
    paths = {}
    for name, layers in subsets.items():
        path = tmp / f"{name}.npz"
        np.savez(path, **{layer: np.ascontiguousarray(P[s].T) for layer, s in layers.items()})
        paths[name] = str(path)
    return paths


def similarity(s: list[int], t: list[int]) -> Fraction:
    return Fraction(2 * len(set(s) & set(t)), len(s) + len(t))


SUBSETS = {
    "f": {"h1": [0, 1, 2, 3], "h2": [10, 11, 12]},
    "g": {"h1": [0, 1, 4, 5], "h2": [10, 13, 14]},
    "k": {"h1": [0, 6, 7, 8, 9], "h2": [10, 11, 12]},
}
