"""The version of symrep, in one place: ``symrep.__version__`` and the package metadata (pyproject.toml) read it.

Only a literal assignment here: setuptools reads it without importing symrep.
"""

__version__ = "0.1.0"
