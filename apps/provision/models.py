"""The provision map, in the school's schema: the catalogue of interventions the school runs, the
groups that run them (which pupils, which staff, when), the sessions logged with attendance, and
the school's cost settings.

Staff are public users: ``*_user_id`` integers (and their name at the time), never a foreign key
across schemas. Money is in pounds, ``Decimal`` with pence.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from apps.pupils.codes import BroadArea
from apps.pupils.models import Pupil

# The nationally expected contribution from a school's notional SEN budget before high-needs
# top-up funding (DESIGN.md "Graduated approach").
DEFAULT_THRESHOLD = Decimal("6000.00")
# Weeks of teaching in a school year (190 days).
SCHOOL_WEEKS_PER_YEAR = 38


class ProvisionSettings(models.Model):
    """One row per school: the threshold for flagging a pupil's additional support and the
    notional SEN budget the allocated cost is compared with."""

    id = models.BigAutoField(primary_key=True)
    threshold = models.DecimalField(max_digits=9, decimal_places=2, default=DEFAULT_THRESHOLD)
    notional_sen_budget = models.DecimalField(
        max_digits=11, decimal_places=2, null=True, blank=True
    )
    updated_by_user_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Provision settings"


class Intervention(models.Model):
    """One intervention in the school's catalogue (Lexia, Numicon, Talk Boost, ELSA...)."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=120)
    area_of_need = models.CharField(max_length=32, choices=BroadArea.choices)
    description = models.TextField(blank=True)
    evidence_base = models.TextField(blank=True)
    group_size = models.PositiveSmallIntegerField(default=1)
    sessions_per_week = models.PositiveSmallIntegerField(default=1)
    session_minutes = models.PositiveSmallIntegerField(default=30)
    staff_role = models.CharField(max_length=60, default="Teaching assistant")
    hourly_staff_cost = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    # Resources (licences, kits) per pupil per year.
    resource_cost = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    # Training a member of staff needs to deliver it (the skills matrix compares with this).
    required_training = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    # Adopted from the trust's practice library (apps.trust LibraryItem id, in public).
    library_item_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hourly_staff_cost__gte=0) & models.Q(resource_cost__gte=0),
                name="intervention_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(group_size__gte=1), name="intervention_group_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area_label(self) -> str:
        return BroadArea(self.area_of_need).label if self.area_of_need else ""

    @property
    def weekly_staff_hours(self) -> Decimal:
        return Decimal(self.sessions_per_week * self.session_minutes) / Decimal(60)


class InterventionGroup(models.Model):
    """A group running an intervention: its pupils (places), staff, dates and measures."""

    id = models.BigAutoField(primary_key=True)
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=120)
    # Who runs it (public user ids) - the skills matrix and "TAs log sessions for groups they run"
    # read these.
    staff_user_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    # What the entry and exit measures are (e.g. "Reading age in months").
    measure = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["intervention__name", "name", "id"]
        indexes = [models.Index(fields=["starts_on"], name="group_starts_on")]

    def __str__(self) -> str:
        return f"Intervention group {self.pk}"

    def is_running(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class GroupPlace(models.Model):
    """A pupil's place in a group, with the entry and exit measures."""

    id = models.BigAutoField(primary_key=True)
    group = models.ForeignKey(InterventionGroup, on_delete=models.CASCADE, related_name="places")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="intervention_places")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    entry_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    exit_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["group_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "pupil"], name="unique_group_place")
        ]

    def __str__(self) -> str:
        return f"Place {self.pk} (pupil {self.pupil_id})"

    @property
    def change(self) -> Decimal | None:
        if self.entry_value is None or self.exit_value is None:
            return None
        return self.exit_value - self.entry_value


class InterventionSession(models.Model):
    """One session of a group, logged by the member of staff who ran it."""

    id = models.BigAutoField(primary_key=True)
    group = models.ForeignKey(InterventionGroup, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    starts_at = models.TimeField()
    minutes = models.PositiveSmallIntegerField()
    run_by_user_id = models.BigIntegerField(db_index=True)
    run_by_name = models.CharField(max_length=150, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "held_on", "starts_at"], name="unique_group_session"
            )
        ]
        indexes = [models.Index(fields=["run_by_user_id", "held_on"], name="session_staff_day")]

    def __str__(self) -> str:
        return f"Session {self.pk} of group {self.group_id}"


class SessionAttendance(models.Model):
    id = models.BigAutoField(primary_key=True)
    session = models.ForeignKey(
        InterventionSession, on_delete=models.CASCADE, related_name="attendance"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="session_attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "pupil"], name="unique_session_pupil")
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk} (pupil {self.pupil_id})"
