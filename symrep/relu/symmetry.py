"""Networks equal by symmetry: one is the other with hidden neurons permuted and positively rescaled.

Design note
-----------
Before any region is split, :func:`equal_functions` asks whether ``g`` is ``f``
up to the symmetries every ReLU network has: the neurons of a hidden layer may
be listed in any order, and a neuron may be multiplied by ``c > 0`` (its
incoming weights and bias) if the next layer divides its outgoing weights by
``c``, because ``relu(c t) = c relu(t)``.  Identical networks are the case of
identity permutations and unit scales.

*The witness.*  Per hidden layer ``l``, a permutation ``pi_l`` and scales
``c_l > 0``: neuron ``pi_l(i)`` of ``g``'s layer ``l`` is ``c_l[i]`` times neuron
``i`` of ``f``'s.  With ``pi_0``, ``c_0`` the identity and ones on the inputs, and
``pi_L``, ``c_L`` the same on the outputs, it holds when, for every layer ``l``,
neuron ``i`` and input ``k``::

    W'_l[pi_l(i)][pi_{l-1}(k)] * c_{l-1}[k] == c_l[i] * W_l[i][k]
    b'_l[pi_l(i)] == c_l[i] * b_l[i]

and both networks have the same activation per layer.  *Why it proves f = g
everywhere.*  By induction, ``g``'s layer ``l`` outputs ``h'_l[pi_l(i)] =
c_l[i] h_l[i]`` at every input ``x``: its pre-activation at ``pi_l(i)`` is
``sum_k W'_l[pi_l(i)][pi_{l-1}(k)] c_{l-1}[k] h_{l-1}[k] + b'_l[pi_l(i)] =
c_l[i] (W_l h_{l-1} + b_l)[i]``, and both activations (relu, identity) commute
with multiplication by ``c > 0``.  At the output layer ``c_L = 1`` and ``pi_L``
is the identity: the outputs are equal at every point of ``R^n``, hence of any
domain.  Checking costs one product per weight.

*Finding it* is a linear pass: layer by layer, each of ``g``'s neurons (its row
relabelled by the previous layer's permutation and scales, and its bias) is
keyed by its direction (the row divided by the absolute value of its first
non-zero entry) and matched with a neuron of ``f`` of the same key.  Neurons of
the same key are matched in order; a choice that fails a later layer only means
that no witness is found here, and the region split decides instead.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import CertificateRejected
from symrep.exact.numbers import format_number, to_fraction
from symrep.networks.network import Network

__all__ = ["Symmetry", "check_symmetry", "find_symmetry", "symmetry_json"]

#: Per hidden layer: the permutation (f's neuron i is g's neuron perm[i]) and the scales c[i] > 0.
Symmetry = tuple[tuple[tuple[int, ...], tuple[Fraction, ...]], ...]


def _key(v: Sequence[Fraction]) -> tuple[Fraction, ...]:
    lead = next((x for x in v if x), None)
    return tuple(v) if lead is None else tuple(x / abs(lead) for x in v)


def _ratio(u: Sequence[Fraction], v: Sequence[Fraction]) -> Fraction:
    """c > 0 with u == c v, for u and v of the same key (1 for zero vectors)."""
    t = next((t for t, x in enumerate(v) if x), None)
    return Fraction(1) if t is None else u[t] / v[t]


def find_symmetry(f: Network, g: Network) -> Symmetry | None:
    """Permutations and positive scales of the hidden layers that turn *f* into *g*, or None.

    >>> from symrep.networks.network import Layer
    >>> f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1]], "identity")])
    >>> g = Network([Layer([[0, 2], [1, 0]], "relu"), Layer([["-1/2", 1]], "identity")])
    >>> [(p, [str(c) for c in s]) for p, s in find_symmetry(f, g)]
    [((1, 0), ['1', '2'])]
    >>> find_symmetry(f, Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, 1]], "identity")])) is None
    True
    """
    if f.widths != g.widths or [a.activation for a in f.layers] != [b.activation for b in g.layers]:
        return None
    perm: tuple[int, ...] = tuple(range(f.widths[0]))
    scale: tuple[Fraction, ...] = (Fraction(1),) * f.widths[0]
    out: list[tuple[tuple[int, ...], tuple[Fraction, ...]]] = []
    for li, (lf, lg) in enumerate(zip(f.layers, g.layers)):
        rows_g = [tuple(w[perm[k]] * scale[k] for k in range(len(perm))) + (b,) for w, b in zip(lg.weights, lg.bias)]
        rows_f = [tuple(w) + (b,) for w, b in zip(lf.weights, lf.bias)]
        if li == len(f.layers) - 1:  # the outputs: the same rows, in place
            return tuple(out) if rows_f == rows_g else None
        buckets: dict[tuple[Fraction, ...], list[int]] = {}
        for j in reversed(range(len(rows_g))):
            buckets.setdefault(_key(rows_g[j]), []).append(j)
        new_perm, new_scale = [], []
        for v in rows_f:
            bucket = buckets.get(_key(v))
            if not bucket:
                return None
            j = bucket.pop()
            new_perm.append(j)
            new_scale.append(_ratio(rows_g[j], v))
        perm, scale = tuple(new_perm), tuple(new_scale)
        out.append((perm, scale))
    return None  # pragma: no cover - the loop returns at the output layer


def symmetry_json(sym: Symmetry) -> list[dict[str, Any]]:
    """The witness entries, one per hidden layer (numbers as exact strings)."""
    return [{"permutation": list(p), "scales": [format_number(c) for c in s]} for p, s in sym]


def check_symmetry(f: Network, g: Network, entries: Any) -> None:
    """Re-check a symmetry witness (see the design note); raises CertificateRejected.

    >>> from symrep.networks.network import Layer
    >>> f = Network([Layer([[1], [2]], "relu"), Layer([[2, 1]], "identity")])   # 2 relu(x) + relu(2x)
    >>> check_symmetry(f, f, [{"permutation": [1, 0], "scales": ["2", "1/2"]}])  # the two neurons swapped
    >>> check_symmetry(f, f, [{"permutation": [0, 1], "scales": ["2", "1"]}])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symrep.errors.CertificateRejected: witness: symmetry: layer 1, neuron 0 of the first network is not ...
    """
    where = "witness: symmetry"
    if f.widths != g.widths or [a.activation for a in f.layers] != [b.activation for b in g.layers]:
        raise CertificateRejected(f"{where}: the networks differ in widths or activations")
    if not isinstance(entries, list) or len(entries) != f.depth - 1:
        raise CertificateRejected(f"{where}: expected one entry per hidden layer ({f.depth - 1})")
    perm: list[int] = list(range(f.widths[0]))
    scale = [Fraction(1)] * f.widths[0]
    for li, (lf, lg) in enumerate(zip(f.layers, g.layers), 1):
        if li < f.depth:
            p, c = _entry(entries[li - 1], lf.width, f"{where}[{li - 1}]")
        else:
            p, c = list(range(lf.width)), [Fraction(1)] * lf.width
        for i in range(lf.width):
            wg, wf = lg.weights[p[i]], lf.weights[i]
            if lg.bias[p[i]] != c[i] * lf.bias[i] or any(wg[perm[k]] * scale[k] != c[i] * wf[k] for k in range(len(perm))):
                raise CertificateRejected(f"{where}: layer {li}, neuron {i} of the first network is not its scale "
                                          f"times neuron {p[i]} of the second")
        perm, scale = p, c


def _entry(e: Any, width: int, where: str) -> tuple[list[int], list[Fraction]]:
    if not isinstance(e, dict) or set(e) != {"permutation", "scales"}:
        raise CertificateRejected(f"{where}: expected {{permutation, scales}}")
    p, s = e["permutation"], e["scales"]
    if not isinstance(p, list) or sorted(x for x in p if type(x) is int) != list(range(width)):
        raise CertificateRejected(f"{where}: permutation is not a permutation of the {width} neurons")
    if not isinstance(s, list) or len(s) != width or not all(isinstance(x, str) for x in s):
        raise CertificateRejected(f"{where}: scales must be {width} exact numbers")
    try:
        c = [to_fraction(x) for x in s]
    except ValueError as err:  # InputError is a ValueError: the message says which number
        raise CertificateRejected(f"{where}: scales: {err}") from None
    if any(x <= 0 for x in c):
        raise CertificateRejected(f"{where}: scales must be positive")
    return p, c
