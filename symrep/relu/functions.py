"""Do two networks compute the same function?  Decided exactly, with a certificate either way.

:func:`equal_functions` decides whether networks ``f`` and ``g`` (same numbers of
inputs and outputs) agree at every point of ``R^n`` or of a closed domain (a box
or linear constraints).  ``False`` comes with a rational input where the outputs
differ; ``True`` with a *covering certificate* that
:func:`check_equal_functions_witness` re-checks with multiplication and addition
only.

*Independence.*  This module decides and verifies with symrep's own code (the
splitting tree of :mod:`symrep.relu.regions`, the exact LP and Farkas/Motzkin
certificates of :mod:`symrep.exact.lp`, exact comparison of affine maps).  It never
imports :mod:`symrep.checker`, the stdlib-only trusted base that re-checks the
same witnesses with its own code, so a bug in one cannot hide a bug in the
other.  The rule for the whole package: only the CLI ``check`` command,
:mod:`symrep.certificates.explain` and :mod:`symrep.testing` import the checker
(``tests/test_independence.py`` enforces it).

Design note
-----------
*Method.*  The splitting tree of :class:`symrep.relu.regions.Splitter` runs over the
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
   ``C = (C and p > 0) u (C and p < 0) u (C and p == 0)``.  Verification requires
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
``f = g`` by 3.  :func:`check_equal_functions_witness` (like the checker)
recomputes every pre-activation from the networks along each path (it never
trusts the certificate's affine rows), so a certificate for other networks or
another domain fails.  The leaf's point is checked to lie in the
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

import dataclasses
import random
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, NoReturn, Sequence

from symrep.errors import CertificateRejected, InputError, ShapeError, SymrepError
from symrep.exact import lp
from symrep.exact.lp import Constraint, System
from symrep.exact.numbers import Vector, format_number, to_fraction
from symrep.networks.network import Layer, Network, forward
from symrep.relu.domains import check_motzkin, parse_domain
from symrep.relu.symmetry import Symmetry, check_symmetry, find_symmetry, symmetry_json
from symrep.relu.regions import (
    UNDECIDED,
    AffineMap,
    Leaf,
    Neuron,
    Progress,
    Splitter,
    _check_bounds,
    _cut,
    _decide,
    _NetState,
    _start,
    as_domain,
    split_order,
)

__all__ = [
    "CertificateRejected",
    "Covering",
    "CoveringLeaf",
    "FunctionComparison",
    "MAX_WITNESS",
    "check_equal_functions_witness",
    "check_motzkin",
    "equal_functions",
    "network_layers",
    "parse_domain",
]

_ZERO = Fraction(0)
#: Default bound on the numbers a covering witness keeps (:func:`equal_functions`, ``max_witness``).
MAX_WITNESS = 1 << 22
_MAPS_KEPT = 20  # leaves whose affine map the witness shows (symrep explain prints 20); the checker recomputes all


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
            return {"path": self.path, "empty": _sparse_strs(self.multipliers or ())}
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
    #: For True without a region split: g is f with hidden neurons permuted and rescaled (:mod:`.symmetry`).
    symmetry: Symmetry | None = None

    @property
    def status(self) -> str:
        """``"true"``, ``"false"`` or ``"undecided within the bound"``."""
        return UNDECIDED if self.verdict is None else str(self.verdict).lower()

    def to_sympy(self) -> dict[str, Any]:
        """``verdict``, and for False the ``point`` and the two networks' ``values`` there as SymPy columns."""
        from symrep.exact.symbolic import vector_to_sympy

        out: dict[str, Any] = {"verdict": self.verdict}
        if self.point is not None and self.values is not None:
            out["point"] = vector_to_sympy(self.point)
            out["values"] = (vector_to_sympy(self.values[0]), vector_to_sympy(self.values[1]))
        return out

    def witness(self) -> dict[str, Any] | None:
        """The JSON witness (module docstring), or None when undecided."""
        if self.verdict is True and self.symmetry is not None:
            return {"symmetry": symmetry_json(self.symmetry)}
        if self.verdict is True and self.covering is not None:
            return self.covering.to_json()
        if self.verdict is False and self.point is not None and self.values is not None:
            return {"point": _strs(self.point), "values": [_strs(v) for v in self.values]}
        return None


