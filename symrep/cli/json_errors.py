"""What ``--json`` prints on stdout for input a command cannot read: one JSON error object.

A script that reads stdout gets a document for bad input too, not an empty stream; the message
(naming the file and field) also goes to standard error, and the exit status is 2.
``symrep check --json`` reports an unreadable certificate inside its own document instead
(status ``"unreadable"``), since it checks several files at once.
"""

from __future__ import annotations

from typing import Any

#: The help text of ``--json`` for the commands that report bad input by :func:`error_json`.
JSON_HELP = 'print one JSON document (for bad input: {"ok": false, "error": {"message": ..., "exit_status": 2}})'


def error_json(message: str, exit_status: int = 2) -> dict[str, Any]:
    """The JSON document that ``--json`` prints on stdout for input a command cannot read.

    >>> error_json("a.toml: not valid TOML")
    {'ok': False, 'error': {'message': 'a.toml: not valid TOML', 'exit_status': 2}}
    """
    return {"ok": False, "error": {"message": message, "exit_status": exit_status}}
