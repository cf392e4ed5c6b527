"""``relation`` and ``invariance`` claims as Coq theorems (``relation_claim`` of ``coq/Symrep.v``).

A side is a quantity: ``QCka A B`` (CKA), ``QMatch (eps*eps) A B`` (the similarity of the maximum
eps-match, with its removal trace as the witness), ``QKnn k A B`` (mutual k-NN, when no tie straddles
the k-th place: one value, computed by Coq; with a tie, ``TKnn k A B``, the set of values over every
tie-breaking, and the claim is ``relation_every``: the relation for every value of each side),
``QRsa eucl spear A B`` (RSA, when >= 0) or ``QSurd c q`` (the constant ``c sqrt(q)``).
All are >= 0, so Coq compares them through their squares.  ``1 - M`` against ``1 - M'`` (or
``arccos M`` against ``arccos M'``) is the relation of ``M'`` to ``M``: the theorem states that,
with the original in the comment.  Other measures (the spectral ones), negative RSA,
mixed forms, and ``1 - M`` against a constant are skipped by name.  An invariance claim states
``relation_claim d (Q (T A) B) OEq (Q A B)`` with the transform ``T`` written with ``tr_scale``,
``tr_shift`` or ``tr_matrix``: equality does not depend on the form (``1 - M`` or ``arccos M``).
Invariance over a named family (``invariant_over``) is refuted by one member, which Coq re-checks
to be in the family; a true verdict (every member) is proved for CKA under scalings, translations,
orthogonal maps and permutations (lemmas proved once for all members) and skipped by name otherwise.

>>> OPS[">="]
'OGe'
"""

from __future__ import annotations

from fractions import Fraction
from math import isqrt
from typing import Any, Callable

from symrep import checker

__all__ = ["relation", "invariance", "triangle", "OPS"]

OPS = {"<=": "OLe", "<": "OLt", "==": "OEq", ">=": "OGe", ">": "OGt"}
FORMS = ("1 - ", "arccos ")


def _split(text: Any) -> tuple[str, str]:
    if not isinstance(text, str):
        raise ValueError("measure must be text")
    form = next((f for f in FORMS if text.startswith(f)), "")
    return form, text[len(form):]


def _tie_free(R: list, k: int, d: int) -> bool:
    """No zero feature vector, and no tie at the k-th place of any point's neighbours (the Coq definition's domain)."""
    P = [[r[p] for r in R] for p in range(d)]
    norms = [sum(x * x for x in p) for p in P]
    if 0 in norms:
        return False
    for i, u in enumerate(P):
        key = {j: (lambda t: t * abs(t) / norms[j])(sum(x * y for x, y in zip(u, q))) for j, q in enumerate(P) if j != i}
        if sum(1 for j in key if sum(1 for l in key if key[l] > key[j]) < k) != k:
            return False
    return True


def _candidates(R: list, k: int, d: int) -> int:
    """The most candidates of a point (other points with fewer than k strictly nearer: Coq's `knn`)."""
    P = [[r[p] for r in R] for p in range(d)]
    norms = [sum(x * x for x in p) for p in P]
    most = 0
    for i, u in enumerate(P):
        key = {j: (lambda t: t * abs(t) / norms[j])(sum(x * y for x, y in zip(u, q))) for j, q in enumerate(P) if j != i}
        most = max(most, sum(1 for j in key if sum(1 for l in key if key[l] > key[j]) < k))
    return most


