"""The journeys of issue #15 in a real browser at 1366 px and 390 px, with axe-core on every
page (the `page` fixture): register filters that survive Back, a teacher's pupil page and
passport, the SENCo's audit log, the trust console's questions, and no sideways scrolling on a
phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser
from tests.e2e.axe import check
from tests.support import in_school

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def classroom(harness, committed):
    """School A: a class taught by teacher_a with pupils of two needs, profiles and strategies."""
    from apps.audit.models import AuditEvent
    from apps.pupils import services
    from apps.pupils.models import Pupil, TeachingGroup
    from tests.pupils.factories import make_class, make_pupil

    school = harness["school_a"]
    with in_school(school):
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        semh = make_pupil(
            first_name="Sami",
            last_name="Semhson",
            provision="K",
            primary_need="SEMH",
            year_group="4",
        )
        slcn = make_pupil(
            first_name="Lena",
            last_name="Slcnova",
            provision="E",
            primary_need="SLCN",
            secondary_need="ASD",
            year_group="4",
        )
        group = make_class("4U", staff=[harness["teacher_a"]], pupils=[semh, slcn])
        services.profile_update(
            acting_user=None, pupil=semh, how_to_support="Warn me before changes to the day."
        )
        strategy = services.strategy_add(
            acting_user=None, pupil=semh, text="A calm corner with a timer."
        )

    def cleanup():
        with in_school(school):
            AuditEvent.objects.filter(id__gt=last).delete()
            TeachingGroup.objects.filter(pk=group.pk).delete()
            Pupil.objects.filter(pk__in=[semh.pk, slcn.pk]).delete()

    committed.cleanup(cleanup)
    return {"school": school, "semh": semh, "slcn": slcn, "group": group, "strategy": strategy}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} scrolls sideways: {width}px in a {viewport}px window"


def test_register_filter_survives_back_and_can_be_bookmarked(page, web_server, harness, classroom):
    school = classroom["school"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, "/pupils/"))
    table = page.get_by_test_id("register-table")
    with page.expect_response(lambda r: "need=SEMH" in r.url):
        page.get_by_label("Type of need").select_option("SEMH")
    expect(page).to_have_url(web_server.url(school, "/pupils/?need=SEMH"))
    expect(table.get_by_text("Slcnova")).to_have_count(0)
    check(page)  # the state after the htmx swap
    table.get_by_role("link", name="Sami Semhson").click()
    page.wait_for_url(web_server.url(school, f"/pupils/{classroom['semh'].pk}/"))
    page.go_back()
    page.wait_for_load_state()
    assert "need=SEMH" in page.url
    expect(page.get_by_label("Type of need")).to_have_value("SEMH")
    expect(page.get_by_test_id("register-table").get_by_text("Slcnova")).to_have_count(0)
    expect(page.get_by_test_id("register-table").get_by_text("Semhson")).to_be_visible()
    shot(page, "ux-register-after-back")


def test_teacher_opens_a_pupil_on_the_profile_and_prints_the_passport(
    page, web_server, harness, classroom
):
    school = classroom["school"]
    sign_in_browser(page, web_server, school, "teacher_a@example.test")
    my_pupils = page.get_by_test_id("my-pupils")
    expect(my_pupils.get_by_role("link", name="Sami Semhson")).to_be_visible()
    with page.expect_download() as sheet:
        my_pupils.get_by_role("link", name="4U: print the strategy sheet (PDF)").click()
    assert sheet.value.suggested_filename == f"class-strategy-sheet-{classroom['group'].pk}.pdf"
    my_pupils.get_by_role("link", name="Sami Semhson").click()
    page.wait_for_url(web_server.url(school, f"/pupils/{classroom['semh'].pk}/"))
    profile_top = page.locator("#profile").bounding_box()["y"]
    register_top = page.locator("#register-entry").bounding_box()["y"]
    assert profile_top < register_top and profile_top < 900  # in the first screen
    expect(page.get_by_text("A calm corner with a timer.")).to_be_visible()
    expect(page.get_by_role("link", name="Retire")).to_have_count(0)  # the SENCo's to do
    with page.expect_download() as passport:
        page.get_by_test_id("passport-link").click()
    assert passport.value.suggested_filename == f"pupil-passport-{classroom['semh'].pk}.pdf"
    shot(page, "ux-teacher-pupil-page")


def test_senco_retires_a_strategy_after_confirming(page, web_server, harness, classroom):
    school = classroom["school"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, f"/pupils/{classroom['semh'].pk}/"))
    page.get_by_role("link", name="Retire the strategy “A calm corner with a timer.”").click()
    expect(page.get_by_test_id("confirm-quoted")).to_have_text("A calm corner with a timer.")
    page.get_by_role("button", name="Retire the strategy").click()
    page.wait_for_url(web_server.url(school, f"/pupils/{classroom['semh'].pk}/"))
    expect(page.get_by_text("Strategy retired.")).to_be_visible()
    expect(page.get_by_text("A calm corner with a timer.")).to_have_count(0)


def test_senco_reads_and_filters_the_audit_log(page, web_server, harness, classroom):
    school = classroom["school"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, f"/pupils/{classroom['semh'].pk}/"))
    page.get_by_role("link", name="Everything about this pupil in the audit log").click()
    expect(page.get_by_text("Only entries about")).to_be_visible()
    page.get_by_label("Action").select_option(label="Viewed pupil record")
    page.get_by_role("button", name="Show entries").click()
    page.wait_for_load_state()
    assert "action=pupil.viewed" in page.url and f"pupil={classroom['semh'].pk}" in page.url
    expect(page.get_by_test_id("audit-count")).to_contain_text("entr")
    shot(page, "ux-audit-log")


def test_trust_admin_is_asked_before_suspending(page, web_server, harness, committed):
    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    page.goto(web_server.url(None, "/schools/"))
    page.get_by_role("link", name="Suspend Alpha Primary").click()
    expect(page.get_by_role("heading", name="Suspend Alpha Primary?")).to_be_visible()
    expect(page.get_by_text("becomes read-only at once")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(web_server.url(None, "/schools/"))
    from tenants.models import School

    assert School.objects.get(pk=harness["school_a"].pk).status == School.Status.ACTIVE


@pytest.mark.phone
def test_phone_register_and_pupil_page_do_not_scroll_sideways(page, web_server, harness, classroom):
    school = classroom["school"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    _no_sideways_scroll(page)
    shot(page, "ux-phone-home")
    page.goto(web_server.url(school, "/pupils/"))
    _no_sideways_scroll(page)
    search = page.get_by_label("Find a pupil by name or UPN").bounding_box()
    cards = page.get_by_test_id("register-counts").bounding_box()
    assert search["y"] < cards["y"], "search sits at the top on a phone"
    shot(page, "ux-phone-register")
    page.goto(web_server.url(school, f"/pupils/{classroom['semh'].pk}/"))
    _no_sideways_scroll(page)
    shot(page, "ux-phone-pupil")
    page.goto(web_server.url(school, "/audit/"))
    _no_sideways_scroll(page)


@pytest.mark.phone
def test_phone_school_switcher_fits(page, web_server, harness, committed):
    from tenants.models import SchoolMembership
    from tenants.services import school_membership_set

    user, school_a, school_b = harness["teacher_a"], harness["school_a"], harness["school_b"]
    membership = school_membership_set(acting_user=None, user=user, school=school_b, role="teacher")
    committed.cleanup(SchoolMembership.objects.filter(pk=membership.pk).delete)
    sign_in_browser(page, web_server, school_a, "teacher_a@example.test")
    switcher = page.get_by_label("School", exact=True).bounding_box()
    assert switcher["x"] >= 0 and switcher["x"] + switcher["width"] <= 390
    _no_sideways_scroll(page)
    shot(page, "ux-phone-switcher")


@pytest.mark.phone
def test_phone_trust_console_pages_fit(page, web_server, harness):
    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    for path in ("/", "/schools/", "/dashboard/", "/people/", "/shared-sencos/", "/library/"):
        page.goto(web_server.url(None, path))
        _no_sideways_scroll(page)
    shot(page, "ux-phone-trust-library")


def test_trust_navigation_fits_one_row_at_1366(page, web_server, harness):
    sign_in_browser(page, web_server, None, "trust_trust_admin_a@example.test")
    items = page.get_by_role("navigation", name="Main").get_by_role("link").all()
    tops = {round(item.bounding_box()["y"]) for item in items}
    assert len(tops) == 1, f"the trust navigation wraps onto {len(tops)} rows at 1366 px"


def test_teacher_picks_a_pupil_with_the_keyboard(page, web_server, harness, classroom):
    from apps.pupils.models import Concern

    school = classroom["school"]
    sign_in_browser(page, web_server, school, "teacher_a@example.test")
    page.goto(web_server.url(school, "/concerns/new/"))
    box = page.get_by_role("combobox", name="Pupil")
    with page.expect_response(lambda r: r.request.method == "POST" and "/pupils/pick/" in r.url):
        box.press_sequentially("slcn", delay=30)
    listbox = page.get_by_role("listbox", name="Matching pupils")
    expect(listbox.get_by_role("option", name="Lena Slcnova (Year 4, 3B)")).to_be_visible()
    check(page)  # the open list, as a screen reader user meets it
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "id_pupil-option-0")
    box.press("Enter")
    expect(box).to_have_value("Lena Slcnova (Year 4, 3B)")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.get_by_label("What have you noticed?").fill("Covers her ears at assembly")
    page.get_by_role("button", name="Raise concern").click()
    page.wait_for_load_state()
    with in_school(school):
        concern = Concern.objects.get(what_seen="Covers her ears at assembly")
        assert concern.pupil_id == classroom["slcn"].pk
        concern.delete()
