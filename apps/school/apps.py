from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "apps.school"
    label = "school"
    verbose_name = "School home"

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register_school_nav

        register_school_nav(NavItem("Home", "home", order=0))
