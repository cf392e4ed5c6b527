"""One error hierarchy for everything a user can get wrong, and for symrep's own self-checks.

Every error that reaches the command line is a :class:`SymrepError`; the CLI
prints its message and exits with status 2, never a traceback.  Messages name
the place of the mistake (file, claim or network, field) so a user can find it.

::

    SymrepError
    +-- InputError (also a ValueError)      a value symrep cannot accept
    |   +-- ShapeError                      sizes that do not fit together
    |   +-- ClaimFileError                  a claim file that cannot be read or understood
    +-- CertificateError                    a certificate that cannot be produced or read
    |   +-- CertificateRejected (ValueError) a witness that does not prove its verdict
    +-- MissingDependency (ImportError)     an optional package that is not installed
    +-- InternalError                       a self-check of symrep failed (a bug, never a wrong answer)
    |   +-- LPError                         ... inside the exact LP
    +-- NotVerified (AssertionError)        symrep.testing: a verdict is not as a test expects

The second base classes keep ``except ValueError`` / ``except ImportError`` code
written against symrep 0.1 working; :class:`NotVerified` is an ``AssertionError``
on purpose, because it is raised by test helpers and must read as a test failure.

>>> issubclass(ShapeError, InputError) and issubclass(LPError, InternalError)
True
>>> all(issubclass(e, SymrepError) for e in (CertificateRejected, MissingDependency, NotVerified))
True
"""

from __future__ import annotations

__all__ = [
    "SymrepError",
    "InputError",
    "ShapeError",
    "ClaimFileError",
    "CertificateError",
    "CertificateRejected",
    "MissingDependency",
    "InternalError",
    "LPError",
    "NotVerified",
    "Unresolved",
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


class CertificateRejected(CertificateError, ValueError):
    """The witness does not prove the verdict (the message says where and why)."""


class MissingDependency(SymrepError, ImportError):
    """An optional package (NumPy, PyTorch, ONNX) that a function needs is not installed."""


class InternalError(SymrepError):
    """A self-check of symrep failed: a bug in symrep, which stops the computation instead of answering wrongly.

    symrep verifies what its fast paths propose (modular ranks, simplex points,
    witnesses) before it answers; when a verification fails where the mathematics
    says it cannot, this error is raised with a message starting ``internal error:``.
    """


class LPError(InternalError):
    """An internal consistency check of the exact LP failed (a bug, never a wrong answer)."""


class NotVerified(SymrepError, AssertionError):
    """A verdict is not the one the claims expect, or a certificate does not check (:mod:`symrep.testing`)."""


class Unresolved(InputError):
    """A value no verdict can rest on (an ill-defined measure, a bracket that cannot be narrowed enough): undecided."""


def located(where: str | None, message: str) -> str:
    """Prefix *message* with a location such as ``"claims.toml: claim 'c1': equals"``.

    >>> located("claims.toml: claim 'c1'", "equals is not a number")
    "claims.toml: claim 'c1': equals is not a number"
    >>> located(None, "no location")
    'no location'
    """
    return f"{where}: {message}" if where else message
