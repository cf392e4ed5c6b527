"""`symrep search`: it finds known counterexamples, and everything it reports verifies exactly.

Every network the search reports is written as a claim file and re-verified by
``symrep verify`` (exit 0) and its certificate by the standalone checker; symmetry-orbit
results always give a full match; infeasibility reports carry witnesses checked here with
plain multiplication; bounded searches say "none within these bounds", never "none".
"""

from __future__ import annotations

import argparse
import json
from fractions import Fraction
from pathlib import Path

import pytest

from symrep import checker
from symrep.claims import load_claim_file
from symrep.cli import main
from symrep.cli.search import add_search_parser
from symrep.errors import InputError, SymrepError
from symrep.measures.matching import maximum_match
from symrep.networks.network import Layer, Network, activations, forward
from symrep.search import (
    FOUND,
    IMPOSSIBLE,
    NONE_WITHIN,
    STOPPED,
    UNAVAILABLE,
    UNREACHABLE,
    Objective,
    everywhere_proof,
    parse_objectives,
    search,
    smt_available,
)

DATA = Path(__file__).resolve().parent.parent / "symrep" / "data"
SEED = DATA / "example-3.1.toml"
F = Fraction


def seed_problem():
    return load_claim_file(SEED)


def ints(m):
    return [[str(x) for x in row] for row in m]


def verified(result, tmp_path, name="found.toml"):
    """Write the claim file and certificate of a result; symrep verify and the checker must accept them."""
    path = tmp_path / name
    result.write_claim_file(path)
    assert main(["verify", str(path)]) == 0
    cert = tmp_path / (path.stem + ".cert.json")
    result.write_certificate(cert)
    report = checker.check_file(str(cert))
    assert report["status"] == "valid", report
    assert all(c["valid"] and c["as_expected"] for c in report["claims"]), report["claims"]
    problem = load_claim_file(path)
    assert [n for n, _ in problem.networks] == [result.reference_name, "found"]
    return problem


def agrees_on_data(result):
    f, g = result.reference, result.network
    return forward(f, result.inputs)[-1] == forward(g, result.inputs)[-1]


# --- the seed: Johnson's Example 3.1, corrected by the search itself ---------------------------


def test_seed_no_match_and_isomorphic_on_the_printed_data(tmp_path):
    r = search(seed_problem(), network="f", layer=1, objective="no-match,isomorphic-not-equal")
    assert r.status == FOUND and r.found and r.method == "layerwise"
    assert ints(r.inputs) == [["1", "1"], ["-1", "-1"]] and not r.added
    assert ints(r.network.layers[0].weights) == [["-1", "0"], ["0", "-1"]]  # W1~ = -I, found first
    assert r.network.layers[1].weights == r.reference.layers[1].weights  # f's W2 kept
    A, B = activations(r.reference, r.inputs, 1), activations(r.network, r.inputs, 1)
    assert maximum_match(A, B).empty
    assert not any(any(row) for row in forward(r.network, r.inputs)[-1])  # zero outputs are forced here
    problem = verified(r, tmp_path)
    kinds = {c.id: (c.kind, c.expect) for c in problem.claims}
    assert kinds["outputs-identical"] == ("identical", True)
    assert kinds["hidden-no-match"] == ("no_match", True)
    assert kinds["hidden-isomorphic"] == ("isomorphic", True)
    assert kinds["hidden-spans-equal"] == ("exact_match", False)


def test_seed_with_an_added_point_has_identical_nonzero_outputs(tmp_path):
    r = search(seed_problem(), network="f", layer=1, objective="no-match,isomorphic-not-equal",
               extra_points=1, nonzero_outputs=True)
    assert r.status == FOUND
    assert len(r.added) == 1 and len(r.inputs) == 3 and r.inputs[-1] == r.added[0]
    out = forward(r.network, r.inputs)[-1]
    assert any(any(row) for row in out) and agrees_on_data(r)
    problem = verified(r, tmp_path)
    assert {c.id for c in problem.claims} >= {"outputs-identical", "outputs", "outputs-match", "hidden-no-match",
                                              "hidden-isomorphic", "hidden-spans-equal"}


