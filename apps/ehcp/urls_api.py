from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import AssessmentRequestViewSet, DeadlinesView, PlanViewSet, ReviewViewSet

router = SimpleRouter(use_regex_path=False)
router.register("ehcp/assessment-requests", AssessmentRequestViewSet, basename="api-ehcp-requests")
router.register("ehcp/plans", PlanViewSet, basename="api-ehcp-plans")
router.register("ehcp/reviews", ReviewViewSet, basename="api-ehcp-reviews")

urlpatterns = [
    *router.urls,
    path("deadlines/", DeadlinesView.as_view(), name="api-deadlines"),
]
