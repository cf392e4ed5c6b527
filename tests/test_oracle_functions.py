"""``equal_functions`` against an independent oracle (issue 12): exhaustive region enumeration.

Truth comes from ``_oracle.equal_functions`` (every on/off state of every ReLU neuron of both
networks, open cells decided by Fourier-Motzkin elimination, affine maps compared per cell), which
shares no code with symrep.relu or the checker.  Random small pairs -- related by a symmetry, by a
split neuron (an equal function that no symmetry gives), by a changed weight, or unrelated -- on
R^n, a box or a half-space: symrep's verdict must be the oracle's, the checker must accept the
certificate with that verdict, and a certificate whose verdict is flipped or whose witness is moved
to a slightly changed problem must never be accepted with a verdict the oracle refutes.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import _oracle as oracle
from symrep import checker
from symrep.certificates import certify
from symrep.claims import problem_from_mapping
from symrep.claims.verdicts import verify_problem

SMALL = st.sampled_from(["0", "1", "1", "-1", "2", "-2", "1/2", "-1/2"])


def fmt(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


@st.composite
def nets(draw):
    n = draw(st.integers(1, 2))
    widths = [n] + draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)) + [draw(st.integers(1, 2))]
    layers = []
    for i in range(1, len(widths)):
        layers.append({"weights": [[draw(SMALL) for _ in range(widths[i - 1])] for _ in range(widths[i])],
                       "bias": [draw(SMALL) for _ in range(widths[i])],
                       "activation": "relu" if i < len(widths) - 1 else "identity"})
    return {"layers": layers}


def _rescale(f, draw):
    """A symmetry image: each hidden neuron of layer 0 scaled by c > 0 and the layer's neurons reversed."""
    g = copy.deepcopy(f)
    L0, L1 = g["layers"][0], g["layers"][1]
    c = [draw(st.sampled_from([Fraction(1, 2), Fraction(2), Fraction(3)])) for _ in L0["weights"]]
    L0["weights"] = [[fmt(oracle.q(x) * ci) for x in row] for row, ci in zip(L0["weights"], c)][::-1]
    L0["bias"] = [fmt(oracle.q(x) * ci) for x, ci in zip(L0["bias"], c)][::-1]
    L1["weights"] = [[fmt(oracle.q(x) / ci) for x, ci in zip(row, c)][::-1] for row in L1["weights"]]
    return g


def _split(f):
    """Neuron 0 of the first layer duplicated, each copy with half its outgoing weights: the same function."""
    g = copy.deepcopy(f)
    L0, L1 = g["layers"][0], g["layers"][1]
    L0["weights"].append(list(L0["weights"][0]))
    L0["bias"].append(L0["bias"][0])
    for row in L1["weights"]:
        row[0] = fmt(oracle.q(row[0]) / 2)
        row.append(row[0])
    return g


def _tweak(net, draw):
    g = copy.deepcopy(net)
    layer = draw(st.sampled_from(g["layers"]))
    rows = layer["weights"] if draw(st.booleans()) else [layer["bias"]]
    i = draw(st.integers(0, len(rows) - 1))
    j = draw(st.integers(0, len(rows[i]) - 1))
    rows[i][j] = fmt(oracle.q(rows[i][j]) + draw(st.sampled_from([Fraction(1), Fraction(-1), Fraction(1, 2)])))
    return g


