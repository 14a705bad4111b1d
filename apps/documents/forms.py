from __future__ import annotations

from django import forms

from .models import PupilDocument
from .sniff import ACCEPTED_LABEL


class DocumentUploadForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="For example: Speech and language therapy report, March 2025. Leave blank to use the file name.",
    )
    category = forms.ChoiceField(
        label="What kind of document is it?",
        choices=PupilDocument.Category.choices,
        initial=PupilDocument.Category.REPORT,
    )
    file = forms.FileField(
        label="File", help_text=f"{ACCEPTED_LABEL}. The type is checked from the file's content."
    )
