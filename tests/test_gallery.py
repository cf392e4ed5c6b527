"""The gallery of published claims (``proofs/README.md``) is complete and says what the certificates say.

``proofs/README.md`` indexes claim files of published statements. Each index row names a claim file and
some of its claims, each with a verdict. These tests check four things. Every link resolves. Every
claim file in ``proofs/`` is linked, together with its certificate, its Markdown proof and its Coq file.
Every claim of the gallery's own files is indexed. Every stated verdict is the verdict in the committed
certificate, and the standalone checker accepts that certificate with every verdict as expected.

Regeneration is checked elsewhere: ``tests/test_proofs.py`` tests every ``proofs/*.toml`` (its
``CLAIM_FILES``), and ``test_every_indexed_file_is_regenerated_by_test_proofs`` pins that. There,
the regenerated certificate and Markdown proof must equal the committed ones, and in
``tests/test_coq.py`` the regenerated Coq file must as well.
"""

from __future__ import annotations

import json
from fractions import Fraction
import re
import tomllib
from pathlib import Path

import pytest

from symrep import checker

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
INDEX = PROOFS / "README.md"
COMPANIONS = (".toml", ".cert.json", ".md", ".v")

#: The claim files written for the gallery: each needs a ``source``, and every one of its claims is indexed.
GALLERY = ("wang2018", "kornblith2019", "williams2021", "davari2022", "ding2021", "huh2024", "resi",
           "phuong2020", "grigsby2023")

LINK = re.compile(r"\[[^\]]*\]\(([^)\s#]+)\)")
ROW = re.compile(r"^\| *([A-Z][a-z]?\d+) *\|(.*)\|$")
CLAIM_REF = re.compile(r"`([\w.-]+)` \*\*(true|false)\*\*")
FILE_REF = re.compile(r"\[([\w.-]+)\.toml\]\(\1\.toml\)")


def index_text() -> str:
    return INDEX.read_text(encoding="utf-8")


def indexed_verdicts() -> list[tuple[str, str, str, bool]]:
    """(row, claim file stem, claim id, verdict) for every claim reference in a statement row."""
    refs = []
    for line in index_text().splitlines():
        m = ROW.match(line)
        if not m:
            continue
        row, cells = m.group(1), m.group(2)
        # a row may cite several claim files: each claim belongs to the file linked last before it
        pieces = FILE_REF.split(cells)
        assert len(pieces) >= 3, f"row {row} cites no claim file"
        for stem, text in zip(pieces[1::2], pieces[2::2]):
            claims = CLAIM_REF.findall(text.split("|")[0])
            assert claims, f"row {row}: no claim of {stem}.toml with a verdict"
            refs += [(row, stem, cid, verdict == "true") for cid, verdict in claims]
    return refs


def certificate(stem: str) -> dict:
    return json.loads((PROOFS / f"{stem}.cert.json").read_text(encoding="utf-8"))


def test_every_link_in_the_index_resolves():
    targets = LINK.findall(index_text())
    assert targets
    missing = [t for t in targets if not (PROOFS / t).is_file()]
    assert not missing, f"proofs/README.md links files that do not exist: {missing}"


def test_the_index_links_every_claim_file_and_its_companions():
    linked = set(LINK.findall(index_text()))
    for toml in sorted(PROOFS.glob("*.toml")):
        for suffix in COMPANIONS:
            name = toml.stem + suffix
            assert (PROOFS / name).is_file(), f"{name} is missing: run proofs/regenerate"
            assert name in linked, f"proofs/README.md does not link {name}"


def test_the_gallery_is_large_enough():
    refs = indexed_verdicts()
    rows = {row for row, *_ in refs}
    sources = {tomllib.loads((PROOFS / f"{stem}.toml").read_text(encoding="utf-8")).get("source", stem)
               for _, stem, _, _ in refs}
    assert len(rows) >= 12, f"only {len(rows)} statements indexed"
    assert len(sources) >= 8, f"only {len(sources)} sources indexed"


@pytest.mark.parametrize("stem", GALLERY)
def test_every_gallery_claim_is_indexed_and_its_file_names_a_source(stem):
    problem = tomllib.loads((PROOFS / f"{stem}.toml").read_text(encoding="utf-8"))
    assert problem.get("source"), f"{stem}.toml names no source"
    ids = [c["id"] for c in problem["claims"]]
    indexed = {cid for _, s, cid, _ in indexed_verdicts() if s == stem}
    assert set(ids) <= indexed, f"{stem}.toml claims not in proofs/README.md: {sorted(set(ids) - indexed)}"


