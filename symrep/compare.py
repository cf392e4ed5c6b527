"""Layer-by-layer exact comparison of two networks (or two sets of activations).

For each layer the report gives both widths, the exact dimensions of the two
spans, and, for every eps asked for, the exact maximum (eps-)match and Wang et
al.'s similarity as an exact fraction.  Inputs may be two networks on the same
data, two activation files (``.npy``/``.npz``), or two networks of a claim file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Sequence

from symrep.claims.files import Problem, problem_from_mapping
from symrep.errors import InputError, ShapeError
from symrep.exact.numbers import format_number, to_fraction
from symrep.exact.linalg import IntRows, span_basis
from symrep.measures.matching import MaximumMatch, maximum_match
from symrep.networks.network import Network, forward

__all__ = ["LADDER_WEAKER", "LayerReport", "Pairing", "Side", "check_points", "compare_layers", "compare_networks",
           "ladder_claim_id", "ladder_summary", "load_side", "measure_claim_ids", "pair_sides", "read_side",
           "report_claims"]

#: The equivalence ladder as a partial order: each level and the levels it implies directly.  A permutation
#: is orthogonal, an orthogonal map is a similarity (scale 1), a scaled permutation and a similarity are
#: invertible; scaled_permutation is incomparable with orthogonal and with similarity (the order is
#: argued in the design note of :mod:`symrep.measures.equivalence`).
LADDER_WEAKER: dict[str, tuple[str, ...]] = {
    "identical": ("permutation",),
    "permutation": ("scaled_permutation", "orthogonal"),
    "scaled_permutation": ("linear",),
    "orthogonal": ("similarity",),
    "similarity": ("linear",),
    "linear": ("isomorphic",),
    "isomorphic": (),
}


def _implied(level: str) -> set[str]:
    """Every level strictly weaker than *level* (implied by it)."""
    out: set[str] = set()
    todo = list(LADDER_WEAKER.get(level, ()))
    while todo:
        w = todo.pop()
        if w not in out:
            out.add(w)
            todo.extend(LADDER_WEAKER.get(w, ()))
    return out


def ladder_summary(steps: Sequence[Any]) -> dict[str, list[str]]:
    """Which levels hold and fail, the strongest that hold and the weakest that fail, in the partial order.

    ``strongest`` are the holding levels that no other holding level implies; ``weakest_failing`` the
    failing levels all of whose weaker levels hold (the next steps up from what holds).

    >>> from types import SimpleNamespace as S
    >>> holds = {"identical": 0, "permutation": 0, "scaled_permutation": 1, "orthogonal": 0, "linear": 1, "isomorphic": 1}
    >>> s = ladder_summary([S(level=k, holds=bool(v)) for k, v in holds.items()])
    >>> s["strongest"], s["weakest_failing"]
    (['scaled_permutation'], ['orthogonal'])
    """
    held = [e.level for e in steps if e.holds]
    failed = [e.level for e in steps if not e.holds]
    strongest = [lv for lv in held if not any(lv in _implied(m) for m in held if m != lv)]
    weakest = [lv for lv in failed if not any(m in _implied(lv) for m in failed if m != lv)]
    return {"holds": held, "fails": failed, "strongest": strongest, "weakest_failing": weakest}


@dataclass(frozen=True)
class LayerReport:
    """The exact comparison of one layer: widths, span dimensions and one maximum match per eps."""

    layer: str
    widths: tuple[int, int]
    dimensions: tuple[int, int]
    matches: tuple[tuple[Fraction, MaximumMatch], ...]
    ladder: tuple[Any, ...] = ()
    cka_squared: Fraction | None = None
    read_as: tuple[str, ...] = field(default=())
    measures: tuple[tuple[str, Any], ...] = ()  # (name, MeasureValue) for --measures
    centered_ladder: tuple[Any, ...] = ()  # the ladder after centring each neuron (similarity: CKA's invariance class)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "layer": self.layer,
            "widths": list(self.widths),
            "dimensions": list(self.dimensions),
            "matches": [
                {
                    "eps": format_number(e),
                    "x": list(m.x),
                    "y": list(m.y),
                    "zero_x": list(m.zero_x),
                    "zero_y": list(m.zero_y),
                    "similarity": format_number(m.similarity),
                }
                for e, m in self.matches
            ],
        }
        if self.read_as:
            out["read_as"] = list(self.read_as)
        if self.ladder:
            out["ladder"] = [{"level": e.level, "holds": e.holds, "centered": e.centered, "explanation": e.explanation,
                              "witness": e.witness} for e in self.ladder]
            out["ladder_order"] = {**ladder_summary(self.ladder), "implies": {k: list(v) for k, v in LADDER_WEAKER.items()}}
        if self.centered_ladder:
            out["centered_ladder"] = [{"level": e.level, "holds": e.holds, "centered": e.centered,
                                       "explanation": e.explanation, "witness": e.witness} for e in self.centered_ladder]
        if self.cka_squared is not None:
            out["cka_squared"] = format_number(self.cka_squared)
        if self.measures:
            out["measures"] = {name: measure_json(v) for name, v in self.measures}
        return out

    def _repr_html_(self) -> str:
        from symrep.certificates.display import layer_report_html

        return layer_report_html(self)


def certified_decimal(lower: Fraction, upper: Fraction, limit: int = 40) -> str:
    """The decimal digits that every number of [lower, upper] shares (truncated), e.g. '0.12345'.

    >>> certified_decimal(Fraction(123451, 10**6), Fraction(123459, 10**6))
    '0.12345'

    When not even the integer part is shared, the bracket itself, rounded outwards:

    >>> certified_decimal(Fraction(5, 8), Fraction(1)), certified_decimal(Fraction(-1, 3), Fraction(1, 3))
    ('0.625..1', '-0.333334..0.333334')
    """
    sign = "-" if upper < 0 else ""
    lo, hi = (abs(upper), abs(lower)) if upper < 0 else (lower, upper)
    if lo < 0 or math.floor(lo) != math.floor(hi):  # no digit is shared (it straddles 0 or an integer): the range
        return f"{_digits(lower, 6, math.floor)}..{_digits(upper, 6, math.ceil)}"
    k = 0
    while k < limit and math.floor(lo * 10 ** (k + 1)) == math.floor(hi * 10 ** (k + 1)):
        k += 1
    q = math.floor(lo * 10**k)
    digits = str(q).rjust(k + 1, "0")
    return sign + (digits[:-k] + "." + digits[-k:] if k else digits)


def _digits(q: Fraction, k: int, rounding: Callable[[Fraction], int]) -> str:
    """q with k decimals, rounded by *rounding* (floor: down, ceil: up), trailing zeros dropped."""
    n = rounding(q * 10**k)
    text = str(abs(n)).rjust(k + 1, "0")
    whole, frac = text[:-k], text[-k:].rstrip("0")
    return ("-" if n < 0 else "") + whole + ("." + frac if frac else "")


@dataclass(frozen=True)
class Undefined:
    """A measure that has no value on a layer (e.g. CKA of a representation constant over the data), and why."""

    reason: str


def measure_json(v: Any) -> dict[str, Any]:
    """A certified measure value for --json: lower, upper, value (exact, or null) and its certified decimal."""
    if isinstance(v, Undefined):
        return {"undefined": v.reason, "decimal": "undefined"}
    return {"lower": format_number(v.lower), "upper": format_number(v.upper),
            "value": None if v.exact is None else format_number(v.exact),
            "decimal": certified_decimal(v.lower, v.upper)}


def _width(width: Any) -> Fraction:
    w = to_fraction(width, "--width")
    if not 0 < w < 1:
        raise InputError(f"--width {format_number(w)}: the relative width must be between 0 and 1")
    return w


#: Measures that read the integer rows of :class:`IntRows` directly (the fast path); others get Fractions.
_TAKES_ROWS = frozenset({"cka", "cca", "svcca", "procrustes", "angular_procrustes", "match_similarity"})


def _measures(specs: Sequence[str], A: Any, B: Any, width: Fraction) -> tuple[tuple[str, Any], ...]:
    from symrep.measures.catalog import lookup

    out: list[tuple[str, Any]] = []
    fractions = None
    for spec in specs:
        m, arg = lookup(spec, "--measures")
        try:
            if m.name in _TAKES_ROWS:
                out.append((spec, m.evaluate(A, B, width=width, arg=arg)))
                continue
            fractions = fractions or (A.fractions(), B.fractions())  # the others read lists of rows
            out.append((spec, m.evaluate(*fractions, width=width, arg=arg)))
        except InputError as e:  # undefined on this layer (a constant representation): said so, the rest goes on
            out.append((spec, Undefined(str(e))))
    return tuple(out)


def _rows(m: Any) -> IntRows:
    if isinstance(m, IntRows):
        return m
    if hasattr(m, "dtype"):
        return IntRows.from_array(m)
    return IntRows.of(m)


def compare_layers(
    layers: Sequence[tuple[str, Any, Any]],
    eps: Sequence[Any] = (0,),
    progress: Callable[[int, int], None] | None = None,
    ladder: bool = False,
    sources: tuple[str, str] | None = None,
    measures: Sequence[str] = (),
    width: Any = Fraction(1, 10**12),
) -> list[LayerReport]:
    """Compare activation matrices layer by layer (rows = neurons, same data on both sides).

    With ``ladder``, each layer also gets the equivalence ladder (for layers of
    equal width) and exact linear CKA squared (see :mod:`symrep.equivalence`).  ``sources``
    names the two inputs (files) in error messages.  ``measures`` names registered measures
    (``"cca"``, ``"svcca:10"``; see :mod:`symrep.measures.catalog`), each certified to ``width``.

    >>> r = compare_layers([("hidden", [[1, 0], [1, 0]], [[1, 0], [0, 1]])], eps=[0])
    >>> r[0].dimensions, r[0].matches[0][1].similarity
    ((1, 2), Fraction(3, 4))
    """
    epsilons = [to_fraction(e, "eps") for e in eps]
    if any(e < 0 for e in epsilons):
        raise InputError("eps values must be >= 0")
    total, done = len(layers) * (1 + len(epsilons)), 0
    out = []
    for name, a, b in layers:
        A, B = _rows(a), _rows(b)
        if A.ncols != B.ncols:
            where = f"{sources[0]} and {sources[1]}: " if sources else ""
            raise InputError(f"{where}layer {name}: {A.ncols} and {B.ncols} data points; both sides need the same data")
        dims = (span_basis(A).rank, span_basis(B).rank)
        done += 1
        if progress:
            progress(done, total)
        matches = []
        for e in epsilons:
            matches.append((e, maximum_match(A, B, e)))
            done += 1
            if progress:
                progress(done, total)
        steps: tuple = ()
        centered_steps: tuple = ()
        cka = None
        if ladder:
            from symrep.measures.equivalence import cka_squared, ladder as full_ladder

            FA, FB = A.fractions(), B.fractions()
            steps = tuple(full_ladder(FA, FB))
            centered_steps = tuple(full_ladder(FA, FB, centered=True))
            try:
                cka = cka_squared(FA, FB)
            except InputError:
                cka = None  # a representation constant over the data: CKA undefined
        values = _measures(measures, A, B, _width(width)) if measures else ()
        out.append(LayerReport(name, (len(A), len(B)), dims, tuple(matches), steps, cka, measures=values,
                               centered_ladder=centered_steps))
    return out


def compare_networks(f: Network, g: Network, inputs: Any, layers: Sequence[int] | None = None, **kw) -> list[LayerReport]:
    """Compare two networks with the same layer widths on the same data, layer by layer."""
    if f.widths != g.widths:
        raise InputError(f"the networks have different widths {f.widths} and {g.widths}")
    af, ag = forward(f, inputs), forward(g, inputs)
    chosen = range(f.depth + 1) if layers is None else layers
    for i in chosen:
        if not 0 <= i <= f.depth:
            raise InputError(f"layer {i} is not between 0 and {f.depth}")
    return compare_layers([(str(i), af[i], ag[i]) for i in chosen], **kw)


@dataclass(frozen=True)
class Side:
    """One input of a comparison: activation matrices by layer name (one row per neuron), and how each was read."""

    path: str
    layers: dict[str, Any]
    read_as: dict[str, str]
    single: bool = False  # a lone .npy array: pairs by position
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pairing:
    """Which layers of two sides are compared: ``(label, name in the first, name in the second)`` and what is left out."""

    by: str
    pairs: tuple[tuple[str, str, str], ...]
    left_out: tuple[tuple[str, ...], tuple[str, ...]]

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by, "paired": [[a, b] for _, a, b in self.pairs],
                "left_out": {"first": list(self.left_out[0]), "second": list(self.left_out[1])}}


_SIDECAR_HELP = "a sidecar NAME.activations.toml holding activations = [\"relu\", ..., \"identity\"]"


def sidecar_path(path: str) -> Path:
    """Where the activations of a weights file may be given: ``mlp.pt`` -> ``mlp.activations.toml``.

    >>> sidecar_path("nets/mlp.safetensors").as_posix()
    'nets/mlp.activations.toml'
    """
    p = Path(path)
    return p.with_name(p.stem + ".activations.toml")


def read_sidecar(path: Path) -> list[str]:
    """The activations listed in a sidecar file (TOML, ``activations = [...]``, at most 64 KB)."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            raw = fh.read(65537)
    except OSError as e:
        raise InputError(f"{path}: cannot read the activations file ({e.strerror or e})") from None
    if len(raw) > 65536:
        raise InputError(f"{path}: larger than 64 KB; an activations file holds one list")
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise InputError(f"{path}: not valid TOML ({e})") from None
    acts = doc.get("activations")
    if set(doc) != {"activations"} or not isinstance(acts, list) or not all(isinstance(a, str) for a in acts):
        raise InputError(f"{path}: field 'activations': expected only activations = [\"relu\", ..., \"identity\"]")
    return [a.strip().lower() for a in acts]


