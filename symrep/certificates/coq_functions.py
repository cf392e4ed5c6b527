"""The covering tree of an ``equal_functions`` certificate (verdict true) as a Coq ``ftree`` term.

``coq/Symrep.v`` proves ``equal_functions_true``: if ``check_equal n D f g t`` computes to ``true``
then ``equal_on n D f g`` (equal outputs at every point of the polyhedron ``D``).  The tree ``t`` is
the certificate's splitting tree, node by node (the certificate lists its leaves by path):

* an internal node is ``TNode b j tp tm tz`` (children for the neuron's pre-activation ``p > 0``,
  ``p < 0``, ``p = 0``; ``b`` is ``true`` for the second network, ``j`` the neuron in its next relu
  layer), or ``TNodeP b j tp tm y`` when the ``0`` child is absent: ``y`` is the point of a leaf
  below ``+`` or ``-``, a point of the node's cell where ``p`` is not zero.  Coq checks that, and the
  library's continuity lemma (network functions are Lipschitz) covers the points with ``p = 0``;
* an empty leaf is ``TEmpty y`` (Motzkin multipliers of the cell's rows, dense);
* a leaf with a point is ``TLeaf cs``: per output ``None`` (the two affine maps agree) or
  ``Some (positive, negative)`` (the ``zero_on_leaf`` multipliers).

A certificate of ``true`` by a symmetry (hidden neurons permuted and positively rescaled) has no
tree; :func:`tree_for_symmetry` asks symrep's own decision for one (not trusted: Coq checks it).

Coq recomputes every affine map and cell row from the networks; nothing of the tree but its shape,
the multipliers and the points is taken from the certificate.

>>> ftree({"order": [], "leaves": [{"path": "", "point": ["0"]}]}, 0, 1)
'(TLeaf [None])'
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from symrep import checker
from symrep.networks.network import Layer, Network
from symrep.relu.functions import equal_functions

__all__ = ["ftree", "tree_for_symmetry", "TREE_REGIONS"]

#: Non-empty regions the exporter explores to replace a symmetry witness by a covering tree.
TREE_REGIONS = 2_000


def _q(x: Fraction) -> str:
    return f"({x.numerator}#{x.denominator})"


def _dense(v: Any, n: int, where: str) -> str:
    out = [Fraction(0)] * n
    for i, x in checker.sparse(v, where, n).items():
        out[i] = x
    return "[" + "; ".join(_q(x) for x in out) + "]"


def ftree(w: dict, n_dom: int, outs: int) -> str:
    """The Coq term of a covering tree: ``w`` the witness, ``n_dom`` the domain's rows, ``outs`` the outputs."""
    order = [checker.ints(e, "order", 3) for e in checker.lst(w["order"], "order")]
    leaves = {leaf["path"]: leaf for leaf in checker.lst(w["leaves"], "leaves")}
    nodes = {p[:k] for p in leaves for k in range(len(p) + 1)}
    points = {p: leaf["point"] for p, leaf in leaves.items() if "point" in leaf}

    def leaf_term(u: str, leaf: dict) -> str:
        rows = n_dom + len(u)
        if "empty" in leaf:
            return f"(TEmpty {_dense(leaf['empty'], rows, 'empty')})"
        given = {checker.integer(e["output"], "output"): e for e in leaf.get("zero_on_leaf", [])}
        def cert(k: int) -> str:
            pos, neg = (_dense(given[k][side], rows + 1, side) for side in ("positive", "negative"))
            return f"(Some ({pos}, {neg}))"

        cs = [cert(k) if k in given else "None" for k in range(outs)]
        return f"(TLeaf [{'; '.join(cs)}])"

    def build(u: str) -> str:  # recursion depth: the number of relu neurons (bounded by the checker's budget)
        if u in leaves:
            return leaf_term(u, leaves[u])
        a, _, j = order[len(u)]
        head = f"{'true' if a == 1 else 'false'} {j}%nat {build(u + '+')} {build(u + '-')}"
        if u + "0" in nodes:
            return f"(TNode {head} {build(u + '0')})"
        y = next((points[p] for p in sorted(points) if p.startswith((u + "+", u + "-"))), None)
        if y is None:
            raise ValueError(f"node {u!r} has no '0' branch and no point below '+' or '-'")
        return f"(TNodeP {head} [{'; '.join(_q(checker.num(x, 'point')) for x in y)}])"

    return build("")


def tree_for_symmetry(f: list[dict], g: list[dict], domain: Any) -> dict | None:
    """A covering-tree witness for networks the checker proved equal by a symmetry (a permutation with
    positive scales), which the Coq library does not state: the splitting tree of symrep's own decision,
    a proposal that Coq checks like any other; None past :data:`TREE_REGIONS` regions."""
    nets = [Network([Layer(L["weights"], L["activation"], L["bias"]) for L in net]) for net in (f, g)]
    r = equal_functions(nets[0], nets[1], domain, max_regions=TREE_REGIONS, probes=0)
    w = r.witness() if r.verdict is True else None
    return w if w is not None and "order" in w else None
