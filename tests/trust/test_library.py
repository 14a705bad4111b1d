"""Shared practice library: publish catalogue content only, adopt in one step, usage counted in
each school and suppressed below 5."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.trust.library import (
    LibraryItemType,
    item_types,
    register_library_item_type,
    unregister_library_item_type,
)
from apps.trust.models import LibraryAdoption, LibraryItem, TrustAuditEvent
from apps.trust.rollups import refresh_school
from apps.trust.selectors import library_usage
from apps.trust.services import library_adopt, library_publish
from tests.support import in_school

from .conftest import make_pupil

STRATEGY = "Use a visual timetable and warn before changes"


def strategies(school, text: str, pupils: int) -> str:
    from apps.pupils.models import Strategy

    with in_school(school):
        made = [
            Strategy.objects.create(pupil=make_pupil(first="Zed"), text=text) for _ in range(pupils)
        ]
    return str(made[0].pk)


def test_item_types_are_pluggable():
    assert {"strategy", "guidance", "template"} <= set(item_types())
    register_library_item_type(LibraryItemType("intervention", "Intervention"))
    try:
        assert item_types()["intervention"].label == "Intervention"
    finally:
        unregister_library_item_type("intervention")


def test_publishing_a_strategy_copies_its_wording_only(people, trust_a, school_a):
    ref = strategies(school_a, STRATEGY, 2)
    item = library_publish(
        acting_user=people["senco_a"],
        trust=trust_a,
        school=school_a,
        item_type_key="strategy",
        source_ref=ref,
    )
    assert item.body == STRATEGY and item.source_school == school_a
    fields = {f.name for f in LibraryItem._meta.get_fields()}
    assert not {"pupil", "pupil_id", "upn"} & fields
    assert TrustAuditEvent.objects.filter(action="library_published", school=school_a).exists()


def test_a_strategy_naming_a_pupil_cannot_be_published(people, trust_a, school_a):
    with in_school(school_a):
        make_pupil(first="Jessamy", last="Quill")
    ref = strategies(school_a, "Jessamy needs a movement break every 20 minutes", 1)
    with pytest.raises(ValidationError) as err:
        library_publish(
            acting_user=None,
            trust=trust_a,
            school=school_a,
            item_type_key="strategy",
            source_ref=ref,
        )
    assert "mentions a pupil by name" in str(err.value)
    assert not LibraryItem.objects.exists()


def test_a_strategy_from_another_school_cannot_be_published_by_ref(
    people, trust_a, school_a, school_b
):
    ref = strategies(school_b, "Secret strategy from beta", 1)
    with pytest.raises(ValidationError):
        library_publish(
            acting_user=None,
            trust=trust_a,
            school=school_a,
            item_type_key="strategy",
            source_ref=str(int(ref) + 10_000),
        )
    with pytest.raises(ValidationError):
        library_publish(
            acting_user=None,
            trust=trust_a,
            school=school_b,
            item_type_key="guidance",
            title="x",
            body="y",
        )


def test_guidance_needs_a_title_and_content(trust_a, school_a):
    with pytest.raises(ValidationError) as err:
        library_publish(
            acting_user=None,
            trust=trust_a,
            school=school_a,
            item_type_key="guidance",
            title="",
            body="",
        )
    assert "title" in err.value.message_dict


def test_adopting_is_one_step_and_once_per_school(people, trust_a, school_a, sister_school):
    item = library_publish(
        acting_user=None,
        trust=trust_a,
        school=school_a,
        item_type_key="guidance",
        title="Calm corners",
        body="How to.",
    )
    adoption = library_adopt(
        acting_user=people["trust_send_lead_a"], item=item, school=sister_school
    )
    assert adoption.school == sister_school
    with pytest.raises(ValidationError):
        library_adopt(acting_user=None, item=item, school=sister_school)
    with pytest.raises(ValidationError):
        library_adopt(acting_user=None, item=item, school=school_a)  # it published it


def test_adopting_into_another_trusts_school_is_refused(trust_a, school_a, school_b):
    item = library_publish(
        acting_user=None,
        trust=trust_a,
        school=school_a,
        item_type_key="guidance",
        title="Calm corners",
        body="How to.",
    )
    with pytest.raises(ValidationError):
        library_adopt(acting_user=None, item=item, school=school_b)
    assert not LibraryAdoption.objects.exists()


def test_usage_is_counted_in_each_school_and_suppressed_below_5(
    people, trust_a, school_a, sister_school
):
    ref = strategies(school_a, STRATEGY, 6)
    item = library_publish(
        acting_user=None, trust=trust_a, school=school_a, item_type_key="strategy", source_ref=ref
    )
    library_adopt(acting_user=None, item=item, school=sister_school)
    strategies(
        sister_school, "use a visual timetable and  warn before changes", 2
    )  # same wording, other spacing/case
    for school in (school_a, sister_school):
        with in_school(school):
            refresh_school(school)
    usage = library_usage(item)
    by_school = {r["school"].pk: r["pupils"] for r in usage["schools"]}
    assert by_school == {school_a.pk: "6", sister_school.pk: "fewer than 5"}
    # 8 in all would give the small school's 2 away by subtraction.
    assert usage["pupils_total"].startswith("suppressed")
    strategies(sister_school, STRATEGY, 4)
    with in_school(sister_school):
        refresh_school(sister_school)
    usage = library_usage(item)
    assert {r["school"].pk: r["pupils"] for r in usage["schools"]} == {
        school_a.pk: "6",
        sister_school.pk: "6",
    }
    assert usage["pupils_total"] == "12"


def test_library_pages_share_and_adopt(people, client_for, trust_a, school_a, sister_school):
    """The school's SENCo shares a strategy on the school's host; trust leads adopt it in the
    console."""
    ref = strategies(school_a, STRATEGY, 1)
    senco = client_for(people["senco_a"], school_a)
    listing = senco.get("/trust-library/")
    assert listing.status_code == 200 and STRATEGY in listing.content.decode()
    done = senco.post(
        f"/trust-library/share/strategy/{ref}/",
        {"title": "Visual timetable", "summary": "", "body": STRATEGY},
    )
    assert done.status_code == 302
    item = LibraryItem.objects.get()
    assert item.published_by == people["senco_a"] and item.body == STRATEGY
    client = client_for(people["trust_send_lead_a"])
    page = client.get(f"/library/{item.pk}/").content.decode()
    assert "Alpha Secondary" in page  # can be adopted there
    assert (
        client.post(f"/library/{item.pk}/adopt/", {"school": str(sister_school.pk)}).status_code
        == 302
    )
    assert LibraryAdoption.objects.filter(item=item, school=sister_school).exists()
    viewer = client_for(people["trust_viewer_a"])
    assert viewer.get(f"/library/{item.pk}/").status_code == 200
    assert (
        viewer.post(f"/library/{item.pk}/adopt/", {"school": str(sister_school.pk)}).status_code
        == 403
    )


def test_another_trust_cannot_see_or_adopt_the_item(
    people, client_for, trust_a, school_a, school_b
):
    item = library_publish(
        acting_user=None,
        trust=trust_a,
        school=school_a,
        item_type_key="guidance",
        title="Calm corners",
        body="How to.",
    )
    client = client_for(people["trust_admin_b"])
    assert client.get(f"/library/{item.pk}/").status_code == 404
    assert "Calm corners" not in client.get("/library/").content.decode()
    assert (
        client.post(f"/library/{item.pk}/adopt/", {"school": str(school_b.pk)}).status_code == 404
    )


def test_the_adopting_schools_home_page_shows_the_item(
    people, client_for, trust_a, school_a, sister_school
):
    item = library_publish(
        acting_user=None,
        trust=trust_a,
        school=school_a,
        item_type_key="guidance",
        title="Calm corners",
        body="How to.",
    )
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    school_membership_set(
        acting_user=None, user=people["teacher_a"], school=sister_school, role=SchoolRole.TEACHER
    )
    home = client_for(people["teacher_a"], sister_school).get("/").content.decode()
    assert "Calm corners" not in home
    library_adopt(acting_user=None, item=item, school=sister_school)
    home = client_for(people["teacher_a"], sister_school).get("/").content.decode()
    assert "Calm corners" in home and "adopted from Alpha Primary" in home
