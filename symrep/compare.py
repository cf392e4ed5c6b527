"""Layer-by-layer exact comparison of two networks (or two sets of activations).

For each layer the report gives both widths, the exact dimensions of the two
spans, and, for every eps asked for, the exact maximum (eps-)match and Wang et
al.'s similarity as an exact fraction.  Inputs may be two networks on the same
data, two activation files (``.npy``/``.npz``), or two networks of a claim file.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Sequence

from symrep.claims.files import Problem, problem_from_mapping
from symrep.errors import InputError, ShapeError
from symrep.exact.numbers import format_number, to_fraction
from symrep.exact.linalg import IntRows, span_basis
from symrep.measures.matching import MaximumMatch, maximum_match
from symrep.networks.network import Network, forward

__all__ = ["LayerReport", "compare_layers", "compare_networks", "load_side"]


@dataclass(frozen=True)
class LayerReport:
    """The exact comparison of one layer: widths, span dimensions and one maximum match per eps."""

    layer: str
    widths: tuple[int, int]
    dimensions: tuple[int, int]
    matches: tuple[tuple[Fraction, MaximumMatch], ...]
    ladder: tuple[Any, ...] = ()
    cka_squared: Fraction | None = None
    centered_ladder: tuple[Any, ...] = ()  # the ladder after centring each neuron (similarity: CKA's invariance class)

    def to_json(self) -> dict[str, Any]:
        out = {
            "layer": self.layer,
            "widths": list(self.widths),
            "dimensions": list(self.dimensions),
            "matches": [
                {
                    "eps": format_number(e),
                    "x": list(m.x),
                    "y": list(m.y),
                    "zero_x": list(m.zero_x),
                    "zero_y": list(m.zero_y),
                    "similarity": format_number(m.similarity),
                }
                for e, m in self.matches
            ],
        }
        if self.ladder:
            out["ladder"] = [{"level": e.level, "holds": e.holds, "explanation": e.explanation} for e in self.ladder]
        if self.centered_ladder:
            out["centered_ladder"] = [{"level": e.level, "holds": e.holds, "explanation": e.explanation}
                                      for e in self.centered_ladder]
        if self.cka_squared is not None:
            out["cka_squared"] = format_number(self.cka_squared)
        return out


def _rows(m: Any) -> IntRows:
    if isinstance(m, IntRows):
        return m
    if hasattr(m, "dtype"):
        return IntRows.from_array(m)
    return IntRows.of(m)


def compare_layers(
    layers: Sequence[tuple[str, Any, Any]],
    eps: Sequence[Any] = (0,),
    progress: Callable[[int, int], None] | None = None,
    ladder: bool = False,
    sources: tuple[str, str] | None = None,
) -> list[LayerReport]:
    """Compare activation matrices layer by layer (rows = neurons, same data on both sides).

    With ``ladder``, each layer also gets the equivalence ladder (for layers of
    equal width) and exact linear CKA squared (see :mod:`symrep.equivalence`).  ``sources``
    names the two inputs (files) in error messages.

    >>> r = compare_layers([("hidden", [[1, 0], [1, 0]], [[1, 0], [0, 1]])], eps=[0])
    >>> r[0].dimensions, r[0].matches[0][1].similarity
    ((1, 2), Fraction(3, 4))
    """
    epsilons = [to_fraction(e, "eps") for e in eps]
    if any(e < 0 for e in epsilons):
        raise InputError("eps values must be >= 0")
    total, done = len(layers) * (1 + len(epsilons)), 0
    out = []
    for name, a, b in layers:
        A, B = _rows(a), _rows(b)
        if A.ncols != B.ncols:
            where = f"{sources[0]} and {sources[1]}: " if sources else ""
            raise InputError(f"{where}layer {name}: {A.ncols} and {B.ncols} data points; both sides need the same data")
        dims = (span_basis(A).rank, span_basis(B).rank)
        done += 1
        if progress:
            progress(done, total)
        matches = []
        for e in epsilons:
            matches.append((e, maximum_match(A, B, e)))
            done += 1
            if progress:
                progress(done, total)
        steps: tuple = ()
        centered_steps: tuple = ()
        cka = None
        if ladder:
            from symrep.measures.equivalence import cka_squared, ladder as full_ladder

            FA, FB = A.fractions(), B.fractions()
            steps = tuple(full_ladder(FA, FB))
            centered_steps = tuple(full_ladder(FA, FB, centered=True))
            try:
                cka = cka_squared(FA, FB)
            except InputError:
                cka = None  # a representation constant over the data: CKA undefined
        out.append(LayerReport(name, (len(A), len(B)), dims, tuple(matches), steps, cka, centered_steps))
    return out


def compare_networks(f: Network, g: Network, inputs: Any, layers: Sequence[int] | None = None, **kw) -> list[LayerReport]:
    """Compare two networks with the same layer widths on the same data, layer by layer."""
    if f.widths != g.widths:
        raise InputError(f"the networks have different widths {f.widths} and {g.widths}")
    af, ag = forward(f, inputs), forward(g, inputs)
    chosen = range(f.depth + 1) if layers is None else layers
    for i in chosen:
        if not 0 <= i <= f.depth:
            raise InputError(f"layer {i} is not between 0 and {f.depth}")
    return compare_layers([(str(i), af[i], ag[i]) for i in chosen], **kw)


def load_side(path: str, *, data: Any = None, data_rows: bool = False, data_file: str | None = None) -> dict[str, Any]:
    """Activation matrices by layer name from an activation file, or from a network file and data (read from *data_file*)."""
    from symrep import imports  # NumPy, PyTorch and ONNX are optional: imported on use

    suffix = Path(path).suffix.lower()
    if suffix in (".npy", ".npz"):
        return imports.load_activation_rows(path, data_rows=data_rows)  # exact integer rows, no Fractions
    if suffix in (".onnx", ".pt", ".pth"):
        if data is None:
            raise InputError(f"{path}: a network needs data: give --data POINTS.npy (one row per data point)")
        net = imports.network_from_onnx(path) if suffix == ".onnx" else imports.network_from_torch(imports.load_torch(path))
        try:
            activations = forward(net, data)
        except ShapeError as e:  # e.g. data points with more coordinates than the network has inputs
            raise ShapeError(f"{path}" + (f" on {data_file}" if data_file else "") + f": {e}") from None
        return {str(i): m for i, m in enumerate(activations)}
    raise InputError(f"{path}: unknown file type {suffix!r} (expected .npy, .npz, .onnx, .pt or a claim file .toml)")


def layer_problem(report: LayerReport, a: Any, b: Any) -> Problem:
    """A claim-file problem stating this layer's report for two activation matrices, for a certificate.

    The data points are the columns of A and B side by side, and two one-layer identity networks pick
    out A and B, so layer 1 of network ``A`` is A and of ``B`` is B: the certificate recomputes them.
    """
    A, B = _rows(a), _rows(b)
    na, nb = len(A), len(B)
    FA, FB = A.fractions(), B.fractions()
    inputs = [[format_number(x) for x in FA_col + FB_col] for FA_col, FB_col in zip(zip(*FA), zip(*FB))]
    pick = lambda lo, n: [[int(j == lo + i) for j in range(na + nb)] for i in range(n)]  # noqa: E731
    claims: list[dict[str, Any]] = [
        {"id": "dimension-A", "kind": "dimension", "network": "A", "layer": 1, "equals": report.dimensions[0]},
        {"id": "dimension-B", "kind": "dimension", "network": "B", "layer": 1, "equals": report.dimensions[1]},
    ]
    for e, m in report.matches:
        claims.append({"id": f"maximum-match-eps-{format_number(e)}", "kind": "maximum_approx_match",
                       "networks": ["A", "B"], "layer": 1, "eps": format_number(e), "equals": [list(m.x), list(m.y)]})
    return problem_from_mapping({
        "title": f"layer {report.layer}: exact comparison",
        "data": {"inputs": inputs},
        "networks": {"A": {"layers": [{"weights": pick(0, na), "activation": "identity"}]},
                     "B": {"layers": [{"weights": pick(na, nb), "activation": "identity"}]}},
        "claims": claims,
    })
