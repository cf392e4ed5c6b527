"""Networks equal by symmetry: one is the other with hidden neurons permuted and positively rescaled.

Design note
-----------
Before any region is split, :func:`equal_functions` asks whether ``g`` is ``f``
up to the symmetries every ReLU network has: the neurons of a hidden layer may
be listed in any order, and a neuron may be multiplied by ``c > 0`` (its
incoming weights and bias) if the next layer divides its outgoing weights by
``c``, because ``relu(c t) = c relu(t)``.  Identical networks are the case of
identity permutations and unit scales.

*The witness.*  Per hidden layer ``l``, a permutation ``pi_l`` and scales
``c_l > 0``: neuron ``pi_l(i)`` of ``g``'s layer ``l`` is ``c_l[i]`` times neuron
``i`` of ``f``'s.  With ``pi_0``, ``c_0`` the identity and ones on the inputs, and
``pi_L``, ``c_L`` the same on the outputs, it holds when, for every layer ``l``,
neuron ``i`` and input ``k``::

    W'_l[pi_l(i)][pi_{l-1}(k)] * c_{l-1}[k] == c_l[i] * W_l[i][k]
    b'_l[pi_l(i)] == c_l[i] * b_l[i]

and both networks have the same activation per layer.  *Why it proves f = g
everywhere.*  By induction, ``g``'s layer ``l`` outputs ``h'_l[pi_l(i)] =
c_l[i] h_l[i]`` at every input ``x``: its pre-activation at ``pi_l(i)`` is
``sum_k W'_l[pi_l(i)][pi_{l-1}(k)] c_{l-1}[k] h_{l-1}[k] + b'_l[pi_l(i)] =
c_l[i] (W_l h_{l-1} + b_l)[i]``, and both activations (relu, identity) commute
with multiplication by ``c > 0``.  At the output layer ``c_L = 1`` and ``pi_L``
is the identity: the outputs are equal at every point of ``R^n``, hence of any
domain.  Checking costs one product per weight.

*Finding it* is an exact isomorphism search of two weighted layered graphs.
First each network is put in a canonical form under rescaling: layer by layer, a
hidden neuron's incoming row (already multiplied by the previous layer's scales)
and bias are divided by their L1 norm ``s`` (a rational, unchanged by permuting
the row), so networks related by a symmetry have canonical forms related by a
pure permutation of each hidden layer (the scales of the witness are
``c = s_g / s_f``).  The permutation is then found by colour refinement on both
canonical graphs at once (inputs and outputs keep their own colours; a hidden
neuron's colour is refined by its bias and the multisets of (weight, colour) of its
incoming and outgoing edges), followed by individualisation with backtracking:
in the first colour class of two or more neurons, f's first neuron is paired in
turn with each of g's neurons of that colour.  Refinement preserves every
isomorphism, and every pairing is tried, so the search is *complete*: if a
symmetry exists it is found, unless more than ``limit`` (default
:data:`SEARCH_LIMIT`) refinements are needed, when the search gives up (None) and
the region split decides.  Every candidate is re-checked exactly against the
condition above before it is returned.  A *dead* neuron (bias 0 and weights only
from dead neurons: 0 at every input) gets its scale from its outgoing weights
or, when those lead to no output, from its incoming weights (see
:func:`_canonical`).  Exception, stated: a dead neuron with neither incoming weights
nor a path of non-zero weights to an output keeps scale 1, so a symmetry that needs
another scale on such a neuron is not found by this search (the region split decides).
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import CertificateRejected
from symrep.exact.numbers import format_number, to_fraction
from symrep.networks.network import Network

__all__ = ["SEARCH_LIMIT", "Symmetry", "check_symmetry", "find_symmetry", "symmetry_json"]

#: Per hidden layer: the permutation (f's neuron i is g's neuron perm[i]) and the scales c[i] > 0.
Symmetry = tuple[tuple[tuple[int, ...], tuple[Fraction, ...]], ...]


#: Default bound on the refinements of the symmetry search (each costs one pass over the weights).
SEARCH_LIMIT = 2_000


def _l1(v: Sequence[Fraction]) -> Fraction:
    return sum((abs(x) for x in v), Fraction(0))


def _canonical(net: Network) -> tuple[list[list[tuple[Fraction, ...]]], list[list[Fraction]]]:
    """Per layer, the canonical rows (weights then bias) and, per hidden layer, the scales ``s`` divided out.

    A hidden neuron is *dead* when its bias is 0 and its non-zero incoming weights all come from dead
    neurons (input neurons are live): it is 0 at every input.  A live neuron's scale is the L1 norm of
    its bias and of its weights on live neurons times their scales (forward).  A dead neuron with
    non-zero weights to *anchored* neurons (live ones, outputs, and dead ones anchored in turn) gets
    ``1 / sum_r |W[r][k]| / s_r`` over those (backward); any other dead neuron the L1 norm of its
    incoming weights times their scales (forward), or 1 when they are all zero.  Each rule commutes
    with a symmetry (``s_g = c s_f``), which is what makes the form canonical.
    """
    L = len(net.layers)
    dead: list[list[bool]] = [[False] * net.widths[0]]
    scale: list[list[Fraction]] = [[Fraction(1)] * net.widths[0]]
    for li, layer in enumerate(net.layers):
        prev_dead, prev = dead[-1], scale[-1]
        if li == L - 1:
            dead.append([False] * layer.width)
            scale.append([Fraction(1)] * layer.width)
            break
        live = [abs(b) + sum((abs(w) * c for w, c, d in zip(r, prev, prev_dead) if not d), Fraction(0))
                for r, b in zip(layer.weights, layer.bias)]
        dead.append([not x for x in live])
        scale.append([x or Fraction(1) for x in live])
    anchored = [[True] * w for w in net.widths]  # live, or dead with a non-zero weight to an anchored neuron
    for li in range(L - 1, 0, -1):  # dead neurons of hidden layer li, from the anchored neurons after them
        nxt = net.layers[li]
        for k, d in enumerate(dead[li]):
            if d:
                t = sum((abs(r[k]) / s for r, s, a in zip(nxt.weights, scale[li + 1], anchored[li + 1]) if a),
                        Fraction(0))
                anchored[li][k] = bool(t)
                scale[li][k] = 1 / t if t else Fraction(1)
    for li in range(1, L):  # the other dead neurons: from their incoming weights (all from dead neurons)
        for k, r in enumerate(net.layers[li - 1].weights):
            if not anchored[li][k]:
                scale[li][k] = sum((abs(w) * c for w, c in zip(r, scale[li - 1])), Fraction(0)) or Fraction(1)
    rows = [[tuple(w * c / si for w, c in zip(r, scale[li])) + (b / si,)
             for r, b, si in zip(layer.weights, layer.bias, scale[li + 1])] for li, layer in enumerate(net.layers)]
    return rows, scale[1:-1]


class _Search:
    """Colour refinement and individualisation on the canonical forms of two networks (design note)."""

    def __init__(self, f: Network, g: Network, limit: int):
        self.nets = (f, g)
        (self.rf, self.sf), (self.rg, self.sg) = _canonical(f), _canonical(g)
        self.hidden = len(f.layers) - 1
        self.limit, self.used = limit, 0  # refinements: past the limit the search gives up (returns None)

    def _signature(self, rows, cols, l: int, i: int) -> tuple:
        """A hidden neuron's refined colour: its colour, bias, incoming and outgoing (weight, colour) multisets."""
        row, nxt = rows[l - 1][i], rows[l]
        inc = sorted((w, cols[l - 1][k]) for k, w in enumerate(row[:-1]) if w)
        out = sorted((r[i], cols[l + 1][t]) for t, r in enumerate(nxt) if r[i])
        return (cols[l][i], row[-1], tuple(inc), tuple(out))

    def refine(self, cf: list[list[int]], cg: list[list[int]]) -> tuple[list[list[int]], list[list[int]]] | None:
        """Refine both colourings with one shared table until the number of classes is stable (None: over the limit)."""
        count = len({c for cols in (cf, cg) for layer in cols[1:-1] for c in layer})
        while True:
            self.used += 1
            if self.used > self.limit:
                return None
            table: dict[tuple, int] = {}
            new = []
            for rows, cols in ((self.rf, cf), (self.rg, cg)):
                nc = [list(cols[0])] + [[table.setdefault((l, self._signature(rows, cols, l, i)), len(table))
                                         for i in range(len(cols[l]))] for l in range(1, self.hidden + 1)]
                nc.append(list(cols[-1]))
                new.append(nc)
            n = len({c for cols in new for layer in cols[1:-1] for c in layer})
            cf, cg = new
            if n == count:
                return cf, cg
            count = n

    def search(self, cf: list[list[int]], cg: list[list[int]]) -> Symmetry | None:
        refined = self.refine(cf, cg)
        if refined is None:
            return None
        cf, cg = refined
        best = None
        for l in range(1, self.hidden + 1):
            if Counter(cf[l]) != Counter(cg[l]):
                return None  # no bijection respects the colours
            sizes = Counter(cf[l])
            multi = [i for i, c in enumerate(cf[l]) if sizes[c] > 1]
            if multi and best is None:
                best = (l, multi[0])
        if best is None:
            return self._candidate(cf, cg)
        l, i = best
        fresh = 1 + max(c for cols in (cf, cg) for layer in cols for c in layer)
        for j in [j for j, c in enumerate(cg[l]) if c == cf[l][i]]:
            nf, ng = [list(x) for x in cf], [list(x) for x in cg]
            nf[l][i] = ng[l][j] = fresh
            found = self.search(nf, ng)
            if found is not None or self.used > self.limit:
                return found
        return None

    def _candidate(self, cf: list[list[int]], cg: list[list[int]]) -> Symmetry | None:
        """The permutation of discrete colourings, its scales, re-checked exactly."""
        out = []
        for l in range(1, self.hidden + 1):
            where = {c: j for j, c in enumerate(cg[l])}
            perm = tuple(where[c] for c in cf[l])
            out.append((perm, tuple(self.sg[l - 1][j] / self.sf[l - 1][i] for i, j in enumerate(perm))))
        sym = tuple(out)
        try:
            check_symmetry(*self.nets, symmetry_json(sym))
        except CertificateRejected:
            return None
        return sym


