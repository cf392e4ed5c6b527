"""Certificates for parametric verdicts (``symrep-parametric-certificate/1``).

Design note
-----------
The certificate embeds the parametric problem: ``parameters`` (name -> assumption), the numeric
data, networks whose entries are ``"p/q"`` or ``{"num": [[exponents, "c"], ...], "den": [...]}``
(one exponent per declared parameter), the claims.  Per claim, the result is one of

* ``{"parameter": t, "pieces": [...]}``: the t-line's admissible set cut into open intervals
  ``{"low", "high", "sample", "holds", "proof"}``, points ``{"point", "holds", "proof"}`` and left-out
  points ``{"excluded": end}`` (poles, the 0 of a ``nonzero`` parameter), in order.  An end is
  ``null`` (infinite), ``"p/q"``, or ``{"root": [coefficients, lowest first], "in": [a, b]}`` (the
  one root of that polynomial in (a, b)).  A proof is the numeric kind's witness with entries
  rational functions of t (``"p/q"`` or ``[numerator, denominator]``, coefficients lowest first):
  see :mod:`symrep.parametric.witness`.  The decision's pieces (:mod:`symrep.parametric.decide`)
  are cut further at the real roots of every element the witness needs non-zero (a coefficient's
  denominator, ``w . z``), so that each identity and each sign the checker tests holds on the
  whole piece; the points cut off get their own proof over ``Q`` or ``Q[t]/(m)``.
* ``{"counterexample": {name: "p/q", ...}, "witness": ordinary witness}`` for a false verdict with a
  rational counterexample (any number of parameters): the checker substitutes and checks the
  numeric claim's failure with the ordinary witness.

A verdict without one of these (an irrational-only failure, a kind without a piece proof) is
written ``"undecided"`` with the reason: the certificate proves nothing it cannot back.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from symrep import __version__
from symrep.claims.claim import Claim
from symrep.claims.files import problem_to_json
from symrep.parametric.algebraic import _NF, Alg, _horner, _nf_from, _sample, _sort_unique
from symrep.parametric.decide import ParametricProblem, ParametricVerdict, _forward, _OneParameter, verify_parametric
from symrep.parametric.params import as_fraction
from symrep.parametric.measures import MEASURE_KINDS, measure_evidence
from symrep.parametric.witness import KINDS, Evidence, Field, claim_evidence

__all__ = ["FORMAT", "parametric_certificate", "certify_parametric"]

FORMAT = "symrep-parametric-certificate/1"
#: The writer of two-parameter cells, ``f(problem, verdict) -> witness dict or the reason there is none``;
#: :mod:`symrep.parametric.plane` registers it (it builds on this module, so it cannot be imported here).
PLANE_WRITERS: dict[str, Any] = {}


def _q(x: Any) -> str:
    return str(Fraction(x))


def entry_json(f: Any) -> Any:
    """A field element of QQ(parameters) as certificate JSON."""
    if f.numer.is_ground and f.denom.is_ground:
        return _q(as_fraction(f.numer.LC) / as_fraction(f.denom.LC)) if f.numer else "0"
    return {key: [[list(m), _q(as_fraction(c))] for m, c in sorted(p.terms())] for key, p in (("num", f.numer), ("den", f.denom))}


def _rf_json(x: Any) -> Any:
    """An element of QQ(t) as a witness entry: "p/q", or [numerator, denominator] coefficients lowest first."""
    if x.denom.is_ground and x.numer.is_ground:
        return _q(as_fraction(x.numer.LC) / as_fraction(x.denom.LC)) if x.numer else "0"
    return [[_q(as_fraction(c)) for c in reversed(p.to_dense())] for p in (x.numer, x.denom)]


class _Ends:
    """JSON of the ends of pieces, fixed the first time an end is written (adjacent pieces share it)."""

    def __init__(self) -> None:
        self.cache: dict[int, Any] = {}

    def __call__(self, a: Alg | None) -> Any:
        if a is None:
            return None
        if id(a) not in self.cache:
            if a.rational:
                self.cache[id(a)] = _q(a.q)
            else:
                self.cache[id(a)] = {"root": [_q(as_fraction(c)) for c in reversed(a.m.all_coeffs())],
                                     "in": [_q(a.lo), _q(a.hi)]}
        return self.cache[id(a)]


class _Pieces:
    """Build the pieces of one claim over one parameter from the decision's pieces."""

    def __init__(self, pp: ParametricProblem, claim: Claim, name: str):
        self.solver = _OneParameter(pp, claim, name)
        self.claim, self.ends = claim, _Ends()
        self.decided: list[tuple[Any, bool]] = []  # (piece, verdict) in order, as decide's pieces
        self.evidence: Any = self._data_evidence
        K = self.solver.K
        self.KF = Field(lambda x: x == 0, lambda q: K(K.domain(Fraction(q).numerator, Fraction(q).denominator)), _rf_json)

    # -- activations over the three kinds of field -------------------------------------------------

    def layers_at(self, kind: str, at: Any) -> dict[str, list]:
        """The claim's networks' layers over the field: 'interval' (QQ(t)), 'rational' (Q), 'point' (Q[t]/(m))."""
        s = self.solver
        if kind == "interval":
            return s.layers
        def ev(x: Any) -> Any:
            if kind == "rational":
                return _horner(s._coeffs(x.numer), at) / _horner(s._coeffs(x.denom), at)
            return _nf_from(x, at, s.symbol)
        return {n: [(tuple(tuple(ev(x) for x in row) for row in w), tuple(ev(x) for x in b), a) for w, b, a in ls]
                for n, ls in s.layers.items()}

    def field_at(self, kind: str, at: Any) -> tuple[Field, Any, Any]:
        """(Field, relu, constant) for the piece."""
        s = self.solver
        if kind == "interval":
            def relu(x: Any) -> Any:
                if x == 0:
                    return x
                return x if _horner(s._coeffs(x.numer), at) / _horner(s._coeffs(x.denom), at) > 0 else x * 0
            return self.KF, relu, self.KF.const
        if kind == "rational":
            F = Field(lambda x: x == 0, Fraction, _q)
            return F, (lambda x: x if x > 0 else Fraction(0)), Fraction
        from sympy import QQ, Poly

        def const(q: Any) -> _NF:
            q = Fraction(q)
            return _NF(Poly.from_list([QQ(q.numerator, q.denominator)], s.symbol, domain=QQ), at)

        def nf_json(x: _NF) -> Any:
            return [[_q(as_fraction(c)) for c in reversed(x.p.all_coeffs())], ["1"]] if not x.is_zero() else "0"
        return Field(lambda x: x.is_zero(), const, nf_json), (lambda x: x if x.sign() > 0 else x._wrap(x.p * 0)), const

    def _data_evidence(self, kind: str, at: Any) -> Evidence:
        F, relu, const = self.field_at(kind, at)
        layers = self.layers_at(kind, at)
        cols = [[const(x) for x in col] for col in zip(*self.solver.data)]
        acts = [_forward(layers[n], cols, relu)[self.claim.layer] for n in self.claim.networks]
        return claim_evidence(self.claim, acts, F)

    # -- pieces -------------------------------------------------------------------------------------

    def point(self, p: Alg, value: bool | None) -> dict[str, Any]:
        """A point piece; *value* None: the evidence decides (else it must agree with the decision)."""
        self.solver._tick()
        ev = self.evidence("rational", p.q) if p.rational else self.evidence("point", p)
        if value is not None and ev.holds != value:
            raise AssertionError(f"the proof at {p.text(self.solver.symbol)} disagrees with the decision")
        self.decided.append((p, ev.holds))
        return {"point": self.ends(p), "holds": ev.holds, "proof": ev.proof}

    def interval(self, lo: Alg | None, hi: Alg | None, value: bool | None) -> list[dict[str, Any]]:
        """Interval pieces covering (lo, hi), cut where an element the proof needs non-zero vanishes."""
        self.solver._tick()
        self.current = (lo, hi)  # the interval whose evidence is asked for (equal_functions samples inside it)
        ev = self.evidence("interval", _sample(lo, hi))
        if value is not None and ev.holds != value:
            raise AssertionError("the proof on an interval disagrees with the decision")
        cuts = _sort_unique([r for f in ev.critical for r in self.solver._roots_of(f, lo, hi)])
        if not cuts:
            self.decided.append(((lo, hi), ev.holds))
            return [{"low": self.ends(lo), "high": self.ends(hi), "sample": _q(_sample(lo, hi)), "holds": ev.holds,
                     "proof": ev.proof}]
        out: list[dict[str, Any]] = []
        ends = [lo, *cuts, hi]
        for k, (a, b) in enumerate(zip(ends[:-1], ends[1:])):
            out += self.interval(a, b, value)
            if k < len(cuts):
                out.append(self.point(cuts[k], value))
        return out

    def run(self, pieces: list[tuple[Any, bool | None]]) -> dict[str, Any]:
        out: list[dict[str, Any]] = []
        previous_interval = False
        for piece, value in pieces:
            if isinstance(piece, tuple):
                if previous_interval:  # two intervals meet at a point outside the admissible set
                    out.append({"excluded": self.ends(piece[0])})
                out += self.interval(piece[0], piece[1], value)
                previous_interval = True
            else:
                out.append(self.point(piece, value))
                previous_interval = False
        return {"parameter": self.solver.name, "pieces": out}


