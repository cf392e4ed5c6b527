"""Parametric claims: the expression parser and exact decisions over a parameter line."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.errors import ClaimFileError, InputError
from symrep.parametric.params import ParameterSpace
from symrep.parametric import decide_parametric, load_parametric_claim_file, loads_parametric_claim_file
from symrep.claims.verdicts import decide

ROOT = Path(__file__).resolve().parent.parent
P = ParameterSpace({"t": "real", "u": "positive"})


# --- the parser ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("2*t", "2*t"), ("1/t", "1/t"), ("t**2 - 1", "t**2 - 1"), ("(t+1)/(t-2)", "(t + 1)/(t - 2)"),
    ("-3/4*t", "-3*t/4"), ("0.5*t**-1", "1/(2*t)"), ("-t**2", "-t**2"), ("t**(-2)", "1/(t**2)"),
    ("1e-3*t*u", "t*u/1000"), ("3/4", "3/4"), ("((t))", "t"), ("2**3", "8"),
])
def test_parser_values(text, expected):
    assert str(P.parse(text)) == expected
    # round trip: the printed form parses back to the same rational function
    assert P.parse(str(P.parse(text))) == P.parse(text)


@pytest.mark.parametrize("text, fragment", [
    ("__import__('os')", "unknown name '__import__'"),
    ("t**t", "exponent must be an integer literal"),
    ("t^2", "'**'"),
    ("x + 1", "unknown name 'x'"),
    ("1/(t - t)", "division by zero"),
    ("1/0", "division by zero"),
    ("0**-1", "divides by zero"),
    ("t**17", "exceeds the bound"),
    ("t**99999999999", "exceeds the bound"),
    ("(t**16)**16", "degree above"),
    ("(" * 40 + "t" + ")" * 40, "nesting deeper"),
    ("-" * 50 + "t", "nesting deeper"),
    ("t" + "+t" * 600, "longer than"),
    ("", "empty expression"),
    ("2t", "unexpected 't'"),
    ("t**2**2", "chained powers"),
    ("(t + 1", "expected ')'"),
    ("t.real", "unexpected"),
    ("lambda: 1", "unknown name 'lambda'"),
])
def test_parser_rejects(text, fragment):
    with pytest.raises(InputError) as e:
        P.parse(text, "f.toml: network 'g': layer 1: weights[0][0]")
    assert fragment in str(e.value)
    assert "network 'g'" in str(e.value) and "position" in str(e.value) or "longer than" in str(e.value)


def test_parser_never_evaluates(monkeypatch):
    import builtins

    import sympy

    def boom(*a, **k):
        raise AssertionError("evaluated")

    monkeypatch.setattr(sympy, "sympify", boom)
    monkeypatch.setattr(builtins, "eval", boom)
    assert str(P.parse("(t+1)/(t-2)")) == "(t + 1)/(t - 2)"


def test_bad_parameter_declarations():
    with pytest.raises(ClaimFileError, match="assumption 'big'"):
        loads_parametric_claim_file(RESCALING_TEXT.replace('t = "positive"', 't = "big"'), "x.toml")
    with pytest.raises(ClaimFileError, match=r"x.toml: network 'g': layer 1: weights\[0\]\[0\].*unknown name 'q'"):
        loads_parametric_claim_file(RESCALING_TEXT.replace('["t", 0]', '["q", 0]'), "x.toml")


# --- the rescaling example ------------------------------------------------------------------------

RESCALING = ROOT / "examples" / "parametric-rescaling.toml"
RESCALING_TEXT = RESCALING.read_text()


def test_rescaling_example():
    pp = load_parametric_claim_file(RESCALING)
    v = {c.id: decide_parametric(pp, c) for c in pp.claims}
    for cid in ("outputs-identical-positive", "hidden-exact-match-positive"):
        assert v[cid].verdict is True and v[cid].holds_when_text == "(0, oo)"
    for cid in ("hidden-exact-match-real", "outputs-identical-real"):
        assert v[cid].verdict is False
        assert v[cid].holds_when == [{"low": "0", "high": "oo", "low_closed": False, "high_closed": False}]
        (q,) = v[cid].counterexample.values()
        assert q < 0
        assert decide(pp.instantiate({"s": q}, v[cid].claim.networks), v[cid].claim).holds is False
    assert all(x.as_expected for x in v.values())
    assert v["hidden-exact-match-real"].to_json()["verdict"] is False


# --- algebraic points -----------------------------------------------------------------------------

ALGEBRAIC = '''
[parameters]
t = "real"
[data]
inputs = [[1, 0], [0, 1]]
[networks.f]
layers = [ { weights = [[1, "t"], ["t", 2]], activation = "identity" } ]
[networks.g]
layers = [ { weights = [[1, 0], [0, 1]], activation = "identity" } ]
[networks.r]
layers = [ { weights = [["t**2 - 2", 0]], activation = "relu" } ]
[networks.c]
layers = [ { weights = [["t**3 - t - 1", "(t+1)/(t-2)"]], activation = "relu" } ]
[[claims]]
id = "full-rank"
kind = "exact_match"
networks = ["f", "g"]
layer = 1
[[claims]]
id = "rank-one"
kind = "dimension"
network = "f"
layer = 1
equals = 1
[[claims]]
id = "relu-dead"
kind = "activations"
network = "r"
layer = 1
equals = [[0, 0]]
[[claims]]
id = "cubic-dead"
kind = "activations"
network = "c"
layer = 1
equals = [[0, 0]]
[[claims]]
id = "no-match"
kind = "no_match"
networks = ["r", "c"]
layer = 1
'''


def test_algebraic_points():
    pp = loads_parametric_claim_file(ALGEBRAIC)
    v = {c.id: decide_parametric(pp, c) for c in pp.claims}
    # the rank drops exactly at t = +-sqrt(2): false, but with no rational counterexample
    assert v["full-rank"].verdict is False and v["full-rank"].counterexample is None
    assert v["full-rank"].holds_when_text == "(-oo, -sqrt(2)) U (-sqrt(2), sqrt(2)) U (sqrt(2), oo)"
    assert v["rank-one"].holds_when == [{"point": "-sqrt(2)"}, {"point": "sqrt(2)"}]
    assert v["relu-dead"].holds_when_text == "[-sqrt(2), sqrt(2)]"
    assert v["cubic-dead"].holds_when_text == "[-1, CRootOf(t**3 - t - 1, 0)]"  # 2 is a pole
    assert v["cubic-dead"].holds_at(Fraction(2)) is None
    assert v["no-match"].holds_when_text == "(-oo, -sqrt(2)) U (2, oo)"
    for x in v.values():
        if x.counterexample:
            assert decide(pp.instantiate(x.counterexample, x.claim.networks), x.claim).holds is False


def test_several_parameters():
    text = RESCALING_TEXT.replace('"1/s", "-1/s"], ["1/s", "-1/s"]', '"1/t", "-1/t"], ["1/t", "-1/t"]')
    pp = loads_parametric_claim_file(text)
    v = decide_parametric(pp, "outputs-identical-real")  # uses s and t: found by substitution
    assert v.verdict is False and set(v.counterexample) == {"s", "t"}
    assert decide(pp.instantiate(v.counterexample, v.claim.networks), v.claim).holds is False
    v = decide_parametric(pp, "outputs-identical-positive")  # only t: exact
    assert v.verdict is True


def test_undecided_when_several_parameters_and_no_counterexample():
    text = """
