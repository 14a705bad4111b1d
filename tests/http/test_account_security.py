"""#11 account security over real HTTP (a real gunicorn, httpx, cookie sessions signed in
through the real forms): the password change page and a trust admin's lifting of an address
lockout refuse a POST without the CSRF token and change nothing; with it, the same door works."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import PASSWORD

from .helpers import browser_session

NEW = "Tulip-Kettle-Orbit-93"


def _password_hash(world, role: str) -> str:
    from tenants.models import User

    return world.db(lambda: User.objects.get(pk=world.people[role].pk).password)


@pytest.mark.parametrize(("role", "school"), [("teacher", "school"), ("trust_trust_admin", None)])
def test_a_password_change_without_csrf_is_refused_and_changes_nothing(http_world, role, school):
    session = browser_session(http_world, role, school)
    before = _password_hash(http_world, role)
    form = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    refused = session.post("/security/password/", data=form)
    assert refused.status_code == 403
    assert _password_hash(http_world, role) == before
    assert session.get("/security/").status_code == 200  # still signed in, nothing happened
    # The same door with the CSRF token reaches the form (a wrong current password: refused by
    # the form, so the world's password stays as the other tests need it).
    with_csrf = session.post(
        "/security/password/",
        data={
            **form,
            "old_password": "not-my-password",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
    )
    assert with_csrf.status_code == 400
    assert "Your current password is not right" in with_csrf.text
    assert _password_hash(http_world, role) == before


def test_lifting_an_address_lockout_without_csrf_is_refused(http_world):
    from apps.security.models import SecurityEvent
    from tenants import lockout

    admin = browser_session(http_world, "trust_trust_admin", None)
    # 20 wrong passwords from this machine on the trust's school host, through the real form.
    guesser = httpx.Client(**http_world.client_kwargs())
    page = guesser.get("/accounts/sign-in/?checked=1")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    try:
        for n in range(20):
            guesser.post(
                "/accounts/sign-in/",
                data={
                    "csrfmiddlewaretoken": csrf,
                    "username": f"guess-{n}@example.test",
                    "password": "wrong",
                },
            )
        assert lockout.address_lock("127.0.0.1") is not None
        console = admin.get("/security/trust/").text
        assert "127.0.0.1" in console and "Let this address sign in now" in console

        refused = admin.post("/security/trust/addresses/lift/", data={"address": "127.0.0.1"})
        assert refused.status_code == 403
        assert lockout.address_lock("127.0.0.1") is not None
        lifted_kind = SecurityEvent.Kind.ADDRESS_LOCKOUT_LIFTED
        assert not http_world.db(
            lambda: SecurityEvent.objects.filter(kind=lifted_kind, trust=http_world.trust).exists()
        )

        lifted = admin.post(
            "/security/trust/addresses/lift/",
            data={"address": "127.0.0.1", "csrfmiddlewaretoken": admin.cookies["csrftoken"]},
        )
        assert lifted.status_code == 302
        assert lockout.address_lock("127.0.0.1") is None
        assert (
            http_world.db(
                lambda: SecurityEvent.objects.filter(
                    kind=lifted_kind, trust=http_world.trust
                ).count()
            )
            == 1
        )
    finally:
        lockout.address_unlock("127.0.0.1")
        guesser.close()
