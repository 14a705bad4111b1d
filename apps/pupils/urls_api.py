from rest_framework.routers import SimpleRouter

from .api import ConcernViewSet, PupilViewSet

router = SimpleRouter(use_regex_path=False)
router.register("pupils", PupilViewSet, basename="api-pupils")
router.register("concerns", ConcernViewSet, basename="api-concerns")

urlpatterns = router.urls
