"""What the trust console keeps about a school that leaves its trust (tenants.moving)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from tenants.models import School, Trust, User

from .actions import TrustAction
from .audit import trust_audit
from .models import ArrangementSchool, LibraryAdoption, LibraryItem, PupilTransfer


def school_leaving_trust(
    sender,
    *,
    school: School,
    from_trust: Trust,
    to_trust: Trust | None,
    acting_user: User | None,
    **kwargs,
) -> list[str]:
    notes = []
    # Shared SENCo arrangements of the old trust: the school's time ends; an arrangement left with
    # fewer than two schools is no longer a shared arrangement and ends today.
    for row in ArrangementSchool.objects.filter(
        school=school, arrangement__trust=from_trust
    ).select_related("arrangement"):
        arrangement = row.arrangement
        row.delete()
        remaining = arrangement.school_times.count()
        if remaining < 2 and arrangement.ended_on is None:
            arrangement.ended_on = date.today()
            arrangement.save(update_fields=["ended_on"])
            notes.append(f"Shared SENCo arrangement {arrangement.pk} ended (one school left).")
        else:
            notes.append(f"{school.name} left shared SENCo arrangement {arrangement.pk}.")
    # Library: what the school published in the old trust is withdrawn there (copies already
    # adopted by other schools stay theirs); its own adoptions end (its copies stay its own).
    withdrawn = LibraryItem.objects.filter(
        trust=from_trust, source_school=school, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    if withdrawn:
        notes.append(f"{withdrawn} library item(s) it published withdrawn from {from_trust.name}.")
    adoptions, _ = LibraryAdoption.objects.filter(school=school, item__trust=from_trust).delete()
    if adoptions:
        notes.append(f"{adoptions} library adoption(s) ended (the adopted copies stay).")
    # Transfers only happen inside one trust: pending ones to or from the school are cancelled.
    from django.db.models import Q

    cancelled = PupilTransfer.objects.filter(
        Q(from_school=school) | Q(to_school=school),
        trust=from_trust,
        status=PupilTransfer.Status.PENDING,
    ).update(
        status=PupilTransfer.Status.CANCELLED, decided_by=acting_user, decided_at=timezone.now()
    )
    if cancelled:
        notes.append(f"{cancelled} pending pupil transfer(s) cancelled.")
    where = f"to {to_trust.name}" if to_trust else "off the platform"
    trust_audit(
        trust=from_trust,
        actor=acting_user,
        action=TrustAction.SCHOOL_LEFT,
        summary=f"{school.name} left the trust ({where})",
        school=school,
    )
    if to_trust is not None:
        trust_audit(
            trust=to_trust,
            actor=acting_user,
            action=TrustAction.SCHOOL_JOINED,
            summary=f"{school.name} joined from {from_trust.name}",
            school=school,
        )
    return notes
