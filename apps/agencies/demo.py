"""Demo directory (one service of each kind), bought educational psychology time, and referrals
at every stage: speech and language reports whose recommendations became strategies, waits,
and one referral stopped because consent was withdrawn."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.family import services as family
from apps.pupils.models import Pupil

from . import services
from .models import AgencyKind

DIRECTORY = {
    AgencyKind.EDUCATIONAL_PSYCHOLOGY: (
        "Northbrook Educational Psychology Service",
        "Dr Helen Shaw",
        "Senior educational psychologist",
    ),
    AgencyKind.SPEECH_AND_LANGUAGE: (
        "Children's Speech and Language Therapy (NHS)",
        "Rachel Green",
        "Speech and language therapist",
    ),
    AgencyKind.OCCUPATIONAL_THERAPY: (
        "Children's Occupational Therapy",
        "Mark Patel",
        "Occupational therapist",
    ),
    AgencyKind.PHYSIOTHERAPY: ("Paediatric Physiotherapy", "Jo Adams", "Physiotherapist"),
    AgencyKind.CAMHS: ("CAMHS Single Point of Access", "Intake team", ""),
    AgencyKind.SPECIALIST_TEACHER: (
        "Learning Support Service",
        "Claire Wood",
        "Specialist teacher",
    ),
    AgencyKind.SENSORY_SUPPORT: ("Sensory Support Service", "Tom Hill", "Teacher of the deaf"),
    AgencyKind.PAEDIATRICS: ("Community Paediatrics", "Dr Amir Khan", "Consultant paediatrician"),
    AgencyKind.SCHOOL_NURSING: ("School Nursing Team", "Beth Lee", "School nurse"),
    AgencyKind.SOCIAL_CARE: ("Children's Social Care Front Door", "Duty team", ""),
    AgencyKind.EARLY_HELP: ("Early Help Hub", "Sam Cole", "Early help co-ordinator"),
    AgencyKind.LA_SEN_TEAM: ("Local Authority SEN Team", "Priya Nair", "SEN case officer"),
}
RECOMMENDATIONS = [
    "Give instructions in small chunks and check understanding by asking the pupil to repeat them.",
    "Pre-teach key topic vocabulary with pictures before each new unit.",
    "Allow extra processing time (count to ten) before expecting an answer.",
    "Use a visual timetable and warn of changes in advance.",
]


def seed_agencies(demo: Any, rng: random.Random) -> None:
    today = timezone.localdate()
    agencies = {}
    for kind, (name, contact, title) in DIRECTORY.items():
        slug = kind.value.replace("_", "")
        agencies[kind] = services.agency_add(
            acting_user=None,
            kind=kind,
            name=name,
            phone=f"0113 496 0{rng.randrange(1000):03d}",
            email=f"referrals@{slug}.example.org",
            how_to_refer="Referral form with parental consent; attach recent assessments.",
            contacts=[{"name": contact, "job_title": title}] if title else [],
        )
    ep = agencies[AgencyKind.EDUCATIONAL_PSYCHOLOGY]
    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    bought = services.time_buy(
        acting_user=None,
        agency=ep,
        hours_bought=Decimal("36"),
        starts_on=year_start,
        ends_on=dt.date(year_start.year + 1, 7, 31),
        note="Traded service: 6 days",
    )
    pupils = list(Pupil.objects.on_roll(today).on_register().order_by("id"))
    used_days = [year_start + dt.timedelta(days=d) for d in (20, 41, 62)]
    for day, pupil in zip(used_days, pupils, strict=False):
        if day <= today:
            services.time_use(
                acting_user=None,
                bought=bought,
                used_on=day,
                hours=Decimal("6"),
                what="Assessment and consultation with parents",
                pupil=pupil,
            )
    salt = agencies[AgencyKind.SPEECH_AND_LANGUAGE]
    kinds = [
        AgencyKind.SPEECH_AND_LANGUAGE,
        AgencyKind.EDUCATIONAL_PSYCHOLOGY,
        AgencyKind.OCCUPATIONAL_THERAPY,
        AgencyKind.CAMHS,
    ]
    # Pupils who have been at the school longest first, so the story (consent, referral, a wait,
    # the report, its recommendations adopted) fits before today.
    longest = sorted(pupils, key=lambda p: (p.admission_date or year_start, p.pk))
    for n, pupil in enumerate(longest[: max(6, len(pupils) // 3)]):
        agency = agencies[kinds[n % len(kinds)]] if n else salt
        earliest = max(pupil.admission_date or year_start, today - dt.timedelta(days=300))
        if earliest >= today - dt.timedelta(days=10):
            continue
        consented = earliest + dt.timedelta(days=rng.randrange(1, 10))
        parent = pupil.family_contacts.first()
        consent = family.consent_record(
            acting_user=None,
            pupil=pupil,
            purpose="referral",
            agency=agency,
            decision="given",
            given_by=parent,
            given_by_name=parent.name if parent else "Parent",
            decided_on=consented,
            evidence="Signed referral consent form",
        )
        referral = services.referral_draft(
            acting_user=None,
            pupil=pupil,
            agency=agency,
            reason="Difficulties persist after two cycles of SEN support; advice needed on next steps.",
            drafted_on=consented,
        )
        stage = n % 4
        if stage == 3 and n > 4:
            continue  # a draft, waiting for consent paperwork
        services.referral_send(acting_user=None, referral=referral, sent_on=consented)
        if n % 7 == 6:
            family.consent_withdraw(
                acting_user=None,
                consent=consent,
                withdrawn_on=min(today, consented + dt.timedelta(days=5)),
                reason="Parent asked to wait until after the school holiday",
            )
            continue
        room = (today - consented).days - 20  # days left for the wait before the report
        wait = rng.randrange(40, max(41, min(140, room)))
        if stage in (0, 1) and consented + dt.timedelta(days=wait + 20) <= today:
            services.referral_update(
                acting_user=None,
                referral=referral,
                status="accepted",
                accepted_on=consented + dt.timedelta(days=10),
            )
            services.referral_update(
                acting_user=None,
                referral=referral,
                status="appointment",
                appointment_on=consented + dt.timedelta(days=wait),
            )
            services.referral_update(
                acting_user=None,
                referral=referral,
                status="report_received",
                report_received_on=consented + dt.timedelta(days=wait + 14),
                report_summary="Assessment completed; advice for school and home below.",
                recommendations=rng.sample(RECOMMENDATIONS, 3),
            )
            if stage == 0:
                recs = list(referral.recommendations.all())
                services.recommendations_adopt(
                    acting_user=None,
                    referral=referral,
                    recommendation_ids=[r.pk for r in recs[:2]],
                    outcome="strategy",
                    review_on=today + dt.timedelta(days=42),
                )
