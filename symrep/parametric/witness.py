"""Witnesses of the data-level claim kinds over any exact field (rational functions, number fields, Q).

Design note
-----------
A parametric certificate (:mod:`symrep.parametric.certify`) proves a claim on a piece of the
parameter line with the witnesses of the numeric kinds, whose entries are now elements of a field:
``QQ(t)`` on an open interval, ``Q[t]/(m)`` at an irrational point, ``Q`` at a rational point.  This
module builds them by Gaussian elimination over a field given by its zero test (``is_zero``) and
its one (``one``), and decides the claim *from the witness it built* (so the verdict and its
evidence cannot disagree):

* span membership: coefficients ``z = sum c_u z_u`` (elimination with a record of combinations);
* non-membership: ``w`` with ``w . z_u = 0`` for the other side and ``w . z != 0`` -- a vector of
  the null space of the other side's rows (reduced echelon form, one vector per free column); one of
  them has ``w . z != 0`` because the span is the annihilator of that null space;
* the maximum-match removal trace, a dimension chain (each new basis row with such a ``w`` against
  the rows before it, every other row's coefficients), a differing entry.

``Evidence.critical`` lists every element the checker will need to be non-zero on the whole piece
(denominators of coefficients and of ``w``, the products ``w . z``, a differing entry): on an
interval its real roots are where the certificate must split the piece further.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

__all__ = ["Evidence", "Field", "claim_evidence"]


@dataclass(frozen=True)
class Field:
    """An exact field: zero test, the embedding of a Fraction, and the JSON form of an element."""

    is_zero: Callable[[Any], bool]
    const: Callable[[Any], Any]
    to_json: Callable[[Any], Any]


@dataclass
class Evidence:
    """A piece's verdict, its JSON proof, and the elements that must be non-zero on the piece."""

    holds: bool
    proof: dict[str, Any]
    critical: list[Any] = field(default_factory=list)


def _dot(F: Field, w: Sequence[Any], z: Sequence[Any]) -> Any:
    acc = F.const(0)
    for a, b in zip(w, z):
        if not F.is_zero(a) and not F.is_zero(b):
            acc = acc + a * b
    return acc


def _echelon(F: Field, rows: list[tuple[int, list[Any]]]) -> list[tuple[int, list[Any], dict[int, Any]]]:
    """Echelon rows (pivot, vector, combination of the original rows giving it)."""
    basis: list[tuple[int, list[Any], dict[int, Any]]] = []
    for idx, v in rows:
        r, combo = _reduce(F, v, {idx: F.const(1)}, basis)
        piv = next((k for k, x in enumerate(r) if not F.is_zero(x)), None)
        if piv is not None:
            basis.append((piv, r, combo))
    return basis


def _reduce(F: Field, v: Sequence[Any], combo: dict[int, Any], basis) -> tuple[list[Any], dict[int, Any]]:
    v, combo = list(v), dict(combo)
    for piv, b, bc in basis:
        if not F.is_zero(v[piv]):
            f = v[piv] / b[piv]
            v = [x - f * y for x, y in zip(v, b)]
            for k, c in bc.items():
                combo[k] = combo.get(k, F.const(0)) - f * c
    return v, combo


