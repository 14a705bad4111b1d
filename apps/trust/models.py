"""Trust console data (public schema). No pupil-identifying data lives here: rollups are
aggregate figures per school, transfers hold only the sending school's internal pupil id."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tenants.models import School, Trust


class TrustSettings(models.Model):
    """Thresholds the trust sets for its shared SENCo checks."""

    trust = models.OneToOneField(Trust, on_delete=models.CASCADE, related_name="console_settings")
    significant_teaching_hours = models.DecimalField(
        "Significant class teaching commitment (hours a week)",
        max_digits=5,
        decimal_places=1,
        default=5,
        help_text="A shared SENCo teaching more than this many hours a week fails the teaching check.",
    )
    min_minutes_per_pupil_on_roll = models.DecimalField(
        "Minimum SENCo time per registered pupil (minutes a week)",
        max_digits=5,
        decimal_places=1,
        default=5,
        validators=[MinValueValidator(0)],
    )
    min_minutes_per_pupil_on_register = models.DecimalField(
        "Minimum SENCo time per pupil on the SEN register (minutes a week)",
        max_digits=5,
        decimal_places=1,
        default=30,
        validators=[MinValueValidator(0)],
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "Months between effectiveness reviews",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "trust settings"

    def __str__(self) -> str:
        return f"Settings of {self.trust}"


class TrustAuditEvent(models.Model):
    """What the trust's staff did in the console (never pupil data: pupil-level actions are
    recorded in the school's own audit log)."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.summary}"


# --- Rollups -----------------------------------------------------------------------------


class RollupFigure(models.Model):
    """The latest value of one figure for one school (e.g. metric "provision", category "K")."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rollup_figures")
    provider = models.CharField(max_length=64)
    metric = models.CharField(max_length=64)
    category = models.CharField(max_length=64, blank=True, default="")
    value = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "metric", "category"], name="one_current_figure"
            )
        ]
        indexes = [models.Index(fields=["metric", "school"])]

    def __str__(self) -> str:
        return f"{self.metric}/{self.category} = {self.value}"


class RollupSnapshot(models.Model):
    """A figure as it stood in a term (the last refresh of that term), kept for trends."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="rollup_snapshots")
    term = models.CharField(max_length=16)  # "2025-autumn": sortable by year then term order
    term_order = models.PositiveIntegerField()  # year * 10 + term number, for ordering
    metric = models.CharField(max_length=64)
    category = models.CharField(max_length=64, blank=True, default="")
    value = models.FloatField()
    taken_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "term", "metric", "category"], name="one_snapshot_per_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.metric}/{self.category} = {self.value}"


class RollupRun(models.Model):
    """When a school's figures were last refreshed, and how it went."""

    class Status(models.TextChoices):
        OK = "ok", "Up to date"
        FAILED = "failed", "Failed"

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="rollup_run")
    status = models.CharField(max_length=16, choices=Status.choices)
    computed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"Rollup of school {self.school_id}: {self.status}"


# --- Shared SENCos and qualifications --------------------------------------------------------


class SencoQualification(models.Model):
    class Award(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        NPQ_IN_PROGRESS = "npq_in_progress", "NPQ for SENCOs in progress"
        NPQ_HELD = "npq_held", "NPQ for SENCOs held"
        NATIONAL_AWARD_HELD = (
            "national_award_held",
            "National Award for SEN Co-ordination held (exempt)",
        )

    HELD = (Award.NPQ_HELD, Award.NATIONAL_AWARD_HELD)

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="senco_qualifications")
    senco = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="senco_qualifications"
    )
    appointed_on = models.DateField("Appointed as SENCo on")
    has_qts = models.BooleanField("Holds qualified teacher status (QTS)", default=True)
    award = models.CharField(
        "Mandatory SENCo qualification",
        max_length=32,
        choices=Award.choices,
        default=Award.NOT_STARTED,
    )
    award_achieved_on = models.DateField("Qualification achieved on", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "senco"], name="one_qualification_record_per_senco"
            )
        ]

    def __str__(self) -> str:
        return f"{self.senco} qualifications"

    @property
    def holds_award(self) -> bool:
        return self.award in self.HELD


class SharedSencoArrangement(models.Model):
    trust = models.ForeignKey(
        Trust, on_delete=models.CASCADE, related_name="shared_senco_arrangements"
    )
    senco = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shared_senco_arrangements"
    )
    teaching_hours_per_week = models.DecimalField(
        "Class teaching commitment (hours a week)",
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    admin_support_hours_per_week = models.DecimalField(
        "Administrative support (hours a week)",
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    started_on = models.DateField("Start date")
    next_review_due = models.DateField("Next review due")
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"Shared SENCo arrangement: {self.senco}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on > date.today()


class ArrangementSchool(models.Model):
    """Time the shared SENCo gives one school."""

    arrangement = models.ForeignKey(
        SharedSencoArrangement, on_delete=models.CASCADE, related_name="school_times"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "school"], name="one_time_row_per_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours_per_week} h at school {self.school_id}"


class EffectivenessReview(models.Model):
    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue"
        CHANGE = "change", "Change"
        END = "end", "End"

    arrangement = models.ForeignKey(
        SharedSencoArrangement, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_on = models.DateField()
    evidence = models.TextField()
    decision = models.CharField(max_length=16, choices=Decision.choices)
    next_review_due = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on}: {self.decision}"


# --- Shared practice library ----------------------------------------------------------------


class LibraryItem(models.Model):
    """Catalogue content only: a title, a summary and a body. There is no field that could hold a
    pupil, and the publish service copies only the item type's catalogue fields."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="library_items")
    item_type = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    area_of_need = models.CharField(max_length=64, blank=True)
    source_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    source_ref = models.CharField(max_length=64, blank=True)  # the item's id in the source school
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class LibraryAdoption(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="adoptions")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    local_ref = models.CharField(max_length=64, blank=True)  # the adopted copy's id in that school
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "school"], name="adopt_once_per_school")
        ]

    def __str__(self) -> str:
        return f"Item {self.item_id} adopted by school {self.school_id}"


# --- Transfers ------------------------------------------------------------------------------


# Why a file moves: a fixed list, never free text, because transfers are kept in the public
# schema where nothing may describe a child.
TRANSFER_REASONS = [
    ("Transfer to secondary", "Transfer to secondary school"),
    ("Phase transfer", "Other phase transfer (for example infant to junior)"),
    ("Managed move", "Managed move"),
    ("In-year move", "In-year move (family moved or chose another trust school)"),
]


class PupilTransfer(models.Model):
    """A pupil's SEND file moving between two schools of one trust. Only ids are held here; the
    pupil's details stay in the schools' own schemas."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the receiving school"
        ACCEPTED = "accepted", "Accepted and copied"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="pupil_transfers")
    from_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    source_pupil_id = models.BigIntegerField()
    received_pupil_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    parts_copied = models.JSONField(
        default=dict, blank=True
    )  # {"pupils": 14, "documents": 2}: counts only

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_school", "source_pupil_id"],
                condition=models.Q(status="pending"),
                name="one_pending_transfer_per_pupil",
            )
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk} ({self.status})"
