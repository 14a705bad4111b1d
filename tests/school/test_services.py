"""The school sets its term dates and review cadence; plans then take review dates from them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from apps.audit.models import AuditEvent
from apps.school import selectors, services
from apps.school.models import SchoolSettings, Term

AUTUMN = ("Autumn 2026", dt.date(2026, 9, 3), dt.date(2026, 12, 18))
SPRING = ("Spring 2027", dt.date(2027, 1, 5), dt.date(2027, 3, 26))


@pytest.fixture
def in_a(school_a, school_context):
    with school_context(school_a):
        yield school_a


@pytest.mark.parametrize("role", ["senco_a", "headteacher_a"])
def test_senco_and_headteacher_set_term_dates(people, in_a, role):
    services.terms_set(acting_user=people[role], terms=[SPRING, AUTUMN])
    assert list(Term.objects.values_list("name", flat=True)) == ["Autumn 2026", "Spring 2027"]
    assert selectors.current_term(dt.date(2026, 12, 25)).name == "Spring 2027"
    assert AuditEvent.objects.filter(action="school.terms_set").count() == 1


@pytest.mark.parametrize("role", ["teacher_a", "office_a", "governor_a", "trust_send_lead_a"])
def test_other_roles_cannot_set_term_dates(people, in_a, role):
    with pytest.raises(PermissionDenied):
        services.terms_set(acting_user=people[role], terms=[AUTUMN])
    assert not Term.objects.exists()


def test_overlapping_terms_are_refused_and_the_old_ones_kept(people, in_a):
    services.terms_set(acting_user=people["senco_a"], terms=[AUTUMN])
    with pytest.raises(ValidationError) as exc:
        services.terms_set(
            acting_user=people["senco_a"],
            terms=[AUTUMN, ("Spring 2027", dt.date(2026, 12, 1), dt.date(2027, 3, 26))],
        )
    assert exc.value.message_dict["starts_on"] == ["Spring 2027 starts before Autumn 2026 ends."]
    assert list(Term.objects.values_list("name", flat=True)) == ["Autumn 2026"]


def test_review_cadence_in_weeks_sets_the_next_review_date(people, in_a):
    services.review_cadence_set(acting_user=people["senco_a"], interval_weeks=6)
    assert selectors.next_review_date(dt.date(2026, 10, 1)) == dt.date(2026, 11, 12)
    services.review_cadence_set(acting_user=people["senco_a"], interval_weeks=None)
    assert selectors.next_review_date(dt.date(2026, 10, 1)) == dt.date(2026, 12, 31)
    with pytest.raises(ValidationError) as exc:
        services.review_cadence_set(acting_user=people["senco_a"], interval_weeks=60)
    assert "between 2 and 26" in exc.value.message_dict["review_interval_weeks"][0]
    assert SchoolSettings.objects.get().review_interval_weeks is None


def test_a_newly_provisioned_school_has_the_support_and_provision_tables(school_a):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            [school_a.schema_name],
        )
        tables = {row[0] for row in cur.fetchall()}
    for table in (
        "school_term",
        "school_schoolsettings",
        "support_supportplan",
        "support_outcome",
        "support_review",
        "support_assessment",
        "support_observation",
        "provision_intervention",
        "provision_interventiongroup",
        "provision_groupplace",
        "provision_interventionsession",
        "provision_sessionattendance",
    ):
        assert table in tables
