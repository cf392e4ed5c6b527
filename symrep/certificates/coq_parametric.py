"""Parametric certificates (``symrep-parametric-certificate/1``) exported to Coq (``coq/Parametric.v``).

A network of a family is written as a Coq function of its parameter, ``Definition net_k (x : Q) :
network``, each entry ``rf num den x`` (``num(x) / den(x)``, coefficient lists lowest degree first),
with ``dens_k`` the list of its non-constant denominators.  A claim at a rational value t is then the
library's ordinary claim about ``net_k t``.

Covered: a verdict **false**, stated as ``exists t : Q, admissible a dens t /\\ ~ claim(t)`` (one
existential per parameter of the claim's networks): the negation of "the claim holds at every
admissible t".  The exporter picks a rational value where the certificate says the claim fails (a
piece's rational sample or point, a two-parameter sector's sample, the certificate's counterexample),
asks symrep's numeric decision for the ordinary witness of the failure there (a proposal, checked by
Coq like any other) and applies the kind's false lemma of ``coq/Symrep.v``.  The value is part of the
proof, not of the statement.

Not covered (skipped with the reason): a verdict true over a family ("for every admissible t" needs
polynomial identities and sign certificates on each piece, not in the library yet); a network whose
entries involve two parameters at once; a false verdict whose failures are all at irrational values.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from symrep import checker
from symrep.errors import CertificateError

__all__ = ["export_parametric"]

#: Coq names of the parameter assumptions (coq/Parametric.v, ``assumption``).
ASSUMPTIONS = {"positive": "Positive", "negative": "Negative", "nonzero": "Nonzero", "real": "Real"}
#: Bound on the length of an entry's coefficient list (the checker's own bound on polynomials).
MAX_DEGREE = 4096

_Skip = NotImplementedError


def _frac(x: Any, where: str) -> Fraction:
    return checker.num(x, where)


class _Entry:
    """A network entry: a rational function of at most one parameter (``var`` is None for a constant)."""

    def __init__(self, e: Any, params: list[str], where: str):
        if not isinstance(e, dict):
            self.var: str | None = None
            self.num, self.den = [_frac(e, where)], [Fraction(1)]
            return
        used: set[int] = set()
        polys = []
        for key in ("num", "den"):
            terms = checker.lst(checker.need(e, key, where), where)
            coeffs: dict[tuple[int, ...], Fraction] = {}
            for t in terms:
                exps, c = checker.lst(t, where, 2)
                ex = tuple(checker.integer(x, where) for x in checker.lst(exps, where, len(params)))
                if any(x < 0 or x >= MAX_DEGREE for x in ex):
                    raise CertificateError(f"{where}: exponent out of range")
                used |= {i for i, x in enumerate(ex) if x}
                coeffs[ex] = coeffs.get(ex, Fraction(0)) + _frac(c, where)
            polys.append(coeffs)
        if len(used) > 1:
            raise _Skip("a network entry involves two parameters at once: not stated in Coq yet")
        i = next(iter(used), None)
        self.var = None if i is None else params[i]

        def dense(coeffs: dict[tuple[int, ...], Fraction]) -> list[Fraction]:
            deg = max((ex[i] if i is not None else 0) for ex in coeffs) if coeffs else 0
            out = [Fraction(0)] * (deg + 1)
            for ex, c in coeffs.items():
                out[ex[i] if i is not None else 0] += c
            while len(out) > 1 and out[-1] == 0:
                out.pop()
            return out

        self.num, self.den = dense(polys[0]), dense(polys[1])
        if all(c == 0 for c in self.den):
            raise CertificateError(f"{where}: a zero denominator")

    def at(self, t: Fraction | None) -> Fraction:
        def ev(p: list[Fraction]) -> Fraction:
            acc = Fraction(0)
            for c in reversed(p):
                acc = acc * (t if t is not None else 0) + c
            return acc
        if self.var is None:
            return ev(self.num) / ev(self.den)
        d = ev(self.den)
        if d == 0:
            raise CertificateError("a pole at the chosen value")
        return ev(self.num) / d

    def coq(self, x: str, qnum: Callable[[Fraction], str]) -> str:
        if self.var is None:
            return qnum(self.num[0] / self.den[0])
        return f"(rf {_poly(self.num, qnum)} {_poly(self.den, qnum)} {x})"


def _poly(p: list[Fraction], qnum: Callable[[Fraction], str]) -> str:
    return "[" + "; ".join(qnum(c) for c in p) + "]"


class _Family:
    """The certificate's networks, each entry parsed, with the parameter each network depends on."""

    def __init__(self, problem: dict):
        self.params = list(checker.need(problem, "parameters", "problem"))
        self.assumption = {p: str(a) for p, a in problem["parameters"].items()}
        self.raw = problem["networks"]
        self.names = list(self.raw)
        self.layers: dict[str, list[tuple[list[list[_Entry]], list[_Entry], str]]] = {}
        self.var: dict[str, str | None] = {}
        self.bad: dict[str, str] = {}
        for name, net in self.raw.items():
            try:
                ls = []
                for li, L in enumerate(net["layers"]):
                    where = f"network {name} layer {li}"
                    W = [[_Entry(e, self.params, where) for e in r] for r in L["weights"]]
                    b = [_Entry(e, self.params, where) for e in L.get("bias", ["0"] * len(W))]
                    ls.append((W, b, str(L["activation"])))
                vs = {e.var for W, b, _ in ls for e in [x for r in W for x in r] + b} - {None}
                if len(vs) > 1:
                    raise _Skip(f"network {name} depends on {len(vs)} parameters: not stated in Coq yet")
                self.layers[name] = ls
                self.var[name] = next(iter(vs), None)
            except _Skip as e:
                self.bad[name] = str(e)

    def dens(self, name: str) -> list[list[Fraction]]:
        out: list[list[Fraction]] = []
        for W, b, _ in self.layers[name]:
            for e in [x for r in W for x in r] + b:
                if e.var is not None and len(e.den) > 1 and e.den not in out:
                    out.append(e.den)
        return out

    def instantiate(self, name: str, values: dict[str, Fraction]) -> dict:
        v = self.var[name]
        t = values.get(v) if v is not None else None
        return {"layers": [{"weights": [[str(e.at(t)) for e in r] for r in W], "bias": [str(e.at(t)) for e in b],
                            "activation": a} for W, b, a in self.layers[name]]}

    def header(self, qnum: Callable[[Fraction], str]) -> list[str]:
        out = []
        for k, name in enumerate(self.names):
            if name in self.bad:
                out += [f"(* network {k}: {self.bad[name]} *)", ""]
                continue
            v = self.var[name]
            arg = " (x : Q)" if v is not None else ""
            ls = "; ".join(
                "mk_layer [" + "; ".join("[" + "; ".join(e.coq("x", qnum) for e in r) + "]" for r in W) + "] ["
                + "; ".join(e.coq("x", qnum) for e in b) + "] " + ("Relu" if a == "relu" else "Identity")
                for W, b, a in self.layers[name])
            out.append(f"(* network {k}{'' if v is None else ', a function of the parameter ' + v} *)")
            out.append(f"Definition net_{k}{arg} : network := [{ls}].")
            if v is not None:
                out.append(f"Definition dens_{k} : list poly := [{'; '.join(_poly(d, qnum) for d in self.dens(name))}].")
            out.append("")
        return out


