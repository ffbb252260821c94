"""The static SQLAlchemy reader, one behaviour per test, on small model files.

The expected values are what SQLAlchemy's own ``metadata.create_all()`` produces on
PostgreSQL (the oracle tests check whole fixtures against the real library).
"""

from __future__ import annotations

import sys
import textwrap
import types
from pathlib import Path

from dbdrift.readers import read
from dbdrift.schema import Schema
from dbdrift.source import Source

HEAD = """\
import enum
import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Integer, String, Text, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, declarative_base, mapped_column
from typing import Optional
Base = declarative_base()
"""


def read_models(tmp_path: Path, files: dict[str, str]) -> Schema:
    for name, body in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body))
    source = Source("models", "sqlalchemy", "postgresql", tmp_path, tuple(sorted(files)))
    return read(source)


def one(tmp_path: Path, body: str) -> Schema:
    return read_models(tmp_path, {"models.py": HEAD + textwrap.dedent(body)})


def cols(schema: Schema, table: str) -> list[tuple[str, str, bool]]:
    found = schema.table(table)
    assert found is not None, [t.name for t in schema.tables]
    return [(c.name, c.type.sql, c.nullable) for c in found.columns]


def test_column_types_and_nullability(tmp_path):
    s = one(
        tmp_path,
        """
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            name = Column(String(80), nullable=False)
            bio = Column(Text)
    """,
    )
    assert cols(s, "users") == [
        ("id", "integer", False),
        ("name", "character varying(80)", False),
        ("bio", "text", True),
    ]


def test_integer_primary_key_is_a_serial(tmp_path):
    s = one(
        tmp_path,
        """
        class User(Base):
            __tablename__ = "users"
            id = Column(sa.BigInteger, primary_key=True)
    """,
    )
    assert s.table("users").columns[0].default == "nextval('users_id_seq'::regclass)"


def test_identity_column(tmp_path):
    s = one(
        tmp_path,
        """
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, sa.Identity(always=True), primary_key=True)
    """,
    )
    assert s.table("users").columns[0].identity == "always"


def test_positional_column_name_keeps_the_attribute(tmp_path):
    s = one(
        tmp_path,
        """
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            email = Column("email_address", String(255))
    """,
    )
    assert (s.table("users").columns[1].name, s.table("users").columns[1].attr) == (
        "email_address",
        "email",
    )


def test_mapped_annotation_optional_is_nullable(tmp_path):
    s = one(
        tmp_path,
        """
        class Post(Base):
            __tablename__ = "posts"
            id: Mapped[int] = mapped_column(primary_key=True)
            title: Mapped[str] = mapped_column(String(50))
            body: Mapped[Optional[str]]
            rank: Mapped[int | None]
    """,
    )
    assert cols(s, "posts")[1:] == [
        ("title", "character varying(50)", False),
        ("body", "character varying", True),
        ("rank", "integer", True),
    ]


def test_annotation_only_columns_follow_declarative_ordering(tmp_path):
    body = """
        class Post(Base):
            __tablename__ = "posts"
            id: Mapped[int] = mapped_column(primary_key=True)
            user_id: Mapped[int] = mapped_column()
            note: Mapped[str | None]
            data = mapped_column(sa.JSON)
    """
    real = types.ModuleType("dbdrift_test_ordering")
    sys.modules[real.__name__] = real  # SQLAlchemy resolves annotations through the module
    try:
        exec(HEAD + textwrap.dedent(body), real.__dict__)  # the test's own source
    finally:
        del sys.modules[real.__name__]
    expected = list(real.Post.__table__.c.keys())
    assert [c[0] for c in cols(one(tmp_path, body), "posts")] == expected


def test_server_defaults_are_spelled_as_stored(tmp_path):
    s = one(
        tmp_path,
        """
        class Item(Base):
            __tablename__ = "items"
            id = Column(Integer, primary_key=True)
            state = Column(String(10), server_default="new")
            qty = Column(Integer, server_default=text("0"))
            at = Column(sa.DateTime, server_default=func.now())
    """,
    )
    assert [c.default for c in s.table("items").columns[1:]] == [
        "'new'::character varying",
        "0",
        "now()",
    ]


def test_python_default_is_not_a_database_default(tmp_path):
    s = one(
        tmp_path,
        """
        class Item(Base):
            __tablename__ = "items"
            id = Column(Integer, primary_key=True)
            qty = Column(Integer, default=5)
    """,
    )
    assert s.table("items").columns[1].default is None


