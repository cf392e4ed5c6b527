"""The one-parameter decision: a claim whose networks use at most one parameter, decided piece by piece of the line.

The method (admissible set, sign splitting, generic decision over Q(t), algebraic points, self-check)
is the design note of :mod:`symrep.parametric.decide`, which dispatches a claim here or, for two
parameters, to :mod:`symrep.parametric.several`; both build on this module (the verdict type, the
exact forward pass over a field, :class:`_OneParameter` and the exact sets), so the imports go one
way: ``decide`` -> ``several`` -> ``line``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import product
from typing import Any, Callable

from symrep.claims.claim import Claim
from symrep.claims.kinds import REGISTRY
from symrep.errors import InputError, InternalError
from symrep.exact.field import FieldOps
from symrep.exact.numbers import format_number
from symrep.parametric.algebraic import _NF, Alg, _cmp, _horner, _inside, _nf_from, _real_roots, _sample, _sort_unique
from symrep.parametric.params import as_fraction
from symrep.parametric.problem import ParametricProblem

__all__ = ["FAMILY_DECIDERS", "GENERIC_KINDS", "LIMITS", "MAX_PIECES", "ParametricVerdict", "Undecided", "decide_on_line"]

#: Claim kinds decided exactly for one parameter (others: counterexample search only).
GENERIC_KINDS = tuple(name for name, k in REGISTRY.items() if k.symbolic)
#: Most pieces (intervals and points) explored for one claim before the verdict is "undecided".
MAX_PIECES = 2000
#: Deciders of kinds without a symbolic decision, for one parameter: kind -> f(problem, claim, name)
#: (``equal_functions`` registers itself from :mod:`symrep.parametric.functions`).
FAMILY_DECIDERS: dict[str, Callable[..., "ParametricVerdict"]] = {}
#: Exact limits of a kind's measured value, for one parameter: kind -> f(solver, pieces) -> (JSON entries, text)
#: (``cka`` and ``match_similarity`` register from :mod:`symrep.parametric.measures`).
LIMITS: dict[str, Callable[..., tuple[list[dict[str, Any]], str]]] = {}


class Undecided(Exception):
    """A bound was reached."""


# --- verdicts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParametricVerdict:
    """The verdict on one parametric claim.

    ``verdict``: True (holds for every admissible value), False, or ``"undecided"``.
    ``holds_when``: for one parameter, the exact set where the claim holds, as a list of
    ``{"low", "high", "low_closed", "high_closed"}`` intervals (``"-oo"``/``"oo"`` for no end)
    and ``{"point"}`` entries, exact text; None when not computed.  ``counterexample``: parameter
    values (rationals) where the claim fails, verified by substitution; ``explanation``: one line.
    """

    claim: Claim
    verdict: bool | str
    explanation: str
    holds_when: list[dict[str, Any]] | None = None
    counterexample: dict[str, Fraction] | None = None
    parameters: tuple[str, ...] = ()
    holds_when_text: str | None = None
    pieces: list = field(default_factory=list, repr=False)
    #: The certificate's witness when the decision built it with the verdict (``equal_functions``).
    proof: Any = field(default=None, repr=False, compare=False)
    #: Exact limits of the measured value (parametric ``cka``, ``match_similarity``), or None.
    limits: list[dict[str, Any]] | None = None

    @property
    def holds(self) -> bool | None:
        return self.verdict if isinstance(self.verdict, bool) else None

    @property
    def as_expected(self) -> bool:
        return self.holds is not None and self.holds == self.claim.expect

    def holds_at(self, value: Fraction) -> bool | None:
        """Whether the claim holds at a rational value of the (one) parameter, read off the exact set.

        None outside the admissible set (a pole, or against the sign assumption) or when no set was computed.
        """
        q = Alg(q=Fraction(value))
        for piece, v in self.pieces:
            if isinstance(piece, tuple):
                if _inside(q, *piece):
                    return v
            elif _cmp(piece, q) == 0:
                return v
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.claim.id, "kind": self.claim.kind, "verdict": self.verdict,
                               "expected": self.claim.expect, "explanation": self.explanation,
                               "parameters": list(self.parameters)}
        if self.holds_when is not None:
            out["holds_when"] = self.holds_when
            out["holds_when_text"] = self.holds_when_text
        if self.counterexample is not None:
            out["counterexample"] = {k: format_number(v) for k, v in self.counterexample.items()}
        if self.limits is not None:
            out["limits"] = self.limits
        return out


# --- deciding a claim over a field ---------------------------------------------------------------------


def _decide_generic(c: Claim, acts: list, d: int, ops: FieldOps) -> bool:
    """The claim's symbolic decision over the field of *ops* (see ``ClaimKind.decide_symbolic``)."""
    return REGISTRY[c.kind].decide_symbolic(c, acts, d, ops)


