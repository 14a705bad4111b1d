"""Finding 4 in a real browser: the school's SENCo shares a strategy with the trust library from
the school's own pages, is shown the word that matches a pupil on the roll, rewords it, shares
it and withdraws it (1366 px); the name check reads on a phone (390 px, screenshot)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import sign_in_browser
from tests.e2e.test_ux_e2e import _no_sideways_scroll, shot
from tests.support import in_school

pytestmark = pytest.mark.e2e
NAMING = "Sit near Edward's table for reading and give a reading ruler"
REWORDED = "Sit near a quiet table for reading and give a reading ruler"


@pytest.fixture
def strategy_naming_a_pupil(harness, committed):
    from apps.audit.models import AuditEvent
    from apps.pupils.models import Pupil, Strategy
    from apps.trust.models import LibraryItem, TrustAuditEvent
    from tests.pupils.factories import make_pupil

    school = harness["school_a"]
    with in_school(school):
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        edward = make_pupil(first_name="Edward", last_name="Quillfeather", year_group="5")
        holder = make_pupil(first_name="Holly", last_name="Bramblewood", year_group="5")
        strategy = Strategy.objects.create(pupil=holder, text=NAMING)
    last_trust = TrustAuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def cleanup():
        LibraryItem.objects.filter(source_school=school).delete()
        TrustAuditEvent.objects.filter(id__gt=last_trust).delete()
        with in_school(school):
            AuditEvent.objects.filter(id__gt=last).delete()
            Strategy.objects.filter(pk=strategy.pk).delete()
            Pupil.objects.filter(pk__in=[edward.pk, holder.pk]).delete()

    committed.cleanup(cleanup)
    return {"school": school, "strategy": strategy}


def test_senco_rewords_a_strategy_naming_a_pupil_then_shares_and_withdraws_it(
    page, web_server, harness, strategy_naming_a_pupil
):
    from apps.trust.models import LibraryItem

    school = strategy_naming_a_pupil["school"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_test_id("nav-more").get_by_text("More").click()  # the less daily pages
    nav.get_by_role("link", name="Trust library").click()
    page.wait_for_url(web_server.url(school, "/trust-library/"))
    page.get_by_test_id("sources-strategy").get_by_role("link", name=NAMING[:40]).click()
    # Shown before trying: the matched word, highlighted, in each field it is in (the title is
    # the start of the wording).
    for n, field in ((1, "Title"), (2, "Wording")):
        check = page.get_by_test_id(f"name-check-{n}")
        expect(check.get_by_role("heading", name=field)).to_be_visible()
        expect(check.locator("mark")).to_have_text("Edward's")
    expect(page.get_by_test_id("name-check")).to_contain_text("cannot be shared")
    # Trying anyway is refused, with the match shown again.
    page.get_by_label("Title").fill("Seating for reading")
    page.get_by_role("button", name="Check again and share").click()
    expect(page.get_by_text("mentions a pupil by name (“Edward's”)").first).to_be_visible()
    assert not LibraryItem.objects.filter(source_school=school).exists()
    # Reworded, it is shared.
    page.get_by_label("Wording").fill(REWORDED)
    page.get_by_role("button", name="Check again and share").click()
    page.wait_for_url(web_server.url(school, "/trust-library/"))
    expect(page.get_by_text("“Seating for reading” is now in the trust library.")).to_be_visible()
    item = LibraryItem.objects.get(source_school=school)
    assert item.body == REWORDED and "Edward" not in item.title + item.summary + item.body
    shot(page, "library-shared-1366")
    # The SENCo withdraws it from the school's side.
    page.get_by_role("button", name="Withdraw “Seating for reading”").click()
    expect(page.get_by_test_id("published")).to_contain_text("Withdrawn")
    item.refresh_from_db()
    assert item.withdrawn_at is not None


@pytest.mark.phone
def test_phone_name_check_fits_and_reads(page, web_server, harness, strategy_naming_a_pupil):
    school = strategy_naming_a_pupil["school"]
    sign_in_browser(page, web_server, school, "senco_a@example.test")
    page.goto(web_server.url(school, "/trust-library/"))
    _no_sideways_scroll(page)
    page.goto(
        web_server.url(
            school, f"/trust-library/share/strategy/{strategy_naming_a_pupil['strategy'].pk}/"
        )
    )
    expect(page.get_by_test_id("name-check-1").locator("mark")).to_have_text("Edward's")
    _no_sideways_scroll(page)
    shot(page, "library-name-check-390")
