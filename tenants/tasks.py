from __future__ import annotations

from celery import Task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from apps.core.tasks import PublicTask
from sencohub.celery import app

from .hosts import platform_url, school_url
from .models import Invitation
from .services import invitation_issue_token


@app.task(base=PublicTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)  # type: ignore[untyped-decorator]
def send_invitation_email(self: Task, invitation_id: int) -> str:
    """Email a one-time invitation link.

    Idempotent and safe to retry: the row is locked, an invitation already sent is skipped, and if
    sending fails the token is rolled back with the transaction so the retry makes a fresh one.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("school", "trust")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.accepted_at is not None:
            return "skipped"
        if invitation.sent_at is not None:
            return "already-sent"
        token = invitation_issue_token(invitation)
        path = f"/invitations/{token}/"
        link = school_url(invitation.school.slug, path) if invitation.school else platform_url(path)
        where = invitation.school.name if invitation.school else str(invitation.trust)
        role = (
            invitation.get_school_role_display()
            if invitation.school
            else invitation.get_trust_role_display()
        )
        body = render_to_string(
            "emails/invitation.txt",
            {"invitation": invitation, "link": link, "where": where, "role": role},
        )
        send_mail(
            subject=f"You're invited to {where} on SENCo Hub",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    return "sent"
