from rest_framework.routers import SimpleRouter

from .api import ConcernViewSet, PupilViewSet

router = SimpleRouter()
router.register("pupils", PupilViewSet, basename="api-pupils")
router.register("concerns", ConcernViewSet, basename="api-concerns")

urlpatterns = router.urls
