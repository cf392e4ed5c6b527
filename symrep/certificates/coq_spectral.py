"""The spectral measures in Coq (``coq/Spectral.v``): Procrustes, angular Procrustes and shape at alpha 1,
their relations, invariances and triangles.  Mean CCA, SVCCA, PWCCA and shape at alpha 0 are in
:mod:`symrep.certificates.coq_cca`, which shares this module's helpers.

The checker's nuclear-norm witnesses bound ||C||_* with slack (an almost orthogonal Z, a factorisation
up to a residual rho); Coq's statements (``nuclear_at_least``, ``nuclear_at_most``) need exact ones:

* a lower bound tr(Q^T C) from a Q with exactly orthonormal columns or rows: the certificate's exact
  ``q`` when it has one, else a proposal here: the float polar factor of C, completed to a square
  orthogonal matrix and rounded to a product of rational Householder reflections (each
  ``I - 2 v v^T / v^T v`` with an integer v is exactly orthogonal), times signs;
* an upper bound C = F diag(D) G, sum_l D_l (|F e_l|^2 + |e_l^T G|^2) / 2: from an exact ``q``
  (C = Q P, P symmetric PSD) the exact L D L^T of P gives the bound tr(P) = ||C||_*; else C = Cb K over
  independent columns Cb of C (exact) and F = Cb X, G = X^-1 K with X rounded from the float SVD.

Every proposal is only that: Coq checks it (``nuc_ge_b``, ``nuc_le_b``), and the exporter first checks it
exactly here, trying finer roundings until the claim's bound is met (else the claim is skipped).

>>> from fractions import Fraction as F
>>> ldl([[F(2), F(2)], [F(2), F(2)]])
[(Fraction(2, 1), [Fraction(1, 1), Fraction(1, 1)])]
>>> cos_bounds(F(0))
(Fraction(1, 1), Fraction(1, 1))
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterator

import numpy as np

from symrep import checker
from symrep.certificates.coq_terms import qmat as _qm
from symrep.certificates.coq_terms import qnum as _q
from symrep.certificates.coq_terms import qvec as _qv

__all__ = ["procrustes", "angular", "relation", "invariance", "triangle", "ldl", "ldl_strict", "cos_bounds"]

Mat = list[list[Fraction]]
ROUNDINGS = (10, 16, 24, 32, 44, 52)  # bits of the float proposals, coarse first (short numbers in Coq)
MAX_SIDE = 12  # larger layers are skipped: the proposals multiply k reflections of size k


def _mm(X: Mat, Y: Mat) -> Mat:
    cols = list(zip(*Y))
    return [[sum((a * b for a, b in zip(r, c)), Fraction(0)) for c in cols] for r in X]


def _tr(X: Mat) -> Mat:
    return [list(c) for c in zip(*X)]


def _f2(X: Mat) -> Fraction:
    return sum((x * x for r in X for x in r), Fraction(0))


def ldl(P: Mat) -> list[tuple[Fraction, list[Fraction]]]:
    """A symmetric PSD P as sum_l D_l l l^T (D_l > 0), by exact elimination on positive pivots."""
    M = [list(r) for r in P]
    out: list[tuple[Fraction, list[Fraction]]] = []
    n = len(M)
    while True:
        p = next((i for i in range(n) if M[i][i] > 0), None)
        if p is None:
            if any(x for r in M for x in r):
                raise ValueError("not positive semidefinite")
            return out
        dp = M[p][p]
        col = [M[i][p] / dp for i in range(n)]
        out.append((dp, col))
        M = [[M[i][j] - dp * col[i] * col[j] for j in range(n)] for i in range(n)]


def ldl_strict(H: Mat) -> tuple[Mat, list[Fraction]] | None:
    """H = L diag(D) L^T with L unit lower triangular and D > 0 (no pivoting), or None (H not positive definite)."""
    r = len(H)
    L = [[Fraction(int(i == j)) for j in range(r)] for i in range(r)]
    Dd: list[Fraction] = []
    for j in range(r):
        dj = H[j][j] - sum((L[j][m] ** 2 * Dd[m] for m in range(j)), Fraction(0))
        if dj <= 0:
            return None
        Dd.append(dj)
        for i in range(j + 1, r):
            L[i][j] = (H[i][j] - sum((L[i][m] * L[j][m] * Dd[m] for m in range(j)), Fraction(0))) / dj
    return L, Dd


def cos_bounds(t: Fraction) -> tuple[Fraction, Fraction]:
    """(cos_lo t, cos_hi t), the values Spectral.v computes: 20 Taylor terms, and the next term's size as remainder."""
    s, term, t2 = Fraction(0), Fraction(1), t * t
    for k in range(20):
        s += term
        term = -term * t2 / ((2 * k + 1) * (2 * k + 2))
    return s - abs(term), s + abs(term)


