from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.cache import caches
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.api_access.services import api_token_issue, api_token_revoke
from apps.audit.reads import no_pupil_data
from tenants.lockout import client_address
from tenants.models import User


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, write_only=True)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="The current code from the authenticator app (or a recovery code): needed "
        "for accounts with two-step sign-in (SENCos, headteachers, trust staff).",
    )
    name = serializers.CharField(
        required=False,
        max_length=80,
        help_text='What the token is for, shown on the "API access" page ("MIS sync").',
    )
    expires_in_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        help_text="Days until the token expires (default 30).",
    )


class TokenResponseSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Shown once: only a hash of it is kept.")
    name = serializers.CharField()
    expiry = serializers.DateTimeField()


class TokenThrottle(AnonRateThrottle):
    """Per client address across every host (the shared "security" cache, not the per-school
    one), the address worked out as tenants.lockout does (X-Forwarded-For only from proxies).
    The rate is settings.API_TOKEN_REQUEST_RATE."""

    scope = "token"
    cache = caches["security"]

    def get_rate(self) -> str:
        from django.conf import settings

        return str(settings.API_TOKEN_REQUEST_RATE)

    def get_ident(self, request: Request) -> str:
        return client_address(request._request)


def require_second_step(user: User, code: str | None) -> None:
    """Tokens are issued to accounts that need two-step sign-in only with a valid code."""
    from rest_framework.exceptions import PermissionDenied

    from apps.security import mfa

    if mfa.has_mfa(user):
        if not mfa.verify_code(user, code):
            raise PermissionDenied(
                "This account uses two-step sign-in: send the current code from your "
                'authenticator app as "otp".'
                if not code
                else "The two-step code is not right, or has expired."
            )
    elif mfa.mfa_required(user):
        raise PermissionDenied(
            "Your role needs two-step sign-in: set it up by signing in in a browser first, "
            'then ask for a token with the code as "otp".'
        )


class ObtainTokenView(APIView):
    """Exchange an email and password for an API token (`Authorization: Token <token>`); DELETE
    revokes the token that made the request."""

    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    def get_throttles(self) -> list[Any]:
        return [TokenThrottle()] if self.request.method == "POST" else super().get_throttles()

    def get_permissions(self) -> Any:
        if self.request.method == "DELETE":
            from .permissions import IsAuthenticatedForThisHost

            return [IsAuthenticatedForThisHost()]
        return super().get_permissions()

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        # Signing in needs no prior credentials (and a session cookie is not one), so a POST is
        # not authenticated at all; a DELETE is, by the token it revokes.
        self._signing_in = request.method == "POST"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self) -> list[Any]:
        return [] if getattr(self, "_signing_in", False) else super().get_authenticators()

    def get_authenticate_header(self, request: Request) -> str:
        return "Token"  # a wrong password is a 401, as for any other missing credentials

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        lock = getattr(request._request, "sign_in_lock", None)
        if lock is not None:
            raise Throttled(
                wait=max(0, (lock.until - timezone.now()).total_seconds()), detail=lock.message
            )
        if user is None:
            raise exceptions.AuthenticationFailed("The email address or password is not correct.")
        require_second_step(user, serializer.validated_data.get("otp"))
        instance, token = api_token_issue(
            user=user,
            name=serializer.validated_data.get("name", ""),
            expires_in_days=serializer.validated_data.get("expires_in_days"),
        )
        return Response({"token": token, "name": instance.name, "expiry": instance.expiry})

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The token is revoked: it answers 401 from now on.")
        },
    )
    def delete(self, request: Request) -> Response:
        token = request.auth
        if token is None:
            raise exceptions.ValidationError(
                "This request was not made with a token: nothing to revoke. "
                "Sign out instead, or revoke tokens on the API access page."
            )
        assert isinstance(request.user, User)
        api_token_revoke(acting_user=request.user, token=token)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


@no_pupil_data
class MeView(APIView):
    """Who the caller is, and their role here."""

    @extend_schema(
        responses={
            200: inline_serializer(
                "Me",
                {
                    "email": serializers.EmailField(),
                    "full_name": serializers.CharField(),
                    "school": serializers.CharField(allow_null=True),
                    "role": serializers.CharField(allow_null=True),
                },
            )
        }
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # the default permission admits only signed-in users
        access = getattr(request._request, "school_access", None)
        school = getattr(request._request, "school", None)
        return Response(
            {
                "email": user.email,
                "full_name": user.full_name,
                "school": school.name if school else None,
                "role": (access.school_role or access.trust_role) if access else None,
            }
        )
