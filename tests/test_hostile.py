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
    # and 40,000 points: 2.7e9 bits over the common denominator, refused before a product is formed
    inputs = [["1/" + "7" * 20_000]] + [["0"]] * 40_000
    layer = {"weights": [["1"]], "bias": ["1"], "activation": "identity"}
    status, text = _check(_certificate(inputs, [layer], 1), tmp_path, capsys)
    assert status == 1 and "problem.networks.f.layers[0]: neuron 0 needs more than 536870912 bits" in text
