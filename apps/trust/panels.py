"""A panel on the school home page: what the school uses from the trust library."""

from __future__ import annotations


def library_panel(request) -> dict | None:
    from .library import item_types
    from .selectors import library_items_used_by

    school = getattr(request, "school", None)
    if school is None:
        return None
    items = list(library_items_used_by(school).order_by("title")[:20])
    if not items:
        return None
    types = item_types()
    return {
        "template": "trust/_home_library_panel.html",
        "context": {
            "items": [(i, types.get(i.item_type), i.source_school_id == school.pk) for i in items]
        },
    }
