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
3. *Region splitting over the parameter* (a stated weaker method, *not certified*): where the
   functions agree at every sample tried and no symmetry is recognised, and both networks are one
   ReLU layer followed by identity layers on all of R^n.  The first layers' hyperplanes
   ``w_i(t) . x + b_i(t) = 0`` of both networks, with the coordinate vectors, form the vector
   configuration ``(w_i, b_i), e_1, ..., e_{n+1}`` in R^(n+1); all its (n+1)-minors are elements
   of QQ(t), and the piece is cut at their real roots.  On a sub-piece every minor keeps its sign,
   so the oriented matroid (the chirotope) is constant, hence so is the set of sign vectors of the
   arrangement's full-dimensional cells (its topes with e_(n+1) positive; loops stay loops).  The
   numeric region splitting at a rational sample lists those sign vectors; on each, both networks
   are affine maps whose coefficients are rational functions of t, compared exactly.  All equal:
   f = g on every full-dimensional cell for every t of the sub-piece, so everywhere by continuity:
   true there.  The cut points are decided by the numeric verifier (rational) or stay
   "undecided" (irrational).  The verdict is exact but its certificate says "undecided" (no
   certificate form for it: the checker would need the region tree over QQ(t)).
4. Anything else (deeper networks, a domain, too many minors, a map that differs as a rational
   function although the samples agree) is "undecided within these bounds", never a guess.

Points are treated alike over ``Q`` (a rational point: symmetry, else the numeric verifier) and
``Q[t]/(m)`` (an irrational point: symmetry only).  The same evidence is the certificate
(:mod:`symrep.parametric.certify`): the decision and its proof are built together.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
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


def find_symmetry(F: Field, f: list, g: list, limit: int = 20_000,
                  positive: Callable[[Any], bool] | None = None) -> list[tuple[list[int], list[Any]]] | None:
    """Per hidden layer (permutation, scales) with g's neuron perm[i] = scale[i] * f's neuron i, or None.

    Layers are ``(weights, bias, activation)`` over the field; the output layer must agree exactly.
    Duplicated or proportional neurons admit several pairings of which only some carry through the
    next layer, so the pairing backtracks (a greedy first match misses such symmetries); ``limit``
    bounds the candidate pairs tried, and networks wider than ``_MAX_NEURONS`` in all are not searched
    (None: no symmetry recognised, which decides nothing).  With ``positive``, a hidden scale it
    rejects is passed over and the search goes on: relu(c z) = c relu(z) needs c > 0, and a pairing
    with a negative scale can still carry through the output (g's neurons swapped and negated) while
    another pairing of the same neurons is a true symmetry.
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
                if s is not None and (F.is_zero(s - one) if last else positive is None or positive(s)):
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
        self.uncertified = False  # a piece decided by region splitting over the parameter (design note 3)

    def __call__(self, kind: str, at: Any) -> Evidence:
        P = self.pieces
        F, relu, const = P.field_at(kind, at)
        layers = P.layers_at(kind, at)
        f, g = (list(layers[n]) for n in self.claim.networks)
        sym = find_symmetry(F, f, g, positive=lambda x: self._positive(kind, at, x))
        if sym is not None:
            scales = [x for _, c in sym for x in c]
            if all(self._positive(kind, at, x) for x in scales):
                proof = {"symmetry": [{"permutation": p, "scales": [F.to_json(x) for x in c]} for p, c in sym]}
                return Evidence(True, proof, scales)
        if kind == "point":
            raise Undecided("an irrational point where no positive ReLU symmetry is found")
        return self._failure(F, relu, const, f, g, at, kind)

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

    def _failure(self, F: Field, relu: Callable, const: Callable, f: list, g: list, at: Fraction, kind: str) -> Evidence:
        from symrep.claims.verdicts import decide

        name = self.pieces.solver.name
        for t0 in self._candidates(at):  # a value where f != g: its differing input is the proof's witness
            v = decide(self.pp.instantiate({name: t0}, self.claim.networks), self.claim)
            if v.holds is None:
                raise Undecided(f"undecided at {name} = {format_number(t0)}: {v.explanation}")
            if v.holds is False:
                break
        else:
            self.uncertified = True
            if kind == "rational":  # the numeric verifier's verdict at this value
                return Evidence(True, {"numeric": f"equal at {name} = {format_number(at)}"}, [])
            return self._regions(F, f, g, at)
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


    def _regions(self, F: Field, f: list, g: list, t0: Fraction) -> Evidence:
        """Design note 3: the piece is cut at the minors' roots; on it every cell's maps agree as rational functions."""
        from math import comb

        from symrep.relu.regions import Splitter, _patterns

        name = self.pieces.solver.name
        why = f"equal at {name} = {format_number(t0)} but no positive ReLU symmetry is recognised, and "
        if self.claim.params.domain is not None or any(
                net[0][2] != "relu" or any(a != "identity" for _, _, a in net[1:]) for net in (f, g)):
            raise Undecided(why + "region splitting over the parameter is done for one ReLU layer (then identity "
                            "layers) on all of R^n only")
        n = len(f[0][0][0])
        vecs = [list(row) + [c] for net in (f, g) for row, c in zip(net[0][0], net[0][1])]
        vecs += [[F.const(int(k == i)) for k in range(n + 1)] for i in range(n + 1)]
        if comb(len(vecs), n + 1) > MAX_MINORS:
            raise Undecided(why + f"the arrangement has more than {MAX_MINORS} minors")
        minors = [m for m in (_det(F, list(sub)) for sub in combinations(vecs, n + 1)) if not F.is_zero(m)]
        numeric = self.pp.instantiate({name: t0}, self.claim.networks)
        splitter = Splitter([numeric.network(x) for x in self.claim.networks])
        for leaf in splitter.leaves():
            if leaf.empty:
                continue
            pats, _ = _patterns(leaf.path, splitter.order, splitter.networks)
            maps = [_affine(F, net, pat[0]) for net, pat in zip((f, g), pats)]
            if not all(F.is_zero(a - b) for ra, rb in zip(*maps) for a, b in zip(ra, rb)):
                raise Undecided(why + f"on the region {leaf.path} the maps differ as rational functions of {name}")
        return Evidence(True, {"regions": f"every region's maps agree over QQ({name})"}, minors)


#: Most (n+1)-minors of the first layers' configuration computed by the region splitting over a parameter.
MAX_MINORS = 20_000


def _det(F: Field, rows: list[list[Any]]) -> Any:
    """The determinant over the field by elimination."""
    rows, det = [list(r) for r in rows], F.const(1)
    for k in range(len(rows)):
        p = next((i for i in range(k, len(rows)) if not F.is_zero(rows[i][k])), None)
        if p is None:
            return F.const(0)
        if p != k:
            rows[k], rows[p], det = rows[p], rows[k], -det
        det = det * rows[k][k]
        for i in range(k + 1, len(rows)):
            q = rows[i][k] / rows[k][k]
            rows[i] = [a - q * b for a, b in zip(rows[i], rows[k])]
    return det


def _affine(F: Field, net: list, pattern: tuple[int, ...]) -> list[list[Any]]:
    """Rows [M_i0, ..., M_i(n-1), c_i] of the affine map x -> M x + c of a network with its first layer's pattern fixed."""
    (w, b, _), rest = net[0], net[1:]
    rows = [[x if on else F.const(0) for x in list(r) + [c]] for r, c, on in zip(w, b, pattern)]
    for w2, b2, _ in rest:
        rows = [[sum((wk * rk[j] for wk, rk in zip(wr, rows) if not F.is_zero(wk)), F.const(0)) + (c if j == len(rows[0]) - 1
                 else F.const(0)) for j in range(len(rows[0]))] for wr, c in zip(w2, b2)]
    return rows