def _lower_value(C: Mat, Q: Mat) -> Fraction:
    return sum((q * c for qr, cr in zip(Q, C) for q, c in zip(qr, cr)), Fraction(0))


def _is_isometry(Q: Mat, cols: bool) -> bool:
    G = _mm(_tr(Q), Q) if cols else _mm(Q, _tr(Q))
    return all(x == (i == j) for i, r in enumerate(G) for j, x in enumerate(r))


def _householder(O: np.ndarray, bits: int) -> Mat:
    """An exactly orthogonal rational matrix near the float orthogonal O: rational reflections, then signs."""
    k = len(O)
    A = O.astype(float).copy()
    Q: Mat = [[Fraction(int(i == j)) for j in range(k)] for i in range(k)]
    for j in range(k - 1):
        x = A[j:, j]
        nx = float(np.linalg.norm(x))
        v = x.copy()
        v[0] += nx if x[0] >= 0 else -nx
        top = float(np.max(np.abs(v)))
        if top == 0:
            continue
        vi = [0] * j + [int(round(t / top * 2 ** bits)) for t in v]
        vv = sum(t * t for t in vi)
        if vv == 0:
            continue
        H = [[Fraction(int(a == b)) - Fraction(2 * vi[a] * vi[b], vv) for b in range(k)] for a in range(k)]
        Q = _mm(Q, H)
        A = np.array([[float(x) for x in r] for r in H]) @ A
    signs = [1 if A[i, i] >= 0 else -1 for i in range(k)]
    return [[x * signs[j] for j, x in enumerate(r)] for r in Q]


def _lower_proposals(C: Mat) -> Iterator[tuple[Mat, bool]]:
    """Q (m x n) with exactly orthonormal columns (True) or rows (False) near C's polar factor."""
    m, n = len(C), len(C[0])
    if m < n:
        for Q, _ in _lower_proposals(_tr(C)):
            yield _tr(Q), False
        return
    U, _, Vt = np.linalg.svd(np.array([[float(x) for x in r] for r in C]), full_matrices=True)
    E = np.eye(m)
    E[:n, :n] = Vt
    O = U @ E  # orthogonal, its first n columns the polar factor U_n V^T
    for bits in ROUNDINGS:
        Qf = _householder(O, bits)
        yield [r[:n] for r in Qf], True


def _rref(M: Mat) -> tuple[list[int], Mat]:
    """Pivot columns and the non-zero rows of M's reduced row echelon form (M = M[:, piv] R)."""
    R = [list(r) for r in M]
    piv, row = [], 0
    for col in range(len(R[0]) if R else 0):
        p = next((i for i in range(row, len(R)) if R[i][col] != 0), None)
        if p is None:
            continue
        R[row], R[p] = R[p], R[row]
        inv = 1 / R[row][col]
        R[row] = [x * inv for x in R[row]]
        for i in range(len(R)):
            if i != row and R[i][col] != 0:
                f = R[i][col]
                R[i] = [a - f * b for a, b in zip(R[i], R[row])]
        piv.append(col)
        row += 1
    return piv, R[:row]


