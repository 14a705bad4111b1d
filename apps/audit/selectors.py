"""Reading the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import AuditEvent

# Rows about many pupils at once (an export, a printed class sheet) list them in
# extra["pupil_ids"] instead of writing one row per pupil.
MANY_PUPIL_ACTIONS = ("export.downloaded", "strategy_sheet.printed")


def _about_pupil(pupil_id: int) -> Q:
    return Q(pupil_id=pupil_id) | Q(
        action__in=MANY_PUPIL_ACTIONS, extra__pupil_ids__contains=[pupil_id]
    )


def pupil_access_log(*, pupil_id: int, limit: int = 200) -> QuerySet[AuditEvent]:
    """Who saw or changed one pupil's record (or exported or printed it with others), newest
    first."""
    return AuditEvent.objects.filter(_about_pupil(pupil_id)).order_by("-occurred_at", "-id")[:limit]


@dataclass(frozen=True)
class LogFilters:
    action: str = ""
    user_id: int | None = None
    pupil_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_query(cls, data, *, known_actions) -> LogFilters:
        def number(key: str) -> int | None:
            value = (data.get(key) or "").strip()
            return int(value) if value.isdigit() else None

        def day(key: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat((data.get(key) or "").strip())
            except ValueError:
                return None

        action = data.get("action") or ""
        return cls(
            action=action if action in known_actions else "",
            user_id=number("person"),
            pupil_id=number("pupil"),
            date_from=day("from"),
            date_to=day("to"),
        )

    def query_string(self) -> str:
        """Ids, codes and dates only (never a name), for page links and the CSV link."""
        from urllib.parse import urlencode

        pairs = [
            ("action", self.action),
            ("person", self.user_id or ""),
            ("pupil", self.pupil_id or ""),
            ("from", self.date_from.isoformat() if self.date_from else ""),
            ("to", self.date_to.isoformat() if self.date_to else ""),
        ]
        return urlencode([(k, v) for k, v in pairs if v])


def school_audit_log(
    *,
    action: str | None = None,
    user_id: int | None = None,
    filters: LogFilters | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all().order_by("-occurred_at", "-id")
    filters = filters or LogFilters(action=action or "", user_id=user_id)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.user_id:
        qs = qs.filter(user_id=filters.user_id)
    if filters.pupil_id:
        qs = qs.filter(_about_pupil(filters.pupil_id))
    if filters.date_from:
        qs = qs.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(occurred_at__date__lte=filters.date_to)
    return qs


def log_people() -> list[tuple[int, str]]:
    """(user id, name) of everyone in the log, for the person filter."""
    rows = (
        AuditEvent.objects.exclude(user_id__isnull=True)
        .values_list("user_id", "actor_name")
        .order_by("actor_name", "user_id")
        .distinct()
    )
    seen: dict[int, str] = {}
    for user_id, name in rows:
        if user_id is not None:
            seen.setdefault(user_id, name)
    return sorted(seen.items(), key=lambda item: item[1].lower())
