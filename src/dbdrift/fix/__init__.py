"""Fix writers: one structured `Edit` shown as a snippet in its target's own language.

Checks describe a change once (findings.py, `Edit`); each writer here spells it for one
kind of source -- SQL for migration streams and snapshots, a field or model for Prisma, a
``Column(...)`` or class for SQLAlchemy -- so a report shows the fix as the user would
write it.  A kind without a writer gets a plain sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dbdrift.findings import Edit


@dataclass(frozen=True, slots=True)
class Snippet:
    """A fix as text: `language` is ``sql``, ``prisma``, ``python`` or ``text``; `unsafe`
    marks a change that can lose data or needs a backfill."""

    language: str
    text: str
    unsafe: bool = False


def render(edit: Edit) -> Snippet:
    """The snippet that carries out `edit` in its source's language."""
    unsafe = edit.unsafe or edit.action.startswith("drop-")
    writer = _writer(edit.kind)
    if writer is None or edit.action == "edit-source":
        return Snippet("text", describe(edit), unsafe)
    try:
        language, text = writer(edit)
    except ValueError:  # an edit without the column or key its action needs
        return Snippet("text", describe(edit), unsafe)
    return Snippet(language, text, unsafe)


def _writer(kind: str) -> Callable[[Edit], tuple[str, str]] | None:
    if kind in ("sql-migrations", "sql-schema"):
        from dbdrift.fix import sql

        return sql.write
    if kind == "prisma":
        from dbdrift.fix import prisma

        return prisma.write
    if kind == "sqlalchemy":
        from dbdrift.fix import sqlalchemy

        return sqlalchemy.write
    return None


_SENTENCES = {
    "add-table": "Add the table {table} to {source}.",
    "drop-table": "Remove the table {table} from {source}.",
    "map-table": "Map the table {old} in {source} to the name {table}.",
    "add-column": "Add the column {table}.{column} ({type}) to {source}.",
    "drop-column": "Remove the column {table}.{column} from {source}.",
    "map-column": "Map the column {table}.{old} in {source} to the name {column}.",
    "alter-column": "Change the column {table}.{column} in {source} to {type}.",
    "add-foreign-key": "Add the foreign key {fk} to {table} in {source}.",
    "drop-foreign-key": "Remove the foreign key {fk} from {table} in {source}.",
    "regenerate": "Regenerate {source} from {old}.",
    "edit-source": "Edit {table} in {source}.",
}


def describe(edit: Edit) -> str:
    """The edit as one plain sentence, for kinds no writer knows (and `edit-source`)."""
    column = edit.column
    fk = edit.foreign_key
    fk_text = ""
    if fk is not None:
        fk_text = f"({', '.join(fk.columns)}) -> {fk.ref_table}({', '.join(fk.ref_columns)})" + (
            f" ON DELETE {fk.on_delete}" if fk.on_delete != "NO ACTION" else ""
        )
    template = _SENTENCES.get(edit.action, "{action} {table} in {source}.")
    text = template.format(
        action=edit.action,
        table=edit.table.name,
        column=column.name if column else "",
        type=_column_text(edit),
        old=edit.old or "the source it is generated from",
        fk=fk_text,
        source=edit.source,
    )
    return f"{text} {edit.note}" if edit.note else text


def _column_text(edit: Edit) -> str:
    column = edit.column
    if column is None:
        return ""
    parts = [column.type.sql, "NOT NULL" if not column.nullable else "NULL"]
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    return " ".join(parts)
