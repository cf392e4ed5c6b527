"""Exact linear feasibility and optimisation over the rationals, with certificates.

A :class:`System` is a finite list of :class:`Constraint` ``a . x  rel  b`` with
``rel`` one of ``<=``, ``<`` and ``==`` (``>=`` and ``>`` are stored negated).
:func:`feasible` decides whether some rational ``x`` satisfies them all and
returns either a point (strict constraints hold strictly) or multipliers that
prove no point exists; :func:`maximize` / :func:`minimize` optimise a linear
function over a closed system.  Nothing is ever rounded: all arithmetic is on
Python integers and :class:`~fractions.Fraction`.

Design note
-----------
*Certificates.*  Infeasibility is proved by Motzkin's transposition theorem
(Farkas's lemma with strict inequalities): multipliers ``y`` with ``y_i >= 0``
on the inequality rows (any sign on equalities) such that ``sum y_i a_i == 0``
and either ``sum y_i b_i < 0``, or ``sum y_i b_i == 0`` and ``y_i > 0`` for
some strict row.  If ``x`` were feasible, ``0 == sum y_i (a_i . x)`` would be
``<= sum y_i b_i``, strictly so when a strict row carries weight: a
contradiction either way.  :func:`is_farkas_certificate` checks this with
multiplication and addition only.

*One LP decides feasibility, strict rows included.*  Rather than maximising a
slack ``t`` over the primal, :func:`feasible` solves the alternative system
directly: find ``y >= 0`` (equality rows split into two columns) with::

    sum_i y_i a_i = 0            (n rows)
    sum_i y_i b_i + s = 0        (s >= 0, so  y.b <= 0)
    sum_i [strict_i] y_i - y.b = 1

Any feasible ``y`` is a Motzkin certificate; any certificate scales to a
feasible ``y``.  This is a standard-form system with only ``n + 2`` rows (``n``
= number of unknowns), however many constraints there are -- region
enumeration has few unknowns and many constraints.  Phase 1 of the simplex
either finds ``y`` or ends with duals ``pi = (pi_x, pi_1, pi_2)`` with
``pi^T column <= 0`` for every column and ``pi_2 > 0``; then, with
``tau = pi_2 - pi_1 > 0``, the point ``x = pi_x / tau`` satisfies
``a_i . x <= b_i - [strict_i] pi_2 / tau``: every strict row holds strictly.
So one simplex run returns a certificate or a strictly feasible point.

*Optimisation* uses the same engine on the dual: ``max c.x`` subject to
``A x <= b, E x = e`` is dual to ``min b.y + e.z`` subject to
``A^T y + E^T z = c, y >= 0`` (again ``n`` rows).  Its optimal duals are the
optimal ``x``; an unbounded dual ray is a Farkas certificate of the primal; an
infeasible dual yields a recession direction ``d`` with ``c.d > 0``.

*The simplex* is a dense tableau simplex with Bland's rule (smallest index
enters; ties in the ratio test leave by smallest index), so it terminates on
degenerate problems.  The tableau is kept in integers by Edmonds' /
Bareiss's integer-preserving pivot: every entry is ``D`` times the rational
entry, ``D = |det B|`` of the current basis, and each pivot divides exactly by
the previous ``D``.  This avoids a gcd per operation: on the cell systems of
random 2-8-8-1 and 3-16-1 networks a ``Fraction`` tableau with the same pivots
took 9-13 times as long (0.5-1 ms per LP here).  SymPy's exact simplex
(``sympy.solvers.simplex.lpmax``) took about 75 ms per LP on the same systems
(over 100 times as long) and reports infeasibility without a certificate; see
``benchmarks/bench_regions.py``.

*Trust.*  Every answer is verified before it is returned (the point is
substituted, the certificate is checked by :func:`is_farkas_certificate`), so
a bug here can raise an error but cannot produce a wrong answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Sequence, Union

from symrep.errors import InputError, LPError, ShapeError
from symrep.exact.numbers import Vector, as_vector, format_number, to_fraction

__all__ = [
    "RELATIONS",
    "Constraint",
    "Feasible",
    "Infeasible",
    "LPError",
    "Optimal",
    "System",
    "Unbounded",
    "feasible",
    "is_farkas_certificate",
    "maximize",
    "minimize",
]

#: The relations a stored constraint has (``>=`` and ``>`` are stored negated).
RELATIONS = ("<=", "<", "==")
_NEGATED = {">=": "<=", ">": "<"}
_ZERO = Fraction(0)


@dataclass(frozen=True)
class Constraint:
    """One linear constraint ``coefficients . x  relation  bound``.

    ``relation`` is stored as ``"<="``, ``"<"`` or ``"=="``; ``">="`` and ``">"``
    are accepted and stored negated (so certificates always refer to ``<=``/``<``
    rows with non-negative multipliers).

    >>> c = Constraint([1, -2], ">=", "1/2")
    >>> c
    Constraint(coefficients=(Fraction(-1, 1), Fraction(2, 1)), relation='<=', bound=Fraction(-1, 2))
    >>> str(c), c.holds([1, 0]), c.holds([0, 0])
    ('-x0 + 2*x1 <= -1/2', True, False)
    """

    coefficients: Vector
    relation: str
    bound: Fraction

    def __init__(self, coefficients: Any, relation: str = "<=", bound: Any = 0):
        a = tuple(coefficients) if _all_fractions(coefficients) else as_vector(coefficients, "coefficients")
        b = bound if isinstance(bound, Fraction) else to_fraction(bound, "bound")
        if relation in _NEGATED:
            a, b, relation = tuple(-q for q in a), -b, _NEGATED[relation]
        elif relation not in RELATIONS:
            raise InputError(f"relation {relation!r} is not one of <=, <, ==, >=, >")
        object.__setattr__(self, "coefficients", a)
        object.__setattr__(self, "relation", relation)
        object.__setattr__(self, "bound", b)

    @property
    def strict(self) -> bool:
        """Whether the relation is ``<``."""
        return self.relation == "<"

    @property
    def equality(self) -> bool:
        """Whether the relation is ``==``."""
        return self.relation == "=="

    def lhs(self, x: Sequence[Fraction]) -> Fraction:
        """``coefficients . x``, exactly."""
        return sum((a * v for a, v in zip(self.coefficients, x) if a), _ZERO)

    def holds(self, x: Sequence[Any]) -> bool:
        """Whether the point *x* satisfies the constraint (exactly)."""
        if len(x) != len(self.coefficients):
            raise ShapeError(f"point has {len(x)} coordinates but the constraint has {len(self.coefficients)}")
        v = self.lhs([q if isinstance(q, Fraction) else to_fraction(q) for q in x])
        return v < self.bound if self.strict else v == self.bound if self.equality else v <= self.bound

    def __str__(self) -> str:
        return f"{linear_text(self.coefficients)} {self.relation} {format_number(self.bound)}"


def _all_fractions(v: Any) -> bool:
    return isinstance(v, tuple) and all(type(q) is Fraction for q in v)


def linear_text(a: Sequence[Fraction], names: Sequence[str] | None = None) -> str:
    """``"x0 - 2*x1"``: readable text of a linear form (``"0"`` if it is zero).

    >>> linear_text([Fraction(1), Fraction(0), Fraction(-3, 2)])
    'x0 - 3/2*x2'
    """
    parts = []
    for j, q in enumerate(a):
        if not q:
            continue
        name = names[j] if names else f"x{j}"
        mag = abs(q)
        term = name if mag == 1 else f"{format_number(mag)}*{name}"
        parts.append(("- " if q < 0 else "+ ") + term)
    if not parts:
        return "0"
    text = " ".join(parts)
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


@dataclass(frozen=True)
class System:
    """A finite system of linear constraints in ``dimension`` unknowns ``x0, x1, ...``.

    Constraints may be given as :class:`Constraint` or as triples
    ``(coefficients, relation, bound)``.

    >>> S = System([([1, 1], "<=", 1), ([1, 0], ">", 0), ([0, 1], ">", 0)])
    >>> print(S)
    x0 + x1 <= 1
    -x0 < 0
    -x1 < 0
    >>> S.holds([Fraction(1, 3), Fraction(1, 3)]), S.holds([1, 0])
    (True, False)
    """

    constraints: tuple[Constraint, ...]
    dimension: int

    def __init__(self, constraints: Iterable[Any] = (), dimension: int | None = None):
        cs = tuple(c if isinstance(c, Constraint) else _constraint_of(c, k) for k, c in enumerate(constraints))
        if dimension is None:
            if not cs:
                raise ShapeError("a system without constraints needs its dimension")
            dimension = len(cs[0].coefficients)
        for k, c in enumerate(cs):
            if len(c.coefficients) != dimension:
                raise ShapeError(f"constraint {k} has {len(c.coefficients)} coefficients, expected {dimension}")
        object.__setattr__(self, "constraints", cs)
        object.__setattr__(self, "dimension", dimension)

    @classmethod
    def box(cls, bounds: Sequence[Sequence[Any]]) -> "System":
        """The box ``lo_i <= x_i <= hi_i``: rows ``-x_i <= -lo_i`` then ``x_i <= hi_i`` per coordinate.

        >>> print(System.box([[0, 1], ["-1/2", "1/2"]]))
        -x0 <= 0
        x0 <= 1
        -x1 <= 1/2
        x1 <= 1/2
        """
        n = len(bounds)
        rows = []
        for i, pair in enumerate(bounds):
            if isinstance(pair, (str, bytes)) or len(pair) != 2:
                raise ShapeError(f"box coordinate {i}: expected [lo, hi]")
            lo, hi = to_fraction(pair[0], f"box[{i}][0]"), to_fraction(pair[1], f"box[{i}][1]")
            e = [Fraction(0)] * n
            e[i] = Fraction(-1)
            rows.append(Constraint(tuple(e), "<=", -lo))
            e[i] = Fraction(1)
            rows.append(Constraint(tuple(e), "<=", hi))
        return cls(rows, n)

    def __len__(self) -> int:
        return len(self.constraints)

    def __iter__(self):
        return iter(self.constraints)

    def __add__(self, other: Union["System", Iterable[Any]]) -> "System":
        more = other.constraints if isinstance(other, System) else tuple(other)
        return System(self.constraints + tuple(more), self.dimension)

    def holds(self, x: Sequence[Any]) -> bool:
        """Whether *x* satisfies every constraint."""
        return all(c.holds(x) for c in self.constraints)

    @property
    def closed(self) -> bool:
        """Whether no constraint is strict."""
        return not any(c.strict for c in self.constraints)

    def __str__(self) -> str:
        return "\n".join(map(str, self.constraints)) if self.constraints else "(no constraints)"


def _constraint_of(c: Any, k: int) -> Constraint:
    if isinstance(c, dict):
        return Constraint(c.get("coefficients"), c.get("relation", "<="), c.get("bound", 0))
    if isinstance(c, (str, bytes)) or not isinstance(c, Sequence) or len(c) != 3:
        raise InputError(f"constraint {k}: expected (coefficients, relation, bound), got {type(c).__name__}")
    return Constraint(c[0], c[1], c[2])


# ---------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class Feasible:
    """A point satisfying the system (strict constraints strictly)."""

    point: Vector

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class Infeasible:
    """A Motzkin/Farkas certificate: one multiplier per constraint of the system (see :func:`is_farkas_certificate`)."""

    multipliers: Vector

    def __bool__(self) -> bool:
        return False


@dataclass(frozen=True)
class Optimal:
    """An optimum: ``point`` attains ``value``; ``multipliers`` (one per constraint) prove no point does better.

    The proof: ``multipliers`` are ``>= 0`` on inequalities, ``sum y_i a_i`` is the
    objective and ``sum y_i b_i + constant == value``, so every feasible ``x`` has
    ``objective . x = sum y_i a_i . x <= sum y_i b_i``.
    """

    point: Vector
    value: Fraction
    multipliers: Vector


@dataclass(frozen=True)
class Unbounded:
    """The objective is unbounded: ``point`` is feasible, and ``point + t * direction`` stays feasible
    for every ``t >= 0`` while the objective grows without bound."""

    point: Vector
    direction: Vector


def is_farkas_certificate(system: System | Sequence[Constraint], multipliers: Sequence[Fraction]) -> bool:
    """Whether *multipliers* prove that *system* has no solution (multiplication and addition only).

    Valid when ``y_i >= 0`` for every inequality row, ``sum y_i a_i == 0`` and
    either ``sum y_i b_i < 0``, or ``sum y_i b_i == 0`` and some strict row has
    ``y_i > 0``.

    >>> S = System([([1], "<", 0), ([-1], "<=", 0)])     # x < 0 and x >= 0
    >>> is_farkas_certificate(S, [Fraction(1), Fraction(1)]), is_farkas_certificate(S, [Fraction(1), Fraction(2)])
    (True, False)
    """
    cs = system.constraints if isinstance(system, System) else tuple(system)
    if len(multipliers) != len(cs) or not cs:
        return False
    n = len(cs[0].coefficients)
    total = [_ZERO] * n
    rhs, strict = _ZERO, _ZERO
    for c, y in zip(cs, multipliers):
        if not y:
            continue
        if not c.equality and y < 0:
            return False
        for j, a in enumerate(c.coefficients):
            if a:
                total[j] += y * a
        rhs += y * c.bound
        if c.strict:
            strict += y
    return not any(total) and (rhs < 0 or (rhs == 0 and strict > 0))


# ---------------------------------------------------------------------------------------------
# the integer simplex


class _Tableau:
    """Standard form ``M y = r, y >= 0`` with an artificial basis, kept in integers.

    Entries are ``D`` times the rational tableau; ``D > 0``.  Columns ``0..N-1``
    are real, ``N..N+R-1`` artificial, the last is the right-hand side.
    """

    __slots__ = ("T", "obj", "basis", "D", "N", "R", "signs", "pivots")

    def __init__(self, M: list[list[int]], r: list[int], N: int):
        R = len(M)
        self.N, self.R, self.D, self.pivots = N, R, 1, 0
        self.signs = [(-1 if v < 0 else 1) for v in r]
        T = []
        for i in range(R):
            s = self.signs[i]
            row = [s * v for v in M[i]] if s < 0 else list(M[i])
            art = [0] * R
            art[i] = 1
            T.append(row + art + [s * r[i]])
        self.T = T
        self.basis = [N + i for i in range(R)]
        # phase-1 reduced costs: cost 1 on artificials, so d_j = -(sum of column j) on real columns
        obj = [0] * (N + R + 1)
        for row in T:
            for j in range(N):
                if row[j]:
                    obj[j] -= row[j]
            obj[-1] -= row[-1]
        self.obj = obj

    def pivot(self, r: int, c: int) -> None:
        T, D = self.T, self.D
        prow = T[r]
        a = prow[c]
        for i in range(len(T)):
            if i == r:
                continue
            row = T[i]
            f = row[c]
            if f:
                T[i] = [(v * a - f * p) // D for v, p in zip(row, prow)]
            elif a != D:
                T[i] = [v * a // D for v in row]
        f = self.obj[c]
        if f:
            self.obj = [(v * a - f * p) // D for v, p in zip(self.obj, prow)]
        elif a != D:
            self.obj = [v * a // D for v in self.obj]
        if a < 0:
            self.T = [[-v for v in row] for row in self.T]
            self.obj = [-v for v in self.obj]
            a = -a
        self.D = a
        self.basis[r] = c
        self.pivots += 1

    def run(self, allowed: int) -> int | None:
        """Bland's rule until optimal (returns None) or unbounded (returns the entering column).

        Only columns ``< allowed`` may enter.
        """
        T = self.T
        while True:
            obj = self.obj
            c = next((j for j in range(allowed) if obj[j] < 0), None)
            if c is None:
                return None
            T = self.T
            best, bt, ba = -1, 0, 1
            for i in range(len(T)):
                a = T[i][c]
                if a > 0:
                    t = T[i][-1]
                    if best < 0:
                        best, bt, ba = i, t, a
                        continue
                    lhs, rhs = t * ba, bt * a
                    if lhs < rhs or (lhs == rhs and self.basis[i] < self.basis[best]):
                        best, bt, ba = i, t, a
            if best < 0:
                return c
            self.pivot(best, c)

    def primal(self) -> list[Fraction]:
        """The basic solution on the real columns."""
        y = [_ZERO] * self.N
        for i, j in enumerate(self.basis):
            if j < self.N:
                y[j] = Fraction(self.T[i][-1], self.D)
        return y

    def duals(self, phase1: bool) -> list[Fraction]:
        """Simplex multipliers ``pi`` of the original (un-negated) rows."""
        N, D = self.N, self.D
        out = []
        for i in range(self.R):
            d = Fraction(self.obj[N + i], D)
            pi = (1 - d) if phase1 else -d
            out.append(pi * self.signs[i])
        return out

    def drive_out_artificials(self) -> None:
        """After a successful phase 1, pivot basic artificials (all at level 0) out where possible."""
        for i in range(self.R):
            if self.basis[i] >= self.N:
                c = next((j for j in range(self.N) if self.T[i][j]), None)
                if c is not None:
                    self.pivot(i, c)

    def set_costs(self, cost: list[int]) -> None:
        """Phase-2 reduced costs for integer costs on the real columns (artificials cost 0)."""
        D, T = self.D, self.T
        width = self.N + self.R + 1
        obj = [D * cost[j] if j < self.N else 0 for j in range(width)]
        obj[-1] = 0
        for i, b in enumerate(self.basis):
            cb = cost[b] if b < self.N else 0
            if cb:
                row = T[i]
                obj = [o - cb * v for o, v in zip(obj, row)]
        self.obj = obj


def _int_row(a: Sequence[Fraction], b: Fraction) -> tuple[list[int], int, int]:
    """``(a, b)`` scaled by the positive ``s`` making them integers: ``(s*a, s*b, s)``."""
    s = b.denominator
    for q in a:
        if q.denominator != 1:
            s = s * q.denominator // math.gcd(s, q.denominator)
    if s == 1:
        return [q.numerator for q in a], b.numerator, 1
    return [q.numerator * (s // q.denominator) for q in a], b.numerator * (s // b.denominator), s


def _coerce(system: Any) -> System:
    if isinstance(system, System):
        return system
    raise InputError(f"expected a System of constraints, got {type(system).__name__}")


def feasible(system: System, *, hint: Sequence[Any] | None = None) -> Feasible | Infeasible:
    """Decide exactly whether *system* has a rational solution.

    Parameters
    ----------
    system
        The constraints (``<=``, ``<``, ``==``).
    hint
        A point to try first; returned at once if it satisfies the system.

    Returns
    -------
    Feasible or Infeasible
        ``Feasible(point)``: strict rows hold strictly.  ``Infeasible(multipliers)``:
        one multiplier per constraint, a certificate for :func:`is_farkas_certificate`.
        Both are truthy/falsy accordingly.

    Examples
    --------
    >>> S = System([([1, 1], "<", 1), ([-1, 0], "<", 0), ([0, -1], "<", 0)])
    >>> r = feasible(S); bool(r), S.holds(r.point)
    (True, True)
    >>> T = S + [([1, 1], ">=", 1)]
    >>> r = feasible(T); bool(r), r.multipliers, is_farkas_certificate(T, r.multipliers)
    (False, (Fraction(1, 1), Fraction(0, 1), Fraction(0, 1), Fraction(1, 1)), True)
    """
    system = _coerce(system)
    n, cs = system.dimension, system.constraints
    if hint is not None:
        x = tuple(q if isinstance(q, Fraction) else to_fraction(q) for q in hint)
        if len(x) == n and system.holds(x):
            return Feasible(x)
    if not cs:
        return Feasible((_ZERO,) * n)
    # columns: one per inequality row, two per equality row, then the slack s
    cols: list[list[int]] = []
    owner: list[tuple[int, int]] = []  # (constraint index, +-1)
    scales = []
    for k, c in enumerate(cs):
        a, b, s = _int_row(c.coefficients, c.bound)
        scales.append(s)
        strict = 1 if c.strict else 0
        col = a + [b, strict - b]
        cols.append(col)
        owner.append((k, 1))
        if c.equality:
            cols.append([-v for v in col])
            owner.append((k, -1))
    slack = [0] * n + [1, 0]
    cols.append(slack)
    N, R = len(cols), n + 2
    M = [[cols[j][i] for j in range(N)] for i in range(R)]
    rhs = [0] * (n + 1) + [1]
    tab = _Tableau(M, rhs, N)
    tab.run(N + R)
    if tab.obj[-1] == 0:  # optimum 0: a certificate
        y = tab.primal()
        mult = [_ZERO] * len(cs)
        for j, (k, sgn) in enumerate(owner):
            if y[j]:
                mult[k] += sgn * y[j] * scales[k]
        mult_t = tuple(mult)
        if not is_farkas_certificate(system, mult_t):
            raise LPError("internal error: the simplex certificate does not check")
        return Infeasible(mult_t)
    pi = tab.duals(phase1=True)
    tau = pi[n + 1] - pi[n]
    if tau <= 0:
        raise LPError("internal error: the simplex duals do not give a point")
    x = tuple(p / tau for p in pi[:n])
    if not system.holds(x):
        raise LPError("internal error: the simplex point does not satisfy the system")
    return Feasible(x)


def _multipliers(u: Sequence[Fraction], owner: Sequence[tuple[int, int]], scales: Sequence[Fraction], m: int) -> Vector:
    """One multiplier per constraint from one value per tableau column (an equality row owns two columns)."""
    mult = [_ZERO] * m
    for j, (k, sgn) in enumerate(owner):
        if u[j]:
            mult[k] += sgn * u[j] * scales[k]
    return tuple(mult)


def _unbounded(system: System, q: Vector, d: Vector) -> Unbounded | Infeasible:
    """The objective *q* is unbounded along *d* if the system is feasible (both checked here)."""
    r = feasible(system)
    if isinstance(r, Infeasible):
        return r
    ok = all((c.lhs(d) == 0) if c.equality else (c.lhs(d) <= 0) for c in system.constraints)
    if not ok or sum((a * b for a, b in zip(q, d)), _ZERO) <= 0:
        raise LPError("internal error: the recession direction does not check")
    return Unbounded(r.point, d)


def maximize(objective: Sequence[Any], system: System, constant: Any = 0) -> Optimal | Unbounded | Infeasible:
    """Maximise ``objective . x + constant`` over a closed *system* (no strict rows), exactly.

    Returns
    -------
    Optimal, Unbounded or Infeasible
        ``Optimal(point, value, multipliers)`` with a proof of optimality,
        ``Unbounded(point, direction)``, or ``Infeasible(multipliers)``.

    Examples
    --------
    >>> S = System([([1, 2], "<=", 4), ([3, 1], "<=", 6), ([-1, 0], "<=", 0), ([0, -1], "<=", 0)])
    >>> r = maximize([1, 1], S); r.point, r.value
    ((Fraction(8, 5), Fraction(6, 5)), Fraction(14, 5))
    >>> r.multipliers
    (Fraction(2, 5), Fraction(1, 5), Fraction(0, 1), Fraction(0, 1))
    >>> type(maximize([1, 0], System([([0, 1], "<=", 1)]))).__name__
    'Unbounded'
    """
    system = _coerce(system)
    n, cs = system.dimension, system.constraints
    if any(c.strict for c in cs):
        raise InputError("maximize needs a closed system: a strict inequality may leave the supremum unattained")
    q = tuple(v if isinstance(v, Fraction) else to_fraction(v, "objective") for v in objective)
    if len(q) != n:
        raise ShapeError(f"objective has {len(q)} coefficients but the system has {n} unknowns")
    c0 = to_fraction(constant, "constant")
    if not any(q):  # constant objective: optimal iff feasible
        r = feasible(system)
        if isinstance(r, Infeasible):
            return r
        return Optimal(r.point, c0, (_ZERO,) * len(cs))
    cols, costs, owner, scales = [], [], [], []
    for k, c in enumerate(cs):
        a, b, s = _int_row(c.coefficients, c.bound)
        scales.append(s)
        cols.append(a)
        costs.append(b)
        owner.append((k, 1))
        if c.equality:
            cols.append([-v for v in a])
            costs.append(-b)
            owner.append((k, -1))
    L = math.lcm(*(v.denominator for v in q))
    rhs = [v.numerator * (L // v.denominator) for v in q]
    N = len(cols)
    M = [[cols[j][i] for j in range(N)] for i in range(n)]
    tab = _Tableau(M, rhs, N)
    tab.run(N + n)
    if tab.obj[-1] != 0:  # the dual is infeasible: a direction d with a.d <= 0, e.d = 0, q.d > 0
        return _unbounded(system, q, tuple(tab.duals(phase1=True)))
    tab.drive_out_artificials()
    tab.set_costs(costs)
    entering = tab.run(N)
    if entering is not None:  # the dual is unbounded: its ray is a Farkas certificate of the primal
        u = [_ZERO] * N
        u[entering] = Fraction(1)
        for i, b in enumerate(tab.basis):
            if b < N:
                u[b] = Fraction(-tab.T[i][entering], tab.D)
        mult_t = _multipliers(u, owner, [Fraction(s) for s in scales], len(cs))
        if not is_farkas_certificate(system, mult_t):
            raise LPError("internal error: the dual ray does not check")
        return Infeasible(mult_t)
    x = tuple(tab.duals(phase1=False))
    mult_t = _multipliers(tab.primal(), owner, [Fraction(s, L) for s in scales], len(cs))
    value = sum((a * b for a, b in zip(q, x)), _ZERO)
    # the optimality proof: y >= 0 on inequalities, sum y_i a_i == q, sum y_i b_i == value
    comb = [sum((y_ * c.coefficients[j] for y_, c in zip(mult_t, cs) if y_), _ZERO) for j in range(n)]
    bound = sum((y_ * c.bound for y_, c in zip(mult_t, cs) if y_), _ZERO)
    if (not system.holds(x) or tuple(comb) != q or bound != value
            or any(y_ < 0 for y_, c in zip(mult_t, cs) if not c.equality)):
        raise LPError("internal error: the optimum does not check")
    return Optimal(x, value + c0, mult_t)


def minimize(objective: Sequence[Any], system: System, constant: Any = 0) -> Optimal | Unbounded | Infeasible:
    """Minimise ``objective . x + constant`` over a closed *system* (see :func:`maximize`).

    For an ``Optimal`` result, ``multipliers`` prove the lower bound: ``y >= 0``
    with ``sum y_i a_i == -objective`` and ``sum y_i b_i == -(value - constant)``;
    an ``Unbounded`` direction decreases the objective.

    >>> r = minimize([1], System([([-1], "<=", -2)]))
    >>> r.point, r.value
    ((Fraction(2, 1),), Fraction(2, 1))
    """
    q = tuple(-(v if isinstance(v, Fraction) else to_fraction(v, "objective")) for v in objective)
    r = maximize(q, system, -to_fraction(constant, "constant"))
    if isinstance(r, Optimal):
        return Optimal(r.point, -r.value, r.multipliers)
    return r
