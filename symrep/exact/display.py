"""Rich display: exact numbers, matrices and witnesses as compact HTML and LaTeX, for Jupyter.

Design note
-----------
IPython shows an object by its ``_repr_html_`` / ``_repr_latex_`` method when it has
one (the display protocol); nothing here imports IPython or Jupyter.  The result
classes define those methods with the renderers of their layer
(:mod:`symrep.measures.display`, :mod:`symrep.claims.display`,
:mod:`symrep.certificates.display`), which build on the primitives here.

Everything shown is exact (``-3/4``, never ``-0.75``), and every piece of text
is escaped: a claim's statement or a network's name comes from a file.  What a
witness can hold is bounded by the input, not by the screen, so a matrix shows at
most :data:`MAX_ROWS` x :data:`MAX_COLUMNS` entries and a witness at most
:data:`MAX_ITEMS` items, with an ellipsis and the full shape where cut.
"""

from __future__ import annotations

import html
from fractions import Fraction
from typing import Any, Sequence

from symrep.exact.numbers import format_number, is_number_text

__all__ = ["MAX_COLUMNS", "MAX_ITEMS", "MAX_ROWS", "Rendered", "esc", "matrix_html", "matrix_latex", "number_text",
           "value_html", "witness_html"]

#: Rows, columns of a matrix and items of a witness shown before an ellipsis.
MAX_ROWS, MAX_COLUMNS, MAX_ITEMS = 12, 12, 16
#: Longest number text shown in full (a certified path's dyadic coefficient can have thousands of digits).
MAX_NUMBER = 40

_CELL = "padding:1px 6px;text-align:right;font-family:monospace"
_BRACKET = "border-left:1px solid;border-right:1px solid;border-collapse:separate;display:inline-table;vertical-align:middle"


def esc(text: Any) -> str:
    """Text for HTML, escaped.

    >>> esc("<b> & 'x'")
    '&lt;b&gt; &amp; &#x27;x&#x27;'
    """
    return html.escape(str(text), quote=True)


def number_text(x: Any) -> str:
    """An exact number as short text: ``-3/4``; a number of more than :data:`MAX_NUMBER` characters is cut in the middle.

    >>> number_text(Fraction(-3, 4)), number_text("5"), number_text(Fraction(1, 3**90))[:12]
    ('-3/4', '5', '1/8727963568')
    """
    t = format_number(x) if isinstance(x, Fraction) else str(x)
    return t if len(t) <= MAX_NUMBER else f"{t[:18]}…{t[-18:]} ({len(t)} characters)"


def _is_number(x: Any) -> bool:
    return isinstance(x, Fraction) or (isinstance(x, int) and not isinstance(x, bool)) or (
        isinstance(x, str) and is_number_text(x))


def _is_matrix(v: Any) -> bool:
    return (isinstance(v, (list, tuple)) and bool(v) and all(isinstance(r, (list, tuple)) and r for r in v)
            and len({len(r) for r in v}) == 1 and all(_is_number(x) for r in v[:MAX_ROWS] for x in r[:MAX_COLUMNS]))


def matrix_html(m: Sequence[Sequence[Any]], row_labels: Sequence[str] | None = None,
                col_labels: Sequence[str] | None = None) -> str:
    """A matrix typeset as a bracketed HTML table, exact entries, cut to :data:`MAX_ROWS` x :data:`MAX_COLUMNS`.

    >>> "1/2" in matrix_html([[Fraction(1, 2), 0]]) and "<table" in matrix_html([[1]])
    True
    """
    rows = len(m)
    cols = len(m[0]) if rows else 0
    shown_r, shown_c = min(rows, MAX_ROWS), min(cols, MAX_COLUMNS)
    out = [f'<table style="{_BRACKET}">']
    if col_labels is not None:
        out.append("<tr>" + ("<th></th>" if row_labels is not None else "")
                   + "".join(f'<th style="{_CELL}">{esc(c)}</th>' for c in col_labels[:shown_c])
                   + ("<th>…</th>" if cols > shown_c else "") + "</tr>")
    for i in range(shown_r):
        label = f'<th style="{_CELL}">{esc(row_labels[i])}</th>' if row_labels is not None else ""
        cells = "".join(f'<td style="{_CELL}">{esc(number_text(x))}</td>' for x in m[i][:shown_c])
        out.append(f"<tr>{label}{cells}{'<td>…</td>' if cols > shown_c else ''}</tr>")
    if rows > shown_r:
        out.append(f'<tr><td colspan="{shown_c + 2}">⋮</td></tr>')
    out.append("</table>")
    if rows > shown_r or cols > shown_c:
        out.append(f" <small>({rows} x {cols}, first {shown_r} x {shown_c} shown)</small>")
    return "".join(out)


