"""Claim files: exact reading, validation with located messages, round trips, and verdicts.

The verdict tests decide random claims with symrep and compare them with an independent
reference: a forward pass written here, SymPy ranks, and brute force over subset pairs.
"""

from __future__ import annotations

import copy
import json
import tomllib
from fractions import Fraction
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.claims import files as claims_mod
from symrep import Layer, Network, verify_problem
from symrep.claims import CLAIM_KINDS, Claim, Problem, dumps_toml, load_claim_file, loads_claim_file, problem_from_json, problem_from_mapping, problem_to_json
from symrep.claims.kinds import REGISTRY
from symrep.claims.kinds.equal_functions import EqualFunctionsParams
from symrep.errors import ClaimFileError, SymrepError

from conftest import mat_mul, matrices, ref_rank, ref_same_span, small_fractions, subsets

F = Fraction

BASE = """
title = "t"
[data]
inputs = [[1, 1], [-1, -1]]
[networks.f]
layers = [ { weights = [[1, 0], [0, 1]], activation = "relu" },
           { weights = [[1, -1], [1, -1]], activation = "identity", bias = [0, 0] } ]
[networks.g]
layers = [ { weights = [[1, 0], [0, -1]], activation = "relu" },
           { weights = [[1, -1], [1, -1]], activation = "identity" } ]
"""


def bundled():
    root = resources.files("symrep") / "data"
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(root.iterdir()) if p.name.endswith(".toml")]


# --- reading numbers ----------------------------------------------------------------------


def test_toml_floats_mean_the_decimal_as_written():
    p = loads_claim_file(
        """
[data]
inputs = [[0.1, 1e-3, -2.5E2, 1_000.000_1, 0.30000000000000004, -0.0, 1e400]]
[networks.f]
layers = [{ weights = [[0.1, 0.2, 0, 0, 0, 0, 0]], bias = [0.7], activation = "identity" }]
"""
    )
    assert p.inputs == (
        (F(1, 10), F(1, 1000), F(-250), F(10000001, 10000), F(30000000000000004, 10**17), F(0), F(10**400)),
    )
    assert p.network("f").layers[0].weights[0][:2] == (F(1, 10), F(2, 10))
    assert p.network("f").layers[0].bias == (F(7, 10),)


def test_strings_and_integers_in_files_are_exact():
    p = loads_claim_file(BASE.replace("[[1, 1], [-1, -1]]", '[["1/3", "-0.25"], [12345678901234567890123, "1e-30"]]'))
    assert p.inputs == ((F(1, 3), F(-1, 4)), (F(12345678901234567890123), F(1, 10**30)))


def test_bundled_claim_files_parse_and_every_verdict_is_as_expected():
    files = bundled()
    assert {name for name, _ in files} >= {"example-3.1.toml", "example-3.1-nonzero.toml"}
    for name, text in files:
        p = loads_claim_file(text, name)
        assert p.claims and p.title
        verdicts = verify_problem(p)
        assert [v.claim for v in verdicts] == list(p.claims)
        assert all(v.as_expected for v in verdicts), [v.claim.id for v in verdicts if not v.as_expected]


def test_example_3_1_verdicts_are_the_exact_ones():
    (text,) = [t for n, t in bundled() if n == "example-3.1.toml"]
    v = {x.claim.id: x for x in verify_problem(loads_claim_file(text))}
    # What the paper prints does not hold for these weights; exact arithmetic says why.
    assert not v["printed-no-hidden-match"].holds
    assert v["printed-no-hidden-match"].witness["x"] == [0, 1] and v["printed-no-hidden-match"].witness["y"] == [0]
    assert not v["printed-hidden-isomorphic"].holds
    assert v["printed-hidden-isomorphic"].witness["dimensions"] == [1, 2]
    assert v["exact-hidden-maximum-match"].holds
    # The one-sign correction shows what the paper argues.
    assert v["corrected-outputs-identical"].holds and v["corrected-no-hidden-match"].holds
    assert v["corrected-hidden-isomorphic"].holds and not v["corrected-hidden-not-equal"].holds


