"""Rich display (issue 18): what a notebook shows carries the statement, the verdict and the witness's numbers."""

import copy
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symrep
from symrep.certificates import certify
from symrep.claims.claim import Claim, Verdict
from symrep.exact.display import MAX_COLUMNS, MAX_ROWS, matrix_html
from symrep.exact.numbers import format_number, is_number_text

PROOFS = Path(__file__).resolve().parent.parent / "proofs"
EXAMPLES = [PROOFS / "example-3.1.toml", PROOFS / "example-3.1-nonzero.toml"]


def _numbers(w, depth=0):
    """Every exact number string of a JSON witness (an independent reading of its structure)."""
    if isinstance(w, dict):
        for v in w.values():
            yield from _numbers(v, depth + 1)
    elif isinstance(w, list):
        for v in w:
            yield from _numbers(v, depth + 1)
    elif isinstance(w, str) and is_number_text(w):
        yield w


def _cells(html):
    """The text of the HTML with tags removed, split at the places a number can end."""
    text = re.sub(r"<[^>]+>", " ", html)
    return set(re.split(r"[\s,{}:=\[\]()·]+", text))


def test_every_witness_number_of_example_3_1_appears_in_the_html():
    shown = 0
    for path in EXAMPLES:
        problem = symrep.load_claim_file(path)
        for v in symrep.verify_problem(problem):
            html = v._repr_html_()
            cells = _cells(html)
            for q in _numbers(v.witness):
                assert q in cells, (v.claim.id, q)
                shown += 1
            assert v.claim.id in html and v.claim.kind in html
            assert ("holds" if v.holds else "fails") in html
            assert v.claim.statement is None or symrep.exact.display.esc(v.claim.statement) in html
            assert symrep.exact.display.esc(v.explanation) in html  # the computation that settles it
    assert shown > 50


def test_the_hidden_match_of_example_3_1_shows_its_proof():
    problem = symrep.load_claim_file(PROOFS / "example-3.1.toml")
    v = next(v for v in symrep.verify_problem(problem) if v.claim.id == "printed-no-hidden-match")
    html = v._repr_html_()
    assert "fails" in html and "3/4" in v.explanation and "(as expected)" in html
    m = symrep.maximum_match(symrep.activations(problem["f"], problem.inputs, 1),
                             symrep.activations(problem["f_tilde"], problem.inputs, 1))
    mh = m._repr_html_()
    assert "3/4" in mh and "X* = [0, 1]" in mh and "Y* = [0]" in mh
    assert "w = {1: 1}" in mh and "= 1 ≠ 0" in mh  # the orthogonal vector and its product


def test_text_from_files_is_escaped():
    c = Claim("<b>id</b>", "dimension", ("f<script>",), 1, None, True, "<script>alert(1)</script>")
    html = Verdict(c, True, "x < y & z", {"inverse": [["1"]]})._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "x &lt; y &amp; z" in html and "&lt;b&gt;id&lt;/b&gt;" in html
    latex = Verdict(Claim("a_b$}", "dimension", ("f",), 1), False, "", {"inverse": [["1/2", "-3/4"]]})._repr_latex_()
    assert r"\frac{1}{2}" in latex and r"-\frac{3}{4}" in latex and "fails" in latex
    assert r"a\_b\$\}" in latex and latex.count("$") == 3  # the id's dollar is escaped: math mode is not left


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(-3, 3), min_size=3, max_size=3), min_size=1, max_size=4),
       st.lists(st.lists(st.integers(-3, 3), min_size=3, max_size=3), min_size=1, max_size=4))
def test_match_html_shows_every_coefficient_and_removal(A, B):
    m = symrep.maximum_match(A, B)
    cells = _cells(m._repr_html_())
    assert format_number(m.similarity) in cells
    for _, combo in m.x_in_y + m.y_in_x:
        assert all(format_number(Fraction(c)) in cells for _, c in combo)
    for r in m.removals:
        assert format_number(r.product) in cells
        assert all(format_number(Fraction(c)) in cells for _, c in r.orthogonal)


def test_ladder_shows_the_partial_order_with_each_verdict():
    A, B = [[1, 0, 2], [0, 1, 1]], [[0, 3, 3], ["1/2", 0, 1]]
    levels = symrep.ladder(A, B)
    html = symrep.show(levels)._repr_html_()
    assert "<svg" in html
    for e in levels:
        assert f"{'✓' if e.holds else '✗'} {e.level}" in html
    assert "1/2" in html  # the scales of scaled_permutation
    one = levels[2]._repr_html_()
    assert "scaled_permutation" in one and "holds" in one


def test_certificate_display_runs_the_checker():
    problem = symrep.load_claim_file(PROOFS / "example-3.1.toml")
    cert = certify(problem)
    html = symrep.show(cert)._repr_html_()
    assert "independent checker: <b>valid</b>" in html
    assert html.count("checked by the independent checker") == len(problem.claims)
    bad = copy.deepcopy(cert)
    k = next(i for i, r in enumerate(bad["results"]) if r["kind"] == "dimension")
    bad["results"][k]["witness"]["inverse"] = [["2"]]
    html = symrep.show(bad)._repr_html_()
    assert "1 of" in html and "REJECTED by the checker" in html and "inverse times the pivot block" in html


def test_display_is_bounded_by_the_screen_not_the_input():
    big = [[Fraction(i * j, 7) for j in range(300)] for i in range(200)]
    html = matrix_html(big)
    assert len(html) < 30_000 and "(200 x 300, first 12 x 12 shown)" in html
    assert html.count("<tr>") == MAX_ROWS + 1 and MAX_COLUMNS == 12
    huge = Fraction(3**9000, 7)
    assert len(matrix_html([[huge]])) < 1000


def test_problem_shows_data_networks_and_claims():
    problem = symrep.load_claim_file(PROOFS / "example-3.1.toml")
    html = problem._repr_html_()
    assert "f_tilde" in html and "printed-no-hidden-match" in html and "-1" in _cells(html)


def test_comparison_reports_show_matches_and_ladder():
    from symrep.compare import compare_networks

    problem = symrep.load_claim_file(PROOFS / "example-3.1.toml")
    reports = compare_networks(problem["f"], problem["f_tilde"], problem.inputs, eps=[0, "1/4"], ladder=True)
    html = symrep.show(reports)._repr_html_()
    assert html.count("<svg") == len(reports) and "eps = <code>1/4</code>" in html
    hidden = next(r for r in reports if r.layer.endswith("1"))
    one = hidden._repr_html_()
    assert "3/4" in one and "span dimensions [1, 2]" in one


def test_a_comparison_shows_its_similarity_plot_inline():
    pytest.importorskip("matplotlib")
    import base64

    from symrep.compare import compare_layers

    A, B = [[1, 0, 2], [0, 1, 1]], [[0, 3, 3], [Fraction(1, 2), 0, 1]]
    reports = compare_layers([("h1", A, B), ("h2", A, A)], eps=[Fraction(0), Fraction(1, 4)])
    html = symrep.show(reports)._repr_html_()
    png = html.split("data:image/png;base64,")[1].split("'")[0]
    assert base64.b64decode(png).startswith(b"\x89PNG")  # a real PNG, inline
    assert "layer h1" in html and "layer h2" in html
    for r in reports:  # the exact similarities are on the page beside the picture
        for _, m in r.matches:
            assert format_number(m.similarity) in html
