"""PWCCA: certified brackets against an independent 60-digit computation from the definition, claims, the checker.

The oracle follows Morcos et al. (2018) as their reference code computes it, with both layers centred:
orthonormal bases of the column spaces (SVD), the SVD of Qxᵀ Qy gives the canonical correlations and
the canonical variates h_i = Qx u_i on the side of smaller rank, alpha_i = sum_j |<h_i, x_j>|.
"""

from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.certificates import certificate
from symrep.claims import loads_claim_file
from symrep.claims.verdicts import verify_problem
from symrep.errors import InputError
from symrep.measures.catalog import lookup
from symrep.measures.pwcca import pwcca_bracket

F = Fraction
WIDTH = F(1, 10**12)


def oracle(A, B):
    """(pwcca, correlations, rank of the x side) at 60 digits; rows = neurons; None when a side is constant."""
    with mpmath.workdps(60):
        def centred(M):
            rows = [[mpmath.mpf(F(x).numerator) / F(x).denominator for x in r] for r in M]
            return mpmath.matrix([[x - sum(r) / len(r) for x in r] for r in rows]).T  # points x neurons

        def basis(Z):
            U, S, _ = mpmath.svd_r(Z)
            r = sum(1 for x in S if x > mpmath.mpf(10) ** -40)
            return mpmath.matrix([[U[i, j] for j in range(r)] for i in range(Z.rows)]), r

        X, Y = centred(A), centred(B)
        (Qx, rx), (Qy, ry) = basis(X), basis(Y)
        if rx == 0 or ry == 0:
            return None
        if ry < rx:
            X, Qx, Qy, rx, ry = Y, Qy, Qx, ry, rx
        U, S, _ = mpmath.svd_r(Qx.T * Qy)
        H = Qx * U
        alpha = [sum(abs(sum(H[k, i] * X[k, j] for k in range(X.rows))) for j in range(X.cols)) for i in range(rx)]
        return sum(a * S[i] for i, a in enumerate(alpha)) / sum(alpha), [S[i] for i in range(rx)], rx


def inside(v, x) -> bool:
    with mpmath.workdps(60):
        lo = mpmath.mpf(v.lower.numerator) / v.lower.denominator
        hi = mpmath.mpf(v.upper.numerator) / v.upper.denominator
        return lo - mpmath.mpf(10) ** -30 <= x <= hi + mpmath.mpf(10) ** -30


def evaluate(A, B, width=WIDTH):
    m, arg = lookup("pwcca")
    return m.evaluate(A, B, width=width, arg=arg)


small = st.integers(-6, 6).map(F)


@st.composite
def pairs(draw, max_points=8):
    d = draw(st.integers(4, max_points))
    na, nb = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return ([[draw(small) for _ in range(d)] for _ in range(na)], [[draw(small) for _ in range(d)] for _ in range(nb)])


def separated(rho) -> bool:
    """Whether the oracle's correlations are distinct and positive by a margin floats resolve."""
    eps = mpmath.mpf(10) ** -8
    return all(r > eps for r in rho) and all(a - b > eps for a, b in zip(rho, rho[1:]))


@settings(max_examples=80, deadline=None)
@given(pairs())
def test_brackets_contain_the_definition_or_the_correlations_tie(pair):
    A, B = pair
    ref = oracle(A, B)
    if ref is None:
        with pytest.raises(InputError, match="undefined"):
            evaluate(A, B)
        return
    value, rho, _ = ref
    try:
        v = evaluate(A, B)
    except InputError as e:  # refused only where correlations tie or nearly tie (or one is 0)
        assert "could not be separated" in str(e) and not separated(rho), (str(e), rho)
        return
    assert v.upper - v.lower <= WIDTH * max(1, abs(v.upper))
    assert inside(v, value), (float(v.lower), float(v.upper), value, rho)
    if separated(rho) and v.exact is None:
        assert 0 < v.lower and v.upper <= 1


