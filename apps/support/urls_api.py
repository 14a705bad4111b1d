from rest_framework.routers import SimpleRouter

from .api import AssessmentViewSet, PlanViewSet

router = SimpleRouter(use_regex_path=False)
router.register("plans", PlanViewSet, basename="api-plans")
router.register("assessments", AssessmentViewSet, basename="api-assessments")

urlpatterns = router.urls
