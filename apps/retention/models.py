from __future__ import annotations

from django.db import models


class RetentionReview(models.Model):
    """A pupil's record past its retention date, listed for the SENCo to confirm deletion."""

    id = models.BigAutoField(primary_key=True)
    pupil = models.OneToOneField(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="retention_review"
    )
    retain_until = models.DateField()
    listed_on = models.DateField()

    class Meta:
        ordering = ["retain_until", "pupil_id"]

    def __str__(self) -> str:
        return f"Retention review of pupil {self.pupil_id}"
