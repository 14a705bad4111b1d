"""Per-school backup and restore (tenants.backup, `school_backup` / `school_restore`): a round
trip compares every table's rows and every document's hash; bad archives, keys and targets are
refused cleanly, with nothing half-done and no other school touched."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists

from apps.documents import storage
from tenants.backup import school_tables
from tenants.models import Domain, School
from tenants.sealed import new_key
from tests.documents.files import PDF, PNG
from tests.support import in_school
from tests.trust.conftest import make_pupil

FIELDS = dict(
    phase="primary", local_authority_name="Kirklees", local_authority_code="382", number_on_roll=90
)


@pytest.fixture
def key(monkeypatch) -> str:
    value = new_key()
    monkeypatch.setenv("SCHOOL_BACKUP_KEY", value)
    return value


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def source(committed, harness, private_root):
    """A committed school with pupils, register history, a profile and two documents."""
    from apps.documents.models import PupilDocument

    school = committed.school(
        trust=harness["trust_a"], name="Backup Primary", urn="700301", subdomain="backup", **FIELDS
    )
    with in_school(school):
        pupils = [make_pupil(provision="K", need="SLCN", first=f"Ann{n}") for n in range(5)]
        make_pupil(provision="E", need="ASD", first="Ben")
        for n, (data, ext) in enumerate([(PDF, "pdf"), (PNG, "png")]):
            name = storage.save(school.schema_name, "documents", data, ext)
            PupilDocument.objects.create(
                pupil=pupils[n],
                title=f"Report {n}",
                original_name=f"report-{n}.{ext}",
                kind=ext,
                content_type="application/pdf" if ext == "pdf" else "image/png",
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                storage_name=name,
            )
    connection.set_schema_to_public()
    return school


def rows_of(schema: str) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    result = {}
    for table in school_tables(schema):
        with connection.cursor() as cur:
            cur.execute(f'SELECT * FROM "{schema}"."{table}" ORDER BY 1')
            result[table] = cur.fetchall()
    return result


def document_hashes(schema: str) -> dict[str, str]:
    return {
        name: hashlib.sha256(storage.read(schema, name)).hexdigest()
        for name in storage.names(schema)
    }


def backup(school, path: Path) -> str:
    out = io.StringIO()
    call_command("school_backup", school=school.slug, output=str(path), stdout=out)
    return out.getvalue()


def restore(*args, **options) -> str:
    out = io.StringIO()
    call_command("school_restore", *args, stdout=out, interactive=False, **options)
    return out.getvalue()


def fingerprint_of_other_schools(*exclude: str) -> dict:
    connection.set_schema_to_public()
    return {
        s: rows_of(s)
        for s in School.objects.exclude(schema_name__in=exclude).values_list(
            "schema_name", flat=True
        )
    }


def test_round_trip_into_a_new_subdomain(source, key, tmp_path, committed):
    archive = tmp_path / "backup.sencohub"
    assert "2 documents" in backup(source, archive)
    raw = archive.read_bytes()
    assert b"Ann0" not in raw and b"%PDF" not in raw  # sealed, not merely compressed
    others = fingerprint_of_other_schools(source.schema_name)

    output = restore(str(archive), as_address="backup-copy", urn="700302", name="Backup Copy")
    copy = School.objects.get(schema_name="backup_copy")
    committed.cleanup(lambda: copy.delete(force_drop=True))
    assert "Restored Backup Copy" in output
    assert Domain.objects.get(tenant=copy).domain == "backup-copy.localhost"
    assert copy.trust_id == source.trust_id and copy.urn == "700302"

    original, restored = rows_of(source.schema_name), rows_of("backup_copy")
    assert set(original) == set(restored)
    for table in original:
        assert original[table] == restored[table], table
    assert len(original["pupils_pupil"]) == 6
    assert document_hashes("backup_copy") == document_hashes(source.schema_name)
    assert len(document_hashes("backup_copy")) == 2
    # The copy works as a school: new rows get fresh ids after the restored ones.
    with in_school(copy):
        assert make_pupil(first="Cat").pk > max(r[0] for r in original["pupils_pupil"])
    connection.set_schema_to_public()
    assert fingerprint_of_other_schools(source.schema_name, "backup_copy") == others


def test_round_trip_over_the_school_after_confirmation(source, key, tmp_path):
    from apps.pupils.models import Pupil

    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    before_rows, before_docs = rows_of(source.schema_name), document_hashes(source.schema_name)
    with in_school(source):
        Pupil.objects.filter(first_name="Ben").delete()
        make_pupil(first="Late")
        storage.save(source.schema_name, "documents", PDF + b"% later", "pdf")
    connection.set_schema_to_public()
    assert rows_of(source.schema_name) != before_rows

    with pytest.raises(CommandError, match="confirm with its web address"):
        restore(str(archive), over="backup", confirm="wrong")
    assert rows_of(source.schema_name) != before_rows  # refused: nothing changed

    restore(str(archive), over="backup", confirm="backup")
    assert rows_of(source.schema_name) == before_rows
    assert document_hashes(source.schema_name) == before_docs


def test_restore_over_another_school_is_refused(source, key, tmp_path, harness):
    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    before = rows_of(harness["school_b"].schema_name)
    with pytest.raises(CommandError, match="not of Beta Primary"):
        restore(str(archive), over="beta", confirm="beta")
    assert rows_of(harness["school_b"].schema_name) == before


def _refused(archive: Path, match: str, **options) -> None:
    others = fingerprint_of_other_schools()
    options.setdefault("as_address", "backup-bad")
    options.setdefault("urn", "700303")
    with pytest.raises(CommandError, match=match):
        restore(str(archive), **options)
    assert not schema_exists("backup_bad")
    assert not School.objects.filter(schema_name="backup_bad").exists()
    assert fingerprint_of_other_schools() == others


def test_a_wrong_key_is_refused(source, key, tmp_path, monkeypatch):
    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    monkeypatch.setenv("SCHOOL_BACKUP_KEY", new_key())
    _refused(archive, "sealed with another key")


def test_a_missing_or_malformed_key_is_refused(source, key, tmp_path, monkeypatch):
    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    monkeypatch.setenv("SCHOOL_BACKUP_KEY", "not-a-key")
    _refused(archive, "32 bytes|base64")
    monkeypatch.delenv("SCHOOL_BACKUP_KEY")
    with pytest.raises(CommandError, match="No backup key"):
        backup(source, tmp_path / "other.sencohub")
    assert not (tmp_path / "other.sencohub").exists()


def test_a_truncated_archive_is_refused(source, key, tmp_path):
    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) - 40])
    _refused(archive, "incomplete|truncated")


def test_a_corrupted_archive_is_refused(source, key, tmp_path):
    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    _refused(archive, "corrupted")


def test_something_that_is_not_an_archive_is_refused(source, key, tmp_path):
    archive = tmp_path / "backup.sencohub"
    archive.write_bytes(b"PK\x03\x04 not a backup")
    _refused(archive, "not a SENCo Hub backup")


def test_an_archive_from_another_version_is_refused(source, key, tmp_path):
    """Sealed with the right key but made by a newer SENCo Hub: a migration this code lacks."""
    import tarfile

    from tenants.sealed import SealedReader, SealedWriter, parse_key

    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    raw_key = parse_key(key)
    members = []
    with open(archive, "rb") as fh:
        with tarfile.open(fileobj=io.BufferedReader(SealedReader(fh, raw_key)), mode="r|gz") as t:
            for info in t:
                members.append((info.name, t.extractfile(info).read()))
    manifest = json.loads(members[0][1])
    manifest["migrations"].append("pupils.0999_from_the_future")
    members[0] = ("manifest.json", json.dumps(manifest).encode())
    newer = tmp_path / "newer.sencohub"
    with open(newer, "wb") as fh:
        writer = SealedWriter(fh, raw_key)
        with tarfile.open(fileobj=writer, mode="w|gz") as t:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
        writer.close()
    _refused(newer, "another \\(newer\\) version")
    # A different archive format number is refused too.
    manifest["format"] = 99
    members[0] = ("manifest.json", json.dumps(manifest).encode())
    with open(newer, "wb") as fh:
        writer = SealedWriter(fh, raw_key)
        with tarfile.open(fileobj=writer, mode="w|gz") as t:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
        writer.close()
    _refused(newer, "format 99")


def test_a_taken_subdomain_or_urn_is_refused(source, key, tmp_path):
    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    others = fingerprint_of_other_schools()
    with pytest.raises(CommandError, match="already taken"):
        restore(str(archive), as_address="alpha")
    with pytest.raises(CommandError, match="URN 700301 is already on the platform"):
        restore(str(archive), as_address="backup-two")
    assert not schema_exists("backup_two")
    assert fingerprint_of_other_schools() == others


def test_a_failing_load_leaves_nothing_behind(source, key, tmp_path, private_root):
    """The SQL fails half-way (a table that cannot be created): no schema, no school, no files."""
    from tenants import backup as backup_module

    archive = tmp_path / "backup.sencohub"
    backup(source, archive)
    real = backup_module.retarget_sql

    def broken(sql: str, old: str, new: str) -> str:
        return real(sql, old, new) + "\nSELECT 1/0;\n"

    backup_module.retarget_sql = broken
    try:
        _refused(archive, "Loading the schema failed")
    finally:
        backup_module.retarget_sql = real
    assert not (Path(private_root) / "backup_bad").exists() or not any(
        p.is_file() for p in (Path(private_root) / "backup_bad").rglob("*")
    )
    shutil.rmtree(Path(private_root) / "backup_bad", ignore_errors=True)


def test_round_trip_with_documents_on_object_storage(committed, harness, key, tmp_path, s3_bucket):
    """The same round trip when documents live in an S3 bucket (moto server)."""
    from apps.documents.models import PupilDocument

    school = committed.school(
        trust=harness["trust_a"], name="Bucket Primary", urn="700311", subdomain="bucket", **FIELDS
    )
    with in_school(school):
        pupil = make_pupil(provision="K", need="SLCN", first="Dee")
        name = storage.save(school.schema_name, "documents", PDF, "pdf")
        PupilDocument.objects.create(
            pupil=pupil,
            title="Report",
            original_name="report.pdf",
            kind="pdf",
            content_type="application/pdf",
            size_bytes=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
            storage_name=name,
        )
    connection.set_schema_to_public()
    archive = tmp_path / "bucket.sencohub"
    assert "1 documents" in backup(school, archive)
    restore(str(archive), as_address="bucket-copy", urn="700312")
    copy = School.objects.get(schema_name="bucket_copy")
    committed.cleanup(lambda: copy.delete(force_drop=True))
    assert rows_of("bucket_copy") == rows_of(school.schema_name)
    assert document_hashes("bucket_copy") == document_hashes(school.schema_name)
    assert storage.names("bucket_copy") == [name]


def test_a_store_that_refuses_during_restore_leaves_nothing(
    committed, harness, key, tmp_path, s3_bucket, settings
):
    school = committed.school(
        trust=harness["trust_a"],
        name="Refused Primary",
        urn="700321",
        subdomain="refused",
        **FIELDS,
    )
    storage.save(school.schema_name, "documents", PDF, "pdf")
    archive = tmp_path / "refused.sencohub"
    backup(school, archive)
    settings.PRIVATE_FILES_S3_BUCKET = "no-such-bucket-anywhere"
    others = fingerprint_of_other_schools()
    with pytest.raises(CommandError, match="document store refused"):
        restore(str(archive), as_address="refused-copy", urn="700322")
    assert not schema_exists("refused_copy")
    assert not School.objects.filter(schema_name="refused_copy").exists()
    assert fingerprint_of_other_schools() == others