def _knn(spec: str, rows: Any, d: int, skip: Callable[[str], Exception], ties: list | None = None) -> int:
    """k of mutual_knn:k, when the value is defined and tie-free on both sides.  With a list ``ties``, a tie at
    the k-th place is allowed (the range over every tie-breaking, ``TKnn``): True is appended to it then."""
    arg = spec.partition(":")[2]
    if not (arg.isdigit() and len(arg) <= 6):
        raise skip(f"measure {spec[:40]!r}: k must be a number")
    k = int(arg)
    defined = rows is not None and 1 <= k < d and not any(sum(r[p] * r[p] for r in R) == 0 for R in rows for p in range(d))
    if defined and ties is not None and not all(_tie_free(R, k, d) for R in rows):
        if max(_candidates(R, k, d) for R in rows) > 12:  # Coq lists every subset of each point's candidates (2^c)
            raise skip("mutual_knn with a tie of more than 12 candidates at the k-th place is not stated in Coq")
        ties.append(True)
        return k
    if not defined or not all(_tie_free(R, k, d) for R in rows):
        raise skip("mutual_knn with a tie at the k-th place (a range of values), a zero feature vector or k out of "
                   "range is not stated in Coq")
    return k


#: The RSA variants the checker re-derives, as the arguments (eucl, spear) of the library's QRsa.
RSA = {"euclidean,pearson": "true false", "euclidean,spearman": "true true", "correlation,spearman": "false true"}


def _rsa(spec: str, rows: Any, d: int, skip: Callable[[str], Exception]) -> str:
    """QRsa eucl spear, when the value is defined and >= 0 on the given rows (the Coq quantity is >= 0)."""
    arg = spec.partition(":")[2]
    if arg not in RSA:
        raise skip(f"measure {spec[:40]!r} is not in the Coq library")
    if rows is not None:
        rdm, comparison = arg.split(",")
        v = checker.rsa(checker.Rows.of(rows[0]), checker.Rows.of(rows[1]), rdm, comparison, "coq export")
        if v is None or v[0] < 0:
            raise skip("rsa undefined or negative: not stated in Coq (its quantities are >= 0)")
    return f"QRsa {RSA[arg]}"


def _undefined(spec: str, rows: tuple[list, list], d: int) -> bool:
    """Whether symrep's value is undefined (so Coq's is too): CKA of a constant layer; mutual_knn with k out of
    range or a zero feature vector (not ties, where Coq's value is undefined but symrep's a range)."""
    if spec == "cka":
        return checker.cka_squared(checker.Rows.of(rows[0]), checker.Rows.of(rows[1]), d) is None
    name, _, arg = spec.partition(":")
    if name == "mutual_knn" and arg.isdigit() and len(arg) <= 6:
        return not 1 <= int(arg) < d or any(sum(r[p] * r[p] for r in R) == 0 for R in rows for p in range(d))
    if name == "rsa" and arg in RSA:
        rdm, comparison = arg.split(",")
        return checker.rsa(checker.Rows.of(rows[0]), checker.Rows.of(rows[1]), rdm, comparison, "coq export") is None
    return False


def _quantity(D: Any, spec: str, A: str, B: str, nA: int, nB: int, ev: Any, skip: Callable[[str], Exception],
              rows: Any = None, ties: list | None = None) -> tuple[str, str]:
    """(quantity, witness) Coq terms of a measure of the matrices A, B (nA, nB neurons; rows: their values).
    With a list ``ties``: a mutual k-NN with a tie at the k-th place is ``TKnn`` (a tquantity), marked in it."""
    if spec == "cka":
        return f"(QCka {A} {B})", "WNone"
    name, _, arg = spec.partition(":")
    if name == "mutual_knn":
        before = len(ties) if ties is not None else 0
        k = _knn(spec, rows, D.d, skip, ties)
        if ties is not None and len(ties) > before:
            return f"(TKnn {k}%nat {A} {B})", "WNone"
        return f"(QKnn {k}%nat {A} {B})", "WNone"
    if name == "rsa":
        return f"({_rsa(spec, rows, D.d, skip)} {A} {B})", "WNone"
    if name == "match_similarity" and arg:
        e = checker.num(arg, "eps")
        X, Y = sorted(ev["x"]), sorted(ev["y"])
        cx, cy = D.cover(ev["x_in_y"], X, Y, nB, "x_in_y"), D.cover(ev["y_in_x"], Y, X, nA, "y_in_x")
        tr = D.trace(ev, "removals")
        nat = "[" + "; ".join(f"{i}%nat" for i in X) + "]", "[" + "; ".join(f"{i}%nat" for i in Y) + "]"
        q = f"(({e.numerator}#{e.denominator}) * ({e.numerator}#{e.denominator}))"
        return f"(QMatch {q} {A} {B})", f"(WMatch {nat[0]} {nat[1]} {tr} {cx} {cy})"
    raise skip(f"measure {spec[:40]!r} is not in the Coq library (cka, match_similarity, mutual_knn and rsa are)")


