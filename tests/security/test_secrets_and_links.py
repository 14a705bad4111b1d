"""Finding 1 (default secret key, hop tokens) and finding 9 (reset links, email in production).

Production settings are exercised in a child process: settings are read once per process, and
refusing to start is the behaviour under test."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys

import pytest
from django.core import mail, signing
from django.test import Client

from tenants.hop import SALT, make_hop_token
from tests.support import ROOT, child_env, host_for

PRODUCTION_SECRET = secrets.token_urlsafe(64)


def production_env(**overrides: str) -> dict[str, str]:
    env = child_env(
        DEBUG="0",
        SECRET_KEY=PRODUCTION_SECRET,
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.test:587",
        PLATFORM_DOMAIN="sencohub.example",
    )
    # Set by the browser fixture for Playwright; never in a deployment.
    for key in ("SENCOHUB_TESTING", "EMAIL_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    "secret_key",
    [
        None,  # missing: the development default would be used
        "dev-only-insecure-key-change-me-in-production-0123456789",
        "short-key",
        "a" * 60,
    ],
    ids=["missing", "development-default", "short", "no-variety"],
)
def test_production_refuses_to_start_with_a_weak_secret_key(secret_key):
    result = manage("check", env=production_env(SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_an_email_server():
    result = manage("check", env=production_env(EMAIL_URL=None))
    assert result.returncode != 0
    assert "EMAIL_URL must be set" in result.stderr


def test_development_still_starts_with_the_default_key():
    result = manage("check", env=production_env(DEBUG="1", SECRET_KEY=None, EMAIL_URL=None))
    assert result.returncode == 0, result.stderr


def test_a_hop_token_forged_from_the_key_and_a_user_id_alone_is_refused(people, school_a):
    forged = signing.dumps(
        {"u": people["senco_a"].pk, "h": host_for(school_a), "n": "x"}, salt=SALT, compress=True
    )
    client = Client(HTTP_HOST=host_for(school_a))
    response = client.get(f"/auth/hop/{forged}/")
    assert "sign-in" in response["Location"]
    assert client.get("/").status_code == 302


def test_a_password_change_voids_outstanding_hop_links(people, school_a):
    from tenants.models import User

    user = User.objects.get(pk=people["senco_a"].pk)  # not the harness's shared instance
    token = make_hop_token(user_id=user.pk, target_host=host_for(school_a))
    user.set_password("a-completely-new-passphrase")
    user.save()
    client = Client(HTTP_HOST=host_for(school_a))
    response = client.get(f"/auth/hop/{token}/")
    assert "sign-in" in response["Location"]
    assert client.get("/").status_code == 302


def test_a_valid_hop_link_still_signs_in(people, school_a):
    token = make_hop_token(user_id=people["senco_a"].pk, target_host=host_for(school_a))
    client = Client(HTTP_HOST=host_for(school_a))
    assert client.get(f"/auth/hop/{token}/").status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("forged_host", ["alpha.localhost:31337", "alpha.localhost:8443"])
def test_reset_link_comes_from_configuration_not_the_host_header(
    people, school_a, settings, forged_host
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PLATFORM_SCHEME, settings.PLATFORM_PORT = "https", ""
    response = Client(HTTP_HOST=forged_host).post(
        "/accounts/password-reset/", {"email": "teaching_assistant_a@example.test"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    links = re.findall(r"\S+/accounts/reset/\S+", mail.outbox[0].body)
    assert links and all(link.startswith("https://alpha.localhost/") for link in links), links
    assert "31337" not in mail.outbox[0].body and "8443" not in mail.outbox[0].body


def test_reset_link_on_the_platform_host_points_at_the_platform(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PLATFORM_SCHEME, settings.PLATFORM_PORT = "https", ""
    Client(HTTP_HOST="localhost:31337").post(
        "/accounts/password-reset/", {"email": "trust_trust_admin_a@example.test"}
    )
    assert len(mail.outbox) == 1
    assert "https://localhost/accounts/reset/" in mail.outbox[0].body
