"""/healthz: any Host (load balancers probe by IP), PostgreSQL, Redis and a Celery worker, no
versions or names."""

from __future__ import annotations

import json

import pytest
from django.core.cache import caches
from django.test import Client

from tenants import health


@pytest.fixture(autouse=True)
def forget_worker_answer():
    caches["api"].delete(health.WORKER_CACHE_KEY)
    yield
    caches["api"].delete(health.WORKER_CACHE_KEY)


@pytest.mark.parametrize("host", ["10.0.3.7", "10.0.3.7:8000", "unknown.example", "localhost"])
def test_healthz_answers_for_any_host(db, host, monkeypatch):
    monkeypatch.setattr(health, "_worker", lambda: True)
    response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "worker": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


def test_healthz_reveals_no_versions_or_names(db, monkeypatch):
    monkeypatch.setattr(health, "_worker", lambda: True)
    body = Client(HTTP_HOST="10.0.0.1").get("/healthz").content.decode()
    for secret in ("PostgreSQL", "postgres", "redis", "celery", "sencohub", "test_", "version"):
        assert secret.lower() not in body.lower()


def test_a_missing_worker_is_reported_but_the_web_stays_in_service(db, monkeypatch):
    from sencohub.celery import app

    monkeypatch.setattr(app.control, "ping", lambda **kwargs: [])
    response = Client(HTTP_HOST="10.0.0.1").get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "ok", "worker": "unavailable"},
    }


def test_a_database_that_does_not_answer_is_503(db, monkeypatch):
    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "_database", broken)
    monkeypatch.setattr(health, "_worker", lambda: True)
    response = Client(HTTP_HOST="10.0.0.1").get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    assert "refused" not in response.content.decode()


@pytest.mark.celery
def test_a_running_worker_answers_the_ping(db, celery_worker):
    import time

    deadline = time.time() + 20
    while True:
        caches["api"].delete(health.WORKER_CACHE_KEY)
        body = Client(HTTP_HOST="10.0.0.1").get("/healthz").json()
        if body["checks"]["worker"] == "ok" or time.time() > deadline:
            break
        time.sleep(0.5)
    assert body == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "worker": "ok"}}
