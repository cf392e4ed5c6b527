"""Claim files: data, named networks and claims about their representations.

A claim file is TOML (see ``docs/claim-files.md``)::

    title = "..."
    [data]
    inputs = [[1, 1], [-1, -1]]          # one row per data point
    [networks.f]
    layers = [ { weights = [[1, 0], [0, 1]], activation = "relu" },
               { weights = [[1, -1], [1, -1]], activation = "identity", bias = [0, 0] } ]
    [[claims]]
    id = "hidden-activations-f"
    kind = "activations"
    network = "f"
    layer = 1
    equals = [[1, 1], [1, 1]]
    expect = false

The same structure, with numbers written as exact strings, is the ``problem``
of a certificate (:func:`problem_to_json`, :func:`problem_from_json`).

Files may come from strangers: text is parsed by ``tomllib`` and by the exact
number parser of :mod:`symrep.exact`, nothing is evaluated, unknown keys are
rejected (a misspelt ``expext`` must not be silently ignored), and sizes are
bounded.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from symrep.errors import ClaimFileError, SymrepError
from symrep.exact.numbers import Matrix, as_matrix, format_number, to_fraction
from symrep.networks.network import Layer, Network

__all__ = [
    "CLAIM_KINDS",
    "MAX_FILE_BYTES",
    "Claim",
    "Problem",
    "dumps_toml",
    "load_claim_file",
    "loads_claim_file",
    "domain_to_json",
    "parse_claim_toml",
    "problem_from_json",
    "problem_from_mapping",
    "problem_to_json",
    "read_claim_text",
]

#: Claim kinds and whether each names one network (``network``) or two (``networks``).
CLAIM_KINDS = {
    "activations": 1,
    "dimension": 1,
    "identical": 2,
    "exact_match": 2,
    "maximum_match": 2,
    "no_match": 2,
    "isomorphic": 2,
    "approx_match": 2,
    "maximum_approx_match": 2,
    "match_similarity": 2,
    "simple_match": 2,
    "simple_matches": 2,
    "equivalence": 2,
    "cka": 2,
    "equal_functions": 2,
}
#: Levels of the equivalence ladder (see :mod:`symrep.equivalence`), strongest first.
LEVELS = ("identical", "permutation", "scaled_permutation", "orthogonal", "linear", "isomorphic")
#: Most neurons a side for which simple matches are enumerated (as in :mod:`symrep.simple`).
ENUMERATION_LIMIT = 12
#: Largest claim file read, in bytes.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_CLAIMS = 10_000
MAX_NETWORKS = 1_000
MAX_ENTRIES = 5_000_000  # numbers in data and weights together

_TOP_KEYS = {"title", "description", "source", "data", "networks", "claims"}
_NET_KEYS = {"layers", "description"}
_LAYER_KEYS = {"weights", "bias", "activation"}
_CLAIM_KEYS = {"id", "kind", "network", "networks", "layer", "equals", "expect", "neurons", "statement",
               "eps", "level", "centered", "at_least", "at_most", "domain", "max_regions"}
_NEEDS_EQUALS = ("activations", "dimension", "maximum_match", "maximum_approx_match", "match_similarity",
                 "simple_matches")
_CKA_BOUNDS = ("equals", "at_least", "at_most")  # bounds on linear CKA itself (not squared)
_TAKES_NEURONS = {"exact_match": False, "approx_match": False, "simple_match": True}  # kind -> required
_TAKES_EPS = {"approx_match": True, "maximum_approx_match": True, "match_similarity": False, "simple_match": False,
              "simple_matches": False}


@dataclass(frozen=True)
class Claim:
    """One claim of a claim file, validated.

    ``networks`` holds one name (kinds ``activations``, ``dimension``) or two.
    ``equals`` is normalised per kind: a matrix for ``activations``, an int for
    ``dimension``, a pair of sorted index tuples for ``maximum_match``, else None.
    ``neurons`` is a pair of sorted index tuples (``exact_match``,
    ``approx_match``: optional; ``simple_match``: required).  ``eps`` is the
    relative distance bound of the approximate kinds (0 by default), ``level``
    and ``centered`` belong to ``equivalence``.  For ``maximum_approx_match``
    ``equals`` is a pair of index tuples, for ``match_similarity`` a Fraction.
    """

    id: str
    kind: str
    networks: tuple[str, ...]
    layer: int
    equals: Any = None
    neurons: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    expect: bool = True
    statement: str | None = None
    eps: Fraction | None = None
    level: str | None = None
    centered: bool = False
    bounds: tuple[tuple[str, Fraction], ...] = ()
    domain: Any = None
    max_regions: int | None = None


@dataclass(frozen=True)
class Problem:
    """A parsed claim file: title, data points (rows), named networks, claims."""

    title: str
    inputs: Matrix
    networks: tuple[tuple[str, Network], ...]
    claims: tuple[Claim, ...]
    description: str | None = None
    source: str | None = None

    def network(self, name: str) -> Network:
        for n, net in self.networks:
            if n == name:
                return net
        raise KeyError(name)


def _where(file: str | None, *parts: str) -> str:
    return ": ".join(p for p in (file, *parts) if p)


def _expect_type(value: Any, typ: type | tuple, where: str, what: str) -> Any:
    if isinstance(value, bool) and typ is not bool:
        raise ClaimFileError(f"{where}: expected {what}, got a boolean")
    if not isinstance(value, typ):
        name = "float" if isinstance(value, _TomlFloat) else type(value).__name__
        raise ClaimFileError(f"{where}: expected {what}, got {name} {value!r:.60}")
    return value


def _printable(name: str, where: str, what: str) -> str:
    """Ids and network names appear in one-line verdicts and tables: no control characters or line breaks."""
    if not name.isprintable():
        raise ClaimFileError(f"{where}: {what} {name!r:.60} contains a control character or line break")
    return name


def _unknown(obj: Mapping, allowed: set[str], where: str) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise ClaimFileError(f"{where}: unknown field {extra[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _numbers(value: Any) -> Any:
    """Turn TOML float markers into their decimal text (read exactly later)."""
    if isinstance(value, _TomlFloat):
        return value.text
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


class _TomlFloat:
    """A TOML float kept as the text the user wrote, so ``0.1`` means exactly 1/10."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _index_list(value: Any, where: str) -> tuple[int, ...]:
    _expect_type(value, list, where, "a list of neuron indices")
    out = []
    for k, i in enumerate(value):
        _expect_type(i, int, f"{where}[{k}]", "a neuron index (integer)")
        out.append(i)
    if len(set(out)) != len(out):
        raise ClaimFileError(f"{where}: lists a neuron twice")
    return tuple(sorted(out))


