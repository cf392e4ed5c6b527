"""Measured quantities for the ``relation``, ``triangle`` and ``invariance`` kinds: read, evaluate, compare exactly.

Design note
-----------
A quantity is a registered measure (:func:`symrep.measures.catalog.lookup`: ``"cka"``,
``"match_similarity:1/4"``, any measure another module registers), optionally through a form
that turns a similarity into a distance: ``"1 - M"`` or ``"arccos M"`` (written exactly so).
Its value on two representations is kept as a *closed form* when the measure gives one
(``exact`` or ``square`` of its :class:`~symrep.measures.values.MeasureValue`): a short sum of
square roots of rationals (:class:`~symrep.claims.kinds._surds.Surd`), ``1 - sqrt(q)`` for
``1 - CKA``; for ``arccos M`` the closed form is the cosine, M's value.  Otherwise only the
certified bracket is known.

Comparisons are exact when every value involved has a closed form: the sign of a sum of at
most four square roots (:func:`~symrep.claims.kinds._surds.sign`), or for arccos forms a
monotone comparison of cosines (``arccos a <= arccos b`` iff ``a >= b``) and, in triangles,
:func:`~symrep.claims.kinds._surds.arccos_sum_sign`.  Otherwise the brackets decide when they
separate; each failure to separate re-evaluates the measures with a narrower bracket
(:data:`WIDTHS`: 2^-40, 2^-80, 2^-160, 2^-320), and when even the last cannot separate them
the verdict is ``undecided`` (two values without closed forms may be equal, which no bracket
shows).

Each value comes with *evidence* for the certificate: its closed form as text (``value``) and
what the independent checker needs to re-derive it: nothing more for ``cka`` (the checker
recomputes CKA^2), the removal trace of the maximum match for ``match_similarity``, and for the
spectral measures (:data:`SPECTRAL`: Procrustes, angular Procrustes, CCA, SVCCA) the witness of
their own claim kind (``spectral``: the certified bracket ``lower``/``upper``, ``exact`` or
``square`` where known, and the rational certificate), which the checker re-derives with its
spectral functions.  Measures the checker does not know carry only their value or bracket, and
the checker rejects them.

A spectral measure that is ill-defined here (SVCCA whose k exceeds a rank, or whose k-th and
(k+1)-th singular values tie) or whose bracket cannot be narrowed enough raises
:class:`~symrep.errors.Unresolved`: the claim is ``undecided``, never false.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

from symrep.claims.claim import Claim
from symrep.claims.fields import expect_type, printable
from symrep.claims.kinds._surds import Surd, arccos_sum_sign, sign, surd_text
from symrep.claims.registry import ParseContext
from symrep.claims.witnesses import match_witness
from symrep.errors import ClaimFileError, InputError, SymrepError, Unresolved
from symrep.exact.numbers import Matrix, format_number, to_fraction
from symrep.claims.kinds import angular_procrustes as _angular, cca as _cca, procrustes as _procrustes, svcca as _svcca
from symrep.claims.kinds._spectral import centre, constant
from symrep.measures.alignment import check_arg, match_eps, rsa
from symrep.measures.matching import maximum_match
from symrep.measures.catalog import lookup
from symrep.measures.values import Measure, MeasureValue

__all__ = ["FORMS", "Quantity", "Site", "Value", "WIDTHS", "acts_at", "decide_sign", "difference_sign", "evaluate",
           "layer_of", "read_quantity", "read_site", "triangle_sign"]

#: The spectral measures, each certified by its claim kind (``certify``) with a witness the checker re-derives.
SPECTRAL = {"procrustes": _procrustes.KIND, "angular_procrustes": _angular.KIND, "cca": _cca.KIND, "svcca": _svcca.KIND}
#: The finest bracket asked of a spectral measure (their own kinds stop there too).
SPECTRAL_FINEST = Fraction(1, 10**60)


#: The forms that turn a similarity M into a distance.
FORMS = ("1 - ", "arccos ")
#: Bracket widths tried in turn when brackets do not separate.
WIDTHS = tuple(Fraction(1, 2**k) for k in (40, 80, 160, 320))
_MAX_TEXT = 200


@dataclass(frozen=True)
class Quantity:
    """A measure, optionally as ``1 - M`` or ``arccos M``: ``text`` is the normalised spelling."""

    text: str
    form: str
    spec: str

    @property
    def measure(self) -> Measure:
        return lookup(self.spec)[0]


def read_quantity(raw: Any, at: str) -> Quantity:
    """A quantity from text such as ``"cka"``, ``"1 - cka"``, ``"arccos match_similarity:1/4"``.

    >>> read_quantity("arccos cka", "q").form, read_quantity("match_similarity:0.25", "q").text
    ('arccos ', 'match_similarity:1/4')
    """
    expect_type(raw, str, at, "a measure name such as 'cka', '1 - cka' or 'arccos cka'")
    if len(raw) > _MAX_TEXT:
        raise ClaimFileError(f"{at}: a measure name of {len(raw)} characters is too long")
    printable(raw, at, "measure")
    form = next((f for f in FORMS if raw.startswith(f)), "")
    spec = raw[len(form):]
    try:
        m, arg = lookup(spec, at)
    except InputError as e:
        raise ClaimFileError(str(e)) from None
    if arg is not None:
        try:  # numbers are written in one exact spelling, as everywhere in certificates
            arg = format_number(to_fraction(arg))
        except SymrepError:
            pass
        spec = f"{m.name}:{arg}"
    try:
        check_arg(m.name, arg)
        if m.name == "svcca" and not (arg is not None and arg.isdigit() and 1 <= int(arg) <= 10_000):
            raise InputError("svcca: the argument is k, a whole number of directions from 1 to 10000 (as in 'svcca:10')")
    except InputError as e:
        raise ClaimFileError(f"{at}: {e}") from None
    if not m.in_relations:
        raise ClaimFileError(f"{at}: measure {m.name!r} cannot be used in relation, triangle or invariance claims yet "
                             "(the independent checker does not re-derive it there, so the verdict could not be "
                             f"certified); bound it with a '{m.name}' claim (equals/at_least/at_most) instead")
    if form and m.distance:
        raise ClaimFileError(f"{at}: {form.strip()!r} applies to a similarity, and {m.name!r} is a distance")
    return Quantity(form + spec, form, spec)


@dataclass(frozen=True)
class Site:
    """A representation: a network's activations at a layer."""

    network: str
    layer: int


