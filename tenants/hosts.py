"""Building the URLs of the platform host and school hosts."""

from __future__ import annotations

from django.conf import settings


def school_host(slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def school_url(slug: str, path: str = "/") -> str:
    return f"{settings.PLATFORM_SCHEME}://{school_host(slug)}{settings.PLATFORM_PORT}{path}"


def platform_url(path: str = "/") -> str:
    return f"{settings.PLATFORM_SCHEME}://{settings.PLATFORM_DOMAIN}{settings.PLATFORM_PORT}{path}"
