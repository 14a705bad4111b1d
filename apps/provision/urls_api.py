from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import ImpactView, InterventionGroupViewSet, InterventionViewSet, ProvisionMapView

router = SimpleRouter(use_regex_path=False)
router.register("interventions", InterventionViewSet, basename="api-interventions")
router.register("intervention-groups", InterventionGroupViewSet, basename="api-intervention-groups")

urlpatterns = [
    path("provision-map/", ProvisionMapView.as_view(), name="api-provision-map"),
    path("provision-map/impact/", ImpactView.as_view(), name="api-provision-impact"),
    *router.urls,
]
