from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "apps.staff"
    label = "staff"
    verbose_name = "Staff, exam access arrangements and transitions"

    def ready(self) -> None:
        from apps.core.demo import register_school_seeder, register_trust_seeder
        from apps.core.extensions import (
            register_home_panel,
            register_pupil_page_link,
            register_worklist,
        )
        from apps.core.navigation import NavItem, register_school_nav

        from .access import RIGHTS
        from .demo import seed_staff, seed_transitions
        from .views import home_panel, pupil_page_links, pupil_transition_link
        from .worklist import staff_worklist

        register_school_nav(
            NavItem("Staff", "staff:list", order=50, school_roles=RIGHTS.roles("see_staff"))
        )
        register_school_nav(
            NavItem(
                "Exams",
                "exams:list",
                order=55,
                school_roles=RIGHTS.roles("export_exams_list"),
            )
        )
        register_school_nav(
            NavItem(
                "Transitions",
                "transitions:list",
                order=60,
                school_roles=RIGHTS.roles("write_transitions") | RIGHTS.roles("see_staff"),
            )
        )
        register_home_panel(home_panel)
        register_worklist(staff_worklist)
        register_pupil_page_link(pupil_page_links)
        register_pupil_page_link(pupil_transition_link)
        register_school_seeder("staff", seed_staff, order=60)
        register_trust_seeder("transitions", seed_transitions, order=60)
