from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "apps.provision"
    label = "provision"
    verbose_name = "Provision map and interventions"

    def ready(self) -> None:
        from apps.core.demo import register_school_seeder
        from apps.core.navigation import NavItem, register_school_nav

        from .access import RIGHTS
        from .demo import seed_provision

        register_school_nav(
            NavItem(
                "Provision map", "provision:map", order=40, school_roles=RIGHTS.roles("see_figures")
            )
        )
        register_school_nav(
            NavItem(
                "Intervention groups",
                "provision:groups",
                order=45,
                school_roles=frozenset({"teacher", "teaching_assistant"}),
            )
        )
        register_school_seeder("provision", seed_provision, order=30)
