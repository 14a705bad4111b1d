"""Every unsafe route of both OpenAPI schemas has a real-HTTP test (tests/http/contract.py)."""

from __future__ import annotations

from .contract import COVERAGE, PENDING, covers, load_all_http_tests, route_of, unsafe_routes


def test_every_unsafe_route_has_a_real_http_test():
    load_all_http_tests()
    routes = unsafe_routes()
    assert routes, "the schemas list no unsafe routes at all: the check itself is broken"
    missing = sorted(r for r in routes if r not in COVERAGE)
    assert not missing, (
        "These routes have no real-HTTP test. Add one in tests/http/test_<app>.py and mark it "
        "@covers(...) (see tests/http/contract.py):\n  " + "\n  ".join(missing)
    )


def test_no_route_waits_for_its_real_http_test():
    """PENDING was the waiting list while #9 was open; it stays empty. A new unsafe route lands
    with a real-HTTP test marked @covers, never with an entry here."""
    assert PENDING == {}, f"routes parked without a real-HTTP test: {sorted(PENDING)}"


def test_pending_and_covered_routes_still_exist():
    """A stale entry would hide a renamed route."""
    load_all_http_tests()
    routes = unsafe_routes()
    stale = sorted(r for r in [*COVERAGE, *PENDING] if r.split()[0] != "GET" and r not in routes)
    assert not stale, f"no longer in either schema: {stale}"
    done = sorted(r for r in PENDING if r in COVERAGE)
    assert not done, f"covered now, remove from PENDING: {done}"


def test_routes_are_matched_to_their_schema_templates():
    assert route_of("POST", "/api/v1/pupils/search/") == "POST /api/v1/pupils/search/"
    assert route_of("PATCH", "/api/v1/pupils/17/") == "PATCH /api/v1/pupils/{id}/"
    assert route_of("POST", "/api/v1/nowhere/") is None


def test_covers_refuses_what_is_not_a_route():
    import pytest

    with pytest.raises(ValueError):
        covers("/api/v1/pupils/")
    with pytest.raises(ValueError):
        covers("POST pupils")


def test_requests_and_httpx_sends_are_recorded_as_routes():
    """What checks @covers outside tests/http: both clients' requests are noted by route."""
    import httpx
    import requests
    from requests.adapters import BaseAdapter

    from .contract import recording_requests

    class Answer(BaseAdapter):
        def send(self, request, **kwargs):
            response = requests.Response()
            response.status_code, response.request = 204, request
            return response

        def close(self):
            pass

    with recording_requests() as reached:
        with requests.Session() as session:
            session.mount("http://", Answer())
            session.patch("http://school.test/api/v1/pupils/17/", json={})
        transport = httpx.MockTransport(lambda request: httpx.Response(204))
        with httpx.Client(transport=transport) as client:
            client.post("http://school.test/api/v1/pupils/search/", json={})
    assert reached == {"PATCH /api/v1/pupils/{id}/", "POST /api/v1/pupils/search/"}
