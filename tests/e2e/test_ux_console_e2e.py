"""Issue #15 in the trust console, in a real browser at 1366 px with axe-core on every page:
the shared SENCo form (item 17)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def second_school(harness, committed):
    """Alpha Juniors, where Senco A is SENCo too: the two schools can share her."""
    from apps.trust.models import SharedSencoArrangement, TrustAuditEvent
    from tenants.models import SchoolMembership
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    trust = harness["trust_a"]
    second = committed.school(
        trust=trust,
        name="Alpha Juniors",
        urn="100031",
        subdomain="alpha-juniors",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=240,
    )
    school_membership_set(
        acting_user=None, user=harness["senco_a"], school=second, role=SchoolRole.SENCO
    )

    def cleanup():
        SharedSencoArrangement.objects.filter(trust=trust).delete()
        SchoolMembership.objects.filter(school=second).delete()
        TrustAuditEvent.objects.filter(trust=trust).delete()

    committed.cleanup(cleanup)
    return second


def test_a_failed_time_check_says_what_would_pass_and_the_form_has_cancel(
    page, web_server, harness, second_school
):
    from apps.trust import rules
    from apps.trust.models import SharedSencoArrangement, TrustSettings

    trust = harness["trust_a"]
    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    page.goto(web_server.url(None, "/shared-sencos/new/"))
    # Labels say what they mean.
    page.get_by_label("Who is the shared SENCo?").select_option(label="Senco A")
    page.get_by_label("Hours a week the SENCo teaches classes").fill("1")
    page.get_by_label("Hours a week of administrative support for the SENCo").fill("2")
    page.get_by_label("Date the arrangement starts").fill("2025-09-01")
    page.get_by_label("Date the arrangement is next reviewed").fill(
        date.today().replace(year=date.today().year + 1).isoformat()
    )
    page.get_by_label("SENCo hours a week at Alpha Primary").fill("10")
    page.get_by_label("SENCo hours a week at Alpha Juniors").fill("20")
    shot(page, "ux-shared-senco-form")
    page.get_by_role("button", name="Save arrangement").click()
    expect(page.get_by_text("Arrangement saved and checked.")).to_be_visible()
    # 440 pupils on roll at the trust's minimum: computed from the rule, not written down here.
    minimum = TrustSettings.objects.get_or_create(trust=trust)[0].min_minutes_per_pupil_on_roll
    needed = rules.hours_needed(minimum, 200 + 240)
    time_check = page.locator("[data-check=time_roll]")
    expect(time_check).to_have_attribute("data-status", "fail")
    expect(time_check).to_contain_text(
        f"It would pass with at least {rules._num(needed)} hours a week across the schools"
    )
    expect(time_check).to_contain_text(f"{rules._num(needed - Decimal(30))} more than now")
    shot(page, "ux-shared-senco-would-pass")
    arrangement = SharedSencoArrangement.objects.get(trust=trust)
    # The edit form has Cancel, back to the arrangement, changing nothing.
    page.get_by_role("link", name="Change the arrangement").click()
    page.get_by_label("SENCo hours a week at Alpha Juniors").fill("40")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(re.compile(rf"/shared-sencos/{arrangement.pk}/$"))
    assert sorted(t.hours_per_week for t in arrangement.school_times.all()) == [10, 20]


@pytest.fixture
def library_items(harness, committed, second_school):
    """Alpha Juniors shared a strategy that Alpha Primary adopted."""
    from apps.trust.models import LibraryAdoption, LibraryItem

    item = LibraryItem.objects.create(
        trust=harness["trust_a"],
        item_type="strategy",
        title="Visual timetable with a change card",
        body="Show the day's order in pictures; warn before any change with the change card.",
        source_school=second_school,
        published_by=harness["senco_a"],
    )
    LibraryAdoption.objects.create(
        item=item, school=harness["school_a"], adopted_by=harness["senco_a"]
    )
    committed.cleanup(lambda: LibraryItem.objects.filter(pk=item.pk).delete())
    return item


def test_library_items_open_from_the_school_home_and_name_their_publisher(
    page, web_server, harness, library_items
):
    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "teacher_a@example.test")
    panel = page.get_by_test_id("library-panel")
    panel.get_by_role("link", name="Visual timetable with a change card").click()
    page.wait_for_url(re.compile(rf"/library/{library_items.pk}/$"))
    expect(page.get_by_test_id("library-body")).to_contain_text("warn before any change")
    expect(page.get_by_test_id("published-by")).to_contain_text("by Senco A, Alpha Juniors.")
    shot(page, "ux-school-library-item")
    page.get_by_role("link", name="What we use from the trust library").click()
    row = page.get_by_test_id("library-uses").get_by_role(
        "row", name=re.compile("Visual timetable")
    )
    expect(row).to_contain_text("Senco A, Alpha Juniors")
    expect(row).to_contain_text("Adopted")
    shot(page, "ux-school-library")
    # The trust console's item page names the publisher the same way.
    page.context.clear_cookies()
    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    page.goto(web_server.url(None, f"/library/{library_items.pk}/"))
    expect(page.get_by_test_id("published-by")).to_contain_text("by Senco A, Alpha Juniors.")


@pytest.fixture
def onboarded_cleanup(harness, committed):
    from apps.trust.models import TrustAuditEvent
    from tenants.models import Invitation, School

    def cleanup():
        for school in School.objects.filter(urn="100051"):
            Invitation.objects.filter(school=school).delete()
            TrustAuditEvent.objects.filter(school=school).delete()
            school.delete(force_drop=True)

    committed.cleanup(cleanup)


def test_onboarding_reports_every_error_at_once_and_shows_the_invitations(
    page, web_server, harness, onboarded_cleanup
):
    from tenants.models import School

    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    page.goto(web_server.url(None, "/schools/new/"))
    # The whole address, scheme and port included, as the server builds it.
    expect(page.locator("#id_subdomain_helptext")).to_have_text(
        re.compile(r"The school's address will then be https?://ash-grove\.[a-z.]+(:\d+)?/$")
    )
    page.get_by_label("School name").fill("Ash Grove Primary")
    page.get_by_label("DfE URN").fill("100001")  # Alpha Primary's
    page.get_by_label("Web address").fill("Ash Grove!")
    page.get_by_label("Phase").select_option("primary")
    page.get_by_label("Local authority", exact=True).fill("Kirklees")
    page.get_by_label("Local authority code").fill("38")
    page.get_by_label("Pupils on roll").fill("180")
    page.get_by_label("SENCo's full name").fill("Nadia Ash")
    page.get_by_label("SENCo's email address").fill("nadia.ash@example.test")
    page.get_by_label("Headteacher's full name").fill("Tom Grove")
    page.get_by_label("Headteacher's email address").fill("tom.grove@example.test")
    page.get_by_role("button", name="Onboard school").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    expect(summary).to_contain_text("A school with URN 100001 is already in SENCo Hub")
    expect(summary).to_contain_text("A school web address must be 3 to 40 characters")
    expect(summary).to_contain_text("A local authority code is exactly 3 digits.")
    shot(page, "ux-onboarding-errors")
    assert not School.objects.filter(name="Ash Grove Primary").exists()
    page.get_by_label("DfE URN").fill("100051")
    page.get_by_label("Web address").fill("ash-grove")
    page.get_by_label("Local authority code").fill("382")
    page.get_by_role("button", name="Onboard school").click()
    expect(page.get_by_text("Ash Grove Primary is set up.")).to_be_visible()
    pending = page.get_by_test_id("pending-ash-grove")
    expect(pending).to_contain_text("Nadia Ash (SENCo)")
    expect(pending).to_contain_text("Tom Grove (Headteacher)")
    shot(page, "ux-onboarding-pending")
    # Resend: a fresh link, audited by the tenancy service.
    from apps.trust.models import TrustAuditEvent
    from tenants.models import Invitation

    pending.get_by_role("button", name="Resend Nadia Ash's invitation").click()
    expect(page.get_by_text("Nadia Ash has been emailed a new link")).to_be_visible()
    school = School.objects.get(urn="100051")
    assert TrustAuditEvent.objects.filter(school=school, action="invitation_resent").count() == 1
    # Withdraw asks first; then the invitation is no longer pending.
    page.get_by_test_id("pending-ash-grove").get_by_role(
        "link", name="Withdraw Tom Grove's invitation"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Withdraw Tom Grove's invitation to Ash Grove Primary?"
    )
    page.get_by_role("button", name="Withdraw the invitation").click()
    expect(page.get_by_text("Tom Grove's invitation has been withdrawn.")).to_be_visible()
    expect(page.get_by_test_id("pending-ash-grove")).not_to_contain_text("Tom Grove")
    assert TrustAuditEvent.objects.filter(school=school, action="invitation_revoked").count() == 1
    tom = Invitation.objects.get(school=school, full_name="Tom Grove")
    assert tom.accepted_at is None and tom.token_hash is None
