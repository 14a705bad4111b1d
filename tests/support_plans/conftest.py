"""A cast for the support and provision tests, in school A:

- taught: SEN support, in teacher_a's class, with a plan (2 outcomes), an assessment, a place in
  a Lexia group run by teaching_assistant_a;
- assisted: EHC plan, assigned to teaching_assistant_a, with a plan;
- other: SEN support, nobody's, with a plan.
"""

from __future__ import annotations

from typing import Any

import pytest

from apps.pupils import services as pupil_services
from apps.support import services
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school
from tests.support_plans.factories import TODAY, make_group, make_intervention, make_plan


@pytest.fixture
def in_a(school_a):
    with in_school(school_a):
        yield school_a


@pytest.fixture
def sp(school_a, people) -> dict[str, Any]:
    with in_school(school_a):
        taught = make_pupil(
            first_name="Tilly", last_name="Taughtson", provision="K", primary_need="SPLD"
        )
        assisted = make_pupil(
            first_name="Asa",
            last_name="Assistwell",
            provision="E",
            primary_need="ASD",
            year_group="5",
        )
        other = make_pupil(
            first_name="Otto", last_name="Otherby", provision="K", primary_need="SEMH"
        )
        make_class("3T", staff=[people["teacher_a"]], pupils=[taught])
        pupil_services.ta_assign(
            acting_user=None, pupil=assisted, user_id=people["teaching_assistant_a"].pk
        )
        lexia = make_intervention()
        group = make_group(lexia, staff=[people["teaching_assistant_a"]], pupils=[taught, other])
        plans = {
            "taught": make_plan(taught, provision_group_ids=[group.pk]),
            "assisted": make_plan(assisted),
            "other": make_plan(other),
        }
        assessment = services.assessment_record(
            acting_user=None,
            pupil_id=taught.pk,
            kind="reading_age",
            measure="Salford reading age",
            value="7y 2m",
            numeric_value=86,
            assessed_on=TODAY,
        )
    return {
        "taught": taught,
        "assisted": assisted,
        "other": other,
        "plans": plans,
        "lexia": lexia,
        "group": group,
        "assessment": assessment,
    }


SCHOOL_ROLES = [
    "senco_a",
    "headteacher_a",
    "teacher_a",
    "teaching_assistant_a",
    "office_a",
    "governor_a",
    "trust_send_lead_a",
]
NO_ACCESS = ["outsider", "senco_b", "trust_trust_admin_a", "trust_finance_a", "trust_viewer_a"]
