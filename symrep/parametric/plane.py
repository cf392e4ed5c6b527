"""Certificates of two-parameter verdicts: the cells of the (a, b)-plane, each with its proof.

Design note
-----------
The decision (:mod:`symrep.parametric.several`) splits the plane into cells; its certificate
(``{"parameters": [a, b], "columns": [...]}``, checked by the checker's ``p_plane``) lists, along
the a-line in order, *columns*:

* over an open a-interval ``{"low", "high", "sample", "cells"}``: in increasing b, sectors
  ``{"sample", "holds", "proof"}`` (b-sample at the column's a-sample; the proof a numeric kind's
  witness with entries in Q(a, b), ``"p/q"`` or ``{"num", "den"}`` with exponent pairs [i, j]) and
  between them curves ``{"curve": r, "holds", "proof"}`` (b = r(a), a rational function of a; the
  proof a one-parameter witness in a on the whole interval) or ``{"curve": r, "excluded": true}``
  (a pole, or b = 0 of a ``nonzero`` b);
* at a rational point ``{"point": q, "pieces": [...]}``: the b-line's one-parameter pieces at a = q
  (as :mod:`symrep.parametric.certify`), or ``{"excluded": q}`` (a pole, the 0 of a nonzero a).

The decision's cells are refined until the checker's tests can pass on each: the factors of every
element a sector's witness needs non-zero are added to the decomposition, and where a curve's
one-parameter proof must be cut (an exceptional point of the claim on the curve), the cut becomes
a new point of the a-line.  At most :data:`symrep.parametric.several.MAX_ROUNDS` rounds; a cell
without a certificate form (an irrational point of the a-line, a curve of degree >= 2 in b, a
polynomial of degree > 2 in b in a sector's tests) makes the certificate "undecided" for the claim.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from symrep.errors import InternalError
from symrep.parametric.algebraic import Alg, _cmp
from symrep.parametric.certify import PLANE_WRITERS, _Ends, _Pieces, _q, _rf_json, entry_json
from symrep.parametric.line import ParametricVerdict, Undecided, _forward, _OneParameter
from symrep.parametric.problem import ParametricProblem
from symrep.parametric.several import MAX_ROUNDS, _at2, _Cell, _Plane, closed_plane
from symrep.parametric.witness import Evidence, Field, claim_evidence

__all__ = ["plane_witness"]

#: The checker's sector test handles polynomials of at most this degree in the second parameter.
MAX_B_DEGREE = 2


def _sector_evidence(plane: _Plane, a0: Fraction, b0: Fraction) -> Evidence:
    """The claim's witness over Q(a, b), the ReLU signs read at (a0, b0)."""
    from sympy import QQ

    K = plane.K

    def const(q: Any) -> Any:
        q = Fraction(q)
        return K(QQ(q.numerator, q.denominator))

    def relu(x: Any) -> Any:
        return x if x == 0 or _at2(x, a0, b0) > 0 else x * 0
    cols = [[const(x) for x in col] for col in zip(*plane.pp.skeleton.inputs)]
    acts = [_forward(plane.layers[n], cols, relu)[plane.claim.layer] for n in plane.claim.networks]
    return claim_evidence(plane.claim, acts, Field(lambda x: x == 0, const, entry_json))


