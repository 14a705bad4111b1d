from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "apps.support"
    label = "support"
    verbose_name = "Support plans and the graduated approach"

    def ready(self) -> None:
        from apps.core.demo import register_school_seeder
        from apps.core.extensions import (
            register_home_panel,
            register_pupil_page_link,
            register_worklist,
        )
        from apps.core.navigation import NavItem, register_school_nav

        from . import views
        from .access import RIGHTS
        from .demo import seed_support

        register_school_nav(
            NavItem(
                "Support plans", "support:plans", order=30, school_roles=RIGHTS.roles("see_plans")
            )
        )
        register_school_nav(
            NavItem(
                "My classes",
                "support:class",
                order=35,
                school_roles=frozenset({"teacher", "teaching_assistant"}),
            )
        )
        register_home_panel(views.home_panel)
        register_pupil_page_link(views.pupil_page_link)
        register_worklist(views.worklist)
        register_school_seeder("support", seed_support, order=40)
