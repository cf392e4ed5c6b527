"""``cka``: bounds on linear CKA (Kornblith et al. 2019) of two representations at a layer, decided exactly.

CKA is the square root of a rational (for rational activations), so a bound t
on CKA is decided exactly by comparing CKA^2 with t^2.  The witness is the
three HSIC terms of the centred activations, from which CKA^2 follows.

``squared = true`` puts the bounds on CKA^2 instead.  A bound may be irrational,
written exactly as ``"sqrt(1/2)"`` or ``"3/4*sqrt(2)"`` (read by
:func:`symrep.claims.kinds._surds.read_surd`, never evaluated); the comparison is
then the exact sign of ``sqrt(CKA^2) - t`` (or ``CKA^2 - t``), found by squaring
with signs (:func:`symrep.claims.kinds._surds.sign`).

Parametric claims (weights rational functions of one parameter t): over the field Q(t) CKA^2 is
the rational function r(t) = |A_c B_c^T|^4 / (|A_c A_c^T|^2 |B_c B_c^T|^2) of the activations
that the parametric forward pass gives (:meth:`Cka.decide_symbolic`, field operations only), and
each bound is the sign of one rational function: ``CKA >= c`` is ``r - c^2 >= 0`` (c^2 is
rational also for c = a*sqrt(q)), ``CKA^2 >= c`` is ``r - c >= 0``, or ``r^2 - c^2 >= 0`` for an
irrational c.  The field's ``sign`` splits the t-line at the real roots of that function's
numerator and denominator (:mod:`symrep.parametric.decide`), so ``holds_when`` is exact with
algebraic endpoints; the zeros of the two norms are noted as exceptional points (CKA is undefined
there and the claim false).  Certificates of those verdicts (CKA^2 per piece, recomputed by the
checker) and the exact limits as t grows: :mod:`symrep.parametric.measures`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import expect_type
from symrep.claims.kinds._surds import Surd, read_surd, sign, surd_text
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import s
from symrep.errors import ClaimFileError
from symrep.exact.field import FieldOps
from symrep.exact.numbers import Matrix
from symrep.measures.cka import hsic_terms as integer_hsic_terms
from symrep.measures.cka import int_rows_bracket

#: The bound fields, in the order they are written.
BOUNDS = ("equals", "at_least", "at_most")
#: Which signs of (value - bound) each bound accepts.
_ACCEPT = {"equals": (0,), "at_least": (0, 1), "at_most": (-1, 0)}
_SIGNS = {"equals": "=", "at_least": ">=", "at_most": "<="}


@dataclass(frozen=True)
class CkaParams:
    """Bounds on CKA (on CKA^2 when ``squared``): pairs (``equals``/``at_least``/``at_most``, value).

    A value is a Fraction, or a :class:`~symrep.claims.kinds._surds.Surd` when irrational.
    """

    bounds: tuple[tuple[str, Fraction | Surd], ...]
    squared: bool = False


def _as_surd(t: Fraction | Surd) -> Surd:
    return t if isinstance(t, Surd) else Surd(t)


def _text(t: Fraction | Surd) -> str:
    return surd_text(t) if isinstance(t, Surd) else s(t)


def bound_sign(cka2: Fraction, t: Fraction | Surd, squared: bool) -> int:
    """sign(CKA - t), or sign(CKA^2 - t) when *squared*, exactly.

    >>> bound_sign(Fraction(1, 2), Surd(Fraction(1), Fraction(1, 2)), False), bound_sign(Fraction(1, 2), Fraction(1, 2), True)
    (0, 0)
    """
    value = Surd(cka2) if squared else Surd(Fraction(1), cka2)
    return sign([value, -_as_surd(t)])


def symbolic_cka_squared(acts: Sequence[Sequence[Sequence[Any]]], d: int, ops: FieldOps) -> Any:
    """CKA^2 of two activation matrices over a field (rows = neurons), or None when a side is constant.

    Only field operations (``+ - * /`` and ``ops.const``), so it runs over Q(t) and over number fields;
    the two norms are recorded with ``ops.note`` (where they vanish the claim changes).

    >>> ops = FieldOps(lambda x: x == 0, Fraction)
    >>> symbolic_cka_squared([[[1, 2, 3]], [[2, 4, 6]]], 3, ops), symbolic_cka_squared([[[1, 2, 3]], [[5, 5, 5]]], 3, ops)
    (Fraction(1, 1), None)
    """
    cen = []
    for M in acts:
        rows = [[ops.const(Fraction(x)) if isinstance(x, int) else x for x in row] for row in M]
        cen.append([[x - sum(row[1:], row[0]) / ops.const(Fraction(d)) for x in row] for row in rows])

    def frob_of_product(P: list, Q: list) -> Any:
        dots = [sum((a * b for a, b in zip(p[1:], q[1:])), p[0] * q[0]) for p in P for q in Q]
        return sum((x * x for x in dots[1:]), dots[0] * dots[0])

    A, B = cen
    h1, h2 = frob_of_product(A, A), frob_of_product(B, B)
    for h in (h1, h2):
        if ops.is_zero(h):
            return None
        ops.note(h)
    h0 = frob_of_product(A, B)
    return h0 * h0 / (h1 * h2)


def bound_functions(params: CkaParams, r: Any, ops: FieldOps) -> list[tuple[str, Any]]:
    """Per bound, (key, f) with sign(f) = sign(CKA - c) (or of CKA^2 - c), given r = CKA^2 over a field.

    ``CKA >= c`` is ``r - c^2 >= 0`` (c^2 is rational also for c = a*sqrt(q)), ``CKA^2 >= c`` is
    ``r - c >= 0``, or ``r^2 - c^2 >= 0`` for an irrational c >= 0 (both sides are non-negative).

    >>> ops = FieldOps(lambda x: x == 0, Fraction)
    >>> bound_functions(CkaParams((("at_least", Surd(Fraction(1), Fraction(1, 2))),)), Fraction(1, 4), ops)
    [('at_least', Fraction(-1, 4))]
    """
    out = []
    for key, t in params.bounds:
        u = _as_surd(t)
        if not params.squared:
            out.append((key, r - ops.const(u.square)))
        elif u.rational is not None:
            out.append((key, r - ops.const(u.rational)))
        else:
            out.append((key, r * r - ops.const(u.square)))
    return out

def bracket_sign(lo: Fraction, hi: Fraction, t: Fraction | Surd, squared: bool) -> int | None:
    """sign(CKA - t) (sign(CKA^2 - t) when *squared*) from ``lo <= CKA^2 <= hi``, or None when the bracket cannot tell.

    ``CKA`` and ``t`` are not negative, so ``CKA`` against ``t`` is ``CKA^2`` against the
    rational ``t^2``; ``CKA^2`` against an irrational ``t`` is ``CKA^4`` against ``t^2``.

    >>> lo, hi = Fraction(1, 4), Fraction(1, 3)
    >>> bracket_sign(lo, hi, Fraction(1, 2), False), bracket_sign(lo, hi, Fraction(1, 2), True)
    (None, -1)
    """
    u = _as_surd(t)
    target = u.rational if squared else u.square
    if target is None:  # CKA^2 against an irrational t: CKA^4 against t^2
        lo, hi, target = lo * lo, hi * hi, u.square
    return 1 if target < lo else -1 if target > hi else None


def _integer_rows(M: Matrix) -> tuple[list[list[int]], int]:
    """The rows of *M* times the least common denominator L of its entries (integers), and L."""
    L = math.lcm(*(q.denominator for row in M for q in row))
    return [[q.numerator * (L // q.denominator) for q in row] for row in M], L


def hsic_terms(A: Matrix, B: Matrix) -> tuple[Fraction, Fraction, Fraction]:
    """|A_c B_cᵀ|², |A_c A_cᵀ|², |B_c B_cᵀ|² (Frobenius) of the centred activations (rows = neurons), exactly.

    Computed from exact integer Grams (:func:`symrep.measures.cka.hsic_terms`, multi-modular
    BLAS): each matrix is scaled to integers by the least common denominator L of its entries,
    and the integer terms ``S = d² L_A² L_B² |A_c B_cᵀ|²`` are divided back exactly.
    """
    d = len(A[0]) if A else 0
    (X, LA), (Y, LB) = _integer_rows(A), _integer_rows(B)
    s_ab, s_aa, s_bb = integer_hsic_terms(X, Y)
    dd = d * d
    return Fraction(s_ab, dd * LA * LA * LB * LB), Fraction(s_aa, dd * LA**4), Fraction(s_bb, dd * LB**4)


class Cka(ClaimKind):
    name = "cka"
    params_type = CkaParams
    summary = "bounds on linear CKA at a layer (equals, at_least, at_most; on CKA^2 with squared = true; sqrt(...) allowed)"
    fields = frozenset(BOUNDS) | {"squared"}
    symbolic = True

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> CkaParams:
        squared = expect_type(obj.get("squared", False), bool, f"{ctx.where}: squared", "true or false")
        bounds: list[tuple[str, Fraction | Surd]] = []
        for key in BOUNDS:
            if key in obj:
                value = read_surd(obj[key], f"{ctx.where}: {key}")
                if value.coef < 0:
                    raise ClaimFileError(f"{ctx.where}: {key}: CKA is never negative, {surd_text(value)} is")
                bounds.append((key, value if value.rational is None else value.coef))
        if not bounds:
            raise ClaimFileError(f"{ctx.where}: kind 'cka' needs at least one of 'equals', 'at_least', 'at_most' "
                                 "(bounds on CKA)")
        return CkaParams(tuple(bounds), squared)

    def params_to_json(self, params: CkaParams) -> dict[str, Any]:
        out: dict[str, Any] = {key: _text(value) for key, value in params.bounds}
        if params.squared:
            out["squared"] = True
        return out

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        """Decided by the float bracket of CKA^2 when it tells every bound, else by the exact value."""
        quick = self._decide_by_bracket(claim, acts)
        if quick is not None:
            return quick
        h = hsic_terms(acts[0], acts[1])
        w: dict[str, Any] = {"hsic": [s(x) for x in h]}
        if h[1] == 0 or h[2] == 0:
            return Verdict(claim, False, "CKA is undefined: a representation is constant over the data", w)
        cka2 = h[0] * h[0] / (h[1] * h[2])
        w["cka_squared"] = s(cka2)
        sq = claim.params.squared
        failed = [(k, t) for k, t in claim.params.bounds if bound_sign(cka2, t, sq) not in _ACCEPT[k]]
        text = f"CKA^2 = {s(cka2)} (CKA = sqrt of it)"
        if failed:
            k, t = failed[0]
            square = "" if sq else f" (compare with {s(_as_surd(t).square)})"
            text += f", so CKA{'^2' if sq else ''} {_SIGNS[k]} {_text(t)} fails{square}"
        return Verdict(claim, not failed, text, w)

    def _decide_by_bracket(self, claim: Claim, acts: list[Matrix]) -> Verdict | None:
        """The verdict from rationals ``lo <= CKA^2 <= hi`` (one float64 Gram, proved error bound), or None.

        The bracket is computed on the integer forms of the activations (CKA^2 is unchanged by
        the common scale) when they fit in float64; it proves both sides non-constant.
        """
        if not acts[0] or not acts[1] or not acts[0][0]:
            return None
        br = int_rows_bracket(_integer_rows(acts[0])[0], _integer_rows(acts[1])[0])
        if br is None:
            return None
        sq = claim.params.squared
        signs = [(k, t, bracket_sign(br[0], br[1], t, sq)) for k, t in claim.params.bounds]
        if any(sg is None for _, _, sg in signs):
            return None
        failed = [(k, t) for k, t, sg in signs if sg not in _ACCEPT[k]]
        text = f"CKA^2 lies in [{s(br[0])}, {s(br[1])}] (a float bracket with a proved error bound)"
        if failed:
            k, t = failed[0]
            text += f", so CKA{'^2' if sq else ''} {_SIGNS[k]} {_text(t)} fails"
        return Verdict(claim, not failed, text, {"cka_squared_bracket": [s(br[0]), s(br[1])]})

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        """The bounds over a field with an exact sign (parametric claims; see the module docstring)."""
        if ops.sign is None:
            raise NotImplementedError("cka over a field needs the field's sign")
        r = symbolic_cka_squared(acts, d, ops)
        if r is None:  # CKA is undefined: the claim is false, as in :meth:`decide`
            return False
        return all(ops.sign(f) in _ACCEPT[key] for key, f in bound_functions(claim.params, r, ops))

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        w = result["witness"]
        if "hsic" not in w:
            lo, hi = w["cka_squared_bracket"]
            return [f"A float64 Gram of the integer forms with a proved error bound puts CKA^2 between {lo} and {hi}, "
                    "which settles every bound (the checker recomputes CKA^2 exactly and confirms it lies there)."]
        h = w["hsic"]
        return [f"After centering each neuron over the data: |A B^T|_F^2 = {h[0]}, |A A^T|_F^2 = {h[1]}, "
                f"|B B^T|_F^2 = {h[2]}, so CKA^2 = {w.get('cka_squared', 'undefined')}."]

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        out: dict[str, Any] = {draw(st.sampled_from(list(BOUNDS))): draw(st.sampled_from(["0", "1/2", "1", "sqrt(1/2)"]))}
        if draw(st.booleans()):
            out["squared"] = True
        return out


KIND = Cka()
