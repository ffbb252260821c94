"""dbdrift: find every place a codebase disagrees with itself about its database.

Kept empty of imports so that ``import dbdrift`` stays fast; the stages live in their own
modules (`dbdrift.discover`, `dbdrift.readers`, `dbdrift.report`).
"""

from __future__ import annotations

__version__ = "0.1.0"
