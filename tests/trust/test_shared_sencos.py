"""Shared SENCo arrangements, effectiveness reviews and qualifications through the console."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.trust.models import SencoQualification, SharedSencoArrangement
from apps.trust.selectors import arrangement_checks
from apps.trust.services import arrangement_save, qualification_save, review_record
from tenants.roles import SchoolRole
from tenants.services import school_membership_set


@pytest.fixture
def arrangement(people, trust_a, school_a, sister_school):
    school_membership_set(
        acting_user=None, user=people["senco_a"], school=sister_school, role=SchoolRole.SENCO
    )
    return arrangement_save(
        acting_user=people["trust_send_lead_a"],
        trust=trust_a,
        senco=people["senco_a"],
        teaching_hours_per_week=Decimal(0),
        admin_support_hours_per_week=Decimal(3),
        started_on=date(2025, 9, 1),
        next_review_due=timezone.localdate() + timedelta(days=30),
        school_hours={school_a: Decimal(20), sister_school: Decimal(90)},
    )


def statuses(a) -> dict:
    return {c.key: c.status for c in arrangement_checks(a)}


def test_checks_use_the_schools_and_the_senco_records(people, arrangement, school_a):
    assert statuses(arrangement)["headteacher"] == "pass"
    assert statuses(arrangement)["time_register"] == "unknown"  # no figures yet
    # The SENCo is also headteacher at one of the schools.
    school_membership_set(
        acting_user=None, user=people["senco_a"], school=school_a, role=SchoolRole.HEADTEACHER
    )
    checks = {c.key: c for c in arrangement_checks(arrangement)}
    assert (
        checks["headteacher"].status == "fail"
        and "headteacher at Alpha Primary" in checks["headteacher"].reason
    )


def test_qualification_record_feeds_the_checks(people, trust_a, arrangement):
    qualification_save(
        acting_user=None,
        trust=trust_a,
        senco=people["senco_a"],
        appointed_on=date(2020, 1, 1),
        has_qts=False,
        award=SencoQualification.Award.NOT_STARTED,
        award_achieved_on=None,
    )
    s = statuses(arrangement)
    assert s["qts"] == "fail" and s["award"] == "fail"


def test_qualification_held_needs_a_date(people, trust_a, arrangement):
    with pytest.raises(ValidationError) as err:
        qualification_save(
            acting_user=None,
            trust=trust_a,
            senco=people["senco_a"],
            appointed_on=date(2020, 1, 1),
            has_qts=True,
            award=SencoQualification.Award.NPQ_HELD,
            award_achieved_on=None,
        )
    assert "award_achieved_on" in err.value.message_dict


def test_only_sencos_of_the_trust_can_be_recorded(people, trust_a, school_a, sister_school):
    with pytest.raises(ValidationError):
        qualification_save(
            acting_user=None,
            trust=trust_a,
            senco=people["senco_b"],
            appointed_on=date(2020, 1, 1),
            has_qts=True,
            award="not_started",
            award_achieved_on=None,
        )
    with pytest.raises(ValidationError):
        arrangement_save(
            acting_user=None,
            trust=trust_a,
            senco=people["teacher_a"],
            teaching_hours_per_week=Decimal(0),
            admin_support_hours_per_week=Decimal(0),
            started_on=date(2025, 1, 1),
            next_review_due=date(2026, 1, 1),
            school_hours={school_a: Decimal(5), sister_school: Decimal(5)},
        )


def test_an_arrangement_needs_two_schools_of_the_trust(people, trust_a, school_a, school_b):
    with pytest.raises(ValidationError) as err:
        arrangement_save(
            acting_user=None,
            trust=trust_a,
            senco=people["senco_a"],
            teaching_hours_per_week=Decimal(0),
            admin_support_hours_per_week=Decimal(0),
            started_on=date(2025, 1, 1),
            next_review_due=date(2026, 1, 1),
            school_hours={school_a: Decimal(5)},
        )
    assert "at least two schools" in str(err.value)
    with pytest.raises(ValidationError):
        arrangement_save(
            acting_user=None,
            trust=trust_a,
            senco=people["senco_a"],
            teaching_hours_per_week=Decimal(0),
            admin_support_hours_per_week=Decimal(0),
            started_on=date(2025, 1, 1),
            next_review_due=date(2026, 1, 1),
            school_hours={school_a: Decimal(5), school_b: Decimal(5)},
        )
    assert not SharedSencoArrangement.objects.exists()


def test_reviews_move_the_next_review_or_end_the_arrangement(people, arrangement):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as err:
        review_record(
            acting_user=None,
            arrangement=arrangement,
            reviewed_on=today,
            evidence=" ",
            decision="continue",
            next_review_due=None,
        )
    assert set(err.value.message_dict) == {"evidence", "next_review_due"}
    review_record(
        acting_user=None,
        arrangement=arrangement,
        reviewed_on=today,
        evidence="Plans reviewed on time",
        decision="change",
        next_review_due=today + timedelta(days=180),
    )
    arrangement.refresh_from_db()
    assert (
        arrangement.next_review_due == today + timedelta(days=180) and arrangement.ended_on is None
    )
    review_record(
        acting_user=None,
        arrangement=arrangement,
        reviewed_on=today,
        evidence="Harming provision at the larger school",
        decision="end",
        next_review_due=None,
    )
    arrangement.refresh_from_db()
    assert arrangement.ended_on == today and not arrangement.is_active


def test_an_overdue_review_fails_until_a_review_is_recorded(people, client_for, arrangement):
    arrangement.next_review_due = timezone.localdate() - timedelta(days=3)
    arrangement.save()
    client = client_for(people["trust_send_lead_a"])
    page = client.get(f"/shared-sencos/{arrangement.pk}/").content.decode()
    assert "3 days overdue" in page and "govuk-error-summary" in page
    bad = client.post(
        f"/shared-sencos/{arrangement.pk}/",
        {"reviewed_on": timezone.localdate().isoformat(), "evidence": "", "decision": "continue"},
    )
    assert bad.status_code == 200 and "This field is required." in bad.content.decode()
    ok = client.post(
        f"/shared-sencos/{arrangement.pk}/",
        {
            "reviewed_on": timezone.localdate().isoformat(),
            "evidence": "Termly data, parent survey",
            "decision": "continue",
            "next_review_due": (timezone.localdate() + timedelta(days=365)).isoformat(),
        },
    )
    assert ok.status_code == 302
    arrangement.refresh_from_db()
    assert statuses(arrangement)["review"] == "pass"


def test_arrangement_form_creates_and_the_list_shows_failures(
    people, client_for, school_a, sister_school
):
    school_membership_set(
        acting_user=None, user=people["senco_a"], school=sister_school, role=SchoolRole.SENCO
    )
    client = client_for(people["trust_trust_admin_a"])
    response = client.post(
        "/shared-sencos/new/",
        {
            "senco": str(people["senco_a"].pk),
            "teaching_hours_per_week": "8",
            "admin_support_hours_per_week": "2",
            "started_on": "2025-09-01",
            "next_review_due": "2030-09-01",
            f"hours_{school_a.pk}": "4",
            f"hours_{sister_school.pk}": "4",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    listing = client.get("/shared-sencos/").content.decode()
    assert (
        "teaches classes for 8 hours a week, more than the trust&#x27;s limit of 5 hours" in listing
    )
    overview = client.get("/").content.decode()
    assert 'data-testid="failing-count">1<' in overview


def test_another_trust_cannot_open_the_arrangement(people, client_for, arrangement):
    assert (
        client_for(people["trust_admin_b"]).get(f"/shared-sencos/{arrangement.pk}/").status_code
        == 404
    )
    assert (
        "Senco A" not in client_for(people["trust_admin_b"]).get("/shared-sencos/").content.decode()
    )


def test_qualifications_page_shows_the_countdown(people, client_for, trust_a, arrangement):
    qualification_save(
        acting_user=None,
        trust=trust_a,
        senco=people["senco_a"],
        appointed_on=timezone.localdate() - timedelta(days=400),
        has_qts=True,
        award="npq_in_progress",
        award_achieved_on=None,
    )
    page = client_for(people["trust_send_lead_a"]).get("/qualifications/").content.decode()
    assert "days left" in page and "Senco A" in page
    form = client_for(people["trust_send_lead_a"]).post(
        f"/qualifications/{people['senco_a'].pk}/",
        {
            "appointed_on": "2019-09-01",
            "has_qts": "on",
            "award": "npq_held",
            "award_achieved_on": "",
        },
    )
    assert (
        form.status_code == 200
        and "Give the date the qualification was achieved." in form.content.decode()
    )
    assert (
        client_for(people["trust_send_lead_a"])
        .get(f"/qualifications/{people['senco_b'].pk}/")
        .status_code
        == 404
    )
