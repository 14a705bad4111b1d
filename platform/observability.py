"""Sentry, configured for data about children's health: nothing identifying may leave.

Rules (DESIGN.md, data protection):
- no request bodies, cookies, headers, query strings or local variables;
- exception messages are replaced by the exception type (messages often quote the data);
- no breadcrumbs (SQL breadcrumbs would carry query parameters);
- the school is an opaque tag (a keyed hash), never its name or subdomain.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SCRUBBED = "[scrubbed]"


def opaque_school_tag(schema_name: str, secret: str) -> str:
    return hmac.new(secret.encode(), schema_name.encode(), hashlib.sha256).hexdigest()[:16]


def _strip_query(url: str) -> str:
    parts = urlsplit(url)
    # Host names are school subdomains: keep only the path.
    return urlunsplit(("", "", parts.path, "", ""))


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {
            "method": request.get("method"),
            "url": _strip_query(request.get("url", "") or ""),
        }
    for exc in (event.get("exception") or {}).get("values", []) or []:
        exc["value"] = SCRUBBED
        for frame in (exc.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values", []) or []:
        for frame in (thread.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    if "logentry" in event:
        event["logentry"] = {"message": SCRUBBED}
    if "message" in event:
        event["message"] = SCRUBBED
    event.pop("breadcrumbs", None)
    event.pop("user", None)
    event.pop("extra", None)
    event.get("contexts", {}).pop("trace", {}).pop("data", None) if isinstance(
        event.get("contexts"), dict
    ) else None
    if event.get("transaction") and "?" in event["transaction"]:
        event["transaction"] = event["transaction"].split("?", 1)[0]
    return event


def _collection_options() -> dict[str, Any]:
    """Collect nothing about people or requests (newer SDKs: `data_collection`)."""
    import inspect

    from sentry_sdk.consts import ClientConstructor

    if "data_collection" in inspect.signature(ClientConstructor.__init__).parameters:
        off = {"mode": "off"}
        return {
            "data_collection": {
                "user_info": False,
                "cookies": off,
                "http_headers": {"request": off},
                "http_bodies": [],
                "url_query_params": off,
                "database_query_data": False,
                "queues": False,
                "stack_frame_variables": False,
                "frame_context_lines": 0,
            }
        }
    return {
        "send_default_pii": False,
        "include_local_variables": False,
        "max_request_body_size": "never",
    }


def init_sentry(*, dsn: str, environment: str, transport: Any = None) -> bool:
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    kwargs: dict[str, Any] = {}
    if transport is not None:
        kwargs["transport"] = transport
    kwargs.update(_collection_options())
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        max_breadcrumbs=0,
        include_source_context=False,
        traces_sample_rate=0.0,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        integrations=[
            DjangoIntegration(transaction_style="url", middleware_spans=False, signals_spans=False),
            CeleryIntegration(),
            # Log records become events only at ERROR, and their messages are scrubbed.
            LoggingIntegration(level=None, event_level="ERROR"),
        ],
        default_integrations=True,
        **kwargs,
    )
    return True
