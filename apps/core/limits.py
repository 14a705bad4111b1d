"""Request bodies are refused by their declared size before a byte of them is read.

Django reads a multipart body while parsing it (the CSRF check asks for request.POST), so a
30 MB upload to a 10 MB limit would be received in full, and spooled to disk, only to be refused.
This middleware runs before sessions and CSRF and answers 413 from the Content-Length header.
Each upload path has its own limit; everything else gets the documents' limit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

# Room for the multipart envelope and the other form fields around the file.
ENVELOPE_BYTES = 1024 * 1024


def body_limit_for(path: str) -> int:
    """The largest request body accepted on `path`, in bytes."""
    if "/imports/" in path:
        return int(settings.EXCHANGE_MAX_IMPORT_BYTES) + ENVELOPE_BYTES
    return int(settings.DOCUMENTS_MAX_UPLOAD_BYTES) + ENVELOPE_BYTES


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.0f} MB"


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = -1
        limit = body_limit_for(request.path)
        if declared < 0 or declared > limit:
            message = (
                f"The upload is too large: the most this page accepts is "
                f"{_megabytes(limit - ENVELOPE_BYTES)}."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            response = HttpResponse(
                '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                "<title>Upload too large – SENCo Hub</title></head><body>"
                f"<h1>Upload too large</h1><p>{message}</p>"
                "<p>Go back and choose a smaller file.</p></body></html>",
                status=413,
                content_type="text/html; charset=utf-8",
            )
            # The body is never read: the connection cannot be reused for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
