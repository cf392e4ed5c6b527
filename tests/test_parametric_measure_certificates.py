"""Certificates of parametric ``cka`` and ``match_similarity`` verdicts, and their exact limits.

Truth comes from Fraction computations written here (the networks re-implemented by hand, CKA by
Kornblith's trace form, the eps-match by its definition with Gram-Schmidt distances): the piece of
the certificate that contains a rational point must say what substitution says.  Mutations (a
tampered polynomial, a moved piece end, a flipped sign) are rejected by the standalone checker.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.parametric import decide_parametric, load_parametric_claim_file, loads_parametric_claim_file
from symrep.parametric.certify import certify_parametric

ROOT = Path(__file__).resolve().parent.parent
OUTLIER = ROOT / "examples" / "parametric-cka-outlier.toml"

# --- independent oracles -------------------------------------------------------------------------------


def cka2(A: list[list[Fraction]], B: list[list[Fraction]]) -> Fraction | None:
    """CKA^2 of two activation matrices (rows = neurons) by the trace form <K_c, L_c>^2 / (|K_c|^2 |L_c|^2); None: undefined."""
    n = len(A[0])

    def centred_gram(M):
        C = [[x - sum(r) / n for x in r] for r in M]
        return [[sum(r[i] * r[j] for r in C) for j in range(n)] for i in range(n)]

    K, L = centred_gram(A), centred_gram(B)

    def inner(M, N):
        return sum(M[i][j] * N[i][j] for i in range(n) for j in range(n))
    if inner(K, K) == 0 or inner(L, L) == 0:
        return None
    return inner(K, L) ** 2 / (inner(K, K) * inner(L, L))


def dist2(z: list[Fraction], rows: list[list[Fraction]]) -> Fraction:
    """Squared distance of z to the span of rows (Gram-Schmidt in Fractions)."""
    basis: list[list[Fraction]] = []
    for v in rows:
        u = list(v)
        for b in basis:
            c = sum(x * y for x, y in zip(u, b)) / sum(y * y for y in b)
            u = [x - c * y for x, y in zip(u, b)]
        if any(u):
            basis.append(u)
    r = list(z)
    for b in basis:
        c = sum(x * y for x, y in zip(r, b)) / sum(y * y for y in b)
        r = [x - c * y for x, y in zip(r, b)]
    return sum(x * x for x in r)


def eps_similarity(A: list[list[Fraction]], B: list[list[Fraction]], eps: Fraction) -> Fraction:
    """Wang et al.'s similarity of the maximum eps-match, by the definition's fixpoint (every neuron within eps of the other side)."""
    X, Y = set(range(len(A))), set(range(len(B)))
    while True:
        X2 = {i for i in X if dist2(A[i], [B[j] for j in sorted(Y)]) <= eps * eps * sum(x * x for x in A[i])}
        Y2 = {j for j in Y if dist2(B[j], [A[i] for i in sorted(X2)]) <= eps * eps * sum(x * x for x in B[j])}
        if (X2, Y2) == (X, Y):
            return Fraction(len(X) + len(Y), len(A) + len(B))
        X, Y = X2, Y2


def relu(x: Fraction) -> Fraction:
    return max(x, Fraction(0))


SQUARE = [(0, 0), (1, 0), (0, 1), (1, 1)]


def outlier_acts(s: Fraction, net: str) -> list[list[Fraction]]:
    """Rows = neurons of f, f2, g of examples/parametric-cka-outlier.toml, written by hand."""
    pts = [(Fraction(x), Fraction(y), Fraction(0)) for x, y in SQUARE] + [(Fraction(1, 2), Fraction(1, 2), Fraction(1))]
    m = {"f": Fraction(0), "f2": Fraction(1), "g": 1000 + s}[net]
    return [[x + m * c for x, _, c in pts], [y for _, y, _ in pts]]


RELU = """
[parameters]
t = "positive"
[data]
inputs = [[0], [1], [2], [3]]
[networks.f]
layers = [ { weights = [[1], [-1]], bias = [0, 2], activation = "relu" } ]
[networks.g]
layers = [ { weights = [["t"], [1]], bias = ["-1", "-t"], activation = "relu" } ]
[[claims]]
id = "root"
kind = "cka"
networks = ["f", "g"]
layer = 1
at_least = "sqrt(4/5)"
[[claims]]
id = "square"
kind = "cka"
networks = ["f", "g"]
layer = 1
squared = true
at_most = "sqrt(1/2)"
[[claims]]
id = "true"
kind = "cka"
networks = ["f", "g"]
layer = 1
at_most = 1
"""


def relu_acts(t: Fraction, net: str) -> list[list[Fraction]]:
    xs = [Fraction(x) for x in range(4)]
    if net == "f":
        return [[relu(x) for x in xs], [relu(2 - x) for x in xs]]
    return [[relu(t * x - 1) for x in xs], [relu(x - t) for x in xs]]


EPS = """
[parameters]
t = "real"
[data]
inputs = [[1, 0], [0, 1], [1, 1]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "identity" } ]
[networks.g]
layers = [ { weights = [[1, "t"], ["t", "1 - t"]], activation = "relu" } ]
[[claims]]
id = "all"
kind = "match_similarity"
networks = ["f", "g"]
layer = 1
eps = "1/2"
equals = 1
[[claims]]
id = "half"
kind = "match_similarity"
networks = ["f", "g"]
layer = 1
eps = "1/3"
equals = "1/2"
[[claims]]
id = "exact"
kind = "match_similarity"
networks = ["f", "g"]
layer = 1
equals = 1
"""


def eps_acts(t: Fraction, net: str) -> list[list[Fraction]]:
    pts = [(Fraction(1), Fraction(0)), (Fraction(0), Fraction(1)), (Fraction(1), Fraction(1))]
    if net == "f":
        return [[x for x, _ in pts], [y for _, y in pts]]
    return [[relu(x + t * y) for x, y in pts], [relu(t * x + (1 - t) * y) for x, y in pts]]


def truth(example: str, claim: dict, t: Fraction) -> bool:
    acts = {"outlier": outlier_acts, "relu": relu_acts, "eps": eps_acts}[example]
    A, B = (acts(t, n) for n in claim["networks"])
    if claim["kind"] == "match_similarity":
        return eps_similarity(A, B, Fraction(claim.get("eps", "0"))) == Fraction(claim["equals"])
    r = cka2(A, B)
    if r is None:
        return False
    ok = True
    for key, cmp in (("equals", lambda a, b: a == b), ("at_least", lambda a, b: a >= b), ("at_most", lambda a, b: a <= b)):
        if key in claim:
            text = claim[key]
            c2 = Fraction(text[5:-1]) if text.startswith("sqrt(") else Fraction(text) ** 2  # the bound squared
            # both sides >= 0: CKA vs c is CKA^2 vs c^2; CKA^2 vs c is CKA^4 vs c^2
            ok = ok and cmp(r * r if claim.get("squared") else r, c2)
    return ok


# --- reading a certificate's pieces, independently of the checker ---------------------------------------


def _poly(cs: list[str], x: Fraction) -> Fraction:
    return sum((Fraction(c) * x**k for k, c in enumerate(cs)), Fraction(0))


def end_cmp(end, q: Fraction) -> int:
    """sign(end - q) for an end "p/q" or {"root": coefficients, "in": [a, b]} (the one root in (a, b)), by bisection."""
    if isinstance(end, str):
        return (Fraction(end) > q) - (Fraction(end) < q)
    a, b = (Fraction(x) for x in end["in"])
    m = end["root"]
    for _ in range(400):
        if q <= a:
            return 1
        if q >= b:
            return -1
        if _poly(m, q) == 0:
            return 0
        mid = (a + b) / 2
        if _poly(m, mid) == 0:
            return (mid > q) - (mid < q)
        a, b = (mid, b) if (_poly(m, mid) > 0) == (_poly(m, a) > 0) else (a, mid)
    raise AssertionError("no separation")


def piece_at(pieces: list[dict], q: Fraction) -> dict | None:
    for pc in pieces:
        if "point" in pc and end_cmp(pc["point"], q) == 0:
            return pc
        if "low" in pc and (pc["low"] is None or end_cmp(pc["low"], q) < 0) and (pc["high"] is None or end_cmp(pc["high"], q) > 0):
            return pc
    return None


def near_ends(pieces: list[dict]) -> list[Fraction]:
    """Rationals within 1e-12 on both sides of every finite end."""
    out = []
    for pc in pieces:
        for e in [pc.get("point"), pc.get("low"), pc.get("high")]:
            if isinstance(e, str):
                out += [Fraction(e), Fraction(e) - Fraction(1, 10**12), Fraction(e) + Fraction(1, 10**12)]
            elif isinstance(e, dict):
                a, b = (Fraction(x) for x in e["in"])
                while b - a > Fraction(1, 10**12):
                    mid = (a + b) / 2
                    if _poly(e["root"], mid) == 0:
                        a = b = mid
                        break
                    a, b = (mid, b) if (_poly(e["root"], mid) > 0) == (_poly(e["root"], a) > 0) else (a, mid)
                out += [a - Fraction(1, 10**12), b + Fraction(1, 10**12)]
    return out


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certs() -> dict[str, dict]:
    problems = {"outlier": load_parametric_claim_file(OUTLIER), "relu": loads_parametric_claim_file(RELU),
                "eps": loads_parametric_claim_file(EPS)}
    return {k: json.loads(json.dumps(certify_parametric(p))) for k, p in problems.items()}


def reports(doc: dict) -> list[dict]:
    return checker.check_certificate(copy.deepcopy(doc))


def claims_of(doc: dict):
    return zip(doc["problem"]["claims"], doc["results"])


def test_every_verdict_is_certified_and_checks(certs):
    for name, doc in certs.items():
        for claim, res in claims_of(doc):
            assert res["verdict"] in (True, False), (name, claim["id"], res["witness"].get("reason"))
            assert "pieces" in res["witness"], (name, claim["id"])
        assert all(r["valid"] for r in reports(doc)), (name, [r["message"] for r in reports(doc) if not r["valid"]])


def test_both_verdicts_and_exact_sets_occur(certs):
    """Not only false verdicts: the corpus has true verdicts and sets with holds changing between pieces."""
    verdicts = [res["verdict"] for doc in certs.values() for _, res in claims_of(doc)]
    assert True in verdicts and False in verdicts
    mixed = [res for doc in certs.values() for _, res in claims_of(doc)
             if len({pc["holds"] for pc in res["witness"]["pieces"] if "holds" in pc}) == 2]
    assert len(mixed) >= 5


@pytest.mark.parametrize("name", ["outlier", "relu", "eps"])
def test_pieces_agree_with_substitution_near_every_end(certs, name):
    doc = certs[name]
    for claim, res in claims_of(doc):
        pieces = res["witness"]["pieces"]
        pts = near_ends(pieces) + [Fraction(k, 3) for k in range(-9, 10)]
        for q in pts:
            if doc["problem"]["parameters"][res["witness"]["parameter"]] == "positive" and q <= 0:
                assert piece_at(pieces, q) is None
                continue
            pc = piece_at(pieces, q)
            assert pc is not None and pc["holds"] == truth(name, claim, q), (name, claim["id"], q)
        assert res["verdict"] == all(pc["holds"] for pc in pieces if "holds" in pc)


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=-1100, max_value=-900, max_denominator=200) | st.fractions(min_value=0, max_value=20, max_denominator=60)
       .filter(lambda q: q > 0))
def test_pieces_agree_with_substitution_at_random_points(certs, q):
    for name, doc in certs.items():
        if q <= 0 and "positive" in doc["problem"]["parameters"].values():
            continue
        for claim, res in claims_of(doc):
            pc = piece_at(res["witness"]["pieces"], q)
            assert pc is not None and pc["holds"] == truth(name, claim, q), (name, claim["id"], q)


# --- mutations -----------------------------------------------------------------------------------------


def _one_claim(doc: dict, k: int) -> dict:
    d = copy.deepcopy(doc)
    d["problem"]["claims"], d["results"] = [d["problem"]["claims"][k]], [d["results"][k]]
    return d


def _spread(items: list, n: int = 3) -> list:
    """At most n items, first, middle and last (mutating every piece of every claim would cost minutes)."""
    return items if len(items) <= n else [items[0], items[len(items) // 2], items[-1]]


def _mutants(doc: dict):
    """(description, one-claim certificate) per claim: tampered polynomials, moved ends, flipped signs."""
    for k, (claim, res) in enumerate(claims_of(doc)):
        pieces = res["witness"]["pieces"]
        decided = [i for i, pc in enumerate(pieces) if "holds" in pc]
        for i in _spread(decided):
            d = _one_claim(doc, k)
            d["results"][0]["witness"]["pieces"][i]["holds"] = not pieces[i]["holds"]
            yield f"{claim['id']}: holds flipped on piece {i}", d
        polys = [i for i in decided if isinstance(pieces[i]["proof"].get("cka_squared"), list)]
        for i in _spread(polys):
            d = _one_claim(doc, k)
            num = d["results"][0]["witness"]["pieces"][i]["proof"]["cka_squared"][0]
            num[0] = str(Fraction(num[0]) + Fraction(1, 7))
            yield f"{claim['id']}: cka_squared numerator tampered on piece {i}", d
        projected = [i for i in decided if any(r.get("coefficients") for key in ("kept", "removals")
                                               for r in pieces[i]["proof"].get(key, []))]
        for i in _spread(projected):
            d = _one_claim(doc, k)
            proof = d["results"][0]["witness"]["pieces"][i]["proof"]
            c = next(r for key in ("kept", "removals") for r in proof[key] if r.get("coefficients"))
            c["coefficients"][0][1] = "7/3" if c["coefficients"][0][1] != "7/3" else "1/3"
            yield f"{claim['id']}: projection coefficient tampered on piece {i}", d
        # an end between a piece where the claim holds and one where it fails: moving it changes the exact set
        for i in range(1, len(pieces) - 1):
            a, p, b = pieces[i - 1], pieces[i], pieces[i + 1]
            if "point" not in p or "holds" not in a or len({a["holds"], p["holds"], b["holds"]}) == 1:
                continue
            end = p["point"]
            d = _one_claim(doc, k)
            ps = d["results"][0]["witness"]["pieces"]
            if isinstance(end, str):
                moved: object = str(Fraction(end) + Fraction(1, 10**6))
            else:
                moved = {"root": [str(Fraction(end["root"][0]) + Fraction(1, 10**6))] + end["root"][1:], "in": end["in"]}
            ps[i - 1]["high"] = ps[i]["point"] = ps[i + 1]["low"] = moved
            yield f"{claim['id']}: end {i} moved", d


@pytest.mark.parametrize("name", ["outlier", pytest.param("relu", marks=pytest.mark.slow), "eps"])
def test_mutations_are_rejected(certs, name):
    count, kinds = 0, set()
    for what, d in _mutants(certs[name]):
        assert not reports(d)[0]["valid"], what
        count += 1
        kinds.add(what.split(": ")[1].split(" on ")[0].split(" ")[0])
    assert count >= 10 and {"holds", "end"} <= kinds and ("cka_squared" in kinds or "projection" in kinds), kinds


def test_flipped_verdict_is_rejected(certs):
    for doc in certs.values():
        for k, (_, res) in enumerate(claims_of(doc)):
            d = _one_claim(doc, k)
            d["results"][0]["verdict"] = not res["verdict"]
            assert not reports(d)[0]["valid"]


def test_undefined_cka_piece_needs_an_empty_proof():
    """g is constant over the data at s = 0: CKA is undefined there (the claim false), and the proof is {}."""
    doc = json.loads(json.dumps(certify_parametric(loads_parametric_claim_file(UNDEFINED))))
    pieces = doc["results"][0]["witness"]["pieces"]
    zero = next(pc for pc in pieces if pc.get("point") == "0")
    assert zero["holds"] is False and zero["proof"] == {}
    assert all(r["valid"] for r in reports(doc))
    zero["proof"] = {"cka_squared": "1"}
    assert not reports(doc)[0]["valid"]


UNDEFINED = """
[parameters]
s = "real"
[data]
inputs = [[0, 1], [1, 0], [2, 2]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "identity" } ]
[networks.g]
layers = [ { weights = [["s", 0], [0, "s*s - 2*s"]], activation = "identity" } ]
[[claims]]
id = "c"
kind = "cka"
networks = ["f", "g"]
layer = 1
at_least = 0
"""


# --- limits --------------------------------------------------------------------------------------------


def test_outlier_limits_are_the_hand_values():
    """As |s| grows CKA^2 -> |A_c e|^4 / (|A_c A_c^T|^2 |e - 1/5|^4) (e the centre's column): 0 for f (the centre is
    f's mean), 8/53 for f2 (hand: A_c e = (4/5, 0), |A_c A_c^T|^2 = 9/5 squared + 1, |e - 1/5|^2 = 4/5)."""
    pp = load_parametric_claim_file(OUTLIER)
    hand = Fraction(16, 25) ** 2 / ((Fraction(9, 5) ** 2 + 1) * Fraction(4, 5) ** 2)
    assert hand == Fraction(8, 53)
    for cid, value in (("half", Fraction(0)), ("outlier-in-both", hand)):
        v = decide_parametric(pp, cid)
        assert v.limits is not None
        got = {e["at"]: e for e in v.limits}
        assert set(got) == {"-oo", "oo"}
        for e in got.values():
            assert Fraction(e["cka_squared"]) == value
        assert "limits of CKA^2" in v.explanation and "8/53" in v.to_json()["explanation"] or value == 0
        assert v.to_json()["limits"] == v.limits
        # the Fraction oracle far out approaches the stated value (and only it)
        for s in (Fraction(10**9), Fraction(-(10**9))):
            assert abs(cka2(outlier_acts(s, "f2" if value else "f"), outlier_acts(s, "g")) - value) < Fraction(1, 10**6)
    assert got["oo"]["cka"] == "sqrt(8/53)"


def test_relu_limits_at_zero_and_infinity():
    """t positive: the limit as t -> 0+ is CKA^2 at t = 0 (continuous there: the norms do not vanish), and at oo the
    oracle converges to the stated rational."""
    v = decide_parametric(loads_parametric_claim_file(RELU), "true")
    got = {e["at"]: e for e in v.limits}
    assert set(got) == {"0", "oo"} and got["0"]["from"] == "above"
    assert Fraction(got["0"]["cka_squared"]) == cka2(relu_acts(Fraction(0), "f"), relu_acts(Fraction(0), "g"))
    far = [abs(cka2(relu_acts(Fraction(10**k), "f"), relu_acts(Fraction(10**k), "g")) - Fraction(got["oo"]["cka_squared"]))
           for k in (6, 9)]
    assert far[1] < far[0] < Fraction(1, 10**4)


def test_match_similarity_limits():
    v = decide_parametric(loads_parametric_claim_file(EPS), "all")
    got = {e["at"]: Fraction(e["similarity"]) for e in v.limits}
    for at, t in (("oo", Fraction(10**6)), ("-oo", Fraction(-(10**6)))):
        assert got[at] == eps_similarity(eps_acts(t, "f"), eps_acts(t, "g"), Fraction(1, 2))


POLE = """
[parameters]
t = "nonzero"
[data]
inputs = [[0], [1], [2], [3]]
[networks.f]
layers = [ { weights = [[1], [-1]], bias = [0, 2], activation = "relu" } ]
[networks.g]
layers = [ { weights = [["1/(t - 1)"], ["1/(t*t - 2)"]], bias = ["-1", "t"], activation = "relu" } ]
[[claims]]
id = "c"
kind = "cka"
networks = ["f", "g"]
layer = 1
at_least = "1/2"
"""


def pole_acts(t: Fraction) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    xs = [Fraction(x) for x in range(4)]
    return ([[relu(x) for x in xs], [relu(2 - x) for x in xs]],
            [[relu(x / (t - 1) - 1) for x in xs], [relu(x / (t * t - 2) + t) for x in xs]])


def test_limits_at_poles_and_at_the_excluded_zero():
    """A rational pole (t = 1) and the 0 of a nonzero parameter are finite ends, approached from both sides; the
    irrational poles +-sqrt(2) are left out; where g is dead on a whole ray (t -> -oo) CKA is undefined there."""
    v = decide_parametric(loads_parametric_claim_file(POLE), "c")
    got = {(e["at"], e.get("from")): e["cka_squared"] for e in v.limits}
    assert set(got) == {("-oo", None), ("0", "below"), ("0", "above"), ("1", "below"), ("1", "above"), ("oo", None)}
    assert got[("-oo", None)] == "undefined" and cka2(*pole_acts(Fraction(-(10**6)))) is None
    step = Fraction(1, 10**9)
    for (at, side), value in got.items():
        if value == "undefined":
            continue
        t = Fraction(10**9) if at == "oo" else Fraction(at) + (step if side == "above" else -step)
        r = cka2(*pole_acts(t))
        assert r is not None and abs(r - Fraction(value)) < Fraction(1, 10**6), (at, side)
    assert all(r["valid"] for r in reports(json.loads(json.dumps(certify_parametric(loads_parametric_claim_file(POLE))))))
