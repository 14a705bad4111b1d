"""Transfers within a trust: the sending SENCo starts, the receiving SENCo accepts, every part is
copied in one transaction, audited in both schools; nothing moves without acceptance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.trust.models import PupilTransfer
from apps.trust.services import transfer_accept, transfer_start
from apps.trust.transfers import register_transfer_part, transfer_parts, unregister_transfer_part
from tenants.models import User
from tenants.roles import SchoolRole
from tenants.services import school_membership_set
from tests.support import in_school

from .conftest import make_pupil

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def receiving_senco(sister_school):
    user = User.objects.create_user(
        email="senco.sec@example.test", password="x" * 12, full_name="Sec Senco"
    )
    school_membership_set(acting_user=None, user=user, school=sister_school, role=SchoolRole.SENCO)
    return user


@pytest.fixture
def year6(school_a, people):
    """A Year 6 pupil with a full SEND file in school A."""
    from apps.documents import storage
    from apps.documents.models import PupilDocument
    from apps.pupils.models import (
        Concern,
        ConcernNote,
        PupilProfile,
        PupilVoice,
        SenHistory,
        Strategy,
    )

    with in_school(school_a):
        pupil = make_pupil(provision="K", need="SLCN", year="6", first="Ava", last="Moss")
        SenHistory.objects.create(
            pupil=pupil,
            effective_date=pupil.sen_history.get().effective_date + timedelta(days=90),
            provision="K",
            primary_need="SLCN",
            secondary_need="SEMH",
        )
        pupil.secondary_need = "SEMH"
        pupil.save()
        PupilProfile.objects.create(
            pupil=pupil,
            like_and_admire="Kind to others",
            important_to_me="My dog",
            how_to_support="Visual timetable",
        )
        PupilVoice.objects.create(pupil=pupil, what_they_said="I like maths when it is quiet")
        Strategy.objects.create(pupil=pupil, text="Give instructions one at a time")
        Strategy.objects.create(pupil=pupil, text="Old idea", is_active=False)
        concern = Concern.objects.create(
            pupil=pupil,
            what_seen="Struggles with transitions",
            raised_at=timezone.now() - timedelta(days=30),
        )
        ConcernNote.objects.create(concern=concern, decision="monitor", note="Watch at lunchtimes")
        name = storage.save(school_a.schema_name, "documents", PDF, "pdf")
        PupilDocument.objects.create(
            pupil=pupil,
            title="Speech and language report",
            original_name="salt.pdf",
            kind="pdf",
            content_type="application/pdf",
            size_bytes=len(PDF),
            sha256="0" * 64,
            storage_name=name,
        )
    return pupil


def test_every_register_part_and_documents_are_discovered():
    keys = [p.key for p in transfer_parts()]
    assert keys[0] == "pupil"
    assert {"pupil", "profile", "voice", "strategies", "concerns", "documents"} <= set(keys)


def test_sending_senco_starts_and_receiving_senco_accepts_the_whole_file(
    people, client_for, school_a, sister_school, receiving_senco, year6, trust_a
):
    from apps.audit.models import AuditEvent
    from apps.documents import storage
    from apps.documents.models import PupilDocument
    from apps.pupils.models import Pupil

    sender = client_for(people["senco_a"], school_a)
    page = sender.get("/trust-transfers/")
    # The pupil is chosen with the autocomplete (search by POST), not from a list of the roll.
    assert page.status_code == 200 and "data-picker" in page.content.decode()
    assert "Ava Moss" not in page.content.decode()
    response = sender.post(
        "/trust-transfers/",
        {
            "pupil": str(year6.pk),
            "to_school": str(sister_school.pk),
            "reason": "Transfer to secondary",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    transfer = PupilTransfer.objects.get()
    assert transfer.status == "pending" and transfer.source_pupil_id == year6.pk
    # Nothing has moved yet.
    with in_school(sister_school):
        assert not Pupil.objects.exists()

    receiver = client_for(receiving_senco, sister_school)
    incoming = receiver.get("/trust-transfers/").content.decode()
    assert "Ava Moss" in incoming and "Alpha Primary" in incoming
    assert (
        receiver.post(f"/trust-transfers/{transfer.pk}/decide/", {"action": "accept"}).status_code
        == 302
    )
    transfer.refresh_from_db()
    assert transfer.status == "accepted" and transfer.decided_by == receiving_senco

    with in_school(sister_school):
        copy = Pupil.objects.get()
        assert (
            copy.upn,
            copy.first_name,
            copy.sen_provision,
            copy.primary_need,
            copy.secondary_need,
        ) == (year6.upn, "Ava", "K", "SLCN", "SEMH")
        assert copy.sen_history.count() == 2
        assert copy.profile.how_to_support == "Visual timetable"
        assert copy.voice_entries.get().what_they_said == "I like maths when it is quiet"
        assert sorted(copy.strategies.values_list("text", "is_active")) == [
            ("Give instructions one at a time", True),
            ("Old idea", False),
        ]
        concern = copy.concerns.get()
        assert concern.notes.get().note == "Watch at lunchtimes" and concern.status == "new"
        assert (
            timezone.now() - concern.raised_at
        ).days == 30  # waits keep counting from when it was raised
        doc = PupilDocument.objects.get()
        assert storage.read(sister_school.schema_name, doc.storage_name) == PDF
        received = AuditEvent.objects.get(action="transfer_received")
        assert received.pupil_id == copy.pk and received.user_id == receiving_senco.pk
    with in_school(school_a):
        original = Pupil.objects.get(pk=year6.pk)
        assert original.leaving_date == timezone.localdate()  # kept as a leaver
        assert original.strategies.count() == 2  # the sender keeps everything
        assert set(
            AuditEvent.objects.filter(pupil_id=year6.pk).values_list("action", flat=True)
        ) >= {"transfer_started", "transfer_sent"}
    assert transfer.parts_copied["documents"] == 1 and transfer.parts_copied["concerns"] == 2

    # The trust sees schools and counts, never the pupil.
    trust_page = client_for(people["trust_send_lead_a"]).get("/transfers/").content.decode()
    assert "Alpha Secondary" in trust_page and "Ava" not in trust_page and "Moss" not in trust_page


def test_a_failing_part_leaves_nothing_in_the_receiver_and_the_sender_unchanged(
    people, school_a, sister_school, receiving_senco, year6
):
    from apps.documents import storage
    from apps.pupils.models import Pupil

    transfer = transfer_start(
        acting_user=people["senco_a"],
        from_school=school_a,
        to_school=sister_school,
        source_pupil_id=year6.pk,
    )
    written: list[str] = []
    original_save = storage.save

    def spy_save(schema, area, data, ext):
        name = original_save(schema, area, data, ext)
        written.append(name)
        return name

    storage.save = spy_save

    def explode(payload, ctx):
        raise RuntimeError("a later feature's part failed")

    register_transfer_part(
        "zz_broken", label="Broken", export=lambda ctx: None, import_=explode, order=999
    )
    try:
        with pytest.raises(RuntimeError):
            transfer_accept(acting_user=receiving_senco, transfer=transfer)
    finally:
        unregister_transfer_part("zz_broken")
        storage.save = original_save
    with in_school(sister_school):
        assert not Pupil.objects.exists()
    assert written and all(
        not storage.path_for(sister_school.schema_name, n).exists() for n in written
    )
    with in_school(school_a):
        assert Pupil.objects.get(pk=year6.pk).leaving_date is None
    transfer.refresh_from_db()
    assert transfer.status == "pending" and transfer.received_pupil_id is None


def test_declining_copies_nothing(
    people, client_for, school_a, sister_school, receiving_senco, year6
):
    from apps.pupils.models import Pupil

    transfer = transfer_start(
        acting_user=people["senco_a"],
        from_school=school_a,
        to_school=sister_school,
        source_pupil_id=year6.pk,
    )
    assert (
        client_for(receiving_senco, sister_school)
        .post(f"/trust-transfers/{transfer.pk}/decide/", {"action": "decline"})
        .status_code
        == 302
    )
    transfer.refresh_from_db()
    assert transfer.status == "declined"
    with in_school(sister_school):
        assert not Pupil.objects.exists()
    with pytest.raises(ValidationError):
        transfer_accept(acting_user=receiving_senco, transfer=transfer)


def test_the_sender_cannot_accept_its_own_transfer_and_other_roles_cannot_transfer(
    people, client_for, school_a, sister_school, year6
):
    transfer = transfer_start(
        acting_user=people["senco_a"],
        from_school=school_a,
        to_school=sister_school,
        source_pupil_id=year6.pk,
    )
    assert (
        client_for(people["senco_a"], school_a)
        .post(f"/trust-transfers/{transfer.pk}/decide/", {"action": "accept"})
        .status_code
        == 404
    )
    transfer.refresh_from_db()  # refused: still waiting for the receiving school, nothing copied
    assert transfer.status == PupilTransfer.Status.PENDING and transfer.received_pupil_id is None
    for role in ("teacher_a", "headteacher_a", "office_a"):
        assert client_for(people[role], school_a).get("/trust-transfers/").status_code == 403
    assert (
        client_for(people["trust_send_lead_a"], school_a).get("/trust-transfers/").status_code
        == 403
    )


def test_transfers_stay_inside_the_trust(people, client_for, school_a, school_b, year6):
    with pytest.raises(ValidationError) as err:
        transfer_start(
            acting_user=people["senco_a"],
            from_school=school_a,
            to_school=school_b,
            source_pupil_id=year6.pk,
        )
    assert "same trust" in str(err.value)
    page = client_for(people["senco_a"], school_a).get("/trust-transfers/").content.decode()
    assert "Beta Primary" not in page
    response = client_for(people["senco_a"], school_a).post(
        "/trust-transfers/", {"pupil": str(year6.pk), "to_school": str(school_b.pk)}
    )
    assert response.status_code == 200 and "govuk-error-message" in response.content.decode()
    assert not PupilTransfer.objects.exists()


def test_another_schools_senco_cannot_see_or_decide_a_transfer(
    people, client_for, school_a, sister_school, school_b, year6
):
    transfer = transfer_start(
        acting_user=people["senco_a"],
        from_school=school_a,
        to_school=sister_school,
        source_pupil_id=year6.pk,
    )
    client = client_for(people["senco_b"], school_b)
    assert "Ava" not in client.get("/trust-transfers/").content.decode()
    assert (
        client.post(f"/trust-transfers/{transfer.pk}/decide/", {"action": "accept"}).status_code
        == 404
    )


def test_an_unknown_pupil_id_is_refused_with_a_clear_error(people, school_a, sister_school):
    with pytest.raises(ValidationError) as err:
        transfer_start(
            acting_user=people["senco_a"],
            from_school=school_a,
            to_school=sister_school,
            source_pupil_id=999999,
        )
    assert err.value.message_dict == {"pupil": ["Choose a pupil on this school's roll."]}


def test_a_free_text_reason_is_refused(people, school_a, sister_school, year6):
    """Transfers live in the public schema: the reason is a fixed choice, never words about a child."""
    from apps.trust.models import PupilTransfer

    with pytest.raises(ValidationError) as err:
        transfer_start(
            acting_user=people["senco_a"],
            from_school=school_a,
            to_school=sister_school,
            source_pupil_id=year6.pk,
            reason="Ava's autism assessment",
        )
    assert list(err.value.message_dict) == ["reason"]
    assert not PupilTransfer.objects.filter(source_pupil_id=year6.pk).exists()
    ok = transfer_start(
        acting_user=people["senco_a"],
        from_school=school_a,
        to_school=sister_school,
        source_pupil_id=year6.pk,
        reason="Managed move",
    )
    assert ok.reason == "Managed move"


def test_a_pupil_already_on_the_receivers_roll_from_its_mis_gets_the_file(
    people, school_a, sister_school, receiving_senco, year6
):
    from apps.pupils.models import Pupil

    with in_school(sister_school):
        Pupil.objects.create(
            upn=year6.upn,
            first_name="Ava",
            last_name="Moss",
            date_of_birth=year6.date_of_birth,
            gender="F",
            year_group="7",
        )
    transfer = transfer_start(
        acting_user=people["senco_a"],
        from_school=school_a,
        to_school=sister_school,
        source_pupil_id=year6.pk,
    )
    transfer_accept(acting_user=receiving_senco, transfer=transfer)
    with in_school(sister_school):
        copy = Pupil.objects.get()
        assert (
            copy.sen_provision == "K" and copy.year_group == "7" and copy.sen_history.count() == 2
        )
