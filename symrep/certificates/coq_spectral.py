"""The spectral measures in Coq (``coq/Spectral.v``): Procrustes, angular Procrustes, shape at alpha 1,
mean CCA / PWCCA at their exact values 0 and 1, mean CCA, SVCCA and PWCCA by brackets, SVCCA at its exact value 1.

Mean CCA (``cca_bracket``): the float canonical directions, rounded and made exactly orthogonal in the
Gram forms (Gram-Schmidt, primitive integer vectors), are the bases of ``sig_basis`` (every row of the
centred layer written over them); sum rho >= t k by the canonical pairing Q = [I 0] and rational lower
bounds of its surds M_kk / sqrt(Dx_k Dy_k), sum rho <= t k by an exact factorisation of M near the SVD of
the whitened N, found in normalised coordinates.  SVCCA (``svcca_exact``): the value 1 when the point
Grams are proportional, with the spectral gap of A's Gram certified by rounded float eigenvectors; below 1
(``svcca_below``), rational proxies of both top-k eigenspaces within s (Davis-Kahan: ``dk_close``) and the
proxies' mean CCA bracketed as above, the bounds moved by sA + sB.  PWCCA (``pwcca_bracket``): the float
canonical pairs rounded, their exact residuals for J(u, v) = (P_X v, P_Y u) rounded outwards (``pw_bounds``).

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

__all__ = ["procrustes", "angular", "cca_exact", "cca_bracket", "svcca_exact", "svcca_below", "pwcca_bracket", "shape0",
           "relation", "invariance", "triangle", "ldl", "cos_bounds"]

Mat = list[list[Fraction]]
ROUNDINGS = (10, 16, 24, 32, 44, 52)  # bits of the float proposals, coarse first (short numbers in Coq)
MAX_SIDE = 12  # larger layers are skipped: the proposals multiply k reflections of size k


def _q(x: Fraction) -> str:
    return f"({x.numerator}#{x.denominator})"


def _qv(v: list[Fraction]) -> str:
    return "[" + "; ".join(_q(x) for x in v) + "]"


def _qm(m: Mat) -> str:
    return "[" + "; ".join(_qv(r) for r in m) + "]"


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


def cca_exact(D: Any, c: dict, v: bool, w: dict, skip: type, dim_tuple: Any) -> tuple[str, str]:
    """Mean CCA or PWCCA at an exact value: 1 by the ranks of the layers and of their union, 0 by A_c B_c^T = 0."""
    if c["kind"] == "cca" and w.get("undefined") is True and not v:
        (a, la), (b, lb) = zip(c["networks"], c.get("layers", [c.get("layer")] * 2))
        A0, B0 = (checker.centered(D.rows(n, k), D.d).frac for n, k in ((a, la), (b, lb)))
        if any(x for r in A0 for x in r) and any(x for r in B0 for x in r):
            raise skip("stated undefined where the layers are not constant: not stated")
        return f"~ cca_claim npoints {D.acts(a, la)} {D.acts(b, lb)} {_opts(_bounds(c))}", "apply cca_undefined"
    if w.get("zero") is not True and "union" not in w:
        if c["kind"] == "cca":
            return cca_bracket(D, c, v, w, skip)
        return pwcca_bracket(D, c, v, w, skip)
    if not v:
        if c["kind"] == "cca":  # the exact value refutes the bound: stated as the stronger bound on the other side
            return cca_bracket(D, c, v, w, skip)
        raise skip(f"{c['kind']} with verdict false at an exact value is not in the Coq library")
    sA, sB, A, B = _layers(D, c, w, skip)
    bs = _bounds(c)
    if not any(x for r in A for x in r) or not any(x for r in B for x in r):
        raise skip(f"{c['kind']} of a constant layer is not stated in Coq")
    if w.get("zero") is True:
        return (f"cca_exact_claim npoints {sA} {sB} (0#1) {_opts(bs)}",
                "apply (cca_exact_true _ _ _ _ _ _ _ None)")
    RA, RB = checker.Rows.of(A), checker.Rows.of(B)
    rx, ry = (checker.integer(w[k]["dimension"], k) for k in ("rank_x", "rank_y"))
    parts = [dim_tuple(RA, w["rank_x"]), dim_tuple(RB, w["rank_y"]), dim_tuple(checker.Rows.of(A + B), w["union"])]
    return (f"cca_exact_claim npoints {sA} {sB} (1#1) {_opts(bs)}",
            f"apply (cca_exact_true _ _ _ _ _ _ _ (Some ({rx}%nat, {ry}%nat, {parts[0]}, {parts[1]}, {parts[2]})))")


def _dyadic(x: float, bits: int) -> Fraction:
    return Fraction(int(round(x * 2 ** bits)), 2 ** bits)


def _sform(u: list[Fraction], S: Mat, v: list[Fraction]) -> Fraction:
    return sum((a * sum((x * b for x, b in zip(row, v)), Fraction(0)) for a, row in zip(u, S) if a), Fraction(0))


def _sig_orthogonal(P: list[list[Fraction]], S: Mat) -> tuple[list[list[Fraction]], list[Fraction]] | None:
    """P's rows made exactly S-orthogonal (Gram-Schmidt in the form u^T S v, no normalisation): (P', D), D > 0."""
    out: list[list[Fraction]] = []
    ds: list[Fraction] = []
    for p in P:
        q = list(p)
        for r, dr in zip(out, ds):
            f = _sform(q, S, r) / dr
            q = [a - f * b for a, b in zip(q, r)]
        den = math.lcm(*(x.denominator for x in q))
        g = math.gcd(*(int(x * den) for x in q)) or 1
        q = [x * den / g for x in q]  # a primitive integer vector: the same direction, shorter numbers in Coq
        dq = _sform(q, S, q)
        if dq <= 0:
            return None
        out.append(q)
        ds.append(dq)
    return out, ds


def _floor_ratio_sqrt(x: Fraction, p: Fraction, bits: int) -> Fraction:
    """A rational l <= x / sqrt(p) (x >= 0, p > 0) within 2^-bits: floor(sqrt(x^2 / p) 2^bits) / 2^bits."""
    q = x * x * 4 ** bits / p
    return Fraction(math.isqrt(q.numerator // q.denominator), 2 ** bits)


def _cca_float(A: Mat, B: Mat, rx: int, ry: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Float canonical directions: (Wx Pc, Wy Qc, rho), coefficient vectors over the neurons as rows."""
    out = []
    for M, r in ((A, rx), (B, ry)):
        U, S, Vt = np.linalg.svd(np.array([[float(x) for x in row] for row in M]), full_matrices=False)
        out.append((U[:, :r] / S[:r], Vt[:r].T))  # coefficients W (A_c^T W orthonormal), and that basis
    (Wx, Ux), (Wy, Uy) = out
    Pc, rho, Qct = np.linalg.svd(Ux.T @ Uy)
    return (Wx @ Pc).T, (Wy @ Qct.T).T, rho


