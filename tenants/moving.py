"""A school changes trust, or leaves the platform.

Its schema, its records and its documents stay exactly as they are: only the public schema
changes. Trust-level things are ended or moved by the packages that own them, through the
`school_leaving_trust` signal (apps.trust: shared SENCo arrangements, library items and adoptions,
pending transfers; apps.billing: an invoice contact that was the old trust's), all in one
transaction with the change of trust. The school's own figures (rollups) and its billing account
belong to the school and follow it: the new trust sees them, the old one no longer does.

Leaving the platform: a sealed backup (tenants.backup) plus an open export for the school (a CSV
per table and every document), then the school is archived (closed to staff, nothing deleted).
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from .backup import _q, migrations_of, school_backup, school_tables
from .models import School, Trust, User
from .signals import school_leaving_trust
from .typing import tenant_db


def _leave(*, acting_user: User | None, school: School, to_trust: Trust | None) -> list[str]:
    notes: list[str] = []
    for _receiver, response in school_leaving_trust.send(
        sender=School,
        school=school,
        from_trust=school.trust,
        to_trust=to_trust,
        acting_user=acting_user,
    ):
        notes.extend(response or [])
    return notes


def school_move_trust(*, acting_user: User | None, school: School, to_trust: Trust) -> list[str]:
    """Move `school` to `to_trust`. Returns what was ended or moved, in words."""
    if school.status == School.Status.ARCHIVED:
        raise ValidationError("An archived school cannot move; reactivate it first.")
    with transaction.atomic():
        school = School.objects.select_for_update().select_related("trust").get(pk=school.pk)
        if school.trust_id == to_trust.pk:
            raise ValidationError(f"{school.name} is already in {to_trust.name}.")
        from_name = school.trust.name
        notes = _leave(acting_user=acting_user, school=school, to_trust=to_trust)
        school.trust = to_trust
        school.save(update_fields=["trust"])
    notes.insert(0, f"{school.name} moved from {from_name} to {to_trust.name}.")
    return notes


def _csv_of(schema: str, table: str) -> bytes:
    out = io.StringIO()
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {_q(schema)}.{_q(table)} ORDER BY 1")
        writer = csv.writer(out)
        writer.writerow([column.name for column in cur.description])
        for row in cur.fetchall():
            writer.writerow(
                [
                    "" if v is None else json.dumps(v) if isinstance(v, dict | list) else v
                    for v in row
                ]
            )
    return out.getvalue().encode()


def school_export(*, acting_user: User | None, school: School, out) -> dict:
    """An open ZIP for the school itself: a CSV per table of its schema and every document."""
    from apps.documents import storage

    schema = school.schema_name
    tenant_db.set_schema_to_public()
    tables = school_tables(schema)
    documents = storage.names(schema)
    summary = {
        "school": {"name": school.name, "urn": school.urn},
        "exported_at": timezone.now().isoformat(),
        "migrations": migrations_of(schema),
        "tables": tables,
        "documents": len(documents),
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", json.dumps(summary, indent=1))
        for table in tables:
            archive.writestr(f"tables/{table}.csv", _csv_of(schema, table))
        for name in documents:
            archive.writestr(f"documents/{name}", storage.read(schema, name))
    return summary


def _private_file(path: Path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


def school_leave_platform(
    *, acting_user: User | None, school: School, folder: Path, key: bytes
) -> tuple[Path, Path, list[str]]:
    """Write the sealed backup and the open export into `folder`, then end the school's trust
    links and archive it. Returns (backup path, export path, notes)."""
    if school.status == School.Status.ARCHIVED:
        raise ValidationError("This school is already archived.")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    backup_path = folder / f"{school.slug}-{stamp}.sencohub"
    export_path = folder / f"{school.slug}-{stamp}-export.zip"
    try:
        with _private_file(backup_path) as out:
            school_backup(acting_user=acting_user, school=school, out=out, key=key)
        with _private_file(export_path) as out:
            school_export(acting_user=acting_user, school=school, out=out)
    except BaseException:
        backup_path.unlink(missing_ok=True)
        export_path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        school = School.objects.select_for_update().select_related("trust").get(pk=school.pk)
        notes = _leave(acting_user=acting_user, school=school, to_trust=None)
        school.status = School.Status.ARCHIVED
        school.status_changed_at = timezone.now()
        school.save(update_fields=["status", "status_changed_at"])
    notes.insert(0, f"{school.name} left the platform: archived, its records kept until deleted.")
    return backup_path, export_path, notes
