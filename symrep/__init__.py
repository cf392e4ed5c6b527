"""symrep: exact, certified verification of claims about neural-network representations.

Everything is computed with exact rational arithmetic; every verdict carries a
witness that can be checked by multiplication and addition.

>>> import symrep
>>> f = symrep.Network([symrep.Layer([[1, 0], [0, 1]], "relu"),
...                     symrep.Layer([[1, -1], [1, -1]], "identity")])
>>> A = symrep.activations(f, [[1, 1], [-1, -1]], 1)
>>> m = symrep.maximum_match(A, [[1, 0], [0, 1]])
>>> m.x, m.y, m.similarity
((0, 1), (0,), Fraction(3, 4))
"""

__version__ = "0.1.0"

from symrep import _aliases

_aliases.install()  # symrep 0.1's flat module paths (symrep.matching ...) stay importable

from symrep.claims import Claim, Problem, dumps_toml, load_claim_file, loads_claim_file
from symrep.errors import CertificateError, ClaimFileError, InputError, ShapeError, SymrepError
from symrep.exact import as_matrix, format_number, to_fraction
from symrep.exact.symbolic import from_sympy, to_sympy
from symrep.measures.matching import (
    ExactMatch,
    MaximumMatch,
    Removal,
    approx_match,
    critical_epsilon,
    exact_match,
    is_exact_match,
    match_similarity,
    maximum_match,
    maximum_match_within,
)
from symrep.measures.equivalence import LEVELS, Equivalence, cka_squared, equivalence, ladder
from symrep.networks.network import Layer, Network, activations
from symrep.networks.spaces import Isomorphism, Subspace, isomorphism
from symrep.claims.verdicts import Verdict, decide, verify_problem

__all__ = [
    "LEVELS",
    "CertificateError",
    "Claim",
    "ClaimFileError",
    "Equivalence",
    "ExactMatch",
    "InputError",
    "Isomorphism",
    "Layer",
    "MaximumMatch",
    "Network",
    "Problem",
    "Removal",
    "ShapeError",
    "Subspace",
    "SymrepError",
    "Verdict",
    "activations",
    "approx_match",
    "as_matrix",
    "cka_squared",
    "critical_epsilon",
    "decide",
    "dumps_toml",
    "equal_functions",
    "equivalence",
    "exact_match",
    "format_number",
    "from_sympy",
    "is_exact_match",
    "isomorphism",
    "ladder",
    "load_claim_file",
    "loads_claim_file",
    "match_similarity",
    "maximum_match",
    "maximum_match_within",
    "network_expression",
    "show",
    "to_fraction",
    "to_sympy",
    "verify_problem",
]

# Heavier parts are imported on use: symrep.relu (regions, equal_functions), symrep.search,
# symrep.imports, symrep.parametric, symrep.testing.strategies (needs Hypothesis).

#: Names of the facade imported on first use (module __getattr__), so `import symrep` stays light.
_LAZY = {
    "equal_functions": "symrep.relu.functions",
    "network_expression": "symrep.relu.regions",
    "show": "symrep.certificates.display",
}


def __getattr__(name: str):
    """``symrep.equal_functions``, ``symrep.network_expression``, ``symrep.show``: imported when first used."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symrep' has no attribute {name!r}")
