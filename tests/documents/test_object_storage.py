"""Pupil documents on S3-compatible object storage (a local moto server, a real HTTP S3 API).

Every behaviour test of test_documents.py runs again here with the bucket configured (those that
look at the local folder itself are replaced by their object-storage equivalents), then the
things only a bucket has: a prefix per school, server-side encryption on every object, no public
ACL, presigned URLs that expire, wrong credentials refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.documents import storage
from tests.documents import files
from tests.documents import test_documents as local_behaviour
from tests.s3 import s3_client
from tests.support import in_school

# Tests whose subject is the local folder (paths on disk, symlinks): replaced below.
LOCAL_ONLY = {"test_the_documents_page_lists_uploads_and_shows_precise_errors"}
for _name in dir(local_behaviour):
    if _name.startswith("test_") and _name not in LOCAL_ONLY:
        globals()[_name] = getattr(local_behaviour, _name)
pupils_a = local_behaviour.pupils_a


_client = s3_client


@pytest.fixture
def bucket(s3_bucket):
    return s3_bucket


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path, bucket, s3_server, monkeypatch):
    """Overrides the local folder fixture: files go to the bucket, and the behaviour tests'
    `stored_files(root)` lists the bucket's objects (as paths under `root`) instead of the disk."""
    root = tmp_path / "private"
    settings.PRIVATE_FILES_ROOT = root

    def stored_files(_root) -> list[Path]:
        listing = _client(s3_server).list_objects_v2(Bucket=bucket)
        return [root / obj["Key"].removeprefix("private/") for obj in listing.get("Contents", [])]

    monkeypatch.setattr(local_behaviour, "stored_files", stored_files)
    yield root
    # Nothing ever lands on the local disk when a bucket is configured.
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def objects(s3_server, bucket) -> list[dict]:
    return _client(s3_server).list_objects_v2(Bucket=bucket).get("Contents", [])


def test_documents_live_under_the_schools_prefix_encrypted_and_private(
    api_for, people, school_a, pupils_a, s3_server, bucket
):
    mine, _ = pupils_a
    body = local_behaviour.upload_api(
        api_for(people["senco_a"], school_a), mine.pk, files.PDF, "report.pdf"
    ).json()
    (obj,) = objects(s3_server, bucket)
    assert obj["Key"].startswith(f"private/{school_a.schema_name}/documents/")
    client = _client(s3_server)
    head = client.head_object(Bucket=bucket, Key=obj["Key"])
    assert head["ServerSideEncryption"] == "AES256"
    grants = client.get_object_acl(Bucket=bucket, Key=obj["Key"])["Grants"]
    assert all("URI" not in g["Grantee"] for g in grants)  # no AllUsers / AuthenticatedUsers
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    # Downloaded through the authorised, audited view.
    download = api_for(people["senco_a"], school_a).get(
        f"/api/v1/pupils/{mine.pk}/documents/{body['id']}/download/"
    )
    assert download.status_code == 200 and download.content == files.PDF


def test_the_page_flow_and_removal_take_the_object_with_the_row(
    client_for, people, school_a, pupils_a, s3_server, bucket, django_capture_on_commit_callbacks
):
    from apps.documents.models import PupilDocument

    mine, _ = pupils_a
    client = client_for(people["teacher_a"], school_a)
    good = client.post(
        f"/pupils/{mine.pk}/documents/",
        {
            "title": "Reading assessment",
            "category": "evidence",
            "file": SimpleUploadedFile("scan.jpg", files.JPEG),
        },
    )
    assert good.status_code == 302
    with in_school(school_a):
        doc = PupilDocument.objects.get()
    assert client.get(f"/pupils/{mine.pk}/documents/{doc.pk}/download/").content == files.JPEG
    assert len(objects(s3_server, bucket)) == 1
    assert client.post(f"/pupils/{mine.pk}/documents/{doc.pk}/remove/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        removed = client_for(people["senco_a"], school_a).post(
            f"/pupils/{mine.pk}/documents/{doc.pk}/remove/"
        )
    assert removed.status_code == 302
    assert objects(s3_server, bucket) == []


def test_another_schools_prefix_is_never_reached(school_a, school_b):
    name = storage.save(school_a.schema_name, "documents", files.PDF, "pdf")
    assert storage.read(school_a.schema_name, name) == files.PDF
    with pytest.raises(FileNotFoundError):
        storage.read(school_b.schema_name, name)
    assert storage.names(school_b.schema_name) == []
    assert storage.names(school_a.schema_name) == [name]
    for bad in ("../alpha/" + name, "public"):
        with pytest.raises(storage.UnsafePath):
            storage.read(bad, name)


def test_presigned_urls_are_short_lived_and_signed(settings, school_a):
    settings.PRIVATE_FILES_S3_URL_SECONDS = 30
    name = storage.save(school_a.schema_name, "documents", files.PDF, "pdf")
    url = storage.download_url(school_a.schema_name, name, "Report 1.pdf")
    assert "X-Amz-Expires=30" in url and "X-Amz-Signature=" in url
    assert "attachment" in url  # a download, never rendered inline
    response = requests.get(url, timeout=5)
    assert response.status_code == 200 and response.content == files.PDF
    # (moto checks neither signatures nor expiry; AWS and other S3 servers do.)
    # Local storage has no URLs at all: downloads only through the authorised view.
    settings.PRIVATE_FILES_S3_BUCKET = ""
    assert storage.download_url(school_a.schema_name, name, "Report 1.pdf") is None


@pytest.mark.parametrize(
    ("setting", "value", "reason"),
    [
        ("PRIVATE_FILES_S3_BUCKET", "no-such-bucket-anywhere", "the bucket does not exist"),
        ("PRIVATE_FILES_S3_ENDPOINT_URL", "http://127.0.0.1:9", "Check the PRIVATE_FILES_S3_"),
    ],
)
def test_a_store_that_refuses_is_a_clear_message_and_nothing_is_written(
    settings, api_for, people, school_a, pupils_a, setting, value, reason
):
    from apps.documents.models import PupilDocument

    setattr(settings, setting, value)
    with pytest.raises(storage.StorageUnavailable, match=reason):
        storage.save(school_a.schema_name, "documents", files.PDF, "pdf")
    mine, _ = pupils_a
    response = local_behaviour.upload_api(
        api_for(people["senco_a"], school_a), mine.pk, files.PDF, "report.pdf"
    )
    assert response.status_code == 400
    assert "document store is not available" in response.content.decode()
    with in_school(school_a):
        assert not PupilDocument.objects.exists()
