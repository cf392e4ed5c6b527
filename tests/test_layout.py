"""The package layout: old module paths resolve to the moved modules, and the layers hold."""

import importlib

import pytest

from symrep._aliases import ALIASES


@pytest.mark.parametrize("old", sorted(ALIASES))
def test_old_module_path_is_the_moved_module(old):
    moved = importlib.import_module(ALIASES[old])
    again = importlib.import_module(old)
    assert again is moved
    assert again.__name__ == ALIASES[old] and again.__spec__.name == ALIASES[old]


def test_from_import_of_an_old_name_gives_the_moved_module():
    from symrep import lp, matching  # noqa: F401 - the import itself is under test
    from symrep.exact import lp as new_lp
    from symrep.measures import matching as new_matching

    assert lp is new_lp and matching is new_matching


# --- the layers of docs/architecture.md ----------------------------------------------------------

import ast  # noqa: E402 - the layer tests below read the source, the alias tests above import it
import functools  # noqa: E402
from pathlib import Path  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[1] / "symrep"
#: The layer of every top-level part of symrep, bottom first (docs/architecture.md).
LAYERS = {
    "errors": 0, "_aliases": 0,
    "exact": 1, "networks": 2, "measures": 3, "relu": 4, "claims": 5, "parametric": 6,
    "certificates": 7, "imports": 8, "compare": 9, "search": 9, "testing": 9, "zoo": 10, "cli": 11,
}
#: Who may import the independent checker (it never serves a decision of the library).
CHECKER_USERS = {"certificates", "cli", "testing"}
#: Imports that run back up the layers today, each to be removed (the list only shrinks).
PENDING: set[tuple[str, str]] = set()


@functools.lru_cache(maxsize=None)  # parsed once for the tests below, which only read the trees
def _modules():
    return tuple((path.relative_to(PACKAGE), ast.parse(path.read_text(encoding="utf-8")))
                 for path in sorted(PACKAGE.rglob("*.py")))


def _imported(tree: ast.AST, rel: Path) -> set[str]:
    """The top-level parts of symrep that a module imports (module level and inside functions)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] == "symrep":
                if len(parts) > 1:
                    out.add(parts[1])
                else:  # from symrep import checker, __version__ ...
                    out.update(a.name for a in node.names if a.name in LAYERS or a.name == "checker")
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names if a.name.startswith("symrep."))
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{rel}: relative import (use absolute imports)")
    return out


def _part(rel: Path) -> str:
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def test_no_import_runs_back_up_the_layers():
    up = set()
    for rel, tree in _modules():
        part = _part(rel)
        if part in ("__init__", "__main__", "checker"):
            continue
        for other in _imported(tree, rel):
            if other == "checker":
                if part not in CHECKER_USERS:
                    up.add((part, other))
            elif other in LAYERS and LAYERS[other] > LAYERS[part]:
                up.add((part, other))
    assert up <= PENDING, sorted(up - PENDING)
    assert up == PENDING, f"fixed, remove from PENDING: {sorted(PENDING - up)}"


def test_the_checker_imports_nothing_of_symrep():
    tree = ast.parse((PACKAGE / "checker.py").read_text(encoding="utf-8"))
    assert not _imported(tree, Path("checker.py"))


def test_every_part_has_a_layer():
    assert {_part(rel) for rel, _ in _modules()} - {"__init__", "__main__", "checker"} <= set(LAYERS)


#: Modules and functions over the size bounds today, each to be split (the lists only shrink).
PENDING_LONG_MODULES: set[str] = set()
PENDING_LONG_FUNCTIONS: set[tuple[str, str]] = set()


def test_no_module_over_800_lines_and_no_function_over_100():
    long_modules, long_functions = set(), set()
    for rel, tree in _modules():
        name = rel.as_posix()
        if name == "checker.py":  # the trusted kernel stays one file
            continue
        if len((PACKAGE / rel).read_text(encoding="utf-8").splitlines()) > 800:
            long_modules.add(name)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 100:
                long_functions.add((name, node.name))
    assert long_modules <= PENDING_LONG_MODULES and long_functions <= PENDING_LONG_FUNCTIONS, (
        sorted(long_modules - PENDING_LONG_MODULES), sorted(long_functions - PENDING_LONG_FUNCTIONS))
