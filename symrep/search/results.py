"""The bounds of a search, the evidence it keeps, and its result (with the claim file and certificate of a find).

>>> SearchBounds.of({"entries": 1}).entries
1
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from symrep.claims.files import Problem, _layer_to_json, dumps_toml, problem_from_mapping
from symrep.errors import InputError, SymrepError
from symrep.exact.numbers import Matrix, Vector, format_number
from symrep.networks.network import Network
from symrep.search.objectives import FOUND, FOUND_NAME, Objective

_ZERO = Fraction(0)
_s = format_number



@dataclass(frozen=True)
class SearchBounds:
    """The bounds of a search; every result states them.

    entries
        Layer-wise: weights and biases of the enumerated neurons are integers in ``[-entries, entries]``.
    max_candidates
        Layer-wise: candidate layers examined per data set (structured ones included).
    max_seconds
        Wall-clock limit for the whole search.
    max_pool
        Layer-wise: at most this many grid neurons are generated (smallest first).
    point_range
        Extra data points have integer coordinates in ``[-point_range, point_range]``.
    max_point_sets
        At most this many sets of extra points are tried.
    orbit_elements
        Orbit: symmetry-orbit elements generated and checked.
    smt_entries, smt_timeout, smt_rounds
        SMT: weights of layer ``i`` in ``[-smt_entries, smt_entries]`` (reals), seconds per
        solver call, and solver calls per data set (a model failing the exact check is blocked).
    smt_strategy
        ``"joint"`` (one bilinear query over both layers), ``"lazy"`` (z3 chooses integer weights
        of layer ``i``; symrep solves layer ``i+1`` exactly and returns cuts) or ``"auto"`` (a short
        joint query, then lazy; the default).
    max_evidence
        Infeasibility witnesses kept in the result.
    """

    entries: int = 2
    max_candidates: int = 20000
    max_seconds: float = 60.0
    max_pool: int = 20000
    point_range: int = 1
    max_point_sets: int = 200
    orbit_elements: int = 24
    smt_entries: int = 4
    smt_timeout: float = 10.0
    smt_rounds: int = 200
    smt_strategy: str = "auto"
    max_evidence: int = 20

    @classmethod
    def of(cls, bounds: Any) -> "SearchBounds":
        if bounds is None:
            return cls()
        if isinstance(bounds, SearchBounds):
            b = bounds
        elif isinstance(bounds, dict):
            unknown = sorted(set(bounds) - set(cls.__dataclass_fields__))
            if unknown:
                raise InputError(f"bounds: unknown field {unknown[0]!r} (allowed: {', '.join(cls.__dataclass_fields__)})")
            b = cls(**bounds)
        else:
            raise InputError(f"bounds: expected a SearchBounds or a dict, got {type(bounds).__name__}")
        for name in ("entries", "max_candidates", "max_pool", "point_range", "max_point_sets", "orbit_elements",
                     "smt_entries", "smt_rounds", "max_evidence"):
            v = getattr(b, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise InputError(f"bounds: {name} must be a non-negative integer, got {v!r}")
        if b.smt_strategy not in ("auto", "lazy", "joint"):
            raise InputError(f"bounds: smt_strategy must be 'auto', 'lazy' or 'joint', got {b.smt_strategy!r}")
        for name in ("max_seconds", "smt_timeout"):
            v = getattr(b, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0:
                raise InputError(f"bounds: {name} must be a positive number of seconds, got {v!r}")
        return b

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Infeasibility:
    """Proof that no layer ``i+1`` makes a candidate agree with ``f``.

    ``kind == "orthogonal"``: the rows of ``system`` (``H~`` and the all-ones row, or in
    everywhere mode their function coordinates) span every combination layer ``i+1`` can
    produce; ``vector`` is orthogonal to each of them but ``target . vector == product != 0``,
    so the target row (``f``'s, for output neuron ``neuron`` of layer ``i+1``) is not such a
    combination.  ``kind == "farkas"`` (ReLU layer ``i+1``): ``system`` holds the rows of
    the LP (coefficients, relation, bound) and ``vector`` its Motzkin/Farkas multipliers.
    """

    candidate: int
    neuron: int
    kind: str
    system: Matrix
    target: Vector
    vector: Vector
    product: Fraction
    hidden: Matrix
    relations: tuple[str, ...] = ()
    bounds: Vector = ()

    def check(self) -> bool:
        """Re-check the witness with multiplication and addition only (no symrep linear algebra)."""
        if self.kind == "orthogonal":
            if any(sum((a * w for a, w in zip(row, self.vector)), _ZERO) != 0 for row in self.system):
                return False
            prod = sum((t * w for t, w in zip(self.target, self.vector)), _ZERO)
            return prod == self.product and prod != 0
        if self.kind == "farkas":
            y = self.vector
            if len(y) != len(self.system):
                return False
            for yi, rel in zip(y, self.relations):
                if rel != "==" and yi < 0:
                    return False
            n = len(self.system[0]) if self.system else 0
            combo = [sum((yi * row[j] for yi, row in zip(y, self.system)), _ZERO) for j in range(n)]
            if any(combo):
                return False
            rhs = sum((yi * b for yi, b in zip(y, self.bounds)), _ZERO)
            strict = any(yi > 0 and rel == "<" for yi, rel in zip(y, self.relations))
            return rhs < 0 or (rhs == 0 and strict)
        return False

    def to_json(self) -> dict[str, Any]:
        out = {
            "candidate": self.candidate,
            "neuron": self.neuron,
            "kind": self.kind,
            "hidden": _mat(self.hidden),
            "system": _mat(self.system),
            "vector": [_s(x) for x in self.vector],
        }
        if self.kind == "orthogonal":
            out["target"] = [_s(x) for x in self.target]
            out["product"] = _s(self.product)
        else:
            out["relations"] = list(self.relations)
            out["bounds"] = [_s(x) for x in self.bounds]
        return out


def _mat(m: Matrix) -> list[list[str]]:
    return [[_s(x) for x in row] for row in m]


@dataclass
class SearchResult:
    """What a search found, or why it did not, with its bounds.

    Attributes
    ----------
    status
        :data:`FOUND`, :data:`NONE_WITHIN` (exhaustive within the bounds),
        :data:`STOPPED` (a bound stopped it first), :data:`IMPOSSIBLE` (no network can meet
        the objective; ``message`` says why), :data:`UNREACHABLE` (orbit: the method cannot
        meet it; ``network`` is an orbit element, with its full match), :data:`UNAVAILABLE`.
    network
        The network found (or the orbit element shown), same architecture as ``reference``.
    inputs
        The data, the added points last (``added`` lists them).
    claims
        Claim dicts (claim-file fields; numbers as exact strings) about ``reference_name``
        and ``found``, each verified to be as expected.
    verdicts
        ``(claim id, verdict, expect)`` for each claim, from :func:`symrep.verify_problem`.
    evidence
        Infeasibility witnesses (:class:`Infeasibility`) of candidates that met the
        objective but could not be completed, at most ``bounds.max_evidence``.
    everywhere
        With ``mode="everywhere"``: the proof that the two networks are equal as functions.
    attempts
        One dict per method tried (``method``, ``status``, ``candidates``, ``seconds``).
    """

    status: str
    method: str
    mode: str
    objectives: tuple[Objective, ...]
    layer: int
    reference: Network
    reference_name: str
    inputs: Matrix
    added: Matrix = ()
    network: Network | None = None
    claims: list[dict[str, Any]] = field(default_factory=list)
    verdicts: list[tuple[str, bool | None, bool]] = field(default_factory=list)
    bounds: SearchBounds = field(default_factory=SearchBounds)
    search_space: list[str] = field(default_factory=list)
    exhaustive: bool = False
    candidates: int = 0
    seconds: float = 0.0
    message: str = ""
    evidence: list[Infeasibility] = field(default_factory=list)
    infeasible: int = 0
    everywhere: dict[str, Any] | None = None
    attempts: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None

    @property
    def found(self) -> bool:
        return self.status == FOUND

    # --- output --------------------------------------------------------------------------

    def problem(self, title: str | None = None) -> Problem:
        """The claim file as a :class:`~symrep.claims.Problem` (``f`` and ``found``, the data, the claims)."""
        return problem_from_mapping(self._document(title))

    def _document(self, title: str | None) -> dict[str, Any]:
        if self.network is None:
            raise SymrepError(f"no network to write: the search result is {self.status!r}")
        objective = ", ".join(map(str, self.objectives))
        t = title or (f"symrep search: {self.reference_name} and a network found by the {self.method} method "
                      f"({objective} at layer {self.layer}, {self.mode} mode)")
        desc = [
            f"Found by `symrep search` ({self.method} method, {self.mode} mode) after {self.candidates} candidates.",
            f"Objective at layer {self.layer}: {objective}. Status: {self.status}.",
        ]
        if self.added:
            points = ", ".join("(" + ", ".join(map(_s, p)) + ")" for p in self.added)
            desc.append(f"Data points added by the search: {points}.")
        desc.append("Search space: " + " ".join(self.search_space))
        if self.everywhere is not None:
            claimed = any(c.get("kind") == "equal_functions" for c in self.claims)
            desc.append("The two networks compute the same function everywhere: " + self.everywhere.get("summary", "")
                        + (" (claim 'same-function' states it)." if claimed else
                           " (the search result carries this proof; these claim files have no claim kind for it)."))
        doc = {
            "title": t,
            "description": "\n".join(desc),
            "data": {"inputs": [[_s(x) for x in row] for row in self.inputs]},
            "networks": {
                self.reference_name: {"layers": [_layer_to_json(l) for l in self.reference.layers]},
                FOUND_NAME: {"layers": [_layer_to_json(l) for l in self.network.layers]},
            },
            "claims": [dict(c) for c in self.claims],
        }
        if self.source:
            doc["source"] = self.source
        return doc

    def to_toml(self, title: str | None = None) -> str:
        """Claim-file TOML text (via :func:`symrep.claims.dumps_toml`)."""
        return dumps_toml(self.problem(title))

    def write_claim_file(self, path: str | Path, title: str | None = None) -> Path:
        """Write the claim file; ``symrep verify PATH`` confirms every claim."""
        p = Path(path)
        try:
            p.write_text(self.to_toml(title), encoding="utf-8")
        except OSError as e:
            raise SymrepError(f"{p}: cannot write the claim file ({e.strerror or e})") from None
        return p

    def certificate(self) -> dict[str, Any]:
        """The certificate of the claim file (:func:`symrep.certificates.certify`)."""
        from symrep.certificates.writer import certify

        return certify(self.problem())

    def write_certificate(self, path: str | Path) -> Path:
        from symrep.certificates.writer import dump_certificate

        p = Path(path)
        try:
            p.write_text(dump_certificate(self.certificate()), encoding="utf-8")
        except OSError as e:
            raise SymrepError(f"{p}: cannot write the certificate ({e.strerror or e})") from None
        return p

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "found": self.found,
            "method": self.method,
            "mode": self.mode,
            "objectives": [str(o) for o in self.objectives],
            "layer": self.layer,
            "network": self.reference_name,
            "message": self.message,
            "bounds": self.bounds.to_json(),
            "search_space": list(self.search_space),
            "exhaustive": self.exhaustive,
            "candidates": self.candidates,
            "seconds": round(self.seconds, 3),
            "inputs": _mat(self.inputs),
            "added_points": _mat(self.added),
            "found_network": None if self.network is None else {"layers": [_layer_to_json(l) for l in self.network.layers]},
            "claims": self.claims,
            "verdicts": [{"id": i, "verdict": v, "expect": e, "as_expected": v == e} for i, v, e in self.verdicts],
            "infeasible_candidates": self.infeasible,
            "evidence": [e.to_json() for e in self.evidence],
            "everywhere": self.everywhere,
            "attempts": self.attempts,
        }

