"""Shared Hypothesis strategies and exact reference helpers for the symrep tests.

Values are kept small (small integers and fractions, at most a handful of rows
and columns) so that every property runs fast; the properties themselves must
hold *exactly*, so small values lose nothing.

The reference computations use SymPy's own exact matrices, never symrep's
linear algebra, so a test comparing the two compares independent code.
"""

from __future__ import annotations

import os
from fractions import Fraction
from itertools import combinations

import sympy
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "symrep",
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("symrep")

# --- Hypothesis: fewer examples in the fast set ------------------------------------------------
# The fast set runs each property with a quarter of the examples it asks for (at least 10, never more
# than it asks); the full count runs in the slow set (``python3 -m pytest -m slow`` re-runs every property
# at its full count: they are marked slow for that run only), in a run of everything (``-m ""``), and in any
# run with SYMREP_EXAMPLES=full.  A failure found either way is shrunk and replayed from Hypothesis's
# database as usual.
FULL_EXAMPLES = os.environ.get("SYMREP_EXAMPLES") == "full"


def fast_examples(n: int) -> int:
    """The fast set's share of a property's *n* examples."""
    return min(n, max(10, n // 4))


def _hypothesis_function(item):
    fn = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))
    return fn if getattr(fn, "is_hypothesis_test", False) and hasattr(fn, "_hypothesis_internal_use_settings") else None


def _examples_mode(config, items) -> None:
    """Fewer examples in the fast set (-m 'not slow'); under -m slow, the properties at their full count."""
    markexpr = " ".join((config.getoption("markexpr") or "").split())
    if markexpr == "slow":
        for item in items:
            if _hypothesis_function(item) is not None:
                item.add_marker(pytest.mark.slow)
    if FULL_EXAMPLES or "not slow" not in markexpr:
        return
    for item in items:
        fn = _hypothesis_function(item)
        if fn is not None and not getattr(fn, "_symrep_fast_set", False):  # once per function (parametrized tests)
            full = fn._hypothesis_internal_use_settings
            fn._hypothesis_internal_use_settings = settings(full, max_examples=fast_examples(full.max_examples))
            fn._symrep_fast_set = True

# --- the slow set ------------------------------------------------------------------------------
# ``python3 -m pytest`` (pyproject's addopts: ``-m 'not slow'``) runs the fast set, in about a minute
# of CPU; ``python3 -m pytest -m slow`` runs the rest (``-m ""`` everything); CI runs both.  A slow
# test is marked where it is defined (``@pytest.mark.slow``) or, in files that were being reworked
# when the marker came, named in SLOW_ELSEWHERE (move it to a decorator when next editing it).
# Every name must exist: a renamed test fails the collection instead of silently turning fast.
SLOW_ELSEWHERE = {
    "docs/property-testing.md::property-testing.md",
    "tests/test_bad_certificates.py::test_hostile_certificate_is_rejected_fast[a-million-claims]",
    "tests/test_certificates.py::test_certify_then_check",
    "tests/test_claims.py::test_any_corrupted_claim_file_is_accepted_or_rejected_with_a_located_message",
    "tests/test_claims.py::test_claim_file_round_trips_through_toml",
    "tests/test_claims.py::test_every_verdict_agrees_with_an_independent_reference",
    "tests/test_claims.py::test_problem_round_trips_through_json",
    "tests/test_coq.py::test_coq_never_proves_a_false_claim",  # 60 tampered certificates through coqc: the largest case
    "tests/test_matching.py::test_a_layer_matches_itself_and_any_spanning_copy_fully",
    "tests/test_matching.py::test_exact_match_failure_witness",
    "tests/test_matching.py::test_maximum_match_contains_every_match_found_by_brute_force",
    "tests/test_matching.py::test_maximum_match_is_a_match_and_its_trace_is_a_proof",
    "tests/test_matching.py::test_maximum_match_is_invariant_under_permuting_and_rescaling_neurons",
    "tests/test_matching.py::test_maximum_match_is_symmetric",
    "tests/test_numpy.py::test_numpy_float64_is_converted_exactly",
    "tests/test_numpy.py::test_numpy_float_arrays_give_the_exact_answer",
    "tests/test_parametric.py::test_exact_set_agrees_with_verifier",
    "tests/test_property_workflow.py::test_given_fails_and_its_shrunk_example_is_proved",
    "tests/test_search.py::test_deterministic_and_progress_is_reported",
    "tests/test_search.py::test_everywhere_finds_a_different_factorization_of_the_same_function",
    "tests/test_strategies.py::test_claims_shrink_to_one_simple_claim",
    "tests/test_strategies.py::test_rationals_shrink_to_zero_then_small_integers_then_small_denominators",
    "tests/test_strategies.py::test_the_simplest_network_is_the_identity",
}
#: ... and the PyTorch and ONNX importer tests (importing either framework alone takes seconds).
SLOW_FRAMEWORK_TESTS = ("tests/test_imports.py::test_torch", "tests/test_imports.py::test_onnx",
                        "tests/test_imports.py::test_load_torch")


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m selection reads the marks
def pytest_collection_modifyitems(config, items):
    modules = {item.nodeid.split("::")[0]: item.module for item in items if getattr(item, "module", None) is not None}
    missing = []
    for name in sorted(SLOW_ELSEWHERE):
        path, _, test = name.partition("::")
        function = test.split("[")[0]
        if not (config.rootpath / path).exists() or (path in modules and not hasattr(modules[path], function)):
            missing.append(name)
    if missing:
        raise pytest.UsageError("tests/conftest.py: SLOW_ELSEWHERE names tests that do not exist: " + ", ".join(missing))
    for item in items:
        if item.nodeid in SLOW_ELSEWHERE or item.nodeid.startswith(SLOW_FRAMEWORK_TESTS):
            item.add_marker(pytest.mark.slow)
    _examples_mode(config, items)


