"""URLconf of the platform domain: trust console, platform admin, trust API, Stripe webhook."""

from django.contrib import admin
from django.urls import include, path

from apps.api_access.urls import trust_urlpatterns as api_access_trust_urls
from apps.core.views import my_schools

from .urls_common import api_common
from .urls_common import urlpatterns as common

handler403 = "apps.core.views.forbidden"
handler404 = "apps.core.views.not_found"
handler500 = "apps.core.views.server_error"

urlpatterns = [
    *common,
    path("admin/", admin.site.urls),
    path("my-schools/", my_schools, name="my-schools"),
    path("api/v1/", include(api_common)),
    path("api/v1/trust/billing/", include("apps.billing.urls_api")),
    path("api/v1/trust/", include("apps.trust.urls_api")),
    path("", include("apps.billing.urls")),
    *api_access_trust_urls,
    path("", include("apps.trust.urls")),
]
