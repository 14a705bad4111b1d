"""The trust's shared agency directory (library item type) and the subject access export of
referrals, exam arrangements and transitions."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from apps.agencies import services
from apps.agencies.library import adopt, snapshot, sources, usage
from apps.agencies.models import Agency
from apps.trust.library import item_types
from apps.trust.models import LibraryItem
from tests.support import in_school

TODAY = dt.date.today()


def test_a_directory_entry_is_published_and_adopted_by_another_school(
    school_a, school_b, trust_a, people
):
    assert "agency" in item_types()
    with in_school(school_a):
        eps = services.agency_add(
            acting_user=None,
            kind="educational_psychology",
            name="Kirklees EPS",
            phone="01484 000000",
            how_to_refer="Consultation first, then the referral form.",
        )
        assert (str(eps.pk), "Kirklees EPS (Educational psychology)") in sources(school_a)
        fields = snapshot(str(eps.pk))
    assert fields["title"] == "Kirklees EPS" and "Phone: 01484 000000" in fields["body"]
    item = LibraryItem.objects.create(
        trust=trust_a, item_type="agency", source_school=school_a, source_ref=str(eps.pk), **fields
    )
    with in_school(school_b):
        ref = adopt(item, None)
        adopted = Agency.objects.get(pk=int(ref))
        assert adopted.kind == "educational_psychology"
        assert adopted.from_trust_library_item == item.pk
        assert adopt(item, None) == ref  # adopting twice keeps one copy
        assert usage([item]) == {item.pk: 0}
        assert (ref, "Kirklees EPS (Educational psychology)") not in sources(school_b)


def test_subject_access_export_includes_referrals_arrangements_and_transitions(
    cast, school_a, people
):
    from apps.exchange.exports import subject_access_export
    from apps.family import services as family
    from apps.staff import services as staff
    from tests.pupils.factories import make_pupil

    with in_school(school_a):
        pupil = make_pupil(first_name="Sara", last_name="Subject", year_group="10")
        salt = services.agency_add(acting_user=None, kind="speech_and_language", name="SALT")
        family.consent_record(
            acting_user=None,
            pupil=pupil,
            purpose="referral",
            agency=salt,
            decision="given",
            given_by_name="Mum",
            decided_on=TODAY,
            evidence="form",
        )
        services.referral_draft(acting_user=None, pupil=pupil, agency=salt, reason="Stammer")
        staff.arrangement_add(acting_user=None, pupil=pupil, kind="reader", assessor="A. Assessor")
        staff.transition_plan(
            acting_user=None,
            pupil=pupil,
            kind="post_16",
            destination="Sixth form college",
            moves_on=TODAY,
            responsible_name="SENCo",
        )
        export = subject_access_export(acting_user=people["senco_a"], pupil=pupil)
    record = json.dumps(json.loads(zipfile.ZipFile(io.BytesIO(export.data)).read("record.json")))
    for key in (
        "agencies.referral",
        "staff.accessarrangement",
        "staff.transition",
        "staff.transitionstep",
        "family.consent",
    ):
        assert key in record, key
    assert "Stammer" in record and "Sixth form college" in record
