"""Issue #15 item 18: a school's own library page (what it adopted or shared) and each item's
page on the school's host; "Published by" names the publisher and their school. Isolation: an
item of another school not adopted here, another trust's item and a withdrawn item are all
"not found" by id."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.trust.models import LibraryAdoption, LibraryItem
from apps.trust.selectors import publisher_of


@pytest.fixture
def library(people, trust_a, trust_b, school_a, school_b):
    from tenants.services import school_provision

    juniors = school_provision(
        acting_user=None,
        trust=trust_a,
        name="Alpha Juniors",
        urn="100041",
        subdomain="alpha-jun-lib",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
    )

    def item(title: str, trust, school, **extra) -> LibraryItem:
        return LibraryItem.objects.create(
            trust=trust,
            item_type="strategy",
            title=title,
            body=f"{title}: the wording.",
            source_school=school,
            published_by=people["senco_b"] if trust == trust_b else people["senco_a"],
            **extra,
        )

    adopted = item("Visual timetable", trust_a, juniors)
    LibraryAdoption.objects.create(item=adopted, school=school_a, adopted_by=people["senco_a"])
    return {
        "adopted": adopted,
        "own": item("Movement breaks", trust_a, school_a),
        "not_adopted": item("Reading ruler", trust_a, juniors),
        "withdrawn": item("Old guidance", trust_a, school_a, withdrawn_at=timezone.now()),
        "other_trust": item("Beta's secret", trust_b, school_b),
    }


def test_published_by_names_the_publisher_and_their_school(library):
    assert publisher_of(library["adopted"]) == "Senco A, Alpha Juniors"
    assert publisher_of(library["other_trust"]) == "Senco B, Beta Primary"


def test_the_school_library_lists_what_the_school_uses_and_opens_each(
    client_for, people, school_a, library
):
    teacher = client_for(people["teacher_a"], school_a)
    page = teacher.get("/library/").content.decode()
    assert "Visual timetable" in page and "Movement breaks" in page
    assert "Senco A, Alpha Juniors" in page
    for absent in ("Reading ruler", "Old guidance", "Beta&#x27;s secret", "Beta's secret"):
        assert absent not in page
    item = teacher.get(f"/library/{library['adopted'].pk}/")
    assert item.status_code == 200
    text = item.content.decode()
    assert "Visual timetable: the wording." in text
    assert "by Senco A, Alpha Juniors." in text
    assert "Adopted by Alpha Primary on" in text


@pytest.mark.parametrize("key", ["not_adopted", "withdrawn", "other_trust"])
def test_an_item_the_school_does_not_use_is_not_found(client_for, people, school_a, library, key):
    senco = client_for(people["senco_a"], school_a)
    response = senco.get(f"/library/{library[key].pk}/")
    assert response.status_code == 404
    assert library[key].title not in response.content.decode()


def test_the_home_page_library_panel_opens_the_item(client_for, people, school_a, library):
    page = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert f'href="/library/{library["adopted"].pk}/"' in page
    assert 'href="/library/"' in page