def _strs(v: Sequence[Fraction]) -> list[str]:
    return [format_number(q) for q in v]


def _sparse_strs(v: Sequence[Fraction]) -> list[list[Any]]:
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
    symmetries: bool = False,
    max_witness: int | None = MAX_WITNESS,
) -> FunctionComparison:
    """Decide exactly whether *f* and *g* compute the same function on *domain*.

    Parameters
    ----------
    f, g
        Networks with the same numbers of inputs and outputs.
    domain
        ``None`` (all of ``R^n``), a box ``[[lo, hi], ...]`` or linear constraints
        (see :func:`symrep.relu.regions.as_domain`).
    max_regions, max_seconds
        Bounds on the non-empty leaves of the common refinement (and, separately, on its
        empty branches) and on time; reaching one gives verdict None ("undecided within
        the bound").
    progress
        Called with a :class:`~symrep.relu.regions.Progress` after each region and at the end.
    probes
        How many small rational points of the domain to try first (a cheap search
        for a counterexample); 0 to skip.
    symmetries
        First look for hidden neurons permuted and positively rescaled that turn *f*
        into *g* (identical networks included): then True at once, with that witness.
    max_witness
        Bound on the numbers the covering witness keeps (each leaf's point, non-zero
        multipliers and kept maps, one per path): beyond it the verdict is None.  Leaves
        are checked as the split yields them and kept only in this compact form, so the
        memory of a run is bounded by this count (about 200 bytes a number; default
        :data:`MAX_WITNESS`, 2^22) plus the split's stack (depth x neurons), whatever
        ``max_regions`` allows.

    Examples
    --------
    Example 3.1 of the seed paper: the two networks differ, e.g. at (0, 1).

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

    With ``symmetries=True`` (as ``symrep verify`` decides) it is recognised before any split
    (:mod:`symrep.relu.symmetry`):

    >>> r = equal_functions(f, g, symmetries=True)
    >>> r.verdict, r.witness()
    (True, {'symmetry': [{'permutation': [0, 1], 'scales': ['2', '1']}]})
    >>> check_equal_functions_witness(network_layers(f), network_layers(g), None, True, r.witness())
    """
    _check_pair(f, g)
    _check_bounds(max_regions, max_seconds)
    sp = Splitter([f, g], domain)
    sym = find_symmetry(f, g) if symmetries else None  # equal everywhere, without a split
    if sym is not None:
        return done_with(progress, FunctionComparison(True, symmetry=sym, stats=sp.progress(done=True)))

    def done(result: FunctionComparison) -> FunctionComparison:
        if progress is not None:
            progress(result.stats)
        return result

    for x in _probe_points(sp.domain, probes):
        r = _differ(f, g, x, sp)
        if r is not None:
            return done(r)
    return done(_enumerate(f, g, sp, max_regions, max_seconds, progress, max_witness))


def done_with(progress: Callable[[Progress], Any] | None, result: FunctionComparison) -> FunctionComparison:
    if progress is not None:
        progress(result.stats)
    return result


def _check_pair(f: Any, g: Any) -> None:
    for name, net in (("f", f), ("g", g)):
        if not isinstance(net, Network):
            raise InputError(f"{name}: expected a Network, got {type(net).__name__}")
    if f.widths[0] != g.widths[0]:
        raise ShapeError(f"the networks take different numbers of inputs ({f.widths[0]} and {g.widths[0]})")
    if f.widths[-1] != g.widths[-1]:
        raise ShapeError(f"the networks have different numbers of outputs ({f.widths[-1]} and {g.widths[-1]})")


def _output(net: Network, x: Vector) -> Vector:
    """The network's output at *x* (the exact forward pass)."""
    return tuple(col[0] for col in forward(net, [x])[-1])


