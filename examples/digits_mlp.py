#!/usr/bin/env python3
"""Two MLPs trained on scikit-learn's digits from different seeds, compared layer by layer, exactly.

The digits data (8x8 images, 1,797 of them) ships inside scikit-learn, so nothing is
downloaded. Two networks 64-32-32-10 (ReLU hidden layers, identity output = the logits)
are trained from different seeds; their float64 weights are converted to rationals
exactly, and symrep computes, on the held-out points, the exact dimension of every
layer's span and the exact maximum eps-match for several eps.

    python3 -m pip install scikit-learn matplotlib    # once
    python3 examples/digits_mlp.py [--points 200] [--plot digits.png] [--json]

Wang et al. (NeurIPS 2018) report high similarity at the input and output layers and low
similarity in between. Here the input layer is identical on both sides (similarity 1 at
every eps); see the README's "Example: digits" section for what the exact figures show.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import symrep
from symrep.compare import compare_networks


def train(seed: int, X, y):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(hidden_layer_sizes=(32, 32), activation="relu", max_iter=600, random_state=seed)
    clf.fit(X, y)
    return clf


def to_network(clf, name: str) -> symrep.Network:
    """The classifier's layers as a symrep network; float64 weights convert exactly."""
    n = len(clf.coefs_)
    layers = [
        symrep.Layer(W.T, "relu" if i < n - 1 else "identity", b)  # sklearn stores weights as in x out
        for i, (W, b) in enumerate(zip(clf.coefs_, clf.intercepts_))
    ]
    return symrep.Network(layers, name=name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=200, help="held-out data points used for the comparison")
    ap.add_argument("--eps", default="0,1/10,1/4,1/2", help="eps values (exact)")
    ap.add_argument("--seeds", default="0,1", help="the two training seeds")
    ap.add_argument("--plot", help="write a plot of similarity against layer")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError:
        print("this example needs scikit-learn: python3 -m pip install scikit-learn", file=sys.stderr)
        return 2
    digits = load_digits()
    X = digits.data / 16.0  # pixel values 0..16, so these floats are exact multiples of 1/16
    X_train, X_test, y_train, y_test = train_test_split(X, digits.target, test_size=0.25, random_state=0)
    s1, s2 = (int(s) for s in args.seeds.split(","))
    t = time.perf_counter()
    c1, c2 = train(s1, X_train, y_train), train(s2, X_train, y_train)
    acc = (c1.score(X_test, y_test), c2.score(X_test, y_test))
    train_s = time.perf_counter() - t
    f, g = to_network(c1, f"seed{s1}"), to_network(c2, f"seed{s2}")
    points = X_test[: args.points]
    eps = [e for e in args.eps.split(",") if e]
    t = time.perf_counter()
    reports = compare_networks(f, g, points, eps=eps)
    exact_s = time.perf_counter() - t
    if args.json:
        print(json.dumps({"accuracy": acc, "points": len(points), "seconds": exact_s,
                          "layers": [r.to_json() for r in reports]}, indent=2))
    else:
        print(f"digits: two 64-32-32-10 MLPs (seeds {s1}, {s2}), test accuracy {acc[0]:.3f} and {acc[1]:.3f}; "
              f"trained in {train_s:.1f} s")
        print(f"exact comparison on {len(points)} held-out points in {exact_s:.1f} s "
              "(layer 0 = input, 1-2 = ReLU hidden, 3 = logits)")
        head = f"{'layer':>5} {'dims':>7} " + " ".join(f"{'eps=' + e:>16}" for e in eps)
        print(head)
        for r in reports:
            cells = " ".join(f"{symrep.format_number(m.similarity) + ' (' + str(len(m.x)) + '+' + str(len(m.y)) + ')':>16}"
                             for _, m in r.matches)
            print(f"{r.layer:>5} {r.dimensions[0]:>3}/{r.dimensions[1]:<3} {cells}")
        print("cells: exact maximum-match similarity (|X*| + |Y*|)")
    if args.plot:
        from symrep.cli.app import _plot

        _plot(reports, args.plot, f"digits MLPs, seeds {s1} and {s2}, {len(points)} points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