# --- round trips --------------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10)
# Ids and network names must be printable (they appear in one-line verdicts); other text is free.
names = st.one_of(
    texts.filter(str.isprintable),
    st.sampled_from(["f", "f_tilde", "123", "-1", "1/2", "true", "a.b", 'q"uote', "back\\slash", "", "[x]", "é ü"]),
)


def kind_params(kind, **given):
    """The kind's parameters from the fields a claim of symrep 0.1 had (those the kind takes)."""
    cls = REGISTRY[kind].params_type
    if cls is None:
        return None
    return cls(**{k: v for k, v in given.items() if k in cls.__dataclass_fields__ and v is not None})


#: The kinds this generator builds claims for by hand (those of symrep 0.1 and the equivalence ladder,
#: which the reference oracle below knows).  The kinds added since (spectral measures, relations) are
#: drawn through their registry hooks by ``symrep.testing.strategies.claims`` and tested there.
LEGACY_KINDS = {"activations", "dimension", "identical", "exact_match", "maximum_match", "no_match", "isomorphic",
                "approx_match", "maximum_approx_match", "match_similarity", "simple_match", "simple_matches",
                "equivalence", "cka", "equal_functions"}


@st.composite
def problems(draw):
    n_in = draw(st.integers(1, 3))
    d = draw(st.integers(1, 3))
    inputs = draw(matrices(d, n_in, small_fractions))
    net_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    nets = []
    for name in net_names:
        depth = draw(st.integers(1, 2))
        widths = [n_in] + [draw(st.integers(1, 3)) for _ in range(depth)]
        layers = []
        for i in range(depth):
            W = draw(matrices(widths[i + 1], widths[i], small_fractions))
            b = draw(matrices(1, widths[i + 1], small_fractions))[0]
            layers.append(Layer(W, draw(st.sampled_from(["relu", "identity"])), b))
        nets.append((name, Network(layers, name=name)))
    by_name = dict(nets)
    claims = []
    ids = draw(st.lists(names, max_size=6, unique=True))
    for cid in ids:
        kind = draw(st.sampled_from(sorted(LEGACY_KINDS)))
        k = CLAIM_KINDS[kind]
        chosen = tuple(draw(st.sampled_from(net_names)) for _ in range(k))
        if kind == "equal_functions":  # a network against itself: equal on any domain
            name = draw(st.sampled_from(net_names))
            n_inputs = by_name[name].widths[0]
            box = draw(st.one_of(st.none(), st.just(tuple(("-1", "1/2") for _ in range(n_inputs)))))
            claims.append(Claim(cid, kind, (name, name), None, EqualFunctionsParams(box), expect=draw(st.booleans()),
                                statement=draw(st.one_of(st.none(), texts))))
            continue
        layer = draw(st.integers(0, min(by_name[c].depth for c in chosen)))
        widths = [by_name[c].widths[layer] for c in chosen]
        equals = neurons = None
        if kind == "activations":
            rows = draw(st.sampled_from([widths[0], widths[0], 1]))
            equals = draw(matrices(rows, draw(st.sampled_from([d, d, 1])), st.sampled_from([F(0), F(1), F(-1, 2)])))
        elif kind == "dimension":
            equals = draw(st.integers(0, 3))
        elif kind == "maximum_match":
            equals = tuple(tuple(sorted(draw(st.sets(st.integers(0, w - 1))))) for w in widths)
        elif kind == "exact_match" and draw(st.booleans()):
            neurons = tuple(tuple(sorted(draw(st.sets(st.integers(0, w - 1))))) for w in widths)
        eps, level, centered, bounds = None, None, False, ()
        if kind in ("approx_match", "maximum_approx_match", "match_similarity", "simple_match"):
            eps = draw(st.sampled_from([F(0), F(1, 4), F(1, 2), F(1)]))
        if kind == "maximum_approx_match":
            equals = tuple(tuple(sorted(draw(st.sets(st.integers(0, w - 1))))) for w in widths)
        if kind == "match_similarity":
            equals = F(draw(st.integers(0, sum(widths))), sum(widths))
        if kind == "simple_matches":
            eps = F(0)
            equals = tuple(sorted(set(draw(st.lists(st.tuples(
                *(st.sets(st.integers(0, w - 1)).map(lambda s: tuple(sorted(s))) for w in widths)), max_size=3)))))
        if kind in ("simple_match",) or (kind == "approx_match" and draw(st.booleans())):
            neurons = tuple(tuple(sorted(draw(st.sets(st.integers(0, w - 1))))) for w in widths)
        if kind == "equivalence":
            level = draw(st.sampled_from(claims_mod.LEVELS))
            centered = draw(st.booleans())
        if kind == "cka":
            keys = draw(st.lists(st.sampled_from(["equals", "at_least", "at_most"]), min_size=1, max_size=3, unique=True))
            bounds = tuple((k, draw(st.sampled_from([F(0), F(1, 2), F(1)]))) for k in ["equals", "at_least", "at_most"] if k in keys)
        statement = draw(st.one_of(st.none(), texts))
        params = kind_params(kind, equals=equals, neurons=neurons, eps=eps, level=level, centered=centered, bounds=bounds)
        claims.append(Claim(cid, kind, chosen, layer, params, draw(st.booleans()), statement))
    return Problem(
        draw(texts), inputs, tuple(nets), tuple(claims), draw(st.one_of(st.none(), texts)), draw(st.one_of(st.none(), texts))
    )


