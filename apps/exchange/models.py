"""An import in progress or done. The uploaded file is kept in private school storage between
preview and confirm (and removed once the import is confirmed); the preview and the error report
are kept as JSON so that the user can come back to them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        CTF = "ctf", "Common Transfer File (CTF XML)"
        MIS_CSV = "mis_csv", "MIS export (CSV)"

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Ready to confirm"
        REJECTED = "rejected", "Rejected: nothing written"
        CONFIRMED = "confirmed", "Imported"

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, blank=True)
    source_description = models.CharField(max_length=255, blank=True)  # CTF source school
    file_error = models.TextField(blank=True)  # the whole file was refused
    row_errors = models.JSONField(default=list, blank=True)  # [{row, label, field, message}]
    preview = models.JSONField(
        default=list, blank=True
    )  # [{row, label, upn, action, changes, history}]
    counts = models.JSONField(
        default=dict, blank=True
    )  # created / updated / unchanged / history_added
    notes = models.JSONField(default=list, blank=True)  # e.g. ignored CSV columns
    uploaded_by_user_id = models.BigIntegerField(null=True, blank=True)
    uploaded_by_name = models.CharField(max_length=150, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    confirmed_by_user_id = models.BigIntegerField(null=True, blank=True)
    confirmed_by_name = models.CharField(max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.kind}, {self.status})"

    @property
    def error_rows(self) -> list[dict]:
        """Errors grouped by row for the report: [{row, label, errors: [{field, message}]}]."""
        grouped: dict[int, dict] = {}
        for e in self.row_errors:
            entry = grouped.setdefault(
                e["row"], {"row": e["row"], "label": e["label"], "errors": []}
            )
            entry["errors"].append({"field": e["field"], "message": e["message"]})
        return [grouped[k] for k in sorted(grouped)]