def _apply(t: dict, F: list) -> list:
    """The rows of a transformed representation (as tr_scale, tr_shift, tr_matrix compute them)."""
    (how, v), = t.items()
    if how == "scale":
        c = checker.num(v, "scale")
        return [[c * x for x in r] for r in F]
    if how == "translation":
        return [[x + checker.num(s, "translation") for x in r] for r, s in zip(F, v)]
    T = checker.matrix(v, "matrix", len(F))
    return [[sum((T[i][j] * F[i][p] for i in range(len(F))), Fraction(0)) for p in range(len(F[0]) if F else 0)]
            for j in range(len(T[0]) if T else 0)]


def _surd(text: Any, skip: Callable[[str], Exception]) -> tuple[str, str]:
    c, q = checker.surd(text, "value")
    if c < 0:
        raise skip("a negative constant is not stated (quantities are >= 0)")
    return f"(QSurd ({c.numerator}#{c.denominator}) ({q.numerator}#{q.denominator}))", "WNone"


def relation(D: Any, c: dict, v: bool, w: dict, skip: Callable[[str], Exception]) -> tuple[str, str]:
    """The statement and proof of a relation claim."""
    sides: list[tuple[str, str]] = []
    forms: list[str | None] = []
    undefined = False
    ties: list[bool] = []
    for key in ("left", "right"):
        s = c[key]
        if "value" in s:
            sides.append(_surd(s["value"], skip))
            forms.append(None)
            continue
        form, spec = _split(s["measure"])
        (a, la), (b, lb) = zip(s["networks"], s["layers"])
        A, B = D.acts(a, la), D.acts(b, lb)
        RA, RB = D.rows(a, la), D.rows(b, lb)
        if "undefined" in w:  # Coq's definition decides which side; symrep's must be undefined somewhere
            undefined |= _undefined(spec, (RA.frac, RB.frac), D.d)
            sides.append((f"({_measure_fn(D, spec, skip)} {A} {B})", "WNone"))
        else:
            sides.append(_quantity(D, spec, A, B, len(RA), len(RB), w[key], skip, (RA.frac, RB.frac), ties))
        forms.append(form)
    known = [f for f in forms if f is not None]
    if len(set(known)) > 1 or (len(known) == 1 and known[0]):
        raise skip("a relation between different forms (M, 1 - M, arccos M), or of 1 - M with a constant, is not stated")
    (L, wl), (R, wr) = sides
    if known and known[0]:  # 1 - M o 1 - M' (arccos likewise) is M' o M
        (L, wl), (R, wr) = (R, wr), (L, wl)
    if ties:  # a range of values (mutual k-NN ties): the relation for every tie-breaking of each side
        return _every(L, wl, R, wr, c["relation"], v, w)
    stmt = f"relation_claim npoints {L} {OPS[c['relation']]} {R}"
    if "undefined" in w:
        if v:  # the statement follows the verdict (past the gate only): an attempt Coq rejects
            return stmt, "apply (relation_true _ _ WNone _ _ WNone)"
        if not undefined:
            raise skip("stated undefined where symrep's value is defined: not stated")
        return f"~ {stmt}", "apply relation_undefined"
    if v:
        return stmt, f"apply (relation_true _ _ {wl} _ _ {wr})"
    return f"~ {stmt}", f"apply (relation_false _ _ {wl} _ _ {wr})"


def _tq(q: str) -> str:
    return q if q.startswith("(TKnn ") else f"(TQ {q})"


