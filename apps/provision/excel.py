"""The provision map as an Excel workbook (openpyxl): one sheet per pupil's provision, one of
totals by year group and area of need, one of impact."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import InterventionImpact, ProvisionMap


def _safe(value: object) -> object:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV/formula injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def provision_map_workbook(result: ProvisionMap, impact: list[InterventionImpact]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Provision map"
    sheet.append(
        [
            "Pupil",
            "Year",
            "Intervention",
            "Area of need",
            "Group",
            "Annual cost (£)",
            "Over threshold",
        ]
    )
    for row in result.rows:
        for place in row.places:
            intervention = place.group.intervention
            sheet.append(
                [
                    _safe(row.pupil.display_name),
                    row.pupil.year_group,
                    _safe(intervention.name),
                    intervention.area_label,
                    _safe(place.group.name),
                    float(place.annual_cost),  # type: ignore[attr-defined]
                    "yes" if row.over_threshold else "",
                ]
            )
        sheet.append(
            [
                _safe(row.pupil.display_name),
                row.pupil.year_group,
                "Total",
                "",
                "",
                float(row.annual_cost),
                "yes" if row.over_threshold else "",
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    totals = book.create_sheet("Totals")
    totals.append(["Year group", "Annual cost (£)"])
    for year, cost in result.by_year_group.items():
        totals.append([year, float(cost)])
    totals.append([])
    totals.append(["Area of need", "Annual cost (£)"])
    for area, cost in result.by_area.items():
        totals.append([area, float(cost)])
    totals.append([])
    totals.append(["Allocated in total", float(result.total_cost)])
    totals.append(["Threshold per pupil", float(result.threshold)])
    if result.notional_sen_budget is not None:
        totals.append(["Notional SEN budget", float(result.notional_sen_budget)])

    sheet_impact = book.create_sheet("Impact")
    sheet_impact.append(
        [
            "Intervention",
            "Pupils finished",
            "Average change",
            "Outcomes met (%)",
            "Cost per pupil (£)",
            "Cost per unit of progress (£)",
        ]
    )
    for item in impact:
        i = item.impact
        sheet_impact.append(
            [
                _safe(item.intervention.name),
                i.finished,
                float(i.average_change) if i.average_change is not None else None,
                float(i.share_met) if i.share_met is not None else None,
                float(i.cost_per_pupil),
                float(i.cost_per_unit_progress) if i.cost_per_unit_progress is not None else None,
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
