"""One error hierarchy for everything a user can get wrong.

Every error that reaches the command line is a :class:`SymrepError`; the CLI
prints its message and exits with status 2, never a traceback.  Messages name
the place of the mistake (file, claim or network, field) so a user can find it.
"""

from __future__ import annotations

__all__ = [
    "SymrepError",
    "InputError",
    "ShapeError",
    "ClaimFileError",
    "CertificateError",
]


class SymrepError(Exception):
    """Base class of every error symrep raises on purpose."""


class InputError(SymrepError, ValueError):
    """A value given to symrep is not acceptable (not a number, NaN, too large ...)."""


class ShapeError(InputError):
    """Matrices or vectors whose sizes do not fit together."""


class ClaimFileError(InputError):
    """A claim file that cannot be read, parsed or understood."""


class CertificateError(SymrepError):
    """A certificate that cannot be produced or read."""


def located(where: str | None, message: str) -> str:
    """Prefix *message* with a location such as ``"claims.toml: claim 'c1': equals"``."""
    return f"{where}: {message}" if where else message
