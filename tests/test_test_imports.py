"""The test suite imports its helpers the way `pytest` (not `python -m pytest`) finds them.

CI runs plain `pytest`, which puts each test's folder on `sys.path` but not the checkout:
`from tests.oracle import ...` works under `python -m pytest` only, and fails in CI.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PACKAGE_IMPORT = re.compile(r"^\s*(?:from|import)\s+tests\b", re.MULTILINE)


def test_no_test_imports_through_a_tests_package() -> None:
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if "fixtures" not in path.parts
        and "node_modules" not in path.parts
        and PACKAGE_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
