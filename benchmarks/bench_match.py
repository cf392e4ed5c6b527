#!/usr/bin/env python3
"""Exact maximum match versus Wang et al.'s floating-point algorithm, on the same data.

Two float32 ReLU layers of n neurons over d data points share n/2 rows exactly; the other
rows are independent random ReLU activations.  The exact maximum match is therefore
n/2 + n/2.  Each case runs in a fresh subprocess so that its peak memory is its own.

    python3 benchmarks/bench_match.py                  # small cases (about a minute)
    python3 benchmarks/bench_match.py --full           # the full grids (CKA^2 at 2048 x 10000: minutes)
    python3 benchmarks/bench_match.py --cases 256x4000 512x10000
    python3 benchmarks/bench_match.py --cka 512x10000 2048x10000 --wide 1024x1000 --cases
                                                       # exact CKA^2 and more neurons than points only
    python3 benchmarks/bench_match.py --eps0 512x10000 --cases --cka --wide 1024x1000 2048x1000
                                                       # eps = 0 against batched float only (and wide cases)

Every child process runs with one BLAS thread (OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=
MKL_NUM_THREADS=1, both sides alike; ``--threads N`` changes it).  The machine is shared, so each
CKA and more-neurons-than-points case is run ``--repeat`` times (default 3), float and exact
alternating, and the median time is reported; peak memory is the largest ``ru_maxrss`` of the
exact runs.

The float algorithm follows the description in Wang et al. (NeurIPS 2018) and their
public code: drop vectors of norm <= 1e-16, then alternately drop every vector whose
least-squares relative distance to the other side's span exceeds eps (here eps = 0).
Two variants are timed: "float", one ``numpy.linalg.lstsq`` per neuron (the baseline the
project's issue names), and "batched", one ``lstsq`` with every neuron as a right-hand side
per side and round (their code's ``dists2plane``, a stronger baseline).

The CKA table times exact CKA^2 (``symrep.measures.cka``, float32 values read exactly) and its
certified float bracket (``cka_squared_bracket``: one float64 Gram with a proved error bound, what a
claim ``CKA^2 >= c`` costs when ``c`` lies outside the bracket) against float64 CKA with NumPy on the
same layers.  The "more neurons than points" table
(dense float32 N(0,1) layers, eps = 0) times the batched float algorithm against
``maximum_match`` (a span of full column rank proves every neuron a member without a solve;
the coefficients are solved for only if a certificate reads them).  Peak memory is the child
process's ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from fractions import Fraction

GRID = [(n, d) for n in (64, 256, 512) for d in (1000, 4000, 10000)]
QUICK = [(64, 1000), (256, 1000), (256, 4000)]
CKA_GRID = [(512, 10000), (2048, 1000), (2048, 10000)]
CKA_QUICK = [(256, 2000), (512, 2000), (512, 10000)]
WIDE_GRID = [(1024, 1000), (2048, 1000)]  # more neurons than points, eps = 0
WIDE_QUICK = [(280, 256), (536, 512), (1024, 1000)]
THREADS = "1"


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


def float_cka_squared(a, b) -> float:
    """Linear CKA^2 in float64 with NumPy (centred over the points)."""
    import numpy as np

    a = a.astype(np.float64)
    b = b.astype(np.float64)
    a -= a.mean(axis=1, keepdims=True)
    b -= b.mean(axis=1, keepdims=True)
    ab = np.linalg.norm(a @ b.T) ** 2
    return float(ab**2 / (np.linalg.norm(a @ a.T) ** 2 * np.linalg.norm(b @ b.T) ** 2))


def run_case(n: int, d: int, which: str) -> dict:
    a, b = layers(n, d)
    if which.startswith("wide"):  # more neurons than points: dense random layers (their spans are everything)
        import numpy as np

        rng = np.random.default_rng(1)
        a = rng.standard_normal((n, d)).astype(np.float32)
        b = rng.standard_normal((n, d)).astype(np.float32)
    import symrep  # imported before the clock starts, for every variant alike
    from symrep.measures.cka import cka_squared

    t = time.perf_counter()
    value: object = None
    if which in ("float", "batched", "wide-batched"):
        x, y = float_maximum_match(a, b, per_neuron=which == "float")
        matched: list = [len(x), len(y)]
    elif which == "cka-float":
        value, matched = float_cka_squared(a, b), []
    elif which == "cka-exact":
        q = cka_squared(a, b)
        value, matched = float(q), [q.numerator.bit_length(), q.denominator.bit_length()]
    elif which == "cka-bracket":  # what deciding a claim CKA^2 >= c costs when c is outside the certified bracket
        from symrep.measures.cka import cka_squared_bracket

        br = cka_squared_bracket(a, b)
        assert br is not None, "float32 layers: the bracket applies"
        lo, hi = br
        value, matched = float((lo + hi) / 2), [float((hi - lo) / max(hi, Fraction(1, 10**300)))]
    elif which == "exact-before":  # the exact path without the certified eps = 0 path (orthogonal witnesses)
        from symrep.measures import matching

        matching.CERTIFIED_EXACT_FROM = 10**18
        m = symrep.maximum_match(a, b)
        matched = [len(m.x), len(m.y)]
    else:
        m = symrep.maximum_match(a, b)  # exact conversion of the float32 values included
        matched = [len(m.x), len(m.y)]
    seconds = time.perf_counter() - t
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "d": d, "which": which, "seconds": seconds, "matched": matched, "peak_mib": peak_mib, "value": value}


def _child(n: int, d: int, which: str) -> dict:
    import os

    env = dict(os.environ, OPENBLAS_NUM_THREADS=THREADS, OMP_NUM_THREADS=THREADS, MKL_NUM_THREADS=THREADS)
    out = subprocess.run([sys.executable, __file__, "--case", f"{n}x{d}", "--which", which],
                         capture_output=True, text=True, env=env)
    if out.returncode:
        sys.exit(f"{n}x{d} {which} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def _repeated(n: int, d: int, pair: tuple[str, ...], repeat: int) -> tuple[dict, ...]:
    """Float and exact alternately ``repeat`` times: medians of the times, the largest peak memory."""
    import statistics

    runs: dict[str, list[dict]] = {w: [] for w in pair}
    for _ in range(repeat):
        for which in pair:
            runs[which].append(_child(n, d, which))
    out = []
    for which in pair:
        rs = runs[which]
        row = dict(rs[0], seconds=statistics.median(r["seconds"] for r in rs), peak_mib=max(r["peak_mib"] for r in rs),
                   runs=[round(r["seconds"], 3) for r in rs])
        out.append(row)
    return tuple(out)


def cka_table(cases, as_json: bool, repeat: int) -> None:
    if not as_json:
        print(f"\nexact CKA^2 and its certified float bracket vs float64 CKA (NumPy), same data, median of {repeat}\n"
              f"{'n':>5} {'d':>6} | {'float s':>8} {'MiB':>6} | {'bracket s':>9} {'rel width':>9} | {'exact s':>8} {'MiB':>6} | "
              f"{'bracket/float':>13} {'exact/float':>11} | {'float value':>12} {'exact value':>12}")
    for n, d in cases:
        f, br, e = _repeated(n, d, ("cka-float", "cka-bracket", "cka-exact"), repeat)
        row = {"table": "cka", "n": n, "d": d, "float": f, "bracket": br, "exact": e, "ratio": e["seconds"] / f["seconds"],
               "ratio_bracket": br["seconds"] / f["seconds"]}
        if as_json:
            print(json.dumps(row))
        else:
            print(f"{n:>5} {d:>6} | {f['seconds']:>8.2f} {f['peak_mib']:>6.0f} | {br['seconds']:>9.2f} "
                  f"{br['matched'][0]:>9.1e} | "
                  f"{e['seconds']:>8.2f} {e['peak_mib']:>6.0f} | {row['ratio_bracket']:>13.2f} {row['ratio']:>11.2f} | "
                  f"{f['value']:>12.6g} {e['value']:>12.6g}")
        sys.stdout.flush()


def wide_table(cases, as_json: bool, repeat: int) -> None:
    if not as_json:
        print(f"\neps = 0, more neurons than points (float32 N(0,1) layers), median of {repeat}\n{'n':>5} {'d':>6} | "
              f"{'batched s':>9} {'matched':>9} | {'exact s':>8} {'matched':>9} {'MiB':>6} | {'exact/batched':>13}")
    for n, d in cases:
        f, e = _repeated(n, d, ("wide-batched", "wide-match"), repeat)
        row = {"table": "wide", "n": n, "d": d, "batched": f, "exact": e, "ratio": e["seconds"] / f["seconds"]}
        if as_json:
            print(json.dumps(row))
        else:
            print(f"{n:>5} {d:>6} | {f['seconds']:>9.2f} {'%d+%d' % tuple(f['matched']):>9} | {e['seconds']:>8.2f} "
                  f"{'%d+%d' % tuple(e['matched']):>9} {e['peak_mib']:>6.0f} | {row['ratio']:>13.2f}")
        sys.stdout.flush()


def eps0_table(cases, as_json: bool, repeat: int) -> None:
    """eps = 0 against the batched float algorithm only (no per-neuron float): certified path and the exact path before it."""
    if not as_json:
        print(f"\neps = 0 maximum match vs batched float, same data, median of {repeat}\n{'n':>5} {'d':>6} | "
              f"{'batched s':>9} {'matched':>9} | {'certified s':>11} {'matched':>9} {'MiB':>6} | "
              f"{'exact-only s':>12} {'MiB':>6} | "
              f"{'certified/batched':>17} {'exact-only/batched':>18}")
    for n, d in cases:
        f, e, old = _repeated(n, d, ("batched", "exact", "exact-before"), repeat)
        row = {"table": "eps0", "n": n, "d": d, "batched": f, "exact": e, "before": old, "ratio": e["seconds"] / f["seconds"],
               "ratio_before": old["seconds"] / f["seconds"]}
        if as_json:
            print(json.dumps(row))
        else:
            print(f"{n:>5} {d:>6} | {f['seconds']:>9.2f} {'%d+%d' % tuple(f['matched']):>9} | {e['seconds']:>11.2f} "
                  f"{'%d+%d' % tuple(e['matched']):>9} {e['peak_mib']:>6.0f} | {old['seconds']:>12.2f} {old['peak_mib']:>6.0f} | "
                  f"{row['ratio']:>17.2f} {row['ratio_before']:>18.2f}")
        sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small cases only (the default)")
    ap.add_argument("--full", action="store_true", help="the full grids (long)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per CKA / wide case, medians reported")
    ap.add_argument("--threads", default="1", help="BLAS threads of every child process (default 1)")
    ap.add_argument("--cases", nargs="*", metavar="NxD", help="maximum-match cases such as 256x4000 (none: skip)")
    ap.add_argument("--cka", nargs="*", metavar="NxD", help="exact CKA^2 cases (default: the CKA grid)")
    ap.add_argument("--wide", nargs="*", metavar="NxD", help="eps = 0 cases with more neurons than points")
    ap.add_argument("--eps0", nargs="*", metavar="NxD", help="eps = 0 against batched float only (no per-neuron float), "
                    "the certified path and the exact path before it (none given: 512x10000)")
    ap.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--which", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:  # child process
        n, d = map(int, args.case.split("x"))
        print(json.dumps(run_case(n, d, args.which)))
        return

    def parse(given, quick, grid):
        if given is None:
            return grid if args.full else quick
        return [tuple(map(int, c.split("x"))) for c in given]

    global THREADS
    THREADS = args.threads
    cases = parse(args.cases, QUICK, GRID)
    if not args.json:
        print("command:", " ".join([sys.executable, *sys.argv]), f"(children: OPENBLAS_NUM_THREADS={THREADS})")
        print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    rows = []
    if cases and not args.json:
        print(f"{'n':>4} {'d':>6} | {'float s':>8} {'matched':>9} | {'batched s':>9} | "
              f"{'exact s':>8} {'matched':>9} {'peak MiB':>9} | {'exact/float':>11} {'exact/batched':>13}")
    for n, d in cases:
        got = {which: _child(n, d, which) for which in ("float", "batched", "exact")}
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
    if args.eps0 is not None:
        eps0_table(parse(args.eps0 or ["512x10000"], [], []), args.json, args.repeat)
    cka_table(parse(args.cka, CKA_QUICK, CKA_GRID), args.json, args.repeat)
    wide_table(parse(args.wide, WIDE_QUICK, WIDE_GRID), args.json, args.repeat)


if __name__ == "__main__":
    main()
