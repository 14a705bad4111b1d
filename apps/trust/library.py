"""The shared practice library: pluggable item types.

A domain package adds a `library.py` module calling `register_library_item_type(...)`. An item
type says where publishable items come from in a school (catalogue content only, never pupil
records), how to take a catalogue copy of one, how to adopt an item into another school, and how
many pupils the adopted item is recorded for (counted in the school's schema by the rollup; shown
only from 5 up).

The built-in "guidance" and "template" types are written in the console and need no school
source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from apps.core.registry import Registry

# Fields a catalogue copy may carry; anything else a type returns is dropped.
CATALOGUE_FIELDS = ("title", "summary", "body", "area_of_need")


@dataclass(frozen=True)
class LibraryItemType:
    key: str
    label: str
    # In the source school's schema: [(ref, title)] of items the school can publish.
    sources: Callable[[object], list[tuple[str, str]]] | None = None
    # In the source school's schema: ref -> catalogue fields.
    snapshot: Callable[[str], dict] | None = None
    # In the adopting school's schema: (LibraryItem, acting_user) -> the local copy's ref.
    adopt: Callable[[object, object], str] | None = None
    # In a school's schema: [LibraryItem the school published or adopted] -> {item id: number of
    # pupils it is recorded for in this school}.
    usage: Callable[[list], dict[int, int]] | None = None
    order: int = 100


LIBRARY_ITEM_TYPES: Registry[LibraryItemType] = Registry(
    "library item types",
    key=lambda t: t.key,
    order=lambda t: (t.order, t.key),
    autodiscover="library",
)


def register_library_item_type(item_type: LibraryItemType) -> LibraryItemType:
    return LIBRARY_ITEM_TYPES.register(item_type)


def unregister_library_item_type(key: str) -> None:
    LIBRARY_ITEM_TYPES.unregister_key(key)


def item_types() -> dict[str, LibraryItemType]:
    return {t.key: t for t in LIBRARY_ITEM_TYPES.all()}


def item_type(key: str) -> LibraryItemType | None:
    return item_types().get(key)


register_library_item_type(LibraryItemType("guidance", "Guidance document", order=50))
register_library_item_type(LibraryItemType("template", "Template", order=60))
