"""What the PostgreSQL replay's modules share: its error, its state, its tables of names."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dbdrift.readers.sql.catalog import Key
from dbdrift.readers.sql.postgres.expr import const_value
from dbdrift.types import Type

log = logging.getLogger(__name__)

Node = dict[str, Any]

# pg_constraint confdeltype/confupdtype letters as the parse tree carries them.
ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

# TableLikeOption bits (parsenodes.h).
LIKE_CONSTRAINTS, LIKE_DEFAULTS, LIKE_GENERATED, LIKE_IDENTITY, LIKE_INDEXES = (
    4,
    8,
    16,
    32,
    64,
)

# What each statement the replay does not model is called in a note.
NOTE_KINDS = {
    "CreateFunctionStmt": "function",
    "CreateTrigStmt": "trigger",
    "ViewStmt": "view",
    "CreateTableAsStmt": "view",
    "RefreshMatViewStmt": "view",
    "DoStmt": "do-block",
    "CreateExtensionStmt": "extension",
    "AlterExtensionStmt": "extension",
    "CommentStmt": "comment",
    "InsertStmt": "data",
    "UpdateStmt": "data",
    "DeleteStmt": "data",
    "MergeStmt": "data",
    "CopyStmt": "data",
    "SelectStmt": "data",
    "TruncateStmt": "data",
    "GrantStmt": "grant",
    "GrantRoleStmt": "grant",
    "AlterDefaultPrivilegesStmt": "grant",
    "CreateRoleStmt": "role",
    "AlterRoleStmt": "role",
    "CreatePolicyStmt": "policy",
    "AlterPolicyStmt": "policy",
    "CreateSeqStmt": "sequence",
    "AlterSeqStmt": "sequence",
    "AlterOwnerStmt": "owner",
    "CreatePublicationStmt": "publication",
    "CreateEventTrigStmt": "trigger",
    "RuleStmt": "rule",
    "CreateStatsStmt": "statistics",
    "AlterFunctionStmt": "function",
    "CallStmt": "data",
    "VacuumStmt": "maintenance",
    "ClusterStmt": "maintenance",
    "ReindexStmt": "maintenance",
    "LockStmt": "lock",
    "NotifyStmt": "other",
    "SecLabelStmt": "other",
}

# ALTER TABLE actions that change nothing dbdrift models (owner, RLS, storage ...).
NOOP_ACTIONS = frozenset(
    {
        "AT_ChangeOwner",
        "AT_EnableRowSecurity",
        "AT_DisableRowSecurity",
        "AT_ForceRowSecurity",
        "AT_NoForceRowSecurity",
        "AT_ValidateConstraint",
        "AT_SetStatistics",
        "AT_SetStorage",
        "AT_SetCompression",
        "AT_SetRelOptions",
        "AT_ResetRelOptions",
        "AT_ReplicaIdentity",
        "AT_ClusterOn",
        "AT_DropCluster",
        "AT_SetLogged",
        "AT_SetUnLogged",
        "AT_SetOptions",
        "AT_ResetOptions",
        "AT_EnableTrig",
        "AT_EnableAlwaysTrig",
        "AT_EnableReplicaTrig",
        "AT_DisableTrig",
        "AT_EnableTrigAll",
        "AT_DisableTrigAll",
        "AT_EnableTrigUser",
        "AT_DisableTrigUser",
        "AT_SetTableSpace",
        "AT_AlterConstraint",
    }
)

ABORTED = "current transaction is aborted, commands ignored until end of transaction block"

# Data statements by parse-tree kind, and the keyword their notes use.
DATA_KINDS = {
    "InsertStmt": "INSERT",
    "UpdateStmt": "UPDATE",
    "DeleteStmt": "DELETE",
    "MergeStmt": "MERGE",
    "CopyStmt": "COPY",
    "SelectStmt": "SELECT",
    "TruncateStmt": "TRUNCATE",
    "CallStmt": "CALL",
}


class ReplayError(Exception):
    """What PostgreSQL would refuse; the statement is abandoned and the replay goes on."""

    def __init__(self, message: str, location: int | None = None) -> None:
        super().__init__(message)
        self.location = location


@dataclass
class State:
    """Everything besides tables that lives in PostgreSQL's catalog and affects a replay."""

    schemas: set[str] = field(default_factory=lambda: {"public"})
    search_path: list[str] = field(default_factory=lambda: ["public"])
    relations: dict[Key, str] = field(default_factory=dict)  # pg_class names -> relkind
    index_table: dict[Key, Key] = field(default_factory=dict)  # index -> its table
    sequence_owner: dict[Key, tuple[Key, str]] = field(default_factory=dict)
    domains: dict[Key, Type] = field(default_factory=dict)
    views: set[Key] = field(default_factory=set)
    partitions: dict[Key, list[Key]] = field(default_factory=dict)  # parent -> partitions
    # Every (schema, constraint name) ever given: a name not in it is certainly free, so the
    # exact scan of the schema's tables is needed only for the rare name that is.
    seen_constraints: set[Key] = field(default_factory=set)
    # Tables that may hold a foreign key to a table (a superset: users check the keys).
    referrers: dict[Key, set[Key]] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)  # extension -> its schema


