"""Item 3 of #11, the address half: 20 failed sign-ins from one network address pause signing in
from it for everyone behind it (a whole school behind one NAT address). The person is told
plainly, until when and for how long; the admin of a trust whose hosts or people the attempts
concerned sees the address and can lift the pause (audited, a security event); nobody else can,
and another trust's admin does not even see it. Every refusal changes nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.security.models import SecurityEvent
from apps.trust.models import TrustAuditEvent
from tenants import lockout
from tests.conftest import PASSWORD
from tests.support import host_for, signed_in_client

NAT = "203.0.113.50"
LIFT = "/security/trust/addresses/lift/"


def _sign_in(client: Client, email: str, password: str):
    return client.post("/accounts/sign-in/", {"username": email, "password": password})


def _guess_from_the_nat(host: str, emails: list[str] | None = None) -> None:
    client = Client(HTTP_HOST=host, REMOTE_ADDR=NAT)
    for n in range(20):
        email = emails[n % len(emails)] if emails else f"someone-{n}@example.test"
        _sign_in(client, email, f"wrong-{n}")


def _page(client: Client) -> str:
    return client.get("/security/trust/").content.decode()


def _nothing_lifted() -> bool:
    return (
        lockout.address_lock(NAT) is not None
        and not SecurityEvent.objects.filter(kind="address_lockout_lifted").exists()
        and not TrustAuditEvent.objects.filter(action="address_lockout_lifted").exists()
    )


def test_the_person_behind_a_locked_address_is_told_until_when_and_why(people, school_a):
    _guess_from_the_nat(host_for(school_a))
    teacher = Client(HTTP_HOST=host_for(school_a), REMOTE_ADDR=NAT)
    text = _sign_in(teacher, people["teacher_a"].email, PASSWORD).content.decode()
    assert "have come from your network" in text
    assert re.search(r"paused for everyone on it until \d\d:\d\d \(about 1[0-5] minutes\)", text)
    assert "trust&#x27;s admin can lift" in text or "trust's admin can lift" in text
    assert teacher.get("/").status_code == 302
    # The token endpoint says the same, with Retry-After.
    token = Client(HTTP_HOST=host_for(school_a), REMOTE_ADDR=NAT).post(
        "/api/v1/auth/token/",
        {"email": people["teacher_a"].email, "password": PASSWORD},
        content_type="application/json",
    )
    assert token.status_code == 429 and "from your network" in token.json()["detail"]


def test_the_trust_admin_sees_the_address_and_lifts_it(people, school_a, trust_a):
    _guess_from_the_nat(host_for(school_a))
    admin = signed_in_client(people["trust_trust_admin_a"])
    page = _page(admin)
    assert NAT in page and "Let this address sign in now" in page
    event = SecurityEvent.objects.get(kind="address_locked_out")
    assert event.trust == trust_a and event.address == NAT and event.user is None

    response = admin.post(LIFT, {"address": NAT}, follow=True)
    assert f"Everyone at {NAT} can sign in again now" in response.content.decode()
    assert lockout.address_lock(NAT) is None
    lifted = SecurityEvent.objects.get(kind="address_lockout_lifted")
    assert lifted.actor == people["trust_trust_admin_a"] and lifted.trust == trust_a
    assert lifted.address == NAT
    audit = TrustAuditEvent.objects.get(trust=trust_a, action="address_lockout_lifted")
    assert NAT in audit.summary and audit.actor == people["trust_trust_admin_a"]
    after = _page(admin)
    assert "No network address is paused" in after
    assert f"Lockout of an address lifted by a trust admin – {NAT}" in after
    # The school's staff sign in again.
    teacher = Client(HTTP_HOST=host_for(school_a), REMOTE_ADDR=NAT)
    _sign_in(teacher, people["teacher_a"].email, PASSWORD)
    assert teacher.get("/").status_code == 200


def test_a_double_submit_lifts_once(people, school_a):
    _guess_from_the_nat(host_for(school_a))
    admin = signed_in_client(people["trust_trust_admin_a"])
    admin.post(LIFT, {"address": NAT})
    second = admin.post(LIFT, {"address": NAT}, follow=True).content.decode()
    assert "not paused for sign-ins to your trust" in second
    assert SecurityEvent.objects.filter(kind="address_lockout_lifted").count() == 1
    assert TrustAuditEvent.objects.filter(action="address_lockout_lifted").count() == 1


def test_another_trusts_admin_neither_sees_nor_lifts_it(people, school_a):
    _guess_from_the_nat(host_for(school_a))
    other = signed_in_client(people["trust_admin_b"])
    assert NAT not in _page(other)
    response = other.post(LIFT, {"address": NAT}, follow=True).content.decode()
    # Answered as if there were no lock at all: the address's state is not revealed.
    assert "not paused for sign-ins to your trust" in response
    assert _nothing_lifted()


@pytest.mark.parametrize(
    ("who", "on_school"),
    [
        ("senco_a", True),
        ("senco_a", False),
        ("headteacher_a", True),
        ("trust_send_lead_a", False),
        ("trust_viewer_a", False),
        ("trust_finance_a", False),
        ("outsider", False),
    ],
)
def test_the_wrong_role_cannot_lift_it(people, school_a, who, on_school):
    _guess_from_the_nat(host_for(school_a))
    client = signed_in_client(people[who], school_a if on_school else None)
    response = client.post(LIFT, {"address": NAT})
    assert response.status_code in (403, 404)
    assert client.get("/security/trust/").status_code in (403, 404)
    assert _nothing_lifted()


def test_even_the_trust_admin_cannot_lift_it_from_a_school_host(people, school_a):
    # The trust console is on the platform host; a trust admin is not admitted to schools.
    _guess_from_the_nat(host_for(school_a))
    response = signed_in_client(people["trust_trust_admin_a"], school_a).post(
        LIFT, {"address": NAT}
    )
    assert response.status_code in (403, 404)
    assert _nothing_lifted()


@pytest.mark.parametrize("address", ["", "not-an-address", "203.0.113.51", "999.1.1.1"])
def test_an_address_that_is_not_locked_for_the_trust_is_refused(people, school_a, address):
    _guess_from_the_nat(host_for(school_a))
    admin = signed_in_client(people["trust_trust_admin_a"])
    response = admin.post(LIFT, {"address": address}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose a network address from the list" in text or "not paused" in text
    assert _nothing_lifted()


def test_a_lock_from_unknown_emails_on_the_platform_reaches_the_trust_when_its_staff_are_refused(
    people, trust_a
):
    """Guessing on the platform host with emails nobody has concerns no trust; once the
    school's own staff are turned away by it, their trust's admin sees it."""
    _guess_from_the_nat(host_for(None))
    admin_a = signed_in_client(people["trust_trust_admin_a"])
    admin_b = signed_in_client(people["trust_admin_b"])
    assert NAT not in _page(admin_a) and NAT not in _page(admin_b)
    refused = Client(HTTP_HOST=host_for(None), REMOTE_ADDR=NAT)
    _sign_in(refused, people["teacher_a"].email, PASSWORD)
    _sign_in(refused, people["teacher_a"].email, PASSWORD)  # told once, not twice
    assert SecurityEvent.objects.filter(kind="address_locked_out", trust=trust_a).count() == 1
    assert NAT in _page(admin_a)
    assert NAT not in _page(admin_b)
    admin_a.post(LIFT, {"address": NAT})
    assert lockout.address_lock(NAT) is None


def test_a_lock_from_guessing_a_trusts_people_is_that_trusts(people, trust_b):
    """On the platform host (no school), the attempts concern the trusts of the people whose
    emails were tried: one guess at trust B's SENCo among 19 unknown emails."""
    _guess_from_the_nat(
        host_for(None),
        emails=[people["senco_b"].email] + [f"other-{n}@example.test" for n in range(19)],
    )
    assert SecurityEvent.objects.filter(kind="address_locked_out", trust=trust_b).exists()
    assert NAT in _page(signed_in_client(people["trust_admin_b"]))
    assert NAT not in _page(signed_in_client(people["trust_trust_admin_a"]))