def decide_equal_functions(pp: ParametricProblem, claim: Claim, name: str) -> ParametricVerdict:
    """Decide ``equal_functions`` for every admissible value of one parameter, with its certificate."""
    from symrep.parametric.certify import _Pieces
    from symrep.parametric.line import _OneParameter

    pieces = _Pieces(pp, claim, name)
    pieces.evidence = _Functions(pp, claim, pieces)
    cells, poles = _OneParameter(pp, claim, name).domain()
    proof: dict[str, Any] | None = pieces.run([((lo, hi), None) for lo, hi in cells])
    decided = pieces.decided
    symbol = pieces.solver.symbol
    true_j = [_seg_json(s, symbol) for s in _segments(decided, True)]
    text = _set_text(true_j)
    excl = f" (excluding poles {', '.join(p.text(symbol) for p in poles)})" if poles else ""
    assumption = pp.space.assumptions[name]
    if pieces.evidence.uncertified:  # region splitting over the parameter: exact, without a certificate form
        proof, how = None, " (region splitting over the parameter on some pieces: not certified)"
    else:
        how = ": a positive ReLU symmetry"
    if all(v for _, v in decided):
        return ParametricVerdict(claim, True, f"holds for every {assumption} {name}{excl}{how}",
                                 true_j, None, (name,), text, decided, proof=proof)
    bad = next((_sample(*p) if isinstance(p, tuple) else p.q for p, v in decided
                if not v and (isinstance(p, tuple) or p.rational)), None)
    at = f"fails at {name} = {format_number(bad)}; " if bad is not None else ""
    return ParametricVerdict(claim, False, f"{at}holds exactly for {name} in {text}{excl}{how if proof is None else ''}", true_j,
                             None if bad is None else {name: bad}, (name,), text, decided, proof=proof)


FAMILY_DECIDERS["equal_functions"] = decide_equal_functions
