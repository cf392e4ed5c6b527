"""A property about representations that Hypothesis refutes, and the shrunk counterexample proved exactly.

The property: *if two 2-2-2 ReLU networks agree on non-zero outputs over the data, their hidden
layers share a nonzero match* (a maximum-match neuron whose activation vector is not zero).
It is false (Johnson 2019). Hypothesis finds and shrinks a counterexample; symrep.testing writes
it as a claim file and certificate; ``symrep verify`` confirms it and the independent checker
accepts the certificate. This is the workflow of ``docs/property-testing.md``.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from symrep import Layer, Network, activations, maximum_match
from symrep.checker import check_file
from symrep.claims import load_claim_file
from symrep.cli import main
from symrep.testing.strategies import datasets, networks
from symrep.testing import (
    NotVerified,
    assert_verified,
    claim_file_for,
    problem_for,
    write_counterexample,
)

SEARCH = settings(max_examples=300, deadline=None, database=None, derandomize=True)


def nonzero_outputs(f, data) -> bool:
    return any(x != 0 for row in activations(f, data, 2) for x in row)


def share_nonzero_match(f, g, data) -> bool:
    m = maximum_match(activations(f, data, 1), activations(g, data, 1))
    return any(i not in m.zero_x for i in m.x)


def output_layer_through(hidden, outputs):
    """V with V @ hidden == outputs exactly, or None when the 2 x 2 matrix *hidden* is singular."""
    (a, b), (c, d) = hidden
    det = a * d - b * c
    if det == 0:
        return None
    inverse = [[d / det, -b / det], [-c / det, a / det]]
    return [[sum(y[k] * inverse[k][j] for k in range(2)) for j in range(2)] for y in outputs]


@st.composite
def agreeing_pairs(draw):
    """(f, g, data): g's output layer is solved so that g reproduces f's outputs on the data exactly."""
    data = draw(datasets(2, 2, unique=True))
    f = draw(networks((2, 2, 2)))
    first = draw(networks((2, 2), activations="relu"))
    V = output_layer_through(activations(first, data, 1), activations(f, data, 2))
    assume(V is not None)
    return f, Network([first.layers[0], Layer(V, "identity")]), data


def facts(f, g, data) -> list[dict]:
    """The counterexample's facts as claims, each expected true."""
    hidden = maximum_match(activations(f, data, 1), activations(g, data, 1))
    return [
        {"id": "same-outputs", "kind": "identical", "networks": ["f", "g"], "layer": 2},
        {"id": "outputs", "kind": "activations", "network": "f", "layer": 2, "equals": activations(f, data, 2)},
        {"id": "hidden-f", "kind": "activations", "network": "f", "layer": 1, "equals": activations(f, data, 1)},
        {"id": "hidden-g", "kind": "activations", "network": "g", "layer": 1, "equals": activations(g, data, 1)},
        {"id": "hidden-match", "kind": "maximum_match", "networks": ["f", "g"], "layer": 1,
         "equals": [hidden.x, hidden.y], "statement": "only zero neurons match"},
    ]


def check_counterexample(f, g, data, folder):
    """Exact evidence for a counterexample: verify the claim file, re-check the certificate."""
    # The refutation itself, decided exactly.
    assert activations(f, data, 2) == activations(g, data, 2)
    assert nonzero_outputs(f, data) and not share_nonzero_match(f, g, data)
    hidden = maximum_match(activations(f, data, 1), activations(g, data, 1))
    assert set(hidden.x) == set(hidden.zero_x) and set(hidden.y) == set(hidden.zero_y)
    # Shrunk: small integers in everything Hypothesis drew (g's output layer is solved, not drawn).
    drawn = [x for net in (f, g) for r in net.layers[0].weights for x in r] + [x for r in f.layers[1].weights for x in r]
    drawn += [x for p in data for x in p]
    assert all(x.denominator == 1 and abs(x) <= 2 for x in drawn)

    files = write_counterexample(folder / "cex.toml", {"f": f, "g": g}, data, facts(f, g, data))
    assert files.certificate == folder / "cex.cert.json"
    assert [v.holds for v in files.verdicts] == [True] * 5
    assert main(["verify", str(files.claim_file)]) == 0
    report = check_file(str(files.certificate))  # the independent, standard-library checker
    assert report["status"] == "valid"
    assert [(c["id"], c["verdict"], c["as_expected"]) for c in report["claims"]] == [
        (c["id"], True, True) for c in facts(f, g, data)
    ]
    assert main(["check", str(files.certificate)]) == 0
    assert len(assert_verified(files.claim_file)) == len(assert_verified(files.certificate)) == 5
    return files


