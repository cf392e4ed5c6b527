"""Hypothesis strategies for symrep: exact rationals, matrices, networks, data sets and claim files.

Use them to state a property about representations and let Hypothesis look for
a counterexample; :mod:`symrep.testing` turns a counterexample into a claim file
and a certificate that ``symrep verify`` and ``symrep check`` confirm.  The
workflow is described in ``docs/property-testing.md``.

>>> from hypothesis import find
>>> from symrep.strategies import networks
>>> net = find(networks((2, 2)), lambda n: True)    # the simplest 2-2 network: the identity
>>> [[str(x) for x in row] for row in net.layers[0].weights], net.layers[0].activation
([['1', '0'], ['0', '1']], 'identity')

Conventions, as in ``hypothesis.strategies``:

* Bounds are keyword-only and validated when the strategy is *created*: a bad
  bound raises :class:`hypothesis.errors.InvalidArgument` at once.  Sizes given
  as strategies (``rows=st.integers(1, 3)``) can only be checked when drawn, and
  raise the same error then.
* Every number is an exact :class:`fractions.Fraction`; matrices are tuples of
  rows (symrep's ``Matrix``), data sets have one row per data point.
* Each docstring says how examples shrink.  In short: numbers towards 0 and
  small integers, sizes towards their minimum, layers towards the identity-like
  layer (then entry by entry towards zero), biases towards zero, choices towards
  the first option offered.
* Creating a strategy is cheap and repeated calls with the same arguments
  return the same strategy, so they may be called inside ``@st.composite``
  functions on every draw.

This module needs Hypothesis (the ``test`` extra); the rest of symrep does not.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Callable

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from symrep.claims.files import Problem, layer_to_json, problem_from_mapping
from symrep.claims.kinds import REGISTRY
from symrep.claims.registry import DrawContext
from symrep.errors import SymrepError
from symrep.exact.numbers import Matrix, format_number, to_fraction
from symrep.networks.network import ACTIVATIONS, Layer, Network, forward

__all__ = ["claims", "datasets", "networks", "rational_matrices", "rationals"]

#: Positive factors that rescale hidden neurons in symmetry images (shrink towards 1).
_SCALES = (Fraction(1), Fraction(2), Fraction(1, 2), Fraction(3), Fraction(1, 3))
#: Claim kinds :func:`claims` draws by default.
KINDS = tuple(name for name, k in REGISTRY.items() if k.drawn_by_default)
#: Further kinds claims() draws when asked for them with ``kinds=`` (not by default: they cost more).
EXTRA_KINDS = tuple(name for name, k in REGISTRY.items() if not k.drawn_by_default)
_EPS = st.sampled_from(["0", "1/4", "1/2", "1"])
#: Names of the networks of :func:`claims`, in order (then ``net4``, ``net5``, ...).
_NAMES = ("f", "g", "h")


# --- validation --------------------------------------------------------------------------------


def _number(value: Any, name: str) -> Fraction | None:
    if value is None:
        return None
    try:
        return to_fraction(value)
    except SymrepError as e:
        raise InvalidArgument(f"{name}={value!r} is not an exact number: {e}") from None


def _integer(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an integer")
    if value < minimum:
        raise InvalidArgument(f"{name}={value!r} must be at least {minimum}")
    return value


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")
    return value


def _size(value: Any, name: str, minimum: int) -> SearchStrategy[int]:
    """An int checked now, or a strategy of ints checked when drawn."""
    if isinstance(value, SearchStrategy):
        return value.map(lambda n: _integer(n, f"{name} (drawn from {value!r})", minimum))
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an integer or a strategy of integers")
    return st.just(_integer(value, name, minimum))


def _exact(elements: Any) -> SearchStrategy[Fraction]:
    """*elements* (default: small rationals) with every drawn value converted exactly to a Fraction."""
    if elements is None:
        return _SMALL
    if not isinstance(elements, SearchStrategy):
        raise InvalidArgument(f"elements={elements!r} must be a Hypothesis strategy (of numbers)")
    return _exact_cached(elements)


def _convert(x: Any) -> Fraction:
    try:
        return to_fraction(x)
    except SymrepError as e:
        raise InvalidArgument(f"elements drew {x!r}, which is not an exact number: {e}") from None


@functools.lru_cache(maxsize=256)
def _exact_cached(elements: SearchStrategy) -> SearchStrategy[Fraction]:
    return elements.map(_convert)


def _widths(value: Any, name: str = "widths") -> tuple[int, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidArgument(f"{name}={value!r} must be a sequence of layer widths such as (2, 2, 2)")
    if len(value) < 2:
        raise InvalidArgument(f"{name}={value!r} needs at least two widths (the input and one layer)")
    return tuple(_integer(w, f"{name}[{i}]", 1) for i, w in enumerate(value))


def _activation_spec(value: Any, depth: int | None) -> Any:
    """Validate ``activations``: return None, a name, a tuple of names, or a strategy."""
    if value is None or isinstance(value, SearchStrategy):
        return value
    if isinstance(value, str):
        if value not in ACTIVATIONS:
            raise InvalidArgument(f"activations={value!r} is not one of {', '.join(ACTIVATIONS)}")
        return value
    if not isinstance(value, Sequence):
        raise InvalidArgument(f"activations={value!r} must be None, a name, a sequence of names or a strategy")
    names = tuple(value)
    bad = [a for a in names if a not in ACTIVATIONS]
    if bad:
        raise InvalidArgument(f"activations: {bad[0]!r} is not one of {', '.join(ACTIVATIONS)}")
    if depth is not None and len(names) != depth:
        raise InvalidArgument(f"activations={value!r} names {len(names)} activations for {depth} layers")
    return names


def _activation(draw: Any, spec: Any, k: int, depth: int) -> str:
    if spec is None:
        return "identity" if k == depth - 1 else "relu"
    if isinstance(spec, str):
        return spec
    if isinstance(spec, tuple):
        if len(spec) != depth:
            raise InvalidArgument(f"activations={spec!r} names {len(spec)} activations for {depth} layers")
        return spec[k]
    a = draw(spec)
    if a not in ACTIVATIONS:
        raise InvalidArgument(f"activations drew {a!r}, which is not one of {', '.join(ACTIVATIONS)}")
    return a


def _simplest_between(lo: Fraction | None, hi: Fraction | None) -> Fraction:
    """The rational in ``[lo, hi]`` with the least denominator, then the least absolute value."""
    if (lo is None or lo <= 0) and (hi is None or hi >= 0):
        return Fraction(0)
    if lo is None or (hi is not None and hi < 0):
        return -_simplest_between(None if hi is None else -hi, None if lo is None else -lo)
    # 0 < lo <= hi (hi may be unbounded)
    if hi is None or math.ceil(lo) <= hi:
        return Fraction(math.ceil(lo))
    whole = math.floor(lo)  # lo and hi lie strictly between whole and whole + 1
    return whole + 1 / _simplest_between(1 / (hi - whole), 1 / (lo - whole))


def _cached(build: Callable[..., SearchStrategy], *key: Any) -> SearchStrategy:
    """``build(*key)``, memoised when the key is hashable (strategies hash by identity)."""
    try:
        return _memo(build, *key)
    except TypeError:  # an unhashable argument
        return build(*key)


@functools.lru_cache(maxsize=1024)
def _memo(build: Callable[..., SearchStrategy], *key: Any) -> SearchStrategy:
    return build(*key)


# --- numbers and matrices ----------------------------------------------------------------------


@st.composite
def _rational_values(draw: Any, denominators: SearchStrategy[int], numerator: Callable, fallback: Fraction) -> Fraction:
    den = draw(denominators)
    num = numerator(den)
    if num is None:
        return fallback  # no multiple of 1/den fits: the simplest rational that does
    return Fraction(draw(num), den)


#: Bounded intervals with at most this many candidate values draw one of them directly (one choice, fast).
_ENUMERATE = 512


def _simplicity(q: Fraction) -> tuple[int, int, bool]:
    return (q.denominator, abs(q.numerator), q < 0)


def _build_rationals(lo: Fraction | None, hi: Fraction | None, max_denominator: int | None, fallback: Fraction):
    if lo is not None and lo == hi:
        return st.just(lo)
    if lo is not None and hi is not None and max_denominator is not None and max_denominator <= _ENUMERATE:
        count = 0
        for den in range(1, max_denominator + 1):
            count += max(0, math.floor(hi * den) - math.ceil(lo * den) + 1)
            if count > _ENUMERATE:
                break
        else:
            # Every candidate, simplest first: sampled_from shrinks towards the start of its list.
            values = {Fraction(n, den) for den in range(1, max_denominator + 1)
                      for n in range(math.ceil(lo * den), math.floor(hi * den) + 1)}
            return st.sampled_from(sorted(values, key=_simplicity))
    numerators: dict[int, SearchStrategy[int] | None] = {}  # built once per denominator

    def numerator(den: int) -> SearchStrategy[int] | None:
        if den not in numerators:
            nlo = None if lo is None else math.ceil(lo * den)
            nhi = None if hi is None else math.floor(hi * den)
            fits = nlo is None or nhi is None or nlo <= nhi
            numerators[den] = st.integers(min_value=nlo, max_value=nhi) if fits else None
        return numerators[den]

    return _rational_values(st.integers(min_value=1, max_value=max_denominator), numerator, fallback)


def rationals(
    *,
    min_value: Any = None,
    max_value: Any = None,
    max_denominator: int | None = 10,
) -> SearchStrategy[Fraction]:
    """Exact rationals (:class:`fractions.Fraction`) in ``[min_value, max_value]``.

    Bounds may be anything :func:`symrep.to_fraction` reads exactly: ints,
    Fractions, ``"p/q"`` and decimal strings (``"0.1"`` is 1/10), floats (their
    exact binary value).  ``max_denominator`` bounds the denominator (``None``:
    unbounded); the default 10 keeps exact linear algebra fast.

    Raises :class:`~hypothesis.errors.InvalidArgument` at once when a bound is not
    an exact number, when ``min_value > max_value``, when ``max_denominator`` is
    not a positive integer, or when no rational with a denominator at most
    ``max_denominator`` lies in the interval.

    Shrinking: towards the simplest rationals, the denominator first, towards 1
    (integers are simplest), then the numerator, towards 0 or the bound nearest
    0 when 0 is outside the interval; so examples shrink to 0, then to small
    integers, then to fractions with small denominators.  (A bounded interval
    with at most 512 candidates draws one of them from a list sorted by
    denominator, then absolute value, positive first; otherwise a denominator is
    drawn, then a numerator.)

    >>> from hypothesis import find
    >>> find(rationals(), lambda q: True), find(rationals(min_value="5/2"), lambda q: True)
    (Fraction(0, 1), Fraction(3, 1))
    >>> find(rationals(), lambda q: q.denominator > 1)
    Fraction(1, 2)
    >>> rationals(min_value=1, max_value=0)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: min_value=1 is greater than max_value=0
    """
    lo = _number(min_value, "min_value")
    hi = _number(max_value, "max_value")
    if max_denominator is not None:
        _integer(max_denominator, "max_denominator", 1)
    if lo is not None and hi is not None and lo > hi:
        raise InvalidArgument(f"min_value={min_value!r} is greater than max_value={max_value!r}")
    fallback = _simplest_between(lo, hi)
    if max_denominator is not None and fallback.denominator > max_denominator:
        raise InvalidArgument(
            f"no rational with denominator at most max_denominator={max_denominator} lies between "
            f"min_value={min_value!r} and max_value={max_value!r}"
        )
    return _cached(_build_rationals, lo, hi, max_denominator, fallback)


#: Default entries of matrices, weights and data: 0, +-1/2, +-1, +-3/2, +-2.
_SMALL = rationals(min_value=-2, max_value=2, max_denominator=2)


def _build_matrices(n: int, m: int, el: SearchStrategy[Fraction]) -> SearchStrategy[Matrix]:
    # One flat list of entries, row by row: fewer nested draws, the same shrinking.
    return st.lists(el, min_size=n * m, max_size=n * m).map(lambda xs: tuple(tuple(xs[i * m:(i + 1) * m]) for i in range(n)))


def _fixed_matrices(n: int, m: int, el: SearchStrategy[Fraction]) -> SearchStrategy[Matrix]:
    """n x m matrices of *el* (already exact)."""
    return _cached(_build_matrices, n, m, el)


@st.composite
def _drawn_matrices(draw: Any, n_rows: SearchStrategy[int], n_cols: SearchStrategy[int], el: SearchStrategy) -> Matrix:
    return draw(_fixed_matrices(draw(n_rows), draw(n_cols), el))


def rational_matrices(rows: Any, cols: Any, *, elements: Any = None) -> SearchStrategy[Matrix]:
    """Matrices with *rows* rows and *cols* columns of exact rationals, as tuples of rows.

    *rows* and *cols* are non-negative ints or strategies of them (drawn first,
    rows then columns).  *elements* is a strategy of numbers, each converted
    exactly to a Fraction (default: ``rationals(min_value=-2, max_value=2,
    max_denominator=2)``).  A matrix with no rows is ``()``.

    Shrinking: the shape first (when drawn, towards the strategies' smallest
    sizes), then the entries one by one as *elements* shrinks (by default
    towards 0, then small integers), so examples shrink towards the zero matrix.

    >>> from hypothesis import find
    >>> find(rational_matrices(2, 3), lambda m: True)
    ((Fraction(0, 1), Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(0, 1), Fraction(0, 1)))
    """
    n_rows = _size(rows, "rows", 0)
    n_cols = _size(cols, "cols", 0)
    el = _exact(elements)
    if not isinstance(rows, SearchStrategy) and not isinstance(cols, SearchStrategy):
        return _fixed_matrices(rows, cols, el)
    return _drawn_matrices(n_rows, n_cols, el)


def _build_datasets(k: int, d: int, el: SearchStrategy[Fraction], unique: bool) -> SearchStrategy[Matrix]:
    point = st.lists(el, min_size=k, max_size=k).map(tuple)
    return st.lists(point, min_size=d, max_size=d, unique=unique).map(tuple)


@st.composite
def _drawn_datasets(draw: Any, ni: SearchStrategy[int], npts: SearchStrategy[int], el: SearchStrategy, unique: bool) -> Matrix:
    return draw(_cached(_build_datasets, draw(ni), draw(npts), el, unique))


def datasets(n_inputs: Any, n_points: Any, *, elements: Any = None, unique: bool = False) -> SearchStrategy[Matrix]:
    """Data sets: *n_points* data points with *n_inputs* coordinates each, one row per point.

    *n_inputs* (at least 1) and *n_points* (at least 0) are ints or strategies of
    them.  *elements* as for :func:`rational_matrices`.  With ``unique=True`` the
    points are distinct (make sure *elements* offers enough values).

    Shrinking: the number of points towards its minimum (when drawn), then each
    coordinate towards 0 and small integers: data shrinks towards few points at
    the origin (with ``unique=True``, towards distinct points with small
    coordinates such as 0 and 1).

    >>> from hypothesis import find, strategies as st
    >>> [[str(x) for x in p] for p in find(datasets(2, st.integers(1, 3)), lambda d: True)]
    [['0', '0']]
    """
    ni = _size(n_inputs, "n_inputs", 1)
    npts = _size(n_points, "n_points", 0)
    el = _exact(elements)
    _flag(unique, "unique")
    if not isinstance(n_inputs, SearchStrategy) and not isinstance(n_points, SearchStrategy):
        return _cached(_build_datasets, n_inputs, n_points, el, unique)
    return _drawn_datasets(ni, npts, el, unique)


# --- networks ----------------------------------------------------------------------------------


def _identity_like(n_out: int, n_in: int) -> Matrix:
    one, zero = Fraction(1), Fraction(0)
    return tuple(tuple(one if i == j else zero for j in range(n_in)) for i in range(n_out))


#: About one layer in four is the identity-like layer; sampled_from shrinks towards its first option, True.
_PICK_IDENTITY = st.sampled_from((True, False, False, False))


@st.composite
def _network_values(draw: Any, widths: Any, acts: Any, biases: bool, el: SearchStrategy, identity: bool) -> Network:
    w = widths if isinstance(widths, tuple) else _widths(draw(widths), "widths (drawn)")
    depth = len(w) - 1
    layers = []
    for k in range(depth):
        n_in, n_out = w[k], w[k + 1]
        act = _activation(draw, acts, k, depth)
        if identity and draw(_PICK_IDENTITY):
            weights = _identity_like(n_out, n_in)
        else:
            weights = draw(_fixed_matrices(n_out, n_in, el))
        bias = draw(_fixed_matrices(1, n_out, el))[0] if biases else None
        layers.append(Layer(weights, act, bias))
    return Network(layers)


def networks(
    widths: Any,
    *,
    activations: Any = None,
    biases: bool = False,
    elements: Any = None,
    identity: bool = True,
) -> SearchStrategy[Network]:
    """symrep :class:`~symrep.network.Network` objects with the given layer widths.

    *widths* lists the widths of layers 0 (the input) to the output, e.g.
    ``(2, 2, 2)`` for a 2-2-2 network of two dense layers; it may also be a
    strategy of such sequences.

    *activations*: ``None`` (default) for ReLU hidden layers and an identity
    output layer (the seed paper's convention); ``"relu"`` or ``"identity"`` for
    every layer; a sequence with one name per dense layer; or a strategy of
    names, drawn per layer.

    *biases*: ``False`` (default) gives zero biases; ``True`` draws them from
    *elements*.  *elements*: a strategy of numbers for weights and biases, each
    converted exactly (default: ``rationals(min_value=-2, max_value=2,
    max_denominator=2)``).  *identity*: when true (default), each layer is, about
    one time in four, the identity-like layer (``W[i][j] = 1`` if ``i == j``,
    else 0, whatever *elements* holds).

    Shrinking, layer by layer: first to the identity-like layer (when
    *identity* is true), otherwise entry by entry as *elements* shrinks, by
    default towards 0 and then small integers, so towards the zero layer;
    biases towards zero; activations drawn from a strategy towards its first
    option.  The simplest network is therefore the chain of identity-like layers
    (ReLU hidden layers and an identity output layer by default); with
    ``identity=False``, the zero network.

    >>> from hypothesis import find
    >>> net = find(networks((2, 3, 1), identity=False), lambda n: True)
    >>> [(l.weights == ((0,) * l.inputs,) * l.width, l.activation) for l in net.layers]
    [(True, 'relu'), (True, 'identity')]
    """
    concrete = not isinstance(widths, SearchStrategy)
    ws = _widths(widths) if concrete else widths
    acts = _activation_spec(activations, len(ws) - 1 if concrete else None)
    _flag(biases, "biases")
    _flag(identity, "identity")
    el = _exact(elements)
    return _cached(_network_values, ws, acts, biases, el, identity)


def _symmetry_image(draw: Any, net: Network) -> Network:
    """Permute and positively rescale the hidden neurons of *net*: the same function, the same spans.

    ReLU and the identity commute with permutations and positive scalings, so
    hidden neuron ``k`` of the image is ``s_k`` times hidden neuron ``p[k]`` of
    *net*, and the next layer divides by ``s_k``: outputs are identical.
    """
    W = [[list(r) for r in l.weights] for l in net.layers]
    b = [list(l.bias) for l in net.layers]
    for i in range(net.depth - 1):  # hidden layers 1 .. depth-1
        width = net.layers[i].width
        p = draw(st.permutations(range(width)))
        s = [draw(st.sampled_from(_SCALES)) for _ in range(width)]
        W[i] = [[s[k] * x for x in W[i][p[k]]] for k in range(width)]
        b[i] = [s[k] * b[i][p[k]] for k in range(width)]
        W[i + 1] = [[row[p[k]] / s[k] for k in range(width)] for row in W[i + 1]]
    return Network([Layer(w, l.activation, bb) for w, bb, l in zip(W, b, net.layers)])


# --- claim files -------------------------------------------------------------------------------


def _text(m: Matrix) -> list[list[str]]:
    return [[format_number(x) for x in row] for row in m]


@functools.lru_cache(maxsize=64)
def _subsets(width: int) -> SearchStrategy[list[int]]:
    return st.lists(st.integers(0, width - 1), unique=True, max_size=width).map(sorted)


@functools.lru_cache(maxsize=64)
def _subset_pairs(width: int) -> SearchStrategy[list[list[int]]]:
    return st.tuples(_subsets(width), _subsets(width)).map(list)


#: Changes to one entry of an activation matrix (shrink towards +1).
_DELTAS = st.sampled_from((Fraction(1), Fraction(-1), Fraction(1, 2)))


@dataclasses.dataclass(frozen=True)
class _ClaimSpec:
    widths: Any  # a tuple, or a strategy of sequences
    n_networks: SearchStrategy[int]
    n_points: SearchStrategy[int]
    kinds: tuple[str, ...]
    min_claims: int
    max_claims: int
    elements: SearchStrategy[Fraction]
    activations: Any
    biases: bool
    identity: bool
    images: bool
    unique_points: bool
    expect: Any


def _draw_claim(draw: Any, spec: _ClaimSpec, k: int, w: tuple[int, ...], names: list[str], acts: list, d: int) -> dict:
    name = draw(st.sampled_from(spec.kinds))
    kind = REGISTRY[name]
    out: dict[str, Any] = {"id": f"c{k + 1}-{name}", "kind": name}
    if not kind.layered:  # whole networks: any two (they share the architecture)
        pair = draw(st.permutations(names))[:2] if len(names) > 1 else [names[0], names[0]]
        out["networks"] = pair
        return _with_expect(draw, spec, out)
    layer = draw(st.integers(0, len(w) - 1))
    width = w[layer]
    i = draw(st.integers(0, len(names) - 1))
    chosen = [i]
    if kind.networks == 1:
        out["network"] = names[i]
    else:
        j = draw(st.integers(0, len(names) - 2))
        j += j >= i  # a network other than the i-th
        chosen.append(j)
        out["networks"] = [names[i], names[j]]
    out["layer"] = layer
    ctx = DrawContext(st, tuple(acts[c][layer] for c in chosen), width, d, _subset_pairs(width), _EPS, _DELTAS)
    out.update(kind.draw(draw, ctx))
    return _with_expect(draw, spec, out)


def _with_expect(draw: Any, spec: _ClaimSpec, out: dict) -> dict:
    if isinstance(spec.expect, bool):
        out["expect"] = spec.expect
    elif isinstance(spec.expect, SearchStrategy):
        e = draw(spec.expect)
        if not isinstance(e, bool):
            raise InvalidArgument(f"expect drew {e!r}, which is not a boolean")
        out["expect"] = e
    return out


@st.composite
def _problem_values(draw: Any, spec: _ClaimSpec) -> Problem:
    w = spec.widths if isinstance(spec.widths, tuple) else _widths(draw(spec.widths), "widths (drawn)")
    nets_strategy = networks(w, activations=spec.activations, biases=spec.biases, elements=spec.elements, identity=spec.identity)
    data = draw(datasets(w[0], spec.n_points, elements=spec.elements, unique=spec.unique_points))
    count = draw(spec.n_networks)
    names = [(_NAMES[i] if i < len(_NAMES) else f"net{i + 1}") for i in range(count)]
    nets = [draw(nets_strategy)]
    for _ in range(1, count):
        if spec.images and draw(st.booleans()):
            nets.append(_symmetry_image(draw, nets[0]))
        else:
            nets.append(draw(nets_strategy))
    acts = [forward(n, data) for n in nets]
    n_claims = draw(st.integers(spec.min_claims, spec.max_claims))
    doc = {
        "title": "drawn by symrep.strategies.claims",
        "data": {"inputs": _text(data)},
        "networks": {name: {"layers": [layer_to_json(l) for l in net.layers]} for name, net in zip(names, nets)},
        "claims": [_draw_claim(draw, spec, k, w, names, acts, len(data)) for k in range(n_claims)],
    }
    problem = problem_from_mapping(doc)
    if spec.expect == "verdict":
        from symrep.claims.verdicts import verify_problem

        decided = tuple(dataclasses.replace(v.claim, expect=v.claim.expect if v.holds is None else v.holds)
                        for v in verify_problem(problem))
        problem = dataclasses.replace(problem, claims=decided)
    return problem


def claims(
    *,
    widths: Any = (2, 2, 2),
    n_networks: Any = 2,
    n_points: Any = None,
    kinds: Any = None,
    min_claims: int = 1,
    max_claims: int = 4,
    elements: Any = None,
    activations: Any = None,
    biases: bool = False,
    identity: bool = True,
    images: bool = True,
    unique_points: bool = False,
    expect: Any = True,
) -> SearchStrategy[Problem]:
    """Claim files: a valid :class:`symrep.claims.Problem` with data, networks and claims.

    The problem is built as a claim-file mapping and validated by
    :func:`symrep.claims.problem_from_mapping`, so ``dumps_toml`` of it is a
    claim file ``symrep verify`` reads.

    * Data: :func:`datasets` with ``widths[0]`` inputs and *n_points* points (an
      int or a strategy, at least 1; default 1 to 3), entries from *elements*.
    * Networks ``f``, ``g`` (then ``h``, ``net4``, ...): *n_networks* (at least
      2; an int or a strategy) networks of the same *widths*, from
      :func:`networks` with *activations*, *biases*, *elements*, *identity*.
      With ``images=True``, each network after the first is, about half the
      time, a symmetry image of ``f`` (hidden neurons permuted and rescaled by
      positive factors): the same function and the same hidden spans, so
      identical outputs, exact matches and isomorphic spans occur often.
    * Claims: *min_claims* to *max_claims* claims of *kinds* (default and
      choices: :data:`KINDS`, ``activations``, ``dimension``, ``identical``,
      ``exact_match``, ``maximum_match``, ``no_match``, ``isomorphic``; on
      request also :data:`EXTRA_KINDS`, with ``eps``, ``level``, CKA bounds), each about one network or a pair of
      distinct networks at a layer from 0 (the input) to the output.  ``equals``
      is plausible: for ``activations`` the exact activation matrix or that
      matrix with one entry changed; for ``dimension`` the exact dimension or
      another one from 0 to the layer's width; for ``maximum_match`` the exact
      maximum match or other neuron subsets.  ``exact_match`` claims have no
      ``neurons``, the maximum match, or other subsets.  Exact values come from
      symrep (the forward pass, :class:`~symrep.spaces.Subspace`,
      :func:`~symrep.matching.maximum_match`).
    * ``expect``: ``True`` (default, as when a claim file omits it), ``False``, a
      strategy of booleans (drawn per claim), or ``"verdict"``: each claim
      expects its exact verdict as decided by symrep, so the problem verifies.
      ``"verdict"`` makes claim files symrep accepts; it cannot test symrep's
      verdicts themselves (they would be compared with themselves).

    Shrinking: towards fewer claims, the first kind in *kinds* (``activations``
    by default), layer 0, the first networks (``f``, ``g``), exact ``equals``
    values; towards independent networks rather than symmetry images (whose
    permutations shrink to the identity and scales to 1), networks as in
    :func:`networks`, data as in :func:`datasets`, and fewer points.
    """
    concrete = not isinstance(widths, SearchStrategy)
    ws = _widths(widths) if concrete else widths
    if kinds is None:
        kind_list = KINDS
    else:
        if isinstance(kinds, str) or not isinstance(kinds, Sequence) or not kinds:
            raise InvalidArgument(f"kinds={kinds!r} must be a non-empty sequence of claim kinds")
        bad = [k for k in kinds if k not in KINDS + EXTRA_KINDS]
        if bad:
            known = "a claim kind claims() does not draw yet" if bad[0] in REGISTRY else "not a claim kind"
            raise InvalidArgument(f"kinds: {bad[0]!r} is {known} (it draws {', '.join(KINDS + EXTRA_KINDS)})")
        kind_list = tuple(dict.fromkeys(kinds))
    _integer(min_claims, "min_claims", 0)
    _integer(max_claims, "max_claims", 0)
    if max_claims < min_claims:
        raise InvalidArgument(f"max_claims={max_claims} is less than min_claims={min_claims}")
    if not (isinstance(expect, (bool, SearchStrategy)) or (isinstance(expect, str) and expect == "verdict")):
        raise InvalidArgument(f"expect={expect!r} must be True, False, a strategy of booleans or 'verdict'")
    spec = _ClaimSpec(
        widths=ws,
        n_networks=_size(n_networks, "n_networks", 2),
        n_points=st.integers(1, 3) if n_points is None else _size(n_points, "n_points", 1),
        kinds=kind_list,
        min_claims=min_claims,
        max_claims=max_claims,
        elements=_exact(elements),
        activations=_activation_spec(activations, len(ws) - 1 if concrete else None),
        biases=_flag(biases, "biases"),
        identity=_flag(identity, "identity"),
        images=_flag(images, "images"),
        unique_points=_flag(unique_points, "unique_points"),
        expect=expect,
    )
    return _problem_values(spec)
