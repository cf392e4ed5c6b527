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
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cases", nargs="*", metavar="NxD")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
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
