"""``python -m dbdrift``: the same command line as the ``dbdrift`` script."""

from __future__ import annotations

from dbdrift.cli import main

if __name__ == "__main__":
    main()
