"""Writing and reading pupil documents. Each function authorises the acting user, writes the
audit row, and leaves nothing half-done: a refused upload stores no bytes and no row."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from apps.audit.services import record
from apps.core.acting import authorise
from tenants.typing import tenant_db

from . import access as rights
from . import storage
from .actions import DocumentAction
from .models import PupilDocument
from .sniff import RejectedFile, sniff

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def _check_pupil(access, user, pupil) -> None:
    if not rights.visible_pupils(access, user).filter(pk=pupil.pk).exists():
        raise PermissionDenied("You can only work with documents of pupils you teach or support.")


def document_upload(
    *,
    acting_user,
    pupil,
    uploaded_file,
    title: str = "",
    category: str = PupilDocument.Category.REPORT,
    request=None,
) -> PupilDocument:
    """Store an uploaded file against a pupil after checking its size and real type."""
    access = authorise(rights.RIGHTS, acting_user, "upload_document", request=request)
    _check_pupil(access, acting_user, pupil)
    errors: dict[str, list[str]] = {}
    limit = max_upload_bytes()
    if uploaded_file is None:
        raise ValidationError({"file": ["Choose a file to upload."]})
    if uploaded_file.size > limit:
        raise ValidationError(
            {
                "file": [
                    f"The file is {uploaded_file.size / 1048576:.1f} MB; the largest allowed is {limit / 1048576:.0f} MB."
                ]
            }
        )
    title = " ".join((title or "").split())[:200]
    original_name = (
        (getattr(uploaded_file, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255]
    )
    if not title:
        title = original_name.rsplit(".", 1)[0][:200] or "Untitled document"
    if category not in PupilDocument.Category.values:
        errors["category"] = [
            f"'{category}' is not a document category; use one of {', '.join(PupilDocument.Category.values)}."
        ]
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {"file": [f"The file is larger than {limit / 1048576:.0f} MB, the largest allowed."]}
        )
    try:
        kind = sniff(data)
    except RejectedFile as exc:
        errors["file"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    schema = tenant_db.schema_name
    try:
        name = storage.save(schema, "documents", data, kind.extension)
    except storage.StorageUnavailable as exc:
        logging.getLogger(__name__).error("Document upload not stored: %s", exc)
        raise ValidationError(
            {"file": ["The document store is not available just now, so nothing was saved."]}
        ) from exc
    try:
        with transaction.atomic():
            document = PupilDocument.objects.create(
                pupil=pupil,
                title=title,
                category=category,
                original_name=original_name,
                kind=kind.key,
                content_type=kind.content_type,
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                storage_name=name,
                uploaded_by_user_id=acting_user.pk,
                uploaded_by_name=getattr(acting_user, "full_name", "")[:150],
            )
            record(
                user=acting_user,
                action=DocumentAction.UPLOADED,
                pupil=pupil,
                summary=f"Uploaded a {kind.label} ({document.get_category_display().lower()})",
                request=request,
                extra={"document_id": document.pk, "kind": kind.key, "size_bytes": len(data)},
            )
    except BaseException:
        storage.delete(schema, name)
        raise
    return document


def document_open(*, acting_user, document: PupilDocument, request=None) -> bytes:
    """The file's bytes for a download, after the checks; the download is audited."""
    access = authorise(rights.RIGHTS, acting_user, "see_documents", request=request)
    _check_pupil(access, acting_user, document.pupil)
    try:
        data = storage.read(tenant_db.schema_name, document.storage_name)
    except FileNotFoundError:
        raise Http404(
            "The file of this document is missing from storage; ask the SENCo to upload it again."
        ) from None
    record(
        user=acting_user,
        action=DocumentAction.DOWNLOADED,
        pupil=document.pupil,
        summary=f"Downloaded a document ({document.get_category_display().lower()})",
        request=request,
        extra={"document_id": document.pk},
    )
    return data


@transaction.atomic
def document_remove(*, acting_user, document: PupilDocument, request=None) -> None:
    access = authorise(rights.RIGHTS, acting_user, "remove_document", request=request)
    _check_pupil(access, acting_user, document.pupil)
    name = document.storage_name
    pupil = document.pupil
    record(
        user=acting_user,
        action=DocumentAction.REMOVED,
        pupil=pupil,
        summary="Removed a document",
        request=request,
        extra={"document_id": document.pk},
    )
    document.delete()
    schema = tenant_db.schema_name
    transaction.on_commit(lambda: storage.delete(schema, name))