class _Builder:
    def __init__(self, pp: ParametricProblem, v: ParametricVerdict):
        self.pp, self.claim, self.names = pp, v.claim, list(v.parameters)
        self.plane, self.cells = closed_plane(pp, v.claim, self.names)
        self.ends = _Ends()

    def _curve(self, c: _Cell) -> tuple[Any, bool]:
        """(b = r(a), whether the curve is left out) of a section."""
        f = c.b[1]
        if f.degree(self.plane.B) != 1:
            raise Undecided(f"a curve {f.as_expr()} = 0 of degree {f.degree(self.plane.B)} in {self.names[1]}")
        return self.plane.curve(f)[0], f in self.plane.poles or f in self.plane.bounds

    def _on_curve(self, c: _Cell, r: Any) -> list[dict[str, Any]]:
        lo, hi = c.a
        sub = self.plane.restricted(self.names[0], {self.names[1]: r})
        return _Pieces(sub, self.claim, self.names[0]).interval(lo, hi, None)

    def refine(self) -> None:
        """Add the witnesses' polynomials and the curves' cuts to the decomposition until nothing is new."""
        plane = self.plane
        for _ in range(MAX_ROUNDS):
            grew = False
            for c in self.cells:
                if c.kind == "sector":
                    for x in _sector_evidence(plane, *c.sample).critical:
                        grew |= plane._add(x.numer) | plane._add(x.denom)
                elif c.kind == "section":
                    r, out = self._curve(c)
                    if out:
                        continue
                    cuts = [Alg(q=Fraction(p["point"])) if isinstance(p["point"], str) else None
                            for p in self._on_curve(c, r) if "point" in p]
                    if None in cuts:
                        raise Undecided(f"an irrational cut of the {self.names[0]}-line on a curve")
                    new = [p for p in cuts if p is not None and not any(_cmp(p, e) == 0 for e in plane.extra)]
                    plane.extra += new
                    grew |= bool(new)
            if not grew:
                return
            self.cells = plane.decompose()
        raise Undecided(f"the certificate's cells did not close within {MAX_ROUNDS} rounds")

    def _degrees_ok(self, ev: Evidence) -> None:
        B = self.plane.B
        for x in ev.critical:
            if max(self._factors_degree(x.numer, B), self._factors_degree(x.denom, B)) > MAX_B_DEGREE:
                raise Undecided(f"a polynomial of degree above {MAX_B_DEGREE} in {self.names[1]} in a sector's proof")

    @staticmethod
    def _factors_degree(p: Any, B: Any) -> int:
        from sympy import Poly

        return 0 if p.is_ground else Poly(p.as_expr(), B).degree()

    def sector(self, c: _Cell) -> dict[str, Any]:
        ev = _sector_evidence(self.plane, *c.sample)
        self._degrees_ok(ev)
        return {"sample": _q(c.sample[1]), "holds": ev.holds, "proof": ev.proof}

    def section(self, c: _Cell) -> dict[str, Any]:
        r, out = self._curve(c)
        if out:
            return {"curve": _rf_json(r), "excluded": True}
        (piece,) = self._on_curve(c, r)
        return {"curve": _rf_json(r), "holds": piece["holds"], "proof": piece["proof"]}

    def point(self, c: _Cell) -> dict[str, Any]:
        (alpha,) = c.a
        if not alpha.rational:
            raise Undecided(f"an irrational point of the {self.names[0]}-line")
        try:
            sub = self.plane.restricted(self.names[1], {self.names[0]: alpha.q})
        except ZeroDivisionError:
            return {"excluded": _q(alpha.q)}
        pieces, _ = _OneParameter(sub, self.claim, self.names[1]).run()
        decided: list[tuple[Any, bool | None]] = list(pieces)
        return {"point": _q(alpha.q), "pieces": _Pieces(sub, self.claim, self.names[1]).run(decided)["pieces"]}

    def columns(self) -> list[dict[str, Any]]:
        cols: list[dict[str, Any]] = []
        key: Any = None
        for c in self.cells:
            if c.kind == "point":
                cols.append(self.point(c))
                key = None
                continue
            if tuple(map(id, c.a)) != key:
                lo, hi = c.a
                if cols and "cells" in cols[-1]:  # two a-ranges of a nonzero a meet at its 0
                    cols.append({"excluded": self.ends(lo)})
                cols.append({"low": self.ends(lo), "high": self.ends(hi), "sample": _q(c.sample[0]), "cells": []})
                key = tuple(map(id, c.a))
            cells = cols[-1]["cells"]
            if c.kind == "sector" and cells and "sample" in cells[-1]:  # two b-ranges of a nonzero b meet at 0
                cells.append({"curve": "0", "excluded": True})
            cells.append(self.sector(c) if c.kind == "sector" else self.section(c))
        return cols


def plane_witness(pp: ParametricProblem, v: ParametricVerdict) -> dict[str, Any] | str:
    """The certificate's witness of a two-parameter verdict, or the reason there is none."""
    try:
        b = _Builder(pp, v)
        b.refine()
        columns = b.columns()
    except Undecided as e:  # a cell without a certificate form
        return str(e)
    holds = all(cell["holds"] for col in columns for cell in col.get("cells", []) if "holds" in cell) and all(
        p["holds"] for col in columns for p in col.get("pieces", []) if "holds" in p)
    if holds is not v.verdict:
        raise InternalError(f"claim {v.claim.id!r}: the certificate's cells disagree with the decision")
    return {"parameters": b.names, "columns": columns}


PLANE_WRITERS["cells"] = plane_witness
