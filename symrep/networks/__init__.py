"""Networks and the spaces their activations span: exact forward passes, subspaces, isomorphisms."""

from symrep.networks.network import (
    ACTIVATIONS,
    Layer,
    Network,
    activations,
    forward,
)
from symrep.networks.spaces import (
    Isomorphism,
    Subspace,
    isomorphism,
)

__all__ = ["ACTIVATIONS", "Isomorphism", "Layer", "Network", "Subspace", "activations", "forward", "isomorphism"]
