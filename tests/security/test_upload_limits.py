"""Finding 2: zip bombs and oversized bodies."""

from __future__ import annotations

import io
import socket
import tracemalloc
import zipfile

import pytest
from django.test import Client

from apps.documents.sniff import DOCX, RejectedFile, sniff
from tests.documents import files
from tests.support import host_for

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_with(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb_200mb() -> bytes:
    """About 200 KB that unpacks to 200 MB (the finding's file)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(200):
                member.write(block)
    return out.getvalue()


def test_a_200mb_bomb_is_refused_without_unpacking_it(bomb_200mb):
    assert len(bomb_200mb) < 400_000
    tracemalloc.start()
    try:
        with pytest.raises(RejectedFile, match="zip bomb"):
            sniff(bomb_200mb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, peak


def test_a_bomb_under_the_size_limits_is_caught_by_its_ratio():
    # 20 MB of zeros: under the per-member and total limits, but 1,000 to 1.
    data = docx_with({"word/media/padding.xml": b"\0" * (20 * 1024 * 1024)})
    tracemalloc.start()
    try:
        with pytest.raises(RejectedFile, match="zip bomb"):
            sniff(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, peak


def test_a_nested_archive_is_refused():
    with pytest.raises(RejectedFile, match="another archive"):
        sniff(docx_with({"word/embeddings/inner.zip": files.PLAIN_ZIP}))


def test_a_real_word_document_with_text_and_an_image_is_still_accepted():
    text = b"<w:p>" + b"Reading support: phonics group three times a week. " * 2000 + b"</w:p>"
    assert sniff(docx_with({"word/media/image1.png": files.PNG, "word/extra.xml": text})) is DOCX


def test_the_bomb_is_refused_through_the_upload_page(client_for, people, school_a, bomb_200mb):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.documents.models import PupilDocument
    from tests.exchange.helpers import add_pupil
    from tests.support import in_school

    with in_school(school_a):
        pupil = add_pupil(first_name="Bomb")
    client = client_for(people["senco_a"], school_a)
    response = client.post(
        f"/pupils/{pupil.pk}/documents/",
        {
            "file": SimpleUploadedFile("plan.docx", bomb_200mb),
            "title": "Plan",
            "category": "report",
        },
    )
    assert response.status_code in (200, 400)
    assert "zip bomb" in response.content.decode()
    with in_school(school_a):
        assert not PupilDocument.objects.filter(pupil=pupil).exists()


@pytest.mark.parametrize(
    ("path", "size"),
    [
        ("/pupils/1/documents/", 30 * 1024 * 1024),
        ("/api/v1/pupils/1/documents/", 12 * 1024 * 1024),
        ("/imports/", 30 * 1024 * 1024),
        ("/api/v1/imports/", 30 * 1024 * 1024),
    ],
)
def test_a_body_over_the_limit_is_refused_from_its_declared_length(people, school_a, path, size):
    # The body sent is tiny: a 413 proves the answer came from the header, not from reading.
    client = Client(HTTP_HOST=host_for(school_a))
    response = client.generic(
        "POST",
        path,
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(size),
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_an_upload_at_the_limit_is_not_refused_by_the_length_check(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    response = client.post("/imports/", {"file": io.BytesIO(b"not a csv")})
    assert response.status_code != 413


def test_a_30mb_upload_is_answered_before_it_is_sent(web_server):
    """Over real HTTP: the server answers 413 after the headers, without waiting for 30 MB."""
    from tests.support import host_for as host

    with socket.create_connection(("127.0.0.1", web_server.port), timeout=10) as conn:
        conn.sendall(
            (
                "POST /api/v1/imports/ HTTP/1.1\r\n"
                f"Host: {host(None)}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {30 * 1024 * 1024}\r\n\r\n"
            ).encode()
            + b"x" * 1024
        )
        answer = conn.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413"), answer