def test_nonzero_outputs_on_the_printed_data_are_impossible():
    r = search(seed_problem(), network="f", layer=1, objective="no-match", nonzero_outputs=True)
    assert r.status == IMPOSSIBLE and "all zero" in r.message and "--extra-points" in r.message
    assert r.network is None


def test_the_committed_search_proofs_are_what_the_search_finds():
    proofs = Path(__file__).resolve().parent.parent / "proofs"
    for name, kw in (("search-example-3.1.toml", {}),
                     ("search-example-3.1-nonzero.toml", {"extra_points": 1, "nonzero_outputs": True})):
        path = proofs / name
        assert path.exists(), f"proofs/{name} is missing: the committed search proofs must be present"
        r = search(seed_problem(), network="f", layer=1, objective="no-match,isomorphic-not-equal", **kw)
        committed = load_claim_file(path)
        assert committed.network("found") == r.network
        assert committed.inputs == r.inputs


# --- other known counterexamples -------------------------------------------------------------


def test_relu_output_layer_with_an_added_point(tmp_path):
    r = search(seed_problem(), network="f_relu_out", layer=1, objective="no-match", extra_points=1,
               nonzero_outputs=True)
    assert r.status == FOUND and r.network.layers[-1].activation == "relu"
    verified(r, tmp_path)


def test_deeper_network_at_both_hidden_layers(tmp_path):
    f = deep_network()
    X = [[1, 0], [0, 1], [1, 1], [-1, 2]]
    for layer, objective in ((1, "no-match"), (2, "not-isomorphic"), (2, "beyond-symmetry")):
        r = search(f, data=X, layer=layer, objective=objective)
        assert r.status == FOUND, (layer, objective, r.message)
        assert r.network.widths == f.widths
        assert [l.activation for l in r.network.layers] == [l.activation for l in f.layers]
        for j, (a, b) in enumerate(zip(f.layers, r.network.layers), start=1):
            if j not in (layer, layer + 1):
                assert a == b  # copied from f
        assert agrees_on_data(r)
        verified(r, tmp_path, f"deep-{layer}-{objective}.toml")


def test_max_match_at_most_k(tmp_path):
    r = search(seed_problem(), network="f", layer=1, objective="max-match-at-most 1")
    assert r.status == FOUND
    m = maximum_match(activations(r.reference, r.inputs, 1), activations(r.network, r.inputs, 1))
    assert len(m.x) + len(m.y) <= 1
    problem = verified(r, tmp_path)
    assert "hidden-maximum-match" in {c.id for c in problem.claims}


def linear_pairs_network():
    """A 2-4-2 network computing a linear map with two pairs relu(t), relu(-t)."""
    return Network([Layer([[1, 0], [-1, 0], [0, 1], [0, -1]], "relu"),
                    Layer([[1, -1, -1, 1], [2, -2, 0, 0]], "identity")], name="f")


def test_everywhere_finds_a_different_factorization_of_the_same_function(tmp_path):
    f = linear_pairs_network()
    r = search(f, data=[[1, 2], [2, -1], [-1, 1]], layer=1, objective="beyond-symmetry", mode="everywhere",
               bounds={"max_seconds": 20})
    assert r.status == FOUND and r.mode == "everywhere"
    proof = r.everywhere
    assert proof["holds"] and proof["method"] == "kink decomposition" and proof["decides"]
    assert proof["cross_check"].get("equal", True) is True
    # the functions agree at points that are not data points too
    probe = [[F(p), F(q)] for p in range(-3, 4) for q in range(-3, 4)]
    assert forward(f, probe)[-1] == forward(r.network, probe)[-1]
    problem = verified(r, tmp_path)
    from symrep.claims import CLAIM_KINDS

    if "equal_functions" in CLAIM_KINDS:  # then the claim file states the equality itself
        assert any(c.kind == "equal_functions" and c.expect for c in problem.claims)


