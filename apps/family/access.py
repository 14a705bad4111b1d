"""Who sees and does what with a pupil's family records, in one table.

Reads
- SENCo, headteacher (and the trust SEND lead, as a headteacher): everything.
- Office: contacts with their details (they keep them up to date from the MIS) — not meetings
  or consent.
- Teacher / TA: for pupils they teach or support, who the contacts are (name, relationship,
  parental responsibility, language and interpreter need) but NOT their phone, email or address;
  meetings and consent.
- Governor: nothing pupil-level.

Writes (never by trust staff): the SENCo; the office also adds and updates contacts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from apps.core.access import (
    HEAD,
    OFFICE,
    SENCO,
    TA,
    TEACHER,
    Access,
    Rights,
    one_or_404,
    read,
    write,
)
from apps.core.field_rights import FieldRights
from apps.pupils.access import scope_pupils, visible_pupils

from .models import Consent, Contact, Meeting

if TYPE_CHECKING:
    from apps.pupils.models import Pupil

RIGHTS = Rights(
    "family records",
    {
        "see_contacts": read(SENCO, HEAD, OFFICE, TEACHER, TA),
        "see_contact_details": read(SENCO, HEAD, OFFICE),
        "write_contacts": write(SENCO, OFFICE),
        "see_meetings": read(SENCO, HEAD, TEACHER, TA),
        "write_meetings": write(SENCO),
        "see_consents": read(SENCO, HEAD, TEACHER, TA),
        "write_consents": write(SENCO),
    },
)

# Fields of a contact only some roles see (pages and API alike).
CONTACT_DETAIL_FIELDS = ("phone", "email", "address", "contact_notes", "preferred_contact")
CONTACT_FIELDS = FieldRights(RIGHTS, dict.fromkeys(CONTACT_DETAIL_FIELDS, "see_contact_details"))


def scope_by_pupil(queryset: QuerySet[Any], access: Access | None, user: Any) -> QuerySet[Any]:
    """Rows about pupils this person may see (the register's rule, applied through pupil)."""
    from apps.pupils.models import Pupil

    return queryset.filter(pupil__in=scope_pupils(Pupil.objects.all(), access, user))


def contacts_for(access: Access | None, user: Any) -> QuerySet[Contact]:
    if not RIGHTS.can(access, "see_contacts"):
        return Contact.objects.none()
    return scope_by_pupil(Contact.objects.all(), access, user)


def meetings_for(access: Access | None, user: Any) -> QuerySet[Meeting]:
    if not RIGHTS.can(access, "see_meetings"):
        return Meeting.objects.none()
    return scope_by_pupil(Meeting.objects.all(), access, user)


def consents_for(access: Access | None, user: Any) -> QuerySet[Consent]:
    if not RIGHTS.can(access, "see_consents"):
        return Consent.objects.none()
    return scope_by_pupil(Consent.objects.all(), access, user)


def get_contact_for(access: Access | None, user: Any, contact_id: int) -> Contact:
    RIGHTS.require(access, "see_contacts")
    return one_or_404(contacts_for(access, user).select_related("pupil"), contact_id, "contact")


def get_contact_for_write(access: Access | None, user: Any, contact_id: int) -> Contact:
    RIGHTS.require(access, "write_contacts")
    return get_contact_for(access, user, contact_id)


def get_meeting_for(access: Access | None, user: Any, meeting_id: int) -> Meeting:
    RIGHTS.require(access, "see_meetings")
    return one_or_404(meetings_for(access, user).select_related("pupil"), meeting_id, "meeting")


def get_meeting_for_write(access: Access | None, user: Any, meeting_id: int) -> Meeting:
    RIGHTS.require(access, "write_meetings")
    return get_meeting_for(access, user, meeting_id)


def get_consent_for(access: Access | None, user: Any, consent_id: int) -> Consent:
    RIGHTS.require(access, "see_consents")
    return one_or_404(
        consents_for(access, user).select_related("pupil", "agency"), consent_id, "consent"
    )


def get_consent_for_write(access: Access | None, user: Any, consent_id: int) -> Consent:
    RIGHTS.require(access, "write_consents")
    return get_consent_for(access, user, consent_id)


def get_pupil_for(access: Access | None, user: Any, pupil_id: int) -> Pupil:
    return one_or_404(visible_pupils(access, user), pupil_id, "pupil")
