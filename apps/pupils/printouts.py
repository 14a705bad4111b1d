"""What teachers and teaching assistants pin up: a pupil passport (the one-page profile and
strategies that work, one page) and a class strategy sheet (every pupil on the SEN register in one
class, with needs and strategies), as PDFs; and the "My pupils" panel of their home page.

Both PDFs hold SEND detail, so they need `see_send_detail` and only ever contain pupils the person
may see; each print is audited like a view of the record. File names never name a pupil."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils import timezone

from apps.audit.services import record
from apps.core.pdf import pdf_response
from tenants.typing import SchoolPageRequest

from . import selectors
from .access import can, effective_role
from .actions import PupilAction
from .models import Pupil, PupilProfile, Strategy
from .views import requires

TEACHING_ROLES = ("teacher", "teaching_assistant")


def _with_send_detail(pupils):
    return pupils.select_related("profile").prefetch_related(
        Prefetch("strategies", queryset=Strategy.objects.filter(is_active=True))
    )


@requires("see_send_detail")
def pupil_passport(request: SchoolPageRequest, pupil_id: int) -> HttpResponse:
    access, user = request.school_access, request.user
    pupil = _with_send_detail(selectors.visible_pupils(access, user)).filter(pk=pupil_id).first()
    if pupil is None:
        raise Http404("No pupil with that id that you can see.")
    record(
        user=user,
        action=PupilAction.PASSPORT_PRINTED,
        pupil=pupil,
        summary="Printed the pupil passport (profile and strategies)",
        request=request,
    )
    return pdf_response(
        request,
        "pupils/print/passport.html",
        {"pupils": [_passport(pupil)], "school": request.school, "today": timezone.localdate()},
        filename=f"pupil-passport-{pupil.pk}.pdf",
    )


@requires("see_send_detail")
def class_strategy_sheet(request: SchoolPageRequest, group_id: int) -> HttpResponse:
    access, user = request.school_access, request.user
    group = selectors.visible_groups(access, user).filter(pk=group_id).first()
    if group is None:
        raise Http404("No class with that id that you can see.")
    pupils = list(
        _with_send_detail(
            selectors.visible_pupils(access, user)
            .on_roll()
            .on_register()
            .filter(teaching_groups=group)
        ).order_by("last_name", "first_name", "id")
    )
    record(
        user=user,
        action=PupilAction.STRATEGY_SHEET_PRINTED,
        summary=f"Printed a class strategy sheet ({len(pupils)} pupils)",
        request=request,
        extra={"group_id": group.pk, "pupil_ids": [p.pk for p in pupils]},
    )
    return pdf_response(
        request,
        "pupils/print/class_sheet.html",
        {
            "group": group,
            "pupils": [_passport(p) for p in pupils],
            "school": request.school,
            "today": timezone.localdate(),
        },
        filename=f"class-strategy-sheet-{group.pk}.pdf",
    )


def _passport(pupil: Pupil) -> dict:
    try:
        profile = pupil.profile
    except PupilProfile.DoesNotExist:
        profile = None
    return {"pupil": pupil, "profile": profile, "strategies": list(pupil.strategies.all())}


def my_pupils_panel(request: SchoolPageRequest) -> dict | None:
    """Home page of a teacher or TA: the SEN pupils they teach or support, by class, with the
    class strategy sheet to print."""
    access = getattr(request, "school_access", None)
    if effective_role(access) not in TEACHING_ROLES or not can(access, "see_send_detail"):
        return None
    user = request.user
    pupils = list(
        selectors.visible_pupils(access, user)
        .on_roll()
        .on_register()
        .prefetch_related("teaching_groups")
        .order_by("last_name", "first_name", "id")
    )
    groups = list(selectors.visible_groups(access, user))
    return {
        "template": "pupils/_my_pupils.html",
        "context": {"pupils": pupils, "groups": groups},
    }
