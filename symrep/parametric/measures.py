"""Parametric ``cka`` and ``match_similarity``: piece proofs for certificates, and exact limits.

Design note
-----------
*Piece proofs.*  On a piece of the t-line (an open interval over ``QQ(t)``, an irrational point
over ``Q[t]/(m)``, a rational point over ``Q``) the claim is decided from evidence the checker can
re-derive (:func:`measure_evidence`):

* ``cka``: the proof is CKA^2 as one reduced rational function ``r = N/D``.  The checker recomputes
  the three HSIC terms from the piece's activations by polynomial arithmetic, checks the identity
  ``N * h1 * h2 = D * h0^2`` and that h1, h2 have no root on the piece, and reads each bound's sign
  from ``N - c^2 D`` (or ``N^2 - c^2 D^2`` for an irrational bound on CKA^2) by Sturm counts.  Where a
  side is constant (h1 or h2 vanishes) CKA is undefined and the claim false; the proof is then ``{}``.
* ``match_similarity``, eps = 0: the maximum-match removal trace of :mod:`symrep.parametric.witness`.
* ``match_similarity``, eps > 0: the fixpoint of the numeric verifier with one projection per test:
  coefficients c with residual ``r = z - sum c_u z_u`` orthogonal to every ``z_u`` (an identity), so
  ``dist(z, span)^2 = |r|^2``, and the sign of ``eps^2 |z|^2 - |r|^2`` on the piece.  A removed
  neuron has that sign negative against the other side's current set (removal is monotone, so the
  order does not matter); every kept one has it non-negative against the final set.

Every element the checker needs root-free (the norms, the compared functions, the Gram-Schmidt
norms behind the coefficients) goes to ``Evidence.critical``, so that :mod:`symrep.parametric.certify`
cuts the interval where one vanishes.

*Limits.*  On the unbounded pieces CKA^2 is one rational function N/D, bounded by 1, so
deg N <= deg D and the limit at +oo and at -oo is the ratio of the coefficients of degree deg D
(0 when deg N < deg D); CKA's limit is its square root, exact as ``sqrt(q)``.  At a finite rational
end e of the admissible set (the 0 of a sign assumption, a pole of a weight) the reduced N/D has no
pole at e (it is bounded near e), so the one-sided limit is N(e)/D(e).  The match similarity is
constant on each piece: its limit is the value on the piece next to the end.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Sequence

from symrep.claims.kinds.cka import _ACCEPT, bound_functions, symbolic_cka_squared
from symrep.errors import InternalError
from symrep.exact.field import FieldOps
from symrep.exact.numbers import format_number
from symrep.parametric.line import LIMITS, _forward
from symrep.parametric.witness import Evidence, Field, _Builder, _dot

__all__ = ["MEASURE_KINDS", "measure_evidence", "limits"]

#: Kinds whose parametric pieces :func:`measure_evidence` proves.
MEASURE_KINDS = ("cka", "match_similarity")


def measure_evidence(claim: Any, acts: list[Any], d: int, F: Field, sign: Callable[[Any], int]) -> Evidence:
    """Decide a ``cka`` / ``match_similarity`` claim over the field of *F* (with its exact *sign*) and build its proof."""
    if claim.kind == "cka":
        notes: list[Any] = []
        ops = FieldOps(F.is_zero, F.const, notes.append, sign)
        r = symbolic_cka_squared(acts, d, ops)
        if r is None:
            return Evidence(False, {}, [])
        fs = bound_functions(claim.params, r, ops)
        holds = all(sign(f) in _ACCEPT[key] for key, f in fs)
        return Evidence(holds, {"cka_squared": F.to_json(r)}, notes + [f for _, f in fs if not F.is_zero(f)])
    A, B = acts
    eps = claim.params.eps
    if eps == 0:
        b = _Builder(F)
        (X, Y), proof = b.maximum_match(A, B)
        return Evidence(Fraction(len(X) + len(Y), len(A) + len(B)) == claim.params.equals, proof, b.critical)
    P = _Projections(F, sign, eps * eps)
    X, Y, proof = P.fixpoint(A, B)
    return Evidence(Fraction(len(X) + len(Y), len(A) + len(B)) == claim.params.equals, proof, P.critical)


class _Projections:
    """The eps-match fixpoint over a field with a sign, each test proved by an orthogonal projection."""

    def __init__(self, F: Field, sign: Callable[[Any], int], eps2: Fraction):
        self.F, self.sign, self.eps2 = F, sign, eps2
        self.critical: list[Any] = []

    def keep(self, z: Sequence[Any], rows: dict[int, Sequence[Any]]) -> tuple[bool, list[list[Any]]]:
        """Whether dist(z, span(rows))^2 <= eps^2 |z|^2, and the projection's coefficients on the rows."""
        F = self.F
        basis: list[tuple[list[Any], Any, dict[int, Any]]] = []  # Gram-Schmidt vectors, norms, combinations
        for idx, v in rows.items():
            u, combo = list(v), {idx: F.const(1)}
            for b, bb, bc in basis:
                c = _dot(F, u, b) / bb
                u = [x - c * y for x, y in zip(u, b)]
                for k, x in bc.items():
                    combo[k] = combo.get(k, F.const(0)) - c * x
            uu = _dot(F, u, u)
            if not F.is_zero(uu):  # a real vector is zero exactly when its squared norm is
                self.critical.append(uu)
                basis.append((u, uu, combo))
        coef: dict[int, Any] = {}
        for b, bb, bc in basis:
            c = _dot(F, z, b) / bb
            for k, x in bc.items():
                coef[k] = coef.get(k, F.const(0)) + c * x
        r = list(z)
        for k, c in coef.items():
            r = [x - c * y for x, y in zip(r, rows[k])]
        g = F.const(self.eps2) * _dot(F, z, z) - _dot(F, r, r)
        if not F.is_zero(g):
            self.critical.append(g)
        return self.sign(g) >= 0, [[k, F.to_json(c)] for k, c in sorted(coef.items()) if not F.is_zero(c)]

    def fixpoint(self, A: Sequence[Any], B: Sequence[Any]) -> tuple[list[int], list[int], dict[str, Any]]:
        X, Y = list(range(len(A))), list(range(len(B)))
        removals = []
        changed = True
        while changed:
            changed = False
            for side, mine, S, other, T in (("x", A, X, B, Y), ("y", B, Y, A, X)):
                for v in list(S):
                    ok, cs = self.keep(mine[v], {u: other[u] for u in T})
                    if not ok:
                        removals.append({"side": side, "neuron": v, "coefficients": cs})
                        S.remove(v)
                        changed = True
        kept = [{"side": side, "neuron": v, "coefficients": self.keep(mine[v], {u: other[u] for u in T})[1]}
                for side, mine, S, other, T in (("x", A, X, B, Y), ("y", B, Y, A, X)) for v in S]
        return X, Y, {"removals": removals, "kept": kept}


