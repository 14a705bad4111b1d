"""Reads of pupil documents, always through what the person may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from . import access as rights
from .models import PupilDocument


def documents_for_pupil(*, access, user, pupil_id: int) -> QuerySet[PupilDocument]:
    return PupilDocument.objects.filter(
        pupil_id=pupil_id, pupil__in=rights.visible_pupils(access, user)
    ).select_related("pupil")


def document_get(*, access, user, pupil_id: int, document_id: int) -> PupilDocument:
    """The document, or 404 when it does not exist here or its pupil is not visible: the two look
    the same from outside, so ids from another school or another class reveal nothing."""
    document = (
        documents_for_pupil(access=access, user=user, pupil_id=pupil_id)
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document


def visible_pupil(*, access, user, pupil_id: int):
    pupil = rights.visible_pupils(access, user).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No such pupil.")
    return pupil
