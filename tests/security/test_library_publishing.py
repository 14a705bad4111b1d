"""Finding 4: what a school shares with the trust library is chosen by the school's SENCo on the
school's host, after seeing the wording checked against every name on the roll; trust staff see
published items only, never a school's unpublished strategy texts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern

from apps.audit.models import AuditEvent
from apps.trust.models import LibraryItem, TrustAuditEvent
from apps.trust.services import library_publish, library_withdraw
from tests.support import in_school
from tests.trust.conftest import make_pupil

UNPUBLISHED = "Ear defenders in assembly and a quiet exit route agreed with Mr Patel"
PUBLISHED = "Chunk instructions and check understanding with a thumbs-up"


def _strategy(school, text: str) -> str:
    from apps.pupils.models import Strategy

    with in_school(school):
        holder = make_pupil(first="Holder", last="Person")
        return str(Strategy.objects.create(pupil=holder, text=text).pk)


def _roll(school) -> None:
    with in_school(school):
        for first, last in (
            ("Edward", "Quill"),
            ("Zoë", "Hart"),
            ("Li", "Wen"),
            ("Anne-Marie", "Cole"),
        ):
            make_pupil(first=first, last=last)


# --- who chooses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        "trust_trust_admin_a",
        "trust_send_lead_a",
        "trust_viewer_a",
        "headteacher_a",
        "teacher_a",
        "office_a",
        "senco_b",
    ],
)
def test_only_the_schools_own_senco_shares_its_items(people, trust_a, school_a, who):
    ref = _strategy(school_a, PUBLISHED)
    with pytest.raises(PermissionDenied):
        library_publish(
            acting_user=people[who],
            trust=trust_a,
            school=school_a,
            item_type_key="strategy",
            source_ref=ref,
        )
    assert not LibraryItem.objects.exists()
    assert not TrustAuditEvent.objects.filter(action="library_published").exists()


@pytest.mark.parametrize(
    "who", ["trust_send_lead_a", "headteacher_a", "teacher_a", "office_a", "governor_a"]
)
def test_the_school_pages_refuse_everyone_but_the_senco(people, client_for, school_a, who):
    ref = _strategy(school_a, PUBLISHED)
    client = client_for(people[who], school_a)
    listing = client.get("/trust-library/")
    assert listing.status_code == 403 and PUBLISHED not in listing.content.decode()
    share = client.get(f"/trust-library/share/strategy/{ref}/")
    assert share.status_code == 403 and PUBLISHED not in share.content.decode()
    posted = client.post(
        f"/trust-library/share/strategy/{ref}/", {"title": "T", "summary": "", "body": PUBLISHED}
    )
    assert posted.status_code == 403
    assert not LibraryItem.objects.exists()


def test_the_trust_console_cannot_publish_a_schools_strategy(people, client_for, school_a):
    ref = _strategy(school_a, UNPUBLISHED)
    client = client_for(people["trust_send_lead_a"])
    page = client.get("/library/publish/").content.decode()
    assert UNPUBLISHED not in page and 'value="strategy"' not in page
    response = client.post(
        "/library/publish/",
        {"school": str(school_a.pk), "item_type": "strategy", "source_ref": ref},
    )
    assert response.status_code == 200 and UNPUBLISHED not in response.content.decode()
    assert not LibraryItem.objects.exists()


# --- the name check, shown to the SENCo ----------------------------------------------------


@pytest.mark.parametrize(
    ("wording", "shown", "name"),
    [
        ("Sit near Edward's table for reading", "Edward's", "Edward"),
        ("Sit near Edward’s table for reading", "Edward’s", "Edward"),
        ("Zoe works best with a timer", "Zoe", "Zoë"),
        ("ZOË works best with a timer", "ZOË", "Zoë"),
        ("Give Li a movement break", "Li", "Li"),
        ("Pair Anne-Marie with a reading buddy", "Anne-Marie", "Anne-Marie"),
        ("Pair Marie with a reading buddy", "Marie", "Anne-Marie"),
    ],
)
def test_a_wording_naming_a_pupil_is_refused_and_the_match_shown(
    people, client_for, school_a, wording, shown, name
):
    _roll(school_a)
    ref = _strategy(school_a, wording)
    client = client_for(people["senco_a"], school_a)
    preview = client.get(f"/trust-library/share/strategy/{ref}/").content.decode()
    # Shown before anything is tried: the field, the word highlighted and the name it matches.
    assert f'<mark class="library-name-match">{shown}</mark>' in preview.replace("&#x27;", "'")
    assert f"({name})" in preview
    refused = client.post(
        f"/trust-library/share/strategy/{ref}/",
        {"title": "Seating", "summary": "", "body": wording},
    )
    page = refused.content.decode().replace("&#x27;", "'")
    assert refused.status_code == 200
    assert "mentions a pupil by name" in page and f"“{shown}”" in page
    assert f'<mark class="library-name-match">{shown}</mark>' in page
    assert not LibraryItem.objects.exists()
    assert not TrustAuditEvent.objects.filter(action="library_published").exists()
    # Reworded, it goes.
    done = client.post(
        f"/trust-library/share/strategy/{ref}/",
        {"title": "Seating", "summary": "", "body": "Seat the pupil near the front for reading"},
    )
    assert done.status_code == 302
    item = LibraryItem.objects.get()
    assert item.body == "Seat the pupil near the front for reading"
    assert shown not in item.body


def test_the_title_and_summary_are_checked_too(people, trust_a, school_a):
    from django.core.exceptions import ValidationError

    _roll(school_a)
    ref = _strategy(school_a, PUBLISHED)
    with pytest.raises(ValidationError) as err:
        library_publish(
            acting_user=people["senco_a"],
            trust=trust_a,
            school=school_a,
            item_type_key="strategy",
            source_ref=ref,
            title="What works for Li",
            summary="Zoe's favourite",
            body=PUBLISHED,
        )
    assert set(err.value.message_dict) == {"title", "summary"}
    assert "“Li”" in err.value.message_dict["title"][0]
    assert "“Zoe's”" in err.value.message_dict["summary"][0]
    assert not LibraryItem.objects.exists()


def test_sharing_and_withdrawing_leave_audit_rows_in_the_school_and_the_trust(
    people, client_for, school_a
):
    ref = _strategy(school_a, PUBLISHED)
    client = client_for(people["senco_a"], school_a)
    assert (
        client.post(
            f"/trust-library/share/strategy/{ref}/",
            {"title": "Checking understanding", "summary": "", "body": PUBLISHED},
        ).status_code
        == 302
    )
    item = LibraryItem.objects.get()
    listing = client.get("/trust-library/").content.decode()
    assert "Checking understanding" in listing and "Withdraw" in listing
    assert client.post(f"/trust-library/{item.pk}/withdraw/").status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert "Withdrawn" in client.get("/trust-library/").content.decode()
    actions = set(TrustAuditEvent.objects.values_list("action", flat=True))
    assert {"library_published", "library_withdrawn"} <= actions
    with in_school(school_a):
        rows = list(AuditEvent.objects.filter(action__startswith="library_"))
    assert {r.action for r in rows} == {"library_published", "library_withdrawn"}
    assert all(r.user_id == people["senco_a"].pk and r.pupil_id is None for r in rows)


def test_another_schools_senco_cannot_withdraw(people, client_for, trust_a, school_a, school_b):
    ref = _strategy(school_a, PUBLISHED)
    item = library_publish(
        acting_user=people["senco_a"],
        trust=trust_a,
        school=school_a,
        item_type_key="strategy",
        source_ref=ref,
    )
    response = client_for(people["senco_b"], school_b).post(f"/trust-library/{item.pk}/withdraw/")
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        library_withdraw(acting_user=people["senco_b"], item=item)
    for who in ("teacher_a", "headteacher_a"):
        assert (
            client_for(people[who], school_a)
            .post(f"/trust-library/{item.pk}/withdraw/")
            .status_code
            == 403
        )
    item.refresh_from_db()
    assert item.withdrawn_at is None


# --- what trust staff can reach ------------------------------------------------------------


def _console_get_urls(item_id: int, school_id: int) -> list[str]:
    """Every page of the trust console that GET can open (apps.trust.urls), with the ids of
    this test's rows for the ones that take an id."""
    from apps.trust import urls

    out = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        route = route.replace("<int:item_id>", str(item_id))
        route = route.replace("<int:school_id>", str(school_id))
        route = route.replace("<int:arrangement_id>", "1").replace("<int:user_id>", "1")
        route = route.replace("<slug:metric>", "sen_support")
        out.append("/" + route)
    return out


