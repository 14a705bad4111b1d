"""Finding 8 (headers and caching) and item 12 (session lifetime)."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants import session_limits
from tests.conftest import PASSWORD
from tests.support import host_for, sign_in_two_steps


@pytest.mark.parametrize(
    ("role", "school", "path"),
    [
        ("senco_a", "school_a", "/"),
        ("senco_a", "school_a", "/pupils/"),
        ("senco_a", "school_a", "/api/v1/pupils/"),
        ("trust_trust_admin_a", None, "/"),
        # ?checked=1: the form itself (without it a school's sign-in page first asks the
        # platform host whether the browser is signed in there).
        (None, "school_a", "/accounts/sign-in/?checked=1"),
    ],
)
def test_every_page_and_api_answer_carries_the_security_headers(
    people, client_for, request, role, school, path
):
    school = request.getfixturevalue(school) if school else None
    client = client_for(people[role], school) if role else Client(HTTP_HOST=host_for(school))
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'nonce-" in script_src or path.startswith("/api/")
    assert "frame-ancestors 'none'" in csp


def test_inline_scripts_carry_this_responses_nonce(people, school_a, client_for):
    response = client_for(people["senco_a"], school_a).get("/pupils/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    inline = [chunk for chunk in html.split("<script")[1:] if "src=" not in chunk.split(">")[0]]
    assert inline, "the page has inline scripts"
    assert all(f'nonce="{nonce}"' in chunk.split(">")[0] for chunk in inline)


def test_htmx_and_chartjs_come_from_our_own_static_files(people, client_for):
    html = client_for(people["trust_send_lead_a"]).get("/").content.decode()
    assert "/static/htmx/htmx.min.js" in html
    assert "https://" not in "".join(c.split(">")[0] for c in html.split("<script")[1:])


def test_static_files_keep_their_cache_headers(client_for, people):
    response = Client(HTTP_HOST=host_for(None)).get("/static/htmx/htmx.min.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def sign_in(client: Client, email: str) -> None:
    sign_in_two_steps(client, email, PASSWORD)


def shift_session(client: Client, *, started_by: int, seen_by: int) -> None:
    session = client.session
    session[session_limits.STARTED] -= started_by
    session[session_limits.LAST_SEEN] -= seen_by
    session.save()


def test_a_session_ends_after_30_minutes_idle(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    sign_in(client, people["senco_a"].email)
    assert client.get("/").status_code == 200
    shift_session(client, started_by=29 * 60, seen_by=29 * 60)
    assert client.get("/").status_code == 200  # 29 minutes idle: still signed in
    shift_session(client, started_by=31 * 60, seen_by=31 * 60)
    response = client.get("/pupils/", follow=True)
    assert response.redirect_chain and "sign-in" in response.redirect_chain[0][0]
    assert "30 minutes without activity" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_busy_session_still_ends_after_12_hours(people, school_a):
    client = Client(HTTP_HOST=host_for(school_a))
    sign_in(client, people["senco_a"].email)
    shift_session(client, started_by=12 * 3600 + 60, seen_by=0)
    response = client.get("/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_idle_limit_is_a_setting(people, school_a, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 5 * 60
    client = Client(HTTP_HOST=host_for(school_a))
    sign_in(client, people["senco_a"].email)
    shift_session(client, started_by=6 * 60, seen_by=6 * 60)
    assert client.get("/").status_code == 302


def test_a_password_reset_ends_every_other_session(people, school_a, settings):
    from tenants.models import User

    other_device = Client(HTTP_HOST=host_for(school_a))
    sign_in(other_device, people["teacher_a"].email)
    assert other_device.get("/").status_code == 200
    user = User.objects.get(pk=people["teacher_a"].pk)
    user.set_password("a-brand-new-passphrase")
    user.save()
    assert other_device.get("/").status_code == 302
