"""Parametric networks to and from SymPy: weights that are rational functions of SymPy symbols.

Design note
-----------
A parametric network's entries are elements of ``QQ(parameters)``
(:class:`~symrep.parametric.params.ParameterSpace`).  :func:`parametric_to_sympy` gives every
layer as SymPy matrices of expressions in the space's symbols; :func:`parametric_from_sympy`
reads such matrices back.  A SymPy expression is an object, not text: it is read by walking its
tree (``Add``, ``Mul``, ``Pow`` with an integer exponent, ``Rational``, declared symbols, matched
by name), never by ``sympify`` or by printing and parsing it.  The bounds of the text parser hold
here too: exponents up to ``MAX_EXPONENT``, and the degree and coefficient size of every
intermediate result are checked as it is built, so a huge expression is refused instead of expanded.
"""

from __future__ import annotations

from typing import Any, Sequence

from symrep.errors import InputError, ShapeError, located
from symrep.exact.symbolic import entries
from symrep.networks.network import ACTIVATIONS
from symrep.parametric.params import MAX_COEFFICIENT_BITS, MAX_DEGREE, MAX_EXPONENT, ParameterSpace, _bits, _degree
from symrep.parametric.problem import ParametricNetwork

__all__ = ["MAX_NODES", "entry_from_sympy", "parametric_from_sympy", "parametric_to_sympy"]

#: Most nodes of one SymPy expression read as a network entry.
MAX_NODES = 2000


def parametric_to_sympy(net: ParametricNetwork) -> list[tuple[Any, Any, str]]:
    """One ``(weights, bias, activation)`` per layer: ``ImmutableMatrix`` objects of SymPy rational functions.

    >>> from symrep.parametric.problem import loads_parametric_claim_file
    >>> p = loads_parametric_claim_file('''
    ... [parameters]
    ... t = "positive"
    ... [data]
    ... inputs = [[1]]
    ... [networks.f]
    ... layers = [{weights = [["t"], ["1/t"]], bias = ["t**2 - 1", 0], activation = "relu"}]
    ... ''')
    >>> W, b, act = parametric_to_sympy(p.networks["f"])[0]
    >>> W.T, b.T, act
    (Matrix([[t, 1/t]]), Matrix([[t**2 - 1, 0]]), 'relu')
    >>> parametric_from_sympy("f", parametric_to_sympy(p.networks["f"]), p.space) == p.networks["f"]
    True
    """
    import sympy

    out = []
    for w, b, act in net.layers:
        W = sympy.ImmutableMatrix([[e.as_expr() for e in row] for row in w])
        B = sympy.ImmutableMatrix(len(b), 1, [e.as_expr() for e in b])
        out.append((W, B, act))
    return out


def _entries_2d(m: Any, where: str) -> list[list[Any]]:
    tolist = getattr(m, "tolist", None)
    rows = tolist() if callable(tolist) and not isinstance(m, (list, tuple)) else m
    if not isinstance(rows, (list, tuple)) or not rows or not all(isinstance(r, (list, tuple)) for r in rows):
        raise ShapeError(f"{where}: expected a non-empty matrix")
    if len({len(r) for r in rows}) != 1:
        raise ShapeError(f"{where}: rows of different lengths")
    return [list(r) for r in rows]


def _vector(m: Any, where: str) -> list[Any]:
    try:
        return entries(m)  # the one rule: a flat list, a row or a column
    except ShapeError:
        raise ShapeError(f"{where}: a bias is one row or one column") from None