def read_site(raw: Any, ctx: ParseContext, at: str, default: Site) -> Site:
    """``{network = "f", layer = 1}`` (either may be left out: *default* supplies it)."""
    expect_type(raw, dict, at, "a table {network, layer}")
    extra = sorted(set(raw) - {"network", "layer"})
    if extra:
        raise ClaimFileError(f"{at}: unknown field {extra[0]!r} (allowed: layer, network)")
    name = expect_type(raw.get("network", default.network), str, f"{at}: network", "a network name")
    return Site(name, layer_of(raw.get("layer", default.layer), name, ctx, f"{at}: layer"))


def layer_of(raw: Any, name: str, ctx: ParseContext, at: str) -> int:
    nets = {str(n.name): n for n in ctx.all_networks or ctx.nets}
    if name not in nets:
        raise ClaimFileError(f"{at}: network {name!r} is not defined (defined: {', '.join(nets) or 'none'})")
    layer = expect_type(raw, int, at, "a layer number (0 is the input)")
    if not 0 <= layer <= nets[name].depth:
        raise ClaimFileError(f"{at}: layer {layer} is not between 0 and {nets[name].depth} for network {name!r}")
    return layer


def read_pair(raw: Any, ctx: ParseContext, at: str) -> tuple[str, str]:
    """A pair of network names (each defined in the file)."""
    pair = expect_type(raw, list, at, "a pair of network names")
    if len(pair) != 2:
        raise ClaimFileError(f"{at}: expected two network names, got {len(pair)}")
    a, b = (str(expect_type(n, str, at, "a network name")) for n in pair)
    for n in (a, b):
        layer_of(0, n, ctx, at)
    return a, b


def acts_at(problem: Any, cache: dict[str, Any], site: Site) -> Matrix:
    """The activation matrix at *site* (forward passes cached per network in *cache*)."""
    from symrep.networks.network import forward

    if site.network not in cache:
        cache[site.network] = forward(problem.network(site.network), problem.inputs)
    return cache[site.network][site.layer]


@dataclass(frozen=True)
class Value:
    """A quantity's value: ``terms`` (closed form, their sum; for arccos forms the cosine) or only a bracket."""

    quantity: Quantity
    terms: tuple[Surd, ...] | None
    lower: Fraction
    upper: Fraction
    evidence: dict[str, Any]

    @property
    def arccos(self) -> bool:
        return self.quantity.form == "arccos "


def _closed(v: MeasureValue) -> Surd | None:
    if v.exact is not None:
        return Surd(v.exact)
    return Surd(Fraction(1), v.square) if v.square is not None else None


def spectral_value(name: str, arg: str | None, A: Matrix, B: Matrix, width: Fraction) -> tuple[MeasureValue, dict[str, Any]]:
    """A spectral measure's certified value and its kind's witness as JSON (the checker's evidence)."""
    if not SPECTRAL[name].defined_on_constant and (constant(centre(A)) or constant(centre(B))):
        raise InputError(f"{name} is undefined: a representation is constant over the data")
    claim: Any = None
    if name == "svcca":  # its kind reads k from the claim's parameters
        claim = Claim("svcca", "svcca", (), 0, _svcca.SvccaParams(int(arg or 0), ()))
    try:
        w = SPECTRAL[name].certify(claim, [A, B], max(width, SPECTRAL_FINEST))
    except InputError as e:
        raise Unresolved(f"{name}: {e}") from None
    mv = MeasureValue(name, w["lower"], w["upper"], exact=w.get("exact"), square=w.get("square"))
    return mv, {"spectral": {k: (format_number(v) if isinstance(v, Fraction) else v) for k, v in w.items()}}


