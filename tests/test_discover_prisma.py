"""Discovery of Prisma schemas on small trees built in tmp_path: one test per layout and rule.

A schema is one file (``schema.prisma``, or the file package.json or prisma.config.ts
names) or a folder of ``.prisma`` files; its dialect comes from its datasource provider;
generated client copies merge into the schema they are byte-identical to, or are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dbdrift.discover import GENERATED_COPY, Discovery, discover
from dbdrift.source import Source
from trees import write


def schema(provider: str = "postgresql", models: str = "User") -> str:
    """A schema in the usual layout: generator first, then the datasource, then models."""
    blocks = [
        'generator client {\n  provider = "prisma-client-js"\n}\n',
        f'datasource db {{\n  provider = "{provider}"\n}}\n',
    ]
    blocks += [f"model {name} {{\n  id Int @id\n}}\n" for name in models.split()]
    return "\n".join(blocks)


def prisma_sources(found: Discovery) -> list[Source]:
    return [s for s in found.sources if s.kind == "prisma"]


def only_prisma(found: Discovery) -> Source:
    sources = prisma_sources(found)
    assert len(sources) == 1, sources
    return sources[0]


def skipped(found: Discovery) -> dict[str, str]:
    return {s.path: s.reason for s in found.skipped}


# ------------------------------------------------------------------------- single files


def test_schema_prisma_is_a_source(tmp_path: Path) -> None:
    write(tmp_path, {"prisma/schema.prisma": schema()})
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.kind, source.files) == (
        "prisma/schema.prisma",
        "prisma",
        ("prisma/schema.prisma",),
    )
    assert source.details["layout"] == "file"


def test_dialect_and_evidence_from_the_datasource_provider(tmp_path: Path) -> None:
    write(tmp_path, {"prisma/schema.prisma": schema("postgresql")})
    source = only_prisma(discover(tmp_path))
    # the generator's provider (line 2) is not the datasource's (line 6)
    assert (source.dialect, source.dialect_evidence) == (
        "postgresql",
        'provider "postgresql" in prisma/schema.prisma:6',
    )


@pytest.mark.parametrize(
    ("provider", "dialect"),
    [
        ("postgresql", "postgresql"),
        ("postgres", "postgresql"),
        ("cockroachdb", "postgresql"),
        ("mysql", "mysql"),
        ("sqlite", "sqlite"),
        ("sqlserver", "sqlserver"),
        ("mongodb", "mongodb"),
    ],
)
def test_each_provider_gives_its_dialect(tmp_path: Path, provider: str, dialect: str) -> None:
    write(tmp_path, {"schema.prisma": schema(provider)})
    source = only_prisma(discover(tmp_path))
    assert (source.dialect, source.details["provider"]) == (dialect, provider)


def test_provider_in_a_comment_does_not_count(tmp_path: Path) -> None:
    text = (
        '// provider = "sqlite"\ndatasource db {\n  // provider = "mysql"\n'
        '  /* provider = "sqlserver" */\n  provider = "postgresql"\n}\n'
    )
    write(tmp_path, {"schema.prisma": text})
    source = only_prisma(discover(tmp_path))
    assert source.dialect_evidence == 'provider "postgresql" in schema.prisma:5'


def test_no_datasource_falls_back_to_the_default(tmp_path: Path) -> None:
    write(tmp_path, {"schema.prisma": "model User {\n  id Int @id\n}\n"})
    source = only_prisma(discover(tmp_path))
    assert (source.dialect, source.dialect_evidence) == (
        "postgresql",
        "default: no datasource provider",
    )


def test_unknown_provider_is_said_so(tmp_path: Path) -> None:
    write(tmp_path, {"schema.prisma": schema("oracle")})
    source = only_prisma(discover(tmp_path))
    assert source.dialect == "postgresql"
    assert source.dialect_evidence == 'default: unknown provider "oracle" in schema.prisma:6'


def test_schema_prisma_anywhere_in_a_monorepo(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "services/billing/prisma/schema.prisma": schema("mysql", "Invoice"),
            "services/gateway-api/db/schema.prisma": schema("postgresql", "User"),
            "schema.prisma": schema("sqlite", "Setting"),
        },
    )
    found = discover(tmp_path)
    assert [(s.id, s.dialect) for s in prisma_sources(found)] == [
        ("schema.prisma", "sqlite"),
        ("services/billing/prisma/schema.prisma", "mysql"),
        ("services/gateway-api/db/schema.prisma", "postgresql"),
    ]


def test_identical_schemas_are_one_source_with_copies(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"api/prisma/schema.prisma": schema(), "worker/prisma/schema.prisma": schema()},
    )
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.copies) == (
        "api/prisma/schema.prisma",
        ("worker/prisma/schema.prisma",),
    )


def test_another_prisma_file_with_a_datasource_is_a_source(tmp_path: Path) -> None:
    write(tmp_path, {"db/analytics.prisma": schema("postgresql", "Event")})
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.details["found_by"]) == (
        "db/analytics.prisma",
        "its datasource block",
    )


def test_a_fragment_outside_any_schema_is_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"prisma/schema.prisma": schema(), "prisma/legacy/post.prisma": "model Post {\n}\n"},
    )
    found = discover(tmp_path)
    assert only_prisma(found).files == ("prisma/schema.prisma",)
    assert skipped(found)["prisma/legacy/post.prisma"].startswith("Prisma schema fragment")


# ------------------------------------------------------------------------------ folders


def test_prisma_schema_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/schema/main.prisma": schema("mysql", ""),
            "prisma/schema/user.prisma": "model User {\n  id Int @id\n}\n",
            "prisma/schema/billing/invoice.prisma": "model Invoice {\n  id Int @id\n}\n",
        },
    )
    source = only_prisma(discover(tmp_path))
    assert source.id == "prisma/schema"
    assert source.files == (
        "prisma/schema/billing/invoice.prisma",
        "prisma/schema/main.prisma",
        "prisma/schema/user.prisma",
    )
    assert (source.dialect, source.dialect_evidence) == (
        "mysql",
        'provider "mysql" in prisma/schema/main.prisma:6',
    )
    assert source.details["layout"] == "folder"


def test_prisma_schema_folder_preview_feature(tmp_path: Path) -> None:
    main = schema().replace(
        '"prisma-client-js"\n', '"prisma-client-js"\n  previewFeatures = ["prismaSchemaFolder"]\n'
    )
    write(
        tmp_path,
        {
            "db/schema.prisma": main,
            "db/models/user.prisma": "model Profile {\n  id Int @id\n}\n",
        },
    )
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.files) == ("db", ("db/models/user.prisma", "db/schema.prisma"))
    assert source.details["found_by"] == "prismaSchemaFolder in db/schema.prisma"


def test_package_json_names_a_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "apps/api/package.json": json.dumps({"prisma": {"schema": "./database"}}),
            "apps/api/database/schema.prisma": schema("sqlite", ""),
            "apps/api/database/models/post.prisma": "model Post {\n  id Int @id\n}\n",
        },
    )
    source = only_prisma(discover(tmp_path))
    assert source.id == "apps/api/database"
    assert source.files == (
        "apps/api/database/models/post.prisma",
        "apps/api/database/schema.prisma",
    )
    assert source.details["found_by"] == "apps/api/package.json"


def test_package_json_names_a_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": json.dumps({"name": "app", "prisma": {"schema": "db/main.prisma"}}),
            "db/main.prisma": 'datasource db {\n  provider = "mysql"\n}\n',
        },
    )
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.dialect, source.details["found_by"]) == (
        "db/main.prisma",
        "mysql",
        "package.json",
    )


def test_package_json_script_with_schema_flag(tmp_path: Path) -> None:
    scripts = {"db:migrate": "prisma migrate deploy --schema=./prisma/app.prisma"}
    write(
        tmp_path,
        {
            "package.json": json.dumps({"scripts": scripts}),
            "prisma/app.prisma": "model A {\n  id Int @id\n}\n",
        },
    )
    assert only_prisma(discover(tmp_path)).id == "prisma/app.prisma"


def test_prisma_config_names_a_folder(tmp_path: Path) -> None:
    config = (
        'import { defineConfig } from "prisma/config";\n\n'
        "export default defineConfig({\n"
        '  // schema: "old/schema.prisma",\n'
        '  schema: "prisma/",\n'
        '  migrations: { path: "prisma/migrations" },\n'
        "});\n"
    )
    write(
        tmp_path,
        {
            "prisma.config.ts": config,
            "prisma/schema.prisma": schema(),
            "prisma/models/user.prisma": "model Account {\n  id Int @id\n}\n",
        },
    )
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.files) == (
        "prisma",
        ("prisma/models/user.prisma", "prisma/schema.prisma"),
    )
    assert source.details["found_by"] == "prisma.config.ts"


def test_prisma_config_with_path_join(tmp_path: Path) -> None:
    config = (
        "import path from 'node:path'\n"
        "export default { schema: path.join(__dirname, 'db', 'schema') }\n"
    )
    write(
        tmp_path,
        {
            "server/prisma.config.ts": config,
            "server/db/schema/base.prisma": schema(),
            "server/db/schema/user.prisma": "model Member {\n  id Int @id\n}\n",
        },
    )
    assert only_prisma(discover(tmp_path)).id == "server/db/schema"


def test_a_declared_path_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": json.dumps({"prisma": {"schema": "db/gone.prisma"}}),
            "prisma/schema.prisma": schema(),
        },
    )
    found = discover(tmp_path)
    assert only_prisma(found).id == "prisma/schema.prisma"
    assert (
        skipped(found)["package.json"] == "its Prisma schema path 'db/gone.prisma' does not exist"
    )


def test_a_folder_inside_a_declared_folder_is_not_a_second_source(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": json.dumps({"prisma": {"schema": "prisma"}}),
            "prisma/schema.prisma": schema(),
            "prisma/schema/user.prisma": "model User2 {\n  id Int @id\n}\n",
        },
    )
    source = only_prisma(discover(tmp_path))
    assert (source.id, len(source.files)) == ("prisma", 2)


# ---------------------------------------------------------------------- generated copies


def test_generated_client_copy_in_node_modules_merges_into_the_source(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": "{}",
            "prisma/schema.prisma": schema(),
            "node_modules/.prisma/client/schema.prisma": schema(),
        },
    )
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.copies) == (
        "prisma/schema.prisma",
        ("node_modules/.prisma/client/schema.prisma",),
    )


def test_generated_copy_keeps_the_real_file_as_the_id(tmp_path: Path) -> None:
    # "api/generated/..." sorts before "api/prisma/...": the id is still the edited file
    write(
        tmp_path,
        {
            "api/prisma/schema.prisma": schema(),
            "api/generated/client/schema.prisma": schema(),
        },
    )
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.copies) == (
        "api/prisma/schema.prisma",
        ("api/generated/client/schema.prisma",),
    )


def test_a_generated_copy_that_differs_is_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "apps/web/package.json": "{}",
            "apps/web/prisma/schema.prisma": schema(models="User Post"),
            "apps/web/node_modules/.prisma/client/schema.prisma": schema(models="User"),
            "apps/web/src/generated/prisma/schema.prisma": schema(models="Old"),
        },
    )
    found = discover(tmp_path)
    source = only_prisma(found)
    assert (source.id, source.copies) == ("apps/web/prisma/schema.prisma", ())
    reasons = skipped(found)
    for copy in (
        "apps/web/node_modules/.prisma/client/schema.prisma",
        "apps/web/src/generated/prisma/schema.prisma",
    ):
        assert reasons[copy] == f"{GENERATED_COPY}; it differs from apps/web/prisma/schema.prisma"


def test_copy_in_at_prisma_client(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/schema.prisma": schema(),
            "node_modules/@prisma/client/schema.prisma": schema(),
        },
    )
    assert only_prisma(discover(tmp_path)).copies == ("node_modules/@prisma/client/schema.prisma",)


def test_generator_output_folder_holds_a_copy(tmp_path: Path) -> None:
    main = schema().replace(
        '"prisma-client-js"\n', '"prisma-client-js"\n  output   = "../src/db-client"\n'
    )
    write(tmp_path, {"prisma/schema.prisma": main, "src/db-client/schema.prisma": main})
    source = only_prisma(discover(tmp_path))
    assert (source.id, source.copies) == ("prisma/schema.prisma", ("src/db-client/schema.prisma",))


def test_the_rest_of_node_modules_is_never_looked_into(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/schema.prisma": schema(),
            "node_modules/some-template/prisma/schema.prisma": schema("mysql"),
            "node_modules/.pnpm/x/node_modules/.prisma/client/schema.prisma": schema("sqlite"),
        },
    )
    found = discover(tmp_path)
    assert only_prisma(found).copies == ()
    assert not any("node_modules" in s.path for s in found.skipped)


# ------------------------------------------------------------------ beside the migrations


def test_migrations_folder_beside_the_schema_takes_the_lock_provider(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/schema.prisma": schema("postgresql"),
            "prisma/migrations/migration_lock.toml": 'provider = "sqlite"\n',
            "prisma/migrations/20240101000000_init/migration.sql": (
                'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY);\n'
            ),
        },
    )
    found = discover(tmp_path)
    streams = [s for s in found.sources if s.kind == "sql-migrations"]
    assert [(s.id, s.dialect, s.dialect_evidence) for s in streams] == [
        (
            "prisma/migrations",
            "sqlite",
            'prisma/migrations/migration_lock.toml: provider = "sqlite"',
        )
    ]
    assert only_prisma(found).dialect == "postgresql"


def test_migrations_without_a_lock_take_the_schema_provider(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "prisma/schema.prisma": schema("mysql"),
            "prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE t (id int);\n",
        },
    )
    found = discover(tmp_path)
    (stream,) = [s for s in found.sources if s.kind == "sql-migrations"]
    assert (stream.id, stream.dialect) == ("prisma/migrations", "mysql")
