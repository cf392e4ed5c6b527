"""``symrep coq`` for families of networks (parametric certificates, ``coq/Parametric.v``).

Without coqc: the sign test the exporter mirrors (``coq_pieces.pos_on``, Descartes' rule after a change
of variable, the same computation as Coq's ``pos_onb``) is sound against direct evaluation at rational
points, and the subdivision it proposes passes on every part.

With coqc (skipped without it): ``proofs/families.cert.json``, ``proofs/davari2022-outlier.cert.json``
and certificates of small generated families (a hidden neuron scaled by a polynomial s(t), undone by
1/s(t) in the next layer; truth by construction: the spans match and the outputs agree exactly where
s(t) > 0) compile.  Tampered exports never compile: a coefficient of a true verdict's witness changed,
a network entry changed so that the stated claim is false at some t (the certificate's proof kept),
and a false verdict's counterexample moved to a value where the claim holds; each is written as a
``Fail`` theorem, which coqc accepts only if the proof does not go through.
"""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from symrep.certificates import coq_pieces as cp
from symrep.certificates.coq import compile_coq, export_coq
from symrep.parametric import loads_parametric_claim_file
from symrep.parametric.certify import certify_parametric

ROOT = Path(__file__).resolve().parent.parent
CERTS = [ROOT / "proofs" / "families.cert.json", ROOT / "proofs" / "davari2022-outlier.cert.json"]
needs_coq = pytest.mark.skipif(shutil.which("coqc") is None, reason="coqc is not installed (apt-get install coq): Coq tests skipped")
PREAMBLE = ("From ", "Import ", "Open ")

FAMILY = """
[parameters]
t = "{assumption}"
[data]
inputs = [[1, 2], [-1, 1], [2, -1]]
[networks.f]
layers = [ {{ weights = [[1, -1], [2, 1]], activation = "relu" }}, {{ weights = [[1, 1]], activation = "identity" }} ]
[networks.g]
layers = [ {{ weights = [["{s}", "-({s})"], [2, 1]], activation = "relu" }},
           {{ weights = [["1/({s})", 1]], activation = "identity" }} ]
[[claims]]
id = "hidden-match"
kind = "exact_match"
networks = ["f", "g"]
layer = 1
[[claims]]
id = "outputs-identical"
kind = "identical"
networks = ["f", "g"]
layer = 2
[[claims]]
id = "hidden-identical"
kind = "identical"
networks = ["f", "g"]
layer = 1
[[claims]]
id = "functions-equal"
kind = "equal_functions"
networks = ["f", "g"]
[[claims]]
id = "hidden-isomorphic"
kind = "isomorphic"
networks = ["f", "g"]
layer = 1
[[claims]]
id = "hidden-dimension"
kind = "dimension"
network = "g"
layer = 1
equals = 2
[[claims]]
id = "output-activations"
kind = "activations"
network = "g"
layer = 2
equals = [[4, 0, 6]]
[[claims]]
id = "hidden-maximum-match"
kind = "maximum_match"
networks = ["f", "g"]
layer = 1
equals = [[0, 1], [0, 1]]
[[claims]]
id = "hidden-cka"
kind = "cka"
networks = ["f", "g"]
layer = 1
at_least = "1/2"
"""
#: (assumption, s(t)): s > 0 on the whole domain (every claim but hidden-identical true), or not
#: (the claims fail where s < 0).
CASES = [("real", "t**2 - 3*t + 3"), ("positive", "t"), ("real", "t - 1"), ("negative", "1 - t"),
         ("positive", "(t - 2)**2 + 1/10"), ("real", "t**2 + 1"), ("real", "t**2"), ("nonzero", "t**2")]
#: Example 3.1 with W1~ = diag(1, t), t < 0: the neuron relu(t x1) = (0, -t) is outside span (1, 0), so
#: the maximum match is X = {0, 1}, Y = {0} for every t < 0 (a removal by w = (0, 1)).
REMOVAL = """
[parameters]
t = "negative"
[data]
inputs = [[1, 1], [-1, -1]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "relu" } ]
[networks.h]
layers = [ { weights = [[1, 0], [0, "t"]], activation = "relu" } ]
[[claims]]
id = "maximum-match-with-removal"
kind = "maximum_match"
networks = ["f", "h"]
layer = 1
equals = [[0, 1], [0]]
[[claims]]
id = "similarity-with-removal"
kind = "match_similarity"
networks = ["f", "h"]
layer = 1
equals = "3/4"
"""


