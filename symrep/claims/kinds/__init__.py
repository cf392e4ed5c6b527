"""The claim kinds: one module each, one instance each in :data:`REGISTRY` (in the order listed here).

>>> list(REGISTRY)[:3]
['activations', 'dimension', 'identical']
>>> REGISTRY["maximum_match"].fields
frozenset({'equals'})
"""

from __future__ import annotations

from symrep.claims.kinds import (
    activations,
    angular_procrustes,
    approx_match,
    cca,
    cka,
    dimension,
    equal_functions,
    equivalence,
    exact_match,
    identical,
    invariance,
    isomorphic,
    match_similarity,
    maximum_approx_match,
    maximum_match,
    no_match,
    procrustes,
    pwcca,
    relation,
    shape,
    simple_match,
    simple_matches,
    svcca,
    triangle,
)
from symrep.claims.registry import ClaimKind

__all__ = ["REGISTRY", "kind"]

#: Every claim kind by name, in the order of the docs.
REGISTRY: dict[str, ClaimKind] = {
    m.KIND.name: m.KIND
    for m in (
        activations, dimension, identical, exact_match, maximum_match, no_match, isomorphic,
        approx_match, maximum_approx_match, match_similarity, simple_match, simple_matches,
        equivalence, cka, equal_functions, relation, triangle, invariance,
        procrustes, angular_procrustes, cca, svcca, pwcca, shape,
    )
}


def kind(name: str) -> ClaimKind:
    """The kind called *name* (KeyError if there is none)."""
    return REGISTRY[name]
