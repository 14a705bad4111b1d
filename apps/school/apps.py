from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class SchoolConfig(AppConfig):
    name = "apps.school"
    label = "school"
    verbose_name = "School home"

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register_school_nav

        register_school_nav(NavItem("Home", "home", order=0))

        from tenants.signals import school_provisioned

        school_provisioned.connect(_verify_new_school, dispatch_uid="school.verify_new_school")


def _verify_new_school(sender: Any, school: Any, **kwargs: Any) -> None:
    from apps.core.tasks import enqueue_for_school

    from .tasks import verify_school_schema

    enqueue_for_school(verify_school_schema, school)