# --- limits ---------------------------------------------------------------------------------------------


def _sqrt_text(q: Fraction) -> str:
    """sqrt(q) exactly: a rational when q is a square of one."""
    from symrep.claims.kinds._surds import Surd, surd_text

    return surd_text(Surd(Fraction(1), q))


def _coeffs(p: Any) -> list[Fraction]:
    from symrep.parametric.params import as_fraction

    return [as_fraction(c) for c in p.to_dense()]  # highest degree first


def _at(p: list[Fraction], x: Fraction) -> Fraction:
    acc = Fraction(0)
    for c in p:
        acc = acc * x + c
    return acc


def _value_on(solver: Any, lo: Any, hi: Any) -> Any:
    """CKA^2 (an element of QQ(t)) or the match similarity (a Fraction) on a decided open piece."""
    from symrep.claims.kinds import REGISTRY
    from symrep.claims.kinds.match_similarity import eps_match_over
    from symrep.exact.field import maximum_match as maximum_match_over
    from symrep.parametric.algebraic import _sample

    s, K, claim = _sample(lo, hi), solver.K, solver.claim
    const = lambda q: K(K.domain(q.numerator, q.denominator))  # noqa: E731
    positive = lambda x: _at(_coeffs(x.numer), s) / _at(_coeffs(x.denom), s) > 0  # noqa: E731 - signs fixed on the piece
    relu = lambda x: x if x != 0 and positive(x) else x * 0  # noqa: E731
    cols = [[const(Fraction(x)) for x in col] for col in zip(*solver.data)]
    acts = [_forward(solver.layers[n], cols, relu)[claim.layer] for n in claim.networks]
    ops = FieldOps(lambda x: x == 0, const, sign=lambda x: 0 if x == 0 else 1 if positive(x) else -1)
    if claim.kind == "cka":
        return symbolic_cka_squared(acts, solver.d, ops)
    eps = claim.params.eps
    if REGISTRY[claim.kind].name != "match_similarity":
        raise InternalError(f"no limit for kind {claim.kind!r}")
    X, Y = maximum_match_over(acts[0], acts[1], ops) if eps == 0 else eps_match_over(acts[0], acts[1], eps * eps, ops)
    return Fraction(len(X) + len(Y), len(acts[0]) + len(acts[1]))


