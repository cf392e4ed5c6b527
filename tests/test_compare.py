"""`symrep compare`: the report's numbers are the library's, certificates check, bad input is exit 2."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

np = pytest.importorskip("numpy")

from symrep import checker, maximum_match  # noqa: E402
from symrep.cli import main  # noqa: E402
from symrep.compare import compare_layers  # noqa: E402
from symrep.measures.equivalence import cka_squared  # noqa: E402
from symrep.exact.linalg import span_basis  # noqa: E402


@pytest.fixture
def activation_files(tmp_path):
    rng = np.random.default_rng(3)
    a1 = np.maximum(rng.standard_normal((6, 12)), 0).astype(np.float32)
    b1 = a1.copy()
    b1[3:] = np.maximum(rng.standard_normal((3, 12)), 0)
    a2 = rng.standard_normal((4, 12))
    b2 = a2[[1, 0, 3, 2]] * 4.0  # permuted and rescaled by a power of two (exact): a full match
    # a1 ... b2 have one row per neuron; files store one row per data point (the default layout since issue 12).
    np.savez(tmp_path / "a.npz", hidden=a1.T, out=a2.T)
    np.savez(tmp_path / "b.npz", hidden=b1.T, out=b2.T)
    return tmp_path, {"hidden": (a1, b1), "out": (a2, b2)}


def test_report_numbers_are_the_librarys(activation_files, capsys):
    path, layers = activation_files
    assert main(["compare", str(path / "a.npz"), str(path / "b.npz"), "--eps", "0,1/4", "--ladder", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    for entry in doc["layers"]:
        a, b = layers[entry["layer"]]
        assert entry["dimensions"] == [span_basis(np_rows(a)).rank, span_basis(np_rows(b)).rank]
        for m in entry["matches"]:
            lib = maximum_match(a, b, Fraction(m["eps"]))
            assert (m["x"], m["y"]) == (list(lib.x), list(lib.y))
            assert Fraction(m["similarity"]) == lib.similarity
        assert Fraction(entry["cka_squared"]) == cka_squared(np_rows(a), np_rows(b))
    out = next(e for e in doc["layers"] if e["layer"] == "out")
    assert out["matches"][0]["similarity"] == "1"
    ladder = {s["level"]: s["holds"] for s in out["ladder"]}
    assert ladder["scaled_permutation"] and not ladder["permutation"]


def np_rows(a):
    return [[Fraction(float(x)) for x in row] for row in a]


def test_certificates_per_layer_check(activation_files, tmp_path, capsys):
    path, _ = activation_files
    out = tmp_path / "certs"
    assert main(["compare", str(path / "a.npz"), str(path / "b.npz"), "--certificate-dir", str(out)]) == 0
    files = sorted(out.glob("*.cert.json"))
    assert len(files) == 2
    for f in files:
        report = checker.check_file(str(f))
        assert report["status"] == "valid", report


def test_compare_layers_agrees_with_maximum_match():
    A = [[1, 0, 0], [0, 1, 0]]
    B = [[0, 2, 0], [1, 1, 1]]
    (r,) = compare_layers([("l", A, B)], eps=["0", "1/2"])
    for e, m in r.matches:
        assert (m.x, m.y) == (maximum_match(A, B, e).x, maximum_match(A, B, e).y)


@pytest.mark.parametrize(
    "args, message",
    [
        (["only-one.npz"], "two activation or network files"),
        (["a.npz", "b.npz", "--eps", "-1"], "eps"),
        (["a.npz", "b.npz", "--eps", "nan"], "not a finite number"),
        (["a.npz", "b.npz", "--layers", "x"], "--layers"),
        (["a.npz", "b.npz", "--layers", "7"], "no layer"),
        (["a.npz", "missing.npz"], "missing.npz"),
        (["a.npz", "b.txt"], "unknown file type"),
    ],
)
def test_bad_input_is_exit_2_with_a_message(activation_files, capsys, args, message):
    path, _ = activation_files
    (path / "b.txt").write_text("x")
    argv = ["compare"] + [str(path / a) if a.endswith((".npz", ".txt")) else a for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
