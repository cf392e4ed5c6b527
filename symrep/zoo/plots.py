"""Pictures of a zoo (matplotlib, Agg backend): a heatmap of every pair per layer and eps, and
similarity against depth with one line per pair.

The colours are floats for the eye only; the exact values are in the store and in ``--json``.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from symrep.errors import SymrepError

__all__ = ["value_of", "write_plots"]


def value_of(row: dict) -> float:
    """The number a picture shows: the exact value, or the midpoint of a certified bracket (NaN: undefined, blank).

    >>> value_of({"exact": "1/4"}), value_of({"exact": None, "lower": "0", "upper": "1/2"})
    (0.25, 0.25)
    >>> value_of({"exact": None, "lower": "", "upper": ""})
    nan
    """
    if row.get("exact") is not None:
        return float(Fraction(row["exact"]))
    if not row.get("lower") or not row.get("upper"):  # a measure undefined on this layer: no value to draw
        return float("nan")
    return float((Fraction(row["lower"]) + Fraction(row["upper"])) / 2)


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:60]


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no display is needed or opened
        import matplotlib.pyplot as plt
    except ImportError:
        raise SymrepError("--plot needs matplotlib: pip install 'symrep[plot]'") from None
    return plt


def _heatmap(plt: Any, names: Sequence[str], index: dict[str, int], rows: list[dict], title: str, path: Path) -> None:
    import numpy as np

    n = len(names)
    M = np.full((n, n), np.nan)
    for r in rows:
        i, j = index[r["id_a"]], index[r["id_b"]]
        M[i, j] = M[j, i] = value_of(r)
    fig, ax = plt.subplots(figsize=(1.2 + 0.6 * n, 1.0 + 0.6 * n))
    im = ax.imshow(np.ma.masked_invalid(M), vmin=0, vmax=1, cmap="viridis")
    ax.set_xticks(range(n), names, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(n), names, fontsize=7)
    if n <= 12:
        for i in range(n):
            for j in range(n):
                if not np.isnan(M[i, j]):
                    ax.text(j, i, f"{M[i, j]:.2f}", ha="center", va="center", fontsize=6, color="w")
    fig.colorbar(im, ax=ax)
    ax.set_title(title, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _depth(plt: Any, layers: Sequence[str], names: dict[str, str], rows: list[dict], title: str, path: Path) -> None:
    pairs: dict[tuple[str, str], dict[str, float]] = {}
    for r in rows:
        pairs.setdefault((r["id_a"], r["id_b"]), {})[r["layer"]] = value_of(r)
    fig, ax = plt.subplots(figsize=(6, 4))
    for (a, b), by_layer in pairs.items():
        xs = [k for k, lay in enumerate(layers) if lay in by_layer]
        ax.plot(xs, [by_layer[layers[k]] for k in xs], marker="o", label=f"{names[a]} / {names[b]}")
    ax.set_xticks(range(len(layers)), layers)
    ax.set_xlabel("layer")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title, fontsize=8)
    if len(pairs) <= 15:
        ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_plots(out_dir: str, rows: list[dict], names: dict[str, str], order: Sequence[str], layers: Sequence[str]) -> list[str]:
    """Write the heatmaps and depth plots of the rows into out_dir; the paths written.

    ``names`` maps input identities to display names, ``order`` gives the inputs' order and
    ``layers`` the layers' order (shallow first).
    """
    plt = _pyplot()
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SymrepError(f"--plot {out_dir}: cannot make the directory ({e.strerror or e})") from None
    index = {ident: k for k, ident in enumerate(order)}
    labels = [names[i] for i in order]
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        groups.setdefault((r["measure"], r["eps"]), []).append(r)
    written = []
    try:
        for (measure, eps), rs in sorted(groups.items()):
            what = measure if eps == "-" else f"{measure}, eps={eps}"
            tag = _safe(measure if eps == "-" else f"{measure}-eps-{eps.replace('/', 'over')}")
            for layer in layers:
                mine = [r for r in rs if r["layer"] == layer]
                if mine:
                    path = out / f"heatmap-{tag}-layer-{_safe(layer)}.png"
                    _heatmap(plt, labels, index, mine, f"{what}, layer {layer}", path)
                    written.append(str(path))
            path = out / f"depth-{tag}.png"
            _depth(plt, layers, names, rs, f"{what} against depth", path)
            written.append(str(path))
    except OSError as e:
        raise SymrepError(f"--plot {out_dir}: cannot write a plot ({e.strerror or e})") from None
    return written
