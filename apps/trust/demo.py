"""Demo data for the trust console: Helen Carter's shared arrangement across oakfield, birchwood
and cedar (set up to fail the time-per-pupil check), SENCo qualifications, a library item, and
every school's figures computed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from tenants.schemas import in_school_schema
from tenants.typing import tenant_db

from .models import LibraryAdoption, LibraryItem, SencoQualification, SharedSencoArrangement
from .rollups import refresh_school
from .services import arrangement_save, library_publish, trust_settings_for

SHARED = {"oakfield": Decimal("6"), "birchwood": Decimal("4"), "cedar": Decimal("3")}


def seed_trust_console(trust, demo_schools, rng) -> None:
    by_slug = {d.school.slug: d for d in demo_schools}
    today = timezone.localdate()
    settings_row = trust_settings_for(trust)
    settings_row.significant_teaching_hours = Decimal("5")
    settings_row.min_minutes_per_pupil_on_roll = Decimal("5")
    settings_row.min_minutes_per_pupil_on_register = Decimal("10")
    settings_row.save()

    shared = [by_slug[s] for s in SHARED if s in by_slug]
    if len(shared) >= 2 and shared[0].staff.get("senco"):
        helen = shared[0].staff["senco"]
        if not SharedSencoArrangement.objects.filter(trust=trust, senco=helen).exists():
            # 13 hours a week for 382 pupils on roll: about 2 minutes per pupil, below the
            # trust's minimum of 5 - the check the demo is meant to show failing.
            arrangement_save(
                acting_user=None,
                trust=trust,
                senco=helen,
                teaching_hours_per_week=Decimal("2.5"),
                admin_support_hours_per_week=Decimal("4"),
                started_on=date(today.year - 1, 9, 1),
                next_review_due=today + timedelta(days=60),
                school_hours={d.school: SHARED[d.school.slug] for d in shared},
            )
        SencoQualification.objects.update_or_create(
            trust=trust,
            senco=helen,
            defaults={
                "appointed_on": today - timedelta(days=2 * 365 + 100),
                "has_qts": True,
                "award": SencoQualification.Award.NPQ_IN_PROGRESS,
            },
        )
    riverside = by_slug.get("riverside")
    if riverside and riverside.staff.get("senco"):
        SencoQualification.objects.update_or_create(
            trust=trust,
            senco=riverside.staff["senco"],
            defaults={
                "appointed_on": date(2016, 9, 1),
                "has_qts": True,
                "award": SencoQualification.Award.NATIONAL_AWARD_HELD,
                "award_achieved_on": date(2018, 7, 1),
            },
        )

    oakfield = by_slug.get("oakfield")
    if oakfield and not LibraryItem.objects.filter(trust=trust).exists():
        item = library_publish(
            acting_user=None,
            trust=trust,
            school=oakfield.school,
            item_type_key="guidance",
            title="Calm corners: setting up a regulation space",
            summary="How Oakfield set up calm corners in every classroom, and what staff say helps.",
            body="A small, screened space with a visual timetable, ear defenders and a five-point scale.\n"
            "Agree with the class when and how to use it; review after half a term.",
        )
        if "birchwood" in by_slug:
            LibraryAdoption.objects.create(item=item, school=by_slug["birchwood"].school)
        _publish_a_strategy(
            trust,
            oakfield.school,
            [by_slug[s].school for s in ("cedar", "riverside") if s in by_slug],
        )

    for demo in demo_schools:
        tenant_db.set_schema_to_public()
        with in_school_schema(demo.school):
            refresh_school(demo.school)
    tenant_db.set_schema_to_public()
    _earlier_terms(demo_schools, rng)


def _earlier_terms(demo_schools, rng) -> None:
    """Synthetic snapshots for the three terms before this one, so the trend pages have a line."""
    from .models import RollupSnapshot
    from .rollups import term_of

    today = timezone.localdate()
    _, _, start = term_of(today)
    terms = []
    day = start
    for _ in range(3):
        day = day - timedelta(days=1)
        label, order, first = term_of(day)
        terms.append((label, order, first))
        day = first
    rows = []
    for demo in demo_schools:
        current = list(RollupSnapshot.objects.filter(school=demo.school, term=term_of(today)[0]))
        for back, (label, order, first) in enumerate(terms, start=1):
            factor = 1 - 0.04 * back + rng.uniform(-0.02, 0.02)
            for snap in current:
                value = snap.value * factor
                rows.append(
                    RollupSnapshot(
                        school=demo.school,
                        term=label,
                        term_order=order,
                        metric=snap.metric,
                        category=snap.category,
                        value=round(value)
                        if snap.metric not in ("provision_percent", "concern_wait_days")
                        else round(value, 1),
                        taken_at=timezone.make_aware(datetime(first.year, first.month, first.day))
                        + timedelta(days=60),
                    )
                )
    RollupSnapshot.objects.bulk_create(rows, ignore_conflicts=True)


def _publish_a_strategy(trust, school, adopters) -> None:
    """Publish oakfield's most used strategy whose wording names no pupil, and adopt it."""
    from django.core.exceptions import ValidationError

    from .library import item_type
    from .services import library_adopt

    kind = item_type("strategy")
    if kind is None or kind.sources is None:
        return
    with in_school_schema(school):
        sources = kind.sources(school)
    tenant_db.set_schema_to_public()
    for ref, _title in sources[:10]:
        try:
            item = library_publish(
                acting_user=None,
                trust=trust,
                school=school,
                item_type_key="strategy",
                source_ref=ref,
            )
        except ValidationError:
            continue
        for other in adopters:
            library_adopt(acting_user=None, item=item, school=other)
        return
