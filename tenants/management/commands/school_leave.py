"""manage.py school_leave --school oakfield --output /secure/folder [--confirm oakfield]

A school leaving the platform: a sealed backup (SCHOOL_BACKUP_KEY) and an open export (a CSV per
table and every document) are written to the folder, then its trust links end and it is archived.
Nothing is deleted.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.documents.storage import StorageUnavailable
from tenants.backup import BackupError
from tenants.management.commands.school_backup import key_from_environment, school_by_address
from tenants.moving import school_leave_platform


class Command(BaseCommand):
    help = "Export a school's data and archive it: the school leaves the platform."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--school", required=True, help="The school's web address")
        parser.add_argument("--output", required=True, help="Folder for the backup and export")
        parser.add_argument("--confirm", help="The school's web address again, to confirm")
        parser.add_argument("--key-env", default="SCHOOL_BACKUP_KEY")

    def handle(self, *args, **options) -> None:
        school = school_by_address(options["school"])
        if options["confirm"] != school.slug:
            raise CommandError(
                f"{school.name} will be archived and closed to its staff: confirm with "
                f"--confirm {school.slug}."
            )
        key = key_from_environment(options["key_env"])
        try:
            backup, export, notes = school_leave_platform(
                acting_user=None, school=school, folder=Path(options["output"]), key=key
            )
        except (BackupError, StorageUnavailable, ValidationError) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from exc
        self.stdout.write(f"Backup (sealed): {backup}")
        self.stdout.write(f"Export for the school (CSV and documents, keep it safe): {export}")
        for note in notes:
            self.stdout.write(note)
