"""API base classes. Every school endpoint inherits from SchoolAPIView / SchoolViewSet, which:

- admit only users the access gate admitted to this school (request.school_access), by session or
  token, and only on a school host;
- check the user's school role against the view's `allowed_roles` (read) and `write_roles`
  (or `write_roles_by_action[action]` for a viewset action);
- build every queryset through `get_school_queryset()` and then `scope_queryset_for_user()`, so
  a subclass cannot return rows without deciding who sees them;
- record every successful read (GET) in the school's audit log: the resource
  (`audit_resource`), the action and the pupils the rows name (`audit_pupil_field`, ids only),
  unless the view wrote a more specific row itself (apps.audit.reads). A view returning no pupil
  data is marked `@no_pupil_data`.

Errors are JSON: {"detail": "...", "errors": {"field": ["message", ...]}} with precise messages.

What every endpoint gets from these classes, so that a script can rely on it:
- lists in one shape, {"count", "next", "previous", "results"} (`Pagination`; APIViews answer a
  list with `self.list_response(items, serialize)`);
- an `ETag` on every successful read, and 304 for a matching `If-None-Match`;
- `Idempotency-Key` honoured on creates (POST): a retry with the same key and body answers the
  first response again and creates nothing (apps.core.idempotency, kept 24 hours per user);
- a rate limit per token (or per signed-in person), 429 with `Retry-After` beyond it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from tenants.models import TrustMembership, User

from . import idempotency
from .api_policies import Pagination, TokenRateThrottle
from .field_rights import FieldRights, refuse_hidden_fields
from .permissions import IsAuthenticatedForThisHost, IsSchoolMember, IsTrustMember

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

    _Base = APIView
else:
    _Base = object


_V = TypeVar("_V")


def _etag_for(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


class APIContractMixin(_Base):
    """Pagination, ETags and idempotent creates for every school and trust endpoint."""

    pagination_class: Any = Pagination

    @property
    def paginator(self) -> Pagination:
        if not hasattr(self, "_paginator"):
            self._paginator: Pagination = self.pagination_class()
        return self._paginator

    def list_response(
        self, items: Iterable[Any], serialize: Callable[[list[Any]], Any]
    ) -> Response:
        """Answer a list in the one shape; `serialize` turns a page of items into data."""
        page: list[Any] = self.paginator.paginate_queryset(items, self.request, view=self) or []  # type: ignore[arg-type]
        return self.paginator.get_paginated_response(serialize(page))

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticated, CSRF, permissions, throttles
        self._idempotency = idempotency.begin(request._request)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, idempotency.Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        claim = getattr(self, "_idempotency", None)
        if claim is not None:
            self._idempotency = None
            claim.finish(response)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(response, Response)
            and not response.streaming
        ):
            response.render()
            etag = _etag_for(response.content)
            response["ETag"] = etag
            wanted = request.headers.get("If-None-Match", "")
            if etag in [tag.strip() for tag in wanted.split(",")] or wanted.strip() == "*":
                not_modified = Response(status=304, headers={"ETag": etag})
                not_modified.accepted_renderer = response.accepted_renderer
                not_modified.accepted_media_type = response.accepted_media_type
                not_modified.renderer_context = response.renderer_context  # type: ignore[attr-defined]
                for header in ("Cache-Control", "Vary"):
                    if header in response:
                        not_modified[header] = response[header]
                return not_modified
        return response


class SchoolAPIMixin(APIContractMixin):
    permission_classes: Sequence[_PermissionClass] = [
        IsAuthenticatedForThisHost,
        IsSchoolMember,
    ]
    allowed_roles: frozenset[str] | None = None  # None: every school role may read
    write_roles: frozenset[str] | None = None  # None: same as allowed_roles
    # Viewset actions whose writes other roles may make (e.g. {"profile": SEND_DETAIL_ROLES}):
    # declared on the class, never changed per request.
    write_roles_by_action: dict[str, frozenset[str]] = {}
    # A viewset action that writes a record with field-level rights other than the viewset's own
    # serializer's (e.g. {"sen_history": SEN_HISTORY_FIELDS}): its writes get the same guard.
    field_rights_by_action: dict[str, FieldRights] = {}
    # The audit row of a read: what was read ("" = from the view's name) and where each row of
    # the response names its pupil ("id" for endpoints whose rows are pupils).
    audit_resource: str = ""
    audit_pupil_field: str = "pupil"
    # A URL naming the pupil (``/pupils/<pupil_id>/documents/``) names the pupil read.
    audit_pupil_url_kwarg: str = "pupil_id"

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

    def check_permissions(self, request: Any) -> None:
        super().check_permissions(request)
        self._refuse_hidden_fields(request)

    def _refuse_hidden_fields(self, request: Any) -> None:
        """Field-level rights on writes: a create or update that names a field of the record the
        caller's role may not see is refused before anything runs (the record's serializer
        declares its FieldRights, decided in the domain's access.py)."""
        if request.method not in ("POST", "PUT", "PATCH"):
            return
        action = getattr(self, "action", None)
        rights: FieldRights | None
        if action is not None and action in self.field_rights_by_action:
            rights = self.field_rights_by_action[action]
        elif action is None or action in ("create", "update", "partial_update"):
            rights = getattr(getattr(self, "serializer_class", None), "field_rights", None)
        else:
            return  # a viewset's extra action writes another resource, declared above if so
        if rights is not None:
            refuse_hidden_fields(rights, self.school_access, request.data)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method in ("GET", "HEAD") and getattr(response, "status_code", 0) == 200:
            self._audit_read(request, response)
        return super().finalize_response(request, response, *args, **kwargs)

    def _audit_read(self, request: Any, response: Any) -> None:
        from apps.audit.reads import AUDITED_MARK, pupil_ids_in, record_read

        django_request = request._request
        if (
            getattr(django_request, AUDITED_MARK, False)
            or getattr(self, "audit_reads", True) is False
        ):
            return
        if getattr(django_request, "school_access", None) is None:
            return
        pupil_id = getattr(self, "kwargs", {}).get(self.audit_pupil_url_kwarg)
        if pupil_id is not None and str(pupil_id).isdigit():
            ids = [int(pupil_id)]
        else:
            ids = pupil_ids_in(getattr(response, "data", None), self.audit_pupil_field)
        action = getattr(self, "action", None) or request.method.lower()
        resource = self.audit_resource or _resource_name(type(self).__name__)
        record_read(request, resource=resource, pupil_ids=ids, api=True, view=str(action))


