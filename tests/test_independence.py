"""The library and the checker are independent in fact, and they agree on equal_functions witnesses.

* No module of the package imports ``symrep.checker`` except the CLI ``check`` command,
  ``symrep/certificates/explain.py`` and ``symrep/testing`` (module-level and function-level
  imports, read with ``ast``); the library decides and verifies ``equal_functions`` without it.
* The library's own verification (``check_equal_functions_witness``) and the checker's
  (``checker.check_function_witness``) accept and reject the same witnesses: genuine ones,
  every kind of single tampering, and covering trees transplanted onto other networks or domains.
  Where the truth is known independently (by construction, or a counterexample evaluated with
  plain fractions), an accepted witness must prove it.
"""

from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _nets import networks, permuted_and_rescaled, ref_output, symmetries
from symrep import checker
from symrep.networks.network import Layer, Network
from symrep.relu.functions import CertificateRejected, check_equal_functions_witness, equal_functions, network_layers

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "symrep"
F = Fraction

# --- who imports the checker -----------------------------------------------------------------

#: Modules that may import the checker anywhere (paths relative to the repository).
ALLOWED_MODULES = {"symrep/checker.py", "symrep/certificates/explain.py", "symrep/certificates/display.py", "symrep/cli/check.py",
                   "symrep/certificates/coq.py", "symrep/certificates/coq_functions.py",
                   "symrep/certificates/coq_relations.py", "symrep/certificates/coq_spectral.py",
                   "symrep/certificates/coq_cca.py", "symrep/certificates/coq_parametric.py",
                   "symrep/certificates/coq_grambound.py"}  # the Coq exporter refuses what the checker rejects
ALLOWED_PACKAGES = ("symrep/testing/",)
#: In the rest of the CLI only the ``check`` command may import it, inside its function.
CLI_PACKAGE, CLI_FUNCTIONS = "symrep/cli/", {"cmd_check"}