def _rational_end(e: Any) -> Fraction | None:
    return None if e is None or isinstance(e, dict) else _frac(e, "end")


def _failing_point(w: dict) -> dict[str, Fraction] | None:
    """A rational value of the parameters where the certificate says the claim fails."""
    if "counterexample" in w:
        return {str(k): _frac(x, "counterexample") for k, x in w["counterexample"].items()}
    if "pieces" in w:
        t = _failing_on_line(w["pieces"])
        return None if t is None else {str(w["parameter"]): t}
    if "columns" in w:
        a, b = (str(x) for x in w["parameters"])
        for col in w["columns"]:
            if "cells" in col:
                sa = _frac(col["sample"], "sample")
                for cell in col["cells"]:
                    if cell.get("holds") is False and "sample" in cell:
                        return {a: sa, b: _frac(cell["sample"], "sample")}
            elif "pieces" in col:
                tb = _failing_on_line(col["pieces"])
                if tb is not None:
                    return {a: _frac(col["point"], "point"), b: tb}
    return None


def _failing_on_line(pieces: list) -> Fraction | None:
    for p in pieces:
        if p.get("holds") is not False:
            continue
        if "sample" in p:
            return _frac(p["sample"], "sample")
        if "point" in p and _rational_end(p["point"]) is not None:
            return _rational_end(p["point"])
    return None


