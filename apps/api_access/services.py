"""Every change to API tokens goes through these functions: issuing (the one place a token is
made, so sign-in checks such as MFA or lockout hook in here), revoking, and revoking all of a
user's tokens when their password changes or they are deactivated."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from hmac import compare_digest
from typing import Any, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS

from apps.trust.audit import trust_audit
from tenants.models import SchoolMembership, Trust, TrustMembership, User
from tenants.roles import TrustRole

from .actions import ApiAccessAction
from .models import ApiToken


def _api_cache() -> BaseCache:
    return caches["api"]


def _used_key(digest: str) -> str:
    return f"token-used:{digest[:32]}"


# digest -> when this process last wrote "last used" for it.
_noted: dict[str, float] = {}
LAST_USED_RESOLUTION_SECONDS = 60


def _note_use(token: ApiToken, now: datetime) -> None:
    # Kept in Redis, not the row, and written at most once a minute per token and process: a
    # token used all day costs neither a database write nor a Redis round trip per request.
    stamp = now.timestamp()
    if stamp - _noted.get(token.digest, 0.0) < LAST_USED_RESOLUTION_SECONDS:
        return
    if len(_noted) > 10_000:
        _noted.clear()
    _noted[token.digest] = stamp
    _api_cache().set(_used_key(token.digest), now.isoformat(), timeout=None)


def last_used(tokens: Iterable[ApiToken]) -> dict[int, datetime]:
    """token pk -> when it was last used (None when never, or not since Redis was emptied)."""
    rows = list(tokens)
    found = _api_cache().get_many([_used_key(t.digest) for t in rows])
    return {
        t.pk: datetime.fromisoformat(found[_used_key(t.digest)])
        for t in rows
        if _used_key(t.digest) in found
    }


def _ttl(expires_in_days: int | None) -> timedelta:
    if expires_in_days is None:
        return timedelta(days=settings.API_TOKEN_TTL_DAYS)
    if not 1 <= expires_in_days <= settings.API_TOKEN_MAX_TTL_DAYS:
        raise ValidationError(
            {
                "expires_in_days": (
                    f"A token lasts between 1 and {settings.API_TOKEN_MAX_TTL_DAYS} days."
                )
            }
        )
    return timedelta(days=expires_in_days)


@transaction.atomic
def api_token_issue(
    *, user: User, name: str = "", expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for a user who has just proved who they are. Returns the stored row and the
    token itself, which is shown once and never stored."""
    if not user.is_active:
        raise PermissionDenied("This account is not active.")
    name = (name or "").strip() or "API token"
    if len(name) > 80:
        raise ValidationError({"name": "Give the token a name of at most 80 characters."})
    ttl = _ttl(expires_in_days)
    instance, token = ApiToken.objects.create(
        user=user, expiry=ttl, prefix=settings.API_TOKEN_PREFIX, name=name
    )
    return instance, token


def token_for_key(key: str) -> ApiToken | None:
    """The live token with this key, or None (unknown, expired, revoked, or its owner is
    deactivated). Expired tokens found on the way are deleted."""
    if not key or len(key) > 200:
        return None
    now = timezone.now()
    digest = hash_token(key)
    # knox keeps the first characters of the token (prefix included) to find the row.
    for token in ApiToken.objects.filter(
        token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]
    ).select_related("user"):
        if not compare_digest(digest, token.digest):
            continue
        if token.expiry is not None and token.expiry <= now:
            token.delete()
            return None
        if not token.user.is_active:
            return None
        _note_use(token, now)
        return cast(ApiToken, token)
    return None


def api_token_revoke(*, acting_user: User, token: ApiToken) -> None:
    """The owner revokes one of their tokens (also `DELETE /api/v1/auth/token/`)."""
    if token.user_id != acting_user.pk:
        raise PermissionDenied("You can only revoke your own tokens.")
    ApiToken.objects.filter(pk=token.pk).delete()


def trust_user_ids(trust: Trust) -> QuerySet[User, Any]:
    """Everyone with a role in the trust or one of its schools."""
    return (
        User.objects.filter(
            Q(pk__in=TrustMembership.objects.filter(trust=trust).values("user_id"))
            | Q(pk__in=SchoolMembership.objects.filter(school__trust=trust).values("user_id"))
        )
        .values("pk")
        .distinct()
    )


@transaction.atomic
def api_token_revoke_for_trust(*, acting_user: User, trust: Trust, token_id: str) -> ApiToken:
    """A trust admin revokes a token of one of the trust's people."""
    if not TrustMembership.objects.filter(
        user=acting_user, trust=trust, role=TrustRole.TRUST_ADMIN
    ).exists():
        raise PermissionDenied("Only the trust's admins can revoke other people's tokens.")
    token = (
        ApiToken.objects.filter(pk=token_id, user__in=trust_user_ids(trust))
        .select_related("user")
        .first()
    )
    if token is None:
        raise ValidationError("That token does not exist or has already been revoked.")
    ApiToken.objects.filter(pk=token.pk).delete()
    trust_audit(
        trust=trust,
        actor=acting_user,
        action=ApiAccessAction.TOKEN_REVOKED_BY_TRUST,
        summary=f"Revoked the API token “{token.name}” of {token.user.email}",
    )
    return cast(ApiToken, token)


def api_tokens_revoke_all(*, user: User) -> int:
    """Every token of the user stops working now (password changed or reset, deactivated)."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return int(deleted)


def live_tokens_for_trust(trust: Trust) -> QuerySet[ApiToken]:
    return _live(ApiToken.objects.filter(user__in=trust_user_ids(trust)))


def live_tokens_for(user: User) -> QuerySet[ApiToken]:
    return _live(ApiToken.objects.filter(user=user))


def _live(tokens: Any) -> QuerySet[ApiToken]:
    # knox's token model has no type information: its querysets are typed here.
    return cast(
        "QuerySet[ApiToken]",
        tokens.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())),
    )
