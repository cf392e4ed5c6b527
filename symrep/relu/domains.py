"""Domains of ``equal_functions`` claims as rows of a linear system, and Farkas/Motzkin refutations of such systems.

Split from :mod:`symrep.relu.functions`, which re-exports both functions: they are what a certificate's
multipliers refer to, read the same way by the decision and by the re-check of a witness.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from symrep.errors import CertificateRejected, SymrepError
from symrep.exact import lp
from symrep.exact.lp import Constraint
from symrep.exact.numbers import to_fraction
from symrep.relu.regions import as_domain

__all__ = ["check_motzkin", "parse_domain"]

_ZERO = Fraction(0)


def check_motzkin(rows: Sequence[tuple[Sequence[Fraction], Fraction, str]], y: Any) -> bool:
    """Whether *y* proves the rows ``(a, b, rel)`` (``rel`` in ``<=``, ``<``, ``==``) have no common solution.

    *y* is one multiplier per row (a list) or sparse (a dict ``{row: multiplier}``).  The
    test is :func:`symrep.exact.lp.is_farkas_certificate`: ``y >= 0`` on inequalities,
    ``sum y a == 0`` and ``sum y b < 0``, or ``sum y b == 0`` with weight on a strict row.

    >>> F = Fraction
    >>> rows = [([F(1)], F(0), "<"), ([F(-1)], F(0), "<=")]      # x < 0 and -x <= 0
    >>> check_motzkin(rows, [F(1), F(1)]), check_motzkin(rows, [F(1), F(0)]), check_motzkin(rows, {0: F(2), 1: F(2)})
    (True, False, True)
    """
    if isinstance(y, dict):
        if any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(rows) for i in y):
            return False
        dense = [y.get(i, _ZERO) for i in range(len(rows))]
    elif len(y) != len(rows):
        return False
    else:
        dense = list(y)
    if not rows:
        return False
    system = tuple(Constraint(tuple(a), rel, b) for a, b, rel in rows)
    return lp.is_farkas_certificate(system, [to_fraction(v) for v in dense])


def parse_domain(domain: Any, n: int, where: str = "domain") -> list[tuple[list[Fraction], Fraction, str]]:
    """The domain's rows ``(a, b, relation)`` meaning ``a.x <= b`` or ``a.x == b``.

    A box gives ``-x_i <= -lo`` and ``x_i <= hi`` per coordinate, ``>=`` rows are negated
    (the rows the certificate's multipliers refer to).  Raises :class:`CertificateRejected`.

    >>> parse_domain([["0", "1"]], 1)
    [([Fraction(-1, 1)], Fraction(0, 1), '<='), ([Fraction(1, 1)], Fraction(1, 1), '<=')]
    """
    try:
        system = as_domain(domain, n)
    except SymrepError as e:  # as_domain's messages start with "domain: "
        raise CertificateRejected(str(e) if where == "domain" else f"{where}: {e}") from None
    return [(list(c.coefficients), c.bound, c.relation) for c in system.constraints]
