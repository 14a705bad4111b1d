from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = "Pupil documents"

    def ready(self) -> None:
        from apps.core.demo import register_school_seeder
        from apps.core.extensions import register_pupil_page_link

        from .demo import seed_documents

        register_pupil_page_link(pupil_page_link)
        register_school_seeder("documents", seed_documents, order=40)


def pupil_page_link(request, pupil) -> dict | None:
    """The "Documents" entry on the pupil's page, for people who may see the pupil's documents."""
    from django.urls import reverse

    from . import access as rights
    from .models import PupilDocument

    if not rights.can(getattr(request, "school_access", None), "see_documents"):
        return None
    count = PupilDocument.objects.filter(pupil=pupil).count()
    return {
        "label": f"Documents ({count})",
        "url": reverse("pupil-documents", args=[pupil.pk]),
        "description": "Reports and evidence, kept privately; upload a new one here."
        if rights.can(request.school_access, "upload_document")
        else "Reports and evidence, kept privately.",
    }
