"""Physical names and spelling-insensitive matching.

Tables and columns are aligned by the exact name the database sees.  Names that differ only
in case, separators or a plural (`User` / `users`, `userId` / `user_id`) are *likely* the
same thing spelled differently: `spelling_key` makes them equal so that alignment can report
them as one finding with the mapping that fixes it, never merge them silently.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^0-9a-zA-Z]+")

# Irregular plurals seen in table names; the regular rules below handle the rest.
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman"}
# Words whose trailing "s" is not a plural.
_NOT_PLURAL = ("status", "address", "analysis", "business", "alias", "news", "series", "access")


_GENERIC = frozenset({"id", "at", "by", "is", "on", "of", "to", "no", "key", "ref"})
"""Words too common to make one name a likely rename of another (`id` in `user_id`)."""


def words(name: str) -> list[str]:
    """The lower-case words of a name: `userId`, `user_id` and `UserID` all give user, id."""
    spaced = _CAMEL.sub("_", name)
    return [w.lower() for w in _SEPARATORS.split(spaced) if w]


def snake(name: str) -> str:
    """`userId` -> `user_id`, `RenderJob` -> `render_job`."""
    return "_".join(words(name))


def singular(word: str) -> str:
    """The singular of one lower-case English word, by the rules table names follow."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(_NOT_PLURAL) or len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def spelling_key(name: str) -> str:
    """A key equal for names that differ only in case, separators or a trailing plural."""
    parts = words(name)
    if not parts:
        return name.lower()
    parts[-1] = singular(parts[-1])
    return "".join(parts)


def similarity(left: str, right: str) -> float:
    """How alike two names are, 0 to 1, on their snake-case spelling.

    One name being a whole word of the other (`name` in `full_name`) counts as 0.75,
    which is above the threshold `likely_same` uses; otherwise difflib's ratio.
    """
    a, b = snake(left), snake(right)
    if a == b:
        return 1.0
    wa, wb = set(a.split("_")), set(b.split("_"))
    smaller = wa if len(wa) <= len(wb) else wb
    if (wa <= wb or wb <= wa) and not smaller <= _GENERIC:
        return max(0.75, SequenceMatcher(None, a, b).ratio())
    return SequenceMatcher(None, a, b).ratio()


LIKELY = 0.75
"""`similarity` at or above which two unmatched names are reported as one likely rename."""


def likely_same(left: str, right: str) -> bool:
    return similarity(left, right) >= LIKELY