def _differ(f: Network, g: Network, x: Vector, sp: Splitter) -> FunctionComparison | None:
    """The verdict False at *x* if the networks' outputs differ there."""
    a, b = _output(f, x), _output(g, x)
    if a != b:
        return FunctionComparison(False, x, (a, b), stats=sp.progress(done=True))
    return None


def _numbers(leaf: CoveringLeaf) -> int:
    """The numbers a covering leaf keeps (for :data:`MAX_WITNESS`): its path counts as one."""
    n = 1 + len(leaf.point or ()) + sum(1 for y in leaf.multipliers or () if y)
    if leaf.map is not None:
        n += sum(len(r) for r in leaf.map.weights) + len(leaf.map.bias)
    return n + sum(sum(1 for y in p if y) + sum(1 for y in q if y) for _, p, q in leaf.zero_on_leaf)


def _enumerate(f: Network, g: Network, sp: Splitter, max_regions: int | None, max_seconds: float | None,
               progress: Callable[[Progress], Any] | None, max_witness: int | None = None) -> FunctionComparison:
    """Walk the common refinement: a counterexample, the covering, or undecided at a bound."""
    deadline = None if max_seconds is None else time.perf_counter() + max_seconds
    leaves: list[CoveringLeaf] = []
    regions = empty = kept = 0
    # Work is bounded by leaves (every leaf costs an LP, and inner nodes are fewer than leaves): at most
    # max_regions regions and as many empty branches.  Leaves are kept compact (affine maps only for the
    # first few, as the checker recomputes them), so memory is bounded by the same count.
    for leaf in sp.leaves():
        if deadline is not None and time.perf_counter() > deadline:
            return FunctionComparison(None, reason=f"time bound of {max_seconds} s reached", stats=sp.progress(True))
        if leaf.empty:
            empty += 1
            if max_regions is not None and empty > max_regions:
                why = f"more than {max_regions} empty branches of the split into regions"
                return FunctionComparison(None, reason=why, stats=sp.progress(True))
            leaves.append(CoveringLeaf(leaf.path, multipliers=leaf.multipliers))
            kept += _numbers(leaves[-1])
            if max_witness is not None and kept > max_witness:
                return _too_large(max_witness, sp)
            continue
        regions += 1
        if max_regions is not None and regions > max_regions:
            return FunctionComparison(None, reason=f"more than {max_regions} regions", stats=sp.progress(True))
        compared = _compare_on_leaf(f, g, sp, leaf)
        if isinstance(compared, FunctionComparison):
            return compared
        leaves.append(compared if regions <= _MAPS_KEPT else dataclasses.replace(compared, map=None))
        kept += _numbers(leaves[-1])
        if max_witness is not None and kept > max_witness:
            return _too_large(max_witness, sp)
        if progress is not None:
            progress(sp.progress())
    leaves.sort(key=lambda leaf: leaf.path)
    order = tuple((a, l, j) for a, l, j in sp.order)
    return FunctionComparison(True, covering=Covering(order, sp.domain, tuple(leaves)), stats=sp.progress(done=True))


def _too_large(max_witness: int, sp: Splitter) -> FunctionComparison:
    return FunctionComparison(None, reason=f"the covering witness would keep more than {max_witness} numbers",
                              stats=sp.progress(True))


def _compare_on_leaf(f: Network, g: Network, sp: Splitter, leaf: Leaf) -> CoveringLeaf | FunctionComparison:
    """The covering leaf of a non-empty leaf, or the verdict False at a point of it where f and g differ."""
    if leaf.maps is None or leaf.point is None:  # pragma: no cover - the splitter gives both on a non-empty leaf
        raise lp.LPError("internal error: a non-empty leaf without its point and maps")
    F, G = leaf.maps
    zero_on_leaf = []
    for k, (u, v) in enumerate(zip(F.rows(), G.rows())):
        if u == v:
            continue
        d = tuple(s - t for s, t in zip(u, v))
        point, certs = _point_where_nonzero(sp, leaf, leaf.point, d)
        if point is not None:
            r = _differ(f, g, point, sp)
            if r is None:  # pragma: no cover - the leaf's maps are the networks on the cell
                raise lp.LPError("internal error: a point where the leaf maps differ is not a counterexample")
            return r
        zero_on_leaf.append((k, *certs))
    return CoveringLeaf(leaf.path, point=leaf.point, map=F, zero_on_leaf=tuple(zero_on_leaf))