def module_name(rel: str) -> str:
    parts = rel[:-3].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute module an import ``from <level dots><target> import ...`` in *module* refers to."""
    if level == 0:
        return target or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def checker_imports(source: str, rel: str) -> list[tuple[int, str | None]]:
    """``(line, enclosing function or None)`` of every import of ``symrep.checker`` in *source*.

    Covers ``import symrep.checker``, ``from symrep import checker``, ``from symrep.checker import
    ...``, relative forms, and ``importlib.import_module("symrep.checker")`` / ``__import__``.
    """
    module, is_package = module_name(rel), rel.endswith("__init__.py")
    found: list[tuple[int, str | None]] = []

    def hits(node: ast.AST) -> bool:
        if isinstance(node, ast.Import):
            return any(a.name == "symrep.checker" or a.name.startswith("symrep.checker.") for a in node.names)
        if isinstance(node, ast.ImportFrom):
            src = resolve(module, is_package, node.level, node.module)
            return src == "symrep.checker" or (src == "symrep" and any(a.name == "checker" for a in node.names))
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            return name in ("import_module", "__import__") and node.args[0].value == "symrep.checker"
        return False

    def visit(node: ast.AST, function: str | None) -> None:
        if hits(node):
            found.append((node.lineno, function))
        inner = node.name if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(ast.parse(source), None)
    return found


def package_modules() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py"))


def allowed(rel: str, function: str | None) -> bool:
    if rel in ALLOWED_MODULES or rel.startswith(ALLOWED_PACKAGES):
        return True
    return rel.startswith(CLI_PACKAGE) and function in CLI_FUNCTIONS


def test_no_module_imports_the_checker_except_the_allowed_ones():
    offenders = [f"{rel}:{line} (in {fn or 'the module'})"
                 for rel in package_modules()
                 for line, fn in checker_imports((ROOT / rel).read_text(encoding="utf-8"), rel)
                 if not allowed(rel, fn)]
    assert offenders == [], "only the CLI check command, certificates/explain and display, and symrep/testing may import the checker"
    relu = [rel for rel in package_modules() if rel.startswith("symrep/relu/")]
    assert "symrep/relu/functions.py" in relu
    assert all(not checker_imports((ROOT / rel).read_text(encoding="utf-8"), rel) for rel in relu)


def test_the_import_detector_sees_every_form():
    forms = [
        "import symrep.checker",
        "import symrep.checker as c",
        "from symrep import checker",
        "from symrep import errors, checker as c",
        "from symrep.checker import motzkin",
        "import importlib\nimportlib.import_module('symrep.checker')",
        "__import__('symrep.checker')",
    ]
    for form in forms:
        assert checker_imports(form, "symrep/relu/functions.py") == [(form.count("\n") + 1, None)], form
        nested = "def decide():\n" + textwrap.indent(form, "    ")
        assert checker_imports(nested, "symrep/relu/functions.py") == [(form.count("\n") + 2, "decide")], form
    assert checker_imports("from .. import checker", "symrep/relu/functions.py") == [(1, None)]
    assert checker_imports("from ..checker import Reject", "symrep/relu/functions.py") == [(1, None)]
    assert checker_imports("from . import checker", "symrep/__init__.py") == [(1, None)]
    for fine in ("from symrep import errors", "import symrep.checkers", "from symrep.relu import checker",
                 "from . import checker", "x = 'symrep.checker'"):
        assert checker_imports(fine, "symrep/relu/functions.py") == [], fine
    # the rule is not vacuous: the allowed modules do import it, and an import elsewhere in the CLI would not pass
    check = (ROOT / "symrep/cli/check.py").read_text(encoding="utf-8")
    assert any(fn == "cmd_check" for _, fn in checker_imports(check, "symrep/cli/check.py"))
    assert checker_imports((ROOT / "symrep/certificates/explain.py").read_text(encoding="utf-8"), "symrep/certificates/explain.py")
    assert not allowed("symrep/cli/app.py", "cmd_verify") and not allowed("symrep/relu/regions.py", None)


def test_equal_functions_runs_and_verifies_without_loading_the_checker():
    code = textwrap.dedent("""
        import sys
        from symrep.networks.network import Layer, Network
        from symrep.relu import functions as m
        f = Network([Layer([[1], [-1]], "relu"), Layer([[1, -1]], "identity")])
        g = Network([Layer([[1]], "identity")])
        r = m.equal_functions(f, g, [[-1, 2]])
        assert r.verdict is True
        m.check_equal_functions_witness(f, g, [[-1, 2]], True, r.witness())
        m.check_motzkin([([1], 0, "<"), ([-1], 0, "<=")], [1, 1])
        m.parse_domain([["0", "1"]], 1)
        print("loaded" if "symrep.checker" in sys.modules else "independent")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "independent"


# --- the two verifications agree -------------------------------------------------------------


def json_domain(domain):
    return json.loads(json.dumps(domain, default=str))


def library_accepts(f, g, domain, verdict, witness) -> bool:
    try:
        check_equal_functions_witness(network_layers(f), network_layers(g), domain, verdict, witness)
    except CertificateRejected:
        return False
    return True


def checker_accepts(f, g, domain, verdict, witness) -> bool:
    try:
        checker.check_function_witness([network_layers(f), network_layers(g)], json_domain(domain), verdict, witness)
    except checker.Reject:
        return False
    return True


def both(f, g, domain, verdict, witness) -> bool:
    """Whether the witness is accepted, asserting that the library and the checker agree."""
    lib, chk = library_accepts(f, g, domain, verdict, witness), checker_accepts(f, g, domain, verdict, witness)
    assert lib == chk, f"library {'accepts' if lib else 'rejects'}, checker {'accepts' if chk else 'rejects'}: {witness}"
    return lib


def single_changes(doc) -> list[tuple[str, list, object]]:
    """Every single change to a JSON witness: ``(what, path to the node, argument)``."""
    out: list[tuple[str, list, object]] = []

    def walk(node, path):
        if isinstance(node, dict):
            out.append(("add", path, "colour"))
            for k in node:
                out.append(("delete", path + [k], None))
                walk(node[k], path + [k])
        elif isinstance(node, list):
            out.append(("append", path, None))
            for i, x in enumerate(node):
                out.append(("delete", path + [i], None))
                if i + 1 < len(node):
                    out.append(("swap", path + [i], i + 1))
                walk(x, path + [i])
        elif isinstance(node, str) and path[-1:] == ["path"]:
            for new in {node[:-1], node + "+", node + "0", node.replace("+", "#").replace("-", "+").replace("#", "-")}:
                out.append(("set", path, new))
        elif isinstance(node, str):  # a number
            q = F(node)
            for new in (q + 1, q - 1, -q, F(0), F(1), q / 2, 2 * q, q + F(1, 3)):
                out.append(("set", path, str(new)))
            out.extend([("set", path, 0.5), ("set", path, "1/0"), ("set", path, None)])
        elif isinstance(node, int) and not isinstance(node, bool):
            for new in (node + 1, node - 1, 0, True, str(node)):
                out.append(("set", path, new))

    walk(doc, [])
    return out


