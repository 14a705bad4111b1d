"""Finding 6: a field a role cannot see on the page is not in the API either.

Per role, the pupil page and GET /api/v1/pupils/{id}/sen-history/ are compared: the reason for a
register change appears in both or in neither."""

from __future__ import annotations

import pytest

from apps.pupils import services
from tests.pupils.conftest import cast  # noqa: F401  (fixture)
from tests.support import in_school

REASON = "Speech therapist report, March: word-finding difficulty"


@pytest.fixture
def with_reason(cast, school_a):  # noqa: F811
    with in_school(school_a):
        for pupil, provision in ((cast["taught"], "E"), (cast["assisted"], "K")):
            entry = services.register_set_status(
                acting_user=None,
                pupil=pupil,
                provision=provision,
                primary_need="SLCN",
                reason=REASON,
            )
            assert entry is not None
    return cast


@pytest.mark.parametrize(
    ("role", "pupil", "sees_reason"),
    [
        ("senco_a", "taught", True),
        ("headteacher_a", "taught", True),
        ("teacher_a", "taught", True),
        ("teaching_assistant_a", "assisted", True),
        ("trust_send_lead_a", "taught", True),
        ("office_a", "taught", False),
    ],
)
def test_the_api_shows_a_register_reason_exactly_when_the_page_does(
    with_reason, people, school_a, client_for, api_for, role, pupil, sees_reason
):
    pupil_id = with_reason[pupil].pk
    page = client_for(people[role], school_a).get(f"/pupils/{pupil_id}/")
    assert page.status_code == 200
    on_page = REASON in page.content.decode()

    api = api_for(people[role], school_a).get(f"/api/v1/pupils/{pupil_id}/sen-history/")
    assert api.status_code == 200
    rows = api.json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert rows, "the history has entries"
    in_api = any(REASON in str(row.get("reason", "")) for row in rows)
    has_field = all("reason" in row for row in rows)

    assert (on_page, in_api, has_field) == (sees_reason,) * 3, rows
