"""URLconf of a school subdomain (its own schema)."""

from django.urls import include, path

from apps.ehcp.urls import feed_urlpatterns as ehcp_feed_urls

from .urls_common import api_common
from .urls_common import urlpatterns as common

handler403 = "apps.core.views.forbidden"
handler404 = "apps.core.views.not_found"
handler500 = "apps.core.views.server_error"

urlpatterns = [
    *common,
    path("api/v1/", include(api_common)),
    path("trust-transfers/", include("apps.trust.school.urls")),
    path("trust-library/", include("apps.trust.school.urls_library")),
    path("api/v1/", include("apps.documents.urls_api")),
    path("api/v1/", include("apps.exchange.urls_api")),
    path("", include("apps.documents.urls")),
    path("", include("apps.exchange.urls")),
    path("api/v1/", include("apps.pupils.urls_api")),
    path("api/v1/", include("apps.ehcp.urls_api")),
    path("ehcp/", include("apps.ehcp.urls")),
    path("", include(ehcp_feed_urls)),
    path("api/v1/", include("apps.support.urls_api")),
    path("api/v1/", include("apps.provision.urls_api")),
    path("pupils/", include("apps.pupils.urls")),
    path("concerns/", include("apps.pupils.urls_concerns")),
    path("audit/", include("apps.audit.urls")),
    path("api/v1/", include("apps.family.urls_api")),
    path("family/", include("apps.family.urls")),
    path("api/v1/", include("apps.agencies.urls_api")),
    path("agencies/", include("apps.agencies.urls")),
    path("api/v1/", include("apps.staff.urls_api")),
    path("staff/", include("apps.staff.urls")),
    path("retention/", include("apps.retention.urls")),
    path("support/", include("apps.support.urls")),
    path("provision/", include("apps.provision.urls")),
    path("exams/", include("apps.staff.urls_exams")),
    path("transitions/", include("apps.staff.urls_transitions")),
    path("library/", include("apps.trust.school.urls_uses")),
    path("", include("apps.school.urls")),
]
