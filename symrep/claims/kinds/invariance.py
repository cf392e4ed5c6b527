"""``invariance``: a measure is unchanged when a transform is applied to one representation, on this instance.

``measure`` is any quantity of :mod:`symrep.claims.kinds._measured` (a registered measure, or
``1 - M`` / ``arccos M``); ``transform`` is one of, applied to the first network's
representation X (points x features, as a user writes it):

* ``{matrix = [[...]]}``: X -> X T, T of shape (neurons of X) x k;
* ``{translation = [...]}``: X -> X + 1 t^T, one entry per neuron;
* ``{scale = "3/2"}``: X -> c X.

* ``{family = F}``: for *every* member T of the family F, one of ``orthogonal`` (X -> X Q,
  Q^T Q = I), ``permutation`` (of the neurons), ``isotropic_scaling`` (X -> c X, c != 0),
  ``translation`` (X -> X + 1 t^T, any t) or ``invertible_linear`` (X -> X T, T invertible).

The claim holds when M(T(X), Y) = M(X, Y) exactly: both values have closed forms for CKA and
match similarity, so equality is decided by the sign of their difference; for a measure known
only by brackets, a difference is shown by separated brackets and equality is ``undecided``.

Families (design note).  ``True`` rests only on a proof for the measure and the family
(:data:`INVARIANT`, one argument per measure in :data:`PROOFS`); each is a property of the
measure's formula, valid for every instance on which the value is defined, and every member
keeps definedness (the maps are invertible and translations vanish on centring):

* CKA, Procrustes and angular Procrustes, RSA over squared Euclidean distances: functions of the
  centred Gram X_c X_c^T, which X_c Q (Q Q^T = I) and translations keep; CKA, angular Procrustes
  and RSA are also unchanged when that Gram is multiplied by c^2 > 0 (Procrustes is not);
* CCA: the canonical correlations are the cosines of the principal angles between the spans of
  the centred neurons (over the points), and X_c T spans the same space for invertible T;
* SVCCA:k: CCA of the top-k right singular subspaces of X_c, unchanged by Q^T X_c and by c X_c;
* match similarity: the maximum eps-match is the greatest fixpoint of a monotone removal, so
  permuting neurons permutes it; c != 0 keeps every span and every relative distance;
* mutual kNN: cosines between points, kept by orthogonal maps and by c != 0;
* RSA over 1 - Pearson: a Pearson correlation across features is kept by permuting the features
  (jointly) and by c != 0.

A pair without a proof is decided ``False`` only by a rational member that changes the value,
certified like a given transform (:func:`members`: plane rotations and a Cayley transform
(I - S)(I + S)^-1 of a skew S for ``orthogonal``, transpositions and a cycle, shears and
diagonals with their inverses); otherwise it is ``undecided`` -- never ``True`` from samples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping

from symrep.claims.claim import Claim, Problem, Verdict
from symrep.claims.fields import matrix, number
from symrep.claims.kinds._measured import (Quantity, Site, acts_at, decide_sign, difference_sign, evaluate, read_fields,
                                           read_quantity, value_text)
from symrep.claims.registry import ClaimKind, DrawContext, ParseContext
from symrep.claims.witnesses import s
from symrep.errors import ClaimFileError, InputError, InternalError, Unresolved
from symrep.exact.linalg import rref
from symrep.exact.numbers import Matrix

#: Largest number of columns of a transform matrix.
MAX_COLUMNS = 10_000
#: Widest layer for which a dense member (a Cayley transform) is tried; the others are sparse (O(n) entries).
MAX_DENSE = 16
#: Widest layer for which matrix members (n x n, applied at O(n^2 d) cost) are tried for a refutation.
MAX_SEARCH = 64
#: The named families of transforms.
FAMILIES = ("orthogonal", "permutation", "isotropic_scaling", "translation", "invertible_linear")
_OPST = frozenset({"orthogonal", "permutation", "isotropic_scaling", "translation"})
#: measure (its name; rsa by its RDM) -> the families it is proved invariant under (the design note's arguments).
INVARIANT: dict[str, frozenset[str]] = {
    "cka": _OPST, "angular_procrustes": _OPST, "svcca": _OPST, "rsa:euclidean": _OPST,
    "procrustes": frozenset({"orthogonal", "permutation", "translation"}), "cca": _OPST | {"invertible_linear"},
    "match_similarity": frozenset({"permutation", "isotropic_scaling"}),
    "mutual_knn": frozenset({"orthogonal", "permutation", "isotropic_scaling"}),
    "rsa:correlation": frozenset({"permutation", "isotropic_scaling"}),
}
#: The argument behind each entry of :data:`INVARIANT`, for explanations.
PROOFS = {
    "cka": "CKA depends on X only through its centred Gram X_c X_c^T, and is unchanged when it is scaled",
    "angular_procrustes": "||X_c^T Y_c||_* / (|X_c| |Y_c|) depends on X only through X_c X_c^T, and is scale-free",
    "procrustes": "the Procrustes distance depends on X only through its centred Gram X_c X_c^T",
    "rsa:euclidean": "squared distances between points depend only on the centred Gram; Pearson and ranks are scale-free",
    "cca": "canonical correlations depend only on the span of the centred neurons, which every invertible map keeps",
    "svcca": "the top-k right singular subspace of X_c is kept by orthogonal maps and by scaling",
    "match_similarity": "the maximum match is relabelled by a permutation; spans and relative distances are scale-free",
    "mutual_knn": "cosines between points are kept by orthogonal maps and by c != 0",
    "rsa:correlation": "Pearson correlations across features are kept by permuting features and by c != 0",
}


@dataclass(frozen=True)
class InvarianceParams:
    measure: Quantity
    #: ("matrix", rows of Fractions), ("translation", a vector) or ("scale", a Fraction)
    transform: tuple[str, Any]


def transformed(A: Matrix, how: str, data: Any) -> Matrix:
    """The activation matrix (rows = neurons) of the transformed representation.

    >>> [[str(x) for x in r] for r in transformed(((1, 2), (3, 4)), "matrix", ((0, 1), (1, 0)))]
    [['3', '4'], ['1', '2']]
    """
    if how == "scale":
        return tuple(tuple(data * x for x in row) for row in A)
    if how == "translation":
        return tuple(tuple(x + t for x in row) for row, t in zip(A, data))
    d = len(A[0]) if A else 0
    cols = len(data[0]) if data else 0  # X T: new neuron j = sum_i T[i][j] * neuron i
    return tuple(tuple(sum((data[i][j] * A[i][p] for i in range(len(A)) if data[i][j]), Fraction(0)) for p in range(d))
                 for j in range(cols))


def measure_key(q: Quantity) -> str:
    """The measure's entry in :data:`INVARIANT`: its name, or ``rsa:RDM``."""
    return q.spec.split(",")[0] if q.spec.startswith("rsa:") else q.spec.split(":")[0]


