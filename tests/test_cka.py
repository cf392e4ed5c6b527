"""Exact CKA squared from exact integer Grams, against a Fraction-only reference written here."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.errors import InputError
from symrep.exact.linalg import IntRows
from symrep.measures import equivalence
from symrep.measures.cka import cka_squared, hsic_terms

from conftest import matrices, small_fractions


def ref_cka2(A, B) -> Fraction:
    """Linear CKA^2 by the textbook formula, one Fraction per entry (independent of symrep)."""
    def centred(M):
        M = [[Fraction(x) for x in r] for r in M]
        return [[x - sum(r, Fraction(0)) / len(r) for x in r] for r in M]

    def gram(X, Y):
        return [[sum((a * b for a, b in zip(x, y)), Fraction(0)) for y in Y] for x in X]

    def fro2(M):
        return sum((x * x for r in M for x in r), Fraction(0))

    Ac, Bc = centred(A), centred(B)
    return fro2(gram(Ac, Bc)) ** 2 / (fro2(gram(Ac, Ac)) * fro2(gram(Bc, Bc)))


def exact_rows(a):
    return [[Fraction(*float(x).as_integer_ratio()) for x in r] for r in a]


@settings(max_examples=120)
@given(st.data())
def test_rational_inputs_agree_with_the_reference(data):
    d = data.draw(st.integers(2, 6))
    A = data.draw(matrices(data.draw(st.integers(1, 4)), d, small_fractions))
    B = data.draw(matrices(data.draw(st.integers(1, 4)), d, small_fractions))
    if not any(len(set(r)) > 1 for r in A) or not any(len(set(r)) > 1 for r in B):
        with pytest.raises(InputError, match="undefined"):
            cka_squared(A, B)
        return
    want = ref_cka2(A, B)
    assert cka_squared(A, B) == want
    assert equivalence.cka_squared(A, B) == want  # the ladder's name delegates here
    assert cka_squared(IntRows.of(A), IntRows.of(B)) == want


@pytest.mark.parametrize("seed", range(6))
def test_float32_inputs_agree_with_the_reference(seed):
    rng = np.random.default_rng(seed)
    n, m, d = rng.integers(1, 6), rng.integers(1, 6), rng.integers(2, 30)
    a = np.maximum(rng.standard_normal((n, d)), 0).astype(np.float32)
    b = (rng.standard_normal((m, d)) * np.exp(rng.uniform(-20, 20, (m, d)))).astype(np.float32)  # wide exponents
    a[0, 0] = 1.0  # never constant
    want = ref_cka2(exact_rows(a), exact_rows(b))
    assert cka_squared(a, b) == want
    assert cka_squared(a.astype(np.float64), b.astype(np.float64)) == want  # float32 -> float64 is exact
    assert cka_squared(IntRows.from_array(a), IntRows.from_array(b)) == want  # per-row scales
    assert cka_squared(a, b) == cka_squared(b, a)


def test_float64_with_huge_exponent_range_uses_python_integers():
    a = np.array([[1e300, 1e-300, 2.0, 0.0], [5e-324, 1.0, -1.0, 3.0]])
    b = np.array([[1.0, 2.0, 4.0, 8.0]])
    assert cka_squared(a, b) == ref_cka2(exact_rows(a), exact_rows(b))


def test_integer_arrays_and_larger_sizes():
    rng = np.random.default_rng(7)
    a = rng.integers(-(2**40), 2**40, (6, 120))
    b = rng.integers(-3, 4, (4, 120))
    want = ref_cka2(a.tolist(), b.tolist())
    assert cka_squared(a, b) == want == cka_squared(a.tolist(), b.tolist())


def test_known_values():
    assert cka_squared([[1, 2, 3]], [[2, 4, 6]]) == 1
    assert cka_squared([[1, 2, 3]], [[-5, 0, 7]]) == ref_cka2([[1, 2, 3]], [[-5, 0, 7]])
    # an orthogonal change of the neurons leaves CKA unchanged (by construction)
    A = [[1, 2, 0, 5], [3, -1, 2, 0]]
    Q = [[Fraction(3, 5), Fraction(4, 5)], [Fraction(-4, 5), Fraction(3, 5)]]
    QA = [[sum(Q[i][k] * A[k][j] for k in range(2)) for j in range(4)] for i in range(2)]
    B = [[0, 1, 1, 2]]
    assert cka_squared(QA, B) == cka_squared(A, B)
    assert cka_squared(A, A) == 1


def test_hsic_terms_are_scaled_squared_norms():
    A, B = [[1, 2, 4]], [[0, 0, 3], [1, 0, 0]]
    d = 3
    s_ab, s_aa, s_bb = hsic_terms(A, B)

    def c(M):
        return [[Fraction(x) - Fraction(sum(r), d) for x in r] for r in M]

    def f2(X, Y):
        return sum((sum((a * b for a, b in zip(x, y)), Fraction(0)) ** 2 for x in X for y in Y), Fraction(0))

    assert (s_ab, s_aa, s_bb) == (d**2 * f2(c(A), c(B)), d**2 * f2(c(A), c(A)), d**2 * f2(c(B), c(B)))


def test_errors():
    with pytest.raises(InputError, match="undefined"):
        cka_squared([[1, 1, 1]], [[1, 2, 3]])
    with pytest.raises(InputError):
        cka_squared([[1, 2]], [[1, 2, 3]])
    with pytest.raises(InputError):
        cka_squared([], [[1, 2, 3]])
    with pytest.raises(InputError, match="NaN"):
        cka_squared(np.array([[1.0, np.nan]]), np.array([[1.0, 2.0]]))


@settings(max_examples=40)
@given(st.data())
def test_neuron_and_point_grams_give_the_same_terms(data):
    d = data.draw(st.integers(2, 7))
    A = data.draw(matrices(data.draw(st.integers(1, 6)), d, small_fractions))
    B = data.draw(matrices(data.draw(st.integers(1, 6)), d, small_fractions))
    n = hsic_terms(A, B, via="neurons")
    assert n == hsic_terms(A, B, via="points") == hsic_terms(A, B)
    if n[1] and n[2]:
        assert Fraction(n[0] ** 2, n[1] * n[2]) == ref_cka2(A, B)


def test_more_neurons_than_points_uses_point_grams_exactly():
    rng = np.random.default_rng(11)
    a = np.maximum(rng.standard_normal((40, 6)), 0).astype(np.float32)
    b = rng.standard_normal((30, 6)).astype(np.float32)
    a[0, 0] = 2.0
    want = ref_cka2(exact_rows(a), exact_rows(b))
    assert cka_squared(a, b) == want
    assert hsic_terms(a, b, via="points") == hsic_terms(a, b, via="neurons")
    with pytest.raises(InputError):
        hsic_terms(a, b, via="columns")


# --- bracket first, exact when it cannot tell (measures.cka.cka_squared_refined, the cka claim kind) ----------------

from symrep import checker  # noqa: E402
from symrep.claims.claim import Claim  # noqa: E402
from symrep.claims.kinds._surds import Surd  # noqa: E402
from symrep.claims.kinds.cka import KIND, CkaParams  # noqa: E402
from symrep.measures.cka import cka_squared_refined, cka_squared_sign, int_rows_bracket  # noqa: E402
from symrep.measures.catalog import lookup  # noqa: E402


def _float32_cases():
    """Random, rank-deficient, huge-exponent-spread and tie (A = 2B: CKA^2 = 1) float32 pairs, rows = neurons."""
    rng = np.random.default_rng(5)
    a = np.maximum(rng.standard_normal((7, 40)), 0).astype(np.float32)
    b = rng.standard_normal((5, 40)).astype(np.float32)
    yield "random", a, b
    low = rng.standard_normal((2, 40)).astype(np.float32)
    yield "rank-deficient", (rng.integers(-3, 4, (6, 2)).astype(np.float32) @ low).astype(np.float32), b
    spread = (rng.standard_normal((4, 40)) * np.exp2(rng.integers(-60, 20, (4, 40)))).astype(np.float32)
    yield "exponent spread", spread, a
    yield "tie", a, 2 * a


@pytest.mark.parametrize("case", list(_float32_cases()), ids=lambda c: c[0])
def test_refined_value_is_the_fraction_oracle(case):
    _, a, b = case
    want = ref_cka2(exact_rows(a), exact_rows(b))
    lo, hi, q = cka_squared_refined(a, b, lambda lo, hi: False)  # force the exact value from the bracket's product
    assert q == lo == hi == want == cka_squared(a, b)
    lo, hi, q = cka_squared_refined(a, b, lambda lo, hi: True)  # the bracket itself, when it exists
    assert q is None and lo <= want <= hi or q == want
    for c in (want, want - Fraction(1, 10**40), want + Fraction(1, 10**40), lo / 2):
        assert cka_squared_sign(a, b, c) == (want > c) - (want < c)


def _int_matrix(n, d):
    return st.lists(st.lists(st.integers(-2**40, 2**40) | st.integers(-3, 3), min_size=d, max_size=d), min_size=n, max_size=n)


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 8).flatmap(lambda d: st.tuples(_int_matrix(3, d), _int_matrix(2, d))))
def test_integer_bracket_contains_the_exact_value(pair):
    X, Y = pair
    br = int_rows_bracket(X, Y)
    constant = not any(len(set(r)) > 1 for r in X) or not any(len(set(r)) > 1 for r in Y)
    if constant:
        assert br is None  # CKA is undefined: the bracket must not pretend otherwise
        return
    want = ref_cka2(X, Y)
    if br is not None:
        assert br[0] <= want <= br[1]


def test_integer_bracket_declines_what_float64_cannot_hold():
    assert int_rows_bracket([[2**52, 1, 0]], [[1, 2, 3]]) is None
    assert int_rows_bracket([[1, 2]], [[1, 2, 3]]) is None
    assert int_rows_bracket([], [[1, 2, 3]]) is None


BOUNDS = [Fraction(0), Fraction(1, 2), Fraction(9, 10), Fraction(1), Fraction(2), Surd(Fraction(1), Fraction(1, 2))]


def _verdict_oracle(cka2, bounds, squared):
    value = cka2 if squared else None
    for key, t in bounds:
        u = t if isinstance(t, Surd) else Surd(t)
        # compare squares (both sides >= 0): CKA^2 against t^2, or (squared) CKA^4 against t^2
        lhs, rhs = (value * value, u.square) if squared else (cka2, u.square)
        sg = (lhs > rhs) - (lhs < rhs)
        if sg not in {"equals": (0,), "at_least": (0, 1), "at_most": (-1, 0)}[key]:
            return False
    return True


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_claim_kind_agrees_with_the_oracle_and_the_checker_accepts(data):
    d = data.draw(st.integers(2, 6))
    A = data.draw(matrices(data.draw(st.integers(1, 4)), d, small_fractions))
    B = A if data.draw(st.booleans()) else data.draw(matrices(data.draw(st.integers(1, 4)), d, small_fractions))
    keys = data.draw(st.lists(st.sampled_from(["equals", "at_least", "at_most"]), min_size=1, max_size=3, unique=True))
    bounds = tuple((k, data.draw(st.sampled_from(BOUNDS))) for k in keys)
    squared = data.draw(st.booleans())
    claim = Claim("c", "cka", ("a", "b"), 0, CkaParams(bounds, squared))
    acts = [tuple(tuple(Fraction(x) for x in r) for r in M) for M in (A, B)]
    v = KIND.decide(claim, acts, d)
    defined = any(len(set(r)) > 1 for r in A) and any(len(set(r)) > 1 for r in B)
    assert v.holds == (defined and _verdict_oracle(ref_cka2(A, B), bounds, squared))
    doc = {"networks": ["a", "b"], "layer": 0, **KIND.params_to_json(claim.params)}
    P = checker._Two(a=checker.Rows.of(acts[0]), b=checker.Rows.of(acts[1]), d=d)
    checker.check_cka(doc, v.holds, v.witness, P, "t")
    assert KIND.explain(doc, {"witness": v.witness}, acts)


def _bracket_claim(A, B, bound):
    claim = Claim("c", "cka", ("a", "b"), 0, CkaParams((("at_least", bound),), True))
    acts = [tuple(tuple(Fraction(x) for x in r) for r in M) for M in (A, B)]
    return claim, acts


def test_claim_decided_by_the_bracket_and_tampering_rejected():
    A, B = [[1, 2, 4, 0], [0, 1, 0, 3]], [[2, 4, 8, 1]]
    want = ref_cka2(A, B)
    claim, acts = _bracket_claim(A, B, want / 2)
    v = KIND.decide(claim, acts, 4)
    assert v.holds is True and "hsic" not in v.witness  # far from the bound: the bracket decided
    lo, hi = (Fraction(x) for x in v.witness["cka_squared_bracket"])
    assert lo <= want <= hi and hi - lo < Fraction(1, 10**9)
    doc = {"networks": ["a", "b"], "layer": 0, "at_least": str(want / 2), "squared": True}
    P = checker._Two(a=checker.Rows.of(acts[0]), b=checker.Rows.of(acts[1]), d=4)
    checker.check_cka(doc, True, v.witness, P, "t")
    for bad in ([str(want + Fraction(1, 10**30)), "1"], [str(lo), str(want - Fraction(1, 10**30))]):
        with pytest.raises(checker.Reject, match="bracket"):
            checker.check_cka(doc, True, {"cka_squared_bracket": bad}, P, "t")
    with pytest.raises(checker.Reject, match="verdict"):
        checker.check_cka(doc, False, v.witness, P, "t")
    tie, acts = _bracket_claim(A, B, want)  # a tie: the bracket cannot tell, the exact value does
    v = KIND.decide(tie, acts, 4)
    assert v.holds is True and Fraction(v.witness["cka_squared"]) == want


@pytest.mark.parametrize("width", [Fraction(1, 10**6), Fraction(1, 10**12), Fraction(1, 10**40)])
def test_measure_reaches_the_width_and_holds_the_value(width):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((6, 60)).astype(np.float32)
    b = (rng.standard_normal((4, 6)) @ a + rng.standard_normal((4, 60))).astype(np.float32)
    want = ref_cka2(exact_rows(a), exact_rows(b))
    m, arg = lookup("cka")
    v = m.evaluate(a, b, width=width, arg=arg)
    assert v.lower ** 2 <= want <= v.upper ** 2 and v.upper - v.lower <= width * max(1, v.upper)
    assert v.square in (None, want)
