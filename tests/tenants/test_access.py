"""One login across schools: sign-in on every host, the access gate, host-bound sessions, hops."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tenants.hop import make_hop_token
from tenants.services import school_archive, school_suspend
from tests.conftest import PASSWORD
from tests.support import host_for, sign_in_two_steps


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return sign_in_two_steps(client, email, password)


@pytest.mark.parametrize("where", ["platform", "school"])
def test_sign_in_page_on_every_host(where, school_a):
    host = host_for(school_a if where == "school" else None)
    # On a school's host the form shows once the platform host has said "not signed in there"
    # (tests/ux/test_continue_as.py follows that round trip).
    response = Client(HTTP_HOST=host).get("/accounts/sign-in/?checked=1")
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'type="email"' in response.content


def test_signed_out_visitor_is_sent_to_sign_in(school_a):
    response = Client(HTTP_HOST=host_for(school_a)).get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_member_signs_in_on_the_school_host(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    response = sign_in(client, "SENCO_A@example.test")  # email is case-insensitive
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert b"Alpha Primary" in home.content and b"SENCo" in home.content


def test_wrong_password_shows_an_error_and_does_not_sign_in(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    response = sign_in(client, "senco_a@example.test", "wrong")
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert client.get("/").status_code == 302


def test_non_member_gets_403_not_the_school(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    sign_in(client, "senco_b@example.test")
    response = client.get("/")
    assert response.status_code == 403
    assert b"You do not have access to Alpha Primary" in response.content


def test_outsider_gets_403(client_for, people, school_a):
    assert client_for(people["outsider"], school_a).get("/").status_code == 403


def test_session_cannot_act_in_another_school(people, school_a, school_b):
    """A session made on school B's host, replayed against school A, is ignored: signed out."""
    client = Client(HTTP_HOST=host_for(school_b))
    sign_in(client, "senco_b@example.test")
    assert client.get("/").status_code == 200
    # Even for a member of both hosts a replayed cookie is worthless: the session is bound to B.
    replay = client.get("/", HTTP_HOST=host_for(school_a))
    assert replay.status_code == 302 and "/accounts/sign-in/" in replay["Location"]
    post = client.post("/switch/", {"to": "alpha"}, HTTP_HOST=host_for(school_a))
    assert post.status_code in (302, 403) and "/auth/hop/" not in post.get("Location", "")


def test_session_from_platform_is_not_valid_on_a_school(people, school_a):
    client = Client(HTTP_HOST=host_for(None))
    sign_in(client, "senco_a@example.test")
    response = client.get("/", HTTP_HOST=host_for(school_a))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_trust_send_lead_is_admitted_to_own_trusts_schools_only(
    client_for, people, school_a, school_b
):
    lead = people["trust_send_lead_a"]
    response = client_for(lead, school_a).get("/")
    assert response.status_code == 200 and b"(trust)" in response.content
    assert client_for(lead, school_b).get("/").status_code == 403


@pytest.mark.parametrize("role", ["trust_trust_admin_a", "trust_finance_a", "trust_viewer_a"])
def test_other_trust_roles_do_not_open_school_pages(client_for, people, school_a, role):
    assert client_for(people[role], school_a).get("/").status_code == 403


def test_archived_school_is_closed_to_staff(client_for, people, school_a):
    school_archive(acting_user=None, school=school_a)
    response = client_for(people["senco_a"], school_a).get("/")
    assert response.status_code == 403 and b"archived" in response.content


def test_suspended_school_is_read_only(client_for, people, school_a):
    school_suspend(acting_user=None, school=school_a)
    client = client_for(people["senco_a"], school_a)
    page = client.get("/")
    assert page.status_code == 200 and b"read-only" in page.content
    assert client.post("/switch/", {"to": "trust"}).status_code == 403


def test_unknown_school_host_is_404(db):
    response = Client(HTTP_HOST="nowhere.localhost").get("/")
    assert response.status_code == 404 and "We can't find that school" in response.content.decode()
    assert 'href="https://localhost/"' in response.content.decode()


def test_switcher_lists_only_the_users_schools(client_for, people, school_a, school_b, trust_a):
    from tenants.services import school_membership_set

    user = people["teacher_a"]
    school_membership_set(acting_user=None, user=user, school=school_b, role="teacher")
    page = client_for(user, school_a).get("/").content.decode()
    assert "Beta Primary" in page
    other = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert "Beta Primary" not in other


def test_hop_moves_a_member_between_schools_once(client_for, people, school_a, school_b):
    from tenants.services import school_membership_set

    user = people["teacher_a"]
    school_membership_set(acting_user=None, user=user, school=school_b, role="teacher")
    client = client_for(user, school_a)
    response = client.post("/switch/", {"to": "beta"})
    assert response.status_code == 302
    target = response["Location"]
    assert re.match(r"^https?://beta\.localhost(:\d+)?/auth/hop/", target) and "?" not in target
    path = re.sub(r"^https?://[^/]+", "", target)
    landed = client.get(path, HTTP_HOST=host_for(school_b))
    assert landed.status_code == 302 and landed["Location"] == "/"
    assert client.get("/", HTTP_HOST=host_for(school_b)).status_code == 200
    # The link is single-use: a second use (by anyone) gets the sign-in page.
    fresh = Client(HTTP_HOST=host_for(school_b))
    reused = fresh.get(path)
    assert reused.status_code == 302 and "sign-in" in reused["Location"]
    assert fresh.get("/").status_code == 302


def test_switching_to_a_school_you_do_not_belong_to_is_404(client_for, people, school_a):
    response = client_for(people["senco_a"], school_a).post("/switch/", {"to": "beta"})
    assert response.status_code == 404


def test_hop_token_for_another_host_is_refused(people, school_a, school_b):
    token = make_hop_token(user_id=people["senco_a"].pk, target_host=host_for(school_a))
    client = Client(HTTP_HOST=host_for(school_b))
    response = client.get(f"/auth/hop/{token}/")
    assert "sign-in" in response["Location"]
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_session(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_email_and_new_password(people, school_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client(HTTP_HOST=host_for(school_a))
    response = client.post(
        "/accounts/password-reset/", {"email": "teaching_assistant_a@example.test"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"https?://alpha\.localhost[^\s]*/accounts/reset/[^\s]+", body)
    assert link, body
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302
    fresh = Client(HTTP_HOST=host_for(school_a))
    sign_in(fresh, "teaching_assistant_a@example.test", "a-new-long-passphrase")
    assert fresh.get("/").status_code == 200


def test_password_reset_for_unknown_email_reveals_nothing(school_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = Client(HTTP_HOST=host_for(school_a)).post(
        "/accounts/password-reset/", {"email": "nobody@example.test"}
    )
    assert response.status_code == 302 and len(mail.outbox) == 0


@pytest.mark.parametrize(
    ("landing", "expected"),
    [
        ("/pupils/", "/pupils/"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/pupils/?name=x", "/"),
    ],
)
def test_hop_lands_only_on_a_local_path(people, school_a, landing, expected):
    token = make_hop_token(
        user_id=people["senco_a"].pk, target_host=host_for(school_a), landing=landing
    )
    response = Client(HTTP_HOST=host_for(school_a)).get(f"/auth/hop/{token}/")
    assert response.status_code == 302 and response["Location"] == expected
