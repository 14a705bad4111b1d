from __future__ import annotations

from django import forms

from .models import BillingAccount


class BillingContactForm(forms.Form):
    contact_kind = forms.ChoiceField(
        label="Who receives the invoices",
        choices=BillingAccount.ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who receives the invoices."},
    )
    contact_name = forms.CharField(label="Contact name", max_length=150, required=False)
    contact_email = forms.EmailField(
        label="Contact email address",
        error_messages={
            "required": "Enter the billing contact's email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
