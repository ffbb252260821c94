"""The PostgreSQL replay (see replay.py); the SQL reader's dispatcher loads `Replay` from here.

`Replay` is imported on first use, so that a module needing only the expression printer or
the naming rules (the Prisma reader) does not load the whole replay.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Replay"]


def __getattr__(name: str) -> Any:
    if name == "Replay":
        from dbdrift.readers.sql.postgres.replay import Replay

        return Replay
    raise AttributeError(name)
