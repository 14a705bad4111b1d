"""Demo staff (with and without logins), deployment (one TA over contract), training and a
skills gap the matrix warns about; access arrangements at Riverside (some lacking evidence or
expiring before the summer series); Year 6 transitions from the primaries to Riverside."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from apps.core.demo import DemoSchool
from apps.pupils.models import Pupil

from . import services
from .models import AccessArrangement, StaffMember

TA_NAMES = ["Karen Walsh", "Imran Hussain", "Lily Evans", "Grace Obi"]


def seed_staff(demo: Any, rng: random.Random) -> None:
    today = timezone.localdate()
    school = demo.school
    senco = demo.staff.get("senco")
    ta_user = demo.staff.get("teaching_assistant")
    members: dict[str, StaffMember] = {}
    if senco is not None:
        members["senco"] = services.staff_add(
            acting_user=None,
            name=senco.full_name,
            role="senco",
            contracted_hours=Decimal("32.5"),
            user_id=senco.pk,
        )
    if ta_user is not None:
        members["ta_login"] = services.staff_add(
            acting_user=None,
            name=ta_user.full_name,
            role="teaching_assistant",
            contracted_hours=Decimal("27.5"),
            user_id=ta_user.pk,
        )
    for i, name in enumerate(TA_NAMES[:3]):
        members[f"ta{i}"] = services.staff_add(
            acting_user=None,
            name=name,
            role="hlta" if i == 0 else "teaching_assistant",
            contracted_hours=Decimal("20") if i == 2 else Decimal("25"),
        )
    pupils = list(Pupil.objects.on_roll(today).on_register().order_by("id")[:8])
    # 1:1 support from every TA but Lily, whose groups take her just over contract below.
    tas = [m for k, m in members.items() if k.startswith("ta") and k != "ta2"]
    for i, pupil in enumerate(pupils[:4]):
        services.deployment_add(
            acting_user=None,
            member=tas[i % len(tas)],
            pupil=pupil,
            hours_a_week=Decimal("5"),
        )
    services.deployment_add(
        acting_user=None,
        member=members["ta0"],
        group_name="Talk Boost language group",
        hours_a_week=Decimal("3"),
        needs_skill="elklan",
    )
    services.deployment_add(
        acting_user=None,
        member=members["ta1"],
        group_name="Lego therapy social skills group",
        hours_a_week=Decimal("2"),
        needs_skill="social_skills",
    )
    # Over contract (a warning, not refused): 21 of 20 hours.
    services.deployment_add(
        acting_user=None,
        member=members["ta2"],
        group_name="Precision teaching (reading)",
        hours_a_week=Decimal("16"),
        needs_skill="precision_teaching",
    )
    services.deployment_add(
        acting_user=None,
        member=members["ta2"],
        group_name="Morning check-in",
        hours_a_week=Decimal("5"),
    )
    year_ago = today - dt.timedelta(days=200)
    services.training_record(
        acting_user=None,
        topic="Precision teaching for reading fluency",
        skill="precision_teaching",
        delivered_on=year_ago,
        provider="Learning Support Service",
        hours=Decimal("3"),
        attendee_ids=[members["ta2"].pk, members["ta0"].pk],
    )
    services.training_record(
        acting_user=None,
        topic="ELKLAN speech and language support (level 3)",
        skill="elklan",
        delivered_on=year_ago + dt.timedelta(days=30),
        provider="ELKLAN tutor, NHS SALT",
        hours=Decimal("20"),
        attendee_ids=[members["ta0"].pk],
    )
    services.training_record(
        acting_user=None,
        topic="Autism awareness (whole staff INSET)",
        skill="autism",
        delivered_on=year_ago + dt.timedelta(days=60),
        provider="Autism Education Trust",
        hours=Decimal("3"),
        attendee_ids=[m.pk for m in members.values()],
    )
    # ta1 runs the social skills group without social skills training: the matrix warns.

    if school.phase == "secondary":
        _arrangements(today, rng)
    # Year 6 transitions are seeded once every school exists (seed_transitions, a trust seeder),
    # so the primaries can name Riverside.


def _arrangements(today: dt.date, rng: random.Random) -> None:
    exam_years = ("10", "11", "12", "13")
    pupils = list(
        Pupil.objects.on_roll(today).on_register().filter(year_group__in=exam_years).order_by("id")
    )
    for n, pupil in enumerate(pupils[:24]):
        complete = n % 5 != 0
        expiring = n % 7 == 3
        assessed = today - dt.timedelta(days=rng.randrange(60, 500))
        services.arrangement_add(
            acting_user=None,
            pupil=pupil,
            kind=AccessArrangement.Kind.EXTRA_TIME,
            extra_time_percent=25 if n % 4 else 50,
            assessor="Jane Fisher (specialist assessor, APC)" if complete else "",
            assessed_on=assessed if complete else None,
            history_of_need="Slow processing speed noted since Year 7; SEN support."
            if complete
            else "",
            normal_way_of_working="Uses extra time in class tests and mocks.",
            expires_on=today + dt.timedelta(days=30)
            if expiring
            else assessed + dt.timedelta(days=26 * 30),
        )
        if n % 3 == 0:
            services.arrangement_add(
                acting_user=None,
                pupil=pupil,
                kind=rng.choice(["reader", "word_processor", "rest_breaks", "separate_room"]),
                assessor="Jane Fisher (specialist assessor, APC)",
                assessed_on=assessed,
                history_of_need="Reading age well below chronological age.",
                normal_way_of_working="Has a reader in lessons and internal exams."
                if n % 2 == 0
                else "",
            )


def seed_transitions(trust: object, demo_schools: list[DemoSchool], rng: object) -> None:
    """Year 6 pupils on the register at each primary: a transition plan to the trust's
    secondary, part-way through its checklist."""
    from django_tenants.utils import tenant_context

    today = timezone.localdate()
    schools: list[Any] = [d.school for d in demo_schools]  # tenants.models.School
    secondary = next((school for school in schools if school.phase == "secondary"), None)
    september = dt.date(today.year if today.month < 9 else today.year + 1, 9, 1)
    for school in schools:
        if school.phase == "secondary":
            continue
        with tenant_context(school):
            senco = StaffMember.objects.filter(role="senco").first()
            year6 = Pupil.objects.on_roll(today).on_register().filter(year_group="6")
            for n, pupil in enumerate(year6.order_by("id")[:6]):
                row = services.transition_plan(
                    acting_user=None,
                    pupil=pupil,
                    kind="phase",
                    destination_school_id=secondary.pk if secondary else None,
                    destination="" if secondary else "Local secondary school",
                    moves_on=september,
                    responsible_name=senco.name if senco else "SENCo",
                    key_information="Needs a quiet start to the day and a named adult; one-page "
                    "profile and strategies to be shared with the Year 7 team.",
                )
                for step in list(row.steps.all())[: 1 + n % 3]:
                    services.transition_step_done(acting_user=None, step=step, done_on=today)
    connection.set_schema_to_public()  # type: ignore[attr-defined]
