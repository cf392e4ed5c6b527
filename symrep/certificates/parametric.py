"""Render a parametric certificate (``symrep-parametric-certificate/1``) as a Markdown proof.

The page is given the independent checker's reports (``certificates/explain.py`` runs it), then per
claim shows the pieces of the parameter line with the verdict on each and the evidence that settles
it, and the exact set where the claim holds.  Ends are exact: rationals, or "the root of m in (a, b)".
"""

from __future__ import annotations

from typing import Any

from symrep.errors import CertificateError

__all__ = ["explain_parametric"]


def _poly_text(terms: list, names: list[str]) -> str:
    """A polynomial given as [[exponents, "c"], ...] (or coefficients lowest first in one name) as text."""
    out = []
    for exps, c in terms:
        mono = "*".join(f"{n}" + (f"^{e}" if e > 1 else "") for n, e in zip(names, exps) if e)
        coef = c if not mono else "" if c == "1" else "-" if c == "-1" else f"{c}*"
        out.append(f"{coef}{mono}" if mono else c)
    return " + ".join(out).replace("+ -", "- ") or "0"


def _univariate(coeffs: list, name: str) -> str:
    return _poly_text([[[k], c] for k, c in enumerate(coeffs) if c != "0"][::-1], [name])


def _entry_text(e: Any, names: list[str]) -> str:
    if not isinstance(e, dict):
        return str(e)
    return _ratio(_poly_text(e["num"][::-1], names), _poly_text(e["den"][::-1], names))


def _ratio(num: str, den: str) -> str:
    wrap = lambda s: f"({s})" if " " in s else s  # noqa: E731
    return num if den == "1" else f"{wrap(num)}/{wrap(den)}"


def _rf_text(v: Any, name: str) -> str:
    if not isinstance(v, list):
        return str(v)
    return _ratio(_univariate(v[0], name), _univariate(v[1], name))


def _end_text(e: Any, name: str, low: bool) -> str:
    if e is None:
        return "-oo" if low else "oo"
    if isinstance(e, dict):
        return f"[root of {_univariate(e['root'], name)} in ({e['in'][0]}, {e['in'][1]})]"
    return str(e)


def _measure_text(kind: str, proof: dict[str, Any], name: str) -> str | None:
    """The evidence of a ``cka`` / ``match_similarity`` piece at eps > 0 (None for the other forms)."""
    if "cka_squared" in proof:
        return f"CKA^2 = {_rf_text(proof['cka_squared'], name)} (recomputed), each bound's sign without root"
    if kind == "cka":
        return "CKA undefined: a side is constant over the data"
    if "kept" in proof:
        return (f"{len(proof['removals'])} neurons beyond eps, {len(proof['kept'])} within eps of the other side "
                "(orthogonal projections)")
    return None


def _proof_text(kind: str, proof: dict[str, Any], name: str) -> str:  # noqa: C901 - one line per witness form
    measure = _measure_text(kind, proof, name)
    if measure is not None:
        return measure
    if "symmetry" in proof:
        scales = "; ".join(", ".join(_rf_text(c, name) for c in layer["scales"]) for layer in proof["symmetry"])
        return f"ReLU symmetry, positive scales {scales}"
    if "input" in proof:
        return f"outputs differ at x = {proof['input']} (output {proof['neuron']}), the difference has no root"
    if "x_in_y" in proof and "removals" in proof:
        return f"removal trace of {len(proof['removals'])} neurons, the rest a match (coefficients both ways)"
    if "x_in_y" in proof:
        return "coefficients write each side in the other"
    if "w" in proof:
        return f"w orthogonal to the other side, w.z{proof['neuron']} ({proof['side']}) without root"
    if "first" in proof:
        dims = [len(proof[k]["basis"]) for k in ("first", "second") if k in proof]
        return f"dimension {' and '.join(map(str, dims))} (independent basis rows, coefficients for the others)"
    if "neuron" in proof:
        return f"entries differ at neuron {proof['neuron']}, point {proof['point']} (no root)"
    return "entries identical as rational functions" if kind in ("identical", "activations") else "shapes differ"


def _pieces_lines(claim: dict, w: dict) -> list[str]:
    name = w["parameter"]
    lines = [f"The {name}-line, piece by piece (each checked on the whole piece):", "",
             "| piece | holds | evidence |", "|---|---|---|"]
    holds_when: list[str] = []
    for pc in w["pieces"]:
        if "excluded" in pc:
            lines.append(f"| {name} = {_end_text(pc['excluded'], name, True)} | (excluded: a pole or the assumption) | |")
            continue
        if "point" in pc:
            where = "{" + _end_text(pc["point"], name, True) + "}"
        else:
            where = f"({_end_text(pc['low'], name, True)}, {_end_text(pc['high'], name, False)})"
        lines.append(f"| {where} | {'yes' if pc['holds'] else 'no'} | {_proof_text(claim['kind'], pc['proof'], name)} |")
        if pc["holds"]:
            holds_when.append(where)
    return lines + ["", f"So the claim holds exactly for {name} in " + (" U ".join(holds_when) or "no value") + "."]


