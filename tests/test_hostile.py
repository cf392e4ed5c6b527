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
    status, out, err = _run(["verify", path, "--wide"], capsys)
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
    status, out, err = _run(["verify", path, "--wide"], capsys)
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


# --- equal_functions: symmetry first, work and time bounded ------------------------------------


def _random_layers(widths, seed):
    import random

    r = random.Random(seed)
    return [{"weights": [[r.randint(-5, 5) for _ in range(widths[i - 1])] for _ in range(widths[i])],
             "bias": [r.randint(-3, 3) for _ in range(widths[i])],
             "activation": "identity" if i == len(widths) - 1 else "relu"} for i in range(1, len(widths))]


def _permuted_and_rescaled(layers, seed):
    """g: every hidden layer's neurons permuted by a random permutation and multiplied by random scales > 0."""
    import random

    r = random.Random(seed)
    out, perm, scale = [], list(range(len(layers[0]["weights"][0]))), [Fraction(1)] * len(layers[0]["weights"][0])
    for li, layer in enumerate(layers):
        width = len(layer["weights"])
        last = li == len(layers) - 1
        p = list(range(width)) if last else r.sample(range(width), width)
        c = [Fraction(1)] * width if last else [Fraction(r.randint(1, 5), r.randint(1, 5)) for _ in range(width)]
        W = [[None] * len(perm) for _ in range(width)]
        b = [None] * width
        for i in range(width):  # g's neuron p[i] = c[i] * f's neuron i, reading g's inputs through the previous relabelling
            for k in range(len(perm)):
                W[p[i]][perm[k]] = c[i] * layer["weights"][i][k] / scale[k]
            b[p[i]] = c[i] * layer["bias"][i]
        out.append({"weights": W, "bias": b, "activation": layer["activation"]})
        perm, scale = p, c
    return out


def _toml_layers(layers):
    def num(x):
        return f'"{x}"'
    return "layers = [" + ",\n ".join(
        "{ weights = [" + ", ".join("[" + ", ".join(num(x) for x in row) + "]" for row in L["weights"]) + "], "
        f"bias = [{', '.join(num(x) for x in L['bias'])}], activation = \"{L['activation']}\" }}" for L in layers) + "]"


def _functions_file(f, g, n, extra=""):
    return (f"[data]\ninputs = [{[1] * n}]\n[networks.f]\n{_toml_layers(f)}\n[networks.g]\n{_toml_layers(g)}\n"
            f'[[claims]]\nid = "c"\nkind = "equal_functions"\nnetworks = ["f", "g"]\n{extra}\n')


@pytest.mark.parametrize("widths", [(3, 24, 24, 1), (4, 40, 1)])
def test_identical_networks_are_equal_at_once(tmp_path, capsys, widths):
    # unbounded splitting took 64 s (3-24-24-1) and more than 600 s and 1.9 GB (4-40-1)
    f = _random_layers(widths, 5)
    doc = _certified(tmp_path, capsys, _functions_file(f, f, widths[0]))
    assert doc["results"][0]["verdict"] is True
    assert doc["results"][0]["witness"] == {"symmetry": [
        {"permutation": list(range(w)), "scales": ["1"] * w} for w in widths[1:-1]]}
    assert _check(doc, tmp_path, capsys)[0] == 0


def test_permuted_and_rescaled_networks_are_equal_with_a_checked_witness(tmp_path, capsys):
    from symrep.relu.functions import check_equal_functions_witness
    from symrep.errors import CertificateRejected

    f = _random_layers((3, 8, 6, 2), 11)
    g = _permuted_and_rescaled(f, 12)
    doc = _certified(tmp_path, capsys, _functions_file(f, g, 3))
    assert doc["results"][0]["verdict"] is True and "symmetry" in doc["results"][0]["witness"]
    assert _check(doc, tmp_path, capsys)[0] == 0
    nets = [doc["problem"]["networks"][k]["layers"] for k in ("f", "g")]
    parsed = [[{"weights": [[Fraction(x) for x in r] for r in L["weights"]], "bias": [Fraction(x) for x in L["bias"]],
                "activation": L["activation"]} for L in net] for net in nets]
    w = doc["results"][0]["witness"]
    check_equal_functions_witness(parsed[0], parsed[1], None, True, w)
    # a coordinated mutation: the scales of layer 1 all doubled (a consistent-looking, wrong witness)
    w["symmetry"][0]["scales"] = [str(2 * Fraction(x)) for x in w["symmetry"][0]["scales"]]
    status, text = _check(doc, tmp_path, capsys)
    assert status == 1 and "layer 1, neuron 0 of the first network is not its scale times" in text
    with pytest.raises(CertificateRejected):
        check_equal_functions_witness(parsed[0], parsed[1], None, True, w)


