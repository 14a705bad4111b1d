from django.apps import AppConfig


class ApiAccessConfig(AppConfig):
    """API tokens: issued, listed, revoked; the access gate authenticates them."""

    name = "apps.api_access"
    label = "api_access"
    verbose_name = "API access"

    def ready(self) -> None:
        from apps.core import openapi  # noqa: F401 - registers the OpenAPI auth scheme
        from apps.core.navigation import NavItem, register_trust_nav
        from tenants.roles import TrustRole

        from . import receivers

        receivers.connect()
        register_trust_nav(
            NavItem(
                "API access",
                "trust-api-access",
                order=90,
                trust_roles=frozenset({TrustRole.TRUST_ADMIN}),
            )
        )
