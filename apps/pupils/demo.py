"""Demo data: believable synthetic pupils for each demo school (no real people).

Roll = school.number_on_roll; primaries have Reception to Year 6, the secondary Years 7-13 with
a smaller sixth form. About a fifth are on the register (14-15% SEN support, 4-5% EHC plans), with
the national mix of primary needs (January 2025): SLCN most common on SEN support, ASD most common
among EHC plans. Everything is written with bulk_create, so seeding stays fast.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from .codes import NEEDS_BY_CODE
from .models import (
    Concern,
    ConcernNote,
    Pupil,
    PupilProfile,
    PupilVoice,
    SenHistory,
    Strategy,
    TAAssignment,
    TeachingGroup,
    TeachingGroupStaff,
)
from .rules import register_errors
from .upn import make_upn

GIRLS = (
    "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy Sienna Poppy Elsie "
    "Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie Matilda Ruby Maisie Aisha Maryam Zara Amira Hannah "
    "Chloe Jessica Layla Niamh Erin Leah Maja Zofia Precious Amara Priya Anaya Fatima Eleanor Holly"
).split()
BOYS = (
    "Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Theo Alfie Jacob "
    "Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander Luca Edward James Joshua Albie Elijah Max "
    "Mason Reuben Ibrahim Yusuf Ayaan Rohan Kacper Jakub Tobi David Daniel Samuel Ryan Callum Liam Ethan Kai"
).split()
SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White Roberts "
    "Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore Clark King "
    "Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James Bennett Young Phillips Richardson "
    "Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall Simpson "
    "Anderson Ellis Adams Wilkinson Ward Ahmed Mahmood Okafor Mensah Kowalski Nowak O'Brien Murphy Campbell Stewart "
    "Lloyd Price Owen Chapman Dixon Holmes Rahman Akhtar Fletcher Booth Barker Hussey Mills Knight Pearson"
).split()

PRIMARY_CLASSES = {
    "R": "Acorns",
    "1": "Hazel",
    "2": "Rowan",
    "3": "Willow",
    "4": "Birch",
    "5": "Ash",
    "6": "Oak",
}

# Primary type of need, national shares (%) by provision, January 2025 (rounded).
NEED_MIX = {
    "K": {
        "SLCN": 25,
        "SEMH": 20,
        "MLD": 14,
        "SPLD": 13,
        "ASD": 11,
        "OTH": 4,
        "NSA": 4,
        "PD": 3,
        "HI": 2,
        "VI": 1,
        "DS": 1,
        "SLD": 1,
        "MSI": 1,
    },
    "E": {
        "ASD": 34,
        "SLCN": 21,
        "SEMH": 14,
        "SLD": 8,
        "MLD": 6,
        "PD": 4,
        "SPLD": 3,
        "PMLD": 2,
        "HI": 2,
        "DS": 2,
        "VI": 1,
        "OTH": 2,
        "MSI": 1,
    },
}

PROFILE_LIKES = [
    "Kind to younger children and always first to help tidy up.",
    "A brilliant sense of humour; makes everyone laugh at lunch.",
    "Determined: keeps going even when work is hard.",
    "Knows everything about dinosaurs and loves to share it.",
    "A talented artist with a great eye for colour.",
    "Loyal friend who notices when someone is upset.",
    "Fantastic at football and a good team player.",
]
PROFILE_IMPORTANT = [
    "My dog, Biscuit, and walks with my grandad at the weekend.",
    "Knowing what is happening next in the day.",
    "Having my friends nearby at break time.",
    "Minecraft, and building things with Lego.",
    "Being allowed to finish my work before moving on.",
    "My family and going to the mosque on Fridays.",
]
PROFILE_SUPPORT = [
    "Give me instructions one step at a time and check I have understood.",
    "Warn me before changes to the timetable; show me the visual timetable.",
    "Let me use my movement break card when I need it.",
    "Sit me near the front, away from the door and window.",
    "Give me extra time to answer: count to ten before helping.",
    "Pre-teach new vocabulary before the lesson.",
]
COMMUNICATION = [
    "Prefers short, clear sentences and visual prompts.",
    "Likes to write things down rather than say them in front of the class.",
    "Uses a now-and-next board; may need a quiet space to talk.",
    "Talks more easily side by side (walking, drawing) than face to face.",
]
STRATEGIES = {
    "communication_interaction": [
        "Use the pupil's name before giving an instruction.",
        "Visual timetable on the desk; now-and-next board for transitions.",
        "Give processing time: wait at least 10 seconds after a question.",
        "Warn five minutes before the end of an activity.",
    ],
    "cognition_learning": [
        "Coloured overlay (blue) for reading; cream paper for handouts.",
        "Chunk tasks into small steps with a checklist.",
        "Word mat with key vocabulary for every topic.",
        "Use concrete resources (Numicon, counters) in maths.",
    ],
    "semh": [
        "Meet and greet at the door; a quiet job on arrival helps settling.",
        "Use the agreed calm-down space; no audience for difficult moments.",
        "Praise privately and specifically.",
        "Offer a choice of two rather than a direct instruction when anxious.",
    ],
    "sensory_physical": [
        "Seat at the front, facing the teacher, away from noise.",
        "Check radio aid is switched on at the start of each lesson.",
        "Enlarged print (A3, size 18) for all handouts.",
        "Allow extra time to move between rooms; leave lessons 2 minutes early.",
    ],
    None: [
        "Check understanding individually after whole-class input.",
        "Movement break mid-lesson.",
    ],
}
VOICE = [
    ("I like it when Miss explains it again just to me.", "Conversation with the class teacher"),
    ("The hall is too loud at lunch. I like eating in the library.", "Talking mat with a TA"),
    ("I'm good at maths now. Reading is still tricky.", "One-page profile review"),
    ("I want to be a vet when I grow up.", "Drawing and conversation"),
    ("When I get cross I need to go for a walk.", "Conversation with the SENCo"),
]
CONCERNS = [
    (
        "Struggles to follow two-step instructions; often watches others before starting.",
        "Visual prompts on the board; repeating instructions.",
    ),
    (
        "Reading age well behind peers; avoids reading aloud and is reluctant to write.",
        "Paired reading three times a week since half term.",
    ),
    (
        "Very withdrawn since September, not joining in at break, tearful in the mornings.",
        "Check-ins with the class TA; spoke to parent at pick-up.",
    ),
    (
        "Finds it hard to sit for more than a few minutes; calling out and leaving seat.",
        "Seating plan change; movement breaks.",
    ),
    ("Squints at the board and holds books very close.", "Moved to the front of the class."),
    ("Limited vocabulary; answers in single words.", "Word mats; pre-teaching topic vocabulary."),
]


def _weighted(rng: random.Random, mix: dict[str, int]) -> str:
    codes, weights = zip(*mix.items(), strict=True)
    return rng.choices(codes, weights=weights)[0]


def _quota(rng: random.Random, mix: dict[str, int], n: int) -> list[str]:
    """n codes in the proportions of `mix` (largest remainder), shuffled: the school's mix then
    matches the national one instead of drifting with the dice."""
    total = sum(mix.values())
    exact = {c: n * w / total for c, w in mix.items()}
    counts = {c: int(v) for c, v in exact.items()}
    for c in sorted(exact, key=lambda c: exact[c] - counts[c], reverse=True)[
        : n - sum(counts.values())
    ]:
        counts[c] += 1
    out = [c for c, k in counts.items() for _ in range(k)]
    rng.shuffle(out)
    return out


def _year_groups(phase: str, roll: int) -> list[str]:
    if phase == "secondary":
        weights = {"7": 17, "8": 17, "9": 17, "10": 16, "11": 16, "12": 9, "13": 8}
    else:
        weights = {y: 1 for y in ("R", "1", "2", "3", "4", "5", "6")}
    total = sum(weights.values())
    out: list[str] = []
    for year, w in weights.items():
        out += [year] * round(roll * w / total)
    while len(out) < roll:
        out.append(list(weights)[len(out) % len(weights)])
    return out[:roll]


def _academic_year_start(today: dt.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def _dob(rng: random.Random, year_group: str, start: int) -> dt.date:
    offset = 0 if year_group == "R" else int(year_group)
    first = dt.date(start - 5 - offset, 9, 1)
    return first + dt.timedelta(days=rng.randrange(365))


def seed_pupils(demo, rng: random.Random) -> None:
    school = demo.school
    staff = demo.staff
    senco, teacher, ta = staff.get("senco"), staff.get("teacher"), staff.get("teaching_assistant")
    today = timezone.localdate()
    start = _academic_year_start(today)
    secondary = school.phase == "secondary"
    la = int(school.local_authority_code)
    estab = 2000 + int(school.urn) % 3000
    upns: set[str] = set()

    pupils: list[Pupil] = []
    form_letters = "ABCDEF"
    by_year: dict[str, int] = {}
    for year_group in _year_groups(school.phase, school.number_on_roll):
        n = by_year.get(year_group, 0)
        by_year[year_group] = n + 1
        girl = rng.random() < 0.49
        if secondary:
            form = f"{year_group}{form_letters[n % (6 if int(year_group) <= 11 else 4)]}"
        else:
            # One class per year in a small primary, named as primaries do (two per year when large).
            form = PRIMARY_CLASSES[year_group] + (
                f" {1 + n % 2}" if school.number_on_roll > 300 else ""
            )
        dob = _dob(rng, year_group, start)
        while True:
            upn = make_upn(
                la=la, establishment=estab, year=dob.year + 5, serial=rng.randrange(1000)
            )
            if upn not in upns:
                upns.add(upn)
                break
        entry_year = (
            start - (0 if year_group == "R" else int(year_group))
            if not secondary
            else start - (int(year_group) - 7)
        )
        fsm = rng.random() < 0.24
        pupil = Pupil(
            upn=upn,
            first_name=rng.choice(GIRLS if girl else BOYS),
            last_name=rng.choice(SURNAMES),
            date_of_birth=dob,
            gender="F" if girl else "M",
            year_group=year_group,
            form=form,
            admission_date=dt.date(entry_year, 9, rng.choice((3, 4, 5))),
            eal=rng.random() < 0.2,
            free_school_meals=fsm,
            pupil_premium=fsm or rng.random() < 0.04,
            looked_after=rng.random() < 0.006,
            medical_needs=rng.choice(
                [
                    "Asthma: inhaler in the class medical bag.",
                    "Nut allergy: adrenaline pen in the office.",
                    "Type 1 diabetes: care plan with the office.",
                    "Epilepsy: care plan with the office.",
                ]
            )
            if rng.random() < 0.05
            else "",
        )
        if rng.random() < 0.1:
            pupil.preferred_first_name = {
                "Alexander": "Alex",
                "William": "Will",
                "Thomas": "Tom",
                "Samuel": "Sam",
                "Isabella": "Bella",
                "Charlotte": "Lottie",
            }.get(pupil.first_name, "")
        if pupil.looked_after and teacher is not None:
            pupil.designated_teacher_user_id = (staff.get("headteacher") or teacher).pk
        pupils.append(pupil)
    # About a fifth on the register: 4.5-5% with an EHC plan, 15% on SEN support.
    order = list(range(len(pupils)))
    rng.shuffle(order)
    n_ehc = round(len(pupils) * (0.05 if secondary else 0.045))
    n_support = round(len(pupils) * 0.15)
    for rank, index in enumerate(order[: n_ehc + n_support]):
        pupils[index].sen_provision = "E" if rank < n_ehc else "K"
    quotas = {
        prov: _quota(rng, NEED_MIX[prov], sum(1 for p in pupils if p.sen_provision == prov))
        for prov in ("K", "E")
    }
    for pupil in pupils:
        if pupil.sen_provision != "N":
            dob = pupil.date_of_birth
            pupil.primary_need = quotas[pupil.sen_provision].pop()
            if pupil.primary_need != "NSA" and rng.random() < 0.4:
                options = {
                    c: w
                    for c, w in NEED_MIX[pupil.sen_provision].items()
                    if c not in (pupil.primary_need, "NSA")
                }
                pupil.secondary_need = _weighted(rng, options)
            assert not register_errors(
                pupil.sen_provision, pupil.primary_need, pupil.secondary_need
            )
            earliest = max(pupil.admission_date, dob + dt.timedelta(days=3 * 365))
            span = max((today - earliest).days, 1)
            pupil.sen_identified_on = earliest + dt.timedelta(days=rng.randrange(span))
            pupil.sen_lead_user_id = senco.pk if senco else None
    Pupil.objects.bulk_create(pupils, batch_size=500)

    history: list[SenHistory] = []
    for p in pupils:
        if p.sen_provision == "N":
            continue
        actor = dict(
            changed_by_user_id=senco.pk if senco else None,
            changed_by_name=senco.full_name if senco else "SENCo Hub",
        )
        if (
            p.sen_provision == "E"
            and rng.random() < 0.7
            and (today - p.sen_identified_on).days > 200
        ):
            plan_date = p.sen_identified_on + dt.timedelta(
                days=rng.randrange(150, (today - p.sen_identified_on).days)
            )
            first_need = "NSA" if rng.random() < 0.2 else p.primary_need
            history.append(
                SenHistory(
                    pupil=p,
                    effective_date=p.sen_identified_on,
                    provision="K",
                    primary_need=first_need,
                    reason="Graduated approach: assess, plan, do, review cycle started after staff concerns.",
                    **actor,
                )
            )
            history.append(
                SenHistory(
                    pupil=p,
                    effective_date=plan_date,
                    provision="E",
                    primary_need=p.primary_need,
                    secondary_need=p.secondary_need,
                    reason="Final EHC plan issued by the local authority.",
                    **actor,
                )
            )
        else:
            history.append(
                SenHistory(
                    pupil=p,
                    effective_date=p.sen_identified_on,
                    provision=p.sen_provision,
                    primary_need=p.primary_need,
                    secondary_need=p.secondary_need,
                    reason="Needs identified after assessment; added to the register."
                    if p.sen_provision == "K"
                    else "Joined with an EHC plan.",
                    **actor,
                )
            )
    SenHistory.objects.bulk_create(history, batch_size=1000)

    # Classes: one per form; the demo teacher teaches a few, the TA supports register pupils there.
    forms = sorted({p.form for p in pupils})
    year_of_form = {p.form: p.year_group for p in pupils}
    groups = TeachingGroup.objects.bulk_create(
        [
            TeachingGroup(name=f, year_group=year_of_form[f], subject="Form" if secondary else "")
            for f in forms
        ]
    )
    group_by_form = {g.name: g for g in groups}
    through = TeachingGroup.pupils.through
    through.objects.bulk_create(
        [through(teachinggroup_id=group_by_form[p.form].pk, pupil_id=p.pk) for p in pupils],
        batch_size=1000,
    )
    taught: list[TeachingGroup] = []
    if teacher is not None:
        wanted = (
            ["9A", "9B", "10C"]
            if secondary
            else [f for f in forms if f.startswith(PRIMARY_CLASSES["3"])] or forms[:1]
        )
        taught = [group_by_form[f] for f in wanted if f in group_by_form]
        TeachingGroupStaff.objects.bulk_create(
            [TeachingGroupStaff(group=g, user_id=teacher.pk) for g in taught]
        )
    taught_forms = {g.name for g in taught}
    taught_pupils = [p for p in pupils if p.form in taught_forms]
    if ta is not None:
        supported = [p for p in taught_pupils if p.sen_provision != "N"][:8] or taught_pupils[:4]
        TAAssignment.objects.bulk_create([TAAssignment(pupil=p, user_id=ta.pk) for p in supported])

    # Profiles, strategies and voice for most pupils on the register.
    on_register = [p for p in pupils if p.sen_provision != "N"]
    writer = senco or teacher
    who = dict(
        updated_by_user_id=writer.pk if writer else None,
        updated_by_name=writer.full_name if writer else "",
    )
    profiles, strategies, voices = [], [], []
    for p in on_register:
        if rng.random() < 0.8:
            profiles.append(
                PupilProfile(
                    pupil=p,
                    like_and_admire=rng.choice(PROFILE_LIKES),
                    important_to_me=rng.choice(PROFILE_IMPORTANT),
                    how_to_support=rng.choice(PROFILE_SUPPORT),
                    communication_preferences=rng.choice(COMMUNICATION),
                    **who,
                )
            )
        area = NEEDS_BY_CODE[p.primary_need].area
        for text in rng.sample(STRATEGIES[area], k=min(len(STRATEGIES[area]), rng.randint(1, 3))):
            strategies.append(
                Strategy(
                    pupil=p,
                    text=text,
                    added_by_user_id=who["updated_by_user_id"],
                    added_by_name=who["updated_by_name"],
                )
            )
        if rng.random() < 0.5:
            said, how = rng.choice(VOICE)
            voices.append(
                PupilVoice(
                    pupil=p,
                    what_they_said=said,
                    how_gathered=how,
                    recorded_on=today - dt.timedelta(days=rng.randrange(5, 120)),
                    recorded_by_user_id=who["updated_by_user_id"],
                    recorded_by_name=who["updated_by_name"],
                )
            )
    PupilProfile.objects.bulk_create(profiles, batch_size=500)
    Strategy.objects.bulk_create(strategies, batch_size=1000)
    PupilVoice.objects.bulk_create(voices, batch_size=500)

    # Concerns about pupils not (yet) on the register, mostly raised by the demo teacher.
    raiser = teacher or senco
    if raiser is None:
        return
    candidates = [p for p in taught_pupils if p.sen_provision == "N"] + [
        p for p in pupils if p.sen_provision == "N" and p.form not in taught_forms
    ][:40]
    concerns, notes = [], []
    statuses = [
        Concern.Status.NEW,
        Concern.Status.NEW,
        Concern.Status.NEW,
        Concern.Status.MONITOR,
        Concern.Status.ASSESS,
        Concern.Status.NO_FURTHER_ACTION,
    ]
    for i, p in enumerate(rng.sample(candidates, k=min(len(candidates), len(statuses)))):
        seen, tried = CONCERNS[i % len(CONCERNS)]
        raised = timezone.now() - dt.timedelta(days=rng.randrange(2, 40))
        concerns.append(
            Concern(
                pupil=p,
                what_seen=seen,
                what_tried=tried,
                status=statuses[i],
                raised_by_user_id=raiser.pk,
                raised_by_name=raiser.full_name,
                raised_at=raised,
                updated_at=raised,
            )
        )
    Concern.objects.bulk_create(concerns)
    for c in concerns:
        if c.status != Concern.Status.NEW and senco is not None:
            note = {
                "monitor": "Discussed with class teacher. Monitor for six weeks with the strategies tried; review at pupil progress meeting.",
                "assess": "Requested a speech and language screen and a reading assessment before deciding on SEN support.",
                "no_further_action": "Spoke with parents: a bereavement in the family. Pastoral support in place; no SEN identified.",
            }[c.status]
            notes.append(
                ConcernNote(
                    concern=c,
                    decision=c.status,
                    note=note,
                    written_on=(c.raised_at + dt.timedelta(days=2)).date(),
                    written_by_user_id=senco.pk,
                    written_by_name=senco.full_name,
                )
            )
    ConcernNote.objects.bulk_create(notes)
