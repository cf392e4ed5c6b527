"""frexp_ints (the fast exact float-to-integer path of scaled_ints) against Fractions, subnormals included."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from symrep.exact.floatbits import frexp_ints
from symrep.exact.intmat import scaled_ints


def _arrays(width):
    return st.integers(1, 4).flatmap(lambda n: st.integers(1, 6).flatmap(lambda d: st.lists(
        st.lists(st.floats(allow_nan=False, allow_infinity=False, width=width), min_size=d, max_size=d),
        min_size=n, max_size=n)))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([(16, np.float16), (32, np.float32), (64, np.float64)]).flatmap(
    lambda w: st.tuples(st.just(w[1]), _arrays(w[0]))), st.booleans())
def test_frexp_ints_is_exact(case, per_row):
    dtype, rows = case
    a = np.array(rows, dtype=dtype)
    got = frexp_ints(a, per_row)
    if got is None:  # only when some entry would need 62 bits or more
        nz = [abs(Fraction(float(v))) for v in a.ravel() if v != 0]
        assert nz and max(nz) / min(nz) >= 2 ** (61 - 53)
        return
    V, low = got
    assert V.dtype == np.int64 and (np.abs(V) < 2**62).all()
    if not per_row:
        assert len(set(low.tolist())) <= 1
    for i, row in enumerate(a):
        scale = Fraction(2) ** int(low[i])
        assert [Fraction(int(v)) * scale for v in V[i]] == [Fraction(float(x)) for x in row]
    s = scaled_ints(a, per_row)  # the library's result (stripped) agrees with the values too
    for i, row in enumerate(a):
        assert [Fraction(int(v)) * Fraction(2) ** int(s.exponents[i]) for v in s.values[i]] == [Fraction(float(x)) for x in row]


def test_subnormal_and_wide_rows():
    a = np.array([[2.0**-149, 3 * 2.0**-140], [0.0, 0.0]], dtype=np.float32)
    got = frexp_ints(a, True)
    assert got is not None
    V, low = got
    assert [int(v) * Fraction(2) ** int(low[0]) for v in V[0]] == [Fraction(2) ** -149, 3 * Fraction(2) ** -140]
    assert V[1].tolist() == [0, 0] and low[1] == 0
    assert frexp_ints(np.array([[2.0**-30, 2.0**40]]), True) is None  # float64: 53 + 70 bits
    s = scaled_ints(np.array([[2.0**-30, 2.0**40]]))  # the bit-by-bit path then gives Python integers
    assert s.values.dtype == object and int(s.values[0][1]) * Fraction(2) ** int(s.exponents[0]) == 2**40
