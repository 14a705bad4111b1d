"""Strategies that work, as a trust library item type (apps.trust.library).

Only the strategy's wording is published - never the pupil it was written for. The school's
SENCo chooses it on the school's host and sees it checked against every name on the roll before
it leaves (apps.trust.services.library_publish); a wording naming a pupil cannot be published. Adopting a strategy adds it
to the school's list of adopted strategies (the library); usage counts the pupils in a school
whose strategies include that wording.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Min

from apps.trust.library import LibraryItemType, register_library_item_type

from .models import Strategy


def _norm(text: str) -> str:
    return " ".join(text.split()).strip().lower()


def sources(school) -> list[tuple[str, str]]:
    """Distinct wordings of the school's active strategies, most used first."""
    rows = (
        Strategy.objects.filter(is_active=True)
        .order_by()
        .values("text")
        .annotate(first_id=Min("id"), pupils=Count("pupil", distinct=True))
        .order_by("-pupils", "first_id")[:200]
    )
    return [(str(r["first_id"]), r["text"][:120]) for r in rows]


def snapshot(ref: str) -> dict:
    strategy = Strategy.objects.filter(pk=int(ref), is_active=True).first()
    if strategy is None:
        raise ValidationError({"source_ref": "That strategy is no longer active."})
    text = " ".join(strategy.text.split())
    return {"title": text[:80] + ("…" if len(text) > 80 else ""), "summary": "", "body": text}


def usage(items) -> dict[int, int]:
    wanted = {_norm(item.body): item.pk for item in items}
    counts: dict[int, set[int]] = {}
    for text, pupil_id in Strategy.objects.filter(is_active=True).values_list("text", "pupil_id"):
        item_id = wanted.get(_norm(text))
        if item_id is not None:
            counts.setdefault(item_id, set()).add(pupil_id)
    return {item.pk: len(counts.get(item.pk, ())) for item in items}


register_library_item_type(
    LibraryItemType(
        "strategy", "Strategy that works", sources=sources, snapshot=snapshot, usage=usage, order=10
    )
)
