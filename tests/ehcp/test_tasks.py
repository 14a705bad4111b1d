"""The weekly digest in a real Celery worker: ids only, initials and references only, sent once
a week to the SENCo and the headteacher."""

from __future__ import annotations

import time

import pytest

from apps.ehcp.models import DeadlineDigest, EhcPlan
from apps.ehcp.tasks import send_deadline_digest
from apps.pupils.models import Pupil
from tests.ehcp.factories import days, make_plan, make_review
from tests.pupils.factories import make_pupil
from tests.support import in_school

pytestmark = pytest.mark.celery
WAIT = 60


def _mails(worker, marker: str) -> list[str]:
    return [t for f in worker["mail_dir"].glob("*.log") if marker in (t := f.read_text())]


def test_the_weekly_digest_is_sent_once_by_the_worker(celery_worker, committed, harness):
    school = harness["school_a"]
    with in_school(school):
        pupil = make_pupil(
            provision="E", primary_need="ASD", first_name="Xanthe", last_name="Digestson"
        )
        plan = make_plan(pupil, issued_on=days(-380))
        make_review(plan, days(4))

    def cleanup() -> None:
        with in_school(school):
            EhcPlan.objects.all().delete()
            Pupil.objects.filter(pk=pupil.pk).delete()
            DeadlineDigest.objects.all().delete()

    committed.cleanup(cleanup)
    result = send_deadline_digest.apply_async(
        args=[school.pk], headers={"_schema_name": school.schema_name}
    )
    assert result.get(timeout=WAIT) == "sent", celery_worker["log"].read_text()[-2000:]
    deadline = time.monotonic() + WAIT
    while not (mails := _mails(celery_worker, f"(EHCP-{plan.pk})")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert mails
    mail = mails[0]
    assert "senco_a@example.test" in mail and "headteacher_a@example.test" in mail
    assert "teacher_a@example.test" not in mail.replace("headteacher_a@example.test", "")
    assert f"EHCP-{plan.pk}" in mail and "XD" in mail
    assert "Xanthe" not in mail and "Digestson" not in mail
    assert "Overdue" in mail and "This week" in mail
    # Idempotent: a retry (or a second beat) the same week sends nothing.
    again = send_deadline_digest.apply_async(
        args=[school.pk], headers={"_schema_name": school.schema_name}
    )
    assert again.get(timeout=WAIT) == "already-sent"
    with in_school(school):
        digest = DeadlineDigest.objects.get()
        assert digest.recipients == 2 and digest.deadlines >= 2
