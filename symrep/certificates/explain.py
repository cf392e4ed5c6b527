"""Render a certificate as a Markdown proof a mathematician can follow by hand.

The text shows, per claim, the activation matrices involved, the witness, and
the one computation that settles the claim.  It first runs the independent
checker, so the page says whether the certificate is valid.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from symrep import checker
from symrep.claims.files import problem_from_json
from symrep.errors import CertificateError, SymrepError
from symrep.exact.numbers import Matrix, format_number
from symrep.networks.network import forward

__all__ = ["explain", "explain_file"]

_MAX_SHOWN = 12  # larger matrices are summarised, not printed


def _q(x: Any) -> str:
    return format_number(Fraction(x)) if not isinstance(x, str) else x


def _vec(v) -> str:
    return "(" + ", ".join(_q(x) for x in v) + ")"


def _dense(sparse: list, n: int) -> list[str]:
    out = ["0"] * n
    for i, x in sparse:
        out[i] = x
    return out


def _matrix(m: Matrix, row_names: str = "z") -> str:
    if not m:
        return "(no rows)\n"
    if len(m) > _MAX_SHOWN or len(m[0]) > _MAX_SHOWN:
        return f"({len(m)} x {len(m[0])} matrix, not printed)\n"
    head = "| neuron | " + " | ".join(f"p{j}" for j in range(len(m[0]))) + " |"
    sep = "|---|" + "---|" * len(m[0])
    rows = [f"| {row_names}{i} | " + " | ".join(_q(x) for x in row) + " |" for i, row in enumerate(m)]
    return "\n".join([head, sep, *rows]) + "\n"


def _lit(m: list) -> str:
    """A matrix of exact-number strings as [[1, 0], [0, 1]] (summarised when large)."""
    if sum(len(row) for row in m) > 64:
        return f"(a {len(m)} x {len(m[0]) if m else 0} matrix, in the certificate)"
    return "[" + ", ".join("[" + ", ".join(str(x) for x in row) + "]" for row in m) + "]"


def _dot_text(w: list[str], z) -> str:
    terms = [f"({a})({_q(b)})" for a, b in zip(w, z) if a != "0"]
    return " + ".join(terms) or "0"


def _removal_lines(r: dict, acts: list[Matrix], remaining: dict[str, set]) -> list[str]:
    side, other = r["side"], "y" if r["side"] == "x" else "x"
    mine = 0 if side == "x" else 1
    d = len(acts[0][0]) if acts[0] else 0
    z = acts[mine][r["neuron"]]
    rest = ", ".join(f"{other}{j}" for j in sorted(remaining[other])) or "none"
    remaining[side].discard(r["neuron"])
    if "bound" in r:  # certified eps > 0 path: a distance lower bound instead of an orthogonal vector
        return [f"- round {r['round']}: remove {side}{r['neuron']} = {_vec(z)}: with c = {r['bound']['coefficients']}, "
                f"|z - sum c_j {other}j|^2 - |q|^2 / mu > eps^2 |z|^2 over the remaining {other}j ({rest}), "
                "mu a certified lower bound on the smallest eigenvalue of their Gram (gram_bounds)."]
    w = _dense(r["orthogonal"], d)
    return [
        f"- round {r['round']}: remove {side}{r['neuron']} = {_vec(z)}. w = ({', '.join(w)}) has w . {other}j = 0 "
        f"for every remaining {other}j ({rest}), but w . {side}{r['neuron']} = {_dot_text(w, z)} = {r['product']} != 0."
    ]


def _cover_lines(cover: list, side: str) -> list[str]:
    other = "y" if side == "x" else "x"
    out = []
    for i, coeffs in cover:
        combo = " + ".join(f"({c}) {other}{j}" for j, c in coeffs) or "0"
        out.append(f"- {side}{i} = {combo}")
    return out


def _dimension_lines(w: dict, name: str, z: str = "z") -> list[str]:
    r = w["dimension"]
    out = [f"`{name}`: dimension {r}."]
    if r and "inverse" in w:
        out.append(
            f"Rows {w['basis']} restricted to columns (data points) {w['pivots']} form an "
            f"invertible {r} x {r} block; its inverse K = {_lit(w['inverse'])} satisfies K times the block = I, "
            "so these rows are independent."
        )
    elif r:
        q = w["inverse_mod"]["prime"]
        out.append(
            f"Rows {w['basis']} restricted to columns (data points) {w['pivots']} form a {r} x {r} block "
            f"whose inverse modulo the prime {q} is in the certificate: K times the block = I (mod {q}), so the "
            "block's determinant is not divisible by the prime, hence not zero, and these rows are independent."
        )
    for i, c in enumerate(w["coefficients"]):
        combo = " + ".join(f"({x}) {z}{j}" for j, x in c) or "0"
        out.append(f"- {z}{i} = {combo}")
    return out


def _functions_section(claim: dict, result: dict, status: str) -> list[str]:
    w, (f, g) = result["witness"], claim["networks"]
    verdict = "true" if result["verdict"] else "false"
    dom = "all of R^n" if claim.get("domain") is None else f"the domain {json.dumps(claim['domain'])}"
    out = [f"## `{claim['id']}`: equal_functions, verdict **{verdict}** (expected "
           f"{str(claim.get('expect', True)).lower()}; {status})", ""]
    if claim.get("statement"):
        out += [f"> {claim['statement']}", ""]
    if not result["verdict"]:
        return out + [f"At the point x = {_vec(w['point'])} of {dom}, `{f}` outputs {_vec(w['values'][0])} and "
                      f"`{g}` outputs {_vec(w['values'][1])}.", ""]
    leaves = w["leaves"]
    full = [leaf for leaf in leaves if "point" in leaf]
    out += [f"On {dom}, split by the sign of every ReLU pre-activation of both networks (order "
            f"{w['order']}: [network, layer, neuron]); {len(leaves) - len(full)} branches are empty (Farkas "
            f"multipliers in the certificate), and on each of the {len(full)} remaining cells both networks are "
            "affine maps that agree on the cell (identical maps, or, for a lower-dimensional domain, maps whose "
            "difference is shown to vanish on the cell by two infeasibility certificates). The closures of the "
            "cells cover the domain, so the functions are equal there.", "",
            f"| path | a point of the cell | affine map of `{f}` there |", "|---|---|---|"]
    for leaf in full[:20]:
        m = leaf.get("map")
        out.append(f"| `{leaf['path']}` | {_vec(leaf['point'])} | "
                   + (f"W = {_lit(m['weights'])}, b = {_vec(m['bias'])}" if m else "(recomputed by the checker)") + " |")
    if len(full) > 20:
        out.append(f"| ... | {len(full) - 20} more cells in the certificate | |")
    return out + [""]


def _claim_section(claim: dict, result: dict, report: dict, acts: dict) -> list[str]:
    if claim["kind"] == "equal_functions":
        return _functions_section(claim, result, "checked" if report.get("valid") else
                                  f"REJECTED by the checker: {report.get('message')}")
    kind, w = claim["kind"], result["witness"]
    names = [claim["network"]] if "network" in claim else list(claim["networks"])
    layer = claim["layer"]
    A = [acts[n][layer] for n in names]
    verdict = "true" if result["verdict"] else "false"
    status = "checked" if report.get("valid") else f"REJECTED by the checker: {report.get('message')}"
    out = [f"## `{claim['id']}`: {kind}, verdict **{verdict}** (expected {str(claim.get('expect', True)).lower()}; {status})", ""]
    if claim.get("statement"):
        out += [f"> {claim['statement']}", ""]
    labels = ["z"] if len(names) == 1 else ["x", "y"]
    for n, m, z in zip(names, A, labels):
        out += [f"Activation matrix of `{n}` at layer {layer} (rows {z}0, {z}1, ... = neurons; columns = data points):", "", _matrix(m, z)]
    if kind == "activations":
        if "neuron" in w:
            out.append(f"Entry (neuron {w['neuron']}, point {w['point']}) is {w['value']}, the claim says {w['claimed']}.")
        elif "claimed_shape" in w:
            out.append(f"The matrix is {w['shape'][0]} x {w['shape'][1]}; the claim gives {w['claimed_shape'][0]} x {w['claimed_shape'][1]}.")
        else:
            out.append(f"Every entry equals the claimed matrix {_lit(claim['equals'])}.")
    elif kind == "identical":
        if "neuron" in w:
            a, b = w["values"]
            out.append(f"Neuron {w['neuron']} at point {w['point']}: `{names[0]}` gives {a}, `{names[1]}` gives {b}.")
        elif w["widths"][0] != w["widths"][1]:
            out.append(f"The layers have {w['widths'][0]} and {w['widths'][1]} neurons.")
        else:
            out.append("The two matrices agree entry by entry.")
    elif kind == "dimension":
        out += _dimension_lines(w, names[0])
        out.append(f"So the span has dimension {w['dimension']}; the claim says {claim['equals']}.")
    elif kind == "exact_match":
        if result["verdict"]:
            out += _cover_lines(w["x_in_y"], "x") + _cover_lines(w["y_in_x"], "y")
            out.append("Each side lies in the other's span, so the spans are equal.")
        else:
            side = w["side"]
            mine, other = (0, "y") if side == "x" else (1, "x")
            wv = _dense(w["orthogonal"], len(A[0][0]))
            z = A[mine][w["neuron"]]
            out.append(
                f"w = ({', '.join(wv)}) has w . {other}j = 0 for every {other}j of the claim, but w . {side}{w['neuron']} = "
                f"{_dot_text(wv, z)} = {w['product']} != 0, so {side}{w['neuron']} is outside the span of the {other}j."
            )
    elif kind in ("maximum_match", "no_match", "maximum_approx_match", "match_similarity"):
        if claim.get("eps", "0") != "0":
            out.append(f"With eps = {claim['eps']}: a removal's w is the exact residual, orthogonal to the other side, "
                       "with (w . z)^2 > eps^2 |z|^2 |w|^2; kept vectors are within eps by their coefficients.")
        out.append("Removals (Wang et al.'s algorithm); each is forced, so no removed neuron is in any match:")
        out.append("")
        remaining = {"x": set(range(len(A[0]))), "y": set(range(len(A[1])))}
        for r in w["removals"]:
            out += _removal_lines(r, A, remaining)
        out += ["", f"What remains: X* = {w['x']}, Y* = {w['y']}" + (f" (zero neurons: {w['zero_x']}, {w['zero_y']})" if w["zero_x"] or w["zero_y"] else "") + "."]
        out += _cover_lines(w["x_in_y"], "x") + _cover_lines(w["y_in_x"], "y")
        out.append("So (X*, Y*) is a match containing every match: the maximum match.")
    elif kind == "isomorphic":
        out += _dimension_lines(w["first"], names[0], "x") + [""] + _dimension_lines(w["second"], names[1], "y")
        if result["verdict"] and isinstance(w.get("map"), str):
            out += ["", f"The map v -> (v on the pivot columns {w['first']['pivots']}) K B[{w['second']['basis']}], with K "
                    "the inverse of the first pivot block (it exists: the block was shown invertible), sends the "
                    "first basis onto the second; the inverse map is built the same way the other way round."]
        elif result["verdict"]:
            out += [
                "",
                f"The map v -> v M with M zero except rows {w['map']['rows']} = {_lit(w['map']['matrix'])} sends basis "
                f"{w['first']['basis']} of `{names[0]}` (rows x{w['first']['basis']}) to basis {w['second']['basis']} of `{names[1]}` (rows y{w['second']['basis']}); "
                f"N with rows {w['inverse']['rows']} = {_lit(w['inverse']['matrix'])} sends it back.",
            ]
        else:
            out.append(f"The dimensions differ ({w['dimensions'][0]} and {w['dimensions'][1]}): no isomorphism exists.")
    elif kind == "cka":
        h = w["hsic"]
        out.append(f"After centering each neuron over the data: |A B^T|_F^2 = {h[0]}, |A A^T|_F^2 = {h[1]}, "
                   f"|B B^T|_F^2 = {h[2]}, so CKA^2 = {w.get('cka_squared', 'undefined')}.")
    else:  # approx_match, simple_match, equivalence: the witness, as the checker reads it
        text = json.dumps(w)
        out += ["Witness (checked as described in the checker's design note):", "", "```json",
                text if len(text) <= 2000 else text[:2000] + " ...", "```"]
    return out + [""]


def explain(cert: dict) -> str:
    """Markdown proof of every claim of a certificate (after running the independent checker)."""
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
        "Data points (one per column below, numbered from 0): " + ", ".join(f"p{i} = {_vec(r)}" for i, r in enumerate(problem.inputs)),
        "",
    ]
    for name, net in problem.networks:
        layers = "; ".join(
            f"W{i + 1} = {[[_q(x) for x in r] for r in l.weights]}".replace("'", "")
            + (f", b{i + 1} = {[_q(x) for x in l.bias]}".replace("'", "") if any(l.bias) else "")
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