def _latex_number(x: Any) -> str:
    t = number_text(x)
    if "/" in t and "…" not in t:
        p, q = t.split("/")
        sign = "-" if p.startswith("-") else ""
        return f"{sign}\\frac{{{p.lstrip('-')}}}{{{q}}}"
    return t.replace("…", r"\ldots{}").replace("(", r"\text{(").replace(")", ")}")


def matrix_latex(m: Sequence[Sequence[Any]]) -> str:
    """A matrix as a LaTeX ``pmatrix`` with exact fractions (cut like :func:`matrix_html`).

    >>> matrix_latex([[Fraction(-1, 2), 1]])
    '\\\\begin{pmatrix}-\\\\frac{1}{2} & 1\\\\end{pmatrix}'
    """
    rows = [[_latex_number(x) for x in r[:MAX_COLUMNS]] + ([r"\cdots"] if len(r) > MAX_COLUMNS else []) for r in m[:MAX_ROWS]]
    if len(m) > MAX_ROWS:
        rows.append([r"\vdots"] * len(rows[0]))
    return r"\begin{pmatrix}" + r" \\ ".join(" & ".join(r) for r in rows) + r"\end{pmatrix}"


def _sparse_html(pairs: Sequence[Sequence[Any]]) -> str:
    shown = ", ".join(f"{int(i)}: {esc(number_text(c))}" for i, c in pairs[:MAX_COLUMNS])
    return "{" + shown + (", …" if len(pairs) > MAX_COLUMNS else "") + "}"


def _is_sparse(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and all(
        isinstance(p, (list, tuple)) and len(p) == 2 and isinstance(p[0], int) and not isinstance(p[0], bool)
        and isinstance(p[1], (str, Fraction)) and _is_number(p[1]) for p in v)


def value_html(v: Any, depth: int = 0) -> str:
    """One witness value: a number, a typeset matrix, a vector, a sparse vector ``{index: value}``, or nested items."""
    if isinstance(v, bool) or v is None:
        return esc(v)
    if _is_number(v):
        return f"<code>{esc(number_text(v))}</code>"
    if isinstance(v, str):
        return esc(v if len(v) <= 200 else v[:200] + "…")
    if isinstance(v, dict):
        return witness_html(v, depth + 1) if depth < 3 else "{…}"
    if isinstance(v, (list, tuple)):
        if v and _is_sparse(v):  # before matrices: [[index, "value"], ...] is not a two-column matrix
            return _sparse_html(v)
        if _is_matrix(v):
            return matrix_html(v)
        if v and all(_is_number(x) for x in v[:MAX_COLUMNS]) and all(not isinstance(x, (list, dict)) for x in v):
            return matrix_html([list(v)])
        if depth >= 3:
            return "[…]"
        items = ", ".join(value_html(x, depth + 1) for x in v[:MAX_ITEMS])
        return "[" + items + (f", … ({len(v)} items)" if len(v) > MAX_ITEMS else "") + "]"
    return esc(repr(v)[:200])


def witness_html(w: dict[str, Any], depth: int = 0) -> str:
    """A witness (JSON-ready data) as an HTML definition list: each key with its value typeset."""
    keys = list(w)[:MAX_ITEMS]
    items = "".join(f"<dt><code>{esc(k)}</code></dt><dd>{value_html(w[k], depth)}</dd>" for k in keys)
    more = f"<dt>…</dt><dd>{len(w) - len(keys)} more</dd>" if len(w) > len(keys) else ""
    return f'<dl style="margin:0 0 0 1em">{items}{more}</dl>'


class Rendered:
    """HTML (and optionally LaTeX) that a notebook displays: what :func:`symrep.show` returns.

    >>> Rendered("<b>x</b>")._repr_html_()
    '<b>x</b>'
    """

    def __init__(self, html_text: str, latex: str | None = None):
        self.html = html_text
        self.latex = latex

    def _repr_html_(self) -> str:
        return self.html

    def _repr_latex_(self) -> str | None:
        return self.latex

    def __repr__(self) -> str:
        return f"Rendered({len(self.html)} characters of HTML)"