def test_given_fails_and_its_shrunk_example_is_proved(tmp_path):
    failing = []

    @SEARCH
    @given(agreeing_pairs())
    def test_agreeing_networks_share_a_nonzero_match(pair):
        f, g, data = pair
        assume(nonzero_outputs(f, data))
        if not share_nonzero_match(f, g, data):
            failing.append(pair)  # Hypothesis replays the shrunk example last
        assert share_nonzero_match(f, g, data)

    with pytest.raises(AssertionError):
        test_agreeing_networks_share_a_nonzero_match()
    check_counterexample(*failing[-1], tmp_path)


# --- symrep.testing on its own -----------------------------------------------------------------

F = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
G = Network([Layer([[-1, 0], [0, -1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
DATA = [[1, 1], [-1, -1]]


def test_claim_file_for_is_a_claim_file_symrep_reads(tmp_path):
    claims = [
        {"kind": "no_match", "networks": ("f", "g"), "layer": 1},
        {"kind": "dimension", "network": "g", "layer": 1, "equals": 1, "expect": True},
        {"kind": "maximum_match", "networks": ["f", "g"], "layer": 1, "equals": ((), ())},
    ]
    text = claim_file_for({"f": F, "g": G}, DATA, claims, title="corrected Example 3.1")
    path = tmp_path / "c.toml"
    path.write_text(text)
    problem = load_claim_file(path)
    assert problem == problem_for([("f", F), ("g", G)], DATA, claims, title="corrected Example 3.1")
    assert [c.id for c in problem.claims] == ["no_match-1", "dimension-2", "maximum_match-3"]
    assert main(["verify", str(path)]) == 0
    assert [v.holds for v in assert_verified(problem)] == [True, True, True]


def test_a_wrong_claim_is_not_verified(tmp_path):
    wrong = [{"id": "hidden-identical", "kind": "identical", "networks": ["f", "g"], "layer": 1}]
    with pytest.raises(NotVerified, match="hidden-identical: false, expected true"):
        write_counterexample(tmp_path / "w.toml", {"f": F, "g": G}, DATA, wrong)
    assert (tmp_path / "w.toml").exists() and (tmp_path / "w.cert.json").exists()  # written for inspection
    with pytest.raises(NotVerified):
        assert_verified(tmp_path / "w.toml")
    with pytest.raises(NotVerified, match="not as expected"):
        assert_verified(tmp_path / "w.cert.json")  # a valid certificate of a verdict nobody expected
    assert main(["verify", str(tmp_path / "w.toml")]) == 1


def test_a_tampered_certificate_is_not_verified(tmp_path):
    claims = [{"id": "no-match", "kind": "no_match", "networks": ["f", "g"], "layer": 1}]
    files = write_counterexample(tmp_path / "n.toml", {"f": F, "g": G}, DATA, claims, certificate=tmp_path / "n.json")
    assert files.certificate == tmp_path / "n.json"
    doc = json.loads(files.certificate.read_text())
    doc["problem"]["networks"]["g"]["layers"][0]["weights"][0][0] = "1"  # g now shares neuron 0 with f
    files.certificate.write_text(json.dumps(doc))
    with pytest.raises(NotVerified, match="rejected"):
        assert_verified(files.certificate)


def test_write_counterexample_takes_a_problem_and_can_skip_the_certificate(tmp_path):
    problem = problem_for({"f": F}, DATA, [{"kind": "dimension", "network": "f", "layer": 1, "equals": 1}])
    files = write_counterexample(tmp_path / "p.toml", problem, certificate=False)
    assert files.certificate is None and not (tmp_path / "p.cert.json").exists()
    assert load_claim_file(files.claim_file) == problem
    with pytest.raises(TypeError):
        write_counterexample(tmp_path / "q.toml", problem, DATA)
