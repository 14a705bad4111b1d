"""`Idempotency-Key` on creates: a script that times out and sends its POST again must not
create the record twice.

The first request with a key claims it (per user and school); when it succeeds, its response is
kept for 24 hours and a retry with the same key and the same request gets that response again
(with `Idempotent-Replayed: true`) without running the view. The same key with a different
request is refused (422); a retry while the first is still running gets 409. Failures are not
kept, so a retry after an error runs again. The claim is made after authentication, CSRF and
permission checks, so a replay never skips them.

Kept in Redis (the "api" cache), never in the public schema: a stored response can hold pupil
data, so entries are per user and per school, expire after 24 hours and are never logged.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass

from django.core.cache import BaseCache, caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from rest_framework import exceptions

HEADER = "Idempotency-Key"
KEPT_FOR_SECONDS = 24 * 60 * 60
CLAIM_SECONDS = 5 * 60  # longer than any request may run (gunicorn times out first)


class Replay(Exception):  # noqa: N818 - not an error: carries the stored response
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


class KeyConflict(exceptions.APIException):
    status_code = 409
    default_detail = "A request with this Idempotency-Key is still being processed; retry shortly."


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = (
        "This Idempotency-Key was already used for a different request. "
        "Use a new key for each new record."
    )


def _cache() -> BaseCache:
    return caches["api"]


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    content_type = request.META.get("CONTENT_TYPE", "")
    digest.update(content_type.encode() + b"\n")
    if content_type.startswith("multipart/"):
        # Uploads can be far larger than the in-memory body limit: their size stands in.
        digest.update(request.META.get("CONTENT_LENGTH", "").encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


@dataclass
class Claim:
    cache_key: str
    fingerprint: str

    def finish(self, response: HttpResponseBase) -> None:
        if not 200 <= response.status_code < 300 or getattr(response, "streaming", False):
            _cache().delete(self.cache_key)  # not kept: a retry runs again
            return
        if hasattr(response, "render"):
            response.render()
        stored = {
            "fingerprint": self.fingerprint,
            "status": response.status_code,
            "content": bytes(getattr(response, "content", b"")),
            "headers": {
                k: v
                for k, v in response.items()
                if k.lower() in ("content-type", "location", "content-disposition")
            },
        }
        _cache().set(self.cache_key, pickle.dumps(stored), KEPT_FOR_SECONDS)


def begin(request: HttpRequest) -> Claim | None:
    """Called once the request is authenticated and allowed. Returns a claim to finish with the
    response, None when the request carries no key; raises Replay, KeyConflict or KeyReused."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: ["Use a unique string of 1 to 255 printable characters, such as a UUID."]}
        )
    schema = getattr(connection, "schema_name", "public")
    scope = hashlib.sha256(f"{schema}\n{key}".encode()).hexdigest()
    cache_key = f"idempotency:{request.user.pk}:{scope}"
    fingerprint = _fingerprint(request)
    if _cache().add(cache_key, b"pending", CLAIM_SECONDS):
        return Claim(cache_key, fingerprint)
    stored = _cache().get(cache_key)
    if stored is None or stored == b"pending":
        raise KeyConflict()
    stored = pickle.loads(stored)
    if stored["fingerprint"] != fingerprint:
        raise KeyReused()
    response = HttpResponse(stored["content"], status=stored["status"])
    for header, value in stored["headers"].items():
        response[header] = value
    response["Idempotent-Replayed"] = "true"
    raise Replay(response)