def _point_where_nonzero(sp: Splitter, leaf: Leaf, x: Vector, d: tuple[Fraction, ...]
                         ) -> tuple[Vector | None, tuple[Vector, Vector]]:
    """``(point, ())``: a point of the leaf's cell with ``d != 0``; or ``(None, (positive, negative))``:
    certificates that the cell has no point with ``d > 0`` and none with ``d < 0``."""
    if sum((w * v for w, v in zip(d, x)), d[-1]) != 0:
        return x, ((), ())
    u, u0 = d[:-1], d[-1]
    certs = []
    for row in (Constraint(tuple(-w for w in u), "<", u0), Constraint(u, "<", -u0)):
        r = sp._feasible(leaf.constraints + (row,))
        if isinstance(r, lp.Feasible):
            return r.point, ((), ())
        certs.append(r.multipliers)
    return None, (certs[0], certs[1])


def _probe_points(domain: System, count: int) -> list[Vector]:
    """Small rational points of the domain to try before enumerating (deterministic)."""
    if count <= 0:
        return []
    n = domain.dimension
    base = lp.feasible(domain) if domain.constraints else lp.Feasible((_ZERO,) * n)
    if not isinstance(base, lp.Feasible):
        return []
    b = base.point
    candidates = [b]
    for i in range(n):  # unit steps first: small, readable counterexamples
        for step in (1, -1):
            candidates.append(tuple(v + step if t == i else v for t, v in enumerate(b)))
    rng = random.Random(20190101)
    candidates += [tuple(v + Fraction(rng.randint(-4, 4), rng.choice((1, 2, 3))) for v in b) for _ in range(4 * count)]
    out: list[Vector] = []
    for x in candidates:
        if len(out) >= count:
            break
        if x not in out and domain.holds(x):
            out.append(x)
    return out


def network_layers(net: Network) -> list[dict[str, Any]]:
    """*net* in the parsed form the checker uses: ``[{"weights", "bias", "activation"}, ...]`` with Fractions."""
    return [{"weights": [list(r) for r in layer.weights], "bias": list(layer.bias), "activation": layer.activation}
            for layer in net.layers]


# ---------------------------------------------------------------------------------------------
# The library's own verification of a witness.  It shares no code with symrep.checker (which
# re-checks the same JSON with the standard library only): cells are re-derived with the splitting
# tree's helpers of symrep.relu.regions, emptiness with symrep.exact.lp.is_farkas_certificate, and
# maps are compared as exact AffineMaps.  It accepts exactly what the checker accepts
# (tests/test_independence.py compares the two on tampered witnesses).


def check_equal_functions_witness(first: Any, second: Any, domain: Any, verdict: Any, witness: Any) -> None:
    """Re-check a verdict of :func:`equal_functions` and its witness, exactly.

    Parameters
    ----------
    first, second
        The networks: :class:`~symrep.networks.network.Network` objects or the parsed
        form of :func:`network_layers`.
    domain
        The claim's domain as :func:`~symrep.relu.regions.as_domain` reads it (``None`` for ``R^n``).
    verdict
        ``True`` or ``False``.
    witness
        As described in the module docstring (JSON: numbers as strings).

    Raises
    ------
    CertificateRejected
        When the witness does not prove the verdict; the message says where and why.

    Examples
    --------
    >>> f = Network([Layer([[1], [-1]], "relu"), Layer([[1, -1]], "identity")])     # relu(x) - relu(-x)
    >>> g = Network([Layer([[1]], "identity")])                                      # x
    >>> w = equal_functions(f, g).witness()
    >>> check_equal_functions_witness(f, g, None, True, w)
    >>> w["leaves"][1]["point"] = ["-1"]
    >>> check_equal_functions_witness(f, g, None, True, w)
    Traceback (most recent call last):
    ...
    symrep.errors.CertificateRejected: witness: leaves[1]: the point is not in the cell
    """
    if verdict is not True and verdict is not False:
        raise CertificateRejected(f"verdict {verdict!r} is not true or false")
    nets = (_as_network(first, "first"), _as_network(second, "second"))
    n, outs = nets[0].widths[0], nets[0].widths[-1]
    if nets[1].widths[0] != n or nets[1].widths[-1] != outs:
        raise CertificateRejected("witness: the networks differ in inputs or outputs")
    dom = _domain(domain, n)
    if verdict and isinstance(witness, dict) and "symmetry" in witness:
        _known(witness, {"symmetry"}, "witness")
        check_symmetry(nets[0], nets[1], witness["symmetry"])
    elif verdict:
        _verify_covering(nets, dom, witness, outs)
    else:
        _verify_point(nets, dom, witness, outs)


