from rest_framework.routers import SimpleRouter

from .api import AccessArrangementViewSet, StaffViewSet, TrainingViewSet, TransitionViewSet

router = SimpleRouter(use_regex_path=False)
router.register("staff", StaffViewSet, basename="api-staff")
router.register("training", TrainingViewSet, basename="api-training")
router.register("access-arrangements", AccessArrangementViewSet, basename="api-access-arrangements")
router.register("transitions", TransitionViewSet, basename="api-transitions")

urlpatterns = router.urls
