"""``symrep coq`` for the spectral measures (coq/Spectral.v): Procrustes, angular Procrustes, shape at
alpha 1, mean CCA / PWCCA at their exact values, mean CCA by brackets (true and false), SVCCA at 1, and the
invariances proved for every member (CKA under orthogonal maps and permutations, CCA under invertible maps).
Mean CCA's oracle: numpy's principal angles between the centred row spans (orthonormal bases from the SVD).

Truth comes from outside the exporter: the distances and angles from numpy's SVD of the centred layers
(bounds placed at a margin of 0.05 from the float value, far above its rounding error), CCA's exact
values by construction (a layer and an invertible linear map of it: 1; centred layers orthogonal by the
choice of data: 0).  With coqc:

* small random instances of every covered kind are exported and compile;
* each proof with one witness number changed (an entry of Q, F or a rank witness's inverse) is rejected;
* each statement made false (its bound moved past the float value, or the exact CCA value changed),
  with the proof kept, is rejected;
* past the gate, a certificate whose nuclear witness is tampered is refused by the exporter.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

from _certgen import fmt
from symrep.certificates import certify, dump_certificate
from symrep.certificates.coq import export_coq
from symrep.certificates.coq_spectral import cos_bounds, ldl
from symrep.claims import problem_from_mapping
from symrep.errors import CertificateError
from test_coq import batch

ROOT = Path(__file__).resolve().parent.parent
needs_coq = pytest.mark.skipif(shutil.which("coqc") is None, reason="coqc is not installed (apt-get install coq): Coq tests skipped")
SPECTRAL = {"procrustes", "angular_procrustes", "shape", "cca", "pwcca", "svcca"}


def centred(W: list[list[int]], X: list[list[int]]) -> np.ndarray:
    A = np.array(W, float) @ np.array(X, float).T  # neurons x points (identity activation)
    return A - A.mean(axis=1, keepdims=True)


def float_values(Wf, Wg, X) -> tuple[float, float]:
    """(Procrustes distance, angular Procrustes) from numpy's SVD: the independent oracle."""
    A, B = centred(Wf, X), centred(Wg, X)
    nuc = np.linalg.svd(A @ B.T, compute_uv=False).sum()
    na, nb = np.linalg.norm(A), np.linalg.norm(B)
    return float(np.sqrt(max(0.0, na ** 2 + nb ** 2 - 2 * nuc))), float(np.arccos(min(1.0, nuc / (na * nb))))


def float_cca(Wf, Wu, X) -> float:
    """Mean CCA of f (identity) and u (ReLU) from numpy: the cosines of the principal angles between the centred row
    spans (orthonormal bases from the SVD, the cosines the singular values of their product), the independent oracle."""
    bases = []
    U0 = np.maximum(np.array(Wu, float) @ np.array(X, float).T, 0)
    for M in (centred(Wf, X), U0 - U0.mean(axis=1, keepdims=True)):
        U, S, Vt = np.linalg.svd(M, full_matrices=False)
        bases.append(Vt[:int((S > 1e-9 * S[0]).sum())].T)
    rho = np.linalg.svd(bases[0].T @ bases[1], compute_uv=False)
    return float(rho.sum() / min(b.shape[1] for b in bases))


def float_shape0(Wf, Wu, X) -> float:
    """netrep's shape metric at alpha 0 from numpy: arccos(sum rho / sqrt(rx ry))."""
    ranks = []
    U0 = np.maximum(np.array(Wu, float) @ np.array(X, float).T, 0)
    for M in (centred(Wf, X), U0 - U0.mean(axis=1, keepdims=True)):
        S = np.linalg.svd(M, compute_uv=False)
        ranks.append(int((S > 1e-9 * S[0]).sum()))
    return float(np.arccos(min(1.0, float_cca(Wf, Wu, X) * min(ranks) / np.sqrt(ranks[0] * ranks[1]))))