def _as_network(net: Any, name: str) -> Network:
    if isinstance(net, Network):
        return net
    layers = [Layer(_need(d, "weights", name), _need(d, "activation", name), d.get("bias"), where=f"{name}.layers[{k}]")
              for k, d in enumerate(_list(net, name))]
    return Network(layers)


def _domain(domain: Any, n: int) -> System:
    try:
        return as_domain(domain, n)
    except SymrepError as e:
        raise CertificateRejected(str(e)) from None


def _verify_point(nets: tuple[Network, Network], dom: System, w: Any, outs: int) -> None:
    """The witness of ``false``: a point of the domain and the two (different) outputs there."""
    where = "witness"
    _known(w, {"point", "values"}, where)
    x = _vector(_need(w, "point", where), f"{where}: point", dom.dimension)
    got = (_output(nets[0], x), _output(nets[1], x))
    if not dom.holds(x) or got[0] == got[1]:
        _reject(where, "the point is not in the domain or the networks agree there")
    values = tuple(_vector(v, f"{where}: values", outs) for v in _list(_need(w, "values", where), f"{where}: values", 2))
    if values != got:
        _reject(where, "values are not the networks' outputs at the point")


def _verify_covering(nets: tuple[Network, Network], dom: System, w: Any, outs: int) -> None:
    """The witness of ``true``: the splitting tree, every cell re-derived from the networks."""
    _known(w, {"order", "leaves"}, "witness")
    order = _read_order(_need(w, "order", "witness"), nets)
    leaves = _read_leaves(_need(w, "leaves", "witness"), len(order))
    _verify_tree([(path, "point" in leaf) for path, leaf in leaves])
    cells = _cells(nets, dom, order)
    for i, (path, leaf) in enumerate(leaves):
        where = f"witness: leaves[{i}]"
        cell, states = cells(path, where)
        if "empty" in leaf:
            if not lp.is_farkas_certificate(cell, _sparse(leaf["empty"], f"{where}.empty", len(cell))):
                _reject(where, "the multipliers do not prove the cell empty")
        else:
            _verify_region(leaf, cell, states, where, dom.dimension, outs)


def _read_order(v: Any, nets: tuple[Network, Network]) -> list[Neuron]:
    """Every relu neuron of both networks once, as ``(network, layer, neuron)``; each network's layers in order."""
    order: list[Neuron] = []
    for k, e in enumerate(_list(v, "witness: order")):
        a, l, j = (_integer(t, f"witness: order[{k}]") for t in _list(e, f"witness: order[{k}]", 3))
        order.append((a, l, j))
    last = [0, 0]
    for a, l, _ in order:
        if a not in (0, 1) or l < last[a]:
            _reject("witness", "order lists a network out of range or a layer after a later one")
        last[a] = l
    if len(set(order)) != len(order) or set(order) != set(split_order(nets)):
        _reject("witness", "order does not list every relu neuron of both networks once")
    return order


