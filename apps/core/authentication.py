"""DRF reads the access gate's decision (tenants.middleware.AccessGateMiddleware) rather than
deciding again: a request the gate authenticated by `Authorization: Token …` is authenticated
by that token alone and carries no cookie to forge, so it is not subject to CSRF. Without this
class first, DRF's SessionAuthentication would find the gate's user on the request and demand a
CSRF token from a script that has none."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request


class GateTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, str] | None:
        django_request = request._request
        if getattr(django_request, "authenticated_by_token", False):
            return django_request.user, "token"
        return None

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class GateTokenScheme(OpenApiAuthenticationExtension):
    """In the OpenAPI schema the gate's token is the same `Authorization: Token …` scheme."""

    target_class = "apps.core.authentication.GateTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        definition: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
        return definition
