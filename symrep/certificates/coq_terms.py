"""Rationals, vectors and matrices as Coq ``Q`` literals: the printers every part of the Coq exporter shares.

>>> from fractions import Fraction as F
>>> qmat([[F(1, 2), F(-3)]])
'[[(1#2); (-3#1)]]'
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["qnum", "qvec", "qmat"]


def qnum(x: Fraction) -> str:
    """A rational as a Coq Q literal."""
    return f"({x.numerator}#{x.denominator})"


def qvec(v: list[Fraction]) -> str:
    return "[" + "; ".join(qnum(x) for x in v) + "]"


def qmat(m: list[list[Fraction]]) -> str:
    return "[" + "; ".join(qvec(r) for r in m) + "]"
