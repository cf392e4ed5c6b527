"""Two parameters: the cylindrical decomposition's exact sets, against substitution at random rational points."""

from __future__ import annotations

import random
import re
from fractions import Fraction
from pathlib import Path

import pytest

from symrep.claims.verdicts import decide
from symrep.parametric import decide_parametric, load_parametric_claim_file, loads_parametric_claim_file

ROOT = Path(__file__).resolve().parent.parent
TWO = ROOT / "examples" / "parametric-two-parameters.toml"


def relu(x: Fraction) -> Fraction:
    return max(x, Fraction(0))


def _spans_equal(a: Fraction, b: Fraction) -> bool:
    """relu(x0 + a) on (1, 1), (-1, -1) is (1 + a, relu(a - 1)); two lines are equal iff the vectors are parallel."""
    za, zb = (1 + a, relu(a - 1)), (1 + b, relu(b - 1))
    return za[0] * zb[1] - za[1] * zb[0] == 0


_BOUND = re.compile(r"(?P<name>[a-z]) (?:in (?P<lo>[(\[])(?P<x>[^,]+), (?P<y>[^)\]]+)(?P<hi>[)\]])|= (?P<eq>[^,\s]+))")


def _value(text: str, env: dict[str, Fraction]) -> Fraction | None:
    text = text.strip()
    if text in ("oo", "-oo"):
        return None
    return env[text] if text in env else Fraction(text)


def _in_cell(cell: str, env: dict[str, Fraction]) -> bool:
    """Membership in a cell the decision printed, e.g. 'a in (0, 1), b in (a, 1]' or 'a = 1, b in (0, 1]'."""
    for m in _BOUND.finditer(cell):
        v = env[m["name"]]
        if m["eq"] is not None:
            if v != _value(m["eq"], env):
                return False
            continue
        x, y = _value(m["x"], env), _value(m["y"], env)
        if x is not None and not (v > x or (m["lo"] == "[" and v == x)):
            return False
        if y is not None and not (v < y or (m["hi"] == "]" and v == y)):
            return False
    return True


def test_the_exact_set_of_the_two_parameter_family():
    pp = load_parametric_claim_file(TWO)
    v = decide_parametric(pp, "equal-spans")
    assert v.verdict is False and v.counterexample is not None
    a, b = v.counterexample["a"], v.counterexample["b"]
    assert not _spans_equal(a, b)  # the counterexample, checked independently
    cells = [c["cell"] for c in v.holds_when]
    rng = random.Random(1)
    points = [(Fraction(1), Fraction(1)), (Fraction(1), Fraction(1, 2)), (Fraction(2), Fraction(2)), (Fraction(3), Fraction(1))]
    points += [(Fraction(rng.randint(1, 30), rng.randint(1, 10)), Fraction(rng.randint(1, 30), rng.randint(1, 10))) for _ in range(60)]
    points += [(q, q) for q in (Fraction(7, 3), Fraction(1, 5), Fraction(9))]  # on the diagonal: inside the set
    for a, b in points:
        truth = _spans_equal(a, b)
        assert truth == (a == b or (a <= 1 and b <= 1))  # the set worked out by hand
        assert any(_in_cell(c, {"a": a, "b": b}) for c in cells) == truth, (a, b, cells)


def test_two_parameter_isomorphism_holds_everywhere():
    v = decide_parametric(load_parametric_claim_file(TWO), "isomorphic-spans")
    assert v.verdict is True


def test_a_curved_section_is_not_guessed():
    """f = g exactly on the curve a = b**2 (degree 2 in b): the decomposition stops short; the verdict is
    false by a verified counterexample, never a guessed exact set."""
    text = """
[parameters]
a = "positive"
b = "positive"
[data]
inputs = [[1], [-1]]
[networks.f]
layers = [ { weights = [[1]], bias = ["b**2 - a"], activation = "relu" } ]
[networks.g]
layers = [ { weights = [[1]], activation = "relu" } ]
[[claims]]
id = "same"
kind = "identical"
networks = ["f", "g"]
layer = 1
expect = false
"""
    pp = loads_parametric_claim_file(text)
    v = decide_parametric(pp, "same")
    assert v.verdict is False and v.counterexample is not None
    full = dict(v.counterexample)
    assert decide(pp.instantiate(full, ("f", "g")), pp.claims[0]).holds is False
    assert full["a"] != full["b"] ** 2


@pytest.mark.parametrize("a, b", [(Fraction(1), Fraction(1)), (Fraction(1, 2), Fraction(3))])
def test_the_fibre_through_a_rational_point_agrees(a, b):
    pp = load_parametric_claim_file(TWO)
    assert decide(pp.instantiate({"a": a, "b": b}, ("line_a", "line_b")), pp.claims[0]).holds == _spans_equal(a, b)