def _measure_pieces(pp: ParametricProblem, claim: Claim, name: str) -> _Pieces:
    """Pieces proved by :func:`symrep.parametric.measures.measure_evidence` (``cka``, ``match_similarity``)."""
    P = _Pieces(pp, claim, name)
    s = P.solver

    def evidence(kind: str, at: Any) -> Evidence:
        F, relu, const = P.field_at(kind, at)
        layers = P.layers_at(kind, at)
        acts = [_forward(layers[n], [[const(x) for x in col] for col in zip(*s.data)], relu)[claim.layer]
                for n in claim.networks]
        sgn = lambda q: (q > 0) - (q < 0)  # noqa: E731
        sign = {"interval": lambda x: 0 if x == 0 else sgn(_horner(s._coeffs(x.numer), at) / _horner(s._coeffs(x.denom), at)),
                "rational": sgn, "point": lambda x: x.sign()}[kind]
        return measure_evidence(claim, acts, s.d, F, sign)

    P.evidence = evidence
    return P


def _counterexample(pp: ParametricProblem, claim: Claim, point: dict[str, Fraction]) -> dict[str, Any]:
    from symrep.claims.verdicts import decide

    default = {"positive": Fraction(1), "negative": Fraction(-1), "nonzero": Fraction(1), "real": Fraction(0)}
    full = {n: point.get(n, default[pp.space.assumptions[n]]) for n in pp.space.names}
    v = decide(pp.instantiate(full, claim.networks), claim)
    if v.holds is not False:
        raise AssertionError("the counterexample is not confirmed by the verifier")
    return {"counterexample": {n: _q(x) for n, x in full.items()}, "witness": v.witness}


