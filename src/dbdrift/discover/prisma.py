"""The Prisma finder: schema files and folders, where package.json and prisma.config point,
and generated client copies.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from dbdrift.discover.dialect import DEFAULT_DIALECT, PROVIDERS
from dbdrift.discover.files import Files
from dbdrift.discover.found import Candidate, Found
from dbdrift.discover.tree import ROOT, Skipped, Tree, basename, is_file, join, parent

KIND_PRISMA = "prisma"
PRISMA_SCHEMA = "schema.prisma"
# Datasource providers -> the dialect a Prisma source is read as; the provider itself is kept
# in the source's details (CockroachDB is read as PostgreSQL with its own type table).
PRISMA_DIALECTS = {**PROVIDERS, "sqlserver": "sqlserver", "mongodb": "mongodb"}
GENERATED_COPY = "generated Prisma client copy"
# The only places inside a package's node_modules where a generated Prisma client keeps its
# copy of the schema; the rest of node_modules is never walked.
PRISMA_CLIENT_DIRS = ("node_modules/.prisma", "node_modules/@prisma/client")
PRISMA_CLIENT_DEPTH = 3
# Prisma's config files (Prisma 6.6+); ``schema:`` in them names the schema file or folder.
PRISMA_CONFIGS = frozenset(
    f"prisma.config.{ext}" for ext in ("ts", "mts", "cts", "js", "mjs", "cjs")
)

# Comments blanked (newlines kept, so lines stay true), strings kept, in Prisma and in JS.
_PRISMA_NOISE = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_JS_NOISE = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`[^`]*`|//[^\n]*|/\*.*?\*/', re.DOTALL
)
# A top-level block and its body (strings may hold braces).
_PRISMA_BLOCK = re.compile(
    r'^[ \t]*(datasource|generator)[ \t]+[\w-]+[ \t]*\{((?:[^}"]|"(?:[^"\\\n]|\\.)*")*)\}',
    re.MULTILINE,
)
_PRISMA_PROPERTY = r'^[ \t]*{}[ \t]*=[ \t]*"((?:[^"\\\n]|\\.)*)"'
_PROVIDER_LINE = re.compile(_PRISMA_PROPERTY.format("provider"), re.MULTILINE)
_OUTPUT_LINE = re.compile(_PRISMA_PROPERTY.format("output"), re.MULTILINE)
_SCHEMA_FOLDER_FEATURE = re.compile(r'previewFeatures\s*=\s*\[[^\]]*"prismaSchemaFolder"')
_CONFIG_SCHEMA = re.compile(
    r"""\bschema\s*:\s*(?:(["'`])([^"'`\n]+)\1|(?:path\s*\.\s*)?(?:join|resolve)\s*\(([^)]*)\))"""
)
_JS_STRING = re.compile(r"""(["'`])([^"'`\n]*)\1""")
_SCRIPT_SCHEMA = re.compile(r"""--schema(?:=|\s+)["']?([^\s"'&|;]+)""")


def _blank_noise(pattern: re.Pattern[str], text: str) -> str:
    """`text` with the comments `pattern` finds blanked; strings and newlines are kept."""

    def blank(match: re.Match[str]) -> str:
        found = match.group()
        if found[0] in "\"'`":
            return found
        return re.sub(r"[^\n]", " ", found)

    return pattern.sub(blank, text)


@dataclass
class _PrismaText:
    """What discovery needs from a `.prisma` file, read with regular expressions only."""

    provider: tuple[str, int] | None = None  # the datasource provider and its line
    has_datasource: bool = False
    schema_folder: bool = False  # a generator enables the prismaSchemaFolder preview feature
    outputs: tuple[str, ...] = ()  # generator output folders, as written

    @classmethod
    def of(cls, text: str | None) -> _PrismaText:
        if text is None:
            return cls()
        clean = _blank_noise(_PRISMA_NOISE, text)
        found = cls()
        outputs = []
        for block in _PRISMA_BLOCK.finditer(clean):
            kind, body = block.group(1), block.group(2)
            if kind == "datasource":
                found.has_datasource = True
                provider = _PROVIDER_LINE.search(body)
                if provider and found.provider is None:
                    line = clean.count("\n", 0, block.start(2) + provider.start(1)) + 1
                    found.provider = (provider.group(1), line)
            else:
                found.schema_folder |= bool(_SCHEMA_FOLDER_FEATURE.search(body))
                outputs.extend(m.group(1) for m in _OUTPUT_LINE.finditer(body))
        found.outputs = tuple(outputs)
        return found


def _is_generated_path(rel: str) -> bool:
    """A generated client's copy by its place: under node_modules or a ``generated`` folder."""
    folders = rel.split("/")[:-1]
    return "node_modules" in folders or "generated" in folders


def _resolve(base: str, path: str) -> str | None:
    """`path` as written in a config file of folder `base`, repo-relative; None if outside."""
    path = path.strip().replace("\\", "/")
    if not path or path.startswith("/") or "${" in path:
        return None
    joined = posixpath.normpath(posixpath.join("" if base == ROOT else base, path))
    if joined == ".":
        return ROOT
    return None if joined.startswith("../") or joined == ".." else joined


def _under(rel: str, folder: str) -> bool:
    return folder == ROOT or rel.startswith(folder + "/")


def _client_copies(root: Path, tree: Tree) -> list[str]:
    """``.prisma`` files a generated client keeps under the node_modules of each package."""
    found: list[str] = []
    for rel, listing in tree.dirs.items():
        if rel != ROOT and "package.json" not in listing.files:
            continue
        for sub in PRISMA_CLIENT_DIRS:
            _prisma_files_under(root, join(rel, sub), PRISMA_CLIENT_DEPTH, found)
    return sorted(found)


def _prisma_files_under(root: Path, rel: str, depth: int, found: list[str]) -> None:
    try:
        with os.scandir(root / rel) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        child = join(rel, entry.name)
        try:
            if entry.is_file() and entry.name.endswith(".prisma"):
                found.append(child)
            elif depth > 1 and entry.is_dir(follow_symlinks=False):
                _prisma_files_under(root, child, depth - 1, found)
        except OSError:
            continue


def _declared_schemas(tree: Tree, files: Files, found: Found) -> dict[str, str]:
    """Schema paths that package.json and prisma.config.* name, with where each was named.

    package.json: ``"prisma": {"schema": ...}`` and ``--schema`` in its scripts; a Prisma
    config: ``schema: "..."`` or ``schema: path.join(...)`` of string literals, read as text
    and never run.
    """
    declared: dict[str, str] = {}
    for rel in sorted(tree.dirs):
        names = tree.dirs[rel].files
        for name in names:
            if name != "package.json" and name not in PRISMA_CONFIGS:
                continue
            config = join(rel, name)
            file = files.get(config)
            if file.text is None:
                continue
            paths = (
                _package_json_schemas(file.text)
                if name == "package.json"
                else _config_schemas(file.text)
            )
            for path in paths:
                target = _resolve(rel, path)
                if target is None:
                    found.skipped.append(
                        Skipped(config, f"its Prisma schema path {path!r} is outside the tree")
                    )
                elif target not in tree.dirs and not is_file(tree, target):
                    found.skipped.append(
                        Skipped(config, f"its Prisma schema path {path!r} does not exist")
                    )
                else:
                    declared.setdefault(target, config)
    return declared


def _package_json_schemas(text: str) -> list[str]:
    paths = []
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if isinstance(document, dict):
        prisma = document.get("prisma")
        if isinstance(prisma, dict) and isinstance(prisma.get("schema"), str):
            paths.append(prisma["schema"])
        scripts = document.get("scripts")
        if isinstance(scripts, dict):
            for script in scripts.values():
                if isinstance(script, str) and "prisma" in script:
                    paths.extend(m.group(1) for m in _SCRIPT_SCHEMA.finditer(script))
    return paths


def _config_schemas(text: str) -> list[str]:
    clean = _blank_noise(_JS_NOISE, text)
    match = _CONFIG_SCHEMA.search(clean)
    if match is None:
        return []
    if match.group(2) is not None:
        return [match.group(2)]
    parts = [m.group(2) for m in _JS_STRING.finditer(match.group(3))]
    return ["/".join(parts)] if parts else []


def _schema_folder(rel: str) -> str | None:
    """The ``prisma/schema`` folder a file is in (at any depth below it), if any."""
    parts = rel.split("/")[:-1]
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "schema" and parts[i - 1] == "prisma":
            return "/".join(parts[: i + 1])
    return None


def _prisma_candidate(
    files: Files, rel: str, members: list[str], texts: dict[str, _PrismaText], how: str
) -> Candidate:
    """One Prisma schema (a file, or a folder of files) and its dialect from its datasource."""
    provider = next(((*found, m) for m in members if (found := texts[m].provider)), None)
    details = {"layout": "folder" if members != [rel] else "file", "found_by": how}
    if provider is None:
        dialect, evidence = DEFAULT_DIALECT, "default: no datasource provider"
    else:
        name, line, path = provider
        details["provider"] = name
        dialect = PRISMA_DIALECTS.get(name, DEFAULT_DIALECT)
        evidence = f'provider "{name}" in {path}:{line}'
        if name not in PRISMA_DIALECTS:
            evidence = f"default: unknown {evidence}"
    if members == [rel]:
        fingerprint = files.get(rel).digest
    else:
        prefix = "" if rel == ROOT else rel + "/"
        parts = "\n".join(f"{m.removeprefix(prefix)}:{files.get(m).digest}" for m in members)
        fingerprint = hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
    return Candidate(rel, KIND_PRISMA, dialect, evidence, tuple(members), fingerprint, details)


def find_prisma(tree: Tree, files: Files, found: Found) -> None:
    """Prisma schemas: single files, folders of files, and their generated copies.

    A schema is a folder when package.json or a Prisma config names a folder, when it is a
    ``prisma/schema`` folder, or when its generator enables ``prismaSchemaFolder``; else
    every ``schema.prisma`` (or named, or other ``.prisma`` file with a datasource) is one.
    Generated client copies merge into the source they are byte-identical to; the others
    are skipped.  Fragments that belong to no schema are skipped too, with the reason.
    """
    real, copies, texts = _prisma_files(tree, files)
    declared = _declared_schemas(tree, files, found)
    candidates = _prisma_folders(files, found, real, texts, declared, tree)
    claimed = {f for c in candidates for f in c.files}
    for p in real:
        if p in claimed:
            continue
        how = declared.get(p)
        if how is None and basename(p) == PRISMA_SCHEMA:
            how = "its name"
        if how is None and texts[p].has_datasource:
            how = "its datasource block"
        if how is not None:
            candidates.append(_prisma_candidate(files, p, [p], texts, how))
        elif problem := files.get(p).problem:
            found.skipped.append(Skipped(p, f"Prisma file that cannot be read ({problem})"))
        else:
            reason = "Prisma schema fragment (no datasource) outside any Prisma schema folder"
            found.skipped.append(Skipped(p, reason))
    found.candidates.extend(candidates)
    _prisma_copies(files, found, candidates, copies)


def _prisma_files(tree: Tree, files: Files) -> tuple[list[str], list[str], dict[str, _PrismaText]]:
    """The `.prisma` files a developer edits, the generated copies, and what each real holds.

    A copy is generated by its place (node_modules, a ``generated`` folder) or because it
    lies in the ``output`` folder of a schema's generator.
    """
    walked = sorted(
        join(rel, name)
        for rel, listing in tree.dirs.items()
        for name in listing.files
        if name.endswith(".prisma")
    )
    copies = [p for p in walked if _is_generated_path(p)] + _client_copies(files.root, tree)
    real = [p for p in walked if not _is_generated_path(p)]
    texts = {p: _PrismaText.of(files.get(p).text) for p in real}
    outputs = {
        out
        for p in real
        for written in texts[p].outputs
        if (out := _resolve(parent(p), written)) is not None and out != ROOT
    }
    generated = {p for p in real if any(_under(p, out) for out in outputs)}
    real = [p for p in real if p not in generated]
    return real, sorted(set(copies) | generated), texts


def _prisma_folders(
    files: Files,
    found: Found,
    real: list[str],
    texts: dict[str, _PrismaText],
    declared: dict[str, str],
    tree: Tree,
) -> list[Candidate]:
    """Folder schemas, outermost first; a folder inside one already read is part of it."""
    folders = {p: how for p, how in declared.items() if p in tree.dirs}
    for p in real:
        if (folder := _schema_folder(p)) is not None:
            folders.setdefault(folder, "a prisma/schema folder")
        if texts[p].schema_folder:
            folders.setdefault(parent(p), f"prismaSchemaFolder in {p}")
    candidates: list[Candidate] = []
    for folder in sorted(folders, key=lambda f: (f.count("/") + (f != ROOT), f)):
        if any(_under(folder, c.id) for c in candidates):
            continue
        members = [p for p in real if _under(p, folder)]
        if not members:
            found.skipped.append(Skipped(folder, "no .prisma files in this Prisma schema folder"))
            continue
        candidates.append(_prisma_candidate(files, folder, members, texts, folders[folder]))
    return candidates


def _prisma_copies(files: Files, found: Found, sources: list[Candidate], copies: list[str]) -> None:
    """Generated copies: byte-identical to a source's only file -> a copy; else skipped."""
    by_digest = {c.fingerprint: c for c in sources if len(c.files) == 1}
    for rel in copies:
        file = files.get(rel)
        source = by_digest.get(file.digest)
        if source is None:
            nearest = _nearest(rel, sources)
            detail = f"; it differs from {nearest.id}" if nearest else ""
            found.skipped.append(Skipped(rel, f"{GENERATED_COPY}{detail}"))
            continue
        found.candidates.append(
            Candidate(
                id=rel,
                kind=KIND_PRISMA,
                dialect=source.dialect,
                evidence=source.evidence,
                files=(rel,),
                fingerprint=file.digest,
                details=source.details,
                generated=True,
            )
        )


def _nearest(rel: str, sources: list[Candidate]) -> Candidate | None:
    """The source sharing the longest folder prefix with `rel` (its package's schema)."""

    def shared(source: Candidate) -> int:
        a, b = rel.split("/")[:-1], source.id.split("/")
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    return max(sources, key=lambda s: (shared(s), -len(s.id)), default=None)
