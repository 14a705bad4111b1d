"""Every write to family records: contacts, meetings with their agreed actions, consent.

Each function is atomic, checks the acting user's rights (None: the system), writes the audit
row, and raises ValidationError keyed by field with nothing written when the input is bad."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core.acting import actor_id, actor_name, authorise
from apps.core.changes import apply_changes
from apps.pupils.models import Pupil

from .access import RIGHTS
from .actions import FamilyAction
from .dependants import CONSENT_DEPENDANTS
from .models import AgreedAction, Consent, Contact, Meeting
from .rules import meeting_date_errors

CONTACT_FIELDS = (
    "name",
    "relationship",
    "parental_responsibility",
    "lives_with_pupil",
    "phone",
    "email",
    "address",
    "preferred_contact",
    "contact_notes",
    "language",
    "needs_interpreter",
    "priority",
)
MEETING_FIELDS = ("kind", "held_on", "status", "attendees", "parents_views", "pupil_views", "notes")


def _today() -> dt.date:
    return timezone.localdate()


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value: Any) -> str:
    return str(value or "").strip()


# -- contacts --------------------------------------------------------------------------------


def _contact_errors(contact: Contact) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not contact.name:
        errors["name"] = ["Enter the contact's name."]
    if contact.relationship not in Contact.Relationship.values:
        errors["relationship"] = ["Choose how the contact is related to the pupil."]
    if contact.preferred_contact not in Contact.Preference.values:
        errors["preferred_contact"] = ["Choose how they prefer to be contacted."]
    if contact.email:
        try:
            validate_email(contact.email)
        except ValidationError:
            errors["email"] = ["Enter an email address like name@example.com."]
    if contact.preferred_contact == Contact.Preference.EMAIL and not contact.email:
        errors["email"] = ["They prefer email: enter their email address."]
    if contact.preferred_contact in (Contact.Preference.PHONE, Contact.Preference.TEXT) and not (
        contact.phone
    ):
        errors["phone"] = ["They prefer phone or text: enter their phone number."]
    if contact.needs_interpreter and (contact.language or "").lower() in ("", "english"):
        errors["language"] = ["Say which language the interpreter is for."]
    if len(contact.name) > 150:
        errors["name"] = ["Use at most 150 characters."]
    return errors


@transaction.atomic
def contact_add(*, acting_user: Any, pupil: Pupil, request: Any = None, **fields: Any) -> Contact:
    authorise(RIGHTS, acting_user, "write_contacts", pupil_id=pupil.pk)
    values = {k: v for k, v in fields.items() if k in CONTACT_FIELDS}
    for key in ("name", "phone", "email", "address", "contact_notes", "language"):
        if key in values:
            values[key] = _text(values[key])
    values.setdefault("language", "English")
    values["language"] = values["language"] or "English"
    contact = Contact(pupil=pupil, **values)
    _raise(_contact_errors(contact))
    contact.save()
    record(
        user=acting_user,
        action=FamilyAction.CONTACT_ADDED,
        pupil=pupil,
        summary="Added a parent or carer",
        request=request,
        extra={"contact_id": contact.pk},
    )
    return contact


@transaction.atomic
def contact_update(
    *, acting_user: Any, contact: Contact, request: Any = None, **changes: Any
) -> Contact:
    authorise(RIGHTS, acting_user, "write_contacts", pupil_id=contact.pupil_id)
    changed = apply_changes(contact, changes, CONTACT_FIELDS, strip=True)
    _raise(_contact_errors(contact))
    if changed:
        contact.updated_at = timezone.now()
        contact.save()
        record(
            user=acting_user,
            action=FamilyAction.CONTACT_CHANGED,
            pupil=contact.pupil,
            summary="Changed a parent's or carer's details",
            request=request,
            extra={"contact_id": contact.pk, "fields": changed},
        )
    return contact


# -- meetings and agreed actions -----------------------------------------------------------


def _meeting_errors(meeting: Meeting, pupil: Pupil) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if meeting.kind not in Meeting.Kind.values:
        errors["kind"] = ["Choose the kind of meeting."]
    if meeting.status not in Meeting.Status.values:
        errors["status"] = ["Choose whether the meeting was held, is planned or was cancelled."]
    errors.update(
        meeting_date_errors(
            held_on=meeting.held_on,
            held=meeting.status == Meeting.Status.HELD,
            admission_date=pupil.admission_date,
            today=_today(),
        )
    )
    if not meeting.attendees:
        errors["attendees"] = ["Say who was at the meeting (or is invited)."]
    return errors


def _action_errors(action: dict[str, Any], prefix: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not _text(action.get("what")):
        errors[f"{prefix}what"] = ["Say what was agreed."]
    if not _text(action.get("owner_name")):
        errors[f"{prefix}owner_name"] = ["Every agreed action needs an owner: say who will do it."]
    due = action.get("due_on")
    if not isinstance(due, dt.date):
        errors[f"{prefix}due_on"] = ["Every agreed action needs a due date."]
    return errors


def _new_action(meeting: Meeting, action: dict[str, Any]) -> AgreedAction:
    return AgreedAction.objects.create(
        meeting=meeting,
        what=_text(action["what"]),
        owner_name=_text(action["owner_name"]),
        owner_user_id=action.get("owner_user_id") or None,
        due_on=action["due_on"],
    )


@transaction.atomic
def meeting_record(
    *,
    acting_user: Any,
    pupil: Pupil,
    kind: str,
    held_on: dt.date | None,
    attendees: str,
    status: str = Meeting.Status.HELD,
    parents_views: str = "",
    pupil_views: str = "",
    notes: str = "",
    actions: list[dict[str, Any]] | None = None,
    request: Any = None,
) -> Meeting:
    """A meeting with parents, with the actions agreed at it (each with an owner and due date)."""
    authorise(RIGHTS, acting_user, "write_meetings", pupil_id=pupil.pk)
    meeting = Meeting(
        pupil=pupil,
        kind=kind,
        held_on=cast(dt.date, held_on),  # a missing date is refused below
        status=status or Meeting.Status.HELD,
        attendees=_text(attendees),
        parents_views=_text(parents_views),
        pupil_views=_text(pupil_views),
        notes=_text(notes),
        recorded_by_user_id=actor_id(acting_user),
        recorded_by_name=actor_name(acting_user),
    )
    errors = _meeting_errors(meeting, pupil)
    for i, action in enumerate(actions or []):
        errors.update(_action_errors(action, f"actions.{i}."))
    _raise(errors)
    meeting.save()
    for action in actions or []:
        _new_action(meeting, action)
    record(
        user=acting_user,
        action=FamilyAction.MEETING_RECORDED,
        pupil=pupil,
        summary=f"Recorded a meeting with parents ({meeting.get_kind_display()})",
        request=request,
        extra={"meeting_id": meeting.pk, "actions": len(actions or [])},
    )
    return meeting


@transaction.atomic
def meeting_update(
    *, acting_user: Any, meeting: Meeting, request: Any = None, **changes: Any
) -> Meeting:
    authorise(RIGHTS, acting_user, "write_meetings", pupil_id=meeting.pupil_id)
    changed = apply_changes(meeting, changes, MEETING_FIELDS, strip=True)
    _raise(_meeting_errors(meeting, meeting.pupil))
    if changed:
        meeting.save()
        record(
            user=acting_user,
            action=FamilyAction.MEETING_CHANGED,
            pupil=meeting.pupil,
            summary="Changed a meeting with parents",
            request=request,
            extra={"meeting_id": meeting.pk, "fields": changed},
        )
    return meeting


@transaction.atomic
def action_add(
    *,
    acting_user: Any,
    meeting: Meeting,
    what: str,
    owner_name: str,
    due_on: dt.date | None,
    owner_user_id: int | None = None,
    request: Any = None,
) -> AgreedAction:
    authorise(RIGHTS, acting_user, "write_meetings", pupil_id=meeting.pupil_id)
    values = {"what": what, "owner_name": owner_name, "due_on": due_on}
    _raise(_action_errors(values, ""))
    action = _new_action(meeting, {**values, "owner_user_id": owner_user_id})
    record(
        user=acting_user,
        action=FamilyAction.ACTION_ADDED,
        pupil=meeting.pupil,
        summary="Added an agreed action",
        request=request,
        extra={"meeting_id": meeting.pk, "action_id": action.pk},
    )
    return action


@transaction.atomic
def action_complete(
    *,
    acting_user: Any,
    action: AgreedAction,
    done_on: dt.date | None = None,
    note: str = "",
    request: Any = None,
) -> AgreedAction:
    meeting = action.meeting
    authorise(RIGHTS, acting_user, "write_meetings", pupil_id=meeting.pupil_id)
    done_on = done_on or _today()
    if done_on > _today():
        raise ValidationError({"done_on": ["An action cannot be done on a date still to come."]})
    if done_on < meeting.held_on:
        raise ValidationError({"done_on": ["This is before the meeting that agreed the action."]})
    action.done_on = done_on
    action.done_note = _text(note)[:300]
    action.save(update_fields=["done_on", "done_note"])
    record(
        user=acting_user,
        action=FamilyAction.ACTION_DONE,
        pupil=meeting.pupil,
        summary="Marked an agreed action done",
        request=request,
        extra={"meeting_id": meeting.pk, "action_id": action.pk},
    )
    return action


# -- consent ---------------------------------------------------------------------------------


def _consent_errors(consent: Consent) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if consent.purpose not in Consent.Purpose.values:
        errors["purpose"] = ["Choose what the consent is for."]
    if consent.purpose == Consent.Purpose.REFERRAL and not consent.agency_id:
        errors["agency"] = ["Consent to a referral names the agency: choose it."]
    if consent.purpose == Consent.Purpose.SHARING and not consent.named_body:
        errors["named_body"] = ["Consent to share names who it is shared with."]
    if consent.decision not in Consent.Decision.values:
        errors["decision"] = ["Choose whether consent was given or refused."]
    if not consent.given_by_name:
        errors["given_by_name"] = ["Say who gave or refused consent."]
    if consent.decided_on is None:
        errors["decided_on"] = ["Enter the date consent was given or refused."]
    elif consent.decided_on > _today():
        errors["decided_on"] = ["Consent cannot be recorded for a date still to come."]
    if not consent.evidence:
        errors["evidence"] = [
            "Say what the evidence is (for example, a signed form in the pupil's documents)."
        ]
    if consent.expires_on and consent.decided_on and consent.expires_on <= consent.decided_on:
        errors["expires_on"] = ["The expiry date must be after the date consent was given."]
    return errors


@transaction.atomic
def consent_record(
    *,
    acting_user: Any,
    pupil: Pupil,
    purpose: str,
    decision: str,
    given_by_name: str = "",
    decided_on: dt.date | None = None,
    evidence: str = "",
    agency: Any = None,
    named_body: str = "",
    given_by: Contact | None = None,
    expires_on: dt.date | None = None,
    request: Any = None,
) -> Consent:
    authorise(RIGHTS, acting_user, "write_consents", pupil_id=pupil.pk)
    if given_by is not None and given_by.pupil_id != pupil.pk:
        raise ValidationError({"given_by": ["That contact is not one of this pupil's."]})
    consent = Consent(
        pupil=pupil,
        purpose=purpose,
        agency=agency if purpose == Consent.Purpose.REFERRAL else None,
        named_body=_text(named_body) if purpose != Consent.Purpose.REFERRAL else "",
        decision=decision,
        given_by=given_by,
        given_by_name=_text(given_by_name) or (given_by.name if given_by else ""),
        decided_on=cast(dt.date, decided_on),  # a missing date is refused below
        evidence=_text(evidence)[:300],
        expires_on=expires_on,
        recorded_by_user_id=actor_id(acting_user),
        recorded_by_name=actor_name(acting_user),
    )
    _raise(_consent_errors(consent))
    consent.save()
    record(
        user=acting_user,
        action=FamilyAction.CONSENT_RECORDED,
        pupil=pupil,
        summary=f"Recorded consent {consent.get_decision_display().lower()} "
        f"({consent.get_purpose_display().lower()})",
        request=request,
        extra={"consent_id": consent.pk, "purpose": purpose, "decision": decision},
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    acting_user: Any,
    consent: Consent,
    withdrawn_on: dt.date | None = None,
    reason: str = "",
    request: Any = None,
) -> int:
    """Record consent withdrawn and stop everything that depended on it. Returns how many
    dependent records were stopped."""
    authorise(RIGHTS, acting_user, "write_consents", pupil_id=consent.pupil_id)
    withdrawn_on = withdrawn_on or _today()
    errors: dict[str, list[str]] = {}
    if consent.decision != Consent.Decision.GIVEN:
        errors["decision"] = ["Consent was refused, so there is nothing to withdraw."]
    elif consent.withdrawn_on is not None:
        errors["withdrawn_on"] = [
            f"Consent was already withdrawn on {consent.withdrawn_on:%-d %B %Y}."
        ]
    elif withdrawn_on > _today():
        errors["withdrawn_on"] = ["Withdrawal cannot be recorded for a date still to come."]
    elif withdrawn_on < consent.decided_on:
        errors["withdrawn_on"] = ["Consent cannot be withdrawn before it was given."]
    if not _text(reason):
        errors["withdrawn_reason"] = ["Say how consent was withdrawn (who told whom, how)."]
    _raise(errors)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_reason = _text(reason)[:300]
    consent.save(update_fields=["withdrawn_on", "withdrawn_reason"])
    stopped = sum(fn(consent, acting_user, request) for fn in CONSENT_DEPENDANTS)
    record(
        user=acting_user,
        action=FamilyAction.CONSENT_WITHDRAWN,
        pupil=consent.pupil,
        summary="Recorded consent withdrawn",
        request=request,
        extra={"consent_id": consent.pk, "stopped": stopped},
    )
    return stopped
