"""Forms for the agency pages: they parse; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from apps.pupils.forms import DATE, HubForm

from .models import AgencyKind, Recommendation


class AgencyForm(HubForm):
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices)
    name = forms.CharField(max_length=150)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.CharField(label="Email address", max_length=254, required=False)
    website = forms.CharField(max_length=200, required=False)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    how_to_refer = forms.CharField(
        label="How to refer", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    contact_name = forms.CharField(label="Named contact", max_length=150, required=False)
    contact_job_title = forms.CharField(label="Their job title", max_length=150, required=False)
    contact_phone = forms.CharField(label="Their phone", max_length=40, required=False)
    contact_email = forms.CharField(label="Their email", max_length=254, required=False)

    def split(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        d = dict(self.cleaned_data)
        contact = {k[8:]: d.pop(k) for k in list(d) if k.startswith("contact_")}
        return d, [contact] if any(contact.values()) else []


class ReferralForm(HubForm):
    agency = forms.TypedChoiceField(label="Refer to", coerce=int)
    reason = forms.CharField(
        label="Why you are referring",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you have seen, what has been tried, and what you are asking for.",
    )
    evidence = forms.TypedMultipleChoiceField(
        label="Evidence from the pupil's documents",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        agencies: list[tuple[int, str]],
        documents: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Choose an agency")] + agencies  # type: ignore[attr-defined]
        self.fields["evidence"].choices = documents  # type: ignore[attr-defined]


class ProgressForm(HubForm):
    STEPS = [
        ("sent", "Sent"),
        ("accepted", "Accepted"),
        ("declined", "Declined"),
        ("appointment", "Appointment booked"),
        ("report_received", "Report received"),
        ("closed", "Closed"),
    ]
    status = forms.ChoiceField(label="What happened", choices=STEPS)
    on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    report_summary = forms.CharField(
        label="Report summary", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    recommendations = forms.CharField(
        label="The report's recommendations, one per line",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class AdoptForm(HubForm):
    recommendation_ids = forms.TypedMultipleChoiceField(
        label="Recommendations", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.ChoiceField(
        label="Turn them into",
        choices=[
            (Recommendation.Outcome.STRATEGY, "Strategies that work"),
            (Recommendation.Outcome.PLAN_ACTION, "Support plan actions"),
            (Recommendation.Outcome.NOT_ADOPTED, "Not adopted"),
        ],
        widget=forms.RadioSelect,
        initial=Recommendation.Outcome.STRATEGY,
    )
    review_on = forms.DateField(label="Review on", widget=DATE, required=False)

    def __init__(self, *args: Any, pending: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendation_ids"].choices = pending  # type: ignore[attr-defined]


class BoughtTimeForm(HubForm):
    agency = forms.TypedChoiceField(label="Bought from", coerce=int)
    hours_bought = forms.DecimalField(label="Hours bought", max_digits=6, decimal_places=2)
    starts_on = forms.DateField(label="From", widget=DATE)
    ends_on = forms.DateField(label="Until", widget=DATE)
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies  # type: ignore[attr-defined]


class TimeUseForm(HubForm):
    used_on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    hours = forms.DecimalField(max_digits=5, decimal_places=2)
    what = forms.CharField(label="What for", max_length=200)
