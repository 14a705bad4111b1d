"""EHC needs assessment requests, EHC plans (sections A to K), annual reviews with their
invitations and advice, and personal calendar feeds, in the school's own schema.

Staff are public-schema users: rows keep `*_user_id`, never a foreign key across schemas.
Computed statutory dates are never stored where they can be worked out: they come from
apps.ehcp.rules through properties, so a rule change needs no data migration. The one stored
date, `AnnualReview.review_due_by`, is a snapshot of when the review was due when it was
scheduled: it is the evidence of whether the review was held on time.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone

from . import rules


class AssessmentRequest(models.Model):
    class RequestedBy(models.TextChoices):
        SCHOOL = "school", "School"
        PARENT = "parent", "Parent or carer"
        YOUNG_PERSON = "young_person", "Young person"
        OTHER = "other", "Other (health, social care, another professional)"

    class Decision(models.TextChoices):
        PENDING = "", "Not yet decided"
        ASSESS = "assess", "Agreed to assess"
        NOT_ASSESS = "not_assess", "Refused to assess"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="ehc_assessment_requests"
    )
    requested_by = models.CharField(max_length=16, choices=RequestedBy.choices)
    requested_on = models.DateField()
    local_authority = models.CharField(max_length=100)
    case_officer = models.CharField(max_length=150, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True, default="")
    decision_on = models.DateField("date of the decision whether to assess", null=True, blank=True)
    draft_plan_on = models.DateField("draft plan received", null=True, blank=True)
    final_plan_on = models.DateField("final plan issued", null=True, blank=True)
    refused_on = models.DateField("notice that no plan will be issued", null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by_user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"Assessment request {self.pk} (pupil {self.pupil_id})"

    @property
    def dates(self) -> rules.AssessmentDates:
        return rules.assessment_dates(self.requested_on)

    @property
    def decision_due(self) -> date:
        return self.dates.decision_due

    @property
    def refusal_notice_due(self) -> date:
        return self.dates.refusal_notice_due

    @property
    def final_plan_due(self) -> date:
        return self.dates.final_plan_due

    @property
    def is_open(self) -> bool:
        return not (
            self.decision == self.Decision.NOT_ASSESS or self.final_plan_on or self.refused_on
        )


class EhcPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Maintained"
        CEASED = "ceased", "Ceased"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="ehc_plans")
    assessment_request = models.ForeignKey(
        AssessmentRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    issued_on = models.DateField()
    local_authority = models.CharField(max_length=100)
    case_officer = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    ceased_on = models.DateField(null=True, blank=True)
    # Sections of the plan (Code 9.62). E is in PlanOutcome rows, F in PlanProvision rows.
    section_a = models.TextField("A: views, interests and aspirations", blank=True)
    section_b = models.TextField("B: special educational needs", blank=True)
    section_c = models.TextField("C: health needs related to SEN", blank=True)
    section_d = models.TextField("D: social care needs related to SEN", blank=True)
    section_g = models.TextField("G: health provision", blank=True)
    section_h1 = models.TextField("H1: social care provision (CSDPA 1970 s.2)", blank=True)
    section_h2 = models.TextField("H2: other social care provision", blank=True)
    placement = models.CharField("I: placement", max_length=200, blank=True)
    personal_budget_amount = models.DecimalField(
        "J: personal budget (£ a year)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    personal_budget_details = models.TextField("J: personal budget arrangements", blank=True)
    section_k = models.TextField("K: advice and information", blank=True)
    documents = models.ManyToManyField(
        "documents.PupilDocument", blank=True, related_name="ehc_plans"
    )
    # The date the plan was amended to name the next phase's setting (reg. 18).
    phase_transfer_amended_on = models.DateField(null=True, blank=True)
    created_by_user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"EHC plan {self.pk} (pupil {self.pupil_id})"

    @property
    def reference(self) -> str:
        """The internal reference calendars and digests carry instead of a name."""
        return f"EHCP-{self.pk}"


class PlanOutcome(models.Model):
    """Section E: one outcome, and when it should be achieved."""

    id = models.BigAutoField(primary_key=True)
    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    by_when = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Outcome {self.pk} of plan {self.plan_id}"


class PlanProvision(models.Model):
    """Section F: one piece of special educational provision."""

    id = models.BigAutoField(primary_key=True)
    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="provision")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField()
    # The intervention in the school's provision map (apps.provision) that delivers it, if any:
    # the map's costs and attendance then stand behind section F.
    intervention = models.ForeignKey(
        "provision.Intervention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ehc_plan_provision",
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Provision {self.pk} of plan {self.plan_id}"


class AnnualReview(models.Model):
    class LaDecision(models.TextChoices):
        PENDING = "", "Not yet decided"
        MAINTAIN = "maintain", "Maintain the plan unchanged"
        AMEND = "amend", "Amend the plan"
        CEASE = "cease", "Cease the plan"

    id = models.BigAutoField(primary_key=True)
    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="reviews")
    meeting_on = models.DateField()
    review_due_by = models.DateField()  # snapshot of the plan's next_review_due when scheduled
    meeting_held = models.BooleanField(default=False)
    report_sent_on = models.DateField(null=True, blank=True)
    la_decision = models.CharField(max_length=8, choices=LaDecision.choices, blank=True, default="")
    la_decision_on = models.DateField(null=True, blank=True)
    amendment_notice_on = models.DateField(null=True, blank=True)
    amended_plan_issued_on = models.DateField(null=True, blank=True)
    # The review report (pre-filled from the plan, support plan reviews and attendance; edited by
    # the SENCo).
    report_views = models.TextField("Views of the child or young person and parents", blank=True)
    report_progress = models.TextField("Progress towards the outcomes (section E)", blank=True)
    report_provision = models.TextField("Provision in place (section F)", blank=True)
    report_support_reviews = models.TextField("Latest support plan reviews", blank=True)
    report_attendance = models.TextField("Attendance", blank=True)
    report_recommendation = models.TextField("Recommendations and proposed changes", blank=True)
    created_by_user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-meeting_on", "-id"]
        indexes = [models.Index(fields=["plan", "-meeting_on"], name="review_plan_meeting")]

    def __str__(self) -> str:
        return f"Annual review {self.pk} of plan {self.plan_id}"

    @property
    def dates(self) -> rules.ReviewDates:
        return rules.review_dates(
            meeting_on=self.meeting_on, amendment_notice_on=self.amendment_notice_on
        )

    @property
    def invitations_by(self) -> date:
        return self.dates.invitations_by

    @property
    def report_due(self) -> date:
        return self.dates.report_due

    @property
    def la_decision_due(self) -> date:
        return self.dates.la_decision_due

    @property
    def amended_plan_due(self) -> date | None:
        return self.dates.amended_plan_due


class ReviewInvitation(models.Model):
    class Invitee(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        PUPIL = "pupil", "The child or young person"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        HEALTH = "health", "Health"
        SOCIAL_CARE = "social_care", "Social care"
        OTHER = "other", "Other professional"

    id = models.BigAutoField(primary_key=True)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.CharField(max_length=16, choices=Invitee.choices)
    name = models.CharField(max_length=150, blank=True)
    sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to review {self.review_id}"


class ReviewAdvice(models.Model):
    id = models.BigAutoField(primary_key=True)
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="advice")
    source = models.CharField("advice from", max_length=150)
    requested_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Advice {self.pk} for review {self.review_id}"


class CalendarFeed(models.Model):
    """A user's personal iCalendar feed of this school's deadlines. Only a hash of the secret is
    kept: the URL is shown once when made; regenerating revokes the old one."""

    id = models.BigAutoField(primary_key=True)
    user_id = models.BigIntegerField(db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Calendar feed {self.pk} (user {self.user_id})"


class DeadlineDigest(models.Model):
    """One weekly digest sent (the week's Monday): a retried or repeated task sends nothing
    twice."""

    id = models.BigAutoField(primary_key=True)
    week_of = models.DateField(unique=True)
    recipients = models.PositiveSmallIntegerField(default=0)
    deadlines = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Digest for the week of {self.week_of}"
