"""No second password between my schools: a school's sign-in page goes by the platform host,
which sends a one-time hop link back when the browser is signed in there ("Continue as <name>");
signing in on a school's host also signs the browser in on the platform host."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.test import Client

from tests.conftest import PASSWORD
from tests.support import host_for


def _split(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.path + (f"?{parts.query}" if parts.query else "")


def test_signed_out_sign_in_page_asks_the_platform_host_first(school_a):
    response = Client(HTTP_HOST=host_for(school_a)).get("/accounts/sign-in/", {"next": "/pupils/"})
    assert response.status_code == 302
    host, path = _split(response["Location"])
    assert host == host_for(None)
    assert path == f"/accounts/continue/{school_a.slug}/?next=%2Fpupils%2F"


def test_not_signed_in_on_the_platform_comes_back_to_the_form(school_a):
    response = Client(HTTP_HOST=host_for(None)).get(
        f"/accounts/continue/{school_a.slug}/", {"next": "/pupils/"}
    )
    host, path = _split(response["Location"])
    assert host == host_for(school_a)
    assert path == "/accounts/sign-in/?checked=1&next=%2Fpupils%2F"
    form = Client(HTTP_HOST=host).get(path)
    assert form.status_code == 200 and b'name="password"' in form.content


def test_signed_in_on_the_platform_continues_as_that_person(client_for, people, school_a):
    platform = client_for(people["senco_a"])
    response = platform.get(f"/accounts/continue/{school_a.slug}/", {"next": "/pupils/"})
    host, path = _split(response["Location"])
    assert host == host_for(school_a) and path.startswith("/accounts/continue-as/")
    browser = Client(HTTP_HOST=host)
    offer = browser.get(path)
    assert offer.status_code == 200
    assert b"Continue as Senco A" in offer.content
    assert b'name="password"' not in offer.content
    signed_in = browser.post(path)
    assert signed_in.status_code == 302 and signed_in["Location"] == "/pupils/"
    assert browser.get("/pupils/").status_code == 200
    # The link is spent: a second use (a copied link) gets the sign-in page.
    again = Client(HTTP_HOST=host).post(path)
    assert again.status_code == 302 and "/accounts/sign-in/" in again["Location"]


def test_looking_at_the_offer_does_not_sign_in(client_for, people, school_a):
    platform = client_for(people["senco_a"])
    _, path = _split(platform.get(f"/accounts/continue/{school_a.slug}/")["Location"])
    browser = Client(HTTP_HOST=host_for(school_a))
    browser.get(path)
    assert browser.get("/").status_code == 302  # still signed out until "Continue" is pressed


def test_a_non_member_signed_in_on_the_platform_gets_the_normal_form(client_for, people, school_a):
    response = client_for(people["senco_b"]).get(f"/accounts/continue/{school_a.slug}/")
    host, path = _split(response["Location"])
    assert host == host_for(school_a) and path.startswith("/accounts/sign-in/?checked=1")


def test_a_continue_link_for_one_school_is_worthless_on_another(client_for, people, school_a):
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    school_b = people["school_b"]
    school_membership_set(
        acting_user=None, user=people["senco_a"], school=school_b, role=SchoolRole.SENCO
    )
    _, path = _split(
        client_for(people["senco_a"]).get(f"/accounts/continue/{school_a.slug}/")["Location"]
    )
    replay = Client(HTTP_HOST=host_for(school_b))
    assert b"Continue as" not in replay.get(path, follow=False).content
    assert replay.post(path).status_code == 302
    assert replay.get("/").status_code == 302


def test_signing_in_on_a_school_also_signs_in_on_the_platform(people, school_a):
    """A teacher (no two-step sign-in needed): the password is enough for the pass-through."""
    school = Client(HTTP_HOST=host_for(school_a))
    response = school.post(
        "/accounts/sign-in/?checked=1",
        {"username": "teacher_a@example.test", "password": PASSWORD, "next": "/concerns/"},
    )
    host, path = _split(response["Location"])
    assert host == host_for(None) and path.startswith("/auth/hop/")
    assert school.get("/").status_code == 200  # signed in on the school already
    platform = Client(HTTP_HOST=host)
    back = platform.get(path)
    assert back.status_code == 302 and back["Location"] == f"/switch/{school_a.slug}/then/concerns/"
    hop = platform.get(back["Location"])
    host, path = _split(hop["Location"])
    assert host == host_for(school_a) and path.startswith("/auth/hop/")
    landed = school.get(path)
    assert landed.status_code == 302 and landed["Location"] == "/concerns/"
    # And now another school's sign-in page would find the platform session.
    assert platform.get("/").status_code == 200


def test_no_pass_through_before_the_second_step(people, school_a):
    """A SENCo's password alone issues no hop link: the two-step code comes first."""
    school = Client(HTTP_HOST=host_for(school_a))
    response = school.post(
        "/accounts/sign-in/?checked=1",
        {"username": "senco_a@example.test", "password": PASSWORD, "next": "/concerns/"},
    )
    assert response.status_code == 302 and response["Location"] == "/concerns/"
    assert "/accounts/two-step/" in school.get("/concerns/")["Location"]


