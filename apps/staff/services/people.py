"""Staff records, deployment against contract, training."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Sum

from apps.audit.services import record
from apps.core.acting import authorise
from apps.pupils.models import Pupil, TeachingGroup

from ..access import RIGHTS
from ..actions import StaffAction
from ..models import Deployment, Skill, StaffMember, Training
from ..rules import deployment_level, deployment_percent
from ._common import raise_errors, text, today

STAFF_FIELDS = ("name", "role", "contracted_hours", "user_id", "is_active")


def _hours(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None


def _staff_errors(member: StaffMember) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not member.name:
        errors["name"] = ["Enter the name of the member of staff."]
    if member.role not in StaffMember.Role.values:
        errors["role"] = ["Choose the member of staff's role."]
    hours = _hours(member.contracted_hours)
    if hours is None or not Decimal("0") < hours <= Decimal("60"):
        errors["contracted_hours"] = ["Contracted hours a week must be more than 0 and at most 60."]
    if member.user_id:
        from tenants.models import SchoolMembership

        school = getattr(connection, "tenant", None)
        if (
            school is None
            or not SchoolMembership.objects.filter(
                school_id=school.pk, user_id=member.user_id
            ).exists()
        ):
            errors["user_id"] = ["That login is not a member of staff at this school."]
        elif StaffMember.objects.filter(user_id=member.user_id).exclude(pk=member.pk).exists():
            errors["user_id"] = ["Another staff record is already linked to that login."]
    return errors


@transaction.atomic
def staff_add(*, acting_user: Any, request: Any = None, **fields: Any) -> StaffMember:
    authorise(RIGHTS, acting_user, "write_staff")
    values = {k: v for k, v in fields.items() if k in STAFF_FIELDS}
    values["name"] = text(values.get("name"))
    values["user_id"] = values.get("user_id") or None
    member = StaffMember(**values)
    raise_errors(_staff_errors(member))
    member.contracted_hours = _hours(member.contracted_hours)  # type: ignore[assignment]
    member.save()
    record(
        user=acting_user,
        action=StaffAction.STAFF_ADDED,
        request=request,
        summary="Added a member of staff",
        extra={"staff_id": member.pk},
    )
    return member


@transaction.atomic
def staff_update(
    *, acting_user: Any, member: StaffMember, request: Any = None, **changes: Any
) -> StaffMember:
    authorise(RIGHTS, acting_user, "write_staff")
    for key, value in changes.items():
        if key in STAFF_FIELDS:
            setattr(member, key, text(value) if key == "name" else value)
    member.user_id = member.user_id or None
    raise_errors(_staff_errors(member))
    member.contracted_hours = _hours(member.contracted_hours)  # type: ignore[assignment]
    if member.contracted_hours is not None:
        deployed = member.deployments.aggregate(total=Sum("hours_a_week"))["total"] or Decimal(0)
        if deployment_level(deployed, member.contracted_hours) == "refuse":
            raise_errors(
                {
                    "contracted_hours": [
                        f"{member.name} is deployed {deployed} hours a week: contracted hours "
                        "cannot go below that by more than 10%. Change the deployment first."
                    ]
                }
            )
    member.save()
    record(
        user=acting_user,
        action=StaffAction.STAFF_CHANGED,
        request=request,
        summary="Changed a staff record",
        extra={"staff_id": member.pk},
    )
    return member


@transaction.atomic
def deployment_add(
    *,
    acting_user: Any,
    member: StaffMember,
    hours_a_week: Any,
    pupil: Pupil | None = None,
    group: TeachingGroup | None = None,
    group_name: str = "",
    needs_skill: str = "",
    request: Any = None,
) -> tuple[Deployment, str]:
    """Deploy a member of staff; returns the deployment and a warning ("" when none). Over the
    contract: a warning; over 110% of it: refused."""
    authorise(RIGHTS, acting_user, "write_staff")
    member = StaffMember.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, list[str]] = {}
    hours = _hours(hours_a_week)
    if hours is None or hours <= 0:
        errors["hours_a_week"] = ["Enter the hours a week (more than 0)."]
    if pupil is None and group is None and not text(group_name):
        errors["pupil"] = ["Choose the pupil or the group this time is for."]
    if needs_skill and needs_skill not in Skill.values:
        errors["needs_skill"] = ["Choose a skill from the list."]
    if not member.is_active:
        errors["staff"] = ["This member of staff has left: reactivate the record first."]
    raise_errors(errors)
    assert hours is not None
    deployed = member.deployments.aggregate(total=Sum("hours_a_week"))["total"] or Decimal(0)
    total = deployed + hours
    level = deployment_level(total, member.contracted_hours)
    percent = deployment_percent(total, member.contracted_hours)
    if level == "refuse":
        raise_errors(
            {
                "hours_a_week": [
                    f"This would deploy {member.name} {total} hours a week, {percent}% of their "
                    f"{member.contracted_hours} contracted hours: more than 110% is refused."
                ]
            }
        )
    deployment = Deployment.objects.create(
        staff=member,
        pupil=pupil,
        group=group,
        group_name=text(group_name),
        hours_a_week=hours,
        needs_skill=needs_skill,
    )
    warning = (
        f"{member.name} is now deployed {total} hours a week, {percent}% of their "
        f"{member.contracted_hours} contracted hours."
        if level == "warn"
        else ""
    )
    record(
        user=acting_user,
        action=StaffAction.DEPLOYED,
        pupil=pupil,
        request=request,
        summary="Deployed a member of staff" + (" beyond contracted hours" if warning else ""),
        extra={"staff_id": member.pk, "deployment_id": deployment.pk, "percent": int(percent)},
    )
    return deployment, warning


@transaction.atomic
def deployment_remove(*, acting_user: Any, deployment: Deployment, request: Any = None) -> None:
    authorise(RIGHTS, acting_user, "write_staff")
    record(
        user=acting_user,
        action=StaffAction.DEPLOYMENT_REMOVED,
        pupil=deployment.pupil,
        request=request,
        summary="Removed a deployment",
        extra={"staff_id": deployment.staff_id, "deployment_id": deployment.pk},
    )
    deployment.delete()


def _training_errors(
    topic: str, skill: str, delivered_on: dt.date | None, provider: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not topic:
        errors["topic"] = ["Enter what the training was about."]
    if skill and skill not in Skill.values:
        errors["skill"] = ["Choose a skill from the list."]
    if delivered_on is None:
        errors["delivered_on"] = ["Enter the date of the training."]
    elif delivered_on > today():
        errors["delivered_on"] = ["Record training once it has been delivered."]
    if not provider:
        errors["provider"] = ["Say who delivered the training."]
    return errors


@transaction.atomic
def training_record(
    *,
    acting_user: Any,
    topic: str,
    delivered_on: dt.date | None,
    provider: str,
    attendee_ids: list[int],
    skill: str = "",
    hours: Any = None,
    request: Any = None,
) -> Training:
    authorise(RIGHTS, acting_user, "write_staff")
    errors = _training_errors(text(topic), skill, delivered_on, text(provider))
    attendees = list(StaffMember.objects.filter(pk__in=attendee_ids))
    if len(attendees) != len(set(attendee_ids)):
        errors["attendees"] = ["Attendees must be members of staff of this school."]
    elif not attendees:
        errors["attendees"] = ["Choose who attended."]
    raise_errors(errors)
    training = Training.objects.create(
        topic=text(topic),
        skill=skill,
        delivered_on=cast(dt.date, delivered_on),  # a missing date was refused above
        provider=text(provider),
        hours=_hours(hours),
    )
    training.attendees.set(attendees)
    record(
        user=acting_user,
        action=StaffAction.TRAINING_RECORDED,
        request=request,
        summary=f"Recorded training for {len(attendees)} member(s) of staff",
        extra={"training_id": training.pk},
    )
    return training


@transaction.atomic
def training_update(
    *,
    acting_user: Any,
    training: Training,
    attendee_ids: list[int] | None = None,
    request: Any = None,
    **changes: Any,
) -> Training:
    authorise(RIGHTS, acting_user, "write_staff")
    for key in ("topic", "skill", "delivered_on", "provider", "hours"):
        if key in changes:
            setattr(
                training, key, text(changes[key]) if key in ("topic", "provider") else changes[key]
            )
    errors = _training_errors(
        training.topic, training.skill, training.delivered_on, training.provider
    )
    attendees = None
    if attendee_ids is not None:
        attendees = list(StaffMember.objects.filter(pk__in=attendee_ids))
        if len(attendees) != len(set(attendee_ids)) or not attendees:
            errors["attendees"] = ["Attendees must be members of staff of this school."]
    raise_errors(errors)
    training.hours = _hours(training.hours)
    training.save()
    if attendees is not None:
        training.attendees.set(attendees)
    record(
        user=acting_user,
        action=StaffAction.TRAINING_CHANGED,
        request=request,
        summary="Changed a training record",
        extra={"training_id": training.pk},
    )
    return training
