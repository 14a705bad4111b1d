"""Staff who work with pupils with SEND: contracts, deployment, training and skills; exam access
arrangements; transition plans.

A member of staff may have a login (``user_id``: the public user, kept by id) or not (many
teaching assistants never sign in) — the record is the school's either way.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from apps.pupils.models import Pupil, TeachingGroup


class Skill(models.TextChoices):
    """What training qualifies someone for; the skills matrix's columns."""

    ELKLAN = "elklan", "Speech and language (ELKLAN)"
    AUTISM = "autism", "Autism awareness"
    PRECISION_TEACHING = "precision_teaching", "Precision teaching"
    PHONICS_CATCH_UP = "phonics_catch_up", "Phonics catch-up"
    SOCIAL_SKILLS = "social_skills", "Social skills groups"
    ZONES = "zones", "Emotional regulation (Zones of Regulation)"
    MOVE_AND_MOTOR = "move_and_motor", "Motor skills programmes"
    SIGN = "sign", "Makaton / signing"
    MEDICAL = "medical", "Medical needs (e.g. epilepsy, diabetes)"
    EXAM_ACCESS = "exam_access", "Exam access arrangements (reader, scribe)"


class StaffMember(models.Model):
    class Role(models.TextChoices):
        TEACHER = "teacher", "Teacher"
        TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
        HLTA = "hlta", "Higher level teaching assistant"
        SENCO = "senco", "SENCo"
        LEADER = "leader", "Senior leader"
        THERAPIST = "therapist", "In-house therapist"
        OTHER = "other", "Other"

    DEPLOYABLE = (Role.TEACHING_ASSISTANT, Role.HLTA)

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    contracted_hours = models.DecimalField(
        "contracted hours a week", max_digits=4, decimal_places=1
    )
    user_id = models.BigIntegerField(null=True, blank=True, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.name


class Deployment(models.Model):
    """Hours a week a member of staff works with a pupil or runs a group."""

    id = models.BigAutoField(primary_key=True)
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="deployments")
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_deployments"
    )
    group = models.ForeignKey(
        TeachingGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_deployments",
    )
    group_name = models.CharField(max_length=120, blank=True)
    hours_a_week = models.DecimalField(max_digits=4, decimal_places=1)
    needs_skill = models.CharField(max_length=24, choices=Skill.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["staff_id", "id"]

    def __str__(self) -> str:
        return f"Deployment {self.pk}"

    @property
    def what(self) -> str:
        if self.group_id and self.group is not None:
            return self.group.name
        return self.group_name or "1:1 support"


class Training(models.Model):
    id = models.BigAutoField(primary_key=True)
    topic = models.CharField(max_length=200)
    skill = models.CharField(max_length=24, choices=Skill.choices, blank=True)
    delivered_on = models.DateField()
    provider = models.CharField(max_length=150)
    hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    attendees = models.ManyToManyField(StaffMember, related_name="training", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        verbose_name_plural = "training"

    def __str__(self) -> str:
        return self.topic


class AccessArrangement(models.Model):
    """An exam access arrangement (JCQ) for a secondary pupil, with its evidence."""

    class Kind(models.TextChoices):
        EXTRA_TIME = "extra_time", "Extra time"
        READER = "reader", "Reader"
        SCRIBE = "scribe", "Scribe"
        WORD_PROCESSOR = "word_processor", "Word processor"
        REST_BREAKS = "rest_breaks", "Supervised rest breaks"
        SEPARATE_ROOM = "separate_room", "Separate room"
        PROMPTER = "prompter", "Prompter"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="access_arrangements")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    extra_time_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    assessor = models.CharField(max_length=150, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    history_of_need = models.TextField(blank=True)
    normal_way_of_working = models.TextField(blank=True)
    expires_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pupil_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extra_time_percent__isnull=True)
                | models.Q(extra_time_percent__gt=0, extra_time_percent__lte=100),
                name="extra_time_percent_range",
            )
        ]

    def __str__(self) -> str:
        return f"Access arrangement {self.pk} (pupil {self.pupil_id})"

    @property
    def label(self) -> str:
        if self.kind == self.Kind.EXTRA_TIME and self.extra_time_percent:
            return f"Extra time ({self.extra_time_percent}%)"
        return self.get_kind_display()


class Transition(models.Model):
    """A plan for a pupil moving phase or school, with a checklist."""

    class Kind(models.TextChoices):
        PHASE = "phase", "Change of phase (e.g. Year 6 to Year 7)"
        SCHOOL = "school", "Change of school"
        POST_16 = "post_16", "Into post-16"

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        HANDED_OVER = "handed_over", "Handed over"
        CANCELLED = "cancelled", "Cancelled"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    destination = models.CharField("next setting", max_length=150)
    destination_urn = models.CharField("next setting's URN", max_length=6, blank=True)
    # A school of the same trust (public School id, not a foreign key across schemas): the
    # hand-over is the in-trust transfer. Otherwise the receiving school gets the leaver CTF.
    destination_school_id = models.BigIntegerField(null=True, blank=True)
    handover_transfer_id = models.BigIntegerField(null=True, blank=True)
    handed_over_on = models.DateField(null=True, blank=True)
    moves_on = models.DateField()
    responsible_name = models.CharField("who is responsible", max_length=150)
    responsible_user_id = models.BigIntegerField(null=True, blank=True)
    key_information = models.TextField("key information for the next setting", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["moves_on", "id"]

    def __str__(self) -> str:
        return f"Transition {self.pk} (pupil {self.pupil_id})"


class TransitionStep(models.Model):
    """One checklist item or visit of a transition plan."""

    id = models.BigAutoField(primary_key=True)
    transition = models.ForeignKey(Transition, on_delete=models.CASCADE, related_name="steps")
    what = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Step {self.pk} (transition {self.transition_id})"
