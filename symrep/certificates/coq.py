"""Export a certificate to Coq: one theorem per claim, proved by a lemma of ``coq/Symrep.v`` and ``vm_compute``.

The exporter first runs the independent checker (:func:`symrep.checker.check_certificate`) and refuses a
certificate it rejects, so a tampered certificate never reaches Coq; and even past that gate nothing
here is trusted: each theorem states the claim with the library's definitions (``is_max_match``,
``dim_span``, ``cka_claim`` ...) applied to the networks and data written out in the file, and its proof
is one soundness lemma applied to the witness, whose boolean hypothesis ``vm_compute`` evaluates.  A
witness that does not prove the statement makes that computation ``false`` and coqc rejects the file.

Where a certificate lacks a witness Coq needs (an orthogonal or invertible map of the ladder, a covering
tree for networks equal by a symmetry), the exporter computes one (:mod:`symrep.certificates.coq_maps`,
:mod:`symrep.certificates.coq_functions`): a proposal, checked by Coq like the rest.

Claims whose kind or witness form the library does not cover yet are skipped, each named with its
reason in the file's header (:data:`NOT_COVERED`).

>>> qnum(Fraction(-3, 4)), qnum(Fraction(2))
('(-3#4)', '(2#1)')
>>> safe_comment('a "b" (* c *)')
"a 'b' ( * c * )"
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

from symrep import checker
from symrep.certificates import coq_cca, coq_grambound, coq_parametric, coq_relations, coq_simple, coq_spectral
from symrep.certificates.coq_functions import TREE_REGIONS, ftree, tree_for_symmetry
from symrep.certificates.coq_maps import linear_map, orthogonal_map
from symrep.certificates.coq_terms import qmat, qnum, qvec
from symrep.errors import CertificateError, MissingDependency

__all__ = ["CoqExport", "export_coq", "export_file", "compile_coq", "library_path", "library_files", "NOT_COVERED"]

#: What the Coq library does not state yet (kind or form: the reason a claim is skipped).
NOT_COVERED = {
    "equal_functions (verdict true) by a symmetry, past 2,000 regions": "the exporter finds no covering tree to prove",
    "simple_matches of more than 8 neurons": "the exporter writes 2^n refutations up to 8",
    "gram-bound removals (certified paths) in simple_match exclusions, relation / invariance / triangle"
    " quantities, or against more than 40 vectors":
        "not stated in Coq (coq/Spectral.v covers them in the (maximum) match kinds and match_similarity)",
    "relation, invariance of mixed forms, negative rsa, mutual_knn ties of more than 12 candidates": "not stated in Coq",
    "invariance over a family with verdict true": "needs a proof for every member: not in the Coq library yet",
    "triangle of angular_procrustes, of procrustes with zero slack, of values with ties or below 0":
        "needs exact spectral values: not in the Coq library yet",
    "svcca at an exact value other than 1 or without a float gap; pwcca with tied or unresolved correlations":
        "not in coq/Spectral.v yet",
    "parametric verdicts true other than activations, identical, (maximum) matches, similarity at eps 0, cka,"
    " equal_functions (rescaling), dimension, isomorphic over one parameter; irrational piece ends;"
    " an entry in two parameters": "not in coq/Parametric.v yet",
}

LIBRARY_NAME = "Symrep"


# A kind or witness form the Coq library does not cover raises NotImplementedError (the message says
# which); export_coq skips that claim and lists it.
_Skip = NotImplementedError


@dataclass(frozen=True)
class CoqExport:
    """An exported Coq file: its text, the claims it proves and the claims it skips (id, kind, reason)."""

    text: str
    proved: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)


def nats(v: list[int]) -> str:
    return "[" + "; ".join(f"{i}%nat" for i in v) + "]"


def safe_comment(text: str) -> str:
    """Text that cannot end or nest a Coq comment, nor open a string inside it."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return text.replace('"', "'").replace("(*", "( *").replace("*)", "* )")


def _ident(k: int, claim_id: Any) -> str:
    tail = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in str(claim_id))[:40]
    return f"claim_{k}_{tail}".rstrip("_")


