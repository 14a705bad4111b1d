"""The trust console in a real browser against gunicorn: the dashboard draws its charts with a
data table under each, and the SEND lead sees why a shared arrangement fails and records a
review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import sign_in_browser
from tests.support import in_school

pytestmark = pytest.mark.e2e


@pytest.fixture
def trust_with_figures(committed, harness):
    from apps.pupils.models import Pupil
    from apps.trust.models import (
        RollupFigure,
        RollupRun,
        RollupSnapshot,
        SharedSencoArrangement,
        TrustAuditEvent,
    )
    from apps.trust.rollups import refresh_school
    from apps.trust.services import arrangement_save
    from tenants.models import SchoolMembership
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set
    from tests.trust.conftest import make_pupil

    trust, school_a = harness["trust_a"], harness["school_a"]
    second = committed.school(
        trust=trust,
        name="Alpha Juniors",
        urn="100021",
        subdomain="alpha-jun",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=240,
    )
    made = []
    for school, specs in (
        (school_a, [("K", "SPLD")] * 7 + [("E", "ASD")] * 2),
        (second, [("K", "SEMH")] * 9 + [("E", "SLCN")] * 6),
    ):
        with in_school(school):
            made.append((school, [make_pupil(provision=p, need=n).pk for p, n in specs]))
            refresh_school(school)
    school_membership_set(
        acting_user=None, user=harness["senco_a"], school=second, role=SchoolRole.SENCO
    )
    arrangement = arrangement_save(
        acting_user=None,
        trust=trust,
        senco=harness["senco_a"],
        teaching_hours_per_week=Decimal(1),
        admin_support_hours_per_week=Decimal(2),
        started_on=date(2025, 9, 1),
        next_review_due=date(2025, 12, 1),
        school_hours={school_a: Decimal(10), second: Decimal(30)},
    )

    def cleanup():
        SharedSencoArrangement.objects.filter(pk=arrangement.pk).delete()
        SchoolMembership.objects.filter(school=second).delete()
        for school, ids in made:
            with in_school(school):
                Pupil.objects.filter(pk__in=ids).delete()
            for model in (RollupFigure, RollupSnapshot, RollupRun):
                model.objects.filter(school=school).delete()
        TrustAuditEvent.objects.filter(trust=trust).delete()

    committed.cleanup(cleanup)
    return {"arrangement": arrangement, "second": second}


def test_dashboard_draws_charts_with_tables_and_suppresses_small_counts(
    page, web_server, harness, trust_with_figures
):
    sign_in_browser(page, web_server, None, "trust_send_lead_a@example.test")
    page.goto(web_server.url(None, "/dashboard/"))
    section = page.locator("section[data-metric=provision]")
    canvas = section.locator("canvas")
    # Chart.js has drawn into the canvas (it sizes it), and the chart is hidden from screen readers.
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length > 0")
    assert canvas.get_attribute("aria-hidden") == "true"
    assert canvas.bounding_box()["height"] > 100
    table = section.get_by_role("table")
    assert "by school" in table.locator("caption").inner_text()
    alpha = table.get_by_role("row", name="Alpha Primary")
    # 7 beside Alpha Primary's register total (9, on the trend page) would give its 2 away.
    assert alpha.get_by_role("cell").all_inner_texts() == ["suppressed", "fewer than 5"]
    juniors = table.get_by_role("row", name="Alpha Juniors")
    # Counts with their percentage of the school's roll.
    cells = juniors.get_by_role("cell").all_inner_texts()
    assert [c.split(" ")[0] for c in cells] == ["9", "6"] and all("%)" in c for c in cells)
    # Each trust total would give Alpha Primary's hidden figure away by subtraction.
    assert table.get_by_role("row", name="All schools").get_by_role("cell").all_inner_texts() == [
        "suppressed",
        "suppressed",
    ]
    assert (
        "England (January 2025)"
        in page.locator("section[data-metric=provision_percent]").inner_text()
    )


def test_send_lead_sees_why_the_arrangement_fails_and_records_a_review(
    page, web_server, harness, trust_with_figures
):
    arrangement = trust_with_figures["arrangement"]
    sign_in_browser(page, web_server, None, "trust_send_lead_a@example.test")
    page.goto(web_server.url(None, "/"))
    assert page.get_by_test_id("failing-count").inner_text() == "1"
    page.get_by_role("link", name="Senco A's shared arrangement").click()
    summary = page.locator(".govuk-error-summary")
    assert "This arrangement fails" in summary.inner_text()
    assert "The effectiveness review was due on 1 December 2025" in summary.inner_text()
    page.get_by_label("Evidence considered").fill(
        "Registers, plan reviews and staff views at both schools."
    )
    page.get_by_label("Continue").check()
    page.get_by_label("Next review due").fill(
        date.today().replace(year=date.today().year + 1).isoformat()
    )
    page.get_by_role("button", name="Record review").click()
    assert "Review recorded." in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("[data-check=review]").get_attribute("data-status") == "pass"
    arrangement.refresh_from_db()
    assert arrangement.reviews.count() == 1
