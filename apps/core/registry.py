"""One typed registry helper behind every plug-in point (rollups, library item types, transfer
parts, home-page panels, navigation).

A registry either fills itself by importing a module of the same name from every installed app
the first time it is read (``autodiscover="rollups"``), or is filled by ``AppConfig.ready()``.
Registering the same key twice keeps the first entry, so re-imports are harmless.

    HOME_PANELS: Registry[HomePanel] = Registry("home panels", key=lambda p: p.name)
    HOME_PANELS.register(HomePanel(name="reviews_due", ...))
    for panel in HOME_PANELS: ...
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(
        self,
        name: str,
        *,
        key: Callable[[T], Hashable] = id,
        order: Callable[[T], object] | None = None,
        autodiscover: str | None = None,
    ) -> None:
        self.name = name
        self._key = key
        self._order = order
        self._autodiscover = autodiscover
        self._discovered = autodiscover is None
        self._items: dict[Hashable, T] = {}

    def register(self, item: T) -> T:
        self._items.setdefault(self._key(item), item)
        return item

    def unregister(self, item: T) -> None:
        self._items.pop(self._key(item), None)

    def unregister_key(self, key: Hashable) -> None:
        self._items.pop(key, None)

    def _ensure_discovered(self) -> None:
        if not self._discovered:
            self._discovered = True
            assert self._autodiscover is not None
            autodiscover_modules(self._autodiscover)

    def all(self) -> list[T]:
        self._ensure_discovered()
        items = list(self._items.values())
        if self._order is not None:
            order = self._order
            items.sort(key=lambda item: order(item))  # type: ignore[arg-type,return-value]
        return items

    def get(self, key: Hashable) -> T | None:
        self._ensure_discovered()
        return self._items.get(key)

    def __iter__(self) -> Iterator[T]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.all())

    def __contains__(self, item: object) -> bool:
        self._ensure_discovered()
        return item in self._items.values()

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self._items)} items>"
