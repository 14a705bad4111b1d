"""Demo families: contacts for every pupil on the register, this year's meetings (some pupils
still below three), agreed actions (some overdue) and consent (one withdrawn)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from apps.pupils.models import Pupil

from . import services
from .models import Contact, Meeting
from .rules import school_year_start

FIRST_NAMES = ["Sarah", "James", "Priya", "Tomasz", "Aisha", "Daniel", "Emma", "Kwame", "Lucy"]
LANGUAGES = ["English"] * 8 + ["Polish", "Urdu", "Romanian"]


def seed_family(demo: Any, rng: random.Random) -> None:
    today = timezone.localdate()
    start = school_year_start(today)
    senco = demo.staff.get("senco")
    senco_name = getattr(senco, "full_name", "") or "The SENCo"
    pupils = list(Pupil.objects.on_roll(today).on_register().order_by("id"))
    for n, pupil in enumerate(pupils):
        language = rng.choice(LANGUAGES)
        mother = services.contact_add(
            acting_user=None,
            pupil=pupil,
            name=f"{rng.choice(FIRST_NAMES[::2])} {pupil.last_name}",
            relationship=Contact.Relationship.MOTHER,
            parental_responsibility=True,
            phone=f"07700 900{rng.randrange(1000):03d}",
            email=f"parent{pupil.pk}@example.com",
            preferred_contact=rng.choice(["phone", "email", "text"]),
            language=language,
            needs_interpreter=language != "English" and rng.random() < 0.5,
            contact_notes=rng.choice(["", "After 3pm", "Works nights: text first"]),
        )
        if rng.random() < 0.6:
            services.contact_add(
                acting_user=None,
                pupil=pupil,
                name=f"{rng.choice(FIRST_NAMES[1::2])} {pupil.last_name}",
                relationship=Contact.Relationship.FATHER,
                parental_responsibility=True,
                lives_with_pupil=rng.random() < 0.7,
                phone=f"07700 901{rng.randrange(1000):03d}",
                preferred_contact="phone",
                priority=2,
            )
        earliest = max(start, pupil.admission_date or start)
        if earliest > today:
            continue
        span = (today - earliest).days
        held = min(3, n % 4)  # a quarter of pupils with none yet, some with fewer than three
        for k in range(held):
            day = earliest + dt.timedelta(days=(span * (k + 1)) // (held + 1))
            actions = []
            if k == held - 1:
                actions = [
                    {
                        "what": "Send home the visual timetable used in class",
                        "owner_name": senco_name,
                        "due_on": day + dt.timedelta(days=14),
                    },
                    {
                        "what": "Try the bedtime routine suggested and report back",
                        "owner_name": mother.name,
                        "due_on": day + dt.timedelta(days=28),
                    },
                ]
            services.meeting_record(
                acting_user=None,
                pupil=pupil,
                kind=Meeting.Kind.EHC_REVIEW
                if pupil.sen_provision == "E" and k == 0
                else Meeting.Kind.SEN_SUPPORT_REVIEW,
                held_on=day,
                attendees=f"{mother.name} (mother)\n{senco_name} (SENCo)\nClass teacher",
                parents_views=rng.choice(
                    [
                        "Pleased with progress in reading; worried about friendships at lunchtime.",
                        "Mornings are hard at home; would like a quieter start to the day.",
                        "Feels the new strategies are helping; homework still causes upset.",
                    ]
                ),
                pupil_views="Likes the calm corner and working with a partner.",
                actions=actions,
            )
        if n % 5 == 0:
            services.consent_record(
                acting_user=None,
                pupil=pupil,
                purpose="photographs",
                decision="given" if n % 10 else "refused",
                given_by=mother,
                decided_on=earliest,
                evidence="Admission form, photographs section",
            )
