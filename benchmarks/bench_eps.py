#!/usr/bin/env python3
"""Certified maximum eps-match (eps > 0) versus Wang et al.'s batched float algorithm, same data, same run.

Two float32 ReLU layers of n neurons over d data points: a third of B's rows are A's rows, a
third are A's rows plus noise (0.1 per entry, then ReLU), a third are independent.  For each
eps in {1/10, 1/4, 1/2}, the float algorithm (one batched ``numpy.linalg.lstsq`` per side and
round, as in benchmarks/bench_match.py) and ``symrep.maximum_match(a, b, eps)`` (exact
conversion of the float32 values included; certified path) are timed on the same arrays.
Each (case, algorithm) runs in a fresh subprocess so that its peak memory is its own.

    python3 benchmarks/bench_eps.py                     # 64x2000 128x2000 256x2000
    python3 benchmarks/bench_eps.py --cases 512x10000
    python3 benchmarks/bench_eps.py --large             # 512x10000 at 1/10 and every eps of Wang et al.

Children run with one BLAS thread (OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=1, both
sides alike) unless ``--threads`` says otherwise.

On a shared machine, run both sides with one BLAS thread (``OPENBLAS_NUM_THREADS=1
OMP_NUM_THREADS=1``): multi-threaded BLAS under load makes the float times erratic (64 x 2,000
took 0.05 s with one thread and 2-5 s with two, in the same minute).

The "products" column is the share of the certified time spent in exact integer products
(``_gram``, ``_cross``, ``_mul`` of symrep/measures/certified.py), the part a faster
multi-modular product module replaces.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from fractions import Fraction

from bench_match import float_maximum_match  # Wang et al.'s algorithm in float: one copy for both benchmarks

DEFAULT = ["64x2000", "128x2000", "256x2000"]
EPS = ("1/10", "1/4", "1/2")
WANG = ("1/10", "3/20", "1/5", "1/4", "3/10", "1/2")  # 0.15, 0.2, 0.25, 0.3, 0.5 of Wang et al. (2018), and 1/10


def layers(n: int, d: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    a = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    b = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    k = n // 3
    b[:k] = a[:k]
    b[k:2 * k] = np.maximum(a[k:2 * k] + 0.1 * rng.standard_normal((k, d)), 0)
    return a, b


def run_case(n: int, d: int, which: str, eps_list=EPS) -> list[dict]:
    a, b = layers(n, d)
    out = []
    spent = [0.0]
    if which == "certified":
        from symrep.measures import certified

        for name in ("_gram", "_cross", "_mul"):  # time the exact products (the replaceable part)
            f = getattr(certified, name)

            def timed(*args, _f=f):
                t0 = time.perf_counter()
                try:
                    return _f(*args)
                finally:
                    spent[0] += time.perf_counter() - t0
            setattr(certified, name, timed)
    for eps in eps_list:
        spent[0] = 0.0
        t = time.perf_counter()
        if which == "float":
            x, y = float_maximum_match(a, b, float(Fraction(eps)), per_neuron=False)  # batched, as their code
            matched, bounds = [len(x), len(y)], None
        else:
            import symrep

            m = symrep.maximum_match(a, b, eps)
            matched = [len(m.x), len(m.y)]
            bounds = sum(r.bound is not None for r in m.removals), len(m.removals)
        seconds = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.append({"n": n, "d": d, "eps": eps, "which": which, "seconds": seconds, "matched": matched,
                    "peak_mib": peak, "products": spent[0], "bound_removals": bounds})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", nargs="*", metavar="NxD", default=DEFAULT)
    ap.add_argument("--eps", nargs="*", metavar="P/Q", help="eps values (default 1/10 1/4 1/2)")
    ap.add_argument("--large", action="store_true", help="512x10000 at every eps of Wang et al. and 1/10")
    ap.add_argument("--threads", default="1", help="BLAS threads of every child process (default 1)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--which", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        n, d = map(int, args.case.split("x"))
        print(json.dumps(run_case(n, d, args.which, tuple(args.eps or EPS))))
        return
    if args.large:
        args.cases, args.eps = ["512x10000"], args.eps or list(WANG)
    eps_list = list(args.eps or EPS)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=args.threads, OMP_NUM_THREADS=args.threads, MKL_NUM_THREADS=args.threads)
    if not args.json:
        print("command:", " ".join([sys.executable, *sys.argv]), f"(children: OPENBLAS_NUM_THREADS={args.threads})")
        print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if not args.json:
        print(f"{'n':>4} {'d':>6} {'eps':>5} | {'float s':>8} {'matched':>9} | {'certified s':>11} {'matched':>9} "
              f"{'products':>8} {'bound/rem':>9} {'peak MiB':>8} | {'ratio':>6}")
    for case in args.cases:
        n, d = map(int, case.split("x"))
        got = {}
        for which in ("float", "certified"):
            res = subprocess.run([sys.executable, __file__, "--case", case, "--which", which, "--eps", *eps_list],
                                 capture_output=True, text=True, check=True, env=env)
            got[which] = json.loads(res.stdout)
        for f, c in zip(got["float"], got["certified"]):
            row = {"float": f, "certified": c, "ratio": c["seconds"] / f["seconds"]}
            if args.json:
                print(json.dumps(row))
                continue
            print(f"{n:>4} {d:>6} {f['eps']:>5} | {f['seconds']:>8.2f} {'%d+%d' % tuple(f['matched']):>9} | "
                  f"{c['seconds']:>11.2f} {'%d+%d' % tuple(c['matched']):>9} {c['products'] / c['seconds']:>7.0%} "
                  f"{'%d/%d' % tuple(c['bound_removals']):>9} {c['peak_mib']:>8.0f} | {row['ratio']:>6.2f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