def disagreements(refs: list[tuple[str, str, str, bool]]) -> list[str]:
    """Every index reference whose claim is missing from its certificate or has another verdict there."""
    out = []
    for row, stem, cid, verdict in refs:
        results = {r["id"]: r["verdict"] for r in certificate(stem)["results"]}
        if cid not in results:
            out.append(f"row {row}: {stem}.toml has no claim {cid!r}")
        elif results[cid] is not verdict:
            out.append(f"row {row}: {stem}.toml {cid} is {results[cid]}, the index says {verdict}")
    return out


def test_every_indexed_verdict_is_the_certificates():
    refs = indexed_verdicts()
    assert refs
    assert not disagreements(refs)


@pytest.mark.parametrize("stem", sorted({stem for _, stem, _, _ in indexed_verdicts()}))
def test_indexed_certificates_pass_the_standalone_checker(stem):
    report = checker.check_file(str(PROOFS / f"{stem}.cert.json"))
    assert report["status"] == "valid", report
    assert report["claims"] and all(c["valid"] and c["as_expected"] for c in report["claims"]), report["claims"]


def test_every_indexed_file_is_regenerated_by_test_proofs():
    from test_proofs import CLAIM_FILES  # the files whose certificates and proofs must be current

    regenerated = {p.stem for p in CLAIM_FILES}
    assert {stem for _, stem, _, _ in indexed_verdicts()} <= regenerated


