from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "apps.agencies"
    label = "agencies"
    verbose_name = "Agencies and referrals"

    def ready(self) -> None:
        from apps.core.demo import register_school_seeder
        from apps.core.extensions import (
            register_home_panel,
            register_pupil_page_link,
            register_worklist,
        )
        from apps.core.navigation import NavItem, register_school_nav
        from apps.family.dependants import register_consent_dependant

        from .access import RIGHTS
        from .demo import seed_agencies
        from .services import stop_referrals_for_withdrawn_consent
        from .views import home_panel, pupil_page_link
        from .worklist import agencies_worklist

        register_school_nav(
            NavItem(
                "Agencies",
                "agencies:directory",
                order=40,
                school_roles=RIGHTS.roles("see_directory"),
            )
        )
        register_home_panel(home_panel)
        register_worklist(agencies_worklist)
        register_pupil_page_link(pupil_page_link)
        register_consent_dependant(stop_referrals_for_withdrawn_consent)
        register_school_seeder("agencies", seed_agencies, order=50)
