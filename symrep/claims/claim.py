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
from typing import Any, Mapping, Sequence, cast

from symrep.exact.numbers import Matrix
from symrep.networks.network import Network

__all__ = ["Claim", "Networks", "Problem", "Verdict"]


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


class Networks(tuple):
    """The named networks of a problem: a mapping ``name -> Network`` that is also the tuple of pairs.

    ``networks["f"]``, ``"f" in networks``, ``keys()``, ``values()``, ``items()`` and ``get`` work as
    for a dict; iterating, ``len`` and ``==`` are those of the tuple of ``(name, network)`` pairs,
    as in symrep 0.1, so ``for name, net in problem.networks`` keeps working.

    >>> from symrep.networks.network import Layer
    >>> nets = Networks([("f", Network([Layer([[1]], "relu")]))])
    >>> nets["f"].widths, "f" in nets, list(nets.keys()), nets.get("g")
    ((1, 1), True, ['f'], None)
    """

    __slots__ = ()

    def __new__(cls, pairs: Any = ()) -> "Networks":
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        return super().__new__(cls, ((str(n), net) for n, net in items))

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            for n, net in tuple.__iter__(self):
                if n == key:
                    return net
            raise KeyError(key)
        return tuple.__getitem__(self, key)  # an index or slice: the pair(s), as in symrep 0.1

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return key in self.keys()
        return tuple.__contains__(self, key)

    def keys(self) -> list[str]:
        """The names, in file order."""
        return [n for n, _ in tuple.__iter__(self)]

    def values(self) -> list[Network]:
        """The networks, in file order."""
        return [net for _, net in tuple.__iter__(self)]

    def items(self) -> list[tuple[str, Network]]:
        """The ``(name, network)`` pairs, in file order."""
        return list(tuple.__iter__(self))

    def get(self, key: str, default: Any = None) -> Any:
        """The network called *key*, or *default*."""
        return self[key] if key in self.keys() else default


@dataclass(frozen=True)
class Problem:
    """A parsed claim file: title, data points (rows), named networks, claims.

    ``networks`` is a :class:`Networks`: ``problem.networks["f"]`` is the network ``f`` (as is
    ``problem["f"]`` and ``problem.network("f")``), and iterating gives ``(name, network)`` pairs.
    """

    title: str
    inputs: Matrix
    networks: Sequence[tuple[str, Network]]  # a Networks after construction
    claims: tuple[Claim, ...]
    description: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.networks, Networks):  # a tuple of pairs or a dict: the mapping of names
            object.__setattr__(self, "networks", Networks(self.networks))

    def network(self, name: str) -> Network:
        """The network called *name* (KeyError if there is none)."""
        return cast(Networks, self.networks)[name]

    def __getitem__(self, name: str) -> Network:
        """``problem["f"]``: the network called *name*, as ``problem.networks["f"]``."""
        return cast(Networks, self.networks)[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.networks

    def _repr_html_(self) -> str:
        from symrep.claims.display import problem_html

        return problem_html(self)


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

    def to_sympy(self) -> dict[str, Any]:
        """The witness with its exact numbers as ``Rational`` and its matrices as ``ImmutableMatrix``.

        Keys are those of ``witness``; matrix-shaped entries (an inverse, an isomorphism's matrix, a
        ladder level's map) become ``ImmutableMatrix``, number lists columns, sparse vectors and
        coefficient lists dicts of ``Rational`` (see :func:`symrep.exact.symbolic.witness_to_sympy`).
        """
        from symrep.exact.symbolic import witness_to_sympy

        return witness_to_sympy(self.witness)

    def _repr_html_(self) -> str:
        from symrep.claims.display import verdict_html

        return verdict_html(self)

    def _repr_latex_(self) -> str:
        from symrep.claims.display import verdict_latex

        return verdict_latex(self)