def load(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


def family(assumption: str, s: str) -> dict:
    return json.loads(json.dumps(certify_parametric(loads_parametric_claim_file(FAMILY.format(assumption=assumption, s=s)))))


def batch(texts: list[str], tmp_path: Path) -> tuple[int, str]:
    out = ["From Symrep Require Import Symrep Parametric.", "From Coq Require Import QArith List.",
           "Import ListNotations.", "Open Scope Q_scope.", ""]
    for k, text in enumerate(texts):
        out += [f"Module Cert{k}.", *(line for line in text.splitlines() if not line.startswith(PREAMBLE)), f"End Cert{k}.", ""]
    f = tmp_path / "Batch.v"
    f.write_text("\n".join(out), encoding="utf-8")
    return compile_coq(f)


# --- without coqc ----------------------------------------------------------------------------


def _random_poly(rng: random.Random) -> list[Fraction]:
    return [Fraction(rng.randint(-6, 6), rng.choice([1, 2, 3])) for _ in range(rng.randint(1, 5))]


def test_sign_test_is_sound():
    """Whenever the test says p > 0 on a piece, p is positive at every sampled rational point of it."""
    rng = random.Random(7)
    accepted = 0
    for _ in range(3000):
        p = _random_poly(rng)
        lo = Fraction(rng.randint(-5, 5), rng.choice([1, 2])) if rng.random() < 0.8 else None
        hi = lo + Fraction(rng.randint(1, 8), rng.choice([1, 3])) if lo is not None and rng.random() < 0.8 else (
            Fraction(rng.randint(-5, 5)) if lo is None and rng.random() < 0.5 else None)
        if not cp.pos_on(("open", lo, hi), p):
            continue
        accepted += 1
        a = lo if lo is not None else (hi if hi is not None else Fraction(0)) - 50
        b = hi if hi is not None else a + 100
        for k in range(1, 40):
            t = a + (b - a) * Fraction(k, 40)
            assert cp.peval(p, t) > 0, (p, lo, hi, t)
    assert accepted > 300


def test_subdivision_passes_on_every_part():
    """A polynomial without root in the closed piece is accepted after the proposed cuts."""
    rng = random.Random(3)
    for _ in range(200):
        c, e = Fraction(rng.randint(-8, 8), 4), Fraction(rng.randint(1, 8), 64)
        p = [c * c + e, -2 * c, Fraction(1)]  # (t - c)^2 + e > 0 everywhere
        lo, hi = rng.choice([(None, None), (Fraction(-3), None), (None, Fraction(2)), (Fraction(-3), Fraction(2))])
        cuts = cp.subdivide(lo, hi, lambda s, p=p: cp.pos_on(s, p))
        assert cuts is not None
        ends = [lo, *cuts, hi]
        assert all(cp.pos_on(("open", a, b), p) for a, b in zip(ends, ends[1:]))
        assert all(cp.pos_on(("point", m), p) for m in cuts)


def test_committed_parametric_claims_proved_or_named():
    for path in CERTS:
        doc = load(path)
        r = export_coq(doc)
        assert len(r.proved) + len(r.skipped) == len(doc["results"])
        assert all(f"{i} ({k})" in r.text for i, k, _ in r.skipped)
    fam = export_coq(load(CERTS[0]))
    assert {"rescaling-hidden-exact-match", "rescaling-outputs-identical", "two-parameters-exact-match"} <= set(fam.proved)


# --- with coqc -------------------------------------------------------------------------------


def exports_compile(cases: list[tuple[str, str]], tmp_path: Path, minimum: int) -> None:
    texts, proved, true_proved = [], 0, 0
    removal = json.loads(json.dumps(certify_parametric(loads_parametric_claim_file(REMOVAL))))
    for doc in [load(p) for p in CERTS] + [family(a, s) for a, s in cases] + [removal]:
        r = export_coq(doc)
        verdicts = {x["id"]: x["verdict"] for x in doc["results"]}
        proved += len(r.proved)
        true_proved += sum(verdicts[i] is True for i in r.proved)
        texts.append(r.text)
    assert true_proved >= minimum
    status, message = batch(texts, tmp_path)
    assert status == 0, message


@needs_coq
def test_parametric_exports_compile(tmp_path):
    exports_compile(CASES[:2], tmp_path, 20)


@needs_coq
@pytest.mark.slow
def test_parametric_exports_compile_every_family(tmp_path):
    exports_compile(CASES, tmp_path, 60)


def _holding_value(w: dict) -> Fraction | None:
    """A rational value where a one-parameter certificate says the claim holds."""
    for p in w.get("pieces", []):
        if p.get("holds") is True:
            at = p.get("sample", p.get("point"))
            if isinstance(at, str):
                return Fraction(at)
    return None


def only(doc: dict, ids: set[str]) -> dict:
    """The certificate cut to the claims ``ids``."""
    m = copy.deepcopy(doc)
    keep = [k for k, c in enumerate(m["problem"]["claims"]) if c["id"] in ids]
    m["problem"]["claims"] = [m["problem"]["claims"][k] for k in keep]
    m["results"] = [m["results"][k] for k in keep]
    return m


def _tampered(doc: dict) -> list[dict]:
    """Certificates whose every claim is false as stated or whose proof is wrong (the gate bypassed)."""
    out = []
    for r in doc["results"]:
        if r["verdict"] is True and "pieces" in r["witness"] and r["kind"] == "exact_match":
            m = only(doc, {r["id"]})
            text = json.dumps(m["results"][0]["witness"])
            changed = re.sub(r'\["1"\]', '["2"]', text, count=1)  # a coefficient 1/s doubled: the identity fails
            if changed != text:
                m["results"][0]["witness"] = json.loads(changed)
                out.append(m)
    for r in doc["results"]:  # the removal vector (0, 1) replaced by (1, 0), not orthogonal to the other side
        if r["verdict"] is True and r["kind"] in ("maximum_match", "match_similarity") and "pieces" in r["witness"]:
            m = only(doc, {r["id"]})
            text = json.dumps(m["results"][0]["witness"])
            changed = text.replace('"w": ["0", "1"]', '"w": ["1", "0"]')
            if changed != text:
                m["results"][0]["witness"] = json.loads(changed)
                out.append(m)
    for r in doc["results"]:  # a similarity moved: 3/4 stated as 1/2
        if r["verdict"] is True and r["kind"] == "match_similarity":
            m = only(doc, {r["id"]})
            m["problem"]["claims"][0]["equals"] = "1/2"
            out.append(m)
    for r in doc["results"]:  # two parameters: the chain vector (1, 0) replaced by (0, 1), orthogonal to z for a <= 1
        if r["verdict"] is True and "columns" in r["witness"]:
            m = only(doc, {r["id"]})
            text = json.dumps(m["results"][0]["witness"])
            changed = text.replace('"independent": [["1", "0"]]', '"independent": [["0", "1"]]')
            if changed != text:
                m["results"][0]["witness"] = json.loads(changed)
                out.append(m)
    for r in doc["results"]:  # a CKA bound moved past the values CKA takes: the statement is false
        if r["kind"] == "cka" and r["verdict"] is True and "pieces" in r["witness"]:
            m = only(doc, {r["id"]})
            c = m["problem"]["claims"][0]
            if "at_most" in c and c["at_most"] == "1":  # davari2022-outlier: CKA(f, g) = 1 at s = -1000
                c["at_most"] = "9/10"
            else:  # CKA <= 1 (CKA^2 too): at least 2 is false wherever CKA is defined
                c.pop("at_most", None)
                c["at_least"] = "2"
            out.append(m)
    g = doc["problem"]["networks"].get("g")
    true_ids = {r["id"] for r in doc["results"] if r["verdict"] is True} & {"outputs-identical", "functions-equal",
                                                                          "output-activations"}
    if g is not None and true_ids:
        # the undoing weight 1/s(t) doubled: where s > 0 the outputs now differ at the point (2, -1)
        m = only(doc, true_ids)
        for term in m["problem"]["networks"]["g"]["layers"][1]["weights"][0][0]["num"]:
            term[1] = str(2 * Fraction(term[1]))
        out.append(m)
    return out


def never_compile(cases: list[tuple[str, str]], tmp_path: Path, minimum: int) -> None:
    texts, false_statements = [], 0
    docs = [load(p) for p in CERTS] + [family(a, s) for a, s in cases]
    docs.append(json.loads(json.dumps(certify_parametric(loads_parametric_claim_file(REMOVAL)))))
    for doc in docs:
        for m in _tampered(doc):
            e = export_coq(m, gate=False, fail=True)
            false_statements += len(e.proved)
            texts.append(e.text)
        # a false verdict's counterexample moved to a value where the claim holds
        moved = {r["id"]: _holding_value(r["witness"]) for r in doc["results"] if r["verdict"] is False}
        moved = {i: v for i, v in moved.items() if v is not None}
        if not moved:
            continue
        text = export_coq(only(doc, set(moved)), fail=True).text
        for i, v in moved.items():
            pattern = re.compile(r"(Fail Definition claim_\d+_" + re.escape(re.sub(r"[^A-Za-z0-9]", "_", i)[:40])
                                 + r" .*?ltac:\(exists \()\([^)]*\)\)")
            text, n = pattern.subn(lambda mo, v=v: mo.group(1) + f"({v.numerator}#{v.denominator}))", text)
            assert n == 1, i
            false_statements += n
        texts.append(text)
    print(f"coq parametric tamper test: {false_statements} false statements in {len(texts)} files")
    assert false_statements >= minimum
    status, message = batch(texts, tmp_path)
    assert status == 0, f"coqc accepted the proof of a false statement (a Fail command failed):\n{message}"


@needs_coq
def test_tampered_parametric_certificates_never_compile(tmp_path):
    never_compile(CASES[:2], tmp_path, 25)


@needs_coq
@pytest.mark.slow
def test_tampered_parametric_certificates_never_compile_every_family(tmp_path):
    never_compile(CASES, tmp_path, 55)


@needs_coq
def test_tamper_test_can_fail(tmp_path):
    """An untampered export written with Fail is rejected: its proofs go through."""
    status, _ = batch([export_coq(family("positive", "t"), fail=True).text], tmp_path)
    assert status == 1


PARAMETRIC_LEMMAS = ["admissible_true", "pos_on_sound", "zero_on_sound", "sacts_sound", "mat_eq_on", "acts_eq_on",
                     "match_on", "max_match_on", "similarity_on", "sym_equal_on", "dim_on", "iso_on", "cka_on", "cka_surd_on",
                     "on_split", "on_all", "excluded"]


def lemmas_are_closed(lemmas: list[str], tmp_path: Path) -> None:
    """Print Assumptions of soundness lemmas of coq/Parametric.v: closed."""
    f = tmp_path / "Assumptions.v"
    f.write_text("From Symrep Require Import Symrep Parametric.\n" + "".join(f"Print Assumptions {x}.\n" for x in lemmas),
                 encoding="utf-8")
    coqc = shutil.which("coqc")
    from symrep.certificates.coq import build_library

    run = subprocess.run([str(coqc), "-Q", str(build_library(str(coqc))), "Symrep", str(f)], capture_output=True, text=True,
                         check=False, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("Closed under the global context") == len(lemmas), run.stdout


@needs_coq
def test_parametric_lemmas_use_no_axiom(tmp_path):
    lemmas_are_closed(["pos_on_sound", "match_on", "cka_on", "on_all"], tmp_path)


@needs_coq
@pytest.mark.slow
def test_every_parametric_lemma_uses_no_axiom(tmp_path):
    lemmas_are_closed(PARAMETRIC_LEMMAS, tmp_path)
