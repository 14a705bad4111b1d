"""Trust and billing services check the acting user's role themselves (not only the pages), and a
refusal writes nothing: no row changed, no audit event."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.billing import services as billing_services
from apps.billing.actions import BillingAction
from apps.trust import services
from apps.trust.access import get_transfer_for_write
from apps.trust.models import PupilTransfer, TrustAuditEvent
from tenants.actions import TenancyAction
from tenants.models import School
from tests.support import in_school

from .conftest import make_pupil


@pytest.mark.parametrize("role", ["trust_viewer_a", "trust_finance_a", "trust_send_lead_a"])
def test_only_a_trust_admin_changes_a_schools_status(people, school_a, role):
    before = TrustAuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.school_change_status(acting_user=people[role], school=school_a, action="suspend")
    school_a.refresh_from_db()
    assert school_a.status == School.Status.ACTIVE
    assert TrustAuditEvent.objects.count() == before


def test_a_trust_admin_changes_status_and_it_is_audited_with_a_typed_action(people, school_a):
    services.school_change_status(
        acting_user=people["trust_trust_admin_a"], school=school_a, action="suspend"
    )
    school_a.refresh_from_db()
    assert school_a.status == School.Status.SUSPENDED
    event = TrustAuditEvent.objects.latest("id")
    assert event.action == TenancyAction.SCHOOL_SUSPENDED
    assert event.actor == people["trust_trust_admin_a"]


def test_another_trusts_admin_cannot_change_our_school(people, school_a):
    before = TrustAuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.school_change_status(
            acting_user=people["trust_admin_b"], school=school_a, action="archive"
        )
    school_a.refresh_from_db()
    assert school_a.status == School.Status.ACTIVE
    assert TrustAuditEvent.objects.count() == before


def test_a_viewer_cannot_change_the_trusts_settings(people, trust_a):
    row = services.trust_settings_for(trust_a)
    before = row.review_interval_months
    with pytest.raises(PermissionDenied):
        services.trust_settings_update(
            acting_user=people["trust_viewer_a"], trust=trust_a, review_interval_months=before + 1
        )
    assert services.trust_settings_for(trust_a).review_interval_months == before


@pytest.mark.parametrize("role", ["teacher_a", "headteacher_a", "trust_send_lead_a"])
def test_only_the_schools_senco_starts_a_transfer(people, school_a, sister_school, role):
    with in_school(school_a):
        pupil = make_pupil(provision="K", need="SLCN")
    with pytest.raises(PermissionDenied):
        services.transfer_start(
            acting_user=people[role],
            from_school=school_a,
            to_school=sister_school,
            source_pupil_id=pupil.pk,
        )
    assert not PupilTransfer.objects.filter(source_pupil_id=pupil.pk).exists()


def test_a_transfer_of_another_school_is_not_found(people, school_a, school_b, sister_school):
    with in_school(school_a):
        pupil = make_pupil(provision="K", need="SLCN")
    transfer = services.transfer_start(
        acting_user=people["senco_a"],
        from_school=school_a,
        to_school=sister_school,
        source_pupil_id=pupil.pk,
    )
    # School B's SENCo, asking about school A's transfer id from school B's host.
    with pytest.raises(Http404):
        get_transfer_for_write(people["senco_b"], school_b, transfer.pk, sending=True)
    # School A's SENCo may cancel it but not accept it (it is not coming in).
    assert (
        get_transfer_for_write(people["senco_a"], school_a, transfer.pk, sending=True) == transfer
    )
    with pytest.raises(Http404):
        get_transfer_for_write(people["senco_a"], school_a, transfer.pk, sending=False)


@pytest.mark.parametrize("role", ["trust_send_lead_a", "trust_viewer_a", "trust_admin_b"])
def test_only_billing_roles_of_the_trust_change_the_billing_contact(people, school_a, role):
    account = billing_services.billing_account_for(school_a)
    before = TrustAuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        billing_services.billing_contact_set(
            acting_user=people[role],
            account=account,
            kind=account.ContactKind.SCHOOL,
            name="Someone",
            email="someone@example.test",
        )
    account.refresh_from_db()
    assert account.contact_email != "someone@example.test"
    assert TrustAuditEvent.objects.count() == before


def test_finance_changes_the_billing_contact_and_it_is_audited(people, school_a):
    account = billing_services.billing_account_for(school_a)
    billing_services.billing_contact_set(
        acting_user=people["trust_finance_a"],
        account=account,
        kind=account.ContactKind.SCHOOL,
        name="Bursar",
        email="Bursar@Example.test",
    )
    account.refresh_from_db()
    assert account.contact_email == "bursar@example.test"
    event = TrustAuditEvent.objects.latest("id")
    assert (event.action, event.school_id) == (BillingAction.CONTACT_CHANGED, school_a.pk)
