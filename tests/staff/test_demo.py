"""Demo data tells the story of issue 14 in every school: families and meetings (some pupils
below three), consent and referrals at every stage (one stopped by withdrawn consent), bought EP
time, a skills gap and a TA over contract, access arrangements at Riverside (some flagged), and
Year 6 transitions from the primaries to Riverside."""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone

from apps.agencies.models import BoughtTime, Recommendation, Referral
from apps.family.models import AgreedAction, Consent, Contact, Meeting
from apps.staff import selectors
from apps.staff.models import AccessArrangement, Transition
from tenants.models import School
from tests.support import in_school


def test_demo_has_every_part(harness, db):
    call_command("seed_demo")
    timezone.localdate()
    riverside = School.objects.get(name="Riverside Academy")
    oakfield = School.objects.get(name="Oakfield Primary School")
    with in_school(riverside):
        arrangements = AccessArrangement.objects.all()
        assert arrangements.count() >= 10
        assert arrangements.filter(assessor="").exists()  # some lack evidence
        assert not Transition.objects.exists()
    with in_school(oakfield):
        assert Contact.objects.exists() and Meeting.objects.exists()
        assert AgreedAction.objects.exists()
        assert Consent.objects.filter(withdrawn_on__isnull=False).exists()
        assert Referral.objects.filter(status="stopped").exists()
        assert Recommendation.objects.filter(outcome="strategy", strategy__isnull=False).exists()
        assert BoughtTime.objects.get().uses.exists()
        assert selectors.skills_warnings()
        assert any(r["level"] == "warn" for r in selectors.staff_with_load())
        transitions = Transition.objects.all()
        assert transitions.exists()
        assert set(transitions.values_list("destination_school_id", flat=True)) == {riverside.pk}
        assert set(transitions.values_list("pupil__year_group", flat=True)) == {"6"}