def test_foreign_key_with_ondelete(tmp_path):
    s = one(
        tmp_path,
        """
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
        class Post(Base):
            __tablename__ = "posts"
            id = Column(Integer, primary_key=True)
            user_id = Column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    """,
    )
    fk = s.table("posts").foreign_keys[0]
    assert (fk.name, fk.ref_table, fk.on_delete) == ("posts_user_id_fkey", "users", "CASCADE")


def test_foreign_key_only_column_takes_the_referenced_type(tmp_path):
    s = one(
        tmp_path,
        """
        class User(Base):
            __tablename__ = "users"
            id = Column(sa.BigInteger, primary_key=True)
        class Post(Base):
            __tablename__ = "posts"
            id = Column(Integer, primary_key=True)
            user_id = Column(ForeignKey(User.id))
    """,
    )
    assert cols(s, "posts")[1] == ("user_id", "bigint", True)


def test_unique_and_index_flags(tmp_path):
    s = one(
        tmp_path,
        """
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            email = Column(String, unique=True)
            org = Column(String, index=True)
    """,
    )
    t = s.table("users")
    assert ([u.name for u in t.uniques], [i.name for i in t.indexes]) == (
        ["users_email_key"],
        ["ix_users_org"],
    )


def test_table_args_tuple_with_schema_dict(tmp_path):
    s = one(
        tmp_path,
        """
        class Member(Base):
            __tablename__ = "members"
            __table_args__ = (
                sa.UniqueConstraint("org", "email", name="uq_member"),
                sa.Index("ix_member_org", "org"),
                sa.CheckConstraint("length(email) > 3", name="ck_email"),
                {"schema": "crm"},
            )
            id = Column(Integer, primary_key=True)
            org = Column(Integer)
            email = Column(String)
    """,
    )
    t = s.table("members")
    assert (
        t.schema,
        [u.name for u in t.uniques],
        [i.name for i in t.indexes],
        [c.name for c in t.checks],
    ) == (
        "crm",
        ["uq_member"],
        ["ix_member_org"],
        ["ck_email"],
    )


def test_composite_primary_key_constraint_is_not_serial(tmp_path):
    s = one(
        tmp_path,
        """
        class Link(Base):
            __tablename__ = "links"
            __table_args__ = (sa.PrimaryKeyConstraint("a", "b", name="links_pk"),)
            a = Column(Integer)
            b = Column(Integer)
    """,
    )
    t = s.table("links")
    assert (t.primary_key.name, t.primary_key.columns, t.columns[0].default) == (
        "links_pk",
        ("a", "b"),
        None,
    )


def test_imperative_table(tmp_path):
    s = one(
        tmp_path,
        """
        meta = sa.MetaData(schema="audit")
        log = sa.Table(
            "log", meta,
            Column("id", Integer, primary_key=True),
            Column("msg", Text, nullable=False),
        )
    """,
    )
    assert (s.tables[0].schema, cols(s, "log")) == (
        "audit",
        [("id", "integer", False), ("msg", "text", False)],
    )


def test_mixin_columns_come_after_own_columns(tmp_path):
    s = one(
        tmp_path,
        """
        class Stamped:
            created = Column(sa.DateTime, server_default=func.now())
        class User(Stamped, Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
    """,
    )
    assert [c[0] for c in cols(s, "users")] == ["id", "created"]


def test_declared_attr_tablename(tmp_path):
    s = one(
        tmp_path,
        """
        from sqlalchemy.orm import declared_attr
        class Named:
            @declared_attr
            def __tablename__(cls):
                return cls.__name__.lower()
        class Invoice(Named, Base):
            id = Column(Integer, primary_key=True)
    """,
    )
    assert [t.name for t in s.tables] == ["invoice"]


def test_abstract_base_is_not_a_table(tmp_path):
    s = one(
        tmp_path,
        """
        class Model(Base):
            __abstract__ = True
            id = Column(Integer, primary_key=True)
        class Tag(Model):
            __tablename__ = "tags"
            label = Column(String(20))
    """,
    )
    assert ([t.name for t in s.tables], [c[0] for c in cols(s, "tags")]) == (
        ["tags"],
        ["label", "id"],
    )


def test_single_table_inheritance_adds_columns_to_the_parent(tmp_path):
    s = one(
        tmp_path,
        """
        class Employee(Base):
            __tablename__ = "employees"
            id = Column(Integer, primary_key=True)
            kind = Column(String(10))
        class Manager(Employee):
            budget = Column(Integer)
    """,
    )
    assert ([t.name for t in s.tables], [c[0] for c in cols(s, "employees")]) == (
        ["employees"],
        ["id", "kind", "budget"],
    )


