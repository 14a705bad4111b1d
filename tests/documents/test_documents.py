"""Pupil documents through the API and the pages: upload checks, private download, roles,
isolation between schools (same ids), audit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.documents import services, storage
from apps.documents.models import PupilDocument
from apps.pupils import services as pupil_services
from apps.pupils.models import Pupil
from tests.exchange.helpers import add_class, add_pupil
from tests.support import in_school

from . import files


def upload_api(client, pupil_id: int, data: bytes, name: str = "report.pdf", **extra):
    return client.post(
        f"/api/v1/pupils/{pupil_id}/documents/",
        {"file": SimpleUploadedFile(name, data), **extra},
        format="multipart",
    )


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def pupils_a(school_a, people):
    """Two pupils in school A: one in the teacher's class with the TA assigned, one not."""
    with in_school(school_a):
        mine = add_pupil(first_name="Taught", provision="K", primary_need="SLCN")
        other = add_pupil(first_name="Other")
        add_class("4T", staff=[people["teacher_a"]], pupils=[mine])
        pupil_services.ta_assign(
            acting_user=None, pupil=mine, user_id=people["teaching_assistant_a"].pk
        )
    return mine, other


def test_senco_uploads_and_downloads_a_report_and_both_are_audited(
    api_for, people, school_a, pupils_a
):
    mine, _ = pupils_a
    api = api_for(people["senco_a"], school_a)
    r = upload_api(api, mine.pk, files.PDF, title="Speech and language report", category="report")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["kind"], body["content_type"], body["title"]) == (
        "pdf",
        "application/pdf",
        "Speech and language report",
    )
    listed = api.get(f"/api/v1/pupils/{mine.pk}/documents/").json()["results"]
    assert [d["id"] for d in listed] == [body["id"]]
    download = api.get(f"/api/v1/pupils/{mine.pk}/documents/{body['id']}/download/")
    assert download.status_code == 200
    assert download.content == files.PDF
    assert (
        download["Content-Disposition"] == 'attachment; filename="Speech-and-language-report.pdf"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    with in_school(school_a):
        events = list(AuditEvent.objects.filter(pupil_id=mine.pk).values_list("action", "user_id"))
    assert ("document.uploaded", people["senco_a"].pk) in events
    assert ("document.downloaded", people["senco_a"].pk) in events


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (files.EXE, "report.pdf", "a Windows program"),
        (files.HTML, "report.pdf", "web page"),
        (files.PLAIN_ZIP, "report.docx", "not a Word document"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_disguised_files_are_refused_and_nothing_is_stored(
    api_for, people, school_a, pupils_a, private_files, data, name, message
):
    mine, _ = pupils_a
    r = upload_api(api_for(people["senco_a"], school_a), mine.pk, data, name)
    assert r.status_code == 400
    assert message in r.json()["errors"]["file"][0]
    with in_school(school_a):
        assert not PupilDocument.objects.exists()
    assert stored_files(private_files) == []


def test_oversized_files_are_refused(api_for, people, school_a, pupils_a, settings, private_files):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 50
    r = upload_api(api_for(people["senco_a"], school_a), pupils_a[0].pk, files.PDF + b" " * 100)
    assert r.status_code == 400
    assert "largest allowed is" in r.json()["detail"]
    assert stored_files(private_files) == []


def test_a_word_file_named_pdf_is_stored_as_what_it_really_is(api_for, people, school_a, pupils_a):
    mine, _ = pupils_a
    api = api_for(people["senco_a"], school_a)
    body = upload_api(api, mine.pk, files.DOCX, "evidence.pdf", title="Work sample").json()
    assert body["kind"] == "docx" and body["content_type"].endswith("wordprocessingml.document")
    assert api.get(f"/api/v1/pupils/{mine.pk}/documents/{body['id']}/download/")[
        "Content-Disposition"
    ].endswith('.docx"')


def test_the_uploaders_file_name_never_reaches_the_filesystem(
    api_for, people, school_a, pupils_a, private_files
):
    mine, _ = pupils_a
    body = upload_api(
        api_for(people["senco_a"], school_a), mine.pk, files.PNG, "../../../../etc/cron.d/evil.png"
    ).json()
    assert body["original_name"] == "evil.png"
    (path,) = stored_files(private_files)
    assert path.is_relative_to(private_files / school_a.schema_name)
    assert "evil" not in str(path)


@pytest.mark.parametrize(
    ("role", "sees_mine", "may_upload"),
    [
        ("senco_a", True, True),
        ("headteacher_a", True, True),
        ("teacher_a", True, True),
        ("teaching_assistant_a", True, True),
        ("trust_send_lead_a", True, False),
    ],
)
def test_who_sees_and_uploads_documents(
    api_for, people, school_a, pupils_a, role, sees_mine, may_upload
):
    mine, other = pupils_a
    with in_school(school_a):
        doc_mine = services.document_upload(
            acting_user=people["senco_a"],
            pupil=mine,
            uploaded_file=SimpleUploadedFile("a.pdf", files.PDF),
        )
        doc_other = services.document_upload(
            acting_user=people["senco_a"],
            pupil=other,
            uploaded_file=SimpleUploadedFile("b.pdf", files.PDF),
        )
    api = api_for(people[role], school_a)
    assert api.get(f"/api/v1/pupils/{mine.pk}/documents/{doc_mine.pk}/download/").status_code == (
        200 if sees_mine else 404
    )
    teaches_only_some = role in ("teacher_a", "teaching_assistant_a")
    other_status = api.get(
        f"/api/v1/pupils/{other.pk}/documents/{doc_other.pk}/download/"
    ).status_code
    assert other_status == (404 if teaches_only_some else 200)
    assert api.get(f"/api/v1/pupils/{other.pk}/documents/").status_code == (
        404 if teaches_only_some else 200
    )
    r = upload_api(api, mine.pk, files.PNG, "photo.png")
    assert r.status_code == (201 if may_upload else 403)
    if teaches_only_some:
        assert upload_api(api, other.pk, files.PNG, "photo.png").status_code == 404


@pytest.mark.parametrize(
    "role", ["office_a", "governor_a", "trust_trust_admin_a", "outsider", "senco_b"]
)
def test_roles_without_document_access_are_refused(api_for, people, school_a, pupils_a, role):
    mine, _ = pupils_a
    with in_school(school_a):
        doc = services.document_upload(
            acting_user=people["senco_a"],
            pupil=mine,
            uploaded_file=SimpleUploadedFile("a.pdf", files.PDF),
        )
    api = api_for(people[role], school_a)
    assert api.get(f"/api/v1/pupils/{mine.pk}/documents/").status_code == 403
    assert api.get(f"/api/v1/pupils/{mine.pk}/documents/{doc.pk}/download/").status_code == 403
    assert upload_api(api, mine.pk, files.PDF).status_code == 403


def test_a_document_of_school_b_is_never_served_from_school_a(
    api_for, client_for, people, school_a, school_b, twin_rows
):
    pa, pb = twin_rows(lambda school: add_pupil(first_name=f"Twin {school.slug}"))
    uploader = {school_a.pk: people["senco_a"], school_b.pk: people["senco_b"]}
    content = {school_a.pk: files.PDF, school_b.pk: files.PDF.replace(b"Catalog", b"SCHOOLB")}

    def make_doc(school):
        pupil = Pupil.objects.get(pk=pa.pk)
        return services.document_upload(
            acting_user=uploader[school.pk],
            pupil=pupil,
            uploaded_file=SimpleUploadedFile("r.pdf", content[school.pk]),
            title=f"Report {school.slug}",
        )

    da, db = twin_rows(make_doc)
    assert (pa.pk, da.pk) == (pb.pk, db.pk)
    url = f"/api/v1/pupils/{pa.pk}/documents/{da.pk}/download/"
    assert api_for(people["senco_a"], school_a).get(url).content == content[school_a.pk]
    assert api_for(people["senco_b"], school_b).get(url).content == content[school_b.pk]
    # A's SENCo on B's host: refused at the door, by token and by session.
    assert api_for(people["senco_a"], school_b).get(url).status_code == 403
    assert (
        client_for(people["senco_a"], school_b)
        .get(f"/pupils/{pa.pk}/documents/{da.pk}/download/")
        .status_code
        == 403
    )
    listed = (
        api_for(people["senco_a"], school_a)
        .get(f"/api/v1/pupils/{pa.pk}/documents/")
        .json()["results"]
    )
    assert listed and {d["title"] for d in listed} == {
        "Report alpha"
    }  # twin_rows may make a pair twice
    # An id that exists only in B is simply not found in A.
    with in_school(school_b):
        only_b = services.document_upload(
            acting_user=people["senco_b"],
            pupil=Pupil.objects.get(pk=pb.pk),
            uploaded_file=SimpleUploadedFile("x.pdf", files.PDF),
        )
    assert (
        api_for(people["senco_a"], school_a)
        .get(f"/api/v1/pupils/{pa.pk}/documents/{only_b.pk}/download/")
        .status_code
        == 404
    )
    assert (
        client_for(people["senco_a"], school_a)
        .get(f"/pupils/{pa.pk}/documents/{only_b.pk}/download/")
        .status_code
        == 404
    )


def test_a_document_id_under_another_pupil_is_not_found(api_for, people, school_a, pupils_a):
    mine, other = pupils_a
    with in_school(school_a):
        doc = services.document_upload(
            acting_user=people["senco_a"],
            pupil=other,
            uploaded_file=SimpleUploadedFile("a.pdf", files.PDF),
        )
    # The teacher can see `mine`, and asks for `other`'s document through `mine`'s path.
    assert (
        api_for(people["teacher_a"], school_a)
        .get(f"/api/v1/pupils/{mine.pk}/documents/{doc.pk}/download/")
        .status_code
        == 404
    )


def test_the_documents_page_lists_uploads_and_shows_precise_errors(
    client_for, people, school_a, pupils_a, private_files
):
    mine, _ = pupils_a
    client = client_for(people["teacher_a"], school_a)
    page = client.get(f"/pupils/{mine.pk}/documents/")
    assert page.status_code == 200 and b"Upload a document" in page.content
    bad = client.post(
        f"/pupils/{mine.pk}/documents/",
        {
            "title": "Sneaky",
            "category": "report",
            "file": SimpleUploadedFile("report.pdf", files.HTML),
        },
    )
    assert bad.status_code == 400
    assert b"There is a problem" in bad.content and b"web page or markup" in bad.content
    good = client.post(
        f"/pupils/{mine.pk}/documents/",
        {
            "title": "Reading assessment",
            "category": "evidence",
            "file": SimpleUploadedFile("scan.jpg", files.JPEG),
        },
    )
    assert good.status_code == 302
    page = client.get(f"/pupils/{mine.pk}/documents/")
    assert b"Reading assessment" in page.content
    with in_school(school_a):
        doc = PupilDocument.objects.get()
    download = client.get(f"/pupils/{mine.pk}/documents/{doc.pk}/download/")
    assert download.status_code == 200 and download.content == files.JPEG
    # Teachers cannot remove; the SENCo can, and the file goes with the row.
    assert client.post(f"/pupils/{mine.pk}/documents/{doc.pk}/remove/").status_code == 403
    path = storage.path_for(school_a.schema_name, doc.storage_name)
    assert path.exists()
    removed = client_for(people["senco_a"], school_a).post(
        f"/pupils/{mine.pk}/documents/{doc.pk}/remove/"
    )
    assert removed.status_code == 302
    with in_school(school_a):
        assert not PupilDocument.objects.exists()


@pytest.mark.parametrize("role", ["office_a", "governor_a"])
def test_the_documents_page_is_closed_to_office_and_governors(
    client_for, people, school_a, pupils_a, role
):
    page = client_for(people[role], school_a).get(f"/pupils/{pupils_a[0].pk}/documents/")
    assert page.status_code == 403
    # The refusal names no pupil and offers no upload.
    assert pupils_a[0].first_name not in page.content.decode()
    assert b'type="file"' not in page.content


def test_the_pupil_page_links_to_documents_for_those_who_see_them(
    client_for, people, school_a, pupils_a
):
    mine, _ = pupils_a
    with in_school(school_a):
        services.document_upload(
            acting_user=people["senco_a"],
            pupil=mine,
            uploaded_file=SimpleUploadedFile("a.pdf", files.PDF),
        )
    page = client_for(people["teacher_a"], school_a).get(f"/pupils/{mine.pk}/")
    assert page.status_code == 200
    assert (
        f'href="/pupils/{mine.pk}/documents/"'.encode() in page.content
        and b"Documents (1)" in page.content
    )
    senco_page = client_for(people["senco_a"], school_a).get(f"/pupils/{mine.pk}/")
    assert b"Exports for this pupil" in senco_page.content
    assert b"Exports for this pupil" not in page.content


def test_a_file_missing_from_storage_is_a_clear_404_not_an_error(
    api_for, people, school_a, pupils_a
):
    mine, _ = pupils_a
    with in_school(school_a):
        doc = services.document_upload(
            acting_user=people["senco_a"],
            pupil=mine,
            uploaded_file=SimpleUploadedFile("a.pdf", files.PDF),
        )
        storage.delete(school_a.schema_name, doc.storage_name)
    r = api_for(people["senco_a"], school_a).get(
        f"/api/v1/pupils/{mine.pk}/documents/{doc.pk}/download/"
    )
    assert r.status_code == 404 and "missing from storage" in r.json()["detail"]
