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
from django_tenants.utils import tenant_context
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def host_for(school=None) -> str:
    from tenants.hosts import school_host

    return school_host(school.slug) if school is not None else settings.PLATFORM_DOMAIN


def signed_in_client(user, school=None, *, api: bool = False) -> Client:
    """A client whose session was created on the given host (school, or platform when None)."""
    host = host_for(school)
    client = (APIClient if api else Client)(HTTP_HOST=host)
    if user is not None:
        client.force_login(user, backend="tenants.auth.EmailBackend")
        session = client.session
        session["bound_host"] = host
        session.save()
    return client


def token_client(user, school=None) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient(HTTP_HOST=host_for(school))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@contextlib.contextmanager
def in_school(school):
    with tenant_context(school):
        yield
    connection.set_schema_to_public()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url() -> str:
    d = connection.settings_dict
    host = quote(d.get("HOST") or "", safe="")
    return f"postgres://{d.get('USER') or 'postgres'}@{host}/{d['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        SENCOHUB_TESTING="1",
        DJANGO_SETTINGS_MODULE="sencohub.settings",
        DB_CONN_MAX_AGE="0",
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