def _resource_name(class_name: str) -> str:
    """ "ReferralViewSet" -> "referrals", "ProvisionMapView" -> "provision map"."""
    import re

    base = re.sub(r"(ViewSet|APIView|View|API)$", "", class_name)
    words = re.findall(r"[A-Z][a-z]*|[a-z]+", base)
    name = " ".join(w.lower() for w in words) or class_name
    return name if name.endswith("s") else name + "s"


class SchoolAPIView(SchoolAPIMixin, APIView):
    pass


class SchoolViewSet(SchoolAPIMixin, viewsets.GenericViewSet):
    pass


class ServiceWriteViewSet(SchoolViewSet):
    """A school viewset whose writes each call one service: the one shape of create and update.

    A subclass sets ``write_serializer_class`` (the body a write accepts; every field optional
    on update) and defines ``create_with_service(data)`` and ``update_with_service(row, data)``,
    which call the service with ``self.request.user`` and return the row. This class validates
    the body (400 keyed by field), finds the row to update among what the user may see
    (``get_row``: 404 with ``not_found_message`` otherwise), answers 201 or 200 with the row as
    ``serializer_class`` shows it, read again through the scoped queryset. A service's
    ValidationError becomes a 400 keyed by field (exception_handler). PUT and PATCH both take
    just the fields to change. The OpenAPI schema of the three actions follows from the two
    serializer classes."""

    write_serializer_class: type[serializers.Serializer[Any]]
    not_found_message = "Nothing with that id that you can see."
    lookup_value_converter = "int"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        write = cls.__dict__.get("write_serializer_class")
        read = cls.__dict__.get("serializer_class")
        if write is not None and read is not None:
            extend_schema_view(
                create=extend_schema(request=write, responses={201: read}),
                update=extend_schema(request=write, responses=read),
                partial_update=extend_schema(request=write, responses=read),
            )(cls)

    def get_row(self, pk: Any) -> Any:
        row = self.get_queryset().filter(pk=pk).first()
        if row is None:
            raise exceptions.NotFound(self.not_found_message)
        return row

    def write_body(self, *, partial: bool) -> dict[str, Any]:
        body = self.write_serializer_class(data=self.request.data, partial=partial)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def create_with_service(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update_with_service(self, row: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        row = self.create_with_service(self.write_body(partial=False))
        return Response(self.get_serializer(self.get_row(row.pk)).data, status=201)

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        row = self.get_row(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        self.update_with_service(row, self.write_body(partial=True))
        return Response(self.get_serializer(self.get_row(row.pk)).data)

    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)


def keyed_by_id(mapping: Mapping[str, _V], *, field: str, message: str) -> dict[int, _V]:
    """A JSON object keyed by ids (its keys are strings) with int keys; a key that is not a
    number is a 400 on ``field`` saying ``message`` (e.g. "Attendance is keyed by pupil id.")."""
    try:
        return {int(key): value for key, value in mapping.items()}
    except ValueError:
        raise exceptions.ValidationError({field: [message]}) from None


class TrustAPIMixin(APIContractMixin):
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
    "Pagination",
    "TokenRateThrottle",
    "IsAuthenticatedForThisHost",
    "IsSchoolMember",
    "IsTrustMember",
    "SchoolAPIView",
    "SchoolViewSet",
    "ServiceWriteViewSet",
    "TrustAPIMixin",
    "keyed_by_id",
    "Response",
    "exception_handler",
]