def _network_of(path: str, suffix: str, activations: Sequence[str] | None, key: str | None, bounds: Any) -> tuple[Network, str]:
    """The network of a weights file and where its activations came from."""
    from symrep import imports

    if suffix == ".onnx":
        if activations is not None:
            raise InputError(f"{path}: an ONNX graph states its own activations; --activations is for state dicts")
        return imports.network_from_onnx(path), "activations from the ONNX graph"
    source = "--activations"
    if activations is None:
        car = sidecar_path(path)
        if not car.exists():
            raise InputError(
                f"{path}: a state dict records no activation functions; give them with --activations "
                f"relu,...,identity (one per Linear layer) or {_SIDECAR_HELP} ({car})"
            )
        activations, source = read_sidecar(car), str(car)
    if suffix == ".safetensors":
        from symrep.imports.safetensors import load_safetensors

        sd: Any = load_safetensors(path, max_entries=bounds.max_entries, max_total=bounds.max_total,
                                   max_arrays=bounds.max_arrays)
    else:
        sd = imports.load_torch(path, key=key)
    net = imports.network_from_torch(sd, activations=list(activations), name=path)
    return net, f"activations {','.join(activations)} from {source}"


def read_side(path: str, *, data: Any = None, data_file: str | None = None, layout: str | None = None,
              bounds: Any = None, activations: Sequence[str] | None = None, key: str | None = None) -> Side:
    """One input of ``symrep compare``: an activation file, or a network file run on *data* (from *data_file*)."""
    from symrep import imports  # NumPy, PyTorch and ONNX are optional: imported on use

    suffix = Path(path).suffix.lower()
    if suffix in (".npy", ".npz"):
        f = imports.read_activation_file(path, layout=layout, bounds=bounds)
        return Side(path, dict(f.arrays), {k: i.text() for k, i in f.info.items()}, f.single)
    if suffix in (".onnx", ".pt", ".pth", ".safetensors"):
        if data is None:
            raise InputError(f"{path}: a network needs data: give --data POINTS.npy (one row per data point)")
        net, note = _network_of(path, suffix, activations, key, bounds or imports.Bounds())
        try:
            acts = forward(net, data)
        except ShapeError as e:  # e.g. data points with more coordinates than the network has inputs
            raise ShapeError(f"{path}" + (f" on {data_file}" if data_file else "") + f": {e}") from None
        on = f" on {data_file}" if data_file else ""
        read_as = {str(i): f"{path} layer {i}{on}: {len(m[0]) if m else 0} points x {len(m)} neurons"
                   for i, m in enumerate(acts)}
        return Side(path, {str(i): m for i, m in enumerate(acts)}, read_as, False, (f"{path}: {note}",))
    raise InputError(f"{path}: unknown file type {suffix!r} (expected .npy, .npz, .onnx, .pt, .safetensors "
                     "or a claim file .toml)")