@st.composite
def problems(draw):
    f = draw(nets())
    n = len(f["layers"][0]["weights"][0])
    how = draw(st.sampled_from(["symmetry", "split", "tweak", "split-tweak", "random", "same"]))
    if how == "symmetry":
        g = _rescale(f, draw)
    elif how == "split":
        g = _split(f)
    elif how == "tweak":
        g = _tweak(f, draw)
    elif how == "split-tweak":
        g = _tweak(_split(f), draw)
    elif how == "same":
        g = copy.deepcopy(f)
    else:
        g = draw(nets())
        if len(g["layers"][0]["weights"][0]) != n or len(g["layers"][-1]["weights"]) != len(f["layers"][-1]["weights"]):
            g = _tweak(f, draw)
    claim = {"id": "same-function", "kind": "equal_functions", "networks": ["f", "g"]}
    domain = draw(st.sampled_from(["none", "box", "halfspace"]))
    if domain == "box":
        claim["domain"] = [[lo, hi] for lo, hi in (draw(st.sampled_from([("-1", "1"), ("0", "2"), ("-3", "-1/2")]))
                                                   for _ in range(n))]
    elif domain == "halfspace":
        claim["domain"] = [{"coefficients": [draw(SMALL.filter(lambda s: s != "0")) for _ in range(n)],
                            "relation": draw(st.sampled_from(["<=", ">="])), "bound": draw(SMALL)}]
    inputs = [[str(k) for k in range(n)]]
    return {"data": {"inputs": inputs}, "networks": {"f": f, "g": g}, "claims": [claim]}


def _decided(doc):
    problem = problem_from_mapping(doc)
    return verify_problem(problem)[0].holds, json.loads(json.dumps(certify(problem)))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(problems())
def test_symrep_and_checker_agree_with_region_enumeration(doc):
    truth = oracle.equal_functions(doc, doc["claims"][0])
    assert truth is not None
    verdict, cert = _decided(doc)
    assert verdict == truth
    (report,) = checker.check_certificate(cert)
    assert report["valid"] and report["verdict"] == truth, report["message"]


@SETTINGS
@given(problems(), st.data())
def test_moved_or_flipped_witnesses_are_never_accepted_wrongly(doc, data):
    _, cert = _decided(doc)
    bad = copy.deepcopy(cert)
    if data.draw(st.booleans()):
        bad["results"][0]["verdict"] = not bad["results"][0]["verdict"]
    else:  # the witness of this problem on a slightly changed one
        which = data.draw(st.sampled_from(["f", "g"]))
        bad["problem"]["networks"][which] = _tweak(bad["problem"]["networks"][which], data.draw)
    try:
        reports = checker.check_certificate(bad)
    except checker.Reject:
        return
    truth = oracle.equal_functions(bad["problem"], bad["problem"]["claims"][0])
    if reports[0]["valid"]:
        assert reports[0]["verdict"] == truth, "the checker accepted a wrong verdict"


def test_the_oracle_decides_the_textbook_cases():
    def net(*layers):
        return {"layers": [{"weights": w, "activation": a} for w, a in layers]}

    doc = {"networks": {
        "f": net(([[1, 0], [0, 1]], "relu"), ([[1, -1], [1, -1]], "identity")),
        "f_tilde": net(([[1, 0], [0, -1]], "relu"), ([[1, -1], [1, -1]], "identity")),
        "g": net(([[2, 0], [0, 1]], "relu"), ([["1/2", -1], ["1/2", -1]], "identity")),
        "x": net(([[1]], "identity"),), "relu": net(([[1]], "relu"),),
        "split": net(([[1], [-1]], "relu"), ([[1, -1]], "identity")),  # relu(x) - relu(-x) = x
        "dead": net(([[0]], "relu"), ([[5]], "identity")),  "zero": net(([[0]], "identity"),)}}
    eq = lambda a, b, **kw: oracle.equal_functions(doc, {"networks": [a, b], **kw})  # noqa: E731
    assert eq("f", "f_tilde") is False and eq("f", "g") is True  # the seed paper's Example 3.1
    assert eq("split", "x") is True and eq("relu", "x") is False
    assert eq("relu", "x", domain=[["0", "5"]]) is True and eq("relu", "x", domain=[["-1", "0"]]) is False
    assert eq("dead", "zero") is True  # a neuron 0 everywhere needs no branch
    assert eq("relu", "x", domain=[{"coefficients": ["1"], "relation": ">=", "bound": "0"}]) is True
    assert eq("relu", "x", domain=[{"coefficients": ["1"], "relation": "==", "bound": "0"}]) is None
