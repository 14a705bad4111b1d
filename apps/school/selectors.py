"""Reads of the current school's calendar and settings (run inside the school's schema).

Other packages ask here: ``school_terms()``, ``current_term(day)``, ``next_review_date(day)``."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from . import rules
from .models import SchoolSettings, Term


def school_settings() -> SchoolSettings:
    settings_row = SchoolSettings.objects.order_by("id").first()
    return settings_row or SchoolSettings()


def school_terms() -> list[rules.TermDates]:
    return [
        rules.TermDates(t.name, t.starts_on, t.ends_on)
        for t in Term.objects.order_by("starts_on").only("name", "starts_on", "ends_on")
    ]


def current_term(day: date | None = None) -> rules.TermDates:
    return rules.current_term(day or timezone.localdate(), school_terms())


def next_review_date(day: date | None = None) -> date:
    """When a plan written or reviewed on ``day`` (default today) is next due for review."""
    return rules.next_review_date(
        day or timezone.localdate(),
        school_terms(),
        interval_weeks=school_settings().review_interval_weeks,
    )
