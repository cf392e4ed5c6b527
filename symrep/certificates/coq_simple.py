"""``simple_matches`` claims as Coq theorems (``simple_matches_claim`` of ``coq/Symrep.v``).

The certificate lists every pair of neuron sets as a match or not; Coq needs more for the set of
simple matches: for each listed pair, a proof that it is simple (a neuron v and, for every other member
u, a removal trace from the match without u that removes v), and for every other pair of subsets a
refutation (empty, not a match, or covered by matches strictly inside).  The exporter asks symrep's
own decision (:func:`symrep.measures.simple.simple_match_evidence`) for these: proposals, each checked by
Coq (the lemma enumerates all pairs of subsets itself, so an omitted pair makes the check false).

>>> _subsets(2)
[[], [0], [1], [0, 1]]
"""

from __future__ import annotations

from itertools import combinations
from typing import Any, Callable

from symrep.claims.witnesses import coefficients, failure_json, removal_json
from symrep.measures.simple import simple_match_evidence

__all__ = ["simple_matches", "UP_TO"]

#: Neurons of both sides together up to which the exporter writes the 2^n refutations.
UP_TO = 8


def _subsets(n: int) -> list[list[int]]:
    return [list(c) for k in range(n + 1) for c in combinations(range(n), k)]


def _nats(v: list[int]) -> str:
    return "[" + "; ".join(f"{i}%nat" for i in v) + "]"


def _member(side: str, i: int) -> str:
    return f"({'MX' if side == 'x' else 'MY'} {i}%nat)"


def _cover(D: Any, m: Any, X: list[int], Y: list[int], nA: int, nB: int) -> tuple[str, str]:
    return (D.cover(coefficients(m.x_in_y), X, Y, nB, "x_in_y"), D.cover(coefficients(m.y_in_x), Y, X, nA, "y_in_x"))


def _yes(D: Any, ev: dict, X: list[int], Y: list[int], nA: int, nB: int) -> tuple[str, str, str, str]:
    """cx, cy, v, exclusions of a simple match (the arguments of check_simple_true).  For a pair symrep
    finds not simple (a tampered certificate exported past the gate) an attempt Coq rejects."""
    if not ev["simple"]:
        m = ev.get("match")
        cx, cy = _cover(D, m, X, Y, nA, nB) if m is not None and m.holds else ("[]", "[]")
        return cx, cy, _member("x", X[0]) if X else _member("y", Y[0] if Y else 0), "[]"
    ex = "; ".join(f"({_member(*u)}, {D.trace({'removals': [removal_json(r) for r in m.removals]}, 'exclusions')})"
                   for u, m in ev["exclusions"])
    cx, cy = _cover(D, ev["match"], X, Y, nA, nB)
    return cx, cy, _member(*ev["v"]), f"[{ex}]"


def _no(D: Any, ev: dict, X: list[int], Y: list[int], nA: int, nB: int) -> str:
    """The nsw refutation of a pair that is not simple (for a simple one, past the gate: an attempt Coq rejects)."""
    if ev["simple"]:
        return "NEmpty"
    if ev.get("empty"):
        return "NEmpty"
    if "not_zero" in ev:
        return f"(NFail {D.removal(failure_json(ev['not_zero'].removals[0]), 'witness')})"
    if not ev["match"].holds:
        return f"(NFail {D.removal(failure_json(ev['match'].failure), 'witness')})"
    parts = []
    for m in ev["parts"]:
        px, py = sorted(m.x), sorted(m.y)
        cx, cy = _cover(D, m, px, py, nA, nB)
        parts.append(f"({_nats(px)}, {_nats(py)}, {cx}, {cy})")
    return f"(NParts [{'; '.join(parts)}])"


def simple_matches(D: Any, c: dict, v: bool, skip: Callable[[str], Exception], A: str, B: str, e2: str,
                   eps: Any, claimed: list[tuple[list[int], list[int]]]) -> tuple[str, str]:
    """The statement and proof of a simple_matches claim (claimed: the listed pairs, each side sorted)."""
    a, b = c["networks"]
    RA, RB = D.rows(a, c["layer"]), D.rows(b, c["layer"])
    nA, nB = len(RA), len(RB)
    if nA + nB > UP_TO:
        raise skip(f"simple_matches of {nA + nB} neurons: the exporter writes the 2^n refutations up to {UP_TO}")
    L = "[" + "; ".join(f"({_nats(x)}, {_nats(y)})" for x, y in claimed) + "]"
    stmt = f"simple_matches_claim npoints {e2} {A} {B} {L}"
    evidence = {}
    for X in _subsets(nA):
        for Y in _subsets(nB):
            evidence[(tuple(X), tuple(Y))] = simple_match_evidence(RA.frac, RB.frac, X, Y, eps)
    if v:
        yes = ["(" + ", ".join(_yes(D, evidence[(tuple(x), tuple(y))], x, y, nA, nB)) + ")" for x, y in claimed]
        no = [f"({_nats(list(X))}, {_nats(list(Y))}, {_no(D, ev, list(X), list(Y), nA, nB)})"
              for (X, Y), ev in evidence.items() if [list(X), list(Y)] not in [[x, y] for x, y in claimed]]
        return stmt, f"apply (simple_matches_true _ _ _ _ _ [{'; '.join(yes)}] [{'; '.join(no)}])"
    for x, y in claimed:  # a listed pair that is not simple
        ev = evidence.get((tuple(x), tuple(y)))
        if ev is not None and not ev["simple"]:
            return f"~ {stmt}", f"apply (simple_matches_listed _ _ _ _ _ {_nats(x)} {_nats(y)} {_no(D, ev, x, y, nA, nB)})"
    for (SX, SY), ev in evidence.items():  # a simple match not listed
        if ev["simple"] and [list(SX), list(SY)] not in [[x, y] for x, y in claimed]:
            args = " ".join(_yes(D, ev, list(SX), list(SY), nA, nB))
            return f"~ {stmt}", f"apply (simple_matches_missing _ _ _ _ _ {_nats(list(SX))} {_nats(list(SY))} {args})"
    x, y = claimed[0] if claimed else ([], [])  # none differ (past the gate only): an attempt Coq rejects
    return f"~ {stmt}", f"apply (simple_matches_listed _ _ _ _ _ {_nats(x)} {_nats(y)} NEmpty)"
