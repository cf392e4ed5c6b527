"""Property testing with symrep: counterexamples as claim files and certificates, and Hypothesis
strategies (:mod:`symrep.testing.strategies`, which needs Hypothesis)."""

from symrep.testing.counterexamples import (
    Counterexample,
    NotVerified,
    assert_verified,
    claim_file_for,
    problem_for,
    write_counterexample,
)

__all__ = ["Counterexample", "NotVerified", "assert_verified", "claim_file_for", "problem_for", "write_counterexample"]
