"""Finding 10: the subject access export names staff by role, never by name, id or address;
the school's own audit log keeps the full trail."""

from __future__ import annotations

import io
import json
import zipfile

from django.test import RequestFactory

from apps.audit.models import AuditEvent
from apps.audit.services import record
from apps.exchange import exports
from apps.pupils import services as pupil_services
from tenants.access import school_access_for
from tests.exchange.conftest import private_files  # noqa: F401  (fixture; in_a is in tests/conftest.py)
from tests.exchange.helpers import add_pupil

ADDRESS = "192.0.2.77"


def test_the_export_for_the_family_redacts_third_parties(in_a, people):  # noqa: F811
    pupil = add_pupil(first_name="Kay", provision="K", primary_need="SLCN")
    teacher = people["teacher_a"]
    pupil_services.concern_raise(acting_user=people["senco_a"], pupil=pupil, what_seen="Tired")
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    request.school_access = school_access_for(teacher, in_a)
    record(user=teacher, action="pupil.viewed", pupil=pupil, request=request)

    file = exports.subject_access_export(acting_user=people["senco_a"], pupil=pupil)
    archive = zipfile.ZipFile(io.BytesIO(file.data))
    text = archive.read("record.json").decode() + archive.read("record.html").decode()
    for staff in (people["senco_a"], teacher):
        assert staff.full_name not in text
    assert ADDRESS not in text
    data = json.loads(archive.read("record.json"))
    for section in data["records"].values():
        for row in section["rows"]:
            assert "ip_address" not in row and "user_id" not in row
            assert not any(key.endswith("_user_id") for key in row)
    audit_rows = data["records"]["audit.auditevent"]["rows"]
    teacher_label = request.school_access.role_label
    assert any(row["actor_name"] == teacher_label for row in audit_rows), audit_rows
    assert data["generated_by"] == school_access_for(people["senco_a"], in_a).role_label
    # The school keeps the full trail.
    assert AuditEvent.objects.filter(
        pupil=pupil, actor_name=teacher.full_name, ip_address=ADDRESS
    ).exists()