def test_joined_table_inheritance_gets_its_own_table(tmp_path):
    s = one(
        tmp_path,
        """
        class Employee(Base):
            __tablename__ = "employees"
            id = Column(Integer, primary_key=True)
        class Engineer(Employee):
            __tablename__ = "engineers"
            id = Column(Integer, ForeignKey("employees.id"), primary_key=True)
    """,
    )
    eng = s.table("engineers")
    assert (eng.columns[0].default, eng.foreign_keys[0].ref_table) == (None, "employees")


def test_class_enum_creates_a_type_named_after_the_class(tmp_path):
    s = one(
        tmp_path,
        """
        class Status(enum.Enum):
            active = 1
            gone = 2
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            status = Column(sa.Enum(Status))
    """,
    )
    assert (cols(s, "users")[1][1], [(e.name, e.values) for e in s.enums]) == (
        "status",
        [("status", ("active", "gone"))],
    )


def test_type_decorator_resolves_to_its_impl(tmp_path):
    s = one(
        tmp_path,
        """
        class GUID(sa.types.TypeDecorator):
            impl = sa.CHAR(32)
            cache_ok = True
        class User(Base):
            __tablename__ = "users"
            id = Column(GUID, primary_key=True)
    """,
    )
    assert cols(s, "users")[0][1] == "character(32)"


def test_type_alias_assigned_in_the_repository(tmp_path):
    s = one(
        tmp_path,
        """
        Money = sa.Numeric(12, 2)
        class Order(Base):
            __tablename__ = "orders"
            id = Column(Integer, primary_key=True)
            total = Column(Money)
    """,
    )
    assert cols(s, "orders")[1][1] == "numeric(12,2)"


def test_declarative_base_class_2_0(tmp_path):
    s = one(
        tmp_path,
        """
        class Model(DeclarativeBase):
            pass
        class Tag(Model):
            __tablename__ = "tags"
            id: Mapped[int] = mapped_column(primary_key=True)
    """,
    )
    assert [t.name for t in s.tables] == ["tags"]


def test_imports_across_files(tmp_path):
    s = read_models(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": "from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n",
            "app/types.py": (
                "from sqlalchemy.dialects.postgresql import UUID\nGUID = UUID(as_uuid=True)\n"
            ),
            "app/models.py": (
                "from sqlalchemy import Column\n"
                "from .db import Base\n"
                "from app.types import GUID\n"
                "class User(Base):\n"
                "    __tablename__ = 'users'\n"
                "    id = Column(GUID, primary_key=True)\n"
            ),
        },
    )
    assert cols(s, "users") == [("id", "uuid", False)]


def test_sqlmodel_table(tmp_path):
    s = read_models(
        tmp_path,
        {
            "m.py": """
        from typing import Optional
        from sqlmodel import Field, SQLModel
        class Hero(SQLModel, table=True):
            id: Optional[int] = Field(default=None, primary_key=True)
            name: str = Field(max_length=40, index=True)
            age: Optional[int] = None
        class HeroRead(SQLModel):
            id: int
    """
        },
    )
    assert cols(s, "hero") == [
        ("id", "integer", False),
        ("name", "character varying(40)", False),
        ("age", "integer", True),
    ]


def test_flask_sqlalchemy_model_gets_a_snake_case_name(tmp_path):
    s = read_models(
        tmp_path,
        {
            "m.py": """
        from flask_sqlalchemy import SQLAlchemy
        db = SQLAlchemy()
        class UserAccount(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """
        },
    )
    assert [t.name for t in s.tables] == ["user_account"]


def test_computed_table_name_is_a_located_note(tmp_path):
    s = one(
        tmp_path,
        """
        PREFIX = "x"
        class Thing(Base):
            __tablename__ = PREFIX + "_things"
            id = Column(Integer, primary_key=True)
    """,
    )
    assert [(n.kind, n.origin.line) for n in s.notes] == [("sqlalchemy-tablename", 10)]


def test_unknown_third_party_type_is_a_located_note(tmp_path):
    s = one(
        tmp_path,
        """
        from sqlalchemy_utils import EmailType
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            email = Column(EmailType)
    """,
    )
    assert [(n.kind, n.origin.line) for n in s.notes] == [("sqlalchemy-type", 12)]


def test_syntax_error_is_located_and_other_files_are_read(tmp_path):
    s = read_models(
        tmp_path,
        {
            "bad.py": "class Broken(:\n",
            "good.py": HEAD
            + "class T(Base):\n    __tablename__ = 't'\n"
            + "    id = Column(Integer, primary_key=True)\n",
        },
    )
    assert ([(e.origin.path, e.origin.line) for e in s.errors], [t.name for t in s.tables]) == (
        [("bad.py", 1)],
        ["t"],
    )


