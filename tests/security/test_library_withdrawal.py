"""Finding 4 (withdrawal): a published library item can be withdrawn; nobody can adopt it after."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.trust.models import LibraryItem, TrustAuditEvent
from apps.trust.services import library_adopt, library_publish


@pytest.fixture
def item(people, trust_a, school_a):
    return library_publish(
        acting_user=people["trust_send_lead_a"],
        trust=trust_a,
        school=school_a,
        item_type_key="guidance",
        title="Reading rulers",
        body="Coloured overlays and reading rulers for pupils who lose their place.",
    )


def test_a_trust_lead_withdraws_an_item(item, people, client_for, school_a):
    client = client_for(people["trust_trust_admin_a"])
    response = client.post(f"/library/{item.pk}/withdraw/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert TrustAuditEvent.objects.filter(action="library_withdrawn").exists()
    assert client.get(f"/library/{item.pk}/").status_code == 404
    assert "Reading rulers" not in client.get("/library/").content.decode()
    with pytest.raises(ValidationError, match="withdrawn"):
        library_adopt(acting_user=people["trust_trust_admin_a"], item=item, school=school_a)


def test_others_cannot_withdraw(item, people, client_for):
    for who in ("trust_viewer_a", "trust_finance_a", "trust_admin_b"):
        response = client_for(people[who]).post(f"/library/{item.pk}/withdraw/")
        assert response.status_code in (403, 404)
    assert LibraryItem.objects.get(pk=item.pk).withdrawn_at is None