def _inverse(X: Mat) -> Mat | None:
    n = len(X)
    piv, R = _rref([list(r) + [Fraction(int(i == j)) for j in range(n)] for i, r in enumerate(X)])
    if piv[:n] != list(range(n)) or len(R) < n:
        return None
    return [r[n:] for r in R]


Upper = tuple[int, Mat, list[Fraction], Mat]


def _upper_proposals(C: Mat) -> Iterator[Upper]:
    """C = F diag(D) G near C's SVD: F = Cb X, G = X^-1 K over independent columns Cb (C = Cb K)."""
    piv, K = _rref(C)
    r = len(piv)
    if r == 0:
        yield 0, [], [], []
        return
    Cb = [[row[j] for j in piv] for row in C]
    U, S, Vt = np.linalg.svd(np.array([[float(x) for x in row] for row in C]))
    Fstar = U[:, :r] * np.sqrt(S[:r])
    Xf = np.linalg.lstsq(np.array([[float(x) for x in row] for row in Cb]), Fstar, rcond=None)[0]
    for bits in ROUNDINGS:
        X = [[Fraction(int(round(x * 2 ** bits)), 2 ** bits) for x in row] for row in Xf]
        Xi = _inverse(X)
        if Xi is None:
            continue
        yield r, _mm(Cb, X), [Fraction(1)] * r, _mm(Xi, K)


def _upper_value(w: Upper) -> Fraction:
    r, F, D, G = w
    return sum((D[l] * (sum((F[i][l] ** 2 for i in range(len(F))), Fraction(0)) + sum((x * x for x in G[l]), Fraction(0)))
                for l in range(r)), Fraction(0)) / 2


def _exact_parts(C: Mat, nuc: dict) -> tuple[tuple[Mat, bool] | None, Upper | None]:
    """The certificate's exact nuclear witness (zero, or q) turned into Spectral.v's two forms, for C."""
    m, n = len(C), len(C[0])
    if nuc.get("zero") is True:
        Q = [[Fraction(int(i == j)) for j in range(n)] for i in range(m)]
        return (Q, m >= n), (0, [], [], [])
    if "q" not in nuc:
        return None, None
    transposed = nuc.get("transposed") is True
    H = _tr(C) if transposed else C
    Qh = [list(r) for r in checker.matrix(nuc["q"], "q", len(H), len(H[0]))]
    P = _mm(_tr(Qh), H)
    parts = ldl(P)
    r = len(parts)
    cols = [[x for x in col] for _, col in parts]  # l_l
    D = [dl for dl, _ in parts]
    Ql = [_mm(Qh, [[x] for x in col]) for col in cols]  # Q l_l, as columns
    if not transposed:  # C = Q P = sum D_l (Q l_l) l_l^T
        F = [[Ql[l][i][0] for l in range(r)] for i in range(len(H))]
        G = cols
        lower = (Qh, True)
    else:  # C = H^T = P Q^T = sum D_l l_l (Q l_l)^T
        F = [[cols[l][i] for l in range(r)] for i in range(len(C))]
        G = [[Ql[l][j][0] for j in range(len(H))] for l in range(r)]
        lower = (_tr(Qh), False)
    return lower, (r, F, D, G)


def _find_lower(C: Mat, nuc: dict, need: Fraction) -> tuple[Mat, bool] | None:
    exact, _ = _exact_parts(C, nuc)
    for Q, cols in ([exact] if exact else []) + list(_lower_proposals(C)):
        if _is_isometry(Q, cols) and _lower_value(C, Q) >= need:
            return Q, cols
    return None


def _find_upper(C: Mat, nuc: dict, need: Fraction) -> Upper | None:
    _, exact = _exact_parts(C, nuc)
    for w in ([exact] if exact else []) + list(_upper_proposals(C)):
        if _upper_value(w) <= need:
            return w
    return None


NO_LOWER, NO_UPPER = "([], true)", "(0%nat, [], [], [])"


def _lower_term(w: tuple[Mat, bool]) -> str:
    return f"({_qm(w[0])}, {'true' if w[1] else 'false'})"


