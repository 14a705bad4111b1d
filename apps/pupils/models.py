"""Pupils and their SEND record, in the school's own schema.

Staff are users in the public schema: rows here keep their user id (`*_user_id`), never a
foreign key across schemas. The current register entry (provision, ranked needs, date identified,
lead member of staff) sits on the pupil so the register is one table scan; every change to it is
kept in SenHistory with who, when and why — the history is what a CTF and the census carry.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone

from .codes import NEED_CHOICES, YEAR_GROUP_CHOICES, Provision, broad_areas, need_label


class PupilQuerySet(models.QuerySet["Pupil"]):
    def on_roll(self, today: date | None = None) -> PupilQuerySet:
        """Pupils on the school's roll on `today` (no leaving date, or one still to come). The
        one definition of "on roll": pages, rollups, transfers and pickers all use it."""
        today = today or timezone.localdate()
        return self.filter(models.Q(leaving_date__isnull=True) | models.Q(leaving_date__gt=today))

    def on_register(self) -> PupilQuerySet:
        """Pupils on the SEN register (SEN support or an EHC plan)."""
        return self.filter(sen_provision__in=(Provision.SEN_SUPPORT, Provision.EHC_PLAN))


class Pupil(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"

    id = models.BigAutoField(primary_key=True)
    upn = models.CharField("UPN", max_length=13, unique=True)
    first_name = models.CharField("legal first name", max_length=100)
    last_name = models.CharField("legal last name", max_length=100)
    preferred_first_name = models.CharField(max_length=100, blank=True)
    preferred_last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    year_group = models.CharField(max_length=2, choices=YEAR_GROUP_CHOICES, db_index=True)
    form = models.CharField("registration form", max_length=20, blank=True)
    admission_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(null=True, blank=True)

    eal = models.BooleanField("English as an additional language", default=False)
    pupil_premium = models.BooleanField(default=False)
    free_school_meals = models.BooleanField(default=False)
    looked_after = models.BooleanField("looked-after child", default=False)
    designated_teacher_user_id = models.BigIntegerField(null=True, blank=True)
    medical_needs = models.TextField(blank=True)

    # The register entry (current state; history in SenHistory).
    sen_provision = models.CharField(
        max_length=1, choices=Provision.choices, default=Provision.NONE, db_index=True
    )
    primary_need = models.CharField(max_length=8, choices=NEED_CHOICES, blank=True)
    secondary_need = models.CharField(max_length=8, choices=NEED_CHOICES, blank=True)
    sen_identified_on = models.DateField("date identified", null=True, blank=True)
    sen_lead_user_id = models.BigIntegerField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "first_name"], name="pupil_name")]

    def __str__(self) -> str:
        return f"Pupil {self.pk}"  # never a name: str() ends up in logs

    @property
    def display_name(self) -> str:
        first = self.preferred_first_name or self.first_name
        last = self.preferred_last_name or self.last_name
        return f"{first} {last}"

    @property
    def legal_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def on_register(self) -> bool:
        return self.sen_provision in (Provision.SEN_SUPPORT, Provision.EHC_PLAN)

    @property
    def broad_areas(self) -> list[str]:
        return broad_areas(self.primary_need, self.secondary_need)

    @property
    def primary_need_label(self) -> str:
        return need_label(self.primary_need) if self.primary_need else ""

    @property
    def secondary_need_label(self) -> str:
        return need_label(self.secondary_need) if self.secondary_need else ""

    @property
    def is_on_roll(self) -> bool:
        return self.leaving_date is None or self.leaving_date > timezone.localdate()


class SenHistory(models.Model):
    """One dated change of the register entry: the state from `effective_date` on."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered in SENCo Hub"
        IMPORT = "import", "MIS import"
        CTF = "ctf", "Common Transfer File"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="sen_history")
    effective_date = models.DateField()
    # Historic codes (A, P, S) can arrive by CTF; they are never assigned in SENCo Hub.
    provision = models.CharField(max_length=1)
    primary_need = models.CharField(max_length=8, blank=True)
    secondary_need = models.CharField(max_length=8, blank=True)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    changed_by_user_id = models.BigIntegerField(null=True, blank=True)
    changed_by_name = models.CharField(max_length=150, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_date", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["pupil", "-effective_date"], name="senhistory_pupil_date")]

    def __str__(self) -> str:
        return f"SEN history {self.pk} (pupil {self.pupil_id})"

    @property
    def provision_label(self) -> str:
        from .codes import HISTORIC_PROVISIONS

        try:
            return Provision(self.provision).label
        except ValueError:
            return HISTORIC_PROVISIONS.get(self.provision, self.provision)


class TeachingGroup(models.Model):
    """A class or teaching set. Staff (public user ids) teach it; pupils are in it."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=60, unique=True)
    year_group = models.CharField(max_length=2, choices=YEAR_GROUP_CHOICES, blank=True)
    subject = models.CharField(max_length=60, blank=True)
    pupils = models.ManyToManyField(Pupil, related_name="teaching_groups", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeachingGroupStaff(models.Model):
    id = models.BigAutoField(primary_key=True)
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="staff")
    user_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user_id"], name="unique_group_staff")
        ]

    def __str__(self) -> str:
        return f"Staff {self.user_id} in group {self.group_id}"


class TAAssignment(models.Model):
    """A teaching assistant assigned to work with a pupil."""

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="ta_assignments")
    user_id = models.BigIntegerField(db_index=True)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "user_id"], name="unique_ta_assignment")
        ]

    def __str__(self) -> str:
        return f"TA {self.user_id} for pupil {self.pupil_id}"


class PupilProfile(models.Model):
    """The one-page profile and how the pupil likes to communicate."""

    id = models.BigAutoField(primary_key=True)
    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="profile")
    like_and_admire = models.TextField("What people like and admire about me", blank=True)
    important_to_me = models.TextField("What is important to me", blank=True)
    how_to_support = models.TextField("How best to support me", blank=True)
    communication_preferences = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by_user_id = models.BigIntegerField(null=True, blank=True)
    updated_by_name = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"Profile of pupil {self.pupil_id}"


class PupilVoice(models.Model):
    """What the pupil said, in their words, and how it was gathered."""

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="voice_entries")
    recorded_on = models.DateField(default=timezone.localdate)
    what_they_said = models.TextField()
    how_gathered = models.CharField(max_length=120, blank=True)
    recorded_by_user_id = models.BigIntegerField(null=True, blank=True)
    recorded_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"Pupil voice {self.pk} (pupil {self.pupil_id})"


class Strategy(models.Model):
    """A strategy that works for this pupil: what every adult who teaches them should know."""

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="strategies")
    text = models.TextField()
    is_active = models.BooleanField(default=True)
    added_by_user_id = models.BigIntegerField(null=True, blank=True)
    added_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_active", "-created_at", "-id"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return f"Strategy {self.pk} (pupil {self.pupil_id})"


class Concern(models.Model):
    """A member of staff's concern about a pupil, triaged by the SENCo."""

    class Status(models.TextChoices):
        NEW = "new", "Awaiting triage"
        MONITOR = "monitor", "Monitor"
        ASSESS = "assess", "Assess"
        ADDED_TO_REGISTER = "added_to_register", "Added to the register"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    OPEN_STATUSES = (Status.NEW, Status.MONITOR, Status.ASSESS)
    DECISIONS = (Status.MONITOR, Status.ASSESS, Status.ADDED_TO_REGISTER, Status.NO_FURTHER_ACTION)

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="concerns")
    what_seen = models.TextField("What have you noticed?")
    what_tried = models.TextField("What have you tried so far?", blank=True)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.NEW, db_index=True
    )
    raised_by_user_id = models.BigIntegerField(null=True, blank=True)
    raised_by_name = models.CharField(max_length=150, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"Concern {self.pk} (pupil {self.pupil_id})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ConcernNote(models.Model):
    """A dated triage decision or note on a concern."""

    id = models.BigAutoField(primary_key=True)
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    decision = models.CharField(max_length=24, choices=Concern.Status.choices, blank=True)
    note = models.TextField(blank=True)
    written_on = models.DateField(default=timezone.localdate)
    written_by_user_id = models.BigIntegerField(null=True, blank=True)
    written_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on concern {self.concern_id}"
