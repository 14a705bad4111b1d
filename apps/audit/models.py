"""The school's audit log: who did what to which pupil's record, when, and from which address.

Rows live in the school's schema. The actor is kept by public-schema user id plus a snapshot of
their name and role at the time (no foreign key across schemas). The pupil is referenced by id
only: `summary` never carries a pupil's name, so the log can be shown, exported or searched
without repeating identifying data.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_name = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=64, blank=True)
    via_trust = models.BooleanField(default=False)
    action = models.CharField(max_length=64, db_index=True)
    # Kept without a database constraint so a pupil's deletion (retention review) never erases
    # the record of who saw them.
    pupil = models.ForeignKey(
        "pupils.Pupil",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    summary = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["pupil", "-occurred_at"], name="audit_pupil_recent")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