def _upper_term(w: Upper) -> str:
    r, F, D, G = w
    return f"({r}%nat, {_qm(F)}, {_qv(D)}, {_qm(G)})"


def _layers(D: Any, c: dict, w: dict, skip: type) -> tuple[str, str, Mat, Mat]:
    if w.get("undefined") is True:
        raise skip("an undefined spectral measure (a constant layer) is not stated in Coq")
    (a, la), (b, lb) = zip(c["networks"], c.get("layers", [c.get("layer")] * 2))
    A = checker.centered(D.rows(a, la), D.d).frac
    B = checker.centered(D.rows(b, lb), D.d).frac
    if len(A) > MAX_SIDE or len(B) > MAX_SIDE:
        raise skip(f"layers wider than {MAX_SIDE} neurons: the exporter proposes no Coq witness")
    return D.acts(a, la), D.acts(b, lb), A, B


def _between(lo: Fraction, hi: Fraction) -> Fraction:
    """A short rational strictly between lo < hi."""
    k = 0
    while True:
        t = Fraction(math.floor(lo * 2 ** k) + 1, 2 ** k)
        if t < hi:
            return t
        k += 1


RELATION_KINDS = {"procrustes", "angular_procrustes"}


def _float_value(spec: str, A: Mat, B: Mat) -> float:
    """The measure in floats (a proposal for a strict relation's intermediate bound)."""
    Af, Bf = (np.array([[float(x) for x in r] for r in M]) for M in (A, B))
    nuc = float(np.linalg.svd(Af @ Bf.T, compute_uv=False).sum())
    na, nb = float(np.linalg.norm(Af)), float(np.linalg.norm(Bf))
    if spec == "procrustes":
        return math.sqrt(max(0.0, na * na + nb * nb - 2 * nuc))
    return math.acos(min(1.0, nuc / (na * nb))) if na and nb else 0.0


def relation(D: Any, c: dict, v: bool, w: dict, skip: type) -> tuple[str, str]:
    """A spectral measure (procrustes, angular_procrustes) against a rational constant, as that kind's claim:
    M >= c, M <= c, M == c directly; M > c as t > c and M >= t (t short, between c and the float value)."""
    left, right, op = c["left"], c["right"], c["relation"]
    spec = left.get("measure") if isinstance(left, dict) else None
    if not v or spec not in RELATION_KINDS or "value" not in right or "sqrt" in str(right["value"]):
        raise skip("a relation of a spectral measure is stated in Coq only for procrustes or angular_procrustes "
                   "against a rational constant, with verdict true")
    const = checker.num(right["value"], "value")
    sw = w.get("left", {}).get("spectral") if isinstance(w.get("left"), dict) else None
    if not isinstance(sw, dict):
        raise skip("a relation of a spectral measure without its bracket (undefined) is not stated in Coq")
    if op in (">", "<"):  # t from the problem's own float value, never from the witness: the statement is the data's
        _, _, A, B = _layers(D, {"networks": left["networks"], "layers": left["layers"]}, sw, skip)
        x = Fraction(_float_value(spec, A, B))
        if (x <= const) if op == ">" else (x >= const):
            raise skip("a strict relation whose float value is on the other side")
        t = _between(const, (const + x) / 2) if op == ">" else -_between(-const, -(const + x) / 2)
        key, cmp = ("at_least", "<") if op == ">" else ("at_most", ">")
    else:
        t, key, cmp = const, {">=": "at_least", "<=": "at_most", "==": "equals"}[op], None
    claim = {"kind": spec, "networks": left["networks"], "layers": left["layers"], key: str(t)}
    stmt, tac = (procrustes if spec == "procrustes" else angular)(D, claim, True, sw, skip)
    if cmp is None:
        return stmt, tac
    order = f"{_q(const)} < {_q(t)}" if cmp == "<" else f"{_q(t)} < {_q(const)}"
    return f"{order} /\\ {stmt}", f"split; [vm_compute; reflexivity | {tac}]"


