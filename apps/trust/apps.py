from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "apps.trust"
    label = "trust"
    verbose_name = "Trust console"

    def ready(self) -> None:
        from apps.core.demo import register_trust_seeder
        from apps.core.navigation import NavItem, register_school_nav, register_trust_nav
        from tenants.roles import SchoolRole, TrustRole

        dashboards = frozenset({TrustRole.TRUST_ADMIN, TrustRole.SEND_LEAD, TrustRole.VIEWER})
        leads = frozenset({TrustRole.TRUST_ADMIN, TrustRole.SEND_LEAD})
        admin = frozenset({TrustRole.TRUST_ADMIN})
        register_trust_nav(NavItem("Overview", "home", order=0))
        register_trust_nav(
            NavItem("Dashboard", "trust-dashboard", order=10, trust_roles=dashboards)
        )
        register_trust_nav(NavItem("Schools", "trust-schools", order=20, trust_roles=dashboards))
        register_trust_nav(
            NavItem("Shared SENCos", "trust-shared-sencos", order=30, trust_roles=leads)
        )
        register_trust_nav(
            NavItem("Qualifications", "trust-qualifications", order=40, trust_roles=leads)
        )
        register_trust_nav(NavItem("Library", "trust-library", order=50, trust_roles=dashboards))
        register_trust_nav(NavItem("Transfers", "trust-transfers", order=60, trust_roles=leads))
        register_trust_nav(NavItem("People", "trust-people", order=70, trust_roles=admin))
        register_trust_nav(NavItem("Settings", "trust-settings", order=80, trust_roles=admin))
        register_trust_nav(NavItem("Audit", "trust-audit", order=90, trust_roles=admin))
        register_school_nav(
            NavItem(
                "Transfers",
                "school-transfers",
                order=80,
                school_roles=frozenset({SchoolRole.SENCO}),
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
