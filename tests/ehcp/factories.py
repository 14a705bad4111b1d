"""EHC records for tests, made through the services (acting_user=None: the system)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apps.ehcp import services
from apps.ehcp.models import AnnualReview, EhcPlan
from tests.pupils.factories import make_pupil

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def make_plan(pupil: Any = None, *, issued_on: dt.date | None = None, **fields: Any) -> EhcPlan:
    pupil = pupil or make_pupil(provision="E", primary_need="ASD")
    fields.setdefault("local_authority", "Kirklees")
    fields.setdefault("outcomes", [{"text": "Reads independently", "by_when": "July"}])
    fields.setdefault("provision", ["Small-group literacy, 3 x 30 minutes a week"])
    return services.plan_create(
        acting_user=None,
        pupil=pupil,
        issued_on=issued_on or days(-300),
        **fields,
    )


def make_review(plan: EhcPlan, meeting_on: dt.date, *, held: bool = False) -> AnnualReview:
    review = services.review_schedule(acting_user=None, plan=plan, meeting_on=meeting_on)
    if held:
        review = services.review_update(acting_user=None, review=review, meeting_held=True)
    return review
