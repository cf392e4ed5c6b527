#!/usr/bin/env python3
"""Certified spectral measures versus their float64 computation, same data, same run.

Two float32 layers of n neurons over d points (B = A mixed by a random matrix, plus noise).
"float" is the NumPy computation a peer library does (netrep / repsim formulas: SVD of XᵀY,
QR bases for CCA, SVD truncation for SVCCA); "exact" is ``Measure.evaluate`` with the given
width (default 1e-12): a certified rational bracket.  The ratio is exact / float.

    python3 benchmarks/bench_measures.py                 # 32 x 500 (seconds)
    python3 benchmarks/bench_measures.py --size 128x2000
    python3 benchmarks/bench_measures.py --large         # 512 x 10000 (the issue's target; minutes)
    python3 benchmarks/bench_measures.py --large --shared --measures procrustes,angular_procrustes,shape:1

Each exact evaluation starts cold: the certified float Grams that the measures of one comparison
share (:mod:`symrep.measures.fastgram`) are dropped first.  ``--shared`` keeps them, as one
``symrep compare --measures ...`` call does, and the totals line then compares one such call with
the float computations of the same measures.  The float time is the best of three runs; the exact
time is one run, or the best of ``--repeat N`` cold runs (the first evaluation in a process also
pays for its first-touched memory pages, which the float runs have already paid).
"""

from __future__ import annotations

import argparse
import os
import time
from fractions import Fraction

# One BLAS thread for the float and the exact side alike (before NumPy loads its BLAS): on a shared
# machine a multi-threaded BLAS spins against the other processes and a 256 x 256 SVD takes seconds
# instead of 0.08 s, which swamps both columns.  Set the variables yourself to measure otherwise.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

from symrep.errors import InputError  # noqa: E402
from symrep.measures import fastgram  # noqa: E402
from symrep.measures.catalog import lookup  # noqa: E402

MEASURES = ("cka", "cca", "svcca:10", "pwcca", "procrustes", "angular_procrustes", "shape:0", "shape:1")


def float_value(name: str, A: np.ndarray, B: np.ndarray) -> float:
    X, Y = (A - A.mean(1, keepdims=True)).T, (B - B.mean(1, keepdims=True)).T
    if name == "cka":
        return float(np.linalg.norm(X.T @ Y) ** 2 / (np.linalg.norm(X.T @ X) * np.linalg.norm(Y.T @ Y)))
    if name in ("procrustes", "angular_procrustes", "shape:1"):
        N = np.linalg.svd(X.T @ Y, compute_uv=False).sum()
        nx, ny = np.linalg.norm(X), np.linalg.norm(Y)
        return float(np.sqrt(max(nx**2 + ny**2 - 2 * N, 0)) if name == "procrustes" else np.arccos(min(N / (nx * ny), 1)))
    if name == "pwcca":  # Morcos et al.'s computation (centred), on the side of smaller rank
        if Y.shape[1] < X.shape[1]:
            X, Y = Y, X
        qx, qy = np.linalg.qr(X)[0], np.linalg.qr(Y)[0]
        u, rho, _ = np.linalg.svd(qx.T @ qy)
        w = np.abs((qx @ u).T @ X).sum(axis=1)
        return float((w / w.sum()) @ rho[: X.shape[1]])
    if name == "shape:0":
        qx, qy = np.linalg.qr(X)[0], np.linalg.qr(Y)[0]
        return float(np.arccos(min(1.0, np.linalg.svd(qx.T @ qy, compute_uv=False).sum() / np.sqrt(X.shape[1] * Y.shape[1]))))
    if name.startswith("svcca"):
        k = int(name.split(":")[1])
        U, s, _ = np.linalg.svd(X, full_matrices=False)
        X = U[:, :k] * s[:k]
        U, s, _ = np.linalg.svd(Y, full_matrices=False)
        Y = U[:, :k] * s[:k]
    qx, qy = np.linalg.qr(X)[0], np.linalg.qr(Y)[0]
    return float(np.linalg.svd(qx.T @ qy, compute_uv=False).mean())


def run(n: int, d: int, width: Fraction, seed: int = 0, names: tuple[str, ...] = MEASURES, shared: bool = False,
        repeat: int = 1) -> None:
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, d)).astype(np.float32)
    B = (rng.standard_normal((n, n)) @ A + 0.5 * rng.standard_normal((n, d))).astype(np.float32)
    Af, Bf = A.astype(np.float64), B.astype(np.float64)
    print(f"{n} neurons x {d} points, width {float(width):g}, {'shared' if shared else 'cold'} certified Grams")
    totals = [0.0, 0.0]
    print(f"  {'measure':20} {'float s':>9} {'exact s':>9} {'ratio':>7}  float value inside the bracket")
    for name in names:
        if name.startswith("svcca") and int(name.split(":")[1]) >= n:
            name = f"svcca:{max(1, n // 2)}"
        best = float("inf")
        for _ in range(3):  # the float time is the best of three (the machine may be shared)
            t0 = time.perf_counter()
            fv = float_value(name, Af, Bf)
            best = min(best, time.perf_counter() - t0)
        m, arg = lookup(name)
        spent = float("inf")
        try:
            for _ in range(repeat):  # the exact time is the best of --repeat cold runs (default 1)
                if not shared:
                    fastgram._CACHE.clear()
                t = time.perf_counter()
                v = m.evaluate(A, B, width=width, arg=arg)
                spent = min(spent, time.perf_counter() - t)
        except InputError as e:  # the width was not reached: say so, and go on
            print(f"  {name:20} {best:9.3f} {'-':>9}       -  not certified: {e}")
            continue
        t0, t1, t2 = 0.0, best, best + spent
        totals[0] += t1 - t0
        totals[1] += t2 - t1
        inside = float(v.lower) - 1e-9 <= fv <= float(v.upper) + 1e-9
        print(f"  {name:20} {t1 - t0:9.3f} {t2 - t1:9.3f} {(t2 - t1) / max(t1 - t0, 1e-9):7.1f}  "
              f"{fv:.12g} in [{float(v.lower):.15g}, {float(v.upper):.15g}]: {inside}")
    print(f"  {'total (certified)':20} {totals[0]:9.3f} {totals[1]:9.3f} {totals[1] / max(totals[0], 1e-9):7.1f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", default="32x500", help="NEURONSxPOINTS (default 32x500)")
    p.add_argument("--large", action="store_true", help="512 x 10000")
    p.add_argument("--width", default="1e-12")
    p.add_argument("--measures", default=",".join(MEASURES), help="comma-separated (default: all)")
    p.add_argument("--shared", action="store_true", help="keep the certified float Grams between measures (one compare call)")
    p.add_argument("--repeat", type=int, default=1, help="the exact time is the best of this many cold runs (default 1)")
    args = p.parse_args()
    n, d = (512, 10000) if args.large else (int(t) for t in args.size.split("x"))
    run(n, d, Fraction(args.width), names=tuple(args.measures.split(",")), shared=args.shared, repeat=args.repeat)


if __name__ == "__main__":
    main()
