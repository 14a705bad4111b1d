"""A shared SENCo's day in a real browser: sign in once on the platform host, see every school's
worklist on "My schools", follow an item into a school, then open another school's address
directly and continue without a password."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser
from tests.support import in_school

pytestmark = pytest.mark.e2e


@pytest.fixture
def shared_day(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.pupils import services
    from apps.pupils.models import Pupil
    from tenants.models import SchoolMembership
    from tenants.services import school_membership_set
    from tests.pupils.factories import make_pupil

    user, school_a, school_b = harness["senco_a"], harness["school_a"], harness["school_b"]
    membership = school_membership_set(acting_user=None, user=user, school=school_b, role="senco")
    made: dict = {}
    for school, names in ((school_a, ["Evelyn"]), (school_b, ["Bella", "Boris"])):
        with in_school(school):
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            pupils = [make_pupil(first_name=n, last_name="Dayton") for n in names]
            for pupil in pupils:
                services.concern_raise(acting_user=None, pupil=pupil, what_seen="Tired in class")
            made[school.pk] = (school, last, [p.pk for p in pupils])

    def cleanup():
        for school, last, ids in made.values():
            with in_school(school):
                AuditEvent.objects.filter(id__gt=last).delete()
                Pupil.objects.filter(pk__in=ids).delete()
        SchoolMembership.objects.filter(pk=membership.pk).delete()

    committed.cleanup(cleanup)
    return user, school_a, school_b


def test_shared_senco_works_across_schools_from_one_list(page, web_server, shared_day):
    user, school_a, school_b = shared_day
    sign_in_browser(page, web_server, None, user.email)
    page.goto(web_server.url(None, "/my-schools/"))
    beta = page.get_by_test_id(f"worklist-{school_b.slug}")
    expect(beta.get_by_role("link", name="2 Open concerns")).to_be_visible()
    expect(
        page.get_by_test_id(f"worklist-{school_a.slug}").get_by_role("link", name="1 Open concerns")
    ).to_be_visible()
    expect(page.get_by_text("Bella")).to_have_count(0)  # counts only, never names

    beta.get_by_role("link", name="2 Open concerns").click()
    page.wait_for_url(web_server.url(school_b, "/concerns/"))
    expect(page.get_by_text("Bella Dayton").first).to_be_visible()

    # Another school's address typed directly: no second password.
    page.goto(web_server.url(school_a, "/pupils/"))
    page.get_by_role("button", name=f"Continue as {user.full_name}").click()
    page.wait_for_url(web_server.url(school_a, "/pupils/"))
    expect(page.get_by_role("heading", name="SEN register")).to_be_visible()


def test_signed_in_on_one_school_continues_into_another(page, web_server, harness, committed):
    """A teacher in two schools (no two-step sign-in needed) signs in on one school's host and
    opens the other's address: "Continue as", no second password."""
    from tenants.models import SchoolMembership
    from tenants.services import school_membership_set

    user, school_a, school_b = harness["teacher_a"], harness["school_a"], harness["school_b"]
    membership = school_membership_set(acting_user=None, user=user, school=school_b, role="teacher")
    committed.cleanup(SchoolMembership.objects.filter(pk=membership.pk).delete)
    sign_in_browser(page, web_server, school_a, user.email)
    assert page.url == web_server.url(school_a, "/")
    page.goto(web_server.url(school_b, "/"))
    page.get_by_role("button", name=f"Continue as {user.full_name}").click()
    page.wait_for_url(web_server.url(school_b, "/"))
    assert "Beta Primary" in page.title()
