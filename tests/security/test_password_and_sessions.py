"""Item 12 of #11 (and item 3's account side): a password change (the account's own page), a
password reset and a trust admin's reset of a lost authenticator each end every other session of
the person on every host (school subdomains and the platform host), their outstanding hop links
and their API tokens. The page is not a password oracle: wrong current passwords count towards
the account lockout. Every refusal changes nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import mail
from django.test import Client

from apps.api_access.models import ApiToken
from apps.security.models import SecurityEvent
from apps.security.tasks import send_password_notice
from apps.trust.models import TrustAuditEvent
from tenants import lockout
from tenants.hop import make_hop_token
from tenants.models import User
from tenants.roles import SchoolRole
from tenants.services import school_membership_set
from tests.conftest import PASSWORD
from tests.support import give_mfa_device, host_for, signed_in_client, token_client

NEW = "a-long-new-passphrase-42"


def _teacher(school, email: str = "changer@example.test") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name="Chris Changer")
    school_membership_set(acting_user=None, user=user, school=school, role=SchoolRole.TEACHER)
    return user


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def _change(client: Client, old: str, new1: str = NEW, new2: str | None = None, **extra):
    return client.post(
        "/security/password/",
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
        **extra,
    )


def _hop_refused(token: str, host: str) -> bool:
    client = Client(HTTP_HOST=host)
    response = client.get(f"/auth/hop/{token}/")
    return "sign-in" in response["Location"] and not _signed_in(client)


def _api_answer(client) -> int:
    return client.get("/api/v1/pupils/").status_code


def test_every_page_links_to_the_password_change_page(people, school_a, client_for):
    for client in (client_for(people["teacher_a"], school_a), client_for(people["senco_b"])):
        home = client.get("/", follow=True).content.decode()
        assert 'href="/security/password/"' in home
    page = client_for(people["teacher_a"], school_a).get("/security/password/")
    body = page.content.decode()
    assert page.status_code == 200
    for label in ("Current password", "New password", "Type the new password again"):
        assert label in body
    assert 'autocomplete="current-password"' in body and 'autocomplete="new-password"' in body


def test_signed_out_visitors_are_sent_to_sign_in(school_a):
    response = Client(HTTP_HOST=host_for(school_a)).get("/security/password/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_password_change_keeps_this_session_and_ends_every_other_everywhere(
    school_a, settings, django_capture_on_commit_callbacks
):
    user = _teacher(school_a)
    here = signed_in_client(user, school_a)
    # The same person elsewhere: another browser on the school's host, one on the platform
    # host, an API script, and a hop link made a moment ago.
    other_school = signed_in_client(user, school_a)
    other_platform = signed_in_client(user)
    api = token_client(user, school_a)
    hop = make_hop_token(user_id=user.pk, target_host=host_for(school_a))
    assert _signed_in(other_school) and _signed_in(other_platform) and _api_answer(api) == 200
    copied_cookie = here.cookies["sencohub_session"].value

    with django_capture_on_commit_callbacks() as callbacks:
        response = _change(here, PASSWORD, REMOTE_ADDR="198.51.100.30")
    assert response.status_code == 302 and response["Location"] == "/security/"
    assert len(callbacks) == 1  # the notice email, queued after commit

    user.refresh_from_db()
    assert user.check_password(NEW)
    assert "Your password is changed" in here.get("/security/").content.decode()
    assert _signed_in(here)
    assert not _signed_in(other_school)
    assert not _signed_in(other_platform)
    assert _api_answer(api) == 401
    assert not ApiToken.objects.filter(user=user).exists()
    assert _hop_refused(hop, host_for(school_a))
    # The cookie this very browser had before the change is worth nothing either (new key).
    replay = Client(HTTP_HOST=host_for(school_a))
    replay.cookies["sencohub_session"] = copied_cookie
    assert not _signed_in(replay)
    event = SecurityEvent.objects.get(user=user, kind="password_changed")
    assert event.address == "198.51.100.30" and event.actor is None

    # The notice the worker sends (tests/e2e run it in the real worker): no pupil data.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_password_notice(event.pk) == "sent"
    assert [m.to for m in mail.outbox] == [[user.email]]
    body = mail.outbox[0].body
    assert "was changed on" in body and "If this was not you" in body
    assert "/accounts/password-reset/" in body


def test_a_wrong_current_password_counts_towards_the_lockout_and_changes_nothing(school_a):
    user = _teacher(school_a)
    client = signed_in_client(user, school_a)
    for _ in range(5):
        refused = _change(client, "not-my-password")
        assert refused.status_code == 400
        assert "Your current password is not right" in refused.content.decode()
    # Locked: even the right current password is refused now, and says until when.
    locked = _change(client, PASSWORD)
    assert locked.status_code == 400
    assert re.search(r"paused until \d\d:\d\d \(about \d+ minutes?\)", locked.content.decode())
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not SecurityEvent.objects.filter(user=user, kind="password_changed").exists()
    # The same lock as at sign-in: the account cannot sign in anywhere for now.
    assert lockout.account_lock(user.email) is not None
    assert SecurityEvent.objects.filter(user=user, kind="locked_out").count() == 1
    platform = Client(HTTP_HOST=host_for(None), REMOTE_ADDR="198.51.100.31")
    platform.post("/accounts/sign-in/", {"username": user.email, "password": PASSWORD})
    assert not _signed_in(platform)


@pytest.mark.parametrize(
    ("new1", "new2", "error"),
    [
        ("short1", "short1", "This password is too short"),
        ("password123", "password123", "This password is too common"),
        ("3141592653589", "3141592653589", "This password is entirely numeric"),
        ("Chris Changer1", "Chris Changer1", "too similar"),
        (NEW, NEW + "x", "The two new passwords are not the same"),
    ],
)
def test_the_new_password_must_meet_the_rules(school_a, new1, new2, error):
    user = _teacher(school_a)
    client = signed_in_client(user, school_a)
    other = signed_in_client(user)
    response = _change(client, PASSWORD, new1, new2)
    assert response.status_code == 400
    body = response.content.decode()
    assert error in body and "There is a problem" in body
    assert 'id="id_new_password2_error"' in body or 'id="id_new_password1_error"' in body
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert _signed_in(other)
    assert not SecurityEvent.objects.filter(user=user).exists()


def test_a_double_submit_changes_the_password_once(school_a):
    user = _teacher(school_a)
    client = signed_in_client(user, school_a)
    before = client.cookies["sencohub_session"].value
    assert _change(client, PASSWORD).status_code == 302
    # The browser sends the same form again with the cookie it had: that session is gone.
    again = Client(HTTP_HOST=host_for(school_a))
    again.cookies["sencohub_session"] = before
    response = _change(again, PASSWORD, "another-new-passphrase-7")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert SecurityEvent.objects.filter(user=user, kind="password_changed").count() == 1


def test_a_password_reset_ends_every_session_and_voids_hop_links(school_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = _teacher(school_a)
    on_school = signed_in_client(user, school_a)
    on_platform = signed_in_client(user)
    api = token_client(user, school_a)
    hop = make_hop_token(user_id=user.pk, target_host=host_for(None))
    # Someone else guessed at the account meanwhile: the reset lifts the account's lock too.
    for _ in range(5):
        lockout.sign_in_failed(email=user.email, address="203.0.113.77")

    resetting = Client(HTTP_HOST=host_for(school_a))
    resetting.post("/accounts/password-reset/", {"email": user.email})
    path = "/" + re.search(r"https?://[^/]+/(accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = resetting.get(path)["Location"]
    done = resetting.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    told = resetting.get(done["Location"]).content.decode()
    assert "Every browser that was signed in to your account has been signed out" in told

    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not _signed_in(on_school) and not _signed_in(on_platform)
    assert _api_answer(api) == 401
    assert _hop_refused(hop, host_for(None))
    assert not _signed_in(resetting)  # a reset does not sign anyone in
    event = SecurityEvent.objects.get(user=user, kind="password_reset")
    assert send_password_notice(event.pk) == "sent"
    assert "was reset with a link from a password reset email" in mail.outbox[-1].body
    assert lockout.account_lock(user.email) is None
    fresh = Client(HTTP_HOST=host_for(school_a), REMOTE_ADDR="198.51.100.32")
    fresh.post("/accounts/sign-in/", {"username": user.email, "password": NEW})
    assert _signed_in(fresh)


def test_a_reset_link_works_once(school_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = _teacher(school_a)
    client = Client(HTTP_HOST=host_for(school_a))
    client.post("/accounts/password-reset/", {"email": user.email})
    path = "/" + re.search(r"https?://[^/]+/(accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(path)["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    second = Client(HTTP_HOST=host_for(school_a))
    page = second.get(path, follow=True).content.decode()
    assert "This link has expired" in page
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert SecurityEvent.objects.filter(user=user, kind="password_reset").count() == 1


def _head_with_authenticator(school, email: str = "reset-head@example.test") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name="Rita Reset")
    school_membership_set(acting_user=None, user=user, school=school, role=SchoolRole.HEADTEACHER)
    give_mfa_device(user)
    return user


def test_a_two_step_reset_ends_every_session_of_the_person_and_their_api_tokens(
    people, school_a, trust_a
):
    user = _head_with_authenticator(school_a)
    on_school = signed_in_client(user, school_a)
    on_platform = signed_in_client(user)
    api = token_client(user, school_a)
    hop = make_hop_token(user_id=user.pk, target_host=host_for(school_a))
    someone_else = token_client(people["senco_a"], school_a)
    admin = signed_in_client(people["trust_trust_admin_a"])
    assert _signed_in(on_school) and _signed_in(on_platform) and _api_answer(api) == 200

    response = admin.post(f"/security/trust/people/{user.pk}/reset-two-step/")
    assert response.status_code == 302

    assert not _signed_in(on_school)
    assert not _signed_in(on_platform)
    assert _api_answer(api) == 401
    assert _hop_refused(hop, host_for(school_a))
    # Nobody else is touched: the admin's session, another person's token.
    assert _signed_in(admin)
    assert _api_answer(someone_else) == 200
    # The password still works: the person signs in and is asked to set up a new authenticator.
    again = Client(HTTP_HOST=host_for(school_a), REMOTE_ADDR="198.51.100.33")
    again.post("/accounts/sign-in/", {"username": user.email, "password": PASSWORD})
    next_page = again.get("/pupils/")
    assert next_page.status_code == 302 and "/accounts/two-step/set-up/" in next_page["Location"]
    audit = TrustAuditEvent.objects.get(trust=trust_a, action="two_step_reset")
    assert "signed out everywhere" in audit.summary


def test_a_refused_two_step_reset_ends_no_session(people, school_a):
    user = _head_with_authenticator(school_a)
    on_school = signed_in_client(user, school_a)
    api = token_client(user, school_a)
    for who in ("trust_admin_b", "senco_a", "trust_send_lead_a"):
        signed_in_client(people[who]).post(f"/security/trust/people/{user.pk}/reset-two-step/")
    user.refresh_from_db()
    assert user.sessions_epoch == 0
    assert _signed_in(on_school) and _api_answer(api) == 200


def test_the_session_hash_is_djangos_until_the_first_bump():
    """Sessions made before the epoch existed carry on after the deploy that added it."""
    user = User(email="hash@example.test", password="md5$salt$abc")
    assert user.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(user)
    user.sessions_epoch = 1
    assert user.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(user)


def test_session_limits_still_apply_after_a_password_change(school_a):
    from tests.security.test_headers_and_sessions import shift_session

    user = _teacher(school_a)
    client = signed_in_client(user, school_a)
    client.get("/")  # stamps the session's start
    assert _change(client, PASSWORD).status_code == 302
    assert _signed_in(client)
    shift_session(client, started_by=31 * 60, seen_by=31 * 60)
    assert not _signed_in(client)
