"""Reads: deployment against contract, the skills matrix and its warnings, the exams officer's
list with flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

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
    deployment: Deployment
    skill_label: str


def skills_warnings() -> list[SkillWarning]:
    """Groups or pupils a member of staff works with that need training they do not have.

    Deployments say which training their work needs. When the provision map (apps.provision)
    lands, its groups' required training can feed the same check."""
    trained = trained_skills()
    labels = dict(Skill.choices)
    warnings = []
    for d in (
        Deployment.objects.exclude(needs_skill="")
        .select_related("staff", "group", "pupil")
        .filter(staff__is_active=True)
    ):
        if d.needs_skill not in trained.get(d.staff_id, set()):
            warnings.append(SkillWarning(d, str(labels.get(d.needs_skill, d.needs_skill))))
    return warnings


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
