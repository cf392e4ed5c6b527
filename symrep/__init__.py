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

from .claims import Claim, Problem, dumps_toml, load_claim_file, loads_claim_file
from .errors import CertificateError, ClaimFileError, InputError, ShapeError, SymrepError
from .exact import as_matrix, format_number, to_fraction
from .matching import (
    ExactMatch,
    MaximumMatch,
    Removal,
    approx_match,
    exact_match,
    is_exact_match,
    match_similarity,
    maximum_match,
)
from .network import Layer, Network, activations
from .spaces import Isomorphism, Subspace, isomorphism
from .verdicts import Verdict, decide, verify_problem

__all__ = [
    "CertificateError",
    "Claim",
    "ClaimFileError",
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
    "decide",
    "dumps_toml",
    "exact_match",
    "format_number",
    "is_exact_match",
    "isomorphism",
    "load_claim_file",
    "loads_claim_file",
    "match_similarity",
    "maximum_match",
    "to_fraction",
    "verify_problem",
]
