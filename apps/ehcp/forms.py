"""Forms for the EHC pages: they parse; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.pupils.forms import DATE, HubForm

from .models import AnnualReview, AssessmentRequest, EhcPlan, ReviewInvitation

TEXT = forms.Textarea(attrs={"rows": 4})


def _date(label: str, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


class RequestForm(HubForm):
    requested_by = forms.ChoiceField(
        label="Who asked", choices=AssessmentRequest.RequestedBy.choices
    )
    requested_on = _date("Date of the request", required=True)
    local_authority = forms.CharField(label="Local authority", max_length=100)
    case_officer = forms.CharField(label="Case officer (optional)", max_length=150, required=False)
    decision = forms.ChoiceField(
        label="The LA's decision whether to assess",
        choices=AssessmentRequest.Decision.choices,
        required=False,
    )
    decision_on = _date("Date of the decision (optional)")
    draft_plan_on = _date("Draft plan received (optional)")
    final_plan_on = _date("Final plan issued (optional)")
    refused_on = _date("Notice that no plan will be issued (optional)")
    notes = forms.CharField(label="Notes (optional)", widget=TEXT, required=False)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PlanForm(HubForm):
    issued_on = _date("Date the final plan was issued", required=True)
    local_authority = forms.CharField(label="Local authority", max_length=100)
    case_officer = forms.CharField(label="Case officer (optional)", max_length=150, required=False)
    section_a = forms.CharField(
        label=EhcPlan._meta.get_field("section_a").verbose_name, widget=TEXT, required=False
    )
    section_b = forms.CharField(
        label=EhcPlan._meta.get_field("section_b").verbose_name, widget=TEXT, required=False
    )
    section_c = forms.CharField(
        label=EhcPlan._meta.get_field("section_c").verbose_name, widget=TEXT, required=False
    )
    section_d = forms.CharField(
        label=EhcPlan._meta.get_field("section_d").verbose_name, widget=TEXT, required=False
    )
    outcomes = forms.CharField(
        label="E: outcomes",
        widget=TEXT,
        required=False,
        help_text="One outcome a line; add when it should be met after a '|', e.g. "
        "'Reads a Year 4 text independently | July 2027'.",
    )
    provision = forms.CharField(
        label="F: special educational provision",
        widget=TEXT,
        required=False,
        help_text="One piece of provision a line.",
    )
    section_g = forms.CharField(
        label=EhcPlan._meta.get_field("section_g").verbose_name, widget=TEXT, required=False
    )
    section_h1 = forms.CharField(
        label=EhcPlan._meta.get_field("section_h1").verbose_name, widget=TEXT, required=False
    )
    section_h2 = forms.CharField(
        label=EhcPlan._meta.get_field("section_h2").verbose_name, widget=TEXT, required=False
    )
    placement = forms.CharField(label="I: placement", max_length=200, required=False)
    personal_budget_amount = forms.DecimalField(
        label="J: personal budget, £ a year (optional)",
        max_digits=9,
        decimal_places=2,
        required=False,
    )
    personal_budget_details = forms.CharField(
        label="J: personal budget arrangements", widget=TEXT, required=False
    )
    section_k = forms.CharField(
        label=EhcPlan._meta.get_field("section_k").verbose_name, widget=TEXT, required=False
    )
    phase_transfer_amended_on = _date(
        "Date the plan was amended for the next phase (optional)",
        help_text="For pupils in the last year of the school's phase (reg. 18).",
    )
    update_register = forms.BooleanField(
        label="Also change the pupil's register entry to E (EHC plan) now",
        required=False,
    )

    def __init__(self, *args: Any, offer_register_update: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not offer_register_update:
            del self.fields["update_register"]

    def plan_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["outcomes"] = [
            {"text": part[0].strip(), "by_when": part[1].strip() if len(part) > 1 else ""}
            for part in (line.split("|", 1) for line in _lines(data.get("outcomes", "")))
        ]
        data["provision"] = [{"description": line} for line in _lines(data.get("provision", ""))]
        return data

    @staticmethod
    def initial_from(plan: EhcPlan) -> dict[str, Any]:
        initial = {
            f.name: getattr(plan, f.name)
            for f in EhcPlan._meta.concrete_fields
            if f.name not in ("id", "pupil", "assessment_request", "created_at", "updated_at")
        }
        initial["outcomes"] = "\n".join(
            o.text + (f" | {o.by_when}" if o.by_when else "") for o in plan.outcomes.all()
        )
        initial["provision"] = "\n".join(p.description for p in plan.provision.all())
        return initial


class ScheduleReviewForm(HubForm):
    meeting_on = _date("Date of the review meeting", required=True)


class ReviewStepsForm(HubForm):
    meeting_held = forms.BooleanField(label="The meeting was held on this date", required=False)
    report_sent_on = _date("Review report sent to the LA and attendees (optional)")
    la_decision = forms.ChoiceField(
        label="The LA's decision", choices=AnnualReview.LaDecision.choices, required=False
    )
    la_decision_on = _date("Date of the LA's decision (optional)")
    amendment_notice_on = _date("Amendment notice received (optional)")
    amended_plan_issued_on = _date("Amended plan issued (optional)")


class ReportForm(HubForm):
    report_views = forms.CharField(
        label="Views of the child or young person and parents", widget=TEXT, required=False
    )
    report_progress = forms.CharField(
        label="Progress towards the outcomes (section E)",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    report_provision = forms.CharField(
        label="Provision in place (section F)", widget=TEXT, required=False
    )
    report_support_reviews = forms.CharField(
        label="Latest support plan reviews", widget=TEXT, required=False
    )
    report_attendance = forms.CharField(label="Attendance", widget=TEXT, required=False)
    report_recommendation = forms.CharField(
        label="Recommendations and proposed changes", widget=TEXT, required=False
    )


class InviteeForm(HubForm):
    invitee = forms.ChoiceField(label="Who", choices=ReviewInvitation.Invitee.choices)
    name = forms.CharField(label="Name or service (optional)", max_length=150, required=False)


class SendInvitationsForm(HubForm):
    sent_on = _date("Date sent", required=True)


class AdviceForm(HubForm):
    source = forms.CharField(label="Advice from", max_length=150)
    requested_on = _date("Date requested", required=True)
