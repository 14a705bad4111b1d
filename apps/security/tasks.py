"""Emails about a person's own sign-in security. Ids only; no pupil data."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core.tasks import PublicTask
from sencohub.celery import app
from tenants.hosts import platform_url

from .models import SecurityEvent


@app.task(base=PublicTask, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)  # type: ignore[untyped-decorator]
def send_password_notice(event_id: int) -> str:
    """Tell the person their password was changed or reset, in case it was not them. Safe to
    retry: it only reads, and a retry follows a failed send."""
    event = (
        SecurityEvent.objects.filter(
            pk=event_id,
            kind__in=[SecurityEvent.Kind.PASSWORD_CHANGED, SecurityEvent.Kind.PASSWORD_RESET],
        )
        .select_related("user")
        .first()
    )
    if event is None or event.user is None or not event.user.is_active:
        return "skipped"
    body = render_to_string(
        "emails/password_changed.txt",
        {
            "user": event.user,
            "when": timezone.localtime(event.occurred_at),
            "by_reset": event.kind == SecurityEvent.Kind.PASSWORD_RESET,
            "reset_link": platform_url("/accounts/password-reset/"),
        },
    )
    send_mail(
        subject="Your SENCo Hub password was changed",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[event.user.email],
    )
    return "sent"
