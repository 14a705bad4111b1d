"""A panel on the school home page: what the school uses from the trust library."""

from __future__ import annotations

from django.db.models import Q


def library_panel(request) -> dict | None:
    from .library import item_types
    from .models import LibraryItem

    school = getattr(request, "school", None)
    if school is None:
        return None
    items = list(
        LibraryItem.objects.filter(
            Q(adoptions__school=school) | Q(source_school=school), withdrawn_at__isnull=True
        )
        .distinct()
        .select_related("source_school")
        .order_by("title")[:20]
    )
    if not items:
        return None
    types = item_types()
    return {
        "template": "trust/_home_library_panel.html",
        "context": {
            "items": [(i, types.get(i.item_type), i.source_school_id == school.pk) for i in items]
        },
    }
