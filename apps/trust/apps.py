from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "apps.trust"
    label = "trust"
    verbose_name = "Trust console"

    def ready(self) -> None:
        from apps.core.demo import register_trust_seeder
        from apps.core.navigation import NavItem, register_school_nav, register_trust_nav

        from .access import RIGHTS, SCHOOL_LIBRARY_RIGHTS, SCHOOL_TRANSFER_ROLE

        # Each entry is shown to the roles that may open the page (the rights table).
        for label, url_name, order, capability in (
            ("Dashboard", "trust-dashboard", 10, "see_dashboards"),
            ("Schools", "trust-schools", 20, "see_dashboards"),
            ("Shared SENCos", "trust-shared-sencos", 30, "manage_shared_sencos"),
            ("Qualifications", "trust-qualifications", 40, "manage_shared_sencos"),
            ("Library", "trust-library", 50, "see_library"),
            ("Transfers", "trust-transfers", 60, "see_transfers"),
            ("People", "trust-people", 70, "manage_people"),
            ("Settings", "trust-settings", 80, "change_settings"),
            ("Audit", "trust-audit", 90, "see_trust_audit"),
        ):
            register_trust_nav(
                NavItem(label, url_name, order=order, trust_roles=RIGHTS.roles(capability))
            )
        register_trust_nav(NavItem("Overview", "home", order=0))
        register_school_nav(
            NavItem(
                "Transfers",
                "school-transfers",
                order=80,
                school_roles=frozenset({SCHOOL_TRANSFER_ROLE}),
            )
        )
        register_school_nav(
            NavItem(
                "Trust library",
                "school-library",
                order=85,
                school_roles=SCHOOL_LIBRARY_RIGHTS.roles("share_with_trust"),
            )
        )

        from apps.core.extensions import register_home_panel

        from .panels import library_panel

        register_home_panel(library_panel)

        from .demo import seed_trust_console

        register_trust_seeder("trust-console", seed_trust_console, order=100)

        from tenants.signals import school_leaving_trust

        from .moves import school_leaving_trust as leave

        school_leaving_trust.connect(leave, dispatch_uid="trust-school-leaving")