def test_everywhere_proof_rejects_different_functions():
    f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
    g = Network([Layer([[1, 0], [0, -1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
    assert everywhere_proof(f, g, 1)["holds"] is False
    h = Network([Layer([[2, 0], [0, 3]], "relu"), Layer([["1/2", "-1/3"], ["1/2", "-1/3"]], "identity")])
    assert everywhere_proof(f, h, 1)["holds"] is True


# --- the symmetry orbit ------------------------------------------------------------------------


@pytest.mark.parametrize("objective", ["no-match", "beyond-symmetry", "isomorphic-not-equal", "max-match-at-most 3"])
@pytest.mark.parametrize("mode", ["data", "everywhere"])
def test_orbit_results_always_match_fully(objective, mode, tmp_path):
    r = search(seed_problem(), network="f", layer=1, objective=objective, method="orbit", mode=mode)
    assert r.status == UNREACHABLE and not r.found
    assert "cannot be reached by symmetry" in r.message
    A, B = activations(r.reference, r.inputs, 1), activations(r.network, r.inputs, 1)
    m = maximum_match(A, B)
    assert m.x == (0, 1) and m.y == (0, 1)  # every neuron on both sides
    assert r.network != r.reference and agrees_on_data(r)
    if mode == "everywhere":
        assert r.everywhere["holds"] and r.everywhere["method"] == "symmetry"
    problem = verified(r, tmp_path)
    kinds = {c.id: (c.kind, c.expect) for c in problem.claims}
    assert kinds["hidden-maximum-match"] == ("maximum_match", True)
    assert kinds["hidden-scaled-permutation"] == ("equivalence", True)


def test_orbit_meets_a_trivial_match_bound_and_auto_uses_it(tmp_path):
    f = linear_pairs_network()
    r = search(f, data=[[1, 2], [2, -1], [-1, 1]], layer=1, objective="max-match-at-most 8")
    assert r.status == FOUND and r.method == "orbit"
    m = maximum_match(activations(f, r.inputs, 1), activations(r.network, r.inputs, 1))
    assert len(m.x) == len(m.y) == 4
    verified(r, tmp_path)


# --- infeasibility evidence, bounds, impossibility --------------------------------------------


def deep_network():
    return Network([Layer([[1, 0], [0, 1], [1, 1]], "relu"),
                    Layer([[1, -1, 0], [0, 1, 1], [1, 0, -1]], "relu", [0, 0, 1]),
                    Layer([[1, 1, -1], [0, 2, 1]], "identity")], name="g")


def test_infeasibility_reports_carry_checked_orthogonal_vectors():
    r = search(deep_network(), data=[[1, 0], [0, 1], [1, 1], [-1, 2]], layer=2, objective="isomorphic-not-equal")
    assert r.status == FOUND
    assert r.infeasible >= len(r.evidence) > 0 and len(r.evidence) <= r.bounds.max_evidence
    d = len(r.inputs)
    for e in r.evidence:
        assert e.kind == "orthogonal" and e.check()
        # by hand: every row of [H~; 1] is orthogonal to w, the target is not
        assert list(e.system[:-1]) == list(e.hidden) and e.system[-1] == (F(1),) * d
        for row in e.system:
            assert sum(a * w for a, w in zip(row, e.vector)) == 0
        assert sum(t * w for t, w in zip(e.target, e.vector)) == e.product != 0
        json.dumps(e.to_json())
    # the witness is about a candidate that met the objective: its hidden rows are f~'s activation vectors
    bad = r.evidence[0]
    tampered = type(bad)(bad.candidate, bad.neuron, bad.kind, bad.system, bad.target,
                         tuple(x + 1 for x in bad.vector), bad.product, bad.hidden)
    assert not tampered.check()


def test_relu_output_infeasibility_uses_farkas_certificates():
    lp = pytest.importorskip("symrep.exact.lp")
    f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1]], "relu")], name="f")
    r = search(f, data=[[1, 2], [2, 1], [-1, 3], [3, -2]], layer=1, objective="no-match", method="layerwise",
               bounds={"entries": 1, "max_seconds": 20})
    farkas = [e for e in r.evidence if e.kind == "farkas"]
    assert r.status == FOUND and farkas
    for e in farkas:
        assert e.check()
        S = lp.System([(row, rel, b) for row, rel, b in zip(e.system, e.relations, e.bounds)], len(e.system[0]))
        assert lp.is_farkas_certificate(S, e.vector)
        assert not type(e)(e.candidate, e.neuron, e.kind, e.system, e.target, tuple(-x for x in e.vector), e.product,
                           e.hidden, e.relations, e.bounds).check()


