"""Writes of the trust console. Each takes the acting user, runs in a transaction and records a
trust audit event; pupil-level actions (drill-down, transfers) are also recorded in the school's
own audit log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tenants.models import Invitation, School, SchoolMembership, Trust, TrustMembership, User
from tenants.roles import SchoolRole
from tenants.schemas import in_school_schema
from tenants.services import (
    invitation_create,
    school_archive,
    school_provision,
    school_reactivate,
    school_suspend,
)

from .access import RIGHTS, require_school_publisher, require_school_senco
from .actions import TrustAction
from .audit import trust_audit
from .library import CATALOGUE_FIELDS, item_type
from .models import (
    TRANSFER_REASONS,
    ArrangementSchool,
    EffectivenessReview,
    LibraryAdoption,
    LibraryItem,
    PupilTransfer,
    SencoQualification,
    SharedSencoArrangement,
    TrustSettings,
)
from .selectors import names_in_library_text
from .transfers import TransferContext, transfer_parts


def school_audit(
    *,
    school: School,
    user: User | None,
    action: TrustAction,
    summary: str,
    pupil_id: int | None = None,
    request=None,
    extra: dict | None = None,
) -> None:
    """Record an event in the school's own audit log (its schema)."""
    from django.apps import apps

    from apps.audit.services import record

    with in_school_schema(school):
        pupil = None
        if pupil_id is not None and apps.is_installed("apps.pupils"):
            pupil = apps.get_model("pupils", "Pupil").objects.filter(pk=pupil_id).first()
        record(user=user, action=action, pupil=pupil, summary=summary, request=request, extra=extra)


# --- Schools ---------------------------------------------------------------------------------


def school_onboard(
    *,
    acting_user: User,
    trust: Trust,
    name: str,
    urn: str,
    subdomain: str,
    phase: str,
    local_authority_name: str,
    local_authority_code: str,
    number_on_roll: int,
    senco_name: str,
    senco_email: str,
    headteacher_name: str,
    headteacher_email: str,
) -> School:
    """Provision a school and invite its SENCo and headteacher (one-time links by email, sent
    after commit). All or nothing."""
    RIGHTS.require(acting_user, trust.pk, "manage_schools")
    if senco_email.strip().lower() == headteacher_email.strip().lower():
        raise ValidationError(
            {
                "headteacher_email": "The headteacher and the SENCo need different email addresses: a SENCo must not be the headteacher."
            }
        )
    with transaction.atomic():
        school = school_provision(
            acting_user=acting_user,
            trust=trust,
            name=name,
            urn=urn,
            subdomain=subdomain,
            phase=phase,
            local_authority_name=local_authority_name,
            local_authority_code=local_authority_code,
            number_on_roll=number_on_roll,
        )
        invitation_create(
            acting_user=acting_user,
            email=senco_email,
            full_name=senco_name,
            school=school,
            school_role=SchoolRole.SENCO,
        )
        invitation_create(
            acting_user=acting_user,
            email=headteacher_email,
            full_name=headteacher_name,
            school=school,
            school_role=SchoolRole.HEADTEACHER,
        )
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TrustAction.SCHOOL_ONBOARDED,
            school=school,
            summary=f"Onboarded {school.name} and invited its SENCo and headteacher",
        )
    return school


_STATUS_CHANGES = {
    "suspend": school_suspend,
    "archive": school_archive,
    "reactivate": school_reactivate,
}


def school_change_status(*, acting_user: User, school: School, action: str) -> School:
    """Suspend, archive or reactivate (the tenancy service checks the role and writes the audit
    row)."""
    RIGHTS.require(acting_user, school.trust_id, "manage_schools")
    if action not in _STATUS_CHANGES:
        raise ValidationError({"action": f"“{action}” is not a status change."})
    return _STATUS_CHANGES[action](acting_user=acting_user, school=school)


