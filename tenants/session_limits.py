"""How long a signed-in browser session lasts.

Sessions reach pupil data, so they end after SESSION_IDLE_TIMEOUT_SECONDS without a request
(30 minutes by default) and SESSION_ABSOLUTE_TIMEOUT_SECONDS after signing in (12 hours),
whatever the activity. A password change or reset ends every other session of the user: Django
keeps a hash of the password in each session and refuses a session whose hash no longer
matches (django.contrib.auth.get_user); hop links are bound the same way (tenants.hop).

API requests authenticated by a token are not sessions and are not touched here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse

if TYPE_CHECKING:
    from .models import User

STARTED = "signed_in_at"
LAST_SEEN = "last_seen_at"
# The last-seen stamp is written at most this often, so that most requests do not write the
# session (an idle limit of 30 minutes does not need second precision).
TOUCH_EVERY_SECONDS = 60


def sessions_end_everywhere(*, user: User) -> None:
    """End every session of `user`, on every host, at its next request, and void their hop links
    and remembered browsers. To keep the caller's own session (the person acting on their own
    account), follow with django.contrib.auth.update_session_auth_hash."""
    from .models import User

    User.objects.filter(pk=user.pk).update(sessions_epoch=F("sessions_epoch") + 1)
    user.refresh_from_db(fields=["sessions_epoch"])


@receiver(user_logged_in)
def stamp_session_start(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[LAST_SEEN] = now


def session_expired_reason(session: Any, now: float) -> str | None:
    started = session.get(STARTED)
    last_seen = session.get(LAST_SEEN, started)
    if started is None:
        return None  # stamped on the next request (sessions from before this check)
    if now - started > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
        hours = settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS // 3600
        return f"You have been signed in for {hours} hours, so you were signed out. Please sign in again."
    if now - last_seen > settings.SESSION_IDLE_TIMEOUT_SECONDS:
        minutes = settings.SESSION_IDLE_TIMEOUT_SECONDS // 60
        return (
            f"You were signed out after {minutes} minutes without activity. Please sign in again."
        )
    return None


class SessionLifetimeMiddleware:
    """After AuthenticationMiddleware: ends sessions past their idle or absolute limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "authenticated_by_token", False) or not hasattr(request, "session"):
            return self.get_response(request)
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            reason = session_expired_reason(session, now)
            if reason is not None:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": reason}, status=401)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
            if STARTED not in session:
                session[STARTED] = int(now)
            if now - session.get(LAST_SEEN, 0) >= TOUCH_EVERY_SECONDS:
                session[LAST_SEEN] = int(now)
        return self.get_response(request)
