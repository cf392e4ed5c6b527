"""``python -m symrep.cli``: the same as the ``symrep`` command."""

import sys

from symrep.cli.app import main

if __name__ == "__main__":
    sys.exit(main())