CcaParts = tuple[list[list[Fraction]], list[Fraction], list[list[Fraction]], list[Fraction], Mat]


def _cca_bases(A: Mat, B: Mat, rx: int, ry: int) -> Iterator[CcaParts]:
    """(Px, Dx, Py, Dy, M): the float canonical directions rounded, made exactly Sxx- and Syy-orthogonal, and
    M = Px A_c B_c^T Py^T (each pair's sign chosen so that M_kk >= 0); coarse roundings first."""
    Px_f, Py_f, _ = _cca_float(A, B, rx, ry)
    Sxx, Syy, Sxy = _mm(A, _tr(A)), _mm(B, _tr(B)), _mm(A, _tr(B))
    for bits in ROUNDINGS:
        gx = _sig_orthogonal([[_dyadic(x, bits) for x in r] for r in Px_f], Sxx)
        gy = _sig_orthogonal([[_dyadic(x, bits) for x in r] for r in Py_f], Syy)
        if gx is None or gy is None:
            continue
        (Px, Dx), (Py, Dy) = gx, gy
        M = [[_sform(p, Sxy, q) for q in Py] for p in Px]
        for k in range(min(rx, ry)):
            if M[k][k] < 0:
                Py[k] = [-x for x in Py[k]]
                M = [[-x if j == k else x for j, x in enumerate(r)] for r in M]
        yield Px, Dx, Py, Dy, M


def _cca_lower(M: Mat, Dx: list[Fraction], Dy: list[Fraction], bits: int) -> tuple[Fraction, str]:
    """The pairing Q = [I 0] (the canonical pairs) and L_kk <= M_kk / sqrt(Dx_k Dy_k): (sum L, the Coq term)."""
    rx, ry = len(Dx), len(Dy)
    Q = [[Fraction(int(i == j)) for j in range(ry)] for i in range(rx)]
    L = [[_floor_ratio_sqrt(M[i][i], Dx[i] * Dy[i], bits) if i == j else Fraction(0) for j in range(ry)] for i in range(rx)]
    return sum((L[i][i] for i in range(min(rx, ry))), Fraction(0)), f"({_qm(Q)}, {'true' if rx >= ry else 'false'}, {_qm(L)})"


def _root_near(q: Fraction, bits: int = 20) -> Fraction:
    """A short dyadic near sqrt(q), q > 0 (relative error about 2^-bits)."""
    e = math.frexp(math.sqrt(float(q)))[1]
    return Fraction(max(1, round(math.sqrt(float(q)) * 2 ** (bits - e))), 2 ** (bits - e)) if bits >= e else \
        Fraction(round(math.sqrt(float(q)) / 2 ** (e - bits)) * 2 ** (e - bits))


