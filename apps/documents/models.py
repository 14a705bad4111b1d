"""Reports and evidence uploaded to a pupil's record. The bytes live in private per-school
storage (storage.py); this row says what the file is, whose it is and who uploaded it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PupilDocument(models.Model):
    class Category(models.TextChoices):
        REPORT = "report", "Professional report"
        EVIDENCE = "evidence", "Evidence of need or progress"
        EHC_PLAN = "ehc_plan", "EHC plan or review paperwork"
        CORRESPONDENCE = "correspondence", "Letter or correspondence"
        OTHER = "other", "Other"

    id = models.BigAutoField(primary_key=True)
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.REPORT)
    original_name = models.CharField("file name when uploaded", max_length=255)
    kind = models.CharField(max_length=8)  # apps.documents.sniff: pdf, docx, doc, png, jpeg
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True)
    uploaded_by_user_id = models.BigIntegerField(null=True, blank=True)
    uploaded_by_name = models.CharField(max_length=150, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["pupil", "-uploaded_at"], name="document_pupil_recent")]

    def __str__(self) -> str:
        return f"Document {self.pk} (pupil {self.pupil_id})"

    @property
    def size_label(self) -> str:
        size = float(self.size_bytes)
        for unit in ("bytes", "KB", "MB"):
            if size < 1024 or unit == "MB":
                return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
            size /= 1024
        return f"{size:.1f} MB"

    @property
    def download_name(self) -> str:
        """A safe file name for the browser: the title, ASCII only, with the real extension."""
        import re

        from .sniff import ACCEPTED

        ext = next((k.extension for k in ACCEPTED if k.key == self.kind), "bin")
        stem = (
            re.sub(r"[^A-Za-z0-9 _-]+", "", self.title).strip().replace(" ", "-")[:80]
            or f"document-{self.pk}"
        )
        return f"{stem}.{ext}"
