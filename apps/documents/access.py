"""Who may do what with pupil documents (documented in README "Pupil documents").

- See and download: SENCo and headteacher (every pupil), teachers (pupils in their classes),
  teaching assistants (pupils assigned to them), and a trust SEND lead admitted to the school
  (as a headteacher, read only). Every download is audited.
- Upload: SENCo, headteacher, teachers and teaching assistants, for pupils they can see: the
  people who receive reports and gather evidence. Never trust staff (read only).
- Remove: SENCo only.
- Office staff and governors: no documents (office staff see pupils' details, not SEND detail;
  governors see no pupil-level data).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from apps.core.access import SENCO, SEND_DETAIL_ROLES, Access, Rights, read, write
from apps.pupils import access as pupil_access
from apps.pupils.models import Pupil

from .models import PupilDocument

RIGHTS = Rights(
    "pupil documents",
    {
        "see_documents": read(SEND_DETAIL_ROLES),
        "upload_document": write(SEND_DETAIL_ROLES),
        "remove_document": write(SENCO),
    },
)
SEE_ROLES = RIGHTS.roles("see_documents")
UPLOAD_ROLES = RIGHTS.roles("upload_document")
REMOVE_ROLES = RIGHTS.roles("remove_document")


def can(access: Access | None, capability: str) -> bool:
    return RIGHTS.can(access, capability)


def visible_pupils(access: Access | None, user: Any) -> QuerySet[Pupil]:
    """Pupils whose documents this person may see (none for office staff and governors)."""
    if not RIGHTS.can(access, "see_documents"):
        return Pupil.objects.none()
    return pupil_access.visible_pupils(access, user)


def get_pupil_for(access: Access | None, user: Any, pupil_id: int) -> Pupil:
    """A pupil whose documents this person may see, or 404: "does not exist" and "not yours"
    look the same, so ids from another school or another class reveal nothing."""
    RIGHTS.require(access, "see_documents")
    pupil = visible_pupils(access, user).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil


def get_pupil_for_write(access: Access | None, user: Any, pupil_id: int) -> Pupil:
    """As get_pupil_for, for someone who may upload documents for the pupil."""
    RIGHTS.require(access, "upload_document")
    return get_pupil_for(access, user, pupil_id)


def get_document_for(
    access: Access | None, user: Any, pupil_id: int, document_id: int
) -> PupilDocument:
    """One document of a pupil this person may see, or 404 (the same for "not here" and "not
    yours")."""
    RIGHTS.require(access, "see_documents")
    document = (
        PupilDocument.objects.filter(
            pk=document_id, pupil_id=pupil_id, pupil__in=visible_pupils(access, user)
        )
        .select_related("pupil")
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document


def get_document_for_write(
    access: Access | None, user: Any, pupil_id: int, document_id: int
) -> PupilDocument:
    """As get_document_for, for someone who may remove it."""
    RIGHTS.require(access, "remove_document")
    return get_document_for(access, user, pupil_id, document_id)
