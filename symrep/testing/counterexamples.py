"""Turn a counterexample into evidence: a claim file, its certificate, and an exact check.

When a property about representations fails (see :mod:`symrep.strategies` and
``docs/property-testing.md``), state the facts of the failing example as claims
and keep them as files that anyone can re-check:

* :func:`problem_for` / :func:`claim_file_for` -- networks, data points and
  claims (tables with the keys of a claim file) as a validated
  :class:`~symrep.claims.Problem` / as claim-file TOML text that
  ``symrep verify`` reads;
* :func:`write_counterexample` -- write the claim file and its certificate,
  verify the file as written, and raise :class:`NotVerified` when a verdict is
  not the one the claims expect;
* :func:`assert_verified` -- verify a problem or a claim file with symrep, or
  re-check a certificate (``*.json``) with the independent checker; raise
  :class:`NotVerified` unless everything is as expected.

>>> from symrep import Layer, Network
>>> f = Network([Layer([[1, 0], [0, 1]], "relu")])
>>> g = Network([Layer([[-1, 0], [0, -1]], "relu")])
>>> text = claim_file_for({"f": f, "g": g}, [[1, 1], [-1, -1]],
...                       [{"kind": "no_match", "networks": ("f", "g"), "layer": 1}])
>>> print(text.split("[[claims]]")[1].strip())
id = "no_match-1"
kind = "no_match"
networks = ["f", "g"]
layer = 1
expect = true
>>> [(v.claim.id, v.holds) for v in assert_verified(loads_claim_file(text))]
[('no_match-1', True)]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from symrep.certificates.writer import certificate as _certificate, dump_certificate
from symrep.claims.files import Problem, dumps_toml, layer_to_json, load_claim_file, loads_claim_file, problem_from_mapping  # noqa: F401 - the doctests use loads_claim_file
from symrep.exact.numbers import as_matrix, format_number
from symrep.networks.network import Network
from symrep.errors import NotVerified
from symrep.claims.verdicts import Verdict, verify_problem

__all__ = [
    "Counterexample",
    "NotVerified",
    "assert_verified",
    "claim_file_for",
    "problem_for",
    "write_counterexample",
]


@dataclass(frozen=True)
class Counterexample:
    """The files :func:`write_counterexample` wrote and the verdicts on the claim file as written."""

    claim_file: Path
    certificate: Path | None
    verdicts: tuple[Verdict, ...]


def _plain(value: Any) -> Any:
    """Tuples to lists (claim files are TOML arrays), recursively; other values unchanged."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _network_table(net: Network) -> dict[str, Any]:
    return {
        "layers": [layer_to_json(layer) for layer in net.layers]
    }


def problem_for(
    networks: Mapping[str, Network] | Sequence[tuple[str, Network]],
    inputs: Any,
    claims: Sequence[Mapping[str, Any]],
    *,
    title: str = "",
    description: str | None = None,
    source: str | None = None,
) -> Problem:
    """A validated claim-file :class:`~symrep.claims.Problem`.

    *networks* maps names to :class:`~symrep.network.Network` objects (or is a
    sequence of ``(name, network)`` pairs, like ``Problem.networks``).  *inputs*
    holds the data points, one row each, in any form :func:`symrep.as_matrix`
    reads.  Each claim is a mapping with the keys of a ``[[claims]]`` table of a
    claim file (``kind``, ``network`` or ``networks``, ``layer``, ``equals``,
    ``neurons``, ``expect``, ``statement``; see ``docs/claim-files.md``); tuples
    may stand for lists and numbers may be Fractions.  A claim without ``id``
    gets ``"<kind>-<k>"`` (``k`` counts from 1 in the list).

    Raises :class:`symrep.ClaimFileError` (naming the claim and field) for
    anything a claim file could not say.
    """
    doc: dict[str, Any] = {"title": title}
    if description is not None:
        doc["description"] = description
    if source is not None:
        doc["source"] = source
    doc["data"] = {"inputs": [[format_number(x) for x in row] for row in as_matrix(inputs, "inputs")]}
    doc["networks"] = {name: _network_table(net) for name, net in dict(networks).items()}
    tables = []
    for k, claim in enumerate(claims):
        table = {key: _plain(value) for key, value in dict(claim).items()}
        table.setdefault("id", f"{table.get('kind', 'claim')}-{k + 1}")
        if table.get("kind") == "activations" and "equals" in table:
            table["equals"] = [[format_number(x) for x in row] for row in as_matrix(table["equals"], "equals")]
        tables.append(table)
    doc["claims"] = tables
    return problem_from_mapping(doc)