def float_svcca(Wf, Wg, X, k: int) -> tuple[float, float]:
    """SVCCA_k from numpy: the mean cosine of the principal angles between the spans of the top-k right singular
    vectors of the centred layers (the oracle), and the smaller relative gap after the k-th singular value."""
    tops, gap = [], 1.0
    for W in (Wf, Wg):
        U, S, Vt = np.linalg.svd(centred(W, X), full_matrices=False)
        S = np.concatenate([S, [0.0]])
        tops.append(Vt[:k].T)
        gap = min(gap, (S[k - 1] - S[k]) / S[0])
    return float(np.linalg.svd(tops[0].T @ tops[1], compute_uv=False).mean()), float(gap)


def float_pwcca(Wf, Wu, X) -> tuple[float, float]:
    """PWCCA of f (identity) and u (ReLU) from numpy (Morcos et al.): the x side the layer of smaller rank (f on
    equal ranks), its unit canonical variates h_i from the SVD of the orthonormal bases' product, weights
    alpha_i = sum_j |<h_i, x_j>| over its centred neurons x_j; with the smallest gap between the correlations
    (and to 0), which the proposals must resolve."""
    U0 = np.maximum(np.array(Wu, float) @ np.array(X, float).T, 0)
    layers, bases = [centred(Wf, X), U0 - U0.mean(axis=1, keepdims=True)], []
    for M in layers:
        U, S, Vt = np.linalg.svd(M, full_matrices=False)
        bases.append(Vt[:int((S > 1e-9 * S[0]).sum())].T)
    if bases[1].shape[1] < bases[0].shape[1]:
        layers, bases = layers[::-1], bases[::-1]
    P, rho, _ = np.linalg.svd(bases[0].T @ bases[1])
    r = bases[0].shape[1]
    H = bases[0] @ P[:, :r]  # points x r: the unit canonical variates of the x side
    alpha = np.abs(layers[0] @ H).sum(axis=0)
    gaps = np.diff(np.concatenate([[0.0], rho[:r][::-1]]))
    return float((alpha * rho[:r]).sum() / alpha.sum()), float(gaps.min())


def below(x: float) -> str:
    return fmt(F(int(np.floor((x - 0.05) * 100)), 100))


def above(x: float) -> str:
    return fmt(F(int(np.ceil((x + 0.05) * 100)), 100))


