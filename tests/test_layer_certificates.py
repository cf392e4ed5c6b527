"""Layer certificates (symrep-layer-certificate/1): data by SHA-256, witnesses in a .npz, Freivalds tests.

Truth comes from outside the code under test: the match sets from the exact path of the library
(projections in exact rationals), the .npy reader against NumPy's writer, the integer frame against
``fractions.Fraction``, products against plain Python integer arithmetic.
"""

from __future__ import annotations

import io
import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep import checker
from symrep.certificates.layer import LAYER_FORMAT, array_reference, file_sha256, layer_certificate
from symrep.cli.app import main
from symrep.compare import compare_layers
from symrep.exact.linalg import IntRows
from symrep.measures.matching import maximum_match


def relu_layers(n, d, seed=0):
    """B: a third A's rows, a third A's rows plus noise (ReLU), a third independent (as benchmarks/bench_eps.py)."""
    rng = np.random.default_rng(seed)
    a = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    b = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    k = n // 3
    b[:k] = a[:k]
    b[k:2 * k] = np.maximum(a[k:2 * k] + 0.1 * rng.standard_normal((k, d)), 0)
    return a, b


def write_certificate(tmp_path, a, b, eps=("0", "1/4", "1/10")):
    np.savez(tmp_path / "a.npz", h=a)
    np.savez(tmp_path / "b.npz", h=b)
    out = tmp_path / "certs"
    assert main(["compare", str(tmp_path / "a.npz"), str(tmp_path / "b.npz"), "--eps", ",".join(eps),
                 "--certificate-dir", str(out), "--certificate-form", "referenced", "--layout", "neurons-by-points"]) == 0
    return out / "layer-h.cert.json"


@pytest.fixture
def cert(tmp_path):
    a, b = relu_layers(18, 60)
    return write_certificate(tmp_path, a, b), a, b


def exact_sets(a, b, e):
    m = maximum_match(a.astype(np.float64).tolist(), b.astype(np.float64).tolist(), e)  # lists: the exact path
    return [list(m.x), list(m.y)]


def test_round_trip_matches_the_exact_path(cert, capsys):
    path, a, b = cert
    doc = json.loads(path.read_text())
    assert doc["format"] == LAYER_FORMAT
    assert "inputs" not in path.read_text()  # the data is referenced, not embedded
    for claim in doc["claims"]:
        if claim["kind"] == "maximum_approx_match":
            assert claim["equals"] == exact_sets(a, b, Fraction(claim["eps"]))
    for exhaustive in (False, True):
        report = checker.check_file(str(path), exhaustive)
        assert report["status"] == "valid", report
        assert len(report["claims"]) == 5
    assert "error probability < 2^-" in checker.check_file(str(path))["message"]
    assert main(["check", str(path), "--exhaustive"]) == 0
    assert "recomputed exactly" in capsys.readouterr().out


def rewrite(path: Path, arrays=None, doc=None):
    """Change witness arrays (a function of the dict of arrays) and/or the JSON, keeping the hashes right."""
    d = json.loads(path.read_text())
    if arrays is not None:
        wpath = path.parent / d["witness_file"]["file"]
        with np.load(wpath) as z:
            got = {k: z[k].copy() for k in z.files}
        arrays(got)
        np.savez_compressed(wpath, **got)
        d["witness_file"]["sha256"] = file_sha256(wpath)
    if doc is not None:
        doc(d)
    path.write_text(json.dumps(d))


def rejected(path, text, exhaustive=False):
    report = checker.check_file(str(path), exhaustive)
    assert report["status"] == "rejected", report
    messages = report["message"] + " ".join(c["message"] for c in report["claims"])
    assert text in messages, messages


def test_changed_data_file_is_rejected(cert):
    path, a, _ = cert
    a = a.copy()
    a[0, 0] += 1
    np.savez(path.parent.parent / "a.npz", h=a)
    rejected(path, "SHA-256")


