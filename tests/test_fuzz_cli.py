"""Fuzzing from the user's side: random mutations of valid claim files, certificates and .npz files.

Each example writes a mutated file and runs the command a user would (``symrep verify``,
``symrep check`` and the stand-alone checker, ``symrep compare``) in-process through their entry
points, asserting only a clean exit: status 0, 1, 2 (or 3, undecided) and no exception escaping
(which pytest would report as the failure, with its traceback).  What the verdicts are is the
business of the other tests.  Inputs start small, so each example is cheap; the default example
count keeps the fast suite short, and ``-m slow`` runs many more examples, each in a subprocess
with a memory limit and a time limit.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symrep import checker, cli
from symrep.certificates import certify
from symrep.claims import loads_claim_file

ROOT = Path(__file__).resolve().parent.parent
CLEAN = {0, 1, 2, 3}

CLAIM_FILE = """\
title = "fuzz seed"
[data]
inputs = [[1, 1], [-1, -1], [1, 0], ["1/2", -2]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1], [0, 0]], activation = "relu" },
           { weights = [[1, -1, 0], [1, -1, 1]], activation = "identity" } ]
[networks.g]
layers = [ { weights = [[1, -2], [0, -1], ["1/2", "1/2"]], activation = "relu", bias = [0, 0, "-1/3"] },
           { weights = [[1, -1, 0], [1, -1, 0]], activation = "identity" } ]