def spectral_problem(rng: random.Random) -> tuple[dict, dict]:
    """Four identity-activation networks on five points; claims of every covered spectral kind, all true."""
    n_in = rng.choice([2, 3])
    X = [[rng.choice([-2, -1, 0, 1, 2]) for _ in range(n_in)] for _ in range(5)]
    while np.linalg.matrix_rank(centred(np.eye(n_in).tolist(), X)) < n_in:
        X = [[rng.choice([-2, -1, 0, 1, 2]) for _ in range(n_in)] for _ in range(5)]
    Wf = [[rng.choice([-1, 0, 1, 2]) for _ in range(n_in)] for _ in range(rng.choice([2, 3]))]
    Wg = [[rng.choice([-1, 0, 1, 2]) for _ in range(n_in)] for _ in range(rng.choice([2, 3]))]
    while np.linalg.matrix_rank(centred(Wf, X)) == 0 or np.linalg.matrix_rank(centred(Wg, X)) == 0:
        Wg = [[rng.choice([-1, 0, 1, 2]) for _ in range(n_in)] for _ in range(3)]
        Wf = [[rng.choice([-1, 0, 1, 2]) for _ in range(n_in)] for _ in range(3)]
    T = [[1, 1, 0], [0, 1, 0], [1, 0, 1]][:len(Wf)]
    T = [r[:len(Wf)] for r in T]  # invertible (unit lower-and-upper parts), so h = T f spans what f spans
    Wh = (np.array(T) @ np.array(Wf)).astype(int).tolist()
    d, theta = float_values(Wf, Wg, X)
    for _ in range(30):  # ReLU: a span not inside f's, with a mean CCA away from 0 and 1
        Wu = [[rng.choice([-2, -1, 0, 1, 2]) for _ in range(n_in)] for _ in range(2)]
        U0 = np.maximum(np.array(Wu, float) @ np.array(X, float).T, 0)
        if np.linalg.norm(U0 - U0.mean(axis=1, keepdims=True)) > 0 and 0.1 < (cca := float_cca(Wf, Wu, X)) < 0.9:
            break
    nets = {k: {"layers": [{"weights": [[str(x) for x in r] for r in W], "activation": "identity"}]}
            for k, W in (("f", Wf), ("g", Wg), ("h", Wh))}
    nets["u"] = {"layers": [{"weights": [[str(x) for x in r] for r in Wu], "activation": "relu"}]}
    nets["r"] = {"layers": [{"weights": [[str(-3 * x) for x in r] for r in Wf], "activation": "identity"}]}  # -3 f
    fg, fh = {"networks": ["f", "g"], "layer": 1}, {"networks": ["f", "h"], "layer": 1}
    claims = [{"kind": "procrustes", **fg, "at_most": above(d)},
              {"kind": "angular_procrustes", **fg, "at_most": above(theta)},
              {"kind": "shape", **fg, "alpha": 1, "at_most": above(theta)},
              {"kind": "procrustes", "networks": ["f", "f"], "layer": 1, "equals": "0"},
              {"kind": "angular_procrustes", "networks": ["f", "f"], "layer": 1, "equals": "0"},
              {"kind": "cca", **fh, "equals": "1"},
              {"kind": "pwcca", **fh, "equals": "1"},
              {"kind": "invariance", **fg, "measure": "procrustes", "transform": {"family": "isotropic_scaling"}},
              {"kind": "invariance", **fg, "measure": "cka", "transform": {"family": "orthogonal"}},  # every member
              {"kind": "invariance", **fg, "measure": "cka", "transform": {"family": "permutation"}},
              {"kind": "invariance", **fg, "measure": "cca", "transform": {"family": "invertible_linear"}},  # every member
              {"kind": "invariance", **fg, "measure": "cca", "transform": {"family": "orthogonal"}},
              {"kind": "triangle", **fg, "distance": "procrustes", "via": {"network": "h", "layer": 1}}]
    if d > 0.1:
        claims.append({"kind": "procrustes", **fg, "at_least": below(d)})
        claims.append({"kind": "relation", **fg, "left": {"measure": "procrustes", "networks": ["f", "g"], "layers": [1, 1]},
                       "relation": ">", "right": {"value": below(d)}})
    if theta > 0.1:
        claims.append({"kind": "angular_procrustes", **fg, "at_least": below(theta)})
    claims += [{"kind": "procrustes", **fg, "at_least": above(d), "expect": False},  # verdicts false: d < t, d != t
               {"kind": "procrustes", **fg, "equals": above(d), "expect": False}]
    if d > 0.1:
        claims.append({"kind": "procrustes", **fg, "at_most": below(d), "expect": False})  # d > t
    claims += [{"kind": "angular_procrustes", **fg, "at_least": above(theta), "expect": False},  # theta < t
               {"kind": "shape", **fg, "alpha": 1, "equals": above(theta), "expect": False}]
    if theta > 0.1:
        claims += [{"kind": "angular_procrustes", **fg, "at_most": below(theta), "expect": False},  # theta > t
                   {"kind": "shape", **fg, "alpha": 1, "at_most": below(theta), "expect": False}]
    fu = {"networks": ["f", "u"], "layer": 1}
    claims.append({"kind": "svcca", "networks": ["f", "r"], "layer": 1, "k": 1, "at_least": "999/1000"})  # exactly 1
    if 0.06 < cca < 0.94:  # an irrational mean CCA: brackets both ways, and verdicts false on either side
        th0 = float_shape0(Wf, Wu, X)
        claims += [{"kind": "shape", **fu, "alpha": 0, "at_least": below(th0), "at_most": above(th0)},
                   {"kind": "shape", **fu, "alpha": 0, "at_least": above(th0), "expect": False},
                   {"kind": "shape", **fu, "alpha": 0, "at_most": below(th0), "expect": False}]
        pw, pw_gap = float_pwcca(Wf, Wu, X)
        if pw_gap > 0.05 and pw < 0.95:  # PWCCA's bracket needs its correlations apart
            claims += [{"kind": "pwcca", **fu, "at_least": below(pw), "at_most": above(pw)},
                       {"kind": "pwcca", **fu, "at_least": above(pw), "expect": False},  # PWCCA < t
                       {"kind": "pwcca", **fu, "at_most": below(pw), "expect": False}]  # PWCCA > t
        claims += [{"kind": "cca", **fu, "at_least": below(cca), "at_most": above(cca)},
                   {"kind": "cca", **fu, "at_least": above(cca), "expect": False},
                   {"kind": "cca", **fu, "at_most": below(cca), "expect": False}]
    sv, gap = float_svcca(Wf, Wg, X, 1)
    if 0.1 < sv < 0.97 and gap > 0.05:  # SVCCA below 1: the two top singular directions differ (Davis-Kahan proxies)
        claims += [{"kind": "svcca", **fg, "k": 1, "at_least": below(sv), "at_most": above(sv)},
                   {"kind": "svcca", **fg, "k": 1, "at_least": above(sv), "expect": False},  # SVCCA < t
                   {"kind": "svcca", **fg, "k": 1, "at_most": below(sv), "expect": False}]  # SVCCA > t
    for k, c in enumerate(claims):
        c["id"] = f"s{k}"
    return {"data": {"inputs": [[str(x) for x in r] for r in X]}, "networks": nets, "claims": claims}, \
        {"d": d, "theta": theta, "cca": cca, "shape0": float_shape0(Wf, Wu, X), "svcca": sv,
         "pwcca": float_pwcca(Wf, Wu, X)[0]}


