"""Request gates, in this order (settings.MIDDLEWARE):

1. SchoolRoutingMiddleware – before everything: maps the host to the public schema (platform
   domain, trust console) or to one school's schema, and picks the URLconf. Unknown hosts: 404.
2. Django's session, CSRF and authentication middleware.
3. AccessGateMiddleware – decides, once, how the request is authenticated (`authenticate`: an
   API token alone, or a session bound to this host), refuses sessions created on another host,
   then admits to a school only its members and trust staff whose role covers it. Signed out:
   sign-in page (HTML) or 401 (API). Not allowed: 403.
4. BillingGateMiddleware – a school that is suspended or (billing) read-only accepts only
   safe methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from .access import schools_for
from .gates import read_only_reason, view_reads_only
from .models import School
from .routing import school_access_cached, school_for_host
from .typing import SchoolRequest, tenant_db

# Paths anyone may reach on any host (sign-in and friends, static files, machine endpoints).
OPEN_PATH_PREFIXES = (
    "/static/",
    "/accounts/",
    "/auth/hop/",
    "/invitations/",
    "/healthz",
    "/ping",
    "/api/v1/auth/token/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/billing/stripe/webhook/",
    "/favicon.ico",
    # Personal iCalendar feeds: the secret in the path authenticates (apps.ehcp.views.feed_ics).
    "/calendar-feeds/",
)


class PublicSchema:
    """Stands in for request.tenant on the platform domain."""

    schema_name = "public"
    pk = None
    id = None
    name = "SENCo Hub"
    is_public = True


def _host(request: SchoolRequest) -> str:
    return request.get_host().split(":")[0].lower()


def _is_api(request: SchoolRequest) -> bool:
    return request.path.startswith("/api/")


class SchoolRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SchoolRequest) -> HttpResponse:
        tenant_db.set_schema_to_public()
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            # Any Host, even an IP address that ALLOWED_HOSTS would refuse: load balancers probe
            # by address.
            from .health import health_response

            return health_response()
        host = _host(request)
        request.school = None
        request.school_access = None
        if host == settings.PLATFORM_DOMAIN:
            request.tenant = PublicSchema()
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return self.get_response(request)
        school = school_for_host(host)  # cached: no query when warm (tenants.routing)
        if school is None:
            from .hosts import platform_url

            return render(
                request,
                "errors/unknown_school.html",
                {"platform_home": platform_url("/")},
                status=404,
            )
        school.domain_url = host
        request.tenant = school
        request.school = school
        tenant_db.set_tenant(school)
        if settings.SENTRY_DSN:
            import sentry_sdk

            from sencohub.observability import opaque_school_tag

            sentry_sdk.set_tag("school", opaque_school_tag(school.schema_name, settings.SECRET_KEY))
        try:
            return self.get_response(request)
        finally:
            tenant_db.set_schema_to_public()


def _deny(request: SchoolRequest, status: int, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    context = {"message": message, "my_schools": schools_for(request.user)}
    return render(request, "errors/403.html", context, status=status)


def authenticate(request: SchoolRequest) -> HttpResponse | None:
    """The one place that decides how a request is authenticated (DRF reads the decision through
    apps.api_access.authentication.GateAuthentication). Sets request.user, request.auth_method
    ("token", "session" or None) and request.api_token. Returns a 401 when an API request carries
    an Authorization header that does not hold a live token."""
    request.api_token = None
    request.auth_method = None
    header = request.META.get("HTTP_AUTHORIZATION")
    if _is_api(request) and header is not None:
        from apps.api_access.authentication import TOKEN_KEYWORD, token_decision

        # A token request is authenticated by the token alone: a session cookie sent alongside
        # is ignored, and there is no CSRF check (nothing a browser adds by itself).
        decision = token_decision(header)
        if decision.error:
            response = JsonResponse({"detail": decision.error}, status=401)
            response["WWW-Authenticate"] = TOKEN_KEYWORD
            return response
        assert decision.token is not None
        request.user = decision.token.user
        request.api_token = decision.token
        request.auth_method = "token"
        request.authenticated_by_token = True
        return None
    if request.user.is_authenticated:
        if request.session.get("bound_host") != _host(request):
            # A session cookie replayed on another host is worth nothing here.
            request.user = AnonymousUser()
        else:
            request.auth_method = "session"
    return None


class AccessGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SchoolRequest) -> HttpResponse:
        refused = authenticate(request)
        if refused is not None:
            return refused

        if request.path.startswith(OPEN_PATH_PREFIXES):
            return self.get_response(request)

        if not request.user.is_authenticated:
            if _is_api(request):
                response = JsonResponse(
                    {"detail": "Authentication credentials were not provided."}, status=401
                )
                response["WWW-Authenticate"] = "Token"
                return response
            return redirect_to_login(request.get_full_path())

        school = request.school
        if school is None:
            return self.get_response(request)  # platform host: views check trust roles

        if school.status == School.Status.ARCHIVED:
            return _deny(
                request,
                403,
                f"{school.name} has been archived. Its records are kept, but it is closed to staff.",
            )
        access = school_access_cached(request.user, school)
        if access is None:
            return _deny(request, 403, f"You do not have access to {school.name}.")
        request.school_access = access
        return self.get_response(request)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class BillingGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SchoolRequest) -> HttpResponse:
        school = request.school
        if school is None:
            request.read_only_reason = None
            return self.get_response(request)
        # Worked out only when something asks (an unsafe method, or a page showing the banner).
        request.read_only_reason = SimpleLazyObject(lambda: read_only_reason(school))
        school._request_memo = {}  # see tenants.gates.per_request
        try:
            return self.get_response(request)
        finally:
            del school._request_memo

    def process_view(
        self,
        request: SchoolRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if (
            request.method not in SAFE_METHODS
            and not request.path.startswith(OPEN_PATH_PREFIXES)
            and not view_reads_only(view_func, request.method)
            and request.read_only_reason
        ):
            return _deny(request, 403, str(request.read_only_reason))
        return None
