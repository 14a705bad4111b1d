"""Forms for the provision pages: they parse; the rules live in services and rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from apps.pupils.codes import BroadArea
from apps.pupils.forms import DATE, HubForm


class InterventionForm(HubForm):
    name = forms.CharField(label="Name", max_length=120)
    area_of_need = forms.ChoiceField(label="Area of need", choices=BroadArea.choices)
    description = forms.CharField(label="What it is", widget=forms.Textarea, required=False)
    evidence_base = forms.CharField(label="Evidence base", widget=forms.Textarea, required=False)
    group_size = forms.IntegerField(label="Largest group size", min_value=1)
    sessions_per_week = forms.IntegerField(label="Sessions per week", min_value=1)
    session_minutes = forms.IntegerField(label="Minutes per session", min_value=1)
    staff_role = forms.CharField(
        label="Who delivers it", max_length=60, initial="Teaching assistant"
    )
    hourly_staff_cost = forms.DecimalField(label="Hourly staff cost (£)", decimal_places=2)
    resource_cost = forms.DecimalField(
        label="Resource cost per pupil per year (£)", decimal_places=2, initial=0
    )
    required_training = forms.CharField(
        label="Training staff need to deliver it", max_length=200, required=False
    )


class GroupForm(HubForm):
    intervention_id = forms.TypedChoiceField(label="Intervention", coerce=int)
    name = forms.CharField(
        label="Group name", max_length=120, help_text="e.g. Year 3 Lexia (Tuesday)"
    )
    staff_user_ids = forms.TypedMultipleChoiceField(
        label="Who runs it",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )
    starts_on = forms.DateField(label="Starts", widget=DATE)
    ends_on = forms.DateField(label="Ends (optional)", widget=DATE, required=False)
    measure = forms.CharField(
        label="Entry and exit measure",
        max_length=120,
        required=False,
        help_text="e.g. Reading age in months",
    )
    pupil_ids = forms.TypedMultipleChoiceField(
        label="Pupils",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        interventions: list[tuple[int, str]] = (),  # type: ignore[assignment]
        staff: list[tuple[int, str]] = (),  # type: ignore[assignment]
        pupils: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["intervention_id"]).choices = [
            ("", "Choose…"),
            *interventions,
        ]
        cast(forms.ChoiceField, self.fields["staff_user_ids"]).choices = list(staff)
        cast(forms.ChoiceField, self.fields["pupil_ids"]).choices = list(pupils)


class SessionForm(HubForm):
    held_on = forms.DateField(label="Date", widget=DATE)
    starts_at = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label="Minutes", min_value=1, required=False)
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, pupils: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.attendance_names = dict(pupils)
        for pid, name in pupils:
            self.fields[f"present_{pid}"] = forms.BooleanField(
                label=f"{name} attended", required=False, initial=True
            )

    def attendance(self) -> dict[int, bool]:
        return {pid: bool(self.cleaned_data.get(f"present_{pid}")) for pid in self.attendance_names}


class FinishForm(HubForm):
    exit_value = forms.DecimalField(label="Exit measure")
    finished_on = forms.DateField(label="Finished on", widget=DATE)


class SettingsForm(HubForm):
    threshold = forms.DecimalField(
        label="Flag pupils whose additional support costs more than (£)",
        decimal_places=2,
        help_text="£6,000 is the nationally expected contribution from the notional SEN budget.",
    )
    notional_sen_budget = forms.DecimalField(
        label="Notional SEN budget this year (£, optional)", decimal_places=2, required=False
    )
