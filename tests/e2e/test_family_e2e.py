"""The demo SENCo's week in a real browser (1366 px): record a parent meeting with an action,
take consent, refer to speech and language therapy, log the report and turn its
recommendations into strategies; see the skills matrix warning; print the exams officer's list.
A 390 px screenshot of the family page to look at."""

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
def week(harness, committed):
    from apps.agencies import services as agencies
    from apps.agencies.models import Agency
    from apps.audit.models import AuditEvent
    from apps.family import services as family
    from apps.pupils.models import Pupil
    from apps.staff import services as staff
    from apps.staff.models import StaffMember, Training
    from tests.pupils.factories import make_pupil

    school = harness["school_a"]
    with in_school(school):
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        pupil = make_pupil(
            first_name="Ruby",
            last_name="Journeyman",
            provision="K",
            primary_need="SLCN",
            admission_date=dt.date(2021, 9, 1),
        )
        candidate = make_pupil(
            first_name="Cal",
            last_name="Candidate",
            year_group="11",
            provision="K",
            primary_need="SPLD",
        )
        family.contact_add(
            acting_user=None,
            pupil=pupil,
            name="Sarah Journeyman",
            relationship="mother",
            parental_responsibility=True,
            phone="07700 900321",
        )
        salt = agencies.agency_add(
            acting_user=None, kind="speech_and_language", name="Children's Speech and Language"
        )
        member = staff.staff_add(
            acting_user=None, name="Grace Obi", role="teaching_assistant", contracted_hours=25
        )
        staff.deployment_add(
            acting_user=None,
            member=member,
            group_name="Talk Boost group",
            hours_a_week=3,
            needs_skill="elklan",
        )
        staff.arrangement_add(
            acting_user=None,
            pupil=candidate,
            kind="extra_time",
            extra_time_percent=25,
            normal_way_of_working="In class tests",
        )

    def cleanup():
        with in_school(school):
            Pupil.objects.filter(pk__in=[pupil.pk, candidate.pk]).delete()
            Agency.objects.filter(pk=salt.pk).delete()
            Training.objects.all().delete()
            StaffMember.objects.filter(pk=member.pk).delete()
            AuditEvent.objects.filter(id__gt=last_event).delete()

    committed.cleanup(cleanup)
    return {"pupil": pupil, "candidate": candidate, "salt": salt}


def test_the_senco_works_with_families_agencies_and_staff(browser, web_server, harness, week):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    school = harness["school_a"]
    pupil = week["pupil"]
    today = dt.date.today()
    try:
        sign_in_browser(page, web_server, school, "senco_a@example.test")
        page.goto(web_server.url(school, f"/pupils/{pupil.pk}/"))
        page.get_by_role("link", name="Parents, carers, meetings and consent").click()
        expect(page.get_by_test_id("meetings-this-year")).to_contain_text("Met 0 times")

        # A parent meeting with an agreed action.
        page.get_by_role("link", name="Record a meeting").click()
        page.get_by_label("Kind of meeting").select_option("sen_support_review")
        page.get_by_label("Date", exact=True).fill(today.isoformat())
        page.get_by_label("Attendees").fill("Sarah Journeyman (mother), SENCo")
        page.get_by_label("The parents' views").fill("Ruby is happier since the visual timetable.")
        page.get_by_label("Agreed action 1").fill("Share the visual timetable for home")
        page.get_by_label("Who owns action 1").fill("SENCo")
        page.get_by_label("Action 1 due by").fill((today + dt.timedelta(days=14)).isoformat())
        page.get_by_role("button", name="Save meeting").click()
        expect(page.get_by_text("Meeting recorded.")).to_be_visible()
        expect(page.get_by_test_id("action")).to_contain_text("Share the visual timetable")
        expect(page.get_by_test_id("meetings-this-year")).to_contain_text("Met 1 time")

        # Consent to refer to speech and language therapy.
        page.get_by_role("link", name="Record consent").click()
        page.get_by_label("Consent for").select_option("referral")
        page.get_by_label("Agency (for a referral)").select_option(str(week["salt"].pk))
        page.get_by_label("Evidence").fill("Signed referral consent form")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_test_id("consent")).to_contain_text("Current")

        # Refer, send (consent is current), log the report, adopt its recommendations.
        page.goto(web_server.url(school, f"/pupils/{pupil.pk}/"))
        page.get_by_role("link", name="Refer to an agency").click()
        page.get_by_label("Refer to").select_option(str(week["salt"].pk))
        page.get_by_label("Why you are referring").fill("Unclear speech; limited vocabulary.")
        page.get_by_role("button", name="Draft referral").click()
        expect(page.get_by_test_id("referral-status")).to_have_text("Drafted")
        for step, extra in (
            ("sent", {}),
            ("accepted", {}),
            (
                "report_received",
                {
                    "The report's recommendations, one per line": "Pre-teach topic vocabulary with pictures\nGive extra time to answer",
                },
            ),
        ):
            page.get_by_label("What happened").select_option(step)
            page.get_by_label("Date", exact=True).fill(today.isoformat())
            for label, value in extra.items():
                page.get_by_label(label).fill(value)
            page.get_by_role("button", name="Save").last.click()
            page.wait_for_load_state()
        expect(page.get_by_test_id("referral-status")).to_have_text("Report received")
        page.get_by_label("Pre-teach topic vocabulary with pictures").check()
        page.get_by_label("Give extra time to answer").check()
        page.get_by_role("button", name="Save").first.click()
        expect(
            page.get_by_text("2 recommendations added to the strategies that work")
        ).to_be_visible()
        page.goto(web_server.url(school, f"/pupils/{pupil.pk}/"))
        expect(page.get_by_test_id("strategies")).to_contain_text("Give extra time to answer")

        # The skills matrix warns about a group run without the training it needs.
        page.goto(web_server.url(school, "/staff/"))
        expect(page.get_by_test_id("skills-warning")).to_contain_text(
            "Grace Obi runs Talk Boost group without Speech and language (ELKLAN) training"
        )

        # The exams officer's list, as a PDF.
        page.goto(web_server.url(school, "/exams/"))
        expect(page.get_by_test_id("exams-list")).to_contain_text("Extra time (25%)")
        with page.expect_download() as download:
            page.get_by_test_id("exams-pdf").click()
        assert download.value.suggested_filename.endswith(".pdf")
        with open(download.value.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"
        shot(page, "family-exams-list-1366")

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(web_server.url(school, f"/family/pupils/{pupil.pk}/"))
        shot(page, "family-pupil-390")
    finally:
        context.close()
