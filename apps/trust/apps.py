from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "apps.trust"
    label = "trust"
    verbose_name = "Trust console"

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register_trust_nav

        register_trust_nav(NavItem("Overview", "home", order=0))