# --- numbers ---------------------------------------------------------------------------------

small_ints = st.integers(-3, 3)
small_fractions = st.builds(Fraction, st.integers(-6, 6), st.integers(1, 4))
#: Mostly zero entries, so that random rows are often dependent and spans small.
sparse_fractions = st.one_of(st.just(Fraction(0)), st.just(Fraction(0)), small_fractions)
positive_fractions = st.builds(Fraction, st.integers(1, 6), st.integers(1, 4))


def matrices(rows, cols, elements=small_fractions):
    """Matrices (tuples of rows) with exactly *rows* rows and *cols* columns."""
    return st.lists(
        st.lists(elements, min_size=cols, max_size=cols).map(tuple), min_size=rows, max_size=rows
    ).map(tuple)


@st.composite
def low_rank_matrices(draw, max_rows=5, max_cols=5, min_rows=0, elements=small_ints, min_cols=1):
    """``L @ R`` for random ``n x r`` and ``r x d``: rank at most r, often rank-deficient."""
    n = draw(st.integers(min_rows, max_rows))
    d = draw(st.integers(min_cols, max_cols))
    r = draw(st.integers(0, min(n, d)))
    L = draw(matrices(n, r, elements))
    R = draw(matrices(r, d, elements))
    return tuple(
        tuple(sum((Fraction(L[i][k]) * R[k][j] for k in range(r)), Fraction(0)) for j in range(d))
        for i in range(n)
    )


@st.composite
def any_matrices(draw, max_rows=5, max_cols=5, min_rows=0, min_cols=1):
    """``(rows, d)``: dense, sparse, low-rank, with zero rows and duplicated rows, exact entries."""
    kind = draw(st.sampled_from(["dense", "sparse", "low"]))
    if kind == "low":
        M = list(draw(low_rank_matrices(max_rows, max_cols, min_rows, min_cols=min_cols)))
        d = len(M[0]) if M else draw(st.integers(min_cols, max_cols))
    else:
        n = draw(st.integers(min_rows, max_rows))
        d = draw(st.integers(min_cols, max_cols))
        M = list(draw(matrices(n, d, small_fractions if kind == "dense" else sparse_fractions)))
    if M and draw(st.booleans()):  # a zero row and a rescaled copy of a row
        M.insert(draw(st.integers(0, len(M))), (Fraction(0),) * d)
        src = draw(st.integers(0, len(M) - 1))
        M.append(tuple(draw(positive_fractions) * x for x in M[src]))
    if not M:
        return (), d
    return tuple(M), d


@st.composite
def layer_pairs(draw, max_neurons=4, max_points=4):
    """Two activation matrices over the same data (rows = neurons), often with common structure."""
    d = draw(st.integers(1, max_points))
    n_a = draw(st.integers(1, max_neurons))
    n_b = draw(st.integers(1, max_neurons))
    pool = draw(matrices(draw(st.integers(1, 3)), d, small_ints))

    @st.composite
    def row(draw2):
        how = draw2(st.sampled_from(["combination", "combination", "random", "zero"]))
        if how == "zero":
            return (Fraction(0),) * d
        if how == "random":
            return draw2(matrices(1, d, sparse_fractions))[0]
        cs = draw2(st.lists(st.integers(-2, 2), min_size=len(pool), max_size=len(pool)))
        return tuple(sum((Fraction(c) * p[j] for c, p in zip(cs, pool)), Fraction(0)) for j in range(d))

    A = tuple(draw(row()) for _ in range(n_a))
    B = tuple(draw(row()) for _ in range(n_b))
    return A, B


# --- exact references (SymPy, independent of symrep's linear algebra) ------------------------


def sym(rows, ncols=None):
    """A SymPy matrix with exactly the given rational entries."""
    rows = [list(r) for r in rows]
    if not rows:
        return sympy.zeros(0, ncols or 0)
    return sympy.Matrix([[sympy.Rational(Fraction(x).numerator, Fraction(x).denominator) for x in r] for r in rows])


def ref_rank(rows, ncols=None) -> int:
    rows = list(rows)
    if not rows:
        return 0
    return sym(rows).rank()


def ref_in_span(vector, rows) -> bool:
    rows = list(rows)
    if not rows:
        return all(x == 0 for x in vector)
    return ref_rank(rows + [tuple(vector)]) == ref_rank(rows)


def ref_same_span(A, B, d) -> bool:
    A, B = list(A), list(B)
    ra, rb = ref_rank(A), ref_rank(B)
    return ra == rb == ref_rank(A + B) if (A or B) else True


def dot(u, v) -> Fraction:
    return sum((Fraction(a) * b for a, b in zip(u, v)), Fraction(0))


def dense(sparse_pairs, d):
    """Dense vector of length d from sparse ``(column, value)`` pairs."""
    w = [Fraction(0)] * d
    for j, x in sparse_pairs:
        w[j] = Fraction(x)
    return tuple(w)


def combine(coefficients, rows, d):
    """``sum(c * rows[i])`` for sparse ``(i, c)`` coefficients."""
    out = [Fraction(0)] * d
    for i, c in coefficients:
        for j in range(d):
            out[j] += c * rows[i][j]
    return tuple(out)


def mat_mul(a, b):
    """Plain exact product of matrices given by rows (no flint)."""
    m = len(b[0]) if b else 0
    return tuple(tuple(sum((Fraction(a[i][k]) * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(m)) for i in range(len(a)))


def subsets(n):
    """Every subset of range(n), as sorted tuples."""
    return [c for k in range(n + 1) for c in combinations(range(n), k)]
