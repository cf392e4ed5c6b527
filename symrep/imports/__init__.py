"""Importers: activation files (NumPy), PyTorch and ONNX networks, every float converted exactly."""

from symrep.imports.loaders import (
    MAX_ENTRIES,
    MissingDependency,
    load_activation_rows,
    load_activations,
    load_torch,
    network_from_onnx,
    network_from_torch,
)

__all__ = [
    "MAX_ENTRIES",
    "MissingDependency",
    "load_activation_rows",
    "load_activations",
    "load_torch",
    "network_from_onnx",
    "network_from_torch",
]