class _Doc:
    """The checker's parse of a certificate's problem, and helpers that turn witness parts into Coq terms."""

    def __init__(self, doc: dict, refs: dict[str, str] | None = None):
        self.P = checker.Problem(doc["problem"])
        self.names = list(self.P.networks)
        self.d = self.P.d
        # how each network is written in Coq: net_k, or (net_k t) for a member of a family (coq_parametric)
        self.refs = refs or {name: f"net_{k}" for k, name in enumerate(self.names)}

    def net(self, name: str) -> str:
        return self.refs[name]

    def acts(self, name: str, layer: int) -> str:
        return f"(acts {self.net(name)} {layer}%nat inputs)"

    def rows(self, name: str, layer: int) -> Any:
        return self.P.rows(name, layer, "coq export")

    def dense(self, sparse: Any, n: int, where: str) -> list[Fraction]:
        out = [Fraction(0)] * n
        for i, x in checker.sparse(sparse, where, n).items():
            out[i] = x
        return out

    def cover(self, entries: Any, X: list[int], Y: list[int], n_other: int, where: str) -> str:
        """Coefficients per member of X (in X's order), each aligned with Y's order."""
        given = {}
        for e in checker.lst(entries, where):
            i, c = checker.lst(e, where, 2)
            given[checker.integer(i, where)] = self.dense(c, n_other, where)
        if sorted(given) != sorted(X):
            raise CertificateError(f"{where}: does not cover the neurons {X}")
        return "[" + "; ".join(qvec([given[x][y] for y in Y]) for x in X) + "]"

    def removal(self, r: dict, where: str) -> str:
        if "bound" in r:
            raise _Skip("a gram-bound removal (certified path) in a simple_match or a relation is not covered")
        side = {"x": "SX", "y": "SY"}[checker.need(r, "side", where)]
        v = checker.integer(checker.need(r, "neuron", where), where)
        w = self.dense(checker.need(r, "orthogonal", where), self.d, where)
        return f"({side}, {v}%nat, {qvec(w)})"

    def trace(self, w: dict, where: str) -> str:
        if w.get("gram_bounds"):
            raise _Skip("gram bounds (certified path) in a simple_match or a relation are not covered")
        return "[" + "; ".join(self.removal(r, where) for r in checker.lst(w["removals"], where)) + "]"


def _pair(D: _Doc, claim: dict) -> tuple[str, str, int, int]:
    a, b = claim["networks"]
    layer = claim["layer"]
    return D.acts(a, layer), D.acts(b, layer), len(D.rows(a, layer)), len(D.rows(b, layer))


def _e2(claim: dict) -> str:
    e = checker.num(claim.get("eps", "0"), "eps")
    return f"({qnum(e)} * {qnum(e)})"


def _sets(claim: dict, key: str, nA: int, nB: int) -> tuple[list[int], list[int]]:
    if key not in claim:
        return list(range(nA)), list(range(nB))
    x, y = claim[key]
    return sorted(x), sorted(y)


def _max_parts(D: _Doc, claim: dict, w: dict) -> tuple[str, str, str, str, str, str]:
    """(A, B, trace, X, Y, coefficients) of a maximum-match witness (a gremoval trace when it has gram bounds)."""
    A, B, nA, nB = _pair(D, claim)
    X, Y = sorted(w["x"]), sorted(w["y"])
    cx = D.cover(w["x_in_y"], X, Y, nB, "x_in_y")
    cy = D.cover(w["y_in_x"], Y, X, nA, "y_in_x")
    if coq_grambound.uses_gram(w):
        e = checker.num(claim.get("eps", "0"), "eps")
        tr = coq_grambound.gram_trace(D, claim, w, _Skip, e * e)
    else:
        tr = D.trace(w, "removals")
    return A, B, tr, nats(X), nats(Y), f"{cx} {cy}"


