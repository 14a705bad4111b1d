"""Item 13: records past date of birth + 31 years are listed nightly for the SENCo, and deleted
only when the SENCo confirms; the audit row names no pupil."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.documents.models import PupilDocument
from apps.documents.services import document_upload
from apps.pupils.models import Pupil
from apps.retention.models import RetentionReview
from apps.retention.rules import past_retention, retain_until
from apps.retention.services import retention_list_due
from tests.exchange.conftest import private_files  # noqa: F401  (fixture)
from tests.exchange.helpers import add_pupil
from tests.support import in_school

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("born", "kept_until"),
    [
        (dt.date(1995, 11, 27), dt.date(2026, 11, 27)),
        (dt.date(1996, 2, 29), dt.date(2027, 3, 1)),  # no 29 February in 2027: a day longer
        (dt.date(2016, 3, 14), dt.date(2047, 3, 14)),
    ],
)
def test_records_are_kept_until_date_of_birth_plus_31_years(born, kept_until):
    assert retain_until(born) == kept_until
    assert not past_retention(born, kept_until)
    assert past_retention(born, kept_until + dt.timedelta(days=1))


@pytest.fixture
def old_and_young(school_a, people):
    with in_school(school_a):
        # Records of former pupils (the services refuse such dates for new pupils).
        old = add_pupil(first_name="Oldrecord")
        edge = add_pupil(first_name="Edgecase")
        young = add_pupil(first_name="Young", date_of_birth=dt.date(2016, 3, 14))
        Pupil.objects.filter(pk=old.pk).update(date_of_birth=dt.date(1994, 1, 10))
        Pupil.objects.filter(pk=edge.pk).update(date_of_birth=dt.date(1995, 11, 27))
        document_upload(
            acting_user=people["senco_a"],
            pupil=old,
            uploaded_file=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF"),
            title="Old report",
        )
        assert retention_list_due(today=TODAY) == 1
        assert retention_list_due(today=TODAY) == 1  # nightly, idempotent
    return {"old": old, "edge": edge, "young": young}


def test_only_records_past_retention_are_listed(old_and_young, school_a):
    with in_school(school_a):
        assert list(RetentionReview.objects.values_list("pupil_id", flat=True)) == [
            old_and_young["old"].pk
        ]


def test_nothing_is_deleted_without_the_senco_confirming(
    old_and_young, people, school_a, client_for
):
    old = old_and_young["old"]
    senco = client_for(people["senco_a"], school_a)
    page = senco.get("/retention/")
    assert page.status_code == 200 and "Oldrecord" in page.content.decode()
    unconfirmed = senco.post("/retention/", {"pupil": [old.pk]})
    assert unconfirmed.status_code == 400
    for role in ("headteacher_a", "office_a", "trust_send_lead_a"):
        response = client_for(people[role], school_a).post(
            "/retention/", {"pupil": [old.pk], "confirm": "yes"}
        )
        assert response.status_code == 403
    # Not listed: never deleted, even when asked.
    senco.post("/retention/", {"pupil": [old_and_young["young"].pk], "confirm": "yes"})
    with in_school(school_a):
        assert Pupil.objects.filter(pk__in=[old.pk, old_and_young["young"].pk]).count() == 2


def test_a_confirmed_deletion_removes_the_record_and_documents_and_audits_without_names(
    old_and_young,
    people,
    school_a,
    client_for,
    private_files,  # noqa: F811
):
    old = old_and_young["old"]
    with in_school(school_a):
        stored = list(
            PupilDocument.objects.filter(pupil=old).values_list("storage_name", flat=True)
        )
    assert stored
    response = client_for(people["senco_a"], school_a).post(
        "/retention/", {"pupil": [old.pk], "confirm": "yes"}
    )
    assert response.status_code == 302
    with in_school(school_a):
        assert not Pupil.objects.filter(pk=old.pk).exists()
        assert not PupilDocument.objects.filter(pupil_id=old.pk).exists()
        row = AuditEvent.objects.get(action="retention.deleted")
        assert row.pupil_id is None
        assert "Oldrecord" not in row.summary and old.upn not in row.summary
        assert str(old.pk) not in str(row.extra)
    assert not any(p.name in stored for p in private_files.rglob("*") if p.is_file())
