"""A school moves to another trust (its schema and records stay; trust-level links end or move;
billing follows), or leaves the platform with a complete export (tenants.moving)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from apps.billing.models import BillingAccount
from apps.trust.models import (
    LibraryAdoption,
    LibraryItem,
    PupilTransfer,
    RollupFigure,
    SharedSencoArrangement,
    TrustAuditEvent,
)
from apps.trust.rollups import refresh_school
from apps.trust.services import arrangement_save, library_adopt, library_publish
from tenants.access import school_access_for
from tenants.models import School
from tenants.moving import school_move_trust
from tenants.roles import SchoolRole
from tenants.services import school_archive, school_membership_set
from tests.support import in_school


@pytest.fixture
def links(people, trust_a, school_a, sister_school, pupils_in):
    """School A in trust A with every kind of trust-level link."""
    pupils_in(school_a, [("K", "SPLD", "6")] * 6 + [("E", "ASD", "6")] * 2)
    for school in (school_a, sister_school):
        with in_school(school):
            refresh_school(school)
    school_membership_set(
        acting_user=None, user=people["senco_a"], school=sister_school, role=SchoolRole.SENCO
    )
    arrangement = arrangement_save(
        acting_user=None,
        trust=trust_a,
        senco=people["senco_a"],
        teaching_hours_per_week=Decimal(0),
        admin_support_hours_per_week=Decimal(2),
        started_on=date(2025, 9, 1),
        next_review_due=date(2030, 1, 1),
        school_hours={school_a: Decimal(3), sister_school: Decimal(3)},
    )
    published = library_publish(
        acting_user=None,
        trust=trust_a,
        school=school_a,
        item_type_key="guidance",
        title="Alpha guidance",
        body="Do this.",
    )
    from_sister = library_publish(
        acting_user=None,
        trust=trust_a,
        school=sister_school,
        item_type_key="guidance",
        title="Sister guidance",
        body="Do that.",
    )
    adoption = library_adopt(
        acting_user=people["trust_send_lead_a"], item=from_sister, school=school_a
    )
    transfer = PupilTransfer.objects.create(
        trust=trust_a, from_school=school_a, to_school=sister_school, source_pupil_id=1
    )
    account = BillingAccount.objects.filter(
        school=school_a
    ).first() or BillingAccount.objects.create(school=school_a)
    account.contact_kind = BillingAccount.ContactKind.TRUST_FINANCE
    account.contact_name, account.contact_email = "Trust Finance", "finance@alpha.example"
    account.save()
    return {
        "arrangement": arrangement,
        "published": published,
        "from_sister": from_sister,
        "adoption": adoption,
        "transfer": transfer,
    }


def pupil_rows(school) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(f'SELECT * FROM "{school.schema_name}".pupils_pupil ORDER BY id')
        return cur.fetchall()


def test_a_school_moves_to_another_trust(people, school_a, trust_a, trust_b, links, api_for):
    before = pupil_rows(school_a)
    figures = RollupFigure.objects.filter(school=school_a).count()
    assert figures > 0

    notes = school_move_trust(acting_user=None, school=school_a, to_trust=trust_b)

    school_a.refresh_from_db()
    assert school_a.trust_id == trust_b.pk
    assert pupil_rows(school_a) == before  # the schema and its records stay as they were
    # Trust-level links of the old trust end cleanly.
    arrangement = SharedSencoArrangement.objects.get(pk=links["arrangement"].pk)
    assert arrangement.ended_on == date.today()
    assert not arrangement.school_times.filter(school=school_a).exists()
    assert LibraryItem.objects.get(pk=links["published"].pk).withdrawn_at is not None
    assert LibraryItem.objects.get(pk=links["from_sister"].pk).withdrawn_at is None
    assert not LibraryAdoption.objects.filter(pk=links["adoption"].pk).exists()
    assert PupilTransfer.objects.get(pk=links["transfer"].pk).status == "cancelled"
    # The school's own figures and billing follow it; the old trust's finance team is no longer
    # its invoice contact.
    assert RollupFigure.objects.filter(school=school_a).count() == figures
    account = BillingAccount.objects.get(school=school_a)
    assert account.contact_kind == BillingAccount.ContactKind.SCHOOL
    assert account.contact_email == ""
    # Both trusts' audit trails say so.
    assert TrustAuditEvent.objects.filter(trust=trust_a, action="school_left").exists()
    assert TrustAuditEvent.objects.filter(trust=trust_b, action="school_joined").exists()
    assert any("moved from Alpha Learning Trust to Beta Schools Trust" in n for n in notes)
    # Who sees it: the old trust's SEND lead no longer; the new trust's console lists it.
    assert school_access_for(people["trust_send_lead_a"], school_a) is None
    assert school_access_for(people["senco_a"], school_a) is not None  # its staff stay
    listed_b = api_for(people["trust_admin_b"]).get("/api/v1/trust/schools/").json()
    listed_a = api_for(people["trust_trust_admin_a"]).get("/api/v1/trust/schools/").json()

    def names(body) -> set[str]:
        rows = body.get("results", body) if isinstance(body, dict) else body
        return {s["name"] for s in rows}

    assert "Alpha Primary" in names(listed_b)
    assert "Alpha Primary" not in names(listed_a)


def test_moving_to_its_own_trust_or_while_archived_is_refused(school_a, trust_a, trust_b):
    with pytest.raises(ValidationError, match="already in Alpha Learning Trust"):
        school_move_trust(acting_user=None, school=school_a, to_trust=trust_a)
    school_archive(acting_user=None, school=school_a)
    with pytest.raises(ValidationError, match="reactivate it first"):
        school_move_trust(acting_user=None, school=school_a, to_trust=trust_b)
    assert School.objects.get(pk=school_a.pk).trust_id == trust_a.pk


def test_the_move_command(school_a, trust_b):
    out = io.StringIO()
    call_command("school_move", school="alpha", to_trust="Beta Schools Trust", stdout=out)
    assert "moved from Alpha Learning Trust to Beta Schools Trust" in out.getvalue()
    with pytest.raises(CommandError, match="No trust named"):
        call_command("school_move", school="alpha", to_trust="Nobody")
    with pytest.raises(CommandError, match="No school has the web address"):
        call_command("school_move", school="nowhere", to_trust="Beta Schools Trust")


def test_a_school_leaves_the_platform_with_a_complete_export(
    committed, harness, tmp_path, monkeypatch, settings
):
    from apps.documents import storage
    from tenants.backup import archive_verify, school_tables
    from tenants.sealed import new_key, parse_key
    from tests.documents.files import PDF
    from tests.trust.conftest import make_pupil

    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    key = new_key()
    monkeypatch.setenv("SCHOOL_BACKUP_KEY", key)
    school = committed.school(
        trust=harness["trust_a"],
        name="Leaving Primary",
        urn="700401",
        subdomain="leaving",
        phase="primary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=50,
    )
    with in_school(school):
        for n in range(3):
            make_pupil(provision="K", need="MLD", first=f"Lea{n}")
        stored = storage.save(school.schema_name, "documents", PDF, "pdf")
    connection.set_schema_to_public()

    with pytest.raises(CommandError, match="confirm with --confirm leaving"):
        call_command("school_leave", school="leaving", output=str(tmp_path / "out"))
    assert School.objects.get(pk=school.pk).status == School.Status.ACTIVE

    out = io.StringIO()
    call_command(
        "school_leave",
        school="leaving",
        output=str(tmp_path / "out"),
        confirm="leaving",
        stdout=out,
    )
    school.refresh_from_db()
    assert school.status == School.Status.ARCHIVED  # closed to staff, nothing deleted
    files = sorted((tmp_path / "out").iterdir())
    backup = next(p for p in files if p.suffix == ".sencohub")
    export = next(p for p in files if p.name.endswith("-export.zip"))
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    manifest = archive_verify(backup, parse_key(key))
    assert manifest["school"]["urn"] == "700401"
    with zipfile.ZipFile(export) as archive:
        names = set(archive.namelist())
        assert {f"tables/{t}.csv" for t in school_tables(school.schema_name)} <= names
        assert archive.read(f"documents/{stored}") == PDF
        pupils = list(csv.DictReader(io.StringIO(archive.read("tables/pupils_pupil.csv").decode())))
    assert sorted(p["first_name"] for p in pupils) == ["Lea0", "Lea1", "Lea2"]
    # Leaving again is refused: it is already archived.
    with pytest.raises(CommandError, match="already archived"):
        call_command(
            "school_leave", school="leaving", output=str(tmp_path / "again"), confirm="leaving"
        )