def _bounds(c: dict) -> dict[str, Fraction]:
    return {k: checker.num(c[k], k) for k in ("equals", "at_least", "at_most") if k in c}


def _opts(bs: dict[str, Fraction]) -> str:
    return " ".join(f"(Some {_q(bs[k])})" if k in bs else "None" for k in ("equals", "at_least", "at_most"))


def procrustes(D: Any, c: dict, v: bool, w: dict, skip: type, given: tuple | None = None) -> tuple[str, str]:
    """d >= t needs ||C||_* <= (T - t^2)/2 (an upper witness); d <= t needs ||C||_* >= (T - t^2)/2 (a lower one)."""
    if not v:
        return _procrustes_false(D, c, w, skip, given)
    sA, sB, A, B = given or _layers(D, c, w, skip)
    C, T, bs = _mm(A, _tr(B)), _f2(A) + _f2(B), _bounds(c)
    nuc = w.get("nuclear", {})
    ge = [t for k, t in bs.items() if k in ("equals", "at_least") and t > 0]
    le = [t for k, t in bs.items() if k in ("equals", "at_most")]
    wl, wu = NO_LOWER, NO_UPPER
    if ge:
        need = min((T - t * t) / 2 for t in ge)
        got = _find_upper(C, nuc, need)
        if got is None:
            raise skip("procrustes: no rational factorisation found that proves the lower bound")
        wu = _upper_term(got)
    if le:
        need = max((T - t * t) / 2 for t in le)
        found = _find_lower(C, nuc, need)
        if found is None:
            raise skip("procrustes: no rational orthogonal matrix found that proves the upper bound")
        wl = _lower_term(found)
    return (f"procrustes_claim npoints {sA} {sB} {_opts(bs)}",
            f"apply (procrustes_true _ _ _ _ _ _ {wl} {wu})")


def _procrustes_false(D: Any, c: dict, w: dict, skip: type, given: tuple | None) -> tuple[str, str]:
    """~ procrustes_claim: one bound refuted by weak duality (nuclear_duality): d < t by a lower witness
    s > (T - t^2)/2, d > t by an upper witness s < (T - t^2)/2 (or t < 0); the side chosen by the float value."""
    sA, sB, A, B = given or _layers(D, c, w, skip)
    C, T, bs = _mm(A, _tr(B)), _f2(A) + _f2(B), _bounds(c)
    nuc = w.get("nuclear", {})
    Af, Bf = (np.array([[float(x) for x in r] for r in M]) for M in (A, B))
    nf = Fraction(float(np.linalg.svd(Af @ Bf.T, compute_uv=False).sum())) if A and B else Fraction(0)
    for key in ("equals", "at_least", "at_most"):
        if key not in bs:
            continue
        t = bs[key]
        u = (T - t * t) / 2
        hyp = {"equals": "He", "at_least": "Hl", "at_most": "Hh"}[key]
        if key != "at_most" and t > 0 and nf > u:  # d < t
            found = _find_lower(C, nuc, _between(u, nf))
            if found is None or _lower_value(C, found[0]) <= u:
                continue
            sv, lemma, wt, part = _lower_value(C, found[0]), "procrustes_not_ge", _lower_term(found), "[Hg _]"
        elif key != "at_least" and t < 0:
            sv, lemma, wt, part = Fraction(0), "procrustes_not_le", NO_UPPER, "[_ Hg]"
        elif key != "at_least" and nf < u:  # d > t
            got = _find_upper(C, nuc, -_between(-u, -nf))
            if got is None or _upper_value(got) >= u:
                continue
            sv, lemma, wt, part = _upper_value(got), "procrustes_not_le", _upper_term(got), "[_ Hg]"
        else:
            continue
        pick = f"destruct He as {part}; revert Hg" if key == "equals" else f"revert {hyp}"
        return (f"~ procrustes_claim npoints {sA} {sB} {_opts(bs)}",
                f"unfold procrustes_claim; intros [He [Hl Hh]]; cbv beta iota delta [opt] in He, Hl, Hh; {pick}; "
                f"apply ({lemma} _ _ _ _ {_q(sv)} {wt})")
    raise skip("procrustes with verdict false: no rational witness found that refutes a bound")


