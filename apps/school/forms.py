"""The term dates and review cadence form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from apps.pupils.forms import DATE, HubForm

TERM_ROWS = 6
CADENCE_CHOICES = [
    ("", "Termly (at the end of each term)"),
    ("6", "Every 6 weeks"),
    ("8", "Every 8 weeks"),
    ("10", "Every 10 weeks"),
    ("12", "Every 12 weeks"),
]


class TermsForm(HubForm):
    review_interval_weeks = forms.TypedChoiceField(
        label="How often support plans are reviewed",
        choices=CADENCE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(TERM_ROWS):
            self.fields[f"term_{n}_name"] = forms.CharField(
                label=f"Term {n + 1} name", max_length=60, required=False
            )
            self.fields[f"term_{n}_starts_on"] = forms.DateField(
                label=f"Term {n + 1} first day", widget=DATE, required=False
            )
            self.fields[f"term_{n}_ends_on"] = forms.DateField(
                label=f"Term {n + 1} last day", widget=DATE, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(TERM_ROWS):
            name, start, end = (data.get(f"term_{n}_{k}") for k in ("name", "starts_on", "ends_on"))
            if any((name, start, end)) and not all((name, start, end)):
                self.add_error(
                    f"term_{n}_name", f"Term {n + 1}: give its name, first and last day."
                )
        return data

    def terms(self) -> list[tuple[str, date, date]]:
        out = []
        for n in range(TERM_ROWS):
            name, start, end = (
                self.cleaned_data.get(f"term_{n}_{k}") for k in ("name", "starts_on", "ends_on")
            )
            if name and start and end:
                out.append((name, start, end))
        return out

    def term_rows(self) -> list[list[Any]]:
        return [
            [self[f"term_{n}_{k}"] for k in ("name", "starts_on", "ends_on")]
            for n in range(TERM_ROWS)
        ]
