"""``simple_matches``: the simple (eps-)matches at a layer are exactly the given list.

The certificate lists every pair of neuron sets: each match with its
coefficients, each non-match with a failing neuron, so the checker re-derives
the complete list of matches and from it the simple ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any, Mapping

from symrep.claims.claim import Claim, Verdict
from symrep.claims.fields import IndexPair, expect_type, index_pair
from symrep.claims.kinds._shared import read_eps, s
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import coefficients, failure_json
from symrep.errors import ClaimFileError, InternalError
from symrep.exact.numbers import Matrix
from symrep.measures.matching import approx_match, maximum_match_within
from symrep.measures.simple import ENUMERATION_LIMIT, all_matches, simple_matches_within

#: ``simple_matches`` certificates list every pair of neuron sets: at most this many neurons in all.
SIMPLE_MATCHES_CERTIFIED_UP_TO = 12


@dataclass(frozen=True)
class SimpleMatchesParams:
    """The claimed simple matches (sorted) and eps."""

    equals: tuple[IndexPair, ...]
    eps: Fraction = Fraction(0)


def _subsets(n: int) -> list[tuple[int, ...]]:
    return [c for k in range(n + 1) for c in combinations(range(n), k)]


class SimpleMatches(ClaimKind):
    name = "simple_matches"
    params_type = SimpleMatchesParams
    summary = "the simple (eps-)matches at a layer are exactly the given list (at most 12 neurons a side)"
    fields = frozenset({"equals", "eps"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> SimpleMatchesParams:
        at = f"{ctx.where}: equals"
        raw = expect_type(ctx.require(obj, "equals"), list, at, "a list of matches [[[x...], [y...]], ...]")
        pairs = [index_pair(p, f"{at}[{k}]", ctx.widths) for k, p in enumerate(raw)]
        if len(set(pairs)) != len(pairs):
            raise ClaimFileError(f"{ctx.where}: equals lists a match twice")
        if max(ctx.widths) > ENUMERATION_LIMIT:
            raise ClaimFileError(f"{ctx.where}: simple matches are enumerated for at most {ENUMERATION_LIMIT} neurons a side")
        return SimpleMatchesParams(tuple(sorted(pairs)), read_eps(obj, ctx, required=False))

    def params_to_json(self, params: SimpleMatchesParams) -> dict[str, Any]:
        return {"equals": [[list(x), list(y)] for x, y in params.equals], "eps": s(params.eps)}

    def decide(self, claim: Claim, acts: list[Matrix], d: int) -> Verdict:
        A, B = acts
        eps, want = claim.params.eps, claim.params.equals
        found = simple_matches_within(A, B, eps)  # zero neurons by reasoning, the live ones within a bound on work
        if isinstance(found, str):
            return Verdict(claim, None, f"undecided: {found}", {})
        simple, count = tuple(sorted(found[0])), found[1] - 1
        holds = simple == want
        text = f"{len(simple)} simple matches among {count} non-empty matches: " + ", ".join(
            f"({list(x)}, {list(y)})" for x, y in simple[:6]) + (" ..." if len(simple) > 6 else "")
        if not holds:
            text += f"; the claim lists {len(want)}"
        if len(A) + len(B) > SIMPLE_MATCHES_CERTIFIED_UP_TO:
            return Verdict(claim, holds, text, {"too_large_to_certify": True})
        matches = [m for m in all_matches(A, B, eps) if m[0] or m[1]]  # at most 2^12 - 1 pairs
        listed, proofs = set(matches), []
        for x, y in matches:
            m = approx_match(A, B, eps, x, y, certified=False) if x and y else None
            proofs.append({"x": list(x), "y": list(y), "x_in_y": coefficients(m.x_in_y) if m else [[i, []] for i in x],
                           "y_in_x": coefficients(m.y_in_x) if m else [[j, []] for j in y]})
        refuted = []
        for x in _subsets(len(A)):
            for y in _subsets(len(B)):
                if (x or y) and (x, y) not in listed:
                    if x and y:
                        f = approx_match(A, B, eps, x, y, certified=False).failure
                    else:
                        f = maximum_match_within(A, B, x, y, eps).removals[0]
                    if f is None:  # (x, y) is not a match, so some neuron fails
                        raise InternalError(f"internal error: ({list(x)}, {list(y)}) is no match but no neuron fails")
                    refuted.append({"x": list(x), "y": list(y), **failure_json(f)})
        return Verdict(claim, holds, text, {"matches": proofs, "non_matches": refuted})

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        draw(ctx.eps)  # drawn as for the other eps kinds, so that examples stay as they were; the claim uses 0
        return {"eps": "0", "equals": draw(ctx.st.lists(ctx.subset_pairs, max_size=2, unique_by=str))}


KIND = SimpleMatches()