def one_one_one():
    return Network([Layer([[1]], "relu"), Layer([[1]], "identity")], name="f")


def test_tiny_bounds_say_none_within_these_bounds():
    r = search(one_one_one(), data=[[1], [2]], layer=1, objective="no-match", method="layerwise", bounds={"entries": 0})
    assert r.status == NONE_WITHIN == "none within these bounds" and r.exhaustive
    assert r.status != "none" and "within these bounds" in r.message
    assert any("[-0, 0]" in s for s in r.search_space)
    # with a larger grid there is one: relu(x - 1) = [0, 1] is outside span([1, 2])
    assert search(one_one_one(), data=[[1], [2]], layer=1, objective="no-match", method="layerwise",
                  bounds={"entries": 1}).found


def test_none_within_bounds_with_left_kernel_evidence():
    # one hidden neuron: a different span means dimension 0 (a dead neuron), which cannot carry [1, 2]
    r = search(one_one_one(), data=[[1], [2]], layer=1, objective="not-isomorphic", method="layerwise",
               bounds={"entries": 1})
    assert r.status == NONE_WITHIN and r.exhaustive and r.infeasible >= 1
    assert all(e.check() for e in r.evidence)


def test_a_budget_stop_is_not_exhaustive():
    r = search(linear_pairs_network(), data=[[1, 2], [2, -1], [-1, 1]], layer=1, objective="no-match",
               mode="everywhere", bounds={"max_candidates": 30})
    assert r.status == STOPPED and not r.exhaustive and "budget" in r.message
    assert "none within" not in r.status


def test_dead_neuron_makes_no_match_impossible():
    f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, 1]], "identity")], name="f")
    r = search(f, data=[[1, -1], [2, -3]], layer=1, objective="no-match")
    assert r.status == IMPOSSIBLE and "zero on the data" in r.message


def test_full_span_makes_isomorphic_not_equal_impossible():
    f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, 1]], "identity")], name="f")
    r = search(f, data=[[1, 0], [0, 1]], layer=1, objective="isomorphic-not-equal")
    assert r.status == IMPOSSIBLE and "all of Q^2" in r.message


# --- SMT -----------------------------------------------------------------------------------------


def test_smt_finds_the_seed_and_every_model_is_verified(tmp_path):
    if not smt_available():
        r = search(seed_problem(), network="f", layer=1, objective="no-match", method="smt")
        assert r.status == UNAVAILABLE and "z3" in r.message
        return
    for strategy in ("joint", "lazy"):
        r = search(seed_problem(), network="f", layer=1, objective="no-match,isomorphic-not-equal", method="smt",
                   bounds={"smt_strategy": strategy, "max_seconds": 20})
        assert r.status == FOUND and r.method == "smt", (strategy, r.message)
        verified(r, tmp_path, f"smt-{strategy}.toml")


def test_smt_unavailable_without_z3(monkeypatch):
    import symrep.search.driver as S

    monkeypatch.setattr(S, "smt_available", lambda: False)
    r = S.search(seed_problem(), network="f", layer=1, objective="no-match", method="smt")
    assert r.status == UNAVAILABLE and "pip install 'symrep[smt]'" in r.message
    r = S.search(seed_problem(), network="f", layer=1, objective="no-match")  # auto: layer-wise only
    assert r.status == FOUND


def test_smt_is_data_only():
    r = search(seed_problem(), network="f", layer=1, objective="no-match", method="smt", mode="everywhere")
    assert r.status == UNAVAILABLE


# --- API details ---------------------------------------------------------------------------------


def test_objectives_parse_and_reject():
    assert parse_objectives(["no-match", "max-match-at-most 2"]) == (Objective("no-match"), Objective("max-match-at-most", 2))
    for bad in ("", "nomatch", "max-match-at-most", "max-match-at-most x", "no-match 3", "no-match,no-match"):
        with pytest.raises(InputError):
            parse_objectives(bad)


