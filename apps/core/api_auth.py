from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.cache import caches
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.audit.reads import no_pupil_data
from tenants.lockout import client_address


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, write_only=True)


class TokenThrottle(AnonRateThrottle):
    """Per client address across every host (the shared "security" cache, not the per-school
    one), the address worked out as tenants.lockout does (X-Forwarded-For only from proxies)."""

    rate = "20/min"
    cache = caches["security"]

    def get_ident(self, request) -> str:
        return client_address(request._request)


class ObtainTokenView(APIView):
    """Exchange an email and password for an API token (`Authorization: Token <token>`)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request):
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
    def get(self, request):
        access = getattr(request._request, "school_access", None)
        school = getattr(request._request, "school", None)
        return Response(
            {
                "email": request.user.email,
                "full_name": request.user.full_name,
                "school": school.name if school else None,
                "role": (access.school_role or access.trust_role) if access else None,
            }
        )