def _activations(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    E = checker.matrix(c["equals"], "equals")
    stmt = f"mat_eq {D.acts(c['network'], c['layer'])} {qmat(E)}"
    return (stmt, "apply mat_eq_true") if v else (f"~ {stmt}", "apply mat_eq_false")


def _identical(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, _, _ = _pair(D, c)
    return (f"mat_eq {A} {B}", "apply mat_eq_true") if v else (f"~ mat_eq {A} {B}", "apply mat_eq_false")


def _dim_parts(D: _Doc, R: Any, w: dict) -> tuple[str, str, str, str]:
    """I P K cs of a dimension witness (K: the exact inverse of the pivot block, both-sided)."""
    basis, pivots = list(w["basis"]), list(w["pivots"])
    block = [[R.entry(b, p) for p in pivots] for b in basis]
    K = checker.matrix(w["inverse"], "inverse") if "inverse" in w else _inverse(block)
    cs = [D.dense(c, len(R), "coefficients") for c in w["coefficients"]]
    cs_aligned = [[c[b] for b in basis] for c in cs]  # coefficients of row i on the basis rows, in order
    return nats(basis), nats(pivots), qmat(K), qmat(cs_aligned)


def _dim_args(D: _Doc, R: Any, w: dict) -> str:
    return " ".join(_dim_parts(D, R, w))


def _inverse(block: list[list[Fraction]]) -> list[list[Fraction]]:
    """The inverse of a square matrix by Gauss-Jordan (a proposal: Coq checks block K = I)."""
    n = len(block)
    M = [list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(block)]
    for col in range(n):
        piv = next((r for r in range(col, n) if M[r][col] != 0), None)
        if piv is None:
            raise CertificateError("the pivot block is singular")
        M[col], M[piv] = M[piv], M[col]
        inv = 1 / M[col][col]
        M[col] = [x * inv for x in M[col]]
        for r in range(n):
            if r != col and M[r][col] != 0:
                f = M[r][col]
                M[r] = [x - f * y for x, y in zip(M[r], M[col])]
    return [r[n:] for r in M]


def _dimension(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A = D.acts(c["network"], c["layer"])
    args = _dim_args(D, D.rows(c["network"], c["layer"]), w)
    stmt = f"dim_span npoints {A} {c['equals']}%nat"
    if v:
        return stmt, f"apply (dim_true _ _ _ {args})"
    return f"~ {stmt}", f"apply (dim_false _ _ {w['dimension']}%nat {args} _)"  # the proved r, and r <> claimed


def _iso(D: _Doc, A: str, B: str, RA: Any, RB: Any, v: bool, w: dict) -> tuple[str, str]:
    ra, rb = w["first"]["dimension"], w["second"]["dimension"]
    a, b = _dim_args(D, RA, w["first"]), _dim_args(D, RB, w["second"])
    if v:
        return f"isomorphic npoints {A} {B}", f"apply (iso_true _ _ _ {ra}%nat {a} {b})"
    return f"~ isomorphic npoints {A} {B}", f"apply (iso_false _ _ _ {ra}%nat {rb}%nat {a} {b})"


def _isomorphic(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, _, _ = _pair(D, c)
    a, b = c["networks"]
    return _iso(D, A, B, D.rows(a, c["layer"]), D.rows(b, c["layer"]), v, w)


def _match(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, nA, nB = _pair(D, c)
    X, Y = _sets(c, "neurons", nA, nB)
    exact = c["kind"] == "exact_match"
    pred = "is_match npoints" if exact else f"is_ematch npoints {_e2(c)}"
    stmt = f"{pred} {A} {B} {nats(X)} {nats(Y)}"
    if v:
        cx, cy = D.cover(w["x_in_y"], X, Y, nB, "x_in_y"), D.cover(w["y_in_x"], Y, X, nA, "y_in_x")
        return stmt, f"apply ({'match_true' if exact else 'ematch_true'} _ {'' if exact else '_ '}_ _ _ _ {cx} {cy})"
    if coq_grambound.uses_gram(w):  # coq/Spectral.v: one gremoval
        e = checker.num(c.get("eps", "0"), "eps")
        a, b = c["networks"]
        r = coq_grambound.one(D, D.rows(a, c["layer"]), D.rows(b, c["layer"]), X, Y, w, e * e, "witness", _Skip)
        return f"~ {stmt}", f"apply ({'gmatch_false' if exact else 'gematch_false _'} _ _ _ _ _ {r})"
    r = D.removal(w, "witness")
    return f"~ {stmt}", f"apply ({'match_false' if exact else 'ematch_false'} _ {'' if exact else '_ '}_ _ _ _ {r})"


def _maximum(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, tr, X, Y, cs = _max_parts(D, c, w)
    nA, nB = len(D.rows(c["networks"][0], c["layer"])), len(D.rows(c["networks"][1], c["layer"]))
    if c["kind"] == "no_match":
        Xc, Yc = "[]", "[]"
    else:
        xc, yc = _sets(c, "equals", nA, nB)
        Xc, Yc = nats(xc), nats(yc)
    exact = c["kind"] in ("maximum_match", "no_match")
    pred = "is_max_match npoints" if exact else f"is_max_ematch npoints {_e2(c)}"
    stmt = f"{pred} {A} {B} {Xc} {Yc}"
    lemma = ("max_match" if exact else "max_ematch") + ("_true" if v else "_false")
    if coq_grambound.uses_gram(w):  # coq/Spectral.v: a trace with gram-bound removals
        lemma = "g" + lemma
    pre = "_ _ _ " if exact else "_ _ _ _ "  # d (e2) A B; then the proved X, Y
    if v:
        return stmt, f"apply ({lemma} {pre}_ _ {tr} {cs})"
    return f"~ {stmt}", f"apply ({lemma} {pre}{X} {Y} {tr} {cs} _ _)"


def _similarity(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, tr, X, Y, cs = _max_parts(D, c, w)
    s = qnum(checker.num(c["equals"], "equals"))
    stmt = f"match_similarity npoints {_e2(c)} {A} {B} {s}"
    args = f"_ _ _ _ {X} {Y} {tr} {cs} _"
    g = "g" if coq_grambound.uses_gram(w) else ""
    return (stmt, f"apply ({g}similarity_true {args})") if v else (f"~ {stmt}", f"apply ({g}similarity_false {args})")


def _member(ref: Any) -> str:
    side, i = ref
    return f"({'MX' if side == 'x' else 'MY'} {checker.integer(i, 'neuron')}%nat)"


def _simple_match(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, nA, nB = _pair(D, c)
    X, Y = (sorted(s) for s in c["neurons"])
    stmt = f"simple_match npoints {_e2(c)} {A} {B} {nats(X)} {nats(Y)}"
    if not X and not Y:
        return f"~ {stmt}", "apply simple_empty"  # no goal is left for vm_compute
    if not v and "side" in w:
        return f"~ {stmt}", f"apply (simple_not_match _ _ _ _ _ _ {D.removal(w, 'witness')})"
    if v:
        cx, cy = D.cover(w["x_in_y"], X, Y, nB, "x_in_y"), D.cover(w["y_in_x"], Y, X, nA, "y_in_x")
        ex = "; ".join(f"({_member(e['drop'])}, {D.trace(e, 'exclusions')})" for e in w["exclusions"])
        return stmt, f"apply (simple_true _ _ _ _ _ _ {cx} {cy} {_member(w['v'])} [{ex}])"
    parts = []
    for p in w["parts"]:
        px, py = sorted(p["x"]), sorted(p["y"])
        cx, cy = D.cover(p["x_in_y"], px, py, nB, "parts.x_in_y"), D.cover(p["y_in_x"], py, px, nA, "parts.y_in_x")
        parts.append(f"({nats(px)}, {nats(py)}, {cx}, {cy})")
    return f"~ {stmt}", f"apply (simple_parts _ _ _ _ _ _ [{'; '.join(parts)}])"


def _simple_matches(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, _, _ = _pair(D, c)
    claimed = []
    for p in checker.lst(c["equals"], "equals"):
        x, y = checker.lst(p, "equals", 2)
        claimed.append((sorted(set(checker.ints(x, "equals"))), sorted(set(checker.ints(y, "equals")))))
    return coq_simple.simple_matches(D, c, v, _Skip, A, B, _e2(c), checker.num(c.get("eps", "0"), "eps"), claimed)


def _cka(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, _, _ = _pair(D, c)
    keys = ("equals", "at_least", "at_most")
    squared = c.get("squared", False)
    if squared is not False or any(isinstance(c.get(k), str) and "sqrt" in c[k] for k in keys):
        def surd(key: str) -> str:  # c*sqrt(q) as the pair (c, q)
            if key not in c:
                return "None"
            t = checker.surd(c[key], key)
            return f"(Some ({qnum(t[0])}, {qnum(t[1])}))"

        sq = "true" if squared is True else "false"
        stmt = f"cka_surd_claim npoints {A} {B} {sq} {' '.join(surd(k) for k in keys)}"
        return (stmt, "apply cka_surd_true") if v else (f"~ {stmt}", "apply cka_surd_false")

    def opt(key: str) -> str:
        return f"(Some {qnum(checker.num(c[key], key))})" if key in c else "None"

    stmt = f"cka_claim npoints {A} {B} {' '.join(opt(k) for k in keys)}"
    return (stmt, "apply cka_true") if v else (f"~ {stmt}", "apply cka_false")


def _equal_functions(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    f, g = (D.net(n) for n in c["networks"])
    n = len(D.P.networks[c["networks"][0]][0]["weights"][0])
    rows = checker.domain_rows(c.get("domain"), n, "domain")
    dom = "[" + "; ".join(f"({'Le' if rel == '<=' else 'Eqc'} {qvec(a)} {qnum(b)})" for a, b, rel in rows) + "]"
    stmt = f"equal_on {n}%nat {dom} {f} {g}"
    if v:
        if "symmetry" in w:  # no tree in the certificate: the exporter proposes one, Coq checks it
            nets = [D.P.networks[name] for name in c["networks"]]
            tree = tree_for_symmetry(nets[0], nets[1], c.get("domain"))
            if tree is None:
                raise _Skip(f"equal_functions by a symmetry: no covering tree within {TREE_REGIONS} regions")
            w = tree
        outs = len(D.P.networks[c["networks"][0]][-1]["weights"])
        return stmt, f"apply (equal_functions_true _ _ _ _ {ftree(w, len(rows), outs)})"
    x = checker.vec(w["point"], "point", n)
    return f"~ {stmt}", f"apply (functions_differ _ _ _ _ {qvec(x)})"


def _equivalence(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    A, B, nA, nB = _pair(D, c)
    a, b = c["networks"]
    RA, RB = D.rows(a, c["layer"]), D.rows(b, c["layer"])
    if c.get("centered", False) is True:
        A, B = f"(center npoints {A})", f"(center npoints {B})"
        RA, RB = checker.centered(RA, D.d), checker.centered(RB, D.d)
    level = c["level"]
    if level == "isomorphic":
        return _iso(D, A, B, RA, RB, v, w)
    if level == "identical":
        return (f"mat_eq {A} {B}", "apply mat_eq_true") if v else (f"~ mat_eq {A} {B}", "apply mat_eq_false")
    if level == "similarity":
        return _similar(D, A, B, len(RA), len(RB), v, w)
    if level not in LADDER:
        raise _Skip(f"equivalence at level {level!r} is not in the Coq library")
    stmt = f"{LADDER[level]} npoints {A} {B}"
    if len(RA) != len(RB):
        if v:
            raise CertificateError("equivalence: the widths differ, so the verdict is false")
        return f"~ {stmt}", f"apply {level}_widths"
    if level == "scaled_permutation" and not v:  # a ray with more rows of A than of B
        i = checker.integer(w["neuron"], "neuron", 0, len(RA) - 1)
        q = next((j for j in range(D.d) if RA.entry(i, j) != 0), 0)  # a non-zero coordinate fixes the scale
        return f"~ {stmt}", f"apply (scaled_permutation_false _ _ _ {q}%nat (row {A} {i}%nat))"
    return _ladder(D, level, stmt, RA, RB, v, w)


def _similar(D: _Doc, A: str, B: str, nA: int, nB: int, v: bool, w: dict) -> tuple[str, str]:
    """similarity: |A w|^2 = s^2 |B w|^2 for every w (s > 0; the library's comment says why on squares)."""
    stmt = f"similar npoints {A} {B}"
    if nA != nB:
        if v:
            raise CertificateError("equivalence: the widths differ, so the verdict is false")
        return f"~ {stmt}", "apply similar_widths"
    if v:
        s2 = qnum(checker.num(w["scale_squared"], "scale_squared"))
        basis = checker.ints(w["basis"], "basis")
        CA, CB = (checker.matrix(w[k], k, nA, len(basis)) for k in ("a_coordinates", "b_coordinates"))
        return stmt, f"apply (similar_true _ _ _ {s2} {nats(basis)} {qmat(CA)} {qmat(CB)})"
    vs = [qvec(D.dense(x, D.d, "vectors")) for x in checker.lst(w["vectors"], "vectors")]
    if len(vs) == 1:
        return f"~ {stmt}", f"apply (similar_false1 _ _ _ {vs[0]})"
    return f"~ {stmt}", f"apply (similar_false2 _ _ _ {vs[0]} {vs[1]})"


def _ladder(D: _Doc, level: str, stmt: str, RA: Any, RB: Any, v: bool, w: dict) -> tuple[str, str]:
    """The permutation, scaled permutation, orthogonal and linear levels, for layers of equal width."""
    n = len(RA)
    if level == "linear":
        if v and "map" in w:
            M, N = (checker.matrix(w[k], k, n, n) for k in ("map", "inverse"))
            return stmt, f"apply (linear_true _ _ _ {qmat(M)} {qmat(N)})"
        if not v:
            return f"~ {stmt}", f"apply (linear_false _ _ _ {D.removal(w, 'witness')})"
        M, N = linear_map(RA.frac, RB.frac)  # computed here (not trusted): Coq checks M B = A and M N = N M = I
        return stmt, f"apply (linear_true _ _ _ {qmat(M)} {qmat(N)})"
    if level == "orthogonal":
        if not v:
            return f"~ {stmt}", f"apply (orthogonal_false _ _ _ {qvec(D.dense(w['vector'], D.d, 'vector'))})"
        Q = checker.matrix(w["map"], "map", n, n) if "map" in w else orthogonal_map(RA.frac, RB.frac)  # checked by Coq
        return stmt, f"apply (orthogonal_true _ _ _ {qmat(Q)})"
    if not v and level == "permutation":  # a row with more copies in A than in B
        return f"~ {stmt}", f"apply (permutation_false _ _ _ {checker.integer(w['neuron'], 'neuron')}%nat)"
    if not v:
        raise _Skip(f"equivalence at level {level!r} with verdict false is not in the Coq library")
    perm = nats(checker.ints(w["permutation"], "permutation"))
    if level == "permutation":
        return stmt, f"apply (permutation_true _ _ _ {perm})"
    scales = qvec([checker.num(x, "scales") for x in w["scales"]])
    return stmt, f"apply (scaled_permutation_true _ _ _ {perm} {scales})"


#: The ladder levels the Coq library states, with their Coq definitions.
LADDER = {"permutation": "permutation_equiv", "scaled_permutation": "scaled_permutation_equiv",
          "orthogonal": "orthogonal_equiv", "linear": "linear_equiv"}


def _relation(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    if isinstance(c.get("left"), dict) and c["left"].get("measure") in coq_spectral.RELATION_KINDS:
        return coq_spectral.relation(D, c, v, w, _Skip)
    return coq_relations.relation(D, c, v, w, _Skip)


def _invariance(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    if c.get("measure") in coq_spectral.RELATION_KINDS and isinstance(c.get("transform"), dict):
        return coq_spectral.invariance(D, c, v, w, _Skip, lambda m, n: coq_relations._member(D, m, n, w.get("inverse")),
                                       coq_relations._apply)
    return coq_relations.invariance(D, c, v, w, _Skip)


def _triangle(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    if c.get("distance") == "procrustes":
        return coq_spectral.triangle(D, c, v, w, _Skip)
    return coq_relations.triangle(D, c, v, w, _Skip)


def _procrustes(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    return coq_spectral.procrustes(D, c, v, w, _Skip)


def _angular(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    return coq_spectral.angular(D, c, v, w, _Skip)


def _shape(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    if checker.num(c["alpha"], "alpha") != 1:
        return coq_cca.shape0(D, c, v, w, _Skip)
    return coq_spectral.angular(D, c, v, w, _Skip)


def _cca(D: _Doc, c: dict, v: bool, w: dict) -> tuple[str, str]:
    return coq_cca.cca_exact(D, c, v, w, _Skip, lambda R, dw: "(" + ", ".join(_dim_parts(D, R, dw)) + ")")


#: The statements of coq/Spectral.v (a file with one of them imports it).
SPECTRAL_STATEMENTS = ("procrustes_claim", "angular_claim", "cca_exact_claim", "procrustes_triangle", "cca_claim",
                       "cca_invariant_over", "svcca_exact_claim", "shape0_claim", "svcca_claim", "pwcca_claim")
#: Lemmas of coq/Spectral.v about statements of coq/Symrep.v (a proof with one of them imports it too).
SPECTRAL_LEMMAS = ("cka_orthogonal_invariant", "cka_permutation_invariant", "gmax_ematch_true", "gmax_ematch_false",
                   "gsimilarity_true", "gsimilarity_false", "gematch_false", "gmax_match_true", "gmax_match_false",
                   "gmatch_false")

KINDS: dict[str, Callable[[_Doc, dict, bool, dict], tuple[str, str]]] = {
    "procrustes": _procrustes,
    "angular_procrustes": _angular,
    "shape": _shape,
    "cca": _cca,
    "pwcca": _cca,
    "svcca": lambda D, c, v, w: coq_cca.svcca_exact(D, c, v, w, _Skip),
    "activations": _activations,
    "identical": _identical,
    "dimension": _dimension,
    "isomorphic": _isomorphic,
    "exact_match": _match,
    "approx_match": _match,
    "maximum_match": _maximum,
    "no_match": _maximum,
    "maximum_approx_match": _maximum,
    "match_similarity": _similarity,
    "cka": _cka,
    "equal_functions": _equal_functions,
    "equivalence": _equivalence,
    "simple_match": _simple_match,
    "simple_matches": _simple_matches,
    "relation": _relation,
    "invariance": _invariance,
    "triangle": _triangle,
}


def _gate(cert: dict) -> None:
    """Refuse what the independent checker rejects."""
    try:
        reports = checker.check_certificate(cert)
    except checker.Reject as e:
        raise CertificateError(f"certificate rejected by the checker, not exported: {e}") from None
    bad = [r for r in reports if not r["valid"]]
    if bad:
        raise CertificateError(f"certificate rejected by the checker, not exported: {bad[0]['message']}"
                               + (f" (and {len(bad) - 1} more claims)" if len(bad) > 1 else ""))


def _header(cert: dict, D: _Doc) -> list[str]:
    p = cert["problem"]
    out = ["(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim",
           "   with the definitions of coq/Symrep.v and proves it from the certificate's witness.",
           f"   Title: {safe_comment(p.get('title', ''))[:200]} *)", "",
           f"From {LIBRARY_NAME} Require Import Symrep.", "From Coq Require Import QArith List.",
           "Import ListNotations.", "Open Scope Q_scope.", "",
           "(* the data points, one list per point *)",
           f"Definition inputs : mat := {qmat(D.P.inputs)}.",
           "Definition npoints : nat := length inputs.", ""]
    for k, (name, layers) in enumerate(D.P.networks.items()):
        ls = "; ".join(f"mk_layer {qmat(L['weights'])} {qvec(L['bias'])} {'Relu' if L['activation'] == 'relu' else 'Identity'}"
                       for L in layers)
        out += [f"(* network {safe_comment(name)[:80]} *)", f"Definition net_{k} : network := [{ls}].", ""]
    return out


def export_coq(cert: dict, *, gate: bool = True, fail: bool = False) -> CoqExport:
    """The Coq file of a parsed certificate.

    ``gate`` (default) runs the independent checker first and refuses a certificate it rejects;
    ``gate=False`` and ``fail=True`` serve the tamper tests only: every theorem is written as a
    ``Fail`` command, so coqc accepts the file exactly when no proof goes through.
    """
    if gate:
        _gate(cert)
    if cert.get("format") == checker.PARAMETRIC_FORMAT:  # families of networks: coq/Parametric.v
        return _export_parametric(cert, fail)
    try:
        D = _Doc(cert)
    except (checker.Reject, KeyError, TypeError) as e:
        raise CertificateError(f"certificate cannot be read: {e}") from None
    body: list[str] = []
    proved, skipped = [], []
    for k, (c, r) in enumerate(zip(D.P.claims, cert["results"])):
        kind = c.get("kind")
        try:
            if not isinstance(r.get("verdict"), bool):  # "undecided" (newer certificates) proves nothing
                raise _Skip(f"verdict {r.get('verdict')!r}: nothing to prove")
            if kind not in KINDS:
                raise _Skip(f"kind {kind!r} is not covered by the Coq library")
            stmt, tac = KINDS[kind](D, c, bool(r["verdict"]), r["witness"])
        except _Skip as e:
            skipped.append((str(c.get("id")), str(kind), str(e)))
            continue
        except (checker.Reject, KeyError, TypeError, ValueError, IndexError) as e:
            raise CertificateError(f"claim {c.get('id')!r}: the witness cannot be translated: {e}") from None
        name = _ident(k, c.get("id"))
        body += [f"(* claim {safe_comment(c.get('id'))[:120]} ({kind}), verdict {str(bool(r['verdict'])).lower()}",
                 f"   {safe_comment(c.get('statement', ''))[:400]} *)"]
        proof = f"{tac}; vm_compute; reflexivity"
        if fail:
            body += [f"Fail Definition {name} : {stmt} := ltac:({proof}).", ""]
        else:
            body += [f"Theorem {name} : {stmt}.", f"Proof. {proof}. Qed.", ""]
        proved.append(str(c.get("id")))
    head = _header(cert, D)
    # (in a Fail file, statement and proof share the "Fail Definition" line: it must import Spectral.v too,
    # else every Fail would hold for want of a name)
    starts = ("Theorem ", "Fail ")
    if (any(f" {name} npoints " in line for line in body if line.startswith(starts) for name in SPECTRAL_STATEMENTS)
            or any(f"({name}" in line or f" {name};" in line for line in body if line.startswith(("Proof. ", "Fail "))
                   for name in SPECTRAL_LEMMAS)):
        at = head.index(f"From {LIBRARY_NAME} Require Import Symrep.")
        head[at] = f"From {LIBRARY_NAME} Require Import Symrep Spectral."
        head[1] = "   with the definitions of coq/Symrep.v and coq/Spectral.v and proves it from the certificate's witness."
    why_skipped = [f"   - {safe_comment(i)[:80]} ({k}): {safe_comment(why)}" for i, k, why in skipped]
    head.insert(3, "(* Claims proved: " + str(len(proved)) + "; skipped (not covered by the Coq library): "
                + str(len(skipped)) + (".\n" + "\n".join(why_skipped) if why_skipped else ".") + " *)")
    return CoqExport("\n".join(head + body) + "\n", proved, skipped)


def _export_parametric(cert: dict, fail: bool) -> CoqExport:
    try:
        fam_head, body, proved, skipped = coq_parametric.export_parametric(
            cert, KINDS, lambda doc, refs: _Doc(doc, refs), _ident, safe_comment, qnum, fail)
    except (checker.Reject, KeyError, TypeError) as e:
        raise CertificateError(f"certificate cannot be read: {e}") from None
    p = cert["problem"]
    head = ["(* Exported by `symrep coq` from a symrep parametric certificate (docs/parametric.md). Every theorem",
            "   below states one claim about a family of networks with the definitions of coq/Symrep.v and",
            "   coq/Parametric.v (the parameters range over the rationals) and proves it from the certificate.",
            f"   Title: {safe_comment(p.get('title', ''))[:200]} *)", "",
            f"From {LIBRARY_NAME} Require Import Symrep Parametric.", "From Coq Require Import QArith List.",
            "Import ListNotations.", "Open Scope Q_scope.", "",
            "(* the data points, one list per point *)",
            f"Definition inputs : mat := {qmat(checker.matrix(p['data']['inputs'], 'inputs'))}.",
            "Definition npoints : nat := length inputs.", "", *fam_head]
    why_skipped = [f"   - {safe_comment(i)[:80]} ({k}): {safe_comment(why)}" for i, k, why in skipped]
    head.insert(4, "(* Claims proved: " + str(len(proved)) + "; skipped (not covered by the Coq library): "
                + str(len(skipped)) + (".\n" + "\n".join(why_skipped) if why_skipped else ".") + " *)")
    return CoqExport("\n".join(head + body) + "\n", proved, skipped)


def export_file(path: str | os.PathLike, out: str | os.PathLike) -> CoqExport:
    """Read a certificate file, export it, write the Coq file."""
    try:
        doc = checker.load(str(path))
    except checker.Unreadable as e:
        raise CertificateError(f"{path}: {e}") from None
    if not isinstance(doc, dict):
        raise CertificateError(f"{path}: not a symrep certificate")
    result = export_coq(doc)
    Path(out).write_text(result.text, encoding="utf-8")
    return result


def library_path() -> Path:
    """coq/Symrep.v of this checkout."""
    p = Path(__file__).resolve().parents[2] / "coq" / "Symrep.v"
    if not p.is_file():
        raise MissingDependency(f"the Coq library {p} is missing (symrep coq needs a source checkout)")
    return p


def library_files() -> list[Path]:
    """The library's files in build order: coq/Symrep.v, then coq/Spectral.v and coq/Parametric.v (which require it)."""
    first = library_path()
    rest = [first.with_name("Spectral.v"), first.with_name("Parametric.v")]
    for f in rest:
        if not f.is_file():
            raise MissingDependency(f"the Coq library {f} is missing (symrep coq needs a source checkout)")
    return [first, *rest]


def _cache_dir(coqc: str) -> Path:
    lib = b"".join(p.read_bytes() + b"\0" for p in library_files())
    version = subprocess.run([coqc, "--print-version"], capture_output=True, text=True, check=False).stdout
    key = hashlib.sha256(lib + version.encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "symrep" / "coq" / key
    return base


def build_library(coqc: str) -> Path:
    """Compile the library (coq/Symrep.v, Spectral.v, Parametric.v) once into a cache directory keyed by its text and coqc."""
    cache = _cache_dir(coqc)
    files = library_files()
    if all((cache / f.with_suffix(".vo").name).is_file() for f in files):
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=cache.parent))
    for f in files:
        shutil.copy(f, tmp / f.name)
        run = subprocess.run([coqc, "-Q", str(tmp), LIBRARY_NAME, str(tmp / f.name)],  # cwd: lia's caches
                             capture_output=True, text=True, check=False, cwd=tmp)
        if run.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise CertificateError(f"coq/{f.name} does not compile: {run.stdout[-400:]}{run.stderr[-400:]}")
    try:
        tmp.rename(cache)
    except OSError:  # built concurrently by another process: use theirs
        shutil.rmtree(tmp, ignore_errors=True)
    return cache


def compile_coq(vfile: str | os.PathLike, timeout: float = 600) -> tuple[int, str]:
    """Compile an exported file with coqc: (0, '') accepted, (1, coqc's message) rejected, (2, why) no coq."""
    coqc = shutil.which("coqc")
    if coqc is None:
        return 2, "coqc is not installed (Debian: apt-get install coq)"
    cache = build_library(coqc)
    with tempfile.TemporaryDirectory() as work:  # compile a copy: the .vo, .glob files stay out of the user's folder
        target = Path(work) / "Claims.v"
        shutil.copy(vfile, target)
        try:
            run = subprocess.run([coqc, "-Q", str(cache), LIBRARY_NAME, str(target)],
                                 capture_output=True, text=True, check=False, timeout=timeout, cwd=work)
        except subprocess.TimeoutExpired:
            return 1, f"coqc did not finish in {timeout} s"
    if run.returncode != 0:
        return 1, (run.stdout + run.stderr).strip()[-2000:]
    return 0, ""
