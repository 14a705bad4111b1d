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
    # 7 beside Alpha Primary's register total (9, on the trend page) would give its 2 away: that
    # total is hidden on the trend page instead (checked below).
    assert alpha.get_by_role("cell").all_inner_texts() == ["7 (77.8%)", "fewer than 5"]
    juniors = table.get_by_role("row", name="Alpha Juniors")
    # Counts with their percentage of the school's roll (9 and 6 of 15 recorded on roll).
    assert juniors.get_by_role("cell").all_inner_texts() == ["9 (60.0%)", "6 (40.0%)"]
    # 2 + 6 = 8 would give Alpha Primary's 2 away.
    totals = table.get_by_role("row", name="All schools").get_by_role("cell").all_inner_texts()
    assert totals == ["16", "suppressed"]
    page.goto(web_server.url(None, "/dashboard/trends/provision/"))
    trend_row = page.get_by_role("row", name="Alpha Primary").get_by_role("cell").all_inner_texts()
    assert trend_row[-1] == "suppressed"
    page.goto(web_server.url(None, "/dashboard/"))
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


def _shot(page, name: str) -> None:
    from pathlib import Path

    shots = Path(__file__).resolve().parents[2] / "test-results"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_charts_compare_schools_by_percentage_of_roll_and_keep_suppressed_schools(
    page, web_server, harness, trust_with_figures
):
    """#15 item 14: each school is charted as a percentage of its roll, labelled with the count
    and the percentage; a school whose count is suppressed keeps its place saying "fewer than 5"
    (never a bar of 0, never left out)."""
    from tests.e2e import axe

    sign_in_browser(page, web_server, None, "trust_send_lead_a@example.test")
    page.goto(web_server.url(None, "/dashboard/"))
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length > 0")
    section = page.locator("section[data-metric=provision]")
    chart = page.evaluate(
        """() => {
          const c = document.getElementById("chart-provision").hubChart;
          return {labels: c.data.labels, data: c.data.datasets.map(d => d.data),
                  counts: c.data.datasets.map(d => d.counts),
                  axis: c.options.scales.y.title.text};
        }"""
    )
    names = [label if isinstance(label, str) else label[0] for label in chart["labels"]]
    alpha = names.index("Alpha Primary")
    juniors = names.index("Alpha Juniors")
    # The suppressed school is in the chart, labelled with what is hidden; no bar is drawn.
    assert chart["labels"][alpha] == ["Alpha Primary", "EHC plan: fewer than 5"]
    assert [d[alpha] for d in chart["data"]] == [77.8, None]
    assert [c[alpha] for c in chart["counts"]] == ["7", "fewer than 5"]
    # The other school is plotted as a percentage of its roll, the count beside it.
    assert [d[juniors] for d in chart["data"]] == [60.0, 40.0]
    assert [c[juniors] for c in chart["counts"]] == ["9", "6"]
    assert chart["axis"] == "% of the school's roll"
    # The same, for someone who cannot see the canvas: the note and the table.
    note = section.get_by_test_id("not-plotted").inner_text()
    assert "Alpha Primary (EHC plan: fewer than 5)" in note
    caption = section.get_by_role("table").locator("caption").inner_text()
    assert "percentage of the school's roll" in caption
    # A tooltip names the count and the percentage.
    tooltip = page.evaluate(
        """() => {
          const c = document.getElementById("chart-provision").hubChart;
          const cb = c.options.plugins.tooltip.callbacks.label;
          const i = c.data.labels.findIndex(l => (Array.isArray(l) ? l[0] : l) === "Alpha Juniors");
          return cb({dataset: c.data.datasets[0], dataIndex: i, parsed: {y: c.data.datasets[0].data[i]},
                     formattedValue: ""});
        }"""
    )
    assert tooltip == "SEN support: 9 (60% of roll)"
    axe.check(page)
    _shot(page, "trust-dashboard-charts-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(web_server.url(None, "/dashboard/"))
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe.check(page)
    _shot(page, "trust-dashboard-charts-390")
