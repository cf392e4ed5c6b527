"""The ``symrep`` command line."""

from symrep.cli.app import (
    main,
)

__all__ = ["main"]
