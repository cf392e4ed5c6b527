"""Procrustes, angular Procrustes, CCA and SVCCA: certified brackets against independent computations.

The oracles are written here from the definitions (as netrep and repsim compute them): NumPy
SVD/QR formulas in float64, and the same formulas in mpmath at 60 digits, whose error is far
below any bracket width used, so the bracket must contain them strictly.
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
from symrep.measures.catalog import lookup

F = Fraction
WIDTH = F(1, 10**12)


# --- oracles --------------------------------------------------------------------------------------

def np_reference(A: np.ndarray, B: np.ndarray, k: int | None = None) -> dict[str, float]:
    """netrep/repsim formulas in float64 (rows of A, B = neurons)."""
    X, Y = (A - A.mean(1, keepdims=True)).T, (B - B.mean(1, keepdims=True)).T
    U, s, Vt = np.linalg.svd(X.T @ Y)
    Q = U @ Vt if X.shape[1] == Y.shape[1] else None
    N = s.sum()
    nx, ny = np.linalg.norm(X), np.linalg.norm(Y)
    out = {"procrustes": float(np.sqrt(max(nx**2 + ny**2 - 2 * N, 0))),
           "angular_procrustes": float(np.arccos(min(N / (nx * ny), 1)))}
    if Q is not None:
        out["procrustes_by_q"] = float(np.linalg.norm(X @ Q - Y))
    def mean_cca(X, Y):
        qx, qy = np.linalg.qr(X)[0], np.linalg.qr(Y)[0]
        return float(np.linalg.svd(qx.T @ qy, compute_uv=False).mean())

    out["cca"] = mean_cca(X, Y)
    if k is not None:  # SVCCA: keep the top-k left singular directions (times their singular values)
        Xk = np.linalg.svd(X, full_matrices=False)[0][:, :k] * np.linalg.svd(X, compute_uv=False)[:k]
        Yk = np.linalg.svd(Y, full_matrices=False)[0][:, :k] * np.linalg.svd(Y, compute_uv=False)[:k]
        out["svcca"] = mean_cca(Xk, Yk)
    return out


def mp_reference(A: list[list[Fraction]], B: list[list[Fraction]], k: int | None = None) -> dict[str, mpmath.mpf]:
    """The same definitions at 60 digits: nuclear norm by SVD, canonical correlations by orthonormal bases."""
    with mpmath.workdps(60):
        def centred(M):
            rows = [[mpmath.mpf(x.numerator) / x.denominator for x in r] for r in M]
            return mpmath.matrix([[x - sum(r) / len(r) for x in r] for r in rows]).T  # points x features

        X, Y = centred(A), centred(B)
        s = mpmath.svd_r(X.T * Y, compute_uv=False)
        N = sum(s)
        nx, ny = mpmath.norm(X, 2), mpmath.norm(Y, 2)
        out = {"procrustes": mpmath.sqrt(max(nx**2 + ny**2 - 2 * N, 0)),
               "angular_procrustes": mpmath.acos(min(N / (nx * ny), 1))}

        def basis(Z, kk):
            U, S, _ = mpmath.svd_r(Z)
            r = kk if kk is not None else sum(1 for x in S if x > mpmath.mpf(10) ** -40)
            return mpmath.matrix([[U[i, j] for j in range(r)] for i in range(Z.rows)]), r

        (Ux, rx), (Uy, ry) = basis(X, k), basis(Y, k)
        rho = mpmath.svd_r(Ux.T * Uy, compute_uv=False)
        m = min(rx, ry)
        out["cca"] = sum(rho[i] for i in range(m)) / m
        return out


def evaluate(name: str, A, B, width=WIDTH):
    m, arg = lookup(name)
    return m.evaluate(A, B, width=width, arg=arg)


def inside(v, x: mpmath.mpf) -> bool:
    """x in the bracket, up to the oracle's own error (60 digits; a square root of a cancelled 0 is ~1e-30)."""
    with mpmath.workdps(60):
        lo = mpmath.mpf(v.lower.numerator) / v.lower.denominator
        hi = mpmath.mpf(v.upper.numerator) / v.upper.denominator
        slack = mpmath.mpf(10) ** -25
        return lo - slack <= x <= hi + slack


small = st.integers(-6, 6).map(F)


@st.composite
def pairs(draw, max_points=7):
    d = draw(st.integers(4, max_points))
    na, nb = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    A = [[draw(small) for _ in range(d)] for _ in range(na)]
    B = [[draw(small) for _ in range(d)] for _ in range(nb)]
    return A, B