def test_circular_imports_do_not_loop(tmp_path):
    s = read_models(
        tmp_path,
        {
            "a.py": "from b import X\nY = X\n",
            "b.py": "from a import Y\nX = Y\n",
        },
    )
    assert s.tables == ()


def test_non_table_classes_are_ignored(tmp_path):
    s = read_models(
        tmp_path,
        {
            "m.py": """
        from pydantic import BaseModel
        from typing import TypedDict
        class A(BaseModel):
            x: int
        class B(TypedDict):
            y: str
    """
        },
    )
    assert s.tables == ()


def test_naming_convention_names_constraints(tmp_path):
    s = one(
        tmp_path,
        """
        class Model(DeclarativeBase):
            metadata = sa.MetaData(naming_convention={
                "pk": "pk_%(table_name)s",
                "uq": "uq_%(table_name)s_%(column_0_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            })
        class Org(Model):
            __tablename__ = "orgs"
            id = Column(Integer, primary_key=True)
            code = Column(String(5), unique=True)
        class Member(Model):
            __tablename__ = "members"
            id = Column(Integer, primary_key=True)
            org_id = Column(ForeignKey("orgs.id"))
    """,
    )
    org, member = s.table("orgs"), s.table("members")
    assert (org.primary_key.name, org.uniques[0].name, member.foreign_keys[0].name) == (
        "pk_orgs",
        "uq_orgs_code",
        "fk_members_org_id_orgs",
    )


def test_type_annotation_map_of_the_base(tmp_path):
    s = one(
        tmp_path,
        """
        import datetime
        class Model(DeclarativeBase):
            type_annotation_map = {datetime.datetime: sa.TIMESTAMP(timezone=True)}
        class Event(Model):
            __tablename__ = "events"
            id: Mapped[int] = mapped_column(primary_key=True)
            at: Mapped[datetime.datetime]
    """,
    )
    assert cols(s, "events")[1] == ("at", "timestamp with time zone", False)


def test_index_declared_after_the_class(tmp_path):
    s = one(
        tmp_path,
        """
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
            email = Column(String)
        sa.Index("ix_users_email_unique", User.email, unique=True)
    """,
    )
    ix = s.table("users").indexes[0]
    assert (ix.name, ix.columns, ix.unique) == ("ix_users_email_unique", ("email",), True)


def test_partial_index_predicate(tmp_path):
    s = one(
        tmp_path,
        """
        class Doc(Base):
            __tablename__ = "docs"
            id = Column(Integer, primary_key=True)
            state = Column(String(10))
            __table_args__ = (sa.Index("ix_live", "state", postgresql_where=text("state = 'x'")),)
    """,
    )
    assert s.table("docs").indexes[0].where is not None


def test_enum_values_from_a_starred_repository_tuple(tmp_path):
    s = one(
        tmp_path,
        """
        STATES = ("draft", "live")
        class Doc(Base):
            __tablename__ = "docs"
            id = Column(Integer, primary_key=True)
            state = Column(sa.Enum(*STATES, name="doc_state"))
    """,
    )
    assert [(e.name, e.values) for e in s.enums] == [("doc_state", ("draft", "live"))]


def test_unknown_type_keeps_the_column_with_its_spelling(tmp_path):
    s = one(
        tmp_path,
        """
        from geoalchemy2 import Geometry
        class Place(Base):
            __tablename__ = "places"
            id = Column(Integer, primary_key=True)
            shape = Column(Geometry("POINT"))
    """,
    )
    shape = s.table("places").columns[1]
    assert (shape.type.family, shape.type.sql) == ("other", "Geometry('POINT')")


def test_sequence_column_is_not_a_serial(tmp_path):
    s = one(
        tmp_path,
        """
        class Org(Base):
            __tablename__ = "orgs"
            id = Column(Integer, sa.Sequence("org_seq"), primary_key=True)
    """,
    )
    assert s.table("orgs").columns[0].default is None


def test_non_native_enum_of_a_class_uses_member_names(tmp_path):
    s = one(
        tmp_path,
        """
        class Kind(enum.Enum):
            ALPHA = "a"
            BETA_LONGER = "b"
        class Doc(Base):
            __tablename__ = "docs"
            id = Column(Integer, primary_key=True)
            kind = Column(sa.Enum(Kind, native_enum=False))
    """,
    )
    assert cols(s, "docs")[1][1] == "character varying(11)"


