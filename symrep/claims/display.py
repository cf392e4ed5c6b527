"""Rich display of claims: a verdict (or a certificate's result) and a problem, as compact HTML and LaTeX.

What :meth:`Verdict._repr_html_ <symrep.claims.claim.Verdict._repr_html_>` and
``_repr_latex_`` return in a notebook: the claim (id, kind, networks, layer), the
statement it checks, the verdict and whether the file expected it, the one
computation that settles it (the verdict's explanation) and the witness, its
matrices typeset.  Primitives and bounds are in :mod:`symrep.exact.display`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from symrep.exact.display import esc, matrix_html, matrix_latex, witness_html
from symrep.measures.display import verdict_badge

__all__ = ["claim_result_html", "latex_text", "problem_html", "verdict_html", "verdict_latex"]

_BOX = "border:1px solid #ccc;border-radius:4px;padding:6px 10px;margin:4px 0"


def claim_result_html(claim: Mapping[str, Any], holds: bool | None, witness: Mapping[str, Any],
                      settled_by: str | None = None, checked: str | None = None) -> str:
    """One claim and its result; *claim* has the claim file's keys (``id``, ``kind``, ``networks`` ...)."""
    nets = claim.get("networks") or ([claim["network"]] if "network" in claim else [])
    layer = f", layer {esc(claim['layer'])}" if claim.get("layer") is not None else ""
    expect = claim.get("expect", True)
    expected = ("" if holds is None else " (as expected)" if holds == expect
                else f" <b style='color:#cf222e'>(the file expects {'true' if expect else 'false'})</b>")
    parts = [f"<div style='{_BOX}'><b>{esc(claim.get('id'))}</b> <code>{esc(claim.get('kind'))}</code> "
             f"on {esc(', '.join(map(str, nets)))}{layer}: {verdict_badge(holds)}{expected}"]
    if claim.get("statement"):
        parts.append(f"<blockquote style='margin:2px 0 2px 1em'>{esc(claim['statement'])}</blockquote>")
    if settled_by:
        parts.append(f"<div>{esc(settled_by)}</div>")
    if checked:
        parts.append(f"<div><small>{esc(checked)}</small></div>")
    parts.append(f"<details open><summary>witness</summary>{witness_html(dict(witness))}</details></div>")
    return "".join(parts)


def _claim_fields(claim: Any) -> dict[str, Any]:
    return {"id": claim.id, "kind": claim.kind, "networks": list(claim.networks), "layer": claim.layer,
            "expect": claim.expect, "statement": claim.statement}


def verdict_html(v: Any) -> str:
    """A :class:`~symrep.claims.claim.Verdict` as HTML (statement, verdict, explanation, witness).

    >>> from symrep.claims.claim import Claim, Verdict
    >>> v = Verdict(Claim("c", "dimension", ("f",), 1, None, True, "a line"), True, "rank 1", {"inverse": [["1/2"]]})
    >>> html = verdict_html(v)
    >>> "a line" in html and "1/2" in html and "holds" in html
    True
    """
    return claim_result_html(_claim_fields(v.claim), v.holds, v.witness, v.explanation)


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
                  "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def latex_text(text: Any) -> str:
    r"""Text for ``\text{...}``, special characters escaped.

    >>> latex_text("f_tilde 50%")
    'f\\_tilde 50\\%'
    """
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def _first_matrix(w: Mapping[str, Any]) -> tuple[str, Sequence[Sequence[Any]]] | None:
    for key, value in w.items():
        if isinstance(value, dict) and isinstance(value.get("matrix"), list) and value["matrix"]:
            key, value = f"{key} (rows {value.get('rows')})", value["matrix"]  # the non-zero rows of M
        if (isinstance(value, list) and value and all(isinstance(r, list) and r and all(isinstance(x, str) for x in r)
                                                      for r in value) and len({len(r) for r in value}) == 1):
            return key, value
    return None


def verdict_latex(v: Any) -> str:
    """A verdict as one LaTeX line: the claim, its verdict and the witness's first matrix typeset.

    >>> from symrep.claims.claim import Claim, Verdict
    >>> verdict_latex(Verdict(Claim("c", "dimension", ("f",), 1), True, "", {"inverse": [["1/2"]]}))
    '$\\\\text{c (dimension): holds}\\\\quad \\\\text{inverse} = \\\\begin{pmatrix}\\\\frac{1}{2}\\\\end{pmatrix}$'
    """
    word = "holds" if v.holds else "fails" if v.holds is False else "undecided"
    out = rf"\text{{{latex_text(v.claim.id)} ({latex_text(v.claim.kind)}): {word}}}"
    found = _first_matrix(v.witness)
    if found is not None:
        out += rf"\quad \text{{{latex_text(found[0])}}} = {matrix_latex(found[1])}"
    return f"${out}$"


def problem_html(p: Any) -> str:
    """A problem: its title, the data (one row per point), each network's layers and the claims."""
    nets = []
    for name, net in p.networks:
        layers = " ".join(f"W<sub>{i + 1}</sub> = {matrix_html(l.weights)} b<sub>{i + 1}</sub> = "
                          f"{matrix_html([[b] for b in l.bias])} {esc(l.activation)};" for i, l in enumerate(net.layers))
        nets.append(f"<li><b>{esc(name)}</b>: {layers}</li>")
    claims = "".join(f"<li><b>{esc(c.id)}</b> <code>{esc(c.kind)}</code>"
                     f"{': ' + esc(c.statement) if c.statement else ''}</li>" for c in p.claims[:50])
    more = f"<li>… {len(p.claims) - 50} more</li>" if len(p.claims) > 50 else ""
    data = matrix_html(p.inputs) if p.inputs else "(none)"
    return (f"<div style='{_BOX}'><b>{esc(p.title)}</b><div>data (one row per point): {data}</div>"
            f"<ul>{''.join(nets[:20])}</ul><ul>{claims}{more}</ul></div>")
