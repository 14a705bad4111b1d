from django.urls import path

from . import api

urlpatterns = [
    path("imports/", api.ImportListView.as_view(), name="api-imports"),
    path("imports/<int:import_id>/", api.ImportDetailView.as_view(), name="api-import"),
    path(
        "imports/<int:import_id>/confirm/",
        api.ImportConfirmView.as_view(),
        name="api-import-confirm",
    ),
    path("exports/census/", api.CensusExportView.as_view(), name="api-export-census"),
    path("exports/register/", api.RegisterExportView.as_view(), name="api-export-register"),
    path(
        "exports/pupils/<int:pupil_id>/ctf/",
        api.LeaverCtfExportView.as_view(),
        name="api-export-leaver-ctf",
    ),
    path(
        "exports/pupils/<int:pupil_id>/subject-access/",
        api.SubjectAccessExportView.as_view(),
        name="api-export-subject-access",
    ),
]
