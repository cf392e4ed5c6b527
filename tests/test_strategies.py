"""symrep.testing.strategies: every strategy yields valid objects, bad bounds fail at call time, shrinking goes small.

Kept fast (a few seconds): few examples per property, no example database for ``find``.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from _certgen import oracle_verdicts
from symrep import Layer, Network, activations
from symrep.certificates import certify
from symrep.checker import check_certificate
from symrep.claims import CLAIM_KINDS, Problem, dumps_toml, loads_claim_file, problem_from_mapping, problem_to_json
from symrep.measures.matching import exact_match
from symrep.testing.strategies import EXTRA_KINDS, KINDS, _symmetry_image, claims, datasets, networks, rational_matrices, rationals
from symrep.claims.verdicts import verify_problem

FAST = settings(max_examples=25, deadline=None, database=None)
FIND = settings(database=None, deadline=None)
ONCE = settings(database=None, deadline=None, max_examples=1, phases=[Phase.generate])


def test_public_names():
    import symrep.testing.strategies as s

    assert s.__all__ == ["claims", "datasets", "networks", "rational_matrices", "rationals"]
    assert set(KINDS) <= set(CLAIM_KINDS)


# --- valid objects -------------------------------------------------------------------------------


@FAST
@given(st.data())
def test_rationals_respect_bounds(data):
    lo = data.draw(st.one_of(st.none(), st.fractions(-5, 5, max_denominator=6)), label="lo")
    hi = data.draw(st.one_of(st.none(), st.fractions(-5, 5, max_denominator=6)), label="hi")
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    den = data.draw(st.one_of(st.none(), st.integers(6, 12)), label="max_denominator")
    q = data.draw(rationals(min_value=lo, max_value=hi, max_denominator=den))
    assert type(q) is Fraction
    assert lo is None or q >= lo
    assert hi is None or q <= hi
    assert den is None or q.denominator <= den


@FAST
@given(rationals(min_value="1/3", max_value="0.4", max_denominator=20))
def test_rationals_in_a_narrow_interval(q):
    assert Fraction(1, 3) <= q <= Fraction(2, 5) and q.denominator <= 20


def test_rationals_read_bounds_exactly():
    assert find(rationals(min_value="0.1", max_value="0.1"), lambda q: True) == Fraction(1, 10)
    assert find(rationals(min_value=0.5, max_value=0.5), lambda q: True) == Fraction(1, 2)


@FAST
@given(st.data())
def test_rational_matrices_have_their_shape(data):
    rows, cols = data.draw(st.integers(0, 3)), data.draw(st.integers(0, 3))
    M = data.draw(rational_matrices(rows, cols, elements=st.integers(-9, 9)))
    assert len(M) == rows and all(len(r) == cols for r in M)
    assert all(type(x) is Fraction for r in M for x in r)
    drawn = data.draw(rational_matrices(st.integers(1, 2), st.integers(1, 2)))
    assert 1 <= len(drawn) <= 2 and len({len(r) for r in drawn}) == 1


@FAST
@given(datasets(2, st.integers(1, 4), unique=True), datasets(3, 2, elements=st.sampled_from([0.5, "1/3", 2])))
def test_datasets(points, other):
    assert 1 <= len(points) <= 4 and all(len(p) == 2 for p in points)
    assert len(set(points)) == len(points)
    assert len(other) == 2 and {x for p in other for x in p} <= {Fraction(1, 2), Fraction(1, 3), Fraction(2)}


@FAST
@given(networks((2, 3, 1)), networks((1, 2, 2, 2), activations=st.sampled_from(["identity", "relu"]), biases=True),
       datasets(2, 2))
def test_networks_have_their_widths(f, g, data):
    assert isinstance(f, Network) and f.widths == (2, 3, 1)
    assert [l.activation for l in f.layers] == ["relu", "identity"]
    assert all(x == 0 for l in f.layers for x in l.bias)
    assert g.widths == (1, 2, 2, 2)
    assert len(activations(f, data, 2)) == 1


@FAST
@given(networks(st.sampled_from([(2, 2), (1, 3, 2)]), activations="relu", elements=st.integers(-1, 1)))
def test_networks_with_drawn_widths(net):
    assert net.widths in ((2, 2), (1, 3, 2))
    assert all(l.activation == "relu" for l in net.layers)
    assert all(x.denominator == 1 and abs(x) <= 1 for l in net.layers for r in l.weights for x in r)


@FAST
@given(claims(n_networks=st.integers(2, 3)))
def test_claims_are_valid_claim_files(problem):
    assert isinstance(problem, Problem)
    assert 2 <= len(problem.networks) <= 3 and 1 <= len(problem.claims) <= 4
    assert {c.kind for c in problem.claims} <= set(KINDS)
    assert all(net.widths == (2, 2, 2) for _, net in problem.networks)
    assert problem_from_mapping(problem_to_json(problem)) == problem
    assert loads_claim_file(dumps_toml(problem)) == problem


@settings(max_examples=15, deadline=None, database=None)
@given(claims(widths=(2, 3, 2), expect="verdict", min_claims=3, max_claims=5, biases=True))
def test_claims_with_expect_verdict_verify_and_certify(problem):
    # expect="verdict" sets each expect to symrep's own verdict, so as_expected alone proves nothing:
    # the expects are checked against the independent oracle of _certgen (plain Fraction elimination)
    truth = oracle_verdicts(problem_to_json(problem))  # None for a kind the oracle does not decide
    assert any(t is not None for t in truth)
    assert all(t is None or t == c.expect for t, c in zip(truth, problem.claims))
    assert all(v.as_expected for v in verify_problem(problem))
    reports = check_certificate(certify(problem))  # the independent checker
    assert all(r["valid"] and r["as_expected"] for r in reports)
    assert all(t is None or t == r["verdict"] for t, r in zip(truth, reports))


def test_every_kind_is_drawn():
    seen: set[str] = set()

    @settings(max_examples=40, deadline=None, database=None)
    @given(claims(max_claims=6))
    def record(problem):
        seen.update(c.kind for c in problem.claims)

    record()
    assert seen == set(KINDS)


@st.composite
def networks_and_images(draw):
    net = draw(networks((2, 3, 2), biases=True))
    return net, _symmetry_image(draw, net)


@FAST
@given(networks_and_images(), datasets(2, 3))
def test_symmetry_images_keep_the_function_and_the_spans(pair, points):
    net, image = pair
    assert activations(net, points, 2) == activations(image, points, 2)
    assert exact_match(activations(net, points, 1), activations(image, points, 1)).holds


# --- bounds validated eagerly --------------------------------------------------------------------

BAD = [
    lambda: rationals(min_value=1, max_value=0),
    lambda: rationals(max_denominator=0),
    lambda: rationals(max_denominator=True),
    lambda: rationals(max_denominator=2.0),
    lambda: rationals(min_value="one"),
    lambda: rationals(min_value=float("nan")),
    lambda: rationals(max_value=True),
    lambda: rationals(min_value="1/3", max_value="1/3", max_denominator=2),
    lambda: rationals(min_value="1/3", max_value="2/5", max_denominator=2),
    lambda: rational_matrices(-1, 2),
    lambda: rational_matrices(2, "3"),
    lambda: rational_matrices(2, 2, elements=[1, 2]),
    lambda: datasets(0, 2),
    lambda: datasets(2, -1),
    lambda: datasets(2, 2, unique="yes"),
    lambda: networks((2,)),
    lambda: networks((2, 0, 2)),
    lambda: networks([2, 2.0]),
    lambda: networks("22"),
    lambda: networks((2, 2, 2), activations="tanh"),
    lambda: networks((2, 2, 2), activations=("relu",)),
    lambda: networks((2, 2), biases=1),
    lambda: networks((2, 2), identity=None),
    lambda: networks((2, 2), elements=st.integers),
    lambda: claims(n_networks=1),
    lambda: claims(n_points=0),
    lambda: claims(kinds=[]),
    lambda: claims(kinds="no_match"),
    lambda: claims(kinds=["bogus"]),
    lambda: claims(min_claims=3, max_claims=2),
    lambda: claims(min_claims=-1),
    lambda: claims(expect="yes"),
    lambda: claims(widths=(2,)),
    lambda: claims(images=0),
]


@pytest.mark.parametrize("make", BAD, ids=range(len(BAD)))
def test_bad_arguments_raise_at_call_time(make):
    with pytest.raises(InvalidArgument):
        make()  # creating the strategy raises; nothing is drawn


def test_every_claim_kind_can_be_drawn_and_others_are_refused():
    assert set(KINDS) | set(EXTRA_KINDS) == set(CLAIM_KINDS)
    with pytest.raises(InvalidArgument, match="not a claim kind"):
        claims(kinds=["no_such_kind"])


@pytest.mark.parametrize(
    "strategy",
    [
        rational_matrices(st.just(-1), 2),
        datasets(st.just(0), 1),
        rational_matrices(1, 1, elements=st.just("x")),
        networks(st.just((2,))),
        networks((2, 2), activations=st.just("tanh")),
        claims(expect=st.just(1)),
    ],
)
def test_drawn_arguments_are_checked_when_drawn(strategy):
    with pytest.raises(InvalidArgument):
        find(strategy, lambda x: True, settings=ONCE)


# --- shrinking -----------------------------------------------------------------------------------
# find() returns the shrunk example.  With a condition that always holds it still tries about 100
# variants of the minimal example, so most conditions here are ones that real shrinking must meet.


def test_rationals_shrink_to_zero_then_small_integers_then_small_denominators():
    assert find(rationals(), lambda q: True, settings=FIND) == 0
    assert find(rationals(), lambda q: q > 1, settings=FIND) == 2
    assert find(rationals(), lambda q: q < -1, settings=FIND) == -2
    assert find(rationals(), lambda q: q.denominator > 1 and q > 1, settings=FIND) == Fraction(3, 2)
    assert find(rationals(min_value="5/2", max_value=9), lambda q: q.denominator == 1, settings=FIND) == 3
    assert find(rationals(min_value="-9", max_value="-5/2"), lambda q: q.denominator == 1, settings=FIND) == -3
    assert find(rationals(max_denominator=None), lambda q: q.denominator > 100, settings=FIND) == Fraction(1, 101)


def test_matrices_and_data_shrink_to_zero_and_few_rows():
    zero = Fraction(0)
    m = find(rational_matrices(2, 2), lambda m: any(x != 0 for r in m for x in r), settings=FIND)
    assert sorted(x for r in m for x in r) == [0, 0, 0, 1]
    m = find(rational_matrices(st.integers(1, 3), st.integers(1, 3)), lambda m: len(m) * len(m[0]) >= 2, settings=FIND)
    assert m == ((zero, zero),)
    assert find(datasets(2, st.integers(1, 4)), lambda d: len(d) >= 2, settings=FIND) == ((zero, zero),) * 2


def _ints(net: Network) -> list[list[list[int]]]:
    return [[[int(x) for x in row] for row in layer.weights] for layer in net.layers]


def test_the_simplest_network_is_the_identity():
    net = find(networks((2, 2)), lambda n: True, settings=FIND)
    assert net == Network([Layer([[1, 0], [0, 1]], "identity")])
    # 2-2-2 with ReLU hidden layer: identity in both layers, even when something else is required of it
    net = find(networks((2, 2, 2), biases=True), lambda n: any(n.layers[1].bias), settings=FIND)
    assert _ints(net) == [[[1, 0], [0, 1]], [[1, 0], [0, 1]]] and [l.activation for l in net.layers] == ["relu", "identity"]
    assert net.layers[0].bias == (0, 0) and sorted(net.layers[1].bias) == [0, 1]
    # identity-like when not square
    net = find(networks((2, 3, 1)), lambda n: n.layers[0].width == 3, settings=FIND)
    assert _ints(net) == [[[1, 0], [0, 1], [0, 0]], [[1, 0, 0]]]


def test_layers_that_cannot_be_the_identity_shrink_entry_by_entry():
    net = find(networks((2, 2)), lambda n: n.layers[0].weights[0][1] != 0, settings=FIND)
    assert _ints(net) == [[[0, 1], [0, 0]]]
    net = find(networks((2, 2), identity=False), lambda n: any(x != 0 for r in n.layers[0].weights for x in r),
               settings=FIND)
    assert sorted(x for r in net.layers[0].weights for x in r) == [0, 0, 0, 1]


def test_claims_shrink_to_one_simple_claim():
    problem = find(claims(widths=(1, 1), kinds=["identical", "no_match"], n_points=st.integers(1, 3)),
                   lambda p: any(c.kind == "no_match" for c in p.claims), settings=FIND)
    assert len(problem.claims) == 1 and problem.claims[0].layer == 0
    assert problem.inputs == ((0,),) and [n for n, _ in problem.networks] == ["f", "g"]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(claims(kinds=EXTRA_KINDS, widths=(2, 2, 1), max_claims=3))
def test_extra_kinds_verify_and_certify(problem):
    import json

    from symrep import checker
    from symrep.certificates import certificate, dump_certificate
    from symrep.claims.verdicts import verify_problem

    verdicts = verify_problem(problem)
    # A bound on an irrational measure that its brackets cannot separate (``equals`` on SVCCA, say) is
    # honestly undecided; so is invariance over a family with no proof for the measure when none of the
    # members tried changes it (one neuron: every invertible linear map is a scaling).  Every other drawn
    # claim is decided.
    bracketed = {"procrustes", "angular_procrustes", "cca", "svcca"}

    def honest(v):
        return v.claim.kind in bracketed or (v.claim.kind == "invariance" and "tried" in (v.witness or {}))

    assert all(v.holds is not None or honest(v) for v in verdicts)
    cert = json.loads(dump_certificate(certificate(problem, verdicts)))
    assert all(r["valid"] for r in checker.check_certificate(cert))