def load_side(path: str, *, data: Any = None, data_rows: bool = False, data_file: str | None = None) -> dict[str, Any]:
    """Activation matrices by layer name (see :func:`read_side`); ``data_rows`` as in :mod:`symrep.imports`."""
    return read_side(path, data=data, data_file=data_file, layout=None if data_rows else "neurons-by-points").layers


def _label(a: str, b: str) -> str:
    return a if a == b else f"{a}|{b}"


def pair_sides(a: Side, b: Side, by: str = "auto") -> Pairing:
    """Pair the layers of two sides: lone ``.npy`` arrays by position, other files by name (``by`` forces one).

    By position, the i-th layer of one side goes with the i-th of the other; by name, layers of the same
    name.  What has no partner is left out, and listed.
    """
    if by == "auto":
        by = "position" if a.single and b.single else "name"
    if by == "position":
        ka, kb = list(a.layers), list(b.layers)
        n = min(len(ka), len(kb))
        return Pairing("position", tuple((_label(x, y), x, y) for x, y in zip(ka[:n], kb[:n])),
                       (tuple(ka[n:]), tuple(kb[n:])))
    if by != "name":
        raise InputError(f"--pair {by!r}: expected name, position or auto")
    common = [k for k in a.layers if k in b.layers]
    if not common:
        raise InputError(
            f"{a.path} and {b.path} have no layer names in common ({a.path}: {', '.join(a.layers)}; "
            f"{b.path}: {', '.join(b.layers)}); pair them in file order with --pair position"
        )
    return Pairing("name", tuple((k, k, k) for k in common),
                   (tuple(k for k in a.layers if k not in b.layers), tuple(k for k in b.layers if k not in a.layers)))