def changed(doc, change):
    what, path, arg = change
    t = copy.deepcopy(doc)
    parent = t
    for key in path[:-1]:
        parent = parent[key]
    node = parent[path[-1]] if path else t
    if what == "add":
        node[arg] = 1
    elif what == "append":
        node.append(copy.deepcopy(node[-1]) if node else 0)
    elif what == "delete":
        del parent[path[-1]]
    elif what == "swap":
        parent[path[-1]], parent[arg] = parent[arg], parent[path[-1]]
    else:
        parent[path[-1]] = arg
    return t


def plane_pair(net: Network, a, c) -> Network:
    """net + relu(a.x + c) - relu(-(a.x + c)): equal to net exactly on the hyperplane a.x + c == 0."""
    hid, out = net.layers
    return Network([
        Layer([list(r) for r in hid.weights] + [a, [-v for v in a]], "relu", list(hid.bias) + [c, -c]),
        Layer([list(r) + [1, -1] for r in out.weights], "identity", list(out.bias)),
    ])


@st.composite
def pairs_with_truth(draw):
    """``(f, g, domain, truth)``: truth known by construction, or None (only agreement is asserted)."""
    kind = draw(st.sampled_from(["symmetry", "symmetry", "plane", "perturbed"]))
    if kind == "plane":
        net = draw(networks(inputs=2, outputs=1, max_width=2, max_hidden=1, allow_identity=False))
        net = Network([net.layers[0], Layer(net.layers[1].weights, "identity", net.layers[1].bias)])
        a = draw(st.sampled_from([[1, 0], [1, -1], [2, 1]]))
        c = draw(st.integers(-1, 1))
        return net, plane_pair(net, a, c), [{"coefficients": a, "relation": "==", "bound": -c}], True
    net = draw(networks(max_width=2, max_hidden=2))
    domain = draw(st.sampled_from([None, "box"]))
    domain = None if domain is None else [[-1, 2]] * net.widths[0]
    if kind == "symmetry":
        perms, scales = draw(symmetries(net))
        return net, permuted_and_rescaled(net, perms, scales), domain, True
    layers = list(net.layers)
    k = draw(st.integers(0, len(layers) - 1))
    L = layers[k]
    bias = list(L.bias)
    bias[draw(st.integers(0, L.width - 1))] += draw(st.sampled_from([F(1), F(-1, 2)]))
    layers[k] = Layer(L.weights, L.activation, bias)
    return net, Network(layers), domain, None


@settings(max_examples=40)
@given(pairs_with_truth(), st.data())
def test_library_and_checker_accept_the_same_witnesses(case, data):
    f, g, domain, truth = case
    r = equal_functions(f, g, domain)
    assert r.verdict is not None
    if r.verdict is False:  # the counterexample really differs (plain-fraction evaluation)
        assert ref_output(f, r.point) != ref_output(g, r.point)
        truth = False
    assert truth is None or r.verdict is truth
    w = json.loads(json.dumps(r.witness()))
    assert both(f, g, domain, r.verdict, w)
    assert not both(f, g, domain, not r.verdict, w)
    changes = single_changes(w)
    picked = data.draw(st.lists(st.integers(0, len(changes) - 1), min_size=1, max_size=25, unique=True))
    for i in picked:
        t = changed(w, changes[i])
        if both(f, g, domain, r.verdict, t) and truth is not None:
            assert r.verdict is truth, changes[i]  # nothing accepted proves a false statement