def find_symmetry(f: Network, g: Network, *, limit: int = SEARCH_LIMIT) -> Symmetry | None:
    """Permutations and positive scales of the hidden layers that turn *f* into *g*, or None.

    Complete (design note): None means that no symmetry exists, or that *limit* refinements
    did not settle the search, or that one needs a scale other than 1 on a dead neuron with neither
    incoming weights nor a path to an output.

    >>> from symrep.networks.network import Layer
    >>> f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1]], "identity")])
    >>> g = Network([Layer([[0, 2], [1, 0]], "relu"), Layer([["-1/2", 1]], "identity")])
    >>> [(p, [str(c) for c in s]) for p, s in find_symmetry(f, g)]
    [((1, 0), ['1', '2'])]
    >>> find_symmetry(f, Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, 1]], "identity")])) is None
    True
    """
    if f.widths != g.widths or [a.activation for a in f.layers] != [b.activation for b in g.layers]:
        return None
    if all(a.weights == b.weights and a.bias == b.bias for a, b in zip(f.layers, g.layers)):
        return tuple((tuple(range(w)), (Fraction(1),) * w) for w in f.widths[1:-1])  # identical: no search
    s = _Search(f, g, limit)
    ends = ([list(range(f.widths[0]))], [[-1 - k for k in range(f.widths[-1])]])  # fixed, distinct from hidden colours
    cf = ends[0] + [[-10**9] * w for w in f.widths[1:-1]] + ends[1]
    cg = [list(x) for x in cf]
    try:
        return s.search(cf, cg)
    except RecursionError:  # pragma: no cover - depth is bounded by the neurons, and the limit comes first
        return None


