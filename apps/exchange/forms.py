from __future__ import annotations

from typing import cast

from django import forms

from apps.pupils.picker import PupilPickField

from .models import ImportBatch


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="File to import",
        help_text="A Common Transfer File (.xml) or a CSV export from your MIS. Nothing is written until you confirm the preview.",
    )
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=[("", "Work it out from the content"), *ImportBatch.Kind.choices],
        required=False,
    )


class PupilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.last_name}, {obj.first_name} (Year {obj.year_group}{', left ' + obj.leaving_date.strftime('%d/%m/%Y') if obj.leaving_date else ''})"


PICK_HINT = "Type part of their name or their UPN, then choose them from the list."


class LeaverCtfForm(forms.Form):
    pupil = PupilPickField(label="Pupil", scope="all", help_text=PICK_HINT)
    dest_la = forms.RegexField(
        regex=r"^\d{3}$",
        label="Destination local authority number",
        required=False,
        help_text="3 digits, if you know it.",
        error_messages={"invalid": "A local authority number is 3 digits."},
    )
    dest_estab = forms.RegexField(
        regex=r"^\d{4}$",
        label="Destination establishment number",
        required=False,
        help_text="4 digits, if you know it.",
        error_messages={"invalid": "An establishment number is 4 digits."},
    )

    def __init__(self, *args, pupils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(PupilPickField, self.fields["pupil"]).queryset = pupils
        self.fields["pupil"].widget.attrs["id"] = "ctf-pupil"
        self.auto_id = "ctf-%s"


class SubjectAccessForm(forms.Form):
    pupil = PupilPickField(label="Pupil", scope="all", help_text=PICK_HINT)

    def __init__(self, *args, pupils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(PupilPickField, self.fields["pupil"]).queryset = pupils
        self.auto_id = "sar-%s"
