"""API routes shared by the platform host and school hosts."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .api_auth import MeView, ObtainTokenView


class HostSchemaView(SpectacularAPIView):
    """The OpenAPI schema of the host it is served on (school API or trust/platform API)."""

    schema = None  # not an endpoint of the API it describes

    def get(self, request, *args, **kwargs):
        self.urlconf = getattr(request, "urlconf", None)
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", HostSchemaView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