def _inverse(T: Any) -> Matrix | None:
    n = len(T)
    R, piv = rref([tuple(row) + tuple(Fraction(int(i == j)) for j in range(n)) for i, row in enumerate(T)])
    return tuple(tuple(r[n:]) for r in R) if piv[:n] == tuple(range(n)) and len(R) == n else None


def _identity(n: int) -> list[list[Fraction]]:
    return [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]


def members(family: str, n: int) -> list[tuple[str, Any, Any]]:
    """Rational members ``(how, value, inverse)`` of a family tried for a refutation (inverse: for invertible_linear).

    >>> [how for how, _, _ in members("translation", 2)], len(members("orthogonal", 3))
    (['translation', 'translation', 'translation'], 7)
    """
    if family == "isotropic_scaling":
        return [("scale", Fraction(c), None) for c in (2, -1, Fraction(1, 2), 3)]
    if family == "translation":
        return [("translation", tuple(Fraction(int(i == k)) for i in range(n)), None) for k in range(min(n, 2))] + \
            [("translation", tuple(Fraction(i + 1) for i in range(n)), None)]
    perms = []
    for cycle in ([1, 0] + list(range(2, n)), list(range(1, n)) + [0]) if n > 1 else ():
        P = tuple(tuple(Fraction(int(cycle[j] == i)) for j in range(n)) for i in range(n))
        perms.append(("matrix", P, tuple(zip(*P))))
    if family == "permutation":
        return perms
    reflection = _identity(n)
    reflection[0][0] = Fraction(-1)
    qs = [reflection]
    for a in (Fraction(1, 2), Fraction(2), Fraction(1, 3)) if n > 1 else ():  # plane rotations by rational angles
        c, sn, Q = (1 - a * a) / (1 + a * a), 2 * a / (1 + a * a), _identity(n)
        Q[0][0], Q[0][1], Q[1][0], Q[1][1] = c, -sn, sn, c
        qs.append(Q)
    if 1 < n <= MAX_DENSE:  # a Cayley transform (I - S)(I + S)^-1 of the skew S with S_ij = sign(j - i) / 2
        S = [[Fraction((j > i) - (j < i), 2) for j in range(n)] for i in range(n)]
        inv = _inverse([[int(i == j) + S[i][j] for j in range(n)] for i in range(n)])
        if inv is None:  # I + S is invertible for skew S
            raise InternalError("internal error: I + S is singular for a skew S")
        qs.append([[sum((((i == k) - S[i][k]) * inv[k][j] for k in range(n)), Fraction(0)) for j in range(n)]
                   for i in range(n)])
    orth = [("matrix", tuple(map(tuple, Q)), tuple(zip(*Q))) for Q in qs] + perms
    if family == "orthogonal":
        return orth
    shear, diag = _identity(n), _identity(n)
    diag[0][0] = Fraction(2)
    lin = [("matrix", tuple(map(tuple, diag)), _inverse(diag))]
    if n > 1:
        shear[0][1] = Fraction(1)
        lin.append(("matrix", tuple(map(tuple, shear)), _inverse(shear)))
    return lin + orth


