"""Linear regions of ReLU networks: exact piecewise-affine descriptions.

A network of ``relu`` and ``identity`` layers is continuous and piecewise
affine in its input.  :func:`linear_regions` lists its linear regions, each
with its activation pattern, its polyhedron (exact linear inequalities in the
input ``x0, x1, ...``), a rational point inside it and the affine map
``W x + c`` the network computes there.  :func:`network_expression` gives the
same function as SymPy expressions (``Max`` or ``Piecewise``).

Design note
-----------
*Splitting, not listing.*  Regions are found by a depth-first splitting tree
(:class:`Splitter`), which the certificate of ``equal_functions`` also uses.
A node is a *cell*: the domain intersected with one strict condition per
neuron decided so far.  Neurons are decided layer by layer (a neuron's
pre-activation ``p(x) = w . x + c`` is affine on the cell because every neuron
of the earlier layers has a fixed state there), and a node splits on the next
neuron into the children ``p > 0`` ("+", active) and ``p < 0`` ("-", inactive).
A child that is empty is pruned with a Motzkin/Farkas certificate from
:mod:`symrep.lp`; the other ``2^N`` patterns below it are never looked at.
Each non-empty node carries a rational point in it, so one child is usually
known non-empty without an LP (the parent's point lies on one side), and an
anti-parallel earlier cut proves the other child empty without an LP.  When
the domain has interior points, the LPs make its inequalities strict too, so
every point found is interior (a certificate that needed that strictness is
recomputed for the closed domain, which is also empty then).

*Boundaries.*  A leaf cell is where all neurons have strict signs, so the
network *is* the leaf's affine map on it, and by continuity on its closure:
the reported polyhedron is that closure, ``p >= 0`` for active and ``p <= 0``
for inactive neurons (plus the domain).  Points on the hyperplanes ``p = 0``
belong to no open cell but to the closure of one next to them (``C`` is convex
and ``p`` is not identically zero on it, so every point of ``C`` with ``p = 0``
is a limit of points with ``p != 0``), so the closed regions cover the domain.
Regions are therefore full-dimensional (for a box with ``lo < hi`` or all of
``R^n``; for a lower-dimensional domain, full-dimensional within it), two of them
meet only in their boundaries, and lower-dimensional pieces are never listed.

*Flat neurons.*  If both ``p > 0`` and ``p < 0`` are empty on a non-empty cell,
``p`` vanishes on the whole cell (e.g. a neuron with zero weights and bias, or
a domain inside the hyperplane); the neuron outputs 0 either way, and the node
has the single child ``p = 0`` ("0").  Such a neuron is reported inactive, and
listed in :attr:`Region.flat`.

*Bounds.*  The number of regions can be exponential; a bound on regions or
seconds ends the enumeration with ``complete=False`` ("undecided within the
bound"), never with a wrong list.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence

from symrep.exact import lp
from symrep.errors import InputError, InternalError, ShapeError
from symrep.exact.numbers import Matrix, Vector, as_vector, format_number, to_fraction
from symrep.exact.lp import Constraint, System, linear_text
from symrep.networks.network import Network

__all__ = [
    "AffineMap",
    "Leaf",
    "Progress",
    "Region",
    "Regions",
    "Splitter",
    "as_domain",
    "domain_json",
    "linear_regions",
    "network_expression",
    "split_order",
]

_ZERO = Fraction(0)
#: What a bounded run reports instead of a verdict.
UNDECIDED = "undecided within the bound"

Row = tuple[Fraction, ...]  # an affine function of x: (w_0, ..., w_{n-1}, c)
Neuron = tuple[int, int, int]  # (network index, layer 1..depth, neuron index)


@dataclass(frozen=True)
class AffineMap:
    """The affine map ``x -> weights @ x + bias`` (``weights`` is ``outputs x inputs``).

    >>> m = AffineMap(((Fraction(1), Fraction(-1)),), (Fraction(2),))
    >>> m([3, 1]), str(m)
    ((Fraction(4, 1),), 'y0 = x0 - x1 + 2')
    """

    weights: Matrix
    bias: Vector

    @classmethod
    def of_rows(cls, rows: Sequence[Row]) -> "AffineMap":
        return cls(tuple(tuple(r[:-1]) for r in rows), tuple(r[-1] for r in rows))

    def to_sympy(self) -> tuple[Any, Any]:
        """``(W, c)`` as ``ImmutableMatrix`` objects (c a column): the map is ``x -> W x + c``."""
        from symrep.exact.symbolic import matrix_to_sympy, vector_to_sympy

        return matrix_to_sympy(self.weights), vector_to_sympy(self.bias)

    def rows(self) -> tuple[Row, ...]:
        """One affine row ``(w..., c)`` per output."""
        return tuple(tuple(w) + (c,) for w, c in zip(self.weights, self.bias))

    def __call__(self, x: Sequence[Any]) -> Vector:
        x = [q if isinstance(q, Fraction) else to_fraction(q) for q in x]
        return tuple(sum((w * v for w, v in zip(row, x) if w), c) for row, c in zip(self.weights, self.bias))

    def __str__(self) -> str:
        out = []
        for k, (row, c) in enumerate(zip(self.weights, self.bias)):
            lin = linear_text(row)
            if c:
                lin = format_number(c) if lin == "0" else f"{lin} {'-' if c < 0 else '+'} {format_number(abs(c))}"
            out.append(f"y{k} = {lin}")
        return "\n".join(out)


def _eval(row: Row, x: Sequence[Fraction]) -> Fraction:
    return sum((w * v for w, v in zip(row, x) if w), row[-1])


def _apply(layer, rows: Sequence[Row], n: int) -> tuple[Row, ...]:
    """Pre-activations of *layer* as affine rows, given its inputs as affine rows."""
    out = []
    for wrow, b in zip(layer.weights, layer.bias):
        acc = [_ZERO] * n + [b]
        for w, r in zip(wrow, rows):
            if w:
                for t, v in enumerate(r):
                    if v:
                        acc[t] += w * v
        out.append(tuple(acc))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# domains


def as_domain(domain: Any, n: int) -> System:
    """A closed domain in ``R^n`` as a :class:`~symrep.lp.System`.

    *domain* is ``None`` (all of ``R^n``), a box ``[[lo, hi], ...]`` (one pair per
    coordinate; rows ``-x_i <= -lo`` and ``x_i <= hi``), a list of constraints
    (:class:`~symrep.lp.Constraint`, ``(coefficients, relation, bound)`` triples or
    ``{"coefficients", "relation", "bound"}`` dicts, relations ``<=``, ``>=``,
    ``==``) or a :class:`~symrep.lp.System`.

    >>> print(as_domain([[0, 1], [0, 2]], 2))
    -x0 <= 0
    x0 <= 1
    -x1 <= 0
    x1 <= 2
    >>> print(as_domain([([1, -1], "==", 0)], 2))
    x0 - x1 == 0
    >>> as_domain([[1, 0]], 1)
    Traceback (most recent call last):
    ...
    symrep.errors.InputError: domain: box coordinate 0 has lo = 1 > hi = 0
    """
    if domain is None:
        return System((), n)
    if isinstance(domain, System):
        system = domain
    else:
        if isinstance(domain, (str, bytes, dict)) or not isinstance(domain, Sequence):
            raise InputError(f"domain: expected a box [[lo, hi], ...] or a list of constraints, got {type(domain).__name__}")
        items = list(domain)
        if items and all(_is_pair(p) for p in items):
            if len(items) != n:
                raise ShapeError(f"domain: the box has {len(items)} coordinates but the network takes {n} inputs")
            for i, (lo, hi) in enumerate(items):
                lo, hi = to_fraction(lo, f"domain[{i}][0]"), to_fraction(hi, f"domain[{i}][1]")
                if lo > hi:
                    raise InputError(f"domain: box coordinate {i} has lo = {format_number(lo)} > hi = {format_number(hi)}")
            system = System.box(items)
        else:
            system = System(items, n)
    if system.dimension != n:
        raise ShapeError(f"domain: constraints have {system.dimension} coefficients but the network takes {n} inputs")
    if not system.closed:
        raise InputError("domain: strict inequalities are not allowed (a domain is closed: use <=, >= or ==)")
    return system


def _is_pair(p: Any) -> bool:
    return (isinstance(p, Sequence) and not isinstance(p, (str, bytes)) and len(p) == 2
            and not any(isinstance(v, (Sequence, dict)) and not isinstance(v, str) for v in p))


def domain_json(domain: System) -> list[dict[str, Any]]:
    """The domain's constraints as JSON (numbers as strings ``"p/q"``), in row order.

    >>> domain_json(as_domain([([1, 2], ">=", "1/2")], 2))
    [{'coefficients': ['-1', '-2'], 'relation': '<=', 'bound': '-1/2'}]
    """
    return [{"coefficients": [format_number(q) for q in c.coefficients], "relation": c.relation,
             "bound": format_number(c.bound)} for c in domain.constraints]


# ---------------------------------------------------------------------------------------------
# the splitting tree


def split_order(networks: Sequence[Network]) -> tuple[Neuron, ...]:
    """The order in which neurons are split: by layer, then by network, then by neuron.

    Entries are ``(network, layer, neuron)`` with layers numbered from 1; only
    ``relu`` layers are split (an identity layer is affine everywhere).

    >>> from symrep.network import Layer
    >>> f = Network([Layer([[1], [2]], "relu"), Layer([[1, 1]], "identity")])
    >>> split_order([f, f])
    ((0, 1, 0), (0, 1, 1), (1, 1, 0), (1, 1, 1))
    """
    out: list[Neuron] = []
    for l in range(1, max(net.depth for net in networks) + 1):
        for a, net in enumerate(networks):
            if l <= net.depth and net.layers[l - 1].activation == "relu":
                out.extend((a, l, j) for j in range(net.layers[l - 1].width))
    return tuple(out)


@dataclass(frozen=True)
class _NetState:
    """One network along a path: ``layer`` (0-based) is the relu layer being decided."""

    layer: int
    inputs: tuple[Row, ...]  # affine rows feeding `layer` (its outputs when layer == depth)
    pre: tuple[Row, ...]  # pre-activations of `layer` (none past the last layer)
    states: tuple[str | None, ...]


def _settle(net: Network, layer: int, inputs: tuple[Row, ...], n: int) -> _NetState:
    while layer < net.depth and net.layers[layer].activation == "identity":
        inputs = _apply(net.layers[layer], inputs, n)
        layer += 1
    if layer == net.depth:
        return _NetState(layer, inputs, (), ())
    return _NetState(layer, inputs, _apply(net.layers[layer], inputs, n), (None,) * net.layers[layer].width)


def _start(net: Network, n: int) -> _NetState:
    ident = tuple(tuple(Fraction(int(i == j)) for j in range(n + 1)) for i in range(n))
    return _settle(net, 0, ident, n)


def _decide(s: _NetState, net: Network, j: int, ch: str, n: int) -> _NetState:
    states = s.states[:j] + (ch,) + s.states[j + 1:]
    if any(v is None for v in states):
        return _NetState(s.layer, s.inputs, s.pre, states)
    zero = (_ZERO,) * (n + 1)
    outputs = tuple(p if v == "+" else zero for p, v in zip(s.pre, states))
    return _settle(net, s.layer + 1, outputs, n)


def _cut(p: Row, ch: str) -> Constraint:
    """The strict (or equality) condition of a path step on pre-activation ``p``."""
    w, c = p[:-1], p[-1]
    if ch == "+":  # p > 0  <=>  -w.x < c
        return Constraint(tuple(-v for v in w), "<", c)
    if ch == "-":  # p < 0  <=>  w.x < -c
        return Constraint(w, "<", -c)
    return Constraint(w, "==", -c)  # p = 0


def _closed(p: Row, ch: str) -> Constraint:
    """The closed condition of a region: ``p >= 0`` (active) or ``p <= 0`` (inactive or flat)."""
    w, c = p[:-1], p[-1]
    if ch == "+":
        return Constraint(tuple(-v for v in w), "<=", c)
    return Constraint(w, "<=", -c)


@dataclass(frozen=True)
class Leaf:
    """A leaf of the splitting tree.

    ``path`` has one character per neuron of the split order decided on the way
    down: ``+`` (pre-activation ``> 0``), ``-`` (``< 0``), ``0`` (``== 0`` on the
    whole cell).  ``cuts`` holds those pre-activations as affine rows ``(w..., c)``.
    The cell is ``constraints``: the domain's rows, then one row per path step.
    A non-empty leaf has decided every neuron and has ``point`` (in the cell) and
    ``maps`` (the affine map of each network on the cell); an empty leaf has
    ``multipliers``, a certificate (:func:`symrep.lp.is_farkas_certificate`)
    that its cell is empty.
    """

    path: str
    cuts: tuple[Row, ...]
    domain: System = field(repr=False)
    point: Vector | None = None
    multipliers: Vector | None = None
    maps: tuple[AffineMap, ...] | None = None

    @property
    def empty(self) -> bool:
        return self.point is None

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        """The cell: the domain's rows, then ``p > 0`` / ``p < 0`` / ``p == 0`` per path step."""
        return self.domain.constraints + tuple(_cut(p, ch) for p, ch in zip(self.cuts, self.path))

    @property
    def closed_constraints(self) -> tuple[Constraint, ...]:
        """The closed region: the domain's rows, then ``p >= 0`` (``+``) or ``p <= 0`` (``-``, ``0``)."""
        return self.domain.constraints + tuple(_closed(p, ch) for p, ch in zip(self.cuts, self.path))