@settings(max_examples=100)
@given(problems())
def test_claim_file_round_trips_through_toml(p):
    text = dumps_toml(p)
    q = loads_claim_file(text, "round-trip.toml")
    assert q == p
    assert dumps_toml(q) == text


@settings(max_examples=50)
@given(problems())
def test_problem_round_trips_through_json(p):
    doc = json.loads(json.dumps(problem_to_json(p)))
    assert problem_from_json(doc) == p


def test_bundled_files_round_trip():
    for name, text in bundled():
        p = loads_claim_file(text, name)
        assert loads_claim_file(dumps_toml(p)) == p


def test_dumped_numbers_are_exact_text():
    p = loads_claim_file(BASE.replace("[[1, 1], [-1, -1]]", "[[0.1, -1], [1e-3, 2]]"))
    text = dumps_toml(p)
    assert 'inputs = [["1/10", -1], ["1/1000", 2]]' in text
    assert tomllib.loads(text)["data"]["inputs"] == [["1/10", -1], ["1/1000", 2]]


# --- verdicts against an independent reference -------------------------------------------------


def ref_forward(net, inputs):
    h = tuple(zip(*inputs))
    out = [h]
    for layer in net.layers:
        h = tuple(tuple(x + b for x in row) for row, b in zip(mat_mul(layer.weights, h), layer.bias))
        if layer.activation == "relu":
            h = tuple(tuple(max(x, F(0)) for x in row) for row in h)
        out.append(h)
    return out


def ref_maximum_match(A, B):
    """Union of every exact match, by brute force over all subset pairs."""
    X, Y = set(), set()
    for x in subsets(len(A)):
        for y in subsets(len(B)):
            if ref_same_span([A[i] for i in x], [B[j] for j in y], len(A[0])):
                X |= set(x)
                Y |= set(y)
    return tuple(sorted(X)), tuple(sorted(Y))


def ref_verdict(p, c):
    if c.kind == "equal_functions":  # the strategy compares a network with itself
        return c.networks[0] == c.networks[1]
    acts = [ref_forward(p.network(n), p.inputs)[c.layer] for n in c.networks]
    if c.kind == "activations":
        return acts[0] == c.equals
    if c.kind == "dimension":
        return ref_rank(acts[0]) == c.equals
    A, B = acts
    if c.kind == "identical":
        return A == B
    if c.kind == "exact_match":
        x, y = c.neurons if c.neurons is not None else (range(len(A)), range(len(B)))
        return ref_same_span([A[i] for i in x], [B[j] for j in y], len(p.inputs))
    if c.kind == "maximum_match":
        return ref_maximum_match(A, B) == c.equals
    if c.kind == "no_match":
        return ref_maximum_match(A, B) == ((), ())
    if c.kind == "isomorphic":
        return ref_rank(A) == ref_rank(B)
    if c.kind in ("approx_match", "maximum_approx_match", "match_similarity", "simple_match", "simple_matches"):
        return ref_wang(c, A, B, len(p.inputs))
    if c.kind == "equivalence":
        return ref_equivalence(c, A, B, len(p.inputs))
    if c.kind == "cka":
        return ref_cka(c, A, B)
    raise AssertionError(c.kind)


