from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register_school_nav
        from tenants.roles import SchoolRole

        register_school_nav(
            NavItem(
                "Audit log",
                "audit:school-log",
                order=90,
                school_roles=frozenset({SchoolRole.SENCO, SchoolRole.HEADTEACHER}),
            )
        )
