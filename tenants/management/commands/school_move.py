"""manage.py school_move --school oakfield --to-trust "Other Trust"

The school's schema, records and documents stay; trust-level links end or move (tenants.moving).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.management.commands.school_backup import school_by_address
from tenants.models import Trust
from tenants.moving import school_move_trust


class Command(BaseCommand):
    help = "Move a school to another trust on the platform."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--school", required=True, help="The school's web address")
        parser.add_argument("--to-trust", required=True, help="The receiving trust's name")

    def handle(self, *args, **options) -> None:
        school = school_by_address(options["school"])
        trust = Trust.objects.filter(name=options["to_trust"]).first()
        if trust is None:
            raise CommandError(f"No trust named “{options['to_trust']}”.")
        try:
            notes = school_move_trust(acting_user=None, school=school, to_trust=trust)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for note in notes:
            self.stdout.write(note)