def test_a_platform_session_owing_its_code_cannot_continue_anywhere(people, school_a):
    platform = Client(HTTP_HOST=host_for(None))
    platform.post(
        "/accounts/sign-in/", {"username": "senco_a@example.test", "password": PASSWORD}
    )  # password only: the second step is still owed
    response = platform.get(f"/accounts/continue/{school_a.slug}/")
    host, path = _split(response["Location"])
    assert host == host_for(school_a) and path.startswith("/accounts/sign-in/?checked=1")


def test_continuing_passes_the_second_step_on_the_school(client_for, people, school_a):
    platform = client_for(people["senco_a"])  # signed in there with the second step passed
    _, path = _split(platform.get(f"/accounts/continue/{school_a.slug}/")["Location"])
    browser = Client(HTTP_HOST=host_for(school_a))
    browser.post(path)
    assert browser.get("/pupils/").status_code == 200  # not sent to the two-step page


def test_after_the_second_step_on_a_school_the_platform_is_signed_in_too(people, school_a):
    """A SENCo signs in at her school's address first: password, then the code. Giving the code
    passes the browser through the platform host, so her other schools offer "Continue as"."""
    from tests.support import mfa_code

    school = Client(HTTP_HOST=host_for(school_a))
    school.post(
        "/accounts/sign-in/?checked=1",
        {"username": "senco_a@example.test", "password": PASSWORD, "next": "/concerns/"},
    )
    response = school.post(
        "/accounts/two-step/?next=/concerns/",
        {"code": mfa_code(people["senco_a"]), "next": "/concerns/"},
    )
    host, path = _split(response["Location"])
    assert host == host_for(None) and path.startswith("/auth/hop/")
    platform = Client(HTTP_HOST=host)
    back = platform.get(path)
    assert back.status_code == 302 and back["Location"] == f"/switch/{school_a.slug}/then/concerns/"
    assert platform.get("/").status_code == 200  # signed in on the platform, code passed
    # Another school's sign-in page now finds the platform session: "Continue as", no password.
    offer = platform.get(f"/accounts/continue/{school_a.slug}/")
    host, path = _split(offer["Location"])
    assert host == host_for(school_a) and path.startswith("/accounts/continue-as/")


def test_a_wrong_code_passes_nothing_through(people, school_a):
    school = Client(HTTP_HOST=host_for(school_a))
    school.post(
        "/accounts/sign-in/?checked=1",
        {"username": "senco_a@example.test", "password": PASSWORD, "next": "/concerns/"},
    )
    response = school.post("/accounts/two-step/", {"code": "000000", "next": "/concerns/"})
    assert response.status_code == 400
    platform = Client(HTTP_HOST=host_for(None))
    assert platform.get("/").status_code == 302  # not signed in there
