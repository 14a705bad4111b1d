"""Task base classes.

Tasks get ids only, never pupil data. A school task runs in its school's schema (the schema travels
in the message headers); if it somehow arrives without one, it refuses to run rather than read or
write the public schema.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import transaction
from tenant_schemas_celery.task import TenantTask

from sencohub.celery import app
from tenants.typing import tenant_db


class SchoolTaskInPublicSchema(RuntimeError):
    pass


class SchoolTask(TenantTask):
    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if tenant_db.schema_name in ("public", None):
            raise SchoolTaskInPublicSchema(
                f"{self.name} is a school task and was about to run in the public schema; refused."
            )
        return super().__call__(*args, **kwargs)


class PublicTask(TenantTask):
    """A task about platform-level rows (users, invitations, billing): runs in public, even when
    queued from inside a school's request."""

    abstract = True

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        options["headers"] = {**(options.get("headers") or {}), "_schema_name": "public"}
        return super().apply_async(args, kwargs, **options)


def enqueue_for_school(task: Any, school: Any, *args: Any, **kwargs: Any) -> Any:
    """Queue a SchoolTask to run in `school`'s schema, whatever schema the caller is in.

    Arguments must be ids and codes, never pupil data (they sit in Redis and in worker logs)."""
    return task.apply_async(args=args, kwargs=kwargs, headers={"_schema_name": school.schema_name})


def queue_after_commit(task_name: str, *ids: int) -> None:
    """Queue a task by its name once the current transaction commits (at once outside one).

    Services queue their side effects this way, and tasks call services: naming the task instead
    of importing it keeps a package's services and tasks from importing each other (the import
    contract, tests/import_contract.py). The task runs through its own class (PublicTask or
    SchoolTask), so its schema header is set as if it had been imported. Ids only, never data."""

    def send() -> None:
        # Celery discovers task modules only in workers: load this one by its name.
        import_module(task_name.rsplit(".", 1)[0])
        app.tasks[task_name].delay(*ids)

    transaction.on_commit(send)
