"""Exports: census SEN return, register CSV/Excel, leaver CTF (round trip into another school),
subject access ZIP; each audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from apps.audit.models import AuditEvent
from apps.audit.selectors import pupil_access_log
from apps.documents.services import document_upload
from apps.exchange import exports, services
from apps.exchange.models import ImportBatch
from apps.pupils import services as pupil_services
from apps.pupils.models import Pupil
from tests.support import in_school

from .helpers import add_pupil


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def register_a(in_a):
    k = add_pupil(
        first_name="Kay",
        last_name="Support",
        provision="K",
        primary_need="SLCN",
        secondary_need="SEMH",
        identified=dt.date(2022, 9, 5),
    )
    e = add_pupil(
        first_name="Ellis",
        last_name="Plan",
        provision="E",
        primary_need="ASD",
        identified=dt.date(2021, 1, 10),
    )
    n = add_pupil(first_name="Nina", last_name="None")
    left = add_pupil(
        first_name="Lou",
        last_name="Left",
        admission_date=dt.date(2020, 9, 1),
        leaving_date=dt.date(2024, 7, 20),
    )
    return {"k": k, "e": e, "n": n, "left": left}


def test_census_return_has_every_pupil_on_roll_with_provision_and_ranked_needs(
    in_a, people, register_a
):
    file = exports.census_export(acting_user=people["senco_a"])
    table = rows(file.data)
    assert table[0] == ["UPN", "SENprovision", "SENtypeRank1", "SENtypeRank2"]
    body = {r[0]: r[1:] for r in table[1:]}
    assert body[register_a["k"].upn] == ["K", "SLCN", "SEMH"]
    assert body[register_a["e"].upn] == ["E", "ASD", ""]
    assert body[register_a["n"].upn] == ["N", "", ""]
    assert register_a["left"].upn not in body
    assert file.filename.endswith(".csv")
    assert (
        AuditEvent.objects.filter(action="export.downloaded", extra__export="census").count() == 1
    )
    # One row per export, listing its pupils; each pupil's access log finds it.
    export = AuditEvent.objects.get(action="export.downloaded", extra__export="census")
    assert register_a["k"].pk in export.extra["pupil_ids"]
    assert not AuditEvent.objects.filter(action="export.included").exists()
    assert export in pupil_access_log(pupil_id=register_a["k"].pk)


def test_register_exports_as_csv_and_excel(in_a, people, register_a):
    table = rows(exports.register_export(acting_user=people["office_a"], file_format="csv").data)
    assert table[0][:3] == ["UPN", "Legal surname", "Legal forename"]
    assert sorted(r[1] for r in table[1:]) == ["Plan", "Support"]
    support = next(r for r in table if r[1] == "Support")
    assert support[7:11] == [
        "K",
        "SLCN",
        "SEMH",
        "Communication and interaction; Social, emotional and mental health",
    ]
    assert support[11] == "05/09/2022"
    book = load_workbook(
        io.BytesIO(exports.register_export(acting_user=people["senco_a"], file_format="xlsx").data)
    )
    sheet = book["SEN register"]
    values = list(sheet.values)
    assert values[0][0] == "UPN" and len(values) == 3
    plan = next(v for v in values if v[1] == "Plan")
    assert plan[7] == "E" and plan[11] == dt.datetime(2021, 1, 10)


def test_spreadsheet_formulas_in_names_are_neutralised(in_a, people):
    add_pupil(
        first_name='=HYPERLINK("http://x")', last_name="Formula", provision="K", primary_need="MLD"
    )
    table = rows(exports.register_export(acting_user=people["senco_a"]).data)
    assert table[1][2].startswith("'=")


def test_a_leavers_ctf_imports_into_another_school_with_its_history(people, school_a, school_b):
    with in_school(school_a):
        p = add_pupil(
            first_name="Siân",
            last_name="O'Neill",
            preferred_first_name="Sia",
            provision="K",
            primary_need="SLCN",
            identified=dt.date(2021, 9, 6),
        )
        pupil_services.register_set_status(
            acting_user=None,
            pupil=p,
            provision="K",
            primary_need="SLCN",
            secondary_need="SEMH",
            effective_date=dt.date(2022, 3, 1),
            reason="Review",
        )
        pupil_services.register_set_status(
            acting_user=None,
            pupil=p,
            provision="E",
            primary_need="ASD",
            secondary_need="SEMH",
            effective_date=dt.date(2023, 6, 12),
            reason="EHC plan issued",
        )
        p.refresh_from_db()
        source_history = list(
            p.sen_history.order_by("effective_date").values_list(
                "effective_date", "provision", "primary_need", "secondary_need"
            )
        )
        file = exports.leaver_ctf_export(
            acting_user=people["senco_a"], pupil=p, dest_la="382", dest_estab="2002"
        )
        assert AuditEvent.objects.filter(
            action="export.downloaded", pupil=p, extra__export="leaver_ctf"
        ).exists()
    assert file.data.startswith(b"<?xml") and b"<CTfile>" in file.data
    with in_school(school_b):
        batch = services.import_upload(
            acting_user=people["senco_b"], data=file.data, original_name=file.filename
        )
        assert batch.status == ImportBatch.Status.PREVIEWED, batch.row_errors
        services.import_confirm(acting_user=people["senco_b"], batch=batch)
        q = Pupil.objects.get(upn=p.upn)
        assert (
            q.first_name,
            q.last_name,
            q.preferred_first_name,
            q.date_of_birth,
            q.gender,
            q.year_group,
        ) == ("Siân", "O'Neill", "Sia", p.date_of_birth, p.gender, p.year_group)
        assert (q.sen_provision, q.primary_need, q.secondary_need, q.sen_identified_on) == (
            "E",
            "ASD",
            "SEMH",
            dt.date(2021, 9, 6),
        )
        assert (
            list(
                q.sen_history.order_by("effective_date").values_list(
                    "effective_date", "provision", "primary_need", "secondary_need"
                )
            )
            == source_history
        )
        # And importing it again at B changes nothing.
        again = services.import_upload(
            acting_user=people["senco_b"], data=file.data, original_name=file.filename
        )
        assert again.counts == {"create": 0, "update": 0, "unchanged": 1, "history_added": 0}


def test_subject_access_export_holds_everything_about_the_pupil(in_a, people, register_a):
    k = register_a["k"]
    pupil_services.profile_update(
        acting_user=people["senco_a"], pupil=k, like_and_admire="Kind to everyone"
    )
    pupil_services.concern_raise(
        acting_user=people["senco_a"], pupil=k, what_seen="Struggles with instructions"
    )
    document_upload(
        acting_user=people["senco_a"],
        pupil=k,
        uploaded_file=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF"),
        title="SALT report",
    )
    file = exports.subject_access_export(acting_user=people["senco_a"], pupil=k)
    archive = zipfile.ZipFile(io.BytesIO(file.data))
    names = archive.namelist()
    assert {"record.json", "record.html"} <= set(names)
    assert any(n.startswith("documents/") and n.endswith("SALT-report.pdf") for n in names)
    record = json.loads(archive.read("record.json"))
    assert record["pupil"]["upn"] == k.upn
    sections = record["records"]
    assert sections["pupils.senhistory"]["rows"][0]["primary_need"] == "SLCN"
    assert sections["pupils.pupilprofile"]["rows"][0]["like_and_admire"] == "Kind to everyone"
    assert sections["pupils.concern"]["rows"][0]["what_seen"] == "Struggles with instructions"
    assert sections["documents.pupildocument"]["rows"][0]["title"] == "SALT report"
    assert any(r["action"] == "export.downloaded" for r in sections["audit.auditevent"]["rows"])
    html = archive.read("record.html").decode()
    assert "Kind to everyone" in html and "Struggles with instructions" in html
    # Another pupil's data is not in it.
    assert register_a["e"].upn not in archive.read("record.json").decode()


@pytest.mark.parametrize(
    ("role", "census", "subject_access"),
    [
        ("senco_a", True, True),
        ("headteacher_a", True, True),
        ("office_a", True, False),
        ("teacher_a", False, False),
        ("teaching_assistant_a", False, False),
        ("governor_a", False, False),
        ("trust_send_lead_a", False, False),
    ],
)
def test_export_rights_by_role(in_a, people, register_a, role, census, subject_access):
    user = people[role]
    for allowed, call in (
        (census, lambda: exports.census_export(acting_user=user)),
        (census, lambda: exports.register_export(acting_user=user)),
        (census, lambda: exports.leaver_ctf_export(acting_user=user, pupil=register_a["k"])),
        (
            subject_access,
            lambda: exports.subject_access_export(acting_user=user, pupil=register_a["k"]),
        ),
    ):
        if allowed:
            assert call().data
        else:
            with pytest.raises(PermissionDenied):
                call()