def claim_result(pp: ParametricProblem, v: ParametricVerdict) -> dict[str, Any]:
    """The certificate's result for one parametric verdict."""
    c = v.claim
    head = {"id": c.id, "kind": c.kind}
    if v.verdict == "undecided":
        return {**head, "verdict": "undecided", "witness": {"reason": v.explanation}}
    if v.proof is not None:
        return {**head, "verdict": v.verdict, "witness": v.proof}
    if len(v.parameters) == 1 and v.pieces and c.kind in KINDS:
        return {**head, "verdict": v.verdict, "witness": _Pieces(pp, c, v.parameters[0]).run(v.pieces)}
    if len(v.parameters) == 1 and v.pieces and c.kind in MEASURE_KINDS:
        return {**head, "verdict": v.verdict, "witness": _measure_pieces(pp, c, v.parameters[0]).run(v.pieces)}
    if len(v.parameters) == 2 and v.holds_when is not None and c.kind in KINDS:  # the cells of the plane
        w = PLANE_WRITERS["cells"](pp, v)
        if isinstance(w, dict):
            return {**head, "verdict": v.verdict, "witness": w}
        if v.verdict is not False or v.counterexample is None:
            return {**head, "verdict": "undecided", "witness": {"reason": f"no certificate form for the cells: {w}",
                                                                "decided": v.verdict}}
    if v.verdict is False and v.counterexample is not None:
        return {**head, "verdict": False, "witness": _counterexample(pp, c, v.counterexample)}
    return {**head, "verdict": "undecided", "witness": {
        "reason": f"no certificate form for this verdict ({v.explanation})", "decided": v.verdict}}


def parametric_certificate(pp: ParametricProblem, verdicts: list[ParametricVerdict]) -> dict[str, Any]:
    """The certificate of a parametric problem given its verdicts (one per claim, in order)."""
    doc = problem_to_json(pp.skeleton)
    problem: dict[str, Any] = {k: doc[k] for k in ("title", "description", "source") if k in doc}
    problem["parameters"] = dict(pp.space.assumptions)
    problem["data"] = doc["data"]
    problem["networks"] = {name: {"layers": [{"weights": [[entry_json(x) for x in row] for row in w],
                                              "bias": [entry_json(x) for x in b], "activation": a}
                                             for w, b, a in net.layers]} for name, net in pp.networks.items()}
    problem["claims"] = doc["claims"]
    return {"format": FORMAT, "generator": f"symrep {__version__}", "problem": problem,
            "results": [claim_result(pp, v) for v in verdicts]}


def certify_parametric(pp: ParametricProblem) -> dict[str, Any]:
    """Decide every claim of a parametric problem and return its certificate."""
    return parametric_certificate(pp, verify_parametric(pp))


