"""The people around the pupil at home, the meetings held with them and the consent they gave.

Every row points at a pupil in the same school schema, so the subject access export (which walks
the model graph from Pupil) carries it without code there. Staff are public users: kept by id and
name (``*_user_id``), never a foreign key across schemas.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from apps.pupils.models import Pupil


class Contact(models.Model):
    """A parent, carer or other adult the school contacts about the pupil."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        CARER = "carer", "Carer"
        STEP_PARENT = "step_parent", "Step-parent"
        GRANDPARENT = "grandparent", "Grandparent"
        FOSTER_CARER = "foster_carer", "Foster carer"
        SOCIAL_WORKER = "social_worker", "Social worker"
        OTHER = "other", "Other"

    class Preference(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="family_contacts")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=False)
    lives_with_pupil = models.BooleanField(default=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    preferred_contact = models.CharField(
        max_length=12, choices=Preference.choices, default=Preference.PHONE
    )
    contact_notes = models.CharField("when and how to contact", max_length=200, blank=True)
    language = models.CharField("home language", max_length=60, default="English")
    needs_interpreter = models.BooleanField(default=False)
    priority = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pupil_id", "priority", "id"]
        indexes = [models.Index(fields=["pupil", "priority"], name="contact_pupil_priority")]

    def __str__(self) -> str:
        return f"Contact {self.pk} (pupil {self.pupil_id})"


class Meeting(models.Model):
    """A meeting with the pupil's parents or carers (Code of Practice 6.65-6.71)."""

    class Kind(models.TextChoices):
        SEN_SUPPORT_REVIEW = "sen_support_review", "SEN support review"
        EHC_REVIEW = "ehc_review", "EHC plan annual review"
        INFORMAL = "informal", "Informal meeting"
        MULTI_AGENCY = "multi_agency", "Multi-agency meeting"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="family_meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField("date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    attendees = models.TextField(help_text="Who was there, one per line, with their role.")
    parents_views = models.TextField("the parents' views", blank=True)
    pupil_views = models.TextField("the pupil's views", blank=True)
    notes = models.TextField(blank=True)
    recorded_by_user_id = models.BigIntegerField(null=True, blank=True)
    recorded_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["pupil", "status", "held_on"], name="meeting_pupil_held")]

    def __str__(self) -> str:
        return f"Meeting {self.pk} (pupil {self.pupil_id})"


class AgreedAction(models.Model):
    """Something agreed at a meeting: who does it and by when, tracked to done."""

    id = models.BigAutoField(primary_key=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField()
    owner_name = models.CharField(max_length=150)
    owner_user_id = models.BigIntegerField(null=True, blank=True)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["done_on", "due_on", "id"]

    def __str__(self) -> str:
        return f"Action {self.pk} (meeting {self.meeting_id})"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class Consent(models.Model):
    """Consent given or refused for one purpose, by whom, when, on what evidence; withdrawable.

    A referral names the agency (``agency``); sharing names the body (``named_body``)."""

    class Purpose(models.TextChoices):
        REFERRAL = "referral", "Referral to a named agency"
        SHARING = "sharing", "Sharing information with a named body"
        PHOTOGRAPHS = "photographs", "Photographs"

    class Decision(models.TextChoices):
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
    )
    named_body = models.CharField(max_length=150, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    given_by = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )
    given_by_name = models.CharField("given or refused by", max_length=150)
    decided_on = models.DateField()
    evidence = models.CharField(
        max_length=300, help_text="e.g. signed form scanned to the pupil's documents"
    )
    expires_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    recorded_by_user_id = models.BigIntegerField(null=True, blank=True)
    recorded_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["pupil", "purpose"], name="consent_pupil_purpose")]

    def __str__(self) -> str:
        return f"Consent {self.pk} (pupil {self.pupil_id})"

    def is_current(self, on: object = None) -> bool:
        from .rules import consent_is_current

        return consent_is_current(
            decision=self.decision,
            withdrawn_on=self.withdrawn_on,
            expires_on=self.expires_on,
            on=on or timezone.localdate(),  # type: ignore[arg-type]
        )

    @property
    def party(self) -> str:
        if self.agency_id and self.agency is not None:
            return self.agency.name
        return self.named_body