def _points(m: Any) -> int:
    return m.ncols if isinstance(m, IntRows) else (len(m[0]) if len(m) else 0)


def check_points(a: Side, b: Side, pairing: Pairing, layout: str | None = None) -> None:
    """Refuse pairs whose two sides have different numbers of data points, naming both files and layers."""
    for label, ka, kb in pairing.pairs:
        pa, pb = _points(a.layers[ka]), _points(b.layers[kb])
        if pa != pb:
            hint = ""
            if Path(a.path).suffix.lower() in (".npy", ".npz") or Path(b.path).suffix.lower() in (".npy", ".npz"):
                other = "neurons-by-points" if layout in (None, "points-by-neurons") else "points-by-neurons"
                hint = f"; if the files store the other orientation, pass --layout {other}"
            raise ShapeError(f"{a.path} and {b.path}: layer {label}: {pa} and {pb} data points; both sides need the "
                             f"same data ({a.read_as[ka]}; {b.read_as[kb]}){hint}")


#: Measures bounded by a claim kind of their own (fields equals/at_least/at_most); others through ``relation``.
_MEASURE_KINDS = ("cka", "procrustes", "angular_procrustes", "cca", "svcca")
#: Longest exact number written into a report's claim (the claim-file bound is 4,000 digits a part).
_MAX_EXACT_TEXT = 3000
_BRACKET_DIGITS = 60