def read_transform(raw: Any, ctx: ParseContext) -> tuple[str, Any]:
    at = f"{ctx.where}: transform"
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ClaimFileError(f"{at}: expected one of {{matrix = [[...]]}}, {{translation = [...]}}, {{scale = c}}, "
                             f"{{family = F}}")
    read_fields(raw, {"matrix", "translation", "scale", "family"}, at)
    (how, value), = raw.items()
    width = ctx.widths[0]
    if how == "family":
        if value not in FAMILIES:
            raise ClaimFileError(f"{at}: family {value!r:.40} is not one of {', '.join(FAMILIES)}")
        return how, value
    if how == "scale":
        c = number(value, f"{at}: scale")
        if c == 0:
            raise ClaimFileError(f"{at}: scale 0 is not a transform to compare under")
        return how, c
    if how == "translation":
        t = matrix([value], f"{at}: translation")[0]
        if len(t) != width:
            raise ClaimFileError(f"{at}: translation has {len(t)} entries; the layer has {width} neurons")
        return how, t
    T = matrix(value, f"{at}: matrix")
    if len(T) != width or not T or not 1 <= len(T[0]) <= MAX_COLUMNS:
        raise ClaimFileError(f"{at}: matrix must have {width} rows (one per neuron) and 1 to {MAX_COLUMNS} columns")
    return how, T


def _member_json(how: str, d: Any) -> dict[str, Any]:
    return {how: s(d) if how == "scale" else [s(x) for x in d] if how == "translation" else [[s(x) for x in row] for row in d]}


def _member_text(how: str, d: Any) -> str:
    text = str(_member_json(how, d)[how]).replace("'", "")
    return f"{how} {text if len(text) <= 80 else text[:77] + '...'}"


