"""A small repository with known drift, scanned for the report tests, and helpers over it.

Two PostgreSQL sources (a migration stream and a Prisma schema mapping `assets`, which no
migration creates: DBD101), a migration that does not parse (a read error), a view (a note)
and a MySQL snapshot sharing no table with them (a second group, not compared).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from dbdrift.scan import ScanResult, scan
from trees import write

PRISMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    String @id @db.Uuid
  email String
  @@map("users")
}

model Asset {
  id  String @id
  url String
  @@map("assets")
}
"""

REPO: dict[str, str | bytes] = {
    "db/migrations/001_init.sql": (
        "CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL);\n"
    ),
    "db/migrations/002_orders.sql": (
        "CREATE TABLE orders (id uuid PRIMARY KEY,"
        " user_id uuid NOT NULL REFERENCES users (id), total numeric(12,2) NOT NULL);\n"
        "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;\n"
        "CREATE TABLEX broken (id int);\n"
    ),
    "prisma/schema.prisma": PRISMA,
    "analytics/schema.sql": (
        "CREATE TABLE events (id bigint AUTO_INCREMENT PRIMARY KEY,"
        " name varchar(50) NOT NULL) ENGINE=InnoDB;\n"
    ),
    "db/seed.sql": "INSERT INTO users (id, email) VALUES ('1', 'a@example.com');\n",
}


def scan_repo(root: Path, files: dict[str, str | bytes] | None = None) -> ScanResult:
    """Write `files` (default `REPO`) under `root` and scan it."""
    return scan(write(root, REPO if files is None else files))


def recount(doc: dict[str, Any]) -> dict[str, Any]:
    """Numbers recomputed from a JSON report's raw parts, independent of its summaries."""
    tally = Counter(f["severity"] for f in doc["findings"])
    present: Counter[str] = Counter()
    covered: dict[str, tuple[int, int]] = {}
    for group in doc["groups"]:
        rows = doc["matrix"][group["id"]]
        canonical_rows = [cells for cells in rows.values() if cells[group["canonical"]]["present"]]
        for member in group["members"]:
            present[member] = sum(1 for cells in rows.values() if cells[member]["present"])
            have = sum(1 for cells in canonical_rows if cells[member]["present"])
            covered[member] = (have, len(canonical_rows))
    return {"severities": tally, "tables": present, "covered": covered}