def angular(D: Any, c: dict, v: bool, w: dict, skip: type, given: tuple | None = None) -> tuple[str, str]:
    """theta <= t by a lower witness (cos theta >= cos_hi t); theta >= t by an upper one (cos theta <= cos_lo t)."""
    if not v:
        return _angular_false(D, c, w, skip, given)
    sA, sB, A, B = given or _layers(D, c, w, skip)
    C, p, bs = _mm(A, _tr(B)), _f2(A) * _f2(B), _bounds(c)
    if p == 0:
        raise skip("a constant layer: the angle is undefined")
    nuc = w.get("nuclear", {})
    ge = [t for k, t in bs.items() if k in ("equals", "at_least") and t > 0]
    le = [t for k, t in bs.items() if k in ("equals", "at_most")]
    sl, wl, r, su, wu = Fraction(0), NO_LOWER, Fraction(0), Fraction(0), NO_UPPER
    if ge:
        if max(ge) > 3:
            raise skip("an angle above 3 is not stated in Coq")
        c_lo = min(cos_bounds(t)[0] for t in ge)
        if c_lo <= 0:
            raise skip("angular: cos_lo of the bound is not positive")
        r = Fraction(math.isqrt(math.floor(p * 4 ** 64)), 2 ** 64)
        got = _find_upper(C, nuc, c_lo * r)
        if got is None:
            raise skip("angular: no rational factorisation found that proves the lower bound")
        su, wu = _upper_value(got), _upper_term(got)
    if le:
        c_hi = max(cos_bounds(t)[1] for t in le)
        if c_hi > 0:
            def enough(Q: Mat) -> bool:
                s = _lower_value(C, Q)
                return s >= 0 and c_hi * c_hi * p <= s * s
            exact, _ = _exact_parts(C, nuc)
            found = next((x for x in ([exact] if exact else []) + list(_lower_proposals(C))
                          if _is_isometry(*x) and enough(x[0])), None)
            if found is None:
                raise skip("angular: no rational orthogonal matrix found that proves the upper bound")
            sl, wl = _lower_value(C, found[0]), _lower_term(found)
    return (f"angular_claim npoints {sA} {sB} {_opts(bs)}",
            f"apply (angular_true _ _ _ _ _ _ {_q(sl)} {wl} {_q(r)} {_q(su)} {wu})")


