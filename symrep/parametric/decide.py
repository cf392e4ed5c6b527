"""Claims about networks whose weights contain parameters, decided exactly.

Design note
-----------
A parametric claim file declares parameters with sign assumptions in ``[parameters]``
(``t = "positive"``; also ``"negative"``, ``"nonzero"``, ``"real"``) and writes weights and biases
as rational functions of them (parsed by :mod:`symrep.parametric.params`, which evaluates nothing).  The
data and the claims stay numeric.  A claim holds *for a parameter value* when it holds for the
networks instantiated at that value; the parametric verdict is ``True`` when it holds for every
admissible value, otherwise ``False`` (with a rational counterexample when one exists, always
re-verified by substituting it and running :func:`symrep.claims.verdicts.decide`), and, for one
parameter, ``holds_when`` is the exact set where it holds.

One parameter t, method:

1. *Admissible set.*  The assumption's interval(s) minus the poles of every weight and bias of
   the claim's networks (the networks are undefined there; the explanation names them).
2. *Sign splitting.*  On an open interval (a, b) the exact forward pass runs over Q(t)
   (SymPy's ``sympy.polys.fields``).  At a ReLU each pre-activation is a rational function; the
   real roots of its numerator and denominator inside (a, b) are critical points.  If there are
   any, the interval is cut into open sub-intervals and points, and each piece is solved again;
   otherwise every pre-activation has one sign on (a, b), read at a rational sample point.
3. *Generic decision.*  With the sign pattern fixed, the claim is decided over Q(t): equality
   tests and Gaussian elimination over the field (ranks, span membership, the maximum-match
   fixpoint).  Every pivot used, and the first non-zero difference of a failed equality, is
   recorded.  Away from the real roots of their numerators and denominators the same
   elimination specialises to the value t0, so every rank and test, hence the verdict, equals
   the generic one.  Those roots inside (a, b) are the *exceptional points*.
4. *Points.*  Critical and exceptional points are real algebraic numbers: a rational one is
   decided by substitution and the normal exact verifier; an irrational one, a root of an
   irreducible polynomial m with an isolating interval, is decided by the same forward pass and
   elimination over the number field Q[t]/(m) (exact zero test: remainder mod m; exact sign:
   refining the isolating interval until interval evaluation excludes 0).
5. *Self-check.*  On every open piece the generic verdict is compared with the normal verifier
   at a rational sample point; a disagreement raises (never a guessed verdict).  The union of
   pieces where the claim holds is merged into intervals and points with exact endpoints
   (rationals, square roots, ``CRootOf(p, k)``: the k-th real root of p, counting from 0).

Several parameters: a claim whose networks use at most one of them is decided as above; two, by
the cylindrical decomposition of :mod:`symrep.parametric.several`.  Otherwise (or where that stops
short) the claim is instantiated at small rational points of the admissible set; a point where it
fails is a verified counterexample (verdict ``False``), else the verdict is ``"undecided"`` --
never a guess.  ``equal_functions`` is decided for one parameter by :mod:`symrep.parametric.functions`
(registered in :data:`FAMILY_DECIDERS`); certificates: :mod:`symrep.parametric.certify`.

Supported kinds: those whose registry entry has a symbolic decision (``ClaimKind.symbolic``;
today ``activations``, ``dimension``, ``identical``, ``exact_match``, ``isomorphic``,
``maximum_match``, ``no_match`` and ``match_similarity`` with eps = 0).  Other kinds get only the
counterexample search by substitution (``False`` with a witness, or ``"undecided"``).

The implementation: :mod:`symrep.parametric.params` (the rational-function parser),
:mod:`symrep.parametric.problem` (parametric claim files), :mod:`symrep.parametric.algebraic`
(real algebraic numbers, number fields), :mod:`symrep.parametric.line` (the one-parameter decision,
steps 1-5, and the verdict type), :mod:`symrep.parametric.several` (two parameters), this module (the
dispatch and the public entry points).
"""

from __future__ import annotations

from symrep.claims.claim import Claim
from symrep.claims.kinds import REGISTRY
from symrep.errors import InputError
from symrep.parametric.line import (  # noqa: F401  (FAMILY_DECIDERS, _forward, _OneParameter: re-exported, certify.py)
    FAMILY_DECIDERS,
    GENERIC_KINDS,
    ParametricVerdict,
    Undecided,
    _forward,
    _OneParameter,
    by_search,
    decide_on_line,
)
from symrep.parametric.problem import (
    ParametricNetwork,
    ParametricProblem,
    load_parametric_claim_file,
    loads_parametric_claim_file,
    parametric_problem_from_mapping,
)
from symrep.parametric.several import decide_two_parameters

__all__ = [
    "GENERIC_KINDS",
    "ParametricNetwork",
    "ParametricProblem",
    "ParametricVerdict",
    "decide_parametric",
    "load_parametric_claim_file",
    "loads_parametric_claim_file",
    "parametric_problem_from_mapping",
    "verify_parametric",
]


def decide_parametric(pp: ParametricProblem | str, claim: Claim | str | None = None,
                      ) -> ParametricVerdict | list[ParametricVerdict]:
    """Decide one claim (a Claim or its id) of a parametric problem (or claim-file text); all claims if None."""
    if isinstance(pp, str):
        pp = loads_parametric_claim_file(pp)
    if claim is None:
        return verify_parametric(pp)
    if isinstance(claim, str):
        matches = [c for c in pp.claims if c.id == claim]
        if not matches:
            raise InputError(f"no claim with id {claim!r}")
        claim = matches[0]
    return _decide_one(pp, claim)


def _decide_one(pp: ParametricProblem, claim: Claim) -> ParametricVerdict:
    names = pp.parameters_of(claim.networks)
    if len(names) <= 1:
        return decide_on_line(pp, claim)
    supported = claim.kind in GENERIC_KINDS and REGISTRY[claim.kind].supports_symbolic(claim)
    reason = ""
    if len(names) == 2 and supported:
        try:
            return decide_two_parameters(pp, claim, names)
        except Undecided as e:
            reason = f" ({e})"
    why = (f"kind {claim.kind!r} is not decided symbolically" if not supported
           else f"{len(names)} parameters ({', '.join(names)}) are not decided symbolically" if len(names) > 2
           else f"undecided within the bounds of the cylindrical decomposition{reason}")
    return by_search(pp, claim, names, why)


def verify_parametric(pp: ParametricProblem) -> list[ParametricVerdict]:
    """Decide every claim of a parametric problem, in order."""
    return [_decide_one(pp, c) for c in pp.claims]
