"""The MySQL / MariaDB replay (see replay.py); the SQL reader's dispatcher loads `Replay`
from here."""

from __future__ import annotations

from dbdrift.readers.sql.mysql.replay import Replay
from dbdrift.readers.sql.mysql.statements import split

__all__ = ["Replay", "split"]
