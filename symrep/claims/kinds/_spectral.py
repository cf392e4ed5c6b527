"""What the spectral claim kinds share: bounds on a bracketed value, rational witnesses and their re-derivation.

A spectral measure (Procrustes, angular Procrustes, CCA, SVCCA) is irrational in general, so a
claim ``value >= t`` is decided from a certified bracket ``lower <= value <= upper``: true when
``lower >= t``, false when ``upper < t``, and refined (a narrower bracket) while t lies inside.
Where the value is known exactly (rational, or the square root of a rational) the bounds are
compared exactly.  ``equals`` holds only for an exact value; it is refuted when the bracket
excludes it.  When no bracket symrep reaches separates the bound the verdict is undecided.

The witness is stated in the units of the claim's own activations (A_c, B_c: centred, rational),
so the checker needs no scale of the library's integer forms; this module re-derives the bracket
from the rational witness with Fractions exactly as the checker does, and decides from that.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping, Optional, Sequence

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import number
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import s
from symrep.errors import ClaimFileError, InputError
from symrep.exact.numbers import Matrix, format_number
from symrep.measures.procrustes import NuclearBracket, is_psd
from symrep.measures.values import sqrt_bracket

BOUNDS = ("equals", "at_least", "at_most")
_SIGNS = {"equals": "=", "at_least": ">=", "at_most": "<="}
#: Widths tried in turn while a bound lies inside the bracket.
WIDTHS = (Fraction(1, 10**12), Fraction(1, 10**30), Fraction(1, 10**60))

Rat = list[list[Fraction]]


# --- small exact matrix helpers ----------------------------------------------------------------

def centre(M: Sequence[Sequence[Fraction]]) -> Rat:
    """Each row minus its mean over the points."""
    return [[x - sum(r, Fraction(0)) / len(r) for x in r] for r in M]


def mm(X: Rat, Y: Rat) -> Rat:
    cols = list(zip(*Y))
    return [[sum((a * b for a, b in zip(r, c)), Fraction(0)) for c in cols] for r in X]


def tr(X: Rat) -> Rat:
    return [list(c) for c in zip(*X)]


def frob2(X: Rat) -> Fraction:
    return sum((x * x for r in X for x in r), Fraction(0))


def minus_identity(X: Rat) -> Rat:
    return [[x - (i == j) for j, x in enumerate(r)] for i, r in enumerate(X)]


def rat(ints: Any, scale: Fraction) -> Rat:
    """An integer array times a rational scale, as Fractions."""
    return [[Fraction(int(v)) * scale for v in row] for row in ints.tolist()]


def text(M: Rat) -> list[list[str]]:
    return [[s(x) for x in r] for r in M]


def root_hi(q: Fraction, rel: Fraction = Fraction(1, 2**256)) -> Fraction:
    """A rational >= sqrt(q), within about rel relative to sqrt(q) (short numbers for a coarse rel)."""
    return sqrt_bracket(q, rel * (q if 0 < q < 1 else Fraction(math.isqrt(q.numerator // q.denominator))))[1] if q else q


def root_lo(q: Fraction, rel: Fraction = Fraction(1, 2**256)) -> Fraction:
    """A rational <= sqrt(q), within about rel relative to sqrt(q)."""
    return sqrt_bracket(q, rel * (q if 0 < q < 1 else Fraction(math.isqrt(q.numerator // q.denominator))))[0] if q else q


# --- the nuclear norm: witness and re-derivation -------------------------------------------------

def nuclear_witness(nb: NuclearBracket, scale: Fraction) -> dict[str, Any]:
    """The nuclear-norm witness of ``M = scale * G`` from the library's bracket of ``||G||_*`` (rational)."""
    w = nb.witness
    if w.get("zero"):
        return {"zero": True}
    if "q" in w:
        return {"q": w["q"], "transposed": w["transposed"]}
    t = root_lo(scale)  # A -> A t, B -> B scale / t keeps the factorisation balanced to second order
    (Zi, zs), (Ai, sa), (Bi, sb) = w["z"], w["a"], w["b"]
    return {"z": rat(Zi, zs), "a": rat(Ai, sa * t), "b": rat(Bi, sb * scale / t), "eta": w["eta"], "u": w["u"],
            "rho": w["rho"] * scale, "transposed": w["transposed"]}


def nuclear_bounds(M: Rat, w: Mapping[str, Any]) -> tuple[Fraction, Fraction, Optional[Fraction]]:
    """``(lower, upper, exact)`` for ``||M||_*`` from a rational witness, as the checker derives them."""
    if w.get("zero"):
        if any(x for r in M for x in r):
            raise InputError("nuclear witness: M is not zero")
        return Fraction(0), Fraction(0), Fraction(0)
    H = tr(M) if w["transposed"] else M
    m, n = len(H), len(H[0])
    if "q" in w:
        Q = w["q"]
        P = mm(tr(Q), H)
        if mm(tr(Q), Q) != [[Fraction(int(i == j)) for j in range(n)] for i in range(n)] or mm(Q, P) != H \
                or P != tr(P) or not is_psd(P):
            raise InputError("nuclear witness: Q does not prove the nuclear norm exactly")
        v = sum((P[i][i] for i in range(n)), Fraction(0))
        return v, v, v
    Z, A, B = w["z"], w["a"], w["b"]
    t = sum((z * h for zr, hr in zip(Z, H) for z, h in zip(zr, hr)), Fraction(0))
    gram = mm(tr(Z), Z) if m >= n else mm(Z, tr(Z))
    if w["eta"] < 0 or w["eta"] ** 2 < frob2(minus_identity(gram)) or w["u"] <= 0 or w["u"] ** 2 < 1 + w["eta"]:
        raise InputError("nuclear witness: eta or u is too small")
    AB = mm(A, B)
    R = [[h - x for h, x in zip(hr, xr)] for hr, xr in zip(H, AB)]
    if w["rho"] < 0 or w["rho"] ** 2 < frob2(R):
        raise InputError("nuclear witness: rho is too small")
    c = math.isqrt(min(m, n) - 1) + 1
    return max(Fraction(0), t / w["u"]), (frob2(A) + frob2(B)) / 2 + c * w["rho"], None


