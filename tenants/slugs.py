"""School subdomain rules."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

RESERVED_SUBDOMAINS = frozenset(
    {"www", "api", "admin", "static", "media", "trust", "app", "mail"}
    # Not product words but schema names the platform itself uses.
    | {"public", "school-template", "information-schema"}
)
SLUG_RE = re.compile(r"^[a-z0-9-]{3,40}$")


def validate_subdomain(slug: str) -> str:
    if not SLUG_RE.fullmatch(slug or ""):
        raise ValidationError(
            "A school web address must be 3 to 40 characters: lowercase letters, digits and hyphens only.",
            code="invalid_subdomain",
        )
    if slug.startswith("-") or slug.endswith("-"):
        raise ValidationError(
            "A school web address cannot start or end with a hyphen.", code="invalid_subdomain"
        )
    if slug.startswith("pg-"):
        raise ValidationError(
            "A school web address cannot start with “pg-”.", code="reserved_subdomain"
        )
    if slug in RESERVED_SUBDOMAINS:
        raise ValidationError(
            f"“{slug}” is reserved by SENCo Hub and cannot be a school web address. Please choose another.",
            code="reserved_subdomain",
        )
    return slug


def schema_name_for(slug: str) -> str:
    # Hyphens are not allowed in unquoted PostgreSQL identifiers; slugs never contain "_", so
    # the mapping is one-to-one.
    return slug.replace("-", "_")
