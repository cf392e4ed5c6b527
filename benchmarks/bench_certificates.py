#!/usr/bin/env python3
"""Certificate generation versus checking time, for growing layers.

Each case is a claim file with one hidden ReLU layer of n neurons in two networks that
share half their neurons, evaluated on d data points (small random integers, so the
activations are exact integers), with three claims: the maximum match at the hidden layer,
the dimension of one hidden span, and isomorphism of the two spans. The table gives the
time symrep takes to decide the claims and write the certificate, and the time the
standalone checker (standard library only) takes to re-check it.

    python3 benchmarks/bench_certificates.py            # the default grid
    python3 benchmarks/bench_certificates.py --quick
    python3 benchmarks/bench_certificates.py --cases 64x1024 256x4096

Layer certificates (``symrep compare --certificate-dir``, the form that references the data by
SHA-256 and keeps its witness in a .npz): two float32 ReLU layers of n neurons over d points
(a third of B's rows are A's, a third A's plus noise, a third independent, as in bench_eps.py),
eps in {0, 1/4}.  Each step runs in a fresh subprocess (its own peak memory, one BLAS thread):
``compare`` without and with ``--certificate-dir`` (deciding vs generating), then the
standalone checker (standard library only).  Sizes: the certificate (JSON + witness .npz) vs
the two input arrays as .npz.

    python3 benchmarks/bench_certificates.py --layer             # 64x1000 (small, the default)
    python3 benchmarks/bench_certificates.py --size 512x10000    # Wang et al.'s scale
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRID = [(8, 16), (8, 256), (32, 256), (32, 1024), (64, 1024), (128, 1024), (64, 4096), (256, 4096)]
QUICK = [(8, 16), (8, 256), (32, 256), (32, 1024)]


def problem_text(n: int, d: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    m = min(n, 24)  # input width: the hidden spans then have dimension up to n (ReLU breaks linearity)
    inputs = [[rng.randint(-3, 3) for _ in range(m)] for _ in range(d)]
    w_f = [[rng.randint(-2, 2) for _ in range(m)] for _ in range(n)]
    w_g = w_f[: n // 2] + [[rng.randint(-2, 2) for _ in range(m)] for _ in range(n - n // 2)]

    def mat(rows):
        return "[" + ", ".join("[" + ", ".join(map(str, r)) + "]" for r in rows) + "]"

    return f"""
title = "benchmark {n}x{d}"
[data]
inputs = {mat(inputs)}
[networks.f]
layers = [{{ weights = {mat(w_f)}, activation = "relu" }}]
[networks.g]
layers = [{{ weights = {mat(w_g)}, activation = "relu" }}]
[[claims]]
id = "max"
kind = "maximum_match"
networks = ["f", "g"]
layer = 1
equals = [[], []]
expect = false
[[claims]]
id = "dim"
kind = "dimension"
network = "f"
layer = 1
equals = 0
expect = false
[[claims]]
id = "iso"
kind = "isomorphic"
networks = ["f", "g"]
layer = 1
"""


def run(n: int, d: int) -> dict:
    from symrep import checker
    from symrep.certificates import certify, dump_certificate
    from symrep.claims import loads_claim_file

    problem = loads_claim_file(problem_text(n, d))
    t = time.perf_counter()
    text = dump_certificate(certify(problem))
    gen = time.perf_counter() - t
    t = time.perf_counter()
    reports = checker.check_certificate(json.loads(text))
    chk = time.perf_counter() - t
    assert all(r["valid"] for r in reports), reports
    return {"n": n, "d": d, "generate_s": gen, "check_s": chk, "bytes": len(text)}


_CHILD = """
import json, resource, sys, time
mode, a, b, eps, out = sys.argv[1:6]
t = time.perf_counter()
if mode == "check":
    from symrep import checker
    status = checker.main([out])
else:
    from symrep.cli.app import main
    cert = ["--certificate-dir", out] if mode == "generate" else []
    status = main(["compare", a, b, "--eps", eps, "--layout", "neurons-by-points"] + cert)
