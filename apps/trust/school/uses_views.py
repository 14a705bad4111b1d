"""What a school uses from the trust's practice library, on the school's own host: the list of
items it adopted or shared (``/library/``) and each item (``/library/<id>/``), so the items on the
school's home page open. Catalogue wording only: anyone working at the school may read it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.audit.reads import no_pupil_data

from ..access import get_library_item_used_by
from ..library import item_types
from ..selectors import library_items_used_by, publisher_of


def _require_school(request: HttpRequest) -> None:
    # The access gate has already checked the user's membership of (or trust role over) this
    # school on every request to its host; the library holds no pupil, so no finer right applies.
    from django.core.exceptions import PermissionDenied

    if getattr(request, "school", None) is None:
        raise PermissionDenied("The library is read on a school's own address.")


@no_pupil_data
def library_uses(request: HttpRequest) -> HttpResponse:
    _require_school(request)
    school = request.school  # type: ignore[attr-defined]
    types = item_types()
    rows = [
        {
            "item": item,
            "kind": types.get(item.item_type),
            "shared_here": item.source_school_id == school.pk,
            "publisher": publisher_of(item),
        }
        for item in library_items_used_by(school).order_by("title", "id")[:500]
    ]
    return render(
        request,
        "trust/school_library_uses.html",
        {"rows": rows, "page_title": "What we use from the trust library"},
    )


@no_pupil_data
def library_item(request: HttpRequest, item_id: int) -> HttpResponse:
    _require_school(request)
    school = request.school  # type: ignore[attr-defined]
    item = get_library_item_used_by(school, item_id)
    adoption = item.adoptions.filter(school=school).select_related("adopted_by").first()
    return render(
        request,
        "trust/school_library_item.html",
        {
            "item": item,
            "kind": item_types().get(item.item_type),
            "publisher": publisher_of(item),
            "adoption": adoption,
            "page_title": item.title,
        },
    )
