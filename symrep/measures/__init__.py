"""Measures of representational similarity, decided exactly: subspace match (exact and eps),
simple matches, the equivalence ladder and CKA."""
