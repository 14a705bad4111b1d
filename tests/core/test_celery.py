"""Background work with a real Redis broker and a real Celery worker process."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from apps.core.tasks import SchoolTaskInPublicSchema, enqueue_for_school
from apps.school.tasks import verify_school_schema
from tenants.models import Invitation, User
from tenants.services import invitation_create
from tests.support import host_for, in_school

pytestmark = pytest.mark.celery
WAIT = 60


def test_invitation_email_is_sent_by_the_worker(celery_worker, committed, harness):
    school_a = harness["school_a"]
    invitation = invitation_create(
        acting_user=None,
        email="New.Teacher@example.test",
        full_name="New Teacher",
        school=school_a,
        school_role="teacher",
    )
    committed.cleanup(Invitation.objects.filter(pk=invitation.pk).delete)
    committed.cleanup(User.objects.filter(email="new.teacher@example.test").delete)
    # No token exists until the worker issues it, and the task carries only the id.
    assert Invitation.objects.get(pk=invitation.pk).token_hash is None

    deadline = time.monotonic() + WAIT
    sent = None
    while time.monotonic() < deadline:
        files = list(celery_worker["mail_dir"].glob("*.log"))
        sent = next(
            (f.read_text() for f in files if "new.teacher@example.test" in f.read_text()), None
        )
        if sent:
            break
        time.sleep(0.2)
    assert sent, (
        "the worker did not send the invitation: " + celery_worker["log"].read_text()[-2000:]
    )
    assert "You're invited to Alpha Primary on SENCo Hub" in sent
    link = re.search(r"https?://alpha\.localhost[^\s]*/invitations/([^/\s]+)/", sent)
    assert link
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.token_hash

    # The link works once: it creates the account with the invited role.
    client = Client(HTTP_HOST=host_for(school_a))
    page = client.post(
        f"/invitations/{link.group(1)}/",
        {
            "full_name": "New Teacher",
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
        },
    )
    assert page.status_code == 302
    assert client.get("/").status_code == 200
    again = Client(HTTP_HOST=host_for(school_a)).get(f"/invitations/{link.group(1)}/")
    assert b"already been used" in again.content or again.status_code in (404, 410)


def test_resending_an_invitation_is_idempotent(celery_worker, committed, harness):
    school_a = harness["school_a"]
    from tenants.tasks import send_invitation_email

    invitation = invitation_create(
        acting_user=None,
        email="twice@example.test",
        full_name="Twice",
        school=school_a,
        school_role="teacher",
    )
    committed.cleanup(Invitation.objects.filter(pk=invitation.pk).delete)
    first = send_invitation_email.delay(invitation.pk).get(timeout=WAIT)
    second = send_invitation_email.delay(invitation.pk).get(timeout=WAIT)
    assert {first, second} <= {"sent", "already-sent"} and "already-sent" in {first, second}
    mails = [
        f for f in celery_worker["mail_dir"].glob("*.log") if "twice@example.test" in f.read_text()
    ]
    assert sum(f.read_text().count("To: twice@example.test") for f in mails) == 1


def test_school_task_runs_in_the_school_schema(celery_worker, committed, harness):
    result = enqueue_for_school(verify_school_schema, harness["school_a"]).get(timeout=WAIT)
    assert result == {"schema": "alpha", "missing": []}


def test_school_task_refuses_the_public_schema(celery_worker, committed):
    result = verify_school_schema.apply_async(headers={"_schema_name": "public"})
    with pytest.raises(SchoolTaskInPublicSchema, match="refused"):
        result.get(timeout=WAIT)


def test_school_task_queued_from_public_code_is_refused(celery_worker, committed):
    # Plain .delay() from the public schema carries "public": the guard stops it.
    with pytest.raises(SchoolTaskInPublicSchema):
        verify_school_schema.delay().get(timeout=WAIT)


def test_public_task_queued_inside_a_school_runs_in_public(celery_worker, committed, harness):
    from tenants.tasks import send_invitation_email

    with in_school(harness["school_a"]):
        assert send_invitation_email.delay(999_999_999).get(timeout=WAIT) == "skipped"


def test_new_school_is_verified_by_the_worker(celery_worker, committed, harness):
    """Provisioning queues verify_school_schema in the new school's schema after commit."""
    school = committed.school(
        trust=harness["trust_a"],
        name="Worker Primary",
        urn="100091",
        subdomain="worker-check",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=50,
    )
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        log = celery_worker["log"].read_text()
        if "apps.school.tasks.verify_school_schema" in log and "'schema': 'worker_check'" in log:
            break
        time.sleep(0.2)
    else:
        pytest.fail(
            "verify_school_schema did not run for the new school:\n"
            + celery_worker["log"].read_text()[-2000:]
        )
    assert school.schema_name == "worker_check"
