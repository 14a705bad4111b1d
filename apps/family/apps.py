from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "apps.family"
    label = "family"
    verbose_name = "Parents, carers, meetings and consent"

    def ready(self) -> None:
        from apps.core.demo import register_school_seeder
        from apps.core.extensions import (
            register_home_panel,
            register_pupil_page_link,
            register_worklist,
        )
        from apps.core.navigation import NavItem, register_school_nav

        from .access import RIGHTS
        from .demo import seed_family
        from .views import home_panel, pupil_page_link
        from .worklist import family_worklist

        register_school_nav(
            NavItem(
                "Parents", "family:overview", order=30, school_roles=RIGHTS.roles("see_meetings")
            )
        )
        register_home_panel(home_panel)
        register_pupil_page_link(pupil_page_link)
        register_worklist(family_worklist)
        register_school_seeder("family", seed_family, order=40)
