"""Every write to the provision map: catalogue, groups and places, sessions, cost settings.

Atomic, authorised through access.RIGHTS (acting_user None = the system), audited, and on bad
input a ValidationError keyed by field with nothing written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core.access import effective_role
from apps.core.acting import authorise
from apps.pupils.models import Pupil

from . import rules
from .access import RIGHTS, WHOLE_MAP_ROLES
from .actions import ProvisionAction
from .models import (
    GroupPlace,
    Intervention,
    InterventionGroup,
    InterventionSession,
    ProvisionSettings,
    SessionAttendance,
)

INTERVENTION_FIELDS = (
    "name",
    "area_of_need",
    "description",
    "evidence_base",
    "group_size",
    "sessions_per_week",
    "session_minutes",
    "staff_role",
    "hourly_staff_cost",
    "resource_cost",
    "required_training",
    "is_active",
)


def _name(user: Any) -> str:
    return (getattr(user, "full_name", "") or "System") if user is not None else "System"


def _raise(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _money(value: Any) -> Decimal:
    return Decimal(str(value if value not in (None, "") else 0)).quantize(rules.PENNY)


def _school_staff_ids(user_ids: Iterable[int]) -> set[int]:
    from tenants.models import SchoolMembership

    school = getattr(connection, "tenant", None)
    if school is None:
        return set()
    return set(
        SchoolMembership.objects.filter(
            school_id=school.pk, user_id__in=list(user_ids)
        ).values_list("user_id", flat=True)
    )


# -- catalogue -----------------------------------------------------------------------------


def intervention_save(
    *,
    acting_user: Any,
    fields: Mapping[str, Any],
    intervention_id: int | None = None,
    library_item_id: int | None = None,
    request: Any = None,
) -> Intervention:
    """Add an intervention to the catalogue, or change one (only the fields given)."""
    authorise(RIGHTS, acting_user, "manage_catalogue")
    if intervention_id is not None:
        found = Intervention.objects.filter(pk=intervention_id).first()
        if found is None:
            raise ValidationError({"intervention": ["No such intervention."]})
        intervention = found
    else:
        intervention = Intervention()
    merged = {f: getattr(intervention, f) for f in INTERVENTION_FIELDS}
    merged |= {k: v for k, v in fields.items() if k in INTERVENTION_FIELDS}
    from apps.pupils.codes import BroadArea

    errors = rules.intervention_errors(merged)
    if merged.get("area_of_need") not in BroadArea.values:
        errors["area_of_need"] = [
            "Choose an area of need: " + ", ".join(str(a) for a in BroadArea.labels) + "."
        ]
    _raise(errors)
    if intervention.pk and int(merged["group_size"]) < intervention.group_size:
        fullest = max(
            (g.places.filter(left_on__isnull=True).count() for g in intervention.groups.all()),
            default=0,
        )
        if fullest > int(merged["group_size"]):
            _raise({"group_size": [f"A group of this intervention already has {fullest} pupils."]})
    for field in INTERVENTION_FIELDS:
        value = merged[field]
        if field in ("hourly_staff_cost", "resource_cost"):
            value = _money(value)
        elif field in ("group_size", "sessions_per_week", "session_minutes"):
            value = int(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(intervention, field, value)
    if library_item_id is not None:
        intervention.library_item_id = library_item_id
    intervention.updated_at = timezone.now()
    with transaction.atomic():
        intervention.save()
        record(
            user=acting_user,
            action=ProvisionAction.INTERVENTION_SAVED,
            summary=f"Saved intervention {intervention.pk} in the catalogue",
            request=request,
            extra={"intervention_id": intervention.pk},
        )
    return intervention


def provision_settings_set(
    *,
    acting_user: Any,
    threshold: Any,
    notional_sen_budget: Any,
    request: Any = None,
) -> ProvisionSettings:
    authorise(RIGHTS, acting_user, "set_costs")
    errors: dict[str, list[str]] = {}
    values: dict[str, Decimal | None] = {}
    for field, raw, required in (
        ("threshold", threshold, True),
        ("notional_sen_budget", notional_sen_budget, False),
    ):
        if raw in (None, "") and not required:
            values[field] = None
            continue
        try:
            number = Decimal(str(raw)).quantize(rules.PENNY)
        except (InvalidOperation, ValueError):
            errors[field] = ["Give an amount in pounds, e.g. 6000."]
            continue
        if number < 0:
            errors[field] = ["The amount cannot be negative."]
        values[field] = number
    _raise(errors)
    with transaction.atomic():
        row = ProvisionSettings.objects.select_for_update().order_by("id").first()
        row = row or ProvisionSettings()
        row.threshold = values["threshold"]  # type: ignore[assignment]
        row.notional_sen_budget = values["notional_sen_budget"]
        row.updated_by_user_id = getattr(acting_user, "pk", None)
        row.updated_at = timezone.now()
        row.save()
        record(
            user=acting_user,
            action=ProvisionAction.SETTINGS_SET,
            summary="Set the provision threshold and notional SEN budget",
            request=request,
        )
    return row


# -- groups --------------------------------------------------------------------------------


def group_save(
    *,
    acting_user: Any,
    intervention_id: int,
    name: str,
    staff_user_ids: Iterable[int],
    starts_on: date,
    ends_on: date | None = None,
    measure: str = "",
    pupil_ids: Iterable[int] = (),
    entry_values: Mapping[int, Any] | None = None,
    group_id: int | None = None,
    request: Any = None,
) -> InterventionGroup:
    """Set up a group (or change one): its intervention, staff, dates, measure and pupils.
    Pupils dropped from the list leave the group today; new ones join today."""
    authorise(RIGHTS, acting_user, "manage_groups")
    errors: dict[str, list[str]] = {}
    intervention = Intervention.objects.filter(pk=intervention_id).first()
    if intervention is None:
        errors["intervention"] = ["No such intervention in the catalogue."]
    group = None
    if group_id is not None:
        group = InterventionGroup.objects.filter(pk=group_id).first()
        if group is None:
            raise ValidationError({"group": ["No such intervention group."]})
    if not str(name or "").strip():
        errors["name"] = ["Give the group a name, e.g. Year 3 Lexia (Tuesday)."]
    staff = [int(s) for s in staff_user_ids]
    if not staff:
        errors["staff_user_ids"] = ["Choose who runs the group."]
    elif set(staff) - _school_staff_ids(staff):
        errors["staff_user_ids"] = ["Everyone who runs the group must be staff at this school."]
    if not isinstance(starts_on, date):
        errors["starts_on"] = ["Give the date the group starts."]
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = ["The group cannot end before it starts."]
    wanted = list(dict.fromkeys(int(p) for p in pupil_ids))
    found = set(Pupil.objects.on_roll().filter(pk__in=wanted).values_list("pk", flat=True))
    if set(wanted) - found:
        errors["pupil_ids"] = ["Every pupil must be on this school's roll."]
    if intervention is not None and len(wanted) > intervention.group_size:
        errors["pupil_ids"] = [
            f"{intervention.name} runs in groups of at most {intervention.group_size}: "
            f"{len(wanted)} pupils chosen."
        ]
    entries: dict[int, Decimal | None] = {}
    for pid, raw in (entry_values or {}).items():
        if raw in (None, ""):
            continue
        try:
            entries[int(pid)] = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            errors[f"entry_values.{pid}"] = ["The entry measure must be a number."]
    _raise(errors)
    assert intervention is not None
    today = timezone.localdate()
    with transaction.atomic():
        if group is None:
            group = InterventionGroup(intervention=intervention)
        group.intervention = intervention
        group.name = name.strip()
        group.staff_user_ids = staff
        group.starts_on = starts_on
        group.ends_on = ends_on
        group.measure = measure.strip()
        group.save()
        current = {p.pupil_id: p for p in group.places.all()}
        for pid, place in current.items():
            if pid not in wanted and place.left_on is None:
                place.left_on = today
                place.save(update_fields=["left_on"])
        new = [
            GroupPlace(
                group=group,
                pupil_id=pid,
                joined_on=max(starts_on, today) if starts_on > today else starts_on,
                entry_value=entries.get(pid),
            )
            for pid in wanted
            if pid not in current
        ]
        GroupPlace.objects.bulk_create(new)
        for pid in wanted:
            if pid in current and pid in entries:
                current[pid].entry_value = entries[pid]
                current[pid].left_on = None
                current[pid].save(update_fields=["entry_value", "left_on"])
        record(
            user=acting_user,
            action=ProvisionAction.GROUP_SAVED,
            summary=f"Set up intervention group {group.pk} with {len(wanted)} pupils",
            request=request,
            extra={"group_id": group.pk, "pupils": len(wanted)},
        )
    return group


def place_finish(
    *,
    acting_user: Any,
    place_id: int,
    exit_value: Any,
    finished_on: date | None = None,
    request: Any = None,
) -> GroupPlace:
    """A pupil finished the intervention: record the exit measure (impact reads it)."""
    authorise(RIGHTS, acting_user, "manage_groups")
    place = GroupPlace.objects.select_related("pupil").filter(pk=place_id).first()
    if place is None:
        raise ValidationError({"place": ["No such place."]})
    try:
        value = Decimal(str(exit_value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"exit_value": ["The exit measure must be a number."]}) from None
    finished_on = finished_on or timezone.localdate()
    if finished_on < place.joined_on:
        raise ValidationError({"finished_on": ["A pupil cannot finish before they joined."]})
    with transaction.atomic():
        place.exit_value = value
        place.completed = True
        place.left_on = finished_on
        place.save(update_fields=["exit_value", "completed", "left_on"])
        record(
            user=acting_user,
            action=ProvisionAction.PLACE_FINISHED,
            pupil=place.pupil,
            summary=f"Finished intervention group {place.group_id}",
            request=request,
            extra={"group_id": place.group_id, "place_id": place.pk},
        )
    return place


# -- sessions ------------------------------------------------------------------------------


def session_log(
    *,
    acting_user: Any,
    group_id: int,
    held_on: date,
    starts_at: time,
    minutes: int | None = None,
    attendance: Mapping[int, bool],
    notes: str = "",
    run_by_user_id: int | None = None,
    request: Any = None,
) -> InterventionSession:
    """Log a session of a group with who attended, by the member of staff who ran it.

    A teacher or TA logs only their own sessions of groups they run; the SENCo may log one for
    any member of the group's staff. A session is logged once (group, day, start), and one
    person's sessions on a day may not overlap."""
    access = authorise(RIGHTS, acting_user, "log_session")
    group = InterventionGroup.objects.select_related("intervention").filter(pk=group_id).first()
    if group is None:
        raise ValidationError({"group": ["No such intervention group."]})
    # Somebody who runs the group (checked below; the system must name them).
    run_by = cast(int, run_by_user_id or getattr(acting_user, "pk", None))
    if acting_user is not None and effective_role(access) not in WHOLE_MAP_ROLES:
        if acting_user.pk not in group.staff_user_ids:
            raise PermissionDenied("You can only log sessions for groups you run.")
        if run_by != acting_user.pk:
            raise PermissionDenied("Log your own sessions: someone else logs theirs.")
    errors: dict[str, list[str]] = {}
    if run_by not in group.staff_user_ids:
        errors["run_by_user_id"] = ["Sessions are logged by someone who runs this group."]
    minutes = int(minutes or group.intervention.session_minutes)
    if not 5 <= minutes <= 240:
        errors["minutes"] = ["A session lasts between 5 and 240 minutes."]
    if not isinstance(held_on, date):
        errors["held_on"] = ["Give the date of the session."]
    else:
        if held_on > timezone.localdate():
            errors["held_on"] = ["A session cannot be logged before it happens."]
        elif held_on < group.starts_on or (group.ends_on and held_on > group.ends_on):
            errors["held_on"] = ["The group was not running on that date."]
    if not isinstance(starts_at, time):
        errors["starts_at"] = ["Give the time the session started."]
    places = {
        p.pupil_id: p
        for p in group.places.all()
        if isinstance(held_on, date)
        and p.joined_on <= held_on
        and (p.left_on is None or p.left_on >= held_on)
    }
    attendance = {int(k): bool(v) for k, v in attendance.items()}
    strangers = set(attendance) - set(places)
    if strangers:
        errors["attendance"] = ["Attendance can only be taken for pupils in the group on that day."]
    elif not attendance:
        errors["attendance"] = ["Record who attended."]
    if not errors:
        if InterventionSession.objects.filter(
            group=group, held_on=held_on, starts_at=starts_at
        ).exists():
            errors["starts_at"] = ["This session has already been logged."]
        else:
            for other in InterventionSession.objects.filter(
                run_by_user_id=run_by, held_on=held_on
            ).only("starts_at", "minutes", "group_id"):
                if rules.overlaps(starts_at, minutes, other.starts_at, other.minutes):
                    errors["starts_at"] = [
                        f"This overlaps another session the same person ran at "
                        f"{other.starts_at:%H:%M}."
                    ]
                    break
    _raise(errors)
    from apps.pupils.selectors import staff_names

    with transaction.atomic():
        session = InterventionSession.objects.create(
            group=group,
            held_on=held_on,
            starts_at=starts_at,
            minutes=minutes,
            run_by_user_id=run_by,
            run_by_name=staff_names([run_by]).get(run_by, "") if run_by else "",
            notes=notes.strip(),
        )
        SessionAttendance.objects.bulk_create(
            SessionAttendance(session=session, pupil_id=pid, present=present)
            for pid, present in attendance.items()
        )
        record(
            user=acting_user,
            action=ProvisionAction.SESSION_LOGGED,
            summary=f"Logged a session of intervention group {group.pk}",
            request=request,
            extra={"group_id": group.pk, "session_id": session.pk, "pupils": len(attendance)},
        )
    return session
