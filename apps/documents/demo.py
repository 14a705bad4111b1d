"""Demo documents: a few synthetic one-page PDF reports on pupils on the register."""

from __future__ import annotations

import hashlib
import random

from apps.pupils.models import Pupil
from tenants.typing import tenant_db

from . import storage
from .models import PupilDocument

REPORTS = [
    ("Speech and language therapy report", PupilDocument.Category.REPORT, "SLCN"),
    ("Educational psychologist report", PupilDocument.Category.REPORT, ""),
    ("Reading assessment", PupilDocument.Category.EVIDENCE, ""),
    ("Occupational therapy advice", PupilDocument.Category.REPORT, ""),
    ("Annual review paperwork", PupilDocument.Category.EHC_PLAN, ""),
]


def simple_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing `lines` (ASCII), with a correct cross-reference table."""
    text = (
        "BT /F1 12 Tf 72 760 Td 16 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text)
        + text.encode("latin-1", "replace")
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def seed_documents(demo, rng: random.Random) -> None:
    senco = demo.staff.get("senco")
    on_register = list(Pupil.objects.exclude(sen_provision="N").order_by("id")[:40])
    for pupil in rng.sample(on_register, min(6, len(on_register))):
        title, category, _ = rng.choice(REPORTS)
        data = simple_pdf(
            [
                f"{title} (synthetic demo document)",
                f"Pupil: {pupil.display_name}   Year {pupil.year_group}",
                "This file was generated for the SENCo Hub demo. It describes no real child.",
            ]
        )
        PupilDocument.objects.create(
            pupil=pupil,
            title=title,
            category=category,
            original_name=title.lower().replace(" ", "-") + ".pdf",
            kind="pdf",
            content_type="application/pdf",
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_name=storage.save(tenant_db.schema_name, "documents", data, "pdf"),
            uploaded_by_user_id=getattr(senco, "pk", None),
            uploaded_by_name=getattr(senco, "full_name", "") or "",
        )
