"""Forms for the staff, exams and transitions pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from apps.pupils.forms import DATE, HubForm

from .models import AccessArrangement, Skill, StaffMember, Transition


class StaffForm(HubForm):
    name = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=StaffMember.Role.choices)
    contracted_hours = forms.DecimalField(
        label="Contracted hours a week", max_digits=4, decimal_places=1
    )
    user_id = forms.TypedChoiceField(
        label="Their SENCo Hub login (if they have one)",
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, logins: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = [("", "No login")] + logins  # type: ignore[attr-defined]


class DeploymentForm(HubForm):
    pupil = forms.TypedChoiceField(
        label="Pupil (1:1 support)", coerce=int, required=False, empty_value=None
    )
    group_name = forms.CharField(label="Or a group or intervention", max_length=120, required=False)
    hours_a_week = forms.DecimalField(label="Hours a week", max_digits=4, decimal_places=1)
    needs_skill = forms.ChoiceField(
        label="Training this work needs",
        choices=[("", "None in particular")] + list(Skill.choices),
        required=False,
    )

    def __init__(self, *args: Any, pupils: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pupil"].choices = [("", "Not for one pupil")] + pupils  # type: ignore[attr-defined]


class TrainingForm(HubForm):
    topic = forms.CharField(max_length=200)
    skill = forms.ChoiceField(
        label="Skill it trains",
        choices=[("", "None of these")] + list(Skill.choices),
        required=False,
    )
    delivered_on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    provider = forms.CharField(max_length=150, help_text="Who delivered it.")
    hours = forms.DecimalField(max_digits=4, decimal_places=1, required=False)
    attendees = forms.TypedMultipleChoiceField(coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = staff  # type: ignore[attr-defined]


class ArrangementForm(HubForm):
    kind = forms.ChoiceField(label="Arrangement", choices=AccessArrangement.Kind.choices)
    extra_time_percent = forms.IntegerField(
        label="Extra time (%)", required=False, help_text="Only for extra time, e.g. 25."
    )
    assessor = forms.CharField(max_length=150, required=False)
    assessed_on = forms.DateField(label="Assessed on", widget=DATE, required=False)
    history_of_need = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    normal_way_of_working = forms.CharField(
        label="Normal way of working", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expires_on = forms.DateField(label="Expires on", widget=DATE, required=False)


class TransitionForm(HubForm):
    kind = forms.ChoiceField(label="Kind of move", choices=Transition.Kind.choices)
    destination_school_id = forms.TypedChoiceField(
        label="A school in our trust", coerce=int, required=False, empty_value=None
    )
    destination = forms.CharField(label="Or another setting", max_length=150, required=False)
    destination_urn = forms.CharField(label="Its URN", max_length=6, required=False)
    moves_on = forms.DateField(label="Moves on", widget=DATE)
    responsible_name = forms.CharField(label="Who is responsible", max_length=150)
    key_information = forms.CharField(
        label="Key information for the next setting",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args: Any, schools: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_school_id"].choices = [("", "Not in our trust")] + schools  # type: ignore[attr-defined]


class StepForm(HubForm):
    what = forms.CharField(label="Add a step or visit", max_length=200)
    due_on = forms.DateField(label="By", widget=DATE, required=False)