def trust_user_invite(
    *, acting_user: User, trust: Trust, email: str, full_name: str, trust_role: str
) -> Invitation:
    """Invite someone to a trust role (a one-time link by email, sent after commit; the tenancy
    service writes the audit row)."""
    RIGHTS.require(acting_user, trust.pk, "manage_people")
    if TrustMembership.objects.filter(trust=trust, user__email__iexact=email.strip()).exists():
        raise ValidationError({"email": f"{email} already has a role in the trust."})
    return invitation_create(
        acting_user=acting_user,
        email=email,
        full_name=full_name,
        trust=trust,
        trust_role=trust_role,
    )


def trust_drill_down(
    *, acting_user: User, school: School, request=None, how: str = "from the trust console"
) -> None:
    """The trust SEND lead opens a school's pupil-level pages: recorded in the school's audit log
    (and in the trust's). Reaching the school directly (its pages, an API token) is recorded the
    same way, once an hour (apps.audit.reads.drill_down_once)."""
    RIGHTS.require(acting_user, school.trust_id, "drill_down")
    with transaction.atomic():
        school_audit(
            school=school,
            user=acting_user,
            action=TrustAction.SCHOOL_DRILL_DOWN,
            request=None,
            summary=f"Trust SEND lead {acting_user.full_name} opened the school's records {how}",
        )
        trust_audit(
            trust=school.trust,
            actor=acting_user,
            action=TrustAction.DRILL_DOWN,
            school=school,
            summary=f"Opened {school.name}'s pupil records (recorded in the school's audit log)",
        )


def trust_settings_for(trust: Trust) -> TrustSettings:
    settings_row, _ = TrustSettings.objects.get_or_create(trust=trust)
    return settings_row


def trust_settings_update(*, acting_user: User, trust: Trust, **values) -> TrustSettings:
    RIGHTS.require(acting_user, trust.pk, "change_settings")
    row = trust_settings_for(trust)
    for key, value in values.items():
        setattr(row, key, value)
    row.full_clean()
    with transaction.atomic():
        row.save()
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TrustAction.SETTINGS_CHANGED,
            summary="Changed the shared SENCo check thresholds",
        )
    return row


def rollups_refresh(*, acting_user: User | None, trust: Trust) -> None:
    """Queue a refresh of every school's figures (one task per school, ids only)."""
    RIGHTS.require(acting_user, trust.pk, "refresh_figures")
    from .tasks import refresh_trust_rollups

    with transaction.atomic():
        if acting_user is not None:
            trust_audit(
                trust=trust,
                actor=acting_user,
                action=TrustAction.ROLLUPS_REFRESHED,
                summary="Asked for fresh figures from every school",
            )
        transaction.on_commit(
            lambda: refresh_trust_rollups.apply_async(
                args=[trust.pk], headers={"_schema_name": "public"}
            )
        )


# --- Shared SENCos and qualifications ------------------------------------------------------------


def _check_trust_school(trust: Trust, school: School) -> None:
    if school.trust_id != trust.pk:
        raise ValidationError("That school is not one of the trust's schools.")


def _senco_of_trust(trust: Trust, senco: User) -> None:
    if not SchoolMembership.objects.filter(
        user=senco, school__trust=trust, role=SchoolRole.SENCO
    ).exists():
        raise ValidationError(
            {"senco": f"{senco.full_name} is not a SENCo at any of the trust's schools."}
        )


def arrangement_save(
    *,
    acting_user: User | None,
    trust: Trust,
    senco: User,
    teaching_hours_per_week: Decimal,
    admin_support_hours_per_week: Decimal,
    started_on: date,
    next_review_due: date,
    school_hours: dict[School, Decimal],
    arrangement: SharedSencoArrangement | None = None,
) -> SharedSencoArrangement:
    RIGHTS.require(acting_user, trust.pk, "manage_shared_sencos")
    _senco_of_trust(trust, senco)
    if len(school_hours) < 2:
        raise ValidationError(
            {"schools": "A shared arrangement covers at least two schools: give time for each."}
        )
    for school, hours in school_hours.items():
        _check_trust_school(trust, school)
        if hours is None or hours <= 0:
            raise ValidationError({"schools": f"Give the hours a week for {school.name}."})
    if next_review_due < started_on:
        raise ValidationError(
            {"next_review_due": "The first review cannot be before the start date."}
        )
    with transaction.atomic():
        created = arrangement is None
        if arrangement is None:
            arrangement = SharedSencoArrangement(trust=trust)
        arrangement.senco = senco
        arrangement.teaching_hours_per_week = teaching_hours_per_week
        arrangement.admin_support_hours_per_week = admin_support_hours_per_week
        arrangement.started_on = started_on
        arrangement.next_review_due = next_review_due
        arrangement.full_clean()
        arrangement.save()
        arrangement.school_times.exclude(school__in=list(school_hours)).delete()
        for school, hours in school_hours.items():
            ArrangementSchool.objects.update_or_create(
                arrangement=arrangement, school=school, defaults={"hours_per_week": hours}
            )
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TrustAction.ARRANGEMENT_SAVED,
            summary=f"{'Set up' if created else 'Changed'} the shared SENCo arrangement for {senco.full_name}",
        )
    return arrangement


