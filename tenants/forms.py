from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(
            attrs={
                "autocomplete": "email",
                "autofocus": True,
            }
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "autocomplete": "current-password",
            }
        ),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive except the email.",
        "inactive": "This account has been deactivated. Ask your SENCo or trust to restore it.",
    }

    def get_invalid_login_error(self) -> ValidationError:
        # Locked out (tenants.lockout): say so plainly, and until when, instead of "wrong".
        lock = getattr(self.request, "sign_in_lock", None)
        if lock is not None:
            return ValidationError(lock.message, code="locked_out")
        return super().get_invalid_login_error()


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        if p1:
            try:
                from .models import User

                password_validation.validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
