"""Interventions as a practice library item type (apps.trust.library).

Publishing copies the catalogue entry (what it is, evidence, how it is delivered, costs, the
training it needs) and the school's impact figures for it, pooled over every pupil who finished
it - only from five pupils up, never a pupil's record. Adopting adds the intervention to the
adopting school's catalogue in one step; usage counts pupils in groups of the adopted copy.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count

from apps.trust.library import LibraryItemType, register_library_item_type
from apps.trust.rollups import SUPPRESSION_LIMIT

from . import selectors, services
from .models import GroupPlace, Intervention

# Lines of the published body that an adopting school reads back into its catalogue.
DETAIL_LINES = (
    ("group_size", "Group size"),
    ("sessions_per_week", "Sessions per week"),
    ("session_minutes", "Minutes per session"),
    ("staff_role", "Delivered by"),
    ("hourly_staff_cost", "Hourly staff cost (£)"),
    ("resource_cost", "Resources per pupil a year (£)"),
    ("required_training", "Training needed"),
)


def sources(school: Any) -> list[tuple[str, str]]:
    return [
        (str(pk), name)
        for pk, name in Intervention.objects.filter(is_active=True).values_list("pk", "name")
    ]


def snapshot(ref: str) -> dict[str, str]:
    intervention = Intervention.objects.filter(pk=int(ref)).first()
    if intervention is None:
        raise ValidationError({"source_ref": "That intervention is no longer in the catalogue."})
    found = selectors.impact([intervention.pk])
    impact = found[0] if found else None
    if impact is not None and impact.impact.finished >= SUPPRESSION_LIMIT:
        i = impact.impact
        parts = [f"{i.finished} pupils finished it"]
        if i.average_change is not None:
            parts.append(f"average change {i.average_change}")
        if i.share_met is not None:
            parts.append(f"{i.share_met}% of linked outcomes met")
        summary = "Impact: " + ", ".join(parts) + f"; £{i.cost_per_pupil} per pupil a year."
    else:
        summary = f"Fewer than {SUPPRESSION_LIMIT} pupils have finished it so far."
    lines = [intervention.description.strip(), ""]
    if intervention.evidence_base.strip():
        lines += [f"Evidence: {intervention.evidence_base.strip()}", ""]
    lines += [f"{label}: {getattr(intervention, field)}" for field, label in DETAIL_LINES]
    return {
        "title": intervention.name,
        "summary": summary,
        "body": "\n".join(lines).strip(),
        "area_of_need": intervention.area_of_need,
    }


def _details(body: str) -> dict[str, str]:
    labels = {label: field for field, label in DETAIL_LINES}
    found: dict[str, str] = {}
    for line in body.splitlines():
        match = re.match(r"^(.+?): (.*)$", line.strip())
        if match and match.group(1) in labels:
            found[labels[match.group(1)]] = match.group(2).strip()
    return found


def adopt(item: Any, acting_user: Any) -> str:
    """Add the published intervention to this school's catalogue (one step)."""
    existing = Intervention.objects.filter(library_item_id=item.pk).first()
    if existing is not None:
        return str(existing.pk)
    details = _details(item.body or "")
    description = (item.body or "").split("\n\nEvidence:")[0].split("\nGroup size:")[0].strip()
    evidence = ""
    if "Evidence: " in (item.body or ""):
        evidence = item.body.split("Evidence: ", 1)[1].split("\n")[0].strip()
    fields: dict[str, Any] = {
        "name": item.title[:120],
        "area_of_need": item.area_of_need,
        "description": description,
        "evidence_base": evidence,
        "group_size": details.get("group_size", 1),
        "sessions_per_week": details.get("sessions_per_week", 1),
        "session_minutes": details.get("session_minutes", 30),
        "staff_role": details.get("staff_role", "Teaching assistant"),
        "hourly_staff_cost": Decimal(details.get("hourly_staff_cost", "0") or "0"),
        "resource_cost": Decimal(details.get("resource_cost", "0") or "0"),
        "required_training": details.get("required_training", ""),
        "is_active": True,
    }
    # acting_user None: the console has already checked the adopter is this school's SENCo.
    saved = services.intervention_save(acting_user=None, fields=fields, library_item_id=item.pk)
    return str(saved.pk)


def usage(items: list[Any]) -> dict[int, int]:
    """Pupils in groups of the intervention: the adopted copy, or the school's own original."""
    from django.db import connection

    school_id = getattr(getattr(connection, "tenant", None), "pk", None)
    local: dict[int, int] = {}  # local intervention id -> library item id
    for item in items:
        if item.source_school_id == school_id and str(item.source_ref).isdigit():
            local[int(item.source_ref)] = item.pk
    for pk, item_id in Intervention.objects.filter(
        library_item_id__in=[i.pk for i in items]
    ).values_list("pk", "library_item_id"):
        if item_id is not None:
            local[pk] = item_id
    pupils = dict(
        GroupPlace.objects.filter(group__intervention_id__in=list(local))
        .values_list("group__intervention_id")
        .annotate(pupils=Count("pupil", distinct=True))
    )
    out = {item.pk: 0 for item in items}
    for pk, item_id in local.items():
        out[item_id] += pupils.get(pk, 0)
    return out


register_library_item_type(
    LibraryItemType(
        "intervention",
        "Intervention",
        sources=sources,
        snapshot=snapshot,
        adopt=adopt,
        usage=usage,
        order=20,
    )
)
