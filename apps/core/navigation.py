"""Main navigation. Each domain package registers its own items in its AppConfig.ready(), so
adding a feature never means editing the page shell."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    # School roles that see the item (empty: every role); trust roles admitted to a school see
    # what a headteacher sees.
    school_roles: frozenset[str] = field(default_factory=frozenset)
    trust_roles: frozenset[str] = field(default_factory=frozenset)


SCHOOL_NAV: list[NavItem] = []
TRUST_NAV: list[NavItem] = []


def register_school_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in SCHOOL_NAV):
        SCHOOL_NAV.append(item)
        SCHOOL_NAV.sort(key=lambda i: i.order)


def register_trust_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in TRUST_NAV):
        TRUST_NAV.append(item)
        TRUST_NAV.sort(key=lambda i: i.order)