@dataclass(frozen=True)
class Progress:
    """Counts reported to a progress callback (and kept as statistics)."""

    regions: int = 0
    empty: int = 0
    nodes: int = 0
    lp_calls: int = 0
    lp_seconds: float = 0.0
    seconds: float = 0.0
    done: bool = False


class Splitter:
    """The depth-first splitting tree over the neurons of one or more networks.

    All networks take the same inputs; splitting on the neurons of several
    networks gives the common refinement of their regions (used by
    :func:`symrep.functions.equal_functions`).

    Parameters
    ----------
    networks
        The networks (same number of inputs).
    domain
        ``None`` (all of ``R^n``) or anything :func:`as_domain` accepts.
    order
        The split order, default :func:`split_order`.  It must list every neuron
        of every relu layer once, layers of each network in increasing order.

    Examples
    --------
    >>> from symrep.network import Layer
    >>> f = Network([Layer([[1], [-1]], "relu"), Layer([[1, 1]], "identity")])   # |x|
    >>> leaves = sorted(Splitter([f]).leaves(), key=lambda leaf: leaf.path)
    >>> [(leaf.path, leaf.empty) for leaf in leaves]
    [('++', True), ('+-', False), ('-+', False), ('--', True)]
    >>> [str(leaf.maps[0]) for leaf in leaves if not leaf.empty]
    ['y0 = x0', 'y0 = -x0']
    """

    def __init__(self, networks: Sequence[Network], domain: Any = None, order: Sequence[Neuron] | None = None):
        networks = tuple(networks)
        if not networks or not all(isinstance(f, Network) for f in networks):
            raise InputError("expected one or more Network objects")
        n = networks[0].widths[0]
        for f in networks[1:]:
            if f.widths[0] != n:
                raise ShapeError(f"the networks take different numbers of inputs ({n} and {f.widths[0]})")
        self.networks, self.n = networks, n
        self.domain = as_domain(domain, n)
        self.order = _check_order(tuple(split_order(networks) if order is None else (tuple(o) for o in order)), networks)
        self._open: tuple[Constraint, ...] | None = None
        self._t0 = time.perf_counter()
        self._lp_calls, self._lp_seconds, self._nodes, self._regions, self._empty = 0, 0.0, 0, 0, 0

    def progress(self, done: bool = False) -> Progress:
        """Current counts."""
        return Progress(self._regions, self._empty, self._nodes, self._lp_calls, self._lp_seconds,
                        time.perf_counter() - self._t0, done)

    def _lp(self, constraints: tuple[Constraint, ...]) -> lp.Feasible | lp.Infeasible:
        t = time.perf_counter()
        r = lp.feasible(System(constraints, self.n))
        self._lp_seconds += time.perf_counter() - t
        self._lp_calls += 1
        return r

    def _feasible(self, constraints: tuple[Constraint, ...]) -> lp.Feasible | lp.Infeasible:
        """Decide a cell given by the closed domain rows followed by path rows.

        When the domain has interior points, its inequality rows are made strict so
        that the point found is interior; a certificate that relies on that
        strictness is replaced by one for the closed rows (which exists: a cell
        open in a domain with interior points meets the interior if it is non-empty).
        """
        if self._open is None:
            return self._lp(constraints)
        k = len(self._open)
        r = self._lp(self._open + constraints[k:])
        if isinstance(r, lp.Feasible) or lp.is_farkas_certificate(System(constraints, self.n), r.multipliers):
            return r
        return self._lp(constraints)

    def leaves(self) -> Iterator[Leaf]:
        """Every leaf, depth first (``+`` before ``-`` before ``0``), empty leaves included."""
        n, dom = self.n, self.domain
        self._open = None
        if dom.constraints:
            r = self._lp(dom.constraints)
            if isinstance(r, lp.Infeasible):
                self._empty += 1
                yield Leaf("", (), dom, multipliers=r.multipliers)
                return
            point = r.point
            if any(not c.equality for c in dom.constraints):
                opened = tuple(c if c.equality else Constraint(c.coefficients, "<", c.bound) for c in dom.constraints)
                inner = self._lp(opened)
                if isinstance(inner, lp.Feasible):  # the domain has (relative) interior points: keep region points inside
                    self._open, point = opened, inner.point
        else:
            point = (_ZERO,) * n
        root_states = tuple(_start(f, n) for f in self.networks)
        root_keys = tuple(None if c.equality else _direction(c.coefficients) for c in dom.constraints)
        # (path, cuts, cell rows, their direction keys, a point of the cell, each network's state)
        stack: list[tuple[str, tuple[Row, ...], tuple[Constraint, ...], tuple[Any, ...], Vector, tuple[_NetState, ...]]]
        stack = [("", (), dom.constraints, root_keys, point, root_states)]
        depth_max = len(self.order)
        while stack:
            path, cuts, rows, keys, x, states = stack.pop()
            self._nodes += 1
            k = len(path)
            if k == depth_max:
                self._regions += 1
                maps = tuple(AffineMap.of_rows(s.inputs) for s in states)
                yield Leaf(path, cuts, dom, point=x, maps=maps)
                continue
            a, layer, j = self.order[k]
            p = states[a].pre[j]
            v = _eval(p, x)
            kids: dict[str, Any] = {}
            key = _direction(p[:-1])  # of the "-" row w.x < -c; the "+" row has the opposite direction
            for ch in "+-":
                row = _cut(p, ch)
                if (v > 0) if ch == "+" else (v < 0):
                    kids[ch] = x
                    continue
                cert = _quick_certificate(rows, keys, row, _negated(key) if ch == "+" else key)
                if cert is None:
                    r = self._feasible(rows + (row,))
                    kids[ch], cert = (r.point, None) if isinstance(r, lp.Feasible) else (None, r.multipliers)
                else:
                    kids[ch] = None
                if kids[ch] is None:
                    self._empty += 1
                    yield Leaf(path + ch, cuts + (p,), dom, multipliers=cert)
            if kids["+"] is None and kids["-"] is None:
                if v != 0:  # pragma: no cover - would contradict the certificates just checked
                    raise lp.LPError("internal error: both sides empty at a point off the hyperplane")
                kids["0"] = x
            for ch in "0-+":  # pushed in reverse, so "+" is explored first
                y = kids.get(ch)
                if y is not None:
                    row = _cut(p, ch)
                    child = tuple(_decide(s, self.networks[a], j, ch, n) if b == a else s for b, s in enumerate(states))
                    k2 = None if ch == "0" else (_negated(key) if ch == "+" else key)
                    stack.append((path + ch, cuts + (p,), rows + (row,), keys + (k2,), y, child))


