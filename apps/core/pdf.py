"""PDFs from templates (WeasyPrint), for documents a user downloads: a plan for a family, a
report. Generic: a template, a context and a file name in; an attachment response out.

WeasyPrint lays out with Pango and the system's fonts; the templates ask for "DejaVu Sans",
Liberation Sans or any sans-serif (README: fonts-dejavu-core and the Pango libraries). Nothing is
fetched over the network: only data: URLs and files under STATIC_ROOT may be referenced."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Documents are built from our own templates: refuse any URL a template (or a value in it)
    # could point at, so rendering a PDF never makes a request.
    raise ValueError("PDF templates may not load external resources")


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()  # type: ignore[no-any-return]


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], *, filename: str
) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
