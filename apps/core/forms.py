"""Form helpers shared by every domain's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field-keyed messages on the fields the form
    has, everything else at the top of the form (named after its field, so the person knows what
    to change). The one place a service error meets a form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages_:
                if target is None and field != NON_FIELD_ERRORS:
                    message = f"{field.replace('_', ' ').capitalize()}: {message}"
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], str | None],
    *,
    template: str,
    heading: str,
    submit: str,
    success: str,
    back: str,
    on_error: Callable[[forms.BaseForm, ValidationError], None] = add_service_errors,
    **context: Any,
) -> HttpResponse:
    """The one shape of a page with a form: GET (or a POST the form refuses) shows the form; a
    valid POST calls ``save`` with the cleaned data, which calls one service. A ValidationError
    from the service goes onto the form (``on_error``, add_service_errors unless the page maps
    keys first); otherwise ``success`` is shown and the browser goes to the address ``save``
    returned, or to ``back``. The template gets the form, ``heading`` (also the page title),
    ``submit``, ``back`` and any other ``context``."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form.cleaned_data)
        except ValidationError as exc:
            on_error(form, exc)
        else:
            messages.success(request, success)
            return redirect(target or back)
    return render(
        request,
        template,
        {
            "form": form,
            "heading": heading,
            "page_title": heading,
            "submit": submit,
            "back": back,
            **context,
        },
    )
