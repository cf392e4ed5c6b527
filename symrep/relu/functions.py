"""Do two networks compute the same function?  Decided exactly, with a certificate either way.

:func:`equal_functions` decides whether networks ``f`` and ``g`` (same numbers of
inputs and outputs) agree at every point of ``R^n`` or of a closed domain (a box
or linear constraints).  ``False`` comes with a rational input where the outputs
differ; ``True`` with a *covering certificate* that
:func:`check_equal_functions_witness` re-checks with multiplication and addition
only.

Design note
-----------
*Method.*  The splitting tree of :class:`symrep.regions.Splitter` runs over the
neurons of both networks (their common refinement).  A node is a cell ``C``:
the domain intersected with one condition per neuron decided so far, ``p > 0``
("+"), ``p < 0`` ("-") or ``p == 0`` ("0"), where ``p`` is the neuron's
pre-activation, an affine function of the input on ``C`` because the neurons
of earlier layers are decided.  On a leaf cell every neuron has a fixed state,
so ``f`` and ``g`` *are* affine maps ``F`` and ``G`` there.  On each non-empty
leaf the two maps are compared: if some output ``d = F_k - G_k`` is not the zero
function, an LP looks for a point of the leaf where ``d > 0`` or ``d < 0``; that
point is a counterexample (checked by the exact forward pass of both networks).
If there is none, ``d`` vanishes on the leaf (possible only when the domain is
lower-dimensional) and the two infeasibility certificates are kept.

*Why the certificate proves equality everywhere.*  The certificate is the
splitting tree: the split order and one entry per leaf, keyed by its path.

1. *The leaves cover the domain.*  At a node ``C`` split on ``p``,
   ``C = (C and p > 0) u (C and p < 0) u (C and p == 0)``.  The checker requires
   the ``+`` and ``-`` children of every internal node.  If the ``0`` child is
   absent, some leaf with a point lies below ``+`` or ``-``: a point ``y`` of
   ``C`` with ``p(y) != 0``.  Then every ``x`` of ``C`` with ``p(x) = 0`` is a
   limit of points of the segment ``(x, y]``, which lie in ``C`` (convex) with
   ``p != 0`` on the same side as ``y``.  By induction, every point of the
   domain lies in the *closure* of some leaf cell.
2. *An empty leaf is empty.*  Its Motzkin multipliers ``y`` (``>= 0`` on
   inequalities) combine its rows to ``0 . x`` on the left and, on the right, a
   negative number, or zero with positive weight on a strict row: no point
   satisfies the rows.
3. *On a non-empty leaf, f = g on the closure of the cell.*  On the cell, each
   neuron's state is fixed, so ``f = F`` and ``g = G`` exactly (a ``0`` neuron
   outputs ``relu(0) = 0``).  Each output with ``F_k != G_k`` as functions has
   two Motzkin certificates: the cell with ``F_k - G_k > 0`` and with
   ``F_k - G_k < 0`` are both empty, so ``F_k = G_k`` on the cell.  ``f``,
   ``g``, ``F``, ``G`` are continuous, so ``f = g`` on the closure.

By 1, every point of the domain is in the closure of a non-empty leaf, where
``f = g`` by 3.  The checker recomputes every pre-activation from the networks
(it never trusts the certificate's affine rows), so a certificate for other
networks or another domain fails.  The leaf's point is checked to lie in the
cell (strict rows strictly), which is what makes step 1 sound.

*Boundaries.*  Cells use strict inequalities, so the leaves are the
full-dimensional regions of the refinement and hyperplane pieces never become
leaves of their own (they are covered by closures, step 1).  Where the domain
lies in a neuron's hyperplane, neither strict side has a point, and the ``0``
child continues the tree.  With a full-dimensional domain every leaf cell is
open in it, so two affine maps agree on it only if they are identical: the
``zero_on_leaf`` certificates appear only for lower-dimensional domains (e.g. a
domain inside a hyperplane on which two different networks agree).

Certificate JSON
----------------
Numbers are strings ``"p"`` or ``"p/q"``.  Networks are referred to by their
position (0 = ``f``, 1 = ``g``), layers are numbered from 1, neurons from 0.

The domain (as in a claim) is ``null`` (all of ``R^n``), a box
``[["lo", "hi"], ...]`` (rows ``-x_i <= -lo``, ``x_i <= hi`` per coordinate, in
this order), or a list of constraints
``[{"coefficients": [...], "relation": "<=" | ">=" | "==", "bound": "b"}, ...]``
(``>=`` rows are negated to ``<=``).

Witness of ``false``::

    {"point": ["0", "1"], "values": [["-1", "-1"], ["0", "0"]]}

``point`` lies in the domain; ``values`` are the outputs of ``f`` and ``g`` there
(they differ).

Witness of ``true``::

    {"order": [[0, 1, 0], [0, 1, 1], [1, 1, 0], [1, 1, 1]],
     "leaves": [
       {"path": "++++", "point": ["1", "1"],
        "map": {"weights": [["1", "-1"], ["1", "-1"]], "bias": ["0", "0"]}},
       {"path": "+++-", "empty": [[1, "1"], [3, "1"]]},
       {"path": "--++", "point": ["-1", "-1"], "map": {...},
        "zero_on_leaf": [{"output": 0, "positive": [[0, "1"], [5, "1"]],
                          "negative": [[0, "-1"], [5, "1"]]}, ...]},
       ...]}

* ``order``: every neuron of every relu layer of both networks once, as
  ``[network, layer, neuron]``; the layers of each network in non-decreasing order.
  Step ``k`` of a path decides ``order[k]``.
* ``path``: characters ``+`` (pre-activation ``> 0``), ``-`` (``< 0``), ``0``
  (``== 0``).  Paths are distinct and none is a prefix of another; every proper
  prefix ``u`` of a path has both ``u+`` and ``u-`` as prefixes of paths; if
  ``u0`` is not, some leaf with a ``point`` lies below ``u+`` or ``u-``.
* The rows of a leaf's cell, in order: the domain's rows, then one row per path
  step with pre-activation ``p = w.x + c``: ``+`` is ``-w.x < c``, ``-`` is
  ``w.x < -c``, ``0`` is ``w.x == -c``.
* An empty leaf: ``empty`` holds the Motzkin multipliers of its rows, sparse:
  ``[[row, "y"], ...]`` (distinct rows numbered from 0; rows not listed have 0).
* A leaf with a ``point`` decides every neuron (its path has ``len(order)``
  characters); the point satisfies every row.  ``map`` (optional) is ``f``'s
  affine map on the cell (``weights`` is outputs x inputs).  ``zero_on_leaf``
  has one entry per output ``k`` whose maps differ, with ``d = F_k - G_k =
  u.x + u0``: ``positive`` (sparse, like ``empty``) certifies the rows plus
  ``-u.x < u0`` (``d > 0``) empty, ``negative`` the rows plus ``u.x < -u0`` (``d < 0``).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

from symrep.exact import lp
from symrep.errors import CertificateRejected, InputError, ShapeError
from symrep.exact.numbers import Vector, format_number
from symrep.exact.lp import Constraint, System
from symrep.networks.network import Network, forward
from symrep.relu.regions import UNDECIDED, AffineMap, Leaf, Neuron, Progress, Splitter, _check_bounds

__all__ = [
    "CertificateRejected",
    "Covering",
    "CoveringLeaf",
    "FunctionComparison",
    "check_equal_functions_witness",
    "check_motzkin",
    "equal_functions",
    "network_layers",
    "parse_domain",
]

_ZERO = Fraction(0)


@dataclass(frozen=True)
class CoveringLeaf:
    """One leaf of a covering certificate (see the module docstring)."""

    path: str
    point: Vector | None = None
    multipliers: Vector | None = None
    map: AffineMap | None = None
    #: ``(output, positive multipliers, negative multipliers)`` per output whose maps differ.
    zero_on_leaf: tuple[tuple[int, Vector, Vector], ...] = ()

    def to_json(self) -> dict[str, Any]:
        if self.point is None:
            return {"path": self.path, "empty": _sparse_strs(self.multipliers)}
        out: dict[str, Any] = {"path": self.path, "point": _strs(self.point)}
        if self.map is not None:
            out["map"] = {"weights": [_strs(r) for r in self.map.weights], "bias": _strs(self.map.bias)}
        if self.zero_on_leaf:
            out["zero_on_leaf"] = [{"output": k, "positive": _sparse_strs(p), "negative": _sparse_strs(q)}
                                   for k, p, q in self.zero_on_leaf]
        return out


@dataclass(frozen=True)
class Covering:
    """The certificate of ``f == g``: the splitting tree (split order and leaves, sorted by path)."""

    order: tuple[Neuron, ...]
    domain: System
    leaves: tuple[CoveringLeaf, ...]

    @property
    def regions(self) -> int:
        """Number of non-empty leaves."""
        return sum(1 for leaf in self.leaves if leaf.point is not None)

    def to_json(self) -> dict[str, Any]:
        """The witness of a ``true`` verdict (numbers as strings)."""
        return {"order": [list(o) for o in self.order], "leaves": [leaf.to_json() for leaf in self.leaves]}


@dataclass(frozen=True)
class FunctionComparison:
    """The result of :func:`equal_functions`.

    Attributes
    ----------
    verdict
        True (equal on the domain), False (a point where they differ) or None
        (undecided within the bound).
    point, values
        For False: a rational input in the domain and the two networks' outputs there.
    covering
        For True: the certificate (:class:`Covering`).
    reason
        For None: which bound was reached.
    stats
        Counts of the enumeration (regions = non-empty leaves of the refinement).
    """

    verdict: bool | None
    point: Vector | None = None
    values: tuple[Vector, Vector] | None = None
    covering: Covering | None = None
    reason: str | None = None
    stats: Progress = field(default_factory=Progress)

    @property
    def status(self) -> str:
        """``"true"``, ``"false"`` or ``"undecided within the bound"``."""
        return UNDECIDED if self.verdict is None else str(self.verdict).lower()

    def witness(self) -> dict[str, Any] | None:
        """The JSON witness (module docstring), or None when undecided."""
        if self.verdict is True:
            return self.covering.to_json()
        if self.verdict is False:
            return {"point": _strs(self.point), "values": [_strs(v) for v in self.values]}
        return None


def _strs(v: Sequence[Fraction]) -> list[str]:
    return [format_number(q) for q in v]


def _sparse_strs(v: Sequence[Fraction]) -> list[list]:
    return [[i, format_number(q)] for i, q in enumerate(v) if q]


def equal_functions(
    f: Network,
    g: Network,
    domain: Any = None,
    *,
    max_regions: int | None = 100_000,
    max_seconds: float | None = None,
    progress: Callable[[Progress], Any] | None = None,
    probes: int = 32,
) -> FunctionComparison:
    """Decide exactly whether *f* and *g* compute the same function on *domain*.

    Parameters
    ----------
    f, g
        Networks with the same numbers of inputs and outputs.
    domain
        ``None`` (all of ``R^n``), a box ``[[lo, hi], ...]`` or linear constraints
        (see :func:`symrep.regions.as_domain`).
    max_regions, max_seconds
        Bounds on the non-empty leaves of the common refinement and on time;
        reaching one gives verdict None ("undecided within the bound").
    progress
        Called with a :class:`~symrep.regions.Progress` after each region and at the end.
    probes
        How many small rational points of the domain to try first (a cheap search
        for a counterexample); 0 to skip.

    Examples
    --------
    Example 3.1 of the seed paper: the two networks differ, e.g. at (0, 1).

    >>> from symrep.network import Layer
    >>> W2 = Layer([[1, -1], [1, -1]], "identity")
    >>> f = Network([Layer([[1, 0], [0, 1]], "relu"), W2])
    >>> f_tilde = Network([Layer([[1, 0], [0, -1]], "relu"), W2])
    >>> r = equal_functions(f, f_tilde)
    >>> r.verdict, [str(v) for v in r.point], [[str(v) for v in out] for out in r.values]
    (False, ['0', '1'], [['-1', '-1'], ['0', '0']])

    Positive rescaling of a hidden neuron does not change the function:

    >>> g = Network([Layer([[2, 0], [0, 1]], "relu"), Layer([["1/2", -1], ["1/2", -1]], "identity")])
    >>> r = equal_functions(f, g)
    >>> r.verdict, r.covering.regions
    (True, 4)
    >>> check_equal_functions_witness(network_layers(f), network_layers(g), None, True, r.witness())
    """
    for name, net in (("f", f), ("g", g)):
        if not isinstance(net, Network):
            raise InputError(f"{name}: expected a Network, got {type(net).__name__}")
    if f.widths[0] != g.widths[0]:
        raise ShapeError(f"the networks take different numbers of inputs ({f.widths[0]} and {g.widths[0]})")
    if f.widths[-1] != g.widths[-1]:
        raise ShapeError(f"the networks have different numbers of outputs ({f.widths[-1]} and {g.widths[-1]})")
    _check_bounds(max_regions, max_seconds)
    sp = Splitter([f, g], domain)
    deadline = None if max_seconds is None else time.perf_counter() + max_seconds

    def differ(x: Vector) -> FunctionComparison | None:
        a, b = (tuple(col[0] for col in forward(net, [x])[-1]) for net in (f, g))
        if a != b:
            return FunctionComparison(False, x, (a, b), stats=sp.progress(done=True))
        return None

    def done(result: FunctionComparison) -> FunctionComparison:
        if progress is not None:
            progress(result.stats)
        return result

    for x in _probe_points(sp.domain, probes):
        r = differ(x)
        if r is not None:
            return done(r)

    leaves: list[CoveringLeaf] = []
    regions = 0
    for leaf in sp.leaves():
        if deadline is not None and time.perf_counter() > deadline:
            return done(FunctionComparison(None, reason=f"time bound of {max_seconds} s reached", stats=sp.progress(True)))
        if leaf.empty:
            leaves.append(CoveringLeaf(leaf.path, multipliers=leaf.multipliers))
            continue
        regions += 1
        if max_regions is not None and regions > max_regions:
            return done(FunctionComparison(None, reason=f"more than {max_regions} regions", stats=sp.progress(True)))
        F, G = leaf.maps
        zero_on_leaf = []
        if F != G:
            for k, (u, v) in enumerate(zip(F.rows(), G.rows())):
                if u == v:
                    continue
                d = tuple(s - t for s, t in zip(u, v))
                point, certs = _point_where_nonzero(sp, leaf, d)
                if point is not None:
                    r = differ(point)
                    if r is None:  # pragma: no cover - the leaf's maps are the networks on the cell
                        raise lp.LPError("internal error: a point where the leaf maps differ is not a counterexample")
                    return done(r)
                zero_on_leaf.append((k,) + certs)
        leaves.append(CoveringLeaf(leaf.path, point=leaf.point, map=F, zero_on_leaf=tuple(zero_on_leaf)))
        if progress is not None:
            progress(sp.progress())
    leaves.sort(key=lambda leaf: leaf.path)
    covering = Covering(sp.order, sp.domain, tuple(leaves))
    return done(FunctionComparison(True, covering=covering, stats=sp.progress(done=True)))


def _point_where_nonzero(sp: Splitter, leaf: Leaf, d: tuple[Fraction, ...]):
    """``(point, None)``: a point of the leaf's cell with ``d != 0``; or ``(None, (positive, negative))``:
    certificates that the cell has no point with ``d > 0`` and none with ``d < 0``."""
    x = leaf.point
    if sum((w * v for w, v in zip(d, x)), d[-1]) != 0:
        return x, None
    u, u0 = d[:-1], d[-1]
    certs = []
    for row in (Constraint(tuple(-w for w in u), "<", u0), Constraint(u, "<", -u0)):
        r = sp._feasible(leaf.constraints + (row,))
        if r:
            return r.point, None
        certs.append(r.multipliers)
    return None, tuple(certs)


def _probe_points(domain: System, count: int) -> list[Vector]:
    """Small rational points of the domain to try before enumerating (deterministic)."""
    if count <= 0:
        return []
    n = domain.dimension
    base = lp.feasible(domain) if domain.constraints else lp.Feasible((_ZERO,) * n)
    if not base:
        return []
    b = base.point
    candidates = [b]
    for i in range(n):  # unit steps first: small, readable counterexamples
        for step in (1, -1):
            candidates.append(tuple(v + step if t == i else v for t, v in enumerate(b)))
    rng = random.Random(20190101)
    candidates += [tuple(v + Fraction(rng.randint(-4, 4), rng.choice((1, 2, 3))) for v in b) for _ in range(4 * count)]
    out = []
    for x in candidates:
        if len(out) >= count:
            break
        if x not in out and domain.holds(x):
            out.append(x)
    return out


def network_layers(net: Network) -> list[dict[str, Any]]:
    """*net* in the checker's parsed form: ``[{"weights", "bias", "activation"}, ...]`` with Fractions."""
    return [{"weights": [list(r) for r in layer.weights], "bias": list(layer.bias), "activation": layer.activation}
            for layer in net.layers]


