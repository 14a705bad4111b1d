"""The audit log as the SENCo uses it: filters, paging with counts, one row per export, the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import record
from tests.pupils.factories import make_pupil
from tests.support import in_school


def _log(school, **rows):
    with in_school(school):
        return {key: record(**kwargs) for key, kwargs in rows.items()}


def test_senco_filters_by_person_pupil_action_and_date(client_for, people, school_a):
    with in_school(school_a):
        ann = make_pupil(first_name="Ann")
        bob = make_pupil(first_name="Bob")
        AuditEvent.objects.all().delete()
        record(user=people["teacher_a"], action="pupil.viewed", pupil=ann, summary="T saw Ann")
        record(user=people["headteacher_a"], action="pupil.viewed", pupil=bob, summary="H saw Bob")
        old = record(user=people["teacher_a"], action="profile.updated", pupil=bob, summary="Old")
        AuditEvent.objects.filter(pk=old.pk).update(
            occurred_at=timezone.now() - dt.timedelta(days=40)
        )
        record(
            user=people["office_a"],
            action="export.downloaded",
            summary="Census export",
            extra={"export": "census", "pupils": 2, "pupil_ids": [ann.pk, bob.pk]},
        )
    client = client_for(people["senco_a"], school_a)

    def summaries(query: str) -> list[str]:
        html = client.get(f"/audit/?{query}").content.decode()
        return [s for s in ("T saw Ann", "H saw Bob", "Old", "Census export") if s in html]

    assert summaries(f"person={people['teacher_a'].pk}") == ["T saw Ann", "Old"]
    assert summaries(f"pupil={ann.pk}") == ["T saw Ann", "Census export"]
    assert summaries("action=pupil.viewed") == ["T saw Ann", "H saw Bob"]
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert "Old" not in summaries(f"from={since}")
    assert summaries(f"to={(timezone.localdate() - dt.timedelta(days=30)).isoformat()}") == ["Old"]
    # Bad values are ignored rather than failing the page.
    assert client.get("/audit/?person=x&from=yesterday&action=nope").status_code == 200


def test_log_pages_with_counts(client_for, people, school_a):
    with in_school(school_a):
        AuditEvent.objects.all().delete()
        AuditEvent.objects.bulk_create(
            [AuditEvent(actor_name="Bulk", action="register.viewed") for _ in range(230)]
        )
    client = client_for(people["senco_a"], school_a)
    first = client.get("/audit/?action=register.viewed").content.decode()
    assert "230 entries, showing 1 to 100" in first
    assert 'href="?action=register.viewed&amp;page=2"' in first
    third = client.get("/audit/?action=register.viewed&page=3").content.decode()
    assert "showing 201 to 230" in third and "Page 3 of 3" in third


def test_an_export_is_one_row_listing_its_pupils(client_for, people, school_a):
    with in_school(school_a):
        pupils = [make_pupil(provision="K", primary_need="MLD") for _ in range(3)]
        before = AuditEvent.objects.count()
    response = client_for(people["senco_a"], school_a).post("/exports/", {"export": "census"})
    assert response.status_code == 200, response.status_code
    with in_school(school_a):
        new = AuditEvent.objects.order_by("id")[before:]
        assert [e.action for e in new] == ["export.downloaded"]
        assert set(new[0].extra["pupil_ids"]) >= {p.pk for p in pupils}


def test_one_access_log_row_per_pupil_page_view(client_for, people, school_a):
    with in_school(school_a):
        pupil = make_pupil()
        before = AuditEvent.objects.filter(pupil=pupil).count()
    client_for(people["senco_a"], school_a).get(f"/pupils/{pupil.pk}/")
    with in_school(school_a):
        assert AuditEvent.objects.filter(pupil=pupil).count() == before + 1


def test_senco_exports_the_filtered_log_as_csv(client_for, people, school_a):
    with in_school(school_a):
        pupil = make_pupil(first_name="Csvella")
        AuditEvent.objects.all().delete()
        record(user=people["teacher_a"], action="pupil.viewed", pupil=pupil, summary="Looked")
        record(user=people["headteacher_a"], action="register.viewed", summary="Register")
    client = client_for(people["senco_a"], school_a)
    response = client.get(f"/audit/audit-log.csv?person={people['teacher_a'].pk}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["When", "Who"]
    assert [r[5] for r in rows[1:]] == ["Looked"]
    assert rows[1][6] == str(pupil.pk) and b"Csvella" not in response.content
    with in_school(school_a):
        assert AuditEvent.objects.filter(
            action="audit_log.exported", user_id=people["senco_a"].pk
        ).exists()


def test_csv_of_the_log_is_refused_to_teachers_and_other_schools(
    client_for, people, school_a, school_b
):
    assert client_for(people["teacher_a"], school_a).get("/audit/audit-log.csv").status_code == 403
    with in_school(school_b):
        record(user=people["senco_b"], action="register.viewed", summary="Beta only")
    body = client_for(people["senco_a"], school_a).get("/audit/audit-log.csv").content
    assert b"Beta only" not in body
