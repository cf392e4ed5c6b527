"""``symrep coq``: certificates exported to Coq are proved by coqc, and tampering never yields a proof.

* The committed ``proofs/*.v`` are what the exporter writes for ``proofs/*.cert.json`` (no coqc needed).
* The exporter refuses a certificate the independent checker rejects, and no text of a certificate
  (ids, statements, names) can end a Coq comment or inject a command.
* With coqc (skipped with a message without it): the committed proofs, the fixed certificates of
  every kind (``_certgen.base_problems``) and certificates of small random problems compile; and
  for mutated certificates exported *past* the checker's gate, every claim whose statement is false
  (its verdict differs from symrep's own verdict on the mutated problem, or the verdict was flipped)
  is written as a ``Fail`` theorem: coqc accepts the batch only if no such proof goes through.
  Every file of a test is batched into one coqc run (one ``Module`` per certificate).
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import subprocess
from fractions import Fraction
from fractions import Fraction as F
from pathlib import Path

import pytest

from _certgen import base_problems, fmt
from symrep.certificates import certify, dump_certificate
from symrep.certificates.coq import compile_coq, export_coq, safe_comment
from symrep.claims import loads_claim_file, problem_from_mapping
from symrep.claims.verdicts import verify_problem
from symrep.errors import CertificateError, SymrepError

ROOT = Path(__file__).resolve().parent.parent
PROOFS = sorted((ROOT / "proofs").glob("*.cert.json"))
needs_coq = pytest.mark.skipif(shutil.which("coqc") is None, reason="coqc is not installed (apt-get install coq): Coq tests skipped")
PREAMBLE = ("From ", "Import ", "Open ")


def load(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


def batch(texts: list[str], tmp_path: Path) -> tuple[int, str]:
    """Compile several exported files as one: each body in its own Module, the preamble once."""
    out = ["From Symrep Require Import Symrep Spectral Parametric.", "From Coq Require Import QArith List.", "Import ListNotations.",
           "Open Scope Q_scope.", ""]
    for k, text in enumerate(texts):
        body = [line for line in text.splitlines() if not line.startswith(PREAMBLE)]
        out += [f"Module Cert{k}.", *body, f"End Cert{k}.", ""]
    f = tmp_path / "Batch.v"
    f.write_text("\n".join(out), encoding="utf-8")
    return compile_coq(f)


# --- without coqc ----------------------------------------------------------------------------


@pytest.mark.parametrize("cert", PROOFS, ids=lambda p: p.name)
def test_committed_coq_proofs_are_current(cert):
    committed = cert.with_name(cert.name.replace(".cert.json", ".v"))
    assert committed.read_text(encoding="utf-8") == export_coq(load(cert)).text, "run proofs/regenerate"


def test_every_committed_claim_is_proved_or_named_as_skipped():
    for cert in PROOFS:
        doc = load(cert)
        r = export_coq(doc)
        assert len(r.proved) + len(r.skipped) == len(doc["results"])
        assert all(f"{i} ({k})" in r.text for i, k, _ in r.skipped)
        assert r.text.count("\nTheorem ") == len(r.proved) and r.text.count("Qed.") == len(r.proved)


def test_exporter_refuses_what_the_checker_rejects():
    doc = load(ROOT / "proofs" / "example-3.1.cert.json")
    for k in range(len(doc["results"])):
        bad = copy.deepcopy(doc)
        bad["results"][k]["verdict"] = not bad["results"][k]["verdict"]
        with pytest.raises(CertificateError, match="rejected by the checker"):
            export_coq(bad)


def test_no_certificate_text_escapes_a_comment():
    doc = load(ROOT / "proofs" / "cka-versus-match.cert.json")
    evil = '*) Axiom bad : False. (* "'
    doc["problem"]["claims"][0]["statement"] = evil
    doc["problem"]["title"] = evil
    text = export_coq(doc).text
    assert "Axiom" not in text.replace("Axiom bad : False.", "") and "*) Axiom" not in text
    assert safe_comment(evil) == "* ) Axiom bad : False. ( * '"


# --- with coqc -------------------------------------------------------------------------------


def random_problem(rng: random.Random) -> dict:
    """A small random claim file: two ReLU networks on three points, claims of every covered kind."""
    n_in, d = rng.choice([2, 3]), 3
    data = [[fmt(F(rng.choice([-2, -1, 0, 1, 2, F(1, 2)]))) for _ in range(n_in)] for _ in range(d)]

    def net() -> dict:
        width = rng.choice([2, 3])
        w = [[fmt(F(rng.choice([-1, 0, 1, 2]))) for _ in range(n_in)] for _ in range(width)]
        return {"layers": [{"weights": w, "activation": "relu", "bias": [fmt(F(rng.choice([0, 0, 1]))) for _ in w]}]}

    nets = {"f": net(), "g": net()}
    nf, ng = (len(nets[k]["layers"][0]["weights"]) for k in "fg")
    pair = {"networks": ["f", "g"], "layer": 1}
    eps = fmt(rng.choice([F(1, 10), F(1, 2), F(9, 10)]))
    some = [sorted(rng.sample(range(nf), rng.randint(0, nf))), sorted(rng.sample(range(ng), rng.randint(0, ng)))]
    claims = [
        {"kind": "activations", "network": "f", "layer": 1, "equals": [["0"] * d] * nf},
        {"kind": "identical", **pair},
        {"kind": "dimension", "network": "g", "layer": 1, "equals": rng.randint(0, 3)},
        {"kind": "isomorphic", **pair},
        {"kind": "exact_match", **pair, "neurons": some},
        {"kind": "maximum_match", **pair, "equals": some},
        {"kind": "no_match", **pair},
        {"kind": "approx_match", **pair, "eps": eps, "neurons": some},
        {"kind": "maximum_approx_match", **pair, "eps": eps, "equals": some},
        {"kind": "match_similarity", **pair, "eps": eps, "equals": fmt(F(rng.choice([0, F(1, 2), 1])))},
        {"kind": "cka", **pair, "at_least": fmt(F(rng.choice([0, F(1, 2), F(9, 10)])))},
        {"kind": "equivalence", **pair, "level": "isomorphic", "centered": rng.choice([True, False])},
        {"kind": "equivalence", **pair, "level": rng.choice(["identical", "linear", "orthogonal", "permutation", "scaled_permutation"])},
        {"kind": "simple_match", **pair, "neurons": some},
    ]
    for k, c in enumerate(claims):
        c["id"] = f"c{k}"
    return {"data": {"inputs": data}, "networks": nets, "claims": claims}


def certificate_of(problem) -> dict:
    return json.loads(dump_certificate(certify(problem)))


#: Rows that are positive multiples of each other in one network only: the permutation levels refuted.
RAYS = """
[data]
inputs = [[1, 0], [0, 1], [1, 1]]
[networks.f]
layers = [ { weights = [[1, 0], [2, 0], [0, 1]], activation = "relu" } ]
[networks.g]
layers = [ { weights = [[1, 0], [0, 3], [0, 1]], activation = "relu" } ]
""" + "".join(f"""
[[claims]]
id = "{level}{'-centered' if centered else ''}"
kind = "equivalence"
networks = ["f", "g"]
layer = 1
level = "{level}"
centered = {str(centered).lower()}
""" for level in ("permutation", "scaled_permutation") for centered in (False, True)) + """
[[claims]]
id = "cka-above-one"
kind = "relation"
networks = ["f", "g"]
layer = 1
left = { measure = "cka", networks = ["f", "g"], layers = [1, 1] }
relation = ">"
right = { value = "1" }
"""


#: Orthogonal and linear levels whose certificates carry no map (B's rows dependent), and similarity.
LADDER = """
[data]
inputs = [[1, 0], [0, 1], [1, 1]]
[networks.f]
layers = [ { weights = [["7/5", 0], ["1/5", 0], [0, 1]], activation = "relu" } ]
[networks.g]
layers = [ { weights = [[1, 0], [1, 0], [0, 1]], activation = "relu" } ]
[networks.h]
layers = [ { weights = [[1, 0], [2, 0], [0, 1]], activation = "relu" } ]
""" + "".join(f"""
[[claims]]
id = "{k}"
kind = "equivalence"
networks = ["{a}", "{b}"]
layer = 1
level = "{level}"
centered = {centered}
""" for k, (a, b, level, centered) in enumerate([("f", "g", "orthogonal", "false"), ("f", "g", "orthogonal", "true"),
                                                ("g", "h", "linear", "false"), ("f", "h", "linear", "true"),
                                                ("h", "g", "similarity", "false"), ("f", "g", "similarity", "false"),
                                                ("f", "h", "similarity", "true")]))


@needs_coq
def test_ladder_levels_without_a_map(tmp_path):
    """The exporter computes the orthogonal or invertible map itself when the certificate has none
    (here: every map removed); Coq checks it, so every claim is proved, and flipped verdicts are not."""
    doc = certificate_of(loads_claim_file(LADDER))
    assert [r["verdict"] for r in doc["results"]] == [True, True, True, True, False, True, False]
    for r in doc["results"]:
        r["witness"].pop("map", None)
        r["witness"].pop("inverse", None)
    e = export_coq(doc)
    assert len(e.proved) == 7, e.skipped
    texts, false_claims = [e.text], 0
    for weight in ("6/5", "3/5", "2"):  # f changed: its claims become false, by symrep's own decision
        m = copy.deepcopy(doc)
        m["problem"]["networks"]["f"]["layers"][0]["weights"][0][0] = weight
        cut = false_claims_only(m, truth(m))
        assert cut is not None
        e = export_coq(cut, gate=False, fail=True)
        false_claims += len(e.proved)
        texts.append(e.text)
    assert false_claims >= 9, false_claims
    status, message = batch(texts, tmp_path)
    assert status == 0, message


@needs_coq
def test_certificates_compile(tmp_path):
    rng = random.Random(17)
    certs = [load(p) for p in PROOFS] + [certificate_of(p) for p in base_problems()]
    certs.append(certificate_of(loads_claim_file(RAYS)))
    assert not any(r["verdict"] for r in certs[-1]["results"])  # f has two rows on one ray, g none; CKA <= 1
    assert len(export_coq(certs[-1]).proved) == 5
    certs += [certificate_of(problem_from_mapping(random_problem(rng))) for _ in range(8)]
    exports = [export_coq(c) for c in certs]
    proved = {(c["problem"]["claims"][k]["kind"], res["verdict"])
              for c, e in zip(certs, exports) for k, res in enumerate(c["results"])
              if str(c["problem"]["claims"][k]["id"]) in e.proved}
    for kind in ("activations", "identical", "exact_match", "approx_match", "maximum_match",
                 "maximum_approx_match", "no_match", "match_similarity", "cka"):  # cka: with surds and squared too
        assert {(kind, True), (kind, False)} <= proved, kind
    assert {("dimension", True), ("dimension", False), ("isomorphic", True), ("isomorphic", False),
            ("equal_functions", False), ("equal_functions", True), ("equivalence", True), ("equivalence", False),
            ("simple_match", True), ("simple_match", False), ("relation", True), ("relation", False),
            ("invariance", True), ("invariance", False)} <= proved
    status, message = batch([e.text for e in exports], tmp_path)
    assert status == 0, message


def truth(doc: dict) -> list[bool] | None:
    """symrep's own verdicts on a (mutated) certificate's problem; None when it cannot read it."""
    from symrep.claims import problem_from_json

    try:
        return [v.holds for v in verify_problem(problem_from_json(doc["problem"]))]
    except SymrepError:
        return None


def false_claims_only(doc: dict, verdicts: list[bool]) -> dict | None:
    """The certificate cut down to the claims whose stated verdict is not the truth."""
    keep = [k for k, (r, t) in enumerate(zip(doc["results"], verdicts)) if r.get("verdict") is not t]
    if not keep:
        return None
    out = copy.deepcopy(doc)
    out["problem"]["claims"] = [doc["problem"]["claims"][k] for k in keep]
    out["results"] = [doc["results"][k] for k in keep]
    return out


def tampered(doc: dict, rng: random.Random) -> list[dict]:
    """Mutations that can make a statement false: a verdict flipped, a claimed value, a data or weight number."""
    out = []
    for k, r in enumerate(doc["results"]):
        m = copy.deepcopy(doc)
        m["results"][k]["verdict"] = not r["verdict"]
        out.append(m)
    for k, c in enumerate(doc["problem"]["claims"]):
        for key in ("equals", "eps", "at_least", "at_most", "neurons", "layer"):
            if key in c:
                m = copy.deepcopy(doc)
                v = m["problem"]["claims"][k][key]
                if isinstance(v, str) and v.endswith(")") and "sqrt(" in v:  # a surd bound c*sqrt(R): R changed
                    head, _, inner = v[:-1].partition("sqrt(")
                    m["problem"]["claims"][k][key] = f"{head}sqrt({fmt(json_number(inner) + F(1, 3))})"
                elif isinstance(v, str):
                    m["problem"]["claims"][k][key] = fmt(json_number(v) + rng.choice([1, -1, F(1, 3)]))
                elif isinstance(v, int) and not isinstance(v, bool):
                    m["problem"]["claims"][k][key] = v + rng.choice([1, -1])
                elif isinstance(v, list) and v and all(isinstance(s, list) for s in v) and len(v) == 2:
                    m["problem"]["claims"][k][key] = [v[0][1:], v[1]] if v[0] else [[0], v[1]]
                else:
                    continue
                out.append(m)
    for k, c in enumerate(doc["problem"]["claims"]):  # a relation's constant side
        if isinstance(c.get("right"), dict) and "value" in c["right"] and "sqrt" not in c["right"]["value"]:
            m = copy.deepcopy(doc)
            m["problem"]["claims"][k]["right"]["value"] = fmt(json_number(c["right"]["value"]) + F(1, 3))
            out.append(m)
    inputs = doc["problem"]["data"]["inputs"]
    for _ in range(2):
        m = copy.deepcopy(doc)
        i, j = rng.randrange(len(inputs)), rng.randrange(len(inputs[0]))
        m["problem"]["data"]["inputs"][i][j] = fmt(json_number(inputs[i][j]) + 1)
        out.append(m)
    return out


def json_number(s) -> Fraction:
    return Fraction(s) if isinstance(s, str) else Fraction(int(s))


def never_proves_a_false_claim(bases: list[dict], tmp_path: Path, minimum: int) -> None:
    rng = random.Random(1)
    texts, false_statements, refused = [], 0, 0
    for doc in bases:
        for m in tampered(doc, rng):
            verdicts = truth(m)
            if verdicts is None:
                continue
            cut = false_claims_only(m, verdicts)
            if cut is None:
                continue
            try:
                e = export_coq(cut, gate=False, fail=True)
            except CertificateError:
                refused += 1
                continue
            with pytest.raises(CertificateError):  # and with the gate, it is never exported at all
                export_coq(cut)
            false_statements += len(e.proved)
            texts.append(e.text)
    print(f"coq tamper test: {false_statements} false statements in {len(texts)} files, {refused} refused")
    assert false_statements >= minimum
    status, message = batch(texts, tmp_path)
    assert status == 0, f"coqc accepted the proof of a false statement (a Fail command failed):\n{message}"


@needs_coq
def test_coq_never_proves_a_false_claim(tmp_path):
    never_proves_a_false_claim([load(p) for p in PROOFS], tmp_path, 60)


@needs_coq
@pytest.mark.slow
def test_coq_never_proves_a_false_claim_of_any_kind(tmp_path):
    bases = [certificate_of(p) for k, p in enumerate(base_problems()) if k in (0, 1, 2, 4)]
    never_proves_a_false_claim(bases, tmp_path, 60)


def network_tampered(doc: dict, rng: random.Random, per_claim: int = 6) -> list[dict]:
    """The second network of each true equal_functions claim with one weight or bias changed."""
    out = []
    for c, r in zip(doc["problem"]["claims"], doc["results"]):
        if c["kind"] != "equal_functions" or r["verdict"] is not True or "symmetry" in r["witness"]:
            continue
        for _ in range(per_claim):
            m = copy.deepcopy(doc)
            layers = m["problem"]["networks"][c["networks"][1]]["layers"]
            layer = rng.choice(layers)
            if rng.random() < 0.3 and "bias" in layer:
                i = rng.randrange(len(layer["bias"]))
                layer["bias"][i] = fmt(json_number(layer["bias"][i]) + rng.choice([1, -1, F(1, 3)]))
            else:
                i, j = rng.randrange(len(layer["weights"])), rng.randrange(len(layer["weights"][0]))
                layer["weights"][i][j] = fmt(json_number(layer["weights"][i][j]) + rng.choice([1, -1, F(1, 3)]))
            out.append(m)
    return out


@needs_coq
def test_coq_never_proves_unequal_functions_equal(tmp_path):
    """A covering tree exported for networks that differ (one number of the second network changed, so
    the functions differ on the domain by symrep's own decision) is never accepted by coqc."""
    rng = random.Random(5)
    docs = [load(ROOT / "proofs" / "example-3.1.cert.json")] + [certificate_of(p) for p in base_problems()]
    texts, false_trees = [], 0
    for doc in docs:
        for m in network_tampered(doc, rng):
            verdicts = truth(m)
            cut = false_claims_only(m, verdicts) if verdicts is not None else None
            if cut is None:
                continue
            try:
                e = export_coq(cut, gate=False, fail=True)
            except CertificateError:
                continue
            false_trees += sum(1 for c in cut["problem"]["claims"] if c["kind"] == "equal_functions")
            texts.append(e.text)
    assert false_trees >= 4, false_trees
    status, message = batch(texts, tmp_path)
    assert status == 0, f"coqc accepted a covering tree for networks that differ:\n{message}"


LEMMAS = ["equal_functions_true", "max_match_true", "dim_false", "cka_true", "cka_surd_false", "similar_true",
          "relation_false", "orthogonal_true", "simple_matches_true", "simple_matches_listed", "simple_matches_missing",
          "family_false", "family_undefined", "cka_scaling_invariant", "cka_translation_invariant", "triangle_true",
          "surd_triangle_true", "procrustes_true", "angular_true", "cca_exact_true",
          "procrustes_triangle_true", "nuclear_duality", "procrustes_not_ge",
          "procrustes_not_le"]  # the last seven: coq/Spectral.v
LEMMAS += ["cka_orthogonal_invariant", "cka_permutation_invariant", "angular_not_ge", "angular_not_le",
           "angular_undefined", "cca_true", "cca_undefined", "cca_invertible_invariant",
           "cca_orthogonal_invariant", "svcca_exact_true", "shape0_true"]  # coq/Spectral.v, sections 5 to 10
LEMMAS += ["relation_every_true", "knn_range_sound", "svcca_true", "pwcca_true"]  # k-NN ties (Symrep.v), SVCCA, PWCCA (Spectral.v)
LEMMAS += ["gmax_ematch_true", "gmax_ematch_false", "gsimilarity_true", "gsimilarity_false", "gematch_false",
           "gmax_match_true", "gmax_match_false", "gmatch_false"]  # gram-bound removals (Spectral.v)


def library_is_closed(lemmas: list[str], tmp_path: Path) -> None:
    """The soundness lemmas use no axiom: Print Assumptions of each reports a closed context."""
    f = tmp_path / "Assumptions.v"
    f.write_text("From Symrep Require Import Symrep Spectral.\n" + "".join(f"Print Assumptions {x}.\n" for x in lemmas), encoding="utf-8")
    coqc = shutil.which("coqc")
    from symrep.certificates.coq import build_library

    run = subprocess.run([str(coqc), "-Q", str(build_library(str(coqc))), "Symrep", str(f)], capture_output=True, text=True,
                         check=False, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("Closed under the global context") == len(lemmas), run.stdout


@needs_coq
def test_library_is_closed_for_a_sample_of_lemmas(tmp_path):
    """The fast set: four of the soundness lemmas (each Print Assumptions costs coqc about a second)."""
    library_is_closed(["equal_functions_true", "cka_surd_false", "family_undefined", "angular_true"], tmp_path)


@needs_coq
@pytest.mark.slow
def test_library_is_closed(tmp_path):
    """Every soundness lemma uses no axiom (the slow set; a sample runs in the fast set)."""
    library_is_closed(LEMMAS, tmp_path)


@needs_coq
def test_a_true_proof_fails_under_fail(tmp_path):
    """The tamper test can fail: a Fail around a proof that goes through makes coqc reject the file."""
    e = export_coq(load(ROOT / "proofs" / "cka-versus-match.cert.json"), fail=True)
    status, message = batch([e.text], tmp_path)
    assert status == 1, message


@needs_coq
def test_cli_check(tmp_path):
    out = tmp_path / "c.v"
    run = subprocess.run(["python3", "-m", "symrep", "coq", str(ROOT / "proofs" / "example-3.1-nonzero.cert.json"),
                          "-o", str(out), "--check"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "accepted by coqc" in run.stdout and "8 claims stated and proved, 0 skipped" in run.stdout
    out.write_text(out.read_text(encoding="utf-8").replace("apply mat_eq_true", "apply mat_eq_false", 1),
                   encoding="utf-8")
    status, _ = compile_coq(out)
    assert status == 1


def statements(text: str) -> dict[str, str]:
    """Theorem name -> statement, of an exported file."""
    out = {}
    for line in text.splitlines():
        if line.startswith("Theorem "):
            name, _, stmt = line[len("Theorem "):].partition(" : ")
            out[name] = stmt
    return out


def test_a_witness_never_changes_what_is_stated():
    """Every single mutation of a witness (numbers, indices, deletions, swaps ...) either is refused
    or leaves every exported statement as it was: a witness can only make a proof fail."""
    from test_mutations import apply, mutations_of

    doc = load(ROOT / "proofs" / "example-3.1.cert.json")
    base = statements(export_coq(doc).text)
    tried = same = 0
    ops = [(path, op) for path, op in mutations_of(doc)
           if path[:1] == ("results",) and "verdict" not in path and not (op[0] == "delete" and op[1] in ("verdict", "id", "kind"))]
    for path, op in random.Random(3).sample(ops, 250):  # of about 2,000 (all of them take 25 s)
        tried += 1
        try:
            got = statements(export_coq(apply(copy.deepcopy(doc), path, op), gate=False).text)
        except (CertificateError, SymrepError):
            continue
        assert all(got[k] == base[k] for k in got if k in base), (path, op)
        same += 1
    assert same > 80
