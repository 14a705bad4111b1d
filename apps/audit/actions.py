"""Typed audit actions. Each domain declares its actions as a subclass of AuditAction in its own
package (value = the stored code, label = what the audit log page shows):

    class PlanAction(AuditAction):
        CREATED = "plan.created", "Wrote a support plan"
        REVIEWED = "plan.reviewed", "Reviewed a support plan"

    audit.record(user=..., action=PlanAction.CREATED, pupil=plan.pupil, request=request)

The log page finds every label through the subclasses, so a new domain's actions read well
without a change here.
"""

from __future__ import annotations

from django.db import models
from django.utils.module_loading import autodiscover_modules

_discovered = False


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("actions")


class AuditAction(models.TextChoices):
    """Base of every domain's audit actions (no members of its own)."""


class AuditLogAction(AuditAction):
    VIEWED = "audit_log.viewed", "Viewed the school's audit log"
    EXPORTED = "audit_log.exported", "Exported the school's audit log"


def _all_action_classes(cls: type[AuditAction] = AuditAction) -> list[type[AuditAction]]:
    found: list[type[AuditAction]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_action_classes(sub))
    return found


def known_action_labels() -> dict[str, str]:
    """Every action's label, from the AuditAction subclasses of every installed app's
    ``actions`` module (imported the first time labels are needed)."""
    _discover()
    labels: dict[str, str] = {}
    for cls in _all_action_classes():
        for member in cls:
            labels[str(member.value)] = str(member.label)
    return labels