def test_truncated_npz_is_rejected(cert):
    path, _, _ = cert
    d = json.loads(path.read_text())
    wpath = path.parent / d["witness_file"]["file"]
    wpath.write_bytes(wpath.read_bytes()[: wpath.stat().st_size // 2])
    d["witness_file"]["sha256"] = file_sha256(wpath)
    path.write_text(json.dumps(d))
    rejected(path, ".npz")


def test_truncated_data_npy_is_rejected(tmp_path):
    a, b = relu_layers(9, 30, seed=3)
    np.save(tmp_path / "h.npy", a)
    raw = (tmp_path / "h.npy").read_bytes()
    (tmp_path / "h.npy").write_bytes(raw[:-4])
    with pytest.raises(checker.Reject, match="truncated"):
        checker.data_rows(str(tmp_path), {"file": "h.npy", "sha256": file_sha256(tmp_path / "h.npy")}, "data.x")


def _match_claim(d):
    return next(c for c in d["claims"] if c["kind"] == "maximum_approx_match" and c["eps"] == "1/4")


def _product(C, G):
    """C G in Python integers (the oracle), as the writer's int64 limbs."""
    P = [[sum(int(c) * int(g) for c, g in zip(row, col)) for col in zip(*G)] for row in C]
    m = 2**62 - 1
    return np.array([[[x & m, (x >> 62) & m, x >> 124] for x in r] for r in P], dtype=np.int64)


def _gram(z, name):
    limbs = z[name]
    return [[sum(int(v) << (62 * k) for k, v in enumerate(e)) for e in row] for row in limbs]


@pytest.mark.parametrize("which", ["kept", "removed"])
def test_wrong_coefficient_is_rejected(cert, which):
    """A coefficient row changed, its product P = C G recomputed consistently: the exact test rejects it."""
    path, _, _ = cert
    d = json.loads(path.read_text())
    w = _match_claim(d)["witness"]
    row = w["x_in_y"][0][1] if which == "kept" else next(r for s, _, r in w["removals"] if s == "x")
    name = w["tables"]["x"]["dense"]

    def change(arrays):
        arrays[name][row] = 0 if which == "kept" else -arrays[name][row] * 4
        arrays[w["tables"]["x"]["products"]] = _product(arrays[name], _gram(arrays, "gyy"))

    rewrite(path, arrays=change)
    rejected(path, "within eps" if which == "kept" else "lower bound")


def test_wrong_coefficient_with_stale_product_fails_freivalds(cert):
    path, _, _ = cert
    d = json.loads(path.read_text())
    name = _match_claim(d)["witness"]["tables"]["y"]["dense"]

    def change(arrays):
        arrays[name][0, 0] += 1

    rewrite(path, arrays=change)
    rejected(path, "Freivalds")


def test_wrong_mu_certificate_is_rejected(cert):
    path, _, _ = cert
    rewrite(path, doc=lambda d: d["gram_bounds"]["y"].update(margin=str(int(d["gram_bounds"]["y"]["margin"]) << 40)))
    rejected(path, "diagonally dominant")


def test_wrong_factor_is_rejected_exactly_and_by_freivalds(cert):
    path, _, _ = cert

    def change(arrays):
        arrays["gbx_factor"][3, 1] += 1 << 20

    rewrite(path, arrays=change)
    rejected(path, "Freivalds")
    rejected(path, "diagonally dominant", exhaustive=True)


@pytest.mark.parametrize("where", ["removal row", "kept row", "neuron"])
def test_reference_out_of_range_is_rejected(cert, where):
    path, _, _ = cert

    def change(d):
        w = _match_claim(d)["witness"]
        if where == "removal row":
            w["removals"][0][2] = 10**6
        elif where == "kept row":
            w["x_in_y"][0][1] = -1
        else:
            w["removals"][0][1] = 10**6

    rewrite(path, doc=change)
    rejected(path, "out of range" if where != "neuron" else "not a neuron")


def test_freivalds_rejects_a_product_wrong_in_one_entry(cert):
    """One entry of X Y^T off by one: Freivalds' test rejects it (error probability < 2^-120), and so does --exhaustive."""
    path, _, _ = cert

    def change(arrays):
        arrays["gxy"][5, 7, 0] += 1

    rewrite(path, arrays=change)
    for _ in range(3):  # fresh randomness each time
        rejected(path, "Freivalds")
    rejected(path, "grams.xy", exhaustive=True)


def test_claimed_sets_and_verdict_must_follow(cert):
    path, _, _ = cert
    rewrite(path, doc=lambda d: _match_claim(d).update(equals=[[], []]))
    rejected(path, "verdict does not follow")


def test_unknown_field_and_bad_format_are_rejected(cert):
    path, _, _ = cert
    rewrite(path, doc=lambda d: _match_claim(d)["witness"].update(extra=1))
    rejected(path, "unknown field")


def test_tie_at_exactly_eps_and_written_data(tmp_path):
    """x0 = (4, 3) at relative distance exactly 3/5 from span (1, 0): kept at eps = 3/5, removed below (no file inputs)."""
    A = IntRows.of([(Fraction(4), Fraction(3)), (Fraction(0), Fraction(1))])
    B = IntRows.of([(Fraction(1), Fraction(0))])
    (report,) = compare_layers([("t", A, B)], eps=["3/5", "1/2", "0"])
    path = layer_certificate(tmp_path, "t", A, B, report)
    assert path is not None
    d = json.loads(path.read_text())
    assert [c["equals"] for c in d["claims"][2:]] == [[[0], [0]], [[], []], [[], []]]
    assert checker.check_file(str(path))["status"] == "valid"
    assert checker.check_file(str(path), True)["status"] == "valid"


def test_rank_deficient_layer_falls_back_to_the_embedded_form(tmp_path):
    a = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 1.0, 1.0]])
    b = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 1.0]])
    np.savez(tmp_path / "a.npz", h=a)
    np.savez(tmp_path / "b.npz", h=b)
    out = tmp_path / "c"
    assert main(["compare", str(tmp_path / "a.npz"), str(tmp_path / "b.npz"), "--certificate-dir", str(out), "--layout", "neurons-by-points"]) == 0
    doc = json.loads((out / "layer-h.cert.json").read_text())
    assert doc["format"] == checker.FORMAT
    assert checker.check_file(str(out / "layer-h.cert.json"))["status"] == "valid"