def export_parametric(cert: dict, kinds: dict, make_doc: Callable[..., Any], ident: Callable[[int, Any], str],
                      safe_comment: Callable[[Any], str], qnum: Callable[[Fraction], str],
                      fail: bool) -> tuple[list[str], list[str], list[str], list[tuple[str, str, str]]]:
    """(header, body, proved ids, skipped (id, kind, reason)) of a parametric certificate (already gated).

    ``kinds`` are the exporter's numeric translations (``coq.KINDS``); ``make_doc(numeric_cert, refs)``
    gives the exporter's document of a numeric certificate whose networks are printed as ``refs[name]``.
    """
    from symrep.certificates.writer import certificate
    from symrep.claims.files import problem_from_json
    from symrep.claims.verdicts import decide

    p = cert["problem"]
    fam = _Family(p)
    head = fam.header(qnum)
    body: list[str] = []
    proved: list[str] = []
    skipped: list[tuple[str, str, str]] = []
    for k, (c, r) in enumerate(zip(p["claims"], cert["results"])):
        kind = str(c.get("kind"))
        try:
            if r.get("verdict") is not False:
                why = ("a verdict true over a family (every admissible value) is not stated in Coq yet"
                       if r.get("verdict") is True else f"verdict {r.get('verdict')!r}: nothing to prove")
                raise _Skip(why)
            if kind not in kinds:
                raise _Skip(f"kind {kind!r} is not covered by the Coq library")
            nets = [n for n in (c.get("networks") or [c.get("network")]) if n is not None]
            bad = [fam.bad[n] for n in nets if n in fam.bad]
            if bad:
                raise _Skip(bad[0])
            values = _failing_point(r["witness"])
            if values is None:
                raise _Skip("the certificate shows failures at irrational values only")
            used = sorted({fam.var[n] for n in nets} - {None}, key=fam.params.index)
            if any(v not in values for v in used):
                raise _Skip("no rational value for every parameter of the claim")
            names = {v: ("t" if len(used) == 1 else f"t{i}") for i, v in enumerate(used)}
            numeric = {"data": p["data"], "networks": {n: fam.instantiate(n, values) for n in nets},
                       "claims": [dict(c)], "title": "instance"}
            problem = problem_from_json(numeric)
            verdict = decide(problem, problem.claims[0])
            if verdict.holds is not False:
                raise CertificateError(f"claim {c.get('id')!r}: the numeric decision does not refute the claim at {values}")
            ncert = certificate(problem, [verdict])
            refs = {n: (f"net_{fam.names.index(n)}" if fam.var[n] is None else
                        f"(net_{fam.names.index(n)} {names[fam.var[n]]})") for n in nets}
            D = make_doc(ncert, refs)
            stmt, tac = kinds[kind](D, ncert["problem"]["claims"][0], False, ncert["results"][0]["witness"])
        except _Skip as e:
            skipped.append((str(c.get("id")), kind, str(e)))
            continue
        except (checker.Reject, KeyError, TypeError, ValueError, IndexError) as e:
            raise CertificateError(f"claim {c.get('id')!r}: the witness cannot be translated: {e}") from None
        binders, conds = [], []
        for v in used:
            dens = " ++ ".join(f"dens_{fam.names.index(n)}" for n in nets if fam.var[n] == v)
            binders.append(names[v])
            conds.append(f"admissible {ASSUMPTIONS[fam.assumption[v]]} ({dens}) {names[v]}")
        full = (f"exists {' '.join(binders)} : Q, " + " /\\ ".join(conds + [f"({stmt})"])) if used else stmt
        wit = "".join(f"exists ({qnum(values[v])}). " for v in used)
        steps = "".join("split; [apply admissible_true; vm_compute; reflexivity |]. " for _ in used)
        proof = f"{wit}{steps}{tac}; vm_compute; reflexivity"
        who = ", ".join(f"{names[v]} is the parameter {safe_comment(v)}" for v in used)
        body += [f"(* claim {safe_comment(c.get('id'))[:120]} ({kind}), verdict false: not for every admissible value"
                 + (f" ({who})" if who else ""),
                 f"   {safe_comment(c.get('statement', ''))[:400]} *)"]
        name = ident(k, c.get("id"))
        if fail:
            body += [f"Fail Definition {name} : {full} := ltac:({proof}).", ""]
        else:
            body += [f"Theorem {name} : {full}.", f"Proof. {proof}. Qed.", ""]
        proved.append(str(c.get("id")))
    return head, body, proved, skipped
