"""``symrep coq`` for triangles of 1 - M and arccos M with irrational values (``surd_triangle_claim``).

The exact decision ``ssl`` (sqrt P + sqrt Q <= sqrt R + sqrt S, Coq's ``ssl_b``) is checked against
perfect squares (the truth by construction, equalities included) and its refutations' brackets by
their definition; the triangle claims of ``proofs/`` compile, and each with its verdict flipped is a
``Fail`` coqc accepts (no proof of the false statement goes through).
"""

from __future__ import annotations

import copy
import json
import random
from fractions import Fraction as F
from pathlib import Path

from symrep.certificates.coq import export_coq
from symrep.certificates.coq_relations import ssl, ssl_refutation
from test_coq import batch, needs_coq

PROOFS = Path(__file__).resolve().parent.parent / "proofs"


def test_ssl_decides_sums_of_square_roots_of_perfect_squares():
    rng = random.Random(7)
    for _ in range(400):
        p, q, r = (F(rng.randint(0, 12), rng.randint(1, 6)) for _ in range(3))
        s = p + q - r + F(rng.choice([-1, 0, 0, 1]), rng.randint(1, 9))  # ties often
        if s < 0:
            continue
        truth = p + q <= r + s
        assert ssl(p * p, q * q, r * r, s * s) is truth, (p, q, r, s)
        if not truth:
            w = ssl_refutation(p * p, q * q, r * r, s * s)
            assert w is not None
            a, b, c, d = w
            assert min(w) >= 0 and a * a <= p * p and b * b <= q * q and c * c >= r * r and d * d >= s * s and c + d < a + b


def test_ssl_on_irrational_sums():
    # sqrt 2 + sqrt 3 vs sqrt 10 (3.146 < 3.162), and sqrt(1/2) + sqrt(1/2) = sqrt 2 exactly
    assert ssl(F(2), F(3), F(10), F(0)) and not ssl(F(10), F(0), F(2), F(3))
    assert ssl(F(1, 2), F(1, 2), F(2), F(0)) and ssl(F(2), F(0), F(1, 2), F(1, 2))
    assert ssl_refutation(F(2), F(0), F(1, 2), F(1, 2)) is None  # an equality has no refutation


TRIANGLES = {"williams2021": ["arccos-cka-triangle", "arccos-cka-strict"],
             "relations": ["triangle-1-cka-fails", "triangle-arccos-holds", "triangle-arccos-tight"]}


def _only(doc: dict, ids: list[str], flip: bool) -> dict:
    out = copy.deepcopy(doc)
    keep = [k for k, c in enumerate(doc["problem"]["claims"]) if c["id"] in ids]
    out["problem"]["claims"] = [doc["problem"]["claims"][k] for k in keep]
    out["results"] = [doc["results"][k] for k in keep]
    if flip:
        for r in out["results"]:
            r["verdict"] = not r["verdict"]
    return out


def test_the_surd_triangles_of_proofs_are_exported():
    for name, ids in TRIANGLES.items():
        e = export_coq(_only(json.loads((PROOFS / f"{name}.cert.json").read_text()), ids, False))
        assert sorted(e.proved) == sorted(ids) and "surd_triangle_claim" in e.text


@needs_coq
def test_flipped_surd_triangles_are_never_proved(tmp_path):
    texts = []
    for name, ids in TRIANGLES.items():
        doc = json.loads((PROOFS / f"{name}.cert.json").read_text())
        e = export_coq(_only(doc, ids, True), gate=False, fail=True)
        assert sorted(e.proved) == sorted(ids)
        texts.append(e.text)
    status, message = batch(texts, tmp_path)
    assert status == 0, f"coqc proved a flipped triangle:\n{message}"
