from rest_framework.routers import SimpleRouter

from .api import AgencyViewSet, ReferralViewSet

router = SimpleRouter(use_regex_path=False)
router.register("agencies", AgencyViewSet, basename="api-agencies")
router.register("referrals", ReferralViewSet, basename="api-referrals")

urlpatterns = router.urls