[parameters]
a = "positive"
b = "positive"
[data]
inputs = [[1, 1], [-1, -1], [1, 0]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "relu" },
           { weights = [[1, -1]], activation = "identity" } ]
[networks.g]
layers = [ { weights = [["a*b", 0], [0, "a*b"]], activation = "relu" },
           { weights = [["1/(a*b)", "-1/(a*b)"]], activation = "identity" } ]
[[claims]]
id = "outputs"
kind = "identical"
networks = ["f", "g"]
layer = 2
"""
    # two parameters are now decided by a cylindrical decomposition (symrep.parametric.several): g rescales
    # by a*b > 0, a positive ReLU scale, so the outputs are identical for all a, b > 0 (by construction)
    v = decide_parametric(loads_parametric_claim_file(text), "outputs")
    assert v.verdict is True and v.counterexample is None
    # three parameters are still only searched for a counterexample: undecided when none is found
    three = text.replace('b = "positive"', 'b = "positive"\nc = "positive"').replace('"a*b"', '"a*b*c"').replace(
        '"1/(a*b)", "-1/(a*b)"', '"1/(a*b*c)", "-1/(a*b*c)"')
    v = decide_parametric(loads_parametric_claim_file(three), "outputs")
    assert v.verdict == "undecided" and "not decided" in v.explanation and v.counterexample is None


# --- the key property: the exact set agrees with the verifier at every rational point -----------------

EXPRS = ["t", "-t", "1", "0", "-1", "2*t - 1", "t**2 - 2", "1/t", "t - 1/2", "(t+1)/(t-1)", "t**2", "1 - t"]
KINDS = ["identical", "exact_match", "isomorphic", "no_match", "dimension", "activations", "maximum_match"]


def _net(entries, hidden: str) -> str:
    w1 = [[entries[0], entries[1]], [entries[2], entries[3]]]
    w2 = [[entries[4], entries[5]]]

    def q(rows):
        return "[" + ", ".join("[" + ", ".join(f'"{x}"' for x in r) + "]" for r in rows) + "]"

    return (f'layers = [ {{ weights = {q(w1)}, activation = "{hidden}", bias = ["{entries[6]}", "0"] }},\n'
            f'           {{ weights = {q(w2)}, activation = "relu" }} ]\n')


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(EXPRS), min_size=7, max_size=7), st.sampled_from(KINDS), st.sampled_from([1, 2]),
       st.sampled_from(["real", "positive", "nonzero", "negative"]),
       st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=4), min_size=3, max_size=3))
def test_exact_set_agrees_with_verifier(entries, kind, layer, assumption, points):
    extra = {"activations": "network = \"f\"\nequals = " + ("[[0, 0, 0], [0, 0, 0]]" if layer == 1 else "[[0, 0, 0]]"),
             "dimension": "network = \"f\"\nequals = 1",
             "maximum_match": "networks = [\"f\", \"g\"]\nequals = " + ("[[0, 1], [0, 1]]" if layer == 1 else "[[0], [0]]")}
    text = (f'[parameters]\nt = "{assumption}"\n[data]\ninputs = [[1, 0], [0, 1], [1, -1]]\n'
            f'[networks.f]\n{_net(entries, "relu")}[networks.g]\n{_net(["1", "0", "0", "1", "1", "-1", "0"], "relu")}'
            f'[[claims]]\nid = "c"\nkind = "{kind}"\nlayer = {layer}\n'
            + extra.get(kind, 'networks = ["f", "g"]') + "\n")
    pp = loads_parametric_claim_file(text)
    v = decide_parametric(pp, "c")
    assert v.verdict in (True, False)
    sign_ok = {"real": lambda q: True, "positive": lambda q: q > 0, "nonzero": lambda q: q != 0,
               "negative": lambda q: q < 0}[assumption]
    for q in points + [Fraction(0), Fraction(1), Fraction(-1), Fraction(1, 2)]:
        if not sign_ok(q):
            assert v.holds_at(q) is None
            continue
        try:
            problem = pp.instantiate({"t": q})
        except InputError:  # a pole: outside the admissible set
            assert v.holds_at(q) is None
            continue
        assert v.holds_at(q) == decide(problem, v.claim).holds, q
        if v.verdict is True:
            assert v.holds_at(q) is True
    if v.counterexample:
        assert decide(pp.instantiate(v.counterexample), v.claim).holds is False


def test_symrep_verify_reads_parametric_files(capsys, tmp_path):
    import json
    from pathlib import Path

    from symrep.cli import main

    path = str(Path(__file__).resolve().parents[1] / "examples" / "parametric-rescaling.toml")
    assert main(["verify", path]) == 0
    assert "holds for every positive t" in capsys.readouterr().out
    assert main(["verify", path, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    by_id = {r["id"]: r for r in doc["results"]}
    assert by_id["hidden-exact-match-real"]["verdict"] is False
    assert by_id["hidden-exact-match-real"]["holds_when_text"] == "(0, oo)"
    # certificates now cover parametric claims (they used to be refused): written, and valid for the checker
    cert = str(tmp_path / "x.json")
    assert main(["verify", path, "--certificate", cert]) == 0
    capsys.readouterr()
    assert main(["check", cert]) == 0
    assert "VALID" in capsys.readouterr().out


@pytest.mark.parametrize("text", [
    "t*((((1e400)**16)**16)**16)**16",
    "((1e400)**16)**16",
    "(1e400*t)**16*(1e400*t)**16*(1e400*t)**16*(1e400*t)**16",
])
def test_coefficient_size_is_bounded_before_it_is_built(text):
    from symrep.errors import InputError
    from symrep.parametric.params import MAX_COEFFICIENT_BITS, ParameterSpace

    space = ParameterSpace({"t": "positive"})
    with pytest.raises(InputError, match=f"more than {MAX_COEFFICIENT_BITS} bits"):
        space.parse(text, "weights[0][0]")
    # within the bound is fine, and exact: 10**4800 has 15,946 bits
    value = space.parse("(1e300)**16", "w")
    assert space.substitute(value, {"t": Fraction(1)}) == Fraction(10) ** 4800


def test_hostile_parameter_expression_in_a_claim_file_exits_2(tmp_path):
    import subprocess
    import sys

    bad = RESCALING_TEXT.replace('"1/t"', '"t*((((1e400)**16)**16)**16)**16"', 1)
    path = tmp_path / "hostile.toml"
    path.write_text(bad, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "symrep", "verify", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "bits" in proc.stdout + proc.stderr and "hostile.toml" in proc.stdout + proc.stderr
