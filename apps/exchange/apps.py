from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "apps.exchange"
    label = "exchange"
    verbose_name = "Imports and exports"

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register_school_nav

        from .access import EXPORT_ROLES, IMPORT_ROLES

        register_school_nav(NavItem("Import", "imports", order=60, school_roles=IMPORT_ROLES))
        register_school_nav(NavItem("Exports", "exports", order=61, school_roles=EXPORT_ROLES))
