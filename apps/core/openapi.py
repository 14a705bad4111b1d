"""What the OpenAPI schemas say about every operation, added in one place (a drf-spectacular
postprocessing hook) rather than on each view: the error body, and every status the base classes
and the gate can answer (401, 403, 404, 400, 409/422 for Idempotency-Key, 429, 304)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}

IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": (
        "Send a unique key (a UUID) with a create: a retry with the same key and body answers "
        "the first response again and creates nothing. Kept 24 hours per user."
    ),
}


class GateAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.api_access.authentication.GateAuthentication"
    name = ["tokenAuth", "cookieAuth"]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "`Token <token>` from POST /api/v1/auth/token/.",
            },
            {
                "type": "apiKey",
                "in": "cookie",
                "name": "sencohub_session",
                "description": "A browser session on this host; unsafe methods need X-CSRFToken.",
            },
        ]


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


BLANK_ALLOWED_FORMATS = ("email", "uri")


def _blank_allowed_in_responses(components: dict[str, Any]) -> None:
    """A model's optional email or web address is stored as "" (blank=True), which no "email" or
    "uri" format accepts: in response bodies (not the ...Request inputs) accept "" as well."""
    for name, component in components.items():
        if name.endswith("Request"):
            continue
        for prop in (component.get("properties") or {}).values():
            if prop.get("type") == "string" and prop.get("format") in BLANK_ALLOWED_FORMATS:
                prop["anyOf"] = [{"format": prop.pop("format")}, {"maxLength": 0}]


def add_error_responses(result: Any, generator: Any, request: Any, public: Any) -> Any:
    _blank_allowed_in_responses(result.get("components", {}).get("schemas", {}))
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "put", "patch", "post", "delete", "head", "options"):
                continue
            responses = operation.setdefault("responses", {})

            def add(code: str, description: str, responses: dict[str, Any] = responses) -> None:
                responses.setdefault(code, _error(description))

            add("400", "The request is malformed or invalid; `errors` names each field.")
            add("401", "No credentials, or a wrong, expired or revoked token.")
            add("403", "Not allowed for this role or school (or a session write without CSRF).")
            add("404", "Not found, or not visible to you.")
            add("405", "Method not allowed.")
            add("429", "Too many requests: wait the seconds in `Retry-After`.")
            if method in ("post", "put", "patch"):
                add("413", "The request body is larger than this endpoint accepts.")
            if method == "get":
                responses.setdefault(
                    "304",
                    {"description": "Not modified: the `If-None-Match` ETag still matches."},
                )
            if method == "post":
                add("409", "A request with this Idempotency-Key is still being processed.")
                add("422", "This Idempotency-Key was used for a different request.")
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "Idempotency-Key" for p in parameters):
                    parameters.append(IDEMPOTENCY_KEY)
    return result
