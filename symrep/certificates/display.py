"""Rich display of certificates, and :func:`show`: anything symrep returns, as HTML a notebook displays.

A certificate is a JSON document (a dict), which IPython cannot know how to show;
``show(cert)`` re-checks it with the independent checker (:mod:`symrep.checker`,
its cost bounded by the certificate) and renders every claim with the checker's
word on it.  ``show`` also renders a ladder (the list :func:`symrep.ladder` returns)
as its partial-order picture, a comparison (the layer reports of ``compare_layers``) with its
similarity plot inline, a list of verdicts, and any object with a ``_repr_html_`` method.
"""

from __future__ import annotations

import base64
import io
from typing import Any, Mapping, Sequence

from symrep import checker
from symrep.certificates.writer import FORMAT
from symrep.claims.display import claim_result_html, verdict_html
from symrep.errors import InputError
from symrep.exact.display import Rendered, esc, matrix_html
from symrep.exact.numbers import format_number
from symrep.measures.display import ladder_html, match_html

__all__ = ["certificate_html", "comparison_html", "layer_report_html", "show", "similarity_figure"]

_BOX = "border:1px solid #999;border-radius:4px;padding:6px 10px;margin:4px 0"


def certificate_html(cert: Mapping[str, Any]) -> str:
    """A certificate: its title, the checker's verdict on the whole, and every claim with its witness.

    >>> from symrep.claims import loads_claim_file
    >>> from symrep.certificates import certify
    >>> p = loads_claim_file('''
    ... [data]
    ... inputs = [[1], [2]]
    ... [networks.f]
    ... layers = [{weights = [[1], [2]], activation = "relu"}]
    ... [[claims]]
    ... id = "line"
    ... kind = "dimension"
    ... network = "f"
    ... layer = 1
    ... equals = 1
    ... ''')
    >>> html = certificate_html(certify(p))
    >>> "independent checker: <b>valid</b>" in html and "line" in html
    True
    """
    try:
        reports = checker.check_certificate(dict(cert))
        bad = [r for r in reports if not r["valid"]]
        status = "valid" if not bad else f"{len(bad)} of {len(reports)} claims rejected"
    except (checker.Reject, RecursionError) as e:
        reports, status = [], f"rejected: {e}"
    problem: dict[str, Any] = cert["problem"] if isinstance(cert.get("problem"), dict) else {}
    claims: list[Any] = problem["claims"] if isinstance(problem.get("claims"), list) else []
    results: list[Any] = cert["results"] if isinstance(cert.get("results"), list) else []
    by_id = {r.get("id"): r for r in reports}
    rows = []
    for claim, res in list(zip(claims, results))[:50]:
        if not isinstance(claim, dict) or not isinstance(res, dict) or not isinstance(res.get("witness"), dict):
            continue
        rep = by_id.get(claim.get("id"))
        checked = None if rep is None else ("checked by the independent checker" if rep["valid"]
                                            else f"REJECTED by the checker: {rep['message']}")
        verdict = res.get("verdict") if isinstance(res.get("verdict"), bool) else None
        rows.append(claim_result_html(claim, verdict, res["witness"], None, checked))
    more = f"<div>… {len(results) - 50} more claims</div>" if len(results) > 50 else ""
    return (f"<div style='{_BOX}'><b>certificate</b> {esc(cert.get('format'))}: {esc(problem.get('title', ''))}"
            f"<div>independent checker: <b>{esc(status)}</b></div>{''.join(rows)}{more}</div>")


def layer_report_html(r: Any) -> str:
    """One layer of a comparison (:class:`symrep.compare.LayerReport`): widths, span dimensions, a match per eps, the ladder."""
    cka = "" if r.cka_squared is None else f", CKA<sup>2</sup> = <code>{esc(format_number(r.cka_squared))}</code>"
    matches = "".join(f"<div>eps = <code>{esc(format_number(e))}</code>: {match_html(m)}</div>" for e, m in r.matches[:20])
    ladder = ladder_html(r.ladder) if r.ladder else ""
    return (f"<div style='{_BOX}'><b>layer {esc(r.layer)}</b>: widths {esc(list(r.widths))}, span dimensions "
            f"{esc(list(r.dimensions))}{cka}{matches}{ladder}</div>")


def similarity_figure(reports: Sequence[Any], title: str = "") -> Any:
    """A matplotlib figure of maximum-match similarity against layer, one line per eps (raises ImportError without it).

    The figure is for reading only: every number it is drawn from is exact in the reports.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    xs = list(range(len(reports)))
    for k, (e, _) in enumerate(reports[0].matches):
        ys = [float(r.matches[k][1].similarity) for r in reports]  # plotting only; the report is exact
        ax.plot(xs, ys, marker="o", label=f"eps = {format_number(e)}")
    ax.set_xticks(xs, [r.layer for r in reports])
    ax.set_xlabel("layer")
    ax.set_ylabel("maximum match similarity")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title, fontsize=9)
    ax.legend()
    fig.tight_layout()
    return fig


def comparison_html(reports: Sequence[Any]) -> str:
    """A comparison (the list of layer reports ``compare_layers`` returns): the similarity plot inline, then each layer.

    The plot is a PNG in the page (base64), drawn when matplotlib is installed; without it a note says so.
    """
    try:
        import matplotlib.pyplot as plt

        fig = similarity_figure(reports)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        plt.close(fig)
        picture = (f"<img alt='maximum match similarity against layer' "
                   f"src='data:image/png;base64,{base64.b64encode(buf.getvalue()).decode('ascii')}'/>")
    except ImportError:
        picture = "<div><i>(install matplotlib, symrep[plot], for the similarity plot)</i></div>"
    return picture + "".join(layer_report_html(r) for r in reports)


def show(obj: Any) -> Rendered:
    """What a notebook should display for *obj*: a :class:`~symrep.exact.display.Rendered` HTML object.

    *obj* may be a certificate (dict), a ladder (list of ``Equivalence``), a list of verdicts,
    an exact matrix (tuple of rows), or anything with ``_repr_html_`` (a verdict, a match, a problem).

    >>> from symrep.measures.equivalence import ladder
    >>> "<svg" in show(ladder([[1, 0]], [[2, 0]]))._repr_html_()
    True
    """
    if isinstance(obj, Mapping) and obj.get("format") == FORMAT:
        return Rendered(certificate_html(obj))
    if isinstance(obj, (list, tuple)) and obj and all(hasattr(e, "level") and hasattr(e, "witness") for e in obj):
        return Rendered(ladder_html(obj))
    if isinstance(obj, (list, tuple)) and obj and all(hasattr(v, "claim") and hasattr(v, "witness") for v in obj):
        return Rendered("".join(verdict_html(v) for v in obj))
    if isinstance(obj, tuple) and obj and all(isinstance(r, tuple) for r in obj):
        return Rendered(matrix_html(obj))
    if isinstance(obj, (list, tuple)) and obj and all(hasattr(r, "matches") and hasattr(r, "dimensions") for r in obj):
        return Rendered(comparison_html(obj))  # a comparison: the plot inline, then every layer
    if isinstance(obj, (list, tuple)) and obj and all(callable(getattr(x, "_repr_html_", None)) for x in obj):
        return Rendered("".join(x._repr_html_() for x in obj))  # layer reports of a comparison, matches ...
    method = getattr(obj, "_repr_html_", None)
    if callable(method) and not isinstance(obj, type):
        latex = getattr(obj, "_repr_latex_", None)
        return Rendered(method(), latex() if callable(latex) else None)
    raise InputError(f"symrep.show: nothing to show for a {type(obj).__name__}")
