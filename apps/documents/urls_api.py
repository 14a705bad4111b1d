from django.urls import path

from . import api

urlpatterns = [
    path(
        "pupils/<int:pupil_id>/documents/",
        api.PupilDocumentsView.as_view(),
        name="api-pupil-documents",
    ),
    path(
        "pupils/<int:pupil_id>/documents/<int:document_id>/",
        api.PupilDocumentDetailView.as_view(),
        name="api-pupil-document",
    ),
    path(
        "pupils/<int:pupil_id>/documents/<int:document_id>/download/",
        api.PupilDocumentDownloadView.as_view(),
        name="api-pupil-document-download",
    ),
]
