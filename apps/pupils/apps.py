from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "apps.pupils"
    label = "pupils"
    verbose_name = "Pupils and the SEN register"

    def ready(self) -> None:
        from apps.core.demo import register_school_seeder
        from apps.core.extensions import register_home_panel, register_worklist
        from apps.core.navigation import NavItem, register_school_nav

        from .access import PUPIL_ROLES, SEND_DETAIL_ROLES
        from .demo import seed_pupils
        from .printouts import my_pupils_panel
        from .views import home_panel
        from .worklist import added_this_term_item, open_concerns_item

        register_school_nav(
            NavItem("SEN register", "pupils:register", order=10, school_roles=PUPIL_ROLES)
        )
        register_school_nav(
            NavItem("Concerns", "concerns:list", order=20, school_roles=SEND_DETAIL_ROLES)
        )
        register_home_panel(my_pupils_panel)
        register_home_panel(home_panel)
        register_worklist(open_concerns_item)
        register_worklist(added_this_term_item)
        register_school_seeder("pupils", seed_pupils, order=10)
