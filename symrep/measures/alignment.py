"""Measures of alignment with exact values: subspace-match similarity at an eps.

Design note
-----------
``match_similarity:EPS`` is Wang et al.'s similarity ``(|X*| + |Y*|) / (|X| + |Y|)`` of the
maximum eps-match (:func:`symrep.measures.matching.maximum_match`), a rational number, so its
:class:`~symrep.measures.values.MeasureValue` is exact.  The argument is the eps, an exact
number >= 0 (``match_similarity:0`` is the exact match, ``match_similarity:1/4``).

Registering them here (and importing this module in :mod:`symrep.measures.catalog`) makes
them available to ``relation``, ``triangle`` and ``invariance`` claims with no other change.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from symrep.errors import InputError
from symrep.exact.numbers import to_fraction
from symrep.measures.matching import maximum_match
from symrep.measures.values import Measure, MeasureValue, register

__all__ = ["match_eps"]


def match_eps(arg: str | None) -> Fraction:
    """The eps of ``match_similarity:EPS`` (an exact number >= 0).

    >>> match_eps("1/4"), match_eps("0.5")
    (Fraction(1, 4), Fraction(1, 2))
    """
    eps = to_fraction(arg if arg is not None else "0", "match_similarity: eps")
    if eps < 0:
        raise InputError(f"match_similarity: eps {arg} is negative")
    return eps


def _match_similarity(a: Any, b: Any, *, width: Fraction = Fraction(1, 10**12), arg: str | None = None) -> MeasureValue:
    """Exact: the similarity of the maximum eps-match.

    >>> _match_similarity([[1, 0, 0], [0, 1, 0]], [[1, 1, 0]], arg="0").exact
    Fraction(0, 1)
    >>> _match_similarity([[1, 0, 0], [0, 1, 0]], [[1, 1, 0]], arg="1").exact
    Fraction(1, 1)
    """
    v = maximum_match(a, b, match_eps(arg)).similarity
    return MeasureValue("match_similarity", v, v, exact=v)


register(Measure("match_similarity", "Wang et al.'s subspace-match similarity (|X*| + |Y*|) / (|X| + |Y|) at an eps; exact",
                 distance=False, evaluate=_match_similarity, takes_arg=True))