def _cca_upper(M: Mat, Dx: list[Fraction], Dy: list[Fraction]) -> Iterator[tuple[Fraction, str]]:
    """M = F diag(D) G exactly near the SVD of N = Dx^(-1/2) M Dy^(-1/2): (the (N2) bound of N, the Coq term).
    Factorised in the normalised coordinates Mn = Sx^-1 M Sy^-1 (Sx, Sy short dyadics near the roots, so Mn is
    near N and well scaled), then F = Sx Fn, G = Gn Sy: exact for any Sx, Sy."""
    sx, sy = [_root_near(x) for x in Dx], [_root_near(y) for y in Dy]
    Mn = [[x / (sx[i] * sy[j]) for j, x in enumerate(row)] for i, row in enumerate(M)]
    for r, Fn, Dd, Gn in _upper_proposals(Mn):
        F = [[sx[i] * x for x in row] for i, row in enumerate(Fn)]
        G = [[x * sy[j] for j, x in enumerate(row)] for row in Gn]
        val = sum((Dd[l] * (sum((F[i][l] ** 2 / Dx[i] for i in range(len(Dx))), Fraction(0))
                            + sum((G[l][j] ** 2 / Dy[j] for j in range(len(Dy))), Fraction(0))) for l in range(r)),
                  Fraction(0)) / 2
        yield val, _upper_term((r, F, Dd, G))


def _span_coefficients(A: Mat, P: list[list[Fraction]], Dd: list[Fraction]) -> Mat | None:
    """Each row of A_c over the orthogonal vectors u_k = A_c^T p_k: c_ak = (row_a . u_k) / D_k, or None when
    the u_k do not span every row (then they are not a basis of the row span)."""
    U = [[sum((p[a] * A[a][j] for a in range(len(A))), Fraction(0)) for j in range(len(A[0]))] for p in P]
    out = []
    for row in A:
        cs = [sum((x * y for x, y in zip(row, u)), Fraction(0)) / dk for u, dk in zip(U, Dd)]
        if any(x != sum((ck * u[j] for ck, u in zip(cs, U)), Fraction(0)) for j, x in enumerate(row)):
            return None
        out.append(cs)
    return out


def _cca_float_value(A: Mat, B: Mat, rx: int, ry: int) -> float:
    return float(_cca_float(A, B, rx, ry)[2][:min(rx, ry)].sum()) / min(rx, ry)


def cca_bracket(D: Any, c: dict, v: bool, w: dict, skip: type) -> tuple[str, str]:
    """Mean CCA against rational bounds (``cca_claim``): bases of the two row spans near the canonical directions,
    exactly orthogonal (``sig_basis``: Gram-Schmidt, and every row written over the basis); sum rho >= t k by
    the canonical pairing and rational lower bounds of its surds, sum rho <= t k by an exact factorisation
    M = F G near the SVD of the whitened N.  A verdict false is stated as the stronger bound on the other side:
    CCA <= t' < t (or t < t' <= CCA), t' short, between t and the float value (from the data, not the witness)."""
    sA, sB, A, B = _layers(D, c, w, skip)
    if not any(x for r in A for x in r) or not any(x for r in B for x in r):
        raise skip("cca of a constant layer is not stated in Coq")
    rx, ry = len(_rref(A)[0]), len(_rref(B)[0])  # exact ranks from the data (never the witness)
    bs = _bounds(c)
    x = Fraction(_cca_float_value(A, B, rx, ry))
    prefix = ""
    if not v:  # the bound on the other side of the float value: CCA < t as CCA <= t' < t, CCA > t as t < t' <= CCA
        key = next((k2 for k2 in ("at_least", "at_most", "equals") if k2 in bs
                    and {"at_least": x < bs[k2], "at_most": x > bs[k2], "equals": x != bs[k2]}[k2]), None)
        if key is None:
            raise skip("cca with verdict false: the float value does not refute a bound")
        t = bs[key]
        if x < t:
            tp = -_between(-t, -(x + t) / 2)
            prefix, bs = f"{_q(tp)} < {_q(t)} /\\ ", {"at_most": tp}
        else:
            tp = _between(t, (x + t) / 2)
            prefix, bs = f"{_q(t)} < {_q(tp)} /\\ ", {"at_least": tp}
    got = _cca_witness(A, B, rx, ry, bs)
    if got is None:
        raise skip("cca: no rational bases and witnesses found that prove the bracket")
    stmt = f"{prefix}cca_claim npoints {sA} {sB} {_opts(bs)}"
    tac = "apply (cca_true _ _ _ _ _ _ {} {} {} {})".format(*got)
    return stmt, (f"split; [vm_compute; reflexivity | {tac}]" if prefix else tac)


