"""Files made from EHC records: the annual review report (PDF and Word) and the iCalendar feed.

Calendar events carry the pupil's initials and an internal reference only, never a full name:
calendars sync to outside services."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from apps.core.pdf import render_pdf

from .models import AnnualReview
from .selectors import Deadline
from .services.reviews import REPORT_FIELDS

REPORT_LABELS = {
    "report_views": "Views of the child or young person and parents",
    "report_progress": "Progress towards the outcomes (section E)",
    "report_provision": "Provision in place (section F)",
    "report_support_reviews": "Latest support plan reviews",
    "report_attendance": "Attendance",
    "report_recommendation": "Recommendations and proposed changes",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report_context(review: AnnualReview, school: Any) -> dict[str, Any]:
    plan = review.plan
    return {
        "school": school,
        "review": review,
        "plan": plan,
        "pupil": plan.pupil,
        "sections": [(REPORT_LABELS[f], getattr(review, f)) for f in REPORT_FIELDS],
        "dates": [
            ("Meeting", review.meeting_on),
            ("Report due to the LA", review.report_due),
            ("LA decision due", review.la_decision_due),
        ],
        "made_on": timezone.localdate(),
    }


def _filename(review: AnnualReview, ext: str) -> str:
    return f"annual-review-{review.plan.reference}-{review.meeting_on:%Y-%m-%d}.{ext}"


def report_pdf(review: AnnualReview, *, school: Any) -> bytes:
    return render_pdf("ehcp/report_pdf.html", _report_context(review, school))


def report_pdf_response(review: AnnualReview, *, school: Any) -> HttpResponse:
    response = HttpResponse(report_pdf(review, school=school), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(review, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def report_docx(review: AnnualReview, *, school: Any) -> bytes:
    from docx import Document

    ctx = _report_context(review, school)
    doc = Document()
    doc.core_properties.title = "EHC plan annual review report"
    doc.add_heading("EHC plan annual review report", level=0)
    pupil = ctx["pupil"]
    doc.add_paragraph(f"{pupil.display_name} · Year {pupil.year_group} · {school.name}")
    doc.add_paragraph(
        f"Plan {review.plan.reference}, issued {review.plan.issued_on:%-d %B %Y} by "
        f"{review.plan.local_authority}"
    )
    table = doc.add_table(rows=0, cols=2)
    for label, value in ctx["dates"]:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = f"{value:%-d %B %Y}"
    for label, text in ctx["sections"]:
        doc.add_heading(label, level=1)
        for para in (text or "").split("\n"):
            doc.add_paragraph(para)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def report_docx_response(review: AnnualReview, *, school: Any) -> HttpResponse:
    response = HttpResponse(report_docx(review, school=school), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(review, "docx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def deadlines_ics(deadlines: Iterable[Deadline], *, school: Any, today: date) -> bytes:
    """One all-day event per open deadline (and done ones from the last four weeks, so a client
    sees them ticked off rather than vanish)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//SENCo Hub//Statutory deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"EHC deadlines – {school.name}")
    cal.add("x-published-ttl", "PT1H")
    stamp = datetime.now(tz=timezone.get_current_timezone())
    host = getattr(school, "schema_name", "school")
    horizon = today - timedelta(weeks=4)
    states = {"done": " [done]", "done_late": " [done late]", "overdue": " [OVERDUE]"}
    for d in deadlines:
        if d.done_on is not None and d.done_on < horizon:
            continue
        # All-day events: a DTSTART date alone is one day (RFC 5545 3.6.1), so no DTEND; the
        # fewer properties, the faster a school's few hundred events are written.
        event = Event()
        event.add("uid", f"{d.uid}@{host}.sencohub")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.due)
        event.add("summary", f"{d.label} – {d.initials} ({d.reference}){states.get(d.status, '')}")
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
