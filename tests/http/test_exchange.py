"""Imports (multipart upload, confirm), exports and pupil documents over real HTTP."""

from __future__ import annotations

from .contract import covers
from .helpers import make_pupil


def _ctf(serial: int, surname: str) -> bytes:
    from tests.exchange.samples import ctf, make_upn, pupil

    return ctf(
        [
            pupil(
                1,
                upn=make_upn(serial, estab="4191"),
                surname=surname,
                forename="Imported",
                sen=[("2022-09-05", "K")],
                needs=[("2022-09-05", "", 1, "SPLD")],
            )
        ]
    )


@covers("POST /api/v1/imports/", "POST /api/v1/imports/{import_id}/confirm/")
def test_office_uploads_a_ctf_and_confirms_it(http_world, api):
    from apps.pupils.models import Pupil

    client = api("office")
    upload = client.post(
        "/api/v1/imports/",
        files={"file": ("leavers.xml", _ctf(801, "Httpimport"), "application/xml")},
    )
    assert upload.status_code == 201, upload.text
    batch = upload.json()
    assert not http_world.in_school(Pupil.objects.filter(last_name="Httpimport").exists)

    confirmed = client.post(f"/api/v1/imports/{batch['id']}/confirm/")
    assert confirmed.status_code == 200, confirmed.text
    assert http_world.in_school(Pupil.objects.filter(last_name="Httpimport").exists)

    again = client.post(f"/api/v1/imports/{batch['id']}/confirm/")
    assert again.status_code in (400, 409)


@covers("POST /api/v1/imports/")
def test_a_bad_upload_names_the_problem_and_a_teacher_may_not_import(http_world, api):
    bad = api("senco").post(
        "/api/v1/imports/", files={"file": ("x.xml", b"<not-a-ctf", "application/xml")}
    )
    assert bad.status_code == 400 and bad.json()["detail"]
    teacher = api("teacher").post(
        "/api/v1/imports/", files={"file": ("x.xml", _ctf(802, "Nope"), "application/xml")}
    )
    assert teacher.status_code == 403


@covers("POST /api/v1/pupils/{pupil_id}/documents/")
def test_senco_uploads_a_document_and_downloads_it(http_world, api):
    from apps.documents.demo import simple_pdf

    pupil = make_pupil(http_world)
    client = api("senco")
    pdf = simple_pdf(["Speech and language report"])
    uploaded = client.post(
        f"/api/v1/pupils/{pupil.pk}/documents/",
        files={"file": ("report.pdf", pdf, "application/pdf")},
        data={"title": "SaLT report"},
    )
    assert uploaded.status_code == 201, uploaded.text
    doc = uploaded.json()
    download = client.get(f"/api/v1/pupils/{pupil.pk}/documents/{doc['id']}/download/")
    assert download.status_code == 200 and download.content == pdf

    fake = client.post(
        f"/api/v1/pupils/{pupil.pk}/documents/",
        files={"file": ("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    assert fake.status_code == 400


def test_exports_answer_files_to_a_token(http_world, api):
    pupil = make_pupil(http_world)
    client = api("senco")
    census = client.get("/api/v1/exports/census/")
    assert census.status_code == 200 and "no-store" in census.headers["cache-control"]
    register = client.get("/api/v1/exports/register/", params={"file_format": "csv"})
    assert register.status_code == 200
    ctf = client.get(f"/api/v1/exports/pupils/{pupil.pk}/ctf/")
    assert ctf.status_code == 200 and b"CTfile" in ctf.content
    sar = client.get(f"/api/v1/exports/pupils/{pupil.pk}/subject-access/")
    assert sar.status_code == 200 and sar.content[:2] == b"PK"
    assert api("teacher").get("/api/v1/exports/census/").status_code == 403
