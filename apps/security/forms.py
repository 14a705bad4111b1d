from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from tenants.models import User


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


class ChangePasswordForm(PasswordChangeForm):
    """Django's password change form, in the product's words, where a wrong current password
    counts towards the account's lockout (tenants.lockout) like a wrong password at sign-in, so
    the page cannot be used to try passwords; while locked, even the right one is refused."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again.",
        "password_mismatch": "The two new passwords are not the same.",
    }

    def __init__(self, user: User, *args: Any, address: str, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.address = address
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 10 characters, not a common password, not only numbers, and not like your "
            "name or email address."
        )
        self.fields["new_password2"].label = "Type the new password again"
        self.fields["new_password2"].help_text = ""

    def clean_old_password(self) -> str:
        from tenants import lockout
        from tenants.auth import trusts_concerned

        email = self.user.email
        lock = lockout.sign_in_lock(email=email, address=self.address)
        if lock is not None:
            raise ValidationError(lock.message, code="locked_out")
        old_password: str = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            lockout.sign_in_failed(
                email=email, address=self.address, trust_ids=trusts_concerned(None, email)
            )
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password
