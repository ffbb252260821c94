"""A synthetic SQLAlchemy model package for the reader's benchmark.

``write_package(folder, classes)`` writes ``models/`` with a ``base.py`` (a 2.0
``DeclarativeBase`` with a ``type_annotation_map``), a ``mixins.py`` and one module per 100
classes.  Each class is about 20 lines in the styles real code mixes: ``Mapped`` annotations
alone, ``mapped_column`` with types and foreign keys, 1.x ``Column``, ``__table_args__``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PER_MODULE = 100

BASE = """\
import datetime
import decimal

from sqlalchemy import DateTime, Numeric, String
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    type_annotation_map = {
        str: String(255),
        decimal.Decimal: Numeric(12, 2),
        datetime.datetime: DateTime(timezone=True),
    }
"""

MIXINS = """\
import datetime

from sqlalchemy import func
from sqlalchemy.orm import Mapped, mapped_column


class TimestampMixin:
    created_at: Mapped[datetime.datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime.datetime | None]
"""

HEADER = """\
from __future__ import annotations

import datetime
import decimal
from typing import Optional

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB

from .base import Base
from .mixins import TimestampMixin
"""


def model(i: int) -> str:
    """One model class of about 20 lines; every class after the first refers to the previous."""
    ref = f"table_{i - 1}.id" if i else f"table_{i}.id"
    return f'''

class Model{i}(TimestampMixin, Base):
    __tablename__ = "table_{i}"
    __table_args__ = (
        UniqueConstraint("code", "tenant_id"),
        Index("ix_table_{i}_name_status", "name", "status"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(index=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("{ref}", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str]
    status = Column(String(20), nullable=False, server_default="new")
    description: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[decimal.Decimal]
    quantity = Column(Integer, default=0)
    due_on: Mapped[Optional[datetime.date]]
    attributes: Mapped[dict | None] = mapped_column(JSONB)
'''


def write_package(folder: Path, classes: int) -> Path:
    """Write ``folder/models`` with `classes` model classes; return the package folder."""
    package = Path(folder) / "models"
    package.mkdir(parents=True, exist_ok=True)
    (package / "base.py").write_text(BASE)
    (package / "mixins.py").write_text(MIXINS)
    modules = []
    for start in range(0, classes, PER_MODULE):
        name = f"models_{start // PER_MODULE:03d}"
        modules.append(name)
        body = HEADER.replace(
            "from .base import Base",
            "from sqlalchemy.orm import Mapped, mapped_column\n\nfrom .base import Base",
        )
        body += "".join(model(i) for i in range(start, min(start + PER_MODULE, classes)))
        (package / f"{name}.py").write_text(body)
    init = "".join(f"from .{m} import *  # noqa: F403\n" for m in modules)
    (package / "__init__.py").write_text(init)
    return package


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--classes", type=int, default=2000)
    args = parser.parse_args()
    package = write_package(args.folder, args.classes)
    lines = sum(len(p.read_text().splitlines()) for p in package.glob("*.py"))
    print(f"wrote {args.classes} classes, {lines} lines, in {package}")


if __name__ == "__main__":
    main()
