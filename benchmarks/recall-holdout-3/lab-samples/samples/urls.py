from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import (
    AssayResultViewSet,
    AttachmentViewSet,
    InstrumentResultView,
    ProjectViewSet,
    SampleViewSet,
)

router = DefaultRouter()
router.register("samples", SampleViewSet, basename="sample")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("projects", ProjectViewSet, basename="project")
router.register("results", AssayResultViewSet, basename="result")

urlpatterns = router.urls + [
    path("instrument/results/", InstrumentResultView.as_view(), name="instrument-results"),
]
