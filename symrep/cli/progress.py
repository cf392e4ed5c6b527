"""The progress bar of the ``symrep`` command: one line on standard error, shown only on a terminal.

The library never draws anything: it takes a ``progress(done, total)`` callback (and, for
long claims, a ``detail(text)`` one); :class:`Progress` is the command's implementation.
"""

from __future__ import annotations

import sys


class Progress:
    """A one-line progress bar on standard error, shown only on a terminal."""

    def __init__(self, label: str, enabled: bool | None = None):
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        width = 30
        filled = width * done // total
        self.line = f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        sys.stderr.write("\r" + self.line.ljust(79)[:79])
        sys.stderr.flush()
        self.shown = True

    def detail(self, text: str) -> None:
        """Show what a long step is doing, after the bar."""
        if self.enabled:
            sys.stderr.write("\r" + f"{getattr(self, 'line', self.label)}: {text}".ljust(79)[:79])
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()
