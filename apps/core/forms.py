"""Form helpers shared by every domain's pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field-keyed messages on the fields the form
    has, everything else at the top of the form (named after its field, so the person knows what
    to change). The one place a service error meets a form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                if target is None and field != NON_FIELD_ERRORS:
                    message = f"{field.replace('_', ' ').capitalize()}: {message}"
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
