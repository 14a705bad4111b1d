"""The exams officer's list as PDF and Excel: candidate, arrangements, evidence, flags."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from apps.core.pdf import render_pdf

from .selectors import ExamsRow

HEADINGS = [
    "Year",
    "Form",
    "Surname",
    "First name",
    "UPN",
    "Arrangement",
    "Assessor",
    "Assessed on",
    "Expires on",
    "Missing evidence",
    "Expires before the series ends",
]


def _cells(row: ExamsRow) -> list[Any]:
    a = row.arrangement
    p = a.pupil
    return [
        p.year_group,
        p.form,
        p.last_name,
        p.first_name,
        p.upn,
        a.label,
        a.assessor,
        a.assessed_on,
        a.expires_on,
        ", ".join(row.missing),
        "Yes" if row.expires_before_series else "",
    ]


def exams_list_xlsx(series: tuple[str, dt.date, dt.date], rows: list[ExamsRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Access arrangements"
    sheet.append([f"Exam access arrangements for {series[0]} (ends {series[2]:%-d %B %Y})"])
    sheet.append(HEADINGS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    flag = PatternFill("solid", fgColor="FFDD99")
    for row in rows:
        sheet.append(_cells(row))
        if row.missing or row.expires_before_series:
            for cell in sheet[sheet.max_row]:
                cell.fill = flag
    for column, width in zip(
        "ABCDEFGHIJK", (6, 8, 18, 16, 16, 22, 20, 12, 12, 36, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def exams_list_pdf(
    series: tuple[str, dt.date, dt.date], rows: list[ExamsRow], school_name: str, today: dt.date
) -> bytes:
    return render_pdf(
        "staff/exams_list_pdf.html",
        {"series": series, "rows": rows, "school_name": school_name, "today": today},
    )