def _entry(kind: str, r: Any, where: Any) -> dict[str, Any] | None:
    """The limit of the piece's value r toward *where* (None: +-oo, else a rational end), as JSON."""
    if kind == "match_similarity":
        return {"similarity": format_number(r)}
    if r is None:
        return {"cka_squared": "undefined"}
    N, D = _coeffs(r.numer), _coeffs(r.denom)
    if where is None:
        if len(N) > len(D):
            raise InternalError("CKA^2 of degree above its denominator's: it is bounded by 1")
        q = N[0] / D[0] if len(N) == len(D) else Fraction(0)
    else:
        if _at(D, where) == 0:
            raise InternalError("a reduced CKA^2 with a pole: it is bounded by 1")
        q = _at(N, where) / _at(D, where)
    return {"cka_squared": format_number(q), "cka": _sqrt_text(q)}


def _same(a: Any, b: Any) -> bool:
    from symrep.parametric.algebraic import _cmp

    return a is b or a is not None and b is not None and _cmp(a, b) == 0


def limits(solver: Any, pieces: list[tuple[Any, bool]]) -> tuple[list[dict[str, Any]], str]:
    """Exact limits as t -> -oo, t -> +oo and toward each finite rational end of the admissible set.

    Returns JSON entries ``{"at": "oo" | "-oo" | "p/q", "from": "above" | "below", "cka_squared", "cka"}``
    (``"similarity"`` for match_similarity) and one line of text.  An algebraic end (an irrational pole)
    is left out.
    """
    name, kind = solver.name, solver.claim.kind
    out: list[dict[str, Any]] = []
    intervals = [p for p, _ in pieces if isinstance(p, tuple)]
    cells, _ = solver.domain()
    for lo, hi in cells:
        for end, inner, side in ((lo, next((p for p in intervals if _same(p[0], lo)), None), "above"),
                                 (hi, next((p for p in intervals if _same(p[1], hi)), None), "below")):
            if inner is None or end is not None and not end.rational:
                continue
            at = ("-oo" if side == "above" else "oo") if end is None else format_number(end.q)
            e = _entry(kind, _value_on(solver, *inner), None if end is None else end.q)
            if e is not None and not any(x["at"] == at and x.get("from") == (None if end is None else side) for x in out):
                out.append({"at": at, **({} if end is None else {"from": side}), **e})
    what = "CKA^2" if kind == "cka" else "the similarity"
    parts = []
    for e in out:
        toward = f"{name} -> {e['at']}" + ("" if "from" not in e else "+" if e["from"] == "above" else "-")
        value = e.get("similarity") or e["cka_squared"] + (f" (CKA -> {e['cka']})" if "cka" in e else "")
        parts.append(f"{toward}: {value}")
    return out, (f"limits of {what}: " + "; ".join(parts)) if parts else ""


LIMITS["cka"] = LIMITS["match_similarity"] = limits
