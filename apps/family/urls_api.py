from rest_framework.routers import SimpleRouter

from .api import ConsentViewSet, ContactViewSet, MeetingViewSet

router = SimpleRouter(use_regex_path=False)
router.register("contacts", ContactViewSet, basename="api-contacts")
router.register("meetings", MeetingViewSet, basename="api-meetings")
router.register("consents", ConsentViewSet, basename="api-consents")

urlpatterns = router.urls
