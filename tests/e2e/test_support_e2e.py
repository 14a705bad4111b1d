"""The graduated approach in a real browser (1366 px): the SENCo sets up an intervention group,
writes a plan, records an assessment, reviews the plan into its next version and downloads the
family PDF and the Excel map; the teaching assistant logs a session; the teacher opens the class
page. A 390 px screenshot of the pupil's support page is kept to look at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
def journey(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.provision.models import Intervention, InterventionGroup
    from apps.pupils.models import Pupil, TeachingGroup
    from apps.support.models import Review, SupportPlan
    from tests.pupils.factories import make_class, make_pupil
    from tests.support_plans.factories import make_intervention

    school = harness["school_a"]
    with in_school(school):
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        pupil = make_pupil(
            first_name="Journey", last_name="Plansworth", provision="K", primary_need="SPLD"
        )
        make_class("3J", staff=[harness["teacher_a"]], pupils=[pupil])
        make_intervention(
            name="Precision Teaching", group_size=2, sessions_per_week=5, session_minutes=10
        )

    def cleanup() -> None:
        with in_school(school):
            Review.objects.filter(pupil=pupil).delete()
            SupportPlan.objects.filter(pupil=pupil).update(previous=None)
            SupportPlan.objects.filter(pupil=pupil).delete()
            InterventionGroup.objects.all().delete()
            Intervention.objects.all().delete()
            TeachingGroup.objects.filter(name="3J").delete()
            AuditEvent.objects.filter(id__gt=last_event).delete()
            Pupil.objects.filter(pk=pupil.pk).delete()

    committed.cleanup(cleanup)
    return {"school": school, "pupil": pupil}


def test_senco_plans_reviews_and_the_ta_logs_a_session(browser, web_server, harness, journey):
    school, pupil = journey["school"], journey["pupil"]
    today = dt.date.today()
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="en-GB", accept_downloads=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in_browser(page, web_server, school, "senco_a@example.test")
        # Set up a group from the provision map.
        page.goto(web_server.url(school, "/provision/groups/new/"))
        page.get_by_label("Intervention").select_option(label="Precision Teaching")
        page.get_by_label("Group name").fill("PT with Journey")
        page.get_by_label(harness["teaching_assistant_a"].full_name, exact=False).check()
        page.get_by_label("Journey Plansworth", exact=False).check()
        page.get_by_role("button", name="Save group").click()
        expect(page.get_by_text("Group saved.")).to_be_visible()

        # Write a plan from the pupil's support page (linked from the pupil page).
        page.goto(web_server.url(school, f"/pupils/{pupil.pk}/"))
        page.get_by_role("link", name="Support plan, reviews and assessments").click()
        page.get_by_role("link", name="Write a support plan").click()
        page.get_by_label("Outcome 1: what the pupil will achieve").fill(
            "Read 30 high-frequency words"
        )
        page.get_by_label("Outcome 1: how it will be measured").fill("Timed word-list probe")
        page.get_by_label("Outcome 1: by when").fill((today + dt.timedelta(days=60)).isoformat())
        page.get_by_label("Outcome 2: what the pupil will achieve").fill("Spell CVC words")
        page.get_by_label("Outcome 2: how it will be measured").fill("Weekly dictation")
        page.get_by_label("Outcome 2: by when").fill((today + dt.timedelta(days=60)).isoformat())
        page.get_by_label("Strategies (what every adult does)").fill(
            "Pre-teach vocabulary; word mat on the desk."
        )
        page.get_by_label("Precision Teaching: PT with Journey").check()
        page.get_by_role("button", name="Save plan").click()
        expect(page.get_by_text("Support plan saved.")).to_be_visible()
        expect(page.get_by_test_id("plan-version-1")).to_contain_text(
            "Read 30 high-frequency words"
        )

        # Record an assessment.
        page.get_by_role("link", name="Record an assessment").click()
        page.get_by_label("Kind of assessment").select_option("reading_age")
        page.get_by_label("What was measured").fill("Salford reading age")
        page.get_by_label("Result", exact=True).fill("7y 4m")
        page.get_by_role("button", name="Save assessment").click()
        expect(page.get_by_test_id("assessments")).to_contain_text("Salford reading age")

        # Review: rate each outcome and roll to version 2.
        page.get_by_role("link", name="Review this plan").click()
        ratings = page.get_by_test_id("rating")
        ratings.nth(0).get_by_label("Met", exact=True).check()
        ratings.nth(1).get_by_label("Partly met").check()
        page.get_by_label("Who attended").fill("Mum, class teacher, SENCo")
        page.get_by_role("button", name="Record the review").click()
        expect(page.get_by_text("Version 2 of the plan is now current")).to_be_visible()
        page.get_by_role("button", name="Save plan").click()
        expect(page.get_by_test_id("plan-version-2")).to_contain_text("Current")
        expect(page.get_by_test_id("plan-version-1")).to_contain_text("Superseded")
        expect(page.get_by_test_id("plan-version-1")).to_contain_text("Met")

        with page.expect_download() as pdf:
            page.get_by_role("link", name="Download for the family (PDF)").click()
        assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
        page.goto(web_server.url(school, "/provision/"))
        expect(page.get_by_test_id("provision-map")).to_contain_text("Journey Plansworth")
        with page.expect_download() as xlsx:
            page.get_by_role("link", name="Download as Excel").click()
        assert Path(xlsx.value.path()).read_bytes().startswith(b"PK")
        shot(page, "support-provision-map-1366")

        # The pupil's page at phone width, to look at.
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(web_server.url(school, f"/support/pupils/{pupil.pk}/"))
        shot(page, "support-pupil-390")
    finally:
        context.close()

    # The teaching assistant logs a session of the group they run.
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in_browser(page, web_server, school, "teaching_assistant_a@example.test")
        page.goto(web_server.url(school, "/provision/groups/"))
        page.get_by_role("link", name="PT with Journey").click()
        page.get_by_label("Start time").fill("09:40")
        page.get_by_role("button", name="Log session").click()
        expect(page.get_by_text("Session logged.")).to_be_visible()
        expect(page.get_by_test_id("sessions")).to_contain_text(
            harness["teaching_assistant_a"].full_name
        )
    finally:
        context.close()

    # The teacher's class page shows the plan's strategies and outcomes.
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        sign_in_browser(page, web_server, school, "teacher_a@example.test")
        page.goto(web_server.url(school, "/support/class/"))
        card = page.get_by_test_id("class-pupil")
        expect(card).to_contain_text("Journey Plansworth")
        expect(card).to_contain_text("word mat on the desk")
        expect(card).to_contain_text("Spell CVC words")
    finally:
        context.close()
