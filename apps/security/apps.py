from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "apps.security"
    label = "security"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from apps.core.demo import register_trust_seeder

        from . import demo

        register_trust_seeder("mfa-demo-devices", demo.seed_mfa_devices, order=900)

        from tenants.lockout import locked_out

        from .services import on_locked_out

        locked_out.connect(on_locked_out, dispatch_uid="security-locked-out")