[[claims]]
id = "dim"
kind = "dimension"
network = "f"
layer = 1
equals = 2
[[claims]]
id = "max"
kind = "maximum_match"
networks = ["f", "g"]
layer = 1
equals = [[0, 1, 2], [1, 2]]
[[claims]]
id = "eps"
kind = "approx_match"
networks = ["f", "g"]
layer = 2
eps = "1/2"
[[claims]]
id = "simple"
kind = "simple_matches"
networks = ["f", "g"]
layer = 2
equals = []
[[claims]]
id = "ladder"
kind = "equivalence"
networks = ["f", "g"]
layer = 1
level = "orthogonal"
[[claims]]
id = "cka"
kind = "cka"
networks = ["f", "g"]
layer = 1
at_least = "1/2"
[[claims]]
id = "fun"
kind = "equal_functions"
networks = ["f", "g"]
domain = [[-1, 1], [-1, 1]]
"""

CERTIFICATE = json.dumps(certify(loads_claim_file(CLAIM_FILE, "seed.toml")))

TOKENS = ["[", "]", "{", "}", "=", ",", '"', "\n", "-", "/", ".", "0", "1", "9" * 50, "1e400", "1e-401", "nan", "inf",
          "true", "relu", "identity", "layer", "weights", "eps", "1/0", "[[claims]]", "kind", "\\u0000", "\x1b[2J"]


@st.composite
def text_mutation(draw, text: str) -> str:
    """The text with a few slices replaced by tokens, deleted or repeated."""
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 12)))
        how = draw(st.sampled_from(["replace", "delete", "repeat"]))
        if how == "replace":
            text = text[:i] + "".join(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=3))) + text[j:]
        elif how == "delete":
            text = text[:i] + text[j:]
        else:
            text = text[:i] + text[i:j] * draw(st.integers(2, 6)) + text[j:]
    return text


JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**30), st.floats(allow_nan=True),
                        st.sampled_from(["0", "1/2", "-1", "1/0", "x", "9" * 30000, "", "relu", "+", "-"]),
                        st.lists(st.sampled_from(["0", "1", 0, 1]), max_size=4), st.just({}))


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for k, v in enumerate(doc):
            yield from _paths(v, prefix + (k,))


@st.composite
def json_mutation(draw, text: str):
    """The certificate with a few values replaced, deleted, or list entries repeated (a JSON tree edit)."""
    doc = json.loads(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        how = draw(st.sampled_from(["value", "value", "delete", "repeat"]))
        if how == "value":
            parent[key] = draw(JSON_VALUES)
        elif how == "delete":
            del parent[key]
        elif isinstance(parent[key], list) and parent[key]:
            parent[key] = parent[key] * draw(st.integers(2, 5))
        else:
            parent[key] = [parent[key]] * 3
    return json.dumps(doc)


def _npz_bytes(arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


@st.composite
def npz_mutation(draw):
    """A .npz of two small layers with a few bytes of its member headers (or a member's name) changed."""
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    arrays = {"hidden": rng.standard_normal((5, 3)), "out": rng.standard_normal((5, 2))}
    raw = bytearray(_npz_bytes(arrays))
    # the .npy headers sit after each zip local header: mutate within the first 160 bytes of each member
    starts = [k for k in range(len(raw) - 6) if raw[k:k + 6] == b"\x93NUMPY"]
    for _ in range(draw(st.integers(1, 4))):
        base = draw(st.sampled_from(starts))
        k = base + draw(st.integers(0, 150))
        if k < len(raw):
            raw[k] = draw(st.sampled_from(list(b"0123456789(),' {}:FTLUfbi<>|") + [0, 255]))
    return bytes(raw)


def _run_cli(argv, capsys) -> int:
    status = cli.main([str(a) for a in argv])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    return status


FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@FAST
@given(text_mutation(CLAIM_FILE))
def test_mutated_claim_files_exit_cleanly(tmp_path, capsys, text):
    path = tmp_path / "fuzz.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert _run_cli(["verify", path, "--timeout", "5"], capsys) in CLEAN


@FAST
@given(json_mutation(CERTIFICATE))
def test_mutated_certificates_exit_cleanly(tmp_path, capsys, text):
    path = tmp_path / "fuzz.cert.json"
    path.write_text(text)
    assert _run_cli(["check", path], capsys) in CLEAN
    assert checker.main([str(path)]) in CLEAN
    capsys.readouterr()


@FAST
@given(npz_mutation())
def test_mutated_npz_files_exit_cleanly(tmp_path, capsys, raw):
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    a.write_bytes(raw)
    b.write_bytes(_npz_bytes({"hidden": np.ones((5, 3)), "out": np.zeros((5, 2))}))
    assert _run_cli(["compare", a, b, "--data-rows"], capsys) in CLEAN


def test_the_seeds_are_valid(tmp_path, capsys):
    # unmutated, every seed is read and decided: a mutation test that starts from a broken seed tests nothing
    path = tmp_path / "seed.toml"
    path.write_text(CLAIM_FILE)
    assert _run_cli(["verify", path], capsys) in (0, 1)
    cert = tmp_path / "seed.cert.json"
    cert.write_text(CERTIFICATE)
    assert checker.main([str(cert)]) == 0
    a = tmp_path / "a.npz"
    a.write_bytes(_npz_bytes({"hidden": np.eye(5)[:, :3], "out": np.ones((5, 2))}))
    assert zipfile.is_zipfile(a)
    assert _run_cli(["compare", a, a, "--data-rows"], capsys) == 0


# --- the slow set: many more examples, each in a subprocess under a memory and a time limit ---------

_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))
from symrep import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def _limited(argv, tmp_path) -> tuple[int, str]:
    r = subprocess.run([sys.executable, "-c", _LIMITED, *map(str, argv)], capture_output=True, text=True, timeout=120,
                       cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return r.returncode, r.stderr


SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.mark.slow
@SLOW
@given(st.one_of(text_mutation(CLAIM_FILE).map(lambda t: ("toml", t)), json_mutation(CERTIFICATE).map(lambda t: ("json", t)),
                 npz_mutation().map(lambda b: ("npz", b))))
def test_many_mutations_exit_cleanly_within_limits(tmp_path, case):
    what, content = case
    if what == "npz":
        path = tmp_path / "a.npz"
        path.write_bytes(content)
        argv = ["compare", path, path, "--data-rows"]
    else:
        path = tmp_path / ("f.toml" if what == "toml" else "f.cert.json")
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        argv = ["verify", path, "--timeout", "20"] if what == "toml" else ["check", path]
    status, err = _limited(argv, tmp_path)
    assert status in CLEAN and "Traceback" not in err, err[-2000:]
