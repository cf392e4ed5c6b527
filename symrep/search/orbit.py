"""The symmetry orbit of ``f``: permutations and positive rescalings of hidden neurons.

Every element computes the same function, and its activations at layer ``i`` are
``D P A`` (``D`` positive diagonal, ``P`` a permutation), so the spans never change and the
maximum match is always every neuron.  This is the baseline: it shows that none of the
objectives but ``max-match-at-most K`` (with ``K`` at least both widths together) is
reachable by symmetry.

>>> from symrep.networks.network import Layer, Network
>>> f = Network([Layer([[1], [2]], "relu"), Layer([[1, 1]], "identity")])
>>> g = _orbit_element(f, 1)   # neurons swapped, scaled by 2 and 1/2; layer 2 undoes it
>>> [[str(x) for x in row] for row in g.layers[0].weights], [[str(x) for x in row] for row in g.layers[1].weights]
([['4'], ['1/2']], [['1/2', '2']])
"""

from __future__ import annotations

from fractions import Fraction

from symrep.errors import SymrepError
from symrep.networks.network import Layer, Network, forward
from symrep.search.objectives import FOUND, FOUND_NAME, UNREACHABLE, _all_hold, _Layers
from symrep.search.task import _Data, _Outcome, _Task


def _orbit_element(f: Network, t: int) -> Network:
    """Element t of a deterministic walk through the symmetry orbit of f (t = 0 is f itself)."""
    scales = (Fraction(1), Fraction(2), Fraction(1, 2), Fraction(3), Fraction(1, 3))
    layers = [(list(map(list, l.weights)), list(l.bias), l.activation) for l in f.layers]
    for j in range(len(layers) - 1):  # hidden layers 1..k-1 (index j is layer j+1)
        n = len(layers[j][0])
        shift = (t + j) % n if n else 0
        perm = tuple((a + shift) % n for a in range(n))
        if (t // max(n, 1)) % 2 == 1 or perm == tuple(range(n)):
            perm = tuple(reversed(perm))
        sc = [scales[(t + a + j) % len(scales)] if t else Fraction(1) for a in range(n)]
        W, b, act = layers[j]
        W2 = [[sc[a] * x for x in W[perm[a]]] for a in range(n)]
        b2 = [sc[a] * b[perm[a]] for a in range(n)]
        Wn, bn, actn = layers[j + 1]
        Wn2 = [[row[perm[a]] / sc[a] for a in range(n)] for row in Wn]
        layers[j] = (W2, b2, act)
        layers[j + 1] = (Wn2, bn, actn)
    return Network([Layer(W, act, b) for W, b, act in layers], name=FOUND_NAME)


def _orbit(task: _Task, D: _Data) -> _Outcome:
    space = [f"The symmetry orbit of {task.name}: permutations of hidden neurons with positive rescalings "
             f"(factors 1, 2, 1/2, 3, 1/3); {task.bounds.orbit_elements} elements generated and checked. "
             "Every element computes the same function and has activations D P A at every hidden layer "
             "(D positive diagonal, P a permutation), so its spans equal f's and its maximum match is all neurons."]
    first = None
    count = 0
    for t in range(1, max(1, task.bounds.orbit_elements) + 1):
        g = _orbit_element(task.f, t)
        count += 1
        acts = forward(g, D.inputs)
        if acts[-1] != D.Y:  # pragma: no cover - positive homogeneity makes this impossible
            raise SymrepError("internal error: an orbit element changed the outputs")
        L = _Layers(D.A, acts[task.layer], D.d)
        m = L.match
        if len(m.x) != len(D.A) or len(m.y) != len(D.A):  # pragma: no cover
            raise SymrepError("internal error: an orbit element does not match fully")
        if first is None:
            first = g
        ok, _ = _all_hold(task.objectives, L)
        if ok:
            return _Outcome(FOUND, g, count, False, f"orbit element {t}", space, "symmetry orbit")
    n = len(D.A)
    why = (f"every element of the orbit has maximum match all {2 * n} neurons at layer {task.layer} (equal spans, "
           "a scaled permutation of f's activations), so "
           + ", ".join(str(o) for o in task.objectives) + " cannot be reached by symmetry")
    return _Outcome(UNREACHABLE, first, count, False, why, space, "symmetry orbit")
