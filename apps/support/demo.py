"""Demo support plans: most pupils on the register have a plan with two or three versions (each
earlier one reviewed, outcomes rated), assessments and staff observations; current plans' review
dates spread so the SENCo's home page shows some overdue and some due soon. Outcomes link to the
interventions the pupil is in, so the impact page counts outcomes met. Synthetic only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.provision.models import GroupPlace
from apps.pupils.models import Pupil

from .models import Assessment, Observation, Outcome, Review, SupportPlan

OUTCOMES = {
    "cognition_learning": [
        ("Read the first 100 high-frequency words on sight", "Timed read of the word list"),
        ("Blend CVC and CCVC words independently", "Phonics screening check practice words"),
        ("Recall number bonds to 10 within 3 seconds", "Timed number bond probe"),
        ("Write a paragraph of three linked sentences", "Writing sample in English books"),
    ],
    "communication_interaction": [
        (
            "Take turns in a small-group game without adult prompts",
            "Observation in Lego-based therapy",
        ),
        (
            "Use a visual timetable to move between activities",
            "Class teacher log, 5 transitions a day",
        ),
        ("Answer 'why' questions about a short story", "Talk Boost tracker"),
        ("Ask an adult for help using a help card", "Adult tally over two weeks"),
    ],
    "semh": [
        ("Name the zone they are in and choose a tool", "Zones check-in sheet"),
        ("Return to class within 5 minutes after a break-out", "Behaviour log"),
        ("Talk to a trusted adult when worried", "ELSA session notes"),
    ],
    "sensory_physical": [
        ("Form all lower-case letters correctly", "Handwriting sample"),
        ("Use a sloping board and pencil grip without reminders", "TA observation"),
        ("Join in PE with the agreed adaptations", "PE teacher record"),
    ],
}
RATINGS = ("not_met", "partly_met", "met", "met", "exceeded")
STRATEGIES = [
    "Pre-teach key vocabulary before the lesson; give a word mat.",
    "Seat near the front, away from the door; check understanding after instructions.",
    "Chunk tasks with a visual checklist; offer a movement break every 20 minutes.",
    "Give a 2-minute warning before transitions; use the visual timetable.",
]


def seed_support(demo: Any, rng: Any) -> None:
    from apps.pupils.codes import need_area

    staff = demo.staff
    senco = staff.get("senco")
    teacher = staff.get("teacher")
    today = timezone.localdate()
    pupils = list(Pupil.objects.on_roll().on_register().order_by("id"))
    rng.shuffle(pupils)
    pupils = pupils[: max(8, int(len(pupils) * 0.8))]
    if not pupils:
        return
    interventions_of: dict[int, list[int]] = {}
    for pupil_id, intervention_id in GroupPlace.objects.values_list(
        "pupil_id", "group__intervention_id"
    ):
        interventions_of.setdefault(pupil_id, []).append(intervention_id)

    senco_name = getattr(senco, "full_name", "SENCo")
    lead_id = getattr(teacher, "pk", None)
    lead_name = getattr(teacher, "full_name", "")
    plans: list[SupportPlan] = []
    chains: list[tuple[Pupil, int]] = []
    for n, pupil in enumerate(pupils):
        versions = 3 if rng.random() < 0.45 else 2
        chains.append((pupil, versions))
        # Current plans' reviews: some overdue, some due within two weeks, most later.
        spread = n % 10
        current_due = today + dt.timedelta(
            days=-rng.randint(3, 20)
            if spread == 0
            else rng.randint(1, 13)
            if spread in (1, 2)
            else rng.randint(20, 70)
        )
        for v in range(1, versions + 1):
            back = (versions - v) * 13
            starts = today - dt.timedelta(weeks=back + 12)
            plans.append(
                SupportPlan(
                    pupil=pupil,
                    version=v,
                    status="current" if v == versions else "superseded",
                    strategies=rng.choice(STRATEGIES),
                    pupil_views=rng.choice(
                        [
                            "I like it when I can use the iPad for reading.",
                            "I want to be better at maths.",
                            "Break times are hard sometimes.",
                        ]
                    ),
                    parent_views=rng.choice(
                        [
                            "Homework takes a long time.",
                            "We have seen more confidence at home.",
                            "We would like more updates.",
                        ]
                    ),
                    lead_user_id=lead_id,
                    lead_name=lead_name,
                    starts_on=starts,
                    review_due=current_due if v == versions else starts + dt.timedelta(weeks=12),
                    written_by_user_id=getattr(senco, "pk", None),
                    written_by_name=senco_name,
                )
            )
    plans = SupportPlan.objects.bulk_create(plans)
    # Link each version to the one before.
    by_pupil: dict[int, list[SupportPlan]] = {}
    for plan in plans:
        by_pupil.setdefault(plan.pupil_id, []).append(plan)
    for chain in by_pupil.values():
        chain.sort(key=lambda p: p.version)
        for earlier, later in zip(chain, chain[1:], strict=False):
            later.previous_id = earlier.pk
    SupportPlan.objects.bulk_update([p for p in plans if p.previous_id], ["previous"])

    outcomes: list[Outcome] = []
    reviews: list[Review] = []
    assessments: list[Assessment] = []
    observations: list[Observation] = []
    for pupil, _versions in chains:
        chain = by_pupil[pupil.pk]
        area = need_area(pupil.primary_need) or "cognition_learning"
        choices = OUTCOMES.get(area, OUTCOMES["cognition_learning"])
        linked = interventions_of.get(pupil.pk, [])
        for plan in chain:
            reviewed = plan.status == "superseded"
            for pos, (description, measure) in enumerate(
                rng.sample(choices, min(len(choices), rng.randint(2, 3)))
            ):
                outcomes.append(
                    Outcome(
                        plan=plan,
                        position=pos,
                        description=description,
                        measure=measure,
                        target_date=plan.review_due,
                        rating=rng.choice(RATINGS) if reviewed else "",
                        intervention_id=linked[pos % len(linked)] if linked else None,
                    )
                )
        for earlier, later in zip(chain, chain[1:], strict=False):
            reviews.append(
                Review(
                    plan=earlier,
                    pupil=pupil,
                    held_on=min(later.starts_on, today),
                    attendees=f"{senco_name} (SENCo), {lead_name or 'class teacher'}, parent",
                    pupil_contribution=later.pupil_views,
                    parent_contribution=later.parent_views,
                    next_steps="Continue the current support; new targets agreed.",
                    next_plan=later,
                    recorded_by_user_id=getattr(senco, "pk", None),
                    recorded_by_name=senco_name,
                )
            )
        base = rng.randint(70, 95)
        for k, weeks in enumerate((30, 16, 3)):
            months = base + 4 * k + rng.randint(0, 3)
            assessments.append(
                Assessment(
                    pupil=pupil,
                    kind="reading_age" if area == "cognition_learning" else "screener",
                    measure="Salford reading age"
                    if area == "cognition_learning"
                    else "Boxall profile",
                    value=f"{months // 12}y {months % 12}m"
                    if area == "cognition_learning"
                    else str(months),
                    numeric_value=Decimal(months),
                    assessed_on=today - dt.timedelta(weeks=weeks),
                    assessed_by_user_id=getattr(senco, "pk", None),
                    assessed_by_name=senco_name,
                )
            )
        if teacher is not None and rng.random() < 0.6:
            observations.append(
                Observation(
                    pupil=pupil,
                    plan=chain[-1],
                    observed_on=today - dt.timedelta(days=rng.randint(1, 20)),
                    text=rng.choice(
                        [
                            "Used the word mat without a prompt in English.",
                            "Needed two movement breaks in maths; settled after each.",
                            "Joined the group discussion and answered a question.",
                        ]
                    ),
                    observed_by_user_id=teacher.pk,
                    observed_by_name=teacher.full_name,
                )
            )
    Outcome.objects.bulk_create(outcomes)
    Review.objects.bulk_create(reviews)
    Assessment.objects.bulk_create(assessments)
    Observation.objects.bulk_create(observations)
    # Current plans list the groups the pupil is in now.
    running = {
        (pupil_id, group_id)
        for pupil_id, group_id in GroupPlace.objects.filter(
            left_on__isnull=True, group__ends_on__isnull=True
        ).values_list("pupil_id", "group_id")
    }
    through = SupportPlan.provision.through
    through.objects.bulk_create(
        through(supportplan_id=plan.pk, interventiongroup_id=group_id)
        for plan in plans
        if plan.status == "current"
        for pupil_id, group_id in running
        if pupil_id == plan.pupil_id
    )
