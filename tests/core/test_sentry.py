"""Sentry privacy: a real sentry-sdk client sending to a local capturing server."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk

from sencohub.observability import init_sentry, opaque_school_tag
from tests.support import signed_in_client

PUPIL = "Amelia Featherstonehaugh"
DOB = "2016-03-14"


class _Capture(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            # sentry-sdk compresses with Brotli whenever the brotli package is installed (it
            # comes with WeasyPrint's font handling).
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server(settings):
    _Capture.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SENTRY_DSN = f"http://publickey@127.0.0.1:{server.server_port}/1"
    init_sentry(dsn=settings.SENTRY_DSN, environment="test")
    try:
        yield _Capture.received
    finally:
        sentry_sdk.flush(timeout=5)
        sentry_sdk.init(dsn=None)  # switch the client off again
        server.shutdown()


def test_not_initialised_without_a_dsn():
    assert init_sentry(dsn="", environment="test") is False


def test_school_error_reaches_sentry_without_pupil_data(sentry_server, settings, people, school_a):
    settings.ROOT_URLCONF = "tests.core.api_probe_urls"
    client = signed_in_client(people["senco_a"], school_a)
    with pytest.raises(ValueError):
        client.post(
            f"/probe/fail/?name={PUPIL.replace(' ', '+')}&dob={DOB}",
            {"name": PUPIL, "dob": DOB},
            HTTP_X_PUPIL=PUPIL,
        )
    sentry_sdk.flush(timeout=5)
    assert sentry_server, "no event reached the capturing server"
    payload = b"\n".join(sentry_server).decode("utf-8", "replace")
    # Something real was sent: the exception type and the view's path…
    assert "ValueError" in payload and "/probe/fail/" in payload
    # …tagged with the opaque school tag…
    events = [
        json.loads(line)
        for body in sentry_server
        for line in body.splitlines()
        if line.startswith(b"{") and b'"event_id"' in line and b'"exception"' in line
    ]
    assert events, payload[:2000]
    assert events[0]["tags"]["school"] == opaque_school_tag("alpha", settings.SECRET_KEY)
    # …and nothing identifying: not the name in any form, the date of birth, the query string,
    # the school's name or subdomain, the session cookie or the user.
    for needle in (
        PUPIL,
        "Amelia",
        "Featherstonehaugh",
        DOB,
        "name=",
        "Alpha Primary",
        "alpha.localhost",
        "senco_a@example.test",
        settings.SESSION_COOKIE_NAME,
    ):
        assert needle not in payload, f"{needle!r} leaked into the Sentry payload"


def test_logged_errors_are_scrubbed_too(sentry_server):
    import logging

    logging.getLogger("apps.pupils").error("Pupil %s has a new diagnosis", PUPIL)
    sentry_sdk.flush(timeout=5)
    payload = b"\n".join(sentry_server).decode()
    assert sentry_server and "[scrubbed]" in payload
    assert "Featherstonehaugh" not in payload
