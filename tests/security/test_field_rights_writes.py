"""Finding 6 on the write side: a role that may not SEE a field may not SET it through the API.

The API base classes (apps/core/api.py) refuse a create or update that names a field the record's
FieldRights hide from the caller: 403 naming the field, before anything is written. Today every
role that writes such a record also sees all its fields; the guard is what keeps it so when a
right changes. The tests change one right in the domain's access.py (the one place that decides)
and check the page and the API follow it, reads and writes alike."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.access import HEAD, SENCO, read
from apps.core.field_rights import FieldRights, refuse_hidden_fields
from tests.pupils.factories import make_pupil
from tests.support import in_school


@pytest.fixture
def contact(school_a):
    from apps.family.models import Contact

    with in_school(school_a):
        pupil = make_pupil(first_name="Imogen", last_name="Thwaite")
        return Contact.objects.create(
            pupil=pupil, name="Dana Thwaite", relationship="mother", phone="07700 900123"
        )


@pytest.fixture
def office_loses_contact_details(monkeypatch):
    """The family access table, changed as a school might decide: office staff keep writing
    contacts (names, relationships) but no longer see their phone, email and address."""
    from apps.family import access

    monkeypatch.setitem(access.RIGHTS.table, "see_contact_details", read(SENCO, HEAD))


def test_a_role_cannot_set_a_field_it_cannot_see(
    office_loses_contact_details, contact, people, school_a, api_for, client_for
):
    from apps.family.models import Contact

    office = api_for(people["office_a"], school_a)

    # Reading: the field is gone from the API as from the page.
    read_back = office.get(f"/api/v1/contacts/{contact.pk}/")
    assert read_back.status_code == 200
    assert "phone" not in read_back.json() and read_back.json()["name"] == "Dana Thwaite"
    page = client_for(people["office_a"], school_a).get(f"/family/pupils/{contact.pupil_id}/")
    assert page.status_code == 200 and "07700 900123" not in page.content.decode()

    # Updating it: refused, naming the field; nothing written.
    refused = office.patch(
        f"/api/v1/contacts/{contact.pk}/", {"phone": "01632 960001", "name": "D Thwaite"}
    )
    assert refused.status_code == 403
    assert "phone" in refused.json()["detail"]
    with in_school(school_a):
        unchanged = Contact.objects.get(pk=contact.pk)
    assert (unchanged.phone, unchanged.name) == ("07700 900123", "Dana Thwaite")

    # Creating with it: refused, nothing created.
    with in_school(school_a):
        before = Contact.objects.count()
    created = office.post(
        "/api/v1/contacts/",
        {
            "pupil": contact.pupil_id,
            "name": "Sam Thwaite",
            "relationship": "father",
            "email": "s@x",
        },
    )
    assert created.status_code == 403 and "email" in created.json()["detail"]
    with in_school(school_a):
        assert Contact.objects.count() == before

    # What the role may see, it may still set.
    allowed = office.patch(f"/api/v1/contacts/{contact.pk}/", {"name": "D Thwaite"})
    assert allowed.status_code == 200, allowed.content
    assert "phone" not in allowed.json()
    with in_school(school_a):
        assert Contact.objects.get(pk=contact.pk).name == "D Thwaite"

    # The SENCo, who sees the field, sets it.
    senco = api_for(people["senco_a"], school_a)
    set_by_senco = senco.patch(f"/api/v1/contacts/{contact.pk}/", {"phone": "01632 960001"})
    assert set_by_senco.status_code == 200 and set_by_senco.json()["phone"] == "01632 960001"


def test_with_the_right_unchanged_the_office_sets_contact_details(
    contact, people, school_a, api_for
):
    office = api_for(people["office_a"], school_a)
    response = office.patch(f"/api/v1/contacts/{contact.pk}/", {"phone": "01632 960002"})
    assert response.status_code == 200 and response.json()["phone"] == "01632 960002"


def test_the_refusal_names_every_hidden_field_and_ignores_visible_ones():
    from apps.family import access

    office_without = FieldRights(access.RIGHTS, {"phone": "see_meetings", "email": "see_meetings"})

    class Office:
        school_role = "office"
        trust_role = None
        via_trust = False

    from rest_framework.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied) as refused:
        refuse_hidden_fields(office_without, Office(), {"email": "", "phone": "", "name": "x"})
    assert "email, phone" in str(refused.value.detail)
    refuse_hidden_fields(office_without, Office(), {"name": "x"})  # nothing hidden named
    refuse_hidden_fields(office_without, Office(), ["phone"])  # not a JSON object: the
    # serializer reports it as a 400


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if view is not None:
                yield prefix + str(pattern.pattern), view


def test_every_api_view_with_field_rights_gets_the_write_guard():
    """The guard lives in the base classes: every view whose record has FieldRights inherits it,
    so none can take a field its caller cannot see."""
    from apps.core.api import SchoolAPIMixin

    with_rights = {
        route: view
        for route, view in _views(get_resolver("sencohub.urls_school").url_patterns)
        if getattr(getattr(view, "serializer_class", None), "field_rights", None) is not None
        or getattr(view, "field_rights_by_action", None)
    }
    assert len({v for v in with_rights.values()}) >= 4, sorted(with_rights)
    outside = sorted(r for r, v in with_rights.items() if not issubclass(v, SchoolAPIMixin))
    assert outside == []


def test_office_cannot_give_a_reason_for_a_register_change_it_cannot_read(
    people, school_a, api_for
):
    """Office staff may not see why a pupil's register entry changed (apps/pupils/access.py), so
    a register change naming a reason is refused for that field, and nothing is written."""
    from apps.pupils.models import SenHistory

    with in_school(school_a):
        pupil = make_pupil(first_name="Oona", last_name="Reyes")
        before = SenHistory.objects.filter(pupil=pupil).count()
    refused = api_for(people["office_a"], school_a).post(
        f"/api/v1/pupils/{pupil.pk}/sen-history/",
        {"sen_provision": "K", "primary_need": "SPLD", "reason": "Dyslexia screener"},
    )
    assert refused.status_code == 403 and "reason" in refused.json()["detail"]
    with in_school(school_a):
        assert SenHistory.objects.filter(pupil=pupil).count() == before
