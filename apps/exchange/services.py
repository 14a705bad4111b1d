"""Imports: upload → preview → confirm. All or nothing: a file with any bad row writes no pupil
and no history, and its report names every bad row and field.

    batch = import_upload(acting_user=user, data=bytes, original_name="x.xml", request=request)
    if batch.status == ImportBatch.Status.PREVIEWED:
        import_confirm(acting_user=user, batch=batch, request=request)
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core.acting import authorise
from apps.documents import storage
from apps.pupils.models import SenHistory

from . import access as rights
from .actions import ExchangeAction
from .ctf import parse_ctf
from .mis_csv import parse_mis_csv
from .models import ImportBatch
from .planning import Plan, apply_plan, plan_import
from .records import FileRejected, RowError
from .validation import validate_rows

DEFAULT_MAX_IMPORT_BYTES = 25 * 1024 * 1024


def max_import_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES))


def detect_kind(data: bytes) -> str:
    """By content: XML is a CTF, anything else is treated as CSV."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return ImportBatch.Kind.CTF if head.startswith(b"<") else ImportBatch.Kind.MIS_CSV


def _plan(
    kind: str, data: bytes, *, lock: bool = False
) -> tuple[Plan | None, list[RowError], list[str], str]:
    """Parse, validate and plan. Raises FileRejected for an unusable file."""
    notes: list[str] = []
    source = ""
    if kind == ImportBatch.Kind.CTF:
        parsed = parse_ctf(data)
        rows = parsed.rows
        h = parsed.header
        if h.source_name or h.source_urn:
            source = f"{h.source_name or 'A school'} (URN {h.source_urn or '?'}, LA {h.source_la or '?'}), CTF version {h.version or '?'}"
    else:
        parsed_csv = parse_mis_csv(data)
        rows = parsed_csv.rows
        if parsed_csv.ignored_columns:
            notes.append(f"Columns not imported: {', '.join(parsed_csv.ignored_columns)}.")
    today = timezone.localdate()
    records, errors = validate_rows(rows, today=today)
    plan = plan_import(records, today=today, lock=lock)
    errors = sorted([*errors, *plan.errors], key=lambda e: e.row)
    return plan, errors, notes, source


def import_upload(
    *, acting_user, data: bytes, original_name: str, kind: str | None = None, request=None
) -> ImportBatch:
    """Check a file and work out what it would do. Nothing about pupils is written here."""
    authorise(rights.RIGHTS, acting_user, "import", request=request)
    limit = max_import_bytes()
    if not data:
        raise ValidationError({"file": ["The file is empty."]})
    if len(data) > limit:
        raise ValidationError(
            {
                "file": [
                    f"The file is {len(data) / 1048576:.1f} MB; the largest import allowed is {limit / 1048576:.0f} MB."
                ]
            }
        )
    kind = kind or detect_kind(data)
    if kind not in ImportBatch.Kind.values:
        raise ValidationError({"kind": [f"'{kind}' is not an import kind; use ctf or mis_csv."]})
    batch = ImportBatch(
        kind=kind,
        original_name=(original_name or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255],
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_user_id=acting_user.pk,
        uploaded_by_name=getattr(acting_user, "full_name", "")[:150],
    )
    try:
        plan, errors, notes, source = _plan(kind, data)
    except FileRejected as exc:
        batch.status = ImportBatch.Status.REJECTED
        batch.file_error = str(exc)
        batch.save()
        record(
            user=acting_user,
            action=ExchangeAction.IMPORT_REJECTED,
            summary=f"Import {batch.pk} refused: the file could not be read",
            request=request,
            extra={"import_id": batch.pk, "kind": kind},
        )
        return batch
    batch.notes = notes
    batch.source_description = source[:255]
    batch.preview = [p.preview() for p in plan.pupils]
    batch.counts = plan.counts
    if errors:
        batch.status = ImportBatch.Status.REJECTED
        batch.row_errors = [e.as_dict() for e in errors]
        batch.save()
        record(
            user=acting_user,
            action=ExchangeAction.IMPORT_REJECTED,
            summary=f"Import {batch.pk} refused: {len({e.row for e in errors})} bad row(s)",
            request=request,
            extra={"import_id": batch.pk, "kind": kind, "errors": len(errors)},
        )
        return batch
    batch.status = ImportBatch.Status.PREVIEWED
    batch.storage_name = storage.save(
        connection.schema_name, "imports", data, "xml" if kind == ImportBatch.Kind.CTF else "csv"
    )
    batch.save()
    record(
        user=acting_user,
        action=ExchangeAction.IMPORT_PREVIEWED,
        summary=f"Uploaded import {batch.pk} for preview ({len(plan.pupils)} pupils)",
        request=request,
        extra={"import_id": batch.pk, "kind": kind, **plan.counts},
    )
    return batch


