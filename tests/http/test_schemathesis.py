"""Schemathesis against the real server: the school host's schema with a SENCo's token and the
platform host's schema with a trust admin's token. No 5xx, every response conforms to the schema
(body, content type) and every status is documented. Bounded for CI time (SCHEMATHESIS_EXAMPLES
examples per operation, default 8); run a longer one by hand with, e.g.,
`SCHEMATHESIS_EXAMPLES=100 make test PYTEST_ARGS="tests/http/test_schemathesis.py"`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support import BIN, host_for

from .contract import SCHEMAS, schema

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


@pytest.mark.parametrize(
    ("where", "role"),
    [
        ("school host", "senco"),
        ("platform host", "trust_trust_admin"),
    ],
)
def test_schemathesis_finds_no_server_error_and_every_response_conforms(
    http_world, tmp_path, where, role
):
    if where == "school host":
        # Rows to reach, whatever ran before: a pupil with no need recorded, one on SEN support.
        from .helpers import make_pupil

        make_pupil(http_world, first_name="Fuzzed")
        make_pupil(http_world, first_name="Fuzzed", provision="K", primary_need="SLCN")
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(schema(SCHEMAS[where]), default=str))
    host = host_for(http_world.school if where == "school host" else None)
    port = http_world.server.port
    # A token of its own: the run must not revoke (DELETE /auth/token/) the shared ones.
    token = http_world.issue_token(role, name="schemathesis")
    command = [
        str(BIN / "st"),
        "run",
        str(document),
        "--url",
        f"http://127.0.0.1:{port}",
        "-H",
        f"Host: {host}:{port}",
        "-H",
        f"Authorization: Token {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        os.environ.get("SCHEMATHESIS_EXAMPLES", "8"),
        "--phases",
        "examples,coverage,fuzzing",
        "--seed",
        "20261127",
        "--generation-database",
        "none",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-color",
        "--exclude-method",
        "DELETE",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900)
    output = run.stdout + run.stderr
    # The whole report stays where it can be read after the run (pytest's tmp_path is pruned).
    log = Path(__file__).resolve().parents[2] / "test-results" / f"schemathesis-{where}.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(output)
    # The failures themselves, not the tail of the report (its hints about links crowd them out).
    failures = output[output.find("FAILURES") :] if "FAILURES" in output else output[-6000:]
    assert run.returncode == 0, f"(whole report: {log})\n" + failures[:12000]