def _cca_witness(A: Mat, B: Mat, rx: int, ry: int, bs: dict[str, Fraction]) -> tuple[str, str, str, str] | None:
    """The Coq terms (bases of A and B, lower and upper witness) of cca_claimb for the bounds bs, or None."""
    k = min(rx, ry)
    ge = [t * k for key, t in bs.items() if key in ("equals", "at_least") and t > 0]
    le = [t * k for key, t in bs.items() if key in ("equals", "at_most")]
    for Px, Dx, Py, Dy, M in _cca_bases(A, B, rx, ry):
        wl, wu = "([], true, [])", NO_UPPER
        if ge:
            got = next((term for bits in ROUNDINGS for val, term in [_cca_lower(M, Dx, Dy, bits)] if val >= max(ge)), None)
            if got is None:
                continue
            wl = got
        if le:
            got = next((term for val, term in _cca_upper(M, Dx, Dy) if val <= min(le)), None)
            if got is None:
                continue
            wu = got
        cx, cy = _span_coefficients(A, Px, Dx), _span_coefficients(B, Py, Dy)
        if cx is None or cy is None:
            continue
        return f"({rx}%nat, {_qm(Px)}, {_qv(Dx)}, {_qm(cx)})", f"({ry}%nat, {_qm(Py)}, {_qv(Dy)}, {_qm(cy)})", wl, wu
    return None


def _ldl_strict(H: Mat) -> tuple[Mat, list[Fraction]] | None:
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


def _pos_on(G: Mat, b: Fraction, sign: int, V: Mat) -> tuple[Mat, list[Fraction]] | None:
    """The L D L^T of V (sign (G - b I)) V^T, when positive definite."""
    M = [[sign * (x - (b if p == q else 0)) for q, x in enumerate(row)] for p, row in enumerate(G)]
    return _ldl_strict([[_sform(u, M, v) for v in V] for u in V])


def svcca_exact(D: Any, c: dict, v: bool, w: dict, skip: type) -> tuple[str, str]:
    """SVCCA_k = 1 exactly when B's point Gram is c times A's (the same top-k subspace): a spectral gap of A's Gram
    (lambda_k > b > lambda_(k+1), by the float eigenvectors rounded: V (G - b I) V^T and W (b I - G) W^T positive
    definite, L D L^T checked exactly) and the ratio c."""
    sA, sB, A, B = _layers(D, c, w, skip)
    k = checker.integer(c["k"], "k", 1, 10_000)
    d = D.d
    GA, GB = _mm(_tr(A), A), _mm(_tr(B), B)
    at = next(((p, q) for p in range(d) for q in range(d) if GA[p][q]), None)
    ratio = GB[at[0]][at[1]] / GA[at[0]][at[1]] if at else Fraction(0)
    if ratio <= 0 or any(GB[p][q] != ratio * GA[p][q] for p in range(d) for q in range(d)):
        return svcca_below(D, c, v, skip, sA, sB, A, B, k)
    if not v:
        raise skip("svcca at the exact value 1 with verdict false is not in the Coq library")
    bs = _bounds(c)
    if not (bs.get("equals", 1) == 1 and bs.get("at_least", 0) <= 1 and bs.get("at_most", 1) >= 1):
        raise skip("svcca: the claim's bounds exclude the exact value 1")
    lam, vecs = np.linalg.eigh(np.array([[float(x) for x in r] for r in GA]))
    order = np.argsort(-lam)
    lam, vecs = lam[order], vecs[:, order]
    if k >= d or not lam[k - 1] > lam[k]:
        raise skip("svcca: no spectral gap after the k-th eigenvalue (floats)")
    b = _between(Fraction(float(lam[k])), Fraction(float(lam[k - 1])))
    for bits in ROUNDINGS:
        V = [[_dyadic(x, bits) for x in vecs[:, i]] for i in range(k)]
        W = [[_dyadic(x, bits) for x in vecs[:, i]] for i in range(k, d)]
        pv, pw = _pos_on(GA, b, 1, V), _pos_on(GA, b, -1, W)
        if pv is None or pw is None:
            continue
        tac = (f"apply (svcca_exact_true _ _ _ _ _ _ _ {_q(b)} {_qm(V)} {_qm(W)} ({_qm(pv[0])}, {_qv(pv[1])}) "
               f"({_qm(pw[0])}, {_qv(pw[1])}) {_q(ratio)})")
        return f"svcca_exact_claim npoints {sA} {sB} {k}%nat {_opts(bs)}", tac
    raise skip("svcca: no rational gap witness found")


