"""The values of the claims layer: a claim, a problem (a parsed claim file), a verdict.

All three are frozen.  A :class:`Claim` holds what every claim has (id, kind,
the networks it names, the layer, what the file expects) and ``params``, a
frozen dataclass of the kind's own fields (see :mod:`symrep.claims.kinds`):
``MaximumMatchParams(equals=((0, 1), (0,)))`` for a ``maximum_match`` claim,
``CkaParams(bounds=...)`` for ``cka``, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from symrep.exact.numbers import Matrix
from symrep.networks.network import Network

__all__ = ["Claim", "Problem", "Verdict"]


@dataclass(frozen=True)
class Claim:
    """One claim of a claim file, validated.

    ``networks`` holds one name (kinds ``activations``, ``dimension``) or two;
    ``layer`` is the layer the claim speaks of (0 is the input), None for claims
    about whole networks (``equal_functions``).  ``params`` holds the kind's
    fields, normalised (index tuples sorted, numbers exact).

    The attributes ``equals``, ``neurons``, ``eps``, ``level``, ``centered``,
    ``bounds``, ``domain`` and ``max_regions`` read the kind's fields by name
    (None, False or ``()`` where the kind has no such field), as in symrep 0.1.
    """

    id: str
    kind: str
    networks: tuple[str, ...]
    layer: int | None
    params: Any = None
    expect: bool = True
    statement: str | None = None

    def _param(self, name: str, default: Any = None) -> Any:
        return getattr(self.params, name, default)

    @property
    def equals(self) -> Any:
        """The kind's ``equals`` field (a matrix, dimension, index pair, Fraction or match list), if any."""
        return self._param("equals")

    @property
    def neurons(self) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """The neuron sets a match claim is about, if the kind has them."""
        return self._param("neurons")

    @property
    def eps(self) -> Fraction | None:
        """The relative distance bound of the eps kinds."""
        return self._param("eps")

    @property
    def level(self) -> str | None:
        """The ladder level of an ``equivalence`` claim."""
        return self._param("level")

    @property
    def centered(self) -> bool:
        """Whether an ``equivalence`` claim centres the activations first."""
        return bool(self._param("centered", False))

    @property
    def bounds(self) -> tuple[tuple[str, Fraction], ...]:
        """The bounds of a ``cka`` claim: pairs (``equals``/``at_least``/``at_most``, value)."""
        return self._param("bounds", ())

    @property
    def domain(self) -> Any:
        """The domain of an ``equal_functions`` claim (None: all of R^n)."""
        return self._param("domain")

    @property
    def max_regions(self) -> int | None:
        """The region bound of an ``equal_functions`` claim."""
        return self._param("max_regions")


@dataclass(frozen=True)
class Problem:
    """A parsed claim file: title, data points (rows), named networks, claims."""

    title: str
    inputs: Matrix
    networks: tuple[tuple[str, Network], ...]
    claims: tuple[Claim, ...]
    description: str | None = None
    source: str | None = None

    def network(self, name: str) -> Network:
        """The network called *name* (KeyError if there is none)."""
        for n, net in self.networks:
            if n == name:
                return net
        raise KeyError(name)


@dataclass(frozen=True)
class Verdict:
    """The exact verdict on one claim, with its evidence.

    ``holds`` is True or False, or None when the claim is undecided within a
    stated bound (``equal_functions`` with a region bound); ``witness`` is the
    JSON-ready evidence a certificate carries (format per kind in
    ``docs/certificates.md``).
    """

    claim: Claim
    holds: bool | None
    explanation: str
    witness: dict[str, Any]

    @property
    def as_expected(self) -> bool:
        """Whether the verdict is the one the claim file expects (an undecided verdict never is)."""
        return self.holds is not None and self.holds == self.claim.expect
