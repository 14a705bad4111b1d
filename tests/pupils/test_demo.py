"""The demo seeder makes a believable school: roll, year groups, register share, need mix."""

from __future__ import annotations

import copy
import random
from collections import Counter

import pytest

from apps.core.demo import DemoSchool
from apps.pupils.access import visible_pupils
from apps.pupils.demo import seed_pupils
from apps.pupils.models import Concern, Pupil, SenHistory
from apps.pupils.rules import register_errors
from apps.pupils.upn import upn_error
from tenants.access import school_access_for
from tests.support import in_school


def _seed(school, people, *, phase: str, roll: int) -> None:
    fake = copy.copy(school)
    fake.phase, fake.number_on_roll = phase, roll
    staff = {
        "senco": people["senco_a"],
        "teacher": people["teacher_a"],
        "teaching_assistant": people["teaching_assistant_a"],
        "headteacher": people["headteacher_a"],
    }
    with in_school(school):
        seed_pupils(DemoSchool(school=fake, staff=staff), random.Random(7))


@pytest.mark.parametrize(
    "phase, roll, years",
    [
        ("primary", 196, {"R", "1", "2", "3", "4", "5", "6"}),
        ("secondary", 1150, {"7", "8", "9", "10", "11", "12", "13"}),
    ],
)
def test_demo_school_is_believable(school_a, people, phase, roll, years):
    _seed(school_a, people, phase=phase, roll=roll)
    with in_school(school_a):
        pupils = list(Pupil.objects.all())
        assert len(pupils) == roll
        assert {p.year_group for p in pupils} == years
        assert all(upn_error(p.upn) is None for p in pupils)
        assert len({p.upn for p in pupils}) == roll
        on_register = [p for p in pupils if p.sen_provision != "N"]
        assert 0.15 <= len(on_register) / roll <= 0.25
        assert all(
            not register_errors(p.sen_provision, p.primary_need, p.secondary_need)
            for p in on_register
        )
        assert all(
            p.sen_identified_on and p.sen_identified_on > p.date_of_birth for p in on_register
        )
        assert SenHistory.objects.filter(pupil__in=on_register).values(
            "pupil"
        ).distinct().count() == len(on_register)
        if roll > 1000:
            k = Counter(p.primary_need for p in on_register if p.sen_provision == "K")
            e = Counter(p.primary_need for p in on_register if p.sen_provision == "E")
            assert k.most_common(1)[0][0] == "SLCN"
            assert e.most_common(1)[0][0] == "ASD"
        assert Concern.objects.filter(status="new").exists()
        teacher = school_access_for(people["teacher_a"], school_a)
        ta = school_access_for(people["teaching_assistant_a"], school_a)
        assert 0 < visible_pupils(teacher, people["teacher_a"]).count() < roll
        assert 0 < visible_pupils(ta, people["teaching_assistant_a"]).count() <= 8