def _read_leaves(v: Any, depth: int) -> list[tuple[str, dict[str, Any]]]:
    """The leaves as ``(path, leaf)``: a path over ``+-0`` and exactly one of a point (full path) or ``empty``."""
    out = []
    for i, leaf in enumerate(_list(v, "witness: leaves")):
        where = f"witness: leaves[{i}]"
        _known(leaf, {"path", "point", "empty", "map", "zero_on_leaf"}, where)
        path = _need(leaf, "path", where)
        if not isinstance(path, str) or len(path) > depth or path.strip("+-0") or ("empty" in leaf) == ("point" in leaf):
            _reject(where, "needs a path of '+', '-', '0' and exactly one of 'empty', 'point'")
        if ("point" in leaf and len(path) != depth) or ("empty" in leaf and ("map" in leaf or "zero_on_leaf" in leaf)):
            _reject(where, "a leaf with a point decides every neuron; an empty one has no map")
        out.append((path, leaf))
    if not out:
        _reject("witness: leaves", "expected a non-empty list")
    return out


def _verify_tree(leaves: list[tuple[str, bool]]) -> None:
    """The paths form a splitting tree whose leaves' closures cover the root (module docstring, step 1).

    *leaves* holds ``(path, has a point)``.  No path is another's prefix; every inner node has its
    ``+`` and ``-`` branches, and its ``0`` branch unless a leaf with a point lies below ``+`` or ``-``.
    """
    paths = [p for p, _ in leaves]
    seen: set[str] = set()
    for p in paths:
        if p in seen:
            _reject("witness", f"leaf path {p!r} repeats")
        seen.add(p)
    inner = {p[:k] for p in paths for k in range(len(p))}
    for p in paths:
        if p in inner:
            _reject("witness", f"leaf path {p!r} is a prefix of another")
    nodes = inner | seen
    pointed = {p[:k] for p, has_point in leaves if has_point for k in range(len(p) + 1)}
    for u in sorted(inner):
        if u + "+" not in nodes or u + "-" not in nodes:
            _reject("witness", f"node {u!r} lacks its '+' or '-' branch")
        if u + "0" not in nodes and u + "+" not in pointed and u + "-" not in pointed:
            _reject("witness", f"node {u!r} has no '0' branch and no point below '+' or '-'")


def _cells(nets: tuple[Network, Network], dom: System, order: list[Neuron]
           ) -> Callable[[str, str], tuple[tuple[Constraint, ...], list[_NetState]]]:
    """``cell(path, where)``: the cell of *path* (domain rows, then one row per step) re-derived from the
    networks, and the networks' states there.  Nodes are derived once and shared by the leaves below them."""
    n = dom.dimension
    memo: dict[str, tuple[tuple[Constraint, ...], list[_NetState]]] = {"": (dom.constraints, [_start(net, n) for net in nets])}

    def cell(path: str, where: str) -> tuple[tuple[Constraint, ...], list[_NetState]]:
        k = len(path)
        while path[:k] not in memo:
            k -= 1
        rows, states = memo[path[:k]]
        for t in range(k, len(path)):
            a, l, j = order[t]
            s = states[a]
            if s.layer != l - 1 or s.pre is None:
                _reject(where, f"order[{t}] is not in network {a}'s next relu layer")
            states = list(states)
            states[a] = _decide(s, nets[a], j, path[t], n)
            rows = rows + (_cut(s.pre[j], path[t]),)
            memo[path[:t + 1]] = (rows, states)
        return rows, states

    return cell