# --- certificates of two-parameter verdicts: the plane's cells, re-checked by the standalone checker ---------

import copy  # noqa: E402 - the certificate tests below
import json  # noqa: E402

from symrep import checker  # noqa: E402
from symrep.parametric.certify import certify_parametric  # noqa: E402

#: relu(x0 + a) against relu(b x0) then an identity layer 1/(a - b): a, b nonzero, the curve b = a a pole.
NONZERO = """
[parameters]
a = "nonzero"
b = "nonzero"
[data]
inputs = [[1, 1], [-1, -1]]
[networks.f]
layers = [ { weights = [[1, 0]], bias = ["a"], activation = "relu" } ]
[networks.g]
layers = [ { weights = [["b", 0]], activation = "relu" },
           { weights = [["1/(a - b)"]], activation = "identity" } ]
[[claims]]
id = "equal"
kind = "exact_match"
networks = ["f", "g"]
layer = 1
expect = false
[[claims]]
id = "dims"
kind = "isomorphic"
networks = ["f", "g"]
layer = 1
expect = false
"""

#: relu(x0 + a b) against relu(x0 + a^2), a > 0, b real: the curves b = -1/a, b = a, b = 1/a.
HYPERBOLA = """
[parameters]
a = "positive"
b = "real"
[data]
inputs = [[1, 1], [-1, -1]]
[networks.f]
layers = [ { weights = [[1, 0]], bias = ["a*b"], activation = "relu" } ]
[networks.g]
layers = [ { weights = [[1, 0]], bias = ["a*a"], activation = "relu" } ]
[[claims]]
id = "equal"
kind = "exact_match"
networks = ["f", "g"]
layer = 1
expect = false
[[claims]]
id = "dims"
kind = "isomorphic"
networks = ["f", "g"]
layer = 1
expect = false
"""


def _vectors(family: str, a: Fraction, b: Fraction) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """The two activation vectors on the data (1, 1), (-1, -1), by hand; None at a pole."""
    if family == "two":
        return (relu(1 + a), relu(a - 1)), (relu(1 + b), relu(b - 1))
    if family == "nonzero":
        return None if a == b else ((relu(1 + a), relu(a - 1)), (relu(b), relu(-b)))
    return (relu(1 + a * b), relu(a * b - 1)), (relu(1 + a * a), relu(a * a - 1))


def _truth(family: str, kind: str, a: Fraction, b: Fraction) -> bool | None:
    """Equal spans / equal dimensions of two vectors in Q^2 (a zero vector spans {0}), with Fractions."""
    z = _vectors(family, a, b)
    if z is None:
        return None
    (x, y) = z
    dim = [int(any(v)) for v in (x, y)]
    if kind == "isomorphic":
        return dim[0] == dim[1]
    return dim[0] == dim[1] and (dim[0] == 0 or x[0] * y[1] - x[1] * y[0] == 0)


def _num(v) -> Fraction | None:
    if v is None:
        return None
    assert isinstance(v, str), "the test's families have rational ends"
    return Fraction(v)


def _rf_at(v, a: Fraction) -> Fraction:
    """A curve b = r(a) of the certificate ("p/q" or [numerator, denominator], coefficients lowest first)."""
    if isinstance(v, str):
        return Fraction(v)
    n, d = (sum((Fraction(c) * a ** k for k, c in enumerate(p)), Fraction(0)) for p in v)
    return n / d


def _between(x: Fraction, lo: Fraction | None, hi: Fraction | None) -> bool:
    return (lo is None or lo < x) and (hi is None or x < hi)


def _claimed(w: dict, a: Fraction, b: Fraction, lo_b: Fraction | None) -> bool | None:
    """Whether the certificate's cells say the claim holds at (a, b) (None: in an excluded cell)."""
    for col in w["columns"]:
        if "cells" in col and _between(a, _num(col["low"]), _num(col["high"])):
            below = lo_b
            for k, cell in enumerate(col["cells"]):
                if "curve" in cell:
                    below = _rf_at(cell["curve"], a)
                    if b == below:
                        return None if cell.get("excluded") else cell["holds"]
                    continue
                above = _rf_at(col["cells"][k + 1]["curve"], a) if k + 1 < len(col["cells"]) else None
                if _between(b, below, above):
                    return cell["holds"]
            raise AssertionError("the column does not cover b")
        if "point" in col and a == _num(col["point"]):
            for p in col["pieces"]:
                if "excluded" in p:
                    if b == _num(p["excluded"]):
                        return None
                elif ("point" in p and b == _num(p["point"])) or ("low" in p and _between(b, _num(p["low"]), _num(p["high"]))):
                    return p["holds"]
            raise AssertionError("the point column does not cover b")
        if "excluded" in col and a == _num(col["excluded"]):
            return None
    raise AssertionError("the columns do not cover a")


