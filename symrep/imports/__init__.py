"""Importers: activation matrices from NumPy files, networks from PyTorch and ONNX.

Design note
-----------
Everything imported here becomes exact rationals, with no rounding anywhere:

* A binary float (float16, float32, float64, bfloat16, x87 long double) *is* a
  dyadic rational ``M * 2**e``, so it is converted to exactly that rational:
  the float32 weight ``0.1f`` becomes ``13421773/134217728``, not ``1/10``.
  NaN and infinities are input errors.  Whoever reports results of imported
  networks should say that float weights were converted exactly, so that a
  reader does not mistake them for the decimals they print as.
* Orientation: an activation array in a file has one row per data point and
  one column per neuron (``layout="points-by-neurons"``, the default, as NumPy,
  scikit-learn, PyTorch and netrep store them; ``"neurons-by-points"`` reads the
  transpose); inside symrep it has one row per neuron.  A layer's weights are
  ``out x in``, which is also PyTorch's ``Linear.weight``.
  ONNX stores layers in either orientation (``Gemm`` with ``transB``,
  ``MatMul`` with the data on the left or right); the importer tracks whether
  the tensor flowing along the chain has data points as rows or as columns and
  transposes the weights accordingly.

Files may come from strangers, so nothing here runs code from a file:

* NumPy files are read with ``np.load(path, allow_pickle=False)``; before any
  data is read, the ``.npy`` header (or the header of every ``.npz`` member) is
  checked -- dtype, 2 dimensions, at most ``max_entries`` entries per array,
  ``max_arrays`` arrays and ``max_total`` entries in all -- so a compressed
  ``.npz`` cannot make symrep allocate a huge array.
* safetensors files are read by symrep's own reader (:mod:`symrep.imports.safetensors`):
  a bounded JSON header and raw little-endian numbers, nothing executed.
* PyTorch files are read only with ``torch.load(path, weights_only=True,
  map_location="cpu")``, which refuses anything but tensors and containers; a
  whole pickled ``nn.Module`` is refused with a hint to save its
  ``state_dict()``.
* ONNX files are protocol buffers, parsed by the ``onnx`` package without
  following references to external data files (such models are refused).

NumPy, PyTorch and ONNX are optional: each is imported inside the function that
needs it, and when missing a :class:`MissingDependency` error says which extra
to install (``pip install 'symrep[torch]'``).  A state dict whose values are
NumPy arrays needs no PyTorch at all.

Modules: :mod:`symrep.imports.numpy_files` (``.npy``/``.npz``), :mod:`symrep.imports.torch`,
:mod:`symrep.imports.onnx`, and :mod:`symrep.imports.common` (what they share).
"""

from symrep.imports.common import MissingDependency
from symrep.imports.numpy_files import (
    LAYOUTS,
    MAX_ARRAYS,
    MAX_ENTRIES,
    MAX_TOTAL,
    ActivationFile,
    ArrayInfo,
    Bounds,
    load_activation_rows,
    load_activations,
    read_activation_file,
)
from symrep.imports.onnx import network_from_onnx
from symrep.imports.torch import load_torch, network_from_torch

__all__ = [
    "LAYOUTS",
    "MAX_ARRAYS",
    "MAX_ENTRIES",
    "MAX_TOTAL",
    "ActivationFile",
    "ArrayInfo",
    "Bounds",
    "read_activation_file",
    "MissingDependency",
    "load_activation_rows",
    "load_activations",
    "load_torch",
    "network_from_onnx",
    "network_from_torch",
]
