from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "apps.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from apps.core.demo import register_trust_seeder
        from apps.core.extensions import register_home_panel
        from apps.core.navigation import NavItem, register_trust_nav
        from tenants.gates import register_read_only_check
        from tenants.roles import TRUST_ROLES_WITH_BILLING
        from tenants.signals import school_provisioned

        from . import receivers
        from .demo import seed_billing
        from .selectors import billing_read_only_reason
        from .views import billing_home_panel

        school_provisioned.connect(receivers.start_trial, dispatch_uid="billing-start-trial")
        from tenants.signals import school_leaving_trust

        from .moves import school_leaving_trust as leave

        school_leaving_trust.connect(leave, dispatch_uid="billing-school-leaving")
        register_read_only_check(billing_read_only_reason)
        register_trust_nav(
            NavItem(
                "Billing",
                "billing-overview",
                order=80,
                trust_roles=frozenset(TRUST_ROLES_WITH_BILLING),
            )
        )
        register_home_panel(billing_home_panel)
        register_trust_seeder("billing", seed_billing, order=100)
