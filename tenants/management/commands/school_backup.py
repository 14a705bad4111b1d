"""manage.py school_backup --school oakfield [--output PATH]

One sealed archive (tenants.backup) with the school's schema and documents, encrypted with the
key in SCHOOL_BACKUP_KEY. `--generate-key` prints a new key and does nothing else.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.documents.storage import StorageUnavailable
from tenants.backup import BackupError, school_backup
from tenants.models import School
from tenants.sealed import SealError, new_key, parse_key


def school_by_address(address: str) -> School:
    school = (
        School.objects.select_related("trust").filter(schema_name=address.replace("-", "_")).first()
    )
    if school is None:
        raise CommandError(f"No school has the web address “{address}”.")
    return school


def key_from_environment(variable: str) -> bytes:
    try:
        return parse_key(os.environ.get(variable))
    except SealError as exc:
        raise CommandError(f"{exc} (read from {variable})") from exc


class Command(BaseCommand):
    help = "Back up one school (schema and documents) into one encrypted archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--school", help="The school's web address (subdomain), e.g. oakfield")
        parser.add_argument("--output", help="Archive path (default: <school>-<time>.sencohub)")
        parser.add_argument(
            "--key-env", default="SCHOOL_BACKUP_KEY", help="Environment variable holding the key"
        )
        parser.add_argument("--generate-key", action="store_true", help="Print a new key")

    def handle(self, *args, **options) -> None:
        if options["generate_key"]:
            self.stdout.write(new_key())
            return
        if not options["school"]:
            raise CommandError("Name the school: --school <web address>.")
        key = key_from_environment(options["key_env"])
        school = school_by_address(options["school"])
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        path = Path(options["output"] or f"{school.slug}-{stamp}.sencohub")
        if path.exists():
            raise CommandError(f"{path} already exists; choose another --output.")
        partial = path.with_name(path.name + ".partial")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                manifest = school_backup(acting_user=None, school=school, out=out, key=key)
            os.replace(partial, path)
        except (BackupError, StorageUnavailable) as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        documents = sum(1 for m in manifest["members"] if m.startswith("documents/"))
        self.stdout.write(
            f"Backed up {school.name}: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {documents} documents -> {path}"
        )
