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
