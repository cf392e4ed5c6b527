"""Exact integer forms of binary-float arrays by ``frexp`` and ``ldexp`` (no rounding anywhere), for :mod:`intmat`.

Design note
-----------
A non-zero binary float ``x`` of a format with ``t`` significant digits (11, 24, 53 for
float16/32/64) is ``x = f * 2**e`` with ``1/2 <= |f| < 1`` (``numpy.frexp``, exact, for
subnormals too once widened to float64, which is exact for float16/32), and ``f * 2**t``
is an integer, so ``x`` is a multiple of ``2**(e - t)``.  With ``low`` the smallest
``e - t`` over the non-zero entries of a row (or of the matrix), every ``x * 2**-low`` is
an integer, and ``ldexp`` computes it exactly (a change of exponent: the result is at
least 1 and below ``2**(e_max - low)``, so it neither underflows nor overflows).  When
``e_max - low <= 61`` every such integer is below ``2**61`` and its conversion to int64
is exact; otherwise None is returned and the caller reads the bits one by one
(:func:`symrep.exact.intmat.scaled_ints`).  The caller then strips the power of two
common to each row, which makes the result the same whatever ``low`` was.
"""

from __future__ import annotations

import numpy as np

__all__ = ["frexp_ints"]

_DIGITS = {2: 11, 4: 24, 8: 53}
_ROWS_AT_ONCE = 1 << 19  # entries per step: keeps the temporaries small
_NONE = 1 << 20  # above every exponent of these formats (a row without a non-zero entry)


def frexp_ints(a: np.ndarray, per_row: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """``(V, low)``, int64, with ``a[i] == V[i] * 2**low[i]`` exactly, or None when an entry would need 62 bits or more.

    ``a``: a finite 2-D float16/32/64 array (checked by the caller).  ``low`` is shared by
    every row when ``per_row`` is false; rows of zeros get ``low = 0``.

    >>> V, low = frexp_ints(np.array([[0.5, 1.5], [0.0, 0.0]], dtype=np.float32), True)
    >>> (V * 2.0 ** low[:, None]).tolist(), V.dtype.name
    ([[0.5, 1.5], [0.0, 0.0]], 'int64')
    >>> frexp_ints(np.array([[2.0**-40, 2.0**40]]), True) is None
    True
    """
    n, d = a.shape
    t = _DIGITS[a.dtype.itemsize]
    step = max(1, _ROWS_AT_ONCE // max(d, 1))
    lows = np.empty(n, dtype=np.int64)
    highs = np.empty(n, dtype=np.int64)
    for r in range(0, n, step):
        x = np.asarray(a[r:r + step], dtype=np.float64)
        e = np.frexp(x)[1]
        nz = x != 0
        lows[r:r + step] = np.where(nz, e, _NONE).min(axis=1, initial=_NONE)
        highs[r:r + step] = np.where(nz, e, -_NONE).max(axis=1, initial=-_NONE)
    if not per_row:
        lows[:] = lows.min(initial=_NONE)
    empty = lows == _NONE
    low = np.where(empty, 0, lows - t)
    if n and int(np.where(empty, 0, highs - low).max()) > 61:
        return None
    V = np.empty((n, d), dtype=np.int64)
    for r in range(0, n, step):
        V[r:r + step] = np.ldexp(np.asarray(a[r:r + step], dtype=np.float64), -low[r:r + step, None])  # exact integers
    return V, low
