"""The EHC pages: the calendar, a pupil's EHC page, the plan form's register offer, reviews and
their report files, the feed; roles, isolation and audit."""

from __future__ import annotations

import io
import zipfile

import pytest

from apps.audit.models import AuditEvent
from apps.ehcp import exports
from apps.ehcp.models import EhcPlan
from apps.pupils.models import Pupil
from tests.ehcp.factories import days, make_plan, make_review
from tests.pupils.factories import make_class, make_pupil


@pytest.fixture
def plan_a(school_a, school_context):
    with school_context(school_a):
        pupil = make_pupil(
            provision="E", primary_need="ASD", first_name="Zachary", last_name="Quill-Venn"
        )
        plan = make_plan(pupil, issued_on=days(-380))
        make_review(plan, days(3))  # invitations overdue, meeting this week
    return plan


def test_the_calendar_groups_deadlines_with_rag(
    client_for, people, school_a, plan_a, school_context
):
    page = client_for(people["senco_a"], school_a).get("/ehcp/")
    html = page.content.decode()
    assert page.status_code == 200
    overdue = html.split('data-testid="bucket-overdue"')[1].split("</section>")[0]
    this_week = html.split('data-testid="bucket-this_week"')[1].split("</section>")[0]
    assert "Annual review due" in overdue and "Review invitations and advice out" in overdue
    assert "Annual review meeting" in this_week and "Zachary Quill-Venn" in this_week
    assert "govuk-tag--red" in overdue
    with school_context(school_a):
        assert AuditEvent.objects.filter(
            action="ehcp.calendar.viewed", user_id=people["senco_a"].pk
        ).exists()


@pytest.mark.parametrize(
    "who, status",
    [
        ("headteacher_a", 200),
        ("trust_send_lead_a", 200),
        ("teacher_a", 403),
        ("office_a", 403),
        ("governor_a", 403),
    ],
)
def test_who_sees_the_calendar(client_for, people, school_a, plan_a, who, status):
    page = client_for(people[who], school_a).get("/ehcp/")
    assert page.status_code == status
    if status == 403:
        assert "Zachary" not in page.content.decode()


def test_home_panel_lists_urgent_deadlines_for_the_senco_only(client_for, people, school_a, plan_a):
    html = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert 'data-testid="home-ehcp"' in html and "Review invitations and advice out" in html
    assert (
        'data-testid="home-ehcp"'
        not in client_for(people["teacher_a"], school_a).get("/").content.decode()
    )


def test_plan_form_offers_to_update_the_register(client_for, people, school_a, school_context):
    with school_context(school_a):
        pupil = make_pupil(provision="K", primary_need="SLCN")
    client = client_for(people["senco_a"], school_a)
    url = f"/ehcp/pupils/{pupil.pk}/plans/new/"
    form = {
        "issued_on": days(-20).isoformat(),
        "local_authority": "Kirklees",
        "outcomes": "Talks in sentences | July",
    }
    page = client.post(url, form)
    html = page.content.decode()
    assert (
        page.status_code == 200 and "not E (EHC plan)" in html and 'name="update_register"' in html
    )
    with school_context(school_a):
        assert not EhcPlan.objects.exists()
    page = client.post(url, {**form, "update_register": "on"})
    assert page.status_code == 302
    with school_context(school_a):
        plan = EhcPlan.objects.get()
        assert Pupil.objects.get(pk=pupil.pk).sen_provision == "E"
        assert plan.outcomes.get().by_when == "July"


def test_review_page_records_invitations_meeting_and_shows_report_dates(
    client_for, people, school_a, school_context
):
    with school_context(school_a):
        plan = make_plan(issued_on=days(-380))
        review = make_review(plan, days(-3))
    client = client_for(people["senco_a"], school_a)
    assert (
        client.post(
            f"/ehcp/reviews/{review.pk}/invitations/sent/", {"sent_on": days(-20).isoformat()}
        ).status_code
        == 302
    )
    assert (
        client.post(f"/ehcp/reviews/{review.pk}/steps/", {"meeting_held": "on"}).status_code == 302
    )
    html = client.get(f"/ehcp/reviews/{review.pk}/").content.decode()
    assert days(11).strftime("%-d %b %Y") in html  # report due: meeting + 2 weeks
    assert days(25).strftime("%-d %b %Y") in html  # LA decision due: meeting + 4 weeks
    # a step in the future marked done is refused, nothing saved
    client.post(
        f"/ehcp/reviews/{review.pk}/steps/",
        {"meeting_held": "on", "report_sent_on": days(2).isoformat()},
    )
    with school_context(school_a):
        review.refresh_from_db()
        assert review.meeting_held and review.report_sent_on is None


def test_report_downloads_pdf_and_word_audited(client_for, people, school_a, school_context):
    with school_context(school_a):
        plan = make_plan(issued_on=days(-380))
        review = make_review(plan, days(-3), held=True)
    client = client_for(people["senco_a"], school_a)
    pdf = client.get(f"/ehcp/reviews/{review.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/ehcp/reviews/{review.pk}/report.docx")
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        assert "Reads independently" in z.read("word/document.xml").decode()
    with school_context(school_a):
        assert AuditEvent.objects.filter(action="ehcp.review.report_exported").count() == 2
    assert (
        client_for(people["office_a"], school_a)
        .get(f"/ehcp/reviews/{review.pk}/report.pdf")
        .status_code
        == 403
    )


