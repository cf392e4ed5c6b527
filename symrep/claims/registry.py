"""What a claim kind is: the one object that holds everything symrep knows about a kind.

Every kind is a subclass of :class:`ClaimKind` in its own module of
:mod:`symrep.claims.kinds`, with one instance in :data:`symrep.claims.kinds.REGISTRY`.
The rest of symrep loops over the registry: the claim-file reader asks the
kind to parse its fields, :func:`symrep.claims.verdicts.decide` asks it to decide,
the certificate writer and ``symrep explain`` ask it for its witness and its
explanation, :mod:`symrep.testing.strategies` asks it to draw claims, the
parametric layer asks for its symbolic decision.  The independent checker
(``symrep/checker.py``) has one function per kind of its own; a test keeps the
two lists of kinds and fields equal.

Adding a kind: a module in ``symrep/claims/kinds/`` defining the subclass, its
line in ``kinds/__init__.py``, its function in the checker, tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping, Sequence

from symrep.claims.claim import Claim, Problem, Verdict
from symrep.errors import ClaimFileError
from symrep.exact.field import FieldOps
from symrep.exact.numbers import Matrix
from symrep.networks.network import Network, forward

__all__ = ["ClaimKind", "DrawContext", "ParseContext"]


@dataclass(frozen=True)
class ParseContext:
    """What a kind may consult while reading its fields: the location, the networks and widths."""

    where: str
    kind: str
    nets: tuple[Network, ...]
    layer: int | None
    widths: tuple[int, ...]
    #: Every network of the file (kinds whose fields name further networks, such as ``relation``, look them up here).
    all_networks: tuple[Network, ...] = ()

    def require(self, obj: Mapping[str, Any], key: str, hint: str = "") -> Any:
        """``obj[key]``, or the error that the kind needs that field."""
        if key not in obj:
            raise ClaimFileError(f"{self.where}: kind {self.kind!r} needs field {key!r}{hint}")
        return obj[key]


@dataclass(frozen=True)
class DrawContext:
    """What a kind's strategy may use to draw a claim: activations at the drawn layer, widths, points.

    ``acts`` holds the activation matrix of each named network at the layer
    (one for one-network kinds), ``d`` the number of data points, ``st`` the
    ``hypothesis.strategies`` module (kinds do not import Hypothesis).
    """

    st: Any
    acts: tuple[Matrix, ...]
    width: int
    d: int
    subset_pairs: Any  # strategy of [[x...], [y...]] within the width
    eps: Any  # strategy of eps values as exact text
    deltas: Any  # strategy of changes to one entry (Fractions)


class ClaimKind:
    """One claim kind: fields, parsing, JSON, decision with witness, explanation, strategy.

    Subclasses set the class attributes and override what applies; the defaults
    fit a kind with no fields of its own about one layer of two networks.
    """

    #: The ``kind`` string of claim files.
    name: ClassVar[str] = ""
    #: One line for listings and docs.
    summary: ClassVar[str] = ""
    #: How many networks a claim names: 1 (field ``network``) or 2 (``networks``).
    networks: ClassVar[int] = 2
    #: Whether the claim is about one layer (field ``layer``); False for whole networks.
    layered: ClassVar[bool] = True
    #: The frozen dataclass of the kind's parameters (``Claim.params``), or None for kinds without fields.
    params_type: ClassVar[type | None] = None
    #: The kind's own claim-file fields (beyond id, kind, network(s), layer, expect, statement).
    fields: ClassVar[frozenset[str]] = frozenset()
    #: Whether :meth:`decide_symbolic` decides claims over a field of parameter values.
    symbolic: ClassVar[bool] = False
    #: Whether :func:`symrep.testing.strategies.claims` draws the kind by default (cheap kinds) or on request.
    drawn_by_default: ClassVar[bool] = False

    # --- claim files -------------------------------------------------------------------------

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> Any:
        """The kind's parameters (a frozen dataclass, or None) from a validated claim table."""
        return None

    def params_to_json(self, params: Any) -> dict[str, Any]:
        """The kind's fields as JSON-ready data (numbers as exact strings); inverse of :meth:`parse`."""
        return {}

    # --- deciding ----------------------------------------------------------------------------

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        """The verdict on a claim about one layer, from the activation matrices (rows = neurons) over d points."""
        raise NotImplementedError(self.name)

    def decide_problem(self, problem: Problem, claim: Claim, cache: dict[str, Any], detail: Any = None) -> Verdict:
        """The verdict on *claim* of *problem*; *cache* maps network names to their forward passes."""
        acts = []
        for name in claim.networks:
            if name not in cache:
                cache[name] = forward(problem.network(name), problem.inputs)
            acts.append(cache[name][claim.layer])
        return self.decide(claim, acts, len(problem.inputs))

    def supports_symbolic(self, claim: Claim) -> bool:
        """Whether this claim is decided by :meth:`decide_symbolic` (some kinds only for some fields)."""
        return self.symbolic

    def decide_symbolic(self, claim: Claim, acts: Sequence[Sequence[Sequence[Any]]], d: int, ops: FieldOps) -> bool:
        """Whether the claim holds for activations over a field (parametric claims)."""
        raise NotImplementedError(self.name)

    # --- certificates and explanations --------------------------------------------------------

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        """Markdown lines proving the verdict from the certificate's witness (after the activation matrices)."""
        text = json.dumps(result["witness"])
        return ["Witness (checked as described in the checker's design note):", "", "```json",
                text if len(text) <= 2000 else text[:2000] + " ...", "```"]

    # --- property testing ---------------------------------------------------------------------

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        """The kind's fields of a random claim (JSON, as in a claim file) for :func:`symrep.testing.strategies.claims`."""
        return {}

    def __repr__(self) -> str:
        return f"<claim kind {self.name!r}>"