def _plane_lines(claim: dict, w: dict, assumptions: dict[str, str]) -> list[str]:
    """Two parameters: the columns of the plane, cell by cell."""
    a, b = w["parameters"]
    lines = [f"The ({a}, {b})-plane, cell by cell (each checked on the whole cell): over each interval of the {a}-line, "
             f"sectors between curves {b} = r({a}) ordered on it; over each point of the {a}-line, the {b}-line's pieces.", "",
             "| cell | holds | evidence |", "|---|---|---|"]
    holds_when: list[str] = []
    for col in w["columns"]:
        if "excluded" in col:
            lines.append(f"| {a} = {_end_text(col['excluded'], a, True)} | (excluded: a pole or the assumption) | |")
            continue
        if "point" in col:
            at = f"{a} = {_end_text(col['point'], a, True)}"
            sub = _pieces_lines(claim, {"parameter": b, "pieces": col["pieces"]})
            lines += [f"| {at}, {b} in {row[2:]}" for row in sub[4:] if row.startswith("| ")]
            holds_when += [f"{at}, {b} in {row[2:].split(' |')[0]}" for row in sub[4:]
                           if row.startswith("| ") and "| yes |" in row]
            continue
        span = f"{a} in ({_end_text(col['low'], a, True)}, {_end_text(col['high'], a, False)})"
        below = "0" if assumptions[b] == "positive" else "-oo"
        for k, cell in enumerate(col["cells"]):
            if "curve" in cell:
                below = _rf_text(cell["curve"], a)
                where = f"{span}, {b} = {below}"
                if "excluded" in cell:
                    lines.append(f"| {where} | (excluded: a pole or the assumption) | |")
                    continue
            else:
                above = _rf_text(col["cells"][k + 1]["curve"], a) if k + 1 < len(col["cells"]) else \
                    "0" if assumptions[b] == "negative" else "oo"
                where = f"{span}, {b} in ({below}, {above})"
            lines.append(f"| {where} | {'yes' if cell['holds'] else 'no'} | {_proof_text(claim['kind'], cell['proof'], a)} |")
            if cell["holds"]:
                holds_when.append(where)
    return lines + ["", "So the claim holds exactly on " + (" U ".join(f"{{{h}}}" for h in holds_when) or "no cell") + "."]


def explain_parametric(cert: dict, reports: list[dict]) -> str:
    """Markdown proof of every claim of a parametric certificate, given the independent checker's reports on it."""
    bad = [r for r in reports if not r["valid"]]
    if bad:
        raise CertificateError(f"certificate rejected by the checker: {bad[0]['message']}")
    p = cert["problem"]
    names = list(p["parameters"])
    lines = [f"# {p.get('title') or 'symrep certificate'}", ""]
    if p.get("description"):
        lines += [p["description"].strip(), ""]
    lines += [f"Certificate format `{cert['format']}`; the independent checker finds it **valid**. All numbers are exact.",
              "", "Parameters: " + ", ".join(f"{n} ({a})" for n, a in p["parameters"].items()), "",
              "Data points: " + ", ".join(f"p{i} = ({', '.join(r)})" for i, r in enumerate(p["data"]["inputs"])), ""]
    for net, spec in p["networks"].items():
        row = lambda r: "[" + ", ".join(_entry_text(e, names) for e in r) + "]"  # noqa: E731
        layers = "; ".join(f"W{i + 1} = [{', '.join(row(r) for r in l['weights'])}], b{i + 1} = {row(l['bias'])}, "
                           f"{l['activation']}" for i, l in enumerate(spec["layers"]))
        lines.append(f"- `{net}`: {layers}")
    lines.append("")
    for claim, result in zip(p["claims"], cert["results"]):
        verdict = result["verdict"]
        word = verdict if isinstance(verdict, str) else str(verdict).lower()
        lines += [f"## `{claim['id']}`: {claim['kind']}, verdict **{word}** (expected "
                  f"{str(claim.get('expect', True)).lower()}; {'checked' if word != 'undecided' else 'nothing to check'})", ""]
        if claim.get("statement"):
            lines += [f"> {claim['statement']}", ""]
        w = result["witness"]
        if verdict == "undecided":
            lines += [f"Undecided: {w.get('reason')}", ""]
        elif "counterexample" in w:
            at = ", ".join(f"{k} = {v}" for k, v in w["counterexample"].items())
            lines += [f"Fails at {at}: substituted into every weight, the numeric claim is false, by its own witness "
                      f"(`{', '.join(sorted(w['witness']))}`), which the checker re-checks.", ""]
        elif "columns" in w:
            lines += _plane_lines(claim, w, p["parameters"]) + [""]
        else:
            lines += _pieces_lines(claim, w) + [""]
    return "\n".join(lines)