def _valid(cert: dict) -> list[bool]:
    return [r["valid"] for r in checker.check_certificate(json.loads(json.dumps(cert)))]


@pytest.fixture(scope="module")
def certificates():
    return {"two": certify_parametric(load_parametric_claim_file(TWO)),
            "nonzero": certify_parametric(loads_parametric_claim_file(NONZERO)),
            "hyperbola": certify_parametric(loads_parametric_claim_file(HYPERBOLA))}


def _points(family: str, rng: random.Random) -> list[tuple[Fraction, Fraction]]:
    q = lambda lo, hi: Fraction(rng.randint(lo, hi), rng.randint(1, 9))  # noqa: E731
    positive_a = family != "nonzero"
    pts = [(q(1 if positive_a else -40, 40), q(1 if family == "two" else -40, 40)) for _ in range(150)]
    for _ in range(25):  # on the curves and lines of the decomposition: inside or outside the set exactly there
        a = q(1 if positive_a else -40, 40)
        if a == 0:
            continue
        pts += [(a, a), (a, 1 / a), (a, -1 / a), (Fraction(1), q(1, 40)), (Fraction(-1) if not positive_a else a, a * a)]
    return [(a, b) for a, b in pts if a != 0 and b != 0 or family != "nonzero"]


@pytest.mark.parametrize("family", ["two", "nonzero", "hyperbola"])
def test_the_certified_cells_agree_with_substitution(family, certificates):
    cert = certificates[family]
    assert all(_valid(cert))
    lo_b = Fraction(0) if cert["problem"]["parameters"]["b"] == "positive" else None
    rng = random.Random(7)
    for res in cert["results"]:
        w = res["witness"]
        assert "columns" in w, res
        seen = set()
        for a, b in _points(family, rng):
            if family == "two" and b <= 0 or family == "hyperbola" and a <= 0:
                continue
            truth = _truth(family, res["kind"], a, b)
            assert _claimed(w, a, b, lo_b) == truth, (family, res["id"], a, b)
            seen.add(truth)
        assert res["verdict"] is (False not in seen) or res["verdict"] is False  # a failing point means false
        if False in seen:
            assert res["verdict"] is False


def test_the_hand_worked_exact_sets():
    """The sets by hand, against the independent oracle: equal spans exactly on a = b or a, b <= 1; for the
    nonzero family on b > 0, -1 < a <= 1 (a != b); isomorphic for all a, b > 0."""
    rng = random.Random(3)
    for _ in range(300):
        a, b = Fraction(rng.randint(-30, 30), rng.randint(1, 7)), Fraction(rng.randint(-30, 30), rng.randint(1, 7))
        if a > 0 and b > 0:
            assert _truth("two", "exact_match", a, b) == (a == b or (a <= 1 and b <= 1))
            assert _truth("two", "isomorphic", a, b)
        if a != 0 and b != 0 and a != b:
            assert _truth("nonzero", "exact_match", a, b) == (b > 0 and -1 < a <= 1)


def test_the_isomorphic_claim_is_certified_true(certificates):
    cert = certificates["two"]
    res = {r["id"]: r for r in cert["results"]}
    assert res["isomorphic-spans"]["verdict"] is True and "columns" in res["isomorphic-spans"]["witness"]
    assert res["equal-spans"]["verdict"] is False and "columns" in res["equal-spans"]["witness"]


def _first(w: dict, test) -> tuple[int, int | None]:  # (-1, None): no such cell
    for i, col in enumerate(w["columns"]):
        for k, cell in enumerate(col.get("cells", [])):
            if test(cell):
                return i, k
    return -1, None


