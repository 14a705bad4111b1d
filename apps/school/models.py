"""The school's own calendar and settings, in its schema: term dates the school sets, and how often
support plans are reviewed. Pure date arithmetic over them lives in ``rules.py``; reading them for
the current school in ``selectors.py``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Term(models.Model):
    """One term as the school publishes it (e.g. "Autumn 2026", 2 September to 19 December).

    When a school sets none, terms are derived from the month (rules.derived_terms)."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()
    updated_by_user_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start"
            ),
            models.UniqueConstraint(fields=["starts_on"], name="unique_term_start"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolSettings(models.Model):
    """One row per school (pk 1): settings the SENCo or headteacher choose."""

    id = models.BigAutoField(primary_key=True)
    # Support plan reviews: None means termly (the Code of Practice's norm); otherwise every N weeks.
    review_interval_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_by_user_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "school settings"

    def __str__(self) -> str:
        return "School settings"
