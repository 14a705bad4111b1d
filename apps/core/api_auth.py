from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, write_only=True)


class TokenThrottle(AnonRateThrottle):
    rate = "20/min"


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
        if user is None:
            from rest_framework.exceptions import AuthenticationFailed

            raise AuthenticationFailed("The email address or password is not correct.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
