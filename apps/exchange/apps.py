from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "apps.exchange"
    label = "exchange"
    verbose_name = "Imports and exports"

    def ready(self) -> None:
        from apps.core.navigation import NavItem, register_school_nav

        from .access import EXPORT_ROLES, IMPORT_ROLES

        register_school_nav(NavItem("Import", "imports", order=60, school_roles=IMPORT_ROLES))
        register_school_nav(NavItem("Exports", "exports", order=61, school_roles=EXPORT_ROLES))

        from apps.core.extensions import register_pupil_page_link

        register_pupil_page_link(pupil_page_link)


def pupil_page_link(request, pupil) -> dict | None:
    from django.urls import reverse

    from .access import can

    access = getattr(request, "school_access", None)
    if not can(access, "export"):
        return None
    what = (
        "leaver's Common Transfer File or subject access export"
        if can(access, "export_subject_access")
        else "leaver's Common Transfer File"
    )
    return {
        "label": "Exports for this pupil",
        "url": reverse("exports-for-pupil", args=[pupil.pk]) + "#leaver-ctf",
        "description": f"Make a {what}.",
    }
