"""The PostgreSQL replay (see replay.py); the SQL reader's dispatcher loads `Replay` from here."""

from __future__ import annotations

from dbdrift.readers.sql.postgres.replay import Replay

__all__ = ["Replay"]