#: CCA exactly 0: x1 and x2 are orthogonal over the four corners (and centred already).
ZERO = {"data": {"inputs": [["1", "1"], ["1", "-1"], ["-1", "1"], ["-1", "-1"]]},
        "networks": {"p": {"layers": [{"weights": [["1", "0"]], "activation": "identity"}]},
                     "q": {"layers": [{"weights": [["0", "1"]], "activation": "identity"}]}},
        "claims": [{"id": "z0", "kind": "cca", "networks": ["p", "q"], "layer": 1, "equals": "0"},
                   {"id": "z1", "kind": "pwcca", "networks": ["p", "q"], "layer": 1, "at_most": "0"},
                   # a constant layer (weights 0): the angle is undefined, verdict false
                   {"id": "z2", "kind": "angular_procrustes", "networks": ["p", "c"], "layer": 1, "at_most": "1",
                    "expect": False},
                   {"id": "z3", "kind": "cca", "networks": ["c", "q"], "layer": 1, "at_least": "0", "expect": False},
                   {"id": "z4", "kind": "cca", "networks": ["p", "q"], "layer": 1, "at_least": "1/2", "expect": False}]}
ZERO["networks"]["c"] = {"layers": [{"weights": [["0", "0"]], "activation": "identity"}]}


def certificate_of(problem: dict) -> dict:
    return json.loads(dump_certificate(certify(problem_from_mapping(problem))))


def instances(n: int = 2, seed: int = 5) -> list[tuple[dict, dict]]:
    rng = random.Random(seed)
    out = [spectral_problem(rng) for _ in range(n)]
    return [(certificate_of(p), v) for p, v in out] + [(certificate_of(ZERO), {})]


THEOREM = re.compile(r"Theorem (\S+) : (.*)\.\nProof\. (.*)\. Qed\.")


def theorems(text: str) -> list[tuple[str, str, str]]:
    return THEOREM.findall(text)


def as_fail(name: str, stmt: str, proof: str) -> str:
    return f"Fail Definition {name} : {stmt} := ltac:({proof})."


def body_without_theorems(text: str) -> str:
    return THEOREM.sub("", text)


# --- without coqc ----------------------------------------------------------------------------


def test_ldl_and_cosine_bounds():
    P = [[F(2), F(4), F(0)], [F(4), F(11), F(3)], [F(0), F(3), F(3)]]  # 2 u u^T + 3 v v^T: PSD of rank 2
    parts = ldl(P)
    assert len(parts) == 2 and all(d > 0 for d, _ in parts)
    assert [[sum((d * l[i] * l[j] for d, l in parts), F(0)) for j in range(3)] for i in range(3)] == P
    with pytest.raises(ValueError):
        ldl([[F(1), F(2)], [F(2), F(1)]])  # indefinite
    for t in (F(0), F(69, 100), F(3, 2), F(3)):
        lo, hi = cos_bounds(t)
        assert lo <= hi and lo <= np.cos(float(t)) + 1e-15 and np.cos(float(t)) - 1e-15 <= hi and hi - lo < F(1, 10 ** 12)