def test_teachers_see_plans_of_pupils_they_teach_only(client_for, people, school_a, school_context):
    with school_context(school_a):
        taught = make_pupil(provision="E", primary_need="ASD")
        make_class("3Q", staff=[people["teacher_a"]], pupils=[taught])
        mine, other = make_plan(taught), make_plan()
    client = client_for(people["teacher_a"], school_a)
    assert client.get(f"/ehcp/plans/{mine.pk}/").status_code == 200
    assert client.get(f"/ehcp/plans/{other.pk}/").status_code == 404
    assert client.get(f"/ehcp/plans/{mine.pk}/edit/").status_code == 403


def test_pages_are_isolated_between_schools(client_for, people, school_a, school_b, twin_rows):
    def make(school):
        pupil = make_pupil(
            provision="E", primary_need="ASD", first_name="Only" + school.name.split()[0]
        )
        plan = make_plan(pupil)
        make_review(plan, days(-1))
        return plan

    plan_a, plan_b = twin_rows(make)
    client = client_for(people["senco_a"], school_a)
    assert "OnlyBeta" not in client.get(f"/ehcp/plans/{plan_b.pk}/").content.decode()
    assert "OnlyBeta" not in client.get("/ehcp/").content.decode()
    assert "OnlyBeta" not in client.get("/ehcp/plans/").content.decode()
    assert "OnlyBeta" not in client.get(f"/ehcp/pupils/{plan_b.pupil_id}/").content.decode()
    assert client_for(people["senco_b"], school_a).get("/ehcp/").status_code == 403


def test_the_ics_feed_has_initials_and_references_never_names(
    client_for, people, school_a, plan_a, school_context
):
    client = client_for(people["senco_a"], school_a)
    page = client.post("/ehcp/calendar-feed/", {"action": "create"})
    url = (
        page.content.decode()
        .split('data-testid="feed-url"')[0]
        .rsplit('value="', 1)[1]
        .split('"')[0]
    )
    path = url.split(school_a.slug, 1)[1].split("/", 1)[1]
    from django.test import Client

    from tests.support import host_for

    anonymous = Client(HTTP_HOST=host_for(school_a))
    feed = anonymous.get("/" + path)
    body = feed.content.decode()
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in body and f"EHCP-{plan_a.pk}" in body and "ZQ" in body
    assert "Zachary" not in body and "Quill" not in body
    from icalendar import Calendar

    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) >= 3
    # the same token on another school's host finds nothing
    assert Client(HTTP_HOST=host_for(people["school_b"])).get("/" + path).status_code == 404
    # revoked: gone
    client.post("/ehcp/calendar-feed/", {"action": "revoke"})
    assert anonymous.get("/" + path).status_code == 404
    assert anonymous.get("/calendar-feeds/not-a-token.ics").status_code == 404


def test_the_ics_feed_stops_when_the_user_loses_the_role(
    client_for, people, school_a, plan_a, school_context
):
    from apps.ehcp import services
    from tenants.models import SchoolMembership

    with school_context(school_a):
        _, token = services.calendar_feed_create(acting_user=people["headteacher_a"])
    from django.test import Client

    from tests.support import host_for

    anonymous = Client(HTTP_HOST=host_for(school_a))
    assert anonymous.get(f"/calendar-feeds/{token}.ics").status_code == 200
    SchoolMembership.objects.filter(user=people["headteacher_a"], school=school_a).update(
        role="teacher"
    )
    assert anonymous.get(f"/calendar-feeds/{token}.ics").status_code == 404


def test_subject_access_export_includes_ehc_records(people, school_a, plan_a, school_context):
    from apps.exchange.exports import subject_access_export

    with school_context(school_a):
        review = plan_a.reviews.get()
        file = subject_access_export(acting_user=people["senco_a"], pupil=plan_a.pupil)
    with zipfile.ZipFile(io.BytesIO(file.data)) as z:
        import json

        records = json.loads(z.read("record.json"))["records"]
    plan = records["ehcp.ehcplan"]["rows"][0]
    assert plan["id"] == plan_a.pk
    linked = plan["linked_records"]
    assert linked["ehcp.planoutcome"]["rows"][0]["text"] == "Reads independently"
    reviews = linked["ehcp.annualreview"]["rows"]
    assert reviews[0]["id"] == review.pk
    assert len(reviews[0]["linked_records"]["ehcp.reviewinvitation"]["rows"]) == 3


def test_report_files_have_no_remote_fetch():
    with pytest.raises(ValueError):
        from apps.core.pdf import _no_fetch

        _no_fetch("http://example.com/x.png")
    assert exports.DOCX_TYPE.endswith("document")


def test_a_secondary_says_whether_it_has_a_sixth_form(client_for, people, school_a):
    from tenants.models import School

    School.objects.filter(pk=school_a.pk).update(phase="secondary")
    client = client_for(people["senco_a"], school_a)
    assert "has no sixth form" in client.get("/ehcp/").content.decode()
    assert client.post("/ehcp/settings/sixth-form/", {"has_sixth_form": "yes"}).status_code == 302
    assert School.objects.get(pk=school_a.pk).has_sixth_form
    assert "has a sixth form" in client.get("/ehcp/").content.decode()
    teacher = client_for(people["teacher_a"], school_a)
    assert teacher.post("/ehcp/settings/sixth-form/", {"has_sixth_form": "no"}).status_code == 403
    assert School.objects.get(pk=school_a.pk).has_sixth_form