def claim_file_for(
    networks: Mapping[str, Network] | Sequence[tuple[str, Network]],
    inputs: Any,
    claims: Sequence[Mapping[str, Any]],
    *,
    title: str = "",
    description: str | None = None,
    source: str | None = None,
) -> str:
    """Claim-file TOML text for :func:`problem_for` of the same arguments (``symrep verify`` reads it)."""
    return dumps_toml(problem_for(networks, inputs, claims, title=title, description=description, source=source))


def _report(verdicts: Sequence[Verdict], where: str) -> str:
    bad = [v for v in verdicts if not v.as_expected]
    lines = [f"{where}: {len(bad)} of {len(verdicts)} verdicts not as expected"]
    for v in bad:
        lines.append(f"  {v.claim.id}: {str(v.holds).lower()}, expected {str(v.claim.expect).lower()}: {v.explanation}")
    return "\n".join(lines)


def write_counterexample(
    path: str | os.PathLike,
    networks: Mapping[str, Network] | Sequence[tuple[str, Network]] | Problem,
    inputs: Any = None,
    claims: Sequence[Mapping[str, Any]] | None = None,
    *,
    title: str = "counterexample found by Hypothesis",
    description: str | None = None,
    certificate: bool | str | os.PathLike = True,
    verify: bool = True,
) -> Counterexample:
    """Write a claim file and its certificate; verify the file as written.

    Give *networks*, *inputs* and *claims* as for :func:`problem_for`, or a
    :class:`~symrep.claims.Problem` as *networks* (then no *inputs* or
    *claims*).  The claim file goes to *path* (TOML).  *certificate*: ``True``
    (default) writes it next to the claim file (``cex.toml`` ->
    ``cex.cert.json``), a path writes it there, ``False`` writes none.

    The claim file is read back from disk and verified, so the verdicts are
    those ``symrep verify PATH`` prints; the certificate is made from them
    (``symrep check`` re-checks it independently).  With ``verify=True``
    (default) raise :class:`NotVerified`, after writing, when a verdict is not
    the one its claim expects.
    """
    if isinstance(networks, Problem):
        if inputs is not None or claims is not None:
            raise TypeError("give either a Problem or networks, inputs and claims")
        problem = networks
    else:
        if inputs is None or claims is None:
            raise TypeError("write_counterexample needs networks, inputs and claims (or a Problem)")
        problem = problem_for(networks, inputs, claims, title=title, description=description)
    claim_path = Path(path)
    claim_path.write_text(dumps_toml(problem), encoding="utf-8")
    written = load_claim_file(claim_path)
    verdicts = tuple(verify_problem(written))
    cert_path: Path | None = None
    if certificate is not False:
        cert_path = claim_path.with_suffix(".cert.json") if certificate is True else Path(certificate)
        cert_path.write_text(dump_certificate(_certificate(written, verdicts)), encoding="utf-8")
    if verify and not all(v.as_expected for v in verdicts):
        raise NotVerified(_report(verdicts, str(claim_path)))
    return Counterexample(claim_path, cert_path, verdicts)


def assert_verified(target: Problem | str | os.PathLike) -> list[Verdict] | list[dict[str, Any]]:
    """Verify exactly; raise :class:`NotVerified` unless every verdict is as expected.

    *target* is a :class:`~symrep.claims.Problem`, the path of a claim file, or
    the path of a certificate (a name ending in ``.json``), which is re-checked
    by the independent checker (:mod:`symrep.checker`): it must be valid and
    every verdict in it as its claim expects.  Returns the verdicts (for a
    certificate, the checker's per-claim reports).
    """
    if isinstance(target, Problem):
        verdicts = verify_problem(target)
        if not all(v.as_expected for v in verdicts):
            raise NotVerified(_report(verdicts, target.title or "problem"))
        return verdicts
    path = Path(target)
    if path.suffix == ".json":
        from symrep import checker

        report = checker.check_file(str(path))
        if report["status"] != "valid":
            raise NotVerified(f"{path}: certificate {report['status']}: {report['message']}")
        bad = [c for c in report["claims"] if not c["as_expected"]]
        if bad:
            names = ", ".join(f"{c['id']} (verdict {str(c['verdict']).lower()})" for c in bad)
            raise NotVerified(f"{path}: valid certificate, but not as expected: {names}")
        return report["claims"]
    problem = load_claim_file(path)
    verdicts = verify_problem(problem)
    if not all(v.as_expected for v in verdicts):
        raise NotVerified(_report(verdicts, str(path)))
    return verdicts
