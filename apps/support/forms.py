"""Forms for the support pages: they parse; the rules live in services and rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from apps.pupils.forms import DATE, HubForm

from .models import Assessment, Outcome

OUTCOME_ROWS = 6


class PlanForm(HubForm):
    strategies = forms.CharField(
        label="Strategies (what every adult does)", widget=forms.Textarea, required=False
    )
    pupil_views = forms.CharField(label="The pupil's views", widget=forms.Textarea, required=False)
    parent_views = forms.CharField(
        label="The parents' views", widget=forms.Textarea, required=False
    )
    lead_user_id = forms.TypedChoiceField(
        label="Lead member of staff", coerce=int, required=False, empty_value=None
    )
    review_due = forms.DateField(
        label="Review date",
        widget=DATE,
        required=False,
        help_text="Leave empty for the next termly review.",
    )
    provision = forms.TypedMultipleChoiceField(
        label="Provision allocated (from the provision map)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )

    def __init__(
        self,
        *args: Any,
        staff_choices: list[tuple[int, str]] = (),  # type: ignore[assignment]
        group_choices: list[tuple[int, str]] = (),  # type: ignore[assignment]
        intervention_choices: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lead_user_id"]).choices = [
            ("", "Choose…"),
            *staff_choices,
        ]
        cast(forms.ChoiceField, self.fields["provision"]).choices = list(group_choices)
        interventions = [("", "None"), *intervention_choices]
        for n in range(OUTCOME_ROWS):
            self.fields[f"outcome_{n}_description"] = forms.CharField(
                label=f"Outcome {n + 1}: what the pupil will achieve",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.fields[f"outcome_{n}_measure"] = forms.CharField(
                label=f"Outcome {n + 1}: how it will be measured", required=False
            )
            self.fields[f"outcome_{n}_target_date"] = forms.DateField(
                label=f"Outcome {n + 1}: by when", widget=DATE, required=False
            )
            self.fields[f"outcome_{n}_intervention_id"] = forms.TypedChoiceField(
                label=f"Outcome {n + 1}: intervention that works towards it",
                choices=interventions,
                coerce=int,
                required=False,
                empty_value=None,
            )

    def outcomes(self) -> list[dict[str, Any]]:
        rows = []
        for n in range(OUTCOME_ROWS):
            row = {
                key: self.cleaned_data.get(f"outcome_{n}_{key}")
                for key in ("description", "measure", "target_date", "intervention_id")
            }
            if row["description"] or row["measure"] or row["target_date"]:
                rows.append(row)
        return rows

    def outcome_fields(self) -> list[list[Any]]:
        return [
            [
                self[f"outcome_{n}_{k}"]
                for k in ("description", "measure", "target_date", "intervention_id")
            ]
            for n in range(OUTCOME_ROWS)
        ]

    def plan_fields(self) -> list[Any]:
        return [
            self[name]
            for name in (
                "strategies",
                "pupil_views",
                "parent_views",
                "lead_user_id",
                "review_due",
                "provision",
            )
        ]


class ReviewForm(HubForm):
    held_on = forms.DateField(label="Date of the review meeting", widget=DATE)
    attendees = forms.CharField(label="Who attended", required=False)
    pupil_contribution = forms.CharField(
        label="What the pupil said", widget=forms.Textarea, required=False
    )
    parent_contribution = forms.CharField(
        label="What the parents said", widget=forms.Textarea, required=False
    )
    next_steps = forms.CharField(label="Next steps", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, outcomes: list[Outcome] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.outcome_list = list(outcomes)
        for outcome in self.outcome_list:
            self.fields[f"rating_{outcome.pk}"] = forms.ChoiceField(
                label=outcome.description,
                help_text=f"Measured by: {outcome.measure}",
                choices=Outcome.Rating.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Rate this outcome: not met, partly met, met or exceeded."
                },
            )

    def ratings(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data.get(f"rating_{o.pk}", "") for o in self.outcome_list}

    def rating_fields(self) -> list[Any]:
        return [self[f"rating_{o.pk}"] for o in self.outcome_list]

    def meeting_fields(self) -> list[Any]:
        return [
            self[n]
            for n in (
                "held_on",
                "attendees",
                "pupil_contribution",
                "parent_contribution",
                "next_steps",
            )
        ]


class AssessmentForm(HubForm):
    kind = forms.ChoiceField(label="Kind of assessment", choices=Assessment.Kind.choices)
    measure = forms.CharField(
        label="What was measured",
        max_length=150,
        help_text="e.g. NGRT standardised score, Salford reading age",
    )
    value = forms.CharField(
        label="Result", max_length=60, help_text="As written: 94, 7y 6m, At risk"
    )
    numeric_value = forms.DecimalField(
        label="Result as a number (optional)",
        required=False,
        help_text="Ages in months (7y 6m is 90), so change over time can be worked out.",
    )
    assessed_on = forms.DateField(label="Date assessed", widget=DATE)
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)


class ObservationForm(HubForm):
    observed_on = forms.DateField(label="Date", widget=DATE)
    text = forms.CharField(
        label="What you observed",
        widget=forms.Textarea,
        help_text="What helped, what did not, in the lesson. It feeds the next review.",
    )
