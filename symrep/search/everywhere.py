"""Equality everywhere: the kink decomposition of a ReLU (or identity) layer followed by an affine map.

With ``relu(h) = h/2 + |h|/2``, the pre-activation of a neuron of layer ``i+1`` is, as a
function of layer ``i-1``, an affine part plus ``sum_H kappa_H |h_H|`` over hyperplanes
``H``; distinct hyperplanes give independent functions modulo affine ones, so two
networks that differ only at layers ``i`` and ``i+1`` agree everywhere when these
finitely many coordinates agree (:func:`everywhere_proof`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import SymrepError
from symrep.exact.numbers import format_number
from symrep.networks.network import Layer, Network
from symrep.relu.functions import equal_functions

_ZERO = Fraction(0)
_s = format_number
#: How the cross-check names its decision procedure (kept from symrep 0.1's module path).
_CROSS_CHECK_BY = "symrep.functions.equal_functions"


def _kink_key(w: Sequence[Fraction], b: Fraction) -> tuple[tuple[Fraction, ...], Fraction, Fraction]:
    """``(normalised w, normalised b, a)``: ``w = a * w_H``, ``b = a * b_H``, first non-zero of ``w_H`` is 1."""
    a = next(x for x in w if x)
    return tuple(x / a for x in w), b / a, a


def _features(w: Sequence[Fraction], b: Fraction, activation: str) -> dict[Any, Fraction]:
    """Coordinates of the function ``u -> act(w.u + b)``: kinks ``("kink", key)``, ``("lin", t)``, ``"const"``.

    ``relu(h) = h/2 + |a|/2 |h_H|`` for ``h = a h_H``; a constant neuron (``w = 0``) is ``relu(b)``.
    """
    out: dict[Any, Fraction] = {}
    if activation == "identity":
        for t, x in enumerate(w):
            if x:
                out[("lin", t)] = x
        if b:
            out["const"] = b
        return out
    if not any(w):
        if b > 0:
            out["const"] = b
        return out
    key_w, key_b, a = _kink_key(w, b)
    out[("kink", key_w, key_b)] = abs(a) / 2
    for t, x in enumerate(w):
        if x:
            out[("lin", t)] = x / 2
    if b:
        out["const"] = b / 2
    return out


def _feature_order(keys: set) -> list:
    kinks = sorted((k for k in keys if isinstance(k, tuple) and k[0] == "kink"), key=lambda k: (k[1], k[2]))
    lins = sorted((k for k in keys if isinstance(k, tuple) and k[0] == "lin"), key=lambda k: k[1])
    return kinks + lins + (["const"] if "const" in keys else [])


def _combined_features(layer_i: Layer, layer_next: Layer) -> list[dict[Any, Fraction]]:
    """For each neuron r of layer i+1: coordinates of its pre-activation as a function of layer i-1."""
    feats = [_features(w, b, layer_i.activation) for w, b in zip(layer_i.weights, layer_i.bias)]
    out = []
    for v, c in zip(layer_next.weights, layer_next.bias):
        acc: dict[Any, Fraction] = {}
        for vj, fj in zip(v, feats):
            if vj:
                for k, x in fj.items():
                    acc[k] = acc.get(k, _ZERO) + vj * x
        if c:
            acc["const"] = acc.get("const", _ZERO) + c
        out.append({k: x for k, x in acc.items() if x})
    return out


def _key_text(k: Any) -> str:
    if k == "const":
        return "constant"
    if k[0] == "lin":
        return f"linear u{k[1]}"
    terms = " + ".join(f"{_s(x)}*u{t}" for t, x in enumerate(k[1]) if x)
    return f"|{terms}{' + ' + _s(k[2]) if k[2] else ''}|"


def everywhere_proof(f: Network, g: Network, layer: int) -> dict[str, Any]:
    """Proof that *f* and *g* compute the same function on all of ``R^n``, or the reason it fails.

    Both networks must share every layer except ``layer`` and ``layer + 1``; then they are
    equal if, for every neuron of layer ``layer + 1``, its pre-activation has the same
    coordinates (kinks, linear part, constant) as a function of layer ``layer - 1``.
    Returns a dict with ``holds`` (True, or False when this sufficient condition fails),
    ``coordinates`` and an independent ``cross_check`` by
    :func:`symrep.relu.functions.equal_functions` (the common refinement of linear regions).

    >>> f = Network([Layer([[1], [-1]], "relu"), Layer([[1, -1]], "identity")])   # x
    >>> g = Network([Layer([[2], [-3]], "relu"), Layer([["1/2", "-1/3"]], "identity")])
    >>> everywhere_proof(f, g, 1)["holds"]
    True
    """
    if f.widths != g.widths or [l.activation for l in f.layers] != [l.activation for l in g.layers]:
        return {"holds": False, "summary": "the architectures differ"}
    for j, (lf, lg) in enumerate(zip(f.layers, g.layers), start=1):
        if j not in (layer, layer + 1) and (lf.weights != lg.weights or lf.bias != lg.bias):
            return {"holds": False, "summary": f"layer {j} differs (only layers {layer} and {layer + 1} may)"}
    ff = _combined_features(f.layers[layer - 1], f.layers[layer])
    fg = _combined_features(g.layers[layer - 1], g.layers[layer])
    rows = []
    holds = True
    for r, (a, b) in enumerate(zip(ff, fg)):
        keys = _feature_order(set(a) | set(b))
        same = a == b
        holds &= same
        rows.append({"neuron": r, "same": same,
                     "coordinates": [[_key_text(k), _s(a.get(k, _ZERO)), _s(b.get(k, _ZERO))] for k in keys]})
    exact_if = (layer == 1 and layer + 1 == f.depth and f.layers[layer].activation == "identity")
    act_next = f.layers[layer].activation
    summary = (
        f"for each neuron of layer {layer + 1}, its pre-activation as a function of layer {layer - 1} "
        "(relu(h) = h/2 + |h|/2, grouped by hyperplane) has the same kink, linear and constant coordinates in both networks"
        + ("" if act_next == "identity" else f", so its {act_next} activation agrees too")
        + (f"; layers other than {layer} and {layer + 1} are identical" if f.depth > 2 else "")
    )
    out: dict[str, Any] = {
        "holds": holds,
        "method": "kink decomposition",
        "summary": summary if holds else f"the kink decomposition at layer {layer + 1} differs (a sufficient condition only)",
        "decides": exact_if,
        "neurons": rows,
    }
    out["cross_check"] = _cross_check(f, g)
    return out

def _cross_check(f: Network, g: Network) -> dict[str, Any]:
    """An independent decision of function equality: the common refinement of linear regions of both networks."""
    try:
        res = equal_functions(f, g, max_seconds=60.0)
    except SymrepError as e:  # refused (a bound, a shape): reported; the search's own proof stands on its own
        return {"by": _CROSS_CHECK_BY, "error": f"{type(e).__name__}: {e}"[:200]}
    out: dict[str, Any] = {"by": _CROSS_CHECK_BY}
    if res.verdict is None:
        out["note"] = f"undecided: {res.reason}"
    else:
        out["equal"] = res.verdict
        if res.covering is not None:
            out["regions"] = res.covering.regions
    return out
