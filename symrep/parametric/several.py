"""Claims whose networks depend on two parameters: a cylindrical decomposition of the parameter plane.

Design note
-----------
Parameters (a, b) (in the order declared); b is projected.  F is a set of irreducible polynomials
in Q[a, b]: the factors of every entry's denominator (poles), of b (and a) when an assumption bounds
it, and of everything the claim's decision looked at -- the numerators and denominators of the
pre-activations of every ReLU and every pivot and difference the elimination recorded (as in the
one-parameter decision, :mod:`symrep.parametric.decide`).

1. *Projection.*  Of each f in F: its coefficients in b (polynomials in a), its discriminant in b,
   and the resultant in b of each pair; a factor without b is kept as it is.  The real roots of
   these polynomials in a cut the a-line into open intervals and points.  Over an open interval I no
   leading coefficient, discriminant or resultant vanishes, so (Collins, McCallum: for two variables
   the leading coefficient excludes nullification) the real roots in b of the factors are continuous
   functions of a on I that never meet: the cylinder over I splits into *sectors* (between
   consecutive roots) and *sections* (on a root), on each of which every f in F has one sign.
2. *Closure.*  At a rational sample of each sector the decision runs over Q(a, b) with the ReLU
   signs read at the sample, recording the polynomials it used.  New factors are added to F and the
   decomposition is rebuilt, until none is new (at most :data:`MAX_ROUNDS` rounds, else
   "undecided").  Then on each sector all of them keep their sign, so the generic decision (checked
   against the exact verifier at the sample) is the verdict at every point of the sector.
3. *Lower-dimensional cells.*  A section whose factor is linear in b, ``c1(a) b + c0(a)``
   (c1 != 0 on I), is the curve b = -c0/c1: substituted, the claim is a one-parameter claim in a on I,
   decided exactly by the one-parameter method (its own exceptional points included).  A point
   a = q of the a-line with q rational is a one-parameter claim in b.  A section of a pole or of an
   assumption's boundary is outside the admissible set.  A section of degree >= 2 in b, or an
   irrational point of the a-line, is "undecided within these bounds" (never a guess).

The verdict is True when every cell holds; otherwise False with a rational counterexample when a
failing cell has a rational point (sector samples always are), re-verified by substitution.  The
exact set is the union of the cells that hold, each described by bounds in a and b.  Its certificate
(:mod:`symrep.parametric.plane`) refines these cells until each carries a proof the checker re-derives.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from symrep.claims.claim import Claim
from symrep.exact.field import FieldOps
from symrep.exact.numbers import format_number
from symrep.parametric.algebraic import Alg, _inside, _real_roots, _sample, _sort_unique
from symrep.parametric.line import (
    ParametricVerdict,
    Undecided,
    _decide_generic,
    _forward,
    _OneParameter,
    _segments,
    _seg_json,
    _set_text,
)
from symrep.parametric.params import ParameterSpace, as_fraction
from symrep.parametric.problem import ParametricNetwork, ParametricProblem

__all__ = ["MAX_CELLS", "MAX_ROUNDS", "decide_two_parameters"]

#: Most rounds of adding the decision's polynomials to the decomposition.
MAX_ROUNDS = 6
#: Most cells of the plane explored.
MAX_CELLS = 400

_CELLS: dict[str, list[tuple[int | None, int | None]]] = {
    "positive": [(0, None)], "negative": [(None, 0)], "nonzero": [(None, 0), (0, None)], "real": [(None, None)]}


@dataclass(frozen=True)
class _Cell:
    kind: str  # "sector", "section", "point"
    a: tuple  # (lo, hi) Alg ends of the a-interval, or (alpha,) for a point
    b: tuple = ()  # sector: (lo, hi, lo_factor, hi_factor); section: (root, factor)
    sample: tuple = ()


class _Plane:
    def __init__(self, pp: ParametricProblem, claim: Claim, names: list[str]):
        from sympy import QQ, Symbol
        from sympy.polys.fields import field

        self.pp, self.claim, self.names = pp, claim, names
        self.A, self.B = Symbol(names[0]), Symbol(names[1])
        self.K, *_ = field([self.A, self.B], QQ)
        idx = [pp.space.names.index(n) for n in names]
        self.layers = {n: [(tuple(tuple(self._two(x, idx) for x in r) for r in w), tuple(self._two(x, idx) for x in b), act)
                           for w, b, act in pp.networks[n].layers] for n in claim.networks}
        self.F: set[Any] = set()
        for n in claim.networks:
            for w, b, _ in self.layers[n]:
                for x in [e for r in w for e in r] + list(b):
                    self._add(x.denom)
        self.poles = set(self.F)
        self.bounds: set[Any] = set()
        for gen, n in zip(self.K.gens, names):
            if pp.space.assumptions[n] != "real":
                self.bounds |= self._factors(gen.numer)
        self.F |= self.bounds
        #: Further cuts of the a-line (the certificate's: where a curve's one-parameter proof changes).
        self.extra: list[Alg] = []

    def _two(self, f: Any, idx: list[int]) -> Any:
        ring = self.K.ring
        num = ring.from_dict({(m[idx[0]], m[idx[1]]): c for m, c in f.numer.terms()})
        den = ring.from_dict({(m[idx[0]], m[idx[1]]): c for m, c in f.denom.terms()})
        return self.K.new(num, den)

    def _factors(self, p: Any) -> set[Any]:
        from sympy import QQ, Poly

        if p.is_ground:
            return set()
        poly = Poly.from_dict(dict(p.terms()), self.A, self.B, domain=QQ)
        return {f.monic() for f, _ in poly.factor_list()[1] if not f.is_ground}

    def _add(self, p: Any) -> bool:
        new = self._factors(p) - self.F
        self.F |= new
        return bool(new)

    # -- the decomposition ------------------------------------------------------------------------

    def _coeffs_a(self, q: Any) -> list[Fraction]:
        from sympy import Poly

        return [as_fraction(c) for c in Poly(q.as_expr(), self.A).all_coeffs()]

    def decompose(self) -> list[_Cell]:
        from sympy import Poly, discriminant, resultant

        proj = []
        withb = [f for f in self.F if f.degree(self.B) > 0]
        for f in self.F:
            if f.degree(self.B) == 0:
                proj.append(f.as_expr())
            else:
                proj += Poly(f.as_expr(), self.B).all_coeffs()
                if f.degree(self.B) >= 2:
                    proj.append(discriminant(f.as_expr(), self.B))
        proj += [resultant(f.as_expr(), g.as_expr(), self.B) for f, g in itertools.combinations(withb, 2)]
        roots = []
        for q in proj:
            c = self._coeffs_a(q) if q.free_symbols else []
            if any(c):
                roots += _real_roots(c, self.A)
        roots += self.extra
        cells: list[_Cell] = []
        for lo, hi in self._line(self.names[0]):
            inner = [r for r in _sort_unique(roots) if _inside(r, lo, hi)]
            ends = [lo, *inner, hi]
            for k, (x, y) in enumerate(zip(ends[:-1], ends[1:])):
                cells += self._column(x, y, withb)
                if k < len(inner):
                    cells.append(_Cell("point", (inner[k],)))
                if len(cells) > MAX_CELLS:
                    raise Undecided(f"more than {MAX_CELLS} cells of the ({self.names[0]}, {self.names[1]})-plane")
        return cells

    def _line(self, name: str) -> list[tuple[Alg | None, Alg | None]]:
        def end(v: int | None) -> Alg | None:
            return None if v is None else Alg(q=Fraction(v))
        return [(end(lo), end(hi)) for lo, hi in _CELLS[self.pp.space.assumptions[name]]]

    def _column(self, lo: Alg | None, hi: Alg | None, withb: list[Any]) -> list[_Cell]:
        a0 = _sample(lo, hi)
        roots: list[tuple[Alg, Any]] = []
        for f in withb:
            g = f.as_expr().subs(self.A, a0)
            from sympy import Poly

            coeffs = [as_fraction(c) for c in Poly(g, self.B).all_coeffs()]
            roots += [(r, f) for r in _real_roots(coeffs, self.B)]
        out = []
        for blo, bhi in self._line(self.names[1]):
            inner = sorted(((r, f) for r, f in roots if _inside(r, blo, bhi)), key=lambda rf: rf[0].approx())
            ends = [(blo, None), *inner, (bhi, None)]
            for k, ((x, fx), (y, fy)) in enumerate(zip(ends[:-1], ends[1:])):
                out.append(_Cell("sector", (lo, hi), (x, y, fx, fy), (a0, _sample(x, y))))
                if k < len(inner):
                    out.append(_Cell("section", (lo, hi), inner[k], (a0,)))
        return out

    # -- deciding -------------------------------------------------------------------------------

    def trial(self, a0: Fraction, b0: Fraction) -> tuple[bool, bool]:
        """(generic verdict at the sample's sector, whether it added polynomials to F)."""
        from sympy import QQ

        grew = [False]

        def relu(x: Any) -> Any:
            if x == 0:
                return x
            grew[0] |= self._add(x.numer) | self._add(x.denom)
            return x if _at2(x, a0, b0) > 0 else x * 0

        def note(x: Any) -> None:
            grew[0] |= self._add(x.numer) | self._add(x.denom)
        cols = [[self.K(QQ(x.numerator, x.denominator)) for x in col] for col in zip(*self.pp.skeleton.inputs)]
        acts = [_forward(self.layers[n], cols, relu)[self.claim.layer] for n in self.claim.networks]
        const = lambda q: self.K(QQ(q.numerator, q.denominator))  # noqa: E731
        verdict = _decide_generic(self.claim, acts, len(self.pp.skeleton.inputs), FieldOps(lambda x: x == 0, const, note))
        return verdict, grew[0]

    def at_rational(self, values: dict[str, Fraction]) -> bool | None:
        from symrep.claims.verdicts import decide

        full = {n: values.get(n, Fraction(1)) for n in self.pp.space.names}
        return decide(self.pp.instantiate(full, self.claim.networks), self.claim).holds

    def restricted(self, name: str, values: dict[str, Any]) -> ParametricProblem:
        """The one-parameter problem in *name* with the other parameter given (a rational, or a function of name)."""
        space = ParameterSpace({name: self.pp.space.assumptions[name]})
        gen = space.gens[name]
        vals = {self.names[0]: None, self.names[1]: None, **values}

        def compose(f: Any) -> Any:
            def ev(p: Any) -> Any:
                acc = space.constant(Fraction(0))
                for (i, j), c in p.terms():
                    term = space.constant(as_fraction(c))
                    for n, e in ((self.names[0], i), (self.names[1], j)):
                        if e:
                            v = gen if vals[n] is None else vals[n]
                            term = term * (space.constant(v) if isinstance(v, Fraction) else v) ** e
                    acc = acc + term
                return acc
            den = ev(f.denom)
            if den == 0:
                raise ZeroDivisionError
            return ev(f.numer) / den
        nets = dict(self.pp.networks)
        for n in self.claim.networks:
            nets[n] = ParametricNetwork(n, tuple((tuple(tuple(compose(x) for x in r) for r in w),
                                                  tuple(compose(x) for x in b), act) for w, b, act in self.layers[n]))
        return ParametricProblem(space, self.pp.skeleton, nets, self.pp.file)

    def curve(self, f: Any) -> Any:
        """b = r(a) for a factor linear in b, as an element of the one-parameter field in a."""
        from sympy import Poly

        space = ParameterSpace({self.names[0]: self.pp.space.assumptions[self.names[0]]})
        gen = space.gens[self.names[0]]
        c1, c0 = Poly(f.as_expr(), self.B).all_coeffs()

        def element(expr: Any) -> Any:
            acc = space.constant(Fraction(0))
            for k, c in enumerate(reversed(self._coeffs_a(expr) if expr.free_symbols else [as_fraction(expr)])):
                acc = acc + space.constant(c) * gen ** k
            return acc
        return -element(c0) / element(c1), f"{self.names[1]} = {(-c0 / c1)}"

    def bound(self, end: Alg | None, f: Any, low: bool) -> str:
        if end is None:
            return "-oo" if low else "oo"
        if f is None:
            return end.text(self.B)
        if f.degree(self.B) == 1:
            return self.curve(f)[1].split(" = ", 1)[1]
        return f"a root of {f.as_expr()} = 0"

    # -- the cells ------------------------------------------------------------------------------

    def sector(self, c: _Cell) -> tuple[str, bool, dict | None]:
        a0, b0 = c.sample
        generic, _ = self.trial(a0, b0)
        if self.at_rational({self.names[0]: a0, self.names[1]: b0}) != generic:
            raise AssertionError("the generic verdict disagrees with the verifier at a sample point")
        (lo, hi), (x, y, fx, fy) = c.a, c.b
        text = (f"{self.names[0]} in ({self.bound(lo, None, True)}, {self.bound(hi, None, False)}), "
                f"{self.names[1]} in ({self.bound(x, fx, True)}, {self.bound(y, fy, False)})")
        return text, generic, {self.names[0]: a0, self.names[1]: b0}

    def section(self, c: _Cell) -> list[tuple[str, bool, dict | None]]:
        (lo, hi), (_, f) = c.a, c.b
        if f in self.poles or f in self.bounds:
            return []  # outside the admissible set
        if f.degree(self.B) != 1:
            raise Undecided(f"a section of {f.as_expr()} = 0 (degree {f.degree(self.B)} in {self.names[1]})")
        r, text = self.curve(f)
        try:
            sub = self.restricted(self.names[0], {self.names[1]: r})
        except ZeroDivisionError:
            return []  # the whole curve is a pole
        solver = _OneParameter(sub, self.claim, self.names[0])
        poles = _sort_unique([p for n in self.claim.networks for w, b, _ in solver.layers[n]
                              for x in [e for row in w for e in row] + list(b)
                              for p in _real_roots(solver._coeffs(x.denom), solver.symbol) if _inside(p, lo, hi)])
        ends = [lo, *poles, hi]
        pieces = [p for x, y in zip(ends[:-1], ends[1:]) for p in solver.solve_interval(x, y)]
        out = []
        for holds in (True, False):
            segs = [_seg_json(s, solver.symbol) for s in _segments(pieces, holds)]
            if segs:
                bad = None
                if not holds:
                    q = next((_sample(*p) if isinstance(p, tuple) else p.q for p, v in pieces
                              if not v and (isinstance(p, tuple) or p.rational)), None)
                    bad = None if q is None else {self.names[0]: q, self.names[1]: _eval(r, q)}
                out.append((f"{self.names[0]} in {_set_text(segs)}, {text}", holds, bad))
        return out

    def point(self, c: _Cell) -> list[tuple[str, bool, dict | None]]:
        from symrep.parametric.line import decide_on_line as decide_parametric  # the sub-claim has one parameter

        (alpha,) = c.a
        if not alpha.rational:
            raise Undecided(f"the irrational point {self.names[0]} = {alpha.text(self.A)} of the decomposition")
        try:
            sub = self.restricted(self.names[1], {self.names[0]: alpha.q})
        except ZeroDivisionError:
            return []
        v = decide_parametric(sub, self.claim)
        assert isinstance(v, ParametricVerdict)
        if v.verdict == "undecided":
            raise Undecided(f"at {self.names[0]} = {format_number(alpha.q)}: {v.explanation}")
        at = f"{self.names[0]} = {format_number(alpha.q)}"
        if v.verdict is True:
            return [(f"{at}, {self.names[1]} in {v.holds_when_text or 'every value'}", True, None)]
        bad = None if v.counterexample is None else {self.names[0]: alpha.q, **v.counterexample}
        out = [(f"{at}, {self.names[1]} not in {v.holds_when_text}", False, bad)]
        if v.holds_when:
            out.append((f"{at}, {self.names[1]} in {v.holds_when_text}", True, None))
        return out


def _at2(x: Any, a0: Fraction, b0: Fraction) -> Fraction:
    """An element of Q(a, b) at (a0, b0) (its denominator non-zero there)."""
    def at(p: Any) -> Fraction:
        return sum((as_fraction(c) * a0 ** i * b0 ** j for (i, j), c in p.terms()), Fraction(0))
    return at(x.numer) / at(x.denom)


def _eval(r: Any, q: Fraction) -> Fraction:
    num = sum((as_fraction(c) * q ** m[0] for m, c in r.numer.terms()), Fraction(0))
    den = sum((as_fraction(c) * q ** m[0] for m, c in r.denom.terms()), Fraction(0))
    return num / den


def closed_plane(pp: ParametricProblem, claim: Claim, names: list[str]) -> tuple[_Plane, list[_Cell]]:
    """The decomposition closed under the decision's polynomials (steps 1-2 of the design note)."""
    plane = _Plane(pp, claim, names)
    for _ in range(MAX_ROUNDS):
        cells = plane.decompose()
        grew = False
        for c in cells:
            if c.kind == "sector":
                grew |= plane.trial(*c.sample)[1]
        if not grew:
            break
    else:
        raise Undecided(f"the decision's polynomials did not close within {MAX_ROUNDS} rounds")
    return plane, cells


def decide_two_parameters(pp: ParametricProblem, claim: Claim, names: list[str]) -> ParametricVerdict:
    """Decide a claim whose networks use exactly two parameters (see the design note); Undecided past the bounds."""
    plane, cells = closed_plane(pp, claim, names)
    results: list[tuple[str, bool, dict | None]] = []
    for c in cells:
        results += [plane.sector(c)] if c.kind == "sector" else plane.section(c) if c.kind == "section" else plane.point(c)
    true_cells = [t for t, v, _ in results if v]
    text = " U ".join(true_cells) or "{} (nowhere)"
    holds_when = [{"cell": t} for t in true_cells]
    if all(v for _, v, _ in results):
        return ParametricVerdict(claim, True, f"holds for all admissible {', '.join(names)} ({len(results)} cells of a "
                                 "cylindrical decomposition)", holds_when, None, tuple(names), text)
    bad = next((b for _, v, b in results if not v and b is not None), None)
    if bad is not None:
        if plane.at_rational(bad) is not False:
            raise AssertionError("counterexample not confirmed by the verifier")
        at = ", ".join(f"{k} = {format_number(q)}" for k, q in bad.items())
        return ParametricVerdict(claim, False, f"fails at {at} (verified by substitution); holds exactly on {text}",
                                 holds_when, bad, tuple(names), text)
    return ParametricVerdict(claim, False, f"fails only at irrational points; holds exactly on {text}", holds_when,
                             None, tuple(names), text)
