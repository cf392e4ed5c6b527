"""The memory of ``equal_functions`` is bounded by ``max_witness`` (issue 12), whatever ``max_regions`` allows.

Two equal networks that no symmetry relates (a neuron split in two halves) force a region split of
about 1,300 leaves.  Under a witness bound the verdict is undecided, saying which bound, and the
peak of Python's traced memory stays within a stated function of the bound (1 MB plus 1,000 bytes a
number: five times the measured 200); without the bound the same run decides true, so it is the
bound that stopped it.  Memory is measured, time is not.
"""

from __future__ import annotations

import random
import tracemalloc
from fractions import Fraction

import pytest

from symrep.networks.network import Layer, Network
from symrep.relu.functions import equal_functions


def _pair(width: int = 12):
    rng = random.Random(1)
    W1 = [[Fraction(rng.randint(-5, 5)) for _ in range(2)] for _ in range(width)]
    b1 = [Fraction(rng.randint(-5, 5)) for _ in range(width)]
    w2 = [Fraction(rng.randint(-3, 3)) for _ in range(width)]
    f = Network([Layer(W1, "relu", b1), Layer([w2], "identity")])
    g = Network([Layer(W1 + [W1[0]], "relu", b1 + [b1[0]]), Layer([[w2[0] / 2] + w2[1:] + [w2[0] / 2]], "identity")])
    return f, g


@pytest.mark.parametrize("bound", [300, 3000])
def test_memory_is_bounded_by_the_witness_bound(bound):
    f, g = _pair()
    tracemalloc.start()
    try:
        r = equal_functions(f, g, max_regions=None, max_witness=bound, symmetries=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert r.verdict is None and r.reason == f"the covering witness would keep more than {bound} numbers"
    assert peak < 2**20 + 1000 * bound, peak


def test_without_the_witness_bound_the_same_run_decides():
    f, g = _pair()
    r = equal_functions(f, g, max_regions=None, max_witness=None)
    assert r.verdict is True and r.covering is not None and len(r.covering.leaves) > 1000
