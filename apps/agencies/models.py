"""The school's directory of outside professionals, referrals to them and what their reports
recommended; bought educational psychology time."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone

from apps.pupils.models import Pupil


class AgencyKind(models.TextChoices):
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology"
    SPEECH_AND_LANGUAGE = "speech_and_language", "Speech and language therapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    CAMHS = "camhs", "CAMHS"
    SPECIALIST_TEACHER = "specialist_teacher", "Specialist teaching service"
    SENSORY_SUPPORT = "sensory_support", "Sensory support"
    PAEDIATRICS = "paediatrics", "Paediatrics"
    SCHOOL_NURSING = "school_nursing", "School nursing"
    SOCIAL_CARE = "social_care", "Social care"
    EARLY_HELP = "early_help", "Early help"
    LA_SEN_TEAM = "la_sen_team", "Local authority SEN team"


class Agency(models.Model):
    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=24, choices=AgencyKind.choices, db_index=True)
    name = models.CharField(max_length=150)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    how_to_refer = models.TextField(blank=True)
    # Copied from the trust's shared directory (apps.trust library item id), if it came from there.
    from_trust_library_item = models.BigIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class AgencyContact(models.Model):
    """A named professional at an agency (not a pupil's data: a work contact)."""

    id = models.BigAutoField(primary_key=True)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Drafted"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        APPOINTMENT = "appointment", "Appointment booked"
        REPORT_RECEIVED = "report_received", "Report received"
        STOPPED = "stopped", "Stopped (consent withdrawn)"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = (Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.APPOINTMENT)
    WAITING_STATUSES = (Status.SENT, Status.ACCEPTED, Status.APPOINTMENT)

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    reason = models.TextField()
    evidence = models.ManyToManyField(
        "documents.PupilDocument", blank=True, related_name="referrals"
    )
    # RESTRICT: a consent a referral relied on cannot be deleted on its own, but both go when
    # the pupil's record is deleted (retention, or a test cleaning up).
    consent = models.ForeignKey(
        "family.Consent",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    drafted_on = models.DateField(default=timezone.localdate)
    sent_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    appointment_on = models.DateField(null=True, blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    report_summary = models.TextField(blank=True)
    stopped_reason = models.CharField(max_length=300, blank=True)
    made_by_user_id = models.BigIntegerField(null=True, blank=True)
    made_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-drafted_on", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="referral_agency_status")]

    def __str__(self) -> str:
        return f"Referral {self.pk} (pupil {self.pupil_id})"

    def waiting_days(self, today: object = None) -> int | None:
        from .rules import waiting_days

        return waiting_days(
            sent_on=self.sent_on,
            seen_on=self.appointment_on or self.report_received_on,
            today=today or timezone.localdate(),  # type: ignore[arg-type]
        )


class Recommendation(models.Model):
    """One recommendation from an agency's report and what the school did with it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not yet decided"
        STRATEGY = "strategy", "Became a strategy that works"
        PLAN_ACTION = "plan_action", "Became a support plan action"
        NOT_ADOPTED = "not_adopted", "Not adopted"

    id = models.BigAutoField(primary_key=True)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    strategy = models.ForeignKey(
        "pupils.Strategy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_recommendations",
    )
    review_on = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Recommendation {self.pk} (referral {self.referral_id})"


class BoughtTime(models.Model):
    """Hours of an agency's time the school bought (typically educational psychology)."""

    id = models.BigAutoField(primary_key=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="bought_time")
    starts_on = models.DateField()
    ends_on = models.DateField()
    hours_bought = models.DecimalField(max_digits=6, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"Bought time {self.pk}"

    def hours_used(self) -> Decimal:
        total = self.uses.aggregate(total=models.Sum("hours"))["total"]
        return total or Decimal("0")


class TimeUse(models.Model):
    id = models.BigAutoField(primary_key=True)
    bought = models.ForeignKey(BoughtTime, on_delete=models.CASCADE, related_name="uses")
    used_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    pupil = models.ForeignKey(
        Pupil, on_delete=models.SET_NULL, null=True, blank=True, related_name="agency_time_used"
    )
    what = models.CharField(max_length=200)

    class Meta:
        ordering = ["-used_on", "-id"]

    def __str__(self) -> str:
        return f"Time use {self.pk}"