def test_narrow_widths_by_exact_residual_refinement():
    rng = np.random.default_rng(11)
    for _ in range(4):
        A, B = rng.integers(-9, 10, (3, 10)), rng.integers(-9, 10, (4, 10))
        v = evaluate(A.astype(float), B.astype(float), width=F(1, 10**40))
        assert v.upper - v.lower <= F(1, 10**40) and inside(v, oracle(A.tolist(), B.tolist())[0])


@pytest.mark.slow  # 24 + 30 neurons over 120 points: a minute of CPU, so in the slow set
def test_larger_layers_reach_the_default_width():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((24, 120)).astype(np.float32)
    B = (rng.standard_normal((30, 24)) @ A + rng.standard_normal((30, 120))).astype(np.float32)
    v = evaluate(A, B)
    assert v.upper - v.lower <= WIDTH
    ref = oracle(A.astype(float).tolist(), B.astype(float).tolist())[0]
    assert inside(v, ref)


def test_exact_values_and_the_side_of_smaller_rank():
    A = [[F(2), F(-1), F(0), F(3), F(1)], [F(1), F(1), F(-3), F(0), F(2)]]
    mixed = [[A[0][j] + 2 * A[1][j] for j in range(5)], [A[1][j] - A[0][j] for j in range(5)], [F(j * j) for j in range(5)]]
    assert evaluate(A, mixed).exact == 1  # col A is inside col mixed: every correlation is 1, whatever the weights
    assert evaluate([[F(1), F(-1), F(1), F(-1)]], [[F(1), F(1), F(-1), F(-1)]]).exact == 0
    B = [[F(1), F(0), F(2), F(-1), F(0)], [F(0), F(3), F(1), F(1), F(-2)], [F(2), F(2), F(0), F(1), F(1)]]
    assert pwcca_bracket(A, B).swap is False and pwcca_bracket(B, A).swap is True
    v, w = evaluate(A, B), evaluate(B, A)  # the x side is the one of smaller rank either way: symmetric here
    assert v.lower <= w.upper and w.lower <= v.upper and inside(v, oracle(A, B)[0])


def test_a_tie_is_refused_not_guessed():
    # a1 + n1 and a2 + n2 with n1, n2 orthogonal to everything else: both correlations are 1/sqrt 2
    a1, a2, n1, n2 = ([F(int(i == 2 * k) - int(i == 2 * k + 1)) for i in range(8)] for k in range(4))
    A, B = [a1, a2], [[x + y for x, y in zip(a1, n1)], [x + y for x, y in zip(a2, n2)]]
    rho = oracle(A, B)[1]
    assert abs(rho[0] - rho[1]) < mpmath.mpf(10) ** -40
    with pytest.raises(InputError, match="could not be separated"):
        evaluate(A, B)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def test_float_reference_code_agrees(seed):
    """Morcos et al.'s computation in float64 (centred), as their numpy code does it, lands in the bracket."""
    rng = np.random.default_rng(seed)
    d, na, nb = int(rng.integers(8, 16)), int(rng.integers(2, 5)), int(rng.integers(2, 5))
    A, B = rng.standard_normal((na, d)).astype(np.float32), rng.standard_normal((nb, d)).astype(np.float32)
    ref = float_pwcca(A.astype(float), B.astype(float))
    v = evaluate(A, B)
    assert float(v.lower) - 1e-9 <= ref <= float(v.upper) + 1e-9


def float_pwcca(A, B):
    """PWCCA in float64 following Morcos et al.'s reference code (cca_core + pwcca.py), centred, no epsilon."""
    X, Y = A - A.mean(1, keepdims=True), B - B.mean(1, keepdims=True)  # neurons x points
    if len(Y) < len(X):
        X, Y = Y, X
    sxx, syy, sxy = X @ X.T, Y @ Y.T, X @ Y.T
    ix = np.linalg.inv(np.linalg.cholesky(sxx))
    iy = np.linalg.inv(np.linalg.cholesky(syy))
    u, rho, _ = np.linalg.svd(ix @ sxy @ iy.T)
    dirns = (ix.T @ u).T @ X  # canonical variates (rows)
    P, _ = np.linalg.qr(dirns.T)
    w = np.abs(P.T @ X.T).sum(axis=1)
    return float((w / w.sum()) @ rho[: len(X)])


