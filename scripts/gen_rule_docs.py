"""Write docs/rules/: one page per registered rule, from its docstring, and the index.

python scripts/gen_rule_docs.py          # write the pages, remove stale ones
python scripts/gen_rule_docs.py --check  # exit 1 when the committed pages differ
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def expected() -> dict[str, str]:
    """The pages the current rules produce, by file name."""
    from dbdrift.checks.rules import all_rules
    from dbdrift.report.rule_docs import generate

    return generate(all_rules())


def committed(docs: Path = DOCS) -> dict[str, str]:
    """The Markdown pages in `docs`, by file name."""
    if not docs.is_dir():
        return {}
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(docs.glob("*.md"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    pages, present = expected(), committed()
    if args.check:
        stale = sorted(
            name for name in pages.keys() | present.keys() if pages.get(name) != present.get(name)
        )
        for name in stale:
            print(f"docs/rules/{name} is out of date", file=sys.stderr)
        return 1 if stale else 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for name in sorted(present.keys() - pages.keys()):
        (DOCS / name).unlink()
    for name, text in pages.items():
        if present.get(name) != text:
            (DOCS / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
