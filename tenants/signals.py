from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

# Sent after a school's schema exists (after commit). Receivers: billing (trial), rollups...
school_provisioned = Signal()


@receiver(user_logged_in)
def bind_session_to_host(sender, request, user, **kwargs) -> None:
    # A session is valid only on the host that created it (tenants.middleware.AccessGate).
    if request is not None and hasattr(request, "session"):
        host = request.META.get("HTTP_HOST", "").split(":")[0].lower()
        if host:
            request.session["bound_host"] = host
