"""Does a text name a pupil? Used before anything a school wrote leaves its schema (the trust
library): every name on the school's roll, legal and preferred, is looked for.

Matching ignores case and accents ("Zoë" = "zoe", "ŁUKASZ" = "lukasz"), reads possessives
("Edward's", "Edward’s", "James'") as the name, checks each part of a hyphenated or multi-word
name ("Smith-Jones" matches "Jones") and keeps names of two letters ("Jo", "Al"). It errs on the
side of refusing: a pupil called Grace stops "with grace" from being published, and the SENCo
rewords it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*['’]?")
_SEPARATORS = re.compile(r"[\s\-'’]+")


def fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks dropped; ł, ø, æ... spelled out)."""
    text = text.translate(_SPELLED_OUT)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_SPELLED_OUT = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE"}
)


def words_of(text: str) -> set[str]:
    found: set[str] = set()
    for word in _WORD.findall(fold(text)):
        word = re.sub(r"['’]s$", "", word).rstrip("'’")
        if not word:
            continue
        found.add(word)
        found.update(part for part in _SEPARATORS.split(word) if part)
    return found


def name_parts(name: str) -> set[str]:
    folded = fold(name).strip()
    parts = {folded, *_SEPARATORS.split(folded)}
    return {p for p in parts if len(p) >= 2}


def names_mentioned(text: str, names: Iterable[str]) -> list[str]:
    """The names (as given) any part of which appears in `text` as a word."""
    words = words_of(text)
    return sorted({name for name in names if name and name_parts(name) & words})
