"""Every write to pupil records. Each function is atomic, checks that the acting user may do it
(acting_user=None means the system itself: demo seeding, a confirmed import run by a task), and
writes the audit row. Bad input raises django.core.exceptions.ValidationError with a message per
field, and nothing is written.

Callers (HTML views, the API, imports) pass plain values; these functions own the rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.services import record

from . import access as rights
from .codes import YEAR_GROUPS, Provision
from .models import (
    Concern,
    ConcernNote,
    Pupil,
    PupilProfile,
    PupilVoice,
    SenHistory,
    Strategy,
    TAAssignment,
    TeachingGroup,
    TeachingGroupStaff,
)
from .rules import change_date_errors, pupil_date_errors, register_errors
from .upn import InvalidUPN, validate_upn

# Details anyone allowed to edit pupil details may change (register fields go through
# register_set_status, so every change of provision or need is in the history).
DETAIL_FIELDS = (
    "upn",
    "first_name",
    "last_name",
    "preferred_first_name",
    "preferred_last_name",
    "date_of_birth",
    "gender",
    "year_group",
    "form",
    "admission_date",
    "leaving_date",
    "eal",
    "pupil_premium",
    "free_school_meals",
    "looked_after",
    "designated_teacher_user_id",
    "medical_needs",
)
REGISTER_FIELDS = (
    "sen_provision",
    "primary_need",
    "secondary_need",
    "sen_identified_on",
    "sen_lead_user_id",
)
PROFILE_FIELDS = (
    "like_and_admire",
    "important_to_me",
    "how_to_support",
    "communication_preferences",
)
_KEEP = object()


# -- authorisation -------------------------------------------------------------------------


def _access_for(user):
    from tenants.access import school_access_for

    school = getattr(connection, "tenant", None)
    if school is None or getattr(school, "schema_name", "public") == "public":
        raise PermissionDenied("Pupil records live in a school: open the school first.")
    return school_access_for(user, school)


def authorise(acting_user, capability: str, pupil: Pupil | None = None):
    """Refuse unless acting_user may use `capability` (on `pupil`, if given). None = system."""
    if acting_user is None:
        return None
    access = _access_for(acting_user)
    if access is None or not rights.can(access, capability):
        if access is not None and access.via_trust:
            raise PermissionDenied("Trust staff can read a school's records but not change them.")
        raise PermissionDenied("Your role cannot do this.")
    if pupil is not None and not rights.can_see_pupil(access, acting_user, pupil.pk):
        raise PermissionDenied("You can only work with pupils you teach or support.")
    return access


def _name(user) -> str:
    return getattr(user, "full_name", "") or "System" if user is not None else "System"


def _uid(user) -> int | None:
    return getattr(user, "pk", None) if user is not None else None


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _not_staff(user_id: int | None) -> bool:
    """True when user_id is given but is not a member of staff of the current school."""
    if not user_id:
        return False
    from tenants.models import SchoolMembership

    school = getattr(connection, "tenant", None)
    return not SchoolMembership.objects.filter(
        school_id=getattr(school, "pk", None), user_id=user_id
    ).exists()


def _today() -> dt.date:
    return timezone.localdate()


# -- pupils --------------------------------------------------------------------------------


def _clean_text(value: Any) -> str:
    return " ".join(str(value or "").split())


def pupil_validate(pupil: Pupil, *, check_duplicate: bool = True) -> None:
    """Collect every problem with a pupil's details (not yet saved) and raise them together."""
    errors: dict[str, list[str]] = {}
    try:
        pupil.upn = validate_upn(pupil.upn)
    except InvalidUPN as exc:
        errors.setdefault("upn", []).append(str(exc))
    else:
        if check_duplicate and Pupil.objects.filter(upn=pupil.upn).exclude(pk=pupil.pk).exists():
            errors.setdefault("upn", []).append(
                f"Another pupil in this school already has UPN {pupil.upn}."
            )
    for field in ("first_name", "last_name"):
        if not getattr(pupil, field):
            errors.setdefault(field, []).append(
                f"Enter the {Pupil._meta.get_field(field).verbose_name}."
            )
    if pupil.gender not in Pupil.Gender.values:
        errors.setdefault("gender", []).append("Gender must be F or M (as in the school census).")
    if pupil.year_group not in YEAR_GROUPS:
        errors.setdefault("year_group", []).append(
            f"{pupil.year_group or 'An empty value'} is not a year group. Use N1, N2, R or 1 to 13."
        )
    for field in ("form", "first_name", "last_name", "preferred_first_name", "preferred_last_name"):
        limit = Pupil._meta.get_field(field).max_length
        if len(getattr(pupil, field) or "") > limit:
            errors.setdefault(field, []).append(f"Use at most {limit} characters.")
    for field, messages in pupil_date_errors(
        date_of_birth=pupil.date_of_birth,
        admission_date=pupil.admission_date,
        leaving_date=pupil.leaving_date,
        sen_identified_on=pupil.sen_identified_on,
        today=_today(),
    ).items():
        errors.setdefault(field, []).extend(messages)
    if pupil.looked_after is False and pupil.designated_teacher_user_id:
        pupil.designated_teacher_user_id = None
    if _not_staff(pupil.designated_teacher_user_id):
        errors.setdefault("designated_teacher_user_id", []).append(
            "The designated teacher must be a member of staff at this school."
        )
    _raise(errors)


