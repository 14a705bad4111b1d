"""A URLconf for tests of the API base classes: the school URLconf plus probe endpoints."""

from django.contrib.contenttypes.models import ContentType
from django.urls import include, path
from rest_framework import mixins, routers, serializers

from apps.core.api import SchoolViewSet
from tenants.roles import SchoolRole


class ContentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContentType
        fields = ["id", "app_label", "model"]


class ProbeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, SchoolViewSet
):
    """Lists rows of the current school's schema; teachers see only the 'tenants' app rows."""

    serializer_class = ContentTypeSerializer
    allowed_roles = frozenset({SchoolRole.SENCO, SchoolRole.HEADTEACHER, SchoolRole.TEACHER})
    write_roles = frozenset({SchoolRole.SENCO})

    def get_school_queryset(self):
        # Newest first: a row a test adds is on the first page however many models the
        # project has.
        return ContentType.objects.order_by("-id")

    def scope_queryset_for_user(self, queryset):
        if self.school_access.has_role(SchoolRole.TEACHER):
            return queryset.filter(app_label="tenants")
        return queryset


class ForgetfulViewSet(mixins.ListModelMixin, SchoolViewSet):
    serializer_class = ContentTypeSerializer

    def get_school_queryset(self):
        return ContentType.objects.all()


router = routers.SimpleRouter()
router.register("probe", ProbeViewSet, basename="probe")
router.register("forgetful", ForgetfulViewSet, basename="forgetful")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("", include("sencohub.urls_school")),
]


def pupil_view_that_fails(request):
    """Stands in for a school view that crashes while handling a pupil's record."""
    pupil_name = request.POST.get("name") or request.GET.get("name")
    date_of_birth = request.POST.get("dob")
    import logging

    logging.getLogger("apps.pupils").error("Could not save %s born %s", pupil_name, date_of_birth)
    raise ValueError(f"Cannot save the profile of {pupil_name}, born {date_of_birth}")


urlpatterns.insert(0, path("probe/fail/", pupil_view_that_fails))