def _forward(layers, data_cols, relu: Callable[[Any], Any]):
    """Activation matrices (rows = neurons) of every layer over a field, given a ReLU on field elements."""
    h = data_cols
    out = [h]
    for w, b, act in layers:
        pre = [[sum((wk * hk[j] for wk, hk in zip(row, h)), bias) for j in range(len(h[0]))]
               for row, bias in zip(w, b)]
        h = [[relu(x) for x in row] for row in pre] if act == "relu" else pre
        out.append(h)
    return out


# --- one parameter --------------------------------------------------------------------------------------


class _Split(Exception):
    def __init__(self, points: list[Alg]):
        self.points = points


class _OneParameter:
    """Decide one claim whose networks depend on one parameter, piece by piece of the t-line."""

    def __init__(self, pp: ParametricProblem, claim: Claim, name: str):
        from sympy import QQ, Symbol
        from sympy.polys.fields import field

        self.pp, self.claim, self.name = pp, claim, name
        self.symbol = Symbol(name)
        self.K, self.t = field([Symbol(name)], QQ)
        k = pp.space.names.index(name)
        self.layers = {n: [(tuple(tuple(self._uni(x, k) for x in row) for row in w), tuple(self._uni(x, k) for x in b), a)
                           for w, b, a in pp.networks[n].layers] for n in claim.networks}
        self.data = pp.skeleton.inputs
        self.d = len(self.data)
        self.count = 0

    def _uni(self, f: Any, k: int) -> Any:
        ring = self.K.ring
        num = ring.from_dict({(m[k],): c for m, c in f.numer.terms()})
        den = ring.from_dict({(m[k],): c for m, c in f.denom.terms()})
        return self.K.new(num, den)

    @staticmethod
    def _coeffs(pe: Any) -> list[Fraction]:
        return [as_fraction(c) for c in pe.to_dense()]

    def _roots_of(self, f: Any, lo: Alg | None, hi: Alg | None) -> list[Alg]:
        pts = []
        for pe in (f.numer, f.denom):
            pts += [r for r in _real_roots(self._coeffs(pe), self.symbol) if _inside(r, lo, hi)]
        return pts

    def _at_rational(self, q: Fraction) -> bool:
        from symrep.claims.verdicts import decide

        problem = self.pp.instantiate({self.name: q}, self.claim.networks)
        v = decide(problem, self.claim)
        if v.holds is None:
            raise Undecided(v.explanation)
        return v.holds

    def _tick(self) -> None:
        self.count += 1
        if self.count > MAX_PIECES:
            raise Undecided(f"more than {MAX_PIECES} pieces of the {self.name}-line")

    # -- pieces -----------------------------------------------------------------------------------------

    def domain(self) -> tuple[list[tuple[Alg | None, Alg | None]], list[Alg]]:
        zero = Alg(q=Fraction(0))
        cells = {"positive": [(zero, None)], "negative": [(None, zero)], "nonzero": [(None, zero), (zero, None)],
                 "real": [(None, None)]}[self.pp.space.assumptions[self.name]]
        poles: list[Alg] = []
        for n in self.claim.networks:
            for w, b, _ in self.layers[n]:
                for x in [e for row in w for e in row] + list(b):
                    poles += _real_roots(self._coeffs(x.denom), self.symbol)
        poles = _sort_unique(poles)
        out = []
        for lo, hi in cells:
            inner = [p for p in poles if _inside(p, lo, hi)]
            ends = [lo] + inner + [hi]
            out += list(zip(ends[:-1], ends[1:]))
        return out, [p for p in poles if any(_inside(p, lo, hi) for lo, hi in cells)]

    def solve_point(self, p: Alg) -> bool:
        self._tick()
        if p.rational:
            return self._at_rational(p.q)

        def relu(x: _NF) -> _NF:
            return x if x.sign() > 0 else x._wrap(x.p * 0)

        from sympy import QQ, Poly

        def const(q: Fraction) -> _NF:
            return _NF(Poly.from_list([QQ(q.numerator, q.denominator)], self.symbol, domain=QQ), p)

        cols = [[const(x) for x in col] for col in zip(*self.data)]
        acts = []
        for n in self.claim.networks:
            layers = [(tuple(tuple(_nf_from(x, p, self.symbol) for x in row) for row in w),
                       tuple(_nf_from(x, p, self.symbol) for x in b), a) for w, b, a in self.layers[n]]
            acts.append(_forward(layers, cols, relu)[self.claim.layer])
        return _decide_generic(self.claim, acts, self.d, FieldOps(lambda x: x.is_zero(), const, sign=lambda x: x.sign()))

    def solve_interval(self, lo: Alg | None, hi: Alg | None) -> list[tuple[Any, bool]]:
        """Pieces ``((lo, hi), value)`` and ``(point, value)`` covering the open interval, in order."""
        self._tick()
        s = _sample(lo, hi)

        def relu(x: Any) -> Any:
            if x == 0:
                return x
            pts = self._roots_of(x, lo, hi)
            if pts:
                raise _Split(pts)
            return x if _horner(self._coeffs(x.numer), s) / _horner(self._coeffs(x.denom), s) > 0 else x * 0

        cols = [[self.K(self.K.domain(x.numerator, x.denominator)) for x in col] for col in zip(*self.data)]
        try:
            acts = [_forward(self.layers[n], cols, relu)[self.claim.layer] for n in self.claim.networks]
        except _Split as sp:
            return self._cut(lo, hi, sp.points, None)
        notes: list[Any] = []
        const = lambda q: self.K(self.K.domain(q.numerator, q.denominator))  # noqa: E731

        def sign(x: Any) -> int:  # a claim's comparisons split the interval where they change sign, as ReLUs do
            return 0 if x == 0 else (relu(x) != 0) * 2 - 1

        try:
            generic = _decide_generic(self.claim, acts, self.d, FieldOps(lambda x: x == 0, const, notes.append, sign))
        except _Split as sp:
            return self._cut(lo, hi, sp.points, None)
        exceptional = [r for f in notes for r in self._roots_of(f, lo, hi)]
        return self._cut(lo, hi, exceptional, generic)

    def _cut(self, lo, hi, points, generic):
        pts = _sort_unique(points)
        ends = [lo] + pts + [hi]
        out: list[tuple[Any, bool]] = []
        for k, (a, b) in enumerate(zip(ends[:-1], ends[1:])):
            if generic is None:
                out += self.solve_interval(a, b)
            else:
                self._tick()
                q = _sample(a, b)
                if self._at_rational(q) != generic:  # self-check against the normal verifier
                    raise AssertionError(f"generic verdict {generic} disagrees with the verifier at {self.name} = {q}")
                out.append(((a, b), generic))
            if k < len(pts):
                out.append((pts[k], self.solve_point(pts[k])))
        return out

    def run(self) -> tuple[list[tuple[Any, bool]], list[Alg]]:
        cells, poles = self.domain()
        pieces = []
        for lo, hi in cells:
            pieces += self.solve_interval(lo, hi)
        return pieces, poles


