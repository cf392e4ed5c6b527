"""Exact real algebraic numbers and the number fields Q[t]/(m) of the parametric decisions.

A number is a Fraction, or a root of an irreducible polynomial m (degree at
least 2) isolated in an interval (lo, hi) with rational ends: its sign at any
polynomial is exact (a remainder modulo m decides zero; otherwise the isolating
interval is refined until interval evaluation excludes 0).  See the design note
of :mod:`symrep.parametric.decide`.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from symrep.exact.numbers import format_number
from symrep.parametric.params import as_fraction

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


