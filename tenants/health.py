"""/healthz for load balancers and operators: does PostgreSQL answer, does Redis, does a Celery
worker? Answered for any Host header (load balancers probe by IP), before routing, and without
versions, host names or queue names."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.http import HttpResponse

logger = logging.getLogger(__name__)

WORKER_CACHE_KEY = "healthz:worker"
WORKER_CACHE_SECONDS = 15  # a ping waits for a reply; probes every few seconds must not
WORKER_PING_TIMEOUT = 1.0


def _database() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return bool(cursor.fetchone() == (1,))


def _redis() -> bool:
    from django_redis import get_redis_connection

    return bool(get_redis_connection("default").ping())


def _worker() -> bool:
    from django.core.cache import caches

    cache = caches["api"]
    known = cache.get(WORKER_CACHE_KEY)
    if known is not None:
        return bool(known == "ok")
    from sencohub.celery import app

    replies = app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1)
    answered = bool(replies)
    cache.set(WORKER_CACHE_KEY, "ok" if answered else "down", WORKER_CACHE_SECONDS)
    return answered


def _check(name: str, probe: Callable[[], bool]) -> str:
    try:
        return "ok" if probe() else "unavailable"
    except Exception:  # a health check reports failures, it does not raise them
        logger.warning("healthz: %s check failed", name, exc_info=True)
        return "unavailable"


def health_response() -> HttpResponse:
    database = _check("database", _database)
    cache = _check("cache", _redis)
    worker = _check("worker", _worker) if cache == "ok" else "unavailable"
    serving = database == "ok" and cache == "ok"
    body = {
        # 503 only when this web process cannot serve: a missing worker delays background work
        # (emails, rollups) but pages still work, so it is reported, not fatal.
        "status": ("ok" if worker == "ok" else "degraded") if serving else "unavailable",
        "checks": {"database": database, "cache": cache, "worker": worker},
    }
    response = HttpResponse(
        json.dumps(body), content_type="application/json", status=200 if serving else 503
    )
    response["Cache-Control"] = "no-store"
    return response