def _exact_or_bracket(q: Fraction) -> dict[str, str]:
    """``{"equals": q}``, or for a number too long for a claim file a 60-digit decimal bracket around it."""
    text = format_number(q)
    if len(text) <= _MAX_EXACT_TEXT:
        return {"equals": text}
    d = 10**_BRACKET_DIGITS
    return {"at_least": format_number(Fraction(math.floor(q * d), d)), "at_most": format_number(Fraction(math.ceil(q * d), d))}


def _bracket(v: Any) -> dict[str, str]:
    """The bounds a certified measure value states: its exact value, sqrt of an exact square, or its bracket."""
    if v.exact is not None:
        return _exact_or_bracket(v.exact)
    if v.square is not None and v.name == "cka" and len(format_number(v.square)) <= _MAX_EXACT_TEXT:
        return {"equals": f"sqrt({format_number(v.square)})"}
    return {"at_least": format_number(v.lower), "at_most": format_number(v.upper)}


def ladder_claim_id(level: str, centered: bool = False) -> str:
    """The id of the claim that certifies one ladder level in a layer's report certificate."""
    return f"{'centered-' if centered else ''}ladder-{level}"


def measure_claim_ids(spec: str) -> tuple[str, ...]:
    """The ids of the claims that certify one ``--measures`` value (two for a bracket through ``relation``)."""
    name = spec.partition(":")[0]
    base = f"measure-{spec}"
    return (base,) if name in _MEASURE_KINDS else (f"{base}-at-least", f"{base}-at-most")


