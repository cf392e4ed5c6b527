"""Parametric ``equal_functions``: two ReLU networks whose weights depend on one parameter.

Design note
-----------
Per piece of the parameter line (the admissible set cut at poles, see :mod:`symrep.parametric.decide`):

1. *Symmetry.*  Over ``QQ(t)`` look for the ReLU symmetry: per hidden layer a permutation pi and
   scales c with ``W'[pi(i)][pi_prev(k)] c_prev[k] == c[i] W[i][k]`` and ``b'[pi(i)] == c[i] b[i]``
   (the output layer with pi = id, c = 1).  These are identities of rational functions.  Where every
   scale is positive, ``relu(c x) = c relu(x)`` gives g = f at every input, whatever the domain.  The
   scales' numerators and denominators are the polynomials whose real roots cut the piece.
2. *Failure.*  Otherwise the numeric verifier decides at a rational sample; when the functions differ
   there, at an input x0 of the domain, the outputs at x0 are rational functions of t on the piece
   (the ReLU signs at x0 fixed by splitting at the roots of every pre-activation at x0), and their
   difference, cut at its roots, is non-zero on each sub-piece: the functions differ all along it.
3. Anything else (equal at the sample without a recognised symmetry: the region splitting of
   ``equal_functions`` over a parameter, where the cells themselves move with t, is not done here)
   is "undecided", never a guess.

Points are treated alike over ``Q`` (a rational point: symmetry, else the numeric verifier) and
``Q[t]/(m)`` (an irrational point: symmetry only).  The same evidence is the certificate
(:mod:`symrep.parametric.certify`): the decision and its proof are built together.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from symrep.claims.claim import Claim
from symrep.exact.numbers import format_number
from symrep.parametric.algebraic import Alg, _inside, _sample
from symrep.parametric.line import (
    FAMILY_DECIDERS,
    ParametricProblem,
    ParametricVerdict,
    Undecided,
    _forward,
    _seg_json,
    _segments,
    _set_text,
)
from symrep.parametric.witness import Evidence, Field

__all__ = ["decide_equal_functions", "find_symmetry"]


def _matches(F: Field, gj: list[Any], fi: list[Any]) -> Any:
    """c with gj == c fi entrywise (c != 0), or None."""
    k = next((k for k, x in enumerate(fi) if not F.is_zero(x)), None)
    if k is None:
        return F.const(1) if all(F.is_zero(x) for x in gj) else None
    c = gj[k] / fi[k]
    if F.is_zero(c) or not all(F.is_zero(a - c * b) for a, b in zip(gj, fi)):
        return None
    return c


def find_symmetry(F: Field, f: list, g: list, limit: int = 20_000) -> list[tuple[list[int], list[Any]]] | None:
    """Per hidden layer (permutation, scales) with g's neuron perm[i] = scale[i] * f's neuron i, or None.

    Layers are ``(weights, bias, activation)`` over the field; the output layer must agree exactly.
    Duplicated or proportional neurons admit several pairings of which only some carry through the
    next layer, so the pairing backtracks (a greedy first match misses such symmetries); ``limit``
    bounds the candidate pairs tried, and networks wider than ``_MAX_NEURONS`` in all are not searched
    (None: no symmetry recognised, which decides nothing).
    """
    if len(f) != len(g) or any(a[2] != b[2] or len(a[0]) != len(b[0]) for a, b in zip(f, g)):
        return None
    if sum(len(w) for w, _, _ in f) > _MAX_NEURONS:
        return None
    budget = [limit]
    one = F.const(1)

    def layer(li: int, perm: list[int], scale: list[Any], acc: list) -> list | None:
        if li == len(f):
            return acc
        (wf, bf, _), (wg, bg, _) = f[li], g[li]
        last = li == len(f) - 1

        def assign(i: int, p: list[int], c: list[Any]) -> list | None:
            if i == len(wf):
                return layer(li + 1, p, c, acc if last else acc + [(p, c)])
            fi = list(wf[i]) + [bf[i]]
            for j in ([i] if last else range(len(wg))):
                if j in p:
                    continue
                budget[0] -= 1
                if budget[0] < 0:
                    return None
                gj = [wg[j][perm[k]] * scale[k] for k in range(len(perm))] + [bg[j]]
                s = _matches(F, gj, fi)
                if s is not None and (not last or F.is_zero(s - one)):
                    found = assign(i + 1, p + [j], c + [s])
                    if found is not None:
                        return found
            return None

        return assign(0, [], [])

    return layer(0, list(range(len(f[0][0][0]))), [one] * len(f[0][0][0]), [])


_MAX_NEURONS = 400  # the pairing recurses once per neuron: well inside Python's recursion limit


class _Functions:
    """The evidence of an equal_functions claim on a piece (called by the certificate's piece builder)."""

    def __init__(self, pp: ParametricProblem, claim: Claim, pieces: Any):
        self.pp, self.claim, self.pieces = pp, claim, pieces

    def __call__(self, kind: str, at: Any) -> Evidence:
        P = self.pieces
        F, relu, const = P.field_at(kind, at)
        layers = P.layers_at(kind, at)
        f, g = (list(layers[n]) for n in self.claim.networks)
        sym = find_symmetry(F, f, g)
        if sym is not None:
            scales = [x for _, c in sym for x in c]
            if all(self._positive(kind, at, x) for x in scales):
                proof = {"symmetry": [{"permutation": p, "scales": [F.to_json(x) for x in c]} for p, c in sym]}
                return Evidence(True, proof, scales)
        if kind == "point":
            raise Undecided("an irrational point where no positive ReLU symmetry is found")
        return self._failure(F, relu, const, f, g, at)

    def _positive(self, kind: str, at: Any, x: Any) -> bool:
        if kind == "interval":
            s = self.pieces.solver
            from symrep.parametric.algebraic import _horner

            return _horner(s._coeffs(x.numer), at) / _horner(s._coeffs(x.denom), at) > 0
        return x.sign() > 0 if kind == "point" else x > 0

    def _candidates(self, s: Fraction) -> list[Fraction]:
        """The sample, then a few more rationals inside the current interval (or only s at a point)."""
        if not hasattr(self.pieces, "current") or s != _sample(*self.pieces.current):
            return [s]
        lo, hi = self.pieces.current
        more = [s + 1, 2 * s, s / 2, s - 1, 2 * s + 1, s + Fraction(1, 3), (s + 1) / 3, s - Fraction(1, 3), s / 3, 3 * s]
        return [s] + [q for q in more if q != s and _inside(Alg(q=q), lo, hi)]

    def _failure(self, F: Field, relu: Callable, const: Callable, f: list, g: list, at: Fraction) -> Evidence:
        from symrep.claims.verdicts import decide

        name = self.pieces.solver.name
        for t0 in self._candidates(at):  # a value where f != g: its differing input is the proof's witness
            v = decide(self.pp.instantiate({name: t0}, self.claim.networks), self.claim)
            if v.holds is None:
                raise Undecided(f"undecided at {name} = {format_number(t0)}: {v.explanation}")
            if v.holds is False:
                break
        else:
            raise Undecided(f"equal at {name} = {format_number(t0)} but no positive ReLU symmetry is recognised "
                            "(region splitting over a parameter is not implemented)")
        if t0 != at:  # re-read the ReLU signs at the sample actually used
            F, relu, const = self.pieces.field_at("interval", t0)
        x0 = [Fraction(q) for q in v.witness["point"]]
        critical: list[Any] = []

        def watched(x: Any) -> Any:  # every pre-activation at x0 must keep its sign on the piece
            critical.append(x)
            return relu(x)
        cols = [[const(q)] for q in x0]
        outs = [_forward(net, cols, watched)[-1] for net in (f, g)]
        for k, (a, b) in enumerate(zip(*outs)):
            if not F.is_zero(a[0] - b[0]):
                critical.append(a[0] - b[0])
                return Evidence(False, {"input": [format_number(q) for q in x0], "neuron": k, "point": 0}, critical)
        raise AssertionError("the verifier's differing point gives equal outputs")


def decide_equal_functions(pp: ParametricProblem, claim: Claim, name: str) -> ParametricVerdict:
    """Decide ``equal_functions`` for every admissible value of one parameter, with its certificate."""
    from symrep.parametric.certify import _Pieces
    from symrep.parametric.line import _OneParameter

    pieces = _Pieces(pp, claim, name)
    pieces.evidence = _Functions(pp, claim, pieces)
    cells, poles = _OneParameter(pp, claim, name).domain()
    proof = pieces.run([((lo, hi), None) for lo, hi in cells])
    decided = pieces.decided
    symbol = pieces.solver.symbol
    true_j = [_seg_json(s, symbol) for s in _segments(decided, True)]
    text = _set_text(true_j)
    excl = f" (excluding poles {', '.join(p.text(symbol) for p in poles)})" if poles else ""
    assumption = pp.space.assumptions[name]
    if all(v for _, v in decided):
        return ParametricVerdict(claim, True, f"holds for every {assumption} {name}{excl}: a positive ReLU symmetry",
                                 true_j, None, (name,), text, decided, proof=proof)
    bad = next((_sample(*p) if isinstance(p, tuple) else p.q for p, v in decided
                if not v and (isinstance(p, tuple) or p.rational)), None)
    at = f"fails at {name} = {format_number(bad)}; " if bad is not None else ""
    return ParametricVerdict(claim, False, f"{at}holds exactly for {name} in {text}{excl}", true_j,
                             None if bad is None else {name: bad}, (name,), text, decided, proof=proof)


FAMILY_DECIDERS["equal_functions"] = decide_equal_functions
