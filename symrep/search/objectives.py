"""What a search aims for: the objectives, the statuses of a result, and exact facts about two layers.

>>> [str(o) for o in parse_objectives("no-match, max-match-at-most 2")]
['no-match', 'max-match-at-most 2']
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import InputError
from symrep.exact.linalg import Member, span_basis
from symrep.exact.numbers import Matrix
from symrep.measures.matching import MaximumMatch, maximum_match

#: Objective names (``max-match-at-most`` takes a number K).
OBJECTIVES = ("no-match", "max-match-at-most", "isomorphic-not-equal", "not-isomorphic", "beyond-symmetry")
METHODS = ("auto", "orbit", "layerwise", "smt")
MODES = ("data", "everywhere")

#: Result statuses.
FOUND = "found"
NONE_WITHIN = "none within these bounds"
STOPPED = "not found: stopped by a bound before the search was exhaustive"
IMPOSSIBLE = "impossible"
UNREACHABLE = "unreachable by this method"
UNAVAILABLE = "unavailable"

#: The name of the network found, in claim files and messages.
FOUND_NAME = "found"


@dataclass(frozen=True)
class Objective:
    """One objective: ``name`` from :data:`OBJECTIVES`, ``k`` for ``max-match-at-most``."""

    name: str
    k: int | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.k}" if self.k is not None else self.name


def parse_objectives(objective: Any, where: str = "objective") -> tuple[Objective, ...]:
    """Objectives from text (``"no-match"``, ``"max-match-at-most 2"``, comma-separated), or a sequence.

    >>> [str(o) for o in parse_objectives("no-match, isomorphic-not-equal")]
    ['no-match', 'isomorphic-not-equal']
    >>> parse_objectives("max-match-at-most=2")
    (Objective(name='max-match-at-most', k=2),)
    """
    if isinstance(objective, Objective):
        return (objective,)
    if isinstance(objective, str):
        parts = [p.strip() for p in objective.split(",") if p.strip()]
    elif isinstance(objective, Sequence):
        parts = list(objective)
    else:
        raise InputError(f"{where}: expected an objective name, got {type(objective).__name__}")
    if not parts:
        raise InputError(f"{where}: no objective given (one of: {', '.join(OBJECTIVES)})")
    out: list[Objective] = []
    for p in parts:
        if isinstance(p, Objective):
            out.append(p)
            continue
        if not isinstance(p, str):
            raise InputError(f"{where}: expected an objective name, got {type(p).__name__}")
        text = p.strip().lower().replace("_", "-")
        for sep in ("=", ":"):
            text = text.replace(sep, " ")
        words = text.split()
        name = words[0] if words else ""
        if name not in OBJECTIVES:
            raise InputError(f"{where}: {p!r} is not an objective (one of: {', '.join(OBJECTIVES)})")
        if name == "max-match-at-most":
            if len(words) != 2 or not words[1].isdigit():
                raise InputError(f"{where}: {p!r}: write max-match-at-most K with K a non-negative integer, "
                                 "e.g. 'max-match-at-most 2'")
            out.append(Objective(name, int(words[1])))
        else:
            if len(words) != 1:
                raise InputError(f"{where}: {p!r}: objective {name!r} takes no number")
            out.append(Objective(name))
    if len(set(out)) != len(out):
        raise InputError(f"{where}: an objective is given twice")
    return tuple(out)


class _Layers:
    """Exact facts about two activation matrices A (f) and B (f~) at the searched layer, computed lazily."""

    def __init__(self, A: Matrix, B: Matrix, d: int):
        self.A, self.B, self.d = A, B, d
        self._match: MaximumMatch | None = None
        self._ranks: tuple[int, int] | None = None
        self._equal: bool | None = None

    @property
    def match(self) -> MaximumMatch:
        if self._match is None:
            self._match = maximum_match(self.A, self.B)
        return self._match

    @property
    def ranks(self) -> tuple[int, int]:
        if self._ranks is None:
            self._ranks = (span_basis(self.A, self.d).rank, span_basis(self.B, self.d).rank)
        return self._ranks

    @property
    def equal_spans(self) -> bool:
        if self._equal is None:
            ra, rb = self.ranks
            if ra != rb:
                self._equal = False
            else:
                sb = span_basis(self.A, self.d)
                self._equal = all(isinstance(a, Member) for a in sb.express(self.B))
        return self._equal

    @property
    def scaled_permutation(self) -> bool:
        return Counter(_direction(r) for r in self.A) == Counter(_direction(r) for r in self.B)


def _objective_holds(o: Objective, L: _Layers) -> tuple[bool, str]:
    if o.name == "no-match":
        m = L.match
        return m.empty, "maximum match empty" if m.empty else f"maximum match X* = {list(m.x)}, Y* = {list(m.y)}"
    if o.name == "max-match-at-most":
        m = L.match
        n = len(m.x) + len(m.y)
        return n <= (o.k or 0), f"maximum match has {n} neurons (X* = {list(m.x)}, Y* = {list(m.y)})"
    if o.name == "isomorphic-not-equal":
        ra, rb = L.ranks
        if ra != rb:
            return False, f"dimensions {ra} and {rb}"
        return not L.equal_spans, f"both of dimension {ra}" + (", equal spans" if L.equal_spans else ", different spans")
    if o.name == "not-isomorphic":
        ra, rb = L.ranks
        return ra != rb, f"dimensions {ra} and {rb}"
    if o.name == "beyond-symmetry":
        sp = L.scaled_permutation
        return not sp, "a positive rescaling and permutation of f's activations" if sp else "not a scaled permutation"
    raise AssertionError(o)


def _all_hold(objectives: Sequence[Objective], L: _Layers) -> tuple[bool, str]:
    for o in objectives:
        ok, why = _objective_holds(o, L)
        if not ok:
            return False, f"{o}: {why}"
    return True, "all objectives hold"


def _direction(row: Sequence[Fraction]) -> tuple[int, ...]:
    """The primitive integer multiple of *row* by a positive factor (all zeros for a zero row)."""
    den = math.lcm(*(x.denominator for x in row)) if row else 1
    ints = [int(x * den) for x in row]
    g = math.gcd(*ints)
    return tuple(x // g for x in ints) if g else tuple(ints)

