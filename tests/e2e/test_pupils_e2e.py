"""A SENCo in a real browser: filter the register, open a pupil, edit the one-page profile."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser
from tests.support import in_school

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def register_pupils(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.pupils.models import Pupil
    from tests.pupils.factories import make_pupil

    school = harness["school_a"]
    with in_school(school):
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        pupils = {
            "slcn": make_pupil(
                first_name="Elodie",
                last_name="Filterby",
                provision="K",
                primary_need="SLCN",
                year_group="4",
            ),
            "spld": make_pupil(
                first_name="Marcus",
                last_name="Otherneed",
                provision="K",
                primary_need="SPLD",
                year_group="4",
            ),
            "none": make_pupil(first_name="Nadia", last_name="Notonreg", year_group="4"),
        }

    def cleanup():
        with in_school(school):
            AuditEvent.objects.filter(id__gt=last_event).delete()
            Pupil.objects.filter(pk__in=[p.pk for p in pupils.values()]).delete()

    committed.cleanup(cleanup)
    return pupils


def test_senco_filters_the_register_opens_a_pupil_and_edits_the_profile(
    page, web_server, harness, register_pupils
):
    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="SEN register").click()
    page.wait_for_load_state()
    table = page.get_by_test_id("register-table")
    assert (
        table.get_by_text("Filterby").is_visible() and table.get_by_text("Otherneed").is_visible()
    )
    assert table.get_by_text("Notonreg").count() == 0  # not on the register

    # Filtering by type of need updates the table in place (htmx GET: codes only, no names).
    with page.expect_response(lambda r: r.request.method == "GET" and "need=SLCN" in r.url):
        page.get_by_label("Type of need").select_option("SLCN")
    expect(table.get_by_text("Otherneed")).to_have_count(0)
    expect(table.get_by_text("Filterby")).to_be_visible()
    shot(page, "pupils-register-filtered")

    # Search by name: POSTed, so the name never appears in the address.
    with page.expect_response(lambda r: r.request.method == "GET" and "need=&" in r.url):
        page.get_by_label("Type of need").select_option("")
    page.get_by_label("Find a pupil by name or UPN").fill("filterby")
    with page.expect_response(lambda r: r.request.method == "POST" and "/pupils/" in r.url) as info:
        page.get_by_role("button", name="Search").click()
    assert "filterby" not in (urlparse(info.value.url).query + urlparse(page.url).query).lower()
    expect(page.get_by_test_id("result-count")).to_have_text("1")

    page.get_by_test_id("register-table").get_by_role("link", name="Elodie Filterby").click()
    page.wait_for_url(web_server.url(school, f"/pupils/{register_pupils['slcn'].pk}/"))
    assert page.get_by_test_id("pupil-name").inner_text() == "Elodie Filterby"
    assert "SEN support (K)" in page.get_by_test_id("provision").inner_text()

    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("How best to support me").fill(
        "Give me a visual timetable and warn me before changes."
    )
    page.get_by_label("What is important to me").fill("Drawing, and my little brother.")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(web_server.url(school, f"/pupils/{register_pupils['slcn'].pk}/"))
    assert page.get_by_text("One-page profile saved.").is_visible()
    assert (
        page.get_by_test_id("profile-support").inner_text()
        == "Give me a visual timetable and warn me before changes."
    )
    shot(page, "pupils-profile-saved")

    # Everything the SENCo did is in the pupil's access log.
    from apps.audit.models import AuditEvent

    with in_school(school):
        actions = set(
            AuditEvent.objects.filter(
                pupil=register_pupils["slcn"], user_id=harness["senco_a"].pk
            ).values_list("action", flat=True)
        )
    assert {"pupil.viewed", "profile.updated"} <= actions
    log = page.get_by_test_id("access-log").inner_text()
    assert "Changed: what is important to me, how best to support me" in log
