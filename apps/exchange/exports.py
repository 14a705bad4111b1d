"""Files that leave the school: the census SEN return, the register (CSV and Excel), a leaver's
CTF and a subject access export. Each service authorises, builds the file and audits it; the
views only send the bytes."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, models
from django.template.loader import render_to_string
from django.utils import timezone

from apps.audit.services import record
from apps.core.acting import authorise
from apps.pupils.codes import Provision
from apps.pupils.models import Pupil, SenHistory
from apps.pupils.selectors import RegisterFilters, register_queryset

from . import access as rights
from .actions import ExchangeAction
from .ctf import CtfHeader, CtfPupilOut, write_ctf
from .records import NeedEntry, ProvisionEntry


@dataclass
class ExportFile:
    filename: str
    content_type: str
    data: bytes


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _slug() -> str:
    return connection.tenant.slug if hasattr(connection.tenant, "slug") else connection.schema_name


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        # Guard spreadsheet formula injection: a cell starting =, +, - or @ is read as text.
        writer.writerow(
            [f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    return out.getvalue().encode("utf-8-sig")


# --- census ----------------------------------------------------------------------------------

CENSUS_HEADINGS = ["UPN", "SENprovision", "SENtypeRank1", "SENtypeRank2"]


def census_export(*, acting_user, request=None) -> ExportFile:
    """The SEN part of the school census: every pupil on roll, their provision and ranked needs."""
    authorise(rights.RIGHTS, acting_user, "export", request=request)
    pupils = list(
        Pupil.objects.on_roll()
        .order_by("upn")
        .values_list("id", "upn", "sen_provision", "primary_need", "secondary_need")
    )
    rows: list[list[object]] = [CENSUS_HEADINGS]
    for _, upn, provision, primary, secondary in pupils:
        on_register = provision in (Provision.SEN_SUPPORT, Provision.EHC_PLAN)
        rows.append(
            [upn, provision, primary if on_register else "", secondary if on_register else ""]
        )
    _audit(
        acting_user, request, "census", [p[0] for p in pupils], "Downloaded the census SEN return"
    )
    return ExportFile(
        f"census-sen-{_slug()}-{timezone.localdate():%Y-%m-%d}.csv", CSV_TYPE, _csv(rows)
    )


# --- register ---------------------------------------------------------------------------------

REGISTER_COLUMNS: list[tuple[str, str]] = [
    ("UPN", "upn"),
    ("Legal surname", "last_name"),
    ("Legal forename", "first_name"),
    ("Preferred name", "display_name"),
    ("Date of birth", "date_of_birth"),
    ("Year group", "year_group"),
    ("Class", "form"),
    ("SEN provision", "sen_provision"),
    ("Primary need", "primary_need"),
    ("Secondary need", "secondary_need"),
    ("Broad areas of need", "areas"),
    ("Date identified", "sen_identified_on"),
    ("EAL", "eal"),
    ("Pupil premium", "pupil_premium"),
    ("FSM", "free_school_meals"),
    ("Looked after", "looked_after"),
]


def _register_rows(pupils) -> list[list[object]]:
    rows = []
    for p in pupils:
        row: list[object] = []
        for _, attr in REGISTER_COLUMNS:
            if attr == "areas":
                value: object = "; ".join(p.broad_areas)
            else:
                value = getattr(p, attr)
            if isinstance(value, bool):
                value = "Y" if value else "N"
            row.append(value if value is not None else "")
        rows.append(row)
    return rows


def register_export(
    *, acting_user, file_format: str = "csv", filters: RegisterFilters | None = None, request=None
) -> ExportFile:
    access = authorise(rights.RIGHTS, acting_user, "export", request=request)
    filters = filters or RegisterFilters()
    pupils = list(register_queryset(access, acting_user, filters))
    rows = _register_rows(pupils)
    headings = [h for h, _ in REGISTER_COLUMNS]
    stem = f"sen-register-{_slug()}-{timezone.localdate():%Y-%m-%d}"
    if file_format == "xlsx":
        data = _xlsx(headings, rows)
        result = ExportFile(f"{stem}.xlsx", XLSX_TYPE, data)
    else:
        result = ExportFile(
            f"{stem}.csv",
            CSV_TYPE,
            _csv(
                [
                    headings,
                    *[
                        [c.strftime("%d/%m/%Y") if isinstance(c, date) else c for c in r]
                        for r in rows
                    ],
                ]
            ),
        )
    _audit(
        acting_user,
        request,
        f"register_{file_format}",
        [p.pk for p in pupils],
        f"Downloaded the SEN register ({file_format.upper()}, {len(pupils)} pupils)",
    )
    return result


def _xlsx(headings: list[str], rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "SEN register"
    ws.append(headings)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(
            [f"'{c}" if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    for index, heading in enumerate(headings, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(heading) + 2)
        if heading in ("Date of birth", "Date identified"):
            for cell in ws[get_column_letter(index)][1:]:
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- leaver's CTF -------------------------------------------------------------------------------


def history_as_ctf(
    history: list[SenHistory], pupil: Pupil
) -> tuple[list[ProvisionEntry], list[NeedEntry]]:
    """Register snapshots → CTF SEN entries (one per change of provision) and SENneed spans
    (rank, code, start, end: the day before the next change)."""
    snaps = sorted(history, key=lambda h: (h.effective_date, h.recorded_at, h.pk))
    if not snaps and pupil.sen_provision != Provision.NONE:
        day = pupil.sen_identified_on or pupil.created_at.date()
        snaps = [
            SenHistory(
                effective_date=day,
                provision=pupil.sen_provision,
                primary_need=pupil.primary_need,
                secondary_need=pupil.secondary_need,
            )
        ]
    provisions: list[ProvisionEntry] = []
    needs: list[NeedEntry] = []
    open_needs: dict[int, tuple[str, date]] = {}
    # Several snapshots on one date: the last recorded is the state of that day.
    by_day: dict[date, SenHistory] = {}
    for s in snaps:
        by_day[s.effective_date] = s
    for day in sorted(by_day):
        s = by_day[day]
        if not provisions or provisions[-1].provision != s.provision:
            provisions.append(ProvisionEntry(day, s.provision))
        for rank, code in ((1, s.primary_need), (2, s.secondary_need)):
            held = open_needs.get(rank)
            if held and held[0] != code:
                needs.append(NeedEntry(held[1], day - timedelta(days=1), rank, held[0]))
                del open_needs[rank]
            if code and rank not in open_needs:
                open_needs[rank] = (code, day)
    for rank, (code, start) in sorted(open_needs.items()):
        needs.append(NeedEntry(start, None, rank, code))
    return provisions, needs


def leaver_ctf_export(
    *, acting_user, pupil: Pupil, dest_la: str = "", dest_estab: str = "", request=None
) -> ExportFile:
    authorise(rights.RIGHTS, acting_user, "export", request=request)
    school = connection.tenant
    provisions, needs = history_as_ctf(list(pupil.sen_history.all()), pupil)
    out = CtfPupilOut(
        upn=pupil.upn,
        surname=pupil.last_name,
        forename=pupil.first_name,
        preferred_surname=pupil.preferred_last_name,
        preferred_forename=pupil.preferred_first_name,
        date_of_birth=pupil.date_of_birth,
        sex=pupil.gender,
        year_group=pupil.year_group,
        provisions=provisions,
        needs=needs,
    )
    header = CtfHeader(
        source_la=school.local_authority_code,
        source_urn=school.urn,
        source_name=school.name,
        dest_la=dest_la,
        dest_estab=dest_estab,
    )
    data = write_ctf(
        header=header, pupils=[out], generated_at=timezone.localtime().replace(tzinfo=None)
    )
    record(
        user=acting_user,
        action=ExchangeAction.EXPORT_DOWNLOADED,
        pupil=pupil,
        summary="Downloaded the pupil's leaver CTF (with SEN history)",
        request=request,
        extra={"export": "leaver_ctf", "dest_la": dest_la, "dest_estab": dest_estab},
    )
    la = dest_la or "XXX"
    return ExportFile(
        f"{school.local_authority_code}{school.urn}_CTF_{la}{dest_estab or 'XXXX'}_{pupil.pk}.xml",
        "application/xml",
        data,
    )


# --- subject access ---------------------------------------------------------------------------


def _value(v: object) -> object:
    if isinstance(v, datetime):
        return timezone.localtime(v).isoformat() if timezone.is_aware(v) else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def _row(obj: models.Model) -> dict[str, object]:
    """One record for the family, with third parties redacted (ICO subject access guidance):
    staff are named by their role, never by name or account id, and no IP address is given.
    Found by field convention (`*_by_name`, `actor_name`, `*user_id`, IP address fields), so a
    future record that follows it is redacted without code here. The school keeps the full trail
    in its own audit log."""
    row: dict[str, object] = {}
    role = getattr(obj, "actor_role", "") or ""
    for f in obj._meta.concrete_fields:
        name = f.attname
        if isinstance(f, models.GenericIPAddressField):
            continue
        if name == "user_id" or name.endswith("_user_id"):
            continue
        if name == "actor_name" or name.endswith("_by_name"):
            value = getattr(obj, name)
            row[name] = (role or "A member of staff") if value and value != "System" else value
            continue
        row[name] = _value(getattr(obj, name))
    return row


def _related(obj: models.Model, depth: int) -> dict[str, dict]:
    """Every row that points at `obj` (one-to-many, one-to-one, many-to-many), found through the
    model graph so that records added by future features are included without code here."""
    out: dict[str, dict] = {}
    for rel in obj._meta.related_objects:
        model = rel.related_model
        accessor = rel.get_accessor_name()
        if rel.one_to_one:
            try:
                rows = [getattr(obj, accessor)]
            except model.DoesNotExist:
                rows = []
        else:
            rows = list(getattr(obj, accessor).all())
        if not rows:
            continue
        key = f"{model._meta.app_label}.{model._meta.model_name}"
        entries = []
        for r in rows:
            entry = _row(r)
            if depth > 0:
                nested = _related(r, depth - 1)
                if nested:
                    entry["linked_records"] = nested
            entries.append(entry)
        out[key] = {"title": str(model._meta.verbose_name_plural).capitalize(), "rows": entries}
    return out


def _role_label(access) -> str:
    return getattr(access, "role_label", "") or "The school"


def subject_access_export(*, acting_user, pupil: Pupil, request=None) -> ExportFile:
    """Everything held about one pupil: a ZIP with record.json (machine-readable), record.html
    (readable) and the pupil's documents."""
    from apps.documents import storage
    from apps.documents.models import PupilDocument

    access = authorise(rights.RIGHTS, acting_user, "export_subject_access", request=request)
    school = connection.tenant
    generated = timezone.now()
    record(
        user=acting_user,
        action=ExchangeAction.EXPORT_DOWNLOADED,
        pupil=pupil,
        summary="Downloaded a subject access export (everything held about the pupil)",
        request=request,
        extra={"export": "subject_access"},
    )
    payload = {
        "school": {
            "name": school.name,
            "urn": school.urn,
            "local_authority": school.local_authority_name,
        },
        "generated_at": _value(generated),
        "generated_by": _role_label(access),
        "pupil": _row(pupil),
        # Two levels below the pupil's own records: an EHC plan's reviews hold their invitations
        # and advice (pupil -> plan -> review -> invitation).
        "records": _related(pupil, depth=2),
    }
    html = render_to_string(
        "exchange/subject_access.html",
        {"payload": payload, "pupil": pupil, "school": school, "generated": generated},
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "record.json", json.dumps(payload, indent=2, ensure_ascii=False, default=str)
        )
        archive.writestr("record.html", html)
        for doc in PupilDocument.objects.filter(pupil=pupil):
            archive.writestr(
                f"documents/{doc.pk}-{doc.download_name}",
                storage.read(connection.schema_name, doc.storage_name),
            )
    return ExportFile(
        f"subject-access-pupil-{pupil.pk}-{generated:%Y-%m-%d}.zip",
        "application/zip",
        out.getvalue(),
    )


def _audit(user, request, kind: str, pupil_ids: list[int], summary: str) -> None:
    """One audit row per export, listing the pupils in it (ids): each pupil's access log finds
    the export through that list (apps.audit.selectors.pupil_access_log)."""
    record(
        user=user,
        action=ExchangeAction.EXPORT_DOWNLOADED,
        summary=summary,
        request=request,
        extra={"export": kind, "pupils": len(pupil_ids), "pupil_ids": pupil_ids},
    )
