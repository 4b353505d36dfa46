from rest_framework.routers import DefaultRouter

from .views import LabViewSet, MemberViewSet

router = DefaultRouter()
router.register("labs", LabViewSet, basename="lab")
router.register("members", MemberViewSet, basename="member")

urlpatterns = router.urls