def nonconstant(M):
    return any(x != r[0] for r in M for x in r)


def centred_norm2(M) -> Fraction:
    """|M_c|_F², each neuron (row) minus its mean over the points, in Fractions."""
    return sum((sum(x * x for x in r) - sum(r) ** 2 / len(r) for r in M), Fraction(0))


# --- brackets contain the oracles -------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(pairs())
def test_brackets_contain_the_high_precision_values(pair):
    A, B = pair
    if not (nonconstant(A) and nonconstant(B)):
        return
    ref = mp_reference(A, B)
    for name in ("procrustes", "angular_procrustes", "cca"):
        v = evaluate(name, A, B)
        assert v.upper - v.lower <= WIDTH * max(1, abs(v.upper)), name
        assert inside(v, ref[name]), (name, float(v.lower), float(v.upper), ref[name])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6))
def test_float_peers_agree_with_the_brackets(seed):
    """Random float32 activations (as a network gives them): the float formulas land within float error."""
    rng = np.random.default_rng(seed)
    d, na, nb = rng.integers(6, 12), rng.integers(2, 5), rng.integers(2, 5)
    A, B = rng.standard_normal((na, d)).astype(np.float32), rng.standard_normal((nb, d)).astype(np.float32)
    ref = np_reference(A.astype(float), B.astype(float), k=2)
    for name in ("procrustes", "angular_procrustes", "cca"):
        v = evaluate(name, A, B)
        assert float(v.lower) - 1e-9 <= ref[name] <= float(v.upper) + 1e-9, name
    if "procrustes_by_q" in ref:  # the minimum is attained at the polar factor
        v = evaluate("procrustes", A, B)
        assert abs(ref["procrustes_by_q"] - float(v.lower)) < 1e-9
    v = evaluate("svcca:2", A, B)
    assert float(v.lower) - 1e-9 <= ref["svcca"] <= float(v.upper) + 1e-9


def test_svcca_against_high_precision():
    rng = np.random.default_rng(7)
    for _ in range(5):
        A = [[F(int(x)) for x in r] for r in rng.integers(-9, 10, (4, 9))]
        B = [[F(int(x)) for x in r] for r in rng.integers(-9, 10, (3, 9))]
        v = evaluate("svcca:2", A, B)
        assert inside(v, mp_reference(A, B, k=2)["cca"])


def test_narrow_widths_are_reached_and_still_contain_the_value():
    A = [[F(1), F(2), F(0), F(3), F(-1)], [F(0), F(1), F(1), F(-2), F(2)]]
    B = [[F(2), F(-1), F(0), F(1), F(1)], [F(1), F(1), F(-3), F(0), F(2)]]
    ref = mp_reference(A, B)
    for name in ("procrustes", "angular_procrustes", "cca"):
        v = evaluate(name, A, B, width=F(1, 10**40))
        assert v.upper - v.lower <= F(1, 10**40) * max(1, abs(v.upper)) and inside(v, ref[name]), name


# --- exact values and invariances -----------------------------------------------------------------

ROT = [[F(3, 5), F(4, 5), F(0)], [F(-4, 5), F(3, 5), F(0)], [F(0), F(0), F(1)]]  # a rational rotation
LIN = [[F(1), F(2), F(0)], [F(0), F(1), F(0)], [F(1), F(1), F(1)]]  # invertible, not orthogonal
A0 = [[F(x) for x in r] for r in ([2, -1, 0, 3, 1, -2, 0, 1], [1, 1, -3, 0, 2, 0, 1, -1], [0, 2, 1, -1, -1, 3, 2, 0])]


def times(M, A):
    return [[sum((M[i][k] * A[k][j] for k in range(len(A))), F(0)) for j in range(len(A[0]))] for i in range(len(M))]


def test_orthogonal_maps_scaling_and_translation_are_exact():
    rotated = times(ROT, A0)
    shifted = [[x + c for x in r] for r, c in zip(A0, (F(5), F(-7, 3), F(1, 2)))]
    scaled = [[7 * x for x in r] for r in A0]
    for B in (rotated, shifted):
        assert evaluate("procrustes", A0, B).exact == 0
        assert evaluate("angular_procrustes", A0, B).exact == 0
    for B in (rotated, shifted, scaled):
        assert evaluate("cca", A0, B).exact == 1
        assert evaluate("cka", A0, B).exact == 1
        assert evaluate("svcca:2", A0, B).contains(F(1))
    assert evaluate("angular_procrustes", A0, scaled).exact == 0
    xx = sum(((x - sum(r) / len(r)) ** 2 for r in A0 for x in r), F(0))
    assert evaluate("procrustes", A0, scaled).square == 36 * xx  # (7 - 1)^2 |X|^2: not scale invariant