class Invariance(ClaimKind):
    name = "invariance"
    params_type = InvarianceParams
    summary = ("a measure is unchanged by a transform (matrix, translation, scale, or every member of a family) of the "
               "first representation")
    fields = frozenset({"measure", "transform"})

    def parse(self, obj: Mapping[str, Any], ctx: ParseContext) -> InvarianceParams:
        q = read_quantity(ctx.require(obj, "measure", " (such as 'cka')"), f"{ctx.where}: measure")
        how, data = read_transform(ctx.require(obj, "transform"), ctx)
        return InvarianceParams(q, (how, data))

    def params_to_json(self, params: InvarianceParams) -> dict[str, Any]:
        how, d = params.transform
        return {"measure": params.measure.text, "transform": {"family": d} if how == "family" else _member_json(how, d)}

    def decide_problem(self, problem: Problem, claim: Claim, cache: dict[str, Any], detail: Any = None) -> Verdict:
        A, B = (acts_at(problem, cache, Site(n, claim.layer or 0)) for n in claim.networks)
        how, data = claim.params.transform
        return self._family(claim, A, B, data) if how == "family" else self._given(claim, A, B, how, data)

    def _family(self, claim: Claim, A: Matrix, B: Matrix, family: str) -> Verdict:
        """True by a proof (:data:`INVARIANT`), False by a member that changes the value, else undecided."""
        p = claim.params
        key, n = measure_key(p.measure), len(A)
        if family in INVARIANT.get(key, ()):
            try:
                evaluate(p.measure, A, B)  # the value must be defined
            except Unresolved as e:
                return Verdict(claim, None, f"undecided: {e}", {"undecided": str(e)[:200]})
            except InputError as e:  # undefined before any map: certified with the identity, a member of every family
                ident: tuple[str, Any] = ("matrix", _identity(n))
                if family in ("isotropic_scaling", "translation"):
                    ident = ("scale", Fraction(1)) if family == "isotropic_scaling" else ("translation", (Fraction(0),) * n)
                w: dict[str, Any] = {"family": family, "member": _member_json(*ident), "undefined": str(e)[:200]}
                if family == "invertible_linear":
                    w["inverse"] = w["member"]["matrix"]
                return Verdict(claim, False, f"a value is undefined: {e}", w)
            return Verdict(claim, True, f"{p.measure.text} is unchanged by every {family.replace('_', ' ')} map: {PROOFS[key]}",
                           {"family": family, "proof": key})
        tried = members(family, n) if n <= MAX_SEARCH or family in ("isotropic_scaling", "translation") else []
        for how, value, inverse in tried:
            v = self._given(claim, A, B, how, value)
            if v.holds is False:
                w = {"family": family, "member": _member_json(how, value), **(v.witness or {})}
                if family == "invertible_linear":
                    w["inverse"] = [[s(x) for x in r] for r in inverse]
                return Verdict(claim, False, f"the {family.replace('_', ' ')} member {_member_text(how, value)} changes it: "
                               f"{v.explanation}", w)
        return Verdict(claim, None, f"undecided: no proof that {p.measure.text} is unchanged by every "
                       f"{family.replace('_', ' ')} map, and none of the {len(tried)} members tried changes it"
                       + ("" if tried else f" (matrix members are tried up to {MAX_SEARCH} neurons)"),
                       {"family": family, "tried": len(tried)})

    def _given(self, claim: Claim, A: Matrix, B: Matrix, how: str, data: Any) -> Verdict:
        p = claim.params
        TA = transformed(A, how, data)
        evaluators = [lambda width, M=M: evaluate(p.measure, M, B, width) for M in (A, TA)]
        try:
            sgn, (before, after) = decide_sign(evaluators, lambda vs: difference_sign(vs[1], vs[0]))
        except Unresolved as e:  # an ill-defined spectral measure, or a bracket too wide: no verdict
            return Verdict(claim, None, f"undecided: {e}", {"undecided": str(e)[:200]})
        except InputError as e:
            return Verdict(claim, False, f"a value is undefined: {e}", {"undefined": str(e)[:200]})
        w: dict[str, Any] = {"before": before.evidence, "after": after.evidence}
        text = f"{p.measure.text} = {value_text(before)} before the {how}, {value_text(after)} after"
        if sgn is None:
            return Verdict(claim, None, text + ": brackets cannot show equality: undecided", w)
        w["sign"] = sgn
        return Verdict(claim, sgn == 0, text + (": unchanged" if sgn == 0 else ": changed"), w)

    def explain(self, claim: Mapping[str, Any], result: Mapping[str, Any], acts: list) -> list[str]:
        w = result["witness"]
        (how, _), = claim["transform"].items()
        if "proof" in w:
            return [f"`{claim['measure']}` is unchanged by every {w['family'].replace('_', ' ')} map, on every instance "
                    f"where it is defined (it is defined here): {PROOFS.get(w['proof'], w['proof'])}."]
        if "member" in w:
            (how, value), = w["member"].items()
            return [f"The {w['family'].replace('_', ' ')} member {how} = {json.dumps(value)[:400]} "
                    f"(checked to belong to the family) changes it:"] + self._given_lines(claim["measure"], how, w)
        return self._given_lines(claim["measure"], how, w)

    def _given_lines(self, measure: str, how: str, w: Mapping[str, Any]) -> list[str]:
        return [f"`{measure}` before the {how}: {w.get('before', {}).get('value', 'undefined or bracketed')}; "
                f"after: {w.get('after', {}).get('value', 'undefined or bracketed')} (values of the measure, exact)."]

    def draw(self, draw: Any, ctx: DrawContext) -> dict[str, Any]:
        st = ctx.st
        n = ctx.width
        kinds = ["scale", "translation", "matrix", "family"]
        how = draw(st.sampled_from(kinds))
        if how == "family":
            value: Any = draw(st.sampled_from(list(FAMILIES)))
        elif how == "scale":
            value = draw(st.sampled_from(["2", "-1", "1/3"]))
        elif how == "translation":
            value = [draw(st.sampled_from(["0", "1", "-1/2"])) for _ in range(n)]
        else:
            value = [[draw(st.sampled_from(["0", "1", "-1"])) for _ in range(n)] for _ in range(n)]
        return {"measure": draw(st.sampled_from(["cka", "match_similarity:0", "1 - cka"])), "transform": {how: value}}


KIND = Invariance()
