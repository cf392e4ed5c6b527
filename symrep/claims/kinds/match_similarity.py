"""``match_similarity``: Wang et al.'s similarity (|X*| + |Y*|) / (|X| + |Y|) of the maximum eps-match is the given number.

Parametric claims (one parameter t) are decided over the field Q(t): for eps = 0 by span
membership (ranks, every pivot recorded); for eps > 0 by the same fixpoint as the numeric
verifier (each side's neurons tested against the other side's remaining ones, x first), where a
neuron z is kept when ``eps^2 |z|^2 - dist(z, span)^2 >= 0``, the distance from an exact
Gram-Schmidt projection.  That comparison is a sign of a rational function of t, so the field's
``sign`` splits the t-line where it changes (:mod:`symrep.parametric.decide`).  Certificates (the
removal trace at eps = 0, orthogonal projections at eps > 0) and the limits of the similarity as t
grows: :mod:`symrep.parametric.measures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import number
from symrep.claims.kinds._shared import match_explanation, read_eps, s
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import match_text, match_witness
from symrep.errors import InternalError
from symrep.exact.field import FieldOps
from symrep.exact.field import maximum_match as maximum_match_over
from symrep.exact.numbers import Matrix, format_number
from symrep.measures.matching import maximum_match


@dataclass(frozen=True)
class MatchSimilarityParams:
    """The claimed similarity and eps (0: exact match)."""

    equals: Fraction
    eps: Fraction = Fraction(0)


def _dot(u: Sequence[Any], v: Sequence[Any]) -> Any:
    return sum((a * b for a, b in zip(u[1:], v[1:])), u[0] * v[0])


def _close(z: Sequence[Any], rows: Sequence[Sequence[Any]], eps2: Fraction, ops: FieldOps) -> bool:
    """Whether dist(z, span(rows))^2 <= eps2 |z|^2, over a field with an exact sign (Gram-Schmidt, exact)."""
    basis: list[tuple[list[Any], Any]] = []
    r = list(z)
    for v in rows:
        u = list(v)
        for b, bb in basis:
            c = _dot(u, b) / bb
            u = [x - c * y for x, y in zip(u, b)]
        uu = _dot(u, u)
        if not ops.is_zero(uu):  # a real vector is zero exactly when its squared norm is
            ops.note(uu)
            basis.append((u, uu))
            c = _dot(r, u) / uu
            r = [x - c * y for x, y in zip(r, u)]
    if ops.sign is None:  # eps_match_over refuses a field without a sign before it gets here
        raise InternalError("internal error: an eps-match test over a field without a sign")
    return ops.sign(ops.const(eps2) * _dot(z, z) - _dot(r, r)) >= 0


def eps_match_over(A: Sequence[Sequence[Any]], B: Sequence[Sequence[Any]], eps2: Fraction, ops: FieldOps,
                   ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The maximum eps-match over a field with a sign: the numeric verifier's fixpoint (x tested first, then y).

    >>> ops = FieldOps(lambda x: x == 0, Fraction, sign=lambda x: (x > 0) - (x < 0))
    >>> one = [[Fraction(4), Fraction(3)]]
    >>> eps_match_over(one, [[1, 0]], Fraction(9, 25), ops), eps_match_over(one, [[1, 0]], Fraction(1, 4), ops)
    (((0,), (0,)), ((), ()))
    """
    if ops.sign is None:
        raise NotImplementedError("an eps-match over a field needs the field's sign")
    X, Y = list(range(len(A))), list(range(len(B)))
    while True:
        X2 = [i for i in X if _close(A[i], [B[j] for j in Y], eps2, ops)]
        Y2 = [j for j in Y if _close(B[j], [A[i] for i in X2], eps2, ops)]
        if X2 == X and Y2 == Y:
            return tuple(X), tuple(Y)
        X, Y = X2, Y2


class MatchSimilarity(ClaimKind):
    name = "match_similarity"
    params_type = MatchSimilarityParams
    summary = "the similarity of the maximum eps-match (default eps = 0) is the given number"
    fields = frozenset({"equals", "eps"})
    symbolic = True

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> MatchSimilarityParams:
        value = number(ctx.require(obj, "equals"), f"{ctx.where}: equals")
        return MatchSimilarityParams(value, read_eps(obj, ctx, required=False))

    def params_to_json(self, params: MatchSimilarityParams) -> dict[str, Any]:
        return {"equals": s(params.equals), "eps": s(params.eps)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        p = claim.params
        m = maximum_match(acts[0], acts[1], p.eps)
        holds = m.similarity == p.equals
        text = f"eps = {s(p.eps)}: similarity {s(m.similarity)}" + ("" if holds else f", not {s(p.equals)}")
        return Verdict(claim, holds, text + f" ({match_text(m)})", match_witness(m))

    def decide_symbolic(self, claim: Claim, acts: Any, d: int, ops: FieldOps) -> bool:
        eps = claim.params.eps
        X, Y = maximum_match_over(acts[0], acts[1], ops) if eps == 0 else eps_match_over(acts[0], acts[1], eps * eps, ops)
        return Fraction(len(X) + len(Y), len(acts[0]) + len(acts[1])) == claim.params.equals

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list[Matrix]) -> list[str]:
        return match_explanation(claim, result["witness"], acts)

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        eps = draw(ctx.eps)
        m = maximum_match(ctx.acts[0], ctx.acts[1], Fraction(eps))
        value = draw(ctx.st.sampled_from([m.similarity, Fraction(1), Fraction(0)]))
        return {"eps": eps, "equals": format_number(value)}


KIND = MatchSimilarity()
