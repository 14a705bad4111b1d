from django.urls import path

from . import views

urlpatterns = [
    path("pupils/<int:pupil_id>/documents/", views.pupil_documents, name="pupil-documents"),
    path(
        "pupils/<int:pupil_id>/documents/<int:document_id>/download/",
        views.document_download,
        name="pupil-document-download",
    ),
    path(
        "pupils/<int:pupil_id>/documents/<int:document_id>/remove/",
        views.document_remove,
        name="pupil-document-remove",
    ),
]
