from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
    remember = forms.BooleanField(
        label="Remember this browser for 30 days", required=False, initial=False
    )


class SetupForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="Enter the 6-digit code the app shows for SENCo Hub.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TrustPolicyForm(forms.Form):
    require_mfa_for_all_staff = forms.BooleanField(
        label="Require two-step sign-in for every member of staff in the trust's schools",
        required=False,
        help_text="SENCos, headteachers and trust staff always need it.",
    )