def review_record(
    *,
    acting_user: User,
    arrangement: SharedSencoArrangement,
    reviewed_on: date,
    evidence: str,
    decision: str,
    next_review_due: date | None,
) -> EffectivenessReview:
    RIGHTS.require(acting_user, arrangement.trust_id, "manage_shared_sencos")
    errors: dict[str, str] = {}
    if not evidence.strip():
        errors["evidence"] = "Say what evidence the review considered."
    if decision not in EffectivenessReview.Decision.values:
        errors["decision"] = "Choose whether the arrangement continues, changes or ends."
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The review date cannot be in the future."
    if decision != EffectivenessReview.Decision.END:
        if next_review_due is None:
            errors["next_review_due"] = "Give the date of the next review."
        elif next_review_due <= reviewed_on:
            errors["next_review_due"] = "The next review must be after this one."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = EffectivenessReview.objects.create(
            arrangement=arrangement,
            reviewed_on=reviewed_on,
            evidence=evidence.strip(),
            decision=decision,
            next_review_due=next_review_due
            if decision != EffectivenessReview.Decision.END
            else None,
            reviewed_by=acting_user,
        )
        if decision == EffectivenessReview.Decision.END:
            arrangement.ended_on = reviewed_on
        elif next_review_due is not None:  # required above unless the arrangement ends
            arrangement.next_review_due = next_review_due
        arrangement.save(update_fields=["ended_on", "next_review_due"])
        trust_audit(
            trust=arrangement.trust,
            actor=acting_user,
            action=TrustAction.ARRANGEMENT_REVIEWED,
            summary=f"Reviewed the shared SENCo arrangement for {arrangement.senco.full_name}: {review.get_decision_display().lower()}",
        )
    return review


def qualification_save(
    *,
    acting_user: User,
    trust: Trust,
    senco: User,
    appointed_on: date,
    has_qts: bool,
    award: str,
    award_achieved_on: date | None,
) -> SencoQualification:
    RIGHTS.require(acting_user, trust.pk, "manage_shared_sencos")
    _senco_of_trust(trust, senco)
    if award in SencoQualification.HELD and award_achieved_on is None:
        raise ValidationError(
            {"award_achieved_on": "Give the date the qualification was achieved."}
        )
    if award not in SencoQualification.HELD:
        award_achieved_on = None
    with transaction.atomic():
        row, _ = SencoQualification.objects.update_or_create(
            trust=trust,
            senco=senco,
            defaults={
                "appointed_on": appointed_on,
                "has_qts": has_qts,
                "award": award,
                "award_achieved_on": award_achieved_on,
            },
        )
        row.full_clean()
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TrustAction.QUALIFICATION_SAVED,
            summary=f"Updated {senco.full_name}'s SENCo qualifications",
        )
    return row


# --- Library --------------------------------------------------------------------------------------


