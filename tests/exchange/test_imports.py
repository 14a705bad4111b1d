"""Import services: preview then confirm, all or nothing, matched by UPN, history merged,
re-import changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.exchange import services
from apps.exchange.models import ImportBatch
from apps.pupils.models import Pupil, SenHistory

from .helpers import add_pupil
from .samples import ctf, make_upn, mis_csv, pupil


def upload(user, data: bytes, name: str = "file.xml") -> ImportBatch:
    return services.import_upload(acting_user=user, data=data, original_name=name)


def run(user, data: bytes, name: str = "file.xml") -> ImportBatch:
    batch = upload(user, data, name)
    assert batch.status == ImportBatch.Status.PREVIEWED, (batch.file_error, batch.row_errors)
    return services.import_confirm(acting_user=user, batch=batch)


def snapshot_of_school() -> tuple:
    return (
        sorted(
            Pupil.objects.values_list(
                "upn",
                "first_name",
                "last_name",
                "sen_provision",
                "primary_need",
                "secondary_need",
                "sen_identified_on",
                "year_group",
            )
        ),
        sorted(
            SenHistory.objects.values_list(
                "pupil__upn", "effective_date", "provision", "primary_need", "secondary_need"
            )
        ),
    )


SEN_PUPIL = pupil(
    1,
    sen=[("2020-09-01", "K"), ("2022-01-20", "E")],
    needs=[
        ("2020-09-01", "2022-01-19", 1, "SLCN"),
        ("2022-01-20", "", 1, "ASD"),
        ("2021-03-01", "", 2, "SEMH"),
    ],
)


def test_a_ctf_previews_without_writing_then_imports_pupils_with_history(in_a, people):
    data = ctf([SEN_PUPIL, pupil(2)])
    batch = upload(people["senco_a"], data)
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.counts == {"create": 2, "update": 0, "unchanged": 0, "history_added": 3}
    assert [p["action"] for p in batch.preview] == ["create", "create"]
    assert batch.source_description.startswith("Old School (URN 100099")
    assert not Pupil.objects.exists()

    done = services.import_confirm(acting_user=people["senco_a"], batch=batch)
    assert done.counts == {"create": 2, "update": 0, "unchanged": 0, "history_added": 3}
    p = Pupil.objects.get(upn=SEN_PUPIL["upn"])
    assert (p.sen_provision, p.primary_need, p.secondary_need, p.sen_identified_on) == (
        "E",
        "ASD",
        "SEMH",
        dt.date(2020, 9, 1),
    )
    assert (p.last_name, p.first_name, p.gender, p.year_group) == (
        SEN_PUPIL["surname"],
        SEN_PUPIL["forename"],
        SEN_PUPIL["sex"],
        SEN_PUPIL["year"],
    )
    assert list(
        p.sen_history.order_by("effective_date").values_list(
            "effective_date", "provision", "primary_need", "secondary_need", "source"
        )
    ) == [
        (dt.date(2020, 9, 1), "K", "SLCN", "", "ctf"),
        (dt.date(2021, 3, 1), "K", "SLCN", "SEMH", "ctf"),
        (dt.date(2022, 1, 20), "E", "ASD", "SEMH", "ctf"),
    ]
    assert Pupil.objects.get(upn=pupil(2)["upn"]).sen_provision == "N"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CONFIRMED and batch.storage_name == ""
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("pupil.created") == 2 and actions.count("register.changed") == 1
    assert "import.previewed" in actions and "import.confirmed" in actions


def test_reimporting_the_same_file_changes_nothing(in_a, people):
    data = ctf([SEN_PUPIL, pupil(2)])
    run(people["senco_a"], data)
    before = snapshot_of_school()
    again = upload(people["senco_a"], data)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2, "history_added": 0}
    services.import_confirm(acting_user=people["senco_a"], batch=again)
    assert snapshot_of_school() == before


def test_existing_pupils_are_matched_by_upn_and_history_is_merged(in_a, people):
    existing = add_pupil(
        upn=SEN_PUPIL["upn"],
        first_name="Old",
        provision="K",
        primary_need="SLCN",
        identified=dt.date(2020, 9, 1),
    )
    batch = run(people["senco_a"], ctf([SEN_PUPIL]))
    assert batch.counts["update"] == 1 and batch.counts["create"] == 0
    existing.refresh_from_db()
    assert existing.first_name == SEN_PUPIL["forename"]
    assert (existing.sen_provision, existing.primary_need) == ("E", "ASD")
    # The K/SLCN entry already held on 1 Sep 2020 is not repeated.
    assert existing.sen_history.filter(effective_date=dt.date(2020, 9, 1)).count() == 1
    assert existing.sen_history.count() == 3


def test_a_csv_import_updates_details_and_the_register(in_a, people):
    p = add_pupil(upn=make_upn(11), year_group="3", form="3A")
    data = mis_csv(
        [
            [
                p.upn,
                p.last_name,
                p.first_name,
                "2016-03-14",
                "F",
                "4",
                "4C",
                "K",
                "2024-02-01",
                "SPLD",
                "",
            ]
        ]
    )
    batch = upload(people["office_a"], data, "mis.csv")
    assert batch.kind == ImportBatch.Kind.MIS_CSV
    changes = {c["field"]: (c["from"], c["to"]) for c in batch.preview[0]["changes"]}
    assert changes["year group"] == ("3", "4") and changes["registration form"] == ("3A", "4C")
    services.import_confirm(acting_user=people["office_a"], batch=batch)
    p.refresh_from_db()
    assert (p.year_group, p.form, p.sen_provision, p.primary_need, p.sen_identified_on) == (
        "4",
        "4C",
        "K",
        "SPLD",
        dt.date(2024, 2, 1),
    )
    assert p.sen_history.get().source == "import"


def test_a_csv_saying_n_without_a_date_takes_a_pupil_off_the_register_once(in_a, people):
    p = add_pupil(
        upn=make_upn(12), provision="K", primary_need="MLD", identified=dt.date(2023, 1, 1)
    )
    row = [p.upn, p.last_name, p.first_name, "2016-03-14", "F", "4", "4B", "N", "", "", ""]
    run(people["senco_a"], mis_csv([row]), "mis.csv")
    p.refresh_from_db()
    assert (p.sen_provision, p.primary_need, p.sen_identified_on) == ("N", "", None)
    count = p.sen_history.count()
    again = upload(people["senco_a"], mis_csv([row]), "mis.csv")
    assert again.counts["unchanged"] == 1
    assert p.sen_history.count() == count


def test_one_bad_row_means_nothing_is_written_and_every_bad_row_is_reported(in_a, people):
    rows = [
        SEN_PUPIL,
        pupil(2, upn="A382200115002"),
        pupil(3, sen=[("2021-09-01", "E")], needs=[("2021-09-01", "", 1, "NSA")]),
        pupil(4, sen=[("2021-09-01", "K")], needs=[("2021-09-01", "", 1, "ZZZ")]),
        pupil(5, dob="2030-01-01"),
        pupil(6, upn=SEN_PUPIL["upn"]),
    ]
    batch = upload(people["senco_a"], ctf(rows))
    assert batch.status == ImportBatch.Status.REJECTED
    assert sorted({e["row"] for e in batch.row_errors}) == [2, 3, 4, 5, 6]
    assert {e["field"] for e in batch.row_errors} >= {
        "UPN",
        "SENhistory/SENneeds",
        "SENneeds/SENneed[1]/SENtype",
        "DOB",
    }
    assert not Pupil.objects.exists() and not SenHistory.objects.exists()
    assert batch.storage_name == ""
    with pytest.raises(services.ImportFailed):
        services.import_confirm(acting_user=people["senco_a"], batch=batch)
    assert not Pupil.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>not a ctf</body></html>", "root element is <html>"),
        (b"<CTfile><unclosed>", "not valid XML"),
        (b"UPN,Legal surname\n", "lacks the required column"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(in_a, people, data, message):
    batch = upload(people["senco_a"], data)
    assert batch.status == ImportBatch.Status.REJECTED
    assert message in batch.file_error
    assert not Pupil.objects.exists()


def test_a_new_pupil_needs_sex_and_year_group(in_a, people):
    data = mis_csv([[make_upn(20), "Khan", "Ali", "2016-01-01", "", "", "", "", "", "", ""]])
    batch = upload(people["senco_a"], data, "x.csv")
    assert {e["field"] for e in batch.row_errors} == {"Sex", "Year group"}


def test_oversized_import_is_refused(in_a, people, settings):
    settings.EXCHANGE_MAX_IMPORT_BYTES = 100
    with pytest.raises(ValidationError, match="largest import allowed"):
        upload(people["senco_a"], ctf([pupil(1)]))


def test_records_changed_between_preview_and_confirm_abort_the_import(in_a, people):
    batch = upload(people["senco_a"], ctf([SEN_PUPIL]))
    # Meanwhile someone adds the pupil, admitted on a date before the file's date of birth.
    add_pupil(
        upn=SEN_PUPIL["upn"],
        date_of_birth=dt.date(2010, 1, 1),
        admission_date=dt.date(2012, 9, 1),
        year_group="R",
    )
    with pytest.raises(services.ImportFailed):
        services.import_confirm(acting_user=people["senco_a"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED and batch.row_errors
    assert not SenHistory.objects.filter(source="ctf").exists()


def test_a_confirmed_import_cannot_be_confirmed_again(in_a, people):
    batch = run(people["senco_a"], ctf([pupil(1)]))
    with pytest.raises(services.ImportFailed, match="only a previewed import"):
        services.import_confirm(acting_user=people["senco_a"], batch=batch)


@pytest.mark.parametrize(
    "role", ["teacher_a", "teaching_assistant_a", "governor_a", "trust_send_lead_a"]
)
def test_only_senco_head_and_office_import(in_a, people, role):
    with pytest.raises(PermissionDenied):
        upload(people[role], ctf([pupil(1)]))