# --- claims, certificates, the checker --------------------------------------------------------------

CLAIMS = """
[data]
inputs = [[1, 2], [3, -1], [0, 1], [2, 2], [-1, 0], [1, -3], [2, -2]]
[networks.f]
layers = [{weights = [[1, 0], [0, 1], [1, 1]], activation = "relu"}]
[networks.g]
layers = [{weights = [[2, 1]], activation = "relu"}]
[networks.g2]
layers = [{weights = [[2, 1], [1, -3]], activation = "relu"}]
[networks.h]
layers = [{weights = [["3/5", "4/5"], ["-4/5", "3/5"]], activation = "identity"}]
[networks.i]
layers = [{weights = [[1, 0], [0, 1]], activation = "identity"}]
[networks.z]
layers = [{weights = [[0, 0], [0, 0]], activation = "identity", bias = [1, 2]}]
"""


def claim(cid, nets, **fields):
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in fields.items())
    return f'[[claims]]\nid = "{cid}"\nkind = "pwcca"\nnetworks = {json.dumps(nets)}\nlayer = 1\n{extra}'


FILE = CLAIMS + "".join([
    claim("w", ["f", "g2"], at_least="1/2"),
    claim("w-swap", ["g2", "f"], at_most="1/2"),
    claim("w-one", ["f", "g"], at_least="9/10"),
    claim("w1", ["h", "i"], equals=1),
    claim("undefined", ["z", "i"], at_least=0),
])


@pytest.fixture(scope="module")
def cert():
    problem = loads_claim_file(FILE)
    verdicts = verify_problem(problem)
    got = {v.claim.id: v.holds for v in verdicts}
    # oracle values: pwcca(f, g2) = pwcca(g2, f) = 0.96..., pwcca(f, g) = 0.99...; h is a rotation of i
    assert got == {"w": True, "w-swap": False, "w-one": True, "w1": True, "undefined": False}, verdicts
    return json.loads(json.dumps(certificate(problem, verdicts)))


def test_the_oracle_agrees_with_the_claims():
    pts = [(1, 2), (3, -1), (0, 1), (2, 2), (-1, 0), (1, -3), (2, -2)]

    def relu_layer(W):  # rows = neurons, columns = data points
        return [[F(max(0, a * x + b * y)) for x, y in pts] for a, b in W]

    f, g, g2 = relu_layer([(1, 0), (0, 1), (1, 1)]), relu_layer([(2, 1)]), relu_layer([(2, 1), (1, -3)])
    assert oracle(f, g2)[0] > mpmath.mpf(1) / 2
    assert oracle(f, g)[0] > mpmath.mpf(9) / 10


def reports(doc):
    return {c["id"]: c for c in checker.check_certificate(doc)}


def test_the_checker_accepts_the_certificate(cert):
    assert all(r["valid"] for r in reports(cert).values()), reports(cert)
    w = {r["id"]: r["witness"] for r in cert["results"]}
    assert w["w"]["swap"] is True and w["w-swap"]["swap"] is False  # g2 has the smaller rank (2 < 3)


def _bump(text: str) -> str:
    q = Fraction(text)
    return str(q + F(1, 10**6) if q >= 0 else q - F(1, 10**6))


def _set(key, value):
    return lambda w: w.update({key: value})


