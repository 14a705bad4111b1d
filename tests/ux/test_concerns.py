"""Concern triage as the SENCo meets it."""

from __future__ import annotations

import re

from apps.pupils import services
from apps.pupils.models import Concern
from tests.pupils.factories import make_pupil
from tests.support import host_for, in_school


def test_added_to_the_register_preselects_sen_support(client_for, people, school_a):
    with in_school(school_a):
        pupil = make_pupil(first_name="Evelyn")
        concern = services.concern_raise(acting_user=None, pupil=pupil, what_seen="Reading")
    client = client_for(people["senco_a"], school_a)
    response = client.post(
        f"/concerns/{concern.pk}/",
        {"decision": "added_to_register", "note": "Phonics assessment shows a need"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/pupils/{pupil.pk}/register/?provision=K"
    form = client.get(response["Location"]).content.decode()
    assert re.search(r'value="K"[^>]*checked', form)


def test_register_change_ignores_an_unknown_provision_in_the_address(client_for, people, school_a):
    with in_school(school_a):
        pupil = make_pupil(first_name="Evelyn")
    form = client_for(people["senco_a"], school_a).get(f"/pupils/{pupil.pk}/register/?provision=S")
    assert re.search(r'value="N"[^>]*checked', form.content.decode())


def test_senco_raising_a_concern_is_not_told_the_senco_will_look(client_for, people, school_a):
    with in_school(school_a):
        pupil = make_pupil(first_name="Evelyn")
    client = client_for(people["senco_a"], school_a)
    response = client.post(
        f"/pupils/{pupil.pk}/concerns/new/", {"what_seen": "Not eating lunch"}, follow=True
    )
    html = response.content.decode()
    assert "The SENCo will look at it" not in html
    assert "in your list of concerns to triage" in html


def test_teacher_raising_a_concern_is_told_the_senco_will_look(client_for, people, school_a):
    from tests.pupils.factories import make_class

    with in_school(school_a):
        pupil = make_pupil(first_name="Evelyn")
        make_class("3T", staff=[people["teacher_a"]], pupils=[pupil])
    response = client_for(people["teacher_a"], school_a).post(
        f"/pupils/{pupil.pk}/concerns/new/", {"what_seen": "Not eating lunch"}, follow=True
    )
    assert "The SENCo will look at it" in response.content.decode()


def test_raise_page_back_link_returns_where_the_user_came_from(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    from_concerns = client.get(
        "/concerns/new/", HTTP_REFERER=f"http://{host_for(school_a)}/concerns/"
    ).content.decode()
    assert '<a href="/concerns/" class="govuk-back-link">' in from_concerns
    from_home = client.get("/concerns/new/", HTTP_REFERER=f"http://{host_for(school_a)}/").content
    assert b'<a href="/" class="govuk-back-link">' in from_home
    elsewhere = client.get("/concerns/new/", HTTP_REFERER="https://evil.example/x/").content
    assert b'<a href="/concerns/" class="govuk-back-link">' in elsewhere


def test_home_lists_as_many_open_concerns_as_it_counts(client_for, people, school_a):
    with in_school(school_a):
        for n in range(6):
            pupil = make_pupil(first_name=f"Pupil{n}", last_name="Listed")
            services.concern_raise(acting_user=None, pupil=pupil, what_seen="Tired")
    html = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert "Open concerns (6)" in html
    section = html[html.index('data-testid="home-concerns"') :]
    assert len(re.findall(r"Pupil\d Listed", section)) == 6


def test_home_says_when_only_the_oldest_concerns_are_listed(client_for, people, school_a):
    with in_school(school_a):
        for n in range(12):
            pupil = make_pupil(first_name=f"Pupil{n:02d}", last_name="Many")
            services.concern_raise(acting_user=None, pupil=pupil, what_seen="Tired")
        assert Concern.objects.count() == 12
    html = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert "Open concerns (12)" in html
    assert "The oldest 10 of 12 are listed" in html
