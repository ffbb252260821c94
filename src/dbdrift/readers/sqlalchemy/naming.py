"""``MetaData(naming_convention={...})``: the constraint and index names SQLAlchemy derives.

Without a convention only indexes get a name (``ix_%(column_0_label)s``) and PostgreSQL names
the rest (``users_pkey``).  With one, each kind with a template (``pk``, ``uq``, ``ix``,
``fk``, ``ck``) is named by it; a name given explicitly is kept unless the template uses
``%(constraint_name)s``.  https://docs.sqlalchemy.org/en/20/core/constraints.html#configuring-constraint-naming-conventions
"""

from __future__ import annotations

import hashlib
import re

DEFAULT = {"ix": "ix_%(column_0_label)s"}

_TOKEN = re.compile(r"%\((\w+)\)s")


def convention_name(
    convention: dict[str, str],
    kind: str,
    explicit: str | None,
    table: str,
    columns: list[str],
    referred: str | None = None,
    referred_columns: list[str] | None = None,
    schema: str | None = None,
    max_length: int = 63,
) -> str | None:
    """The name a constraint of `kind` gets; ``None`` leaves it to the database.  A name
    made by the template and longer than the dialect allows (`max_length`: 63 on PostgreSQL)
    is cut as SQLAlchemy's compiler cuts it (``_truncate_and_render_maxlen_name``).  A
    convention without an ``ix`` template keeps SQLAlchemy's default one for indexes."""
    template = convention.get(kind, DEFAULT.get(kind))
    if template is None:
        return explicit
    if explicit is not None and "%(constraint_name)s" not in template:
        return explicit
    label = f"{schema}_{table}" if schema else table
    values = {
        "table_name": table,
        "constraint_name": explicit or "",
        "referred_table_name": referred or "",
    }
    for prefix, names in (("column", columns), ("referred_column", referred_columns or [])):
        if names:
            values[f"{prefix}_0_name"] = names[0]
            values[f"{prefix}_0_key"] = names[0]
            values[f"{prefix}_0N_name"] = "".join(names)
            values[f"{prefix}_0_N_name"] = "_".join(names)
            values[f"{prefix}_0_label"] = f"{label}_{names[0]}"
            values[f"{prefix}_0N_label"] = "".join(f"{label}_{n}" for n in names)
            values[f"{prefix}_0_N_label"] = "_".join(f"{label}_{n}" for n in names)
    if kind in ("ck",) and explicit is None and "%(constraint_name)s" in template:
        return None  # SQLAlchemy refuses an unnamed CHECK under such a template
    try:
        name = _TOKEN.sub(lambda m: values[m.group(1)], template)
    except KeyError:
        return explicit
    if len(name) > max_length:
        digest = hashlib.md5(name.encode("utf-8"), usedforsecurity=False).hexdigest()
        name = name[: max_length - 8] + "_" + digest[-4:]
    return name