def _every(L: str, wl: str, R: str, wr: str, rel: str, v: bool, w: dict) -> tuple[str, str]:
    """relation_every: L rel R for every value of each side (a side a mutual k-NN range).  A verdict false is
    stated as the strict relation every tie-breaking gives instead (symrep decides a range only so): for
    ``>``, ``>=`` it is ``<``, for ``<``, ``<=`` it is ``>``, for ``==`` the side of the witness's sign, which the
    checker recomputed (past the gate a wrong sign gives a statement Coq rejects)."""
    if v:
        op = OPS[rel]
    else:
        sign = {">": -1, ">=": -1, "<": 1, "<=": 1}.get(rel, w.get("sign"))
        op = "OGt" if sign == 1 else "OLt"
    return f"relation_every npoints {_tq(L)} {op} {_tq(R)}", f"apply (relation_every_true _ _ {wl} _ _ {wr})"


def _transformed(D: Any, t: dict, A: str, n: int) -> tuple[str, int]:
    (how, v), = t.items()
    if how == "scale":
        x = checker.num(v, "scale")
        return f"(tr_scale ({x.numerator}#{x.denominator}) {A})", n
    if how == "translation":
        s = [checker.num(x, "translation") for x in checker.lst(v, "translation", n)]
        return "(tr_shift [" + "; ".join(f"({x.numerator}#{x.denominator})" for x in s) + f"] {A})", n
    T = checker.matrix(v, "matrix", n)
    rows = "[" + "; ".join("[" + "; ".join(f"({x.numerator}#{x.denominator})" for x in r) + "]" for r in T) + "]"
    return f"(tr_matrix npoints {rows} {A})", len(T[0])


def invariance(D: Any, c: dict, v: bool, w: dict, skip: Callable[[str], Exception]) -> tuple[str, str]:
    """The statement and proof of an invariance claim: the measure after the transform equals it before."""
    if not isinstance(c.get("transform"), dict):
        raise skip("the transform is not a table")
    if "family" in c["transform"]:
        return _family(D, c, v, w, skip)
    a, b = c["networks"]
    A, B = D.acts(a, c["layer"]), D.acts(b, c["layer"])
    nA, nB = len(D.rows(a, c["layer"])), len(D.rows(b, c["layer"]))
    _, spec = _split(c["measure"])
    TA, nT = _transformed(D, c["transform"], A, nA)
    if "undefined" in w:
        RA, RB = D.rows(a, c["layer"]).frac, D.rows(b, c["layer"]).frac
        if not (_undefined(spec, (_apply(c["transform"], RA), RB), D.d) or _undefined(spec, (RA, RB), D.d)):
            raise skip("stated undefined where symrep's value is defined: not stated")
        M = _measure_fn(D, spec, skip)
        stmt = f"relation_claim npoints ({M} {TA} {B}) OEq ({M} {A} {B})"
        return (stmt, "apply (relation_true _ _ WNone _ _ WNone)") if v else (f"~ {stmt}", "apply relation_undefined")
    RA, RB = D.rows(a, c["layer"]).frac, D.rows(b, c["layer"]).frac
    ties: list[bool] = []
    after, wa = _quantity(D, spec, TA, B, nT, nB, w["after"], skip, (_apply(c["transform"], RA), RB), ties)
    before, wb = _quantity(D, spec, A, B, nA, nB, w["before"], skip, (RA, RB), ties)
    if ties:  # a range: symrep decides only "every value after differs from every value before" (verdict false)
        if v:
            raise skip("invariance of a mutual k-NN range (ties) with verdict true is not stated in Coq")
        # the witness's sign is of after - before in the claim's form: 1 - M and arccos M fall as M rises
        flip = -1 if _split(c["measure"])[0] else 1
        return _every(after, wa, before, wb, "==", v, {"sign": flip * w.get("sign", 0)})
    stmt = f"relation_claim npoints {after} OEq {before}"
    if v:
        return stmt, f"apply (relation_true _ _ {wa} _ _ {wb})"
    return f"~ {stmt}", f"apply (relation_false _ _ {wa} _ _ {wb})"