class _Builder:
    def __init__(self, F: Field):
        self.F = F
        self.critical: list[Any] = []

    def coefficients(self, z: Sequence[Any], rows: dict[int, Sequence[Any]]) -> list[list[Any]] | None:
        """``[[u, c], ...]`` with z = sum c z_u, or None when z is outside the span."""
        F = self.F
        r, combo = _reduce(F, z, {}, _echelon(F, [(k, list(v)) for k, v in rows.items()]))
        if not all(F.is_zero(x) for x in r):
            return None
        out = []
        for k in sorted(combo):
            c = -combo[k]
            if not F.is_zero(c):
                self.critical.append(c)
                out.append([k, F.to_json(c)])
        return out

    def outside(self, z: Sequence[Any], rows: Sequence[Sequence[Any]]) -> list[Any]:
        """w with w . r = 0 for every row and w . z != 0 (z must be outside their span)."""
        F = self.F
        ech = _echelon(F, list(enumerate(list(r) for r in rows)))
        # reduced echelon form: pivot 1, zero above and below every pivot
        red: list[tuple[int, list[Any]]] = []
        for piv, b, _ in ech:
            b = [x / b[piv] for x in b]
            red = [(p, [x - r[piv] * y for x, y in zip(r, b)]) for p, r in red]
            red.append((piv, b))
        pivots = {p for p, _ in red}
        for f in range(len(z)):
            if f in pivots:
                continue
            w = [F.const(1) if k == f else F.const(0) for k in range(len(z))]
            for p, r in red:
                w[p] = -r[f]
            wz = _dot(F, w, z)
            if not F.is_zero(wz):
                self.critical += [wz] + w
                return [F.to_json(x) for x in w]
        raise AssertionError("z is in the span: no separating w")

    def dimension(self, A: Sequence[Sequence[Any]]) -> tuple[int, dict[str, Any]]:
        basis: list[int] = []
        independent, coefficients = [], []
        for v, z in enumerate(A):
            c = self.coefficients(z, {b: A[b] for b in basis})
            if c is None:
                independent.append(self.outside(z, [A[b] for b in basis]))
                basis.append(v)
            else:
                coefficients.append([v, c])
        return len(basis), {"basis": basis, "independent": independent, "coefficients": coefficients}

    def cover(self, mine, S, other, T) -> list[list[Any]] | None:
        out = []
        for v in S:
            c = self.coefficients(mine[v], {u: other[u] for u in T})
            if c is None:
                return None
            out.append([v, c])
        return out

    def maximum_match(self, A, B) -> tuple[list[list[int]], dict[str, Any]]:
        X, Y = list(range(len(A))), list(range(len(B)))
        removals = []
        changed = True
        while changed:
            changed = False
            for side, mine, S, other, T in (("x", A, X, B, Y), ("y", B, Y, A, X)):
                for v in list(S):
                    if self.coefficients(mine[v], {u: other[u] for u in T}) is None:
                        removals.append({"side": side, "neuron": v, "w": self.outside(mine[v], [other[u] for u in T])})
                        S.remove(v)
                        changed = True
        proof = {"removals": removals, "x_in_y": self.cover(A, X, B, Y), "y_in_x": self.cover(B, Y, A, X)}
        return [sorted(X), sorted(Y)], proof

    def differ(self, A, B) -> dict[str, Any] | None:
        for i, (ra, rb) in enumerate(zip(A, B)):
            for j, (a, b) in enumerate(zip(ra, rb)):
                if not self.F.is_zero(a - b):
                    self.critical.append(a - b)
                    return {"neuron": i, "point": j}
        return None


def claim_evidence(claim: Any, acts: list[Any], F: Field) -> Evidence:  # noqa: C901 - one branch per kind
    """Decide a data-level claim over the field from activations (rows = neurons) and build its proof."""
    b = _Builder(F)
    kind = claim.kind
    if kind in ("identical", "activations"):
        A = acts[0]
        B = acts[1] if kind == "identical" else [[F.const(x) for x in r] for r in claim.params.equals]
        d = len(A[0]) if A else 0
        if len(A) != len(B) or (B and len(B[0]) != d):
            return Evidence(False, {}, [])
        diff = b.differ(A, B)
        return Evidence(diff is None, diff or {}, b.critical)
    if kind in ("exact_match", "maximum_match", "no_match"):
        A, B = acts
        if kind == "exact_match":
            X, Y = claim.params.neurons if claim.params.neurons is not None else (range(len(A)), range(len(B)))
            X, Y = list(X), list(Y)
            for side, mine, S, other, T in (("x", A, X, B, Y), ("y", B, Y, A, X)):
                for v in S:
                    if b.coefficients(mine[v], {u: other[u] for u in T}) is None:
                        b.critical = []  # only the separating w matters for a failure
                        w = b.outside(mine[v], [other[u] for u in T])
                        return Evidence(False, {"side": side, "neuron": v, "w": w}, b.critical)
            return Evidence(True, {"x_in_y": b.cover(A, X, B, Y), "y_in_x": b.cover(B, Y, A, X)}, b.critical)
        matched, proof = b.maximum_match(A, B)
        want = [list(x) for x in claim.params.equals] if kind == "maximum_match" else [[], []]
        return Evidence(matched == want, proof, b.critical)
    if kind in ("dimension", "isomorphic"):
        dims, proof = [], {}
        for A, key in zip(acts, ("first", "second")):
            r, proof[key] = b.dimension(A)
            dims.append(r)
        holds = dims[0] == (claim.params.equals if kind == "dimension" else dims[-1])
        return Evidence(holds, proof, b.critical)
    raise NotImplementedError(kind)


#: Kinds :func:`claim_evidence` proves (and the checker's parametric pieces check).
KINDS = ("identical", "activations", "exact_match", "maximum_match", "no_match", "dimension", "isomorphic")
