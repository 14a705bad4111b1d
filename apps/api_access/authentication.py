"""How a request is authenticated is decided once, by the access gate
(tenants.middleware.AccessGateMiddleware), with `authenticate_api_request` below. DRF does not
decide again: its only authentication class, `GateAuthentication`, returns what the gate decided
and, for a cookie session, enforces CSRF on unsafe methods.

- `Authorization: Token <token>` on an API path: the token alone authenticates (a session cookie
  sent alongside is ignored) and there is no CSRF check: the request carries nothing a browser
  would add by itself, so there is nothing to forge.
- Otherwise the cookie session, bound to the host it was created on, with CSRF on every unsafe
  method (pages through Django's CSRF middleware, the API through GateAuthentication).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, CSRFCheck
from rest_framework.request import Request

from tenants.typing import SchoolRequest

from .models import ApiToken

TOKEN_KEYWORD = "Token"
MALFORMED = "Malformed Authorization header: send `Authorization: Token <your token>`."
INVALID = "Invalid or expired token."


@dataclass(frozen=True)
class TokenDecision:
    token: ApiToken | None
    error: str | None


def token_decision(header: str) -> TokenDecision:
    """Read an Authorization header sent to the API: a live token, or why it is refused."""
    parts = header.split()
    if len(parts) != 2 or parts[0] != TOKEN_KEYWORD:
        return TokenDecision(None, MALFORMED)
    from .services import token_for_key

    token = token_for_key(parts[1])
    if token is None:
        return TokenDecision(None, INVALID)
    return TokenDecision(token, None)


def _not_a_view(request: HttpRequest) -> HttpResponse:
    raise AssertionError("the CSRF check only reads the request; it never calls the view")


def _enforce_csrf(request: HttpRequest) -> None:
    check = CSRFCheck(_not_a_view)
    check.process_request(request)
    reason = check.process_view(request, _not_a_view, (), {})
    if reason:
        raise exceptions.PermissionDenied(
            f"CSRF check failed ({reason}). Browser sessions must send the CSRF token with every "
            "change; scripts should use `Authorization: Token <token>` instead."
        )


class GateAuthentication(BaseAuthentication):
    """DRF's view of the gate's decision (see the module docstring)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        django_request = cast(SchoolRequest, request._request)
        method = getattr(django_request, "auth_method", None)
        if method == "token":
            return (django_request.user, django_request.api_token)
        if method == "session":
            _enforce_csrf(django_request)
            return (django_request.user, None)
        return None

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate), not 403, when credentials are missing.
        return TOKEN_KEYWORD
