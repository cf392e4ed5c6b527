"""Proof certificates: writing them, and explaining them as Markdown proofs.

The independent checker that re-checks them is :mod:`symrep.checker` (one
standard-library-only file, kept at its stable path).
"""

from symrep.certificates.writer import (
    FORMAT,
    certificate,
    certify,
    dump_certificate,
)

__all__ = ["FORMAT", "certificate", "certify", "dump_certificate"]