def test_a_transplanted_symmetry_witness_is_rejected(tmp_path, capsys):
    # the witness of (f, g) on a problem whose g differs in one output weight: the functions differ
    f = _random_layers((2, 5, 1), 3)
    g = _permuted_and_rescaled(f, 4)
    doc = _certified(tmp_path, capsys, _functions_file(f, g, 2))
    doc["problem"]["networks"]["g"]["layers"][1]["weights"][0][0] = "12345"
    status, text = _check(doc, tmp_path, capsys)
    assert status == 1 and "layer 2, neuron 0 of the first network is not its scale times" in text


def test_timeout_makes_equal_functions_undecided(tmp_path, capsys):
    # g is f with one hidden neuron split into two halves (no permutation of f): equal, but only a
    # region split (minutes at this size) can show it; --timeout stops it
    f = _random_layers((3, 24, 24, 1), 5)
    g = [dict(L) for L in f]
    g[0] = {**f[0], "weights": f[0]["weights"] + [f[0]["weights"][0]], "bias": f[0]["bias"] + [f[0]["bias"][0]]}
    g[1] = {**f[1], "weights": [row[:1] and [Fraction(row[0], 2)] + row[1:] + [Fraction(row[0], 2)] for row in f[1]["weights"]]}
    path = tmp_path / "split.toml"
    path.write_text(_functions_file(f, g, 3))
    status, out, err = _run(["verify", path, "--timeout", "0.5", "--wide"], capsys)
    assert "undecided" in out and "time bound of 0.5 s reached" in out and "Traceback" not in err
    status, out, err = _run(["verify", path, "--timeout", "-1"], capsys)
    assert status == 2 and "--timeout" in err


def test_empty_branches_are_bounded(tmp_path, capsys):
    # f = relu(x) + relu(2x - 1) + relu(3x - 2); g the same with relu(x) split into two halves.  On R^1
    # the split has 4 regions but 19 empty branches: with max_regions = 4 the empty branches stop it
    # (undecided, never a guess); with 19 it is decided
    f = [{"weights": [[1], [2], [3]], "bias": [0, -1, -2], "activation": "relu"},
         {"weights": [[1, 1, 1]], "bias": [0], "activation": "identity"}]
    g = [{"weights": [[1], [1], [2], [3]], "bias": [0, 0, -1, -2], "activation": "relu"},
         {"weights": [["1/2", "1/2", 1, 1]], "bias": [0], "activation": "identity"}]
    path = tmp_path / "empty.toml"
    path.write_text(_functions_file(f, g, 1, "max_regions = 4"))
    status, out, err = _run(["verify", path, "--wide"], capsys)
    assert "undecided" in out and "more than 4 empty branches" in out
    path.write_text(_functions_file(f, g, 1, "max_regions = 19"))
    status, out, err = _run(["verify", path, "--wide"], capsys)
    assert status == 0 and "4 linear regions" in out and "19 empty branches" in out


# --- the slow set: the issue's cases at full size, each in a subprocess under resource limits -----

_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 ** 2, 1536 * 1024 ** 2))
if sys.argv[1] == "check":
    from symrep import checker
    sys.exit(checker.main(sys.argv[2:]))
