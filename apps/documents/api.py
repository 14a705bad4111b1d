"""/api/v1/pupils/{pupil_id}/documents/ (list, upload) and .../{id}/download/ (the file)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser

from apps.core.api import Response, SchoolAPIView

from . import access as rights
from . import services
from .models import PupilDocument
from .sniff import ACCEPTED


class DocumentSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = PupilDocument
        fields = [
            "id",
            "pupil",
            "title",
            "category",
            "category_label",
            "original_name",
            "kind",
            "content_type",
            "size_bytes",
            "sha256",
            "uploaded_by_name",
            "uploaded_at",
        ]


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    category = serializers.CharField(required=False, default=PupilDocument.Category.REPORT)


class _DocumentsBase(SchoolAPIView):
    allowed_roles = rights.SEE_ROLES
    write_roles = rights.UPLOAD_ROLES

    def get_school_queryset(self):
        return PupilDocument.objects.select_related("pupil")

    def scope_queryset_for_user(self, queryset):
        return queryset.filter(
            pupil__in=rights.visible_pupils(self.school_access, self.request.user)
        )


class PupilDocumentsView(_DocumentsBase):
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = DocumentSerializer

    @extend_schema(
        operation_id="pupil_documents_list",
        responses={200: DocumentSerializer(many=True)},
    )
    def get(self, request, pupil_id: int):
        rights.get_pupil_for(self.school_access, request.user, pupil_id)
        documents = self.get_queryset().filter(pupil_id=pupil_id)
        return self.list_response(documents, lambda page: DocumentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="pupil_documents_upload",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        description="Upload a PDF, Word (.docx/.doc), PNG or JPEG file; its type is checked from the content and the size against the limit.",
    )
    def post(self, request, pupil_id: int):
        pupil = rights.get_pupil_for_write(self.school_access, request.user, pupil_id)
        form = DocumentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        document = services.document_upload(
            acting_user=request.user,
            pupil=pupil,
            uploaded_file=form.validated_data["file"],
            title=form.validated_data.get("title", ""),
            category=form.validated_data.get("category") or PupilDocument.Category.REPORT,
            request=request,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class PupilDocumentDetailView(_DocumentsBase):
    @extend_schema(operation_id="pupil_document_retrieve", responses={200: DocumentSerializer})
    def get(self, request, pupil_id: int, document_id: int):
        document = self.get_queryset().filter(pupil_id=pupil_id, pk=document_id).first()
        if document is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        return Response(DocumentSerializer(document).data)


class PupilDocumentDownloadView(_DocumentsBase):
    @extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY
            for content_type in (kind.content_type for kind in ACCEPTED)
        },
        description="The file, as an attachment. Every download is audited.",
    )
    def get(self, request, pupil_id: int, document_id: int):
        document = self.get_queryset().filter(pupil_id=pupil_id, pk=document_id).first()
        if document is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        try:
            data = services.document_open(
                acting_user=request.user, document=document, request=request
            )
        except Http404 as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
        return file_response(document, data)


def file_response(document: PupilDocument, data: bytes) -> HttpResponse:
    """The bytes as an attachment that a browser will neither sniff nor render in our origin."""
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.download_name}"'
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