TAMPERS = {
    "e-zero": ("w", lambda w: w.update(e=["0"] * len(w["e"]))),
    "e-negative": ("w", lambda w: w.update(e=["-" + w["e"][0]] + w["e"][1:])),
    "sigma-moved": ("w", lambda w: w.update(sigma=[_bump(w["sigma"][0])] + w["sigma"][1:])),
    "sigma-tie": ("w", lambda w: w.update(sigma=[w["sigma"][0]] * len(w["sigma"]))),
    "p-entry": ("w", lambda w: w["p"][0].__setitem__(0, _bump(w["p"][0][0]))),
    "q-entry": ("w", lambda w: w["q"][0].__setitem__(0, _bump(w["q"][0][0]))),
    "ew": ("w", _set("ew", "0")),
    "u-hi": ("w", _set("u_hi", "1")),
    "u-lo": ("w", _set("u_lo", "2")),
    "nu-small": ("w", _set("nu", "1/1000")),
    "nu-negative": ("w", lambda w: w.update(nu="-" + w["nu"])),
    "whitening": ("w", lambda w: w["wx"][0].__setitem__(0, _bump(w["wx"][0][0]))),
    "ex": ("w", _set("ex", "0")),
    "lower": ("w", lambda w: w.update(lower=w["upper"])),
    "swap-flipped": ("w-swap", lambda w: w.update(swap=not w["swap"])),
    "swap-missing": ("w", lambda w: w.pop("swap")),
    "rank": ("w", lambda w: w["rank_x"].update(dimension=1)),
    "union": ("w1", lambda w: w["union"].update(dimension=1)),
    "undefined-elsewhere": ("w", lambda w: (w.clear(), w.update(undefined=True))),
}


@pytest.mark.parametrize("case", sorted(TAMPERS))
def test_tampered_certificates_are_rejected(cert, case):
    cid, edit = TAMPERS[case]
    doc = json.loads(json.dumps(cert))
    res = next(r for r in doc["results"] if r["id"] == cid)
    edit(res["witness"])
    if case == "undefined-elsewhere":
        res["verdict"] = False
    report = reports(doc)[cid]
    assert not report["valid"], report


def test_a_flipped_verdict_is_rejected(cert):
    doc = json.loads(json.dumps(cert))
    res = next(r for r in doc["results"] if r["id"] == "w")
    res["verdict"] = not res["verdict"]
    assert not reports(doc)["w"]["valid"]


def test_compare_reports_pwcca(tmp_path, capsys):
    from symrep.cli.app import main

    rng = np.random.default_rng(5)
    X = rng.standard_normal((30, 4)).astype(np.float32)
    np.savez(tmp_path / "a.npz", h=X)
    Y = np.tanh(X @ rng.standard_normal((4, 3))).astype(np.float32)
    np.savez(tmp_path / "b.npz", h=Y)
    assert main(["compare", str(tmp_path / "a.npz"), str(tmp_path / "b.npz"), "--data-rows", "--json",
                 "--measures", "pwcca,cca", "--width", "1e-12"]) == 0
    got = json.loads(capsys.readouterr().out)["layers"][0]["measures"]
    lo, hi = Fraction(got["pwcca"]["lower"]), Fraction(got["pwcca"]["upper"])
    ref = float_pwcca(X.T.astype(float), Y.T.astype(float))
    assert 0 < lo <= hi <= 1 and hi - lo <= Fraction(1, 10**12)
    assert float(lo) - 1e-9 <= ref <= float(hi) + 1e-9


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(-2**70, 2**70), min_size=3, max_size=3), min_size=1, max_size=4),
       st.integers(0, 200), st.booleans())
def test_to_float_and_column_norms_are_exact_where_they_claim(rows, shift, small):
    # to_float: G ~ F 2**e with e even, F = G >> e (floor), |F| below 2**61; _column_norms2: exact squares
    from symrep.measures.procrustes import to_float
    from symrep.measures.pwcca import _column_norms2
    G = np.array([[(v % 2**40 if small else v) << (0 if small else shift) for v in r] for r in rows], dtype=object)
    if small:
        G = G.astype(np.int64)
    Fl, e = to_float(G)
    assert e % 2 == 0 and e >= 0
    for f, g in zip(Fl.ravel(), G.ravel()):
        assert f == float(int(g) >> e) and abs(int(g) >> e) < 2**61
    top = max(abs(int(g)).bit_length() for g in G.ravel())
    assert e == 0 if top <= 60 else e - (top - 60) in (0, 1)
    assert _column_norms2(G, 3) == [F(sum(int(g) ** 2 for g in G[:, j]), 2**6) for j in range(G.shape[1])]