def _segments(pieces, value: bool) -> list[list]:
    """Merge pieces with the given value into segments [lo, hi, lo_closed, hi_closed] (None = infinite)."""
    segs: list[list | None] = []
    for piece, v in pieces:
        seg = [piece[0], piece[1], False, False] if isinstance(piece, tuple) else [piece, piece, True, True]
        if v != value:
            segs.append(None)
            continue
        last = segs[-1] if segs else None
        if (last is not None and last[1] is not None and seg[0] is not None and _cmp(last[1], seg[0]) == 0
                and last[3] != seg[2]):
            last[1], last[3] = seg[1], seg[3]
        else:
            segs.append(seg)
    return [s for s in segs if s is not None]


def _seg_json(seg, symbol) -> dict[str, Any]:
    lo, hi, lc, hc = seg
    if lc and hc and lo is hi:
        return {"point": lo.text(symbol)}
    return {"low": "-oo" if lo is None else lo.text(symbol), "high": "oo" if hi is None else hi.text(symbol),
            "low_closed": lc, "high_closed": hc}


def _seg_text(j: dict[str, Any]) -> str:
    if "point" in j:
        return "{" + j["point"] + "}"
    return ("[" if j["low_closed"] else "(") + f"{j['low']}, {j['high']}" + ("]" if j["high_closed"] else ")")


def _set_text(items: list[dict[str, Any]]) -> str:
    return " U ".join(_seg_text(j) for j in items) or "{} (nowhere)"


# --- search by substitution (several parameters, or a kind without a symbolic decision) ---------------

_CANDIDATES = {
    "positive": [Fraction(1), Fraction(2), Fraction(1, 2), Fraction(3), Fraction(1, 3)],
    "negative": [Fraction(-1), Fraction(-2), Fraction(-1, 2), Fraction(-3), Fraction(-1, 3)],
    "nonzero": [Fraction(1), Fraction(-1), Fraction(2), Fraction(-2), Fraction(1, 2), Fraction(-1, 2)],
    "real": [Fraction(0), Fraction(1), Fraction(-1), Fraction(2), Fraction(-2), Fraction(1, 2)],
}


