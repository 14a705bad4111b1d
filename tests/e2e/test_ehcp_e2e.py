"""The SENCo's statutory clock in a real browser: what is due this week, schedule a review, send
the invitations, record the meeting, see the report and LA dates appear; and the calendar on a
phone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser
from tests.support import in_school

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"
TODAY = dt.date.today()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def d(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def ehc_school(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.ehcp.models import AssessmentRequest, EhcPlan
    from apps.pupils.models import Pupil
    from tests.ehcp.factories import make_plan, make_review
    from tests.pupils.factories import make_pupil

    school = harness["school_a"]
    with in_school(school):
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        soon = make_pupil(
            first_name="Imogen", last_name="Soonreview", provision="E", primary_need="ASD"
        )
        make_review(make_plan(soon, issued_on=d(-380)), d(4))
        due = make_pupil(
            first_name="Tobias", last_name="Needsreview", provision="E", primary_need="SLCN"
        )
        plan = make_plan(due, issued_on=d(-370))

    def cleanup() -> None:
        with in_school(school):
            AuditEvent.objects.filter(id__gt=last_event).delete()
            EhcPlan.objects.all().delete()
            AssessmentRequest.objects.all().delete()
            Pupil.objects.filter(pk__in=[soon.pk, due.pk]).delete()

    committed.cleanup(cleanup)
    return {"plan": plan}


def test_senco_sees_this_week_schedules_and_records_a_review(page, web_server, harness, ehc_school):
    school = harness["school_a"]
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    panel = page.get_by_test_id("home-ehcp")
    expect(panel).to_contain_text("Annual review meeting")
    expect(panel).to_contain_text("Imogen Soonreview")

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Statutory calendar"
    ).click()
    this_week = page.get_by_test_id("bucket-this_week")
    expect(this_week).to_contain_text("Imogen Soonreview")
    overdue = page.get_by_test_id("bucket-overdue")
    expect(overdue).to_contain_text("Annual review due")
    shot(page, "ehcp-calendar-1366")

    # Tobias's review is overdue: open his plan and schedule the meeting (held two days ago).
    overdue.get_by_role("row").filter(has_text="Tobias Needsreview").get_by_role(
        "link", name="Annual review due"
    ).click()
    expect(page.get_by_test_id("next-review-due")).to_contain_text("Overdue")
    page.get_by_test_id("schedule-review").click()
    page.get_by_label("Date of the review meeting").fill(d(-2).isoformat())
    page.get_by_role("button", name="Schedule the review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annual review")
    steps = page.get_by_test_id("review-dates")
    expect(steps).to_contain_text("Overdue")  # invitations were due two weeks before the meeting

    page.get_by_label("Date sent").fill(d(-16).isoformat())
    page.get_by_test_id("send-invitations").click()
    expect(page.get_by_test_id("invitations")).not_to_contain_text("not sent")

    page.get_by_label("The meeting was held on this date").check()
    page.get_by_test_id("save-steps").click()
    report_row = steps.get_by_role("row").filter(has_text="Report to the LA")
    expect(report_row).to_contain_text(d(12).strftime("%-d %b %Y"))
    la_row = steps.get_by_role("row").filter(has_text="LA decision")
    expect(la_row).to_contain_text(d(26).strftime("%-d %b %Y"))
    expect(page.get_by_test_id("report")).to_contain_text("Reads independently")
    shot(page, "ehcp-review-1366")

    # A step in the future is refused with the reason, nothing saved.
    page.get_by_label("Review report sent to the LA and attendees (optional)").fill(
        d(3).isoformat()
    )
    page.get_by_test_id("save-steps").click()
    expect(page.locator("body")).to_contain_text("cannot be in the future")


def test_the_calendar_on_a_phone(page, web_server, harness, ehc_school):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_browser(page, web_server, harness["school_a"], "senco_a@example.test")
    page.goto(web_server.url(harness["school_a"], "/ehcp/"))
    expect(page.get_by_test_id("bucket-this_week")).to_contain_text("Imogen Soonreview")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    shot(page, "ehcp-calendar-390")
