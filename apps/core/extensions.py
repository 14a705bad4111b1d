"""Plug-in points of the school pages, filled by each domain package in ``AppConfig.ready()``.

- ``HOME_PANELS``: callables ``(request) -> dict | None`` returning ``{"template": ...,
  "context": {...}}`` for a panel on the school home page (None: nothing to show to this user).
- ``WORKLIST``: providers of counted to-do items for the home page and "My schools".
- ``PUPIL_PAGE_LINKS``: callables ``(request, pupil) -> dict | None`` returning ``{"label",
  "url", "description"?, "plan_details"?}`` for a section link on the pupil page;
  ``plan_details`` true makes the register entry say the pupil's plan details are there.

Rollups, library item types and transfer parts are registries too (``apps.trust.rollups``,
``apps.trust.library``, ``apps.trust.transfers``), filled by autodiscovery of a module of that
name in each app; navigation lives in ``apps.core.navigation``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .registry import Registry

HomePanel = Callable[[Any], dict[str, Any] | None]
PupilPageLink = Callable[[Any, Any], dict[str, Any] | None]

HOME_PANELS: Registry[HomePanel] = Registry("home panels")
PUPIL_PAGE_LINKS: Registry[PupilPageLink] = Registry("pupil page links")


def register_home_panel(panel: HomePanel) -> HomePanel:
    return HOME_PANELS.register(panel)


def register_pupil_page_link(link: PupilPageLink) -> PupilPageLink:
    return PUPIL_PAGE_LINKS.register(link)


@dataclass(frozen=True)
class WorklistItem:
    """One line of a SENCo's worklist: a count and where to act on it, never a pupil's name, so
    the same items can be shown on the school home page and across a shared SENCo's schools."""

    label: str  # "Support plan reviews overdue"
    count: int
    path: str  # a path on the school's own host, e.g. "/support/reviews/?due=overdue"
    urgency: str = "normal"  # "overdue", "soon" or "normal"


@dataclass(frozen=True)
class WorklistContext:
    """Computed inside the school's own schema, with that school's rights."""

    school: Any
    user: Any
    access: Any
    today: date


WorklistProvider = Callable[[WorklistContext], list[WorklistItem]]

# Providers of worklist items (open concerns, reviews due, statutory deadlines, ...), registered
# in AppConfig.ready(). The school home page and the shared SENCo's "My schools" page read them.
WORKLIST: Registry[WorklistProvider] = Registry("worklist")


def register_worklist(provider: WorklistProvider) -> WorklistProvider:
    return WORKLIST.register(provider)
