"""The trust console's dangerous buttons, one number on roll, and the shell's own pages
(favicon, 403/404/500, expired forms)."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import School
from tests.pupils.factories import make_pupil
from tests.support import host_for, in_school


@pytest.mark.parametrize(
    ("action", "says"),
    [
        ("suspend", "becomes read-only at once"),
        ("archive", "closes to its staff"),
    ],
)
def test_suspend_and_archive_ask_first_saying_what_happens(
    client_for, people, school_a, action, says
):
    client = client_for(people["trust_trust_admin_a"])
    ask = client.get(f"/schools/{school_a.pk}/status/", {"action": action})
    html = ask.content.decode()
    assert ask.status_code == 200 and says in html and school_a.name in html
    school_a.refresh_from_db()
    assert school_a.status == School.Status.ACTIVE  # asking changed nothing
    done = client.post(f"/schools/{school_a.pk}/status/", {"action": action})
    assert done.status_code == 302
    school_a.refresh_from_db()
    assert school_a.status == (
        School.Status.SUSPENDED if action == "suspend" else School.Status.ARCHIVED
    )


def test_schools_list_links_to_the_questions_not_straight_to_the_change(
    client_for, people, school_a
):
    html = client_for(people["trust_trust_admin_a"]).get("/schools/").content.decode()
    assert f"/schools/{school_a.pk}/status/?action=suspend" in html
    assert 'value="suspend"' not in html


def test_status_question_for_another_trusts_school_is_refused(client_for, people, school_b):
    response = client_for(people["trust_trust_admin_a"]).get(
        f"/schools/{school_b.pk}/status/", {"action": "suspend"}
    )
    assert response.status_code in (403, 404)


def test_only_trust_admins_get_the_question(client_for, people, school_a):
    response = client_for(people["trust_send_lead_a"]).get(
        f"/schools/{school_a.pk}/status/", {"action": "archive"}
    )
    assert response.status_code == 403


def test_home_number_on_roll_comes_from_the_records(client_for, people, school_a):
    with in_school(school_a):
        for n in range(3):
            make_pupil(first_name=f"Rolled{n}")
    html = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert 'data-testid="number-on-roll">3<' in html
    assert "of 3 pupils on roll" in html


def test_nightly_roll_sync_gives_billing_the_same_number(school_a):
    from apps.pupils.roll import school_roll_sync

    assert school_a.number_on_roll == 200
    with in_school(school_a):
        make_pupil(first_name="One")
        make_pupil(first_name="Two")
        assert school_roll_sync(school=school_a) == 2
    school_a.refresh_from_db()
    assert school_a.number_on_roll == 2


def test_roll_sync_keeps_the_onboarding_figure_until_there_are_records(school_a):
    from apps.pupils.roll import school_roll_sync

    with in_school(school_a):
        assert school_roll_sync(school=school_a) == 200


def test_roll_sync_refuses_another_schools_schema(school_a, school_b):
    from apps.pupils.roll import school_roll_sync

    with in_school(school_b), pytest.raises(RuntimeError):
        school_roll_sync(school=school_a)


@pytest.mark.parametrize("where", ["platform", "school"])
def test_pages_have_a_favicon(client_for, people, school_a, where):
    school = school_a if where == "school" else None
    user = people["senco_a"] if school else people["trust_trust_admin_a"]
    html = client_for(user, school).get("/").content.decode()
    assert 'rel="icon" href="/static/core/favicon.svg"' in html


def test_404_is_the_products_page(client_for, people, school_a):
    response = client_for(people["senco_a"], school_a).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content and b"hub-header" in response.content


def test_500_is_the_products_page_without_the_database():
    from apps.core.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"hub-header" in response.content and b"favicon.svg" in response.content


def test_a_form_without_a_valid_csrf_token_gets_the_products_page(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a), enforce_csrf_checks=True)
    response = client.post("/accounts/sign-in/", {"username": "x@example.test", "password": "x"})
    assert response.status_code == 403
    assert b"This form had expired" in response.content and b"hub-header" in response.content
