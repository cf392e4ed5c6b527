"""Feedforward networks of dense layers and their exact activation matrices.

Layer numbering follows the background note: layer 0 is the input, layer ``i``
is the output of the ``i``-th dense layer *after* its activation.  An
activation matrix has **one row per neuron**: row ``v`` is the activation
vector ``z_v = (z_v(a_1), ..., z_v(a_d))`` of Definition 2.1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import InputError, ShapeError, located
from symrep.exact.numbers import Matrix, Vector, as_matrix, as_vector
from symrep.exact.linalg import matmul

__all__ = ["ACTIVATIONS", "MAX_ACTIVATION_BITS", "MAX_FORWARD_BITS", "Layer", "Network", "activations", "forward", "row_bits"]

#: The activation functions a layer may state.
ACTIVATIONS = ("relu", "identity")

#: Bound on the bits of one neuron's activations written over their least common denominator: of that
#: denominator, and of each numerator.  The checker keeps activations in exactly this form and has the
#: same bound, so whatever symrep certifies the checker can recompute.  A 4,000-digit weight (13,288
#: bits) repeated on the diagonal reaches it after about 20 layers; a float64 weight adds at
#: most 1,075 bits per layer, so real networks of thousands of layers stay far below.
MAX_ACTIVATION_BITS = 1 << 18

#: Bound on the bits of all activation matrices of one forward pass together (layer 0, the data,
#: included), in the same form: 32 MiB of integers, so depth cannot grow memory past it.
MAX_FORWARD_BITS = 1 << 28


@dataclass(frozen=True)
class Layer:
    """A dense layer ``x -> activation(weights @ x + bias)``.

    ``weights`` is ``out x in`` (one row per neuron of this layer); ``bias``
    defaults to zeros.  Values are converted exactly on construction.

    >>> Layer([[1, 0], [0, -1]], activation="relu").width
    2
    """

    weights: Matrix
    activation: str
    bias: Vector = field(default=())
    where: str | None = field(default=None, compare=False, repr=False)

    def __init__(self, weights: Any, activation: str, bias: Any = None, *, where: str | None = None):
        w = as_matrix(weights, located(where, "weights") if where else "weights")
        if not w or not w[0]:
            raise ShapeError(located(where, "weights must be a non-empty matrix (out x in)"))
        if activation not in ACTIVATIONS:
            raise InputError(located(where, f"activation {activation!r} is not one of {', '.join(ACTIVATIONS)}"))
        b = (Fraction(0),) * len(w) if bias is None else as_vector(bias, located(where, "bias") if where else "bias")
        if len(b) != len(w):
            raise ShapeError(located(where, f"bias has {len(b)} entries but weights have {len(w)} rows (one per neuron)"))
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "activation", activation)
        object.__setattr__(self, "bias", b)
        object.__setattr__(self, "where", where)

    @property
    def width(self) -> int:
        """Number of neurons (rows of ``weights``)."""
        return len(self.weights)

    @property
    def inputs(self) -> int:
        """Number of inputs (columns of ``weights``)."""
        return len(self.weights[0])

    def to_sympy(self) -> tuple[Any, Any, str]:
        """``(weights, bias, activation)``: weights an ``ImmutableMatrix`` (out x in), bias a column.

        >>> Layer([[1, "1/2"]], "relu", [-1]).to_sympy()
        (Matrix([[1, 1/2]]), Matrix([[-1]]), 'relu')
        """
        from symrep.exact.symbolic import matrix_to_sympy, vector_to_sympy

        return matrix_to_sympy(self.weights), vector_to_sympy(self.bias), self.activation

    def apply(self, h: Matrix) -> Matrix:
        """Apply the layer to a neuron-by-data matrix ``h`` (rows = inputs of this layer)."""
        pre = matmul(self.weights, h)
        out = tuple(tuple(x + b for x in row) for row, b in zip(pre, self.bias))
        if self.activation == "relu":
            zero = Fraction(0)
            out = tuple(tuple(x if x > 0 else zero for x in row) for row in out)
        return out


@dataclass(frozen=True)
class Network:
    """A feedforward network: a tuple of :class:`Layer` whose shapes chain.

    >>> net = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
    >>> net.widths
    (2, 2, 2)
    """

    layers: tuple[Layer, ...]
    name: str | None = field(default=None, compare=False)

    def __init__(self, layers: Sequence[Layer], name: str | None = None):
        layers = tuple(layers)
        if not layers:
            raise ShapeError(located(name and f"network {name!r}", "a network needs at least one layer"))
        for i in range(1, len(layers)):
            if layers[i].inputs != layers[i - 1].width:
                raise ShapeError(
                    located(
                        name and f"network {name!r}",
                        f"layer {i + 1} takes {layers[i].inputs} inputs but layer {i} has {layers[i - 1].width} neurons",
                    )
                )
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "name", name)

    @classmethod
    def from_sympy(cls, layers: Sequence[Sequence[Any]], name: str | None = None) -> "Network":
        """A network from ``(weights, bias, activation)`` or ``(weights, activation)`` per layer.

        Weights and biases are read by the rule of :mod:`symrep.exact.numbers` (SymPy matrices of any
        sensible shape: a bias may be a column or a row); ``to_sympy`` gives them back exactly.

        >>> import sympy
        >>> f = Network.from_sympy([(sympy.eye(2), sympy.Matrix([0, 1]), "relu"), (sympy.Matrix([[1, -1]]), "identity")])
        >>> Network.from_sympy(f.to_sympy()) == f
        True
        """
        out = []
        for i, spec in enumerate(layers):
            spec = tuple(spec)
            where = located(name and f"network {name!r}", f"layer {i + 1}")
            if len(spec) == 2:
                out.append(Layer(spec[0], spec[1], where=where))
            elif len(spec) == 3:
                out.append(Layer(spec[0], spec[2], spec[1], where=where))
            else:
                raise ShapeError(f"{where}: expected (weights, bias, activation) or (weights, activation)")
        return cls(out, name=name)

    def to_sympy(self) -> list[tuple[Any, Any, str]]:
        """One ``(weights, bias, activation)`` per layer, weights and biases exact ``ImmutableMatrix`` objects."""
        return [layer.to_sympy() for layer in self.layers]

    def forward_sympy(self, x: Any = None, layer: int | None = None) -> Any:
        """The symbolic forward pass: the activations of *layer* (default the output) as a SymPy column.

        *x* holds one SymPy expression (or number) per input, default real symbols ``x0, x1, ...``;
        relu neurons give ``Max(0, ...)``, the family of :func:`symrep.relu.regions.network_expression`
        (whose ``"max"`` form is this pass).  On numbers it is the exact forward pass.

        >>> f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1]], "identity")])
        >>> f.forward_sympy()
        Matrix([[Max(0, x0) - Max(0, x1)]])
        >>> f.forward_sympy([1, 3], layer=1).T
        Matrix([[1, 3]])
        """
        import sympy

        from symrep.exact.symbolic import affine_relu, entries, rational

        n = self.widths[0]
        h = [sympy.Symbol(f"x{i}", real=True) for i in range(n)] if x is None else entries(x)
        if len(h) != n:
            raise ShapeError(f"{len(h)} inputs given but the network takes {n}")
        h = [e if isinstance(e, sympy.Basic) else rational(e) for e in h]
        last = self.depth if layer is None else layer
        if isinstance(last, bool) or not isinstance(last, int) or not 0 <= last <= self.depth:
            raise InputError(f"layer {layer!r} is not between 0 (the input) and {self.depth} (the output)")
        for l in self.layers[:last]:
            h = affine_relu(l.weights, l.bias, h, l.activation == "relu")
        return sympy.ImmutableMatrix(len(h), 1, h)

    @property
    def depth(self) -> int:
        """Number of dense layers (the last layer index)."""
        return len(self.layers)

    @property
    def widths(self) -> tuple[int, ...]:
        """Widths of layers 0 (the input) to ``depth``."""
        return (self.layers[0].inputs,) + tuple(layer.width for layer in self.layers)


def row_bits(row: Sequence[Fraction]) -> tuple[int, int, int]:
    """Sizes of a row of rationals written as integers over their least common denominator ``s``.

    Returns ``(bits of s, largest bits of a numerator, bits of all numerators)``; a numerator
    ``x * s`` is counted as ``bits(x.numerator) + bits(s // x.denominator)``, at least its size.

    >>> row_bits([Fraction(1, 2), Fraction(3, 4), Fraction(0)])
    (3, 3, 6)
    """
    s = math.lcm(*(x.denominator for x in row)) if row else 1
    sizes = [x.numerator.bit_length() + (s // x.denominator).bit_length() if x else 0 for x in row]
    return s.bit_length(), max(sizes, default=0), sum(sizes)


def _bounded(h: Matrix, where: str, total: int) -> int:
    """*total* plus the bits of *h* (see :func:`row_bits`); refuses beyond the bounds of this module."""
    for v, row in enumerate(h):
        den, top, size = row_bits(row)
        if max(den, top) > MAX_ACTIVATION_BITS:
            raise InputError(
                f"{where}: neuron {v} has an activation of more than {MAX_ACTIVATION_BITS:,} bits "
                "(numbers that grow through the layers): too large to decide exactly"
            )
        total += den + size
        if total > MAX_FORWARD_BITS:
            raise InputError(
                f"{where}: the activations up to here take more than {MAX_FORWARD_BITS:,} bits "
                "(numbers that grow through the layers): too large to decide exactly"
            )
    return total


def forward(net: Network, inputs: Any) -> list[Matrix]:
    """Activation matrices of every layer, 0 to ``net.depth`` (rows = neurons, columns = data).

    The bits of every activation are bounded (:data:`MAX_ACTIVATION_BITS`, :data:`MAX_FORWARD_BITS`):
    a layer that passes them is refused, naming the layer, before the next one is computed.
    """
    data = as_matrix(inputs, "inputs")
    if data and len(data[0]) != net.widths[0]:
        raise ShapeError(f"data points have {len(data[0])} coordinates but the network takes {net.widths[0]} inputs")
    h: Matrix = tuple(zip(*data)) if data else tuple(() for _ in range(net.widths[0]))
    name = f"network {net.name!r}" if net.name else "network"
    total = _bounded(h, located(net.layers[0].where, "its inputs (the data points)") if net.layers[0].where
                     else f"{name}: the data points", 0)
    out = [h]
    for i, layer in enumerate(net.layers, 1):
        h = layer.apply(h) if data else tuple(() for _ in range(layer.width))
        total = _bounded(h, layer.where or f"{name}: layer {i}", total)
        out.append(h)
    return out


def activations(net: Network, inputs: Any, layer: int) -> Matrix:
    """The exact activation matrix of *layer* on *inputs*: one row per neuron.

    Parameters
    ----------
    net
        The network.
    inputs
        Data points, one row each (``d x n_inputs``).
    layer
        0 for the input, ``i`` for the output of the ``i``-th layer after its activation.

    Examples
    --------
    >>> f = Network([Layer([[1, 0], [0, 1]], "relu"), Layer([[1, -1], [1, -1]], "identity")])
    >>> [[str(x) for x in row] for row in activations(f, [[1, 1], [-1, -1]], 1)]
    [['1', '0'], ['1', '0']]
    """
    if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer <= net.depth:
        raise InputError(f"layer {layer!r} is not between 0 (the input) and {net.depth} (the output)")
    return forward(net, inputs)[layer]