def _angular_false(D: Any, c: dict, w: dict, skip: type, given: tuple | None) -> tuple[str, str]:
    """~ angular_claim: a constant layer (undefined, ``angular_undefined``), or one bound refuted by weak duality:
    theta < t by a lower witness s > 0 with s^2 > cos_lo(t)^2 |A_c|^2 |B_c|^2 (``angular_not_ge``), theta > t by an
    upper witness s with s^2 < cos_hi(t)^2 |A_c|^2 |B_c|^2 (``angular_not_le``); the side chosen by the float value."""
    bs = _bounds(c)
    if given is None and w.get("undefined") is True:
        (a, la), (b, lb) = zip(c["networks"], c.get("layers", [c.get("layer")] * 2))
        A0, B0 = (checker.centered(D.rows(n, k), D.d).frac for n, k in ((a, la), (b, lb)))
        if any(x for r in A0 for x in r) and any(x for r in B0 for x in r):
            raise skip("stated undefined where the layers are not constant: not stated")
        return (f"~ angular_claim npoints {D.acts(a, la)} {D.acts(b, lb)} {_opts(bs)}",
                "apply angular_undefined")
    sA, sB, A, B = given or _layers(D, c, w, skip)
    C, p = _mm(A, _tr(B)), _f2(A) * _f2(B)
    if p == 0:
        return f"~ angular_claim npoints {sA} {sB} {_opts(bs)}", "apply angular_undefined"
    nuc = w.get("nuclear", {})
    theta = Fraction(_float_value("angular_procrustes", A, B))
    exact, exact_up = _exact_parts(C, nuc)
    for key in ("equals", "at_least", "at_most"):
        if key not in bs:
            continue
        t = bs[key]
        hyp = {"equals": "He", "at_least": "Hl", "at_most": "Hh"}[key]
        if key != "at_most" and t > 0 and (t > 3 or theta < t):  # theta < t: cos theta > cos t >= cos_lo t
            c_lo = cos_bounds(t)[0]
            if t > 3:
                sv, lemma, wt, part = Fraction(0), "angular_not_ge", NO_LOWER, "[Hg _]"
            else:
                found = next((x for x in ([exact] if exact else []) + list(_lower_proposals(C)) if _is_isometry(*x)
                              and _lower_value(C, x[0]) > 0 and (c_lo <= 0 or c_lo * c_lo * p < _lower_value(C, x[0]) ** 2)),
                             None)
                if found is None:
                    continue
                sv, lemma, wt, part = _lower_value(C, found[0]), "angular_not_ge", _lower_term(found), "[Hg _]"
        elif key != "at_least" and t < 0:
            sv, lemma, wt, part = Fraction(0), "angular_not_le", NO_UPPER, "[_ Hg]"
        elif key != "at_least" and theta > t:  # theta > t: cos theta < cos t <= cos_hi t
            c_hi = cos_bounds(t)[1]
            if c_hi <= 0:
                continue
            got = next((u for u in ([exact_up] if exact_up else []) + list(_upper_proposals(C))
                        if _upper_value(u) ** 2 < c_hi * c_hi * p), None)
            if got is None:
                continue
            sv, lemma, wt, part = _upper_value(got), "angular_not_le", _upper_term(got), "[_ Hg]"
        else:
            continue
        pick = f"destruct He as {part}; revert Hg" if key == "equals" else f"revert {hyp}"
        return (f"~ angular_claim npoints {sA} {sB} {_opts(bs)}",
                f"unfold angular_claim; intros [_ [_ [He [Hl Hh]]]]; cbv beta iota delta [opt] in He, Hl, Hh; {pick}; "
                f"apply ({lemma} _ _ _ _ {_q(sv)} {wt})")
    raise skip(f"{c['kind']} with verdict false: no rational witness found that refutes a bound")


def invariance(D: Any, c: dict, v: bool, w: dict, skip: type, member: Any, transformed: Any) -> tuple[str, str]:
    """Invariance of procrustes / angular_procrustes over a family refuted by the witness's member T: T is in the
    family (Coq re-checks it, ``in_familyb_sound``) and the values before and after are separated by rationals
    u < l (from the data's float values): after <= u < l <= before, or before <= u < l <= after."""
    spec, fam = c.get("measure"), c["transform"].get("family")
    families = {"orthogonal": "FOrthogonal", "permutation": "FPermutation", "isotropic_scaling": "FScaling",
                "translation": "FTranslation", "invertible_linear": "FInvertible"}
    if v or spec not in RELATION_KINDS or fam not in families or "member" not in w:
        raise skip("an invariance of a spectral measure is stated in Coq only over a family, refuted by a member")
    a, b = c["networks"]
    nA = len(D.rows(a, c["layer"]))
    t, N = member(w["member"], nA)
    RA, RB = D.rows(a, c["layer"]), D.rows(b, c["layer"])
    TA = checker.Rows.of(transformed(w["member"], RA.frac))
    sA, sB, sTA = D.acts(a, c["layer"]), D.acts(b, c["layer"]), f"(apply_tr npoints {t} {D.acts(a, c['layer'])})"
    A, B, At = (checker.centered(R, D.d).frac for R in (RA, RB, TA))
    if max(len(A), len(B)) > MAX_SIDE or not all(any(x for r in M for x in r) for M in (A, B, At)):
        raise skip("a constant or wide layer: not stated in Coq")
    xb, xa = Fraction(_float_value(spec, A, B)), Fraction(_float_value(spec, At, B))
    if xa == xb:
        raise skip("the float values do not separate before and after")
    lo_x, hi_x = min(xa, xb), max(xa, xb)
    mid = (lo_x + hi_x) / 2
    u, l = _between(lo_x, mid), -_between(-hi_x, -mid)
    fn = procrustes if spec == "procrustes" else angular
    nuc: dict = {}  # the exporter's own proposals (the statement never depends on the witness)
    small, big = ((sTA, At), (sA, A)) if xa < xb else ((sA, A), (sTA, At))
    s1, t1 = fn(D, {"kind": spec, "at_most": str(u)}, True, nuc, skip, (small[0], sB, small[1], B))
    s2, t2 = fn(D, {"kind": spec, "at_least": str(l)}, True, nuc, skip, (big[0], sB, big[1], B))
    stmt = (f"in_family (length {sA}) {families[fam]} {t} /\\ {s1} /\\ {s2} /\\ {_q(u)} < {_q(l)}")
    tac = (f"split; [apply (in_familyb_sound _ _ _ {N}); vm_compute; reflexivity | split; [{t1}; vm_compute; reflexivity | "
           f"split; [{t2}; vm_compute; reflexivity | vm_compute; reflexivity]]]")
    return stmt, tac