def test_tampered_nuclear_witness_is_refused():
    doc = json.loads((ROOT / "proofs" / "spectral-invariance.cert.json").read_text(encoding="utf-8"))
    k = next(i for i, c in enumerate(doc["problem"]["claims"]) if c["id"] == "procrustes-scaled")
    doc["results"][k]["witness"]["nuclear"]["q"][0][0] = "2"
    with pytest.raises(CertificateError, match="rejected by the checker"):
        export_coq(doc)


# --- with coqc -------------------------------------------------------------------------------


def compile_and_tamper(certs: list[tuple[dict, dict]], tmp_path: Path, minimum: int) -> None:
    good, bad, tampered_proofs, false_statements = [], [], 0, 0
    relation_fails: list[str] = []
    n_relations = 0
    covered = set()
    for cert, values in certs:
        e = export_coq(cert)
        kinds = {c["id"]: c for c in cert["problem"]["claims"]}
        assert not [s for s in e.skipped if s[1] in SPECTRAL], e.skipped
        covered |= {kinds[i]["kind"] for i in e.proved}
        relations = [line for line in e.text.splitlines() if line.startswith("Theorem ") and " : (" in line]
        n_relations += len(relations)
        for line in relations:  # value > c stated as c < t /\ value >= t: change c to a value above t
            name, _, stmt = line[len("Theorem "):].partition(" : ")
            m = re.match(r"\((-?\d+)#(\d+)\) < \((-?\d+)#(\d+)\) /\\ ", stmt)
            assert m, stmt
            false_relation = f"({int(m.group(3)) + int(m.group(4))}#{m.group(4)}) < " + stmt[stmt.index(" < ") + 3:]
            proof = e.text.split(line + "\nProof. ", 1)[1].split(". Qed.", 1)[0]
            relation_fails.append(as_fail(f"{name.rstrip('.')}_r", false_relation.rstrip("."), proof))
        good.append(e.text)
        fails = []
        for name, stmt, proof in theorems(e.text):
            # one witness number changed: the first entry of the first rational matrix in the proof
            m = re.search(r"\[\[\((-?\d+)#(\d+)\)", proof)
            if m:
                changed = proof[:m.start(1)] + str(int(m.group(1)) + int(m.group(2))) + proof[m.end(1):]
                fails.append(as_fail(f"{name}_w", stmt, changed))
                tampered_proofs += 1
            # the statement made false, the proof kept
            false = None
            if stmt.startswith("svcca_exact_claim"):  # SVCCA 1 claimed above 1
                false = re.sub(r"None \(Some \(\S+\)\) None$", "None (Some (1001#1000)) None", stmt)
            elif stmt.startswith("cca_invariant_over"):  # CKA in its place: it changes under some invertible map
                false = stmt.replace("cca_invariant_over npoints FOrthogonal", "invariant_over npoints FInvertible QCka")
                false = false.replace("cca_invariant_over npoints FInvertible", "invariant_over npoints FInvertible QCka")
            elif stmt.startswith(("invariant_over npoints FOrthogonal", "invariant_over npoints FPermutation")):
                false = re.sub(r"FOrthogonal|FPermutation", "FInvertible", stmt)  # CKA changes under some invertible map
            elif stmt.startswith("in_family"):  # the member made the identity: before and after equal, not separated
                false = re.sub(r"\(TScale \(-?\d+#\d+\)\)", "(TScale (1#1))", stmt)
            elif stmt.startswith("cca_exact_claim"):
                false = stmt.replace("(1#1) (Some (1#1))", "(1#1) (Some (1#2))").replace("(0#1) (Some (0#1))", "(0#1) (Some (1#3))")
                false = false.replace("(0#1) None None (Some (0#1))", "(0#1) None None (Some (-1#3))")
            elif ("svcca_claim" in stmt or "pwcca_claim" in stmt) and values:  # a bound moved 0.05 past the value
                slots = re.search(r"(None|\(Some \(\S+\)\)) (None|\(Some \(\S+\)\))$", stmt)
                value = values["svcca" if "svcca_claim" in stmt else "pwcca"]
                up, down = (fmt(F(round(value * 100) + x, 100)).replace('/', '#') for x in (5, -5))
                false = stmt[:slots.start()] + (f"(Some ({up})) None" if slots.group(1) != "None" else f"None (Some ({down}))")
            elif ("cca_claim npoints" in stmt or "shape0_claim npoints" in stmt) and "~" not in stmt and values:
                true_value = values["cca" if "cca_claim" in stmt else "shape0"]  # a bound moved past the float value
                slots = re.search(r"(None|\(Some \(\S+\)\)) (None|\(Some \(\S+\)\)) (None|\(Some \(\S+\)\))$", stmt)
                eq, lo, hi = slots.groups()
                moved = fmt(F(round(true_value * 100) + 5, 100)).replace('/', '#') if lo != "None" else \
                    fmt(F(round(true_value * 100) - 5, 100)).replace('/', '#')
                false = stmt[:slots.start()] + (f"None (Some ({moved})) {hi}" if lo != "None" else f"None None (Some ({moved}))")
            elif stmt.startswith(("~ procrustes_claim", "~ angular_claim")) and values:  # the negation made false
                true_value = values["d" if "procrustes_claim" in stmt else "theta"]
                slots = re.search(r"(None|\(Some \(\S+\)\)) (None|\(Some \(\S+\)\)) (None|\(Some \(\S+\)\))$", stmt)
                eq, lo, hi = slots.groups()
                if eq == "None" and lo != "None":  # value >= t refuted  ->  value >= true - 0.05 (a true claim)
                    false = stmt[:slots.start()] + f"None (Some ({fmt(F(round(true_value * 100) - 5, 100)).replace('/', '#')})) None"
                elif eq == "None" and hi != "None":  # value <= t refuted  ->  value <= true + 0.05
                    false = stmt[:slots.start()] + f"None None (Some ({fmt(F(round(true_value * 100) + 5, 100)).replace('/', '#')}))"
            elif stmt.startswith(("procrustes_claim", "angular_claim")) and values:
                true_value = values["d" if stmt.startswith("procrustes") else "theta"]
                slots = re.search(r"(None|\(Some \(\S+\)\)) (None|\(Some \(\S+\)\)) (None|\(Some \(\S+\)\))$", stmt)
                eq, lo, hi = slots.groups()
                if eq == "None" and lo != "None":  # value >= t  ->  value >= true + 1/2
                    false = stmt[:slots.start()] + f"None (Some ({fmt(F(round(true_value * 100) + 50, 100)).replace('/', '#')})) None"
                elif eq == "None" and hi != "None" and true_value > 0.06:  # value <= t  ->  value <= true - 0.05
                    false = stmt[:slots.start()] + f"None None (Some ({fmt(F(round(true_value * 100) - 5, 100)).replace('/', '#')}))"
            if false is not None and false != stmt:
                fails.append(as_fail(f"{name}_f", false, proof))
                false_statements += 1
        bad.append(body_without_theorems(e.text) + "\n" + "\n".join(fails + relation_fails) + "\n")
        relation_fails = []
    assert covered == SPECTRAL | {"relation", "invariance", "triangle"}, covered
    negated = [t for t in (theorems(x) for x in good) for t in t if t[1].startswith("~ procrustes_claim")]
    assert len(negated) >= 2 * len(certs) - 2, len(negated)  # the verdicts false of every instance but ZERO
    brackets = [t for t in (theorems(x) for x in good) for t in t if "cca_claim npoints" in t[1] and "~" not in t[1]]
    assert len(brackets) >= 3, len(brackets)  # an irrational mean CCA: its bracket and two verdicts false
    shape0 = [t for t in (theorems(x) for x in good) for t in t if "shape0_claim npoints" in t[1]]
    assert len(shape0) >= 3, len(shape0)  # shape at alpha 0 on the same pair
    pwcca = [t for t in (theorems(x) for x in good) for t in t if t[1].startswith("pwcca_claim")]
    assert len(pwcca) >= 1, len(pwcca)  # a PWCCA bracket on some instance
    pwcca_false = [t for t in (theorems(x) for x in good) for t in t if "/\\ pwcca_claim" in t[1]]
    assert len(pwcca_false) >= 2, len(pwcca_false)  # and its verdicts false
    svcca = [t for t in (theorems(x) for x in good) for t in t if t[1].startswith("svcca_claim")]
    assert len(svcca) >= 1, len(svcca)  # SVCCA below 1 on some instance
    svcca_false = [t for t in (theorems(x) for x in good) for t in t if "/\\ svcca_claim" in t[1]]
    assert len(svcca_false) >= 2, len(svcca_false)  # and its verdicts false, as the stronger bound on the other side
    angular_false = [t for t in (theorems(x) for x in good) for t in t if t[1].startswith("~ angular_claim")]
    assert len(angular_false) >= 2 * len(certs) - 1, len(angular_false)  # two per instance, and ZERO's undefined one
    assert tampered_proofs >= 2 * minimum and false_statements >= minimum and n_relations >= 1, \
        (tampered_proofs, false_statements, n_relations)
    status, message = batch(good, tmp_path)
    assert status == 0, message
    status, message = batch(bad, tmp_path)
    assert status == 0, f"coqc accepted a tampered spectral proof (a Fail command failed):\n{message}"


