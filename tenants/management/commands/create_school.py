from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import School, Trust
from tenants.services import school_provision


class Command(BaseCommand):
    help = "Provision a school: its row, its schema (cloned from the template) and its subdomain."

    def add_arguments(self, parser):
        parser.add_argument("--trust", required=True, help="Trust name (created if missing)")
        parser.add_argument("--name", required=True)
        parser.add_argument("--urn", required=True, help="DfE URN, 6 digits")
        parser.add_argument("--subdomain", required=True)
        parser.add_argument("--phase", required=True, choices=School.Phase.values)
        parser.add_argument("--la-name", required=True)
        parser.add_argument("--la-code", required=True)
        parser.add_argument("--roll", type=int, default=0)

    def handle(self, *args, **o):
        trust, _ = Trust.objects.get_or_create(name=o["trust"])
        try:
            school = school_provision(
                acting_user=None,
                trust=trust,
                name=o["name"],
                urn=o["urn"],
                subdomain=o["subdomain"],
                phase=o["phase"],
                local_authority_name=o["la_name"],
                local_authority_code=o["la_code"],
                number_on_roll=o["roll"],
            )
        except ValidationError as exc:
            lines = (
                [f"{field}: {msg}" for field, msgs in exc.message_dict.items() for msg in msgs]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise CommandError("The school was not created:\n  " + "\n  ".join(lines)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created {school.name} at {school.domains.get().domain}")
        )