def shape0(D: Any, c: dict, v: bool, w: dict, skip: type) -> tuple[str, str]:
    """netrep's shape metric at alpha 0, theta = arccos(sum rho / sqrt(rx ry)) (``shape0_claim``): the bases and
    witnesses of ``cca_bracket``, compared with cos_hi(t) sqrt(rx ry) (theta <= t) or cos_lo(t) r (theta >= t).
    A verdict false is stated as the stronger bound on the other side, as for mean CCA."""
    if w.get("undefined") is True:
        raise skip("shape with alpha 0 of a constant layer is not stated in Coq")
    sA, sB, A, B = _layers(D, c, w, skip)
    rx, ry = len(_rref(A)[0]), len(_rref(B)[0])  # exact ranks from the data (never the witness)
    if rx == 0 or ry == 0:
        raise skip("shape with alpha 0 of a constant layer is not stated in Coq")
    p = Fraction(rx * ry)
    bs = _bounds(c)
    x = Fraction(math.acos(min(1.0, _cca_float_value(A, B, rx, ry) * min(rx, ry) / math.sqrt(rx * ry))))
    prefix = ""
    if not v:
        key = next((k2 for k2 in ("at_least", "at_most", "equals") if k2 in bs
                    and {"at_least": x < bs[k2], "at_most": x > bs[k2], "equals": x != bs[k2]}[k2]), None)
        if key is None:
            raise skip("shape with verdict false: the float value does not refute a bound")
        t = bs[key]
        if x < t:
            tp = -_between(-t, -(x + t) / 2)
            prefix, bs = f"{_q(tp)} < {_q(t)} /\\ ", {"at_most": tp}
        else:
            tp = _between(t, (x + t) / 2)
            prefix, bs = f"{_q(t)} < {_q(tp)} /\\ ", {"at_least": tp}
    ge = [t for key, t in bs.items() if key in ("equals", "at_least") and t > 0]
    le = [t for key, t in bs.items() if key in ("equals", "at_most")]
    if ge and max(ge) > 3:
        raise skip("an angle above 3 is not stated in Coq")
    r = Fraction(math.isqrt(math.floor(p * 4 ** 64)), 2 ** 64)
    for Px, Dx, Py, Dy, M in _cca_bases(A, B, rx, ry):
        sl, wl, su, wu = Fraction(0), "([], true, [])", Fraction(0), NO_UPPER
        if ge:
            c_lo = min(cos_bounds(t)[0] for t in ge)
            got = next(((val, term) for val, term in _cca_upper(M, Dx, Dy) if val <= c_lo * r), None)
            if got is None:
                continue
            su, wu = got
        if le:
            c_hi = max(cos_bounds(t)[1] for t in le)
            if c_hi > 0:
                got = next(((val, term) for bits in ROUNDINGS for val, term in [_cca_lower(M, Dx, Dy, bits)]
                            if val >= 0 and c_hi * c_hi * p <= val * val), None)
                if got is None:
                    continue
                sl, wl = got
        cx, cy = _span_coefficients(A, Px, Dx), _span_coefficients(B, Py, Dy)
        if cx is None or cy is None:
            continue
        bx, by = f"({rx}%nat, {_qm(Px)}, {_qv(Dx)}, {_qm(cx)})", f"({ry}%nat, {_qm(Py)}, {_qv(Dy)}, {_qm(cy)})"
        stmt = f"{prefix}shape0_claim npoints {sA} {sB} {_opts(bs)}"
        tac = f"apply (shape0_true _ _ _ _ _ _ {bx} {by} {_q(sl)} {wl} {_q(r)} {_q(su)} {wu})"
        return stmt, (f"split; [vm_compute; reflexivity | {tac}]" if prefix else tac)
    raise skip("shape at alpha 0: no rational bases and witnesses found that prove the bound")


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


