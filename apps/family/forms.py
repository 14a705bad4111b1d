"""Forms for the family pages: they parse; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from apps.pupils.forms import DATE, HubForm

from .models import Consent, Contact, Meeting


class ContactForm(HubForm):
    name = forms.CharField(label="Full name", max_length=150)
    relationship = forms.ChoiceField(choices=Contact.Relationship.choices)
    parental_responsibility = forms.BooleanField(
        label="Has parental responsibility", required=False
    )
    lives_with_pupil = forms.BooleanField(label="Lives with the pupil", required=False)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.CharField(label="Email address", max_length=254, required=False)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    preferred_contact = forms.ChoiceField(
        label="Prefers to be contacted by", choices=Contact.Preference.choices
    )
    contact_notes = forms.CharField(
        label="When and how to contact",
        max_length=200,
        required=False,
        help_text="For example: after 3pm; not at work.",
    )
    language = forms.CharField(label="Home language", max_length=60, initial="English")
    needs_interpreter = forms.BooleanField(label="Needs an interpreter", required=False)
    priority = forms.IntegerField(label="Contact order", min_value=1, max_value=9, initial=1)


class MeetingForm(HubForm):
    ACTION_ROWS = 3

    kind = forms.ChoiceField(label="Kind of meeting", choices=Meeting.Kind.choices)
    held_on = forms.DateField(label="Date", widget=DATE)
    status = forms.ChoiceField(choices=Meeting.Status.choices, initial=Meeting.Status.HELD)
    attendees = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Who was there, with their role."
    )
    parents_views = forms.CharField(
        label="The parents' views", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    pupil_views = forms.CharField(
        label="The pupil's views", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.ACTION_ROWS + 1):
            self.fields[f"action_{i}_what"] = forms.CharField(
                label=f"Agreed action {i}", required=False, max_length=500
            )
            self.fields[f"action_{i}_owner_name"] = forms.CharField(
                label=f"Who owns action {i}", required=False, max_length=150
            )
            self.fields[f"action_{i}_due_on"] = forms.DateField(
                label=f"Action {i} due by", required=False, widget=DATE
            )

    def actions(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(1, self.ACTION_ROWS + 1):
            row = {
                "what": self.cleaned_data.get(f"action_{i}_what", ""),
                "owner_name": self.cleaned_data.get(f"action_{i}_owner_name", ""),
                "due_on": self.cleaned_data.get(f"action_{i}_due_on"),
                "form_row": i,
            }
            if row["what"] or row["owner_name"] or row["due_on"]:
                rows.append(row)
        return rows

    def meeting_data(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in (
                "kind",
                "held_on",
                "status",
                "attendees",
                "parents_views",
                "pupil_views",
                "notes",
            )
        }


class ConsentForm(HubForm):
    purpose = forms.ChoiceField(label="Consent for", choices=Consent.Purpose.choices)
    agency = forms.TypedChoiceField(
        label="Agency (for a referral)", coerce=int, required=False, empty_value=None
    )
    named_body = forms.CharField(
        label="Shared with (for sharing information)", max_length=150, required=False
    )
    decision = forms.ChoiceField(choices=Consent.Decision.choices, widget=forms.RadioSelect)
    given_by_name = forms.CharField(label="Given or refused by", max_length=150)
    decided_on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    evidence = forms.CharField(
        max_length=300,
        help_text="For example: signed consent form, scanned to the pupil's documents.",
    )
    expires_on = forms.DateField(label="Expires on (if it does)", widget=DATE, required=False)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Choose an agency")] + agencies  # type: ignore[attr-defined]


class WithdrawForm(HubForm):
    withdrawn_on = forms.DateField(label="Withdrawn on", widget=DATE, initial=timezone.localdate)
    withdrawn_reason = forms.CharField(
        label="How consent was withdrawn", max_length=300, help_text="Who told whom, and how."
    )
