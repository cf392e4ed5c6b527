"""Counterexample search: another factorization of the same network with different representations.

Given a network ``f``, its data and a hidden layer ``i``, :func:`search` looks for a
network ``f~`` with the **same architecture** (widths and activations) that agrees
with ``f`` -- on the data (identical output activations, ``mode="data"``) or as a
function (``mode="everywhere"``) -- while the representations at layer ``i`` differ
as an *objective* asks:

``no-match``
    the maximum exact match of the two layers is empty;
``max-match-at-most K``
    the maximum match has at most ``K`` neurons in all (``|X*| + |Y*| <= K``);
``isomorphic-not-equal``
    the hidden spans have the same dimension but are different subspaces;
``not-isomorphic``
    the hidden spans have different dimensions;
``beyond-symmetry``
    the hidden activations of ``f~`` are not those of ``f`` up to a permutation and a
    positive rescaling of neurons, so ``f~`` is not in ``f``'s ReLU symmetry orbit.

Objectives combine: ``"no-match,isomorphic-not-equal"`` asks for both (no match, and
spans of equal dimension -- Johnson's Example 3.1 as he meant it).

Everything reported is verified exactly: the result carries a claim file (``f`` under
its own name, the network found under the name ``found``) whose claims
``symrep verify`` confirms, and a certificate the independent checker re-checks.

Design note
-----------
*Methods.*

``orbit``
    The symmetry orbit of ``f``: permutations and positive rescalings of hidden
    neurons.  Every element computes the same function, and its activations at
    layer ``i`` are ``D P A`` (``D`` positive diagonal, ``P`` a permutation), so the
    spans never change and the maximum match is always every neuron.  This is the
    baseline: it proves that none of the objectives above is reachable by symmetry
    (only ``max-match-at-most K`` with ``K`` at least both widths together is).
``layerwise``
    Exact layer-wise solving.  Layers ``1 .. i-1`` are copied from ``f``, so layer
    ``i`` of ``f~`` sees the same inputs ``U`` as ``f``'s.  Candidate layers ``i`` are
    enumerated in a deterministic, bounded order: first *structured* candidates
    (sign flips of ``f``'s own neurons), then multisets of neurons with integer
    weights and biases in ``[-E, E]`` (graded: candidates using the simplest neurons
    first; when the bounded space is larger than the budget, graded candidates
    alternate with seeded random ones).  A neuron only matters through the direction
    of its activation vector on the data (``mode="data"``) or through its function up
    to a positive factor (``mode="everywhere"``), and neither the objectives nor the
    solvability below change under permutations or positive rescalings, so the
    enumeration runs over these classes: finishing it is an exhaustive search of
    the whole grid.  Given the candidate's activations ``H~``, layer ``i+1`` must
    reproduce ``f``'s layer ``i+1``, and that is **linear** in its weights:
    ``[V~ c~] [H~; 1] = P`` (``P`` = ``f``'s pre-activations at layer ``i+1``) when
    layer ``i+1`` is the identity; for a ReLU layer ``i+1`` the exact condition is
    equality where ``f``'s activation is positive and ``<= 0`` where it is zero (an
    exact LP, :mod:`symrep.exact.lp`).  Layers after ``i+1`` are copied
    from ``f``.  The system is solved exactly with :func:`symrep.exact.linalg.span_basis`
    (preferring ``f``'s own weights plus the smallest correction); an unsolvable
    system is proved so by a vector ``w`` with ``[H~; 1] w = 0`` and ``P_r . w != 0``
    (an orthogonal, "left-kernel" witness), kept as evidence.
``smt``
    A joint search with z3 (``pip install 'symrep[smt]'``; optional): the weights
    of layers ``i`` and ``i+1`` are real unknowns, ReLU is if-then-else, agreement
    on the data is a set of (bilinear) equations, and each objective is encoded by a
    sufficient linear condition (for example: every neuron of ``f~`` lies outside
    ``span(z_f)``, shown by the orthogonal complement of that span).  Every model is
    converted to exact rationals and re-verified by symrep before it is reported; a
    model that fails the exact check is blocked (its activation pattern) and the
    solver is asked again.  Only ``mode="data"``.

*Everywhere.*  Two networks that share every layer except ``i`` and ``i+1`` compute the
same function if their pre-activations at layer ``i+1`` agree as functions of layer
``i-1`` on all of ``R^n``.  With ``relu(h) = h/2 + |h|/2``, such a function is an
affine part plus ``sum_H kappa_H |h_H|`` over hyperplanes ``H`` (``h_H`` normalised), and
the functions ``|h_H|`` of distinct hyperplanes are independent modulo affine
functions.  So equality is equality of finitely many coordinates -- a linear system
in the weights of layer ``i+1`` again.  For ``i = 1`` and an identity output layer
this decides equality; otherwise it is a sufficient condition.  The result carries the
decomposition as a proof (:attr:`SearchResult.everywhere`), re-checked independently by
:func:`symrep.relu.functions.equal_functions` (the common refinement of linear regions),
and the claim file states it as claim ``same-function`` (kind ``equal_functions``).

*Bounds.*  Every search states its bounds.  A bounded search that finished finds
"none within these bounds" -- never "none"; one stopped by its budget says so and is
not exhaustive.  An objective that no network can meet (for example ``no-match``
when ``f`` has a neuron that is zero on the data: a zero vector lies in every span)
is reported ``impossible`` with the reason.

Modules
-------
``objectives`` (what is asked, result statuses), ``results`` (bounds, evidence, the result
and its claim file), ``task`` (the problem on one data set, shared steps), ``everywhere``
(the kink decomposition), ``solve`` (layer ``i+1`` exactly), ``layerwise``, ``orbit``,
``smt`` (the methods), ``claim_file`` (the claims stated about a find) and ``driver``
(:func:`search`).  The command ``symrep search`` lives in :mod:`symrep.cli.search`.
"""

from symrep.search.driver import search
from symrep.search.everywhere import everywhere_proof
from symrep.search.objectives import (
    FOUND,
    IMPOSSIBLE,
    METHODS,
    MODES,
    NONE_WITHIN,
    OBJECTIVES,
    STOPPED,
    UNAVAILABLE,
    UNREACHABLE,
    Objective,
    parse_objectives,
)
from symrep.search.results import Infeasibility, SearchBounds, SearchResult
from symrep.search.smt import smt_available

__all__ = [
    "FOUND",
    "IMPOSSIBLE",
    "Infeasibility",
    "METHODS",
    "MODES",
    "NONE_WITHIN",
    "OBJECTIVES",
    "Objective",
    "STOPPED",
    "SearchBounds",
    "SearchResult",
    "UNAVAILABLE",
    "UNREACHABLE",
    "everywhere_proof",
    "parse_objectives",
    "search",
    "smt_available",
]
