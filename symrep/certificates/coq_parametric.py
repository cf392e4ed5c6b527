"""Parametric certificates (``symrep-parametric-certificate/1``) exported to Coq (``coq/Parametric.v``).

A network of a family is written as data, ``pnet_k : pnetwork`` (each entry ``EC q`` or ``ER num den``,
num(x) / den(x) with coefficient lists lowest degree first), and as a Coq function of its parameter,
``net_k x := inst pnet_k x``, with ``dens_k`` the list of its non-constant denominators.  A claim at a
rational value t is then the library's ordinary claim about ``net_k t``.

Covered: a verdict **false**, stated as ``exists t : Q, admissible a dens t /\\ ~ claim(t)`` (one
existential per parameter of the claim's networks): the negation of "the claim holds at every
admissible t".  The exporter picks a rational value where the certificate says the claim fails (a
piece's rational sample or point, a two-parameter sector's sample, the certificate's counterexample),
asks symrep's numeric decision for the ordinary witness of the failure there (a proposal, checked by
Coq like any other) and applies the kind's false lemma of ``coq/Symrep.v``.

A verdict **true** of ``activations``, ``identical``, ``exact_match``, ``maximum_match``, ``no_match``,
``match_similarity`` at eps = 0, ``cka``, ``dimension``, ``isomorphic`` or ``equal_functions`` (a
symmetry that only rescales neurons) over one parameter, stated as ``forall t : Q, admissible a dens t
-> claim(t)`` and proved piece by piece (``coq/Parametric.v`` section 3): the certificate's pieces, cut
further where Descartes' sign test needs it (the checks are mirrored by
:mod:`symrep.certificates.coq_pieces`), glued by ``on_split``.

Isomorphic spans over two parameters, each network in one of them, are both dimensions at every value
of each parameter (:func:`_separable_isomorphic`).

Not covered (skipped with the reason): other kinds with verdict true, other two-parameter verdicts true,
pieces with an irrational end, a network entry in two parameters, a false verdict whose failures are
all at irrational values.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from symrep import checker
from symrep.certificates import coq_pieces as cp
from symrep.errors import CertificateError

__all__ = ["export_parametric"]

#: Coq names of the parameter assumptions (coq/Parametric.v, ``sign_assumption``).
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

    def coq(self, qnum: Callable[[Fraction], str]) -> str:
        if self.var is None:
            return f"EC {qnum(self.num[0] / self.den[0])}"
        return f"ER {_poly(self.num, qnum)} {_poly(self.den, qnum)}"

    def sym(self) -> tuple:
        """The entry as coq_pieces reads it."""
        return ("EC", self.num[0] / self.den[0]) if self.var is None else ("ER", list(self.num), list(self.den))


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

    def sym(self, name: str) -> list:
        return [([[e.sym() for e in r] for r in W], [e.sym() for e in b], a) for W, b, a in self.layers[name]]

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
            ls = "; ".join(
                "mk_player [" + "; ".join("[" + "; ".join(e.coq(qnum) for e in r) + "]" for r in W) + "] ["
                + "; ".join(e.coq(qnum) for e in b) + "] " + ("Relu" if a == "relu" else "Identity")
                for W, b, a in self.layers[name])
            out.append(f"(* network {k}{'' if v is None else ', a function of the parameter ' + v} *)")
            out.append(f"Definition pnet_{k} : pnetwork := [{ls}].")
            if v is None:
                out.append(f"Definition net_{k} : network := inst pnet_{k} 0.")
            else:
                out.append(f"Definition net_{k} (x : Q) : network := inst pnet_{k} x.")
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


def _nats(v: list[int]) -> str:
    return "[" + "; ".join(f"{i}%nat" for i in v) + "]"


def _rq_coq(r: tuple, qnum: Callable[[Fraction], str]) -> str:
    return f"({_poly(r[0], qnum)}, {_poly(r[1], qnum)})"


class _Setting:
    """What every piece of a claim shares: the networks as data, the layer, the data points."""

    def __init__(self, fam: _Family, p: dict, c: dict, qnum: Callable[[Fraction], str] = str):
        self.nets = list(c["networks"]) if "networks" in c else [c["network"]]
        self.k = checker.integer(c.get("layer", 0), "layer")
        self.X = checker.matrix(p["data"]["inputs"], "inputs")
        self.idx = [fam.names.index(n) for n in self.nets]
        self.pns = [fam.sym(n) for n in self.nets]
        self.ref = [f"net_{i}" if fam.var[n] is None else f"(net_{i} t)" for i, n in zip(self.idx, self.nets)]
        self.ins = [f"(inst pnet_{i} t)" for i in self.idx]
        self.fam = fam
        self.qnum = qnum

    def width(self, n: str) -> int:
        return len(self.fam.layers[n][self.k - 1][0]) if self.k >= 1 else len(self.X[0])

    def acts(self, sset: tuple, i: int) -> Any:
        return cp.sacts(sset, self.pns[i], self.k, self.X)


def _identical(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    k = S.k

    def stmt(R: list[str]) -> str:
        return f"mat_eq (acts {R[0]} {k}%nat inputs) (acts {R[1]} {k}%nat inputs)"

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        def check(sset: tuple) -> bool:
            return cp.mat_eq_on(sset, S.acts(sset, 0), S.acts(sset, 1))
        return check, f"apply (mat_eq_on _ pnet_{S.idx[0]} pnet_{S.idx[1]} {k}%nat {k}%nat inputs t Hs)"
    return stmt, piece


def _activations(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    k = S.k
    E = checker.matrix(c["equals"], "equals")
    Es = "[" + "; ".join("[" + "; ".join(qnum(x) for x in row) + "]" for row in E) + "]"
    SE = [[cp.rconst(x) for x in row] for row in E]

    def stmt(R: list[str]) -> str:
        return f"mat_eq (acts {R[0]} {k}%nat inputs) {Es}"

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        def check(sset: tuple) -> bool:
            return cp.mat_eq_on(sset, S.acts(sset, 0), SE)
        return check, f"apply (acts_eq_on _ pnet_{S.idx[0]} {k}%nat inputs {Es} t Hs)"
    return stmt, piece


def _coefficients(proof: dict, key: str, mine: list[int], other: list[int], at: Fraction) -> list[list[tuple]]:
    """Coefficients per member of ``mine`` aligned with ``other``, denominators made positive at ``at``."""
    given: dict[int, dict[int, tuple]] = {}
    for e in checker.lst(proof[key], key):
        i, cs = checker.lst(e, key, 2)
        row = {}
        for pair in checker.lst(cs, key):
            j, v = checker.lst(pair, key, 2)
            r = cp.rq_of(v, lambda x: _frac(x, key))
            if cp.peval(r[1], at) < 0:  # Coq checks the denominators positive on the piece
                r = (cp.pneg(r[0]), cp.pneg(r[1]))
            row[checker.integer(j, key)] = r
        given[checker.integer(i, key)] = row
    if sorted(given) != sorted(mine):
        raise CertificateError(f"{key}: does not cover the neurons {mine}")
    return [[given[x].get(y, cp.rconst(Fraction(0))) for y in other] for x in mine]


def _exact_match(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    k, d = S.k, len(S.X)
    if "neurons" in c:
        Xs, Ys = (sorted(checker.integer(i, "neurons") for i in side) for side in c["neurons"])
    else:
        Xs, Ys = list(range(S.width(S.nets[0]))), list(range(S.width(S.nets[1])))
    sets = f"{_nats(Xs)} {_nats(Ys)}"

    def stmt(R: list[str]) -> str:
        return f"is_match npoints (acts {R[0]} {k}%nat inputs) (acts {R[1]} {k}%nat inputs) {sets}"

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        cx, cy = _coefficients(proof, "x_in_y", Xs, Ys, at), _coefficients(proof, "y_in_x", Ys, Xs, at)

        def check(sset: tuple) -> bool:
            return cp.match_on(sset, d, S.acts(sset, 0), S.acts(sset, 1), Xs, Ys, cx, cy)
        cxs, cys = ("[" + "; ".join("[" + "; ".join(_rq_coq(r, qnum) for r in row) + "]" for row in m) + "]"
                    for m in (cx, cy))
        return check, f"apply (match_on _ npoints pnet_{S.idx[0]} pnet_{S.idx[1]} {k}%nat inputs {sets} {cxs} {cys} t Hs)"
    return stmt, piece


def _cka(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    k, d = S.k, len(S.X)
    keys = ("equals", "at_least", "at_most")
    squared = c.get("squared", False) is True
    surd = squared or any(isinstance(c.get(key), str) and "sqrt" in c[key] for key in keys)
    bounds: list[Fraction | None] = []  # the values Coq compares CKA^2 (CKA^4 with squared) with
    if surd:
        terms = []
        for key in keys:
            if key not in c:
                terms.append("None")
                bounds.append(None)
                continue
            a, q = checker.surd(c[key], key)
            if a < 0 or q < 0:
                raise _Skip("a negative bound")
            terms.append(f"(Some ({qnum(a)}, {qnum(q)}))")
            bounds.append(a * a * q)
        args = f"{'true' if squared else 'false'} {' '.join(terms)}"
        pred, lemma = "cka_surd_claim", "cka_surd_on"
    else:
        terms = []
        for key in keys:
            x = checker.num(c[key], key) if key in c else None
            terms.append("None" if x is None else f"(Some {qnum(x)})")
            bounds.append(None if x is None else x * x)
        args = " ".join(terms)
        pred, lemma = "cka_claim", "cka_on"

    def stmt(R: list[str]) -> str:
        return f"{pred} npoints (acts {R[0]} {k}%nat inputs) (acts {R[1]} {k}%nat inputs) {args}"

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        def check(sset: tuple) -> bool:
            v = cp.scka(sset, d, S.acts(sset, 0), S.acts(sset, 1))
            if v is not None and squared:
                v = cp.rmul(v, v)
            return cp.cmp_ok(sset, v, *bounds)
        return check, f"apply ({lemma} _ npoints pnet_{S.idx[0]} pnet_{S.idx[1]} {k}%nat inputs {args} t Hs)"
    return stmt, piece


def _equal_functions(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    f, g = (S.fam.layers[n] for n in S.nets)
    n = len(f[0][0][0]) if f and f[0][0] else 0
    rows = checker.domain_rows(c.get("domain"), n, "domain")
    vec = lambda v: "[" + "; ".join(qnum(x) for x in v) + "]"  # noqa: E731
    dom = "[" + "; ".join(f"({'Le' if rel == '<=' else 'Eqc'} {vec(a)} {qnum(b)})" for a, b, rel in rows) + "]"

    def stmt(R: list[str]) -> str:
        return f"equal_on {n}%nat {dom} {R[0]} {R[1]}"

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        if "symmetry" not in proof:
            raise _Skip("equal_functions true without a symmetry witness")
        sym = checker.lst(proof["symmetry"], "symmetry", len(f) - 1)
        cs = []
        for e in sym:
            perm = [checker.integer(i, "permutation") for i in checker.lst(e["permutation"], "permutation")]
            if perm != list(range(len(perm))):
                raise _Skip("a symmetry that permutes neurons (only positive scalings are stated in Coq yet)")
            layer = []
            for x in checker.lst(e["scales"], "scales"):
                r = cp.rq_of(x, lambda v: _frac(v, "scales"))
                if cp.peval(r[1], at) < 0:
                    r = (cp.pneg(r[0]), cp.pneg(r[1]))
                layer.append(r)
            cs.append(layer)
        cs.append([cp.rconst(Fraction(1))] * len(f[-1][0]))

        def check(sset: tuple) -> bool:
            return cp.sym_on(sset, n, S.pns[1], S.pns[0], cs)
        css = "[" + "; ".join("[" + "; ".join(_rq_coq(r, qnum) for r in layer) + "]" for layer in cs) + "]"
        return check, f"apply (sym_equal_on _ {n}%nat {dom} pnet_{S.idx[1]} pnet_{S.idx[0]} {css} t Hs)"
    return stmt, piece


def _vec_rq(v: Any, at: Fraction, where: str) -> list[tuple]:
    out = []
    for x in checker.lst(v, where):
        r = cp.rq_of(x, lambda y: _frac(y, where))
        if cp.peval(r[1], at) < 0:
            r = (cp.pneg(r[0]), cp.pneg(r[1]))
        out.append(r)
    return out


def _dim_parts(S: _Setting, i: int, w: dict, at: Fraction) -> tuple[int, list[int], list, list, str]:
    """(r, basis, chain, coefficients of every row, Coq arguments) of a dimension witness for network i."""
    n = S.width(S.nets[i])
    basis = [checker.integer(b, "basis") for b in checker.lst(w["basis"], "basis")]
    if len(set(basis)) != len(basis) or any(not 0 <= b < n for b in basis):
        raise CertificateError("basis: not distinct rows of the layer")
    W = [_vec_rq(v, at, "independent") for v in checker.lst(w["independent"], "independent", len(basis))]
    rest = [j for j in range(n) if j not in basis]
    given = dict(zip(rest, _coefficients(w, "coefficients", rest, basis, at))) if rest else {}
    one, zero = cp.rconst(Fraction(1)), cp.rconst(Fraction(0))
    cs = [given[j] if j in given else [one if b == j else zero for b in basis] for j in range(n)]

    def m(rows: list) -> str:
        return "[" + "; ".join("[" + "; ".join(_rq_coq(r, S.qnum) for r in row) + "]" for row in rows) + "]"
    return len(basis), basis, W, cs, f"{len(basis)}%nat {_nats(basis)} {m(W)} {m(cs)}"


def _dimension(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    k, d = S.k, len(S.X)
    r = checker.integer(c["equals"], "equals")

    def stmt(R: list[str]) -> str:
        return f"dim_span npoints (acts {R[0]} {k}%nat inputs) {r}%nat"

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        rr, basis, W, cs, args = _dim_parts(S, 0, proof.get("first", proof), at)
        if rr != r:
            raise CertificateError("the dimension witness has another size than the claim")

        def check(sset: tuple) -> bool:
            return cp.dim_on(sset, d, S.acts(sset, 0), r, basis, W, cs)
        return check, f"apply (dim_on _ npoints pnet_{S.idx[0]} {k}%nat inputs {args} t Hs)"
    return stmt, piece


def _isomorphic(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    k, d = S.k, len(S.X)

    def stmt(R: list[str]) -> str:
        return f"isomorphic npoints (acts {R[0]} {k}%nat inputs) (acts {R[1]} {k}%nat inputs)"

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        r1, b1, W1, cs1, a1 = _dim_parts(S, 0, proof["first"], at)
        r2, b2, W2, cs2, a2 = _dim_parts(S, 1, proof["second"], at)
        if r1 != r2:
            raise _Skip("the dimension witnesses differ in size")

        def check(sset: tuple) -> bool:
            return (cp.dim_on(sset, d, S.acts(sset, 0), r1, b1, W1, cs1)
                    and cp.dim_on(sset, d, S.acts(sset, 1), r2, b2, W2, cs2))
        args2 = a2.split(" ", 1)[1]  # r once
        return check, f"apply (iso_on _ npoints pnet_{S.idx[0]} pnet_{S.idx[1]} {k}%nat inputs {a1} {args2} t Hs)"
    return stmt, piece


def _trace(proof: dict, at: Fraction, qnum: Callable[[Fraction], str]) -> tuple[list, str]:
    """A removal trace (side, neuron, w over Q(t)) and its Coq term."""
    tr = []
    for r in checker.lst(proof.get("removals", []), "removals"):
        side = checker.need(r, "side", "removals")
        if side not in ("x", "y"):
            raise CertificateError("removals: side must be x or y")
        tr.append((side, checker.integer(r["neuron"], "neuron"), _vec_rq(r["w"], at, "w")))
    trs = "[" + "; ".join(f"({'SX' if sd == 'x' else 'SY'}, {v}%nat, [{'; '.join(_rq_coq(r, qnum) for r in w)}])"
                          for sd, v, w in tr) + "]"
    return tr, trs


def _max_piece(S: _Setting, proof: dict, at: Fraction, Xs: list[int], Ys: list[int],
               qnum: Callable[[Fraction], str]) -> tuple[Callable[[tuple], bool], str]:
    """The check and the Coq arguments (sets, trace, coefficients) of a maximum-match piece."""
    d = len(S.X)
    tr, trs = _trace(proof, at, qnum)
    cx, cy = _coefficients(proof, "x_in_y", Xs, Ys, at), _coefficients(proof, "y_in_x", Ys, Xs, at)

    def check(sset: tuple) -> bool:
        return cp.max_on(sset, d, S.acts(sset, 0), S.acts(sset, 1), Xs, Ys, tr, cx, cy)

    def m(rows: list) -> str:
        return "[" + "; ".join("[" + "; ".join(_rq_coq(r, qnum) for r in row) + "]" for row in rows) + "]"
    return check, f"{_nats(Xs)} {_nats(Ys)} {trs} {m(cx)} {m(cy)}"


def _maximum(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    k = S.k
    if c["kind"] == "no_match":
        Xs, Ys = [], []
    else:
        Xs, Ys = (sorted(checker.integer(i, "equals") for i in side) for side in c["equals"])
    sets = f"{_nats(Xs)} {_nats(Ys)}"

    def stmt(R: list[str]) -> str:
        return f"is_max_match npoints (acts {R[0]} {k}%nat inputs) (acts {R[1]} {k}%nat inputs) {sets}"

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        check, args = _max_piece(S, proof, at, Xs, Ys, qnum)
        return check, f"apply (max_match_on _ npoints pnet_{S.idx[0]} pnet_{S.idx[1]} {k}%nat inputs {args} t Hs)"
    return stmt, piece


def _similarity(S: _Setting, c: dict, qnum: Callable[[Fraction], str]) -> tuple[Callable, Callable]:
    k = S.k
    if checker.num(c.get("eps", "0"), "eps") != 0:
        raise _Skip("match_similarity with eps > 0 over a family is not stated in Coq yet")
    sim = checker.num(c["equals"], "equals")
    nA, nB = S.width(S.nets[0]), S.width(S.nets[1])

    def stmt(R: list[str]) -> str:
        return (f"match_similarity npoints ((0#1) * (0#1)) (acts {R[0]} {k}%nat inputs) (acts {R[1]} {k}%nat inputs) "
                f"{qnum(sim)}")

    def piece(proof: dict, at: Fraction) -> tuple[Callable[[tuple], bool], str]:
        Xs = sorted(checker.integer(e[0], "x_in_y") for e in checker.lst(proof["x_in_y"], "x_in_y"))
        Ys = sorted(checker.integer(e[0], "y_in_x") for e in checker.lst(proof["y_in_x"], "y_in_x"))
        check0, args = _max_piece(S, proof, at, Xs, Ys, qnum)

        def check(sset: tuple) -> bool:  # ssim_on: the maximum match, then its size (the widths are the layers')
            return check0(sset) and Fraction(len(Xs) + len(Ys)) == sim * (nA + nB)
        return check, (f"apply (similarity_on _ npoints pnet_{S.idx[0]} pnet_{S.idx[1]} {k}%nat inputs {args} {qnum(sim)} "
                       f"t Hs)")
    return stmt, piece


#: Kinds whose verdict true over one parameter is proved piece by piece (coq/Parametric.v section 3).
TRUE_KINDS: dict[str, Callable[..., tuple[Callable, Callable]]] = {
    "identical": _identical, "exact_match": _exact_match, "cka": _cka, "equal_functions": _equal_functions,
    "dimension": _dimension, "isomorphic": _isomorphic, "activations": _activations,
    "maximum_match": _maximum, "no_match": _maximum, "match_similarity": _similarity}


def _cover(pieces: list, piece: Callable, change: str, fail: bool) -> tuple[list, list]:
    """The open pieces (cut further where Coq's sign tests need it) and the points, each with its tactic.

    With ``fail`` (the tamper tests) a piece whose checks fail is still written: Coq must reject it.
    """
    opens: list[tuple[Fraction | None, Fraction | None, str]] = []
    points: list[tuple[Fraction, str]] = []
    for pc in pieces:
        if "excluded" in pc:
            e = _rational_end(pc["excluded"])
            if e is None:
                raise _Skip("an irrational left-out point")
            points.append((e, "intros t Hs Ha; exfalso; refine (excluded _ _ _ _ t Hs Ha); vm_compute; reflexivity"))
        elif "point" in pc:
            e = _rational_end(pc["point"])
            if e is None:
                raise _Skip("a piece with an irrational end (a root) is not stated in Coq yet")
            check, tac = piece(pc["proof"], e)
            if not check(("point", e)) and not fail:
                raise _Skip(f"the Coq check fails at the point {e}")
            points.append((e, f"intros t Hs _; {change}; {tac}; vm_compute; reflexivity"))
        else:
            if any(isinstance(pc.get(key), dict) for key in ("low", "high")):
                raise _Skip("a piece with an irrational end (a root) is not stated in Coq yet")
            lo, hi = _rational_end(pc.get("low")), _rational_end(pc.get("high"))
            check, tac = piece(pc["proof"], _frac(pc["sample"], "sample"))
            cuts = cp.subdivide(lo, hi, check)
            if cuts is None and fail:
                cuts = []
            if cuts is None:
                raise _Skip("no sign test of coq/Parametric.v passes on a piece within 64 subdivisions")
            ends = [lo, *cuts, hi]
            script = f"intros t Hs _; {change}; {tac}; vm_compute; reflexivity"
            opens += [(a, b, script) for a, b in zip(ends, ends[1:])]
            points += [(m, script) for m in cuts]
    points.sort(key=lambda x: x[0])
    opens.sort(key=lambda x: (x[0] is not None, x[0] or 0))
    return opens, points


def _on_line(fam: _Family, S: _Setting, stmt: Callable, piece: Callable, pieces: list, var: str,
             qnum: Callable[[Fraction], str], fail: bool) -> tuple[str, str]:
    """(statement, proof) of "claim(t) at every admissible t" from one-parameter pieces."""
    opens, points = _cover(pieces, piece, f"change ({stmt(S.ins)})", fail)
    a = fam.assumption[var]
    first = Fraction(0) if a == "positive" else None
    last = Fraction(0) if a == "negative" else None
    if (len(opens) != len(points) + 1 or opens[0][0] != first or opens[-1][1] != last
            or any(o[1] != q[0] or n[0] != q[0] for o, q, n in zip(opens, points, opens[1:]))):
        raise _Skip("the pieces do not form a chain the Coq cover lemma reads")
    expr = opens[-1][2]  # one tactic expression (a Fail command takes no sentences): the chain nested from its end
    for o, q in reversed(list(zip(opens, points))):
        expr = f"apply (on_split _ _ _ {qnum(q[0])}); [{o[2]} |\n    {q[1]} |\n  {expr}]"
    dens = " ++ ".join(f"dens_{i}" for i, n in zip(S.idx, S.nets) if fam.var[n] is not None) or "[]"
    A = ASSUMPTIONS[a]
    statement = f"forall t : Q, admissible {A} ({dens}) t -> {stmt(S.ref)}"
    proof = f"apply (on_all {A} ({dens}) (fun t => {stmt(S.ref)})); cbn [start stop];\n  {expr}"
    return statement, proof


def _true_claim(fam: _Family, p: dict, c: dict, w: dict, qnum: Callable[[Fraction], str],
                fail: bool = False) -> tuple[str, str, str]:
    """(parameter, statement, proof script) of a verdict true over one parameter, or _Skip."""
    kind = str(c["kind"])
    if kind not in TRUE_KINDS:
        raise _Skip(f"a verdict true over a family of kind {kind!r} is not stated in Coq yet")
    if "columns" in w and kind == "isomorphic":
        return _separable_isomorphic(fam, p, c, w, qnum, fail)
    if "pieces" not in w:
        raise _Skip("a verdict true over two parameters (cells of the plane) is not stated in Coq yet")
    var = str(w["parameter"])
    if any(fam.var[n] not in (None, var) for n in (c.get("networks") or [c["network"]])):
        raise _Skip("a network of the claim depends on another parameter")
    S = _Setting(fam, p, c, qnum)
    stmt, piece = TRUE_KINDS[kind](S, c, qnum)
    statement, proof = _on_line(fam, S, stmt, piece, checker.lst(w["pieces"], "pieces"), var, qnum, fail)
    return var, statement, proof


def _one_variable(x: Any, i: int) -> Any:
    """A two-parameter witness with every entry in the i-th parameter only, as one-parameter JSON."""
    if isinstance(x, dict) and set(x) == {"num", "den"}:
        polys = []
        for key in ("num", "den"):
            coeffs: dict[int, Fraction] = {}
            for term in checker.lst(x[key], key):
                exps, cf = checker.lst(term, key, 2)
                ex = [checker.integer(e, key) for e in checker.lst(exps, key, 2)]
                if ex[1 - i] != 0 or not 0 <= ex[i] < MAX_DEGREE:
                    raise _Skip("a witness entry of one network involves the other parameter")
                coeffs[ex[i]] = coeffs.get(ex[i], Fraction(0)) + _frac(cf, key)
            polys.append([str(coeffs.get(e, Fraction(0))) for e in range(max(coeffs, default=0) + 1)])
        return polys
    if isinstance(x, dict):
        return {k: _one_variable(v, i) for k, v in x.items()}
    if isinstance(x, list):
        return [_one_variable(v, i) for v in x]
    return x


def _separable_isomorphic(fam: _Family, p: dict, c: dict, w: dict, qnum: Callable[[Fraction], str],
                          fail: bool) -> tuple[str, str, str]:
    """Isomorphic spans over two parameters when each network depends on one of them: both dimensions
    are the same r at every admissible value of each (the a-line from the columns, the b-line from
    the pieces of a rational column), so the spans are isomorphic at every (a, b)."""
    params = [str(x) for x in checker.lst(w["parameters"], "parameters", 2)]
    nets = list(c["networks"])
    vs = [fam.var[n] for n in nets]
    if sorted(v or "" for v in vs) != sorted(params):
        raise _Skip("a verdict true over two parameters with a network in both is not stated in Coq yet")
    keys = ["first", "second"]
    cols = checker.lst(w["columns"], "columns")
    line: dict[str, list] = {}
    ia = params.index(params[0])
    for which, (n, v) in enumerate(zip(nets, vs)):
        key = keys[which]
        if v == params[0]:  # along the a-line: one witness per column (the network does not depend on b)
            pcs = []
            for col in cols:
                if "excluded" in col:
                    pcs.append({"excluded": col["excluded"]})
                elif "cells" in col:
                    cell = next(x for x in col["cells"] if "proof" in x)
                    pcs.append({"low": col["low"], "high": col["high"], "sample": col["sample"], "holds": True,
                                "proof": _one_variable(cell["proof"][key], ia)})
                else:
                    pc = next(x for x in col["pieces"] if "proof" in x)
                    pcs.append({"point": col["point"], "holds": True, "proof": pc["proof"][key]})
            line[n] = pcs
        else:  # along the b-line: the pieces of the first rational column
            col = next((x for x in cols if "pieces" in x), None)
            if col is None:
                raise _Skip("no rational column to read the second parameter's line from")
            line[n] = [x if "excluded" in x else {**x, "proof": x["proof"][key]} for x in col["pieces"]]
    k = checker.integer(c["layer"], "layer")
    names = {params[0]: "t0", params[1]: "t1"}
    parts, dims = [], []
    for n in nets:
        sub = {"kind": "dimension", "network": n, "layer": k, "equals": 0}
        first = next(x["proof"] for x in line[n] if "proof" in x)
        sub["equals"] = len(checker.lst(first["basis"], "basis"))
        dims.append(sub["equals"])
        S = _Setting(fam, p, sub, qnum)
        stmt, piece = _dimension(S, sub, qnum)
        parts.append(_on_line(fam, S, stmt, piece, line[n], str(fam.var[n]), qnum, fail))
    if dims[0] != dims[1]:
        raise _Skip("the two dimensions differ")
    idx = [fam.names.index(n) for n in nets]
    hyp = {v: f"admissible {ASSUMPTIONS[fam.assumption[v]]} (dens_{i}) {names[v]}" for i, v in zip(idx, vs) if v}
    var = [names[v or ""] for v in vs]  # t0 or t1, each network's own
    h = [{"t0": "H0", "t1": "H1"}[x] for x in var]
    statement = (f"forall t0 t1 : Q, {hyp[params[0]]} -> {hyp[params[1]]} -> isomorphic npoints "
                 f"(acts (net_{idx[0]} {var[0]}) {k}%nat inputs) (acts (net_{idx[1]} {var[1]}) {k}%nat inputs)")
    proof = (f"intros t0 t1 H0 H1; apply iso_split; exists {dims[0]}%nat; split;\n  "
             f"[revert {var[0]} {h[0]}; {parts[0][1]} |\n   revert {var[1]} {h[1]}; {parts[1][1]}]")
    return f"{params[0]} (t0) and {params[1]} (t1)", statement, proof


def _false_claim(fam: _Family, p: dict, c: dict, w: dict, kinds: dict, make_doc: Callable[..., Any],
                 qnum: Callable[[Fraction], str]) -> tuple[str, str, str]:
    """(who the variables are, statement, proof) of a verdict false: an admissible rational value where it fails."""
    from symrep.certificates.writer import certificate
    from symrep.claims.files import problem_from_json
    from symrep.claims.verdicts import decide

    kind = str(c.get("kind"))
    if kind not in kinds:
        raise _Skip(f"kind {kind!r} is not covered by the Coq library")
    nets = [n for n in (c.get("networks") or [c.get("network")]) if n is not None]
    values = _failing_point(w)
    if values is None:
        raise _Skip("the certificate shows failures at irrational values only")
    used = sorted({v for n in nets if (v := fam.var[n]) is not None}, key=fam.params.index)
    if any(v not in values for v in used):
        raise _Skip("no rational value for every parameter of the claim")
    names = {v: ("t" if len(used) == 1 else f"t{i}") for i, v in enumerate(used)}
    numeric = {"data": p["data"], "networks": {n: fam.instantiate(n, values) for n in nets},
               "claims": [dict(c)], "title": "instance"}
    problem = problem_from_json(numeric)
    verdict = decide(problem, problem.claims[0])  # the ordinary witness at that value: a proposal Coq checks
    if verdict.holds is not False:
        raise CertificateError(f"claim {c.get('id')!r}: the numeric decision does not refute the claim at {values}")
    ncert = certificate(problem, [verdict])
    refs = {n: (f"(net_{fam.names.index(n)} {names[v]})" if (v := fam.var[n]) is not None else
                f"net_{fam.names.index(n)}") for n in nets}
    stmt, tac = kinds[kind](make_doc(ncert, refs), ncert["problem"]["claims"][0], False, ncert["results"][0]["witness"])
    conds = []
    for v in used:
        dens = " ++ ".join(f"dens_{fam.names.index(n)}" for n in nets if fam.var[n] == v)
        conds.append(f"admissible {ASSUMPTIONS[fam.assumption[v]]} ({dens}) {names[v]}")
    binders = " ".join(names[v] for v in used)
    full = (f"exists {binders} : Q, " + " /\\ ".join(conds + [f"({stmt})"])) if used else stmt
    proof = f"{tac}; vm_compute; reflexivity"  # one tactic expression (a Fail command takes no sentences)
    for _ in used:
        proof = f"split; [apply admissible_true; vm_compute; reflexivity | {proof}]"
    proof = "".join(f"exists ({qnum(values[v])}); " for v in used) + proof
    who = ", ".join(f"{names[v]} is the parameter {v}" for v in used)
    return who, full, proof


def export_parametric(cert: dict, kinds: dict, make_doc: Callable[..., Any], ident: Callable[[int, Any], str],
                      safe_comment: Callable[[Any], str], qnum: Callable[[Fraction], str],
                      fail: bool) -> tuple[list[str], list[str], list[str], list[tuple[str, str, str]]]:
    """(header, body, proved ids, skipped (id, kind, reason)) of a parametric certificate (already gated).

    ``kinds`` are the exporter's numeric translations (``coq.KINDS``); ``make_doc(numeric_cert, refs)``
    gives the exporter's document of a numeric certificate whose networks are printed as ``refs[name]``.
    """
    p = cert["problem"]
    fam = _Family(p)
    head = fam.header(qnum)
    body: list[str] = []
    proved: list[str] = []
    skipped: list[tuple[str, str, str]] = []
    for k, (c, r) in enumerate(zip(p["claims"], cert["results"])):
        kind = str(c.get("kind"))
        try:
            nets = [n for n in (c.get("networks") or [c.get("network")]) if n is not None]
            bad = [fam.bad[n] for n in nets if n in fam.bad]
            if r.get("verdict") not in (True, False):
                raise _Skip(f"verdict {r.get('verdict')!r}: nothing to prove")
            if bad:
                raise _Skip(bad[0])
            if r["verdict"] is True:
                var, full, proof = _true_claim(fam, p, c, r["witness"], qnum, fail)
                what = f"verdict true: for every admissible rational value of the parameter {safe_comment(var)}"
            else:
                who, full, proof = _false_claim(fam, p, c, r["witness"], kinds, make_doc, qnum)
                what = "verdict false: not for every admissible value" + (f" ({safe_comment(who)})" if who else "")
        except _Skip as e:
            skipped.append((str(c.get("id")), kind, str(e)))
            continue
        except (checker.Reject, KeyError, TypeError, ValueError, IndexError) as e:
            raise CertificateError(f"claim {c.get('id')!r}: the witness cannot be translated: {e}") from None
        body += [f"(* claim {safe_comment(c.get('id'))[:120]} ({kind}), {what}",
                 f"   {safe_comment(c.get('statement', ''))[:400]} *)"]
        name = ident(k, c.get("id"))
        if fail:
            body += [f"Fail Definition {name} : {full} := ltac:({proof}).", ""]
        else:
            body += [f"Theorem {name} : {full}.", f"Proof. {proof}.{chr(10) if r['verdict'] else ' '}Qed.", ""]
        proved.append(str(c.get("id")))
    return head, body, proved, skipped
