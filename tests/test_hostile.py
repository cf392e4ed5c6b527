"""Hostile input (issue 12): inputs built to make symrep or its checker run out of time or memory.

Each test writes the hostile file, runs the user's command on it (``symrep verify``, the checker)
and asserts a refusal: exit status 2 (verify) or 1 (check) with a message naming the file and the
layer or field.  The sizes are chosen so that, unbounded, each case would take minutes and
gigabytes; no test times anything (the bounds make the refusal fast; benchmarks/ measures).
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from symrep import checker, cli
from symrep.errors import InputError
from symrep.networks.network import MAX_ACTIVATION_BITS, Layer, Network, forward

BIG = "9" * 4000  # the largest integer a claim file allows: 13,288 bits


def _run(argv, capsys):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _deep_claim_file(width: int, depth: int) -> str:
    diag = "[" + ", ".join("[" + ", ".join(BIG if i == j else "0" for j in range(width)) + "]" for i in range(width)) + "]"
    layers = ",\n ".join(f'{{ weights = {diag}, activation = "relu" }}' for _ in range(depth))
    inputs = "[" + ", ".join("[" + ", ".join(str(i + j + 1) for j in range(width)) + "]" for i in range(2)) + "]"
    return (f"[data]\ninputs = {inputs}\n[networks.f]\nlayers = [{layers}]\n"
            f'[[claims]]\nid = "c"\nkind = "dimension"\nnetwork = "f"\nlayer = {depth}\nequals = 1\n')


def test_activation_growth_through_depth_is_refused_by_verify(tmp_path, capsys):
    # 13,288 bits more per layer: past MAX_ACTIVATION_BITS (2^18) at layer 20, long before layer 100
    path = tmp_path / "deep.toml"
    path.write_text(_deep_claim_file(2, 100))
    status, out, err = _run(["verify", path], capsys)
    assert status == 2 and "Traceback" not in err
    assert "deep.toml: network 'f': layer 20: neuron 0 has an activation of more than 262,144 bits" in err


def test_library_forward_names_the_layer():
    w = int(BIG)
    net = Network([Layer([[w]], "identity", where=f"net.toml: network 'f': layer {i}") for i in range(1, 31)], name="f")
    with pytest.raises(InputError, match=r"net.toml: network 'f': layer 20: neuron 0 .* more than 262,144 bits"):
        forward(net, [[1]])
    # just below the bound it is computed exactly: 19 layers give w^19 (252,472 bits)
    acts = forward(Network(net.layers[:19], name="f"), [[1]])
    assert acts[-1] == ((Fraction(w**19),),) and (w**19).bit_length() <= MAX_ACTIVATION_BITS


def test_total_activation_bits_are_bounded():
    # one neuron of 1/S at a single point and a bias of 1 everywhere: reduced, every entry is small
    # (1, 1, ...) but over the neuron's common denominator S each of the 21,000 entries needs
    # 13,288 bits: 2.8e8 > 2^28 in all -- refused, not built
    s = int(BIG)
    inputs = [[Fraction(1, s)]] + [[0]] * 21_000
    net = Network([Layer([[1]], "identity", bias=[1], where="f.toml: network 'f': layer 1")], name="f")
    with pytest.raises(InputError, match="layer 1: the activations up to here take more than 268,435,456 bits"):
        forward(net, inputs)


def _certificate(inputs, layers, layer):
    """A certificate of one (false) dimension claim about network f, witness absent: the forward pass decides first."""
    return {
        "format": "symrep-certificate/1",
        "problem": {
            "data": {"inputs": inputs},
            "networks": {"f": {"layers": layers}},
            "claims": [{"id": "c", "kind": "dimension", "network": "f", "layer": layer, "equals": 1}],
        },
        "results": [{"id": "c", "kind": "dimension", "verdict": True, "witness": {}}],
    }


def _check(doc, tmp_path, capsys):
    path = tmp_path / "c.cert.json"
    path.write_text(json.dumps(doc))
    status = checker.main([str(path)])
    out, err = capsys.readouterr()
    return status, out + err


def test_checker_refuses_growth_through_depth(tmp_path, capsys):
    layer = {"weights": [[BIG, "0"], ["0", BIG]], "bias": ["0", "0"], "activation": "relu"}
    status, text = _check(_certificate([["1", "2"], ["2", "3"]], [layer] * 100, 100), tmp_path, capsys)
    assert status == 1 and "Traceback" not in text
    assert "problem.networks.f.layers[19]: neuron 0 has an activation of more than 262144 bits" in text


def test_checker_refuses_a_neuron_before_building_it(tmp_path, capsys):
    # as test_total_activation_bits_are_bounded, with a 20,000-digit S (the checker reads that many)
    # and 10,000 points: 6.6e8 bits over the common denominator, refused before a product is formed
    inputs = [["1/" + "7" * 20_000]] + [["0"]] * 10_000
    layer = {"weights": [["1"]], "bias": ["1"], "activation": "identity"}
    status, text = _check(_certificate(inputs, [layer], 1), tmp_path, capsys)
    assert status == 1 and "problem.networks.f.layers[0]: neuron 0 needs more than 536870912 bits" in text


# --- simple_matches with zero neurons; the checker's cost bounded as symrep writes ------------


def _layer_file(rows_f, rows_g, kind, extra, inputs="[[1, 2], [3, 4]]"):
    wf, wg = ("[" + ", ".join(str(r) for r in rows) + "]" for rows in (rows_f, rows_g))
    return (f"[data]\ninputs = {inputs}\n"
            f'[networks.f]\nlayers = [ {{ weights = {wf}, activation = "relu" }} ]\n'
            f'[networks.g]\nlayers = [ {{ weights = {wg}, activation = "relu" }} ]\n'
            f'[[claims]]\nid = "c"\nkind = "{kind}"\nnetworks = ["f", "g"]\nlayer = 1\n{extra}\n')


def test_twelve_dead_neurons_a_side_are_decided_by_reasoning(tmp_path, capsys):
    # every activation vector is zero: (X, Y) is a match for all 2^24 pairs, and the simple matches
    # are the 24 single neurons (the union of M - {p} and M - {q} is M once M has two neurons)
    singles = [[[i], []] for i in range(12)] + [[[], [j]] for j in range(12)]
    path = tmp_path / "dead.toml"
    path.write_text(_layer_file([[0, 0]] * 12, [[0, 0]] * 12, "simple_matches", f"equals = {json.dumps(singles)}"))
    status, out, err = _run(["verify", path], capsys)
    assert status == 0, out + err
    assert "24 simple matches among 16777215 non-empty matches" in out
    path.write_text(_layer_file([[0, 0]] * 12, [[0, 0]] * 12, "simple_matches", f"equals = {json.dumps(singles[1:])}"))
    assert _run(["verify", path], capsys)[0] == 1


def test_live_and_dead_neurons_together(tmp_path, capsys):
    # f: e1 and two zero neurons; g: 2 e1 and one zero neuron.  Live simple match ([0], [0]) plus the
    # three zero neurons alone -- and the certificate (6 neurons in all) is accepted by the checker
    expected = [[[0], [0]], [[1], []], [[2], []], [[], [1]]]
    path = tmp_path / "mixed.toml"
    path.write_text(_layer_file([[1, 0], [0, 0], [0, 0]], [[2, 0], [0, 0]], "simple_matches",
                                f"equals = {json.dumps(expected)}"))
    cert = tmp_path / "mixed.cert.json"
    status, out, err = _run(["verify", path, "--certificate", cert], capsys)
    assert status == 0, out + err
    assert checker.main([str(cert)]) == 0


def _certified(tmp_path, capsys, text, name="c"):
    path, cert = tmp_path / f"{name}.toml", tmp_path / f"{name}.cert.json"
    path.write_text(text)
    status, out, err = _run(["verify", path, "--certificate", cert], capsys)
    assert status in (0, 1), out + err
    return json.loads(cert.read_text())


def test_checker_refuses_simple_matches_beyond_what_symrep_writes(tmp_path, capsys):
    doc = _certified(tmp_path, capsys, _layer_file([[0, 0]] * 6, [[0, 0]] * 6, "simple_matches", "equals = []"))
    # 7 + 7 zero neurons: 2^14 - 1 pairs, each with every other when compared naively
    for name in ("f", "g"):
        doc["problem"]["networks"][name]["layers"][0]["weights"] = [["0", "0"]] * 7
        doc["problem"]["networks"][name]["layers"][0]["bias"] = ["0"] * 7
    status, text = _check(doc, tmp_path, capsys)
    assert status == 1 and "14 neurons in all: symrep certifies simple_matches up to 12" in text


def test_checker_refuses_an_exact_inverse_beyond_rank_8(tmp_path, capsys):
    eye = [[int(i == j) for j in range(9)] for i in range(9)]
    text = (f"[data]\ninputs = {eye}\n[networks.f]\nlayers = [ {{ weights = {eye}, activation = \"identity\" }} ]\n"
            '[[claims]]\nid = "c"\nkind = "dimension"\nnetwork = "f"\nlayer = 1\nequals = 9\n')
    doc = _certified(tmp_path, capsys, text)
    w = doc["results"][0]["witness"]
    assert "inverse_mod" in w  # what symrep writes at rank 9
    del w["inverse_mod"]
    w["inverse"] = [[str(x) for x in row] for row in eye]  # the right inverse, in the form symrep keeps to rank 8
    status, out = _check(doc, tmp_path, capsys)
    assert status == 1 and "an exact inverse of rank 9: symrep writes one up to rank 8" in out


@pytest.mark.parametrize("level", [pytest.param("orthogonal", marks=pytest.mark.slow), "linear"])
def test_checker_refuses_a_square_map_beyond_width_64(tmp_path, capsys, level):
    n = 65
    eye = [[int(i == j) for j in range(n)] for i in range(n)]
    doc = _certified(tmp_path, capsys, _layer_file(eye, eye, "equivalence", f'level = "{level}"', inputs=str(eye)))
    w = doc["results"][0]["witness"]
    assert doc["results"][0]["verdict"] is True and "map" not in w  # symrep writes no map at width 65
    w["map"] = [[str(x) for x in row] for row in eye]
    if level == "linear":
        w["inverse"] = w["map"]
    status, out = _check(doc, tmp_path, capsys)
    assert status == 1 and "map of width 65: symrep writes one up to width 64" in out
