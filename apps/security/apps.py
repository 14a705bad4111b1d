from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "apps.security"
    label = "security"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from apps.core.demo import register_trust_seeder

        from . import demo

        register_trust_seeder("mfa-demo-devices", demo.seed_mfa_devices, order=900)
