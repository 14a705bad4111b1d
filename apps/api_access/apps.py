from django.apps import AppConfig


class ApiAccessConfig(AppConfig):
    """API tokens: issued, listed, revoked; the access gate authenticates them."""

    name = "apps.api_access"
    label = "api_access"
    verbose_name = "API access"

    def ready(self) -> None:
        from apps.core import openapi  # noqa: F401 - registers the OpenAPI auth scheme

        from . import receivers

        receivers.connect()
        # The trust admin's view of API tokens is reached from the People page (the trust
        # navigation must fit one row at 1366 px).