def symmetry_json(sym: Symmetry) -> list[dict[str, Any]]:
    """The witness entries, one per hidden layer (numbers as exact strings)."""
    return [{"permutation": list(p), "scales": [format_number(c) for c in s]} for p, s in sym]


def check_symmetry(f: Network, g: Network, entries: Any) -> None:
    """Re-check a symmetry witness (see the design note); raises CertificateRejected.

    >>> from symrep.networks.network import Layer
    >>> f = Network([Layer([[1], [2]], "relu"), Layer([[2, 1]], "identity")])   # 2 relu(x) + relu(2x)
    >>> check_symmetry(f, f, [{"permutation": [1, 0], "scales": ["2", "1/2"]}])  # the two neurons swapped
    >>> check_symmetry(f, f, [{"permutation": [0, 1], "scales": ["2", "1"]}])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symrep.errors.CertificateRejected: witness: symmetry: layer 1, neuron 0 of the first network is not ...
    """
    where = "witness: symmetry"
    if f.widths != g.widths or [a.activation for a in f.layers] != [b.activation for b in g.layers]:
        raise CertificateRejected(f"{where}: the networks differ in widths or activations")
    if not isinstance(entries, list) or len(entries) != f.depth - 1:
        raise CertificateRejected(f"{where}: expected one entry per hidden layer ({f.depth - 1})")
    perm: list[int] = list(range(f.widths[0]))
    scale = [Fraction(1)] * f.widths[0]
    for li, (lf, lg) in enumerate(zip(f.layers, g.layers), 1):
        if li < f.depth:
            p, c = _entry(entries[li - 1], lf.width, f"{where}[{li - 1}]")
        else:
            p, c = list(range(lf.width)), [Fraction(1)] * lf.width
        for i in range(lf.width):
            wg, wf = lg.weights[p[i]], lf.weights[i]
            if lg.bias[p[i]] != c[i] * lf.bias[i] or any(wg[perm[k]] * scale[k] != c[i] * wf[k] for k in range(len(perm))):
                raise CertificateRejected(f"{where}: layer {li}, neuron {i} of the first network is not its scale "
                                          f"times neuron {p[i]} of the second")
        perm, scale = p, c


def _entry(e: Any, width: int, where: str) -> tuple[list[int], list[Fraction]]:
    if not isinstance(e, dict) or set(e) != {"permutation", "scales"}:
        raise CertificateRejected(f"{where}: expected {{permutation, scales}}")
    p, s = e["permutation"], e["scales"]
    if not isinstance(p, list) or sorted(x for x in p if type(x) is int) != list(range(width)):
        raise CertificateRejected(f"{where}: permutation is not a permutation of the {width} neurons")
    if not isinstance(s, list) or len(s) != width or not all(isinstance(x, str) for x in s):
        raise CertificateRejected(f"{where}: scales must be {width} exact numbers")
    try:
        c = [to_fraction(x) for x in s]
    except ValueError as err:  # InputError is a ValueError: the message says which number
        raise CertificateRejected(f"{where}: scales: {err}") from None
    if any(x <= 0 for x in c):
        raise CertificateRejected(f"{where}: scales must be positive")
    return p, c
