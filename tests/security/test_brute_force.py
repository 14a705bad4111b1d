"""Finding 3: brute force against sign-in, the token endpoint and password reset."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD
from tests.support import host_for


def sign_in(client: Client, email: str, password: str, **extra):
    return client.post("/accounts/sign-in/", {"username": email, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_a_thousand_wrong_passwords_from_rotating_forwarded_for_then_the_right_one_fails(
    people, school_a
):
    email = people["teacher_a"].email
    client = Client(HTTP_HOST=host_for(school_a))
    for attempt in range(1000):
        response = sign_in(
            client, email, f"guess-{attempt}", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt % 250}"
        )
        assert response.status_code == 200
    response = sign_in(client, email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert not signed_in(client)
    text = response.content.decode()
    assert "Too many failed sign-in attempts" in text
    assert re.search(r"paused until \d\d:\d\d \(about 1[0-5] minutes\)", text), text


def test_the_account_lock_holds_on_every_host_and_the_token_endpoint(people, school_a):
    email = people["teacher_a"].email
    for _ in range(5):
        sign_in(Client(HTTP_HOST=host_for(school_a)), email, "wrong-password")
    platform = Client(HTTP_HOST=host_for(None))
    response = sign_in(platform, email, PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not signed_in(platform)
    token = Client(HTTP_HOST=host_for(school_a)).post(
        "/api/v1/auth/token/",
        {"email": email, "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.9",
    )
    assert token.status_code == 429
    assert "Too many failed sign-in attempts" in token.json()["detail"]
    assert "token" not in token.json()


def test_guessing_many_accounts_from_one_address_locks_the_address(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    for n in range(20):
        sign_in(client, f"someone-{n}@example.test", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = sign_in(client, people["teaching_assistant_a"].email, PASSWORD)
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert not signed_in(client)
    # Another address is not locked out by it.
    other = Client(HTTP_HOST=host_for(school_a), REMOTE_ADDR="198.51.100.20")
    sign_in(other, people["teaching_assistant_a"].email, PASSWORD)
    assert signed_in(other)


def test_forwarded_for_is_believed_only_from_a_configured_proxy(people, school_a, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client = Client(HTTP_HOST=host_for(school_a))
    for n in range(20):
        sign_in(client, f"someone-{n}@example.test", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5")
    # The proxy forwards for another client: that client is not locked out.
    sign_in(
        client, people["teaching_assistant_a"].email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6"
    )
    assert signed_in(client)
    # The guesser behind the proxy is.
    guesser = Client(HTTP_HOST=host_for(school_a))
    response = sign_in(
        guesser, people["teaching_assistant_a"].email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_a_right_password_before_the_limit_still_signs_in(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    for _ in range(4):
        sign_in(client, people["teaching_assistant_a"].email, "wrong-password")
    sign_in(client, people["teaching_assistant_a"].email, PASSWORD)
    assert signed_in(client)


def test_password_reset_requests_are_limited(people, school_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client(HTTP_HOST=host_for(school_a))
    for _ in range(5):
        response = client.post("/accounts/password-reset/", {"email": people["teacher_a"].email})
        assert response.status_code == 302
    assert len(mail.outbox) == 3  # no more than three emails an hour to one account
    for n in range(5):
        client.post("/accounts/password-reset/", {"email": f"nobody-{n}@example.test"})
    refused = client.post(
        "/accounts/password-reset/", {"email": people["teaching_assistant_a"].email}
    )
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_token_endpoint_throttle_ignores_forged_forwarded_for(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    statuses = [
        client.post(
            "/api/v1/auth/token/",
            {"email": f"x{i}@example.test", "password": "wrong"},
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(25)
    ]
    assert statuses[-1] == 429
