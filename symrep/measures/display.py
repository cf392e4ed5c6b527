"""Rich display of measures: a maximum match, an equivalence level, and the ladder as its partial order.

The HTML the ``_repr_html_`` methods of :class:`~symrep.measures.match_core.MaximumMatch` and
:class:`~symrep.measures.equivalence.Equivalence` return (see :mod:`symrep.exact.display`).
"""

from __future__ import annotations

from typing import Any, Sequence

from symrep.exact.display import MAX_ITEMS, esc, matrix_html, number_text, value_html, witness_html

__all__ = ["LADDER_ORDER", "equivalence_html", "ladder_html", "match_html"]

#: The implications between ladder levels (a partial order: scaled_permutation is incomparable with orthogonal and similarity).
LADDER_ORDER = (("identical", "permutation"), ("permutation", "scaled_permutation"), ("permutation", "orthogonal"),
                ("scaled_permutation", "linear"), ("orthogonal", "similarity"), ("similarity", "linear"),
                ("linear", "isomorphic"))
_POSITION = {"identical": (150, 20), "permutation": (150, 70), "scaled_permutation": (70, 145),
             "orthogonal": (230, 120), "similarity": (230, 170), "linear": (150, 220), "isomorphic": (150, 270)}
_BOX = "border:1px solid #ccc;border-radius:4px;padding:6px 10px;margin:4px 0"


def verdict_badge(holds: bool | None) -> str:
    """``holds`` / ``fails`` / ``undecided`` in colour."""
    text, colour = ("holds", "#1a7f37") if holds else ("fails", "#cf222e") if holds is False else ("undecided", "#9a6700")
    return f'<b style="color:{colour}">{text}</b>'


def _combination(i: int, combo: Sequence[Any], mine: str, other: str) -> str:
    terms = " + ".join(f"{esc(number_text(c))}·{other}<sub>{j}</sub>" for j, c in combo[:MAX_ITEMS]) or "0"
    return f"{mine}<sub>{i}</sub> = {terms}{' + …' if len(combo) > MAX_ITEMS else ''}"


def match_html(m: Any) -> str:
    """A maximum match: X*, Y*, the similarity, the coefficients of what remains and every removal's witness.

    >>> from symrep.measures.matching import maximum_match
    >>> html = match_html(maximum_match([[1, 0], [1, 0]], [[1, 0], [0, 1]]))
    >>> "3/4" in html and "orthogonal" in html
    True
    """
    eps = "" if not m.eps_squared else f", eps<sup>2</sup> = {esc(number_text(m.eps_squared))}"
    head = (f"<div style='{_BOX}'><b>maximum match</b>{eps}: X* = {esc(list(m.x))}, Y* = {esc(list(m.y))}, "
            f"similarity <code>{esc(number_text(m.similarity))}</code> = ({len(m.x)} + {len(m.y)}) / "
            f"({m.width_x} + {m.width_y})")
    keep = [_combination(i, c, "x", "y") for i, c in m.x_in_y[:MAX_ITEMS]] + \
        [_combination(i, c, "y", "x") for i, c in m.y_in_x[:MAX_ITEMS]]
    body = "<br>".join(keep)
    rows = []
    for r in m.removals[:MAX_ITEMS]:
        if r.bound is not None:
            why = "a certified lower bound on its distance (see the certificate's gram_bounds)"
        else:
            w = ", ".join(f"{j}: {esc(number_text(c))}" for j, c in r.orthogonal[:MAX_ITEMS])
            why = f"orthogonal w = {{{w}}} to the other side, w·{r.side}<sub>{r.neuron}</sub> = {esc(number_text(r.product))} ≠ 0"
        rows.append(f"<li>round {r.round}: remove {r.side}<sub>{r.neuron}</sub>: {why}</li>")
    more = f"<li>… {len(m.removals) - MAX_ITEMS} more</li>" if len(m.removals) > MAX_ITEMS else ""
    removals = f"<ul style='margin:2px 0'>{''.join(rows)}{more}</ul>" if rows else ""
    return f"{head}<div>{body}</div>{removals}</div>"


def equivalence_html(e: Any) -> str:
    """One ladder level: level, verdict, explanation and the witness typeset."""
    label = f"{esc(e.level)}{' (centered)' if e.centered else ''}"
    return (f"<div style='{_BOX}'><b>{label}</b>: {verdict_badge(e.holds)}<br>{esc(e.explanation)}"
            f"{witness_html(e.witness)}</div>")


def ladder_svg(levels: dict[str, bool | None]) -> str:
    """The levels as their partial order (Hasse diagram), each green (holds), red (fails) or grey (not decided)."""
    lines = "".join(f'<line x1="{_POSITION[a][0]}" y1="{_POSITION[a][1] + 6}" x2="{_POSITION[b][0]}" '
                    f'y2="{_POSITION[b][1] - 12}" stroke="#888"/>' for a, b in LADDER_ORDER)
    colour = {True: "#1a7f37", False: "#cf222e", None: "#888"}
    nodes = "".join(f'<text x="{x}" y="{y}" text-anchor="middle" font-size="13" fill="{colour[levels.get(n)]}">'
                    f'{"✓" if levels.get(n) else "✗" if levels.get(n) is False else "·"} {esc(n)}</text>'
                    for n, (x, y) in _POSITION.items())
    return f'<svg width="300" height="285" xmlns="http://www.w3.org/2000/svg">{lines}{nodes}</svg>'


def ladder_html(ladder: Sequence[Any]) -> str:
    """The ladder (a list of :class:`~symrep.measures.equivalence.Equivalence`): the partial-order picture and each level.

    >>> from symrep.measures.equivalence import ladder
    >>> html = ladder_html(ladder([[1, 0], [0, 1]], [[0, 1], [1, 0]]))
    >>> "<svg" in html and "✓ permutation" in html and "✗ identical" in html
    True
    """
    levels = {e.level: e.holds for e in ladder}
    rows = "".join(f"<tr><td>{esc(e.level)}</td><td>{verdict_badge(e.holds)}</td><td>{esc(e.explanation)}</td>"
                   f"<td>{value_html(_main_witness(e.witness))}</td></tr>" for e in ladder)
    return (f"<div style='{_BOX}'><b>equivalence ladder</b>{' (centered)' if any(e.centered for e in ladder) else ''}"
            f"<div style='display:flex;gap:1em;align-items:flex-start'>{ladder_svg(levels)}"
            f"<table>{rows}</table></div></div>")


def _main_witness(w: dict[str, Any]) -> Any:
    """The one witness entry a ladder row shows: its map or permutation, else the first matrix-shaped entry."""
    for key in ("map", "permutation", "scales", "vector", "x_in_y"):
        if key in w:
            return w[key]
    return next(iter(w.values()), "")


def matrix_block(name: str, m: Any) -> str:
    """``name = [matrix]`` on one line."""
    return f"<div><code>{esc(name)}</code> = {matrix_html(m)}</div>"