def library_publish(
    *,
    acting_user: User | None,
    trust: Trust,
    school: School,
    item_type_key: str,
    source_ref: str = "",
    title: str | None = None,
    summary: str | None = None,
    body: str | None = None,
    area_of_need: str = "",
) -> LibraryItem:
    """Publish to the trust library.

    Guidance and templates (no school source) are written in the console by trust leads. An item
    from a school's catalogue (a strategy, an intervention, an agency entry) is chosen on the
    school's host by the school's own SENCo: its catalogue fields are copied from the school's item
    (in its schema) and nothing else is taken. The SENCo may reword the title, summary and body
    before publishing; whatever is published is first checked against every name on the school's
    roll and refused while any word matches (the error names the field and the words)."""
    kind = item_type(item_type_key)
    if kind is None:
        raise ValidationError({"item_type": "Choose what kind of item to publish."})
    from_school = kind.snapshot is not None
    if from_school:
        require_school_publisher(acting_user, school)
    else:
        RIGHTS.require(acting_user, trust.pk, "publish_to_library")
    _check_trust_school(trust, school)
    content = {
        "title": title or "",
        "summary": summary or "",
        "body": body or "",
        "area_of_need": area_of_need,
    }
    if from_school:
        assert kind.snapshot is not None
        if not source_ref:
            raise ValidationError({"source_ref": f"Choose the {kind.label.lower()} to publish."})
        with in_school_schema(school):
            known = {ref for ref, _ in (kind.sources(school) if kind.sources else [])}
            if source_ref not in known:
                raise ValidationError(
                    {
                        "source_ref": f"That {kind.label.lower()} is not in {school.name}'s catalogue."
                    }
                )
            snap = kind.snapshot(source_ref)
        content = {k: str(snap.get(k, "") or "") for k in CATALOGUE_FIELDS}
        # The SENCo's rewording, where given (never the area of need: that is the catalogue's).
        for field, reworded in (("title", title), ("summary", summary), ("body", body)):
            if reworded is not None:
                content[field] = reworded
        named = names_in_library_text(school, {f: content[f] for f in ("title", "summary", "body")})
        if named:
            raise ValidationError(
                {
                    field: "This wording mentions a pupil by name ("
                    + ", ".join(f"“{m.word}”" for m in matches)
                    + "), so it cannot be published. Reword it first."
                    for field, matches in named.items()
                }
            )
    else:
        source_ref = ""
    if not content["title"].strip():
        raise ValidationError({"title": "Give the item a title."})
    if not content["body"].strip() and not content["summary"].strip():
        raise ValidationError({"body": "Describe the item: what it is and how to use it."})
    with transaction.atomic():
        item = LibraryItem.objects.create(
            trust=trust,
            item_type=kind.key,
            source_school=school,
            source_ref=source_ref,
            published_by=acting_user,
            title=content["title"].strip()[:200],
            summary=content["summary"].strip()[:500],
            body=content["body"].strip(),
            area_of_need=content["area_of_need"][:64],
        )
        trust_audit(
            trust=trust,
            actor=acting_user,
            action=TrustAction.LIBRARY_PUBLISHED,
            school=school,
            summary=f"Published “{item.title}” ({kind.label.lower()}) from {school.name}",
        )
        if from_school:
            school_audit(
                school=school,
                user=acting_user,
                action=TrustAction.LIBRARY_PUBLISHED,
                summary=f"Shared “{item.title}” ({kind.label.lower()}) with the trust library",
                extra={"library_item": item.pk},
            )
    return item


def library_withdraw(*, acting_user: User | None, item: LibraryItem) -> LibraryItem:
    """Take an item out of the library (it stays in the schools that adopted it, and in the
    audit); nobody can adopt it any more. Withdrawing twice changes nothing. The trust's leads may
    withdraw any item; the publishing school's SENCo may withdraw the school's own."""
    by_school = False
    if acting_user is not None and not RIGHTS.can(acting_user, item.trust_id, "publish_to_library"):
        require_school_publisher(acting_user, item.source_school)
        by_school = True
    if item.withdrawn_at is not None:
        return item
    with transaction.atomic():
        item.withdrawn_at = timezone.now()
        item.save(update_fields=["withdrawn_at"])
        trust_audit(
            trust=item.trust,
            actor=acting_user,
            action=TrustAction.LIBRARY_WITHDRAWN,
            school=item.source_school,
            summary=f"Withdrew “{item.title}” from the library"
            + (f" ({item.source_school.name}'s SENCo)" if by_school else ""),
        )
        if by_school:
            school_audit(
                school=item.source_school,
                user=acting_user,
                action=TrustAction.LIBRARY_WITHDRAWN,
                summary=f"Withdrew “{item.title}” from the trust library",
                extra={"library_item": item.pk},
            )
    return item