sec = time.perf_counter() - t
print(json.dumps({"seconds": sec, "status": status, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(mode: str, a: str, b: str, eps: str, out: str) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1])] + [p for p in [env.get("PYTHONPATH")] if p])
    got = subprocess.run([sys.executable, "-c", _CHILD, mode, a, b, eps, out], capture_output=True, text=True, env=env)
    lines = [ln for ln in got.stdout.splitlines() if ln.startswith("{")]
    if got.returncode or not lines or json.loads(lines[-1])["status"] != 0:
        raise SystemExit(f"{mode} failed: {got.stderr[-2000:]}")
    return json.loads(lines[-1])


def layer_case(n: int, d: int, eps: str = "0,1/4") -> dict:
    """Deciding, generating and checking a layer certificate of two n x d float32 ReLU layers."""
    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_eps import layers

    a, b = layers(n, d)
    with tempfile.TemporaryDirectory() as tmp:
        pa, pb, out = Path(tmp) / "a.npz", Path(tmp) / "b.npz", Path(tmp) / "certs"
        np.savez(pa, h=a)
        np.savez(pb, h=b)
        decide = _child("decide", str(pa), str(pb), eps, str(out))
        gen = _child("generate", str(pa), str(pb), eps, str(out))
        cert = out / "layer-h.cert.json"
        chk = _child("check", str(pa), str(pb), eps, str(cert))
        size = sum(f.stat().st_size for f in out.iterdir())
        inputs = pa.stat().st_size + pb.stat().st_size
    return {"n": n, "d": d, "eps": eps, "decide_s": decide["seconds"], "generate_s": gen["seconds"],
            "check_s": chk["seconds"], "certificate_bytes": size, "inputs_bytes": inputs,
            "peak_mib": {"decide": decide["peak_mib"], "generate": gen["peak_mib"], "check": chk["peak_mib"]}}


def layer_table(sizes: list[str], as_json: bool) -> None:
    if not as_json:
        print(f"{'layer':>10} | {'decide s':>8} {'generate s':>10} {'gen/dec':>7} {'check s':>8} {'chk/gen':>7} | "
              f"{'cert MiB':>8} {'inputs MiB':>10} {'ratio':>5} | peak MiB decide/generate/check")
    for size in sizes:
        n, d = map(int, size.split("x"))
        r = layer_case(n, d)
        if as_json:
            print(json.dumps(r))
        else:
            p = r["peak_mib"]
            print(f"{size:>10} | {r['decide_s']:>8.2f} {r['generate_s']:>10.2f} {r['generate_s'] / r['decide_s']:>7.2f} "
                  f"{r['check_s']:>8.2f} {r['check_s'] / r['generate_s']:>7.2f} | {r['certificate_bytes'] / 2**20:>8.1f} "
                  f"{r['inputs_bytes'] / 2**20:>10.1f} {r['certificate_bytes'] / r['inputs_bytes']:>5.2f} | "
                  f"{p['decide']:.0f}/{p['generate']:.0f}/{p['check']:.0f}")
        sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cases", nargs="*", metavar="NxD")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--layer", action="store_true", help="the layer-certificate table at 64x1000")
    ap.add_argument("--size", nargs="*", metavar="NxD", help="the layer-certificate table at these sizes (e.g. 512x10000)")
    args = ap.parse_args()
    if args.layer or args.size:
        layer_table(args.size or ["64x1000"], args.json)
        return
    cases = [tuple(map(int, c.split("x"))) for c in args.cases] if args.cases else (QUICK if args.quick else GRID)
    if not args.json:
        print(f"{'neurons':>7} {'points':>6} | {'generate s':>10} {'check s':>8} {'size KiB':>9}")
    for n, d in cases:
        r = run(n, d)
        if args.json:
            print(json.dumps(r))
        else:
            print(f"{n:>7} {d:>6} | {r['generate_s']:>10.2f} {r['check_s']:>8.2f} {r['bytes'] / 1024:>9.0f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