def ref_rel2(z, rows, d):
    """Squared distance of z to span(rows) over |z|^2, by Gram-Schmidt in Fractions (0 for z = 0)."""
    basis = []
    for r in rows:
        v = list(r)
        for b in basis:
            c = sum(x * y for x, y in zip(v, b)) / sum(y * y for y in b)
            v = [x - c * y for x, y in zip(v, b)]
        if any(v):
            basis.append(v)
    res = list(z)
    for b in basis:
        c = sum(x * y for x, y in zip(res, b)) / sum(y * y for y in b)
        res = [x - c * y for x, y in zip(res, b)]
    n2 = sum(x * x for x in z)
    return sum(x * x for x in res) / n2 if n2 else F(0)


def ref_eps_match(A, B, x, y, eps, d):
    return all(ref_rel2(A[i], [B[j] for j in y], d) <= eps * eps for i in x) and all(
        ref_rel2(B[j], [A[i] for i in x], d) <= eps * eps for j in y)


def ref_wang(c, A, B, d):
    if c.kind == "approx_match":
        x, y = c.neurons if c.neurons is not None else (range(len(A)), range(len(B)))
        return ref_eps_match(A, B, x, y, c.eps, d)
    matches = [(x, y) for x in subsets(len(A)) for y in subsets(len(B)) if ref_eps_match(A, B, x, y, c.eps, d)]
    X = tuple(sorted(set().union(*(set(m[0]) for m in matches))))
    Y = tuple(sorted(set().union(*(set(m[1]) for m in matches))))
    if c.kind == "maximum_approx_match":
        return (X, Y) == c.equals
    if c.kind == "match_similarity":
        return F(len(X) + len(Y), len(A) + len(B)) == c.equals
    if c.kind == "simple_matches":
        def simple(m):
            mx, my = set(m[0]), set(m[1])
            inside = [n for n in matches if set(n[0]) <= mx and set(n[1]) <= my and (set(n[0]), set(n[1])) != (mx, my)]
            return (mx or my) and (set().union(*(set(n[0]) for n in inside)), set().union(*(set(n[1]) for n in inside))) != (mx, my)
        return tuple(sorted(m for m in matches if simple(m))) == c.equals
    mx, my = set(c.neurons[0]), set(c.neurons[1])  # simple_match
    if not (mx or my) or not ref_eps_match(A, B, c.neurons[0], c.neurons[1], c.eps, d):
        return False
    inside = [m for m in matches if set(m[0]) <= mx and set(m[1]) <= my and (set(m[0]), set(m[1])) != (mx, my)]
    return (set().union(*(set(m[0]) for m in inside)), set().union(*(set(m[1]) for m in inside))) != (mx, my)


def ref_center(M, d):
    return tuple(tuple(x - sum(r) / d for x in r) for r in M)


def ref_equivalence(c, A, B, d):
    if c.centered:
        A, B = ref_center(A, d), ref_center(B, d)
    if c.level == "isomorphic":
        return ref_rank(A) == ref_rank(B)
    if len(A) != len(B):
        return False

    def direction(r):  # the positive ray through r, as a canonical tuple
        nz = next((x for x in r if x), None)
        return tuple(x / abs(nz) for x in r) if nz is not None else r

    if c.level == "identical":
        return A == B
    if c.level == "permutation":
        return sorted(A) == sorted(B)
    if c.level == "scaled_permutation":
        return sorted(map(direction, A)) == sorted(map(direction, B))
    if c.level == "orthogonal":
        gram = lambda M: [[sum(r[j] * r[k] for r in M) for k in range(d)] for j in range(d)]  # noqa: E731
        return gram(A) == gram(B)
    if c.level == "similarity":  # gram(A) == s2 gram(B) for some s2 > 0
        ga, gb = ([x for row in [[sum(r[j] * r[k] for r in M) for k in range(d)] for j in range(d)] for x in row] for M in (A, B))
        i = next((i for i, x in enumerate(gb) if x), None)
        return not any(ga) if i is None else ga[i] / gb[i] > 0 and all(x == ga[i] / gb[i] * y for x, y in zip(ga, gb))
    return ref_same_span(A, B, d)  # linear, equal widths


