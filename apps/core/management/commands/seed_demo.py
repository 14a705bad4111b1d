"""Create the demo trust: Northbrook Learning Trust with four schools and their people.

Idempotent: does nothing if the trust already exists (use --if-empty in `make run`).
"""

from __future__ import annotations

import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import tenant_context

from apps.core.demo import DEMO_PASSWORD, DemoSchool, school_seeders, trust_seeders
from tenants.models import School, Trust, User
from tenants.roles import SchoolRole, TrustRole
from tenants.services import school_membership_set, school_provision, trust_membership_set

TRUST_NAME = "Northbrook Learning Trust"
DOMAIN = "northbrook.example"

SCHOOLS = [
    # slug, name, urn, phase, LA name, LA code, roll
    ("oakfield", "Oakfield Primary School", "148201", School.Phase.PRIMARY, "Kirklees", "382", 196),
    (
        "birchwood",
        "Birchwood Primary School",
        "148202",
        School.Phase.PRIMARY,
        "Kirklees",
        "382",
        104,
    ),
    (
        "cedar",
        "Cedar Church of England Primary School",
        "148203",
        School.Phase.PRIMARY,
        "Kirklees",
        "382",
        82,
    ),
    ("riverside", "Riverside Academy", "148204", School.Phase.SECONDARY, "Leeds", "383", 1150),
]

TRUST_PEOPLE = [
    ("trust.admin", "Priya Shah", TrustRole.TRUST_ADMIN),
    ("send.lead", "Marcus Okafor", TrustRole.SEND_LEAD),
    ("finance", "Gillian Moss", TrustRole.FINANCE),
]

SCHOOL_PEOPLE = {
    # slug: [(email local part, name, role key, SchoolRole)]
    "oakfield": [
        ("head.oakfield", "Rachel Green", "headteacher"),
        ("teacher.oakfield", "Tom Ellis", "teacher"),
        ("ta.oakfield", "Aisha Begum", "teaching_assistant"),
    ],
    "birchwood": [
        ("head.birchwood", "David Lowe", "headteacher"),
        ("teacher.birchwood", "Sophie Turner", "teacher"),
        ("ta.birchwood", "Kirsty Walsh", "teaching_assistant"),
    ],
    "cedar": [
        ("head.cedar", "Andrew Mills", "headteacher"),
        ("teacher.cedar", "Hannah Price", "teacher"),
        ("ta.cedar", "Joanne Reid", "teaching_assistant"),
    ],
    "riverside": [
        ("senco.riverside", "Dr Samuel Adeyemi", "senco"),
        ("head.riverside", "Claire Whitfield", "headteacher"),
        ("teacher.riverside", "James Patel", "teacher"),
        ("ta.riverside", "Leanne Hughes", "teaching_assistant"),
    ],
}
SHARED_SENCO = ("senco", "Helen Carter")
SHARED_SENCO_SCHOOLS = ("oakfield", "birchwood", "cedar")


def _user(local: str, name: str) -> User:
    user = User.objects.filter(email=f"{local}@{DOMAIN}").first()
    if user is None:
        user = User.objects.create_user(
            email=f"{local}@{DOMAIN}", password=DEMO_PASSWORD, full_name=name
        )
    return user


class Command(BaseCommand):
    help = "Seed the Northbrook Learning Trust demo (4 schools, staff, synthetic pupils)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Only seed when there are no schools at all."
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help="Random seed for synthetic data."
        )

    def handle(self, *args, **options):
        if options["if_empty"] and School.objects.exists():
            self.stdout.write("Schools already exist; demo not seeded.")
            return
        if Trust.objects.filter(name=TRUST_NAME).exists():
            self.stdout.write("The demo trust already exists; nothing to do.")
            return
        rng = random.Random(options["seed"])
        trust = Trust.objects.create(name=TRUST_NAME, companies_house_number="09876543")
        for local, name, role in TRUST_PEOPLE:
            trust_membership_set(acting_user=None, user=_user(local, name), trust=trust, role=role)
        shared_senco = _user(*SHARED_SENCO)
        demo_schools: list[DemoSchool] = []
        for slug, name, urn, phase, la_name, la_code, roll in SCHOOLS:
            school = school_provision(
                acting_user=None,
                trust=trust,
                name=name,
                urn=urn,
                subdomain=slug,
                phase=phase,
                local_authority_name=la_name,
                local_authority_code=la_code,
                number_on_roll=roll,
            )
            demo = DemoSchool(school=school)
            if slug in SHARED_SENCO_SCHOOLS:
                school_membership_set(
                    acting_user=None, user=shared_senco, school=school, role=SchoolRole.SENCO
                )
                demo.staff["senco"] = shared_senco
            for local, person, key in SCHOOL_PEOPLE[slug]:
                user = _user(local, person)
                school_membership_set(
                    acting_user=None, user=user, school=school, role=SchoolRole(key)
                )
                demo.staff[key] = user
            demo_schools.append(demo)
            for _, _seeder_name, seeder in school_seeders():
                with transaction.atomic(), tenant_context(school):
                    seeder(demo, rng)
            self.stdout.write(f"  {name}: https://{slug}.<platform>/ seeded")
        for _, _seeder_name, seeder in trust_seeders():
            with transaction.atomic():
                seeder(trust, demo_schools, rng)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {TRUST_NAME}. Demo password for every user: {DEMO_PASSWORD}"
            )
        )
