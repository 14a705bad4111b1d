"""Signed, single-use links that carry a signed-in user from one host to another.

Sessions are host-only and bound to their host, so moving from one school to another (or to the
trust console) goes through a token that is valid for 60 seconds, for one target host, once.
The token sits in the URL path, never a query string, and holds no personal data.

A token is bound to more than the user id: it carries a digest of the user's session auth hash
(derived from the password hash), so a password change voids every outstanding link, and a
token signed with a leaked or guessed key still needs the user's current password hash.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

if TYPE_CHECKING:
    from .models import User

SALT = "sencohub.hop"
MAX_AGE_SECONDS = 60

# A landing page may carry a query string of filter codes only (a worklist item's
# "/support/reviews/?due=overdue"): these keys, with short code values. Never a name or free text.
LANDING_QUERY_KEYS = frozenset(
    {"provision", "need", "area", "year_group", "group", "flags", "added", "due", "status", "show"}
)
_CODE_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def _safe_query(query: str) -> bool:
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key not in LANDING_QUERY_KEYS or not _CODE_VALUE.match(value):
            return False
    return True


def _safe_path(path: str) -> str:
    """Only a local path (no scheme or host; a query string of filter codes only) may be a
    landing page."""
    path, _, query = path.partition("?")
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "\\" in query:
        return "/"
    if query and not _safe_query(query):
        return "/"
    return f"{path}?{query}" if query else path


def safe_landing(path: str) -> str:
    """`path` if it may be a landing page (see _safe_path), else "/"."""
    return _safe_path(path)


def _binding(user: User) -> str:
    return salted_hmac(SALT, user.get_session_auth_hash(), algorithm="sha256").hexdigest()[:32]


def make_hop_token(*, user_id: int, target_host: str, landing: str = "/") -> str:
    from .models import User

    user = User.objects.get(pk=user_id)
    data = {"u": user_id, "h": target_host, "n": secrets.token_urlsafe(12), "b": _binding(user)}
    if landing != "/":
        data["p"] = _safe_path(landing)
    return signing.dumps(data, salt=SALT, compress=True)


def school_hop_url(*, user_id: int, slug: str, landing: str = "/") -> str:
    """The one-time link that signs `user_id` in on a school's host and lands on `landing`."""
    from .hosts import school_host, school_url

    token = make_hop_token(user_id=user_id, target_host=school_host(slug), landing=landing)
    return school_url(slug, f"/auth/hop/{token}/")


def _verified(token: str, host: str) -> tuple[dict[str, Any], User] | None:
    """(token data, active user) for a well-signed, unexpired token for this host whose binding
    matches the user's current password; else None. Does not spend the token."""
    from .models import User

    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("h") != host or not isinstance(data.get("b"), str):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(data["b"], _binding(user)):
        return None
    return data, user


def peek_hop(token: str, *, host: str) -> tuple[User, str] | None:
    """(active user, landing path) for a valid token not yet used, without using it up (to ask
    "Continue as <name>?" before the token is spent); else None."""
    verified = _verified(token, host)
    if verified is None:
        return None
    data, user = verified
    if cache.get(f"hop-nonce:{data['n']}"):
        return None
    return user, _safe_path(data.get("p", "/"))


def read_hop(token: str, *, host: str) -> tuple[User, str] | None:
    """(active user, landing path) for a valid, unused token meant for this host; else None."""
    verified = _verified(token, host)
    if verified is None:
        return None
    data, user = verified
    # Single use: the nonce can be claimed once.
    if not cache.add(f"hop-nonce:{data['n']}", 1, timeout=MAX_AGE_SECONDS * 2):
        return None
    return user, _safe_path(data.get("p", "/"))


def read_hop_token(token: str, *, host: str) -> int | None:
    hop = read_hop(token, host=host)
    return hop[0].pk if hop else None
