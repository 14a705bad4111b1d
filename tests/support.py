"""Helpers shared by fixtures: hosts, signed-in clients, real server and worker processes."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from infra.stripe_fake import DEFAULT_PRICE, DEFAULT_SECRET
from tenants.schemas import in_school_schema

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def host_for(school=None) -> str:
    from tenants.hosts import school_host

    return school_host(school.slug) if school is not None else settings.PLATFORM_DOMAIN


def signed_in_client(user, school=None, *, api: bool = False) -> Client:
    """A client whose session was created on the given host (school, or platform when None),
    with two-step sign-in passed."""
    from apps.security.mfa import mark_passed

    host = host_for(school)
    client = (APIClient if api else Client)(HTTP_HOST=host)
    if user is not None:
        client.force_login(user, backend="tenants.auth.EmailBackend")
        session = client.session
        session["bound_host"] = host
        mark_passed(session)
        session.save()
    return client


# --- two-step sign-in (apps.security.mfa) ----------------------------------------------------
# Harness users whose role needs two-step sign-in have an authenticator with this key (the
# RFC 6238 test key), so tests can compute the code.
MFA_TEST_KEY = "3132333435363738393031323334353637383930"


def give_mfa_device(user, key: str = MFA_TEST_KEY):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Test app", key=key, confirmed=True)


def mfa_code(user=None, *, key: str | None = None) -> str:
    """The current code of the user's authenticator (or of a base32/hex key). The device's
    record of the last code used is reset, so tests may sign in many times a minute."""
    import base64
    import binascii

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user is not None:
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-pk").first()
        TOTPDevice.objects.filter(pk=device.pk).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        raw = device.bin_key
    else:
        compact = "".join((key or "").split())
        try:
            raw = binascii.unhexlify(compact)
        except (binascii.Error, ValueError):
            raw = base64.b32decode(compact + "=" * (-len(compact) % 8))
    return f"{totp(raw):06d}"


def otp_for(email: str) -> str:
    """The current two-step code of a user who has an authenticator, else "" (for token
    requests). Works in tests with or without a database fixture."""
    import contextlib

    from apps.security import mfa
    from tenants.models import User
    from tests.conftest import _DB_BLOCKER

    with _DB_BLOCKER[0].unblock() if _DB_BLOCKER else contextlib.nullcontext():
        user = User.objects.filter(email__iexact=email).first()
        return mfa_code(user) if user is not None and mfa.has_mfa(user) else ""


def pass_second_step(client: Client, email: str, *, remember: bool = False):
    """After a password sign-in with `client`: pass the two-step check through its real form
    when this user has or needs an authenticator (setting one up first if needed). Returns the
    last response, or None when the user needs no second step."""
    from apps.security import mfa
    from tenants.models import User

    user = User.objects.get(email__iexact=email)
    if mfa.has_mfa(user):
        path = "/accounts/two-step/"
    elif mfa.mfa_required(user):
        path = "/accounts/two-step/set-up/"
        client.get(path)  # makes the device to set up
    else:
        return None
    data = {"code": mfa_code(user)}
    if remember:
        data["remember"] = "on"
    return client.post(path, data)


def sign_in_two_steps(client: Client, email: str, password: str, *, remember: bool = False):
    """Sign in through the real forms: the password, then the second step where needed.
    Returns the password form's response."""
    response = client.post("/accounts/sign-in/", {"username": email, "password": password})
    if response.status_code == 302:
        pass_second_step(client, email, remember=remember)
    return response


def token_client(user, school=None) -> APIClient:
    from apps.api_access.services import api_token_issue

    _, token = api_token_issue(user=user, name="tests")
    client = APIClient(HTTP_HOST=host_for(school))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@contextlib.contextmanager
def in_school(school):
    with in_school_schema(school):
        yield
    connection.set_schema_to_public()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The fake Stripe of the billing tests (infra/stripe_fake.py) listens on this port, chosen once
# per session. Child processes (the web server, the Celery worker) learn it from the environment
# they are started with (child_env); this process's own environment is never changed.
STRIPE_FAKE_PORT = free_port()
STRIPE_TEST_ENV = {
    "STRIPE_SECRET_KEY": "sk_test_sencohub_fake",
    "STRIPE_API_BASE": f"http://127.0.0.1:{STRIPE_FAKE_PORT}",
    "STRIPE_PRICE_ID": DEFAULT_PRICE,
    "STRIPE_WEBHOOK_SECRET": DEFAULT_SECRET,
    "BILLING_RETRY_BACKOFF_SECONDS": "1",
}


def test_database_url() -> str:
    d = connection.settings_dict
    host = quote(d.get("HOST") or "", safe="")
    return f"postgres://{d.get('USER') or 'postgres'}@{host}/{d['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(STRIPE_TEST_ENV)
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        SENCOHUB_TESTING="1",
        DJANGO_SETTINGS_MODULE="sencohub.settings",
        DB_CONN_MAX_AGE="0",
        # Servers under test (schemathesis above all) send far more than a client would; the
        # limits themselves are tested in-process (tests/core/test_api_contract.py).
        API_RATE_LIMIT="100000/min",
        API_TOKEN_REQUEST_RATE="100000/min",
    )
    env.update(extra)
    return env


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with {proc.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=0.5),
        ):
            return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


def start_web_server(port: int, log_path: Path, **env: str) -> subprocess.Popen:
    """A real gunicorn serving the test database (used by browser tests and benchmarks)."""
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "sencohub.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=child_env(PLATFORM_PORT=f":{port}", PLATFORM_SCHEME="http", **env),
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_port(port, proc)
    return proc


def start_worker(queue: str, log_path: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "sencohub",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "--pool",
            "solo",
            "-l",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=child_env(CELERY_QUEUE=queue, **env),
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_process(proc: subprocess.Popen) -> None:
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