def _mutations(w: dict, symmetric: bool) -> dict[str, dict]:
    """Every new field changed (or dropped, or added): each must be rejected."""
    out = {}

    def mut(name, f):
        m = copy.deepcopy(w)
        f(m)
        out[name] = m
    sec = _first(w, lambda c: "sample" in c)
    cur = _first(w, lambda c: "curve" in c and "excluded" not in c)
    for i, col in enumerate(w["columns"]):  # a curve between sectors of different verdicts, where there is one
        cs = col.get("cells", [])
        cur = next(((i, k) for k in range(1, len(cs), 2) if "excluded" not in cs[k] and cs[k - 1]["holds"] != cs[k + 1]["holds"]),
                   cur)
    pt = next(i for i, c in enumerate(w["columns"]) if "point" in c)
    cell = lambda m, ik: m["columns"][ik[0]]["cells"][ik[1]]  # noqa: E731
    if not symmetric:  # for a family symmetric in a and b a swapped certificate can be as true
        mut("parameters swapped", lambda m: m.update(parameters=m["parameters"][::-1]))
    mut("parameters repeated", lambda m: m.update(parameters=[m["parameters"][0]] * 2))
    mut("parameter unknown", lambda m: m.update(parameters=[m["parameters"][0], "zz"]))
    mut("unknown field", lambda m: m.update(extra=1))
    mut("column dropped", lambda m: m["columns"].pop())
    mut("columns reordered", lambda m: m["columns"].reverse())
    mut("column high moved", lambda m: m["columns"][0].update(high="7/5"))
    mut("column sample outside", lambda m: m["columns"][0].update(sample="-99"))
    mut("column field unknown", lambda m: m["columns"][0].update(note="x"))
    mut("sector holds flipped", lambda m: cell(m, sec).update(holds=not cell(m, sec)["holds"]))
    mut("sector sample outside", lambda m: cell(m, sec).update(sample="1000"))  # the first sector has a curve above it
    mut("sector proof dropped", lambda m: cell(m, sec).update(proof={}))
    if cur[1] is None:  # every curve excluded (the nonzero family): the excluded curves' mutations
        ex = _first(w, lambda c: c.get("excluded"))
        mut("excluded curve kept", lambda m: cell(m, ex).update(excluded=False))
        mut("excluded curve moved", lambda m: cell(m, ex).update(curve="1/1000"))
        cur = ex
    else:
        mut("curve holds flipped", lambda m: cell(m, cur).update(holds=not cell(m, cur)["holds"]))
        mut("curve moved", lambda m: cell(m, cur).update(curve="1/1000"))
        mut("curve excluded", lambda m: cell(m, cur).update(excluded=True))
    mut("curve and sector dropped", lambda m: m["columns"][cur[0]]["cells"].__delitem__(slice(cur[1], cur[1] + 2)))
    mut("curves reversed", lambda m: m["columns"][cur[0]]["cells"].reverse())
    mut("point moved", lambda m: m["columns"][pt].update(point="1/1000"))
    mut("point excluded", lambda m: m["columns"].__setitem__(pt, {"excluded": m["columns"][pt]["point"]}))
    mut("point piece flipped", lambda m: m["columns"][pt]["pieces"][0].update(holds=not m["columns"][pt]["pieces"][0]["holds"]))
    mut("point pieces dropped", lambda m: m["columns"][pt]["pieces"].pop())
    return out


@pytest.mark.parametrize("family", ["two", "nonzero", pytest.param("hyperbola", marks=pytest.mark.slow)])  # the largest: slow set
def test_every_mutation_of_the_plane_is_rejected(family, certificates):
    cert = certificates[family]
    for k, res in enumerate(cert["results"]):
        for name, w in _mutations(res["witness"], family == "two").items():
            bad = copy.deepcopy(cert)
            bad["results"][k]["witness"] = w
            assert not _valid(bad)[k], (family, res["id"], name)
        flipped = copy.deepcopy(cert)
        flipped["results"][k]["verdict"] = not res["verdict"]
        assert not _valid(flipped)[k], (family, res["id"], "verdict flipped")


def test_a_tampered_sector_witness_is_rejected(certificates):
    """Entries of a sector's proof are rational functions of (a, b): a changed coefficient is rejected."""
    cert = certificates["two"]
    k = next(i for i, r in enumerate(cert["results"]) if r["id"] == "equal-spans")
    w = cert["results"][k]["witness"]
    i, j = _first(w, lambda c: "sample" in c and c["holds"] and c["proof"].get("x_in_y"))
    bad = copy.deepcopy(cert)
    proof = bad["results"][k]["witness"]["columns"][i]["cells"][j]["proof"]
    proof["x_in_y"][0][1][0][1] = {"num": [[[0, 1], "2"]], "den": [[[0, 0], "1"]]}  # c = 2b
    assert not _valid(bad)[k]


def test_excluded_cells_of_the_nonzero_family(certificates):
    """a = 0 (the nonzero assumption) is an excluded column; b = 0 and the pole b = a are excluded curves."""
    w = certificates["nonzero"]["results"][0]["witness"]
    assert {"excluded": "0"} in w["columns"]
    curves = [c for col in w["columns"] for c in col.get("cells", []) if c.get("excluded")]
    assert {"curve": "0", "excluded": True} in curves and {"curve": [["0", "1"], ["1"]], "excluded": True} in curves