def _index_pair(value: Any, where: str, widths: tuple[int, int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    _expect_type(value, list, where, "a pair of neuron lists [[x...], [y...]]")
    if len(value) != 2:
        raise ClaimFileError(f"{where}: expected a pair of neuron lists [[x...], [y...]], got {len(value)} lists")
    pair = (_index_list(value[0], f"{where}[0]"), _index_list(value[1], f"{where}[1]"))
    for side, idx, w in zip("xy", pair, widths):
        bad = [i for i in idx if not 0 <= i < w]
        if bad:
            raise ClaimFileError(f"{where}: neuron {bad[0]} on side {side} is not between 0 and {w - 1}")
    return pair


def _parse_layer(obj: Any, where: str) -> Layer:
    _expect_type(obj, dict, where, "a table {weights, activation, bias}")
    _unknown(obj, _LAYER_KEYS, where)
    for key in ("weights", "activation"):
        if key not in obj:
            raise ClaimFileError(f"{where}: missing field {key!r}")
    act = _expect_type(obj["activation"], str, f"{where}: activation", "'relu' or 'identity'")
    try:
        return Layer(_numbers(obj["weights"]), act, _numbers(obj.get("bias")), where=where)
    except SymrepError as e:
        raise ClaimFileError(str(e)) from None


def _parse_claim(obj: Any, file: str | None, number: int, nets: Mapping[str, Network]) -> Claim:
    where = _where(file, f"claim #{number}")
    _expect_type(obj, dict, where, "a claim table")
    cid = obj.get("id")
    if cid is None:
        raise ClaimFileError(f"{where}: missing field 'id'")
    _expect_type(cid, str, f"{where}: id", "a string")
    _printable(cid, f"{where}: id", "claim id")
    where = _where(file, f"claim {cid!r}")
    _unknown(obj, _CLAIM_KEYS, where)
    kind = obj.get("kind")
    if kind is None:
        raise ClaimFileError(f"{where}: missing field 'kind'")
    if not isinstance(kind, str) or kind not in CLAIM_KINDS:
        raise ClaimFileError(f"{where}: kind {kind!r:.60} is not one of {', '.join(CLAIM_KINDS)}")
    unused = "networks" if CLAIM_KINDS[kind] == 1 else "network"
    if unused in obj:
        raise ClaimFileError(f"{where}: kind {kind!r} takes no field {unused!r}")
    if CLAIM_KINDS[kind] == 1:
        if "network" not in obj:
            raise ClaimFileError(f"{where}: kind {kind!r} needs field 'network' (one network name)")
        names = (_expect_type(obj["network"], str, f"{where}: network", "a network name"),)
    else:
        if "networks" not in obj:
            raise ClaimFileError(f"{where}: kind {kind!r} needs field 'networks' (a pair of network names)")
        pair = _expect_type(obj["networks"], list, f"{where}: networks", "a pair of network names")
        if len(pair) != 2:
            raise ClaimFileError(f"{where}: networks must name exactly two networks, got {len(pair)}")
        names = tuple(_expect_type(n, str, f"{where}: networks", "a network name") for n in pair)
    for n in names:
        if n not in nets:
            raise ClaimFileError(f"{where}: network {n!r} is not defined (defined: {', '.join(nets) or 'none'})")
    if kind == "equal_functions":  # a claim about whole functions, not about one layer
        if "layer" in obj:
            raise ClaimFileError(f"{where}: kind 'equal_functions' compares whole networks and takes no field 'layer'")
        f, g = (nets[n] for n in names)
        if f.widths[0] != g.widths[0] or f.widths[-1] != g.widths[-1]:
            raise ClaimFileError(f"{where}: the networks need the same numbers of inputs and outputs, "
                                 f"not {f.widths[0]}->{f.widths[-1]} and {g.widths[0]}->{g.widths[-1]}")
        domain = _domain(obj.get("domain"), f.widths[0], where)
        max_regions = obj.get("max_regions")
        if max_regions is not None:
            _expect_type(max_regions, int, f"{where}: max_regions", "a positive integer")
            if not 0 < max_regions <= 10_000_000:
                raise ClaimFileError(f"{where}: max_regions must be between 1 and 10000000")
        for key in sorted(set(obj) - {"id", "kind", "networks", "domain", "expect", "statement", "max_regions"}):
            raise ClaimFileError(f"{where}: kind 'equal_functions' takes no field {key!r}")
        expect = _expect_type(obj.get("expect", True), bool, f"{where}: expect", "true or false")
        statement = obj.get("statement")
        if statement is not None:
            _expect_type(statement, str, f"{where}: statement", "a string")
        return Claim(cid, kind, names, -1, expect=expect, statement=statement, domain=domain, max_regions=max_regions)
    if "domain" in obj:
        raise ClaimFileError(f"{where}: field 'domain' belongs only to kind 'equal_functions'")
    if "layer" not in obj:
        raise ClaimFileError(f"{where}: missing field 'layer'")
    layer = _expect_type(obj["layer"], int, f"{where}: layer", "a layer number (0 is the input)")
    for n in names:
        if not 0 <= layer <= nets[n].depth:
            raise ClaimFileError(f"{where}: layer {layer} is not between 0 and {nets[n].depth} for network {n!r}")
    widths = tuple(nets[n].widths[layer] for n in names)
    expect = _expect_type(obj.get("expect", True), bool, f"{where}: expect", "true or false")
    statement = obj.get("statement")
    if statement is not None:
        _expect_type(statement, str, f"{where}: statement", "a string")
    equals: Any = None
    if kind in _NEEDS_EQUALS:
        if "equals" not in obj:
            raise ClaimFileError(f"{where}: kind {kind!r} needs field 'equals'")
        raw = obj["equals"]
        if kind == "activations":
            try:
                equals = as_matrix(_numbers(raw), f"{where}: equals")
            except SymrepError as e:
                raise ClaimFileError(str(e)) from None
        elif kind == "dimension":
            equals = _expect_type(raw, int, f"{where}: equals", "a dimension (integer)")
            if equals < 0:
                raise ClaimFileError(f"{where}: equals: a dimension cannot be negative")
        elif kind == "match_similarity":
            equals = _number(raw, f"{where}: equals")
        elif kind == "simple_matches":
            _expect_type(raw, list, f"{where}: equals", "a list of matches [[[x...], [y...]], ...]")
            pairs = [_index_pair(p, f"{where}: equals[{k}]", widths) for k, p in enumerate(raw)]
            if len(set(pairs)) != len(pairs):
                raise ClaimFileError(f"{where}: equals lists a match twice")
            equals = tuple(sorted(pairs))
            if max(widths) > ENUMERATION_LIMIT:
                raise ClaimFileError(f"{where}: simple matches are enumerated for at most {ENUMERATION_LIMIT} neurons a side")
        else:
            equals = _index_pair(raw, f"{where}: equals", widths)
    elif "equals" in obj and kind != "cka":
        raise ClaimFileError(f"{where}: kind {kind!r} takes no field 'equals'")
    bounds: list[tuple[str, Fraction]] = []
    for key in _CKA_BOUNDS:
        if key in obj and kind == "cka":
            value = _number(obj[key], f"{where}: {key}")
            if value < 0:
                raise ClaimFileError(f"{where}: {key}: CKA is never negative, {format_number(value)} is")
            bounds.append((key, value))
        elif key in obj and key != "equals":
            raise ClaimFileError(f"{where}: field {key!r} belongs only to kind 'cka'")
    if kind == "cka" and not bounds:
        raise ClaimFileError(f"{where}: kind 'cka' needs at least one of 'equals', 'at_least', 'at_most' (bounds on CKA)")
    neurons = None
    if "neurons" in obj:
        if kind not in _TAKES_NEURONS:
            raise ClaimFileError(f"{where}: field 'neurons' belongs only to kinds {', '.join(_TAKES_NEURONS)}")
        neurons = _index_pair(obj["neurons"], f"{where}: neurons", widths)
    elif _TAKES_NEURONS.get(kind):
        raise ClaimFileError(f"{where}: kind {kind!r} needs field 'neurons' = [[x...], [y...]]")
    eps = None
    if kind in _TAKES_EPS:
        if "eps" in obj:
            eps = _number(obj["eps"], f"{where}: eps")
            if eps < 0:
                raise ClaimFileError(f"{where}: eps: {format_number(eps)} is negative")
        elif _TAKES_EPS[kind]:
            raise ClaimFileError(f"{where}: kind {kind!r} needs field 'eps' (for example eps = \"1/4\")")
        else:
            eps = Fraction(0)
    elif "eps" in obj:
        raise ClaimFileError(f"{where}: kind {kind!r} takes no field 'eps'")
    level, centered = None, False
    if kind == "equivalence":
        if "level" not in obj:
            raise ClaimFileError(f"{where}: kind 'equivalence' needs field 'level' (one of {', '.join(LEVELS)})")
        level = obj["level"]
        if not isinstance(level, str) or level not in LEVELS:
            raise ClaimFileError(f"{where}: level {level!r:.60} is not one of {', '.join(LEVELS)}")
        centered = _expect_type(obj.get("centered", False), bool, f"{where}: centered", "true or false")
    else:
        for key in ("level", "centered"):
            if key in obj:
                raise ClaimFileError(f"{where}: field {key!r} belongs only to kind 'equivalence'")
    return Claim(cid, kind, names, layer, equals, neurons, expect, statement, eps, level, centered, tuple(bounds))


def _domain(raw: Any, n: int, where: str) -> Any:
    """A claim's domain, validated, as exact text: a box ((lo, hi), ...) or constraints ((a, rel, b), ...)."""
    if raw is None:
        return None
    from symrep.relu.regions import as_domain  # the same reading as the decision procedure's

    raw = _numbers(raw)
    if not isinstance(raw, list) or not raw:
        raise ClaimFileError(f"{where}: domain: expected a box [[lo, hi], ...] or a list of constraints")
    for k, con in enumerate(raw):
        if isinstance(con, dict):
            if set(con) != {"coefficients", "relation", "bound"} or con["relation"] not in ("<=", ">=", "=="):
                raise ClaimFileError(f"{where}: domain[{k}]: expected {{coefficients = [...], relation = "
                                     f"\"<=\" | \">=\" | \"==\", bound = b}}")
            if not isinstance(con["coefficients"], list):
                raise ClaimFileError(f"{where}: domain[{k}]: coefficients must be a list of numbers")
        elif not (isinstance(con, list) and len(con) == 2):
            raise ClaimFileError(f"{where}: domain[{k}]: expected [lo, hi] or a constraint table")
    try:
        as_domain(raw, n)
    except SymrepError as e:
        raise ClaimFileError(f"{where}: {e}") from None
    if all(isinstance(p, list) and len(p) == 2 for p in raw):
        return tuple((format_number(to_fraction(lo)), format_number(to_fraction(hi))) for lo, hi in raw)
    out = []
    for k, con in enumerate(raw):
        if not isinstance(con, dict) or set(con) != {"coefficients", "relation", "bound"}:
            raise ClaimFileError(f"{where}: domain[{k}]: expected {{coefficients = [...], relation = \"<=\", bound = b}}")
        out.append((tuple(format_number(to_fraction(a)) for a in con["coefficients"]), con["relation"],
                    format_number(to_fraction(con["bound"]))))
    return tuple(out)


def domain_to_json(domain: Any) -> Any:
    """The JSON form of a claim's domain (as in certificates)."""
    if domain is None:
        return None
    if all(len(p) == 2 for p in domain):
        return [list(p) for p in domain]
    return [{"coefficients": list(a), "relation": rel, "bound": b} for a, rel, b in domain]


def _number(raw: Any, where: str) -> Fraction:
    try:
        return to_fraction(_numbers(raw), where)
    except SymrepError as e:
        raise ClaimFileError(str(e)) from None


def _count_entries(value: Any) -> int:
    if isinstance(value, list):
        return sum(_count_entries(v) for v in value)
    return 1


def problem_from_mapping(doc: Mapping[str, Any], file: str | None = None) -> Problem:
    """Validate a parsed claim file (TOML tables or certificate JSON) into a :class:`Problem`."""
    _expect_type(doc, dict, _where(file), "a table")
    if "parameters" in doc:
        raise ClaimFileError(f"{_where(file) or 'claim file'}: declares [parameters]: a parametric claim file "
                             "(symrep verify reads it; from Python use symrep.parametric.load_parametric_claim_file)")
    _unknown(doc, _TOP_KEYS, _where(file) or "claim file")
    title = doc.get("title", "")
    _expect_type(title, str, _where(file, "title"), "a string")
    for key in ("description", "source"):
        if key in doc:
            _expect_type(doc[key], str, _where(file, key), "a string")
    data = doc.get("data")
    if data is None:
        raise ClaimFileError(f"{_where(file) or 'claim file'}: missing table [data]")
    _expect_type(data, dict, _where(file, "data"), "a table with 'inputs'")
    _unknown(data, {"inputs"}, _where(file, "data"))
    if "inputs" not in data:
        raise ClaimFileError(f"{_where(file, 'data')}: missing field 'inputs' (one row per data point)")
    n_entries = _count_entries(data["inputs"])
    try:
        inputs = as_matrix(_numbers(data["inputs"]), _where(file, "data", "inputs"))
    except SymrepError as e:
        raise ClaimFileError(str(e)) from None
    if not inputs or not inputs[0]:
        raise ClaimFileError(f"{_where(file, 'data', 'inputs')}: needs at least one data point with at least one coordinate")
    nets_raw = doc.get("networks")
    if not nets_raw:
        raise ClaimFileError(f"{_where(file) or 'claim file'}: missing table [networks.NAME]")
    _expect_type(nets_raw, dict, _where(file, "networks"), "tables [networks.NAME]")
    if len(nets_raw) > MAX_NETWORKS:
        raise ClaimFileError(f"{_where(file, 'networks')}: more than {MAX_NETWORKS} networks")
    nets: dict[str, Network] = {}
    for name, spec in nets_raw.items():
        where = _where(file, f"network {name!r}")
        _printable(name, where, "network name")
        _expect_type(spec, dict, where, "a table with 'layers'")
        _unknown(spec, _NET_KEYS, where)
        if "layers" not in spec:
            raise ClaimFileError(f"{where}: missing field 'layers'")
        layers_raw = _expect_type(spec["layers"], list, f"{where}: layers", "a list of layer tables")
        n_entries += _count_entries([[l.get("weights"), l.get("bias")] for l in layers_raw if isinstance(l, dict)])
        if n_entries > MAX_ENTRIES:
            raise ClaimFileError(f"{_where(file)}: more than {MAX_ENTRIES} numbers in data and weights")
        layers = [_parse_layer(l, f"{where}: layer {i + 1}") for i, l in enumerate(layers_raw)]
        try:
            net = Network(layers, name=name)
        except SymrepError as e:
            raise ClaimFileError(f"{_where(file)}: {e}") from None
        if net.widths[0] != len(inputs[0]):
            raise ClaimFileError(
                f"{where}: takes {net.widths[0]} inputs but the data points have {len(inputs[0])} coordinates"
            )
        nets[name] = net
    claims_raw = doc.get("claims", [])
    _expect_type(claims_raw, list, _where(file, "claims"), "an array of tables [[claims]]")
    if len(claims_raw) > MAX_CLAIMS:
        raise ClaimFileError(f"{_where(file, 'claims')}: more than {MAX_CLAIMS} claims")
    claims = []
    seen = set()
    for k, c in enumerate(claims_raw):
        claim = _parse_claim(c, file, k + 1, nets)
        if claim.id in seen:
            raise ClaimFileError(f"{_where(file)}: claim id {claim.id!r} is used twice")
        seen.add(claim.id)
        claims.append(claim)
    return Problem(title, inputs, tuple(nets.items()), tuple(claims), doc.get("description"), doc.get("source"))


def loads_claim_file(text: str, file: str | None = None) -> Problem:
    """Parse claim-file TOML text.

    >>> p = loads_claim_file('''
    ... [data]
    ... inputs = [[1, 0.5]]
    ... [networks.f]
    ... layers = [{weights = [[1, 1]], activation = "relu"}]
    ... ''')
    >>> p.inputs
    ((Fraction(1, 1), Fraction(1, 2)),)
    """
    return problem_from_mapping(parse_claim_toml(text, file), file)


def parse_claim_toml(text: str, file: str | None = None) -> dict[str, Any]:
    """Claim-file TOML text as tables, with TOML floats kept as the decimals written (bounded, never evaluated)."""
    if len(text) > MAX_FILE_BYTES:
        raise ClaimFileError(f"{_where(file) or 'claim file'}: larger than {MAX_FILE_BYTES} bytes")
    try:
        doc = tomllib.loads(text, parse_float=_TomlFloat)
    except tomllib.TOMLDecodeError as e:
        raise ClaimFileError(f"{_where(file) or 'claim file'}: not valid TOML: {e}") from None
    except (ValueError, RecursionError) as e:  # e.g. an integer with more digits than Python converts
        limit = sys.get_int_max_str_digits()
        runs = re.finditer(r"[0-9][0-9_]*", text) if isinstance(e, ValueError) and limit else ()
        long = next((m for m in runs if len(m.group().replace("_", "")) > limit), None)
        if long:
            line = text.count("\n", 0, long.start()) + 1
            raise ClaimFileError(
                f"{_where(file) or 'claim file'}: line {line}: an integer with more than {limit} digits is too large"
            ) from None
        raise ClaimFileError(f"{_where(file) or 'claim file'}: cannot be read: {str(e)[:200]}") from None
    return doc


def read_claim_text(path: str | Path) -> str:
    """The text of a claim file on disk (bounded in size, UTF-8, a byte-order mark allowed)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ClaimFileError(f"{p}: {size} bytes is larger than the limit of {MAX_FILE_BYTES}")
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ClaimFileError(f"{p}: not UTF-8 text") from None
    except OSError as e:
        raise ClaimFileError(f"{p}: cannot be read ({e.strerror or e})") from None


def load_claim_file(path: str | Path) -> Problem:
    """Read and validate a claim file from disk."""
    return loads_claim_file(read_claim_text(path), str(path))


# --- writing -------------------------------------------------------------------------------


def _num(q: Fraction) -> Any:
    return format_number(q)


def _claim_to_json(c: Claim) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "kind": c.kind}
    if CLAIM_KINDS[c.kind] == 1:
        out["network"] = c.networks[0]
    else:
        out["networks"] = list(c.networks)
    if c.kind == "equal_functions":
        if c.domain is not None:
            out["domain"] = domain_to_json(c.domain)
        if c.max_regions is not None:
            out["max_regions"] = c.max_regions
    else:
        out["layer"] = c.layer
    if c.kind == "activations":
        out["equals"] = [[_num(x) for x in row] for row in c.equals]
    elif c.kind == "dimension":
        out["equals"] = c.equals
    elif c.kind in ("maximum_match", "maximum_approx_match"):
        out["equals"] = [list(c.equals[0]), list(c.equals[1])]
    elif c.kind == "match_similarity":
        out["equals"] = _num(c.equals)
    elif c.kind == "simple_matches":
        out["equals"] = [[list(x), list(y)] for x, y in c.equals]
    if c.neurons is not None:
        out["neurons"] = [list(c.neurons[0]), list(c.neurons[1])]
    if c.eps is not None:
        out["eps"] = _num(c.eps)
    if c.level is not None:
        out["level"] = c.level
        out["centered"] = c.centered
    for key, value in c.bounds:
        out[key] = _num(value)
    out["expect"] = c.expect
    if c.statement is not None:
        out["statement"] = c.statement
    return out


def _layer_to_json(layer: Layer) -> dict[str, Any]:
    return {
        "weights": [[_num(x) for x in row] for row in layer.weights],
        "bias": [_num(x) for x in layer.bias],
        "activation": layer.activation,
    }


def problem_to_json(p: Problem) -> dict[str, Any]:
    """The problem as JSON-ready data with the claim file's keys; numbers as exact strings."""
    out: dict[str, Any] = {"title": p.title}
    if p.description is not None:
        out["description"] = p.description
    if p.source is not None:
        out["source"] = p.source
    out["data"] = {"inputs": [[_num(x) for x in row] for row in p.inputs]}
    out["networks"] = {name: {"layers": [_layer_to_json(l) for l in net.layers]} for name, net in p.networks}
    out["claims"] = [_claim_to_json(c) for c in p.claims]
    return out


def problem_from_json(doc: Any, file: str | None = None) -> Problem:
    """Inverse of :func:`problem_to_json` (validated like a claim file)."""
    return problem_from_mapping(doc, file)


_INTEGER_TEXT = re.compile(r"-?[0-9]+")


def _toml_value(v: Any, numbers: bool = False) -> str:
    """TOML text of *v*; with *numbers*, strings holding integers are written bare."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        if numbers and _INTEGER_TEXT.fullmatch(v):
            return v  # exact integers need no quotes (ids and names stay strings)
        return _toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x, numbers) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x, numbers)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def _toml_string(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    out = "".join(ch if ord(ch) >= 0x20 and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in out)
    return f'"{out}"'


def dumps_toml(p: Problem) -> str:
    """The problem as claim-file TOML (non-integers as exact ``"p/q"`` strings); round-trips."""
    j = problem_to_json(p)
    lines = [f"title = {_toml_string(j['title'])}"]
    for key in ("description", "source"):
        if key in j:
            lines.append(f"{key} = {_toml_string(j[key])}")
    lines += ["", "[data]", f"inputs = {_toml_value(j['data']['inputs'], numbers=True)}"]
    for name, net in j["networks"].items():
        lines += ["", f"[networks.{_toml_string(name)}]", "layers = ["]
        lines += [f"  {_toml_value(l, numbers=True)}," for l in net["layers"]]
        lines.append("]")
    for c in j["claims"]:
        lines += ["", "[[claims]]"] + [f"{k} = {_toml_value(v, numbers=k == 'equals')}" for k, v in c.items()]
    return "\n".join(lines) + "\n"
