#!/usr/bin/env python3
"""Linear regions of random ReLU networks, exactly: region counts, times, and the LP cost per call.

For random 2-8-8-1 and 3-16-1 networks (identity output) and a few seeds, prints the number of
linear regions on all of R^n, the empty branches pruned with certificates, the tree nodes, the LP
calls and the time per LP.  Then the same LPs (a sample of the cell systems of the first network)
are solved by SymPy's exact simplex (``sympy.solvers.simplex.lpmax``, maximising a slack ``t``)
for comparison, and ``equal_functions`` is timed on each network against a copy with permuted and
positively rescaled hidden neurons, with the certificate re-checked by the pure checker.

    python3 benchmarks/bench_regions.py                 # small rational weights p/q
    python3 benchmarks/bench_regions.py --weights float # float32 Gaussian weights, converted exactly
    python3 benchmarks/bench_regions.py --seeds 0 1 2 3 --no-equal --no-sympy
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symrep import lp  # noqa: E402
from symrep.relu.functions import check_equal_functions_witness, equal_functions, network_layers  # noqa: E402
from symrep.exact.lp import System  # noqa: E402
from symrep.networks.network import Layer, Network  # noqa: E402
from symrep.relu.regions import Splitter, linear_regions  # noqa: E402

SHAPES = [(2, 8, 8, 1), (3, 16, 1)]


def random_network(widths, seed: int, weights: str) -> Network:
    rng = random.Random(seed)
    layers = []
    for i in range(1, len(widths)):
        fan_in = widths[i - 1]

        def value():
            if weights == "float":  # He initialisation in float32, converted exactly (a dyadic rational)
                import struct
                x = rng.gauss(0.0, math.sqrt(2.0 / fan_in))  # noqa: B023 - called within the same iteration
                return Fraction(struct.unpack("f", struct.pack("f", x))[0])
            return Fraction(rng.randint(-9, 9), rng.randint(1, 4))

        W = [[value() for _ in range(fan_in)] for _ in range(widths[i])]
        b = [value() for _ in range(widths[i])]
        layers.append(Layer(W, "relu" if i < len(widths) - 1 else "identity", b))
    return Network(layers)


def rescaled_copy(net: Network, seed: int) -> Network:
    """Permute and positively rescale every hidden layer (the same function)."""
    rng = random.Random(seed + 1000)
    layers = [(list(map(list, L.weights)), list(L.bias), L.activation) for L in net.layers]
    for l in range(len(layers) - 1):
        W, b, act = layers[l]
        p = list(range(len(W)))
        rng.shuffle(p)
        s = [Fraction(rng.randint(1, 5), rng.randint(1, 5)) for _ in p]
        layers[l] = ([[s[i] * w for w in W[p[i]]] for i in range(len(p))], [s[i] * b[p[i]] for i in range(len(p))], act)
        W2, b2, act2 = layers[l + 1]
        layers[l + 1] = ([[row[p[i]] / s[i] for i in range(len(p))] for row in W2], b2, act2)
    return Network([Layer(W, act, b) for W, b, act in layers])


class Recording(Splitter):
    """A splitter that keeps the first LP systems it solves (for the SymPy comparison)."""

    def __init__(self, *a, keep: int = 30, **k):
        super().__init__(*a, **k)
        self.kept, self.keep = [], keep

    def _lp(self, constraints):
        if len(self.kept) < self.keep:
            self.kept.append(System(constraints, self.n))
        return super()._lp(constraints)


def sympy_time(systems) -> tuple[float, int]:
    """Mean seconds per system for SymPy's lpmax (max slack t <= 1 on the strict rows), and disagreements."""
    import sympy
    from sympy.solvers.simplex import InfeasibleLPError, lpmax

    total, wrong = 0.0, 0
    for S in systems:
        xs = sympy.symbols(f"x0:{S.dimension}")
        t = sympy.Symbol("t")
        cons = [t <= 1]
        for c in S:
            lhs = sum(sympy.Rational(a.numerator, a.denominator) * x for a, x in zip(c.coefficients, xs) if a)
            b = sympy.Rational(c.bound.numerator, c.bound.denominator)
            cons.append(sympy.Eq(lhs, b) if c.equality else (lhs + t <= b if c.strict else lhs <= b))
        t0 = time.perf_counter()
        try:
            value, _ = lpmax(t, cons)
            ok = value > 0
        except InfeasibleLPError:
            ok = False
        total += time.perf_counter() - t0
        wrong += ok != bool(lp.feasible(S))
    return total / max(1, len(systems)), wrong


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--weights", choices=["rational", "float"], default="rational")
    ap.add_argument("--no-sympy", action="store_true", help="skip the SymPy LP comparison")
    ap.add_argument("--no-equal", action="store_true", help="skip equal_functions against a rescaled copy")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args(argv)

    rows = []
    print(f"weights: {args.weights}; domain: all of R^n; exact rational arithmetic throughout\n")
    head = (f"{'network':<10} {'seed':>4} {'regions':>7} {'empty':>6} {'nodes':>6} {'LPs':>6} "
            f"{'time s':>7} {'LP s':>6} {'ms/LP':>6}")
    if not args.no_equal:
        head += f" | {'eq regions':>10} {'eq s':>6} {'check s':>7}"
    print(head)
    print("-" * len(head))
    sample = None
    for widths in SHAPES:
        for seed in args.seeds:
            net = random_network(widths, seed, args.weights)
            t0 = time.perf_counter()
            R = linear_regions(net)
            dt = time.perf_counter() - t0
            s = R.stats
            row = {"network": "-".join(map(str, widths)), "seed": seed, "regions": len(R), "empty": s.empty,
                   "nodes": s.nodes, "lp_calls": s.lp_calls, "seconds": round(dt, 3),
                   "lp_seconds": round(s.lp_seconds, 3), "ms_per_lp": round(1000 * s.lp_seconds / max(1, s.lp_calls), 3)}
            line = (f"{row['network']:<10} {seed:>4} {len(R):>7} {s.empty:>6} {s.nodes:>6} {s.lp_calls:>6} "
                    f"{dt:>7.2f} {s.lp_seconds:>6.2f} {row['ms_per_lp']:>6.2f}")
            if not args.no_equal:
                g = rescaled_copy(net, seed)
                t0 = time.perf_counter()
                r = equal_functions(net, g, max_regions=None)
                de = time.perf_counter() - t0
                assert r.verdict is True
                w = json.loads(json.dumps(r.witness()))
                t0 = time.perf_counter()
                check_equal_functions_witness(network_layers(net), network_layers(g), None, True, w)
                dc = time.perf_counter() - t0
                row.update(eq_regions=r.covering.regions, eq_seconds=round(de, 3), check_seconds=round(dc, 3))
                line += f" | {r.covering.regions:>10} {de:>6.2f} {dc:>7.2f}"
            rows.append(row)
            print(line, flush=True)
            if sample is None:
                rec = Recording([net], keep=40)
                for _ in rec.leaves():
                    pass
                sample = rec.kept
    if not args.no_sympy and sample:
        t0 = time.perf_counter()
        for S in sample:
            lp.feasible(S)
        ours = (time.perf_counter() - t0) / len(sample)
        theirs, wrong = sympy_time(sample)
        print(f"\nLP per call on {len(sample)} cell systems of the first network "
              f"({sample[0].dimension} unknowns, {min(len(S) for S in sample)}-{max(len(S) for S in sample)} rows):")
        print(f"  symrep.exact.lp.feasible (integer Bland simplex, certificate or strict point): {1000 * ours:8.2f} ms")
        print(f"  sympy lpmax (exact simplex, max slack t; no certificate):                  {1000 * theirs:8.2f} ms"
              f"   ({theirs / ours:.0f}x slower; {wrong} disagreements)")
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
