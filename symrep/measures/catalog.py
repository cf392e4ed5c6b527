"""Every measure symrep knows: importing this module imports each module that registers one.

A new measure module adds one import line here (and nothing else changes: ``compare --measures``,
the ``relation`` and ``triangle`` claims and ``symrep kinds`` read :data:`MEASURES`).
"""

from __future__ import annotations

import symrep.measures.alignment  # noqa: F401  (registers "match_similarity")
import symrep.measures.cca  # noqa: F401  (registers "cca", "svcca")
import symrep.measures.cka  # noqa: F401  (registers "cka")
import symrep.measures.procrustes  # noqa: F401  (registers "procrustes", "angular_procrustes")
from symrep.measures.values import MEASURES, Measure

__all__ = ["measures"]


def measures() -> dict[str, Measure]:
    """The table of registered measures, name -> :class:`~symrep.measures.values.Measure`.

    >>> "cka" in measures()
    True
    """
    return MEASURES