def parametric_from_sympy(name: str, layers: Sequence[Sequence[Any]], space: ParameterSpace) -> ParametricNetwork:
    """A parametric network from ``(weights, bias, activation)`` per layer, entries SymPy expressions or numbers.

    Symbols are the space's parameters, matched by name (``sympy.Symbol("t")`` is the parameter ``t``).
    """
    out = []
    width = None
    for i, spec in enumerate(layers):
        at = f"network {name!r}: layer {i + 1}"
        spec = tuple(spec)
        if len(spec) != 3:
            raise ShapeError(f"{at}: expected (weights, bias, activation)")
        w_raw, b_raw, act = spec
        if act not in ACTIVATIONS:
            raise InputError(f"{at}: activation {act!r} is not one of {', '.join(ACTIVATIONS)}")
        rows = _entries_2d(w_raw, f"{at}: weights")
        if width is not None and len(rows[0]) != width:
            raise ShapeError(f"{at}: takes {len(rows[0])} inputs but the previous layer has {width} neurons")
        bias = _vector(b_raw, f"{at}: bias") if b_raw is not None else [0] * len(rows)
        if len(bias) != len(rows):
            raise ShapeError(f"{at}: bias has {len(bias)} entries but weights have {len(rows)} rows")
        w = tuple(tuple(entry_from_sympy(x, space, f"{at}: weights[{r}][{c}]") for c, x in enumerate(row))
                  for r, row in enumerate(rows))
        b = tuple(entry_from_sympy(x, space, f"{at}: bias[{r}]") for r, x in enumerate(bias))
        out.append((w, b, act))
        width = len(rows)
    if not out:
        raise ShapeError(f"network {name!r}: a network needs at least one layer")
    return ParametricNetwork(name, tuple(out))


def entry_from_sympy(expr: Any, space: ParameterSpace, where: str | None = None) -> Any:
    """A SymPy expression (or a number) as an element of the space's field ``QQ(parameters)``, size-checked.

    >>> import sympy
    >>> P = ParameterSpace({"t": "positive"})
    >>> t = sympy.Symbol("t")
    >>> entry_from_sympy((t + 1) / t**2, P) == P.parse("(t+1)/t**2")
    True
    >>> entry_from_sympy(sympy.sqrt(t), P)
    Traceback (most recent call last):
    ...
    symrep.errors.InputError: sqrt(t) is not a rational function of the parameters (only +, *, / and integer powers)
    """
    import sympy

    if not isinstance(expr, sympy.Basic):
        return space.value(expr, where)  # a number, or text read by the bounded parser of claim files (never SymPy)
    if sum(1 for _ in sympy.preorder_traversal(expr)) > MAX_NODES:
        raise InputError(located(where, f"expression with more than {MAX_NODES} nodes"))
    return _build(expr, space, where, sympy)


def _check(value: Any, where: str | None, expr: Any) -> Any:
    if _degree(value) > MAX_DEGREE:
        raise InputError(located(where, f"{str(expr)[:60]}: degree exceeds {MAX_DEGREE}"))
    if _bits(value) > MAX_COEFFICIENT_BITS:
        raise InputError(located(where, f"{str(expr)[:60]}: a coefficient exceeds {MAX_COEFFICIENT_BITS} bits"))
    return value


def _build(e: Any, space: ParameterSpace, where: str | None, sympy: Any) -> Any:
    from fractions import Fraction

    if e.is_Rational:
        return space.constant(Fraction(int(e.p), int(e.q)))
    if e.is_Symbol:
        if e.name not in space.gens:
            declared = ", ".join(space.names) or "none"
            raise InputError(located(where, f"symbol {e.name!r} is not a declared parameter ({declared})"))
        return space.gens[e.name]
    if isinstance(e, sympy.Add):
        acc = space.constant(Fraction(0))
        for a in e.args:
            acc = _check(acc + _build(a, space, where, sympy), where, e)
        return acc
    if isinstance(e, sympy.Mul):
        acc = space.constant(Fraction(1))
        for a in e.args:
            acc = _check(acc * _build(a, space, where, sympy), where, e)
        return acc
    if isinstance(e, sympy.Pow) and e.exp.is_Integer and abs(int(e.exp)) > MAX_EXPONENT:
        raise InputError(located(where, f"{str(e)[:60]}: exponent {e.exp} exceeds the bound of {MAX_EXPONENT}"))
    if isinstance(e, sympy.Pow) and e.exp.is_Integer:
        base = _build(e.base, space, where, sympy)
        if int(e.exp) < 0 and base == 0:
            raise InputError(located(where, f"{str(e)[:60]} divides by zero"))
        # check the predicted size before powering: degree and bits grow at most by the exponent
        k = abs(int(e.exp))
        if _degree(base) * k > MAX_DEGREE or _bits(base) * k > MAX_COEFFICIENT_BITS:
            raise InputError(located(where, f"{str(e)[:60]}: too large (degree or coefficient size bound)"))
        return _check(base ** int(e.exp), where, e)
    raise InputError(located(where, f"{str(e)[:60]} is not a rational function of the parameters "
                                    "(only +, *, / and integer powers)"))
