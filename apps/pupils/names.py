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
from dataclasses import dataclass

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


@dataclass(frozen=True)
class NameMatch:
    """A word of a text that is (part of) a name on the roll, as the text writes it."""

    word: str
    names: tuple[str, ...]


def name_matches(text: str, names: Iterable[str]) -> list[NameMatch]:
    """The words of `text` (as written, in order, once each) that match a name on the roll, with
    the names they match: what the SENCo is shown before anything leaves the school."""
    parts_of: dict[str, set[str]] = {}
    for name in names:
        if not name:
            continue
        for part in name_parts(name):
            parts_of.setdefault(part, set()).add(name)
    found: dict[str, set[str]] = {}
    for written in _WORD.findall(unicodedata.normalize("NFC", text)):
        hits: set[str] = set()
        for word in words_of(written):
            hits |= parts_of.get(word, set())
        if hits:
            found.setdefault(written, set()).update(hits)
    return [NameMatch(word, tuple(sorted(hit))) for word, hit in found.items()]


def highlighted(text: str, matches: Iterable[NameMatch]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_a_name) pieces, for a template to mark the matched words."""
    words = {m.word for m in matches}
    text = unicodedata.normalize("NFC", text)
    pieces: list[tuple[str, bool]] = []
    last = 0
    for found in _WORD.finditer(text):
        if found.group(0) in words:
            if found.start() > last:
                pieces.append((text[last : found.start()], False))
            pieces.append((found.group(0), True))
            last = found.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def roll_names() -> set[str]:
    """Every legal and preferred name of every pupil the school has recorded, past or present
    (read in the current school's schema)."""
    from .models import Pupil

    names: set[str] = set()
    for row in Pupil.objects.values_list(
        "first_name", "last_name", "preferred_first_name", "preferred_last_name"
    ):
        names.update(n for n in row if n)
    return names
