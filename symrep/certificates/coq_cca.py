"""Mean CCA, SVCCA, PWCCA and shape at alpha 0 in Coq (``coq/Spectral.v``, sections 6-12).

Mean CCA / PWCCA at their exact values 0 and 1 (``cca_exact``): the ranks of the layers and of their
union, or A_c B_c^T = 0.  Mean CCA (``cca_bracket``): the float canonical directions, rounded and made
exactly orthogonal in the Gram forms (Gram-Schmidt, primitive integer vectors), are the bases of
``sig_basis`` (every row of the centred layer written over them); sum rho >= t k by the canonical pairing
Q = [I 0] and rational lower bounds of its surds M_kk / sqrt(Dx_k Dy_k), sum rho <= t k by an exact
factorisation of M near the SVD of the whitened N, found in normalised coordinates.  SVCCA
(``svcca_exact``): the value 1 when the point Grams are proportional, with the spectral gap of A's Gram
certified by rounded float eigenvectors; below 1 (``svcca_below``), rational proxies of both top-k
eigenspaces within s (Davis-Kahan: ``dk_close``) and the proxies' mean CCA bracketed as above, the bounds
moved by sA + sB.  PWCCA (``pwcca_bracket``): the float canonical pairs rounded, their exact residuals
for J(u, v) = (P_X v, P_Y u) rounded outwards (``pw_bounds``).  Shape at alpha 0 (``shape0``): the bases
of ``cca_bracket`` and the cosine bounds of :mod:`symrep.certificates.coq_spectral`.

Every proposal is only that: Coq checks it, and the exporter first checks it exactly here, trying finer
roundings until the claim's bound is met (else the claim is skipped).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterator

import numpy as np

from symrep import checker
from symrep.certificates.coq_spectral import (NO_UPPER, ROUNDINGS, Mat, _between, _bounds, _layers, _mm, _opts, _q,
                                              _qm, _qv, _rref, _tr, _upper_proposals, _upper_term, cos_bounds,
                                              ldl_strict)

__all__ = ["cca_exact", "cca_bracket", "svcca_exact", "svcca_below", "pwcca_bracket", "shape0"]


def _other_side(x: Fraction, bs: dict[str, Fraction], name: str, skip: type) -> tuple[str, dict[str, Fraction]]:
    """A verdict false stated as the stronger bound on the other side: the first bound the float value x refutes,
    t, and a short rational t' between t and the midpoint of t and x; the statement's prefix "t' < t /\\ " (or
    "t < t' /\\ ") and the bound to prove instead (at_most t' or at_least t').  x comes from the data, never
    from the witness, so a witness cannot change what is stated."""
    key = next((k2 for k2 in ("at_least", "at_most", "equals") if k2 in bs
                and {"at_least": x < bs[k2], "at_most": x > bs[k2], "equals": x != bs[k2]}[k2]), None)
    if key is None:
        raise skip(f"{name} with verdict false: the float value does not refute a bound")
    t = bs[key]
    if x < t:
        tp = -_between(-t, -(x + t) / 2)
        return f"{_q(tp)} < {_q(t)} /\\ ", {"at_most": tp}
    tp = _between(t, (x + t) / 2)
    return f"{_q(t)} < {_q(tp)} /\\ ", {"at_least": tp}


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
        prefix, bs = _other_side(x, bs, "cca", skip)
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


def _pos_on(G: Mat, b: Fraction, sign: int, V: Mat) -> tuple[Mat, list[Fraction]] | None:
    """The L D L^T of V (sign (G - b I)) V^T, when positive definite."""
    M = [[sign * (x - (b if p == q else 0)) for q, x in enumerate(row)] for p, row in enumerate(G)]
    return ldl_strict([[_sform(u, M, v) for v in V] for u in V])


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
        prefix, bs = _other_side(x, bs, "shape", skip)
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
        prefix, bs = _other_side(x, bs, "svcca", skip)
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
        prefix, bs = _other_side(x, bs, "pwcca", skip)
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
