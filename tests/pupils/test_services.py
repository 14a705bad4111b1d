"""Writes through services: validation with precise messages, nothing half-written, history and
audit rows."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.pupils import services
from apps.pupils.models import Pupil, SenHistory
from tests.pupils.factories import make_class, make_pupil, new_upn

TODAY = dt.date.today()


def _errors(exc) -> dict:
    return exc.value.message_dict


def _create(**overrides):
    values = dict(
        upn=new_upn(),
        first_name="Oliver",
        last_name="Hughes",
        date_of_birth=dt.date(2016, 5, 1),
        gender="M",
        year_group="4",
    )
    values.update(overrides)
    return services.pupil_create(acting_user=None, **values)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"upn": "A801200005001"}, "upn", "The check letter does not match"),
        ({"upn": "B80120000"}, "upn", "A UPN has 13 characters"),
        (
            {"sen_provision": "K", "primary_need": "XYZ"},
            "primary_need",
            "XYZ is not a census type-of-need code",
        ),
        (
            {"sen_provision": "E", "primary_need": "NSA"},
            "primary_need",
            "valid only with SEN support (K)",
        ),
        ({"sen_provision": "S", "primary_need": "MLD"}, "sen_provision", "historic code"),
        ({"sen_provision": "K"}, "primary_need", "Choose the primary need"),
        ({"sen_provision": "N", "primary_need": "ASD"}, "primary_need", "no type of need"),
        (
            {"sen_provision": "K", "primary_need": "ASD", "secondary_need": "ASD"},
            "secondary_need",
            "must differ",
        ),
        (
            {"date_of_birth": TODAY + dt.timedelta(days=1)},
            "date_of_birth",
            "cannot be in the future",
        ),
        ({"admission_date": dt.date(2015, 1, 1)}, "admission_date", "before the date of birth"),
        (
            {
                "sen_provision": "K",
                "primary_need": "SLCN",
                "sen_identified_on": dt.date(2014, 1, 1),
            },
            "sen_identified_on",
            "before the date of birth",
        ),
        (
            {
                "sen_provision": "K",
                "primary_need": "SLCN",
                "sen_identified_on": TODAY + dt.timedelta(days=3),
            },
            "sen_identified_on",
            "cannot be in the future",
        ),
        ({"year_group": "14"}, "year_group", "14 is not a year group"),
        ({"gender": "Q"}, "gender", "Gender must be F or M"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_written(in_a, overrides, field, message):
    before = (Pupil.objects.count(), SenHistory.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        _create(**overrides)
    assert any(message in m for m in _errors(exc)[field]), _errors(exc)
    assert (Pupil.objects.count(), SenHistory.objects.count(), AuditEvent.objects.count()) == before


def test_duplicate_upn_is_refused(in_a):
    first = _create()
    with pytest.raises(ValidationError) as exc:
        _create(upn=first.upn.lower())
    assert _errors(exc)["upn"] == [f"Another pupil in this school already has UPN {first.upn}."]
    assert Pupil.objects.filter(upn=first.upn).count() == 1


def test_creating_on_the_register_starts_the_history(in_a):
    pupil = _create(
        sen_provision="K",
        primary_need="slcn",
        secondary_need="SEMH",
        sen_identified_on=dt.date(2023, 9, 12),
    )
    assert (pupil.sen_provision, pupil.primary_need, pupil.secondary_need) == ("K", "SLCN", "SEMH")
    assert pupil.sen_identified_on == dt.date(2023, 9, 12)
    assert pupil.broad_areas == [
        "Communication and interaction",
        "Social, emotional and mental health",
    ]
    (entry,) = pupil.sen_history.all()
    assert (entry.effective_date, entry.provision, entry.primary_need) == (
        dt.date(2023, 9, 12),
        "K",
        "SLCN",
    )


def test_every_register_change_is_kept_with_who_and_why(in_a, people):
    pupil = make_pupil()
    services.register_set_status(
        acting_user=None,
        pupil=pupil,
        provision="K",
        primary_need="SPLD",
        reason="Dyslexia screener",
        effective_date=dt.date(2024, 1, 10),
    )
    services.register_set_status(
        acting_user=people["senco_a"],
        pupil=pupil,
        provision="E",
        primary_need="ASD",
        reason="EHC plan issued",
    )
    history = list(pupil.sen_history.all())
    assert [(h.provision, h.primary_need, h.reason) for h in history] == [
        ("E", "ASD", "EHC plan issued"),
        ("K", "SPLD", "Dyslexia screener"),
    ]
    assert history[0].changed_by_user_id == people["senco_a"].pk
    assert history[0].changed_by_name == people["senco_a"].full_name
    pupil.refresh_from_db()
    assert pupil.sen_identified_on == dt.date(2024, 1, 10)  # stays the date first identified


def test_repeating_the_same_register_entry_writes_nothing(in_a):
    pupil = make_pupil(provision="K", primary_need="MLD")
    count = (SenHistory.objects.count(), AuditEvent.objects.count())
    assert (
        services.register_set_status(
            acting_user=None, pupil=pupil, provision="K", primary_need="MLD", source="import"
        )
        is None
    )
    assert (SenHistory.objects.count(), AuditEvent.objects.count()) == count


def test_a_manual_change_needs_a_reason_and_a_sensible_date(in_a, people):
    pupil = make_pupil(provision="K", primary_need="MLD")
    with pytest.raises(ValidationError) as exc:
        services.register_set_status(
            acting_user=people["senco_a"],
            pupil=pupil,
            provision="E",
            primary_need="MLD",
            effective_date=TODAY + dt.timedelta(days=2),
        )
    assert "reason" in _errors(exc) and "effective_date" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.register_set_status(
            acting_user=people["senco_a"],
            pupil=pupil,
            provision="E",
            primary_need="MLD",
            effective_date=dt.date(2010, 1, 1),
            reason="x",
        )
    assert _errors(exc)["effective_date"] == [
        "The date of the change cannot be before the date of birth."
    ]
    pupil.refresh_from_db()
    assert pupil.sen_provision == "K"


def test_leaving_the_register_clears_needs_and_date(in_a, people):
    pupil = make_pupil(provision="K", primary_need="MLD")
    services.register_set_status(
        acting_user=people["senco_a"], pupil=pupil, provision="N", reason="Made good progress"
    )
    pupil.refresh_from_db()
    assert (pupil.sen_provision, pupil.primary_need, pupil.sen_identified_on) == ("N", "", None)


@pytest.mark.parametrize(
    "role", ["teacher_a", "teaching_assistant_a", "headteacher_a", "office_a", "governor_a"]
)
def test_only_the_senco_changes_the_register(in_a, people, role):
    pupil = make_pupil()
    with pytest.raises(PermissionDenied):
        services.register_set_status(
            acting_user=people[role], pupil=pupil, provision="K", primary_need="MLD", reason="x"
        )


def test_teacher_edits_profile_only_for_pupils_they_teach(in_a, people):
    mine, other = make_pupil(), make_pupil()
    make_class("4H", staff=[people["teacher_a"]], pupils=[mine])
    services.profile_update(
        acting_user=people["teacher_a"], pupil=mine, how_to_support="Give me time to answer"
    )
    with pytest.raises(PermissionDenied):
        services.profile_update(acting_user=people["teacher_a"], pupil=other, how_to_support="x")


def test_pupil_update_refuses_register_fields(in_a, people):
    pupil = make_pupil()
    with pytest.raises(ValidationError) as exc:
        services.pupil_update(acting_user=people["senco_a"], pupil=pupil, sen_provision="E")
    assert "sen_provision" in _errors(exc)


def test_pupil_update_is_audited_without_names(in_a, people):
    pupil = make_pupil(first_name="Zebedee")
    services.pupil_update(acting_user=people["office_a"], pupil=pupil, year_group="5", form="5R")
    event = AuditEvent.objects.filter(action="pupil.updated", pupil=pupil).get()
    assert event.user_id == people["office_a"].pk
    assert "Zebedee" not in event.summary and "year group" in event.summary
