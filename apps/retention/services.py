from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from apps.audit.actions import AuditAction
from apps.audit.services import record
from tenants.typing import tenant_db

from .access import RIGHTS
from .models import RetentionReview
from .rules import latest_birth_date_past_retention, retain_until


class RetentionAction(AuditAction):
    DELETED = "retention.deleted", "Deleted records past their retention date"


def retention_list_due(*, today: date) -> int:
    """List every pupil past retention for the SENCo (idempotent: run nightly). Nothing is
    deleted here. Returns how many are listed."""
    from apps.pupils.models import Pupil

    due = Pupil.objects.filter(date_of_birth__lte=latest_birth_date_past_retention(today))
    listed = set(RetentionReview.objects.values_list("pupil_id", flat=True))
    RetentionReview.objects.bulk_create(
        [
            RetentionReview(pupil=p, retain_until=retain_until(p.date_of_birth), listed_on=today)
            for p in due.only("pk", "date_of_birth")
            if p.pk not in listed
        ]
    )
    # A date of birth corrected since: no longer due, no longer listed.
    RetentionReview.objects.exclude(pupil__in=due).delete()
    return RetentionReview.objects.count()


def retention_delete_confirmed(
    *, acting_user: Any, access: Any, pupil_ids: list[int], request: Any = None
) -> int:
    """Delete the confirmed pupils' records (every record pointing at them, and their document
    files) if they are listed as past retention. The audit row names no pupil."""
    from apps.documents import storage
    from apps.documents.models import PupilDocument
    from apps.pupils.models import Pupil

    RIGHTS.require(access, "review_retention")
    with transaction.atomic():
        ids = list(
            RetentionReview.objects.filter(pupil_id__in=pupil_ids).values_list(
                "pupil_id", flat=True
            )
        )
        if not ids:
            return 0
        schema = tenant_db.schema_name
        files = list(
            PupilDocument.objects.filter(pupil_id__in=ids).values_list("storage_name", flat=True)
        )
        Pupil.objects.filter(pk__in=ids).delete()
        record(
            user=acting_user,
            action=RetentionAction.DELETED,
            summary=(
                f"Deleted {len(ids)} pupil record{'s' if len(ids) != 1 else ''} past the "
                "retention date (date of birth + 31 years), confirmed by the SENCo"
            ),
            request=request,
            extra={"count": len(ids), "documents": len(files)},
        )

        def delete_files() -> None:
            for name in files:
                storage.delete(schema, name)

        transaction.on_commit(delete_files)
    return len(ids)
