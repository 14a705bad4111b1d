"""API tokens (django-rest-knox): only a hash of each token is stored; each has a name chosen by
its owner ("MIS sync", "Power BI") and an expiry. Revoking a token deletes it."""

from __future__ import annotations

from django.db import models
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    name: models.CharField[str, str] = models.CharField(max_length=80)

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"
