"""The imports and exports API and pages: the flow, precise 4xx errors, roles and isolation
between schools for every endpoint."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.exchange import services
from apps.exchange.models import ImportBatch
from apps.pupils.models import Pupil
from tests.support import in_school

from .helpers import add_pupil
from .samples import ctf, pupil

GOOD = ctf([pupil(1, sen=[("2021-09-01", "K")], needs=[("2021-09-01", "", 1, "SLCN")]), pupil(2)])


def post_file(client, data: bytes, name: str = "ctf.xml", **extra):
    return client.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile(name, data), **extra}, format="multipart"
    )


def test_api_upload_preview_confirm(api_for, people, school_a):
    api = api_for(people["senco_a"], school_a)
    r = post_file(api, GOOD)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "previewed" and body["counts"]["create"] == 2
    assert [p["action"] for p in body["preview"]] == ["create", "create"]
    assert api.get(f"/api/v1/imports/{body['id']}/").json()["status"] == "previewed"
    with in_school(school_a):
        assert AuditEvent.objects.filter(
            action="import.viewed", extra__import_id=body["id"]
        ).exists()
    assert [b["id"] for b in api.get("/api/v1/imports/").json()["results"]] == [body["id"]]
    done = api.post(f"/api/v1/imports/{body['id']}/confirm/")
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    with in_school(school_a):
        assert Pupil.objects.count() == 2
        assert AuditEvent.objects.filter(
            action="import.confirmed", user_id=people["senco_a"].pk
        ).exists()
    again = api.post(f"/api/v1/imports/{body['id']}/confirm/")
    assert again.status_code == 409
    assert "only a previewed import" in again.json()["detail"]


def test_api_reports_every_bad_row_with_a_400_and_writes_nothing(api_for, people, school_a):
    bad = ctf(
        [
            pupil(1),
            pupil(2, upn="A382200115002"),
            pupil(3, sen=[("2021-09-01", "E")], needs=[("2021-09-01", "", 1, "NSA")]),
        ]
    )
    r = post_file(api_for(people["senco_a"], school_a), bad)
    assert r.status_code == 400
    body = r.json()
    assert body["detail"] == "2 row(s) have errors; nothing was written."
    assert set(body["errors"]) == {"Pupil 2: UPN", "Pupil 3: SENhistory/SENneeds"}
    assert body["import"]["status"] == "rejected"
    with in_school(school_a):
        assert not Pupil.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"definitely not xml", "lacks the required column"),
        (b"<notctf/>", "root element is <notctf>"),
        (b"MZ\x90\x00binary\x00\x00", "binary"),
    ],
)
def test_api_refuses_unreadable_files_precisely(api_for, people, school_a, data, message):
    r = post_file(api_for(people["senco_a"], school_a), data)
    assert r.status_code == 400
    assert message in r.json()["errors"]["file"][0]


def test_api_refuses_an_oversized_import(api_for, people, school_a, settings):
    settings.EXCHANGE_MAX_IMPORT_BYTES = 200
    r = post_file(api_for(people["senco_a"], school_a), GOOD)
    assert r.status_code == 400 and "largest import allowed" in r.json()["detail"]


def test_census_export_api(api_for, people, school_a):
    with in_school(school_a):
        p = add_pupil(provision="K", primary_need="NSA")
    r = api_for(people["office_a"], school_a).get("/api/v1/exports/census/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"].startswith('attachment; filename="census-sen-alpha-')
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [p.upn, "K", "NSA", ""] in table


def test_register_export_api_formats(api_for, people, school_a):
    api = api_for(people["senco_a"], school_a)
    assert api.get("/api/v1/exports/register/?file_format=xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    bad = api.get("/api/v1/exports/register/?file_format=pdf")
    assert bad.status_code == 400 and "csv or xlsx" in bad.json()["detail"]


def test_leaver_ctf_api_checks_destination_numbers(api_for, people, school_a):
    with in_school(school_a):
        p = add_pupil()
    api = api_for(people["senco_a"], school_a)
    assert (
        api.get(f"/api/v1/exports/pupils/{p.pk}/ctf/?dest_la=38&dest_estab=2002").status_code == 400
    )
    ok = api.get(f"/api/v1/exports/pupils/{p.pk}/ctf/?dest_la=382&dest_estab=2002")
    assert ok.status_code == 200 and p.upn.encode() in ok.content
    assert api.get("/api/v1/exports/pupils/999999/ctf/").status_code == 404


IMPORT_ENDPOINTS = [
    ("get", "/api/v1/imports/"),
    ("post", "/api/v1/imports/"),
    ("get", "/api/v1/imports/{id}/"),
    ("post", "/api/v1/imports/{id}/confirm/"),
]
EXPORT_ENDPOINTS = [
    "/api/v1/exports/census/",
    "/api/v1/exports/register/",
    "/api/v1/exports/pupils/{pupil}/ctf/",
]
SAR_ENDPOINT = "/api/v1/exports/pupils/{pupil}/subject-access/"


@pytest.mark.parametrize(
    ("role", "may_import", "may_sar"),
    [
        ("senco_a", True, True),
        ("headteacher_a", True, True),
        ("office_a", True, False),
        ("teacher_a", False, False),
        ("teaching_assistant_a", False, False),
        ("governor_a", False, False),
        ("trust_send_lead_a", False, False),
        ("trust_viewer_a", False, False),
        ("outsider", False, False),
        ("senco_b", False, False),
    ],
)
def test_every_exchange_endpoint_by_role(api_for, people, school_a, role, may_import, may_sar):
    with in_school(school_a):
        batch = services.import_upload(
            acting_user=people["senco_a"], data=GOOD, original_name="a.xml"
        )
        p = add_pupil()
    api = api_for(people[role], school_a)
    for method, url in IMPORT_ENDPOINTS:
        url = url.format(id=batch.pk)
        r = (
            post_file(api, GOOD)
            if (method == "post" and url.endswith("imports/"))
            else getattr(api, method)(url)
        )
        if may_import:
            assert r.status_code in (200, 201), (url, r.status_code)
        else:
            assert r.status_code == 403, (role, url, r.status_code)
    for url in EXPORT_ENDPOINTS:
        r = api.get(url.format(pupil=p.pk))
        assert r.status_code == (200 if may_import else 403), (role, url)
    assert api.get(SAR_ENDPOINT.format(pupil=p.pk)).status_code == (200 if may_sar else 403)
    with in_school(school_a):
        confirmed = ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.CONFIRMED
    assert confirmed == may_import


def test_school_b_rows_are_never_reached_from_school_a(
    api_for, client_for, people, school_a, school_b, twin_rows
):
    senco = {school_a.pk: people["senco_a"], school_b.pk: people["senco_b"]}
    serial = {school_a.pk: 1, school_b.pk: 2}  # different pupils in each school's file

    def make_batch(school):
        return services.import_upload(
            acting_user=senco[school.pk],
            data=ctf([pupil(serial[school.pk] * 10)]),
            original_name=f"{school.slug}.xml",
        )

    ba, bb = twin_rows(make_batch)
    pa, pb = twin_rows(lambda school: add_pupil(first_name=f"Only {school.slug}"))
    api = api_for(people["senco_a"], school_a)
    assert api.get(f"/api/v1/imports/{ba.pk}/").json()["original_name"] == "alpha.xml"
    assert {b["original_name"] for b in api.get("/api/v1/imports/").json()["results"]} == {
        "alpha.xml"
    }
    assert api.post(f"/api/v1/imports/{ba.pk}/confirm/").status_code == 200
    with in_school(school_b):
        assert ImportBatch.objects.get(pk=bb.pk).status == ImportBatch.Status.PREVIEWED
        assert not Pupil.objects.filter(upn=pupil(10)["upn"]).exists()
    census = api.get("/api/v1/exports/census/").content.decode()
    assert pa.upn in census and pb.upn not in census
    ctf_a = api.get(f"/api/v1/exports/pupils/{pa.pk}/ctf/").content.decode()
    assert "Only alpha" in ctf_a and "Only beta" not in ctf_a
    sar = api.get(f"/api/v1/exports/pupils/{pa.pk}/subject-access/")
    assert b"Only beta" not in sar.content
    # School A's SENCo on school B's host: refused at the door, API and pages alike.
    assert api_for(people["senco_a"], school_b).get(f"/api/v1/imports/{bb.pk}/").status_code == 403
    assert api_for(people["senco_a"], school_b).get("/api/v1/exports/census/").status_code == 403
    assert client_for(people["senco_a"], school_b).get(f"/imports/{bb.pk}/").status_code == 403
    assert client_for(people["senco_a"], school_b).get("/exports/").status_code == 403
    page = client_for(people["senco_a"], school_a).get(f"/imports/{ba.pk}/")
    assert b"alpha.xml" in page.content and b"beta.xml" not in page.content


def test_import_pages_preview_then_confirm(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    assert client.get("/imports/").status_code == 200
    template = client.get("/imports/template.csv")
    assert template.status_code == 200 and template.content.startswith(
        b"UPN,Legal surname,Legal forename"
    )
    r = client.post("/imports/", {"file": SimpleUploadedFile("ctf.xml", GOOD)})
    assert r.status_code == 302
    preview = client.get(r["Location"])
    assert (
        b"Confirm and import" in preview.content
        and b"Nothing has been written yet" in preview.content
    )
    with in_school(school_a):
        assert not Pupil.objects.exists()
        batch = ImportBatch.objects.get()
    done = client.post(f"/imports/{batch.pk}/confirm/", follow=True)
    assert b"Imported: 2 pupils added" in done.content
    with in_school(school_a):
        assert Pupil.objects.count() == 2


def test_import_page_shows_the_error_report(client_for, people, school_a):
    client = client_for(people["office_a"], school_a)
    bad = ctf(
        [
            pupil(1, dob="2031-02-02"),
            pupil(2, sen=[("2021-09-01", "K")], needs=[("2021-09-01", "", 1, "BOGUS")]),
        ]
    )
    r = client.post("/imports/", {"file": SimpleUploadedFile("ctf.xml", bad)}, follow=True)
    text = r.content.decode()
    assert "2 rows must be fixed: nothing was imported" in text
    # The same words as the pupil pages and the API (apps.pupils.rules).
    assert "The date of birth cannot be in the future." in text
    assert "Unknown type of need &#x27;BOGUS&#x27;" in text
    assert "SENneeds/SENneed[1]/SENtype" in text


def test_import_page_without_a_file_shows_a_field_error(client_for, people, school_a):
    r = client_for(people["senco_a"], school_a).post("/imports/", {})
    assert r.status_code == 400 and b"There is a problem" in r.content


def test_discarding_a_preview_writes_nothing(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    client.post("/imports/", {"file": SimpleUploadedFile("ctf.xml", GOOD)})
    with in_school(school_a):
        batch = ImportBatch.objects.get()
    client.post(f"/imports/{batch.pk}/discard/")
    with in_school(school_a):
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.REJECTED and not Pupil.objects.exists()


def test_exports_page_downloads_by_post(client_for, people, school_a):
    with in_school(school_a):
        p = add_pupil(provision="K", primary_need="MLD")
    client = client_for(people["senco_a"], school_a)
    page = client.get("/exports/")
    assert page.status_code == 200 and b"Subject access export" in page.content
    assert client.post("/exports/", {"export": "census"})["Content-Type"].startswith("text/csv")
    assert client.post("/exports/", {"export": "register_xlsx"})["Content-Disposition"].endswith(
        '.xlsx"'
    )
    ctf_file = client.post(
        "/exports/", {"export": "leaver_ctf", "pupil": p.pk, "dest_la": "382", "dest_estab": ""}
    )
    assert ctf_file.status_code == 200 and p.upn.encode() in ctf_file.content
    bad = client.post("/exports/", {"export": "leaver_ctf", "pupil": p.pk, "dest_la": "38x"})
    assert bad.status_code == 400 and b"A local authority number is 3 digits." in bad.content
    sar = client.post("/exports/", {"export": "subject_access", "pupil": p.pk})
    assert sar["Content-Type"] == "application/zip"


def test_office_sees_no_subject_access_export(client_for, people, school_a):
    with in_school(school_a):
        p = add_pupil()
    client = client_for(people["office_a"], school_a)
    assert b"Subject access export" not in client.get("/exports/").content
    assert client.post("/exports/", {"export": "subject_access", "pupil": p.pk}).status_code == 403


@pytest.mark.parametrize(
    "role", ["teacher_a", "teaching_assistant_a", "governor_a", "trust_send_lead_a"]
)
def test_exchange_pages_are_closed_to_other_roles(client_for, people, school_a, role):
    client = client_for(people[role], school_a)
    for url in ("/imports/", "/imports/template.csv", "/exports/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert not response.get("Content-Disposition"), url  # no file handed out
        assert b'type="file"' not in response.content, url


def test_the_exports_page_can_open_with_a_pupil_chosen(client_for, people, school_a):
    with in_school(school_a):
        p = add_pupil()
    client = client_for(people["senco_a"], school_a)
    page = client.get(f"/exports/pupils/{p.pk}/")
    assert page.status_code == 200
    # The pupil picker starts with the pupil chosen (its hidden value and their name).
    assert (
        f'<input type="hidden" name="pupil" value="{p.pk}" data-picker-value>'.encode()
        in page.content
    )
    assert client.get("/exports/pupils/999999/").status_code == 404
