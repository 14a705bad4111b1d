from __future__ import annotations

from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "apps.ehcp"
    label = "ehcp"
    verbose_name = "EHC plans and the statutory clock"

    def ready(self) -> None:
        from apps.core.access import HEAD, SENCO, SEND_DETAIL_ROLES
        from apps.core.demo import register_school_seeder
        from apps.core.extensions import (
            register_home_panel,
            register_pupil_page_link,
            register_worklist,
        )
        from apps.core.navigation import NavItem, register_school_nav

        from . import actions  # noqa: F401  (audit labels)
        from .demo import seed_ehcp
        from .views import home_panel, pupil_page_link
        from .worklist import statutory_deadlines

        register_school_nav(
            NavItem(
                "Statutory calendar",
                "ehcp:calendar",
                order=30,
                school_roles=frozenset({SENCO, HEAD}),
            )
        )
        register_school_nav(
            NavItem(
                "EHC plans", "ehcp:plans", order=31, school_roles=SEND_DETAIL_ROLES - {SENCO, HEAD}
            )
        )
        register_home_panel(home_panel)
        register_pupil_page_link(pupil_page_link)
        register_worklist(statutory_deadlines)
        register_school_seeder("ehcp", seed_ehcp, order=40)
