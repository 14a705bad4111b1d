"""Demo EHC data: a plan for every pupil at E, reviews in every state, some overdue, a request
with a late LA decision, and a phase transfer in the last year group."""

from __future__ import annotations

import copy
import random

import pytest
from django.utils import timezone

from apps.core.demo import DemoSchool
from apps.ehcp import rules, selectors
from apps.ehcp.demo import seed_ehcp
from apps.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan
from apps.ehcp.rollups import _SchoolView
from apps.pupils.demo import seed_pupils
from apps.pupils.models import Pupil
from tests.support import in_school


@pytest.mark.parametrize(
    "phase, roll, final_year, amend_month", [("primary", 210, "6", 2), ("secondary", 1150, "11", 3)]
)
def test_demo_ehc_records(school_a, people, phase, roll, final_year, amend_month):
    fake = copy.copy(school_a)
    fake.phase, fake.number_on_roll, fake.has_sixth_form = phase, roll, False
    demo = DemoSchool(
        school=fake, staff={"senco": people["senco_a"], "headteacher": people["headteacher_a"]}
    )
    today = timezone.localdate()
    with in_school(school_a):
        seed_pupils(demo, random.Random(3))
        seed_ehcp(demo, random.Random(3))
        at_e = set(Pupil.objects.on_roll().filter(sen_provision="E").values_list("pk", flat=True))
        assert set(EhcPlan.objects.values_list("pupil_id", flat=True)) == at_e
        deadlines = selectors.school_deadlines(_SchoolView(), None, today=today, school=fake)
        statuses = {d.status for d in deadlines}
        assert statuses == {"done", "done_late", "overdue", "upcoming"}
        kinds = {d.kind for d in deadlines if d.status == "overdue"}
        assert {"annual_review", "review_invitations", "la_decision", "amended_plan"} <= kinds
        assert AnnualReview.objects.filter(meeting_held=False).exists()
        late = AssessmentRequest.objects.get()
        assert late.decision_on > late.decision_due and late.is_open
        transfers = [d for d in deadlines if d.kind == "phase_transfer"]
        assert transfers and all(d.due.month == amend_month for d in transfers)
        assert {Pupil.objects.get(pk=d.pupil_id).year_group for d in transfers} == {final_year}
        assert any(
            rules.bucket(due=d.due, today=today) == rules.THIS_WEEK
            for d in deadlines
            if d.done_on is None
        )
