"""Support plans and the graduated approach (assess, plan, do, review), in the school's schema.

A pupil on the register has one *current* plan; a review rates each outcome of that plan, records
who attended and what the pupil and parents said, and rolls the plan to its next version. Earlier
versions stay as they were (status ``superseded``), readable side by side with the one that
followed. Staff are public users: ``*_user_id`` and their name at the time.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from apps.provision.models import Intervention, InterventionGroup
from apps.pupils.models import Pupil


class SupportPlan(models.Model):
    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="support_plans")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.CURRENT, db_index=True
    )
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    strategies = models.TextField(blank=True)
    pupil_views = models.TextField("the pupil's views", blank=True)
    parent_views = models.TextField("the parents' views", blank=True)
    lead_user_id = models.BigIntegerField(null=True, blank=True)
    lead_name = models.CharField(max_length=150, blank=True)
    starts_on = models.DateField(default=timezone.localdate)
    review_due = models.DateField(db_index=True)
    # The provision allocated from the provision map.
    provision = models.ManyToManyField(InterventionGroup, related_name="plans", blank=True)
    written_by_user_id = models.BigIntegerField(null=True, blank=True)
    written_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pupil_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "version"], name="unique_plan_version"),
            models.UniqueConstraint(
                fields=["pupil"],
                condition=models.Q(status="current"),
                name="one_current_plan_per_pupil",
            ),
        ]

    def __str__(self) -> str:
        return f"Support plan {self.pk} v{self.version} (pupil {self.pupil_id})"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.CURRENT


class Outcome(models.Model):
    """What the pupil will achieve, by when, and how it will be measured; rated at review."""

    class Rating(models.TextChoices):
        NOT_MET = "not_met", "Not met"
        PARTLY_MET = "partly_met", "Partly met"
        MET = "met", "Met"
        EXCEEDED = "exceeded", "Exceeded"

    id = models.BigAutoField(primary_key=True)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    measure = models.CharField(max_length=300)
    target_date = models.DateField()
    rating = models.CharField(max_length=12, choices=Rating.choices, blank=True)
    # The intervention meant to meet it (impact counts the share of linked outcomes met).
    intervention = models.ForeignKey(
        Intervention, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    # The outcome of the earlier version this one carries on.
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )

    class Meta:
        ordering = ["plan_id", "position", "id"]

    def __str__(self) -> str:
        return f"Outcome {self.pk} of plan {self.plan_id}"

    @property
    def is_met(self) -> bool:
        return self.rating in (self.Rating.MET, self.Rating.EXCEEDED)


class Review(models.Model):
    """The review of one plan version; it produced ``next_plan``."""

    id = models.BigAutoField(primary_key=True)
    plan = models.OneToOneField(SupportPlan, on_delete=models.CASCADE, related_name="review")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="support_reviews")
    held_on = models.DateField()
    attendees = models.TextField(blank=True)
    pupil_contribution = models.TextField(blank=True)
    parent_contribution = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    next_plan = models.OneToOneField(
        SupportPlan, on_delete=models.PROTECT, related_name="produced_by_review"
    )
    recorded_by_user_id = models.BigIntegerField(null=True, blank=True)
    recorded_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["pupil", "-held_on"], name="review_pupil_held")]

    def __str__(self) -> str:
        return f"Review {self.pk} (pupil {self.pupil_id})"


class Assessment(models.Model):
    """One assessment result: a standardised score, reading or spelling age, screener..."""

    class Kind(models.TextChoices):
        STANDARDISED = "standardised", "Standardised score"
        READING_AGE = "reading_age", "Reading age"
        SPELLING_AGE = "spelling_age", "Spelling age"
        SCREENER = "screener", "Screener"
        OBSERVATION = "observation", "Structured observation"
        OTHER = "other", "Other"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    measure = models.CharField(max_length=150)  # e.g. "NGRT standardised score", "Reading age"
    value = models.CharField(max_length=60)  # as written: "94", "7y 6m", "At risk"
    # The value as a number where it is one (ages in months), for change over time.
    numeric_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    assessed_on = models.DateField()
    assessed_by_user_id = models.BigIntegerField(null=True, blank=True)
    assessed_by_name = models.CharField(max_length=150, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["pupil", "-assessed_on"], name="assessment_pupil_date")]

    def __str__(self) -> str:
        return f"Assessment {self.pk} (pupil {self.pupil_id})"


class Observation(models.Model):
    """A teacher's or teaching assistant's observation that feeds the next review."""

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="support_observations")
    plan = models.ForeignKey(
        SupportPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations"
    )
    observed_on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    observed_by_user_id = models.BigIntegerField(null=True, blank=True)
    observed_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_on", "-id"]

    def __str__(self) -> str:
        return f"Observation {self.pk} (pupil {self.pupil_id})"
