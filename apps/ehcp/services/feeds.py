"""Personal calendar feeds and the school's sixth-form setting."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from tenants.typing import tenant_db

from ..actions import EhcpAction
from ..models import CalendarFeed
from .common import authorise

TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, acting_user: Any, request: Any = None) -> tuple[CalendarFeed, str]:
    """Make (or remake) the user's feed: any earlier feed stops working at once. Returns the feed
    and its secret token, which is shown once and never stored."""
    authorise(acting_user, "have_calendar_feed")
    now = timezone.now()
    revoked = CalendarFeed.objects.filter(user_id=acting_user.pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed.objects.create(user_id=acting_user.pk, token_hash=_hash(token))
    record(
        user=acting_user,
        action=EhcpAction.FEED_CREATED,
        summary="Made a new personal calendar feed"
        + (" (the old one stopped working)" if revoked else ""),
        request=request,
        extra={"feed_id": feed.pk},
    )
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, acting_user: Any, request: Any = None) -> int:
    """Stop the user's feed. Allowed even after the user lost the right to have one."""
    count = CalendarFeed.objects.filter(user_id=acting_user.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        record(
            user=acting_user,
            action=EhcpAction.FEED_REVOKED,
            summary="Revoked a personal calendar feed",
            request=request,
        )
    return count


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    return CalendarFeed.objects.filter(token_hash=_hash(token), revoked_at__isnull=True).first()


@transaction.atomic
def school_set_sixth_form(*, acting_user: Any, has_sixth_form: bool, request: Any = None) -> bool:
    """Say whether the school has a sixth form (phase transfer deadlines depend on it)."""
    from tenants.models import School

    authorise(acting_user, "set_sixth_form")
    school = School.objects.select_for_update().get(pk=tenant_db.tenant.pk)
    if school.has_sixth_form == bool(has_sixth_form):
        return False
    school.has_sixth_form = bool(has_sixth_form)
    school.save(update_fields=["has_sixth_form"])
    tenant_db.tenant.has_sixth_form = school.has_sixth_form
    record(
        user=acting_user,
        action=EhcpAction.SIXTH_FORM_SET,
        summary="The school has a sixth form" if has_sixth_form else "The school has no sixth form",
        request=request,
    )
    return True