#: The families of transforms, as the library's `family` constructors.
FAMILIES = {"orthogonal": "FOrthogonal", "permutation": "FPermutation", "isotropic_scaling": "FScaling",
            "translation": "FTranslation", "invertible_linear": "FInvertible"}


def _measure_fn(D: Any, spec: str, skip: Callable[[str], Exception]) -> str:
    """The measure as a Coq function mat -> mat -> quantity."""
    if spec == "cka":
        return "QCka"
    name, _, arg = spec.partition(":")
    if name == "match_similarity" and arg:
        e = checker.num(arg, "eps")
        return f"(QMatch (({e.numerator}#{e.denominator}) * ({e.numerator}#{e.denominator})))"
    if name == "mutual_knn":
        return f"(QKnn {_knn(spec, [], D.d, skip)}%nat)"  # no rows: ties are checked on the member's values
    if name == "rsa":
        return f"({_rsa(spec, None, D.d, skip)})"
    raise skip(f"measure {spec[:40]!r} is not in the Coq library (cka, match_similarity, mutual_knn and rsa are)")


def _member(D: Any, member: dict, n: int, inverse: Any) -> tuple[str, str]:
    """(transform, inverse) Coq terms of the witness's member of the family."""
    (how, v), = member.items()
    if how == "scale":
        x = checker.num(v, "scale")
        return f"(TScale ({x.numerator}#{x.denominator}))", "[]"
    if how == "translation":
        return f"(TShift {_qv([checker.num(x, 'translation') for x in checker.lst(v, 'translation', n)])})", "[]"
    T = checker.matrix(v, "member", n, n)
    N = checker.matrix(inverse, "inverse", n, n) if inverse is not None else [[Fraction(0)] * n for _ in range(n)]
    return f"(TMat {_qm(T)})", _qm(N)


def _qv(v: list) -> str:
    return "[" + "; ".join(f"({x.numerator}#{x.denominator})" for x in v) + "]"


def _qm(m: list) -> str:
    return "[" + "; ".join(_qv(r) for r in m) + "]"


def _family(D: Any, c: dict, v: bool, w: dict, skip: Callable[[str], Exception]) -> tuple[str, str]:
    """Invariance over a named family: refuted by one member (Coq re-checks membership); a true verdict,
    a statement about every member, by a lemma proved once for all of them (CKA only)."""
    fam = c["transform"]["family"]
    if fam not in FAMILIES:
        raise skip(f"family {str(fam)[:30]!r} is not in the Coq library")
    a, b = c["networks"]
    A, B = D.acts(a, c["layer"]), D.acts(b, c["layer"])
    nA, nB = len(D.rows(a, c["layer"])), len(D.rows(b, c["layer"]))
    _, spec = _split(c["measure"])
    if spec == "cca" and v and fam in ("invertible_linear", "orthogonal", "permutation"):  # coq/Spectral.v, section 8
        if not all(any(x for r in checker.centered(D.rows(n, c["layer"]), D.d).frac for x in r) for n in (a, b)):
            raise skip("cca of a constant layer: undefined, not stated")
        which = {"invertible_linear": "invertible", "orthogonal": "orthogonal", "permutation": "permutation"}[fam]
        return f"cca_invariant_over npoints {FAMILIES[fam]} {A} {B}", f"apply cca_{which}_invariant"
    M = _measure_fn(D, spec, skip)
    stmt = f"invariant_over npoints {FAMILIES[fam]} {M} {A} {B}"
    if v:  # proved once for every member in the library: CKA under scalings, translations (Symrep.v),
        # orthogonal maps and permutations (Spectral.v, through the centred Gram)
        lemma = {"isotropic_scaling": "scaling", "translation": "translation", "orthogonal": "orthogonal",
                 "permutation": "permutation"}.get(fam)
        if spec == "cka" and lemma is not None:
            return stmt, f"apply cka_{lemma}_invariant"
        raise skip(f"invariance over every {fam} map (verdict true) needs a proof for all members: not in the Coq library")
    if "member" not in w:  # a flipped verdict, past the gate only: the identity, which Coq never accepts
        idm = [[Fraction(int(i == j)) for j in range(nA)] for i in range(nA)]
        t, N = {"FScaling": ("(TScale 1)", "[]"), "FTranslation": (f"(TShift {_qv([Fraction(0)] * nA)})", "[]")}.get(
            FAMILIES[fam], (f"(TMat {_qm(idm)})", _qm(idm)))
        return f"~ {stmt}", f"apply (family_false _ _ _ _ _ {t} {N} WNone WNone)"
    t, N = _member(D, w["member"], nA, w.get("inverse"))
    TA = f"(apply_tr npoints {t} {A})"
    RA, RB = D.rows(a, c["layer"]).frac, D.rows(b, c["layer"]).frac
    if "undefined" in w:
        if not (_undefined(spec, (_apply(w["member"], RA), RB), D.d) or _undefined(spec, (RA, RB), D.d)):
            raise skip("stated undefined where symrep's value is defined: not stated")
        return f"~ {stmt}", f"apply (family_undefined _ _ _ _ _ {t} {N})"
    _, wa = _quantity(D, spec, TA, B, nA, nB, w["after"], skip, (_apply(w["member"], RA), RB))
    _, wb = _quantity(D, spec, A, B, nA, nB, w["before"], skip, (RA, RB))
    return f"~ {stmt}", f"apply (family_false _ _ _ _ _ {t} {N} {wa} {wb})"


