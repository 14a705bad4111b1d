"""Writes to the school's calendar and settings. Atomic, audited, field-keyed errors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core.acting import authorise

from . import rules
from .access import RIGHTS
from .actions import SchoolAction
from .models import SchoolSettings, Term


def terms_set(*, acting_user: Any, terms: Sequence[tuple[str, date, date]]) -> list[Term]:
    """Replace the school's term dates with ``terms`` ((name, starts_on, ends_on), any order).
    An empty list goes back to terms derived from the month."""
    authorise(RIGHTS, acting_user, "set_terms")
    candidates = [rules.TermDates(" ".join(n.split()), s, e) for n, s, e in terms]
    errors = rules.term_errors(candidates)
    if errors:
        raise ValidationError(errors)
    uid = getattr(acting_user, "pk", None)
    with transaction.atomic():
        Term.objects.all().delete()
        rows = Term.objects.bulk_create(
            Term(name=t.name, starts_on=t.starts_on, ends_on=t.ends_on, updated_by_user_id=uid)
            for t in sorted(candidates, key=lambda t: t.starts_on)
        )
        record(
            user=acting_user,
            action=SchoolAction.TERMS_SET,
            summary=f"Set {len(rows)} term dates",
            extra={"terms": len(rows)},
        )
    return rows


def review_cadence_set(*, acting_user: Any, interval_weeks: int | None) -> SchoolSettings:
    """Termly reviews (None) or every ``interval_weeks`` weeks (2 to 26)."""
    authorise(RIGHTS, acting_user, "set_terms")
    if interval_weeks is not None and not 2 <= interval_weeks <= rules.MAX_INTERVAL_WEEKS:
        raise ValidationError(
            {
                "review_interval_weeks": [
                    f"Choose between 2 and {rules.MAX_INTERVAL_WEEKS} weeks, or termly."
                ]
            }
        )
    with transaction.atomic():
        row = SchoolSettings.objects.select_for_update().order_by("id").first()
        row = row or SchoolSettings()
        row.review_interval_weeks = interval_weeks
        row.updated_by_user_id = getattr(acting_user, "pk", None)
        row.updated_at = timezone.now()
        row.save()
        record(
            user=acting_user,
            action=SchoolAction.REVIEW_CADENCE_SET,
            summary=(
                f"Support plans reviewed every {interval_weeks} weeks"
                if interval_weeks
                else "Support plans reviewed termly"
            ),
        )
    return row
