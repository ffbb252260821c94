"""The SQLite replay (see replay.py); the SQL reader's dispatcher loads `Replay` from here."""

from __future__ import annotations

from dbdrift.readers.sql.sqlite.replay import Replay
from dbdrift.readers.sql.sqlite.statements import split

__all__ = ["Replay", "split"]