def test_cca_is_invariant_under_invertible_maps_and_procrustes_is_not():
    mapped = times(LIN, A0)
    assert evaluate("cca", A0, mapped).exact == 1
    assert evaluate("procrustes", A0, mapped).lower > 0
    assert evaluate("angular_procrustes", A0, mapped).lower > 0
    assert evaluate("cka", A0, mapped).upper < 1
    assert evaluate("svcca:2", A0, mapped).upper < 1


def test_orthogonal_cross_covariance_gives_cca_zero():
    A = [[F(1), F(-1), F(1), F(-1)]]
    B = [[F(1), F(1), F(-1), F(-1)]]
    assert evaluate("cca", A, B).exact == 0


def test_svcca_ties_and_ranks_are_refused():
    from symrep.errors import InputError

    A = [[F(1), F(-1), F(0), F(0)], [F(0), F(0), F(1), F(-1)]]  # two equal singular values
    with pytest.raises(InputError, match="ill-defined"):
        evaluate("svcca:1", A, [[F(1), F(2), F(0), F(5)], [F(0), F(1), F(3), F(1)]])
    with pytest.raises(InputError, match="ill-defined"):
        evaluate("svcca:3", A, A)


def test_pwcca_is_a_measure():  # it was refused before issue 13's PWCCA; tests/test_pwcca.py checks its values
    assert lookup("pwcca")[0].distance is False


# --- claims, certificates, the checker --------------------------------------------------------------

CLAIMS = """
[data]
inputs = [[1, 2], [3, -1], [0, 1], [2, 2], [-1, 0], [1, -3]]
[networks.f]
layers = [{weights = [[1, 0], [0, 1], [1, 1]], activation = "relu"}]
[networks.g]
layers = [{weights = [[2, 1], [1, -1], [0, 1]], activation = "relu"}]
[networks.h]
layers = [{weights = [["3/5", "4/5"], ["-4/5", "3/5"]], activation = "identity"}]
[networks.i]
layers = [{weights = [[1, 0], [0, 1]], activation = "identity"}]
[networks.z]
layers = [{weights = [[0, 0], [0, 0]], activation = "identity", bias = [1, 2]}]
"""


def claim(cid, kind, nets, **fields):
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in fields.items())
    return f'[[claims]]\nid = "{cid}"\nkind = "{kind}"\nnetworks = {json.dumps(nets)}\nlayer = 1\n{extra}'


FILE = CLAIMS + "".join([
    claim("p", "procrustes", ["f", "g"], at_least=1, at_most="7/2"),
    claim("p-false", "procrustes", ["f", "g"], at_most=3),
    claim("p0", "procrustes", ["h", "i"], equals=0),
    claim("a", "angular_procrustes", ["f", "g"], at_most="1/2"),
    claim("a0", "angular_procrustes", ["h", "i"], equals=0),
    claim("c", "cca", ["f", "g"], at_least="99/100"),
    claim("c-eq", "cca", ["f", "g"], equals="99/100"),
    claim("c1", "cca", ["h", "i"], equals=1),
    claim("s", "svcca", ["f", "g"], k=1, at_least="1/2"),
    claim("s2", "svcca", ["f", "g"], k=2, at_most=1),
    claim("undefined", "cca", ["z", "i"], at_least=0),
    # z is constant: d(z, i) = |i_c|_F = sqrt(10 + 113/6) = sqrt(173/6) = 5.3697... (28.09 < 173/6 < 29.16)
    claim("pz", "procrustes", ["z", "i"], at_least="53/10", at_most="27/5"),
    claim("pz-false", "procrustes", ["i", "z"], at_most=5),
])


@pytest.fixture(scope="module")
def cert():
    problem = loads_claim_file(FILE)
    verdicts = verify_problem(problem)
    got = {v.claim.id: v.holds for v in verdicts}
    # oracles: d(f, g) = 3.3765..., angle 0.2921..., mean CCA 0.99838...; h is a rotation of i
    assert got == {"p": True, "p-false": False, "p0": True, "a": True, "a0": True, "c": True, "c-eq": False,
                   "c1": True, "s": True, "s2": True, "undefined": False, "pz": True, "pz-false": False}
    return json.loads(json.dumps(certificate(problem, verdicts)))


def reports(doc):
    return {c["id"]: c for c in checker.check_certificate(doc)}


