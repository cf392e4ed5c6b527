"""Every measure symrep knows: importing this module imports each module that registers one.

A new measure module adds one import line here (and nothing else changes: ``compare --measures``,
the ``relation`` and ``triangle`` claims and ``symrep kinds`` read :data:`MEASURES`).
"""

from __future__ import annotations

from typing import Optional

import symrep.measures.alignment  # noqa: F401  (registers "match_similarity", "mutual_knn", "rsa")
import symrep.measures.cca  # noqa: F401  (registers "cca", "svcca")
import symrep.measures.cka  # noqa: F401  (registers "cka")
import symrep.measures.procrustes  # noqa: F401  (registers "procrustes", "angular_procrustes")
import symrep.measures.pwcca  # noqa: F401  (registers "pwcca")
import symrep.measures.shape  # noqa: F401  (registers "shape")
from symrep.errors import InputError
from symrep.measures.values import MEASURES, Measure

__all__ = ["lookup", "measures"]


def measures() -> dict[str, Measure]:
    """The table of registered measures, name -> :class:`~symrep.measures.values.Measure`.

    >>> "cka" in measures()
    True
    """
    return MEASURES


def lookup(spec: str, where: str = "measure") -> tuple[Measure, Optional[str]]:
    """The measure named by *spec* (``"cka"`` or ``"svcca:10"``) and its argument, or a clear error.

    >>> lookup("cka")[0].name
    'cka'
    """
    if not isinstance(spec, str) or not spec:
        raise InputError(f"{where}: a measure is named by text such as 'cka', not {spec!r}")
    name, _, arg = spec.partition(":")
    table = measures()
    if name not in table:
        raise InputError(f"{where}: unknown measure {name!r}; known: {', '.join(sorted(table))}")
    m = table[name]
    if arg and not m.takes_arg:
        raise InputError(f"{where}: measure {name!r} takes no argument (got {spec!r})")
    if m.takes_arg and not arg:
        raise InputError(f"{where}: measure {name!r} needs an argument, as in '{name}:10'")
    return m, (arg or None)
