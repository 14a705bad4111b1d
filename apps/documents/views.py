"""Pupil documents pages: /pupils/<id>/documents/ (list and upload), download, remove."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.audit.reads import audited_page
from apps.audit.services import record
from apps.core.forms import add_service_errors
from tenants.typing import SchoolPageRequest

from . import access as rights
from . import selectors, services
from .actions import DocumentAction
from .api import file_response
from .forms import DocumentUploadForm


@require_http_methods(["GET", "POST"])
def pupil_documents(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    access = request.school_access
    pupil = rights.get_pupil_for(access, request.user, pupil_id)
    can_upload = rights.can(access, "upload_document")
    form = DocumentUploadForm()
    if request.method == "POST":
        rights.get_pupil_for_write(access, request.user, pupil_id)
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.document_upload(
                    acting_user=request.user,
                    pupil=pupil,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    category=form.cleaned_data["category"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The document was uploaded.")
                return redirect("pupil-documents", pupil_id=pupil.pk)
    documents = selectors.documents_for_pupil(access=access, user=request.user, pupil_id=pupil.pk)
    record(
        user=request.user,
        action=DocumentAction.LISTED,
        pupil=pupil,
        summary="Viewed the list of documents",
        request=request,
    )
    return render(
        request,
        "documents/pupil_documents.html",
        {
            "pupil": pupil,
            "documents": documents,
            "form": form,
            "can_upload": can_upload,
            "can_remove": rights.can(access, "remove_document"),
            "max_mb": services.max_upload_bytes() // (1024 * 1024),
            "page_title": "Documents",
        },
        status=400 if form.errors else 200,
    )


def document_download(request: SchoolPageRequest, pupil_id: int, document_id: int) -> HttpResponse:
    document = rights.get_document_for(request.school_access, request.user, pupil_id, document_id)
    data = services.document_open(acting_user=request.user, document=document, request=request)
    return file_response(document, data)


@audited_page("a document's removal question")
@require_http_methods(["GET", "POST"])
def document_remove(request: SchoolPageRequest, pupil_id: int, document_id: int) -> HttpResponse:
    """GET asks first (naming the document and what removing it means), POST removes it."""
    document = rights.get_document_for_write(
        request.school_access, request.user, pupil_id, document_id
    )
    if request.method == "GET":
        return render(
            request,
            "core/confirm.html",
            {
                "page_title": f"Remove this document from {document.pupil.display_name}'s record?",
                "quoted": document.title,
                "consequence": "The file is deleted and cannot be downloaded again. Who removed "
                "it and when is kept in the audit log.",
                "button": "Remove the document",
                "warning": True,
                "cancel_url": reverse("pupil-documents", args=[pupil_id]),
            },
        )
    services.document_remove(acting_user=request.user, document=document, request=request)
    messages.success(request, "The document was removed.")
    return redirect("pupil-documents", pupil_id=pupil_id)
