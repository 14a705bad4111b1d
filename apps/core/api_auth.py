from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.cache import caches
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

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


class TokenThrottle(AnonRateThrottle):
    """Per client address across every host (the shared "security" cache, not the per-school
    one), the address worked out as tenants.lockout does (X-Forwarded-For only from proxies)."""

    rate = "20/min"
    cache = caches["security"]

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
    """Exchange an email and password for an API token (`Authorization: Token <token>`)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type[Any]] = []
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
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
            from rest_framework.exceptions import AuthenticationFailed

            raise AuthenticationFailed("The email address or password is not correct.")
        require_second_step(user, serializer.validated_data.get("otp"))
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