def test_data_rows_transposed_reference(tmp_path):
    a, b = relu_layers(9, 40, seed=5)
    np.save(tmp_path / "a.npy", np.ascontiguousarray(a.T))  # points x neurons, C order
    ref = array_reference(tmp_path / "a.npy", tmp_path, transpose=True)
    R = checker.data_rows(str(tmp_path), ref, "data.x")
    assert [[Fraction(x, s) for x in r] for r, s in zip(R.ints, R.scale)] == [[Fraction(float(x)) for x in r] for r in a]


# --- the standard-library readers against NumPy and Fraction ---------------------------------


@pytest.mark.parametrize("dtype", ["<f4", "<f8", "<i4", "<i8", "|u1", "|i1", "<u2"])
def test_npy_reader_agrees_with_numpy(dtype):
    rng = np.random.default_rng(1)
    a = (rng.standard_normal((3, 5)) * 50).astype(dtype)
    buf = io.BytesIO()
    np.save(buf, a)
    shape, flat, _ = checker.npy_array(buf.getvalue(), "t")
    assert shape == (3, 5) and flat == a.ravel().tolist()


@pytest.mark.parametrize("a", [np.zeros((2, 2), dtype=">f4"), np.asfortranarray(np.ones((2, 3))),
                               np.zeros((2, 2), dtype=np.float16), np.array([[1, None]], dtype=object)])
def test_npy_reader_refuses_other_layouts(a):
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=True)
    with pytest.raises(checker.Reject, match="unsupported"):
        checker.npy_array(buf.getvalue(), "t")


finite = st.floats(allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=1, max_size=8))
def test_float_row_is_the_least_common_denominator(row):
    ints, scale = checker.float_row(row, 24)
    q = math.lcm(*(Fraction(x).denominator for x in row))
    assert scale == q and ints == [int(Fraction(x) * q) for x in row]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-(2**70), 2**70), min_size=1, max_size=12), st.sampled_from([80, 96, 160]))
def test_pack_unpack(values, width):
    x = checker.pack(values, width)
    assert x == sum(v << (width * j) for j, v in enumerate(values))
    assert checker.unpack(x, len(values), width) == values


def test_gram_exact_agrees_with_python_integers():
    R, S = checker.Rows([[1, -2, 3], [0, 5, 7]], [1, 1]), checker.Rows([[2**60, 1, -1]], [1])
    assert checker.gram_exact(R, S) == [[sum(x * y for x, y in zip(r, s)) for s in S.ints] for r in R.ints]