@pytest.mark.parametrize("kw, text", [
    ({"layer": 0}, "hidden layer"),
    ({"layer": 2}, "hidden layer"),
    ({"layer": 1, "network": "nope"}, "not defined"),
    ({"layer": 1, "mode": "somewhere"}, "mode"),
    ({"layer": 1, "method": "magic"}, "method"),
    ({"layer": 1, "extra_points": -1}, "extra_points"),
    ({"layer": 1, "bounds": {"entries": -1}}, "entries"),
    ({"layer": 1, "bounds": {"colour": 1}}, "unknown field"),
])
def test_bad_arguments_raise_input_errors(kw, text):
    kw = {"network": "f", "objective": "no-match", **kw}
    with pytest.raises(InputError, match=text):
        search(seed_problem(), **kw)


def test_deterministic_and_progress_is_reported():
    calls = []
    f = linear_pairs_network()
    args = dict(data=[[1, 2], [2, -1], [-1, 1]], layer=1, objective="beyond-symmetry", mode="everywhere")
    a = search(f, progress=lambda done, total: calls.append((done, total)), **args)
    b = search(f, **args)
    assert a.network == b.network and a.candidates == b.candidates
    assert calls and all(0 < d <= t for d, t in calls)


# --- the command ---------------------------------------------------------------------------------


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="symrep")
    add_search_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except SymrepError as e:
        return 2, "", str(e)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_writes_a_verified_claim_file_and_certificate(tmp_path, capsys):
    out, cert = tmp_path / "found.toml", tmp_path / "found.cert.json"
    code, text, _ = run(["search", str(SEED), "--network", "f", "--layer", "1", "--objective", "no-match",
                         "--objective", "isomorphic-not-equal", "--out", str(out), "--certificate", str(cert)], capsys)
    assert code == 0 and "status: found" in text and "hidden-no-match: true (expect true)" in text
    assert main(["verify", str(out)]) == 0 and main(["check", str(cert)]) == 0


def test_cli_json(tmp_path, capsys):
    code, text, _ = run(["search", str(SEED), "--network", "f", "--layer", "1", "--objective", "no-match",
                         "--extra-points", "1", "--nonzero-outputs", "--json"], capsys)
    doc = json.loads(text)
    assert code == 0 and doc["status"] == "found" and len(doc["added_points"]) == 1
    assert all(v["as_expected"] for v in doc["verdicts"]) and doc["bounds"]["entries"] == 2


def test_cli_not_found_exits_1(tmp_path, capsys):
    path = tmp_path / "one.toml"
    path.write_text('[data]\ninputs = [[1], [2]]\n[networks.f]\nlayers = [{weights = [[1]], activation = "relu"},'
                    ' {weights = [[1]], activation = "identity"}]\n', encoding="utf-8")
    code, text, _ = run(["search", str(path), "--layer", "1", "--objective", "no-match", "--entries", "0",
                         "--method", "layerwise"], capsys)
    assert code == 1 and "none within these bounds" in text
    code, text, _ = run(["search", str(SEED), "--network", "f", "--layer", "1", "--objective", "no-match",
                         "--method", "orbit", "--out", str(tmp_path / "x.toml")], capsys)
    assert code == 1 and "unreachable" in text


@pytest.mark.parametrize("argv, text", [
    (["--layer", "1", "--objective", "no-match"], "--network: name the network"),
    (["--network", "g", "--layer", "1", "--objective", "no-match"], "network 'g' is not defined"),
    (["--network", "f", "--layer", "2", "--objective", "no-match"], "--layer: layer 2 is not a hidden layer"),
    (["--network", "f", "--layer", "1", "--objective", "nomatch"], "--objective: 'nomatch' is not an objective"),
    (["--network", "f", "--layer", "1", "--objective", "no-match", "--extra-points", "9"], "--extra-points"),
    (["--network", "f", "--layer", "1", "--objective", "no-match", "--entries", "-1"], "--entries"),
])
def test_cli_errors_name_the_file_and_option(argv, text, capsys):
    code, _, err = run(["search", str(SEED)] + argv, capsys)
    assert code == 2 and text in err
    if "--extra-points" not in text and "--entries" not in text:
        assert str(SEED) in err