from symrep import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def _limited(argv, tmp_path):
    """Run a command with 1.5 GB of address space and a generous 300 s (a hang guard, not a timing)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, "-c", _LIMITED, *map(str, argv)], capture_output=True, text=True, timeout=300,
                       cwd=tmp_path, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr, r.stderr[-2000:]
    return r.returncode, r.stdout + r.stderr


@pytest.mark.slow
def test_the_issues_cases_at_full_size_within_limits(tmp_path, capsys):
    # verify: a 4,000-digit diagonal over 100 layers, 10 neurons wide on 10 points (3.5 GB before)
    deep = tmp_path / "deep.toml"
    deep.write_text(_deep_claim_file(10, 100).replace("inputs = [", "inputs = [[3, 1, 4, 1, 5, 9, 2, 6, 5, 3], ", 1))
    status, text = _limited(["verify", deep], tmp_path)
    assert status == 2 and "layer 20: neuron 0 has an activation of more than 262,144 bits" in text
    # verify: 12 zero neurons a side (a MemoryError before)
    dead = tmp_path / "dead.toml"
    singles = [[[i], []] for i in range(12)] + [[[], [j]] for j in range(12)]
    dead.write_text(_layer_file([[0, 0]] * 12, [[0, 0]] * 12, "simple_matches", f"equals = {json.dumps(singles)}"))
    assert _limited(["verify", dead], tmp_path)[0] == 0
    # verify: two identical 40-neuron networks on R^4 (past 600 s and 1.9 GB before)
    same = tmp_path / "same.toml"
    f = _random_layers((4, 40, 1), 7)
    same.write_text(_functions_file(f, f, 4))
    assert _limited(["verify", same], tmp_path)[0] == 0
    # the checker: the deep network in a certificate (274 s and 2.6 GB before), 30 wide on 30 points
    layer = {"weights": [[BIG if i == j else "0" for j in range(30)] for i in range(30)], "bias": ["0"] * 30,
             "activation": "relu"}
    inputs = [[str((i * 7 + j * 3) % 11 + 1) for j in range(30)] for i in range(30)]
    cert = tmp_path / "deep.cert.json"
    cert.write_text(json.dumps(_certificate(inputs, [layer] * 100, 100)))
    status, text = _limited(["check", cert], tmp_path)
    assert status == 1 and "too large to check" in text
    # the checker: simple_matches with 6 + 6 zero neurons (4,095 pairs, each once) is checked, and valid
    doc = _certified(tmp_path, capsys, _layer_file([[0, 0]] * 6, [[0, 0]] * 6, "simple_matches", "equals = []"))
    cert.write_text(json.dumps(doc))
    assert _limited(["check", cert], tmp_path)[0] == 0


def test_the_checkers_integer_products_are_the_rational_ones():
    # gram_of_columns and product_is_identity replace r^3 Fraction products by integer ones: compare
    # them with the definition on matrices with mixed denominators (truth by plain Fractions here)
    import random

    rng = random.Random(5)
    for _ in range(50):
        n, r = rng.randint(1, 5), rng.randint(1, 4)
        C = [[Fraction(rng.randint(-9, 9), rng.randint(1, 6)) for _ in range(r)] for _ in range(n)]
        G, L = checker.gram_of_columns(C, r)
        assert [[Fraction(g, L) for g in row] for row in G] == [
            [sum((C[i][k] * C[i][l] for i in range(n)), Fraction(0)) for l in range(r)] for k in range(r)]
        M = [[Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(r)] for _ in range(r)]
        K = [[Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(r)] for _ in range(r)]
        want = all(sum((M[i][t] * K[t][j] for t in range(r)), Fraction(0)) == (i == j) for i in range(r) for j in range(r))
        assert checker.product_is_identity(M, K) == want
    rot = [[Fraction(3, 5), Fraction(-4, 5)], [Fraction(4, 5), Fraction(3, 5)]]
    assert checker.product_is_identity(rot, [list(c) for c in zip(*rot)])
    assert not checker.product_is_identity(rot, rot)


def test_the_checkers_work_on_dead_neurons_is_linear_in_the_certificate(tmp_path, capsys):
    # 6 + 6 zero neurons: all 4,095 pairs are matches.  Comparing every match with every other took
    # 16.8 million steps; the checker now makes one pass over the 2^12 neuron sets (each a union over
    # at most 12 others) and one per match: counted here by wrapping its one helper
    from unittest import mock

    doc = _certified(tmp_path, capsys, _layer_file([[0, 0]] * 6, [[0, 0]] * 6, "simple_matches", "equals = []"))
    with mock.patch.object(checker, "_strict_union", wraps=checker._strict_union) as counted:
        reports = checker.check_certificate(doc)
    assert [r["valid"] for r in reports] == [True] and reports[0]["verdict"] is False
    assert counted.call_count <= 2 ** 12 + 4095
