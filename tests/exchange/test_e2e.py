"""The SENCo's journey in a real browser against gunicorn: import a CTF (a bad one first), see
the register fill, upload a report to a pupil, download the census file, and find each of those
actions in the audit log."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.documents.demo import simple_pdf
from tests.conftest import sign_in_browser
from tests.support import in_school

from .samples import ctf, make_upn, pupil

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"

UPNS = [make_upn(950 + i, estab="4101") for i in range(3)]
GOOD = ctf(
    [
        pupil(
            1,
            upn=UPNS[0],
            surname="Whitaker",
            forename="Jacob",
            sen=[("2021-09-01", "K"), ("2023-03-02", "E")],
            needs=[("2021-09-01", "2023-03-01", 1, "SLCN"), ("2023-03-02", "", 1, "ASD")],
        ),
        pupil(
            2,
            upn=UPNS[1],
            surname="Nowak",
            forename="Zofia",
            sen=[("2022-09-05", "K")],
            needs=[("2022-09-05", "", 1, "SPLD")],
        ),
        pupil(3, upn=UPNS[2], surname="Okoro", forename="Daniel"),
    ]
)
BAD = ctf(
    [
        pupil(1, upn="A382200115002"),
        pupil(
            2,
            upn=make_upn(960, estab="4101"),
            sen=[("2021-09-01", "E")],
            needs=[("2021-09-01", "", 1, "NSA")],
        ),
    ]
)


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def clean_school_a(committed, harness, settings):
    from django.conf import settings as live

    school = harness["school_a"]
    server_root = Path(live.BASE_DIR) / ".data" / "private"

    def cleanup():
        from apps.audit.models import AuditEvent
        from apps.documents.models import PupilDocument
        from apps.exchange.models import ImportBatch
        from apps.pupils.models import Pupil

        with in_school(school):
            for name in [
                *PupilDocument.objects.values_list("storage_name", flat=True),
                *ImportBatch.objects.exclude(storage_name="").values_list(
                    "storage_name", flat=True
                ),
            ]:
                (server_root / school.schema_name / name).unlink(missing_ok=True)
            PupilDocument.objects.all().delete()
            ImportBatch.objects.all().delete()
            Pupil.objects.filter(upn__in=UPNS).delete()
            AuditEvent.objects.all().delete()

    committed.cleanup(cleanup)
    return school


def test_import_register_document_census_and_audit(page, web_server, clean_school_a, tmp_path):
    school = clean_school_a
    (tmp_path / "bad.xml").write_bytes(BAD)
    (tmp_path / "leaver.xml").write_bytes(GOOD)
    (tmp_path / "report.pdf").write_bytes(
        simple_pdf(["Speech and language therapy report", "Synthetic test document"])
    )
    sign_in_browser(page, web_server, school, "senco_a@example.test")

    page.get_by_test_id("nav-more").get_by_text("More").click()  # the occasional pages
    page.get_by_role("link", name="Import").click()
    page.locator("input[type=file][name=file]").set_input_files(tmp_path / "bad.xml")
    page.get_by_role("button", name="Check the file").click()
    report = page.get_by_test_id("error-report")
    assert "The check letter does not match" in report.inner_text()
    assert "valid only with SEN support (K)" in report.inner_text()
    shot(page, "exchange-import-errors")

    page.goto(web_server.url(school, "/imports/"))
    page.locator("input[type=file][name=file]").set_input_files(tmp_path / "leaver.xml")
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_test_id("count-create").inner_text() == "3"
    shot(page, "exchange-import-preview")
    page.get_by_role("button", name="Confirm and import").click()
    assert "Imported: 3 pupils added" in page.get_by_role("alert").first.inner_text()

    page.get_by_role("link", name="Open the SEN register").click()
    register = page.get_by_role("main").inner_text()
    assert (
        "Whitaker" in register and "Nowak" in register and "Okoro" not in register
    )  # N is not on the register
    page.get_by_role("link", name="Jacob Whitaker").first.click()
    page.get_by_role("link", name="Documents (0)").click()
    page.get_by_label("Title").fill("Speech and language therapy report")
    page.locator("input[type=file][name=file]").set_input_files(tmp_path / "report.pdf")
    page.get_by_role("button", name="Upload").click()
    expect(
        page.get_by_role("link", name="Speech and language therapy report (download)")
    ).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Speech and language therapy report (download)").click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF-")
    shot(page, "documents-list")

    page.goto(web_server.url(school, "/exports/"))
    with page.expect_download() as census_info:
        page.get_by_role("button", name="Download census SEN file (CSV)").click()
    table = list(csv.reader(io.StringIO(Path(census_info.value.path()).read_text("utf-8-sig"))))
    assert [UPNS[0], "E", "ASD", ""] in table and [UPNS[2], "N", "", ""] in table

    with in_school(school):
        from apps.audit.models import AuditEvent

        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "import.rejected",
        "import.previewed",
        "import.confirmed",
        "pupil.created",
        "register.changed",
        "document.uploaded",
        "document.downloaded",
        "export.downloaded",
    } <= actions
