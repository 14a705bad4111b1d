"""Issue #15 item 13, the small controls, in a real browser at 1366 px with axe-core on every
page: year groups follow the school's phase, a class's staff are chosen with checkboxes, a
document is uploaded through the GOV.UK file upload component and "Remove" asks first, and an
EHC-plan pupil's register entry says where the plan's details are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser
from tests.e2e.axe import check
from tests.support import in_school

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "test-results"
PRIMARY_YEARS = ["Reception", *[f"Year {y}" for y in range(1, 7)]]


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _options(select) -> list[str]:
    return [t.strip() for t in select.locator("option").all_inner_texts() if t.strip()]


@pytest.fixture
def ehc_pupil(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.pupils.models import Pupil
    from tests.pupils.factories import make_pupil

    school = harness["school_a"]
    with in_school(school):
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        pupil = make_pupil(
            first_name="Elsie",
            last_name="Planholder",
            provision="E",
            primary_need="ASD",
            year_group="5",
        )

    def cleanup():
        with in_school(school):
            AuditEvent.objects.filter(id__gt=last).delete()
            Pupil.objects.filter(pk=pupil.pk).delete()

    committed.cleanup(cleanup)
    return pupil


@pytest.fixture
def class_cleanup(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.pupils.models import TeachingGroup

    school = harness["school_a"]
    with in_school(school):
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        last_group = TeachingGroup.objects.order_by("-id").values_list("id", flat=True).first()

    def cleanup():
        with in_school(school):
            AuditEvent.objects.filter(id__gt=last).delete()
            TeachingGroup.objects.filter(id__gt=last_group or 0).delete()

    committed.cleanup(cleanup)


def test_a_primary_offers_reception_to_year_6_in_every_form_and_filter(
    page, web_server, harness, committed
):
    school = harness["school_a"]  # phase "primary"
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, "/pupils/new/"))
    assert _options(page.get_by_label("Year group")) == ["Choose", *PRIMARY_YEARS]
    page.goto(web_server.url(school, "/pupils/"))
    assert _options(page.get_by_label("Year group")) == ["Any", *PRIMARY_YEARS]
    page.goto(web_server.url(school, "/pupils/classes/"))
    assert _options(page.get_by_label("Year group (optional)")) == ["Mixed or none", *PRIMARY_YEARS]
    page.goto(web_server.url(school, "/provision/"))
    assert _options(page.get_by_label("Year group")) == ["All", *PRIMARY_YEARS]


def test_a_class_is_taught_by_staff_chosen_with_checkboxes(
    page, web_server, harness, class_cleanup
):
    from apps.pupils.models import TeachingGroup

    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, "/pupils/classes/"))
    expect(page.locator("select[multiple]")).to_have_count(0)
    page.get_by_label("Class name").fill("Hazel")
    page.get_by_label("Year group (optional)").select_option("3")
    taught_by = page.get_by_role("group", name="Taught by (optional)")
    taught_by.get_by_label("Teacher A").check()
    taught_by.get_by_label("Teaching Assistant A").check()
    page.get_by_role("button", name="Add class").click()
    expect(page.get_by_text("Class Hazel added")).to_be_visible()
    row = page.get_by_test_id("classes").get_by_role("row").filter(has_text="Hazel")
    expect(row).to_contain_text("Teacher A")
    expect(row).to_contain_text("Teaching Assistant A")
    # Change who teaches it: the same checkboxes, keyboard usable, no Ctrl-click.
    row.get_by_text("Change").click()
    check(page)
    who = row.get_by_role("group", name="Who teaches Hazel")
    expect(who.get_by_label("Teacher A")).to_be_checked()
    who.get_by_label("Teaching Assistant A").press("Space")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved who teaches Hazel.")).to_be_visible()
    shot(page, "ux-classes-checkboxes")
    with in_school(school):
        group = TeachingGroup.objects.get(name="Hazel")
        assert group.year_group == "3"
        assert {s.user_id for s in group.staff.all()} == {harness["teacher_a"].pk}


def test_a_document_is_uploaded_with_the_file_component_and_removing_it_asks_first(
    page, web_server, harness, ehc_pupil, tmp_path
):
    from apps.documents.models import PupilDocument

    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, f"/pupils/{ehc_pupil.pk}/documents/"))
    # GOV.UK Frontend's enhanced file upload: a drop zone with a "Choose file" button.
    expect(page.locator(".govuk-drop-zone .govuk-file-upload-button")).to_be_visible()
    report = tmp_path / "salt-report.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label("Title").fill("Speech and language report")
    page.locator("input[type=file]").set_input_files(str(report))
    expect(page.get_by_text("salt-report.pdf")).to_be_visible()
    check(page)
    shot(page, "ux-document-upload")
    page.get_by_role("button", name="Upload").click()
    table = page.get_by_test_id("documents-table")
    expect(table.get_by_role("link", name="Speech and language report (download)")).to_be_visible()
    # Remove asks first; Cancel keeps the document.
    table.get_by_role("link", name="Remove Speech and language report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove this document from Elsie Planholder's record?"
    )
    expect(page.get_by_test_id("confirm-quoted")).to_have_text("Speech and language report")
    shot(page, "ux-document-remove-confirm")
    page.get_by_role("link", name="Cancel").click()
    expect(table.get_by_role("link", name="Speech and language report (download)")).to_be_visible()
    with in_school(school):
        assert PupilDocument.objects.filter(pupil_id=ehc_pupil.pk).count() == 1
    table.get_by_role("link", name="Remove Speech and language report").click()
    page.get_by_role("button", name="Remove the document").click()
    expect(page.get_by_text("The document was removed.")).to_be_visible()
    expect(table.get_by_text("No documents yet.")).to_be_visible()
    with in_school(school):
        assert PupilDocument.objects.filter(pupil_id=ehc_pupil.pk).count() == 0


def test_an_ehc_plan_pupils_register_entry_says_where_the_plan_details_are(
    page, web_server, harness, ehc_pupil
):
    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, f"/pupils/{ehc_pupil.pk}/"))
    details = page.get_by_test_id("register-entry").get_by_test_id("plan-details")
    expect(details).to_contain_text("The plan's sections, annual reviews and statutory dates")
    details.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/ehcp/pupils/{ehc_pupil.pk}/"))
    shot(page, "ux-ehc-plan-pupil")


def test_the_ehc_pupil_page_with_an_assessment_request_passes_axe(
    page, web_server, harness, ehc_pupil
):
    """The requests table's last column (the Update links) has a header a screen reader can read,
    and each link says which request it updates."""
    import datetime as dt

    from apps.ehcp.models import AssessmentRequest

    school = harness["school_a"]
    with in_school(school):
        AssessmentRequest.objects.create(
            pupil=ehc_pupil,
            requested_by="school",
            requested_on=dt.date(2026, 9, 14),
            local_authority="Leeds",
        )
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, f"/ehcp/pupils/{ehc_pupil.pk}/"))
    expect(page.get_by_role("link", name="Update the request of 14 Sep 2026")).to_be_visible()
    check(page)


@pytest.fixture
def sister_school(harness, committed):
    from apps.trust.models import PupilTransfer

    school = committed.school(
        trust=harness["trust_a"],
        name="Alpha Academy",
        urn="100071",
        subdomain="alpha-academy",
        phase="secondary",
        local_authority_name="Kirklees",
        local_authority_code="382",
    )
    committed.cleanup(lambda: PupilTransfer.objects.filter(to_school=school).delete())
    return school


def test_the_transfers_pupil_picker_is_the_accessible_autocomplete(
    page, web_server, harness, ehc_pupil, sister_school
):
    from apps.trust.models import PupilTransfer

    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, "/trust-transfers/"))
    expect(page.locator("select[name=pupil]")).to_have_count(0)  # no dropdown of the roll
    box = page.get_by_role("combobox", name="Pupil")
    with page.expect_response(lambda r: r.request.method == "POST" and "/pupils/pick/" in r.url):
        box.press_sequentially("planh", delay=30)
    listbox = page.get_by_role("listbox", name="Matching pupils")
    expect(
        listbox.get_by_role("option", name=re.compile(r"^Elsie Planholder \(Year 5"))
    ).to_be_visible()
    check(page)
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value(re.compile(r"^Elsie Planholder \(Year 5"))
    page.get_by_label("Receiving school").select_option(label="Alpha Academy")
    shot(page, "ux-transfers-picker")
    page.get_by_role("button", name=re.compile("transfer", re.I)).click()
    expect(page.get_by_text("Transfer started.")).to_be_visible()
    transfer = PupilTransfer.objects.get(to_school=sister_school)
    assert transfer.source_pupil_id == ehc_pupil.pk and transfer.status == "pending"


@pytest.mark.phone
def test_on_a_phone_the_register_filters_fold_away_below_the_search(page, web_server, harness):
    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, "/pupils/"))
    panel = page.get_by_test_id("filter-disclosure")
    search = page.get_by_label("Find a pupil by name or UPN")
    expect(search).to_be_visible()
    expect(panel).not_to_have_attribute("open", "")
    expect(page.get_by_label("Type of need")).to_be_hidden()
    assert search.bounding_box()["y"] < panel.bounding_box()["y"]
    shot(page, "ux-register-phone-filters-closed")
    panel.get_by_text("Filter the register").click()
    expect(page.get_by_label("Type of need")).to_be_visible()
    check(page)
    with page.expect_response(lambda r: "need=SEMH" in r.url):
        page.get_by_label("Type of need").select_option("SEMH")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth")
    # Reloaded with a filter set, the folded panel says how many are applied.
    page.reload()
    expect(page.get_by_test_id("filters-applied")).to_have_text("(1 applied)")
    expect(page.get_by_label("Type of need")).to_be_hidden()


def test_on_a_wide_screen_the_register_filters_are_open(page, web_server, harness):
    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, "/pupils/"))
    expect(page.get_by_label("Type of need")).to_be_visible()


def _rows(page) -> set[int]:
    """The distinct tops of the main navigation's own items (not those folded under More)."""
    items = page.locator("nav.hub-nav > .govuk-width-container > ul > li").all()
    return {round(item.bounding_box()["y"]) for item in items}


