"""School A's cast for family records: a taught pupil (teacher_a), an assisted pupil
(teaching_assistant_a), and another pupil nobody teaches; all on the register."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.pupils import services as pupil_services
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school

TODAY = dt.date.today()


@pytest.fixture
def in_a(school_a):
    with in_school(school_a):
        yield school_a


@pytest.fixture
def cast(school_a, people):
    with in_school(school_a):
        taught = make_pupil(
            first_name="Tilly",
            last_name="Taughtson",
            provision="K",
            primary_need="SLCN",
            admission_date=dt.date(2022, 9, 1),
        )
        assisted = make_pupil(
            first_name="Asa", last_name="Assistwell", provision="E", primary_need="ASD"
        )
        other = make_pupil(
            first_name="Otto", last_name="Otherby", provision="K", primary_need="MLD"
        )
        make_class("3T", staff=[people["teacher_a"]], pupils=[taught])
        pupil_services.ta_assign(
            acting_user=None, pupil=assisted, user_id=people["teaching_assistant_a"].pk
        )
    return {"taught": taught, "assisted": assisted, "other": other}