@needs_coq
def test_spectral_certificates_compile_and_tampering_is_rejected(tmp_path):
    compile_and_tamper(instances(), tmp_path, 10)


@needs_coq
@pytest.mark.slow
def test_more_spectral_certificates_compile_and_tampering_is_rejected(tmp_path):
    compile_and_tamper(instances(8, seed=6), tmp_path, 40)


@needs_coq
def test_a_true_spectral_proof_fails_under_fail(tmp_path):
    """The tamper test can fail: a Fail around a proof of a true spectral claim makes coqc reject the batch."""
    cert = certificate_of(ZERO)
    e = export_coq(cert)
    name, stmt, proof = theorems(e.text)[0]
    status, _ = batch([body_without_theorems(e.text) + as_fail(name, stmt, proof)], tmp_path)
    assert status == 1


def test_a_spectral_witness_never_changes_what_is_stated():
    """Single mutations of the spectral witnesses (numbers, deletions, swaps ...) of a gallery certificate,
    exported past the gate: refused, or every exported statement as it was (a witness can only make a proof
    fail; the exporter's own proposals and strict relations' bounds come from the problem, not the witness)."""
    from symrep.errors import SymrepError
    from test_coq import statements
    from test_mutations import apply, mutations_of

    doc = json.loads((ROOT / "proofs" / "relations.cert.json").read_text(encoding="utf-8"))
    keep = [k for k, c in enumerate(doc["problem"]["claims"]) if c["id"] in
            ("procrustes-similarity-positive", "angular-procrustes-similarity-zero")]
    doc["problem"]["claims"] = [doc["problem"]["claims"][k] for k in keep]
    doc["results"] = [doc["results"][k] for k in keep]
    base = statements(export_coq(doc).text)
    assert len(base) == 2
    ops = [(path, op) for path, op in mutations_of(doc) if path[:1] == ("results",) and "verdict" not in path]
    same = 0
    for path, op in random.Random(4).sample(ops, 30):
        try:
            got = statements(export_coq(apply(json.loads(json.dumps(doc)), path, op), gate=False).text)
        except (CertificateError, SymrepError):
            continue
        assert all(got[k] == base[k] for k in got if k in base), (path, op)
        same += 1
    assert same >= 10, same


