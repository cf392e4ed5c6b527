"""Benchmark of `symrep search`: time to the first counterexample, per method.

For 2-2-2, 2-4-2 and 3-8-2 ReLU networks (identity output layer) with small random integer
weights, and 2 to 8 random integer data points, each method searches for a network with the
same architecture, identical outputs on the data and a different hidden layer (objectives
``no-match`` and ``beyond-symmetry`` at layer 1).  Each cell is the wall-clock time to the first
counterexample (verified exactly, claim file included), or the outcome when there is none:
``unreachable`` (the orbit cannot change spans), ``impossible`` (with a reason, e.g. a dead
neuron of f), ``none <= bounds`` (exhaustive within the bounds), ``stopped`` (a bound stopped
the search first).

    python3 benchmarks/bench_search.py            # the full table
    python3 benchmarks/bench_search.py --quick    # fewer data sizes, shorter bounds

Deterministic: the networks and data come from a seeded generator.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from symrep.networks.network import Layer, Network  # noqa: E402
from symrep.search import FOUND, IMPOSSIBLE, NONE_WITHIN, STOPPED, UNAVAILABLE, UNREACHABLE, search, smt_available  # noqa: E402

ARCHS = [(2, 2, 2), (2, 4, 2), (3, 8, 2)]
OBJECTIVES = ["no-match", "beyond-symmetry"]


def network(widths, rng) -> Network:
    n0, n1, n2 = widths
    while True:
        W1 = [[rng.randint(-2, 2) for _ in range(n0)] for _ in range(n1)]
        if all(any(r) for r in W1):
            break
    b1 = [rng.randint(-1, 1) for _ in range(n1)]
    W2 = [[rng.randint(-2, 2) for _ in range(n1)] for _ in range(n2)]
    return Network([Layer(W1, "relu", b1), Layer(W2, "identity")], name="f")


def data(f, d, rng):
    """d distinct integer points on which no hidden neuron of f is dead (else no-match is impossible)."""
    from symrep.networks.network import activations

    for _ in range(1000):
        pts = set()
        while len(pts) < d:
            pts.add(tuple(rng.randint(-3, 3) for _ in range(f.widths[0])))
        X = [list(p) for p in sorted(pts)]
        if all(any(row) for row in activations(f, X, 1)):
            return X
    return X


def cell(r) -> str:
    if r.status == FOUND:
        return f"{r.seconds:.3f} s ({r.candidates})"
    short = {UNREACHABLE: "unreachable", IMPOSSIBLE: "impossible", NONE_WITHIN: "none <= bounds",
             STOPPED: "stopped", UNAVAILABLE: "unavailable"}[r.status]
    return f"{short} ({r.candidates}, {r.seconds:.1f} s)"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="data sizes 2 and 4 only, 3 s bounds")
    ap.add_argument("--max-seconds", type=float, default=None, help="time bound per search (default 10, quick 3)")
    args = ap.parse_args(argv)
    sizes = [2, 4] if args.quick else [2, 4, 6, 8]
    limit = args.max_seconds or (3.0 if args.quick else 10.0)
    methods = ["orbit", "layerwise"] + (["smt"] if smt_available() else [])
    bounds = {"max_seconds": limit, "max_candidates": 100000, "smt_timeout": limit, "smt_rounds": 500}
    print(f"symrep search: time to first counterexample (layer 1, data mode; bound {limit:g} s per search; "
          "'(N)' = candidates or solver calls)")
    if "smt" not in methods:
        print("(z3 is not installed: the smt method is unavailable; pip install 'symrep[smt]')")
    header = ["network", "points", "objective"] + methods
    rows = []
    t_all = time.perf_counter()
    for widths in ARCHS:
        rng = random.Random(hash(widths) & 0xFFFF)
        f = network(widths, rng)
        for d in sizes:
            X = data(f, d, random.Random(1000 * d + sum(widths)))
            for obj in OBJECTIVES:
                cells = []
                for m in methods:
                    r = search(f, data=X, layer=1, objective=obj, method=m, bounds=bounds)
                    cells.append(cell(r))
                rows.append(["-".join(map(str, widths)), str(d), obj] + cells)
                print("  " + "  ".join(rows[-1]), file=sys.stderr, flush=True)
    widths_ = [max(len(r[k]) for r in rows + [header]) for k in range(len(header))]
    print()
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths_)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths_) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths_)) + " |")
    print(f"\ntotal {time.perf_counter() - t_all:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