def test_the_navigation_fits_one_row_at_1366_for_every_role(page, web_server, harness):
    from tenants.roles import SchoolRole, TrustRole

    school = harness["school_a"]
    for role in SchoolRole.values:
        page.context.clear_cookies()
        sign_in_browser(page, web_server, school, f"{role}_a@example.test")
        for path in ("/", "/pupils/"):
            page.goto(web_server.url(school, path))
            if page.locator("nav.hub-nav").count():
                assert len(_rows(page)) == 1, f"{role}: the navigation wraps on {path}"
    for role in TrustRole.values:
        page.context.clear_cookies()
        sign_in_browser(page, web_server, None, f"trust_{role}_a@example.test")
        assert len(_rows(page)) == 1, f"trust {role}: the navigation wraps"


def test_the_senco_reaches_the_occasional_pages_under_more(page, web_server, harness):
    school = harness["school_a"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    nav = page.get_by_role("navigation", name="Main")
    more = nav.get_by_test_id("nav-more")
    expect(more.get_by_role("link", name="Audit log")).to_be_hidden()
    more.get_by_text("More").focus()
    page.keyboard.press("Enter")
    expect(more.get_by_role("link", name="Audit log")).to_be_visible()
    check(page)
    shot(page, "ux-nav-more-open")
    more.get_by_role("link", name="Audit log").click()
    page.wait_for_url(re.compile(r"/audit/"))
    expect(page.get_by_test_id("nav-more").locator("summary")).to_have_class(
        "hub-nav__more--current"
    )
    assert len(_rows(page)) == 1