def _dk_proxy(A: Mat, k: int, d: int, bits: int) -> tuple[Mat, Fraction, str] | None:
    """A proxy of the top-k eigenspace of A's point Gram G = A_c^T A_c (``dk_close``): the float eigenvectors rounded
    and centred (V), an orthogonal basis u_l = V^T p_l of its row span, the gap b between the k-th and (k+1)-th
    eigenvalues (W: the other rounded eigenvectors, b I - G positive definite on them), e with G - (b + e) I
    positive definite on span u, and s = sqrt(resid2) / e rounded up: (V, s, the Coq term of the witness)."""
    G = _mm(_tr(A), A)
    lam, vecs = np.linalg.eigh(np.array([[float(x) for x in r] for r in G]))
    order = np.argsort(-lam)
    lam, vecs = lam[order], vecs[:, order]
    if k >= d or not lam[k - 1] > lam[k] * (1 + 1e-9) + 1e-12:
        return None
    b = _between(Fraction(float(lam[k])), Fraction(float(lam[k] + lam[k - 1])) / 2)
    V = []
    for i in range(k):
        v = [_dyadic(x, bits) for x in vecs[:, i]]
        m = sum(v, Fraction(0)) / d
        V.append([x - m for x in v])  # mean zero: the centred row span is the span of V itself
    W = [[_dyadic(x, bits) for x in vecs[:, i]] for i in range(k, d)]
    pw = _pos_on(G, b, -1, W)
    got = _sig_orthogonal([[Fraction(int(i == j)) for j in range(k)] for i in range(k)], _mm(V, _tr(V)))
    if pw is None or got is None:
        return None
    P, Dd = got
    cs = _span_coefficients(V, P, Dd)
    U = [[sum((p[a] * V[a][j] for a in range(k)), Fraction(0)) for j in range(d)] for p in P]
    H = [[_sform(u, G, v) for v in U] for u in U]
    hmin = float(np.linalg.eigvalsh(np.array([[float(H[i][j] / math.sqrt(Dd[i] * Dd[j])) for j in range(k)]
                                              for i in range(k)])).min())
    if cs is None or not hmin > float(b):
        return None
    e = _between(Fraction(0), Fraction((hmin - float(b)) / 2))
    pu = _pos_on(G, b + e, 1, U)
    if pu is None:
        return None
    r2 = Fraction(0)
    for l, u in enumerate(U):
        gu = [sum((G[p][q] * u[q] for q in range(d)), Fraction(0)) for p in range(d)]
        h = [sum((x * y for x, y in zip(um, gu)), Fraction(0)) / Dd[m] for m, um in enumerate(U)]
        R = [gu[p] - sum((U[m][p] * h[m] for m in range(k)), Fraction(0)) for p in range(d)]
        r2 += sum((x * x for x in R), Fraction(0)) / Dd[l]
    scale = 1 << 40
    s = Fraction(math.isqrt(-(-r2.numerator * scale * scale // r2.denominator)) + 1, scale) / e  # (s e)^2 >= r2
    term = (f"({_qm(P)}, {_qv(Dd)}, {_qm(cs)}, {_q(b)}, {_q(e)}, {_qm(W)}, ({_qm(pw[0])}, {_qv(pw[1])}), "
            f"({_qm(pu[0])}, {_qv(pu[1])}))")
    return V, s, term


def _svcca_float(A: Mat, B: Mat, k: int) -> float:
    """SVCCA_k from floats: the mean cosine between the spans of the top-k eigenvectors of the point Grams."""
    tops = []
    for M in (A, B):
        lam, vecs = np.linalg.eigh(np.array([[float(x) for x in r] for r in _mm(_tr(M), M)]))
        tops.append(vecs[:, np.argsort(-lam)[:k]])
    return float(np.linalg.svd(tops[0].T @ tops[1], compute_uv=False).mean())


def svcca_below(D: Any, c: dict, v: bool, skip: type, sA: str, sB: str, A: Mat, B: Mat, k: int) -> tuple[str, str]:
    """SVCCA_k against rational bounds when the two top-k subspaces differ (``svcca_claim``): a rational proxy of
    each subspace certified within s by Davis-Kahan (``dk_close``: a spectral gap by (CF), the proxy's residual),
    and the mean CCA of the two proxies bracketed as ``cca_claim`` with the bounds moved by sA + sB.  A verdict
    false is stated as the stronger bound on the other side (SVCCA <= t' < t, or t < t' <= SVCCA), t' short,
    between t and the float value (from the data, never the witness), as for ``cca``."""
    d = D.d
    bs = _bounds(c)
    prefix = ""
    if not v:
        x = Fraction(_svcca_float(A, B, k))
        key = next((k2 for k2 in ("at_least", "at_most", "equals") if k2 in bs
                    and {"at_least": x < bs[k2], "at_most": x > bs[k2], "equals": x != bs[k2]}[k2]), None)
        if key is None:
            raise skip("svcca with verdict false: the float value does not refute a bound")
        t = bs[key]
        if x < t:
            tp = -_between(-t, -(x + t) / 2)
            prefix, bs = f"{_q(tp)} < {_q(t)} /\\ ", {"at_most": tp}
        else:
            tp = _between(t, (x + t) / 2)
            prefix, bs = f"{_q(t)} < {_q(tp)} /\\ ", {"at_least": tp}
    if "equals" in bs:
        raise skip("svcca below 1 at an exact value is not stated in Coq (brackets only)")
    for bits in (12, 16, 20, 24, 32, 44, 52):  # coarse first: short numbers in Coq
        pa, pb = _dk_proxy(A, k, d, bits), _dk_proxy(B, k, d, bits)
        if pa is None or pb is None:
            continue
        (VA, s1, ta), (VB, s2, tb) = pa, pb
        moved = {key: t + s1 + s2 if key == "at_least" else t - s1 - s2 for key, t in bs.items()}
        got = _cca_witness(VA, VB, k, k, moved)
        if got is None:
            continue
        bx, by, wl, wu = got
        lo, hi = (f"(Some {_q(bs[key])})" if key in bs else "None" for key in ("at_least", "at_most"))
        tac = (f"apply (svcca_true _ _ _ _ _ _ {_qm(VA)} {_qm(VB)} {_q(s1)} {_q(s2)} {ta} {tb} {bx} {by} {wl} {wu})")
        stmt = f"{prefix}svcca_claim npoints {sA} {sB} {k}%nat {lo} {hi}"
        return stmt, (f"split; [vm_compute; reflexivity | {tac}]" if prefix else tac)
    raise skip("svcca below 1: no rational proxies and witnesses found that prove the bracket")


def _up(x: Fraction, bits: int) -> Fraction:
    """A dyadic >= x (within 2^-bits)."""
    return Fraction(-((-x.numerator * 2 ** bits) // x.denominator), 2 ** bits)


def _down(x: Fraction, bits: int) -> Fraction:
    return Fraction((x.numerator * 2 ** bits) // x.denominator, 2 ** bits)


def _pw_bounds(X: Mat, Y: Mat, Ux: Mat, Uy: Mat, Dx: list[Fraction], Dy: list[Fraction], Hx: Mat, Gy: Mat,
               sig: list[Fraction], bits: int) -> tuple[Fraction, Fraction, tuple] | None:
    """coq/Spectral.v's pw_bounds with eps, ulo, uhi and nu computed here (the proposals' exact residuals, rounded
    outwards to dyadics): (L, U, (eps, ulo, uhi, nu)), or None when a condition fails."""
    r, d = len(Hx), len(X[0])

    def proj(U: Mat, Dd: list[Fraction], g: list[Fraction]) -> list[Fraction]:
        cs = [sum((a * b for a, b in zip(u, g)), Fraction(0)) / dk for u, dk in zip(U, Dd)]
        return [sum((ck * u[p] for ck, u in zip(cs, U)), Fraction(0)) for p in range(d)]

    def dot(u: list[Fraction], v: list[Fraction]) -> Fraction:
        return sum((a * b for a, b in zip(u, v)), Fraction(0))
    h = [[sum((q[a] * X[a][p] for a in range(len(X))), Fraction(0)) for p in range(d)] for q in Hx]
    g = [[sum((q[a] * Y[a][p] for a in range(len(Y))), Fraction(0)) for p in range(d)] for q in Gy]
    eps, ulo, uhi = [], [], []
    for i in range(r):
        n2 = dot(h[i], h[i]) + dot(g[i], g[i])
        if n2 <= 0:
            return None
        ra = [x - sig[i] * y for x, y in zip(proj(Ux, Dx, g[i]), h[i])]
        rb = [x - sig[i] * y for x, y in zip(proj(Uy, Dy, h[i]), g[i])]
        e2 = (dot(ra, ra) + dot(rb, rb)) / n2
        e = _up(Fraction(math.isqrt(-((-e2.numerator * 4 ** bits) // e2.denominator)) + 1, 2 ** bits), bits)
        inv = 1 / math.sqrt(float(n2))
        lo_u, hi_u = _down(Fraction(inv * (1 - 1e-12)), 60), _up(Fraction(inv * (1 + 1e-12)), 60)
        if not (lo_u > 0 and lo_u * lo_u * n2 <= 1 <= hi_u * hi_u * n2):
            return None
        eps.append(e)
        ulo.append(lo_u)
        uhi.append(hi_u)
    f2 = sum((dot(z, z) for z in X), Fraction(0))
    nu = Fraction(math.isqrt(-((-len(X) * f2.numerator) // f2.denominator)) + 1)
    below = [sig[i + 1] + eps[i + 1] if i + 1 < r else Fraction(0) for i in range(r)]
    if any(not below[i] < sig[i] - eps[i] for i in range(r)):
        return None
    gam = [sig[i] - below[i] if i == 0 else min(sig[i - 1] - eps[i - 1] - sig[i], sig[i] - below[i]) for i in range(r)]
    a = [sum((abs(dot(h[i], z)) for z in X), Fraction(0)) for i in range(r)]
    t = [Fraction(3, 2) * nu * eps[i] / gam[i] for i in range(r)]
    lo = [max(Fraction(0), a[i] * ulo[i] - t[i]) for i in range(r)]
    hi = [a[i] * uhi[i] + t[i] for i in range(r)]
    if sum(lo) <= 0:
        return None
    L = sum((lo[i] * (sig[i] - eps[i]) for i in range(r)), Fraction(0)) / sum(hi)
    U = sum((hi[i] * min(Fraction(1), sig[i] + eps[i]) for i in range(r)), Fraction(0)) / sum(lo)
    return L, U, (eps, ulo, uhi, nu)


def pwcca_bracket(D: Any, c: dict, v: bool, w: dict, skip: type) -> tuple[str, str]:
    """PWCCA against rational bounds (``pwcca_claim``): orthogonal bases of both row spans (as ``cca_claim``), the
    float canonical pairs rounded (coefficients over the neurons) with their correlations, and the residual bounds
    of ``pw_bounds`` computed exactly and rounded outwards; the x side is the layer of smaller rank.  A verdict
    false is stated as the stronger bound on the other side (PWCCA <= t' < t, or t < t' <= PWCCA), as for cca."""
    sA, sB, A, B = _layers(D, c, w, skip)
    if not any(x for r in A for x in r) or not any(x for r in B for x in r):
        raise skip("pwcca of a constant layer is not stated in Coq")
    ra, rb = len(_rref(A)[0]), len(_rref(B)[0])  # exact ranks from the data (never the witness)
    X, Y, rx, ry = (A, B, ra, rb) if ra <= rb else (B, A, rb, ra)
    bs = _bounds(c)
    Hf, Gf, rho = _cca_float(X, Y, rx, ry)
    prefix = ""
    if not v:  # the stronger bound on the other side of the float value, as for cca (t' from the data)
        Xf = np.array([[float(x) for x in r] for r in X])
        alpha = np.abs(Xf @ (Xf.T @ Hf[:rx].T)).sum(axis=0)
        x = Fraction(float((alpha * rho[:rx]).sum() / alpha.sum()))
        key = next((k2 for k2 in ("at_least", "at_most", "equals") if k2 in bs
                    and {"at_least": x < bs[k2], "at_most": x > bs[k2], "equals": x != bs[k2]}[k2]), None)
        if key is None:
            raise skip("pwcca with verdict false: the float value does not refute a bound")
        t = bs[key]
        if x < t:
            tp = -_between(-t, -(x + t) / 2)
            prefix, bs = f"{_q(tp)} < {_q(t)} /\\ ", {"at_most": tp}
        else:
            tp = _between(t, (x + t) / 2)
            prefix, bs = f"{_q(t)} < {_q(tp)} /\\ ", {"at_least": tp}
    if "equals" in bs:
        raise skip("pwcca at an exact irrational value is not stated (brackets only)")
    for Px, Dx, Py, Dy, _ in _cca_bases(X, Y, rx, ry):
        cx, cy = _span_coefficients(X, Px, Dx), _span_coefficients(Y, Py, Dy)
        if cx is None or cy is None:
            continue
        Ux = [[sum((p[a] * X[a][j] for a in range(len(X))), Fraction(0)) for j in range(len(X[0]))] for p in Px]
        Uy = [[sum((p[a] * Y[a][j] for a in range(len(Y))), Fraction(0)) for j in range(len(Y[0]))] for p in Py]
        for bits in (16, 24, 32, 44, 52):
            Hx = [[_dyadic(x, bits) for x in row] for row in Hf[:rx]]
            Gy = [[_dyadic(x, bits) for x in row] for row in Gf[:rx]]
            sig = [_dyadic(float(x), bits) for x in rho[:rx]]
            got = _pw_bounds(X, Y, Ux, Uy, Dx, Dy, Hx, Gy, sig, bits)
            if got is None:
                continue
            L, U, (eps, ulo, uhi, nu) = got
            if bs.get("at_least", L) <= L and U <= bs.get("at_most", U):
                bx, by = f"({rx}%nat, {_qm(Px)}, {_qv(Dx)}, {_qm(cx)})", f"({ry}%nat, {_qm(Py)}, {_qv(Dy)}, {_qm(cy)})"
                ba, bb = (bx, by) if ra <= rb else (by, bx)
                wt = f"({_qm(Hx)}, {_qm(Gy)}, {_qv(sig)}, {_qv(eps)}, {_qv(ulo)}, {_qv(uhi)}, {_q(nu)})"
                lo, hi = (f"(Some {_q(bs[k])})" if k in bs else "None" for k in ("at_least", "at_most"))
                tac = f"apply (pwcca_true _ _ _ _ _ {ba} {bb} {wt})"
                return (f"{prefix}pwcca_claim npoints {sA} {sB} {lo} {hi}",
                        f"split; [vm_compute; reflexivity | {tac}]" if prefix else tac)
        break  # the bases are not the bottleneck: finer proposals failed
    raise skip("pwcca: no proposals of the canonical pairs found that prove the bracket")
