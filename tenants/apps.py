from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Trusts, schools and people"

    def ready(self) -> None:
        from . import checks, session_limits, signals  # noqa: F401