def _search(pp: ParametricProblem, claim: Claim, names: list[str], limit: int = 200):
    """A verified counterexample among small rational points, and how many points were tried."""
    from symrep.claims.verdicts import decide

    tried = 0
    for values in product(*(_CANDIDATES[pp.space.assumptions[n]] for n in names)):
        if tried >= limit:
            break
        point = dict(zip(names, values))
        full = {n: point.get(n, Fraction(1)) for n in pp.space.names}
        try:
            problem = pp.instantiate(full, claim.networks)
        except InputError:  # a pole
            continue
        tried += 1
        v = decide(problem, claim)
        if v.holds is False:
            return point, v, tried
    return None, None, tried


# --- a claim of at most one parameter -------------------------------------------------------------------


def decide_on_line(pp: ParametricProblem, claim: Claim) -> ParametricVerdict:
    """Decide a claim whose networks use at most one parameter (see the design note of :mod:`symrep.parametric.decide`)."""
    names = pp.parameters_of(claim.networks)
    if len(names) > 1:
        raise InternalError(f"claim {claim.id!r}: {len(names)} parameters reached the one-parameter decision")
    if not names:
        from symrep.claims.verdicts import decide

        v = decide(pp.instantiate({n: Fraction(1) for n in pp.space.names}, claim.networks), claim)
        return ParametricVerdict(claim, "undecided" if v.holds is None else v.holds,
                                 "the claim's networks use no parameter: " + v.explanation)
    if claim.kind in FAMILY_DECIDERS:
        try:
            return FAMILY_DECIDERS[claim.kind](pp, claim, names[0])
        except Undecided as e:
            return ParametricVerdict(claim, "undecided", f"undecided: {e}", parameters=tuple(names))
    if claim.kind in GENERIC_KINDS and REGISTRY[claim.kind].supports_symbolic(claim):
        try:
            return _with_limits(pp, _one(pp, claim, names[0]))
        except Undecided as e:
            return ParametricVerdict(claim, "undecided", f"undecided: {e}", parameters=tuple(names))
    return by_search(pp, claim, names, f"kind {claim.kind!r} is not decided symbolically")


def by_search(pp: ParametricProblem, claim: Claim, names: list[str], why: str) -> ParametricVerdict:
    """False with a verified counterexample among small rational points, else "undecided" for the reason *why*."""
    point, v, tried = _search(pp, claim, names)
    if point is not None:
        at = ", ".join(f"{k} = {format_number(q)}" for k, q in point.items())
        return ParametricVerdict(claim, False, f"fails at {at} (verified by substitution): {v.explanation}",
                                 counterexample=point, parameters=tuple(names))
    return ParametricVerdict(claim, "undecided", f"undecided: {why}; the claim held at all {tried} rational "
                             "sample points tried", parameters=tuple(names))


def _with_limits(pp: ParametricProblem, v: ParametricVerdict) -> ParametricVerdict:
    """The verdict with the kind's exact limits (:data:`LIMITS`) in ``limits`` and the explanation."""
    if v.claim.kind not in LIMITS or not v.pieces:
        return v
    entries, text = LIMITS[v.claim.kind](_OneParameter(pp, v.claim, v.parameters[0]), v.pieces)
    return replace(v, limits=entries, explanation=v.explanation + (f"; {text}" if text else ""))


def _one(pp: ParametricProblem, claim: Claim, name: str) -> ParametricVerdict:
    solver = _OneParameter(pp, claim, name)
    pieces, poles = solver.run()
    true_j = [_seg_json(s, solver.symbol) for s in _segments(pieces, True)]
    text = _set_text(true_j)
    assumption = pp.space.assumptions[name]
    excl = f" (excluding poles {', '.join(p.text(solver.symbol) for p in poles)})" if poles else ""
    if all(v for _, v in pieces):
        return ParametricVerdict(claim, True, f"holds for every {assumption} {name}{excl}", true_j, None, (name,), text, pieces)
    # a rational counterexample: a failing rational point, or a sample point of a failing interval
    bad = None
    for piece, v in pieces:
        if not v:
            if isinstance(piece, tuple):
                bad = _sample(*piece)
                break
            if piece.rational and bad is None:
                bad = piece.q
    false_text = _set_text([_seg_json(s, solver.symbol) for s in _segments(pieces, False)])
    if bad is not None:
        from symrep.claims.verdicts import decide

        check = decide(pp.instantiate({name: bad}, claim.networks), claim)
        if check.holds is not False:
            raise InternalError(f"claim {claim.id!r}: the counterexample {name} = {format_number(bad)} is not confirmed")
        expl = (f"fails at {name} = {format_number(bad)} (verified by substitution: {check.explanation}); "
                f"holds exactly for {name} in {text}{excl}")
        return ParametricVerdict(claim, False, expl, true_j, {name: bad}, (name,), text, pieces)
    return ParametricVerdict(claim, False, f"fails only at irrational values {name} in {false_text}; holds for "
                             f"{name} in {text}{excl}", true_j, None, (name,), text, pieces)
