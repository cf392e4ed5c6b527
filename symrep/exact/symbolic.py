"""SymPy out: exact values of symrep as SymPy objects, and the symbolic affine/ReLU step.

Design note
-----------
SymPy *in* is :mod:`symrep.exact.numbers` (its rule reads SymPy matrices like any
other matrix).  This module is the way *out*: every exact value becomes the SymPy
object that holds it without loss, so a user can continue the algebra where
symrep stops.

* a ``Fraction`` becomes a ``sympy.Rational`` (ints stay ints: indices, ranks);
* a matrix (tuple of rows) becomes an ``ImmutableMatrix``; a vector (tuple of
  numbers) a column ``ImmutableMatrix`` (``n x 1``), the shape SymPy uses for vectors;
* JSON witness data (numbers as exact strings, see ``docs/certificates.md``) is
  read by shape: a number string becomes a ``Rational``, a rectangular list of
  rows of number strings an ``ImmutableMatrix``, a list of number strings a
  column, a sparse vector ``[[index, "value"], ...]`` a dict ``{index: Rational}``
  (its length is not in the witness), a coefficient list ``[[neuron, sparse], ...]``
  a dict ``{neuron: {other: Rational}}``, an isomorphism's ``{"rows", "matrix"}``
  the square matrix ``M`` of ``v -> v M`` (zero outside ``rows``), and everything
  else keeps its structure with these conversions inside.

Witness strings are produced by symrep itself (:func:`~symrep.exact.numbers.format_number`),
and are still read by :func:`~symrep.exact.numbers.to_fraction`'s bounded parser, never by
``sympify``.  Every conversion is exact, and :func:`from_sympy` reverses :func:`to_sympy`.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import ShapeError
from symrep.exact.numbers import Matrix, Vector, as_matrix, as_vector, is_number_text, to_fraction

__all__ = ["affine_relu", "coefficient_matrix", "entries", "from_sympy", "isomorphism_to_sympy", "match_to_sympy",
           "matrix_to_sympy", "rational", "removal_to_sympy", "sparse_to_sympy", "to_sympy", "vector_to_sympy",
           "witness_to_sympy"]


_EXACT_TEXT = re.compile(r"(-?)(\d+)(?:/(\d+))?\Z", re.ASCII)


def _big_int(digits: str) -> int:
    """Decimal digits of any length (Python's int() refuses more than 4,300 at once)."""
    value = 0
    for k in range(0, len(digits), 4000):
        chunk = digits[k:k + 4000]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


def _exact(q: Any) -> Fraction:
    """A number as a Fraction; the exact text symrep writes (``"-p/q"``, see ``format_number``) at any length.

    A witness may hold numbers of thousands of digits (orthogonal vectors at scale), beyond the bound
    :func:`to_fraction` puts on text from files; it is symrep's own output, read here without that bound.
    """
    if isinstance(q, str):
        m = _EXACT_TEXT.match(q)
        if m and (m[3] is None or m[3].strip("0")):
            value = Fraction(_big_int(m[2]), _big_int(m[3]) if m[3] else 1)
            return -value if m[1] else value
    return to_fraction(q)


def rational(q: Any) -> Any:
    """A number (Fraction, int, or anything :func:`to_fraction` reads) as a ``sympy.Rational``.

    >>> rational(Fraction(-3, 4)), rational("0.5"), rational("1" * 5000) == 10**5000 // 9
    (-3/4, 1/2, True)
    """
    import sympy

    f = _exact(q)
    return sympy.Rational(f.numerator, f.denominator)


def matrix_to_sympy(m: Sequence[Sequence[Any]], columns: int | None = None) -> Any:
    """A matrix (rows of exact numbers) as an ``ImmutableMatrix``; *columns* gives the width of an empty one.

    >>> matrix_to_sympy(((Fraction(1, 2), Fraction(0)), (Fraction(1), Fraction(-1))))
    Matrix([
    [1/2,  0],
    [  1, -1]])
    """
    import sympy

    if not m:
        return sympy.ImmutableMatrix(sympy.zeros(0, columns or 0))
    return sympy.ImmutableMatrix([[rational(x) for x in row] for row in m])


def vector_to_sympy(v: Sequence[Any]) -> Any:
    """A vector as a column ``ImmutableMatrix`` (``n x 1``).

    >>> vector_to_sympy((Fraction(1), Fraction(-1, 3))).T
    Matrix([[1, -1/3]])
    """
    import sympy

    return sympy.ImmutableMatrix(len(v), 1, [rational(x) for x in v])


def sparse_to_sympy(pairs: Sequence[Sequence[Any]], length: int | None = None) -> Any:
    """A sparse vector ``((index, value), ...)``: a dict ``{index: Rational}``, or a column of *length*.

    >>> sparse_to_sympy([[1, "2/3"]]), sparse_to_sympy([[1, "2/3"]], 3).T
    ({1: 2/3}, Matrix([[0, 2/3, 0]]))
    """
    import sympy

    entries = {int(i): rational(c) for i, c in pairs}
    if length is None:
        return entries
    col = sympy.zeros(length, 1)
    for i, c in entries.items():
        col[i, 0] = c
    return sympy.ImmutableMatrix(col)


def _is_number(x: Any) -> bool:
    return isinstance(x, Fraction) or (isinstance(x, str) and is_number_text(x))


def _is_sparse(x: Sequence[Any]) -> bool:
    return all(isinstance(p, (list, tuple)) and len(p) == 2 and isinstance(p[0], int) and not isinstance(p[0], bool)
               and _is_number(p[1]) for p in x)


def witness_to_sympy(w: Any) -> Any:
    """JSON witness data with its exact numbers and matrices as SymPy objects (rules in the module note).

    >>> witness_to_sympy({"dimension": 1, "inverse": [["1"]], "product": "-1/2", "orthogonal": [[1, "1"]]})
    {'dimension': 1, 'inverse': Matrix([[1]]), 'product': -1/2, 'orthogonal': {1: 1}}
    >>> witness_to_sympy({"x_in_y": [[1, [[0, "2"]]]], "basis": [0, 1]})
    {'x_in_y': {1: {0: 2}}, 'basis': [0, 1]}
    """
    if isinstance(w, dict):
        if set(w) == {"rows", "matrix"} and isinstance(w["matrix"], list):  # an isomorphism: v -> v M, M zero outside rows
            return _square_map(w["rows"], w["matrix"])
        return {k: witness_to_sympy(v) for k, v in w.items()}
    if isinstance(w, bool) or w is None or isinstance(w, int):
        return w
    if _is_number(w):
        return rational(w)
    if isinstance(w, (list, tuple)):
        if w and all(isinstance(r, (list, tuple)) and r and all(_is_number(x) for x in r) for r in w) \
                and len({len(r) for r in w}) == 1:
            return matrix_to_sympy(w)
        if w and all(_is_number(x) for x in w):
            return vector_to_sympy(w)
        if w and _is_sparse(w):
            return sparse_to_sympy(w)
        if w and all(isinstance(p, (list, tuple)) and len(p) == 2 and isinstance(p[0], int) and isinstance(p[1], list)
                     and _is_sparse(p[1]) for p in w):  # coefficient lists: neuron -> its combination
            return {int(i): sparse_to_sympy(c) for i, c in w}
        return [witness_to_sympy(x) for x in w]
    return w


def _square_map(rows: Sequence[int], block: Sequence[Sequence[Any]]) -> Any:
    import sympy

    d = len(block[0]) if block else 0
    m = sympy.zeros(d, d)
    for i, row in zip(rows, block):
        for j, x in enumerate(row):
            m[int(i), j] = rational(x)
    return sympy.ImmutableMatrix(m)


def to_sympy(value: Any) -> Any:
    """Any exact value of symrep as SymPy: objects with a ``to_sympy`` method, numbers, vectors, matrices.

    A tuple of tuples of numbers (an activation matrix) becomes an ``ImmutableMatrix``, a tuple of
    numbers a column, a ``Fraction`` a ``Rational``; other values are returned unchanged.

    >>> to_sympy(((Fraction(1), Fraction(0)), (Fraction(1), Fraction(0))))
    Matrix([
    [1, 0],
    [1, 0]])
    """
    method = getattr(value, "to_sympy", None)
    if callable(method) and not isinstance(value, type):
        return method()
    if isinstance(value, Fraction):
        return rational(value)
    if isinstance(value, tuple) and value and all(isinstance(r, tuple) for r in value) \
            and all(isinstance(x, (Fraction, int)) and not isinstance(x, bool) for r in value for x in r):
        return matrix_to_sympy(value)
    if isinstance(value, tuple) and value and all(isinstance(x, Fraction) for x in value):
        return vector_to_sympy(value)
    return value


def from_sympy(value: Any, where: str | None = None) -> Matrix | Vector | Fraction:
    """A SymPy number, column, row or matrix back as exact symrep values (Fraction, vector, matrix).

    A matrix with one column (a SymPy vector) becomes a vector; any other matrix a matrix.

    >>> from_sympy(to_sympy((Fraction(1, 2), Fraction(3))))
    (Fraction(1, 2), Fraction(3, 1))
    """
    shape = getattr(value, "shape", None)
    if shape is None:
        return to_fraction(value, where)
    if len(shape) == 2 and shape[1] == 1:
        return as_vector(value, where)
    return as_matrix(value, where)


def entries(x: Any) -> list[Any]:
    """The entries of a vector given as a SymPy/NumPy row or column, or a flat sequence (not converted).

    >>> import sympy
    >>> entries(sympy.Matrix([1, 2])), entries([[1, 2]]), entries((3,))
    ([1, 2], [1, 2], [3])
    """
    tolist = getattr(x, "tolist", None)
    items = tolist() if callable(tolist) and not isinstance(x, (list, tuple)) else list(x)
    if items and isinstance(items[0], list):
        if len(items) == 1:
            return list(items[0])
        if all(isinstance(r, list) and len(r) == 1 for r in items):
            return [r[0] for r in items]
        raise ShapeError("a vector is one row or one column")
    return list(items)


def affine_relu(weights: Sequence[Sequence[Fraction]], bias: Sequence[Fraction], inputs: Sequence[Any], relu: bool) -> list:
    """One dense layer on SymPy expressions: ``W x + b``, then ``Max(0, .)`` per neuron when *relu*.

    Zero weights are left out, so the expressions are those :func:`symrep.relu.regions.network_expression` prints.

    >>> import sympy
    >>> x = sympy.symbols("x0:2", real=True)
    >>> affine_relu(((Fraction(1), Fraction(-1)),), (Fraction(0),), x, True)
    [Max(0, x0 - x1)]
    """
    import sympy

    out = [sympy.Add(*[rational(w) * e for w, e in zip(row, inputs) if w], rational(b)) for row, b in zip(weights, bias)]
    return [sympy.Max(0, e) for e in out] if relu else out


# --- the result objects of higher layers, read by their attributes (no import upwards) ----------------------


def coefficient_matrix(items: Sequence[tuple[int, Sequence[tuple[int, Any]]]], width: int) -> Any:
    """Coefficient witnesses ``((neuron, ((other, c), ...)), ...)`` as a matrix: row k for the k-th neuron, *width* columns.

    Row k holds the combination of the other side's vectors that writes the k-th listed neuron's vector,
    so for an exact match ``A[x] == C * B`` (rows).

    >>> coefficient_matrix([(0, [(1, Fraction(2))]), (3, [])], 2)
    Matrix([
    [0, 2],
    [0, 0]])
    """
    import sympy

    m = sympy.zeros(len(items), width)
    for k, (_, combo) in enumerate(items):
        for j, c in combo:
            m[k, int(j)] = rational(c)
    return sympy.ImmutableMatrix(m)


def removal_to_sympy(r: Any, points: int | None = None) -> dict[str, Any]:
    """A removal (or failure) of the match algorithm: side, neuron, the orthogonal vector and its product.

    ``orthogonal`` is a column of *points* entries when *points* (the number of data points) is given,
    else a dict ``{point: Rational}``; a removal proved by a distance bound has ``bound`` coefficients instead.
    """
    out: dict[str, Any] = {"side": r.side, "neuron": r.neuron}
    if getattr(r, "round", None) is not None:
        out["round"] = r.round
    if getattr(r, "bound", None) is not None:
        out["bound"] = sparse_to_sympy(r.bound.coefficients)
        return out
    out["orthogonal"] = sparse_to_sympy(r.orthogonal, points)
    out["product"] = rational(r.product)
    return out


def match_to_sympy(m: Any, points: int | None = None) -> dict[str, Any]:
    """A maximum match as SymPy: neuron sets, similarity, the coefficient matrices and the removals.

    ``x_in_y`` has one row per neuron of ``x`` (in order) and ``width_y`` columns: ``A[x] == x_in_y * B``
    for an exact match; ``y_in_x`` likewise.  *points* is passed on to :func:`removal_to_sympy`.
    """
    return {
        "x": tuple(m.x), "y": tuple(m.y), "similarity": rational(m.similarity), "eps_squared": rational(m.eps_squared),
        "x_in_y": coefficient_matrix(m.x_in_y, m.width_y), "y_in_x": coefficient_matrix(m.y_in_x, m.width_x),
        "removals": [removal_to_sympy(r, points) for r in m.removals],
    }


def isomorphism_to_sympy(iso: Any) -> tuple[Any, Any]:
    """An isomorphism's two maps as square matrices ``(M, N)``: ``A[source] * M == B[target]``, ``B[target] * N == A[source]``."""

    return _square_map(iso.forward_rows, iso.forward), _square_map(iso.backward_rows, iso.backward)