def check_equal_functions_witness(first: list, second: list, domain: Any, verdict: Any, witness: Any) -> None:
    """Re-check a verdict of :func:`equal_functions` and its witness with the independent checker.

    *first*, *second*: the networks in parsed form (see :func:`network_layers`);
    *domain*: the claim's domain as JSON; *verdict*: ``True`` or ``False``; *witness*:
    as described in the module docstring.  Raises :class:`CertificateRejected`.
    The check itself is :func:`symrep.checker.check_function_witness`, the stdlib-only
    trusted base, so there is one implementation of it.
    """
    from symrep import checker

    if verdict not in (True, False):
        raise CertificateRejected(f"verdict {verdict!r} is not true or false")
    try:
        checker.check_function_witness([first, second], domain, verdict, witness)
    except checker.Reject as e:
        raise CertificateRejected(str(e)) from None


def check_motzkin(rows: Sequence[tuple[Sequence[Fraction], Fraction, str]], y: Any) -> bool:
    """Whether *y* proves the rows ``(a, b, rel)`` (``rel`` in ``<=``, ``<``, ``==``) have no common solution.

    *y* is one multiplier per row (a list) or sparse (a dict ``{row: multiplier}``); see
    :func:`symrep.checker.motzkin`.

    >>> F = Fraction
    >>> rows = [([F(1)], F(0), "<"), ([F(-1)], F(0), "<=")]      # x < 0 and -x <= 0
    >>> check_motzkin(rows, [F(1), F(1)]), check_motzkin(rows, [F(1), F(0)]), check_motzkin(rows, {0: F(2), 1: F(2)})
    (True, False, True)
    """
    from symrep import checker

    if isinstance(y, dict):
        if any(not 0 <= i < len(rows) for i in y):
            return False
    elif len(y) != len(rows):
        return False
    else:
        y = dict(enumerate(y))
    return bool(rows) and checker.motzkin(list(rows), y)


def parse_domain(domain: Any, n: int, where: str = "domain") -> list[tuple[list[Fraction], Fraction, str]]:
    """The domain's rows ``(a, b, relation)`` meaning ``a.x <= b`` or ``a.x == b`` (see the checker).

    >>> parse_domain([["0", "1"]], 1)
    [([Fraction(-1, 1)], Fraction(0, 1), '<='), ([Fraction(1, 1)], Fraction(1, 1), '<=')]
    """
    from symrep import checker

    try:
        return checker.domain_rows(domain, n, where)
    except checker.Reject as e:
        raise CertificateRejected(str(e)) from None