@settings(max_examples=25)
@given(networks(max_width=2, max_hidden=2), st.data())
def test_a_transplanted_covering_tree_is_rejected_by_both(net, data):
    perms, scales = data.draw(symmetries(net))
    g = permuted_and_rescaled(net, perms, scales)
    r = equal_functions(net, g)
    assert r.verdict is True
    w = json.loads(json.dumps(r.witness()))
    assert both(net, g, None, True, w)
    # onto h = g + 1 (same relu neurons, another function): any acceptance would prove a falsehood
    outs = g.widths[-1]
    h = Network(list(g.layers) + [Layer([[int(i == j) for j in range(outs)] for i in range(outs)], "identity", [1] * outs)])
    s = equal_functions(net, h)
    assert s.verdict is False and ref_output(net, s.point) != ref_output(h, s.point)
    assert not both(net, h, None, True, w)
    # other trees for the same (equal) pair may or may not be accepted, but both verifications decide alike
    both(g, net, None, True, w)  # the networks swapped: order and maps refer to networks 0 and 1
    flipped = copy.deepcopy(w)
    for leaf in flipped["leaves"]:
        leaf["path"] = leaf["path"].translate(str.maketrans("+-", "-+"))
    both(net, g, None, True, flipped)
    shifted = copy.deepcopy(w)
    paths = [leaf["path"] for leaf in shifted["leaves"]]
    for leaf, p in zip(shifted["leaves"], paths[1:] + paths[:1]):
        leaf["path"] = p
    both(net, g, None, True, shifted)


def test_a_tampered_tree_for_the_seed_example_is_rejected_by_both():
    W2 = Layer([[1, -1], [1, -1]], "identity")
    f = Network([Layer([[1, 0], [0, 1]], "relu"), W2])
    g = Network([Layer([[2, 0], [0, 1]], "relu"), Layer([["1/2", -1], ["1/2", -1]], "identity")])
    f_tilde = Network([Layer([[1, 0], [0, -1]], "relu"), W2])  # differs from f at (0, 1)
    w = json.loads(json.dumps(equal_functions(f, g).witness()))
    assert both(f, g, None, True, w)
    assert ref_output(f, (0, 1)) != ref_output(f_tilde, (0, 1))
    assert not both(f, f_tilde, None, True, w)  # transplanted: f_tilde is another function
    leaves = {leaf["path"]: leaf for leaf in w["leaves"]}
    assert {p for p, leaf in leaves.items() if "point" in leaf} == {"++++", "+-+-", "-+-+", "----"}

    def tampered(change):
        t = copy.deepcopy(w)
        change(t, {leaf["path"]: leaf for leaf in t["leaves"]})
        return t

    cases = [
        lambda t, by: t["leaves"].remove(by["++-"]),                       # a branch missing: "++" lacks "++-"
        lambda t, by: by["++++"].update(point=by["----"]["point"]),       # a point outside its cell
        lambda t, by: by["+-+-"].pop("point") and by["+-+-"].update(empty=[[0, "1"], [1, "1"]]),  # a region "empty"
        lambda t, by: t["order"].__setitem__(3, t["order"][2]),           # a neuron twice, another never
        lambda t, by: t["leaves"].append({"path": "++++" + "+", "empty": []}),  # deeper than the order
        lambda t, by: by["++++"]["map"]["bias"].__setitem__(0, "1"),      # not f's map on the cell
    ]
    for change in cases:
        assert not both(f, g, None, True, tampered(change))


@pytest.mark.parametrize("domain", [None, [[0, 1], [0, 1]]])
def test_a_witness_for_a_smaller_domain_does_not_cover_a_larger_one(domain):
    # f and the corrected network agree on the diagonal only; its covering does not transplant to a 2-d domain
    W2 = Layer([[1, -1], [1, -1]], "identity")
    f = Network([Layer([[1, 0], [0, 1]], "relu"), W2])
    g = Network([Layer([[-1, 0], [0, -1]], "relu"), W2])
    diagonal = [{"coefficients": ["1", "-1"], "relation": "==", "bound": "0"}]
    w = json.loads(json.dumps(equal_functions(f, g, diagonal).witness()))
    assert both(f, g, diagonal, True, w)
    assert ref_output(f, (1, 0)) != ref_output(g, (1, 0))  # (1, 0) is in both larger domains
    assert not both(f, g, domain, True, w)
