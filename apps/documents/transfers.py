"""Pupil documents as a part of a transfer between trust schools (apps.trust.transfers).

The files are read from the sender's private storage and written into the receiver's under new
random names, inside the console's transfer; if the transfer fails, the copied files are removed
again (the database rows roll back by themselves)."""

from __future__ import annotations

from apps.trust.transfers import TransferContext, register_transfer_part
from tenants.typing import tenant_db

from . import storage
from .models import PupilDocument

COPIED_FIELDS = (
    "title",
    "category",
    "original_name",
    "kind",
    "content_type",
    "size_bytes",
    "sha256",
    "uploaded_by_user_id",
    "uploaded_by_name",
    "uploaded_at",
)


def export_documents(ctx: TransferContext) -> list[dict]:
    schema = tenant_db.schema_name
    out = []
    for doc in PupilDocument.objects.filter(pupil_id=ctx.source_pupil_id).order_by(
        "uploaded_at", "id"
    ):
        row = {f: getattr(doc, f) for f in COPIED_FIELDS}
        row["data"] = storage.read(schema, doc.storage_name)
        out.append(row)
    return out


def import_documents(rows: list[dict], ctx: TransferContext) -> int:
    schema = tenant_db.schema_name
    from .sniff import ACCEPTED

    extension_of = {k.key: k.extension for k in ACCEPTED}
    for row in rows:
        data = row.pop("data")
        name = storage.save(schema, "documents", data, extension_of.get(row["kind"], "bin"))
        ctx.on_failure.append(lambda schema=schema, name=name: storage.delete(schema, name))
        PupilDocument.objects.create(pupil_id=ctx.new_pupil_id, storage_name=name, **row)
    return len(rows)


register_transfer_part(
    "documents",
    label="Documents and reports",
    export=export_documents,
    import_=import_documents,
    order=50,
)