def library_adopt(
    *, acting_user: User | None, item: LibraryItem, school: School
) -> LibraryAdoption:
    """Adopt an item into a school in one step: the item type makes the school's own copy."""
    RIGHTS.require(acting_user, item.trust_id, "adopt_from_library")
    _check_trust_school(item.trust, school)
    if item.withdrawn_at:
        raise ValidationError("This item has been withdrawn from the library.")
    if item.source_school_id == school.pk:
        raise ValidationError(f"{school.name} published this item; it already has it.")
    if LibraryAdoption.objects.filter(item=item, school=school).exists():
        raise ValidationError(f"{school.name} has already adopted this item.")
    kind = item_type(item.item_type)
    with transaction.atomic():
        local_ref = ""
        if kind is not None and kind.adopt is not None:
            with in_school_schema(school):
                local_ref = str(kind.adopt(item, acting_user))
                school_audit(
                    school=school,
                    user=acting_user,
                    action=TrustAction.LIBRARY_ADOPTED,
                    summary=f"Adopted “{item.title}” from the trust library",
                )
        adoption = LibraryAdoption.objects.create(
            item=item, school=school, local_ref=local_ref, adopted_by=acting_user
        )
        trust_audit(
            trust=item.trust,
            actor=acting_user,
            action=TrustAction.LIBRARY_ADOPTED,
            school=school,
            summary=f"{school.name} adopted “{item.title}”",
        )
    return adoption


# --- Transfers ------------------------------------------------------------------------------------


def transfer_start(
    *,
    acting_user: User,
    from_school: School,
    to_school: School,
    source_pupil_id: int,
    reason: str = "",
) -> PupilTransfer:
    require_school_senco(acting_user, from_school)
    if from_school.trust_id != to_school.trust_id:
        raise ValidationError({"to_school": "Transfers go between schools of the same trust."})
    if from_school.pk == to_school.pk:
        raise ValidationError({"to_school": "Choose a different school."})
    if reason and reason not in dict(TRANSFER_REASONS):
        raise ValidationError(
            {
                "reason": "Choose a reason from the list (a transfer holds no free text about a child)."
            }
        )
    if to_school.status != School.Status.ACTIVE:
        raise ValidationError(
            {"to_school": f"{to_school.name} is not active, so it cannot receive a transfer."}
        )
    parts = transfer_parts()
    describe = next((p.describe for p in parts if p.describe), None)
    with in_school_schema(from_school):
        if describe is None or not describe(source_pupil_id):
            raise ValidationError({"pupil": "Choose a pupil on this school's roll."})
    if PupilTransfer.objects.filter(
        from_school=from_school,
        source_pupil_id=source_pupil_id,
        status=PupilTransfer.Status.PENDING,
    ).exists():
        raise ValidationError(
            {"pupil": "This pupil already has a transfer waiting to be accepted."}
        )
    with transaction.atomic():
        transfer = PupilTransfer.objects.create(
            trust=from_school.trust,
            from_school=from_school,
            to_school=to_school,
            source_pupil_id=source_pupil_id,
            reason=reason,
            started_by=acting_user,
        )
        school_audit(
            school=from_school,
            user=acting_user,
            action=TrustAction.TRANSFER_STARTED,
            pupil_id=source_pupil_id,
            summary=f"Started a transfer of the pupil's SEND file to {to_school.name}",
        )
        trust_audit(
            trust=from_school.trust,
            actor=acting_user,
            action=TrustAction.TRANSFER_STARTED,
            school=from_school,
            summary=f"Transfer #{transfer.pk} started from {from_school.name} to {to_school.name}",
        )
    return transfer


def transfer_accept(*, acting_user: User, transfer: PupilTransfer) -> PupilTransfer:
    """Copy the pupil's SEND file into the receiving school: every part, atomically."""
    require_school_senco(acting_user, transfer.to_school)
    parts = transfer_parts()
    ctx = TransferContext(
        source_pupil_id=transfer.source_pupil_id,
        from_school=transfer.from_school,
        to_school=transfer.to_school,
        acting_user=acting_user,
    )
    try:
        with transaction.atomic():
            return _transfer_copy(acting_user=acting_user, transfer=transfer, parts=parts, ctx=ctx)
    except BaseException:
        for undo in reversed(ctx.on_failure):
            undo()
        raise