def test_the_checker_accepts_the_certificate(cert):
    assert all(r["valid"] for r in reports(cert).values())


def _tamper(cert, cid, edit):
    doc = json.loads(json.dumps(cert))
    res = next(r for r in doc["results"] if r["id"] == cid)
    edit(res)
    return reports(doc)[cid]


def _bump(text: str) -> str:
    q = Fraction(text)
    return str(q + F(1, 10**6) if q >= 0 else q - F(1, 10**6))


TAMPERS = {
    "verdict": ("p", lambda r: r.update(verdict=not r["verdict"])),
    "z-entry": ("p", lambda r: r["witness"]["nuclear"]["z"][0].__setitem__(0, _bump(r["witness"]["nuclear"]["z"][0][0]))),
    "rho": ("p", lambda r: r["witness"]["nuclear"].update(rho="0")),
    "eta": ("p", lambda r: r["witness"]["nuclear"].update(eta="0")),
    "upper": ("p", lambda r: r["witness"].update(upper=r["witness"]["lower"])),
    "exact-q": ("p0", lambda r: r["witness"]["nuclear"]["q"][0].__setitem__(0, "1")),
    "square": ("p0", lambda r: r["witness"].update(square="1")),
    "angle-lower": ("a", lambda r: r["witness"].update(lower=_bump(r["witness"]["upper"]))),
    "norm": ("a", lambda r: r["witness"].update(norm=["1", "1"])),
    "whitening": ("c", lambda r: r["witness"]["wx"][0].__setitem__(0, _bump(r["witness"]["wx"][0][0]))),
    "ex": ("c", lambda r: r["witness"].update(ex="0")),
    "u1": ("c", lambda r: r["witness"].update(u1="1")),
    "rank": ("c", lambda r: r["witness"]["rank_x"].update(dimension=1)),
    "union": ("c1", lambda r: r["witness"]["union"].update(dimension=1)),
    "pd-mu": ("s", lambda r: r["witness"]["x"]["pd1"].update(mu="1000000")),
    "dk-s": ("s", lambda r: r["witness"]["x"].update(s="0")),
    "dk-b": ("s", lambda r: r["witness"]["x"].update(b="0")),
    "undefined-true": ("undefined", lambda r: r.update(verdict=True)),
    "undefined-elsewhere": ("c", lambda r: r.update(witness={"undefined": True}, verdict=False)),
    # the Procrustes distance is defined on a constant layer: "undefined" (so false) must not pass for it
    "procrustes-undefined": ("pz", lambda r: r.update(witness={"undefined": True}, verdict=False)),
    "procrustes-square": ("pz", lambda r: r["witness"].update(square="29")),
}


def test_procrustes_of_a_constant_layer_is_the_other_layers_norm(cert):
    (z,) = [r for r in cert["results"] if r["id"] == "pz"]
    inputs = [[1, 2], [3, -1], [0, 1], [2, 2], [-1, 0], [1, -3]]  # i is the identity: its neurons are the coordinates
    i_rows = [[Fraction(p[k]) for p in inputs] for k in range(2)]
    assert Fraction(z["witness"]["square"]) == centred_norm2(i_rows) == Fraction(173, 6)


@pytest.mark.parametrize("case", sorted(TAMPERS))
def test_tampered_certificates_are_rejected(cert, case):
    cid, edit = TAMPERS[case]
    report = _tamper(cert, cid, edit)
    assert not report["valid"], report


def test_compare_reports_certified_measures(tmp_path, capsys):
    from symrep.cli.app import main

    rng = np.random.default_rng(5)
    X = rng.standard_normal((20, 4)).astype(np.float32)
    np.savez(tmp_path / "a.npz", h=X)
    np.savez(tmp_path / "b.npz", h=X @ np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, -1], [0, 0, 1, 0]], np.float32))
    code = main(["compare", str(tmp_path / "a.npz"), str(tmp_path / "b.npz"), "--data-rows", "--json",
                 "--measures", "cka,cca,svcca:2,procrustes,angular_procrustes", "--width", "1e-12"])
    assert code == 0
    got = json.loads(capsys.readouterr().out)["layers"][0]["measures"]
    # B is A times a signed permutation (orthogonal): every similarity is 1 and every distance 0, exactly
    assert got["procrustes"]["value"] == "0" and got["angular_procrustes"]["value"] == "0"
    assert got["cca"]["value"] == "1" and got["cka"]["value"] == "1"
    lo, hi = Fraction(got["svcca:2"]["lower"]), Fraction(got["svcca:2"]["upper"])
    assert lo <= 1 <= hi and hi - lo <= Fraction(1, 10**12) and got["svcca:2"]["value"] is None


