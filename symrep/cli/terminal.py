"""Text for a terminal: lines fitted to its width, long exact numbers shown with a decimal beside them.

``--json`` always carries every number and witness in full; the table a person reads is cut to the
terminal (80 columns when standard output is not one, or ``COLUMNS``), and a fraction or integer of
more than :data:`LONG` characters is shown as a decimal with its size, so that a CKA^2 of hundreds
of digits does not fill the screen.  Nothing here changes a verdict: it only prints.
"""

from __future__ import annotations

import re
import shutil
from fractions import Fraction

#: Exact numbers longer than this many characters are shown as a decimal with their size.
LONG = 24

_NUMBER = re.compile(r"-?\d+(?:/\d+)?")


def width() -> int:
    """The terminal's width (``COLUMNS`` first; 80 when standard output is not a terminal), at least 40."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def decimal(q: Fraction) -> str:
    """A short decimal for reading, marked approximate with '~'.

    >>> decimal(Fraction(1, 3)), decimal(Fraction(10**30, 3))
    ('~0.3333', '~3.333e+29')
    """
    if q == 0:
        return "~0"
    sign = "-" if q < 0 else ""
    q = abs(q)
    exp = len(str(q.numerator)) - len(str(q.denominator))
    if abs(exp) <= 6:
        return f"{sign}~{float(q):.4g}"
    mantissa = float(q / Fraction(10) ** exp)  # exact scaling first: no float overflow for huge values
    if mantissa < 1:
        mantissa, exp = mantissa * 10, exp - 1
    return f"{sign}~{mantissa:.4g}e{exp:+d}"


def readable_numbers(text: str, long: int = LONG) -> str:
    """*text* with every exact number longer than *long* characters replaced by a decimal and its size.

    >>> readable_numbers("CKA^2 = " + "1" * 30 + "/" + "3" * 31 + " exactly")
    'CKA^2 = ~0.03333 [exact: 62 characters, in --json] exactly'
    >>> readable_numbers("rank 3 of 1/2")
    'rank 3 of 1/2'
    """
    def one(m: re.Match) -> str:
        s = m.group(0)
        if len(s) <= long:
            return s
        return f"{decimal(Fraction(s))} [exact: {len(s)} characters, in --json]"

    return _NUMBER.sub(one, text)


def fit(text: str, columns: int | None = None) -> str:
    """*text* cut to *columns* characters (the terminal's width), ending in '...' when cut.

    >>> fit("a" * 100, 20)
    'aaaaaaaaaaaaaaaaa...'
    >>> fit("short", 20)
    'short'
    """
    columns = width() if columns is None else columns
    return text if len(text) <= columns else text[: max(0, columns - 3)] + "..."