def test_a_wrong_or_unknown_reference_in_the_index_is_caught():
    """The verdict check can fail: a flipped verdict and a misspelt claim id are each reported."""
    refs = indexed_verdicts()
    for k in (0, len(refs) // 2, len(refs) - 1):
        row, stem, cid, verdict = refs[k]
        assert len(disagreements([(row, stem, cid, not verdict)])) == 1
        assert len(disagreements([(row, stem, cid + "-misspelt", verdict)])) == 1


# --- the hand calculations in the claim files' descriptions, re-derived by an oracle that shares no code --------


def frac(v) -> Fraction:
    return Fraction(str(v)) if isinstance(v, float) else Fraction(v)


def acts(stem: str, net: str, layer: int = 1) -> list[list[Fraction]]:
    """The activation matrix (rows = neurons, columns = points), by a plain forward pass over the TOML."""
    problem = tomllib.loads((PROOFS / f"{stem}.toml").read_text(encoding="utf-8"))
    cols = [[frac(v) for v in p] for p in problem["data"]["inputs"]]
    for spec in problem["networks"][net]["layers"][:layer]:
        W = [[frac(v) for v in row] for row in spec["weights"]]
        b = [frac(v) for v in spec.get("bias", [0] * len(W))]
        cols = [[sum((w * x for w, x in zip(row, p)), bi) for row, bi in zip(W, b)] for p in cols]
        if spec["activation"] == "relu":
            cols = [[max(v, Fraction(0)) for v in p] for p in cols]
    return [list(r) for r in zip(*cols)]


def gram_centred(A: list[list[Fraction]]) -> list[list[Fraction]]:
    """H A^T A H over the points: the centred Gram matrix K of the points."""
    C = [[v - sum(r, Fraction(0)) / len(r) for v in r] for r in A]
    n = len(A[0])
    return [[sum((C[k][i] * C[k][j] for k in range(len(C))), Fraction(0)) for j in range(n)] for i in range(n)]


def inner(K, L) -> Fraction:
    return sum((a * b for ra, rb in zip(K, L) for a, b in zip(ra, rb)), Fraction(0))


def cka2(A, B) -> Fraction:
    K, L = gram_centred(A), gram_centred(B)
    return inner(K, L) ** 2 / (inner(K, K) * inner(L, L))


def knn1(A) -> list[int]:
    """Each point's nearest other point by cosine similarity, compared exactly as sign(d) d^2 / |q|^2."""
    P = [list(c) for c in zip(*A)]
    out = []
    for i, p in enumerate(P):
        keys = {j: (lambda d, q: d * abs(d) / q)(sum(a * b for a, b in zip(p, q)), sum(b * b for b in q))
                for j, q in enumerate(P) if j != i}
        best = max(keys.values())
        assert list(keys.values()).count(best) == 1, "a tie: the instance must have none"
        out.append(max(keys, key=keys.__getitem__))
    return out


def mknn1(A, B) -> Fraction:
    return Fraction(sum(a == b for a, b in zip(knn1(A), knn1(B))), len(A[0]))


def spearman_of_correlation_rdms(A, B) -> Fraction:
    """Spearman (average ranks) of the RDMs 1 - Pearson(point_i, point_j); squares compared exactly."""
    def keys(M):
        P = [[v - sum(c, Fraction(0)) / len(c) for v in c] for c in zip(*M)]
        out = []
        for i in range(len(P)):
            for j in range(i + 1, len(P)):
                d = sum(a * b for a, b in zip(P[i], P[j]))
                out.append(d * abs(d) / (sum(a * a for a in P[i]) * sum(b * b for b in P[j])))  # monotone in r
        return out

    def ranks(ks):  # rank of 1 - r ascending = rank of r descending; ties get their average rank
        return [Fraction(sum(k > x for k in ks) + 1 + sum(k > x for k in ks) + ks.count(x), 2) for x in ks]

    u, v = ranks(keys(A)), ranks(keys(B))
    mu, mv = sum(u) / len(u), sum(v) / len(v)
    c = sum((a - mu) * (b - mv) for a, b in zip(u, v))
    su, sv = sum((a - mu) ** 2 for a in u), sum((b - mv) ** 2 for b in v)
    assert su == sv, "equal spreads here, so the correlation is rational"
    return c / su


def transform(A, T):
    """X -> X T on points x features, written on rows = features: new feature j = sum_i T[i][j] feature i."""
    return [[sum((Fraction(T[i][j]) * A[i][p] for i in range(len(A))), Fraction(0)) for p in range(len(A[0]))]
            for j in range(len(T[0]))]


def test_hand_values_of_cka():
    a, b, p, q = (acts("kornblith2019", n) for n in "abpq")
    assert cka2(a, b) == Fraction(125, 152)
    assert cka2(transform(a, [[2, 0], [0, 1]]), b) == Fraction(5929, 10600)
    assert cka2(transform(a, [[Fraction(3, 5), Fraction(-4, 5)], [Fraction(4, 5), Fraction(3, 5)]]), b) == cka2(a, b)
    assert cka2(p, q) == Fraction(121, 164)
    assert cka2(acts("davari2022", "f"), acts("davari2022", "f_moved")) == Fraction(5776, 32351)
    assert cka2(acts("davari2022", "g"), acts("davari2022", "g_scaled")) == Fraction(6786025, 7756324)
    assert cka2(acts("ding2021", "a"), acts("ding2021", "a_deleted")) == Fraction(10**8, 10**8 + 1)
    x, y, z = (acts("williams2021", n) for n in "xyz")
    assert (cka2(x, y), cka2(y, z), cka2(x, z)) == (Fraction(16, 25) ** 2, Fraction(16, 25) ** 2, Fraction(49, 625) ** 2)
    k, r = acts("resi", "k"), acts("resi", "r")
    assert cka2(k, r) == Fraction(79707, 142978)
    assert cka2(transform(k, [[1, 0], [0, 10]]), r) == Fraction(40605123, 78657106)


def test_hand_value_of_platonic_reps_cka_denominator():
    """hsic_kl / (sqrt(hsic_kk hsic_ll) + 1e-6) with the unnormalised biased HSIC trace(K H L H) gives 1/2."""
    K, L = gram_centred(acts("huh2024", "s")), gram_centred(acts("huh2024", "t"))
    kl, kk, ll = inner(K, L), inner(K, K), inner(L, L)
    assert kk * ll == Fraction(1, 10**12)  # so sqrt(hsic_kk * hsic_ll) = 10^-6 exactly
    assert kl / (Fraction(1, 10**6) + Fraction(1, 10**6)) == Fraction(1, 2)
    assert kl ** 2 == kk * ll  # CKA = 1


def test_hand_values_of_mutual_knn():
    A, B, C = (acts("huh2024", n) for n in "ABC")
    assert (knn1(A), knn1(B), knn1(C)) == ([1, 0, 1, 0], [1, 0, 3, 2], [3, 2, 3, 2])
    assert (mknn1(A, B), mknn1(B, C), mknn1(A, C)) == (Fraction(1, 2), Fraction(1, 2), 0)
    k = acts("resi", "k")
    assert mknn1(acts("resi", "k_t"), k) == Fraction(1, 4) and mknn1(acts("resi", "k_s"), k) == Fraction(3, 4)


def test_hand_values_of_rsa():
    r = acts("resi", "r")
    assert spearman_of_correlation_rdms(r, r) == 1
    assert spearman_of_correlation_rdms(acts("resi", "r_t"), r) == Fraction(9, 11)
    assert spearman_of_correlation_rdms(transform(r, [[-1, 0, 0], [0, 1, 0], [0, 0, 1]]), r) == Fraction(9, 11)


def test_hand_value_of_the_tie():
    """Relative distance exactly 1/2 both ways: dist^2 = |z|^2 - (x.y)^2 / |other|^2 equals |z|^2 / 4."""
    (x,), (y,) = acts("wang2018", "c"), acts("wang2018", "d")
    xy, xx, yy = (sum(a * b for a, b in zip(u, v)) for u, v in ((x, y), (x, x), (y, y)))
    assert xx - xy ** 2 / yy == xx / 4 and yy - xy ** 2 / xx == yy / 4
