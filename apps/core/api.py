"""API base classes. Every school endpoint inherits from SchoolAPIView / SchoolViewSet, which:

- admit only users the access gate admitted to this school (request.school_access), by session or
  token, and only on a school host;
- check the user's school role against the view's `allowed_roles` (read) and `write_roles`
  (or `write_roles_by_action[action]` for a viewset action);
- build every queryset through `get_school_queryset()` and then `scope_queryset_for_user()`, so
  a subclass cannot return rows without deciding who sees them.

Errors are JSON: {"detail": "...", "errors": {"field": ["message", ...]}} with precise messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from tenants.models import TrustMembership, User

from .permissions import IsAuthenticatedForThisHost, IsSchoolMember, IsTrustMember

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

    _Base = APIView
else:
    _Base = object


class SchoolAPIMixin(_Base):
    permission_classes: Sequence[_PermissionClass] = [
        IsAuthenticatedForThisHost,
        IsSchoolMember,
    ]
    allowed_roles: frozenset[str] | None = None  # None: every school role may read
    write_roles: frozenset[str] | None = None  # None: same as allowed_roles
    # Viewset actions whose writes other roles may make (e.g. {"profile": SEND_DETAIL_ROLES}):
    # declared on the class, never changed per request.
    write_roles_by_action: dict[str, frozenset[str]] = {}

    @property
    def school(self) -> Any:
        return self.request._request.school  # type: ignore[attr-defined]

    @property
    def school_access(self) -> Any:
        return self.request._request.school_access  # type: ignore[attr-defined]

    def get_school_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError("School endpoints must define get_school_queryset().")

    def scope_queryset_for_user(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Narrow to what the user's role may see. Override per domain (e.g. teacher → own classes)."""
        raise NotImplementedError(
            "School endpoints must say who sees which rows: override scope_queryset_for_user()."
        )

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope_queryset_for_user(self.get_school_queryset())


class SchoolAPIView(SchoolAPIMixin, APIView):
    pass


class SchoolViewSet(SchoolAPIMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    pass


class TrustAPIMixin(_Base):
    permission_classes: Sequence[_PermissionClass] = [
        IsAuthenticatedForThisHost,
        IsTrustMember,
    ]
    trust_roles: frozenset[str] | None = None

    def get_trust_ids(self) -> list[int]:
        if not isinstance(self.request.user, User):
            return []
        qs = TrustMembership.objects.filter(user=self.request.user)
        if self.trust_roles is not None:
            qs = qs.filter(role__in=list(self.trust_roles))
        return list(qs.values_list("trust_id", flat=True))


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1048576
        exc = exceptions.ParseError(
            f"The request body is too large: at most {limit:.1f} MB of JSON or form fields "
            "(files go in a multipart upload)."
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "You do not have permission to do this.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.items()))
        summary = first[1][0] if first[0] == "non_field_errors" else f"{first[0]}: {first[1][0]}"
        response.data = {"detail": summary, "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


__all__ = [
    "IsAuthenticatedForThisHost",
    "IsSchoolMember",
    "IsTrustMember",
    "SchoolAPIView",
    "SchoolViewSet",
    "TrustAPIMixin",
    "Response",
    "exception_handler",
]
