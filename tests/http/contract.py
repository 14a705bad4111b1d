"""The contract check: every unsafe route (POST, PUT, PATCH, DELETE) in the OpenAPI schema of a
school host or of the platform host must be driven over real HTTP by at least one test here.

Adding an endpoint? Add a test in tests/http/test_<your app>.py that calls it through the `api`
fixture (a real server, an ordinary HTTP client, a real token) and decorate it:

    @covers("POST /api/v1/ehc-plans/", "POST /api/v1/ehc-plans/{id}/issue/")
    def test_senco_drafts_and_issues_a_plan(api, http_world): ...

`covers` is checked both ways: test_contract_coverage fails while a route has no covering test,
and a covering test fails if it never actually sent a request to a route it claims (here through
the `api` fixture's client; anywhere else every requests/httpx request the test sends is
recorded, see `recording_requests`). There is no waiting list: PENDING stays empty (a test
asserts it). A real-HTTP test that lives with its app instead (`tests/<app>/test_http*.py`)
counts too when marked @covers.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from unittest import mock
from urllib.parse import urlsplit

import pytest

UNSAFE = ("post", "put", "patch", "delete")

# route ("METHOD /path/{param}/") -> test names that drive it over real HTTP
COVERAGE: dict[str, list[str]] = {}

# Routes with no real-HTTP test yet: route -> who owns it and why. It is EMPTY and
# test_contract_coverage keeps it so: an unsafe route lands with its real-HTTP test, not here.
PENDING: dict[str, str] = {}


def covers(*routes: str) -> Callable:
    """Mark a test as driving these routes over real HTTP ("METHOD /api/v1/path/{param}/")."""
    for route in routes:
        method, _, path = route.partition(" ")
        if method.lower() not in (*UNSAFE, "get") or not path.startswith("/api/"):
            raise ValueError(f"covers() takes 'METHOD /api/...' routes, not {route!r}")

    def mark(test: Callable) -> Callable:
        for route in routes:
            COVERAGE.setdefault(route, []).append(f"{test.__module__}.{test.__name__}")
        return pytest.mark.covers(*routes)(test)

    return mark


def load_all_http_tests() -> None:
    """Import every test module of this package, and every `tests/<app>/test_http*.py`, so that
    every @covers has registered."""
    import tests
    import tests.http as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("test_"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    for app in pkgutil.iter_modules(tests.__path__):
        if not app.ispkg or app.name == "http":
            continue
        folder = [f"{tests.__path__[0]}/{app.name}"]
        for module in pkgutil.iter_modules(folder):
            if module.name.startswith("test_http"):
                importlib.import_module(f"tests.{app.name}.{module.name}")


@cache
def schema(urlconf: str) -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)


SCHEMAS = {"school host": "sencohub.urls_school", "platform host": "sencohub.urls_public"}


def unsafe_routes() -> dict[str, set[str]]:
    """route -> the hosts whose schema lists it."""
    routes: dict[str, set[str]] = {}
    for host, urlconf in SCHEMAS.items():
        for path, operations in schema(urlconf)["paths"].items():
            for method in operations:
                if method in UNSAFE:
                    routes.setdefault(f"{method.upper()} {path}", set()).add(host)
    return routes


@cache
def _matchers() -> list[tuple[re.Pattern, str]]:
    templates = set()
    for urlconf in SCHEMAS.values():
        templates.update(schema(urlconf)["paths"])
    # Literal paths first, so /pupils/search/ is not taken for /pupils/{id}/.
    ordered = sorted(templates, key=lambda t: (t.count("{"), -len(t)))
    return [
        (re.compile("^" + "[^/]+".join(map(re.escape, re.split(r"\{[^}]+\}", t))) + "$"), t)
        for t in ordered
    ]


def route_of(method: str, path: str) -> str | None:
    """The schema route a concrete request hits ("PATCH /api/v1/pupils/{id}/"), if any."""
    for pattern, template in _matchers():
        if pattern.match(path):
            return f"{method.upper()} {template}"
    return None


@contextmanager
def recording_requests() -> Iterator[set[str]]:
    """While it is open, every request sent by a requests or httpx client is noted as the schema
    route it hits (tests marked @covers outside tests/http are checked with it)."""
    import httpx
    import requests

    reached: set[str] = set()
    send_requests = requests.Session.send
    send_httpx = httpx.Client.send

    def via_requests(self, prepared, **kwargs):  # type: ignore[no-untyped-def]
        reached.add(route_of(prepared.method or "", urlsplit(prepared.url).path) or "")
        return send_requests(self, prepared, **kwargs)

    def via_httpx(self, request, **kwargs):  # type: ignore[no-untyped-def]
        reached.add(route_of(request.method, request.url.path) or "")
        return send_httpx(self, request, **kwargs)

    with (
        mock.patch.object(requests.Session, "send", via_requests),
        mock.patch.object(httpx.Client, "send", via_httpx),
    ):
        yield reached
