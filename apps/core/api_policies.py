"""API policies named in settings.REST_FRAMEWORK. Kept apart from apps.core.api because DRF reads
its default classes while importing its own views."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class Pagination(PageNumberPagination):
    """{"count", "next", "previous", "results"} on every list; `?page=` and `?page_size=`."""

    page_size_query_param = "page_size"
    max_page_size = 200


class TokenRateThrottle(SimpleRateThrottle):
    """So many requests a minute per API token (each token its own budget), or per signed-in
    person for browser sessions. Counted in Redis across every host and web process."""

    scope = "api"

    def __init__(self) -> None:
        from django.core.cache import caches

        self.cache = caches["api"]
        super().__init__()

    def get_rate(self) -> str:
        return str(settings.API_RATE_LIMIT)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = getattr(request._request, "api_token", None)
        if token is not None:
            return f"throttle:token:{token.digest[:32]}"
        if request.user and request.user.is_authenticated:
            return f"throttle:user:{request.user.pk}"
        return None  # signed-out requests are refused by the gate, or throttled by their view
