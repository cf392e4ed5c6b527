"""The module paths of symrep 0.1, kept importable after the move to layer subpackages.

symrep 0.1 was 25 flat modules (``symrep.matching``, ``symrep.linalg`` ...).  They
now live in subpackages that show the layers (``docs/architecture.md``).  Code
written against the old paths keeps working: importing ``symrep.matching`` gives
the very module object ``symrep.measures.matching`` (not a copy), so attributes,
monkeypatching and ``isinstance`` behave as before.  New code should use the new
paths; this table only shrinks.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

#: Old module path -> the module it now is.
ALIASES = {
    "symrep.linalg": "symrep.exact.linalg",
    "symrep.lp": "symrep.exact.lp",
    "symrep.network": "symrep.networks.network",
    "symrep.spaces": "symrep.networks.spaces",
    "symrep.matching": "symrep.measures.matching",
    "symrep.simple": "symrep.measures.simple",
    "symrep.equivalence": "symrep.measures.equivalence",
    "symrep.regions": "symrep.relu.regions",
    "symrep.functions": "symrep.relu.functions",
    "symrep.verdicts": "symrep.claims.verdicts",
    "symrep.params": "symrep.parametric.params",
    "symrep.explain": "symrep.certificates.explain",
    "symrep.strategies": "symrep.testing.strategies",
}


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves an old path to the already-importable new module (the same object)."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in ALIASES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(ALIASES[spec.name])
        # The import system stamps the alias's spec on the module before exec_module: keep its own.
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module was executed under its new name; it gets its own spec back."""
        alias_spec = module.__spec__
        if alias_spec is not None and alias_spec.loader_state is not None:
            module.__spec__ = alias_spec.loader_state


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.append(_AliasFinder())