def evaluate(q: Quantity, A: Matrix, B: Matrix, width: Fraction = WIDTHS[0]) -> Value:
    """The value of *q* on (A, B), rows = neurons, with its evidence (see the design note)."""
    m, arg = lookup(q.spec)
    evidence: dict[str, Any]
    x: Surd | None = None
    if m.name == "match_similarity":  # the removal trace is the checker's evidence
        mm = maximum_match(A, B, match_eps(arg))
        mv = MeasureValue(m.name, mm.similarity, mm.similarity, exact=mm.similarity)
        evidence = match_witness(mm)
    elif m.name in SPECTRAL:
        mv, evidence = spectral_value(m.name, arg, A, B, width)
    else:
        mv = m.evaluate(A, B, width=width, arg=arg)
        evidence = {}
    if m.name == "rsa":  # a correlation: sign * sqrt(square), possibly negative
        sgn, sq = rsa(A, B, *(arg or ",").partition(",")[::2])
        x = Surd(Fraction(sgn), sq)
    x = x or _closed(mv)
    if x is not None:
        evidence = {"value": surd_text(x), **evidence}
    else:
        evidence = {"lower": format_number(mv.lower), "upper": format_number(mv.upper), **evidence}
    lo, hi = mv.lower, mv.upper
    outside = x is not None and (sign([x, Surd(Fraction(-1))]) > 0 or sign([x, Surd(Fraction(1))]) < 0)
    if q.form == "arccos " and (hi < -1 or lo > 1 or outside):
        raise InputError(f"arccos of {q.spec}: its value is outside [-1, 1]")
    if q.form == "1 - ":
        terms = None if x is None else (Surd(Fraction(1)), -x)
        return Value(q, terms, 1 - hi, 1 - lo, evidence)
    return Value(q, None if x is None else (x,), lo, hi, evidence)


def difference_sign(left: Value, right: Value) -> int | None:
    """sign(left - right), exactly; None when only brackets are known and they overlap.

    >>> from symrep.measures.values import MeasureValue
    >>> q = read_quantity("cka", "q")
    >>> a = evaluate(q, [[1, 2, 3]], [[2, 4, 6]]); b = evaluate(read_quantity("1 - cka", "q"), [[1, 2, 3]], [[2, 4, 6]])
    >>> difference_sign(a, b), difference_sign(b, b)
    (1, 0)
    """
    if left.arccos != right.arccos:
        raise InputError("an arccos quantity is compared only with another arccos quantity")
    if left.terms is not None and right.terms is not None:
        if left.arccos:  # arccos is decreasing
            return sign([*right.terms, *(-t for t in left.terms)])
        return sign([*left.terms, *(-t for t in right.terms)])
    lo, hi = left.lower - right.upper, left.upper - right.lower
    s = 1 if lo > 0 else -1 if hi < 0 else None
    return -s if s is not None and left.arccos else s


def triangle_sign(ab: Value, bc: Value, ac: Value) -> int | None:
    """sign(d(a, b) + d(b, c) - d(a, c)), exactly; None when brackets cannot tell."""
    if all(v.terms is not None for v in (ab, bc, ac)):
        if ab.arccos:
            return arccos_sum_sign(ab.terms[0], bc.terms[0], ac.terms[0])  # type: ignore[index]
        return sign([*ab.terms, *bc.terms, *(-t for t in ac.terms)])  # type: ignore[union-attr,misc]
    if ab.arccos:  # arccos a + arccos b - arccos c falls in a and b and rises in c: its extremes are at the corners
        def clip(x: Fraction) -> Surd:
            return Surd(min(Fraction(1), max(Fraction(-1), x)))
        least = arccos_sum_sign(clip(ab.upper), clip(bc.upper), clip(ac.lower))
        most = arccos_sum_sign(clip(ab.lower), clip(bc.lower), clip(ac.upper))
        return least if least == most and least != 0 else 1 if least > 0 else -1 if most < 0 else None
    lo, hi = ab.lower + bc.lower - ac.upper, ab.upper + bc.upper - ac.lower
    return 1 if lo > 0 else -1 if hi < 0 else None


def decide_sign(evaluators: Sequence[Callable[[Fraction], Value]],
                combine: Callable[[list[Value]], Any]) -> tuple[Any, list[Value]]:
    """``combine`` of the values at the widths of :data:`WIDTHS` in turn, until it decides (or the last width)."""
    values: list[Value] = []
    for width in WIDTHS:
        values = [f(width) for f in evaluators]
        result = combine(values)
        if result is not None or all(v.terms is not None for v in values):
            return result, values
    return None, values


def value_text(v: Value) -> str:
    """The value for a one-line explanation: the form applied to the measure's value."""
    if "value" in v.evidence:
        return f"{v.quantity.form}{v.evidence['value']}"
    return f"in [{format_number(v.lower)}, {format_number(v.upper)}]"


def side_json(v: Value, **where: Any) -> dict[str, Any]:
    """A value's witness: where it was measured, the quantity and the evidence."""
    return {**where, "quantity": v.quantity.text, **v.evidence}


def read_fields(obj: Mapping[str, Any], allowed: set[str], at: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise ClaimFileError(f"{at}: unknown field {extra[0]!r} (allowed: {', '.join(sorted(allowed))})")
