"""/api/v1/imports/ (list, upload → preview), /api/v1/imports/{id}/ (preview or report),
/api/v1/imports/{id}/confirm/, and the exports: /api/v1/exports/census/, /api/v1/exports/register/,
/api/v1/exports/pupils/{id}/ctf/, /api/v1/exports/pupils/{id}/subject-access/."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser

from apps.audit.services import record
from apps.core.api import Response, SchoolAPIView
from apps.pupils.models import Pupil
from apps.pupils.selectors import RegisterFilters

from . import access as rights
from . import exports, services
from .actions import ExchangeAction
from .models import ImportBatch


class ImportBatchSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "status",
            "status_label",
            "original_name",
            "size_bytes",
            "sha256",
            "source_description",
            "file_error",
            "row_errors",
            "counts",
            "notes",
            "preview",
            "uploaded_by_name",
            "uploaded_at",
            "confirmed_by_name",
            "confirmed_at",
        ]


ERROR_RESPONSE = inline_serializer(
    "ErrorResponse",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)


def _file(content_type: str, description: str):
    return extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY,
            403: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
        },
        description=description,
    )


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.ChoiceField(choices=ImportBatch.Kind.choices, required=False)


def rejection(batch: ImportBatch) -> Response:
    if batch.file_error:
        errors = {"file": [batch.file_error]}
        detail = batch.file_error
    else:
        errors = {}
        for e in batch.row_errors:
            errors.setdefault(f"{e['label']}: {e['field']}", []).append(e["message"])
        rows = len({e["row"] for e in batch.row_errors})
        detail = f"{rows} row(s) have errors; nothing was written."
    return Response(
        {"detail": detail, "errors": errors, "import": ImportBatchSerializer(batch).data},
        status=status.HTTP_400_BAD_REQUEST,
    )


class _ImportsBase(SchoolAPIView):
    allowed_roles = rights.IMPORT_ROLES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        rights.RIGHTS.require(self.school_access, "import")

    def get_school_queryset(self):
        return ImportBatch.objects.all()

    def scope_queryset_for_user(self, queryset):
        # Imports are the school's, not one person's: everyone who may import sees them all.
        return queryset if rights.can(self.school_access, "import") else queryset.none()


class ImportListView(_ImportsBase):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="imports_list",
        responses={200: ImportBatchSerializer(many=True)},
        description="The school's recent imports (newest first, without previews).",
    )
    def get(self, request):
        def serialize(page: list) -> list:
            data: Any = ImportBatchSerializer(page, many=True).data
            for d in data:
                d.pop("preview", None)
            return data

        return self.list_response(self.get_queryset().defer("preview"), serialize)

    @extend_schema(
        operation_id="imports_upload",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportBatchSerializer, 400: ERROR_RESPONSE},
        description="Upload a CTF (XML) or MIS CSV. Nothing about pupils is written: the answer is the preview (what would be created and updated, row by row), or 400 with every bad row and field.",
    )
    def post(self, request):
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        limit = services.max_import_bytes()
        if upload.size > limit:
            return Response(
                {
                    "detail": f"file: The file is {upload.size / 1048576:.1f} MB; the largest import allowed is {limit / 1048576:.0f} MB.",
                    "errors": {"file": [f"The file is larger than {limit / 1048576:.0f} MB."]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        batch = services.import_upload(
            acting_user=request.user,
            data=upload.read(),
            original_name=upload.name,
            kind=form.validated_data.get("kind"),
            request=request,
        )
        if batch.status == ImportBatch.Status.REJECTED:
            return rejection(batch)
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class ImportDetailView(_ImportsBase):
    @extend_schema(
        responses={200: ImportBatchSerializer, 404: ERROR_RESPONSE},
        description="An import's preview, or its error report.",
    )
    def get(self, request, import_id: int):
        batch = self.get_queryset().filter(pk=import_id).first()
        if batch is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        record(
            user=request.user,
            action=ExchangeAction.IMPORT_VIEWED,
            summary=f"Viewed import {batch.pk} (its preview or report)",
            request=request,
            extra={"import_id": batch.pk},
        )
        return Response(ImportBatchSerializer(batch).data)


class ImportConfirmView(_ImportsBase):
    @extend_schema(
        request=None,
        responses={
            200: ImportBatchSerializer,
            400: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
        },
        description="Write a previewed import, all or nothing.",
    )
    def post(self, request, import_id: int):
        batch = self.get_queryset().filter(pk=import_id).first()
        if batch is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        try:
            batch = services.import_confirm(acting_user=request.user, batch=batch, request=request)
        except services.ImportFailed as exc:
            if exc.batch.status == ImportBatch.Status.REJECTED and (
                exc.batch.row_errors or exc.batch.file_error
            ):
                return rejection(exc.batch)
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        data = ImportBatchSerializer(batch).data
        data.pop("preview", None)
        return Response(data)


def send(file: exports.ExportFile) -> HttpResponse:
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _ExportsBase(SchoolAPIView):
    allowed_roles = rights.EXPORT_ROLES

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        rights.RIGHTS.require(self.school_access, "export")

    def get_school_queryset(self):
        return Pupil.objects.all()

    def scope_queryset_for_user(self, queryset):
        return queryset if rights.can(self.school_access, "export") else queryset.none()

    def pupil(self, pupil_id: int) -> Pupil | None:
        return self.get_queryset().filter(pk=pupil_id).first()


class CensusExportView(_ExportsBase):
    @_file(
        "text/csv",
        "The census SEN return: UPN, SENprovision, SENtypeRank1, SENtypeRank2 for every pupil on roll.",
    )
    def get(self, request):
        return send(exports.census_export(acting_user=request.user, request=request))


class RegisterExportView(_ExportsBase):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "file_format", str, enum=["csv", "xlsx"], description="csv (default) or xlsx"
            ),
            OpenApiParameter("provision", str),
            OpenApiParameter("need", str),
            OpenApiParameter("year_group", str),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY,
            400: ERROR_RESPONSE,
        },
        description="The SEN register (filters as on the register page; no name search in a query string).",
    )
    def get(self, request):
        file_format = request.query_params.get("file_format", "csv")
        if file_format not in ("csv", "xlsx"):
            return Response(
                {
                    "detail": "file_format: use csv or xlsx.",
                    "errors": {"file_format": ["Use csv or xlsx."]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        filters = RegisterFilters.from_data(request.query_params)
        filters.search = ""  # names never travel in a query string
        return send(
            exports.register_export(
                acting_user=request.user, file_format=file_format, filters=filters, request=request
            )
        )


class LeaverCtfExportView(_ExportsBase):
    @extend_schema(
        parameters=[
            OpenApiParameter("dest_la", str, description="3 digits"),
            OpenApiParameter("dest_estab", str, description="4 digits"),
        ],
        responses={
            (200, "application/xml"): OpenApiTypes.BINARY,
            400: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
        },
        description="A leaver's Common Transfer File with SEN history and ranked needs.",
    )
    def get(self, request, pupil_id: int):
        pupil = self.pupil(pupil_id)
        if pupil is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        la = request.query_params.get("dest_la", "")
        estab = request.query_params.get("dest_estab", "")
        if (la and not (la.isdigit() and len(la) == 3)) or (
            estab and not (estab.isdigit() and len(estab) == 4)
        ):
            return Response(
                {
                    "detail": "The destination LA is 3 digits and the establishment number 4.",
                    "errors": {"dest_la": ["3 digits."], "dest_estab": ["4 digits."]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return send(
            exports.leaver_ctf_export(
                acting_user=request.user, pupil=pupil, dest_la=la, dest_estab=estab, request=request
            )
        )


class SubjectAccessExportView(_ExportsBase):
    allowed_roles = rights.SUBJECT_ACCESS_ROLES

    def initial(self, request, *args, **kwargs):
        SchoolAPIView.initial(self, request, *args, **kwargs)
        rights.RIGHTS.require(self.school_access, "export_subject_access")

    @_file(
        "application/zip",
        "Everything held about one pupil: record.json, record.html and the pupil's documents (SENCo and headteacher).",
    )
    def get(self, request, pupil_id: int):
        pupil = self.pupil(pupil_id)
        if pupil is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        return send(
            exports.subject_access_export(acting_user=request.user, pupil=pupil, request=request)
        )
