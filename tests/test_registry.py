"""The claim-kind registry: one object per kind, the same kinds and fields as the independent checker's."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from symrep import checker
from symrep.certificates import certificate
from symrep.certificates.explain import explain
from symrep.claims import loads_claim_file
from symrep.claims.claim import Verdict
from symrep.claims.kinds import REGISTRY
from symrep.claims.registry import ClaimKind
from symrep.claims.verdicts import verify_problem
from symrep.errors import CertificateError, ClaimFileError
from symrep.parametric import GENERIC_KINDS
from symrep.testing.strategies import EXTRA_KINDS, KINDS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "claim-files.md"


def test_library_and_checker_know_the_same_kinds():
    assert set(REGISTRY) == set(checker.CHECKS) == set(checker.CLAIM_FIELDS)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_library_and_checker_accept_the_same_fields(name):
    kind = REGISTRY[name]
    names_field = "network" if kind.networks == 1 else "networks"
    assert checker.CLAIM_FIELDS[name] == {names_field, *kind.fields}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_kind_is_complete(name):
    kind = REGISTRY[name]
    assert kind.name == name and kind.summary and type(kind).__module__.endswith("." + name)
    assert kind.networks in (1, 2)
    if kind.params_type is not None:
        assert dataclasses.is_dataclass(kind.params_type) and kind.params_type.__dataclass_params__.frozen
        assert set(f.name for f in dataclasses.fields(kind.params_type)) <= kind.fields | {"bounds"}
    else:
        assert not kind.fields
    # the symbolic decision is overridden exactly where the kind says it has one
    assert (type(kind).decide_symbolic is not ClaimKind.decide_symbolic) == kind.symbolic


def test_every_consumer_loops_over_the_registry():
    assert set(KINDS) | set(EXTRA_KINDS) == set(REGISTRY) and not set(KINDS) & set(EXTRA_KINDS)
    assert set(GENERIC_KINDS) == {n for n, k in REGISTRY.items() if k.symbolic}


def test_the_docs_table_lists_every_kind_with_its_fields():
    rows = [line for line in DOCS.read_text(encoding="utf-8").splitlines() if re.match(r"\| `\w+` \|", line)]
    table = {re.match(r"\| `(\w+)`", r).group(1): r for r in rows}
    assert set(table) == set(REGISTRY)
    for name, row in table.items():
        extra = row.split("|")[3]
        for field in REGISTRY[name].fields:
            assert f"`{field}" in extra, (name, field)


# --- a kind added from outside: one class, no other change --------------------------------------

@dataclasses.dataclass(frozen=True)
class WidthParams:
    equals: int


class Width(ClaimKind):
    """A toy kind: the layer has the given number of neurons."""

    name = "width"
    summary = "the layer has the given number of neurons"
    networks = 1
    params_type = WidthParams
    fields = frozenset({"equals"})

    def parse(self, obj: dict[str, Any], ctx: Any) -> WidthParams:
        value = ctx.require(obj, "equals")
        if not isinstance(value, int) or isinstance(value, bool):
            raise ClaimFileError(f"{ctx.where}: equals: expected a number of neurons")
        return WidthParams(value)

    def params_to_json(self, params: WidthParams) -> dict[str, Any]:
        return {"equals": params.equals}

    def decide(self, claim, acts, d):
        n = len(acts[0])
        return Verdict(claim, n == claim.params.equals, f"{n} neurons", {"width": n})

    def explain(self, claim, result, acts):
        return [f"The layer has {result['witness']['width']} neurons."]


TOY = """
[data]
inputs = [[1, 2]]
[networks.f]
layers = [{weights = [[1, 0], [0, 1], [1, 1]], activation = "relu"}]
[[claims]]
id = "three"
kind = "width"
network = "f"
layer = 1
equals = 3
"""


def test_a_new_kind_needs_only_its_class(monkeypatch):
    monkeypatch.setitem(REGISTRY, "width", Width())
    problem = loads_claim_file(TOY)
    (v,) = verify_problem(problem)
    assert v.holds is True and v.witness == {"width": 3}
    assert loads_claim_file(TOY.replace("equals = 3", "equals = 2")).claims[0].params == WidthParams(2)
    cert = certificate(problem, [v])
    assert cert["problem"]["claims"][0] == {"id": "three", "kind": "width", "network": "f", "layer": 1,
                                            "equals": 3, "expect": True}
    # the checker knows no such kind, so it rejects the certificate: a kind is complete only with its check
    with pytest.raises(CertificateError, match="width"):
        explain(cert)
