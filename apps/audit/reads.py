"""Reads of pupil-level data are audited by the classes views are built on, not by remembering to.

- API: the base classes (apps.core.api.SchoolAPIView / SchoolViewSet) record every successful
  GET as a specific row: which resource (``audit_resource``), which action (list, retrieve...)
  and which pupils (ids read from the response's rows, ``audit_pupil_field``; ids only, never a
  name) - unless the view wrote its own row for the request.
- Pages: every school page that shows pupil data is wrapped in ``@audited_page("what it shows")``
  (or writes its own row); the row names the resource and the pupil of the URL.
- A trust SEND lead's first read of a school within an hour, by page or token, also leaves the
  drill-down row in the school (and the trust's log), however they reached it.
- The middleware below is only a safety net: a successful school-host GET that reaches it with no
  row (a view nobody marked) logs an ERROR naming the view and still writes a generic row,
  flagged ``{"safety_net": true}``; the sweep test fails on any such row. Views that show no
  pupil data are marked ``@no_pupil_data``.

Rows name the path and its ids (never a query string or a name).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .actions import AuditAction

V = TypeVar("V")
logger = logging.getLogger("sencohub.audit")
DRILL_DOWN_EVERY = timedelta(hours=1)

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


def pupil_ids_in(data: Any, field: str) -> list[int]:
    """The pupil ids named by the rows of an API response (a page of results, a list or one
    row): each row's `field`."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        rows: Iterable[Any] = data["results"]
    elif isinstance(data, list):
        rows = data
    else:
        rows = [data]
    found = set()
    for row in rows:
        value = row.get(field) if isinstance(row, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            found.add(value)
    return sorted(found)


def record_read(
    request: Any,
    *,
    resource: str,
    pupil_ids: Iterable[int] = (),
    api: bool,
    view: str = "",
) -> None:
    """One specific row for a read of pupil-level data: what, which pupils (ids), how."""
    from django.apps import apps

    from .services import record

    django_request = getattr(request, "_request", request)
    ids = sorted(set(pupil_ids))
    pupil = None
    if len(ids) == 1:
        pupil = apps.get_model("pupils", "Pupil").objects.filter(pk=ids[0]).only("pk").first()
    count = f"{len(ids)} pupil{'s' if len(ids) != 1 else ''}"
    record(
        user=django_request.user,
        action=ReadAction.API_READ if api else ReadAction.PAGE_OPENED,
        pupil=pupil,
        summary=(f"Read {resource} through the API" if api else f"Opened {resource}")
        + (f" ({count})" if len(ids) != 1 else ""),
        request=django_request,
        extra={
            "resource": resource,
            "view": view,
            "pupil_ids": ids[:500],
            "path": django_request.path[:200],
        },
    )


def drill_down_once(request: Any) -> None:
    """A trust SEND lead reading a school (console, page or token straight to the school's
    host) leaves the drill-down row in the school and the trust, once an hour."""
    access = getattr(request, "school_access", None)
    school = getattr(request, "school", None)
    if access is None or school is None or not access.via_trust:
        return
    from .models import AuditEvent

    if AuditEvent.objects.filter(
        user_id=request.user.pk,
        action="trust_drill_down",
        occurred_at__gte=timezone.now() - DRILL_DOWN_EVERY,
    ).exists():
        return
    from apps.trust.services import trust_drill_down

    how = "with an API token" if request.path.startswith("/api/") else "on the school's pages"
    trust_drill_down(acting_user=request.user, school=school, request=request, how=how)


def audited_page(resource: str) -> Callable[[V], V]:
    """For a school page showing pupil-level data: a successful GET leaves a row naming the
    resource and the pupil of the URL (``pupil_id``), unless the view wrote its own."""

    def decorate(view: Any) -> Any:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if (
                request.method in ("GET", "HEAD")
                and response.status_code == 200
                and not getattr(request, AUDITED_MARK, False)
                and getattr(request, "school_access", None) is not None
            ):
                pupil_id = kwargs.get("pupil_id")
                record_read(
                    request,
                    resource=resource,
                    pupil_ids=[int(pupil_id)] if pupil_id is not None else [],
                    api=False,
                    view=getattr(request.resolver_match, "view_name", "") or "",
                )
            return response

        return wrapped

    return decorate  # type: ignore[return-value]


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
        if (
            getattr(request, "school", None) is not None
            and request.method in ("GET", "HEAD")
            and response.status_code == 200
            and getattr(request, "_audit_view_reads", False)
            and getattr(request, "school_access", None) is not None
        ):
            drill_down_once(request)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        request._audit_view_reads = audits_reads(request.path, view_func)  # type: ignore[attr-defined]
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
        view = match.view_name if match else ""
        # A view that returns pupil data but neither its base class nor its decorator recorded
        # the read: say so loudly (the sweep test fails on these rows), and still leave a row.
        logger.error("Unaudited read reached the safety net: %s (%s)", view, path)
        record(
            user=request.user,
            action=ReadAction.API_READ if api else ReadAction.PAGE_OPENED,
            pupil=pupil,
            summary=f"{'Read' if api else 'Opened'} {path}",
            request=request,
            extra={"path": path, "view": view, "ids": ids, "safety_net": True},
        )