def _direction(a: Sequence[Fraction]):
    """``(v, s)`` with ``a == s * v``, ``v`` a primitive integer vector and ``s > 0`` (None for ``a == 0``).

    Rows are parallel with the same orientation exactly when their ``v`` are equal.
    """
    if not any(a):
        return None
    L = math.lcm(*(q.denominator for q in a))
    ints = [q.numerator * (L // q.denominator) for q in a]
    g = math.gcd(*ints)
    return tuple(v // g for v in ints), Fraction(g, L)


def _negated(key):
    return None if key is None else (tuple(-v for v in key[0]), key[1])


def _quick_certificate(rows: Sequence[Constraint], keys: Sequence[Any], new: Constraint, key) -> Vector | None:
    """A certificate without an LP when *new* is trivially infeasible or opposes an earlier row.

    ``new`` is strict.  If its coefficients are zero, ``0 < b`` with ``b <= 0`` is
    infeasible on its own; if they are ``-mu`` times those of an inequality row
    ``r`` (``mu > 0``) with ``mu * b_r + b <= 0``, then ``mu * r + new`` is a
    certificate.  ``keys[i]`` is :func:`_direction` of inequality row ``i`` (None
    for equalities), ``key`` that of *new*.
    """
    b = new.bound
    m = len(rows)
    if key is None:
        return (_ZERO,) * m + (Fraction(1),) if b <= 0 else None
    opposite = tuple(-v for v in key[0])
    for i, k in enumerate(keys):
        if k is not None and k[0] == opposite:
            mu = key[1] / k[1]
            if mu * rows[i].bound + b <= 0:
                y = [_ZERO] * m + [Fraction(1)]
                y[i] = mu
                return tuple(y)
    return None


def _check_order(order: tuple[tuple[int, ...], ...], networks: Sequence[Network]) -> tuple[Neuron, ...]:
    """*order* as neurons, once it is shown to list every relu neuron once, layers in increasing order."""
    want = set(split_order(networks))
    if len(order) != len(want) or set(order) != want:
        raise InputError("split order must list every neuron of every relu layer exactly once")
    current = [0] * len(networks)
    for a, l, _ in order:
        if l < current[a]:
            raise InputError(f"split order: network {a} layer {l} comes after a later layer")
        current[a] = l
    return tuple((a, l, j) for a, l, j in order)


def _patterns(path: str, order: Sequence[Neuron], networks: Sequence[Network]):
    pats = [[[0] * lay.width for lay in f.layers] for f in networks]  # identity layers stay None below
    flat: list[list[tuple[int, int]]] = [[] for _ in networks]
    for (a, l, j), ch in zip(order, path):
        pats[a][l - 1][j] = 1 if ch == "+" else 0
        if ch == "0":
            flat[a].append((l, j))
    return ([tuple(None if lay.activation == "identity" else tuple(p) for p, lay in zip(pat, f.layers))
             for pat, f in zip(pats, networks)],
            [tuple(sorted(fl)) for fl in flat])


# ---------------------------------------------------------------------------------------------
# regions of one network


@dataclass(frozen=True)
class Region:
    """A linear region of a network.

    Attributes
    ----------
    pattern
        One entry per layer: for a relu layer a tuple with 1 (active) or 0
        (inactive) per neuron, for an identity layer ``None``.
    constraints
        The closed polyhedron: the domain's rows, then one row per relu neuron in
        split order (``p >= 0`` if active, ``p <= 0`` if inactive), where ``p``
        is the neuron's pre-activation as an affine function of the input.
    neurons
        ``(layer, neuron)`` of each neuron row, parallel to the rows after the domain's.
    point
        A rational interior point: every non-flat neuron's pre-activation is non-zero
        there, and it satisfies the domain's inequalities strictly when the domain
        has interior points (relative to its equalities).
    map
        The affine map the network computes on the region.
    flat
        ``(layer, neuron)`` of neurons whose pre-activation is identically zero on the region.
    """

    pattern: tuple[tuple[int, ...] | None, ...]
    constraints: tuple[Constraint, ...]
    neurons: tuple[tuple[int, int], ...]
    point: Vector
    map: AffineMap
    flat: tuple[tuple[int, int], ...] = ()

    def to_sympy(self) -> dict[str, Any]:
        """``{"point": column, "map": (W, c)}``: the region's rational point and its affine map as SymPy matrices."""
        from symrep.exact.symbolic import vector_to_sympy

        return {"point": vector_to_sympy(self.point), "map": self.map.to_sympy()}

    def contains(self, x: Sequence[Any]) -> bool:
        """Whether *x* lies in the closed region."""
        return all(c.holds(x) for c in self.constraints)

    def __str__(self) -> str:
        pat = " ".join("".join(map(str, p)) for p in self.pattern if p is not None)
        rows = "\n".join(f"  {c}" for c in self.constraints) or "  (everywhere)"
        return f"pattern {pat or '-'}:\n{rows}\n  " + str(self.map).replace("\n", "\n  ")


@dataclass(frozen=True)
class Regions:
    """The result of :func:`linear_regions`.

    ``complete`` is False when a bound stopped the enumeration: ``regions`` then
    lists the regions found so far and ``status`` is ``"undecided within the bound"``.
    """

    regions: tuple[Region, ...]
    complete: bool
    reason: str | None
    stats: Progress
    domain: System = field(repr=False)

    @property
    def status(self) -> str:
        return "complete" if self.complete else UNDECIDED

    def __len__(self) -> int:
        return len(self.regions)

    def __iter__(self):
        return iter(self.regions)

    def __getitem__(self, k):
        return self.regions[k]

    def region_of(self, x: Sequence[Any]) -> Region | None:
        """The first region whose closed polyhedron contains *x* (None outside the domain)."""
        x = as_vector(x, "point")
        return next((r for r in self.regions if r.contains(x)), None)

    def evaluate(self, x: Sequence[Any]) -> Vector:
        """The network's output at *x*, from the regions (raises for points outside the domain)."""
        r = self.region_of(x)
        if r is None:
            raise InputError("the point lies in no listed region (outside the domain, or the list is incomplete)")
        return r.map(as_vector(x, "point"))


def linear_regions(
    net: Network,
    domain: Any = None,
    *,
    max_regions: int | None = None,
    max_seconds: float | None = None,
    progress: Callable[[Progress], Any] | None = None,
) -> Regions:
    """The linear regions of *net* on *domain* (default all of ``R^n``), exactly.

    Parameters
    ----------
    net
        The network (relu and identity layers).
    domain
        ``None``, a box ``[[lo, hi], ...]`` or linear constraints (see :func:`as_domain`).
    max_regions, max_seconds
        Bounds; when one is hit the result has ``complete=False`` and status
        ``"undecided within the bound"``.
    progress
        Called with a :class:`Progress` after each region found and once at the end.

    Examples
    --------
    >>> from symrep.network import Layer
    >>> f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1]], "identity")])
    >>> R = linear_regions(f)
    >>> len(R), R.complete, [r.pattern for r in R]
    (4, True, [((1, 1), None), ((1, 0), None), ((0, 1), None), ((0, 0), None)])
    >>> print(R[1])
    pattern 10:
      -x0 <= 0
      x1 <= 0
      y0 = x0
    >>> R.evaluate([2, -5])
    (Fraction(2, 1),)
    >>> len(linear_regions(f, [[0, 1], [0, 1]]))
    1
    >>> linear_regions(f, [[-1, 1], [-1, 1]], max_regions=2).status
    'undecided within the bound'
    """
    if not isinstance(net, Network):
        raise InputError(f"expected a Network, got {type(net).__name__}")
    _check_bounds(max_regions, max_seconds)
    sp = Splitter([net], domain)
    deadline = None if max_seconds is None else time.perf_counter() + max_seconds
    found: list[Region] = []
    complete, reason = True, None
    for leaf in sp.leaves():
        if deadline is not None and time.perf_counter() > deadline:
            complete, reason = False, f"time bound of {max_seconds} s reached"
            break
        if leaf.empty:
            continue
        if max_regions is not None and len(found) >= max_regions:
            complete, reason = False, f"more than {max_regions} regions"
            break
        found.append(_region(leaf, sp))
        if progress is not None:
            progress(sp.progress())
    stats = sp.progress(done=True)
    if progress is not None:
        progress(stats)
    return Regions(tuple(found), complete, reason, stats, sp.domain)


def _check_bounds(max_regions: Any, max_seconds: Any) -> None:
    if max_regions is not None and (isinstance(max_regions, bool) or not isinstance(max_regions, int) or max_regions < 0):
        raise InputError(f"max_regions must be a non-negative integer, got {max_regions!r}")
    if max_seconds is not None and (isinstance(max_seconds, bool) or not isinstance(max_seconds, (int, float))
                                    or not max_seconds >= 0):  # `not >=` also refuses NaN
        raise InputError(f"max_seconds must be a non-negative number, got {max_seconds!r}")


def _region(leaf: Leaf, sp: Splitter) -> Region:
    (pattern,), (flat,) = _patterns(leaf.path, sp.order, sp.networks)
    neurons = tuple((l, j) for _, l, j in sp.order)
    if leaf.point is None or leaf.maps is None:  # the caller passes non-empty leaves only
        raise InternalError("internal error: a region from an empty leaf")
    return Region(pattern, leaf.closed_constraints, neurons, leaf.point, leaf.maps[0], flat)


# ---------------------------------------------------------------------------------------------
# SymPy


def network_expression(net: Network, symbols: Sequence[Any] | None = None, *, form: str = "max", domain: Any = None):
    """The network's outputs as SymPy expressions in the input symbols, exactly.

    Parameters
    ----------
    net
        The network.
    symbols
        One SymPy symbol per input; default real symbols ``x0, x1, ...``.
    form
        ``"max"``: composed expressions with ``Max(0, ...)`` for each relu neuron.
        ``"piecewise"``: a ``Piecewise`` over the linear regions (closed
        inequalities; on a shared boundary both pieces agree).
    domain
        For ``"piecewise"``: the domain of the regions (default all of ``R^n``).

    Returns
    -------
    tuple
        One expression per output.

    Examples
    --------
    >>> from symrep.network import Layer
    >>> f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1]], "identity")])
    >>> network_expression(f)
    (Max(0, x0) - Max(0, x1),)
    >>> network_expression(f, form="piecewise")[0].args[1]
    (x0, (x0 >= 0) & (x1 <= 0))
    """
    import sympy

    n = net.widths[0]
    if symbols is None:
        symbols = [sympy.Symbol(f"x{i}", real=True) for i in range(n)]
    symbols = list(symbols)
    if len(symbols) != n:
        raise ShapeError(f"{len(symbols)} symbols given but the network takes {n} inputs")

    def q(v: Fraction):
        return sympy.Rational(v.numerator, v.denominator)

    if form == "max":  # the symbolic forward pass of Network: one object family
        return tuple(net.forward_sympy(symbols))
    if form != "piecewise":
        raise InputError(f"form {form!r} is not 'max' or 'piecewise'")
    R = linear_regions(net, domain)

    def affine(row, c):
        return sympy.Add(*[q(w) * s for w, s in zip(row, symbols) if w], q(c))

    out = []
    for k in range(net.widths[-1]):
        pieces = []
        for r in R:
            conds = []
            for c in r.constraints:
                lhs, rhs = affine(c.coefficients, 0), q(c.bound)
                cond = sympy.Eq(lhs, rhs) if c.equality else sympy.Le(lhs, rhs)
                if cond is not sympy.true:
                    conds.append(_tidy(cond, sympy))
            pieces.append((affine(r.map.weights[k], r.map.bias[k]), sympy.And(*conds)))
        out.append(sympy.Piecewise(*pieces))
    return tuple(out)


def _tidy(cond, sympy):
    """``-x0 <= 0`` as ``x0 >= 0``: flip a relation whose left side has only negative coefficients."""
    lhs, rhs = cond.lhs, cond.rhs
    if isinstance(cond, sympy.Le) and all(c < 0 for c in lhs.as_coefficients_dict().values()):
        return sympy.Ge(-lhs, -rhs)
    return cond
