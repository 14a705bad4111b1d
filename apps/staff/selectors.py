"""Reads: deployment against contract, the skills matrix and its warnings, the exams officer's
list with flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from apps.core.access import Access

from .access import arrangements_for
from .models import AccessArrangement, Deployment, Skill, StaffMember
from .rules import (
    deployment_level,
    deployment_percent,
    expires_before_series,
    missing_evidence,
    next_exam_series,
)


def staff_with_load() -> list[dict[str, Any]]:
    """Every member of staff with hours deployed, % of contract and the level (ok/warn)."""
    rows = []
    members = StaffMember.objects.annotate(deployed=Sum("deployments__hours_a_week")).order_by(
        "-is_active", "name"
    )
    for m in members:
        deployed = m.deployed or Decimal(0)
        rows.append(
            {
                "member": m,
                "deployed": deployed,
                "percent": deployment_percent(deployed, m.contracted_hours),
                "level": deployment_level(deployed, m.contracted_hours),
            }
        )
    return rows


def trained_skills() -> dict[int, set[str]]:
    """staff id -> skills they are trained in (from training with a skill)."""
    out: dict[int, set[str]] = {}
    for staff_id, skill in StaffMember.training.through.objects.filter(
        training__skill__gt=""
    ).values_list("staffmember_id", "training__skill"):
        out.setdefault(staff_id, set()).add(skill)
    return out


@dataclass(frozen=True)
class SkillWarning:
    staff_name: str
    work: str  # "Talk Boost group", "1:1 support", or a provision map group
    skill_label: str


def _has_training(titles: list[str], required: str) -> bool:
    required = required.strip().lower()
    return any(required in t or t in required for t in titles if t)


def skills_warnings(today: dt.date | None = None) -> list[SkillWarning]:
    """Work someone does without the training it needs: deployments that name a skill, and
    groups on the provision map whose intervention requires training (matched by words against
    the topics and skills of the training the person attended)."""
    trained = trained_skills()
    labels = dict(Skill.choices)
    warnings = []
    for d in (
        Deployment.objects.exclude(needs_skill="")
        .select_related("staff", "group", "pupil")
        .filter(staff__is_active=True)
    ):
        if d.needs_skill not in trained.get(d.staff_id, set()):
            work = "1:1 support" if d.pupil_id else d.what
            warnings.append(SkillWarning(d.staff.name, work, str(labels.get(d.needs_skill, ""))))
    warnings.extend(_provision_warnings(today or timezone.localdate()))
    return warnings


def _provision_warnings(today: dt.date) -> list[SkillWarning]:
    from django.apps import apps

    if not apps.is_installed("apps.provision"):
        return []
    from django.db.models import Q

    from apps.provision.models import InterventionGroup

    groups = list(
        InterventionGroup.objects.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exclude(intervention__required_training="")
        .select_related("intervention")
    )
    if not groups:
        return []
    user_ids = {uid for g in groups for uid in g.staff_user_ids}
    members = {m.user_id: m for m in StaffMember.objects.filter(user_id__in=user_ids)}
    titles: dict[int, list[str]] = {}
    labels = dict(Skill.choices)
    for staff_id, topic, skill in StaffMember.training.through.objects.filter(
        staffmember__user_id__in=user_ids
    ).values_list("staffmember_id", "training__topic", "training__skill"):
        titles.setdefault(staff_id, []).extend(
            [topic.lower(), str(labels.get(skill, "")).lower(), skill.replace("_", " ")]
        )
    names = _user_names(user_ids - set(members))
    out = []
    for g in groups:
        required = g.intervention.required_training
        for uid in g.staff_user_ids:
            member = members.get(uid)
            if member is None or not _has_training(titles.get(member.pk, []), required):
                name = member.name if member else names.get(uid, "A member of staff")
                out.append(SkillWarning(name, f"{g.name} ({g.intervention.name})", required))
    return out


def _user_names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    from tenants.models import User

    return dict(User.objects.filter(pk__in=user_ids).values_list("pk", "full_name"))


def skills_matrix() -> tuple[list[tuple[str, str]], list[tuple[StaffMember, list[bool]]]]:
    trained = trained_skills()
    skills = list(Skill.choices)
    rows = [
        (m, [code in trained.get(m.pk, set()) for code, _ in skills])
        for m in StaffMember.objects.filter(is_active=True).order_by("name")
    ]
    return skills, rows


@dataclass(frozen=True)
class ExamsRow:
    arrangement: AccessArrangement
    missing: list[str]
    expires_before_series: bool


def exams_list(
    access: Access | None, user: Any, today: dt.date
) -> tuple[tuple[str, dt.date, dt.date], list[ExamsRow]]:
    """Active arrangements by pupil, each flagged for missing evidence or expiry before the end
    of the next exam series. One query."""
    series = next_exam_series(today)
    rows = []
    for a in (
        arrangements_for(access, user)
        .filter(is_active=True)
        .select_related("pupil")
        .order_by("pupil__year_group", "pupil__last_name", "pupil__first_name", "kind", "id")
    ):
        rows.append(
            ExamsRow(
                a,
                missing_evidence(
                    kind=a.kind,
                    assessor=a.assessor,
                    assessed_on=a.assessed_on,
                    history_of_need=a.history_of_need,
                    normal_way_of_working=a.normal_way_of_working,
                ),
                expires_before_series(a.expires_on, series[2]),
            )
        )
    return series, rows