def _verify_region(leaf: dict[str, Any], cell: tuple[Constraint, ...], states: list[_NetState], where: str,
                   n: int, outs: int) -> None:
    """A leaf with a point: the point lies in the cell, and the two affine maps agree on the cell."""
    x = _vector(leaf["point"], f"{where}.point", n)
    if not all(c.holds(x) for c in cell):
        _reject(where, "the point is not in the cell")
    F, G = (AffineMap.of_rows(s.inputs) for s in states)
    if "map" in leaf:
        m = leaf["map"]
        _known(m, {"weights", "bias"}, f"{where}.map")
        weights = tuple(_vector(r, f"{where}.map", n) for r in _list(_need(m, "weights", where), f"{where}.map", outs))
        if AffineMap(weights, _vector(_need(m, "bias", where), f"{where}.map", outs)) != F:
            _reject(where, "map is not the first network's affine map on the cell")
    entries = _list(leaf.get("zero_on_leaf", []), f"{where}.zero_on_leaf")
    given = {}
    for e in entries:
        _known(e, {"output", "positive", "negative"}, f"{where}.zero_on_leaf")
        given[_integer(_need(e, "output", where), f"{where}.zero_on_leaf", 0, outs - 1)] = e
    differing = [k for k, (u, v) in enumerate(zip(F.rows(), G.rows())) if u != v]
    if sorted(given) != differing or len(given) != len(entries):
        _reject(where, f"the affine maps differ at outputs {differing}, not covered by zero_on_leaf")
    for k in differing:  # d = F_k - G_k = u.x + u0 is neither > 0 nor < 0 anywhere on the cell
        d = [s - t for s, t in zip(F.rows()[k], G.rows()[k])]
        u, u0 = tuple(d[:-1]), d[-1]
        for side, row in (("positive", Constraint(tuple(-q for q in u), "<", u0)), ("negative", Constraint(u, "<", -u0))):
            y = _sparse(_need(given[k], side, where), f"{where}.{side}", len(cell) + 1)
            if not lp.is_farkas_certificate(cell + (row,), y):
                _reject(where, f"the {side} multipliers for output {k} do not prove it")


# reading the witness's JSON values (strictly: a field the verification does not know is a rejection)

_NUMBER_TEXT = re.compile(r"-?[0-9]+(?:/[0-9]+)?")
_MAX_NUMBER_TEXT = 40_002  # two integers of 20,000 digits, a sign and a slash


def _reject(where: str, message: str) -> NoReturn:
    raise CertificateRejected(f"{where}: {message}")


def _need(obj: Any, key: str, where: str) -> Any:
    if not isinstance(obj, dict):
        _reject(where, "expected an object")
    if key not in obj:
        _reject(where, f"missing field {key!r}")
    return obj[key]


def _known(obj: Any, fields: set[str], where: str) -> None:
    extra = sorted(str(k) for k in obj if k not in fields) if isinstance(obj, dict) else []
    if extra:
        _reject(where, f"unknown field {extra[0]!r}")


def _list(v: Any, where: str, length: int | None = None) -> list[Any]:
    if not isinstance(v, list):
        _reject(where, f"expected a list, got {type(v).__name__}")
    if length is not None and len(v) != length:
        _reject(where, f"expected {length} entries, got {len(v)}")
    return v


def _integer(v: Any, where: str, lo: int = 0, hi: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        _reject(where, f"expected an integer, got {type(v).__name__}")
    if v < lo or (hi is not None and v > hi):
        _reject(where, f"{v} is out of range")
    return v


def _number(v: Any, where: str) -> Fraction:
    """An exact rational written ``"p"`` or ``"p/q"`` (or a JSON integer); never a float."""
    if isinstance(v, bool):
        _reject(where, "expected a number, got a boolean")
    if isinstance(v, int):
        return Fraction(v)
    if not isinstance(v, str):
        _reject(where, f"expected a number as a string like '-3/4', got {type(v).__name__}")
    if len(v) > _MAX_NUMBER_TEXT or not _NUMBER_TEXT.fullmatch(v):
        _reject(where, f"{v[:40]!r} is not an exact number 'p' or 'p/q' (of at most 20,000 digits each)")
    try:
        return to_fraction(v, where)
    except InputError as e:  # a zero denominator, too many digits
        raise CertificateRejected(str(e)) from None


def _vector(v: Any, where: str, n: int) -> Vector:
    return tuple(_number(x, f"{where}[{i}]") for i, x in enumerate(_list(v, where, n)))


def _sparse(v: Any, where: str, n: int) -> Vector:
    """A sparse vector ``[[index, "value"], ...]`` (distinct indices below *n*), made dense."""
    y = [_ZERO] * n
    seen = set()
    for k, pair in enumerate(_list(v, where)):
        i, x = _list(pair, f"{where}[{k}]", 2)
        i = _integer(i, f"{where}[{k}]", 0, n - 1)
        if i in seen:
            _reject(where, f"repeats index {i}")
        seen.add(i)
        y[i] = _number(x, f"{where}[{k}]")
    return tuple(y)