def _bracket(D: Any, p: tuple, q: tuple, delta: Fraction, skip: type) -> tuple[Fraction, Fraction, str, str, str, str]:
    """(l, h, A, B, wl, wu): d(A, B) in [l, h] around its float value, with the exporter's own witnesses."""
    sA, sB, A, B = _layers(D, {"networks": [p[0], q[0]], "layers": [p[1], q[1]]}, {}, skip)
    x = Fraction(_float_value("procrustes", A, B))
    k = max(1, -math.floor(math.log2(delta)) + 2)
    l, h = Fraction(math.floor((x - delta) * 2 ** k), 2 ** k), Fraction(math.ceil((x + delta) * 2 ** k), 2 ** k)
    C, T = _mm(A, _tr(B)), _f2(A) + _f2(B)
    got = _find_upper(C, {}, (T - l * l) / 2) if l > 0 else (0, [], [], [])
    found = _find_lower(C, {}, (T - h * h) / 2)
    if got is None or found is None:
        raise skip("procrustes triangle: no rational witness found for a bracket")
    return l, h, sA, sB, _lower_term(found), _upper_term(got)


def triangle(D: Any, c: dict, v: bool, w: dict, skip: type) -> tuple[str, str]:
    """The triangle inequality of the Procrustes distance (verdict true, not an equality): brackets around the
    three float values, narrower than a quarter of the smallest float slack, proved by the kinds' witnesses."""
    if not v or c.get("equality", False) is not False or "undefined" in w:
        raise skip("a procrustes triangle is stated in Coq only as the inequality, with verdict true")
    X, Z, Y = (c["networks"][0], c["layer"]), (c["networks"][1], c["layer"]), (c["via"]["network"], c["via"]["layer"])
    vals = []
    for p, q in ((X, Y), (Y, Z), (X, Z)):
        _, _, A, B = _layers(D, {"networks": [p[0], q[0]], "layers": [p[1], q[1]]}, {}, skip)
        vals.append(_float_value("procrustes", A, B))
    xy, yz, xz = vals
    slack = min(xy + yz - xz, xz + yz - xy, xy + xz - yz)
    if slack < 1e-6:
        raise skip("a procrustes triangle with (nearly) zero slack needs exact values: not in the Coq library")
    delta = Fraction(slack / 8)
    parts = [_bracket(D, p, q, delta, skip) for p, q in ((X, Y), (Y, Z), (X, Z))]
    sX, sY, sZ = parts[0][2], parts[0][3], parts[1][3]
    ws = " ".join(f"({_q(l)}, {_q(h)}, {wl}, {wu})" for l, h, _, _, wl, wu in parts)
    return f"procrustes_triangle npoints {sX} {sY} {sZ}", f"apply (procrustes_triangle_true _ _ _ _ {ws})"