def test_a_trust_admin_gets_no_unpublished_strategy_text_anywhere(
    people, client_for, api_for, trust_a, school_a
):
    ref = _strategy(school_a, UNPUBLISHED)
    published_ref = _strategy(school_a, PUBLISHED)
    item = library_publish(
        acting_user=people["senco_a"],
        trust=trust_a,
        school=school_a,
        item_type_key="strategy",
        source_ref=published_ref,
    )
    needle = "Ear defenders"
    for who in ("trust_trust_admin_a", "trust_viewer_a", "trust_send_lead_a"):
        client = client_for(people[who])
        for url in _console_get_urls(item.pk, school_a.pk):
            for query in ("", f"?q={needle}", f"?search={needle}", f"?source_ref={ref}"):
                response = client.get(url + query)
                assert needle not in response.content.decode(errors="replace"), (who, url)
        api = api_for(people[who])
        for url in (
            "/api/v1/trust/library/",
            f"/api/v1/trust/library/{item.pk}/",
            f"/api/v1/trust/library/{ref}/",
            "/api/v1/trust/schools/",
            "/api/v1/trust/metrics/",
            "/api/v1/trust/transfers/",
            "/api/v1/trust/shared-sencos/",
        ):
            for query in ("", f"?search={needle}", f"?q={needle}"):
                response = api.get(url + query)
                assert needle not in response.content.decode(errors="replace"), (who, url)
    # The published one is there: the crawl reached the library.
    assert PUBLISHED in client_for(people["trust_trust_admin_a"]).get("/library/").content.decode()
    # And the admin cannot open the school's side at all (no school access).
    assert client_for(people["trust_trust_admin_a"], school_a).get(
        "/trust-library/"
    ).status_code in (302, 403, 404)
