"""Reads are audited by default, not by remembering to.

Every successful GET on a school host by a signed-in person (page or API, session or token,
school staff or trust staff drilling down) leaves an audit row, unless the view already wrote
one for this request (any `record()` call marks the request) or the view is marked as showing
no pupil data with `@no_pupil_data`. A new page or endpoint is therefore audited from its first
day; forgetting costs a generic row ("Opened <route>"), never a missing one.

The row names the path and its ids (never a query string or a name), and the pupil when
the path is a pupil's (`/pupils/<id>/...`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

from .actions import AuditAction

V = TypeVar("V")

AUDITED_MARK = "_sencohub_audited"


class ReadAction(AuditAction):
    PAGE_OPENED = "read.page", "Opened a page"
    API_READ = "read.api", "Read through the API"


def no_pupil_data(view: V) -> V:
    """Mark a view (function or class) as returning no pupil-level data: reads not audited."""
    view.audit_reads = False  # type: ignore[attr-defined]
    return view


def mark_audited(request: Any) -> None:
    django_request = getattr(request, "_request", request)
    if django_request is not None:
        setattr(django_request, AUDITED_MARK, True)


def audits_reads(path: str, view_func: Any) -> bool:
    """Whether a successful GET of `path` served by `view_func` must leave an audit row."""
    from tenants.middleware import OPEN_PATH_PREFIXES

    return not path.startswith(OPEN_PATH_PREFIXES) and _audits_reads(view_func)


def _audits_reads(view_func: Any) -> bool:
    for candidate in (
        view_func,
        getattr(view_func, "cls", None),  # DRF views and viewsets
        getattr(view_func, "view_class", None),  # Django class-based views
    ):
        if candidate is not None and getattr(candidate, "audit_reads", True) is False:
            return False
    return True


def _pupil_id(request: HttpRequest) -> int | None:
    match = request.resolver_match
    if match is None:
        return None
    kwargs = match.kwargs
    if "pupil_id" in kwargs:
        return int(kwargs["pupil_id"])
    if "pk" in kwargs and request.path.startswith(("/pupils/", "/api/v1/pupils/")):
        try:
            return int(kwargs["pk"])
        except (TypeError, ValueError):
            return None
    return None


class AuditedReadsMiddleware:
    """After the access gate (it needs request.school_access), inside the school's schema."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "school", None) is not None
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and getattr(request, "_audit_view_reads", False)
            and not getattr(request, AUDITED_MARK, False)
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and getattr(request, "school_access", None) is not None
        ):
            self._record(request)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        request._audit_view_reads = audits_reads(request.path, view_func)
        return None

    def _record(self, request: HttpRequest) -> None:
        from apps.pupils.models import Pupil

        from .services import record

        match = request.resolver_match
        # The path holds ids only: names and search terms never travel in URLs (README).
        path = request.path[:200]
        ids = {k: v for k, v in (match.kwargs if match else {}).items() if str(v).isdigit()}
        api = request.path.startswith("/api/")
        pupil_id = _pupil_id(request)
        pupil = (
            Pupil.objects.filter(pk=pupil_id).only("pk").first() if pupil_id is not None else None
        )
        record(
            user=request.user,
            action=ReadAction.API_READ if api else ReadAction.PAGE_OPENED,
            pupil=pupil,
            summary=f"{'Read' if api else 'Opened'} {path}",
            request=request,
            extra={"path": path, "view": match.view_name if match else "", "ids": ids},
        )
