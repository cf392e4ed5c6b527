"""The checks of ``coq/Parametric.v`` section 3, mirrored over Fractions, to choose how to cut pieces.

A verdict true over a family is proved in Coq piece by piece: on each open interval or point the
symbolic forward pass (rational functions of t, each ReLU's pre-activation shown of one sign on the
piece) and the kind's identities are checked by ``vm_compute``.  The sign tests are Descartes' rule
after a change of variable (``pos_onb``): sound, but they may need the piece cut smaller.  This
module computes exactly what Coq will compute (the same lists, the same lengths), so the exporter
finds a subdivision that Coq accepts; it proves nothing itself (Coq re-checks everything).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Optional

Poly = list  # of Fraction, lowest degree first
RQ = tuple   # (num, den)
ISet = tuple  # ("open", lo, hi) with None for an infinite end, or ("point", c)

ZERO, ONE = Fraction(0), Fraction(1)


def padd(p: Poly, q: Poly) -> Poly:
    n = max(len(p), len(q))
    return [(p[i] if i < len(p) else ZERO) + (q[i] if i < len(q) else ZERO) for i in range(n)]


def pscale(c: Fraction, p: Poly) -> Poly:
    return [c * a for a in p]


def pmul(p: Poly, q: Poly) -> Poly:
    out: Poly = []
    for a in reversed(p):  # the recursion a :: p' -> padd (pscale a q) (0 :: pmul p' q), unrolled
        out = padd(pscale(a, q), [ZERO] + out)
    return out


def pneg(p: Poly) -> Poly:
    return pscale(-ONE, p)


def ppow(p: Poly, n: int) -> Poly:
    out: Poly = [ONE]
    for _ in range(n):
        out = pmul(p, out)
    return out


def peval(p: Poly, t: Fraction) -> Fraction:
    acc = ZERO
    for c in reversed(p):
        acc = c + t * acc
    return acc


def pshift(a: Fraction, p: Poly) -> Poly:
    out: Poly = []
    for c in reversed(p):
        out = padd([c], pmul([a, ONE], out))
    return out


def pflip(p: Poly) -> Poly:
    out: Poly = []
    for c in reversed(p):
        out = [c] + pneg(out)
    return out


def pmob(lo: Fraction, hi: Fraction, p: Poly) -> Poly:
    out: Poly = []
    for k in range(len(p) - 1, -1, -1):  # c = p[k], p' = p[k+1:]
        out = padd(pscale(p[k], ppow([ONE, ONE], len(p) - 1 - k)), pmul([lo, hi], out))
    return out


def posb(p: Poly) -> bool:
    return all(c >= 0 for c in p) and any(c > 0 for c in p)


def pos_on(s: ISet, p: Poly) -> bool:
    if s[0] == "point":
        return peval(p, s[1]) > 0
    _, lo, hi = s
    if lo is not None and hi is None:
        return posb(pshift(lo, p))
    if lo is None and hi is not None:
        return posb(pshift(-hi, pflip(p)))
    if lo is not None and hi is not None:
        return lo < hi and posb(pmob(lo, hi, p))
    return peval(p, ZERO) > 0 and posb(p) and posb(pflip(p))


def zero_on(s: ISet, p: Poly) -> bool:
    return peval(p, s[1]) == 0 if s[0] == "point" else all(c == 0 for c in p)


def nonpos_on(s: ISet, p: Poly) -> bool:
    return zero_on(s, p) or pos_on(s, pneg(p))


def rconst(q: Fraction) -> RQ:
    return ([q], [ONE])


def radd(x: RQ, y: RQ) -> RQ:
    return (padd(pmul(x[0], y[1]), pmul(y[0], x[1])), pmul(x[1], y[1]))


def rmul(x: RQ, y: RQ) -> RQ:
    return (pmul(x[0], y[0]), pmul(x[1], y[1]))


def rsub(x: RQ, y: RQ) -> RQ:
    return radd(x, (pneg(y[0]), y[1]))


def sentry(s: ISet, e: tuple) -> Optional[RQ]:
    if e[0] == "EC":
        return rconst(e[1])
    n, d = e[1], e[2]
    if pos_on(s, d):
        return (n, d)
    if pos_on(s, pneg(d)):
        return (pneg(n), pneg(d))
    return None


def sdot(U: list, V: list) -> RQ:
    out = rconst(ZERO)
    for u, v in reversed(list(zip(U, V))):
        out = radd(rmul(u, v), out)
    return out


def srelu(s: ISet, r: RQ) -> Optional[RQ]:
    if pos_on(s, r[0]):
        return r
    if nonpos_on(s, r[0]):
        return rconst(ZERO)
    return None


def slayer(s: ISet, L: tuple, H: list) -> Optional[list]:
    W, b, act = L
    Ws = [[sentry(s, e) for e in row] for row in W]
    bs = [sentry(s, e) for e in b]
    if any(x is None for row in Ws for x in row) or any(x is None for x in bs):
        return None
    out = []
    for w, c in zip(Ws, bs):
        assert c is not None  # every entry was read (None returned above otherwise)
        q = radd(sdot(w, H), c)
        r = srelu(s, q) if act == "relu" else q
        if r is None:
            return None
        out.append(r)
    return out


def sacts(s: ISet, pn: list, k: int, X: list) -> Optional[list]:
    V = []
    for x in X:
        H = [rconst(Fraction(v)) for v in x]
        vs = [H]
        for L in pn:
            H2 = slayer(s, L, H)
            if H2 is None:
                return None
            H = H2
            vs.append(H)
        V.append(vs[k] if k < len(vs) else [])
    width = len(V[0]) if V else 0
    return [[v[i] if i < len(v) else rconst(ZERO) for v in V] for i in range(width)]


def mat_eq_on(s: ISet, A: Optional[list], B: Optional[list]) -> bool:
    if A is None or B is None or len(A) != len(B):
        return False
    return all(len(u) == len(v) and all(zero_on(s, rsub(a, b)[0]) for a, b in zip(u, v)) for u, v in zip(A, B))


def scomb(c: list, S: list, j: int) -> RQ:
    out = rconst(ZERO)
    for i in range(len(S)):
        ci = c[i] if i < len(c) else rconst(ZERO)
        si = S[i][j] if j < len(S[i]) else rconst(ZERO)
        out = radd(out, rmul(ci, si))
    return out


def span_ok(s: ISet, d: int, z: list, S: list, c: list) -> bool:
    return all(pos_on(s, r[1]) for r in c) and all(
        zero_on(s, rsub(z[j] if j < len(z) else rconst(ZERO), scomb(c, S, j))[0]) for j in range(d))


def match_on(s: ISet, d: int, A: Optional[list], B: Optional[list], X: list, Y: list, cx: list, cy: list) -> bool:
    if A is None or B is None or len(cx) != len(X) or len(cy) != len(Y):
        return False

    def row(M: list, i: int) -> list:
        return M[i] if i < len(M) else []
    return (all(span_ok(s, d, row(A, x), [row(B, y) for y in Y], c) for x, c in zip(X, cx))
            and all(span_ok(s, d, row(B, y), [row(A, x) for x in X], c) for y, c in zip(Y, cy)))


def subdivide(lo: Optional[Fraction], hi: Optional[Fraction], check: Callable[[ISet], bool],
              budget: int = 64) -> Optional[list[Fraction]]:
    """Cut points inside (lo, hi) such that every open part and every cut point passes ``check``, or None."""
    cuts: list[Fraction] = []
    todo = [(lo, hi)]
    tried = 0
    while todo:
        a, b = todo.pop()
        if check(("open", a, b)):
            continue
        tried += 1
        if tried > budget:
            return None
        if a is None and b is None:
            m = ZERO
        elif b is None and a is not None:
            m = a + max(ONE, abs(a))
        elif a is None and b is not None:
            m = b - max(ONE, abs(b))
        elif a is not None and b is not None:
            m = _simple_between(a, b)
        if not check(("point", m)):
            return None
        cuts.append(m)
        todo += [(a, m), (m, b)]
    return sorted(cuts)


def _simple_between(a: Fraction, b: Fraction) -> Fraction:
    """A rational with a small denominator near the middle of (a, b) (short Coq numbers)."""
    mid = (a + b) / 2
    for den in (1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096):
        m = Fraction(round(mid * den), den)
        if a + (b - a) / 4 <= m <= b - (b - a) / 4:
            return m
    return mid


def rq_of(entry: Any, num: Callable[[Any], Fraction]) -> RQ:
    """A witness entry ("p/q" or [numerator, denominator] coefficient lists) as a rational function."""
    if isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, list) for x in entry):
        n, d = ([num(c) for c in p] for p in entry)
        if not d or all(c == 0 for c in d):
            raise ValueError("a zero denominator in the witness")
        return (n or [ZERO], d)
    return rconst(num(entry))


def nonneg_on(s: ISet, p: Poly) -> bool:
    return zero_on(s, p) or pos_on(s, p)


def ssumn(n: int, f: Callable[[int], RQ]) -> RQ:
    out = rconst(ZERO)
    for i in range(n):
        out = radd(out, f(i))
    return out


def _nth(v: list, j: int) -> RQ:
    return v[j] if j < len(v) else rconst(ZERO)


def scenter(d: int, A: list) -> list:
    inv = Fraction(1, d) if d else ZERO
    out = []
    for r in A:
        def entry(j: int, r: list = r) -> RQ:
            return _nth(r, j)
        m = rmul(ssumn(d, entry), rconst(inv))
        out.append([rsub(x, m) for x in r])
    return out


def sdotv(d: int, u: list, v: list) -> RQ:
    return ssumn(d, lambda j: rmul(_nth(u, j), _nth(v, j)))


def shsic(d: int, R: list, S: list) -> RQ:
    def term(i: int, j: int) -> RQ:
        x = sdotv(d, R[i], S[j])
        return rmul(x, x)
    return ssumn(len(R), lambda i: ssumn(len(S), lambda j: term(i, j)))


def scka(s: ISet, d: int, A: Optional[list], B: Optional[list]) -> Optional[RQ]:
    """CKA^2 as one rational function (h0^2 / (h1 h2)), when h1, h2 are shown positive on the piece."""
    if A is None or B is None:
        return None
    Ac, Bc = scenter(d, A), scenter(d, B)
    h0, h1, h2 = shsic(d, Ac, Bc), shsic(d, Ac, Ac), shsic(d, Bc, Bc)
    if not (pos_on(s, h1[0]) and pos_on(s, h2[0])):
        return None
    x, y = rmul(h0, h0), rmul(h1, h2)
    return (pmul(x[0], y[1]), pmul(x[1], y[0]))


def cmp_ok(s: ISet, c: Optional[RQ], eq: Optional[Fraction], lo: Optional[Fraction], hi: Optional[Fraction]) -> bool:
    """scmp_ok: c = eq, c >= lo, c <= hi on the piece (the bounds given as the values compared, squared by the caller)."""
    if c is None:
        return False
    return ((eq is None or zero_on(s, rsub(c, rconst(eq))[0]))
            and (lo is None or nonneg_on(s, rsub(c, rconst(lo))[0]))
            and (hi is None or nonneg_on(s, rsub(rconst(hi), c)[0])))


def sdiv(x: RQ, y: RQ) -> RQ:
    return (pmul(x[0], y[1]), pmul(x[1], y[0]))


def _srow_ok(s: ISet, ci: RQ, rg: list, rf: list, cin: list) -> bool:
    if len(rg) != len(rf) or len(rg) > len(cin):
        return False
    for a, b, c in zip(rg, rf, cin):
        x, y = sentry(s, a), sentry(s, b)
        if x is None or y is None or not zero_on(s, rsub(x, rmul(ci, sdiv(y, c)))[0]):
            return False
    return True


def _slayer_ok(s: ISet, c: list, Lg: tuple, Lf: tuple, cin: list) -> bool:
    (Wg, bg, _), (Wf, bf, _) = Lg, Lf
    if not len(c) == len(Wg) == len(Wf) == len(bg) == len(bf):
        return False
    for ci, rg, rf, a, b in zip(c, Wg, Wf, bg, bf):
        if not (pos_on(s, ci[0]) and pos_on(s, ci[1]) and _srow_ok(s, ci, rg, rf, cin)):
            return False
        x, y = sentry(s, a), sentry(s, b)
        if x is None or y is None or not zero_on(s, rsub(x, rmul(ci, y))[0]):
            return False
    return True


def sym_on(s: ISet, n: int, pg: list, pf: list, cs: list) -> bool:
    """sym_on: g is f with every neuron scaled by c > 0 (identity permutations), the outputs by 1."""
    cin = [rconst(ONE)] * n
    if not len(cs) == len(pg) == len(pf):
        return False
    for c, Lg, Lf in zip(cs, pg, pf):
        if Lg[2] != Lf[2] or not _slayer_ok(s, c, Lg, Lf, cin):
            return False
        cin = c
    return all(pos_on(s, r[1]) and zero_on(s, rsub(r, rconst(ONE))[0]) for r in cin)


def _schain_ok(s: ISet, d: int, W: list, SB: list) -> bool:
    if len(W) != len(SB):
        return False
    done: list = []
    for w, z in zip(W, SB):
        if not all(pos_on(s, r[1]) for r in w):
            return False
        if not all(zero_on(s, sdotv(d, w, y)[0]) for y in done):
            return False
        p = sdotv(d, w, z)[0]
        if not (pos_on(s, p) or pos_on(s, pneg(p))):
            return False
        done = done + [z]
    return True


def dim_on(s: ISet, d: int, A: Optional[list], r: int, I: list, W: list, cs: list) -> bool:
    """sdim_on: basis rows I, a triangular chain W, coefficients cs of every row over the basis."""
    if A is None or len(I) != r or any(i >= len(A) for i in I):
        return False
    SB = [A[i] for i in I]
    return _schain_ok(s, d, W, SB) and all(
        span_ok(s, d, A[i], SB, cs[i] if i < len(cs) else []) for i in range(len(A)))


def _sremoval_ok(s: ISet, d: int, mine: list, other: list, M: list, O: list, v: int, w: list) -> bool:
    def row(A: list, i: int) -> list:
        return A[i] if i < len(A) else []
    if v not in M or not all(pos_on(s, r[1]) for r in w):
        return False
    if not all(zero_on(s, sdotv(d, w, row(other, u))[0]) for u in O):
        return False
    p = sdotv(d, w, row(mine, v))[0]
    return pos_on(s, p) or pos_on(s, pneg(p))


def max_on(s: ISet, d: int, A: Optional[list], B: Optional[list], X: list, Y: list, tr: list,
           cx: list, cy: list) -> bool:
    """smax_on: the removal trace replayed from all neurons leaves (X, Y), a match by the coefficients."""
    if A is None or B is None:
        return False
    Xc, Yc = list(range(len(A))), list(range(len(B)))
    for side, v, w in tr:
        if side == "x":
            if not _sremoval_ok(s, d, A, B, Xc, Yc, v, w):
                return False
            Xc = [u for u in Xc if u != v]
        else:
            if not _sremoval_ok(s, d, B, A, Yc, Xc, v, w):
                return False
            Yc = [u for u in Yc if u != v]
    return Xc == X and Yc == Y and match_on(s, d, A, B, X, Y, cx, cy)