class ImportFailed(Exception):
    def __init__(self, batch: ImportBatch, message: str) -> None:
        super().__init__(message)
        self.batch = batch


def import_confirm(*, acting_user, batch: ImportBatch, request=None) -> ImportBatch:
    """Write the import, all or nothing. The file is planned afresh under row locks; if anything
    is now wrong, nothing is written and the batch carries the new report."""
    authorise(rights.RIGHTS, acting_user, "import", request=request)
    schema = connection.schema_name
    failure: tuple[str, list[RowError]] | None = None
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise ImportFailed(
                batch,
                f"This import is {batch.get_status_display().lower()}; only a previewed import can be confirmed.",
            )
        data = storage.read(schema, batch.storage_name)
        try:
            plan, errors, _, _ = _plan(batch.kind, data, lock=True)
        except FileRejected as exc:  # pragma: no cover - the same file passed at preview
            failure = (str(exc), [])
        else:
            if errors:
                failure = (
                    "The school's records changed since the preview; the file no longer imports cleanly.",
                    errors,
                )
            else:
                source = (
                    SenHistory.Source.CTF
                    if batch.kind == ImportBatch.Kind.CTF
                    else SenHistory.Source.IMPORT
                )
                counts = apply_plan(
                    plan, acting_user=acting_user, source=source, batch_id=batch.pk, request=request
                )
                batch.status = ImportBatch.Status.CONFIRMED
                batch.counts = counts
                batch.confirmed_at = timezone.now()
                batch.confirmed_by_user_id = acting_user.pk
                batch.confirmed_by_name = getattr(acting_user, "full_name", "")[:150]
                name, batch.storage_name = batch.storage_name, ""
                batch.save()
                transaction.on_commit(lambda: storage.delete(schema, name))
    if failure is not None:
        message, errors = failure
        batch.status = ImportBatch.Status.REJECTED
        batch.file_error = message if not errors else ""
        batch.row_errors = [e.as_dict() for e in errors]
        name, batch.storage_name = batch.storage_name, ""
        batch.save(update_fields=["status", "file_error", "row_errors", "storage_name"])
        storage.delete(schema, name)
        record(
            user=acting_user,
            action=ExchangeAction.IMPORT_REJECTED,
            summary=f"Import {batch.pk} refused at confirmation",
            request=request,
            extra={"import_id": batch.pk},
        )
        raise ImportFailed(batch, message)
    return batch


def import_discard(*, acting_user, batch: ImportBatch, request=None) -> None:
    authorise(rights.RIGHTS, acting_user, "import", request=request)
    if batch.status == ImportBatch.Status.PREVIEWED:
        storage.delete(connection.schema_name, batch.storage_name)
        batch.status = ImportBatch.Status.REJECTED
        batch.file_error = "Discarded before confirmation."
        batch.storage_name = ""
        batch.save(update_fields=["status", "file_error", "storage_name"])
        record(
            user=acting_user,
            action=ExchangeAction.IMPORT_DISCARDED,
            summary=f"Discarded import {batch.pk}",
            request=request,
            extra={"import_id": batch.pk},
        )
