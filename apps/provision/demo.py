"""Demo provision: a catalogue of fifteen interventions schools really run, groups of the
school's register pupils, a term of logged sessions with attendance, and finished groups from
last term with entry and exit measures, so the cost and impact pages (and the trust dashboard's
comparison) tell a story. Synthetic pupils only; written with bulk_create."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.pupils.codes import need_area
from apps.pupils.models import Pupil

from .models import (
    GroupPlace,
    Intervention,
    InterventionGroup,
    InterventionSession,
    ProvisionSettings,
    SessionAttendance,
)

# name, area, description, evidence, size, per week, minutes, role, hourly, resources, training,
# measure, typical gain
CATALOGUE: list[tuple[Any, ...]] = [
    (
        "Lexia Core5 Reading",
        "cognition_learning",
        "Adaptive online reading programme with adult check-ins.",
        "EEF trial: positive for struggling readers.",
        6,
        3,
        20,
        "Teaching assistant",
        "14.50",
        "35.00",
        "Lexia myLexia training",
        "Reading age (months)",
        7,
    ),
    (
        "Numicon intervention",
        "cognition_learning",
        "Structured maths with Numicon shapes for number sense.",
        "Widely used; small-scale studies show gains in number sense.",
        4,
        3,
        30,
        "Teaching assistant",
        "14.50",
        "20.00",
        "Numicon Breaking Barriers course",
        "Maths age (months)",
        6,
    ),
    (
        "Precision Teaching",
        "cognition_learning",
        "Daily one-minute timed probes on target words or facts.",
        "Strong single-case evidence for fluency.",
        1,
        5,
        10,
        "Teaching assistant",
        "14.50",
        "0.00",
        "Precision Teaching in-house training",
        "Words read correctly per minute",
        12,
    ),
    (
        "Talk Boost",
        "communication_interaction",
        "Ten-week targeted language programme for small groups.",
        "I CAN evaluation: children made twice the expected progress.",
        4,
        3,
        30,
        "Teaching assistant",
        "14.50",
        "15.00",
        "Speech and Language UK Talk Boost training",
        "Language score (Talk Boost tracker)",
        5,
    ),
    (
        "ELSA support",
        "semh",
        "Emotional literacy support sessions with a trained ELSA.",
        "Evaluations show improved emotional literacy.",
        1,
        1,
        45,
        "ELSA",
        "16.00",
        "10.00",
        "ELSA training (educational psychology service)",
        "SDQ total difficulties (lower is better)",
        -4,
    ),
    (
        "Lego-based therapy",
        "communication_interaction",
        "Collaborative building with roles to develop social communication.",
        "Small trials show social interaction gains.",
        3,
        1,
        45,
        "Teaching assistant",
        "14.50",
        "25.00",
        "Lego-based therapy training",
        "Social skills checklist score",
        4,
    ),
    (
        "Zones of Regulation",
        "semh",
        "Self-regulation curriculum: naming zones and tools.",
        "Widely used; emerging evidence.",
        6,
        1,
        30,
        "Teaching assistant",
        "14.50",
        "12.00",
        "Zones of Regulation training",
        "Self-regulation rating",
        3,
    ),
    (
        "Nessy Reading and Spelling",
        "cognition_learning",
        "Online structured literacy for learners with dyslexia.",
        "Structured synthetic phonics principles.",
        6,
        2,
        20,
        "Teaching assistant",
        "14.50",
        "30.00",
        "",
        "Spelling age (months)",
        5,
    ),
    (
        "Fine motor skills group",
        "sensory_physical",
        "Activities to build hand strength and pencil control.",
        "OT-designed programme.",
        4,
        3,
        15,
        "Teaching assistant",
        "14.50",
        "10.00",
        "OT fine motor briefing",
        "Handwriting speed (letters per minute)",
        6,
    ),
    (
        "Social Stories",
        "communication_interaction",
        "Personalised stories to explain situations and expectations.",
        "Carol Gray method; mixed evidence, widely used.",
        1,
        2,
        15,
        "Teaching assistant",
        "14.50",
        "0.00",
        "Social Stories training",
        "Target behaviour frequency (weekly)",
        -3,
    ),
    (
        "Better Reading Partnership",
        "cognition_learning",
        "Short, frequent one-to-one reading sessions.",
        "Evaluations show reading age gains of 5+ months in 10 weeks.",
        1,
        3,
        15,
        "Teaching assistant",
        "14.50",
        "0.00",
        "Better Reading Partnership training",
        "Reading age (months)",
        6,
    ),
    (
        "Attention Autism",
        "communication_interaction",
        "Bucket-time attention and joint engagement sessions.",
        "Practitioner evidence; used by specialist teams.",
        6,
        4,
        20,
        "Teaching assistant",
        "14.50",
        "20.00",
        "Attention Autism training (Gina Davies)",
        "Attention minutes",
        3,
    ),
    (
        "Sensory circuits",
        "sensory_physical",
        "Short sensory-motor circuit to help pupils be ready to learn.",
        "OT-recommended.",
        6,
        5,
        15,
        "Teaching assistant",
        "14.50",
        "5.00",
        "",
        "Readiness to learn rating",
        2,
    ),
    (
        "Speech and language therapy programme",
        "communication_interaction",
        "Therapist-set targets delivered by a trained assistant.",
        "NHS SLT programme.",
        1,
        2,
        20,
        "Teaching assistant",
        "15.50",
        "0.00",
        "SLT programme briefing",
        "Target words correct (%)",
        15,
    ),
    (
        "Drawing and Talking",
        "semh",
        "Twelve weekly sessions of non-directive drawing with a trusted adult.",
        "Practitioner evaluations show wellbeing gains.",
        1,
        1,
        30,
        "Teaching assistant",
        "14.50",
        "5.00",
        "Drawing and Talking practitioner training",
        "Wellbeing scale score",
        3,
    ),
]

AREA_OF_NEED_ORDER = ("cognition_learning", "communication_interaction", "semh", "sensory_physical")


def _weekdays_between(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def seed_provision(demo: Any, rng: Any) -> None:
    staff = demo.staff
    runners = [u for u in (staff.get("teaching_assistant"), staff.get("teacher")) if u is not None]
    if not runners:
        return
    today = timezone.localdate()
    ProvisionSettings.objects.create(
        threshold=Decimal("6000.00"),
        notional_sen_budget=Decimal(str(600 * max(demo.school.number_on_roll, 100))).quantize(
            Decimal("1")
        ),
    )
    interventions = Intervention.objects.bulk_create(
        Intervention(
            name=name,
            area_of_need=area,
            description=desc,
            evidence_base=evidence,
            group_size=size,
            sessions_per_week=per_week,
            session_minutes=minutes,
            staff_role=role,
            hourly_staff_cost=Decimal(hourly),
            resource_cost=Decimal(resources),
            required_training=training,
        )
        for name, area, desc, evidence, size, per_week, minutes, role, hourly, resources, training, *_ in CATALOGUE
    )
    measures = {row[0]: (row[11], row[12]) for row in CATALOGUE}
    register = list(Pupil.objects.on_roll().on_register().order_by("id"))
    if not register:
        return
    by_area: dict[str, list[Pupil]] = {}
    for pupil in register:
        by_area.setdefault(need_area(pupil.primary_need) or "cognition_learning", []).append(pupil)

    term_start = today - dt.timedelta(weeks=10)
    last_term = (today - dt.timedelta(weeks=24), today - dt.timedelta(weeks=12))
    groups: list[tuple[InterventionGroup, list[Pupil], bool]] = []
    group_rows: list[InterventionGroup] = []
    members: list[list[Pupil]] = []
    for n, intervention in enumerate(interventions):
        pool = by_area.get(intervention.area_of_need) or register
        runner = runners[n % len(runners)]
        measure = measures[intervention.name][0]
        # Finished groups from last term (enough pupils for impact figures to show), then one
        # running group this term.
        finished_groups = max(1, -(-6 // intervention.group_size))
        for g in range(finished_groups + 1):
            running = g == finished_groups
            size = min(intervention.group_size, len(pool))
            chosen = rng.sample(pool, size)
            group_rows.append(
                InterventionGroup(
                    intervention=intervention,
                    name=f"{intervention.name} {'(this term)' if running else f'{g + 1} (last term)'}",
                    staff_user_ids=[runner.pk],
                    starts_on=term_start if running else last_term[0],
                    ends_on=None if running else last_term[1],
                    measure=measure,
                )
            )
            members.append(chosen)
    group_rows = InterventionGroup.objects.bulk_create(group_rows)
    places: list[GroupPlace] = []
    for group, chosen in zip(group_rows, members, strict=True):
        running = group.ends_on is None
        groups.append((group, chosen, running))
        gain = measures[group.intervention.name][1]
        for pupil in chosen:
            entry = Decimal(rng.randint(60, 110))
            places.append(
                GroupPlace(
                    group=group,
                    pupil=pupil,
                    joined_on=group.starts_on,
                    left_on=None if running else group.ends_on,
                    completed=not running,
                    entry_value=entry,
                    exit_value=None if running else entry + Decimal(gain + rng.randint(-2, 3)),
                )
            )
    GroupPlace.objects.bulk_create(places, ignore_conflicts=True)

    # A term of sessions for the running groups: each group keeps fixed weekly slots, and no
    # member of staff is booked twice at once.
    busy: dict[tuple[int, int, int], bool] = {}
    sessions: list[InterventionSession] = []
    session_members: list[list[Pupil]] = []
    for group, chosen, running in groups:
        if not running:
            continue
        intervention = group.intervention
        runner_id = group.staff_user_ids[0]
        slots: list[tuple[int, int]] = []
        for weekday in range(5):
            for slot in range(12):  # 09:00 to 14:30, half-hour slots
                if len(slots) == intervention.sessions_per_week:
                    break
                if not busy.get((runner_id, weekday, slot)) and all(w != weekday for w, _ in slots):
                    busy[(runner_id, weekday, slot)] = True
                    if intervention.session_minutes > 30:
                        busy[(runner_id, weekday, slot + 1)] = True
                    slots.append((weekday, slot))
                    break
        for day in _weekdays_between(group.starts_on, today - dt.timedelta(days=1)):
            for weekday, slot in slots:
                if day.weekday() != weekday or rng.random() < 0.08:  # the odd session missed
                    continue
                sessions.append(
                    InterventionSession(
                        group=group,
                        held_on=day,
                        starts_at=dt.time(9 + slot // 2, 30 * (slot % 2)),
                        minutes=intervention.session_minutes,
                        run_by_user_id=runner_id,
                        run_by_name=getattr(
                            next((u for u in runners if u.pk == runner_id), None), "full_name", ""
                        ),
                    )
                )
                session_members.append(chosen)
    sessions = InterventionSession.objects.bulk_create(sessions)
    SessionAttendance.objects.bulk_create(
        SessionAttendance(session=session, pupil=pupil, present=rng.random() > 0.07)
        for session, chosen in zip(sessions, session_members, strict=True)
        for pupil in chosen
    )
