"""API routes shared by the platform host and school hosts."""

from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response

from .api_auth import MeView, ObtainTokenView


class HostSchemaView(SpectacularAPIView):
    """The OpenAPI schema of the host it is served on (school API or trust/platform API)."""

    schema = None  # not an endpoint of the API it describes

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.urlconf = getattr(request, "urlconf", None)
        response: Response = super().get(request, *args, **kwargs)
        return response


urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", HostSchemaView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
