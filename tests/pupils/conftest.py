"""Pupils in school A that each role sees differently:

- taught: in a class taught by teacher_a (SEN support, SLCN), with a profile and a concern;
- assisted: assigned to teaching_assistant_a (EHC plan, ASD);
- other: nobody's (no SEN).
"""

from __future__ import annotations

import pytest

from apps.pupils import services
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school


@pytest.fixture
def cast(school_a, people):
    with in_school(school_a):
        taught = make_pupil(
            first_name="Tilly", last_name="Taughtson", provision="K", primary_need="SLCN"
        )
        assisted = make_pupil(
            first_name="Asa",
            last_name="Assistwell",
            provision="E",
            primary_need="ASD",
            year_group="5",
        )
        other = make_pupil(first_name="Otto", last_name="Otherby")
        make_class("3T", staff=[people["teacher_a"]], pupils=[taught])
        services.ta_assign(
            acting_user=None, pupil=assisted, user_id=people["teaching_assistant_a"].pk
        )
        services.profile_update(
            acting_user=None, pupil=taught, how_to_support="Give me time to answer"
        )
        concern = services.concern_raise(
            acting_user=None, pupil=other, what_seen="Struggles with phonics"
        )
    return {"taught": taught, "assisted": assisted, "other": other, "concern": concern}


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
