"""Parametric claim files: networks whose weights and biases are rational functions of parameters."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from symrep.claims.claim import Claim, Problem
from symrep.claims.fields import numbers_as_text as _numbers
from symrep.claims.fields import where as _where
from symrep.claims.files import parse_claim_toml, problem_from_mapping, read_claim_text
from symrep.errors import ClaimFileError, InputError, SymrepError
from symrep.exact.numbers import is_number_text
from symrep.networks.network import Layer, Network
from symrep.parametric.params import ParameterSpace

# --- parametric networks and problems ----------------------------------------------------------------


@dataclass(frozen=True)
class ParametricNetwork:
    """Layers ``(weights, bias, activation)`` whose entries are elements of QQ(parameters)."""

    name: str
    layers: tuple[tuple[tuple[tuple[Any, ...], ...], tuple[Any, ...], str], ...]

    def entries(self):
        for w, b, _ in self.layers:
            for row in w:
                yield from row
            yield from b


@dataclass(frozen=True)
class ParametricProblem:
    """A parsed parametric claim file: its parameters, the numeric skeleton (data, claims) and networks."""

    space: ParameterSpace
    skeleton: Problem  # parametric entries replaced by 0; carries data, claims, title
    networks: dict[str, ParametricNetwork]
    file: str | None = None

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self.skeleton.claims

    def parameters_of(self, names) -> list[str]:
        used: set[str] = set()
        for n in names:
            for e in self.networks[n].entries():
                used |= self.space.occurring(e)
        return [p for p in self.space.names if p in used]

    def instantiate(self, values: dict[str, Fraction], names=None) -> Problem:
        """The numeric problem at rational parameter values (InputError at a pole)."""
        nets = []
        for name, _ in self.skeleton.networks:
            if names is not None and name not in names:
                nets.append((name, self.skeleton.network(name)))
                continue
            pn = self.networks[name]
            layers = [Layer([[self.space.substitute(x, values) for x in row] for row in w],
                            act, [self.space.substitute(x, values) for x in b]) for w, b, act in pn.layers]
            nets.append((name, Network(layers, name=name)))
        return dataclasses.replace(self.skeleton, networks=tuple(nets))


def _placeholder(value: Any) -> Any:
    if isinstance(value, list):
        return [_placeholder(v) for v in value]
    if isinstance(value, str) and not is_number_text(value):
        return "0"
    return value


def parametric_problem_from_mapping(doc: Any, file: str | None = None) -> ParametricProblem:
    """Validate a parsed claim file with a ``[parameters]`` table (see :func:`loads_parametric_claim_file`)."""
    if not isinstance(doc, dict):
        raise ClaimFileError(f"{_where(file) or 'claim file'}: expected a table")
    doc = dict(doc)
    raw = doc.pop("parameters", {})
    where = _where(file, "parameters")
    if not isinstance(raw, dict):
        raise ClaimFileError(f"{where}: expected a table of name = \"positive\" | \"negative\" | \"nonzero\" | \"real\"")
    for name, assumption in raw.items():
        if not isinstance(assumption, str):
            raise ClaimFileError(f"{where}: {name}: expected an assumption string, got {type(assumption).__name__}")
    try:
        space = ParameterSpace(raw, where)
    except InputError as e:
        raise ClaimFileError(str(e)) from None
    skel_doc = dict(doc)
    nets_raw = doc.get("networks")
    if isinstance(nets_raw, dict):
        skel_doc["networks"] = {
            name: ({**spec, "layers": [
                ({**l, **{k: _placeholder(l[k]) for k in ("weights", "bias") if k in l}} if isinstance(l, dict) else l)
                for l in spec["layers"]]} if isinstance(spec, dict) and isinstance(spec.get("layers"), list) else spec)
            for name, spec in nets_raw.items()}
    skeleton = problem_from_mapping(skel_doc, file)  # validates shapes, data and claims
    networks: dict[str, ParametricNetwork] = {}
    for name, net in skeleton.networks:
        layers = []
        for i, (layer, spec) in enumerate(zip(net.layers, nets_raw[name]["layers"])):
            at = _where(file, f"network {name!r}", f"layer {i + 1}")
            try:
                w = tuple(tuple(space.value(_numbers(v), f"{at}: weights[{r}][{c}]") for c, v in enumerate(row))
                          for r, row in enumerate(spec["weights"]))
                b = (tuple(space.value(_numbers(v), f"{at}: bias[{r}]") for r, v in enumerate(spec["bias"]))
                     if spec.get("bias") is not None else tuple(space.constant(Fraction(0)) for _ in w))
            except SymrepError as e:
                raise ClaimFileError(str(e)) from None
            layers.append((w, b, layer.activation))
        networks[name] = ParametricNetwork(name, tuple(layers))
    return ParametricProblem(space, skeleton, networks, file)


def loads_parametric_claim_file(text: str, file: str | None = None) -> ParametricProblem:
    """Parse claim-file TOML text that may declare ``[parameters]`` and use them in weights and biases."""
    return parametric_problem_from_mapping(parse_claim_toml(text, file), file)


def load_parametric_claim_file(path: str | Path) -> ParametricProblem:
    return loads_parametric_claim_file(read_claim_text(path), str(path))