def test_a_cca_witness_never_changes_what_is_stated():
    """The same for mean CCA's bracket and SVCCA at 1 (spectral-invariance): the exporter's bases, ranks and strict
    bounds come from the data, so a mutated witness is refused or leaves every statement as it was."""
    from symrep.errors import SymrepError
    from test_coq import statements
    from test_mutations import apply, mutations_of

    doc = json.loads((ROOT / "proofs" / "spectral-invariance.cert.json").read_text(encoding="utf-8"))
    keep = [k for k, c in enumerate(doc["problem"]["claims"]) if c["id"] in ("cca-wide", "svcca-rot")]
    doc["problem"]["claims"] = [doc["problem"]["claims"][k] for k in keep]
    doc["results"] = [doc["results"][k] for k in keep]
    base = statements(export_coq(doc).text)
    assert len(base) == 2
    ops = [(path, op) for path, op in mutations_of(doc) if path[:1] == ("results",) and "verdict" not in path]
    same = 0
    for path, op in random.Random(5).sample(ops, min(30, len(ops))):
        try:
            got = statements(export_coq(apply(json.loads(json.dumps(doc)), path, op), gate=False).text)
        except (CertificateError, SymrepError):
            continue
        assert all(got[k] == base[k] for k in got if k in base), (path, op)
        same += 1
    assert same >= 10, same