def test_mapped_column_with_foreign_key_takes_the_referenced_type(tmp_path):
    s = one(
        tmp_path,
        """
        class Product(Base):
            __tablename__ = "products"
            id = Column(sa.BigInteger, primary_key=True)
        class Line(Base):
            __tablename__ = "lines"
            id: Mapped[int] = mapped_column(primary_key=True)
            product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    """,
    )
    assert cols(s, "lines")[1] == ("product_id", "bigint", False)


def test_type_decorator_arguments_reach_a_class_impl(tmp_path):
    s = one(
        tmp_path,
        """
        class Secret(sa.types.TypeDecorator):
            impl = String
            cache_ok = True
        class Key(Base):
            __tablename__ = "keys"
            id = Column(Integer, primary_key=True)
            token = Column(Secret(128))
    """,
    )
    assert cols(s, "keys")[1][1] == "character varying(128)"


def test_registry_generate_base_and_mapped_decorator(tmp_path):
    s = one(
        tmp_path,
        """
        from sqlalchemy.orm import registry
        reg = registry()
        Gen = reg.generate_base()
        class Note(Gen):
            __tablename__ = "notes"
            id = Column(Integer, primary_key=True)
        @reg.mapped
        class Label:
            __tablename__ = "labels"
            id = Column(Integer, primary_key=True)
    """,
    )
    assert [t.name for t in s.tables] == ["notes", "labels"]


def test_type_postgresql_refuses_is_noted_and_the_column_kept(tmp_path):
    s = one(
        tmp_path,
        """
        class Log(Base):
            __tablename__ = "logs"
            id = Column(Integer, primary_key=True)
            at = Column(sa.DATETIME)
    """,
    )
    assert (cols(s, "logs")[1], [n.kind for n in s.notes]) == (
        ("at", "sa.DATETIME", True),
        ["sqlalchemy-type"],
    )


def test_column_without_a_type_is_noted(tmp_path):
    s = one(
        tmp_path,
        """
        class Thing(Base):
            __tablename__ = "things"
            id = Column(Integer, primary_key=True)
            blob = Column()
    """,
    )
    assert ([n.kind for n in s.notes], cols(s, "things")[1][1]) == (["sqlalchemy-type"], "NullType")


def test_enum_in_its_own_schema(tmp_path):
    s = one(
        tmp_path,
        """
        class Doc(Base):
            __tablename__ = "docs"
            id = Column(Integer, primary_key=True)
            state = Column(sa.Enum("a", "b", name="state", schema="meta"))
    """,
    )
    assert (cols(s, "docs")[1][1], s.errors) == ("meta.state", ())


def test_table_assigned_to_dunder_table_is_read_once(tmp_path):
    s = one(
        tmp_path,
        """
        users = sa.Table("users", Base.metadata, Column("id", Integer, primary_key=True))
        class User(Base):
            __table__ = users
    """,
    )
    assert ([t.name for t in s.tables], s.notes) == (["users"], ())


def test_computed_column_is_generated(tmp_path):
    s = one(
        tmp_path,
        """
        class Line(Base):
            __tablename__ = "lines"
            id = Column(Integer, primary_key=True)
            qty = Column(Integer)
            double = Column(Integer, sa.Computed("qty * 2"))
    """,
    )
    assert s.table("lines").columns[2].generated is not None


def test_column_check_constraint_is_named_by_postgresql(tmp_path):
    s = one(
        tmp_path,
        """
        class Line(Base):
            __tablename__ = "lines"
            id = Column(Integer, primary_key=True)
            qty = Column(Integer, sa.CheckConstraint("qty > 0"))
    """,
    )
    assert [c.name for c in s.table("lines").checks] == ["lines_qty_check"]


def test_star_imports_within_the_repository_and_from_sqlalchemy(tmp_path):
    s = read_models(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/base.py": "from sqlalchemy import *\nfrom sqlalchemy.orm import declarative_base\n"
            "Base = declarative_base()\n",
            "app/models.py": "from .base import *\n"
            "class Tag(Base):\n    __tablename__ = 'tags'\n"
            "    id = Column(BigInteger, primary_key=True)\n",
        },
    )
    assert cols(s, "tags") == [("id", "bigint", False)]


def test_base_imported_from_outside_the_source_is_a_located_note(tmp_path):
    s = read_models(
        tmp_path,
        {
            "m.py": """
        from sqlalchemy import Column, Integer
        from shared.db import Base
        class User(Base):
            __tablename__ = "users"
            id = Column(Integer, primary_key=True)
    """
        },
    )
    assert ([(n.kind, n.origin.line) for n in s.notes], s.tables) == ([("sqlalchemy-base", 4)], ())