def ref_cka(c, A, B):
    d = len(A[0])
    A, B = ref_center(A, d), ref_center(B, d)
    h = lambda P, Q: sum(sum(x * y for x, y in zip(p, q)) ** 2 for p in P for q in Q)  # noqa: E731
    if h(A, A) == 0 or h(B, B) == 0:
        return False
    cka2 = h(A, B) ** 2 / (h(A, A) * h(B, B))
    ops = {"equals": lambda t: cka2 == t * t, "at_least": lambda t: cka2 >= t * t, "at_most": lambda t: cka2 <= t * t}
    return all(ops[k](t) for k, t in c.bounds)


@settings(max_examples=60)
@given(problems())
def test_every_verdict_agrees_with_an_independent_reference(p):
    for v in verify_problem(p):
        assert v.holds == ref_verdict(p, v.claim), (v.claim, v.explanation)
        assert v.as_expected == (v.holds == v.claim.expect)
        assert isinstance(v.explanation, str) and "\n" not in v.explanation
        json.dumps(v.witness)  # witnesses are JSON-ready (exact numbers as strings)


# --- validation: every mistake is a ClaimFileError naming the place ------------------------------


@pytest.mark.parametrize(
    "claim, message",
    [
        ('id = "c"\nkind = ["identical"]\nnetworks = ["f", "g"]\nlayer = 1', "kind"),
        ('id = "c"\nkind = {a = 1}\nnetworks = ["f", "g"]\nlayer = 1', "kind"),
        ('id = "c"\nkind = "dimension"\nnetwork = "f"\nlayer = 1.0\nequals = 1', "layer"),
        ('id = "c"\nkind = "dimension"\nnetwork = "f"\nlayer = 1\nequals = 1.5', "equals"),
        ('id = "c"\nkind = "identical"\nnetworks = ["f", "g"]\nlayer = 1\nexpect = 1.0', "expect"),
        ('id = 1.5\nkind = "identical"\nnetworks = ["f", "g"]\nlayer = 1', "id"),
    ],
)
def test_wrong_types_in_claims_give_located_messages(claim, message):
    with pytest.raises(ClaimFileError) as e:
        loads_claim_file(BASE + "[[claims]]\n" + claim + "\n", "c.toml")
    text = str(e.value)
    assert text.startswith("c.toml: ") and message in text
    assert "object at 0x" not in text and "\n" not in text


@pytest.mark.parametrize("bad", ["a\nb", "a\rb", "\u001b[2K", "x\u2028y", "tab\there", "nul\u0000"])
def test_ids_and_network_names_must_be_printable(bad):
    # A line break in an id or name would let a file forge extra rows of the verdict table.
    toml_bad = json.dumps(bad)  # a TOML basic string with the same escapes
    claim = f'id = {toml_bad}\nkind = "identical"\nnetworks = ["f", "g"]\nlayer = 1\n'
    with pytest.raises(ClaimFileError, match="claim id .* contains a control character") as e:
        loads_claim_file(BASE + "[[claims]]\n" + claim, "c.toml")
    assert "\n" not in str(e.value)
    with pytest.raises(ClaimFileError, match="network name .* contains a control character") as e:
        loads_claim_file(BASE + f"[networks.{toml_bad}]\nlayers = [{{ weights = [[1, 0]], activation = 'relu' }}]\n", "c.toml")
    assert "\n" not in str(e.value)


def test_a_network_field_that_the_kind_does_not_use_is_rejected():
    # A two-network claim with `network = ...` (or the reverse) is ambiguous: say so.
    for claim in (
        'id = "c"\nkind = "identical"\nnetwork = "zzz"\nnetworks = ["f", "g"]\nlayer = 1',
        'id = "c"\nkind = "dimension"\nnetwork = "f"\nnetworks = ["f", "g"]\nlayer = 1\nequals = 1',
    ):
        with pytest.raises(ClaimFileError, match="network"):
            loads_claim_file(BASE + "[[claims]]\n" + claim + "\n", "c.toml")


