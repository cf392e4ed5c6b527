"""Claims about families of networks: weights that are rational functions of parameters."""

from symrep.parametric.decide import (
    GENERIC_KINDS,
    ParametricNetwork,
    ParametricProblem,
    ParametricVerdict,
    decide_parametric,
    load_parametric_claim_file,
    loads_parametric_claim_file,
    verify_parametric,
)
from symrep.parametric import functions as _functions  # noqa: F401  (registers the equal_functions decider)
from symrep.parametric import measures as _measures  # noqa: F401  (registers the cka / match_similarity limits)
from symrep.parametric import plane as _plane  # noqa: F401  (registers the writer of two-parameter cells)

__all__ = [
    "GENERIC_KINDS",
    "ParametricNetwork",
    "ParametricProblem",
    "ParametricVerdict",
    "decide_parametric",
    "load_parametric_claim_file",
    "loads_parametric_claim_file",
    "verify_parametric",
]