KEY_SUFFIX = re.compile(
    r"(\s+(ASC|DESC|NULLS\s+(FIRST|LAST)|COLLATE\s+\S+|[a-z_][a-z0-9_]*_ops))+\s*$", re.IGNORECASE
)


def expression_key(item: str) -> str:
    """An index item's expression without its ordering, collation or operator class."""
    text = KEY_SUFFIX.sub("", item).strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def star_source(query: Node) -> Node | None:
    """The table of a ``SELECT * FROM t`` query, or ``None`` for any other query."""
    select = query.get("SelectStmt")
    if not select or len(select.get("fromClause", [])) != 1:
        return None
    source = select["fromClause"][0].get("RangeVar")
    targets = select.get("targetList", [])
    if source is None or len(targets) != 1 or select.get("whereClause") is not None:
        return None
    fields = targets[0]["ResTarget"].get("val", {}).get("ColumnRef", {}).get("fields", [])
    return source if fields and "A_Star" in fields[-1] else None


def range_names(rv: Node) -> list[str]:
    return [rv["schemaname"], rv["relname"]] if rv.get("schemaname") else [rv["relname"]]


def strings(items: list[Node]) -> list[str]:
    return [i["String"]["sval"] for i in items]


def as_strings(names: tuple[str, ...]) -> list[Node]:
    return [{"String": {"sval": n}} for n in names]


def object_names(obj: Node) -> list[str]:
    if "List" in obj:
        return strings(obj["List"]["items"])
    if "TypeName" in obj:
        return strings(obj["TypeName"]["names"])
    if "String" in obj:
        return [obj["String"]["sval"]]
    return []


def column_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("ColumnRef")
        if ref is not None:
            fields = ref.get("fields", [])
            if fields and "String" in fields[-1]:
                yield fields[-1]["String"]["sval"]
            return
        for value in node.values():
            yield from column_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from column_refs(value)


def typmod(node: Node) -> int | str:
    const = node.get("A_Const")
    if const is not None:
        value = const_value(const)
        if value is not None and value[0] in ("int", "float", "str"):
            return value[1]
    if "ColumnRef" in node:
        return node["ColumnRef"]["fields"][0]["String"]["sval"]
    return 0


def display(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def describe(kind: str) -> str:
    """``CreateFunctionStmt`` -> ``create function``; ``OBJECT_MATVIEW`` -> ``matview``."""
    kind = kind.removeprefix("OBJECT_").removesuffix("Stmt")
    if kind.isupper():
        return kind.lower().replace("_", " ")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()


def first_location(node: Any) -> int | None:
    """The smallest parse-tree location inside `node` (where its text begins)."""
    best: int | None = None
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            location = item.get("location")
            if isinstance(location, int) and location >= 0 and (best is None or location < best):
                best = location
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return best