def test_a_huge_integer_literal_is_located_and_bounded():
    text = BASE.replace("[[1, 1], [-1, -1]]", "[[1, 1], [-1, %s]]" % ("7" * 5000))
    with pytest.raises(ClaimFileError) as e:
        loads_claim_file(text, "big.toml")
    msg = str(e.value)
    assert msg.startswith("big.toml: ") and "line 4" in msg and "\n" not in msg
    assert "set_int_max_str_digits" not in msg  # advice for programmers, not for users of a file


def test_size_limits(monkeypatch):
    monkeypatch.setattr(claims_mod, "MAX_CLAIMS", 1)
    two = BASE + '[[claims]]\nid = "a"\nkind = "identical"\nnetworks = ["f", "g"]\nlayer = 1\n' * 1
    two += '[[claims]]\nid = "b"\nkind = "identical"\nnetworks = ["f", "g"]\nlayer = 1\n'
    with pytest.raises(ClaimFileError, match="more than 1 claims"):
        loads_claim_file(two, "x.toml")
    monkeypatch.setattr(claims_mod, "MAX_NETWORKS", 1)
    with pytest.raises(ClaimFileError, match="more than 1 networks"):
        loads_claim_file(BASE, "x.toml")
    monkeypatch.setattr(claims_mod, "MAX_NETWORKS", 1000)
    monkeypatch.setattr(claims_mod, "MAX_ENTRIES", 10)
    with pytest.raises(ClaimFileError, match="more than 10 numbers"):
        loads_claim_file(BASE, "x.toml")
    monkeypatch.setattr(claims_mod, "MAX_FILE_BYTES", 100)
    with pytest.raises(ClaimFileError, match="larger than 100 bytes"):
        loads_claim_file(BASE, "x.toml")


def test_load_claim_file_errors(tmp_path):
    with pytest.raises(ClaimFileError, match="cannot be read"):
        load_claim_file(tmp_path / "missing.toml")
    with pytest.raises(ClaimFileError, match="cannot be read"):
        load_claim_file(tmp_path)
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('title = "caf\u00e9"\n'.encode("latin-1") + BASE.encode())
    with pytest.raises(ClaimFileError, match="not UTF-8"):
        load_claim_file(bad)
    good = tmp_path / "good.toml"
    good.write_text(BASE, encoding="utf-8")
    assert load_claim_file(good) == loads_claim_file(BASE)


def _paths(obj, prefix=()):
    """Every path into nested dicts and lists."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


junk = st.recursive(
    st.one_of(
        st.integers(-3, 10),
        st.booleans(),
        st.text(max_size=5),
        st.sampled_from(["nan", "inf", "1e999999", "1/0", "__import__('os')", "relu", "identity", "f", "g", "dimension", "0.5"]),
        st.sampled_from(["nan", "-inf", "1e999999", "0.1", "1.0"]).map(claims_mod._TomlFloat),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["weights", "layers", "inputs", "id", "x"]), inner, max_size=2)),
    max_leaves=6,
)


@settings(max_examples=200)
@given(st.data())
def test_any_corrupted_claim_file_is_accepted_or_rejected_with_a_located_message(data):
    doc = tomllib.loads(bundled()[0][1], parse_float=claims_mod._TomlFloat)
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 2))):
        path = data.draw(st.sampled_from(list(_paths(doc))[1:]))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = data.draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(junk)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["expext", "bias", "neurons", "equals", "network", "layer"]))] = data.draw(junk)
        else:
            parent.append(data.draw(junk))
    try:
        p = problem_from_mapping(doc, "fuzz.toml")
    except SymrepError as e:
        msg = str(e)
        assert msg.startswith("fuzz.toml"), msg
        assert "\n" not in msg and len(msg) < 500 and "object at 0x" not in msg, msg
        return
    assert isinstance(p, Problem)
    verify_problem(p)  # whatever is accepted can be decided
