from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "apps.pupils"
    label = "pupils"
    verbose_name = "Pupils and the SEN register"

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register_school_nav

        from .access import PUPIL_ROLES, SEND_DETAIL_ROLES

        register_school_nav(NavItem("SEN register", "pupils:register", order=10, school_roles=PUPIL_ROLES))
        register_school_nav(NavItem("Concerns", "pupils:concerns", order=20, school_roles=SEND_DETAIL_ROLES))
        try:
            from . import wiring
        except ImportError:  # pages not built yet
            return
        wiring.connect()