@pytest.mark.slow
def test_larger_layer_round_trip(tmp_path):
    a, b = relu_layers(96, 1500, seed=2)
    path = write_certificate(tmp_path, a, b, eps=("0", "1/4"))
    assert checker.check_file(str(path))["status"] == "valid"
    d = json.loads(path.read_text())
    assert _match_claim(d)["equals"] == exact_sets(a, b, Fraction(1, 4))


def test_dead_neurons_and_a_zero_side(tmp_path):
    """Zero rows (dead ReLU neurons) are matched as zero vectors; a side of zeros has dimension 0."""
    a, b = relu_layers(12, 50, seed=7)
    a[3] = 0
    b[[0, 5]] = 0
    path = write_certificate(tmp_path, a, b, eps=("0", "1/4"))
    d = json.loads(path.read_text())
    w = _match_claim(d)["witness"]
    assert 3 in w["zero_x"] and {0, 5} <= set(w["zero_y"])
    assert _match_claim(d)["equals"] == exact_sets(a, b, Fraction(1, 4))
    assert checker.check_file(str(path))["status"] == "valid"
    A, B = IntRows.from_array(np.zeros((2, 5))), IntRows.from_array(np.ones((1, 5)))
    (report,) = compare_layers([("z", A, B)], eps=["0"])
    zpath = layer_certificate(tmp_path / "z", "z", A, B, report) if (tmp_path / "z").mkdir() is None else None
    assert checker.check_file(str(zpath), True)["status"] == "valid"
    assert [c["equals"] for c in json.loads(zpath.read_text())["claims"]][:2] == [0, 1]


def _paths(obj, prefix=()):
    """Every (path, value) of a JSON document, lists cut to their first two entries."""
    yield prefix, obj
    items = obj.items() if isinstance(obj, dict) else enumerate(obj[:2]) if isinstance(obj, list) else ()
    for k, v in items:
        yield from _paths(v, prefix + (k,))


def test_wrong_types_anywhere_are_rejected_not_crashes(tmp_path):
    a, b = relu_layers(6, 20, seed=4)
    path = write_certificate(tmp_path, a, b, eps=("1/4",))
    original = path.read_text()
    doc = json.loads(original)
    seen = 0
    for where, value in list(_paths(doc)):
        if not where or where == ("format",):
            continue
        for bad in (None, [], {}, "x", -1, 1.5, True):
            if bad == value and type(bad) is type(value):
                continue
            d = json.loads(original)
            target = d
            for k in where[:-1]:
                target = target[k]
            target[where[-1]] = bad
            path.write_text(json.dumps(d))
            report = checker.check_file(str(path))
            seen += 1
            if report["status"] == "valid":  # only where the value is not read at all (generator, layer name)
                # still true: an id is a label; both sides have dimension 6, so side "x" for "y" is a true claim
                harmless = where[0] in ("generator", "layer") or (where[-1], bad) in (("id", "x"), ("side", "x"))
                assert harmless, (where, bad)
    assert seen > 100


def test_near_tie_removal_keeps_the_exact_orthogonal_witness(tmp_path):
    """Relative distance^2 1/5 against eps^2 below it by ~2^-130: no float lower bound proves that, the exact residual does."""
    A = IntRows.of([(Fraction(1), Fraction(1))])
    B = IntRows.of([(Fraction(3), Fraction(1))])
    eps = Fraction(math.isqrt(2**260 // 5), 2**130)
    assert eps * eps < Fraction(1, 5) < eps * eps + Fraction(1, 2**128)
    (report,) = compare_layers([("t", A, B)], eps=[str(eps)])
    path = layer_certificate(tmp_path, "t", A, B, report)
    w = json.loads(path.read_text())["claims"][2]["witness"]
    assert w["x"] == w["y"] == [] and isinstance(w["removals"][0][2], dict)  # the second is against nothing
    assert checker.check_file(str(path))["status"] == "valid"
    rewrite(path, doc=lambda d: d["claims"][2]["witness"]["removals"][0][2].update(product="1"))
    rejected(path, "not the stated non-zero value")


def test_rows_not_exact_in_float64_are_never_written_as_data(tmp_path):
    """Rows over 3 (rational input) would round in float64: the certificate must not reference such data."""
    from symrep.certificates.layer import written_reference

    exact = IntRows([[1, 2], [3, 4]], [2, 8], 2)
    assert written_reference(exact, tmp_path) is not None
    assert written_reference(IntRows([[1, 2], [3, 4]], [3, 1], 2), tmp_path) is None
