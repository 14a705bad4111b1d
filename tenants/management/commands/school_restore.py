"""manage.py school_restore ARCHIVE (--as NEW-ADDRESS [--urn ...] [--name ...] [--trust ...]
                                      | --over ADDRESS [--confirm ADDRESS])

Into a new subdomain: a new school made from the archive, no other school touched. Over an
existing school (the same school, by URN): its records are replaced after confirmation, typed
at the prompt or given as --confirm. The archive is checked completely before anything changes.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.documents.storage import StorageUnavailable
from tenants.backup import BackupError, school_restore_new, school_restore_over
from tenants.management.commands.school_backup import key_from_environment, school_by_address
from tenants.models import Trust


class Command(BaseCommand):
    help = "Restore one school from an archive made by school_backup."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--as", dest="as_address", help="A new web address for the copy")
        target.add_argument("--over", help="The web address of the school to put back")
        parser.add_argument("--confirm", help="The school's web address, to confirm --over")
        parser.add_argument("--urn", help="URN of the new school (when the original is present)")
        parser.add_argument("--name", help="Name of the new school")
        parser.add_argument("--trust", help="Trust of the new school (default: the archive's)")
        parser.add_argument("--key-env", default="SCHOOL_BACKUP_KEY")
        parser.add_argument("--noinput", action="store_false", dest="interactive", default=True)

    def handle(self, *args, **options) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"No archive at {archive}.")
        key = key_from_environment(options["key_env"])
        try:
            if options["as_address"]:
                trust = None
                if options["trust"]:
                    trust = Trust.objects.filter(name=options["trust"]).first()
                    if trust is None:
                        raise CommandError(f"No trust named “{options['trust']}”.")
                restored = school_restore_new(
                    acting_user=None,
                    archive=archive,
                    key=key,
                    subdomain=options["as_address"],
                    name=options["name"],
                    urn=options["urn"],
                    trust=trust,
                )
            else:
                school = school_by_address(options["over"])
                confirm = options["confirm"]
                if confirm is None and options["interactive"]:
                    confirm = input(
                        f"This replaces every record of {school.name} with the archive's. "
                        f"Type its web address ({school.slug}) to go on: "
                    ).strip()
                restored = school_restore_over(
                    acting_user=None,
                    archive=archive,
                    key=key,
                    school=school,
                    confirm=confirm or "",
                )
        except (BackupError, StorageUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {restored.school.name} at {restored.school.slug}: "
            f"{restored.tables} tables, {restored.documents} documents."
        )
