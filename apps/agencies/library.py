"""The trust's shared directory of agencies, as a practice library item type.

A school publishes a directory entry (an organisation's work contact details and how to refer:
no pupil data); another school adopts it into its own directory. Usage: pupils referred to the
adopted agency in that school."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count

from apps.trust.library import LibraryItemType, register_library_item_type

from .models import Agency, AgencyKind, Referral

_KIND_BY_LABEL = {str(label): value for value, label in AgencyKind.choices}


def sources(school: object) -> list[tuple[str, str]]:
    return [
        (str(a.pk), f"{a.name} ({a.get_kind_display()})")
        for a in Agency.objects.filter(is_active=True, from_trust_library_item__isnull=True)
    ]


def snapshot(ref: str) -> dict[str, str]:
    agency = Agency.objects.filter(pk=int(ref), is_active=True).first()
    if agency is None:
        raise ValidationError({"source_ref": "That agency is no longer in the directory."})
    lines = [
        f"Phone: {agency.phone}" if agency.phone else "",
        f"Email: {agency.email}" if agency.email else "",
        f"Website: {agency.website}" if agency.website else "",
        agency.address,
        f"How to refer: {agency.how_to_refer}" if agency.how_to_refer else "",
    ]
    return {
        "title": agency.name,
        "summary": agency.get_kind_display(),
        "body": "\n".join(line for line in lines if line),
    }


def adopt(item: object, acting_user: object) -> str:
    from .services import agency_add

    existing = Agency.objects.filter(from_trust_library_item=item.pk).first()  # type: ignore[attr-defined]
    if existing is not None:
        return str(existing.pk)
    kind = _KIND_BY_LABEL.get(item.summary, AgencyKind.LA_SEN_TEAM)  # type: ignore[attr-defined]
    agency = agency_add(
        acting_user=acting_user,
        kind=kind,
        name=item.title,  # type: ignore[attr-defined]
        how_to_refer=item.body,  # type: ignore[attr-defined]
        from_trust_library_item=item.pk,  # type: ignore[attr-defined]
    )
    return str(agency.pk)


def usage(items: list[Any]) -> dict[int, int]:
    ids = [item.pk for item in items]
    rows = (
        Referral.objects.filter(agency__from_trust_library_item__in=ids)
        .values_list("agency__from_trust_library_item")
        .annotate(n=Count("pupil", distinct=True))
    )
    counts = dict(rows)
    return {item.pk: counts.get(item.pk, 0) for item in items}


register_library_item_type(
    LibraryItemType(
        "agency",
        "Agency directory entry",
        sources=sources,
        snapshot=snapshot,
        adopt=adopt,
        usage=usage,
        order=30,
    )
)
