"""The "API access" pages: a person's own tokens on every host; the trust admin's revocation."""

from __future__ import annotations

import re

import pytest

from apps.api_access.models import ApiToken
from apps.api_access.services import api_token_issue
from apps.trust.models import TrustAuditEvent
from tenants.models import User
from tests.conftest import PASSWORD


@pytest.mark.parametrize("where", ["school", "platform"])
def test_a_person_creates_a_token_sees_it_once_and_revokes_it(people, school_a, client_for, where):
    client = client_for(people["senco_a"], school_a if where == "school" else None)
    page = client.get("/account/api-access/")
    assert page.status_code == 200 and b"You have no tokens." in page.content

    wrong = client.post(
        "/account/api-access/",
        {"name": "MIS sync", "expires_in_days": 30, "password": "not mine"},
    )
    assert b"That is not your password." in wrong.content
    assert not ApiToken.objects.filter(user=people["senco_a"]).exists()

    made = client.post(
        "/account/api-access/",
        {"name": "MIS sync", "expires_in_days": 7, "password": PASSWORD},
    )
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    token = re.search(rb"<code>(sh_[0-9a-f]{64})</code>", made.content).group(1).decode()
    stored = ApiToken.objects.get(user=people["senco_a"])
    assert stored.name == "MIS sync" and token not in str(ApiToken.objects.values())

    again = client.get("/account/api-access/")
    assert token.encode() not in again.content and b"MIS sync" in again.content

    revoked = client.post(f"/account/api-access/{stored.pk}/revoke/")
    assert revoked.status_code == 302
    assert not ApiToken.objects.filter(pk=stored.pk).exists()


def test_nobody_revokes_someone_elses_token_from_their_own_page(people, school_a, client_for):
    theirs, _ = api_token_issue(user=people["teacher_a"], name="teacher's script")
    client = client_for(people["senco_a"], school_a)
    assert client.post(f"/account/api-access/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_trust_admin_lists_and_revokes_their_trusts_tokens_only(people, client_for):
    ours, _ = api_token_issue(user=people["teacher_a"], name="Power BI")
    theirs, _ = api_token_issue(user=people["senco_b"], name="Beta MIS")
    admin = client_for(people["trust_trust_admin_a"])
    page = admin.get("/people/api-access/")
    assert page.status_code == 200
    assert b"Power BI" in page.content and b"Beta MIS" not in page.content

    refused = admin.post(f"/people/api-access/{theirs.pk}/revoke/", follow=True)
    assert b"does not exist or has already been revoked" in refused.content
    assert ApiToken.objects.filter(pk=theirs.pk).exists()

    done = admin.post(f"/people/api-access/{ours.pk}/revoke/", follow=True)
    assert b"no longer works" in done.content
    assert not ApiToken.objects.filter(pk=ours.pk).exists()
    event = TrustAuditEvent.objects.get(action="api_token.revoked")
    assert event.actor == people["trust_trust_admin_a"] and "Power BI" in event.summary


@pytest.mark.parametrize("role", ["trust_send_lead_a", "trust_finance_a", "teacher_a"])
def test_only_trust_admins_open_the_trust_page(people, client_for, role):
    token, _ = api_token_issue(user=people["teacher_a"], name="keep")
    client = client_for(people[role])
    assert client.get("/people/api-access/").status_code == 403
    assert client.post(f"/people/api-access/{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_password_reset_revokes_every_token(people):
    user = User.objects.get(pk=people["headteacher_a"].pk)
    api_token_issue(user=user, name="one")
    api_token_issue(user=user, name="two")
    user.set_password("another-long-passphrase")
    user.save()
    assert not ApiToken.objects.filter(user=user).exists()


def test_deactivation_revokes_every_token(people):
    user = User.objects.get(pk=people["office_a"].pk)
    api_token_issue(user=user, name="one")
    user.is_active = False
    user.save()
    assert not ApiToken.objects.filter(user=user).exists()


def test_saving_a_user_without_a_new_password_keeps_their_tokens(people):
    user = User.objects.get(pk=people["teacher_a"].pk)  # not the shared harness object
    token, _ = api_token_issue(user=user, name="kept")
    user.full_name = "Renamed Teacher"
    user.save()
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_token_expiry_is_bounded(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_issue(user=people["senco_a"], name="forever", expires_in_days=10_000)
    assert not ApiToken.objects.filter(name="forever").exists()
