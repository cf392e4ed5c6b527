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
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping, Sequence

from symrep.claims.claim import Claim, Problem
from symrep.claims.fields import TomlFloat, expect_type, numbers_as_text, printable, unknown_fields, where
from symrep.claims.kinds import REGISTRY
from symrep.claims.kinds.equal_functions import domain_to_json
from symrep.claims.registry import ClaimKind, ParseContext
from symrep.errors import ClaimFileError, SymrepError
from symrep.exact.numbers import MAX_DIGITS, as_matrix, format_number
from symrep.measures.equivalence import LEVELS  # noqa: F401 - re-exported: symrep 0.1 had it here
from symrep.measures.simple import ENUMERATION_LIMIT  # noqa: F401 - re-exported, likewise
from symrep.networks.network import Layer, Network

__all__ = [
    "CLAIM_KINDS",
    "MAX_FILE_BYTES",
    "Claim",
    "Problem",
    "dumps_toml",
    "layer_to_json",
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
CLAIM_KINDS = {name: k.networks for name, k in REGISTRY.items()}
#: Largest claim file read, in bytes.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_CLAIMS = 10_000
MAX_NETWORKS = 1_000
MAX_ENTRIES = 5_000_000  # numbers in data and weights together

_TOP_KEYS = {"title", "description", "source", "data", "networks", "claims"}
_NET_KEYS = {"layers", "description"}
_LAYER_KEYS = {"weights", "bias", "activation"}
#: Fields every claim may have; each kind adds its own (``ClaimKind.fields``).
COMMON_FIELDS = frozenset({"id", "kind", "network", "networks", "layer", "expect", "statement"})


def _all_fields() -> frozenset[str]:
    """Every field some claim kind takes (read from the registry each time, so a new kind needs no other change)."""
    return COMMON_FIELDS.union(*(k.fields for k in REGISTRY.values()))


# The readers of symrep 0.1's private names, used by the parametric reader.
_where, _numbers, _TomlFloat, _expect_type = where, numbers_as_text, TomlFloat, expect_type
_unknown, _printable = unknown_fields, printable


def _parse_layer(obj: Any, at: str) -> Layer:
    expect_type(obj, dict, at, "a table {weights, activation, bias}")
    unknown_fields(obj, _LAYER_KEYS, at)
    for key in ("weights", "activation"):
        if key not in obj:
            raise ClaimFileError(f"{at}: missing field {key!r}")
    act = expect_type(obj["activation"], str, f"{at}: activation", "'relu' or 'identity'")
    try:
        return Layer(numbers_as_text(obj["weights"]), act, numbers_as_text(obj.get("bias")), where=at)
    except SymrepError as e:
        raise ClaimFileError(str(e)) from None


def _foreign_field(kind: ClaimKind, key: str, at: str) -> ClaimFileError:
    """The error for a field that belongs to other kinds, naming them."""
    owners = [name for name, k in REGISTRY.items() if key in k.fields]
    if not kind.layered or key in ("equals", "eps") or not owners:
        return ClaimFileError(f"{at}: kind {kind.name!r} takes no field {key!r}")
    named = f"kind {owners[0]!r}" if len(owners) == 1 else "kinds " + ", ".join(owners)
    return ClaimFileError(f"{at}: field {key!r} belongs only to {named}")


def _claim_networks(obj: Mapping[str, Any], kind: ClaimKind, at: str, nets: Mapping[str, Network]) -> tuple[str, ...]:
    unused = "networks" if kind.networks == 1 else "network"
    if unused in obj:
        raise ClaimFileError(f"{at}: kind {kind.name!r} takes no field {unused!r}")
    if kind.networks == 1:
        if "network" not in obj:
            raise ClaimFileError(f"{at}: kind {kind.name!r} needs field 'network' (one network name)")
        names: tuple[str, ...] = (expect_type(obj["network"], str, f"{at}: network", "a network name"),)
    else:
        if "networks" not in obj:
            raise ClaimFileError(f"{at}: kind {kind.name!r} needs field 'networks' (a pair of network names)")
        pair = expect_type(obj["networks"], list, f"{at}: networks", "a pair of network names")
        if len(pair) != 2:
            raise ClaimFileError(f"{at}: networks must name exactly two networks, got {len(pair)}")
        names = tuple(expect_type(n, str, f"{at}: networks", "a network name") for n in pair)
    for n in names:
        if n not in nets:
            raise ClaimFileError(f"{at}: network {n!r} is not defined (defined: {', '.join(nets) or 'none'})")
    return names


def _claim_layer(obj: Mapping[str, Any], kind: ClaimKind, at: str, nets: Sequence[Network]) -> int | None:
    if not kind.layered:
        if "layer" in obj:
            raise ClaimFileError(f"{at}: kind {kind.name!r} compares whole networks and takes no field 'layer'")
        return None
    if "layer" not in obj:
        raise ClaimFileError(f"{at}: missing field 'layer'")
    layer = expect_type(obj["layer"], int, f"{at}: layer", "a layer number (0 is the input)")
    for net in nets:
        if not 0 <= layer <= net.depth:
            raise ClaimFileError(f"{at}: layer {layer} is not between 0 and {net.depth} for network {net.name!r}")
    return layer


def _parse_claim(obj: Any, file: str | None, number: int, nets: Mapping[str, Network]) -> Claim:
    at = where(file, f"claim #{number}")
    expect_type(obj, dict, at, "a claim table")
    cid = obj.get("id")
    if cid is None:
        raise ClaimFileError(f"{at}: missing field 'id'")
    expect_type(cid, str, f"{at}: id", "a string")
    printable(cid, f"{at}: id", "claim id")
    at = where(file, f"claim {cid!r}")
    unknown_fields(obj, _all_fields(), at)
    name = obj.get("kind")
    if name is None:
        raise ClaimFileError(f"{at}: missing field 'kind'")
    if not isinstance(name, str) or name not in REGISTRY:
        raise ClaimFileError(f"{at}: kind {name!r:.60} is not a claim kind ('symrep kinds' lists all {len(REGISTRY)})")
    kind = REGISTRY[name]
    names = _claim_networks(obj, kind, at, nets)
    for key in sorted(set(obj) - COMMON_FIELDS - kind.fields):
        raise _foreign_field(kind, key, at)
    chosen = tuple(nets[n] for n in names)
    layer = _claim_layer(obj, kind, at, chosen)
    expect = expect_type(obj.get("expect", True), bool, f"{at}: expect", "true or false")
    statement = obj.get("statement")
    if statement is not None:
        expect_type(statement, str, f"{at}: statement", "a string")
    widths = tuple(n.widths[layer] for n in chosen) if layer is not None else ()
    params = kind.parse(obj, ParseContext(at, name, chosen, layer, widths, tuple(nets.values())))
    return Claim(cid, name, names, layer, params, expect, statement)


def _count_entries(value: Any) -> int:
    if isinstance(value, list):
        return sum(_count_entries(v) for v in value)
    return 1


def _parse_inputs(doc: Mapping[str, Any], file: str | None) -> tuple[Any, int]:
    """The data points (rows) and how many numbers they hold."""
    data = doc.get("data")
    if data is None:
        raise ClaimFileError(f"{where(file) or 'claim file'}: missing table [data]")
    expect_type(data, dict, where(file, "data"), "a table with 'inputs'")
    unknown_fields(data, {"inputs"}, where(file, "data"))
    if "inputs" not in data:
        raise ClaimFileError(f"{where(file, 'data')}: missing field 'inputs' (one row per data point)")
    try:
        inputs = as_matrix(numbers_as_text(data["inputs"]), where(file, "data", "inputs"))
    except SymrepError as e:
        raise ClaimFileError(str(e)) from None
    if not inputs or not inputs[0]:
        raise ClaimFileError(f"{where(file, 'data', 'inputs')}: needs at least one data point with at least one coordinate")
    return inputs, _count_entries(data["inputs"])


def _parse_networks(doc: Mapping[str, Any], file: str | None, n_inputs: int, n_entries: int) -> dict[str, Network]:
    """The named networks, each taking *n_inputs* inputs (numbers counted against :data:`MAX_ENTRIES`)."""
    nets_raw = doc.get("networks")
    if not nets_raw:
        raise ClaimFileError(f"{where(file) or 'claim file'}: missing table [networks.NAME]")
    expect_type(nets_raw, dict, where(file, "networks"), "tables [networks.NAME]")
    if len(nets_raw) > MAX_NETWORKS:
        raise ClaimFileError(f"{where(file, 'networks')}: more than {MAX_NETWORKS} networks")
    nets: dict[str, Network] = {}
    for name, spec in nets_raw.items():
        at = where(file, f"network {name!r}")
        printable(name, at, "network name")
        expect_type(spec, dict, at, "a table with 'layers'")
        unknown_fields(spec, _NET_KEYS, at)
        if "layers" not in spec:
            raise ClaimFileError(f"{at}: missing field 'layers'")
        layers_raw = expect_type(spec["layers"], list, f"{at}: layers", "a list of layer tables")
        n_entries += _count_entries([[l.get("weights"), l.get("bias")] for l in layers_raw if isinstance(l, dict)])
        if n_entries > MAX_ENTRIES:
            raise ClaimFileError(f"{where(file)}: more than {MAX_ENTRIES} numbers in data and weights")
        layers = [_parse_layer(l, f"{at}: layer {i + 1}") for i, l in enumerate(layers_raw)]
        try:
            net = Network(layers, name=name)
        except SymrepError as e:
            raise ClaimFileError(f"{where(file)}: {e}") from None
        if net.widths[0] != n_inputs:
            raise ClaimFileError(f"{at}: takes {net.widths[0]} inputs but the data points have {n_inputs} coordinates")
        nets[name] = net
    return nets


def _parse_claims(doc: Mapping[str, Any], file: str | None, nets: Mapping[str, Network]) -> tuple[Claim, ...]:
    claims_raw = doc.get("claims", [])
    expect_type(claims_raw, list, where(file, "claims"), "an array of tables [[claims]]")
    if len(claims_raw) > MAX_CLAIMS:
        raise ClaimFileError(f"{where(file, 'claims')}: more than {MAX_CLAIMS} claims")
    claims: list[Claim] = []
    seen = set()
    for k, c in enumerate(claims_raw):
        claim = _parse_claim(c, file, k + 1, nets)
        if claim.id in seen:
            raise ClaimFileError(f"{where(file)}: claim id {claim.id!r} is used twice")
        seen.add(claim.id)
        claims.append(claim)
    return tuple(claims)


def problem_from_mapping(doc: Mapping[str, Any], file: str | None = None) -> Problem:
    """Validate a parsed claim file (TOML tables or certificate JSON) into a :class:`Problem`."""
    expect_type(doc, dict, where(file), "a table")
    if "parameters" in doc:
        raise ClaimFileError(f"{where(file) or 'claim file'}: declares [parameters]: a parametric claim file "
                             "(symrep verify reads it; from Python use symrep.parametric.load_parametric_claim_file)")
    unknown_fields(doc, _TOP_KEYS, where(file) or "claim file")
    title = doc.get("title", "")
    expect_type(title, str, where(file, "title"), "a string")
    for key in ("description", "source"):
        if key in doc:
            expect_type(doc[key], str, where(file, key), "a string")
    inputs, n_entries = _parse_inputs(doc, file)
    nets = _parse_networks(doc, file, len(inputs[0]), n_entries)
    claims = _parse_claims(doc, file, nets)
    return Problem(title, inputs, tuple(nets.items()), claims, doc.get("description"), doc.get("source"))


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
        raise ClaimFileError(f"{where(file) or 'claim file'}: larger than {MAX_FILE_BYTES} bytes")
    try:
        doc = tomllib.loads(text, parse_float=TomlFloat)
    except tomllib.TOMLDecodeError as e:
        if _is_certificate(text):  # a common slip: `symrep verify CERT.json` instead of `symrep check CERT.json`
            name = file or "CERT.json"
            raise ClaimFileError(f"{name}: this is a symrep certificate (JSON), not a claim file; "
                                 f"re-check it with `symrep check {name}`") from None
        raise ClaimFileError(f"{where(file) or 'claim file'}: not valid TOML: {e}") from None
    except (ValueError, RecursionError) as e:  # e.g. an integer with more digits than Python converts
        limit = sys.get_int_max_str_digits()
        runs = re.finditer(r"[0-9][0-9_]*", text) if isinstance(e, ValueError) and limit else ()
        long = next((m for m in runs if len(m.group().replace("_", "")) > limit), None)
        if long:
            line = text.count("\n", 0, long.start()) + 1
            raise ClaimFileError(
                f"{where(file) or 'claim file'}: line {line}: an integer with more than {limit} digits is too large"
            ) from None
        raise ClaimFileError(f"{where(file) or 'claim file'}: cannot be read: {str(e)[:200]}") from None
    try:
        _refuse_long_integers(doc, where(file) or "claim file")
    except RecursionError:
        raise ClaimFileError(f"{where(file) or 'claim file'}: nested too deeply") from None
    return doc


#: Integers of a claim file have at most MAX_DIGITS decimal digits, like numbers written as text.
_INTEGER_BOUND = 10**MAX_DIGITS


def _refuse_long_integers(value: Any, at: str) -> None:
    """Refuse a TOML integer of more than MAX_DIGITS digits, naming the field (tomllib reads up to Python's 4,300)."""
    if isinstance(value, dict):
        for k, v in value.items():
            _refuse_long_integers(v, f"{at}: {_key(k)}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _refuse_long_integers(v, f"{at}[{i}]")
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INTEGER_BOUND:
        raise ClaimFileError(f"{at}: integer with more than {MAX_DIGITS} digits is too large")


def _key(k: Any) -> str:
    """A table key for a message: on one short line."""
    k = str(k)
    return k[:60] if k.isprintable() else repr(k)[:60]


def _is_certificate(text: str) -> bool:
    """Whether *text* is JSON with a ``format`` field: a certificate given where a claim file is expected."""
    import json

    if not text.lstrip().startswith("{"):
        return False
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):  # not JSON either: report the TOML error
        return False
    return isinstance(doc, dict) and "format" in doc


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
    kind = REGISTRY[c.kind]
    out: dict[str, Any] = {"id": c.id, "kind": c.kind}
    if kind.networks == 1:
        out["network"] = c.networks[0]
    else:
        out["networks"] = list(c.networks)
    if kind.layered:
        out["layer"] = c.layer
    out.update(kind.params_to_json(c.params))
    out["expect"] = c.expect
    if c.statement is not None:
        out["statement"] = c.statement
    return out


def layer_to_json(layer: Layer) -> dict[str, Any]:
    """A layer as claim-file data: weights, bias (exact strings) and activation."""
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
    out["networks"] = {name: {"layers": [layer_to_json(l) for l in net.layers]} for name, net in p.networks}
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


_layer_to_json = layer_to_json  # the name symrep 0.1 used
