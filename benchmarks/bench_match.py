#!/usr/bin/env python3
"""Exact maximum match versus Wang et al.'s floating-point algorithm, on the same data.

Two float32 ReLU layers of n neurons over d data points share n/2 rows exactly; the other
rows are independent random ReLU activations.  The exact maximum match is therefore
n/2 + n/2.  Each case runs in a fresh subprocess so that its peak memory is its own.

    python3 benchmarks/bench_match.py                  # the full grid (a few minutes)
    python3 benchmarks/bench_match.py --quick          # small cases only
    python3 benchmarks/bench_match.py --cases 256x4000 512x10000

The float algorithm follows the description in Wang et al. (NeurIPS 2018) and their
public code: drop vectors of norm <= 1e-16, then alternately drop every vector whose
least-squares relative distance to the other side's span exceeds eps (here eps = 0).
Two variants are timed: "float", one ``numpy.linalg.lstsq`` per neuron (the baseline the
project's issue names), and "batched", one ``lstsq`` with every neuron as a right-hand side
per side and round (their code's ``dists2plane``, a stronger baseline).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

GRID = [(n, d) for n in (64, 256, 512) for d in (1000, 4000, 10000)]
QUICK = [(64, 1000), (256, 1000), (256, 4000)]


def layers(n: int, d: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    a = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    b = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    b[: n // 2] = a[: n // 2]
    return a, b


def float_maximum_match(a, b, eps: float = 0.0, zero: float = 1e-16, per_neuron: bool = True):
    """Wang et al.'s algorithm in floating point: indices (x, y) of the maximum eps-match.

    ``per_neuron``: one least-squares problem per neuron (as the issue describes the baseline);
    otherwise one batched least-squares call per side and round (as their code's dists2plane).
    """
    import numpy as np

    a, b = a.astype(np.float64), b.astype(np.float64)
    x = np.where(np.linalg.norm(a, axis=1) > zero)[0]
    y = np.where(np.linalg.norm(b, axis=1) > zero)[0]

    def keep(src, idx, other, oidx):
        if len(oidx) == 0:
            return idx[:0]
        basis = other[oidx].T
        if per_neuron:
            dist = np.array([np.linalg.norm(basis @ np.linalg.lstsq(basis, src[i], rcond=None)[0] - src[i])
                             / np.linalg.norm(src[i]) for i in idx])
        else:
            target = src[idx].T
            sol = np.linalg.lstsq(basis, target, rcond=None)[0]
            dist = np.linalg.norm(basis @ sol - target, axis=0) / np.linalg.norm(target, axis=0)
        return idx[dist <= eps]

    while len(x) and len(y):
        nx = keep(a, x, b, y)
        ny = keep(b, y, a, nx)
        if len(nx) == len(x) and len(ny) == len(y):
            break
        x, y = nx, ny
    if not len(x) or not len(y):
        x, y = x[:0], y[:0]
    return x, y


def run_case(n: int, d: int, which: str) -> dict:
    a, b = layers(n, d)
    t = time.perf_counter()
    if which in ("float", "batched"):
        x, y = float_maximum_match(a, b, per_neuron=which == "float")
        matched = [len(x), len(y)]
    else:
        import symrep

        m = symrep.maximum_match(a, b)  # exact conversion of the float32 values included
        matched = [len(m.x), len(m.y)]
    seconds = time.perf_counter() - t
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "d": d, "which": which, "seconds": seconds, "matched": matched, "peak_mib": peak_mib}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small cases only")
    ap.add_argument("--cases", nargs="*", metavar="NxD", help="cases such as 256x4000")
    ap.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--which", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:  # child process
        n, d = map(int, args.case.split("x"))
        print(json.dumps(run_case(n, d, args.which)))
        return
    cases = [tuple(map(int, c.split("x"))) for c in args.cases] if args.cases else (QUICK if args.quick else GRID)
    rows = []
    if not args.json:
        print(f"{'n':>4} {'d':>6} | {'float s':>8} {'matched':>9} | {'batched s':>9} | "
              f"{'exact s':>8} {'matched':>9} {'peak MiB':>9} | {'exact/float':>11} {'exact/batched':>13}")
    for n, d in cases:
        got = {}
        for which in ("float", "batched", "exact"):
            out = subprocess.run(
                [sys.executable, __file__, "--case", f"{n}x{d}", "--which", which],
                capture_output=True, text=True, check=True,
            )
            got[which] = json.loads(out.stdout)
        f, bt, e = got["float"], got["batched"], got["exact"]
        row = {"n": n, "d": d, "float": f, "batched": bt, "exact": e, "ratio": e["seconds"] / f["seconds"],
               "ratio_batched": e["seconds"] / bt["seconds"]}
        rows.append(row)
        if args.json:
            print(json.dumps(row))
        else:
            print(
                f"{n:>4} {d:>6} | {f['seconds']:>8.2f} {'%d+%d' % tuple(f['matched']):>9} | {bt['seconds']:>9.2f} | "
                f"{e['seconds']:>8.2f} {'%d+%d' % tuple(e['matched']):>9} {e['peak_mib']:>9.0f} | "
                f"{row['ratio']:>11.2f} {row['ratio_batched']:>13.2f}"
            )
            sys.stdout.flush()


if __name__ == "__main__":
    main()
