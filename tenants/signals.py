from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

# Sent after a school's schema exists (after commit). Receivers: billing (trial), rollups...
school_provisioned = Signal()


@receiver(user_logged_in)
def bind_session_to_host(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # A session is valid only on the host that created it (tenants.middleware.AccessGate).
    if request is not None and hasattr(request, "session"):
        host = request.META.get("HTTP_HOST", "").split(":")[0].lower()
        if host:
            request.session["bound_host"] = host


def _connect_routing_invalidation() -> None:
    """Any change to a school, its domains, its trust or a membership forgets the cached routing
    and access decisions of the schools concerned (tenants.routing)."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from . import routing
    from .models import Domain, School, SchoolMembership, Trust, TrustMembership

    for model, handler in (
        (School, routing.on_school_changed),
        (Domain, routing.on_domain_changed),
        (Trust, routing.on_trust_changed),
        (SchoolMembership, routing.on_school_membership_changed),
        (TrustMembership, routing.on_trust_membership_changed),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"routing-save-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"routing-delete-{model.__name__}")
    pre_save.connect(
        routing.remember_previous_domain, sender=Domain, dispatch_uid="routing-domain-previous"
    )


_connect_routing_invalidation()

# Sent inside the transaction that moves a school out of a trust (to another trust, or off the
# platform: to_trust None), before the school's trust changes. Receivers end or move what they
# keep about the school at trust level and return a list of plain-English notes (no pupil data).
school_leaving_trust = Signal()
