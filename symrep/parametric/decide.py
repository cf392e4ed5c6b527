"""Claims about networks whose weights contain parameters, decided exactly.

Design note
-----------
A parametric claim file declares parameters with sign assumptions in ``[parameters]``
(``t = "positive"``; also ``"negative"``, ``"nonzero"``, ``"real"``) and writes weights and biases
as rational functions of them (parsed by :mod:`symrep.params`, which evaluates nothing).  The
data and the claims stay numeric.  A claim holds *for a parameter value* when it holds for the
networks instantiated at that value; the parametric verdict is ``True`` when it holds for every
admissible value, otherwise ``False`` (with a rational counterexample when one exists, always
re-verified by substituting it and running :func:`symrep.verdicts.decide`), and, for one
parameter, ``holds_when`` is the exact set where it holds.

One parameter t, method:

1. *Admissible set.*  The assumption's interval(s) minus the poles of every weight and bias of
   the claim's networks (the networks are undefined there; the explanation names them).
2. *Sign splitting.*  On an open interval (a, b) the exact forward pass runs over Q(t)
   (SymPy's ``sympy.polys.fields``).  At a ReLU each pre-activation is a rational function; the
   real roots of its numerator and denominator inside (a, b) are critical points.  If there are
   any, the interval is cut into open sub-intervals and points, and each piece is solved again;
   otherwise every pre-activation has one sign on (a, b), read at a rational sample point.
3. *Generic decision.*  With the sign pattern fixed, the claim is decided over Q(t): equality
   tests and Gaussian elimination over the field (ranks, span membership, the maximum-match
   fixpoint).  Every pivot used, and the first non-zero difference of a failed equality, is
   recorded.  Away from the real roots of their numerators and denominators the same
   elimination specialises to the value t0, so every rank and test, hence the verdict, equals
   the generic one.  Those roots inside (a, b) are the *exceptional points*.
4. *Points.*  Critical and exceptional points are real algebraic numbers: a rational one is
   decided by substitution and the normal exact verifier; an irrational one, a root of an
   irreducible polynomial m with an isolating interval, is decided by the same forward pass and
   elimination over the number field Q[t]/(m) (exact zero test: remainder mod m; exact sign:
   refining the isolating interval until interval evaluation excludes 0).
5. *Self-check.*  On every open piece the generic verdict is compared with the normal verifier
   at a rational sample point; a disagreement raises (never a guessed verdict).  The union of
   pieces where the claim holds is merged into intervals and points with exact endpoints
   (rationals, square roots, ``CRootOf(p, k)``: the k-th real root of p, counting from 0).

Several parameters: a claim whose networks use at most one of them is decided as above.
Otherwise the claim is instantiated at small rational points of the admissible set; a point
where it fails is a verified counterexample (verdict ``False``), else the verdict is
``"undecided"`` -- never a guess.

Supported kinds: ``activations``, ``dimension``, ``identical``, ``exact_match``, ``isomorphic``,
``maximum_match``, ``no_match`` and ``match_similarity`` with eps = 0.  Other kinds get only the
counterexample search by substitution (``False`` with a witness, or ``"undecided"``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any, Callable

from symrep.claims.files import Claim, Problem, _numbers, parse_claim_toml, problem_from_mapping, read_claim_text
from symrep.errors import ClaimFileError, InputError, SymrepError
from symrep.exact.numbers import format_number, is_number_text
from symrep.networks.network import Layer, Network
from symrep.parametric.params import ParameterSpace, as_fraction

__all__ = [
    "GENERIC_KINDS",
    "ParametricNetwork",
    "ParametricProblem",
    "ParametricVerdict",
    "decide_parametric",
    "load_parametric_claim_file",
    "loads_parametric_claim_file",
    "verify_parametric",
]

#: Claim kinds decided exactly for one parameter (others: counterexample search only).
GENERIC_KINDS = ("activations", "dimension", "identical", "exact_match", "isomorphic", "maximum_match",
                 "no_match", "match_similarity")
#: Most pieces (intervals and points) explored for one claim before the verdict is "undecided".
MAX_PIECES = 2000


class Undecided(Exception):
    """A bound was reached."""


# --- exact real algebraic numbers -------------------------------------------------------------------


def _horner(coeffs: list[Fraction], x: Fraction) -> Fraction:
    v = Fraction(0)
    for c in coeffs:
        v = v * x + c
    return v


def _interval_horner(coeffs: list[Fraction], lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    a = b = Fraction(0)
    for c in coeffs:
        ps = (a * lo, a * hi, b * lo, b * hi)
        a, b = min(ps) + c, max(ps) + c
    return a, b


class Alg:
    """A real algebraic number: a Fraction, or a root of an irreducible m (degree >= 2) in (lo, hi)."""

    def __init__(self, q: Fraction | None = None, m: Any = None, index: int = 0,
                 lo: Fraction | None = None, hi: Fraction | None = None):
        self.q, self.m, self.index, self.lo, self.hi = q, m, index, lo, hi
        if m is not None:
            self.coeffs = [as_fraction(c) for c in m.all_coeffs()]

    @property
    def rational(self) -> bool:
        return self.q is not None

    def refine(self) -> None:
        mid = (self.lo + self.hi) / 2
        s_lo, s_mid = _horner(self.coeffs, self.lo) > 0, _horner(self.coeffs, mid)
        assert s_mid != 0  # m is irreducible of degree >= 2: no rational roots
        if (s_mid > 0) == s_lo:
            self.lo = mid
        else:
            self.hi = mid

    def sign_of(self, coeffs: list[Fraction]) -> int:
        """Exact sign of the polynomial with these coefficients (highest first) at this number."""
        if self.rational:
            v = _horner(coeffs, self.q)
            return (v > 0) - (v < 0)
        if _poly_rem_zero(coeffs, self.m):
            return 0
        while True:
            a, b = _interval_horner(coeffs, self.lo, self.hi)
            if a > 0:
                return 1
            if b < 0:
                return -1
            self.refine()

    def text(self, symbol: Any) -> str:
        if self.rational:
            return format_number(self.q)
        import sympy

        _, m = self.m.clear_denoms(convert=True)
        if m.degree() == 2:
            a, b, c = (sympy.Integer(int(x)) for x in m.all_coeffs())
            if a < 0:
                a, b, c = -a, -b, -c
            disc = b * b - 4 * a * c
            root = (-b + (1 if self.index else -1) * sympy.sqrt(disc)) / (2 * a)
            return str(root)
        return f"CRootOf({m.as_expr()}, {self.index})"

    def approx(self) -> float:
        if self.rational:
            return float(self.q)
        while self.hi - self.lo > Fraction(1, 10**12):
            self.refine()
        return float((self.lo + self.hi) / 2)


def _poly_rem_zero(coeffs: list[Fraction], m: Any) -> bool:
    from sympy import QQ, Poly

    p = Poly.from_list([QQ(c.numerator, c.denominator) for c in coeffs], m.gen, domain=QQ)
    return p.rem(m).is_zero


def _cmp(a: Alg, b: Alg) -> int:
    if a.rational and b.rational:
        return (a.q > b.q) - (a.q < b.q)
    if a.rational or b.rational:
        sgn = 1
        if a.rational:
            a, b, sgn = b, a, -1
        while a.lo <= b.q <= a.hi:
            a.refine()
        return sgn * (1 if a.lo > b.q else -1)
    if a.m == b.m:
        return (a.index > b.index) - (a.index < b.index)
    while not (a.hi < b.lo or b.hi < a.lo):
        a.refine()
        b.refine()
    return 1 if a.lo > b.hi else -1


def _real_roots(coeffs: list[Fraction], symbol: Any) -> list[Alg]:
    """The distinct real roots of a non-zero polynomial (coefficients highest first)."""
    from sympy import QQ, Poly

    while coeffs and coeffs[0] == 0:
        coeffs = coeffs[1:]
    if len(coeffs) <= 1:
        return []
    p = Poly.from_list([QQ(c.numerator, c.denominator) for c in coeffs], symbol, domain=QQ)
    out: list[Alg] = []
    for f, _ in p.factor_list()[1]:
        f = f.monic()
        if f.degree() == 1:
            c1, c0 = (as_fraction(c) for c in f.all_coeffs())
            out.append(Alg(q=-c0 / c1))
        else:
            for k, ((lo, hi), _) in enumerate(f.intervals()):
                lo, hi = as_fraction(lo), as_fraction(hi)
                a = Alg(m=f, index=k, lo=lo, hi=hi)
                if lo == hi or _horner(a.coeffs, lo) == 0 or _horner(a.coeffs, hi) == 0:
                    raise AssertionError("isolating interval with a rational end point")
                out.append(a)
    return out


def _sort_unique(points: list[Alg]) -> list[Alg]:
    import functools

    pts = sorted(points, key=functools.cmp_to_key(_cmp))
    out: list[Alg] = []
    for p in pts:
        if not out or _cmp(out[-1], p) != 0:
            out.append(p)
    return out


def _inside(p: Alg, lo: Alg | None, hi: Alg | None) -> bool:
    return (lo is None or _cmp(lo, p) < 0) and (hi is None or _cmp(p, hi) < 0)


def _simplest_between(x: Fraction, y: Fraction) -> Fraction:
    """The rational with the smallest denominator (then numerator) strictly between x < y."""
    if x < 0 < y:
        return Fraction(0)
    if y <= 0:
        return -_simplest_between(-y, -x)
    n = math.floor(x) + 1
    if n < y:
        return Fraction(n)
    k = math.floor(x)
    if x == k:
        return k + Fraction(1, math.floor(1 / (y - k)) + 1)
    return k + 1 / _simplest_between(1 / (y - k), 1 / (x - k))


def _sample(lo: Alg | None, hi: Alg | None) -> Fraction:
    """A simple rational strictly inside the open interval (lo, hi) (lo < hi)."""
    while True:
        x = None if lo is None else (lo.q if lo.rational else lo.hi)  # x >= lo, and x > lo when lo is irrational
        y = None if hi is None else (hi.q if hi.rational else hi.lo)
        if x is None or y is None or x < y:
            break
        if lo.rational and hi.rational:
            raise AssertionError("empty interval")
        for end in (lo, hi):
            if not end.rational:
                end.refine()
    if x is None and y is None:
        return Fraction(0)
    if x is None:
        return Fraction(0) if y > 0 else Fraction(math.ceil(y) - 1)
    if y is None:
        return Fraction(0) if x < 0 else Fraction(math.floor(x) + 1)
    return _simplest_between(x, y)


# --- the number field Q[t]/(m) ----------------------------------------------------------------------


class _NF:
    """Elements of Q(alpha) as polynomials reduced mod the minimal polynomial of alpha."""

    __slots__ = ("p", "alpha")

    def __init__(self, p: Any, alpha: Alg):
        self.p, self.alpha = p.rem(alpha.m), alpha

    def _wrap(self, p: Any) -> "_NF":
        return _NF(p, self.alpha)

    def __add__(self, o: "_NF") -> "_NF":
        return self._wrap(self.p + o.p)

    def __sub__(self, o: "_NF") -> "_NF":
        return self._wrap(self.p - o.p)

    def __mul__(self, o: "_NF") -> "_NF":
        return self._wrap(self.p * o.p)

    def __truediv__(self, o: "_NF") -> "_NF":
        return self._wrap(self.p * o.p.invert(self.alpha.m))

    def __neg__(self) -> "_NF":
        return self._wrap(-self.p)

    def is_zero(self) -> bool:
        return self.p.is_zero

    def sign(self) -> int:
        return self.alpha.sign_of([as_fraction(c) for c in self.p.all_coeffs()])


def _nf_from(f: Any, alpha: Alg, symbol: Any) -> _NF:
    from sympy import QQ, Poly

    def poly(pe: Any) -> Any:
        return Poly.from_list([QQ(as_fraction(c).numerator, as_fraction(c).denominator) for c in pe.to_dense()],
                              symbol, domain=QQ)

    num, den = _NF(poly(f.numer), alpha), _NF(poly(f.denom), alpha)
    if den.is_zero():
        raise AssertionError("a pole inside the admissible set")
    return num / den


# --- parametric networks and problems ----------------------------------------------------------------


@dataclass(frozen=True)
class ParametricNetwork:
    """Layers ``(weights, bias, activation)`` whose entries are elements of QQ(parameters)."""

    name: str
    layers: tuple[tuple[tuple[tuple[Any, ...], ...], tuple[Any, ...], str], ...]

    def entries(self):
        for w, b, _ in self.layers:
            for row in w:
                yield from row
            yield from b


@dataclass(frozen=True)
class ParametricProblem:
    """A parsed parametric claim file: its parameters, the numeric skeleton (data, claims) and networks."""

    space: ParameterSpace
    skeleton: Problem  # parametric entries replaced by 0; carries data, claims, title
    networks: dict[str, ParametricNetwork]
    file: str | None = None

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self.skeleton.claims

    def parameters_of(self, names) -> list[str]:
        used: set[str] = set()
        for n in names:
            for e in self.networks[n].entries():
                used |= self.space.occurring(e)
        return [p for p in self.space.names if p in used]

    def instantiate(self, values: dict[str, Fraction], names=None) -> Problem:
        """The numeric problem at rational parameter values (InputError at a pole)."""
        nets = []
        for name, _ in self.skeleton.networks:
            if names is not None and name not in names:
                nets.append((name, self.skeleton.network(name)))
                continue
            pn = self.networks[name]
            layers = [Layer([[self.space.substitute(x, values) for x in row] for row in w],
                            act, [self.space.substitute(x, values) for x in b]) for w, b, act in pn.layers]
            nets.append((name, Network(layers, name=name)))
        return dataclasses.replace(self.skeleton, networks=tuple(nets))


def _where(file: str | None, *parts: str) -> str:
    return ": ".join(p for p in (file, *parts) if p)


def _placeholder(value: Any) -> Any:
    if isinstance(value, list):
        return [_placeholder(v) for v in value]
    if isinstance(value, str) and not is_number_text(value):
        return "0"
    return value


def parametric_problem_from_mapping(doc: Any, file: str | None = None) -> ParametricProblem:
    """Validate a parsed claim file with a ``[parameters]`` table (see :func:`loads_parametric_claim_file`)."""
    if not isinstance(doc, dict):
        raise ClaimFileError(f"{_where(file) or 'claim file'}: expected a table")
    doc = dict(doc)
    raw = doc.pop("parameters", {})
    where = _where(file, "parameters")
    if not isinstance(raw, dict):
        raise ClaimFileError(f"{where}: expected a table of name = \"positive\" | \"negative\" | \"nonzero\" | \"real\"")
    for name, assumption in raw.items():
        if not isinstance(assumption, str):
            raise ClaimFileError(f"{where}: {name}: expected an assumption string, got {type(assumption).__name__}")
    try:
        space = ParameterSpace(raw, where)
    except InputError as e:
        raise ClaimFileError(str(e)) from None
    skel_doc = dict(doc)
    nets_raw = doc.get("networks")
    if isinstance(nets_raw, dict):
        skel_doc["networks"] = {
            name: ({**spec, "layers": [
                ({**l, **{k: _placeholder(l[k]) for k in ("weights", "bias") if k in l}} if isinstance(l, dict) else l)
                for l in spec["layers"]]} if isinstance(spec, dict) and isinstance(spec.get("layers"), list) else spec)
            for name, spec in nets_raw.items()}
    skeleton = problem_from_mapping(skel_doc, file)  # validates shapes, data and claims
    networks: dict[str, ParametricNetwork] = {}
    for name, net in skeleton.networks:
        layers = []
        for i, (layer, spec) in enumerate(zip(net.layers, nets_raw[name]["layers"])):
            at = _where(file, f"network {name!r}", f"layer {i + 1}")
            try:
                w = tuple(tuple(space.value(_numbers(v), f"{at}: weights[{r}][{c}]") for c, v in enumerate(row))
                          for r, row in enumerate(spec["weights"]))
                b = (tuple(space.value(_numbers(v), f"{at}: bias[{r}]") for r, v in enumerate(spec["bias"]))
                     if spec.get("bias") is not None else tuple(space.constant(Fraction(0)) for _ in w))
            except SymrepError as e:
                raise ClaimFileError(str(e)) from None
            layers.append((w, b, layer.activation))
        networks[name] = ParametricNetwork(name, tuple(layers))
    return ParametricProblem(space, skeleton, networks, file)


def loads_parametric_claim_file(text: str, file: str | None = None) -> ParametricProblem:
    """Parse claim-file TOML text that may declare ``[parameters]`` and use them in weights and biases."""
    return parametric_problem_from_mapping(parse_claim_toml(text, file), file)


def load_parametric_claim_file(path: str | Path) -> ParametricProblem:
    return loads_parametric_claim_file(read_claim_text(path), str(path))


# --- verdicts ----------------------------------------------------------------------------------------


@dataclass
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
        return out


# --- deciding a claim over a field ---------------------------------------------------------------------


class _Ops:
    """Field operations for the generic decision: zero test, constants, and a recorder of pivots."""

    def __init__(self, is_zero: Callable[[Any], bool], const: Callable[[Fraction], Any],
                 note: Callable[[Any], None] | None = None):
        self.is_zero, self.const, self.note = is_zero, const, note or (lambda x: None)


def _rank(rows: list[list[Any]], ops: _Ops) -> int:
    m = [list(r) for r in rows]
    rank, ncols = 0, len(m[0]) if m else 0
    for col in range(ncols):
        piv = next((i for i in range(rank, len(m)) if not ops.is_zero(m[i][col])), None)
        if piv is None:
            continue
        m[rank], m[piv] = m[piv], m[rank]
        p = m[rank][col]
        ops.note(p)
        for i in range(rank + 1, len(m)):
            if not ops.is_zero(m[i][col]):
                f = m[i][col] / p
                m[i] = [a - f * b for a, b in zip(m[i], m[rank])]
        rank += 1
    return rank


def _in_span(z: list[Any], rows: list[list[Any]], ops: _Ops) -> bool:
    if not rows:
        return _rank([z], ops) == 0
    return _rank(rows + [z], ops) == _rank(rows, ops)


def _max_match(A, B, ops: _Ops) -> tuple[tuple[int, ...], tuple[int, ...]]:
    X, Y = list(range(len(A))), list(range(len(B)))
    while True:
        X2 = [i for i in X if _in_span(A[i], [B[j] for j in Y], ops)]
        Y2 = [j for j in Y if _in_span(B[j], [A[i] for i in X2], ops)]
        if X2 == X and Y2 == Y:
            return tuple(X), tuple(Y)
        X, Y = X2, Y2


def _equal(a, b, ops: _Ops) -> bool:
    for x, y in zip(a, b):
        d = x - y
        if not ops.is_zero(d):
            ops.note(d)
            return False
    return True


def _decide_generic(c: Claim, acts: list, d: int, ops: _Ops) -> bool:
    if c.kind == "activations":
        (A,) = acts
        E = c.equals
        if len(A) != len(E) or (E and len(E[0]) != d):
            return False
        return _equal([x for r in A for x in r], [ops.const(x) for r in E for x in r], ops)
    if c.kind == "identical":
        A, B = acts
        return len(A) == len(B) and _equal([x for r in A for x in r], [x for r in B for x in r], ops)
    if c.kind == "dimension":
        return _rank(acts[0], ops) == c.equals
    if c.kind == "isomorphic":
        return _rank(acts[0], ops) == _rank(acts[1], ops)
    if c.kind == "exact_match":
        A, B = acts
        x, y = c.neurons if c.neurons is not None else (range(len(A)), range(len(B)))
        AX, BY = [A[i] for i in x], [B[j] for j in y]
        return all(_in_span(z, BY, ops) for z in AX) and all(_in_span(z, AX, ops) for z in BY)
    if c.kind in ("maximum_match", "no_match", "match_similarity"):
        X, Y = _max_match(acts[0], acts[1], ops)
        if c.kind == "maximum_match":
            return (X, Y) == tuple(c.equals)
        if c.kind == "no_match":
            return not X and not Y
        return Fraction(len(X) + len(Y), len(acts[0]) + len(acts[1])) == c.equals
    raise AssertionError(c.kind)


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
        return _decide_generic(self.claim, acts, self.d, _Ops(lambda x: x.is_zero(), const))

    def solve_interval(self, lo: Alg | None, hi: Alg | None) -> list[tuple[Any, bool]]:
        """Pieces ``((lo, hi), value)`` and ``(point, value)`` covering the open interval, in order."""
        self._tick()
        s = _sample(lo, hi)
        s_alg = Alg(q=s)

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
        generic = _decide_generic(self.claim, acts, self.d, _Ops(lambda x: x == 0, lambda q: self.K(self.K.domain(q.numerator, q.denominator)), notes.append))
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
    segs: list[list] = []
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


# --- several parameters: search by substitution -----------------------------------------------------------

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


# --- public entry points ---------------------------------------------------------------------------------


def decide_parametric(pp: ParametricProblem | str, claim: Claim | str | None = None) -> ParametricVerdict | list[ParametricVerdict]:
    """Decide one claim (a Claim or its id) of a parametric problem (or claim-file text); all claims if None."""
    if isinstance(pp, str):
        pp = loads_parametric_claim_file(pp)
    if claim is None:
        return [decide_parametric(pp, c) for c in pp.claims]
    if isinstance(claim, str):
        matches = [c for c in pp.claims if c.id == claim]
        if not matches:
            raise InputError(f"no claim with id {claim!r}")
        claim = matches[0]
    names = pp.parameters_of(claim.networks)
    if not names:
        from symrep.claims.verdicts import decide

        v = decide(pp.instantiate({n: Fraction(1) for n in pp.space.names}, claim.networks), claim)
        return ParametricVerdict(claim, "undecided" if v.holds is None else v.holds,
                                 "the claim's networks use no parameter: " + v.explanation)
    supported = claim.kind in GENERIC_KINDS and not (claim.kind == "match_similarity" and claim.eps)
    if len(names) == 1 and supported:
        try:
            return _one(pp, claim, names[0])
        except Undecided as e:
            return ParametricVerdict(claim, "undecided", f"undecided: {e}", parameters=tuple(names))
    point, v, tried = _search(pp, claim, names)
    if point is not None:
        at = ", ".join(f"{k} = {format_number(q)}" for k, q in point.items())
        return ParametricVerdict(claim, False, f"fails at {at} (verified by substitution): {v.explanation}",
                                 counterexample=point, parameters=tuple(names))
    why = (f"kind {claim.kind!r} is not decided symbolically" if not supported
           else f"{len(names)} parameters ({', '.join(names)}) are not decided symbolically")
    return ParametricVerdict(claim, "undecided", f"undecided: {why}; the claim held at all {tried} rational "
                             "sample points tried", parameters=tuple(names))


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

        v = decide(pp.instantiate({name: bad}, claim.networks), claim)
        assert v.holds is False, "counterexample not confirmed by the verifier"
        expl = (f"fails at {name} = {format_number(bad)} (verified by substitution: {v.explanation}); "
                f"holds exactly for {name} in {text}{excl}")
        return ParametricVerdict(claim, False, expl, true_j, {name: bad}, (name,), text, pieces)
    return ParametricVerdict(claim, False, f"fails only at irrational values {name} in {false_text}; holds for "
                             f"{name} in {text}{excl}", true_j, None, (name,), text, pieces)


def verify_parametric(pp: ParametricProblem) -> list[ParametricVerdict]:
    """Decide every claim of a parametric problem, in order."""
    return [decide_parametric(pp, c) for c in pp.claims]
