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