def _rational_sqrt(x: Fraction) -> Fraction | None:
    """sqrt(x) when it is rational."""
    if x < 0:
        return None
    n, d = isqrt(x.numerator), isqrt(x.denominator)
    return Fraction(n, d) if n * n == x.numerator and d * d == x.denominator else None


def _floor_sqrt(x: Fraction, scale: int) -> Fraction:
    """A rational p >= 0 with p^2 <= x (x >= 0), within 1/scale of sqrt(x)."""
    return Fraction(isqrt(x.numerator * scale * scale // x.denominator), scale)


def _ceil_sqrt(x: Fraction, scale: int) -> Fraction:
    """A rational r >= 0 with r^2 >= x (x >= 0), within 2/scale of sqrt(x)."""
    n = -(-x.numerator * scale * scale // x.denominator)
    r = isqrt(n)
    return Fraction(r if r * r >= n else r + 1, scale)


def ssl(P: Fraction, Q: Fraction, R: Fraction, S: Fraction) -> bool:
    """sqrt P + sqrt Q <= sqrt R + sqrt S (all >= 0), decided exactly by squaring twice (as Coq's ssl_b)."""
    H, X, Y = (R + S - P - Q) / 2, P * Q, R * S
    if H >= 0:
        E = X - H * H - Y
        return E <= 0 or E * E <= 4 * H * H * Y
    F = Y - X - H * H
    return F >= 0 and 4 * H * H * X <= F * F


def ssl_refutation(P: Fraction, Q: Fraction, R: Fraction, S: Fraction) -> tuple[Fraction, ...] | None:
    """Rational brackets p, q <= sqrt P, sqrt Q and r, s >= sqrt R, sqrt S with r + s < p + q (ssl_gt_b), if found."""
    for bits in (4, 8, 16, 32, 64, 128, 256, 512):
        k = 1 << bits
        p, q, r, s = _floor_sqrt(P, k), _floor_sqrt(Q, k), _ceil_sqrt(R, k), _ceil_sqrt(S, k)
        if r + s < p + q:
            return p, q, r, s
    return None


def _conds(arccos: bool, eq: bool, A: Fraction, B: Fraction, C: Fraction) -> list[tuple[Fraction, ...]]:
    """surd_tri_conds of coq/Symrep.v: each (P, Q, R, S) says sqrt P + sqrt Q <= sqrt R + sqrt S."""
    def ge(a: Fraction, b: Fraction, c: Fraction) -> tuple[Fraction, ...]:
        return (a * b, Fraction(0), (1 - a) * (1 - b), c) if arccos else (a, b, Fraction(1), c)

    def le(a: Fraction, b: Fraction, c: Fraction) -> tuple[Fraction, ...]:
        return ((1 - a) * (1 - b), c, a * b, Fraction(0)) if arccos else (Fraction(1), c, a, b)
    return [ge(A, B, C), le(A, B, C)] if eq else [ge(A, B, C), ge(A, C, B), ge(B, C, A)]


def _q(x: Fraction) -> str:
    return f"({x.numerator}#{x.denominator})"


def _surd_triangle(arccos: bool, eq: bool, v: bool, terms: list, skip: Callable[[str], Exception]) -> tuple[str, str]:
    """surd_triangle_claim: the squares of the three values, computed by Coq; a false verdict refuted by brackets."""
    (qxy, wxy, A), (qyz, wyz, B), (qxz, wxz, C) = terms
    if not all(0 <= x <= 1 for x in (A, B, C)):
        raise skip("a triangle of values outside [0, 1] is not stated")
    cs = _conds(arccos, eq, A, B, C)
    k, w = 0, tuple([Fraction(0)] * 4)
    if not v:  # the condition that fails, refuted by one instance (a true one gives no brackets: Coq then rejects)
        for i, t in enumerate(cs):
            if not ssl(*t):
                k, w = i, ssl_refutation(*t) or w
                break
    f = "TArccos" if arccos else "TOneMinus"
    wq = "(" + ", ".join(_q(x) for x in w) + ")"
    return (f"surd_triangle_claim npoints {f} {qxy} {qyz} {qxz} {str(eq).lower()} {str(v).lower()}",
            f"apply (surd_triangle_true _ _ _ {wxy} _ {wyz} _ {wxz} _ _ {k}%nat {wq})")


def triangle(D: Any, c: dict, v: bool, w: dict, skip: Callable[[str], Exception]) -> tuple[str, str]:
    """The triangle inequality (or equality) of 1 - M (rational values: triangle_claim; irrational: surd_triangle_claim)
    or of arccos M (surd_triangle_claim), M's values given by their squares."""
    text, eq = c["distance"], c.get("equality", False) is True
    arccos = isinstance(text, str) and text.startswith("arccos ")
    if not isinstance(text, str) or not (text.startswith("1 - ") or arccos):
        raise skip("distances other than 1 - M and arccos M (angular_procrustes) are not stated in Coq")
    if "undefined" in w:
        raise skip("a triangle with an undefined distance is not stated")
    spec = text[len("arccos " if arccos else "1 - "):]
    X, Z = (c["networks"][0], c["layer"]), (c["networks"][1], c["layer"])
    Y = (c["via"]["network"], c["via"]["layer"])
    terms, squares, rational = [], [], True
    for key, (p, q) in (("xy", (X, Y)), ("yz", (Y, Z)), ("xz", (X, Z))):
        RA, RB = D.rows(*p), D.rows(*q)
        quant, wit = _quantity(D, spec, D.acts(*p), D.acts(*q), len(RA), len(RB), w[key], skip, (RA.frac, RB.frac))
        val = checker.measure_value(spec, RA, RB, w[key], D.d, "coq export")
        if not isinstance(val, tuple) or val[0] == "range" or val[0] < 0:
            raise skip(f"{spec[:30]} has no single value >= 0 here: the triangle is stated for values >= 0")
        sq = val[0] * val[0] * val[1]
        root = _rational_sqrt(sq)
        rational = rational and root is not None
        squares.append((quant, wit, sq))
        if root is not None:
            terms.append((quant, wit, f"({root.numerator}#{root.denominator})"))
    if arccos or not rational:
        return _surd_triangle(arccos, eq, v, squares, skip)
    (qxy, wxy, a), (qyz, wyz, b), (qxz, wxz, cc) = terms
    flags = f"{str(eq).lower()} {str(v).lower()}"
    return (f"triangle_claim npoints {qxy} {qyz} {qxz} {flags}",
            f"apply (triangle_true _ _ {wxy} _ {wyz} _ {wxz} _ _ {a} {b} {cc})")
