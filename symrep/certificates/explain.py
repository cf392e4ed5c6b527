"""Render a certificate as a Markdown proof a mathematician can follow by hand.

The text shows, per claim, the activation matrices involved, the witness, and
the one computation that settles the claim.  It first runs the independent
checker, so the page says whether the certificate is valid.
"""

from __future__ import annotations

from pathlib import Path

from symrep import checker
from symrep.claims.files import problem_from_json
from symrep.claims.kinds import REGISTRY
from symrep.claims.prose import matrix_table, q, vec
from symrep.errors import CertificateError, SymrepError
from symrep.exact.numbers import Matrix
from symrep.networks.network import forward

__all__ = ["explain", "explain_file"]


def _claim_section(claim: dict, result: dict, report: dict, acts: dict) -> list[str]:
    """One claim's section: statement, verdict, the activation matrices it is about, the kind's proof."""
    kind = REGISTRY[claim["kind"]]
    if result["verdict"] == "undecided":  # nothing proved: say so, and why (the kind's own proof does not apply)
        return [f"## `{claim['id']}`: {kind.name}, verdict **undecided** (not proved; nothing for the checker to check)",
                "", f"Undecided: {result['witness'].get('reason') or result['witness']}", ""]
    verdict = "true" if result["verdict"] else "false"
    status = "checked" if report.get("valid") else f"REJECTED by the checker: {report.get('message')}"
    out = [f"## `{claim['id']}`: {kind.name}, verdict **{verdict}** (expected "
           f"{str(claim.get('expect', True)).lower()}; {status})", ""]
    if claim.get("statement"):
        out += [f"> {claim['statement']}", ""]
    A: list[Matrix] = []
    if kind.layered:
        names = [claim["network"]] if "network" in claim else list(claim["networks"])
        layer = claim["layer"]
        A = [acts[n][layer] for n in names]
        labels = ["z"] if len(names) == 1 else ["x", "y"]
        for n, m, z in zip(names, A, labels):
            out += [f"Activation matrix of `{n}` at layer {layer} (rows {z}0, {z}1, ... = neurons; "
                    "columns = data points):", "", matrix_table(m, z)]
    return out + kind.explain(claim, result, A) + [""]


def explain(cert: dict) -> str:
    """Markdown proof of every claim of a certificate (after running the independent checker)."""
    if isinstance(cert, dict) and cert.get("format") == checker.PARAMETRIC_FORMAT:  # families of networks
        from symrep.certificates.parametric import explain_parametric

        try:
            return explain_parametric(cert, checker.check_certificate(cert))
        except checker.Reject as e:
            raise CertificateError(f"certificate rejected by the checker: {e}") from None
    if isinstance(cert, dict) and cert.get("format") == "symrep-layer-certificate/1":
        raise CertificateError("a layer certificate references its data (check it with symrep check); symrep explain "
                               "renders self-contained certificates: write one with compare --certificate-form embedded")
    try:
        reports = checker.check_certificate(cert)
    except checker.Reject as e:
        raise CertificateError(f"certificate rejected by the checker: {e}") from None
    bad = [r for r in reports if not r["valid"]]
    if bad:  # a proof is only rendered for what the checker accepts
        raise CertificateError(f"certificate rejected by the checker: {bad[0]['message']}"
                               + (f" (and {len(bad) - 1} more claims)" if len(bad) > 1 else ""))
    problem = problem_from_json(cert["problem"], "certificate problem")
    acts = {name: forward(net, problem.inputs) for name, net in problem.networks}
    p = cert["problem"]
    lines = [f"# {p.get('title') or 'symrep certificate'}", ""]
    if p.get("source"):
        lines += [f"Source: {p['source']}", ""]
    if p.get("description"):
        lines += [p["description"].strip(), ""]
    valid = all(r["valid"] for r in reports)
    lines += [
        f"Certificate format `{cert['format']}`; the independent checker finds it **{'valid' if valid else 'INVALID'}**.",
        "All numbers are exact rationals.",
        "",
        "Data points (one per column below, numbered from 0): "
        + ", ".join(f"p{i} = {vec(r)}" for i, r in enumerate(problem.inputs)),
        "",
    ]
    for name, net in problem.networks:
        layers = "; ".join(
            f"W{i + 1} = {[[q(x) for x in r] for r in l.weights]}".replace("'", "")
            + (f", b{i + 1} = {[q(x) for x in l.bias]}".replace("'", "") if any(l.bias) else "")
            + f", {l.activation}"
            for i, l in enumerate(net.layers)
        )
        lines.append(f"- `{name}`: {layers}")
    lines.append("")
    for claim, result, report in zip(cert["problem"]["claims"], cert["results"], reports):
        lines += _claim_section(claim, result, report, acts)
    return "\n".join(lines)


def explain_file(path: str | Path) -> str:
    """Read a certificate file and render it (see :func:`explain`)."""
    try:
        doc = checker.load(str(path))
    except checker.Unreadable as e:
        raise CertificateError(f"{path}: {e}") from None
    try:
        return explain(doc)
    except SymrepError as e:
        raise CertificateError(f"{path}: {e}") from None
