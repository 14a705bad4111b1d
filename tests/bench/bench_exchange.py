"""Import of a 1,500-pupil Common Transfer File (320 on the register, with SEN history and ranked
needs) into an empty school: preview (parse, validate, plan) and confirm (bulk write), timed
separately, then a re-import of the same file (which must change nothing). Target < 10 s."""

from __future__ import annotations

import time
from pathlib import Path
from tempfile import mkdtemp

PUPILS = 1500


def run(report) -> None:
    from django.conf import settings
    from django.db import connection
    from django_tenants.utils import tenant_context

    from apps.exchange import services
    from apps.exchange.models import ImportBatch
    from apps.pupils.models import Pupil, SenHistory
    from tenants.models import Trust, User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set, school_provision
    from tests.exchange.samples import big_ctf

    settings.PRIVATE_FILES_ROOT = Path(mkdtemp(prefix="bench-exchange-"))
    trust = Trust.objects.create(name="Bench Exchange Trust")
    school = school_provision(
        acting_user=None,
        trust=trust,
        name="Bench Exchange Academy",
        urn="199901",
        subdomain="benchexchange",
        phase="secondary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=PUPILS,
    )
    senco = User.objects.create_user(
        email="bench.exchange@example.test", password="bench-password-1", full_name="Bench SENCo"
    )
    school_membership_set(acting_user=None, user=senco, school=school, role=SchoolRole.SENCO)
    data = big_ctf(PUPILS)
    report("CTF size", len(data) / 1048576, "MB")
    with tenant_context(school):
        started = time.perf_counter()
        batch = services.import_upload(acting_user=senco, data=data, original_name="bench.xml")
        preview = time.perf_counter() - started
        assert batch.status == ImportBatch.Status.PREVIEWED, (
            batch.file_error,
            batch.row_errors[:3],
        )
        started = time.perf_counter()
        services.import_confirm(acting_user=senco, batch=batch)
        confirm = time.perf_counter() - started
        report(f"preview (parse, validate, plan) of {PUPILS} pupils", preview, "s")
        report(f"confirm (bulk write) of {PUPILS} pupils", confirm, "s")
        report(
            f"import of a {PUPILS}-pupil CTF, preview + confirm", preview + confirm, "s", "< 10 s"
        )
        report(
            "pupils / on the register / SEN history rows",
            f"{Pupil.objects.count()}/{Pupil.objects.exclude(sen_provision='N').count()}/{SenHistory.objects.count()}",
        )
        started = time.perf_counter()
        again = services.import_upload(acting_user=senco, data=data, original_name="bench.xml")
        services.import_confirm(acting_user=senco, batch=again)
        report("re-import of the same file (changes nothing)", time.perf_counter() - started, "s")
        assert again.counts["unchanged"] == PUPILS, again.counts
    connection.set_schema_to_public()
