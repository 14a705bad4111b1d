"""The daily review digest, run by a real Celery worker in the school's schema: ids only in the
arguments, names only in the email to the SENCo, sent once a day."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.celery


def test_the_digest_emails_the_senco_once_with_names_in_the_body_only(
    committed, harness, celery_worker
):
    from apps.audit.models import AuditEvent
    from apps.support.models import SupportPlan
    from apps.support.tasks import send_review_reminders
    from tests.pupils.factories import make_pupil
    from tests.support import in_school
    from tests.support_plans.factories import make_plan

    school = harness["school_a"]
    today = dt.date.today()
    with in_school(school):
        pupil = make_pupil(
            first_name="Digest", last_name="Duewell", provision="K", primary_need="MLD"
        )
        plan = make_plan(pupil)
        SupportPlan.objects.filter(pk=plan.pk).update(review_due=today - dt.timedelta(days=3))

    def clean() -> None:
        with in_school(school):
            AuditEvent.objects.all().delete()
            SupportPlan.objects.all().delete()
            pupil.delete()

    committed.cleanup(clean)
    mail_dir = celery_worker["mail_dir"]
    before = set(mail_dir.iterdir())
    result = send_review_reminders.apply_async(
        args=[school.pk], headers={"_schema_name": school.schema_name}
    )
    assert result.get(timeout=60) == {"sent": 1, "plans": 1}
    new_files = set(mail_dir.iterdir()) - before
    body = "".join(f.read_text() for f in new_files)
    assert "Digest Duewell" in body and harness["senco_a"].email in body
    assert "1 reviews overdue" in body
    # Safe to retry: the second run the same day sends nothing.
    again = send_review_reminders.apply_async(
        args=[school.pk], headers={"_schema_name": school.schema_name}
    )
    assert again.get(timeout=60) == {"sent": 0, "plans": 0}
    assert "Duewell" not in celery_worker["log"].read_text()
