"""Response headers every dynamic page and API response carries.

- Cache-Control: no-store. Pages and API answers may carry pupil data; no browser cache, shared
  proxy or "back" button after sign-out may keep a copy. Static files (served by WhiteNoise
  above this middleware) keep their long cache lifetimes.
- Permissions-Policy: the product uses no camera, microphone, location, payment or USB; a
  script injected into a page gets none of them either.
The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY);
Referrer-Policy, HSTS and nosniff from Django's SecurityMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, private"
        response.headers.pop("Expires", None)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
