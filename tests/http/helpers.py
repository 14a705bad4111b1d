"""Small helpers for the real-HTTP tests."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.conftest import PASSWORD


def browser_session(
    world: Any, role: str, school: Any = "school", reached: set[str] | None = None
) -> httpx.Client:
    """An httpx client signed in through the real sign-in form (a cookie session, like a
    browser's), holding the CSRF cookie."""
    client = httpx.Client(**world.client_kwargs(school))
    form = client.get("/accounts/sign-in/?checked=1")  # the form itself, not the platform check
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    signed_in = client.post(
        "/accounts/sign-in/",
        data={
            "csrfmiddlewaretoken": csrf,
            "username": world.people[role].email,
            "password": PASSWORD,
        },
        headers={"Referer": world.url("/accounts/sign-in/", school)},
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    from tests.support import otp_for

    code = otp_for(world.people[role].email)
    if code:  # the second step of the sign-in, through its form
        client.get("/accounts/two-step/")
        second = client.post(
            "/accounts/two-step/",
            data={"code": code, "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")},
        )
        assert second.status_code == 302, second.text[:500]
    assert "sencohub_session" in client.cookies
    if reached is not None:
        from .contract import route_of

        client.event_hooks["request"] = [
            lambda r: reached.add(route_of(r.method, r.url.path) or "")
        ]
    return client


def make_pupil(world: Any, **details: Any) -> Any:
    from tests.pupils.factories import make_pupil as make

    return world.in_school(lambda: make(**details))
