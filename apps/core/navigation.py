"""Main navigation. Each domain package registers its own items in its AppConfig.ready(), so
adding a feature never means editing the page shell."""

from __future__ import annotations

from dataclasses import dataclass, field

from .registry import Registry


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    # School roles that see the item (empty: every role); trust roles admitted to a school see
    # what a headteacher sees.
    school_roles: frozenset[str] = field(default_factory=frozenset)
    trust_roles: frozenset[str] = field(default_factory=frozenset)


# A school's items from this order on (staff, exams, imports, exports, transitions, transfers,
# the audit log, retention...: the less daily pages) sit under "More" at the end of the bar, so
# the main navigation stays on one row at 1366 px whatever the role.
SCHOOL_MORE_FROM_ORDER = 50


def _url_name(item: NavItem) -> str:
    return item.url_name


def _order(item: NavItem) -> int:
    return item.order


SCHOOL_NAV: Registry[NavItem] = Registry("school navigation", key=_url_name, order=_order)
TRUST_NAV: Registry[NavItem] = Registry("trust navigation", key=_url_name, order=_order)


def register_school_nav(item: NavItem) -> None:
    SCHOOL_NAV.register(item)


def register_trust_nav(item: NavItem) -> None:
    TRUST_NAV.register(item)
