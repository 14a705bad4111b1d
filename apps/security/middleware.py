"""Sessions must pass the second sign-in step before they reach anything (after the session
lifetime check, before the access gate). Token requests are decided when the token is issued."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse

from . import mfa

# Reachable before the second step: the steps themselves, signing out, and what needs no user.
OPEN_PREFIXES = (
    "/accounts/",
    "/static/",
    "/auth/hop/",
    "/invitations/",
    "/healthz",
    "/favicon.ico",
    "/billing/stripe/webhook/",
    "/api/v1/auth/token/",
    "/api/v1/schema/",
    "/api/v1/docs/",
)
VERIFY_PATH = "/accounts/two-step/"
SETUP_PATH = "/accounts/two-step/set-up/"


class MfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not hasattr(request, "session")
            or request.path.startswith(OPEN_PREFIXES)
            or mfa.session_passed(request.session)
            # A session replayed on another host is signed out by the access gate anyway.
            or request.session.get("bound_host") != request.get_host().split(":")[0].lower()
        ):
            return self.get_response(request)
        if mfa.has_mfa(user):
            if mfa.is_remembered(request, user):
                mfa.mark_passed(request.session)
                return self.get_response(request)
            return self._send_to(
                request, VERIFY_PATH, "Enter the code from your authenticator app."
            )
        if mfa.mfa_required(user):
            return self._send_to(
                request, SETUP_PATH, "Your role needs two-step sign-in: set it up to continue."
            )
        mfa.mark_not_needed(request.session)
        return self.get_response(request)

    def _send_to(self, request: HttpRequest, path: str, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": f"Two-step sign-in is not finished. {message}"}, status=403
            )
        next_path = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{path}?next={quote(next_path)}")