def _coerce_details(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for field in ("first_name", "last_name", "preferred_first_name", "preferred_last_name", "form"):
        if field in out:
            out[field] = _clean_text(out[field])
    if "year_group" in out:
        out["year_group"] = str(out["year_group"] or "").strip().upper()
    if "gender" in out:
        out["gender"] = str(out["gender"] or "").strip().upper()[:1]
    if "upn" in out:
        out["upn"] = str(out["upn"] or "")
    return out


@transaction.atomic
def pupil_create(
    *,
    acting_user,
    upn: str,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    gender: str,
    year_group: str,
    request=None,
    sen_provision: str = Provision.NONE,
    primary_need: str = "",
    secondary_need: str = "",
    sen_identified_on: dt.date | None = None,
    sen_lead_user_id: int | None = None,
    reason: str = "",
    **details: Any,
) -> Pupil:
    """Add a pupil. Register fields are optional; when given they become the first history row."""
    authorise(acting_user, "create_pupil")
    if sen_provision not in (None, "", Provision.NONE) or primary_need or secondary_need:
        authorise(acting_user, "change_register")
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError({f: ["This field cannot be set here."] for f in sorted(unknown)})
    values = _coerce_details(
        dict(
            upn=upn,
            first_name=first_name,
            last_name=last_name,
            gender=gender,
            year_group=year_group,
            **details,
        )
    )
    pupil = Pupil(date_of_birth=date_of_birth, **values)
    provision = (sen_provision or Provision.NONE).strip().upper()
    primary_need = (primary_need or "").strip().upper()
    secondary_need = (secondary_need or "").strip().upper()
    errors: dict[str, list[str]] = {}
    try:
        pupil_validate(pupil)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for field, messages in register_errors(provision, primary_need, secondary_need).items():
        errors.setdefault(field, []).extend(messages)
    if sen_identified_on and pupil.date_of_birth:
        for field, messages in pupil_date_errors(
            date_of_birth=pupil.date_of_birth, sen_identified_on=sen_identified_on, today=_today()
        ).items():
            errors.setdefault(field, []).extend(messages)
    _raise(errors)
    pupil.save()
    record(
        user=acting_user,
        action="pupil.created",
        pupil=pupil,
        summary="Added the pupil's record",
        request=request,
    )
    if provision != Provision.NONE:
        register_set_status(
            acting_user=acting_user,
            pupil=pupil,
            provision=provision,
            primary_need=primary_need,
            secondary_need=secondary_need,
            effective_date=sen_identified_on or _today(),
            identified_on=sen_identified_on,
            lead_user_id=sen_lead_user_id,
            reason=reason or "On the register when the pupil's record was added",
            request=request,
        )
        pupil.refresh_from_db()
    return pupil


@transaction.atomic
def pupil_update(*, acting_user, pupil: Pupil, request=None, **changes: Any) -> Pupil:
    """Change a pupil's details (not the register entry: see register_set_status)."""
    authorise(acting_user, "edit_pupil_details", pupil)
    register = set(changes) & set(REGISTER_FIELDS)
    if register:
        raise ValidationError(
            {
                f: ["Change the register entry through the register (it keeps the history)."]
                for f in sorted(register)
            }
        )
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError({f: ["This field cannot be changed."] for f in sorted(unknown)})
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    changes = _coerce_details(changes)
    changed = [f for f, v in changes.items() if getattr(pupil, f) != v]
    for field in changed:
        setattr(pupil, field, changes[field])
    if not changed:
        return pupil
    pupil_validate(pupil)
    pupil.updated_at = timezone.now()
    pupil.save(update_fields=[*changed, "updated_at", "designated_teacher_user_id"])
    labels = ", ".join(str(Pupil._meta.get_field(f).verbose_name) for f in changed)
    record(
        user=acting_user,
        action="pupil.updated",
        pupil=pupil,
        summary=f"Changed: {labels}"[:300],
        request=request,
        extra={"fields": changed},
    )
    return pupil


# -- the register ---------------------------------------------------------------------------


@transaction.atomic
def register_set_status(
    *,
    acting_user,
    pupil: Pupil,
    provision: str,
    primary_need: str = "",
    secondary_need: str = "",
    reason: str = "",
    effective_date: dt.date | None = None,
    identified_on: dt.date | None = None,
    lead_user_id: Any = _KEEP,
    request=None,
    source: str = SenHistory.Source.MANUAL,
) -> SenHistory | None:
    """Set the pupil's SEN provision and ranked needs from `effective_date` (default today),
    keeping the change in the history with who and why. Returns the history row, or None when
    nothing changed (so repeating an import writes nothing).

    Moving onto the register sets the date identified (default: the change date); moving off
    (N) clears the needs and the date identified. `lead_user_id` (a staff user id) is kept
    unless given."""
    authorise(acting_user, "change_register", pupil)
    provision = (provision or "").strip().upper()
    primary_need = (primary_need or "").strip().upper()
    secondary_need = (secondary_need or "").strip().upper()
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    errors = register_errors(provision, primary_need, secondary_need)
    effective_date = effective_date or _today()
    last_change = (
        pupil.sen_history.order_by("-effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )
    for field, messages in change_date_errors(
        effective_date=effective_date,
        date_of_birth=pupil.date_of_birth,
        last_change=last_change,
        today=_today(),
    ).items():
        errors.setdefault(field, []).extend(messages)
    if identified_on:
        for field, messages in pupil_date_errors(
            date_of_birth=pupil.date_of_birth, sen_identified_on=identified_on, today=_today()
        ).items():
            errors.setdefault(field, []).extend(messages)
    if lead_user_id is not _KEEP and _not_staff(lead_user_id):
        errors.setdefault("sen_lead_user_id", []).append(
            "The lead must be a member of staff at this school."
        )
    reason = (reason or "").strip()
    if source == SenHistory.Source.MANUAL and not reason:
        errors.setdefault("reason", []).append(
            "Say why the register entry is changing (it stays in the pupil's history)."
        )
    _raise(errors)

    same_codes = (pupil.sen_provision, pupil.primary_need, pupil.secondary_need) == (
        provision,
        primary_need,
        secondary_need,
    )
    lead_changes = lead_user_id is not _KEEP and lead_user_id != pupil.sen_lead_user_id
    if (
        same_codes
        and not lead_changes
        and not (identified_on and identified_on != pupil.sen_identified_on)
    ):
        return None
    was_on_register = pupil.on_register
    previous = {
        "provision": pupil.sen_provision,
        "primary_need": pupil.primary_need,
        "secondary_need": pupil.secondary_need,
    }
    pupil.sen_provision, pupil.primary_need, pupil.secondary_need = (
        provision,
        primary_need,
        secondary_need,
    )
    if provision == Provision.NONE:
        pupil.sen_identified_on = None
    elif identified_on:
        pupil.sen_identified_on = identified_on
    elif not was_on_register or pupil.sen_identified_on is None:
        pupil.sen_identified_on = effective_date
    if lead_user_id is not _KEEP:
        pupil.sen_lead_user_id = lead_user_id
    pupil.updated_at = timezone.now()
    pupil.save(
        update_fields=[
            "sen_provision",
            "primary_need",
            "secondary_need",
            "sen_identified_on",
            "sen_lead_user_id",
            "updated_at",
        ]
    )
    entry = None
    if not same_codes:
        entry = SenHistory.objects.create(
            pupil=pupil,
            effective_date=effective_date,
            provision=provision,
            primary_need=primary_need,
            secondary_need=secondary_need,
            reason=reason,
            source=source,
            changed_by_user_id=_uid(acting_user),
            changed_by_name=_name(acting_user),
        )
    codes = "/".join(c for c in (primary_need, secondary_need) if c)
    record(
        user=acting_user,
        action="register.changed",
        pupil=pupil,
        summary=f"Register entry {previous['provision']} → {provision}"
        + (f" ({codes})" if codes else ""),
        request=request,
        extra={
            "before": previous,
            "after": {
                "provision": provision,
                "primary_need": primary_need,
                "secondary_need": secondary_need,
            },
            "effective_date": effective_date.isoformat(),
            "source": source,
        },
    )
    return entry


# -- profile, voice, strategies ---------------------------------------------------------------


@transaction.atomic
def profile_update(*, acting_user, pupil: Pupil, request=None, **fields: str) -> PupilProfile:
    """Change the one-page profile and communication preferences."""
    authorise(acting_user, "edit_profile", pupil)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            {f: ["This field is not part of the profile."] for f in sorted(unknown)}
        )
    profile, _ = PupilProfile.objects.select_for_update().get_or_create(pupil=pupil)
    changed = [f for f, v in fields.items() if (v or "").strip() != getattr(profile, f)]
    if not changed:
        return profile
    for field in changed:
        setattr(profile, field, (fields[field] or "").strip())
    profile.updated_at = timezone.now()
    profile.updated_by_user_id = _uid(acting_user)
    profile.updated_by_name = _name(acting_user)
    profile.save()
    labels = ", ".join(str(PupilProfile._meta.get_field(f).verbose_name).lower() for f in changed)
    record(
        user=acting_user,
        action="profile.updated",
        pupil=pupil,
        summary=f"Changed: {labels}"[:300],
        request=request,
        extra={"fields": changed},
    )
    return profile


@transaction.atomic
def voice_add(
    *,
    acting_user,
    pupil: Pupil,
    what_they_said: str,
    how_gathered: str = "",
    recorded_on: dt.date | None = None,
    request=None,
) -> PupilVoice:
    authorise(acting_user, "add_voice", pupil)
    recorded_on = recorded_on or _today()
    errors: dict[str, list[str]] = {}
    if not (what_they_said or "").strip():
        errors["what_they_said"] = ["Write down what the pupil said."]
    if recorded_on > _today():
        errors["recorded_on"] = ["The date cannot be in the future."]
    elif recorded_on < pupil.date_of_birth:
        errors["recorded_on"] = ["The date cannot be before the date of birth."]
    _raise(errors)
    entry = PupilVoice.objects.create(
        pupil=pupil,
        what_they_said=what_they_said.strip(),
        how_gathered=(how_gathered or "").strip()[:120],
        recorded_on=recorded_on,
        recorded_by_user_id=_uid(acting_user),
        recorded_by_name=_name(acting_user),
    )
    record(
        user=acting_user,
        action="voice.added",
        pupil=pupil,
        summary="Recorded the pupil's views",
        request=request,
        extra={"voice_id": entry.pk},
    )
    return entry


@transaction.atomic
def strategy_add(*, acting_user, pupil: Pupil, text: str, request=None) -> Strategy:
    authorise(acting_user, "add_strategy", pupil)
    if not (text or "").strip():
        raise ValidationError({"text": ["Describe the strategy."]})
    strategy = Strategy.objects.create(
        pupil=pupil,
        text=text.strip(),
        added_by_user_id=_uid(acting_user),
        added_by_name=_name(acting_user),
    )
    record(
        user=acting_user,
        action="strategy.added",
        pupil=pupil,
        summary="Added a strategy that works",
        request=request,
        extra={"strategy_id": strategy.pk},
    )
    return strategy


@transaction.atomic
def strategy_retire(*, acting_user, strategy: Strategy, request=None) -> Strategy:
    authorise(acting_user, "add_strategy", strategy.pupil)
    if strategy.is_active:
        strategy.is_active = False
        strategy.save(update_fields=["is_active"])
        record(
            user=acting_user,
            action="strategy.retired",
            pupil=strategy.pupil,
            summary="Retired a strategy",
            request=request,
            extra={"strategy_id": strategy.pk},
        )
    return strategy


# -- concerns ---------------------------------------------------------------------------------


@transaction.atomic
def concern_raise(
    *, acting_user, pupil: Pupil, what_seen: str, what_tried: str = "", request=None
) -> Concern:
    """Any member of staff with the right raises a concern about any pupil on roll (the Code of
    Practice expects every teacher to flag a need they notice, taught or not). Raising one shows
    them nothing more about the pupil: the concern goes to the SENCo."""
    authorise(acting_user, "raise_concern")
    if pupil.leaving_date is not None and pupil.leaving_date <= timezone.localdate():
        raise ValidationError({"pupil": ["This pupil has left the school."]})
    if not (what_seen or "").strip():
        raise ValidationError({"what_seen": ["Describe what you have noticed."]})
    concern = Concern.objects.create(
        pupil=pupil,
        what_seen=what_seen.strip(),
        what_tried=(what_tried or "").strip(),
        raised_by_user_id=_uid(acting_user),
        raised_by_name=_name(acting_user),
    )
    record(
        user=acting_user,
        action="concern.raised",
        pupil=pupil,
        summary="Raised a concern",
        request=request,
        extra={"concern_id": concern.pk},
    )
    return concern


@transaction.atomic
def concern_triage(
    *, acting_user, concern: Concern, decision: str, note: str = "", request=None
) -> ConcernNote:
    """The SENCo's decision on a concern — monitor, assess, add to the register or no further
    action — with a dated note. Adding to the register is then done on the register itself."""
    authorise(acting_user, "triage_concern", concern.pupil)
    errors: dict[str, list[str]] = {}
    if decision not in Concern.DECISIONS:
        errors["decision"] = ["Choose monitor, assess, add to the register or no further action."]
    if not (note or "").strip():
        errors["note"] = ["Add a note saying why (it is kept with the concern, dated)."]
    _raise(errors)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    entry = ConcernNote.objects.create(
        concern=concern,
        decision=decision,
        note=note.strip(),
        written_by_user_id=_uid(acting_user),
        written_by_name=_name(acting_user),
    )
    before = concern.status
    concern.status = decision
    concern.updated_at = timezone.now()
    concern.save(update_fields=["status", "updated_at"])
    record(
        user=acting_user,
        action="concern.triaged",
        pupil=concern.pupil,
        summary=f"Concern {Concern.Status(before).label.lower()} → {Concern.Status(decision).label.lower()}",
        request=request,
        extra={"concern_id": concern.pk, "decision": decision},
    )
    return entry


# -- classes and assignments -----------------------------------------------------------------


@transaction.atomic
def teaching_group_create(
    *,
    acting_user,
    name: str,
    year_group: str = "",
    subject: str = "",
    staff_user_ids: list[int] = (),
    pupil_ids: list[int] = (),
    request=None,
) -> TeachingGroup:
    authorise(acting_user, "manage_classes")
    name = _clean_text(name)
    if not name:
        raise ValidationError({"name": ["Give the class a name."]})
    if TeachingGroup.objects.filter(name=name).exists():
        raise ValidationError({"name": [f"There is already a class called {name}."]})
    if year_group and year_group not in YEAR_GROUPS:
        raise ValidationError(
            {"year_group": [f"{year_group} is not a year group. Use N1, N2, R or 1 to 13."]}
        )
    strangers = [uid for uid in staff_user_ids if _not_staff(uid)]
    if strangers:
        raise ValidationError({"staff_user_ids": ["Choose members of staff at this school."]})
    group = TeachingGroup.objects.create(name=name, year_group=year_group, subject=subject)
    TeachingGroupStaff.objects.bulk_create(
        [TeachingGroupStaff(group=group, user_id=uid) for uid in dict.fromkeys(staff_user_ids)]
    )
    group.pupils.add(*pupil_ids)
    record(
        user=acting_user,
        action="class.changed",
        summary=f"Created class {name}",
        request=request,
        extra={"group_id": group.pk},
    )
    return group


@transaction.atomic
def teaching_group_set_staff(
    *, acting_user, group: TeachingGroup, staff_user_ids: list[int], request=None
) -> TeachingGroup:
    """Who teaches a class (teachers then see its pupils)."""
    authorise(acting_user, "manage_classes")
    wanted = set(staff_user_ids)
    if any(_not_staff(uid) for uid in wanted):
        raise ValidationError({"staff_user_ids": ["Choose members of staff at this school."]})
    current = set(group.staff.values_list("user_id", flat=True))
    if wanted == current:
        return group
    group.staff.filter(user_id__in=current - wanted).delete()
    TeachingGroupStaff.objects.bulk_create(
        [TeachingGroupStaff(group=group, user_id=uid) for uid in wanted - current]
    )
    record(
        user=acting_user,
        action="class.changed",
        summary=f"Changed who teaches {group.name}",
        request=request,
        extra={"group_id": group.pk, "staff": sorted(wanted)},
    )
    return group


@transaction.atomic
def ta_assign(*, acting_user, pupil: Pupil, user_id: int, request=None) -> TAAssignment:
    """Assign a teaching assistant to work with a pupil (they then see the pupil's record)."""
    authorise(acting_user, "assign_ta", pupil)
    from tenants.models import SchoolMembership
    from tenants.roles import SchoolRole

    school = getattr(connection, "tenant", None)
    if not SchoolMembership.objects.filter(
        school_id=getattr(school, "pk", None), user_id=user_id, role=SchoolRole.TEACHING_ASSISTANT
    ).exists():
        raise ValidationError({"user_id": ["Choose a teaching assistant at this school."]})
    assignment, created = TAAssignment.objects.get_or_create(pupil=pupil, user_id=user_id)
    if created:
        record(
            user=acting_user,
            action="ta.assigned",
            pupil=pupil,
            summary="Assigned a teaching assistant",
            request=request,
            extra={"ta_user_id": user_id},
        )
    return assignment


@transaction.atomic
def ta_unassign(*, acting_user, pupil: Pupil, user_id: int, request=None) -> bool:
    authorise(acting_user, "assign_ta", pupil)
    deleted, _ = TAAssignment.objects.filter(pupil=pupil, user_id=user_id).delete()
    if deleted:
        record(
            user=acting_user,
            action="ta.unassigned",
            pupil=pupil,
            summary="Removed a teaching assistant",
            request=request,
            extra={"ta_user_id": user_id},
        )
    return bool(deleted)
