from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "apps.retention"
    label = "retention"
    verbose_name = "Retention review"

    def ready(self) -> None:
        from apps.core.access import SENCO
        from apps.core.navigation import NavItem, register_school_nav

        register_school_nav(
            NavItem("Retention", "retention", order=950, school_roles=frozenset({SENCO}))
        )
