from django.urls import path

from . import api

urlpatterns = [
    path("schools/", api.SchoolsAPI.as_view(), name="api-trust-schools"),
    path("metrics/", api.MetricsAPI.as_view(), name="api-trust-metrics"),
    path("shared-sencos/", api.SharedSencosAPI.as_view(), name="api-trust-shared-sencos"),
    path(
        "shared-sencos/<int:pk>/", api.SharedSencoDetailAPI.as_view(), name="api-trust-shared-senco"
    ),
    path("library/", api.LibraryAPI.as_view(), name="api-trust-library"),
    path("library/<int:pk>/", api.LibraryItemAPI.as_view(), name="api-trust-library-item"),
    path("transfers/", api.TransfersAPI.as_view(), name="api-trust-transfers"),
]
