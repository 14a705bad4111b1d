"""In-trust transfer parts: parents, meetings and exam access arrangements are exported from the
sending school and imported into the receiving one (registered with register_transfer_part)."""

from __future__ import annotations

import datetime as dt

from apps.family import services as family
from apps.family.models import AgreedAction, Contact, Meeting
from apps.staff import services as staff
from apps.staff.models import AccessArrangement
from apps.trust.transfers import TransferContext, transfer_parts
from tests.pupils.factories import make_pupil
from tests.support import in_school


def test_family_and_arrangements_travel_with_the_pupil(school_a, school_b, people):
    parts = {p.key: p for p in transfer_parts()}
    assert {"family", "access_arrangements"} <= set(parts)
    with in_school(school_a):
        pupil = make_pupil(first_name="Mo", last_name="Mover", year_group="11")
        family.contact_add(
            acting_user=None,
            pupil=pupil,
            name="Mum Mover",
            relationship="mother",
            phone="07700 900111",
        )
        family.meeting_record(
            acting_user=None,
            pupil=pupil,
            kind="informal",
            held_on=dt.date.today() - dt.timedelta(days=3),
            attendees="Mum",
            actions=[{"what": "Call", "owner_name": "SENCo", "due_on": dt.date.today()}],
        )
        staff.arrangement_add(
            acting_user=None,
            pupil=pupil,
            kind="extra_time",
            extra_time_percent=25,
            normal_way_of_working="In class",
        )
        ctx = TransferContext(
            source_pupil_id=pupil.pk,
            from_school=school_a,
            to_school=school_b,
            acting_user=people["senco_a"],
        )
        exported = {key: parts[key].export(ctx) for key in ("family", "access_arrangements")}
    with in_school(school_b):
        received = make_pupil(first_name="Mo", last_name="Mover", year_group="11")
        ctx.received_pupil_id = received.pk
        copied = {key: parts[key].import_(exported[key], ctx) for key in exported}
        assert copied == {"family": 2, "access_arrangements": 1}
        assert Contact.objects.get(pupil=received).name == "Mum Mover"
        assert Meeting.objects.get(pupil=received).attendees == "Mum"
        assert AgreedAction.objects.get(meeting__pupil=received).owner_name == "SENCo"
        assert AccessArrangement.objects.get(pupil=received).extra_time_percent == 25