def _exact_centred(W: list, X: list, relu: bool) -> list:
    """The layer's activations (neurons x points), exactly, centred over the points."""
    rows = [[F(sum(w * x for w, x in zip(r, p))) for p in X] for r in W]
    rows = [[max(F(0), x) for x in r] for r in rows] if relu else rows
    return [[x - sum(r, F(0)) / len(r) for x in r] for r in rows]


def test_pwcca_and_svcca_brackets_contain_numpys_values():
    """The exporter's exact PWCCA bracket (pw_bounds) contains numpy's PWCCA, and each SVCCA proxy's mean CCA is within
    sA + sB of numpy's SVCCA (the readings of (R), (DK1), (DK), (Ps) checked against an oracle, no coqc)."""
    from symrep.certificates import coq_cca as cs
    from symrep.certificates import coq_spectral
    rng, seen = random.Random(8), 0
    for _ in range(6):
        problem, values = spectral_problem(rng)
        nets = problem["networks"]
        X = [[int(x) for x in r] for r in problem["data"]["inputs"]]
        Wf = [[int(x) for x in r] for r in nets["f"]["layers"][0]["weights"]]
        Wu = [[int(x) for x in r] for r in nets["u"]["layers"][0]["weights"]]
        Wg = [[int(x) for x in r] for r in nets["g"]["layers"][0]["weights"]]

        pw, gap = float_pwcca(Wf, Wu, X)
        A, B = _exact_centred(Wf, X, False), _exact_centred(Wu, X, True)
        if gap > 0.05 and any(x for r in B for x in r):
            ra, rb = len(coq_spectral._rref(A)[0]), len(coq_spectral._rref(B)[0])
            Xm, Ym, rx, ry = (A, B, ra, rb) if ra <= rb else (B, A, rb, ra)
            Hf, Gf, rho = cs._cca_float(Xm, Ym, rx, ry)
            Px, Dx, Py, Dy, _ = next(cs._cca_bases(Xm, Ym, rx, ry))
            Ux = [[sum((p[a] * Xm[a][j] for a in range(len(Xm))), F(0)) for j in range(len(X))] for p in Px]
            Uy = [[sum((p[a] * Ym[a][j] for a in range(len(Ym))), F(0)) for j in range(len(X))] for p in Py]
            got = cs._pw_bounds(Xm, Ym, Ux, Uy, Dx, Dy, [[cs._dyadic(x, 24) for x in r] for r in Hf[:rx]],
                                [[cs._dyadic(x, 24) for x in r] for r in Gf[:rx]], [cs._dyadic(float(x), 24) for x in rho[:rx]], 24)
            assert got is not None
            assert got[0] - F(1, 10 ** 9) <= F(pw) <= got[1] + F(1, 10 ** 9) and got[1] - got[0] < F(1, 1000), (got[:2], pw)
            seen += 1
        sv, svgap = float_svcca(Wf, Wg, X, 1)
        G = _exact_centred(Wg, X, False)
        if svgap > 0.05:
            pa, pb = cs._dk_proxy(A, 1, len(X), 24), cs._dk_proxy(G, 1, len(X), 24)
            assert pa is not None and pb is not None
            Va, Vb = (np.array([[float(x) for x in r] for r in p[0]]) for p in (pa, pb))
            proxy = float(np.linalg.svd((Va / np.linalg.norm(Va)) @ (Vb / np.linalg.norm(Vb)).T, compute_uv=False).mean())
            assert abs(proxy - sv) <= float(pa[1] + pb[1]) + 1e-12 and pa[1] + pb[1] < F(1, 1000), (proxy, sv, pa[1], pb[1])
            seen += 1
    assert seen >= 6, seen
