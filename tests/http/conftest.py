"""Real-HTTP contract tests: a real gunicorn (`web_server`), an ordinary HTTP client (httpx), real
tokens issued by `POST /api/v1/auth/token/`. No APIClient, no force_authenticate.

`http_world` (session-wide, committed): a trust of its own with one school, a person in every
school role and every trust role, all dropped at the end. `api(role)` is an httpx client on the
school's host holding that person's token; every request it sends is recorded, so a test marked
`@covers(...)` fails if it never reached a route it claims (see tests/http/contract.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD
from tests.support import give_mfa_device, in_school, otp_for

from .contract import route_of

SCHOOL_ROLES = ("senco", "headteacher", "teacher", "teaching_assistant", "office", "governor")
TRUST_ROLES = ("trust_admin", "send_lead", "finance", "viewer")


@dataclass
class World:
    server: Any
    blocker: Any
    trust: Any
    school: Any
    other_school: Any
    people: dict[str, Any]
    tokens: dict[str, str] = field(default_factory=dict)

    def url(self, path: str, school: Any = "school") -> str:
        """The address as a user would type it (school subdomain or platform host)."""
        target = self.school if school == "school" else school
        return self.server.url(target, path)

    def client_kwargs(self, school: Any = "school") -> dict[str, Any]:
        """httpx settings that reach the school's host: the connection goes to 127.0.0.1 (not every
        resolver knows *.localhost) and the Host header names the school, as a proxy would."""
        from tests.support import host_for

        target = self.school if school == "school" else school
        return {
            "base_url": f"http://127.0.0.1:{self.server.port}",
            "headers": {"Host": f"{host_for(target)}:{self.server.port}"},
            "timeout": 30,
        }

    def issue_token(self, role: str, name: str = "contract tests", **extra: Any) -> str:
        """A new token, issued over HTTP like any client would get one."""
        with httpx.Client(**self.client_kwargs(None)) as client:
            response = client.post(
                "/api/v1/auth/token/",
                json={
                    "email": self.people[role].email,
                    "password": PASSWORD,
                    "name": name,
                    "otp": otp_for(self.people[role].email),
                    **extra,
                },
            )
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def token(self, role: str) -> str:
        if role not in self.tokens:
            self.tokens[role] = self.issue_token(role)
        return self.tokens[role]

    def in_school(self, make: Callable[[], Any], school: Any = None) -> Any:
        """Run make() with committed database access inside the school's schema."""
        with self.blocker.unblock(), in_school(school or self.school):
            return make()

    def db(self, make: Callable[[], Any]) -> Any:
        """Run make() with committed database access in the public schema."""
        with self.blocker.unblock():
            return make()


@pytest.fixture(scope="session")
def http_world(web_server, harness, django_db_blocker):
    from django.conf import settings

    from apps.security import mfa
    from tenants.models import Trust, User
    from tenants.services import school_membership_set, school_provision, trust_membership_set

    with django_db_blocker.unblock():
        trust = Trust.objects.create(name="Contract Check Trust")
        school = school_provision(
            acting_user=None,
            trust=trust,
            name="Contract Primary",
            urn="100990",
            subdomain="contract",
            phase="primary",
            local_authority_name="Kirklees",
            local_authority_code="382",
            number_on_roll=200,
        )
        people = {}
        for role in SCHOOL_ROLES:
            people[role] = User.objects.create_user(
                email=f"http.{role}@example.test", password=PASSWORD, full_name=f"HTTP {role}"
            )
            school_membership_set(acting_user=None, user=people[role], school=school, role=role)
        for role in TRUST_ROLES:
            people[f"trust_{role}"] = User.objects.create_user(
                email=f"http.trust.{role}@example.test",
                password=PASSWORD,
                full_name=f"HTTP trust {role}",
            )
            trust_membership_set(
                acting_user=None, user=people[f"trust_{role}"], trust=trust, role=role
            )
        for user in people.values():
            if mfa.mfa_required(user):
                give_mfa_device(user)  # their role needs two-step sign-in
    world = World(
        server=web_server,
        blocker=django_db_blocker,
        trust=trust,
        school=school,
        other_school=harness["school_b"],
        people=people,
    )
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            from django.db import connection

            connection.set_schema_to_public()
            schema = school.schema_name
            school.delete(force_drop=True)
            User.objects.filter(pk__in=[u.pk for u in people.values()]).delete()
            trust.delete()
            shutil.rmtree(Path(settings.PRIVATE_FILES_ROOT) / schema, ignore_errors=True)


class RecordingClient(httpx.Client):
    """httpx.Client that remembers which schema routes it reached."""

    def __init__(self, reached: set[str], **kwargs: Any) -> None:
        super().__init__(
            event_hooks={"request": [lambda r: reached.add(route_of(r.method, r.url.path) or "")]},
            **kwargs,
        )


@pytest.fixture
def reached(request) -> set[str]:
    routes: set[str] = set()
    yield routes
    marker = request.node.get_closest_marker("covers")
    if marker is not None and not getattr(request.node, "rep_call_failed", True):
        missing = set(marker.args) - routes
        assert not missing, f"this test claims to cover {sorted(missing)} but never called them"


# item.rep_call_failed (did the test itself fail?) is set by tests/conftest.py's hook.


@pytest.fixture
def api(http_world, reached) -> Callable[..., httpx.Client]:
    """api(role) -> an httpx client on the school's host with that person's token.
    api(role, school=None) -> the platform host; api(token="...") -> a given token;
    api(None) -> no credentials at all."""
    clients: list[httpx.Client] = []

    def make(
        role: str | None = "senco", *, school: Any = "school", token: str | None = None
    ) -> httpx.Client:
        kwargs = http_world.client_kwargs(school)
        if token is None and role is not None:
            token = http_world.token(role)
        if token is not None:
            kwargs["headers"]["Authorization"] = f"Token {token}"
        client = RecordingClient(reached, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