def nuclear_json(w: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in w.items():
        out[k] = v if isinstance(v, bool) else text(v) if isinstance(v, list) else s(v)
    return out


def constant(M: Rat) -> bool:
    return not any(x for r in M for x in r)


# --- deciding bounds ------------------------------------------------------------------------------

def decide_bound(key: str, t: Fraction, lower: Fraction, upper: Fraction, exact: Optional[Fraction],
                 square: Optional[Fraction]) -> Optional[bool]:
    """Whether ``value KEY t`` holds (None: the bracket does not decide it)."""
    if square is not None:  # value = sqrt(square) >= 0: compare squares
        return {"equals": t >= 0 and t * t == square, "at_least": t <= 0 or t * t <= square,
                "at_most": t >= 0 and t * t >= square}[key]
    if exact is not None:
        return {"equals": exact == t, "at_least": exact >= t, "at_most": exact <= t}[key]
    if key == "at_least":
        return True if lower >= t else False if upper < t else None
    if key == "at_most":
        return True if upper <= t else False if lower > t else None
    return False if not lower <= t <= upper else None


class SpectralKind(ClaimKind):
    """A bound on a bracketed measure; subclasses say how to certify the bracket (:meth:`certify`)."""

    fields = frozenset(BOUNDS)
    #: The measure's name in texts.
    what = ""
    nonnegative = True
    #: False where a layer constant over the data leaves the measure without a value (a ratio by its norm or a
    #: whitening); True for the Procrustes distance, which is then |other layer|.
    defined_on_constant = False

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> Any:
        bounds = []
        for key in BOUNDS:
            if key in obj:
                bounds.append((key, number(obj[key], f"{ctx.where}: {key}")))
        if not bounds:
            raise ClaimFileError(f"{ctx.where}: kind {self.name!r} needs at least one of 'equals', 'at_least', "
                                 f"'at_most' (bounds on {self.what})")
        return self.make_params(obj, ctx, tuple(bounds))

    def make_params(self, obj: Mapping[str, Any], ctx: ParseContext, bounds: tuple) -> Any:
        return self.params_type(bounds)  # type: ignore[misc]

    def params_to_json(self, params: Any) -> dict[str, Any]:
        return {key: s(value) for key, value in params.bounds}

    def certify(self, claim: Claim, acts: list[Matrix], width: Fraction) -> dict[str, Any]:
        """The witness: JSON-ready, with Fractions for "lower", "upper" and optional "exact"/"square"."""
        raise NotImplementedError

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        if not self.defined_on_constant and (constant(centre(acts[0])) or constant(centre(acts[1]))):
            # the measure has no value: the claim is false
            return Verdict(claim, False, f"{self.what} is undefined: a representation is constant over the data",
                           {"undefined": True})
        try:
            for width in WIDTHS:
                w = self.certify(claim, acts, width)
                got = [(k, t, decide_bound(k, t, w["lower"], w["upper"], w.get("exact"), w.get("square")))
                       for k, t in claim.params.bounds]
                if all(g is not None for _, _, g in got):
                    break
        except InputError as e:  # ill-defined (svcca's tie) or out of the precision reached: no verdict
            return Verdict(claim, None, f"{self.what}: {e}", {"undecided": str(e)})
        value = (f"{self.what} = {s(w['exact'])}" if w.get("exact") is not None else
                 f"{self.what} = sqrt({s(w['square'])})" if w.get("square") is not None else
                 f"{float(w['lower']):.15g} <= {self.what} <= {float(w['upper']):.15g} (certified)")
        wj = {k: (s(v) if isinstance(v, Fraction) else v) for k, v in w.items()}
        failed = [(k, t) for k, t, g in got if g is False]
        open_ = [(k, t) for k, t, g in got if g is None]
        if failed:
            k, t = failed[0]
            return Verdict(claim, False, f"{value}, so {self.what} {_SIGNS[k]} {s(t)} fails", wj)
        if open_:
            k, t = open_[0]
            return Verdict(claim, None, f"{value}: {self.what} {_SIGNS[k]} {s(t)} is not decided by the narrowest "
                           "bracket symrep reaches", wj)
        return Verdict(claim, True, value, wj)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        w = result["witness"]
        if "undefined" in w:
            return [f"{self.what} is undefined: a representation is constant over the data."]
        lo, hi = Fraction(w["lower"]), Fraction(w["upper"])
        lines = [f"Certified bracket: {w['lower']} <= {self.what} <= {w['upper']} (about {float(lo):.15g} to "
                 f"{float(hi):.15g})."]
        if "exact" in w:
            lines.append(f"Exact value: {w['exact']}.")
        if "square" in w:
            lines.append(f"Exact square: {w['square']}.")
        return lines + ["The checker re-derives the bracket from the witness by products only (see its design note)."]

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        return {draw(st.sampled_from(list(BOUNDS))): draw(st.sampled_from(["0", "1/2", "1"]))}


def fmt(q: Fraction) -> str:
    return format_number(q)
