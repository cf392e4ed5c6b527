"""Exact integer forms of binary-float arrays by ``ldexp`` (no rounding anywhere), for :mod:`intmat`.

Design note
-----------
A non-zero binary float with exponent field ``E`` (bias ``beta``, ``k`` stored mantissa
bits) is a multiple of ``2**(max(E, 1) - beta - k)`` (subnormals, ``E = 0``, included) and
below ``2**(E - beta + 1)``.  The magnitude bits of a float (its bits without the sign)
are ordered as its absolute value, so the smallest and largest exponent fields among the
non-zero entries of a row are those of its smallest non-zero and its largest magnitude:
``min(mag - 1) + 1`` in unsigned arithmetic (a zero wraps to the top) and ``max(mag)``, two
reductions instead of one exponent per entry.  With ``low`` the smallest such power over
a row (or over the matrix), every ``x * 2**-low`` is an integer, and ``ldexp`` computes it
exactly in float64 (a change of exponent: the result is at least 1 and below
``2**(e_max - low)``, so it neither underflows nor overflows; float16/32 widen to float64
exactly).  When ``e_max - low <= 61`` every such integer is below ``2**61`` and its
conversion to int64 is exact; otherwise None is returned and the caller reads the bits
one by one (:func:`symrep.exact.intmat.scaled_ints`).  The caller then strips the power
of two common to each row, which makes the result the same whatever ``low`` was.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["frexp_ints"]

# (unsigned view, stored mantissa bits, exponent bits) of the formats read here
_FORMATS = {2: (np.uint16, 10, 5), 4: (np.uint32, 23, 8), 8: (np.uint64, 52, 11)}
_ROWS_AT_ONCE = 1 << 19  # entries per step: keeps the temporaries small


def frexp_ints(a: np.ndarray, per_row: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """``(V, low)``, int64, with ``a[i] == V[i] * 2**low[i]`` exactly, or None when an entry would need 62 bits or more.

    ``a``: a finite 2-D float16/32/64 array (checked by the caller).  ``low`` is shared by
    every row when ``per_row`` is false; rows of zeros get ``low = 0``.

    >>> V, low = frexp_ints(np.array([[0.5, 1.5], [0.0, -0.0]], dtype=np.float32), True)
    >>> (V * 2.0 ** low[:, None]).tolist(), V.dtype.name
    ([[0.5, 1.5], [0.0, 0.0]], 'int64')
    >>> frexp_ints(np.array([[2.0**-40, 2.0**40]]), True) is None
    True
    """
    n, d = a.shape
    utype, k, ebits = _FORMATS[a.dtype.itemsize]
    bias = (1 << (ebits - 1)) - 1
    bits = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("=")).view(utype)
    mask: Any = utype((1 << (k + ebits)) - 1)
    step = max(1, _ROWS_AT_ONCE // max(d, 1))
    least = np.empty(n, dtype=np.int64)
    most = np.empty(n, dtype=np.int64)
    for r in range(0, n, step):
        mag = bits[r:r + step] & mask
        most[r:r + step] = mag.max(axis=1, initial=0)
        mag -= utype(1)  # unsigned: zeros wrap to the top, above mask
        least[r:r + step] = mag.min(axis=1, initial=int(mask))  # mask - 1 or less unless the row is zero
    if not per_row:
        least[:] = least.min(initial=int(mask))
        most[:] = most.max(initial=0)
    empty = most == 0
    low = np.where(empty, 0, np.maximum(np.where(empty, 0, least + 1) >> k, 1) - bias - k)
    high = (most >> k) - bias + 1  # every |x| < 2**high
    if n and int(np.where(empty, 0, high - low).max()) > 61:
        return None
    V = np.empty((n, d), dtype=np.int64)
    for r in range(0, n, step):
        V[r:r + step] = np.ldexp(np.asarray(a[r:r + step], dtype=np.float64), -low[r:r + step, None])  # exact integers
    return V, low