def _transfer_copy(
    *, acting_user: User, transfer: PupilTransfer, parts, ctx: TransferContext
) -> PupilTransfer:
    transfer = (
        PupilTransfer.objects.select_for_update()
        .select_related("from_school", "to_school", "trust")
        .get(pk=transfer.pk)
    )
    if transfer.status != PupilTransfer.Status.PENDING:
        raise ValidationError("This transfer is no longer waiting to be accepted.")
    with in_school_schema(transfer.from_school):
        payloads = {part.key: part.export(ctx) for part in parts}
    counts: dict[str, int] = {}
    with in_school_schema(transfer.to_school):
        for part in parts:
            counts[part.key] = int(part.import_(payloads[part.key], ctx) or 0)
    if ctx.received_pupil_id is None:
        raise ValidationError(
            "No part created the pupil in the receiving school; nothing was copied."
        )
    school_audit(
        school=transfer.to_school,
        user=acting_user,
        action=TrustAction.TRANSFER_RECEIVED,
        pupil_id=ctx.received_pupil_id,
        summary=f"Received the pupil's SEND file from {transfer.from_school.name} (transfer #{transfer.pk})",
        extra={"parts": counts},
    )
    with in_school_schema(transfer.from_school):
        for part in parts:
            if part.mark_leaver:
                part.mark_leaver(ctx)
    school_audit(
        school=transfer.from_school,
        user=acting_user,
        action=TrustAction.TRANSFER_SENT,
        pupil_id=transfer.source_pupil_id,
        summary=f"The pupil's SEND file was copied to {transfer.to_school.name} (transfer #{transfer.pk}); kept here as a leaver",
        extra={"parts": counts},
    )
    transfer.status = PupilTransfer.Status.ACCEPTED
    transfer.received_pupil_id = ctx.received_pupil_id
    transfer.decided_by = acting_user
    transfer.decided_at = timezone.now()
    transfer.parts_copied = counts
    transfer.save()
    trust_audit(
        trust=transfer.trust,
        actor=acting_user,
        action=TrustAction.TRANSFER_ACCEPTED,
        school=transfer.to_school,
        summary=f"Transfer #{transfer.pk} accepted by {transfer.to_school.name}",
    )
    return transfer


def transfer_decline(
    *, acting_user: User, transfer: PupilTransfer, cancel: bool = False
) -> PupilTransfer:
    # The sender's SENCo cancels; the receiver's SENCo declines.
    require_school_senco(acting_user, transfer.from_school if cancel else transfer.to_school)
    with transaction.atomic():
        transfer = (
            PupilTransfer.objects.select_for_update()
            .select_related("from_school", "to_school", "trust")
            .get(pk=transfer.pk)
        )
        if transfer.status != PupilTransfer.Status.PENDING:
            raise ValidationError("This transfer is no longer waiting to be accepted.")
        transfer.status = (
            PupilTransfer.Status.CANCELLED if cancel else PupilTransfer.Status.DECLINED
        )
        transfer.decided_by = acting_user
        transfer.decided_at = timezone.now()
        transfer.save()
        school = transfer.from_school if cancel else transfer.to_school
        school_audit(
            school=transfer.from_school,
            user=acting_user,
            action=TrustAction.TRANSFER_CANCELLED if cancel else TrustAction.TRANSFER_DECLINED,
            pupil_id=transfer.source_pupil_id,
            summary=f"Transfer #{transfer.pk} to {transfer.to_school.name} {'cancelled' if cancel else 'declined by the receiving school'}",
        )
        trust_audit(
            trust=transfer.trust,
            actor=acting_user,
            action=TrustAction.TRANSFER_CANCELLED if cancel else TrustAction.TRANSFER_DECLINED,
            school=school,
            summary=f"Transfer #{transfer.pk} {'cancelled' if cancel else 'declined'}",
        )
    return transfer
