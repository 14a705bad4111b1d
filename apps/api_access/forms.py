from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label="What is it for?",
        max_length=80,
        help_text="For example “MIS sync” or “Power BI”. You will see this name in the list.",
    )
    expires_in_days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=settings.API_TOKEN_MAX_TTL_DAYS,
        initial=settings.API_TOKEN_TTL_DAYS,
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="A token can do what you can do, so we ask for your password again.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