def _pair_file(A, B, kind, key, t, extra=""):
    """A claim file whose layer 1 of networks A and B is exactly A and B (identity networks picking coordinates)."""
    na, nb, d = len(A), len(B), len(A[0])
    pts = [[str(A[i][j]) for i in range(na)] + [str(B[i][j]) for i in range(nb)] for j in range(d)]
    pick = lambda lo, n: [[int(c == lo + i) for c in range(na + nb)] for i in range(n)]  # noqa: E731
    return (f"[data]\ninputs = {json.dumps(pts)}\n"
            f"[networks.A]\nlayers = [{{weights = {pick(0, na)}, activation = \"identity\"}}]\n"
            f"[networks.B]\nlayers = [{{weights = {pick(na, nb)}, activation = \"identity\"}}]\n"
            f"[[claims]]\nid = \"x\"\nkind = \"{kind}\"\nnetworks = [\"A\", \"B\"]\nlayer = 1\n{key} = \"{t}\"\n{extra}")


@settings(max_examples=40, deadline=None)
@given(pairs(max_points=6), st.sampled_from(["procrustes", "angular_procrustes", "cca", "svcca"]),
       st.sampled_from(["at_least", "at_most"]), st.fractions(0, 4, max_denominator=7))
def test_random_claims_agree_with_the_oracle_and_the_checker(pair, kind, key, t):
    A, B = pair
    problem = loads_claim_file(_pair_file(A, B, kind, key, t, "k = 1\n" if kind == "svcca" else ""))
    (v,) = verify_problem(problem)
    defined = nonconstant(A) and nonconstant(B)
    if (defined or kind == "procrustes") and v.holds is not None:  # svcca undecided: a tie (ill-defined)
        if not defined:  # min_Q |X_c Q - Y_c|_F with X_c = 0 (or Y_c = 0) is the other layer's norm: sqrt(|X_c|² + |Y_c|²)
            n2 = centred_norm2(A) + centred_norm2(B)
            value = mpmath.sqrt(mpmath.mpf(n2.numerator) / n2.denominator)
        else:
            value = mp_reference(A, B, 1)["cca"] if kind == "svcca" else mp_reference(A, B)[kind]
        with mpmath.workdps(60):
            gap = value - mpmath.mpf(t.numerator) / t.denominator
        if abs(gap) > mpmath.mpf(10) ** -20:  # the oracle decides: the verdict must agree
            assert v.holds == ((gap > 0) if key == "at_least" else (gap < 0)), (v.explanation, value)
    elif not defined and kind != "procrustes":
        assert v.holds is False and v.witness == {"undefined": True}
    if v.holds is not None:
        doc = json.loads(json.dumps(certificate(problem, [v])))
        assert all(r["valid"] for r in checker.check_certificate(doc)), checker.check_certificate(doc)


def test_narrow_widths_beyond_mpmath_sizes_by_exact_residual_refinement():
    """48 neurons (beyond the 40 of the mpmath proposals): the refined float SVD reaches 1e-30 relative."""
    rng = np.random.default_rng(3)
    A = rng.integers(-5, 6, (48, 60))
    B = rng.integers(-5, 6, (48, 60))
    with mpmath.workdps(50):
        d = A.shape[1]  # centred exactly: (d A - row sums) / d, integers divided in mpmath
        X = mpmath.matrix((d * A - A.sum(1, keepdims=True)).T.tolist()) / d
        Y = mpmath.matrix((d * B - B.sum(1, keepdims=True)).T.tolist()) / d
        N = sum(mpmath.svd_r(X.T * Y, compute_uv=False))
        nx, ny = mpmath.norm(X, 2), mpmath.norm(Y, 2)
        ref = {"procrustes": mpmath.sqrt(nx**2 + ny**2 - 2 * N), "angular_procrustes": mpmath.acos(N / (nx * ny))}
    for name in ("procrustes", "angular_procrustes"):
        v = evaluate(name, A.astype(float), B.astype(float), width=F(1, 10**30))
        assert v.upper - v.lower <= F(1, 10**30) * max(1, abs(v.upper)), name
        with mpmath.workdps(50):
            lo, hi = (mpmath.mpf(q.numerator) / q.denominator for q in (v.lower, v.upper))
            assert lo - mpmath.mpf(10) ** -40 <= ref[name] <= hi + mpmath.mpf(10) ** -40, (name, lo, hi, ref[name])
