"""Item 11 finished: the account's Security page is reachable by clicking; a lost authenticator
(sign in with a recovery code, then set up a new one; or a trust admin resets two-step sign-in
so the person sets it up again); lockouts recorded (no pupil data) and liftable by the trust's
admin. Every refusal changes nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.security import mfa
from apps.security.models import SecurityEvent
from apps.trust.models import TrustAuditEvent
from tenants import lockout
from tenants.models import User
from tenants.roles import SchoolRole
from tenants.services import school_membership_set
from tests.conftest import PASSWORD
from tests.support import give_mfa_device, host_for, mfa_code

WRONG = "not-the-password"


def _head(school, email: str = "lost-phone@example.test") -> tuple[User, list[str]]:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name="Hana Head")
    school_membership_set(acting_user=None, user=user, school=school, role=SchoolRole.HEADTEACHER)
    give_mfa_device(user)
    codes = mfa.recovery_codes_renew(acting_user=user)
    return user, codes


def _password(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/sign-in/", {"username": email, "password": password})


def test_every_page_links_to_the_security_page(people, school_a, client_for):
    home = client_for(people["teacher_a"], school_a).get("/").content.decode()
    assert 'href="/security/"' in home
    page = client_for(people["senco_a"], school_a).get("/security/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Two-step sign-in is <strong>on</strong>" in body
    assert "30 minutes" in body and "12 hours" in body and 'href="/account/api-access/"' in body
    # A trust admin reaches the trust's page from theirs (platform host).
    admin = client_for(people["trust_trust_admin_a"]).get("/security/").content.decode()
    assert 'href="/security/trust/"' in admin


def test_a_recovery_code_signs_in_once_and_offers_a_new_authenticator(school_a):
    user, codes = _head(school_a)
    client = Client(HTTP_HOST=host_for(school_a))
    _password(client, user.email)
    signed = client.post("/accounts/two-step/", {"code": codes[0], "next": "/pupils/"})
    assert signed.status_code == 302
    assert signed["Location"].startswith("/accounts/two-step/recovery-used/")
    offer = client.get(signed["Location"]).content.decode()
    assert "9 recovery codes left" in offer and "Set up a new authenticator app" in offer
    assert SecurityEvent.objects.filter(user=user, kind="recovery_code_used").count() == 1
    # Re-enrol: a new app replaces the old one; the old one's codes stop working.
    old = TOTPDevice.objects.get(user=user, confirmed=True)
    page = client.get("/accounts/two-step/set-up/?next=/pupils/").content.decode()
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7 ]+)<', page).group(1)
    done = client.post("/accounts/two-step/set-up/", {"code": mfa_code(key=secret)})
    assert len(re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())) == 10
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert SecurityEvent.objects.filter(user=user, kind="two_step_set_up").exists()
    # The used recovery code does not work a second time (the set was renewed anyway).
    again = Client(HTTP_HOST=host_for(school_a))
    _password(again, user.email)
    assert again.post("/accounts/two-step/", {"code": codes[0]}).status_code == 400


def test_a_new_authenticator_forgets_remembered_browsers(school_a):
    user, _ = _head(school_a)
    client = Client(HTTP_HOST=host_for(school_a))
    _password(client, user.email)
    client.post("/accounts/two-step/", {"code": mfa_code(user), "remember": "on"})
    client.post("/accounts/sign-out/")
    _password(client, user.email)
    assert client.get("/").status_code == 200  # remembered
    TOTPDevice.objects.filter(user=user).delete()
    give_mfa_device(user, key="3132333435363738393031323334353637383939")
    client.post("/accounts/sign-out/")
    _password(client, user.email)
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/two-step/" in response["Location"]


def test_a_trust_admin_resets_a_lost_authenticator_and_the_person_sets_up_again(
    people, school_a, trust_a, client_for
):
    user, _ = _head(school_a)
    admin = client_for(people["trust_trust_admin_a"])
    page = admin.get("/security/trust/").content.decode()
    assert "Hana Head" in page and "Reset two-step sign-in" in page
    response = admin.post(f"/security/trust/people/{user.pk}/reset-two-step/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    event = SecurityEvent.objects.get(kind="two_step_reset")
    assert event.user == user and event.actor == people["trust_trust_admin_a"]
    assert TrustAuditEvent.objects.filter(trust=trust_a, action="two_step_reset").exists()
    client = Client(HTTP_HOST=host_for(school_a))
    _password(client, user.email)
    next_page = client.get("/pupils/")
    assert next_page.status_code == 302 and "/accounts/two-step/set-up/" in next_page["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("trust_viewer_a", 404), ("trust_send_lead_a", 404), ("trust_admin_b", 404), ("senco_a", 404)],
)
def test_others_cannot_reset_or_lift(people, school_a, client_for, who, status):
    user, _ = _head(school_a)
    lockout.sign_in_failed(email=user.email, address="203.0.113.9")
    for _ in range(4):
        lockout.sign_in_failed(email=user.email, address="203.0.113.9")
    client = client_for(people[who])
    for action in ("reset-two-step", "lift-lockout"):
        assert client.post(f"/security/trust/people/{user.pk}/{action}/").status_code == status
    assert TOTPDevice.objects.filter(user=user).exists()
    assert lockout.account_lock(user.email) is not None
    assert not SecurityEvent.objects.filter(kind__in=["two_step_reset", "lockout_lifted"]).exists()


def test_an_admin_cannot_reset_their_own_or_someone_of_another_trust(
    people, school_a, school_b, client_for
):
    admin = people["trust_trust_admin_a"]
    client = client_for(admin)
    client.post(f"/security/trust/people/{admin.pk}/reset-two-step/")
    assert TOTPDevice.objects.filter(user=admin).exists()
    shared, _ = _head(school_a, "shared-head@example.test")
    school_membership_set(
        acting_user=None, user=shared, school=school_b, role=SchoolRole.HEADTEACHER
    )
    response = client.post(f"/security/trust/people/{shared.pk}/reset-two-step/", follow=True)
    assert "another trust" in response.content.decode()
    assert TOTPDevice.objects.filter(user=shared).exists()


def test_a_lockout_is_recorded_shown_to_the_trust_admin_and_lifted(
    people, school_a, trust_a, client_for
):
    user, _ = _head(school_a)
    client = Client(HTTP_HOST=host_for(school_a))
    for _ in range(5):
        _password(client, user.email, WRONG)
    refused = _password(client, user.email)
    assert "paused until" in refused.content.decode()
    event = SecurityEvent.objects.get(kind="locked_out")
    assert event.user == user and event.until is not None
    page = client_for(people["trust_trust_admin_a"]).get("/security/trust/").content.decode()
    assert "Nobody's sign-in is paused" not in page and "Let them sign in now" in page
    assert (
        client_for(people["trust_trust_admin_a"])
        .post(f"/security/trust/people/{user.pk}/lift-lockout/")
        .status_code
        == 302
    )
    assert lockout.account_lock(user.email) is None
    assert SecurityEvent.objects.filter(kind="lockout_lifted", user=user).exists()
    assert TrustAuditEvent.objects.filter(trust=trust_a, action="lockout_lifted").exists()
    # The person can sign in again (the address lock, at 20, was not reached).
    assert _password(Client(HTTP_HOST=host_for(school_a)), user.email).status_code == 302