def report_claims(report: LayerReport, *, constant: bool = False) -> list[dict[str, Any]]:
    """Claims (as claim-file tables on networks A and B, layer 1) stating what a report says beyond dimensions and matches.

    Every ladder level, plain and centred, with ``expect`` its verdict; exact CKA squared; each
    ``--measures`` value: its exact value, or its certified bracket, by the measure's own kind or,
    for the measures that have none (``match_similarity``, ``mutual_knn``, ``rsa``), by two
    ``relation`` claims.  A measure that neither can state is left out (and so is not certified);
    so are the spectral measures other than Procrustes when ``constant`` (a side constant over the data,
    where their claim kinds take every bound as false: undefined; the Procrustes distance is then the
    other side's norm, and its kind says so).
    """
    from symrep.measures.catalog import lookup

    on = {"networks": ["A", "B"], "layer": 1}
    claims: list[dict[str, Any]] = []
    for centered, steps in ((False, report.ladder), (True, report.centered_ladder)):
        for e in steps:
            claims.append({"id": ladder_claim_id(e.level, centered), "kind": "equivalence", **on, "level": e.level,
                           "centered": centered, "expect": bool(e.holds)})
    if report.cka_squared is not None:
        claims.append({"id": "cka-squared", "kind": "cka", **on, "squared": True, **_exact_or_bracket(report.cka_squared)})
    for spec, v in report.measures:
        if isinstance(v, Undefined):
            continue
        m, arg = lookup(spec, "--measures")
        bounds = _bracket(v)
        if m.name in _MEASURE_KINDS and constant and m.name not in ("cka", "procrustes"):
            continue
        if m.name in _MEASURE_KINDS:
            extra = {"k": int(arg or 0)} if m.name == "svcca" else {}
            claims.append({"id": measure_claim_ids(spec)[0], "kind": m.name, **on, **extra, **bounds})
        elif m.in_relations:
            lo = bounds.get("at_least", bounds.get("equals"))
            hi = bounds.get("at_most", bounds.get("equals"))
            for cid, rel, value in zip(measure_claim_ids(spec), (">=", "<="), (lo, hi)):
                claims.append({"id": cid, "kind": "relation", **on, "left": {"measure": spec}, "relation": rel,
                               "right": {"value": value}})
    return claims


def layer_problem(report: LayerReport, a: Any, b: Any, *, parts: Sequence[str] = ("matches", "report")) -> Problem:
    """A claim-file problem stating this layer's report for two activation matrices, for a certificate.

    The data points are the columns of A and B side by side, and two one-layer identity networks pick
    out A and B, so layer 1 of network ``A`` is A and of ``B`` is B: the certificate recomputes them.
    ``parts``: ``"matches"`` (the dimensions and maximum matches), ``"report"`` (:func:`report_claims`:
    the ladder, CKA and ``--measures``).
    """
    A, B = _rows(a), _rows(b)
    na, nb = len(A), len(B)
    FA, FB = A.fractions(), B.fractions()
    inputs = [[format_number(x) for x in FA_col + FB_col] for FA_col, FB_col in zip(zip(*FA), zip(*FB))]
    pick = lambda lo, n: [[int(j == lo + i) for j in range(na + nb)] for i in range(n)]  # noqa: E731
    claims: list[dict[str, Any]] = []
    if "matches" in parts:
        claims += [
            {"id": "dimension-A", "kind": "dimension", "network": "A", "layer": 1, "equals": report.dimensions[0]},
            {"id": "dimension-B", "kind": "dimension", "network": "B", "layer": 1, "equals": report.dimensions[1]},
        ]
        for e, m in report.matches:
            claims.append({"id": f"maximum-match-eps-{format_number(e)}", "kind": "maximum_approx_match",
                           "networks": ["A", "B"], "layer": 1, "eps": format_number(e), "equals": [list(m.x), list(m.y)]})
    if "report" in parts:
        claims += report_claims(report, constant=any(all(len(set(r)) <= 1 for r in M) for M in (FA, FB)))
    return problem_from_mapping({
        "title": f"layer {report.layer}: exact comparison",
        "data": {"inputs": inputs},
        "networks": {"A": {"layers": [{"weights": pick(0, na), "activation": "identity"}]},
                     "B": {"layers": [{"weights": pick(na, nb), "activation": "identity"}]}},
        "claims": claims,
    })
